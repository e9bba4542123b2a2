"""The words of each notification: a subject, a plain-text body and an HTML body, each with
the link to open. Every value from the database is escaped in the HTML body."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from engine.notifications.settings import MailSettings

SIGNATURE = "Secretariat of the Assembly of States Parties: workflow"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def _compose(subject: str, lines: list[str], link: str, link_label: str, quote: str | None = None) -> Message:
    text = "\n\n".join([*lines, *([quote] if quote else []), f"{link_label}: {link}", "-- ", SIGNATURE])
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    quoted = f'<blockquote style="white-space: pre-wrap">{escape(quote)}</blockquote>' if quote else ""
    html = (f"<!DOCTYPE html><html><body>{paragraphs}{quoted}"
            f'<p><a href="{escape(link, quote=True)}">{escape(link_label)}</a></p>'
            f"<p style=\"color: #666\">{escape(SIGNATURE)}</p></body></html>")
    return Message(subject[:255], text, html)


def case_label(process_key: str, instance_id: int, business_key: str | None) -> str:
    return f"{process_key} #{instance_id}" + (f" ({business_key})" if business_key else "")


def task_ready(mail: MailSettings, task_id: str, task_name: str, case: str, assigned: bool) -> Message:
    why = "It has been assigned to you." if assigned else \
        "It is ready for anyone holding your role; claim it to take it."
    return _compose(f"Task ready: {task_name} – {case}",
                    [f"The task “{task_name}” of {case} is ready.", why], mail.task_link(task_id), "Open the task")


def task_due_soon(mail: MailSettings, task_id: str, task_name: str, case: str, due: str) -> Message:
    return _compose(f"Due soon: {task_name} – {case}",
                    [f"The task “{task_name}” of {case} is due {due} and is still open."],
                    mail.task_link(task_id), "Open the task")


def task_overdue(mail: MailSettings, task_id: str, task_name: str, case: str, due: str) -> Message:
    return _compose(f"Overdue: {task_name} – {case}",
                    [f"The task “{task_name}” of {case} was due {due} and is still open."],
                    mail.task_link(task_id), "Open the task")


def instance_ended(mail: MailSettings, instance_id: int, case: str, state: str, error: str | None) -> Message:
    if state == "completed":
        return _compose(f"Completed: {case}", [f"{case}, which you started, is completed."],
                        mail.instance_link(instance_id), "Open the instance")
    return _compose(f"Stopped on an error: {case}",
                    [f"{case}, which you started, stopped on an error; an administrator can retry it once "
                     "the cause is fixed.", *([f"The error: {error}"] if error else [])],
                    mail.instance_link(instance_id), "Open the instance")


def mention(mail: MailSettings, author: str, case: str, instance_id: int, task_id: str | None,
            task_name: str | None, body: str) -> Message:
    where = f"on the task “{task_name}” of {case}" if task_name else f"on {case}"
    link = mail.task_link(task_id) if task_id else mail.instance_link(instance_id)
    return _compose(f"{author} mentioned you – {case}", [f"{author} mentioned you in a comment {where}:"],
                    link, "Open the task" if task_id else "Open the instance", quote=body)


def digest(mail: MailSettings, tasks: list[tuple[str, str, str]]) -> Message:
    """`tasks`: (task id, task name, case) of each task still open."""
    count = len(tasks)
    tasks_word, verb = ("task", "is") if count == 1 else ("tasks", "are")
    lines = [f"{count} {tasks_word} became ready for you since the last digest and {verb} still open:"]
    text = "\n".join([*lines, "", *(f"- {name} – {case}: {mail.task_link(tid)}" for tid, name, case in tasks),
                      "", "-- ", SIGNATURE])
    items = "".join(f'<li><a href="{escape(mail.task_link(tid), quote=True)}">{escape(name)}</a> – '
                    f'{escape(case)}</li>' for tid, name, case in tasks)
    html = (f"<!DOCTYPE html><html><body><p>{escape(lines[0])}</p><ul>{items}</ul>"
            f"<p style=\"color: #666\">{escape(SIGNATURE)}</p></body></html>")
    return Message(f"Your daily digest: {count} task{'s' if count != 1 else ''} ready", text, html)
