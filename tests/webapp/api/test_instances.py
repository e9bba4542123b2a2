"""Starting, listing, reading and administering process instances, and their history."""
from __future__ import annotations

import pytest

from tests.webapp.api.client import start

INSTANCE_KEYS = {"id", "process_key", "version", "business_key", "state", "data", "started_by", "started_at",
                 "ended_at", "open_tasks", "completed_elements", "active_elements"}
TASK_KEYS = {"id", "name", "element_id", "process_instance_id", "process_key", "lane", "candidate_groups",
             "assignee", "state", "created_at", "due_at", "instructions", "form", "data", "can_claim", "can_release",
             "can_complete", "can_read_data", "can_assign", "follow_up"}


def test_starting_a_process_answers_201_with_the_instance_and_its_first_task(api_as, deployed):
    answer = api_as("claire").post("/process-instances", {"process_key": "approval", "business_key": "ASP-23/1",
                                                          "data": {"origin": "Bureau"}})
    assert answer.status == 201
    instance = answer.json
    assert set(instance) == INSTANCE_KEYS
    assert answer.headers["Location"].endswith(f"/api/v1/process-instances/{instance['id']}")
    assert (instance["process_key"], instance["version"], instance["business_key"], instance["state"]) == \
        ("approval", 1, "ASP-23/1", "running")
    assert instance["data"] == {"origin": "Bureau"} and instance["started_by"] == "claire"
    assert instance["started_at"].endswith("+00:00") and instance["ended_at"] is None
    assert instance["active_elements"] == ["submit_request"] and "start" in instance["completed_elements"]
    [task] = instance["open_tasks"]
    assert set(task) == TASK_KEYS
    assert (task["element_id"], task["lane"], task["candidate_groups"], task["state"], task["assignee"]) == \
        ("submit_request", "Clerk", ["Clerk"], "open", None)
    assert task["form"]["schema"]["required"] == ["title", "amount"] and task["form"]["ui_schema"] == {}
    assert task["instructions"].startswith("## Submit a request")


@pytest.mark.parametrize("body, field", [
    ({}, "process_key"),
    ({"process_key": ""}, "process_key"),
    ({"process_key": 7}, "process_key"),
    ({"process_key": "approval", "data": [1, 2]}, "data"),
    ({"process_key": "approval", "version": "1"}, "version"),
    ({"process_key": "approval", "version": 0}, "version"),
    ({"process_key": "approval", "business_key": "x" * 256}, "business_key"),
    ({"process_key": "approval", "business_key": "nul\x00"}, "business_key"),
])
def test_a_bad_start_body_is_422_naming_the_field(api_as, deployed, body, field):
    answer = api_as("claire").post("/process-instances", body)
    assert answer.status == 422
    assert [e["field"] for e in answer.json["errors"]] == [field]


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', '{"process_key": NaN}', "", "\xff"])
def test_a_body_that_is_not_a_json_object_is_422_not_400(api_as, deployed, raw):
    answer = api_as("claire").call("POST", "/process-instances", raw=raw.encode("latin-1"),
                                   headers={"Content-Type": "application/json"})
    assert answer.status == 422 and answer.json["errors"][0]["field"] == "(body)"


def test_starting_an_unknown_process_or_version_is_404_and_a_foreign_role_403(api_as, deployed):
    assert api_as("claire").post("/process-instances", {"process_key": "nothing_like_it"}).status == 404
    assert api_as("claire").post("/process-instances", {"process_key": "approval", "version": 9}).status == 404
    assert api_as("otto").post("/process-instances", {"process_key": "approval"}).status == 403
    assert api_as("claire").get("/process-instances").json["total"] == 0


def test_instances_are_listed_newest_first_filtered_and_paginated(api_as, deployed):
    claire = api_as("claire")
    ids = [start(claire, "approval", business_key=f"B{i}")["id"] for i in range(5)]
    listed = claire.get("/process-instances?per_page=2").json
    assert (listed["total"], listed["page"], listed["per_page"]) == (5, 1, 2)
    assert [i["id"] for i in listed["items"]] == ids[::-1][:2]
    third = claire.get("/process-instances?per_page=2&page=3").json
    assert [i["id"] for i in third["items"]] == [ids[0]]
    assert claire.get("/process-instances?per_page=2&page=4").json["items"] == []
    only = claire.get("/process-instances?business_key=B3&process_key=approval&state=running").json
    assert [i["id"] for i in only["items"]] == [ids[3]] and only["total"] == 1
    assert claire.get("/process-instances?state=completed").json == {"items": [], "total": 0, "page": 1,
                                                                   "per_page": 20}


