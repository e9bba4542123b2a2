"""Starting a process: the list of what I may start, the start page with a business key, and
going straight to my first task (the "start form") or to a confirmation."""
from __future__ import annotations

import re

import pytest

from tests.engine.helpers import get


@pytest.fixture
def processes(deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "multi_instance.bpmn",
           "translation.schema.json", "timer_date.bpmn", "note.schema.json")


def started_instance_id(html: str) -> int:
    return int(re.search(r"Started instance #(\d+)", html).group(1))


def test_i_see_the_processes_i_may_start_with_name_key_and_version(processes, browser_as):
    html = browser_as("claire").get("/processes").get_data(as_text=True)
    assert '<th scope="row">Approval of a request</th>' in html and "<code>approval</code>" in html
    assert 'href="/processes/approval/start"' in html and "<td>1</td>" in html
    assert "timer_date" in html and "multi_instance" not in html
    translator = browser_as("otto").get("/processes").get_data(as_text=True)
    assert "multi_instance" in translator and "approval" not in translator


def test_an_administrator_may_start_every_process(processes, browser_as):
    html = browser_as("ada").get("/processes").get_data(as_text=True)
    assert all(f"<code>{key}</code>" in html for key in ("approval", "multi_instance", "timer_date"))


def test_the_start_page_asks_for_an_optional_business_key(processes, browser_as):
    html = browser_as("claire").get("/processes/approval/start").get_data(as_text=True)
    assert "<h1>Start “Approval of a request”</h1>" in html
    assert '<label for="business_key">Business key <span class="muted">(optional)</span></label>' in html
    assert 'aria-describedby="business_key-help"' in html and 'action="/processes/approval/start"' in html


def test_starting_goes_straight_to_my_first_task(engine, processes, browser_as):
    claire = browser_as("claire")
    answer = claire.post("/processes/approval/start", {"business_key": "ASP/2027/<1>"})
    assert answer.status_code == 302
    instance = get(engine, 1)
    assert instance.business_key == "ASP/2027/<1>" and instance.started_by == "claire"
    assert answer.headers["Location"] == f"/tasks/{instance.open_tasks[0].id}"
    page = claire.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Started instance #1 (ASP/2027/&lt;1&gt;)" in page and "<h1>Submit request</h1>" in page
    assert "#1 · ASP/2027/&lt;1&gt;" in page


def test_starting_without_a_task_for_me_confirms_with_the_instance_id(engine, processes, browser_as):
    claire = browser_as("claire")
    answer = claire.post("/processes/timer_date/start", {"business_key": ""})
    assert answer.status_code == 302 and answer.headers["Location"] == "/processes"
    html = claire.get("/processes").get_data(as_text=True)
    instance_id = started_instance_id(html)
    assert "Nothing in it awaits you now." in html
    assert get(engine, instance_id).state == "running" and get(engine, instance_id).business_key is None


def test_a_process_i_may_not_start_is_refused(engine, processes, browser_as):
    translator = browser_as("otto")
    assert translator.get("/processes/approval/start").status_code == 403
    assert translator.post("/processes/approval/start", {"business_key": ""}).status_code == 403
    with engine.unit_of_work() as uow:
        assert uow.runtime.list().total == 0


def test_an_unknown_process_is_not_found(processes, browser_as):
    assert browser_as("claire").get("/processes/nothing/start").status_code == 404


def test_a_too_long_business_key_is_refused_and_kept(engine, processes, browser_as):
    answer = browser_as("claire").post("/processes/approval/start", {"business_key": "x" * 300})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "At most 255 characters." in html and 'value="' + "x" * 300 in html
    assert 'aria-invalid="true"' in html


def test_starting_without_a_csrf_token_is_refused(engine, processes, browser_as):
    answer = browser_as("claire").client.post("/processes/approval/start", data={"business_key": ""})
    assert answer.status_code == 400
    with engine.unit_of_work() as uow:
        assert uow.runtime.list().total == 0
