"""The instance pages in a real browser: signing in, the highlighted diagram, firing a timer."""
from __future__ import annotations

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.engine.helpers import CLERK

APPROVAL = ("approval.bpmn", "request.schema.json", "review.schema.json")


def start(engine, key, business_key=None, **data):
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start(key, actor=CLERK, data=data, business_key=business_key)
        uow.commit()
    return instance


def submitted_approval(engine):
    """Claire has submitted her request: the Director's review is next."""
    instance = start(engine, "approval", business_key="REQ-2026-014")
    with engine.unit_of_work() as uow:
        uow.tasks.complete(instance.open_tasks[0].id, CLERK,
                           {"title": "Interpretation booths", "amount": 1800, "justification": "Plenary, 6 languages"})
        uow.commit()
    return instance


def marked(page, marker: str) -> list[str]:
    return page.eval_on_selector_all(f".djs-element.{marker}", "nodes => nodes.map(n => n.dataset.elementId)")


def test_a_person_signs_in_through_the_log_in_page_and_finds_the_instances(page, deploy, engine):
    deploy(*APPROVAL)
    instance = start(engine, "approval", business_key="REQ-1")
    sign_in(page, "claire")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Instances").click()
    page.get_by_role("heading", name="Process instances").wait_for()
    page.get_by_label("Started by me").check()
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=f"Instance {instance.id}").click()
    page.get_by_role("heading", name=f"Instance {instance.id} · approval").wait_for()
    assert "REQ-1" in page.text_content(".summary")


def test_the_instance_page_draws_the_diagram_with_completed_and_active_elements(page, deploy, engine):
    deploy(*APPROVAL)
    instance = submitted_approval(engine)
    sign_in(page, "mara")
    page.goto(f"/instances/{instance.id}")
    page.wait_for_selector("[data-instance-diagram][data-diagram-state=ready]")
    assert page.locator(".instance-diagram svg").count() >= 1
    assert set(marked(page, "instance-completed")) == {"start", "submit_request"}
    assert marked(page, "instance-active") == ["review_request"]
    fill = page.eval_on_selector('.djs-element.instance-active .djs-visual > :first-child',
                                 "node => getComputedStyle(node).fill")
    assert fill == "rgb(221, 244, 255)", "the marker's CSS applies"
    assert page.problems == [], "no script error and no CSP violation on the page"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "instance-diagram.png"), full_page=True)


def test_an_administrator_fires_a_waiting_timer_from_the_instance_page(page, deploy, engine):
    deploy("timer_interrupting.bpmn", "note.schema.json")
    instance = start(engine, "timer_interrupting")
    sign_in(page, "ada")
    page.goto(f"/instances/{instance.id}")
    page.get_by_role("heading", name="Waiting timers").wait_for()
    page.get_by_role("button", name="Fire the timer 48 hours now").click()
    page.get_by_text("The timer fired;").wait_for()
    assert page.text_content("h1 .badge") == "Completed"
    assert "Timer fired by hand" in page.text_content(".timeline")
    assert page.get_by_role("heading", name="Waiting timers").count() == 0
    with engine.unit_of_work() as uow:
        assert uow.runtime.get(instance.id).data == {"escalated": True}


def test_the_element_a_failed_instance_stopped_on_is_marked_in_the_diagram(page, deploy, engine):
    deploy("script_error.bpmn", "note.schema.json")
    instance = start(engine, "script_error", divisor=0)
    sign_in(page, "claire")
    page.goto(f"/instances/{instance.id}")
    page.wait_for_selector("[data-instance-diagram][data-diagram-state=ready]")
    assert marked(page, "instance-failed") == ["divide"]
    assert marked(page, "instance-completed") == ["start"] and marked(page, "instance-active") == []
