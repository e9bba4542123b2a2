"""The Bureau of the Assembly: what awaits its decision, and the decision page of an approval
task, read at a glance: what is decided, the documents, the tally with the members by name,
Approve and Reject; the matter in full and the history fold away. The approval-task
convention itself is in webapp/approval.py and docs/web.md."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import InvalidTaskData
from engine.process_texts import task_in
from webapp.approval import counts, decision_data, decision_form, tally, the_matter, votes_so_far
from webapp.auth import signed_in_only
from webapp.bpmn_outline import element_names
from webapp.decision_documents import documents_in
from webapp.engine_access import actor, engine, unit_of_work
from webapp.i18n import page_language
from webapp.form_rendering.instructions import summary
from webapp.form_rendering import (
    ACTION, build_form, initial_values, parse_submission, problems_by_field, readable, render_instructions,
)
from webapp.inbox import MAX_PER_PAGE, whole_number
from webapp.instance_timeline import timeline
from webapp.task_routing import after_completion, form_parts, is_approval, standing, task_url
from webapp.tasks import redraw_values

bp = Blueprint("bureau", __name__, url_prefix="/bureau")
signed_in_only(bp)

LANE = "Bureau"
SCAN_BATCH, SCAN_LIMIT = 100, 2000  # approval tasks may sit in any lane: read at most this many



@bp.get("")
def index():
    who = actor()
    page = whole_number(request.args.get("page"), 1)
    per_page = whole_number(request.args.get("per_page"), current_app.config.get("PER_PAGE", 20), MAX_PER_PAGE)
    with unit_of_work() as uow:
        awaiting = _awaiting_the_bureau(uow, who)
    now = engine().clock.now()
    shown = awaiting[(page - 1) * per_page: page * per_page]
    return render_template(
        "bureau/index.html", total=len(awaiting), page=page, pages=max(1, -(-len(awaiting) // per_page)),
        mine=sum(t.assignee == who.username for t in awaiting),
        claimable=sum(standing(t, now).claim for t in awaiting),
        rows=[(t, standing(t, now), task_url(t)) for t in shown],
        summaries={t.id: summary(task_in(t, page_language()).instructions, t.data) for t in shown},
        page_url=lambda number: url_for("bureau.index", page=number, per_page=per_page))


def _awaiting_the_bureau(uow, who) -> list:
    """Open tasks this user may see that are in the Bureau's lane or are approval tasks, soonest due first."""
    found, page = [], 1
    while True:
        batch = uow.tasks.list(who, scope="all", order="due", page=page, per_page=SCAN_BATCH)
        found += [t for t in batch.items if t.lane == LANE or is_approval(t)]
        if page * SCAN_BATCH >= min(batch.total, SCAN_LIMIT):
            return found
        page += 1


@bp.get("/decisions/<task_id>")
def decide(task_id: str):
    with unit_of_work() as uow:
        task = task_in(uow.tasks.get(task_id, actor()), page_language())
        if not is_approval(task) or task.state != "open":
            return redirect(url_for("tasks.show", task_id=task.id))
        return _page(uow, task, initial_values(decision_form(*form_parts(task))[0], task.data))


@bp.post("/decisions/<task_id>")
def submit(task_id: str):
    who = actor()
    with unit_of_work() as uow:
        task = task_in(uow.tasks.get(task_id, who), page_language())
        if not is_approval(task):
            return redirect(url_for("tasks.show", task_id=task.id), code=303)
        schema, ui = decision_form(*form_parts(task))
        if request.form.get(ACTION):
            values, focus = redraw_values(schema, ui)
            return _page(uow, task, values, focus=focus)
        submitted = parse_submission(schema, ui, request.form)
        data, problems = decision_data(request.form.get("decision"), submitted)
        if problems:
            return _page(uow, task, submitted, problems, status=422)
    try:  # run again if a parallel branch of the instance was completed at the same moment
        result = engine().attempt(lambda fresh: fresh.tasks.complete(task.id, who, data, page_language()))
    except InvalidTaskData as invalid:
        with unit_of_work() as uow:
            return _page(uow, task, submitted, problems_by_field(invalid.problems), status=422)
    return after_completion(result, who)


def _page(uow, task, values: dict, problems: dict | None = None, focus: str | None = None, status: int = 200):
    """What is decided, the documents and the tally first; the matter's details and the history fold away."""
    who = actor()
    schema, ui = form_parts(task)
    instance = uow.runtime.get(task.process_instance_id, who)
    events = uow.history.for_instance(task.process_instance_id, who)
    labels = uow.field_labels.for_instance(task.process_instance_id)
    people = {user.username: user.display_name for user in uow.identity.list()}
    names = element_names(uow.repository.bpmn_xml(instance.process_key, instance.version))
    matter = the_matter(task.data, schema)
    waiting = [t for t in instance.open_tasks if t.element_id == task.element_id]
    if task.state == "open" and all(t.id != task.id for t in waiting):
        waiting.insert(0, task)
    positions = tally(votes_so_far(events, task.element_id, task.id), waiting, people,
                      lambda t: _("a member of %(lane)s", lane=t.lane or _("the lane")))
    return render_template(
        "bureau/decide.html", task=task, instance=instance, can=standing(task, engine().clock.now()),
        instructions=render_instructions(task.instructions, task.data),
        matter=readable(matter, labels, people), documents=documents_in(matter, labels),
        positions=positions, counts=counts(positions), people=people,
        history=timeline(events, names, people, who),
        form=build_form(*decision_form(schema, ui), values, problems, focus)), status
