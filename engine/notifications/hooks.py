"""Where engine actions call for e-mail: a task ready (or assigned by someone else), an instance
ended. Read from the history events each action writes, so the rows land in the outbox in the
same transaction; with mail off (no SMTP URL) every hook returns at once.

Assignments (`task_assigned`, `task_delegated` events whose data names the `assignee`) are
found generically, before each flush of a session, whichever service recorded them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session

from engine.notifications import messages, outbox, recipients
from engine.process_texts import text_in
from engine.notifications.settings import SESSION_KEY, MailSettings
from engine.persistence.models import HistoryEvent, HumanTask, ProcessInstance

ASSIGNMENTS = ("task_assigned", "task_delegated")
ENDINGS = ("completed", "error")


def install(database, mail: MailSettings) -> None:
    """Every session of the database carries the mail settings and watches for assignments."""
    for maker in (database.sessions, database.write_sessions):
        maker.configure(info={SESSION_KEY: mail})
        event.listen(maker, "before_flush", _assignments_before_flush)


def mail_of(session: Session) -> MailSettings | None:
    return session.info.get(SESSION_KEY)


def after_events(session: Session, instance: ProcessInstance, events: list[dict]) -> None:
    """An action's history events, just written (engine.services.execution)."""
    mail = mail_of(session)
    if mail is None:
        return
    for happened in events:
        name = happened["event"]
        if name == "task_ready":
            task = _task(session, happened["task_id"])
            if task is not None:
                task_ready(session, mail, instance, task, happened["at"], actor=happened["actor"])
        elif name in ENDINGS and instance.started_by:
            _ended(session, mail, instance, name, happened["at"])


def task_ready(session: Session, mail: MailSettings, instance: ProcessInstance, task: HumanTask, now: datetime,
               assignee: str | None = None, actor: str | None = None) -> None:
    """Each wanting person gets a mail now, or an entry for their daily digest; not the `actor`
    whose action made the task ready: they are on the page that shows it."""
    people = [person for person in recipients.for_task(session, "task_ready", assignee or task.assignee,
                                                       task.candidate_group) if person.username != actor]
    case = messages.case_label(instance.process_key, instance.id, instance.business_key)
    assigned = (assignee or task.assignee) is not None
    for person in people:
        if person.task_ready == recipients.DAILY_DIGEST:
            outbox.hold_for_digest(session, now, person, task.id)
        else:
            outbox.queue(session, now, "task_ready", person,
                         messages.task_ready(mail, task.id, text_in(task.properties, "name", task.name, person.language),
                                             case, assigned, person.language))


def _ended(session: Session, mail: MailSettings, instance: ProcessInstance, name: str, now: datetime) -> None:
    case = messages.case_label(instance.process_key, instance.id, instance.business_key)
    for person in recipients.find(session, "instance_ended", usernames=[instance.started_by]):
        outbox.queue(session, now, f"instance_{name}", person, messages.instance_ended(
            mail, instance.id, case, "completed" if name == "completed" else "error", instance.error_message,
            person.language))


def _task(session: Session, task_id: str | None) -> HumanTask | None:
    if task_id is None:
        return None
    pending = next((o for o in session.new if isinstance(o, HumanTask) and o.id == task_id), None)
    return pending or session.get(HumanTask, task_id)


def _assignments_before_flush(session: Session, _context, _instances) -> None:
    mail = mail_of(session)
    if mail is None:
        return
    moves = [o for o in session.new if isinstance(o, HistoryEvent) and o.event in ASSIGNMENTS
             and isinstance(o.data, dict) and o.data.get("assignee") and o.task_id]
    for move in moves:
        assignee = move.data["assignee"]
        if assignee == move.actor:
            continue  # taking a task oneself needs no e-mail
        task = _task(session, move.task_id)
        instance = session.get(ProcessInstance, move.instance_id)
        if task is not None and instance is not None:
            task_ready(session, mail, instance, task, move.at, assignee=assignee)
