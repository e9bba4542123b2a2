"""The modeler a manager can trust (issue 14), in Chromium: structural checks as the manager
draws (bpmnlint with the shared rules), two managers on one version, no edit lost when
leaving, drafts saved by themselves, token simulation, zoom, minimap and a header that
names the process actually open."""
from __future__ import annotations

import json

import pytest

from engine.bpmn.parsing import ProcessCompiler
from tests.browser.conftest import ARTIFACTS, ROOT, sign_in
from tests.browser.test_modeler import bpmn, modeler_bundle, open_editor, unexpected  # noqa: F401  (fixture)
from tests.conftest import FIXTURES

RULES = {r["id"]: r["message"] for r in json.loads((ROOT / "engine/bpmn/structure_rules.json").read_text())["rules"]}
APPROVAL = ("approval.bpmn", "request.schema.json", "review.schema.json")


def lint_issues(page) -> dict[str, list[str]]:
    """Element id -> rule ids of the lint findings listed under the toolbar, once linting has run."""
    page.wait_for_function("() => document.querySelector('#lint-summary').dataset.count !== undefined")
    return page.evaluate("""() => {
        const found = {};
        document.querySelectorAll('#lint-list button').forEach(b => {
            (found[b.dataset.elementId] = found[b.dataset.elementId] || []).push(b.dataset.rule);
        });
        return found;
    }""")


def open_xml(page, xml: str) -> None:
    """Opens `xml` in the editor and waits for the lint that follows the import."""
    page.evaluate("async (xml) => { delete document.querySelector('#lint-summary').dataset.count;"
                  " await window.secretariatModeler.open(xml); }", xml)


def draw_faults(page) -> None:
    """Draws, as a manager would, a task nothing leads to, then a gateway after it with no way
    out and a task with no way out."""
    bpmn(page, """() => {
        const m = window.secretariatModeler.modeler;
        const factory = m.get('elementFactory');
        const parent = registry.filter(e => e.type === 'bpmn:Participant')[0];
        const add = (type, id, x, y) => modeling.createShape(
            factory.createShape({ type, businessObject: m.get('bpmnFactory').create(type, { id, name: id }) }),
            { x, y }, parent);
        const bottom = parent.y + parent.height + 80;
        const orphan = add('bpmn:UserTask', 'orphan_task', parent.x + 200, bottom);
        const gateway = add('bpmn:ExclusiveGateway', 'dead_gateway', parent.x + 350, bottom);
        add('bpmn:Task', 'stuck_task', parent.x + 500, bottom);
        modeling.connect(orphan, gateway, { type: 'bpmn:SequenceFlow' });
    }""")


def deploy_check_findings(xml: str) -> dict[str, list[str]]:
    """Element id -> rule ids the server's deploy check (engine/bpmn/structure.py) gives `xml`."""
    compiler = ProcessCompiler({p.name: True for p in FIXTURES.glob("*.json")}, lambda key: None)
    compiler.add_bpmn("approval.bpmn", xml.encode())
    found: dict[str, list[str]] = {}
    for problem in compiler.process_problems.get("approval", []):
        if problem.rule in RULES:
            found.setdefault(problem.element_id, []).append(problem.rule)
    return found


def test_structural_faults_are_marked_on_the_canvas_as_the_manager_draws(page, deploy):
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    assert lint_issues(page) == {}
    assert "no structural problem" in page.text_content("#lint-summary")

    page.evaluate("() => delete document.querySelector('#lint-summary').dataset.count")
    draw_faults(page)
    page.wait_for_function("() => document.querySelectorAll('#lint-list button').length >= 3")
    found = lint_issues(page)
    # One finding per element, the first of: no way out, unreachable - as the deploy check says.
    assert found == {"orphan_task": ["unreachable-element"], "dead_gateway": ["gateway-without-way-out"],
                     "stuck_task": ["no-way-out"]}
    assert found == deploy_check_findings(page.evaluate("() => window.secretariatModeler.exportXML()"))
    assert "3 structural problems" in page.text_content(".bjsl-button")  # bpmn-js's words, from the page
    assert RULES["gateway-without-way-out"] in page.text_content("#lint-list")
    badged = page.eval_on_selector_all(".djs-overlays .bjsl-overlay",
                                       "ns => ns.map(n => n.closest('.djs-overlays').dataset.containerId)")
    assert {"orphan_task", "dead_gateway", "stuck_task"} <= set(badged)
    outlined = page.eval_on_selector_all(".djs-element.has-lint-problem", "ns => ns.map(n => n.dataset.elementId)")
    assert {"orphan_task", "dead_gateway", "stuck_task"} <= set(outlined)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-lint.png"), full_page=True)

    # Drawing the missing flows clears the marks: the gateway leads on, the start leads to the orphan.
    page.evaluate("() => delete document.querySelector('#lint-summary').dataset.count")
    bpmn(page, """() => {
        const connect = (a, b) => modeling.connect(registry.get(a), registry.get(b), { type: 'bpmn:SequenceFlow' });
        connect('dead_gateway', 'stuck_task');
        connect('stuck_task', registry.filter(e => e.type === 'bpmn:EndEvent')[0].id);
        connect('approved_gateway', 'orphan_task');
    }""")
    page.wait_for_function("() => document.querySelectorAll('#lint-list button').length === 0")
    assert page.eval_on_selector_all(".djs-element.has-lint-problem", "ns => ns.length") == 0

    # The toggle turns the checks (and their marks) off and on.
    page.locator("#lint-button").click()
    assert page.get_attribute("#lint-button", "aria-pressed") == "false"
    assert "off" in page.text_content("#lint-summary")
    assert unexpected(page.problems) == []


