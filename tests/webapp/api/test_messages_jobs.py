"""Messages to waiting instances, and waiting timers that administrators fire early."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.webapp.api.client import start


def test_a_message_reaches_the_instance_whose_correlation_matches(api_as, deployed):
    claire = api_as("claire")
    waiting = [start(claire, "message_wait", {"order_id": order}) for order in ("A-1", "B-2")]
    assert all(i["open_tasks"] == [] for i in waiting)
    answer = claire.post("/messages", {"name": "payment_received", "correlation": {"order_id": "B-2"},
                                       "data": {"amount": 10}})
    assert answer.status == 202 and answer.json == {"delivered_to": [waiting[1]["id"]]}
    paid = claire.get(f"/process-instances/{waiting[1]['id']}").json
    assert paid["open_tasks"][0]["element_id"] == "confirm"
    assert paid["open_tasks"][0]["data"]["payment"] == {"order_id": "B-2", "amount": 10}
    assert claire.get(f"/process-instances/{waiting[0]['id']}").json["open_tasks"] == []


def test_a_message_nobody_waits_for_is_404(api_as, deployed):
    claire = api_as("claire")
    start(claire, "message_wait", {"order_id": "A-1"})
    assert claire.post("/messages", {"name": "payment_received", "correlation": {"order_id": "Z-9"}}).status == 404
    assert claire.post("/messages", {"name": "no_such_message"}).status == 404


def test_a_message_to_one_named_instance(api_as, deployed):
    claire = api_as("claire")
    first, second = (start(claire, "message_wait", {"order_id": "A-1"}) for _ in range(2))
    answer = claire.post("/messages", {"name": "payment_received", "process_instance_id": second["id"],
                                       "data": {"order_id": "A-1"}})
    assert answer.json == {"delivered_to": [second["id"]]}


@pytest.mark.parametrize("body, field", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": 5}, "name"),
    ({"name": "m", "correlation": "x"}, "correlation"), ({"name": "m", "data": [1]}, "data"),
    ({"name": "m", "process_instance_id": "one"}, "process_instance_id"),
])
def test_a_bad_message_is_422(api_as, body, field):
    answer = api_as("claire").post("/messages", body)
    assert answer.status == 422 and [e["field"] for e in answer.json["errors"]] == [field]


def test_waiting_timers_are_listed_and_filtered(api_as, deployed, clock):
    claire = api_as("claire")
    instance = start(claire, "timer_interrupting")
    other = start(claire, "timer_interrupting")
    jobs = claire.get("/jobs").json
    assert {j["process_instance_id"] for j in jobs} == {instance["id"], other["id"]}
    [job] = claire.get(f"/jobs?process_instance_id={instance['id']}").json
    assert job["element_id"] == "prepare_deadline"
    assert job["due_at"] == (clock.now() + timedelta(hours=48)).isoformat()
    soon = (clock.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert claire.get(f"/jobs?due_before={soon}").json == []
    later = (clock.now() + timedelta(hours=49)).replace(tzinfo=None).isoformat()
    assert len(claire.get(f"/jobs?due_before={later}").json) == 2
    assert claire.get("/jobs?due_before=tomorrow").status == 422
    assert claire.get("/jobs?process_instance_id=x").status == 422


def test_an_administrator_fires_a_timer_now(api_as, deployed):
    instance = start(api_as("claire"), "timer_interrupting")
    [job] = api_as("claire").get(f"/jobs?process_instance_id={instance['id']}").json
    assert api_as("claire").post(f"/jobs/{job['id']}/execute").status == 403
    fired = api_as("ada").post(f"/jobs/{job['id']}/execute")
    assert fired.status == 200 and fired.json["id"] == instance["id"]
    assert fired.json["state"] == "completed" and fired.json["data"] == {"escalated": True}
    assert api_as("ada").get("/jobs").json == []
    assert api_as("ada").post(f"/jobs/{job['id']}/execute").status == 404


def test_unknown_timers_are_404(api_as):
    for missing in (str(uuid.uuid4()), "nope"):
        assert api_as("ada").post(f"/jobs/{missing}/execute").status == 404
