"""An administrator migrates a running instance to a version with an added task, in Chromium;
the clerk then completes the case through that new task."""
from __future__ import annotations

from tests.browser.conftest import sign_in
from tests.browser.flows import complete_task, field, open_from_inbox, see_text
from tests.engine.approval_versions import with_added_task
from tests.engine.helpers import CLERK

FILES = ("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json")


def test_a_running_instance_migrated_to_a_version_with_an_added_task_completes_through_it(page, deploy, engine,
                                                                                           tmp_path):
    deploy(*FILES)
    with engine.unit_of_work() as uow:  # waits at "Submit request"; v2 adds "Check request" after it
        waiting = uow.runtime.start("approval", actor=CLERK)
        uow.commit()
    (tmp_path / "approval.bpmn").write_text(with_added_task())
    deploy("approval.bpmn", folder=tmp_path)

    sign_in(page, "ada")
    page.goto(f"/instances/{waiting.id}")
    page.get_by_role("button", name="Check the migration (dry run)").click()
    see_text(page, "The instance can move from version 1 to version 2.")
    page.get_by_role("button", name="Migrate to version 2").click()
    see_text(page, f"Instance {waiting.id} now runs version 2.")
    see_text(page, "Instance migrated")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "claire")
    open_from_inbox(page, "Submit request")
    field(page, "Title").fill("Chairs")
    field(page, "Amount").fill("120")
    complete_task(page, "Submit request")
    open_from_inbox(page, "Check request")
    field(page, "Note").fill("Quotes attached")
    complete_task(page, "Check request")
    page.goto(f"/instances/{waiting.id}")
    see_text(page, "Review request")
    assert not page.problems
