"""Working together in a real browser (issue 12): an administrator moves a stuck draft to a
colleague, and a file uploaded with a task's form is downloaded, byte for byte, by the user of
the next step."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in
from tests.engine.helpers import start
from tests.webapp.api.test_task_assignment import NAMED_TASK
from tests.webapp.attachment_process import deploy_signed_letter

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture then skips, or fails under CI=true, with the reason
    expect = None

LETTER = b"%PDF-1.4\n% the signed letter of the President of the Assembly\n" + bytes(range(256)) + b"\n%%EOF\n"


@pytest.fixture
def person(chromium, live_server):
    """person("ada") -> a page signed in as that user, in a context of its own."""
    contexts = []

    def open_as(username: str):
        context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900},
                                       accept_downloads=True)
        context.set_default_timeout(15_000)
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        sign_in(page, username)
        return page
    yield open_as
    for context in contexts:
        context.close()


def test_an_administrator_reassigns_a_stuck_draft(person, engine, deploy, tmp_path):
    (tmp_path / "named.bpmn").write_text(NAMED_TASK)
    deploy("named.bpmn", folder=tmp_path)
    instance = start(engine, "named_task", author="claire")  # the draft waits on Claire, who is away

    admin = person("ada")
    admin.goto(f"/instances/{instance.id}")
    admin.get_by_role("link", name="Draft", exact=True).click()
    expect(admin.get_by_role("heading", name="Give this task to someone")).to_be_visible()
    admin.get_by_label(re.compile(r"^Person")).fill("colin")
    admin.get_by_label("Reason for the record (optional)").fill("Claire is on leave until March")
    admin.get_by_role("button", name="Give the task").click()
    expect(admin.get_by_text("“Draft” is now in the hands of Colin.")).to_be_visible()
    admin.goto(f"/instances/{instance.id}")
    expect(admin.locator("table.open-tasks")).to_contain_text("Colin")

    colin = person("colin")
    colin.goto("/inbox")
    colin.get_by_role("link", name="Draft", exact=True).click()
    colin.get_by_role("button", name="Complete task", exact=True).last.click()
    expect(colin.get_by_text("“Draft” is done.")).to_be_visible()
    assert admin.problems == [] and colin.problems == []


def test_an_attachment_uploaded_on_a_task_is_downloaded_identical_by_the_next_steps_user(
        person, engine, deploy, tmp_path):
    deploy_signed_letter(deploy, tmp_path)
    instance = start(engine, "signed_letter")

    clerk = person("claire")
    clerk.goto("/inbox")
    clerk.get_by_role("link", name="Upload the signed letter").click()
    clerk.get_by_label("Subject").fill("Letter of the President")
    clerk.locator('input[type="file"][name="letter"]').set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": LETTER})
    clerk.get_by_role("button", name="Complete task", exact=True).last.click()
    expect(clerk.get_by_text("“Upload the signed letter” is done.")).to_be_visible()

    director = person("diane")
    director.goto("/inbox")
    director.get_by_role("link", name="Read the signed letter").click()
    files = director.get_by_role("region", name="Files of this case")
    expect(files).to_contain_text("letter.pdf")
    with director.expect_download() as downloading:
        files.get_by_role("link", name="letter.pdf").click()
    download = downloading.value
    assert download.suggested_filename == "letter.pdf"
    assert open(download.path(), "rb").read() == LETTER
    assert instance.id and clerk.problems == [] and director.problems == []


def test_a_person_field_is_searched_by_name_and_sends_the_user_name(person, engine, deploy, tmp_path):
    deploy_signed_letter(deploy, tmp_path, {"type": "object", "required": ["reviewer"], "properties": {
        "reviewer": {"type": "string", "title": "Reviewer", "x-directory-role": "Clerk"}}})
    instance = start(engine, "signed_letter")
    clerk = person("claire")
    clerk.goto(f"/tasks/{instance.open_tasks[0].id}")
    clerk.get_by_label("Search Reviewer").fill("coli")
    expect(clerk.locator("select[name=reviewer]")).to_have_value("colin")
    clerk.get_by_role("button", name="Complete task", exact=True).last.click()
    expect(clerk.get_by_text("“Upload the signed letter” is done.")).to_be_visible()
    with engine.unit_of_work() as uow:
        assert uow.runtime.get(instance.id).data["reviewer"] == "colin"
    assert clerk.problems == []
