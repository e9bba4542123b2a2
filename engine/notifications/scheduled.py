"""Notifications that time brings rather than an action: tasks whose due time draws near and
overdue tasks (each once per task), and the
daily digest (at the digest hour, UTC, of everything held since the previous one). The worker
runs both before sending; each runs in its own transaction."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.notifications import messages, outbox, recipients
from engine.process_texts import text_in
from engine.notifications.settings import MailSettings
from engine.persistence.models import HumanTask, ProcessInstance
from engine.persistence.notification_models import DigestEntry, OverdueNotice, ReminderNotice

BATCH = 200


def has_work(session: Session, mail: MailSettings, now: datetime) -> bool:
    """Whether a task fell overdue unannounced or a digest is due: two cheap reads, so that an
    idle worker does not take the write lock every round."""
    overdue = session.scalar(_overdue(select(HumanTask.id), now).limit(1))
    due_soon = session.scalar(_due_soon(select(HumanTask.id), mail, now).limit(1)) if mail.reminder_hours else None
    return overdue is not None or due_soon is not None or session.scalar(select(DigestEntry.id).where(
        DigestEntry.queued_at < last_digest_moment(mail, now)).limit(1)) is not None


def _overdue(query, now: datetime):
    """Open tasks past their due time that were not announced overdue yet."""
    return query.where(
        HumanTask.state == "open", HumanTask.due_at.is_not(None), HumanTask.due_at < now,
        ~select(OverdueNotice.task_id).where(OverdueNotice.task_id == HumanTask.id).exists())


def _due_soon(query, mail: MailSettings, now: datetime):
    """Open tasks due within the reminder window that were not looked at for a reminder yet."""
    return query.where(
        HumanTask.state == "open", HumanTask.due_at.is_not(None), HumanTask.due_at >= now,
        HumanTask.due_at <= now + timedelta(hours=mail.reminder_hours),
        ~select(ReminderNotice.task_id).where(ReminderNotice.task_id == HumanTask.id).exists())


def queue_reminders(session: Session, mail: MailSettings, now: datetime) -> int:
    """Remind the people of each task whose due time is near, once; how many were reminded. A
    task made ready inside the window has just been announced: it is marked, not reminded."""
    if not mail.reminder_hours:
        return 0
    window, reminded = timedelta(hours=mail.reminder_hours), 0
    rows = session.execute(_due_soon(
        select(HumanTask, ProcessInstance).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id),
        mail, now).order_by(HumanTask.due_at).limit(BATCH)).all()
    for task, instance in rows:
        session.add(ReminderNotice(task_id=task.id, at=now))
        if task.created_at <= task.due_at - window:
            reminded += 1
            _tell_about_deadline(session, mail, now, "task_due_soon", task, instance)
    session.flush()
    return reminded


def queue_overdue(session: Session, mail: MailSettings, now: datetime) -> int:
    """Tell the people of each open task past its due time, once; how many tasks were new overdue."""
    rows = session.execute(_overdue(
        select(HumanTask, ProcessInstance).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id), now)
        .order_by(HumanTask.due_at).limit(BATCH)).all()
    for task, instance in rows:
        session.add(OverdueNotice(task_id=task.id, at=now))
        _tell_about_deadline(session, mail, now, "task_overdue", task, instance)
    session.flush()
    return len(rows)


def _tell_about_deadline(session: Session, mail: MailSettings, now: datetime, kind: str, task: HumanTask,
                         instance: ProcessInstance) -> None:
    """`kind` is "task_due_soon" or "task_overdue"; each person reads it in their language."""
    case = messages.case_label(instance.process_key, instance.id, instance.business_key)
    due = task.due_at.strftime("%Y-%m-%d %H:%M UTC")
    for person in recipients.for_task(session, "overdue", task.assignee, task.candidate_group):
        name = text_in(task.properties, "name", task.name, person.language)
        outbox.queue(session, now, kind, person,
                     messages.task_deadline(mail, kind, task.id, name, case, due, person.language))


def last_digest_moment(mail: MailSettings, now: datetime) -> datetime:
    """The latest digest time at or before `now`: today's hour, or yesterday's before it."""
    today = datetime.combine(now.date(), time(mail.digest_hour), tzinfo=now.tzinfo)
    return today if now >= today else today - timedelta(days=1)


def queue_digests(session: Session, mail: MailSettings, now: datetime) -> int:
    """One mail per user for the entries held before the last digest moment; how many mails."""
    moment = last_digest_moment(mail, now)
    entries = session.scalars(select(DigestEntry).where(DigestEntry.queued_at < moment)
                              .order_by(DigestEntry.username, DigestEntry.id)).all()
    if not entries:
        return 0
    open_tasks = {task.id: (task, instance) for task, instance in session.execute(
        select(HumanTask, ProcessInstance).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(HumanTask.id.in_(sorted({e.task_id for e in entries})), HumanTask.state == "open"))}
    by_user: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.task_id in open_tasks and entry.task_id not in by_user[entry.username]:
            by_user[entry.username].append(entry.task_id)
    people = {p.username: p for p in recipients.find(session, "task_ready", usernames=list(by_user))}
    sent = 0
    for username, task_ids in by_user.items():
        person = people.get(username)
        if not task_ids or person is None:
            continue
        listed = []
        for task_id in task_ids:
            task, instance = open_tasks[task_id]
            listed.append((task.id, text_in(task.properties, "name", task.name, person.language),
                           messages.case_label(instance.process_key, instance.id, instance.business_key)))
        outbox.queue(session, now, "daily_digest", person, messages.digest(mail, listed, person.language))
        sent += 1
    session.execute(delete(DigestEntry).where(DigestEntry.id.in_([e.id for e in entries])))
    session.flush()
    return sent
