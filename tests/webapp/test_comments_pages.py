"""The comment thread on the instance and task pages (Markdown without raw HTML), posting to it,
and the notification settings page under /account."""
from __future__ import annotations

import pytest

from tests.engine.helpers import CLERK


@pytest.fixture
def instance(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    with engine.unit_of_work() as uow:
        started = uow.runtime.start("approval", actor=CLERK)
        uow.commit()
    return started


def test_a_comment_posted_on_the_task_page_shows_on_both_pages_as_safe_markdown(browser_as, instance):
    claire = browser_as("claire")
    task_page = f"/tasks/{instance.open_tasks[0].id}"
    body = "Please **check** `totals`, @diane, see [the budget](https://example.org/b) <script>alert(1)</script> " \
           "[bad](javascript:alert(1))"
    answer = claire.post(f"/instances/{instance.id}/comments",
                         {"body": body, "task_id": instance.open_tasks[0].id, "next": task_page})
    assert answer.status_code == 302 and answer.headers["Location"] == task_page + "#comments"
    for page in (task_page, f"/instances/{instance.id}"):
        html = claire.get(page).get_data(as_text=True)
        assert "<strong>check</strong>" in html and "<code>totals</code>" in html
        assert '<span class="mention">@diane</span>' in html
        assert '<a href="https://example.org/b" rel="nofollow noopener noreferrer">the budget</a>' in html
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert 'href="javascript' not in html and "Claire" in html


def test_an_empty_comment_comes_back_with_a_message_and_a_long_one_keeps_its_text(browser_as, instance):
    diane = browser_as("diane")
    page = f"/instances/{instance.id}"
    answer = diane.post(f"{page}/comments", {"body": "x" * 10_001, "next": page})
    assert answer.status_code == 302
    html = diane.get(page).get_data(as_text=True)
    assert "The comment was not posted" in html and "at most 10,000 characters" in html
    assert "x" * 10_001 in html  # what was typed is still there
    assert "The comment was not posted" not in diane.get(page).get_data(as_text=True)  # once only


def test_someone_who_may_not_read_the_instance_cannot_comment(browser_as, instance):
    answer = browser_as("otto").post(f"/instances/{instance.id}/comments", {"body": "hello"})
    assert answer.status_code == 403


def test_the_notification_settings_page_saves_and_refuses_a_bad_address(browser_as):
    diane = browser_as("diane")
    assert diane.get("/account").headers["Location"] == "/account/notifications"
    page = diane.get("/account/notifications").get_data(as_text=True)
    assert 'value="each" checked' in page and 'name="mentions" checked' in page
    saved = diane.post("/account/notifications", {"email": "diane@example.org", "task_ready": "daily_digest",
                                                  "mentions": "on"})
    assert saved.status_code == 302
    page = diane.get("/account/notifications").get_data(as_text=True)
    assert 'value="diane@example.org"' in page and 'value="daily_digest" checked' in page
    assert 'name="overdue" checked' not in page and 'name="mentions" checked' in page
    refused = diane.post("/account/notifications", {"email": "not an address", "task_ready": "each"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "The settings were not saved" in text and 'value="not an address"' in text
    assert 'value="diane@example.org"' in diane.get("/account/notifications").get_data(as_text=True)



def test_the_bureau_decision_page_shows_the_thread_too(browser_as, engine, instance):
    from tests.engine.helpers import complete
    result = complete(engine, instance.open_tasks[0].id, CLERK, {"title": "Chairs", "amount": 5})
    review = result.process_instance.open_tasks[0]
    diane = browser_as("diane")
    diane.post(f"/instances/{instance.id}/comments", {"body": "Within _budget_?", "task_id": review.id})
    html = diane.get(f"/bureau/decisions/{review.id}").get_data(as_text=True)
    assert 'id="comments"' in html and "Within <em>budget</em>?" in html and "about this task" in html
