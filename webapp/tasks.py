"""The task page: its instructions and the form drawn from its JSON Schema, completing it, and
claiming or releasing a task (the inbox and the Bureau pages post here too)."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import Conflict, InvalidTaskData, NotFound
from engine.process_texts import task_in
from webapp.auth import signed_in_only
from webapp.engine_access import actor, engine, unit_of_work
from webapp.i18n import error_message, page_language
from webapp.form_rendering import (
    ACTION, UnknownRowAction, apply_row_action, build_form, initial_values, parse_submission, problems_by_field,
    render_instructions,
)
from webapp.approval import positions_so_far
from webapp.collaboration import store_form_uploads, task_extras
from webapp.task_routing import after_completion, form_parts, is_approval, local_target, standing, task_url

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
signed_in_only(bp)


@bp.get("/<task_id>")
def show(task_id: str):
    with unit_of_work() as uow:
        task = task_in(uow.tasks.get(task_id, actor()), page_language())
        if is_approval(task) and task.state == "open":
            return redirect(url_for("bureau.decide", task_id=task.id))
        return _page(uow, task, initial_values(form_parts(task)[0], task.data))


@bp.post("/<task_id>")
def complete(task_id: str):
    who = actor()
    with unit_of_work() as uow:
        task = task_in(uow.tasks.get(task_id, who), page_language())
        if is_approval(task):  # decisions follow the approval convention (a rejection needs a reason)
            return redirect(url_for("bureau.submit", task_id=task.id), code=307)
        schema, ui = form_parts(task)
        if request.form.get(ACTION):
            values, focus = redraw_values(schema, ui)
            return _page(uow, task, values, focus=focus)
    form, upload_problems = store_form_uploads(task, who)  # files first: their fields then hold their ids
    data = parse_submission(schema, ui, form)
    if upload_problems:
        with unit_of_work() as uow:
            return _page(uow, task, data, upload_problems, status=422)
    try:  # run again if a parallel branch of the instance was completed at the same moment
        result = engine().attempt(lambda fresh: fresh.tasks.complete(task.id, who, data, page_language()))
    except InvalidTaskData as invalid:
        with unit_of_work() as uow:
            return _page(uow, task, data, problems_by_field(invalid.problems), status=422)
    except Conflict as conflict:  # what was typed comes back, on the task as it now stands
        with unit_of_work() as uow:
            return _page(uow, uow.tasks.get(task.id, who), data, status=409, conflict=error_message(conflict))
    return after_completion(result, who)


@bp.post("/<task_id>/claim")
def claim(task_id: str):
    who = actor()
    task = engine().attempt(lambda uow: uow.tasks.claim(task_id, who))
    flash(_("You have claimed “%(task)s”.", task=task_in(task, page_language()).name), "success")
    return redirect(local_target(request.form.get("next"), task_url(task)))


@bp.post("/<task_id>/release")
def unclaim(task_id: str):
    who = actor()
    task = engine().attempt(lambda uow: uow.tasks.unclaim(task_id, who))
    flash(_("“%(task)s” is back in the pool of its lane.", task=task_in(task, page_language()).name), "success")
    return redirect(local_target(request.form.get("next"), task_url(task)))


def redraw_values(schema: dict, ui: dict) -> tuple[dict, str]:
    """The entered values with one row more or less, and the field to focus; 400 on a forged button."""
    values = parse_submission(schema, ui, request.form, keep_blank_rows=True)
    try:
        return apply_row_action(schema, values, request.form[ACTION])
    except UnknownRowAction:
        abort(400, _("That button does not belong to this task's form."))


def _page(uow, task, values: dict, problems: dict | None = None, focus: str | None = None, status: int = 200,
          conflict: str | None = None):
    schema, ui = form_parts(task)
    instance = uow.runtime.get(task.process_instance_id, actor())
    siblings, positions = [], []
    if is_collective_decision(task):
        siblings = [t for t in instance.open_tasks if t.element_id == task.element_id and t.id != task.id]
        positions = [replace(p, member=display_name(uow, p.member))
                     for p in positions_so_far(uow.history.for_instance(instance.id, actor()), task.element_id,
                                               task.id)]
    tally = Counter(str(p.submitted["choice"]) for p in positions if "choice" in p.submitted)
    return render_template(
        "tasks/show.html", task=task, instance=instance, siblings=siblings, positions=positions, tally=tally,
        names={t.assignee: display_name(uow, t.assignee) for t in siblings if t.assignee},
        can=standing(task, engine().clock.now()),
        instructions=render_instructions(task.instructions, task.data),
        form=build_form(schema, ui, values, problems, focus), conflict=conflict, typed=values if conflict else None,
        **task_extras(uow, task)), status



def is_collective_decision(task) -> bool:
    """Only the members' own tasks of a collective decision (the BPMN property
    `collectiveDecision`) show the others' positions: a translation or a redraft is no vote."""
    return str((task.properties or {}).get("collectiveDecision", "")).lower() == "true"


def display_name(uow, username: str | None) -> str | None:
    """The name people read, rather than a user name."""
    if not username:
        return username
    try:
        return uow.identity.get(username).display_name or username
    except NotFound:
        return username
