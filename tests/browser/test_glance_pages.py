"""Pages read at a glance, in a real browser: the dashboard's numbers are the database's, the
diagrams carry token counts, and the inbox and task pages fit a 375 px phone with no sideways
scrolling (screenshots in test-artifacts/)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.engine.helpers import CLERK, complete, start
from tests.webapp.dashboard_activity import counted_in_database, make_activity

APPROVAL = ("approval.bpmn", "request.schema.json", "review.schema.json")
PHONE = {"width": 375, "height": 740}


def test_the_dashboard_shows_the_numbers_of_the_database(page, engine, clock, deploy):
    make_activity(engine, clock, deploy)
    expected = counted_in_database(engine, clock.now())
    sign_in(page, "mara")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    opened = page.eval_on_selector_all("[data-table=open-by-lane] tbody tr", """rows => Object.fromEntries(rows.map(r =>
        [r.dataset.lane, Object.fromEntries([...r.querySelectorAll('td[data-age]')]
            .filter(td => td.dataset.age !== 'total').map(td => [td.dataset.age, Number(td.textContent)]))]))""")
    assert opened == {lane or "": ages for lane, ages in expected["open"].items()}
    overdue = page.eval_on_selector_all("[data-table=overdue-by-process] tbody tr", """rows => Object.fromEntries(
        rows.map(r => [r.dataset.process, Number(r.querySelector('td').textContent)]))""")
    assert overdue == expected["overdue"]
    weeks = page.eval_on_selector_all("[data-table=weeks] tbody tr", """rows => rows.map(r =>
        [r.dataset.week, Number(r.querySelector('[data-started]').textContent),
         Number(r.querySelector('[data-completed]').textContent)])""")
    assert [tuple(w) for w in weeks] == expected["weeks"]
    assert page.locator("svg.chart").count() == 3
    assert page.problems == [], "no script error and no CSP violation on the page"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    scroll_width, viewport = fits(page)
    assert scroll_width <= viewport, f"the dashboard is {scroll_width} px wide on a 375 px screen"


def test_the_instance_diagram_counts_the_tokens_per_element(page, engine, deploy):
    deploy(*APPROVAL)
    instance = start(engine, "approval")
    complete(engine, instance.open_tasks[0].id, CLERK, {"title": "Booths", "amount": 3})
    sign_in(page, "mara")
    page.goto(f"/instances/{instance.id}")
    page.wait_for_selector("[data-instance-diagram][data-heatmap-state=ready]")
    badges = page.eval_on_selector_all("[data-heatmap-element]", """nodes => Object.fromEntries(nodes.map(n =>
        [n.dataset.heatmapElement, [n.querySelector('.heatmap-open')?.textContent || '0',
                                    n.querySelector('.heatmap-completed')?.textContent || '0']]))""")
    assert badges == {"start": ["0", "1"], "submit_request": ["0", "1"], "review_request": ["1", "0"]}
    assert page.problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-instance-diagram]").screenshot(path=str(ARTIFACTS / "instance-heatmap.png"))


def test_the_process_version_page_sums_the_tokens_of_its_instances(page, engine, deploy):
    deploy(*APPROVAL)
    for _ in range(2):
        start(engine, "approval")
    sign_in(page, "mara")
    page.goto("/modeler/processes/approval/versions/1")
    page.wait_for_selector("[data-version-diagram][data-heatmap-state=ready]")
    assert page.text_content("[data-heatmap-element=submit_request] .heatmap-open") == "2"
    assert page.problems == []


def fits(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport=PHONE, device_scale_factor=1)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_inbox_and_task_pages_fit_a_375_px_screen(phone, engine, deploy):
    deploy(*APPROVAL)
    with engine.unit_of_work() as uow:  # long business keys: they must wrap, not widen the page
        for number in range(3):
            uow.runtime.start("approval", actor=CLERK, data={},
                              business_key=f"REQ-2026-{number:03d}-INTERPRETATION-BOOTHS-FOR-THE-PLENARY-SESSION")
        uow.commit()
    sign_in(phone, "claire")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto("/inbox")
    phone.locator(".task-table").wait_for()
    scroll_width, viewport = fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "inbox-375.png"), full_page=True)
    assert scroll_width <= viewport == 375, f"the inbox is {scroll_width} px wide on a 375 px screen"
    assert phone.eval_on_selector(".task-table tbody tr", "row => getComputedStyle(row).display") == "block"
    phone.locator(".task-table tbody tr a").first.click()
    phone.locator("form.task-form").wait_for()
    scroll_width, viewport = fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "task-375.png"), full_page=True)
    assert scroll_width <= viewport, f"the task page is {scroll_width} px wide on a 375 px screen"
    header = phone.eval_on_selector(".site-header", "h => h.getBoundingClientRect().width")
    assert header <= 375


def test_a_bureau_decision_fits_two_screens_and_a_phone(page, phone, engine, deploy):
    from tests.webapp.test_bureau import MEMBERS, NAMES, REGISTRAR, SHORTLIST, WEB_FIXTURES
    from tests.webapp.conftest import PASSWORD
    with engine.unit_of_work() as uow:
        for member in MEMBERS:
            uow.identity.add_user(member, ["Bureau"], password=PASSWORD, display_name=NAMES[member])
        uow.commit()
    deploy("bureau_selection.bpmn", "shortlist.schema.json", "shortlist.uischema.json", "vote.schema.json",
           folder=WEB_FIXTURES)
    proposal = start(engine, "bureau_selection", REGISTRAR).open_tasks[0]
    votes = {t.assignee: t for t in complete(engine, proposal.id, REGISTRAR, SHORTLIST).process_instance.open_tasks}
    sign_in(page, "amina")
    page.goto(f"/bureau/decisions/{votes['amina'].id}")
    page.get_by_role("button", name="Approve").wait_for()
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= 2 * 900, f"the decision page is {height} px tall: more than two screens"
    assert not page.locator("details.matter-details").evaluate("d => d.open"), "the details are folded"
    page.get_by_text("The matter in full").click()
    page.get_by_role("cell", name="Ada Obi").wait_for()
    sign_in(phone, "bruno")
    phone.goto(f"/bureau/decisions/{votes['bruno'].id}")
    phone.get_by_role("button", name="Approve").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "decision-375.png"), full_page=True)
    scroll_width, viewport = fits(phone)
    assert scroll_width <= viewport, f"the decision page is {scroll_width} px wide on a 375 px screen"
