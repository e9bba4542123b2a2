"""The decision-table editor in a real browser: dmn-js opens a deployed DMN file, a rule's
cell is changed by typing, the file is deployed through the server's checks, and a new
instance of the process that uses it decides by the new rule."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, ROOT, sign_in
from engine.bundle import Bundle
from tests.conftest import FIXTURES, IN_CI, MANAGER
from tests.engine.helpers import start

DECISIONS_BUNDLE = ROOT / "webapp" / "static" / "build" / "decisions.js"


@pytest.fixture(autouse=True)
def decisions_bundle():
    if not DECISIONS_BUNDLE.exists():
        reason = f"{DECISIONS_BUNDLE.relative_to(ROOT)} is missing: run `make install` (it bundles dmn-js)"
        pytest.fail(f"{reason} (under CI=true the browser tests must run)") if IN_CI else pytest.skip(reason)


def type_into_cell(page, element_id: str, text: str) -> None:
    """Clicks a decision-table cell and replaces what it says, as a person does."""
    cell = page.locator(f'td[data-element-id="{element_id}"] [contenteditable]')
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.locator(".decision-modeler h2, #problems-heading").first.click()  # leave the cell


def test_a_rule_changed_in_dmn_js_and_deployed_is_followed_by_new_instances(page, deploy, engine):
    deploy("dmn_decision.bpmn", "fee_decision.dmn")
    before = start(engine, "dmn_decision", actor=MANAGER, category="protocol", amount=2000)
    sign_in(page, "mara")
    page.goto("/modeler/decisions")
    page.get_by_role("link", name="Edit fee_decision.dmn").click()
    page.wait_for_selector("[data-decision-modeler][data-modeler-state=ready]")

    page.get_by_role("button", name="Decision requirements").click()
    page.wait_for_selector('.dmn-drd-container [data-element-id="fee_decision"]')
    page.get_by_role("button", name="Fee decision").click()
    assert page.evaluate("() => window.secretariatDecisions.hasUndeployedChanges()") is False
    type_into_cell(page, "rule_protocol_large_fee", "120")
    assert page.evaluate("() => window.secretariatDecisions.hasUndeployedChanges()") is True
    asked = []  # leaving with undeployed edits asks first; the dialog is dismissed: the page stays
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="All decision files").click()  # the dialog opens within the click
    assert asked == ["beforeunload"] and page.url.endswith("/modeler/decisions/fee_decision.dmn")
    assert "<text>120</text>" in page.evaluate("() => window.secretariatDecisions.exportXML()")
    page.get_by_role("button", name="Validate").click()
    page.locator("#modeler-status").get_by_text("No problems found").wait_for()

    type_into_cell(page, "rule_protocol_small_fee", "__import__('os')")
    page.get_by_role("button", name="Validate").click()
    page.locator("#problem-list").get_by_text("rule_protocol_small_fee").wait_for()
    assert page.locator('td[data-element-id="rule_protocol_small_fee"].has-problem').count() == 1
    type_into_cell(page, "rule_protocol_small_fee", "50")

    page.get_by_label("Change note").fill("Protocol fees for large amounts rise to 120")
    page.get_by_role("button", name="Deploy").click()
    page.get_by_text("New versions: dmn_decision 2").wait_for()
    assert page.evaluate("() => window.secretariatDecisions.hasUndeployedChanges()") is False
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-decision-editor.png"), full_page=True)

    after = start(engine, "dmn_decision", actor=MANAGER, category="protocol", amount=2000)
    assert (before.version, before.data["fee"]) == (1, 100)
    assert (after.version, after.data["fee"]) == (2, 120)
    assert [p for p in page.problems if "status of 422" not in p] == []


def test_every_secretariat_decision_file_opens_in_dmn_js_and_its_export_passes_the_deploy_checks(page, engine):
    with engine.unit_of_work() as uow:
        uow.repository.deploy_paths([ROOT / "processes", ROOT / "forms"], actor=MANAGER, note="as the demo does")
        uow.commit()
    sign_in(page, "mara")
    for dmn in sorted((ROOT / "processes").glob("*.dmn")):
        page.goto(f"/modeler/decisions/{dmn.name}")
        page.wait_for_selector("[data-decision-modeler][data-modeler-state=ready]")
        page.get_by_role("button", name="Validate").click()
        page.locator("#modeler-status").get_by_text("No problems found").wait_for()
    assert page.problems == []


def test_a_new_decision_built_in_dmn_js_is_deployed_and_decides_for_a_process_that_calls_it(page, deploy, engine):
    sign_in(page, "mara")
    page.goto("/modeler/decisions")
    page.get_by_label("Decision id").fill("room_size")
    page.get_by_label("Name", exact=True).fill("Room size")
    page.get_by_label("What it looks at").fill("participants")
    page.get_by_label("The variable it sets").fill("room")
    page.get_by_role("button", name="Create the decision").click()
    page.wait_for_selector("[data-decision-modeler][data-modeler-state=ready]")
    for _ in range(2):
        page.locator("td.add-rule-add").click()
    rules = page.locator("tbody tr")
    for row, (participants, room) in enumerate([("< 50", '"small"'), (">= 50", '"large"')]):
        cells = rules.nth(row).locator("td.input-cell, td.output-cell")
        for index, text in enumerate([participants, room]):
            cells.nth(index).locator("[contenteditable]").first.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(text)
    page.get_by_label("Change note").fill("Rooms by size")
    page.get_by_role("button", name="Deploy").click()
    page.get_by_text("No process needed a new version").wait_for()
    page.goto("/modeler/decisions")
    page.get_by_role("link", name="Edit room_size.dmn").wait_for()

    process = (FIXTURES / "dmn_decision.bpmn").read_text().replace(">fee_decision<", ">room_size<")
    with engine.unit_of_work() as uow:
        uow.repository.deploy(Bundle.from_uploads([("dmn_decision.bpmn", process.encode())]), MANAGER, "rooms")
        uow.commit()
    assert start(engine, "dmn_decision", actor=MANAGER, participants=80).data["room"] == "large"
    assert start(engine, "dmn_decision", actor=MANAGER, participants=12).data["room"] == "small"
    assert [p for p in page.problems if "status of 422" not in p] == []


def test_a_dmn_file_from_elsewhere_is_opened_in_the_editor_and_a_broken_one_is_refused_with_a_message(page, deploy):
    deploy("dmn_decision.bpmn", "fee_decision.dmn")
    sign_in(page, "mara")
    page.goto("/modeler/decisions/fee_decision.dmn")
    page.wait_for_selector("[data-decision-modeler][data-modeler-state=ready]")
    broken = {"name": "broken.dmn", "mimeType": "application/xml", "buffer": b"<definitions"}
    page.set_input_files("#upload-input", files=[broken])
    page.locator("#modeler-status").get_by_text("The file could not be opened: broken.dmn").wait_for()
    other = (FIXTURES / "fee_decision.dmn").read_text().replace("<text>100</text>", "<text>150</text>")
    page.set_input_files("#upload-input", files=[{"name": "fees.dmn", "mimeType": "application/xml",
                                                  "buffer": other.encode()}])
    page.locator("#modeler-status").get_by_text("fees.dmn: Opened the file").wait_for()
    assert "<text>150</text>" in page.evaluate("() => window.secretariatDecisions.exportXML()")
    assert page.evaluate("() => window.secretariatDecisions.hasUndeployedChanges()") is True
    with page.expect_download() as saved:
        page.get_by_role("button", name="Download DMN").click()
    assert saved.value.suggested_filename == "fee_decision.dmn"
    assert "<text>150</text>" in Path(saved.value.path()).read_text()
    assert page.problems == []
