"""Comments over the API (GET/POST /process-instances/{id}/comments) and each caller's
notification preferences (GET/PUT /me/notifications), every answer checked against the OpenAPI document."""
from __future__ import annotations

from tests.webapp.api.client import start


def test_readers_comment_and_read_the_thread_oldest_first(api_as, approval):
    path = f"/process-instances/{approval['id']}/comments"
    task_id = approval["open_tasks"][0]["id"]
    first = api_as("claire").post(path, {"body": "Draft is *ready*."})
    assert first.status == 201 and first.headers["Location"].endswith(path)
    assert set(first.json) == {"id", "author", "at", "body", "task_id"}
    second = api_as("diane").post(path, {"body": "Thanks @claire", "task_id": task_id})
    assert second.status == 201, second
    thread = api_as("diane").get(path)
    assert thread.status == 200
    assert [(c["author"], c["body"], c["task_id"]) for c in thread.json] == [
        ("claire", "Draft is *ready*.", None), ("diane", "Thanks @claire", task_id)]


def test_someone_who_may_not_read_the_instance_may_not_comment_or_read(api_as, approval):
    path = f"/process-instances/{approval['id']}/comments"
    assert api_as("otto").get(path).status == 403
    assert api_as("otto").post(path, {"body": "hello"}).status == 403
    assert api_as("claire").get(path).json == []


def test_an_unknown_instance_is_404(api_as, deployed):
    assert api_as("ada").get("/process-instances/999999/comments").status == 404
    assert api_as("ada").post("/process-instances/999999/comments", {"body": "x"}).status == 404
    assert api_as("ada").get("/process-instances/abc/comments").status == 404


def test_bad_comments_are_refused_with_the_field_and_nothing_is_kept(api_as, approval, deployed):
    other = start(api_as("claire"), "approval")
    path = f"/process-instances/{approval['id']}/comments"
    claire = api_as("claire")
    for body, field in (({"body": "   "}, "body"), ({"body": "x" * 10_001}, "body"), ({"body": 42}, "body"),
                        ({}, "body"), ({"body": "x", "task_id": other["open_tasks"][0]["id"]}, "task_id"),
                        ({"body": "x", "task_id": "not-a-task"}, "task_id"), ({"body": "x", "color": 1}, "color")):
        answer = claire.post(path, body)
        assert answer.status == 422, (body, answer)
        assert [e["field"] for e in answer.json["errors"]] == [field], answer
    assert claire.post(path, raw="[1]", headers={"Content-Type": "application/json"}).status == 422
    assert claire.get(path).json == []


def test_each_caller_reads_and_changes_their_notification_preferences(api_as):
    diane = api_as("diane")
    assert diane.get("/me/notifications").json == {"email": None, "task_ready": "each", "mentions": True,
                                                   "overdue": True, "instance_ended": True}
    changed = diane.call("PUT", "/me/notifications", json={"task_ready": "daily_digest", "overdue": False,
                                                           "email": "diane@example.org"})
    assert changed.status == 200
    assert changed.json == {"email": "diane@example.org", "task_ready": "daily_digest", "mentions": True,
                            "overdue": False, "instance_ended": True}
    assert api_as("claire").get("/me/notifications").json["task_ready"] == "each"  # one's own only
    assert diane.get("/me/notifications").json == changed.json


def test_invalid_preferences_are_refused_and_nothing_changes(api_as):
    diane = api_as("diane")
    answer = diane.call("PUT", "/me/notifications", json={"task_ready": "weekly", "mentions": "yes",
                                                          "email": "not an address"})
    assert answer.status == 422
    assert sorted(e["field"] for e in answer.json["errors"]) == ["email", "mentions", "task_ready"]
    assert diane.get("/me/notifications").json["task_ready"] == "each"
    assert api_as(None).get("/me/notifications").status == 401


def test_a_browser_session_changes_preferences_only_with_its_csrf_token(session_api):
    assert session_api("diane", csrf=False).call("PUT", "/me/notifications", json={"overdue": False}).status == 403
    assert session_api("diane").call("PUT", "/me/notifications", json={"overdue": False}).status == 200
