"""Deploy, start, and the human-task cycle: lanes are roles, forms are enforced."""
from __future__ import annotations

import pytest

from engine import Conflict, InvalidTaskData, NotFound, PermissionDenied
from tests.conftest import ADMIN
from tests.engine.helpers import CLERK, DIRECTOR, OTHER_CLERK, OUTSIDER, complete, open_tasks, start

def test_a_request_flows_from_clerk_to_director_and_ends_approved(engine, deploy):
    result = deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    assert [(d.key, d.version, d.new) for d in result.definitions] == [("approval", 1, True)]

    instance = start(engine, "approval", CLERK)
    assert instance.state == "running"
    [task] = instance.open_tasks
    assert (task.element_id, task.lane, task.candidate_groups) == ("submit_request", "Clerk", ["Clerk"])
    assert task.form["schema"]["title"] == "Request"
    assert open_tasks(engine, DIRECTOR) == []
    assert [t.id for t in open_tasks(engine, OTHER_CLERK)] == [task.id]

    done = complete(engine, task.id, CLERK, {"title": "Chairs for the Bureau room", "amount": 1200})
    assert done.task.state == "completed" and done.task.completed_by == "claire"
    [review] = done.process_instance.open_tasks
    assert (review.element_id, review.lane) == ("review_request", "Director")
    assert review.data["amount"] == 1200

    final = complete(engine, review.id, DIRECTOR, {"approved": True, "comment": "Within budget"}).process_instance
    assert final.state == "completed"
    assert final.data["outcome"] == "approved" and final.data["title"] == "Chairs for the Bureau room"
    assert final.ended_at is not None

    with engine.unit_of_work() as uow:
        events = [(e.event, e.actor, e.element_id) for e in uow.history.for_instance(instance.id)]
    assert ("task_completed", "claire", "submit_request") in events
    assert ("task_completed", "diane", "review_request") in events
    assert ("gateway_taken", "diane", "approved_gateway") in events
    assert events[0][0] == "started" and events[-1][0] == "completed"


def test_invalid_form_data_gives_one_error_per_field_and_changes_nothing(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval", CLERK)
    task = instance.open_tasks[0]

    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, task.id, CLERK, {"amount": -5, "justification": 7})
    fields = {p.field: p.message for p in caught.value.problems}
    assert set(fields) == {"title", "amount", "justification"}
    assert fields["title"] == "Please fill in “Title”."

    with engine.unit_of_work() as uow:
        again = uow.runtime.get(instance.id)
        history = uow.history.for_instance(instance.id)
    assert [t.id for t in again.open_tasks] == [task.id]
    assert again.open_tasks[0].state == "open"
    assert not any(e.event == "task_completed" for e in history)


def test_only_the_lane_or_the_assignee_may_complete(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    task = start(engine, "approval", CLERK).open_tasks[0]
    data = {"title": "Paper", "amount": 10}

    with pytest.raises(PermissionDenied):
        complete(engine, task.id, OUTSIDER, data)
    with engine.unit_of_work() as uow:
        uow.tasks.claim(task.id, CLERK)
        uow.commit()
    with pytest.raises(PermissionDenied):
        complete(engine, task.id, OTHER_CLERK, data)
    with pytest.raises(Conflict):
        with engine.unit_of_work() as uow:
            uow.tasks.claim(task.id, OTHER_CLERK)
    with engine.unit_of_work() as uow:
        uow.tasks.unclaim(task.id, CLERK)
        uow.commit()
    assert complete(engine, task.id, OTHER_CLERK, data).task.completed_by == "colin"
    with pytest.raises(Conflict) as caught:
        complete(engine, task.id, CLERK, data)
    assert caught.value.state == "completed"


def test_unknown_ids_are_not_found(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    with engine.unit_of_work() as uow:
        with pytest.raises(NotFound):
            uow.tasks.get("no-such-task")
        with pytest.raises(NotFound):
            uow.runtime.get(424242)
        with pytest.raises(NotFound):
            uow.runtime.start("no_such_process", actor=ADMIN)


def two_requests_the_first_claimed_by_claire(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    first = start(engine, "approval", CLERK).open_tasks[0]
    second = start(engine, "approval", CLERK).open_tasks[0]
    with engine.unit_of_work() as uow:
        uow.tasks.claim(first.id, CLERK)
        uow.commit()
    return first, second


def test_inbox_scopes(engine, deploy):
    first, second = two_requests_the_first_claimed_by_claire(engine, deploy)
    assert [t.id for t in open_tasks(engine, CLERK, scope="mine")] == [first.id]
    assert {t.id for t in open_tasks(engine, CLERK, scope="candidate")} == {first.id, second.id}
    assert [t.id for t in open_tasks(engine, OTHER_CLERK, scope="candidate")] == [second.id]
    with engine.unit_of_work() as uow:
        page = uow.tasks.list(ADMIN, scope="all", per_page=1)
    assert page.total == 2 and len(page.items) == 1


def test_task_views_carry_business_key_process_name_and_properties(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start("approval", actor=CLERK, business_key="REQ-7")
        uow.commit()
    [task] = instance.open_tasks
    assert task.business_key == "REQ-7" and task.process_name
    assert task.properties["formJsonSchemaFilename"] == "request.schema.json"


def test_claimable_scope_and_lane_filter(engine, deploy):
    first, second = two_requests_the_first_claimed_by_claire(engine, deploy)
    assert [t.id for t in open_tasks(engine, CLERK, scope="claimable")] == [second.id]
    assert open_tasks(engine, ADMIN, scope="all", lane="Director") == []
    assert len(open_tasks(engine, ADMIN, scope="all", lane="Clerk")) == 2