def test_a_process_without_start_event_and_a_flow_to_nothing_are_named(page, deploy):
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    xml = (FIXTURES / "approval.bpmn").read_text()
    no_start = xml.replace("<bpmn:startEvent", "<bpmn:intermediateThrowEvent", 1)
    no_start = no_start.replace("</bpmn:startEvent>", "</bpmn:intermediateThrowEvent>", 1)
    open_xml(page, no_start)
    assert "start-event-required" in [rule for rules in lint_issues(page).values() for rule in rules]
    assert {rule for rules in lint_issues(page).values() for rule in rules} == \
        {rule for rules in deploy_check_findings(no_start).values() for rule in rules}
    assert RULES["start-event-required"] in page.text_content("#lint-list")

    to_nothing = xml.replace('sourceRef="approved_gateway" targetRef="record_approval"',
                             'sourceRef="approved_gateway" targetRef="no_such_element"')
    open_xml(page, to_nothing)
    assert lint_issues(page)["flow_approved"] == ["flow-to-nothing"]
    assert lint_issues(page) == deploy_check_findings(to_nothing)
    assert RULES["flow-to-nothing"] in page.text_content("#lint-list")


def test_every_process_of_ours_passes_the_checks_as_drawn(page, deploy):
    """No false alarm: each BPMN file of processes/ and of the engine's valid fixtures, opened in one editor."""
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    found = {}
    for path in [*sorted((ROOT / "processes").glob("*.bpmn")), *sorted(FIXTURES.glob("*.bpmn"))]:
        open_xml(page, path.read_text())
        found[path.name] = lint_issues(page)
    assert {name: issues for name, issues in found.items() if issues} == {}
    assert len(found) > 20


def rename_process(page, name: str) -> None:
    bpmn(page, """(name) => {
        const pool = registry.filter(e => e.type === 'bpmn:Participant')[0];
        modeling.updateModdleProperties(pool, pool.businessObject.processRef, { name });
    }""", name)


def test_two_managers_on_one_version_the_second_deploy_shows_who_deployed_meanwhile(page, chromium, live_server,
                                                                                    deploy, engine):
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    other = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}).new_page()
    try:
        sign_in(other, "ada")
        open_editor(other, "/modeler/processes/approval/edit")

        rename_process(page, "Approval, Mara's way")
        page.fill("#deploy-note", "Mara's change")
        page.get_by_role("button", name="Deploy as a new version").click()
        page.wait_for_selector('[data-last-deploy="approval:2"]')

        rename_process(other, "Approval, Ada's way")
        other.fill("#deploy-note", "Ada's change")
        other.get_by_role("button", name="Deploy as a new version").click()
        other.wait_for_selector("#modeler-conflict:not([hidden])")
        said = other.text_content("#modeler-conflict")
        assert "approval version 2 was deployed by Mara" in said and "based on version 1" in said
        ARTIFACTS.mkdir(exist_ok=True)
        other.screenshot(path=str(ARTIFACTS / "modeler-conflict.png"), full_page=True)
        with engine.unit_of_work() as uow:
            assert [v.version for v in uow.repository.versions("approval")] == [2, 1]

        compare = other.get_by_role("link", name="Compare version 1 with version 2").get_attribute("href")
        assert compare == "/modeler/processes/approval/compare?old=1&new=2"
        other.get_by_role("link", name="Open version 2 (the latest)").click()
        other.get_by_role("button", name="Leave without saving").click()  # Ada's edit is not saved: asked first
        other.wait_for_selector("[data-modeler][data-modeler-state=ready]")
        assert other.text_content("#process-name") == "Approval, Mara's way"
        other.goto(compare)
        other.wait_for_selector(".djs-element.version-changed")
        assert unexpected(page.problems) == []
    finally:
        other.context.close()


