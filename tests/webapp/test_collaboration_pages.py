"""Working together on the pages (issue 12): giving a task to someone, setting it aside,
attaching files, a form's file field, typed values kept after a 409, the inbox's search
and saved tabs."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from engine import Actor
from tests.engine.helpers import CLERK, start
from tests.webapp.attachment_process import deploy_signed_letter

PDF = b"%PDF-1.4\n% a signed letter\n%%EOF\n"


@pytest.fixture
def approval(deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")


def _history(engine, instance_id: int) -> list:
    with engine.unit_of_work() as uow:
        return uow.history.for_instance(instance_id)


def test_an_administrator_gives_a_task_to_a_holder_of_its_lane_from_the_task_page(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    admin = browser_as("ada")
    page = admin.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'id="assign-people"' in page and '<option value="colin">Colin</option>' in page
    assert '<option value="diane">' not in page  # only holders of the lane's role are offered
    done = admin.post(f"/tasks/{task.id}/assign", {"username": "colin", "reason": "Claire is away"},
                      follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "is now in the hands of Colin" in text and "<dt>Assignee</dt><dd>Colin</dd>" in text
    [moved] = [e for e in _history(engine, task.process_instance_id) if e.event == "task_assigned"]
    assert moved.data["reason"] == "Claire is away"
    timeline = admin.get(f"/instances/{task.process_instance_id}").get_data(as_text=True)
    assert "Task assigned" in timeline and "<dt>Assigned to</dt><dd><span class=\"data-text\">Colin</span>" in timeline
    refused = admin.post(f"/tasks/{task.id}/assign", {"username": "diane"}, follow_redirects=True)
    assert "Nothing was changed" in refused.get_data(as_text=True)


def test_the_claimant_delegates_and_others_see_no_form(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    claire = browser_as("claire")
    assert 'id="assign-heading"' not in claire.get(f"/tasks/{task.id}").get_data(as_text=True)
    claire.post(f"/tasks/{task.id}/claim")
    assert "Delegate this task" in claire.get(f"/tasks/{task.id}").get_data(as_text=True)
    claire.post(f"/tasks/{task.id}/assign", {"username": "colin"})
    assert [e.event for e in _history(engine, task.process_instance_id)][-1] == "task_delegated"
    assert browser_as("colin").post(f"/tasks/{task.id}/assign", {"username": "claire"}).status_code == 302
    assert browser_as("diane").post(f"/tasks/{task.id}/assign", {"username": "claire"}).status_code == 403


def test_a_follow_up_date_sets_the_task_aside_in_the_inbox(engine, approval, browser_as, clock):
    task = start(engine, "approval").open_tasks[0]
    claire = browser_as("claire")
    day = (clock.now() + timedelta(days=2)).date().isoformat()
    claire.post(f"/tasks/{task.id}/follow-up", {"date": day}, follow_redirects=True)
    assert "Submit request" not in claire.get("/inbox").get_data(as_text=True)
    assert "Submit request" in claire.get("/inbox?follow_up=only").get_data(as_text=True)
    bad = claire.post(f"/tasks/{task.id}/follow-up", {"date": "soon"}, follow_redirects=True)
    assert "Give the follow-up day as a date" in bad.get_data(as_text=True)
    claire.post(f"/tasks/{task.id}/follow-up", {"date": ""}, follow_redirects=True)
    assert "Submit request" in claire.get("/inbox").get_data(as_text=True)


def test_a_file_attached_on_the_task_page_is_listed_on_the_instance_page(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    claire = browser_as("claire")
    answer = claire.post(f"/instances/{task.process_instance_id}/attachments",
                         {"file": (io.BytesIO(PDF), "minutes.pdf"), "task_id": task.id, "next": f"/tasks/{task.id}"},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "“minutes.pdf” is attached." in answer.get_data(as_text=True)
    page = browser_as("diane").get(f"/instances/{task.process_instance_id}").get_data(as_text=True)
    [link] = re.findall(r'href="(/api/v1/attachments/\d+)" download>minutes.pdf<', page)
    assert browser_as("diane").get(link).get_data() == PDF
    empty = claire.post(f"/instances/{task.process_instance_id}/attachments", {"next": f"/tasks/{task.id}"},
                        content_type="multipart/form-data", follow_redirects=True)
    assert "Choose a file to attach." in empty.get_data(as_text=True)


def test_a_form_file_field_stores_the_upload_and_keeps_its_id(engine, deploy, tmp_path, browser_as):
    deploy_signed_letter(deploy, tmp_path)
    task = start(engine, "signed_letter").open_tasks[0]
    claire = browser_as("claire")
    page = claire.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'type="file" id="field-letter" name="letter"' in page or 'name="letter"' in page
    assert 'enctype="multipart/form-data"' in page
    done = claire.post(f"/tasks/{task.id}", {"subject": "Budget", "letter": (io.BytesIO(PDF), "letter.pdf")},
                       content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)
    with engine.unit_of_work() as uow:
        instance = uow.runtime.get(task.process_instance_id)
        [stored] = uow.attachments.list(instance.id, None)
    assert instance.data["letter"] == str(stored.id) and stored.filename == "letter.pdf"


def test_a_form_file_field_refuses_a_file_of_another_case(engine, deploy, tmp_path, browser_as):
    deploy_signed_letter(deploy, tmp_path)
    first, second = start(engine, "signed_letter"), start(engine, "signed_letter")
    with engine.unit_of_work() as uow:
        other = uow.attachments.add(second.id, CLERK, "x.pdf", PDF)
        uow.commit()
    claire = browser_as("claire")
    answer = claire.post(f"/tasks/{first.open_tasks[0].id}", {"subject": "Budget", "letter": str(other.id)})
    assert answer.status_code == 422
    assert "no file" in answer.get_data(as_text=True) and 'value="Budget"' in answer.get_data(as_text=True)


def test_after_a_409_the_typed_values_are_kept(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    with engine.unit_of_work() as uow:
        uow.runtime.suspend(task.process_instance_id, Actor("ada", frozenset({"admin"})))
        uow.commit()
    answer = browser_as("claire").post(f"/tasks/{task.id}", {"title": "Interpretation booths", "amount": "1200"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "Your answer was not saved" in text
    assert "What you typed, to keep:" in text and "Interpretation booths" in text and "1200" in text


def test_the_inbox_searches_and_keeps_saved_filters_as_tabs(engine, approval, browser_as):
    booths = start(engine, "approval", data={"title": "Interpretation booths"}, business_key="ICC-ASP/23/7")
    start(engine, "approval", data={"title": "Printing"})
    claire = browser_as("claire")
    found = claire.get("/inbox?q=booths").get_data(as_text=True)
    assert found.count('href="/instances/') == 1 and f'href="/instances/{booths.id}"' in found
    claire.post("/inbox/saved-filters", {"name": "Booths", "q": "booths", "process_key": "", "scope": "candidate"},
                follow_redirects=True)
    inbox = claire.get("/inbox").get_data(as_text=True)
    assert re.search(r'>Booths <span class="count">\(1\)</span></a>', inbox)
    tab = claire.get("/inbox?q=booths&show=all").get_data(as_text=True)
    assert "Delete this tab" in tab
    claire.post("/inbox/saved-filters", {"name": "Set aside", "follow_up": "only", "scope": "mine"},
                follow_redirects=True)
    aside = claire.get("/inbox?follow_up=only&show=mine").get_data(as_text=True)
    assert re.search(r'aria-current="page">Set aside <span class="count">\(0\)</span>', aside)
    claire.post("/inbox/saved-filters", {"name": "Default", "follow_up": "hide", "lane": "Clerk"},
                follow_redirects=True)
    assert re.search(r'aria-current="page">Default <span', claire.get("/inbox?lane=Clerk").get_data(as_text=True))
    refused = claire.post("/inbox/saved-filters", {"name": "Booths", "q": "x"}, follow_redirects=True)
    assert "The filter was not saved" in refused.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_with_a_message_on_the_page(engine, approval, app, tmp_path):
    from tests.webapp.conftest import Browser
    from webapp import create_app
    limited = create_app({"TESTING": True, "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False,
                          "ATTACHMENT_MAX_BYTES": 64}, engine=engine)
    limited.instance_path = str(tmp_path)
    task = start(engine, "approval").open_tasks[0]
    browser = Browser(limited.test_client())
    browser.login("claire")
    try:
        answer = browser.post(f"/instances/{task.process_instance_id}/attachments",
                              {"file": (io.BytesIO(b"x" * 65), "big.txt"), "next": f"/tasks/{task.id}"},
                              content_type="multipart/form-data", follow_redirects=True)
        assert "The file was not attached" in answer.get_data(as_text=True)
        with engine.unit_of_work() as uow:
            assert uow.attachments.list(task.process_instance_id, None) == []
    finally:
        engine.context.attachments = type(engine.context.attachments)()
