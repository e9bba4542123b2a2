"""The task inbox: list, look at, claim, unclaim and complete human tasks."""
from __future__ import annotations

from engine import Conflict, NotFound
from engine.services.inbox_query import DUE, FOLLOW_UP
from engine.services.tasks import SCOPES, TASK_STATES
from webapp.api import serializers
from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.params import Body, Query, day, uuid_id
from webapp.engine_access import unit_of_work
from webapp.i18n import page_language


@bp.get("/tasks")
def list_tasks():
    query = Query()
    filters = {"scope": query.choice("scope", SCOPES, "candidate"), "state": query.choice("state", TASK_STATES, "open"),
               "instance_id": query.integer("process_instance_id"), "process_key": query.text("process_key"),
               "after": query.text("after"), "text": query.text("q"), "lane": query.text("lane"),
               "due": query.choice("due", DUE, None), "assignee": query.text("assignee"),
               "follow_up": query.choice("follow_up", FOLLOW_UP, "hide")}
    page, per_page = query.pages()
    query.done()
    with unit_of_work() as uow:
        result = uow.tasks.list(actor(), **filters, page=page, per_page=per_page)
    return answer(serializers.page(result, serializers.task))


@bp.get("/tasks/<task_id>")
def get_task(task_id: str):
    with unit_of_work() as uow:
        view = uow.tasks.get(uuid_id(task_id, "task"), actor())
    return answer(serializers.task(view))


@bp.post("/tasks/<task_id>/claim")
def claim_task(task_id: str):
    task_uuid = uuid_id(task_id, "task")
    return answer(serializers.task(committed(lambda uow: uow.tasks.claim(task_uuid, actor()))))


@bp.post("/tasks/<task_id>/unclaim")
def unclaim_task(task_id: str):
    task_uuid = uuid_id(task_id, "task")
    return answer(serializers.task(committed(lambda uow: uow.tasks.unclaim(task_uuid, actor()))))


@bp.post("/tasks/<task_id>/assign")
def assign_task(task_id: str):
    """Administrators and managers give any open task to a holder of its lane role; its claimant
    delegates it to a colleague of that role. 422 when `username` lacks the role."""
    task_uuid = uuid_id(task_id, "task")
    body = Body()
    username, reason = body.text("username", required=True, max_length=120), body.text("reason", max_length=10_000)
    body.done()
    return answer(serializers.task(committed(lambda uow: uow.tasks.assign(task_uuid, actor(), username, reason))))


@bp.post("/tasks/<task_id>/follow-up")
def follow_up_task(task_id: str):
    """`{"date": "YYYY-MM-DD"}` keeps the task out of the default inbox view until that day; null clears it."""
    task_uuid = uuid_id(task_id, "task")
    body = Body()
    if "date" not in body.fields:
        body.complain("date", "This field is required (null clears the follow-up date).")
    when = day(body, "date")
    body.done()
    return answer(serializers.task(committed(lambda uow: uow.tasks.follow_up(task_uuid, actor(), when))))


@bp.post("/tasks/<task_id>/complete")
def complete_task(task_id: str):
    """200 with the task and its instance; 422 one error per invalid field; 409 once completed.

    Of two simultaneous completions, the engine lets one commit; the other runs again and
    finds the task completed (409 with its state)."""
    task_uuid = uuid_id(task_id, "task")
    body = Body(optional=True)
    data = body.object("data")
    body.done()
    try:
        result = committed(lambda uow: uow.tasks.complete(task_uuid, actor(), data or {}, page_language()), stale_states=("open",))
    except Conflict as conflict:
        if conflict.state not in (None, "open"):
            raise
        raise Conflict(str(conflict), state=_current_state(task_uuid)) from conflict
    return answer(serializers.completion(result))


def _current_state(task_id: str) -> str | None:
    """After losing every run of a race, the state the winners left the task in."""
    try:
        with unit_of_work() as uow:
            return uow.tasks.get(task_id).state
    except NotFound:
        return None
