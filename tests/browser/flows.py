"""Steps shared by the browser walks through the Secretariat's processes: the real processes
deployed as `secretariat demo` deploys them, the demo people a walk needs, and one browser
window (its own context, so its own session) per person, used as that person would: the
navigation, the inbox, the Bureau page, labels and buttons.

Nothing here sleeps: every step waits for the page or the text it expects."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `chromium` fixture then skips, or fails under CI=true, with the reason
    Page, expect = object, None

from engine.demo import DEPLOYER, demo_users
from tests.browser.conftest import PageProblems, sign_in
from tests.webapp.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 15_000  # one page of the live server on a busy 2-core machine is far below this
DEMO_PEOPLE = {user.username: user for user in demo_users()}
REFUSED_FORM = re.compile(r"responded with a status of 422\b")
if expect is not None:
    expect.set_options(timeout=WAIT_MS)  # what a page shows is awaited as long as any other step


def deploy_secretariat(engine):
    """processes/ and forms/, deployed with the engine as engine/demo.py does."""
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy_paths([ROOT / "processes", ROOT / "forms"], actor=DEPLOYER,
                                             note="browser walk")
        uow.commit()
    return result


def add_people(engine, *usernames: str) -> None:
    """Only the demo people a walk needs, with their roles (the lanes they work in)."""
    with engine.unit_of_work() as uow:
        for username in usernames:
            person = DEMO_PEOPLE[username]
            uow.identity.add_user(username, person.roles, password=PASSWORD, display_name=person.display_name)
        uow.commit()


def display_name(username: str) -> str:
    return DEMO_PEOPLE[username].display_name


class Windows:
    """One browser context per person: `windows.sign_in("registrar")` -> that person's signed-in page."""

    def __init__(self, chromium, base_url: str):
        self.chromium, self.base_url = chromium, base_url
        self.contexts: list = []
        self.pages: dict[str, Page] = {}

    def sign_in(self, username: str) -> Page:
        if username in self.pages:
            return self.pages[username]
        context = self.chromium.new_context(base_url=self.base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # the app has none (yet)
        self.contexts.append(context)
        page = context.new_page()
        page.problems = PageProblems()
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        sign_in(page, username)
        expect(page.locator(".signout .who")).to_have_text(display_name(username), timeout=WAIT_MS)
        self.pages[username] = page
        return page

    def problems(self) -> dict[str, list[str]]:
        """Console errors and script errors of every window, but the 422 of a refused form, which
        Chromium logs as a failed load although the page shown is the form with its problems."""
        found = {username: [problem for problem in page.problems if not REFUSED_FORM.search(problem)]
                 for username, page in self.pages.items()}
        return {username: problems for username, problems in found.items() if problems}

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def windows(chromium, live_server):
    opened = Windows(chromium, live_server)
    yield opened
    opened.close()


# --- seeing things -----------------------------------------------------------------------------

def see(locator, timeout: int = WAIT_MS) -> None:
    expect(locator).to_be_visible(timeout=timeout)


def see_text(page: Page, text: str | re.Pattern) -> None:
    see(page.get_by_text(text).first)


def see_heading(page: Page, name: str, level: int | None = None) -> None:
    see(page.get_by_role("heading", name=name, exact=True, level=level))


def go(page: Page, nav_label: str, heading: str) -> None:
    """Through the main navigation, as a person would."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=nav_label, exact=True).click()
    see_heading(page, heading, level=1)


def field(page_or_group, label: str):
    """The field whose label starts with `label` (labels of required fields end with "(required)")."""
    return page_or_group.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"(\s*\*?\s*\(required\))?\s*$"))


def group(page: Page, legend: str):
    """A fieldset, by its legend (a row of an array: "Candidate 2")."""
    return page.get_by_role("group", name=re.compile(r"^\s*" + re.escape(legend) + r"(\s*\*?\s*\(required\))?\s*$"))


def instructions(page: Page):
    return page.get_by_role("region", name="Instructions")


# --- doing things ------------------------------------------------------------------------------

def start_process(page: Page, process_name: str, business_key: str) -> int:
    """"Start a process" -> the process -> its start page -> Start. Returns the new instance's id;
    the page is then on the first task of the starter (the process's start form)."""
    go(page, "Start a process", "Start a process")
    page.get_by_role("link", name=f"Start “{process_name}”").click()
    see_heading(page, f"Start “{process_name}”", level=1)
    page.get_by_label("Business key").fill(business_key)
    page.get_by_role("button", name="Start", exact=True).click()
    started = page.get_by_text(re.compile(r"Started instance #\d+ \(" + re.escape(business_key) + r"\)"))
    see(started)
    return int(re.search(r"#(\d+)", started.text_content()).group(1))


def open_from_inbox(page: Page, task_name: str, about: str | None = None) -> None:
    """The inbox -> the task of that name (the one whose instructions mention `about`, when
    several tasks of the inbox have the same name) -> its task page."""
    go(page, "Inbox", "Inbox")
    links = page.get_by_role("table").get_by_role("link", name=task_name, exact=True)
    see(links.first)
    for index in range(links.count()):
        links.nth(index).click()
        see_heading(page, task_name, level=1)
        if about is None or about in instructions(page).text_content():
            return
        page.go_back()
        see_heading(page, "Inbox", level=1)
    raise AssertionError(f"no “{task_name}” about {about!r} in the inbox of this user")


def open_from_bureau_page(page: Page, task_name: str) -> None:
    """The Bureau page -> my own task of that name."""
    go(page, "Bureau", "What awaits the Bureau")
    mine = page.get_by_role("row").filter(has=page.get_by_role("cell", name="You", exact=True))
    mine.get_by_role("link", name=task_name, exact=True).click()


def complete_task(page: Page, task_name: str, button: str = "Complete task") -> None:
    """Submits the task's form with `button` ("Approve" on a decision page). A completed task
    always leads elsewhere (the next task, or the inbox), so this waits for the address to
    change and for the message that the task is done."""
    before = page.url
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.get_by_role("button", name=button, exact=True).click()
    assert posted.value.status in (302, 303), f"“{task_name}” was not completed: HTTP {posted.value.status}"
    page.wait_for_url(lambda url: url != before)
    see(page.get_by_text(f"“{task_name}” is done."))


def refused(page: Page, button: str, *problems: str) -> None:
    """Submits, and sees the page refuse (422) with these problems in the summary above the form."""
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.get_by_role("button", name=button, exact=True).click()
    assert posted.value.status == 422, f"expected the form to be refused, got HTTP {posted.value.status}"
    summary = page.get_by_role("alert")
    see(summary)
    for problem in problems:
        expect(summary).to_contain_text(problem, timeout=WAIT_MS)


def _rows_of(button):
    """The rows of the array a row button belongs to (its fieldset has a stable id)."""
    fieldset = button.evaluate("node => node.closest('fieldset.field-rows').id")
    return button.page.locator(f"fieldset#{fieldset} > .form-row")


def add_row(page: Page, array_label: str) -> None:
    """The "Add row" button of an array; the server draws the form again with one row more."""
    button = page.get_by_role("button", name=f"Add row to {array_label}", exact=True)
    rows = _rows_of(button)
    before = rows.count()
    button.click()
    expect(rows).to_have_count(before + 1, timeout=WAIT_MS)


def remove_row(page: Page, row_label: str) -> None:
    """The "Remove row" button beside a row ("State Party 2"); the rows after it move up one."""
    button = page.get_by_role("button", name=f"Remove row ({row_label})", exact=True)
    rows = _rows_of(button)
    before = rows.count()
    button.click()
    expect(rows).to_have_count(before - 1, timeout=WAIT_MS)


def open_instance(page: Page, instance_id: int) -> None:
    """Instances -> the instance, through the list."""
    go(page, "Instances", "Process instances")
    page.get_by_role("link", name=f"Instance {instance_id}", exact=True).click()
    see(page.get_by_role("heading", name=re.compile(rf"^Instance {instance_id} · "), level=1))


def screenshot(page: Page, name: str) -> Path:
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    return path
