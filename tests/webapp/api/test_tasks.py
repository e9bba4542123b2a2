"""The task inbox over the API: listing, reading, claiming, releasing and completing tasks."""
from __future__ import annotations

import uuid

import pytest

from tests.webapp.api.client import start

REQUEST = {"title": "Interpretation booths", "amount": 1200}


def first_task(instance: dict) -> str:
    return instance["open_tasks"][0]["id"]


def test_completing_a_task_answers_the_task_and_the_advanced_instance(api_as, approval):
    answer = api_as("claire").post(f"/tasks/{first_task(approval)}/complete", {"data": REQUEST})
    assert answer.status == 200
    task, instance = answer.json["task"], answer.json["process_instance"]
    assert (task["state"], task["assignee"], task["element_id"]) == ("completed", "claire", "submit_request")
    assert instance["data"] == REQUEST
    [review] = instance["open_tasks"]
    assert (review["element_id"], review["lane"]) == ("review_request", "Director")
    assert "Interpretation booths" in review["instructions"] and review["data"]["amount"] == 1200
    done = api_as("diane").post(f"/tasks/{review['id']}/complete", {"data": {"approved": True}}).json
    assert done["process_instance"]["state"] == "completed"
    assert done["process_instance"]["data"]["outcome"] == "approved"
    assert done["process_instance"]["ended_at"] is not None


def test_completing_twice_is_409_with_the_task_state(api_as, approval):
    claire, task_id = api_as("claire"), first_task(approval)
    assert claire.post(f"/tasks/{task_id}/complete", {"data": REQUEST}).status == 200
    again = claire.post(f"/tasks/{task_id}/complete", {"data": REQUEST})
    assert again.status == 409 and again.json["state"] == "completed"
    assert api_as("claire").get(f"/tasks/{task_id}").json["state"] == "completed"


def test_invalid_form_data_is_422_with_one_error_per_field_and_changes_nothing(api_as, approval):
    claire, task_id = api_as("claire"), first_task(approval)
    answer = claire.post(f"/tasks/{task_id}/complete", {"data": {"amount": -5, "justification": 3}})
    assert answer.status == 422
    assert sorted(e["field"] for e in answer.json["errors"]) == ["amount", "justification", "title"]
    assert all(e["message"] for e in answer.json["errors"])
    assert claire.get(f"/tasks/{task_id}").json["state"] == "open"
    assert claire.post(f"/tasks/{task_id}/complete", {"data": "not an object"}).status == 422
    assert claire.call("POST", f"/tasks/{task_id}/complete", raw=b"{oops").status == 422


def test_only_candidates_or_the_assignee_complete(api_as, approval):
    task_id = first_task(approval)
    assert api_as("diane").post(f"/tasks/{task_id}/complete", {"data": REQUEST}).status == 403
    assert api_as("claire").post(f"/tasks/{task_id}/claim").json["assignee"] == "claire"
    assert api_as("colin").post(f"/tasks/{task_id}/complete", {"data": REQUEST}).status == 403
    assert api_as("claire").post(f"/tasks/{task_id}/complete", {"data": REQUEST}).status == 200


def test_claim_and_unclaim(api_as, approval):
    task_id = first_task(approval)
    claire, colin = api_as("claire"), api_as("colin")
    claimed = claire.post(f"/tasks/{task_id}/claim")
    assert claimed.status == 200 and claimed.json["assignee"] == "claire"
    assert claire.post(f"/tasks/{task_id}/claim").status == 200  # claiming one's own task again changes nothing
    taken = colin.post(f"/tasks/{task_id}/claim")
    assert taken.status == 409 and taken.json["state"] == "open"
    assert colin.post(f"/tasks/{task_id}/unclaim").status == 403
    assert api_as("diane").post(f"/tasks/{task_id}/claim").status in (403, 409)
    released = claire.post(f"/tasks/{task_id}/unclaim")
    assert released.status == 200 and released.json["assignee"] is None
    assert colin.post(f"/tasks/{task_id}/claim").json["assignee"] == "colin"
    assert api_as("ada").post(f"/tasks/{task_id}/unclaim").json["assignee"] is None


def test_a_closed_task_cannot_be_claimed(api_as, approval):
    task_id = first_task(approval)
    api_as("claire").post(f"/tasks/{task_id}/complete", {"data": REQUEST})
    answer = api_as("colin").post(f"/tasks/{task_id}/claim")
    assert answer.status == 409 and answer.json["state"] == "completed"


def test_a_task_of_another_role_is_403_and_unknown_ids_404(api_as, approval):
    task_id = first_task(approval)
    assert api_as("otto").get(f"/tasks/{task_id}").status == 403
    assert api_as("mara").get(f"/tasks/{task_id}").status == 200  # managers see every task
    for missing in (str(uuid.uuid4()), "not-a-task", "12"):
        assert api_as("claire").get(f"/tasks/{missing}").status == 404
        for action in ("claim", "unclaim", "complete"):
            assert api_as("claire").post(f"/tasks/{missing}/{action}", {"data": {}}).status == 404


def test_the_inbox_lists_by_scope_state_and_instance_with_pages(api_as, deployed, clock):
    claire, colin = api_as("claire"), api_as("colin")
    instances = []
    for _ in range(3):
        instances.append(start(claire, "approval"))
        clock.advance(minutes=1)
    claire.post(f"/tasks/{first_task(instances[0])}/claim")
    candidate = colin.get("/tasks").json
    assert candidate["total"] == 2 and {t["process_instance_id"] for t in candidate["items"]} == \
        {instances[1]["id"], instances[2]["id"]}
    mine = claire.get("/tasks?scope=mine").json["items"]
    assert [t["process_instance_id"] for t in mine] == [instances[0]["id"]]
    page = claire.get("/tasks?scope=candidate&per_page=2&page=2").json
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (3, 2, 2, 1)
    oldest_first = [t["id"] for t in claire.get("/tasks?per_page=100").json["items"]]
    assert oldest_first == [first_task(i) for i in instances]
    assert api_as("diane").get("/tasks").json["total"] == 0
    assert api_as("ada").get("/tasks?scope=all").json["total"] == 3
    one = claire.get(f"/tasks?process_instance_id={instances[2]['id']}").json
    assert [t["id"] for t in one["items"]] == [first_task(instances[2])]
    claire.post(f"/tasks/{first_task(instances[1])}/complete", {"data": REQUEST})
    completed = claire.get("/tasks?state=completed&scope=mine").json
    assert [t["id"] for t in completed["items"]] == [first_task(instances[1])]
    assert claire.get("/tasks?process_key=approval").json["total"] == 2


@pytest.mark.parametrize("query, field", [
    ("scope=everything", "scope"), ("state=done", "state"), ("process_instance_id=abc", "process_instance_id"),
    ("per_page=500", "per_page"), ("page=0", "page"),
])
def test_bad_inbox_parameters_are_422(api_as, query, field):
    answer = api_as("claire").get(f"/tasks?{query}")
    assert answer.status == 422 and [e["field"] for e in answer.json["errors"]] == [field]