def test_leaving_with_unsaved_changes_asks_and_the_autosaved_draft_is_offered_again(page, app, deploy):
    app.config["MODELER_AUTOSAVE_SECONDS"] = 1
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    assert "every 1 seconds" in page.text_content("#autosave-status")
    app.config["MODELER_AUTOSAVE_SECONDS"] = 0  # the next pages save nothing by themselves
    page.reload()
    page.wait_for_selector("[data-modeler][data-modeler-state=ready]")
    assert "not saved automatically" in page.text_content("#autosave-status")

    # An in-page link asks first; staying keeps the edit.
    rename_process(page, "Approval with a legal check")
    assert page.text_content("#autosave-status") == "Unsaved changes."
    page.get_by_role("link", name="Forms").click()
    page.get_by_role("button", name="Stay").click()
    assert page.url.endswith("/modeler/processes/approval/edit")
    assert page.text_content("#process-name") == "Approval with a legal check"

    # Reloading (or closing) the tab: the browser's own prompt; dismissing it stays.
    prompts = []
    page.once("dialog", lambda dialog: (prompts.append(dialog.type), dialog.dismiss()))
    with pytest.raises(Exception):
        page.reload(timeout=3000)
    assert prompts == ["beforeunload"]
    assert page.text_content("#process-name") == "Approval with a legal check"

    # "Save the draft, then leave": the draft is kept and offered when the version is opened again.
    page.get_by_role("link", name="Forms").click()
    page.get_by_role("button", name="Save the draft, then leave").click()
    page.wait_for_url("**/modeler/forms")
    open_editor(page, "/modeler/processes/approval/edit")
    page.get_by_role("link", name="Open your draft").click()
    page.wait_for_selector("[data-modeler][data-modeler-state=ready]")
    assert page.text_content("#process-name") == "Approval with a legal check"
    assert page.title().startswith("Edit Approval with a legal check")


def test_changes_are_saved_as_a_draft_by_themselves(page, app, deploy):
    app.config["MODELER_AUTOSAVE_SECONDS"] = 1
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    rename_process(page, "Approval, saved by itself")
    page.wait_for_function("() => document.querySelector('#autosave-status').dataset.state === 'saved'")
    assert "saved automatically at" in page.text_content("#autosave-status")
    page.goto("/modeler/")  # nothing unsaved: no question asked
    page.get_by_text("approval").first.wait_for()
    open_editor(page, "/modeler/processes/approval/edit?draft=1")
    assert page.text_content("#process-name") == "Approval, saved by itself"
    assert unexpected(page.problems) == []


def shapes_left_of(page, x: float) -> list[str]:
    """Ids of the diagram's shapes whose left edge is on screen left of `x` pixels."""
    return page.evaluate("""(x) => [...document.querySelectorAll('#modeler-canvas .djs-element.djs-shape')]
        .filter(n => n.getBoundingClientRect().width > 0 && n.getBoundingClientRect().left < x)
        .map(n => n.dataset.elementId)""", x)


def test_zoom_minimap_and_token_simulation_and_the_palette_beside_the_diagram(page, deploy):
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    palette = page.locator(".djs-palette").bounding_box()
    assert shapes_left_of(page, palette["x"] + palette["width"]) == []  # the palette covers nothing
    page.locator(".djs-minimap .toggle").click()  # closed at first: open, it would cover part of the diagram
    page.wait_for_selector(".djs-minimap.open .map")

    zoom = lambda: bpmn(page, "() => window.secretariatModeler.modeler.get('canvas').zoom()")  # noqa: E731
    fitted = zoom()
    page.get_by_role("button", name="Zoom in").click()
    assert zoom() == pytest.approx(fitted * 1.25, rel=0.01)
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    assert zoom() == pytest.approx(fitted * 0.8, rel=0.01)
    page.get_by_role("button", name="Fit the diagram").click()
    assert zoom() == pytest.approx(fitted, rel=0.01)
    assert shapes_left_of(page, palette["x"] + palette["width"]) == []

    # Token simulation: on, a token is started on the start event and travels; off again.
    page.get_by_role("button", name="Token simulation").click()
    page.wait_for_selector('[data-modeler][data-simulation="on"]')
    assert page.get_attribute("#simulation-button", "aria-pressed") == "true"
    start = bpmn(page, "() => registry.filter(e => e.type === 'bpmn:StartEvent')[0].id")
    page.locator(f'.djs-overlays[data-container-id="{start}"] .bts-context-pad').first.click()
    page.wait_for_selector(".bts-token")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-simulation.png"), full_page=True)
    page.get_by_role("button", name="Token simulation").click()
    page.wait_for_selector('[data-modeler][data-simulation="off"]')
    assert bpmn(page, "() => window.secretariatModeler.tracker.changed()") is False  # viewing is no edit
    assert unexpected(page.problems) == []


def test_the_header_names_the_process_actually_open(page, deploy):
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    assert page.text_content("#process-key") == "approval"
    page.set_input_files("#upload-input", files=[{"name": "gateways.bpmn", "mimeType": "application/xml",
                                                  "buffer": (FIXTURES / "gateways.bpmn").read_bytes()}])
    page.get_by_text("Opened gateways.bpmn").wait_for()
    assert (page.text_content("#process-name"), page.text_content("#process-key")) == ("Gateway tour", "gateways")
    assert page.title().startswith("Edit Gateway tour ·")
    assert not page.locator(".modeler-source").is_visible()  # it named version 1 of approval
