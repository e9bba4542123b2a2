"""GET /dashboard and the heatmaps of instances and processes, over the API (answers checked
against the OpenAPI document by the client)."""
from __future__ import annotations

import pytest

from tests.engine.helpers import CLERK, DIRECTOR, complete, start
from tests.webapp.dashboard_activity import counted_in_database, make_activity


@pytest.fixture
def activity(engine, clock, deploy, app):
    make_activity(engine, clock, deploy)
    return counted_in_database(engine, clock.now())


def test_the_api_gives_the_counts_of_the_database(activity, api_as):
    body = api_as("ada").get("/dashboard").json
    assert {lane["lane"]: lane["by_age"] for lane in body["open_tasks_by_lane"]} == activity["open"]
    assert {o["process_key"]: o["count"] for o in body["overdue_tasks_by_process"]} == activity["overdue"]
    assert [(w["week_starts"], w["started"], w["completed"]) for w in body["instances_per_week"]] == activity["weeks"]
    assert body["overdue_tasks_by_process"][0]["process_name"] == "Prepare within 48 hours"


@pytest.mark.parametrize("username", ["claire", "diane"])
def test_the_dashboard_is_refused_to_staff(app, api_as, username):
    answer = api_as(username).get("/dashboard")
    assert answer.status == 403 and answer.headers["Content-Type"] == "application/problem+json"


@pytest.fixture
def approvals(engine, deploy, app):
    """Three approval requests: one waiting to be submitted, one waiting for review, one approved."""
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    waiting = start(engine, "approval")
    reviewing = start(engine, "approval")
    complete(engine, reviewing.open_tasks[0].id, CLERK, {"title": "Desks", "amount": 2})
    done = start(engine, "approval")
    review = complete(engine, done.open_tasks[0].id, CLERK, {"title": "Chairs", "amount": 5}).process_instance
    complete(engine, review.open_tasks[0].id, DIRECTOR, {"approved": True, "comment": ""})
    return waiting.id, reviewing.id, done.id


def test_an_instance_heatmap_counts_its_tokens_per_element(approvals, api_as):
    waiting, reviewing, done = approvals
    assert api_as("claire").get(f"/process-instances/{waiting}/heatmap").json == {
        "start": {"open": 0, "completed": 1}, "submit_request": {"open": 1, "completed": 0}}
    heat = api_as("claire").get(f"/process-instances/{done}/heatmap").json
    assert heat["review_request"] == {"open": 0, "completed": 1} and heat["end_approved"] == {"open": 0, "completed": 1}
    assert "end_rejected" not in heat


def test_a_process_heatmap_sums_the_instances(approvals, api_as):
    heat = api_as("mara").get("/process-definitions/approval/heatmap").json
    assert heat["start"] == {"open": 0, "completed": 3}
    assert heat["submit_request"] == {"open": 1, "completed": 2}
    assert heat["review_request"] == {"open": 1, "completed": 1}
    assert heat["end_approved"] == {"open": 0, "completed": 1}
    assert api_as("mara").get("/process-definitions/approval/heatmap?version=1").json == heat


def test_heatmaps_follow_the_reading_rules(approvals, api_as):
    waiting, _, _ = approvals
    answer = api_as("otto").get(f"/process-instances/{waiting}/heatmap")  # a Translator: not his process
    assert answer.status == 403
    assert api_as("otto").get("/process-definitions/approval/heatmap").json == {}  # none of them his to read
    assert api_as("otto").get("/process-instances/999999/heatmap").status == 404
    assert api_as("mara").get("/process-definitions/nothing/heatmap").status == 404
    assert api_as("mara").get("/process-definitions/approval/heatmap?version=7").status == 404
    assert api_as("mara").get("/process-definitions/approval/heatmap?version=x").status == 422
    assert api_as(None).get(f"/process-instances/{waiting}/heatmap").status == 401