@pytest.mark.parametrize("query, field", [
    ("state=finished", "state"), ("page=0", "page"), ("page=-1", "page"), ("page=two", "page"),
    ("per_page=101", "per_page"), ("per_page=0", "per_page"), ("per_page=1.5", "per_page"),
])
def test_bad_list_parameters_are_422(api_as, query, field):
    answer = api_as("claire").get(f"/process-instances?{query}")
    assert answer.status == 422 and [e["field"] for e in answer.json["errors"]] == [field]


@pytest.mark.parametrize("raw_id", ["abc", "0", "-1", "1.0", "99999999999999999999", "%00", "999"])
def test_ids_that_name_no_instance_are_404(api_as, deployed, raw_id):
    api = api_as("ada")
    for suffix in ("", "/history"):
        assert api.get(f"/process-instances/{raw_id}{suffix}").status == 404
    assert api.post(f"/process-instances/{raw_id}/cancel").status == 404


def test_an_instance_is_read_by_id(api_as, approval):
    answer = api_as("diane").get(f"/process-instances/{approval['id']}")
    assert answer.status == 200 and answer.json["id"] == approval["id"] and answer.json["data"] == approval["data"]


def test_an_instance_of_other_roles_is_not_read_by_an_outsider(api_as, approval):
    """otto, a Translator, has no part in the approval process (API.md: who may read and act)."""
    for suffix in ("", "/history"):
        assert api_as("otto").get(f"/process-instances/{approval['id']}{suffix}").status == 403


def test_only_administrators_cancel_suspend_resume_and_retry(api_as, approval):
    for action in ("cancel", "suspend", "resume", "retry"):
        answer = api_as("claire").post(f"/process-instances/{approval['id']}/{action}", {})
        assert answer.status == 403, action
    assert api_as("claire").get(f"/process-instances/{approval['id']}").json["state"] == "running"


def test_an_administrator_suspends_resumes_and_cancels_with_a_reason(api_as, approval):
    ada, url = api_as("ada"), f"/process-instances/{approval['id']}"
    suspended = ada.post(f"{url}/suspend", {"reason": "budget review"})
    assert suspended.status == 200 and suspended.json["state"] == "suspended"
    again = ada.post(f"{url}/suspend")
    assert again.status == 409 and again.json["state"] == "suspended"
    assert ada.post(f"{url}/resume").json["state"] == "running"
    cancelled = ada.post(f"{url}/cancel", {"reason": "withdrawn"})
    assert cancelled.json["state"] == "cancelled" and cancelled.json["open_tasks"] == []
    assert cancelled.json["ended_at"] is not None
    late = ada.post(f"{url}/resume")
    assert late.status == 409 and late.json["state"] == "cancelled"
    events = [(e["event"], e.get("data")) for e in ada.get(f"{url}/history").json]
    assert ("suspended", {"reason": "budget review"}) in events and ("cancelled", {"reason": "withdrawn"}) in events
    assert ada.post(f"{url}/cancel", {"reason": 5}).status == 422


def test_a_failed_script_is_retried_with_corrected_data(api_as, deployed):
    broken = start(api_as("claire"), "script_error", {"divisor": 0})
    assert broken["state"] == "error"
    ada, url = api_as("ada"), f"/process-instances/{broken['id']}"
    history = ada.get(f"{url}/history").json
    error = next(e for e in history if e["event"] == "error")
    assert error["element_id"] == "divide" and "ZeroDivisionError" in error["data"]["message"]
    assert ada.post(f"{url}/retry", {"data": "five"}).status == 422
    retried = ada.post(f"{url}/retry", {"data": {"divisor": 5}})
    assert retried.status == 200 and retried.json["state"] == "running"
    assert retried.json["data"]["result"] == 2.0
    nothing_to_retry = ada.post(f"{url}/retry")
    assert nothing_to_retry.status == 409 and nothing_to_retry.json["state"] == "running"


def test_history_is_oldest_first_with_actor_and_task(api_as, approval):
    claire = api_as("claire")
    task_id = approval["open_tasks"][0]["id"]
    claire.post(f"/tasks/{task_id}/complete", {"data": {"title": "Chairs", "amount": 30}})
    history = claire.get(f"/process-instances/{approval['id']}/history").json
    events = [e["event"] for e in history]
    assert events[0] == "started" and events.index("task_ready") < events.index("task_completed")
    done = next(e for e in history if e["event"] == "task_completed")
    assert (done["actor"], done["task_id"], done["element_id"]) == ("claire", task_id, "submit_request")
    assert done["data"] == {"data": {"title": "Chairs", "amount": 30}}
    assert [e["at"] for e in history] == sorted(e["at"] for e in history)
