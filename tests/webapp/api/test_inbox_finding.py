"""Finding tasks (issue 12): text search, filters by process, lane, due and assignee,
follow-up dates that set a task aside, and saved filters with their counts."""
from __future__ import annotations

from datetime import timedelta

from tests.webapp.api.client import start


def _names(answer) -> list:
    assert answer.status == 200, answer
    return sorted((t["process_instance_id"], t["name"]) for t in answer.json["items"])


def test_text_search_finds_by_task_name_business_key_or_case_data(api_as, deployed):
    claire = api_as("claire")
    booths = start(claire, "approval", {"title": "Interpretation booths"}, business_key="ICC-ASP/23/7")
    other = start(claire, "approval", {"title": "Printing"}, business_key="ICC-ASP/23/8")
    assert _names(claire.get("/tasks?q=booths")) == [(booths["id"], "Submit request")]
    assert _names(claire.get("/tasks?q=asp/23/8")) == [(other["id"], "Submit request")]
    assert len(claire.get("/tasks?q=SUBMIT").json["items"]) == 2
    assert claire.get("/tasks?q=100%25").json["items"] == []  # % is a character, not a wildcard
    assert claire.get("/tasks?q=nothing-like-this").json["total"] == 0


def test_filters_by_lane_assignee_and_due(api_as, deployed, clock):
    claire = api_as("claire")
    first, second = start(claire, "approval"), start(claire, "approval")
    claire.post(f"/tasks/{first['open_tasks'][0]['id']}/claim")
    assert _names(api_as("ada").get("/tasks?scope=all&assignee=claire")) == [(first["id"], "Submit request")]
    assert api_as("ada").get("/tasks?scope=all&lane=Director").json["total"] == 0
    assert api_as("ada").get("/tasks?scope=all&lane=Clerk").json["total"] == 2
    assert claire.get("/tasks?due=overdue").json["total"] == 0  # these tasks have no due date
    assert claire.get("/tasks?due=someday").status == 422
    assert claire.get("/tasks?follow_up=later").status == 422
    assert second["id"]


def test_a_follow_up_date_hides_the_task_until_that_day(api_as, approval, clock):
    claire, task_id = api_as("claire"), approval["open_tasks"][0]["id"]
    day = (clock.now() + timedelta(days=3)).date().isoformat()
    answer = claire.post(f"/tasks/{task_id}/follow-up", {"date": day})
    assert answer.status == 200 and answer.json["follow_up"] == day
    assert claire.get("/tasks").json["total"] == 0
    assert [t["id"] for t in claire.get("/tasks?follow_up=only").json["items"]] == [task_id]
    assert claire.get("/tasks?follow_up=include").json["total"] == 1
    clock.advance(days=3)
    assert claire.get("/tasks").json["total"] == 1  # its day has come
    history = claire.get(f"/process-instances/{approval['id']}/history").json
    assert [e["data"] for e in history if e["event"] == "task_follow_up_set"] == [{"date": day}]
    assert claire.post(f"/tasks/{task_id}/follow-up", {"date": None}).json["follow_up"] is None


def test_follow_up_needs_a_day_and_a_right_to_work_on_the_task(api_as, approval):
    task_id = approval["open_tasks"][0]["id"]
    assert api_as("claire").post(f"/tasks/{task_id}/follow-up", {}).status == 422
    assert api_as("claire").post(f"/tasks/{task_id}/follow-up", {"date": "next week"}).status == 422
    assert api_as("claire").post(f"/tasks/{task_id}/follow-up", {"date": "2027-02-30"}).status == 422
    assert api_as("diane").post(f"/tasks/{task_id}/follow-up", {"date": "2027-02-01"}).status == 403


def test_saved_filters_are_each_users_own_tabs_with_counts(api_as, deployed):
    claire = api_as("claire")
    start(claire, "approval", {"title": "Interpretation booths"})
    start(claire, "approval", {"title": "Printing"})
    saved = claire.post("/saved-filters", {"name": "Booths", "filters": {"q": "booths", "lane": "Clerk"}})
    assert saved.status == 201
    assert saved.json == {"id": saved.json["id"], "name": "Booths", "filters": {"q": "booths", "lane": "Clerk"},
                          "count": 1}
    assert claire.post("/saved-filters", {"name": "Booths", "filters": {}}).status == 409
    bad = claire.post("/saved-filters", {"name": "Odd", "filters": {"due": "someday", "colour": "red"}})
    assert bad.status == 422 and sorted(e["field"] for e in bad.json["errors"]) == ["filters.colour", "filters.due"]
    assert claire.post("/saved-filters", {"name": " ", "filters": {}}).status == 422
    everything = claire.post("/saved-filters", {"name": "All mine", "filters": {}}).json
    assert [(f["name"], f["count"]) for f in claire.get("/saved-filters").json] == [("Booths", 1), ("All mine", 2)]
    assert api_as("colin").get("/saved-filters").json == []
    assert api_as("colin").call("DELETE", f"/saved-filters/{everything['id']}").status == 404
    assert claire.call("DELETE", f"/saved-filters/{everything['id']}").status == 204
    assert [f["name"] for f in claire.get("/saved-filters").json] == ["Booths"]
    assert claire.call("DELETE", "/saved-filters/x").status == 404
