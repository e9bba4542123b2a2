"""Working together on the pages (issue 12): giving a task to someone, setting it aside until
a follow-up day, attaching files to a case, and the inbox's saved filters.

Each is a small POST form that acts through the engine in one transaction and goes back to the
page it came from with a message; the engine decides who may (its `can_*` flags draw the forms)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from engine import Conflict, InvalidInput, PermissionDenied, TooLarge
from webapp.auth import signed_in_only
from webapp.engine_access import actor, engine, read_bounded
from webapp.i18n import error_message, problem_message
from webapp.people import display_names
from webapp.task_routing import local_target

bp = Blueprint("collaboration", __name__)
signed_in_only(bp)


def _back(fallback: str):
    return redirect(local_target(request.form.get("next"), fallback))


def _problem_text(error: Exception) -> str:
    problems = getattr(error, "problems", None)
    return "; ".join(problem_message(p) for p in problems) if problems else error_message(error)


@bp.post("/tasks/<task_id>/assign")
def assign(task_id: str):
    who, username = actor(), request.form.get("username", "").strip()
    reason = " ".join(request.form.get("reason", "").split())[:1000] or None
    back = url_for("tasks.show", task_id=task_id)
    if not username:
        flash(_("Choose the person to give the task to."), "error")
        return _back(back)
    try:
        task = engine().attempt(lambda uow: uow.tasks.assign(task_id, who, username, reason))
    except (InvalidInput, Conflict) as error:
        flash(_("Nothing was changed: %(problem)s", problem=_problem_text(error)), "error")
        return _back(back)
    name = display_names([task.assignee]).get(task.assignee, task.assignee)
    flash(_("“%(task)s” is now in the hands of %(person)s.", task=task.name, person=name), "success")
    return _back(back if task.can_read_data else url_for("inbox.index"))


@bp.post("/tasks/<task_id>/follow-up")
def follow_up(task_id: str):
    who, text = actor(), request.form.get("date", "").strip()
    back = url_for("tasks.show", task_id=task_id)
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        flash(_("Give the follow-up day as a date, e.g. 2027-02-01."), "error")
        return _back(back)
    try:
        task = engine().attempt(lambda uow: uow.tasks.follow_up(task_id, who, day))
    except Conflict as error:
        flash(_("Nothing was changed: %(problem)s", problem=error_message(error)), "error")
        return _back(back)
    if task.follow_up_on:
        flash(_("“%(task)s” is set aside until %(day)s.", task=task.name, day=task.follow_up_on.isoformat()),
              "success")
    else:
        flash(_("“%(task)s” is back in your inbox.", task=task.name), "success")
    return _back(back)


@bp.post("/instances/<int:instance_id>/attachments")
def upload(instance_id: int):
    """The instance page's and the task page's upload form; 413 and 422 come back as a message."""
    who, task_id = actor(), request.form.get("task_id") or None
    back = url_for("instances.show", instance_id=instance_id)
    given = request.files.get("file")
    if given is None or not given.filename:
        flash(_("Choose a file to attach."), "error")
        return _back(back)
    content = read_bounded(given)
    try:
        stored = engine().attempt(lambda uow: uow.attachments.add(instance_id, who, given.filename, content, task_id))
    except (InvalidInput, TooLarge) as error:
        flash(_("The file was not attached: %(problem)s", problem=_problem_text(error)), "error")
        return _back(back)
    flash(_("“%(file)s” is attached.", file=stored.filename), "success")
    return _back(back)


def store_form_uploads(task, who) -> tuple[MultiDict, dict[str, str]]:
    """The task form's submission with each chosen file (an `x-attachment` field) stored first,
    its field then holding the attachment id; and a problem per file that could not be stored."""
    form, problems = request.form.copy(), {}
    for name, given in request.files.items(multi=True):
        if not given or not given.filename:
            continue
        content = read_bounded(given)
        try:
            stored = engine().attempt(lambda uow: uow.attachments.add(
                task.process_instance_id, who, given.filename, content, task.id))
        except (InvalidInput, TooLarge, PermissionDenied) as error:
            problems[name] = _problem_text(error)
            continue
        form[name] = str(stored.id)
    return form, problems


def task_extras(uow, task) -> dict:
    """What the task page adds for working together: the people it may be given to, the
    case's files, and the names to show for user names."""
    holders = uow.directory.holders(task.candidate_groups[0]) if task.candidate_groups else \
        [(u["username"], u["display_name"]) for u in uow.directory.search(per_page=100).items]
    try:
        files = uow.attachments.list(task.process_instance_id, actor())
    except PermissionDenied:
        files = []
    return {"holders": [(u, n) for u, n in holders if u != task.assignee], "attachments": files}


@bp.post("/inbox/saved-filters")
def save_filter():
    who = actor()
    filters = {key: request.form.get(key, "").strip() for key in
               ("q", "process_key", "lane", "assignee", "due", "follow_up", "scope")}
    try:
        engine().attempt(lambda uow: uow.saved_filters.save(who, request.form.get("name", ""), filters))
    except (InvalidInput, Conflict) as error:
        flash(_("The filter was not saved: %(problem)s", problem=_problem_text(error)), "error")
    else:
        flash(_("The filter is saved as a tab."), "success")
    return _back(url_for("inbox.index"))


@bp.post("/inbox/saved-filters/<int:filter_id>/delete")
def delete_filter(filter_id: int):
    who = actor()
    engine().attempt(lambda uow: uow.saved_filters.delete(filter_id, who))
    flash(_("The saved filter is deleted."), "success")
    return redirect(url_for("inbox.index"))


def init_app(app) -> None:
    from webapp import people
    people.init_app(app)
    app.register_blueprint(bp)
