"""The inbox: my tasks and those I may claim, with counts, sorting, filtering, overdue marks,
pages, and claiming or releasing from the list."""
from __future__ import annotations

import re

import pytest

from tests.engine.helpers import CLERK, start

TASK_ROW = re.compile(r'<tr class="(?P<class>[^"]*)">\s*<th scope="row"><a href="(?P<href>[^"]+)">(?P<name>[^<]+)</a>')


def rows(html: str) -> list[dict]:
    return [m.groupdict() for m in TASK_ROW.finditer(html)]


def counts(html: str) -> tuple[int, int]:
    assigned = re.search(r"<strong>(\d+)</strong> assigned to you", html).group(1)
    claimable = re.search(r"<strong>(\d+)</strong> open to claim", html).group(1)
    return int(assigned), int(claimable)


def claim(engine, task_id, actor=CLERK):
    with engine.unit_of_work() as uow:
        uow.tasks.claim(task_id, actor)
        uow.commit()


@pytest.mark.parametrize("path", ["/inbox", "/tasks/some-task", "/bureau", "/processes", "/processes/approval/start"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    answer = client.get(path)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_home_page_is_the_inbox(browser_as):
    answer = browser_as("claire").get("/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/inbox")


def test_the_inbox_counts_my_tasks_and_those_i_may_claim(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instances = [start(engine, "approval") for _ in range(3)]
    claim(engine, instances[0].open_tasks[0].id)
    html = browser_as("claire").get("/inbox").get_data(as_text=True)
    assert counts(html) == (1, 2) and len(rows(html)) == 3
    assert '<td data-label="Assignee">You</td>' in html and html.count("Unassigned") == 2
    colin = browser_as("colin").get("/inbox").get_data(as_text=True)
    assert counts(colin) == (0, 2) and len(rows(colin)) == 2
    mine_only = browser_as("claire").get("/inbox?show=mine").get_data(as_text=True)
    assert counts(mine_only) == (1, 2) and len(rows(mine_only)) == 1
    director = browser_as("diane").get("/inbox").get_data(as_text=True)
    assert counts(director) == (0, 0) and "Nothing awaits you" in director


def test_the_inbox_shows_what_each_task_is(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    html = browser_as("claire").get("/inbox").get_data(as_text=True)
    task = instance.open_tasks[0]
    assert rows(html)[0]["name"] == "Submit request" and rows(html)[0]["href"] == f"/tasks/{task.id}"
    assert "Approval of a request" in html and f"#{instance.id}" in html
    assert '<time datetime="2027-01-04T09:00:00+00:00">04 Jan 2027, 09:00 UTC</time>' in html
    assert "No due date" in html


def test_claiming_and_releasing_from_the_inbox(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    task = start(engine, "approval").open_tasks[0]
    claire = browser_as("claire")
    answer = claire.post(f"/tasks/{task.id}/claim", {"next": "/inbox?order=due"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/inbox?order=due"
    html = claire.get("/inbox").get_data(as_text=True)
    assert counts(html) == (1, 0) and f'action="/tasks/{task.id}/release"' in html
    assert "You have claimed" in html
    assert browser_as("colin").post(f"/tasks/{task.id}/claim", {"next": "/inbox"}).status_code == 409
    claire.post(f"/tasks/{task.id}/release", {"next": "/inbox"})
    assert counts(claire.get("/inbox").get_data(as_text=True)) == (0, 1)


def test_claiming_never_redirects_to_another_site(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    task = start(engine, "approval").open_tasks[0]
    answer = browser_as("claire").post(f"/tasks/{task.id}/claim", {"next": "//evil.example/"})
    assert answer.headers["Location"] == f"/tasks/{task.id}"


def test_a_claim_without_csrf_token_is_refused(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    task = start(engine, "approval").open_tasks[0]
    answer = browser_as("claire").client.post(f"/tasks/{task.id}/claim", data={"next": "/inbox"})
    assert answer.status_code == 400


def test_the_inbox_sorts_by_age_or_by_due_date(engine, deploy, browser_as, clock):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "timer_interrupting.bpmn",
           "note.schema.json")
    start(engine, "approval")
    clock.advance(hours=1)
    start(engine, "timer_interrupting")
    claire = browser_as("claire")
    by_age = [r["name"] for r in rows(claire.get("/inbox?order=created").get_data(as_text=True))]
    by_due = [r["name"] for r in rows(claire.get("/inbox?order=due").get_data(as_text=True))]
    assert by_age == ["Submit request", "Prepare"] and by_due == ["Prepare", "Submit request"]
    assert '<time datetime="2027-01-06T10:00:00+00:00">' in claire.get("/inbox").get_data(as_text=True)


def test_the_inbox_filters_by_process(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "timer_interrupting.bpmn",
           "note.schema.json")
    start(engine, "approval")
    start(engine, "timer_interrupting")
    html = browser_as("claire").get("/inbox?process=timer_interrupting").get_data(as_text=True)
    assert [r["name"] for r in rows(html)] == ["Prepare"] and counts(html) == (0, 1)
    assert '<option value="timer_interrupting" selected>' in html


def test_overdue_tasks_stand_out_in_words_not_only_colour(engine, deploy, browser_as, clock):
    deploy("timer_interrupting.bpmn", "note.schema.json", "approval.bpmn", "request.schema.json",
           "review.schema.json")
    start(engine, "timer_interrupting")
    start(engine, "approval")
    claire = browser_as("claire")
    assert "Overdue" not in claire.get("/inbox").get_data(as_text=True)
    clock.advance(hours=49)
    found = {r["name"]: r["class"] for r in rows(claire.get("/inbox").get_data(as_text=True))}
    assert found == {"Prepare": "overdue", "Submit request": ""}
    html = claire.get("/inbox").get_data(as_text=True)
    assert html.count('<strong class="overdue-mark">Overdue</strong>') == 1


def test_the_inbox_comes_a_page_at_a_time(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    for _ in range(5):
        start(engine, "approval")
    claire = browser_as("claire")
    first = claire.get("/inbox?per_page=2").get_data(as_text=True)
    assert len(rows(first)) == 2 and "Page 1 of 3" in first and "5 tasks" in first
    assert 'href="/inbox?show=all&amp;order=created&amp;process=&amp;per_page=2&amp;page=2" rel="next"' in first
    last = claire.get("/inbox?per_page=2&page=3").get_data(as_text=True)
    assert len(rows(last)) == 1 and "Page 3 of 3" in last and 'rel="next"' not in last and 'rel="prev"' in last
    beyond = claire.get("/inbox?per_page=2&page=9").get_data(as_text=True)
    assert rows(beyond) == [] and "go to the first page" in beyond
    assert claire.get("/inbox?per_page=abc&page=-1").status_code == 200


def test_parallel_tasks_of_one_step_are_told_apart_by_their_instructions(engine, deploy, browser_as):
    from engine import Actor
    deploy("multi_instance.bpmn", "translation.schema.json")
    with engine.unit_of_work() as uow:
        uow.runtime.start("multi_instance", actor=Actor("ada", frozenset({"admin"})),
                          data={"languages": ["French", "<i>Spanish</i>"]}, business_key="ICC-ASP/25/7")
        uow.commit()
    page = browser_as("otto").get("/inbox").get_data(as_text=True)
    assert "Translate into French" in page and "Translate into &lt;i&gt;Spanish&lt;/i&gt;" in page
    assert "ICC-ASP/25/7" in page
