"""The words of each notification: a subject, a plain-text body and an HTML body, each with
the link to open. Every value from the database is escaped in the HTML body."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from engine.notifications.settings import MailSettings

# The words of each message in the languages of the pages (English, French): the engine knows
# nothing of the web app's catalogues, and these few sentences are kept here, side by side.
WORDS = {
    "en": {
        "signature": "Secretariat of the Assembly of States Parties: workflow",
        "open_task": "Open the task", "open_instance": "Open the instance",
        "ready_subject": "Task ready: {task} – {case}", "ready": "The task “{task}” of {case} is ready.",
        "assigned": "It has been assigned to you.",
        "in_role": "It is ready for anyone holding your role; claim it to take it.",
        "due_soon_subject": "Due soon: {task} – {case}",
        "due_soon": "The task “{task}” of {case} is due {due} and is still open.",
        "overdue_subject": "Overdue: {task} – {case}",
        "overdue": "The task “{task}” of {case} was due {due} and is still open.",
        "completed_subject": "Completed: {case}", "completed": "{case}, which you started, is completed.",
        "error_subject": "Stopped on an error: {case}",
        "error": "{case}, which you started, stopped on an error; an administrator can retry it once the cause "
                 "is fixed.",
        "error_detail": "The error: {error}",
        "mention_subject": "{author} mentioned you – {case}",
        "mention_task": "{author} mentioned you in a comment on the task “{task}” of {case}:",
        "mention": "{author} mentioned you in a comment on {case}:",
        "digest_subject_one": "Your daily digest: 1 task ready",
        "digest_subject": "Your daily digest: {count} tasks ready",
        "digest_one": "1 task became ready for you since the last digest and is still open:",
        "digest": "{count} tasks became ready for you since the last digest and are still open:",
    },
    "fr": {
        "signature": "Secrétariat de l'Assemblée des États Parties : circuit de travail",
        "open_task": "Ouvrir la tâche", "open_instance": "Ouvrir le dossier",
        "ready_subject": "Tâche à traiter : {task} – {case}", "ready": "La tâche « {task} » du dossier {case} est prête.",
        "assigned": "Elle vous a été attribuée.",
        "in_role": "Elle attend toute personne ayant votre rôle ; prenez-la en charge pour la traiter.",
        "due_soon_subject": "Échéance proche : {task} – {case}",
        "due_soon": "La tâche « {task} » du dossier {case} est à rendre le {due} et n'est pas encore traitée.",
        "overdue_subject": "En retard : {task} – {case}",
        "overdue": "La tâche « {task} » du dossier {case} était à rendre le {due} et n'est toujours pas traitée.",
        "completed_subject": "Dossier terminé : {case}", "completed": "Le dossier {case}, que vous avez ouvert, est terminé.",
        "error_subject": "Dossier arrêté par une erreur : {case}",
        "error": "Le dossier {case}, que vous avez ouvert, s'est arrêté sur une erreur ; un administrateur pourra "
                 "le relancer une fois la cause corrigée.",
        "error_detail": "L'erreur : {error}",
        "mention_subject": "{author} vous a mentionné – {case}",
        "mention_task": "{author} vous a mentionné dans un commentaire sur la tâche « {task} » du dossier {case} :",
        "mention": "{author} vous a mentionné dans un commentaire sur le dossier {case} :",
        "digest_subject_one": "Votre récapitulatif du jour : 1 tâche à traiter",
        "digest_subject": "Votre récapitulatif du jour : {count} tâches à traiter",
        "digest_one": "1 tâche vous est parvenue depuis le dernier récapitulatif et n'est pas encore traitée :",
        "digest": "{count} tâches vous sont parvenues depuis le dernier récapitulatif et ne sont pas encore traitées :",
    },
}


def _words(language: str | None) -> dict[str, str]:
    return WORDS.get(language or "en", WORDS["en"])


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def _compose(subject: str, lines: list[str], link: str, link_label: str, signature: str,
             quote: str | None = None) -> Message:
    text = "\n\n".join([*lines, *([quote] if quote else []), f"{link_label}: {link}", "-- ", signature])
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    quoted = f'<blockquote style="white-space: pre-wrap">{escape(quote)}</blockquote>' if quote else ""
    html = (f"<!DOCTYPE html><html><body>{paragraphs}{quoted}"
            f'<p><a href="{escape(link, quote=True)}">{escape(link_label)}</a></p>'
            f"<p style=\"color: #666\">{escape(signature)}</p></body></html>")
    return Message(subject[:255], text, html)


def case_label(process_key: str, instance_id: int, business_key: str | None) -> str:
    return f"{process_key} #{instance_id}" + (f" ({business_key})" if business_key else "")


def task_ready(mail: MailSettings, task_id: str, task_name: str, case: str, assigned: bool,
               language: str | None = None) -> Message:
    w = _words(language)
    return _compose(w["ready_subject"].format(task=task_name, case=case),
                    [w["ready"].format(task=task_name, case=case), w["assigned" if assigned else "in_role"]],
                    mail.task_link(task_id), w["open_task"], signature=w["signature"])


def task_deadline(mail: MailSettings, kind: str, task_id: str, task_name: str, case: str, due: str,
                  language: str | None = None) -> Message:
    """`kind`: "task_due_soon" (a reminder) or "task_overdue"."""
    w, key = _words(language), "due_soon" if kind == "task_due_soon" else "overdue"
    return _compose(w[f"{key}_subject"].format(task=task_name, case=case),
                    [w[key].format(task=task_name, case=case, due=due)],
                    mail.task_link(task_id), w["open_task"], signature=w["signature"])


def instance_ended(mail: MailSettings, instance_id: int, case: str, state: str, error: str | None,
                   language: str | None = None) -> Message:
    w = _words(language)
    if state == "completed":
        return _compose(w["completed_subject"].format(case=case), [w["completed"].format(case=case)],
                        mail.instance_link(instance_id), w["open_instance"], signature=w["signature"])
    return _compose(w["error_subject"].format(case=case),
                    [w["error"].format(case=case), *([w["error_detail"].format(error=error)] if error else [])],
                    mail.instance_link(instance_id), w["open_instance"], signature=w["signature"])


def mention(mail: MailSettings, author: str, case: str, instance_id: int, task_id: str | None,
            task_name: str | None, body: str, language: str | None = None) -> Message:
    w = _words(language)
    said = w["mention_task"].format(author=author, task=task_name, case=case) if task_name else \
        w["mention"].format(author=author, case=case)
    link = mail.task_link(task_id) if task_id else mail.instance_link(instance_id)
    return _compose(w["mention_subject"].format(author=author, case=case), [said], link,
                    w["open_task" if task_id else "open_instance"], quote=body, signature=w["signature"])


def digest(mail: MailSettings, tasks: list[tuple[str, str, str]], language: str | None = None) -> Message:
    """`tasks`: (task id, task name, case) of each task still open."""
    w, count = _words(language), len(tasks)
    opening = w["digest_one"] if count == 1 else w["digest"].format(count=count)
    text = "\n".join([opening, "", *(f"- {name} – {case}: {mail.task_link(tid)}" for tid, name, case in tasks),
                      "", "-- ", w["signature"]])
    items = "".join(f'<li><a href="{escape(mail.task_link(tid), quote=True)}">{escape(name)}</a> – '
                    f'{escape(case)}</li>' for tid, name, case in tasks)
    html = (f"<!DOCTYPE html><html><body><p>{escape(opening)}</p><ul>{items}</ul>"
            f"<p style=\"color: #666\">{escape(w['signature'])}</p></body></html>")
    subject = w["digest_subject_one"] if count == 1 else w["digest_subject"].format(count=count)
    return Message(subject, text, html)
