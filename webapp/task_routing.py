"""Where a task is worked on (the generic task page, or the Bureau's decision page for an
approval task), what the signed-in user may do with it, and which task to open next.

The engine decides and enforces; the views it returns carry what the user may do
(`can_claim`, `can_release`, `can_complete`), and the pages only draw from those flags."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from engine import Actor
from engine.process_texts import task_in
from engine.views import CompletionResult, TaskView
from webapp.approval import is_approval_form
from webapp.i18n import page_language


def is_approval(task: TaskView) -> bool:
    return is_approval_form(task.form)


def task_url(task: TaskView) -> str:
    endpoint = "bureau.decide" if is_approval(task) and task.state == "open" else "tasks.show"
    return url_for(endpoint, task_id=task.id)


def next_task_for(actor: Actor, open_tasks: list[TaskView]) -> TaskView | None:
    """The user's own next task first, then one they may take (the engine's `can_complete`)."""
    mine = [t for t in open_tasks if t.assignee == actor.username and t.state == "open"]
    return (mine or [t for t in open_tasks if t.can_complete] or [None])[0]


def is_overdue(task: TaskView, now: datetime) -> bool:
    return task.state == "open" and task.due_at is not None and task.due_at < now


def local_target(target: str | None, fallback: str) -> str:
    """A same-site path to go back to, never another site (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and not urlsplit(target).netloc:
        return target
    return fallback


def form_parts(task: TaskView) -> tuple[dict, dict]:
    """The task's JSON Schema and UI schema (empty when the task has no form)."""
    form = task.form or {}
    return form.get("schema") or {}, form.get("ui_schema") or {}


@dataclass(frozen=True)
class Standing:
    """The task as it stands for one user: what they may do with it, and whether it is late."""
    work: bool
    claim: bool
    release: bool
    overdue: bool


def standing(task: TaskView, now: datetime) -> Standing:
    """Drawn from the flags the engine set for the user who asked (engine.services.access)."""
    return Standing(task.can_complete, task.can_claim, task.can_release, is_overdue(task, now))


def after_completion(result: CompletionResult, actor: Actor):
    """Open the user's next task in the same instance, else go back to the inbox."""
    following = next_task_for(actor, result.process_instance.open_tasks)
    done_name = task_in(result.task, page_language()).name
    if following is not None:
        flash(_("“%(task)s” is done. Here is your next task in this case.", task=done_name), "success")
        return redirect(task_url(following))
    flash(_("“%(task)s” is done. Nothing else in this case awaits you now.", task=done_name), "success")
    return redirect(url_for("inbox.index"))
