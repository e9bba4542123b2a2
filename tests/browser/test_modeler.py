"""The process modeler in a real browser (bpmn-js Modeler, our properties panel, the server's
validation and deployment), and what a deployed change does to the instances."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine import Actor
from engine.bundle import Bundle
from engine.bpmn.parsing import ProcessCompiler
from tests.browser.conftest import ARTIFACTS, ROOT, sign_in
from tests.conftest import FIXTURES, IN_CI, MANAGER
from tests.webapp.conftest import PASSWORD

MODELER_BUNDLE = ROOT / "webapp" / "static" / "build" / "modeler.js"
SECRETARIAT = Actor("noor", frozenset({"Secretariat"}))
AUTHOR = Actor("dmitri", frozenset({"Author"}))
EDITOR = Actor("greta", frozenset({"Editor"}))
REGISTRATION = {"title": "Report of the Bureau on the Secretariat's workload", "symbol": "ICC-ASP/25/7",
                "session": 25, "agenda_item": "12", "issue_date": "2027-02-20", "serviced_body": "Bureau", "document_kind": "Report", "original_language": "English",
                "languages": ["English", "French"], "estimated_pages": 12, "deadline": "2027-02-26",
                "author": AUTHOR.username, "recipients": [{"name": "States Parties", "kind": "States Parties"}]}


@pytest.fixture(autouse=True)
def modeler_bundle():
    if not MODELER_BUNDLE.exists():
        reason = f"{MODELER_BUNDLE.relative_to(ROOT)} is missing: run `make install` (it bundles the modeler)"
        pytest.fail(f"{reason} (under CI=true the browser tests must run)") if IN_CI else pytest.skip(reason)


@pytest.fixture
def secretariat_processes(engine):
    with engine.unit_of_work() as uow:
        uow.repository.deploy_paths([ROOT / "processes", ROOT / "forms"], actor=MANAGER, note="as the demo does")
        uow.identity.add_user(EDITOR.username, ["Editor"], password=PASSWORD, display_name="Greta Solberg")
        uow.identity.add_user(AUTHOR.username, ["Author"], display_name="Dmitri Okafor")  # the form picks authors
        uow.commit()


def open_editor(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("[data-modeler][data-modeler-state=ready]")


def bpmn(page, script: str, *args):
    """Runs `script` (a function of the modeler's services) in the page."""
    return page.evaluate(f"""(args) => {{
        const m = window.secretariatModeler.modeler;
        const [registry, modeling, selection] = [m.get('elementRegistry'), m.get('modeling'), m.get('selection')];
        return ({script})(...args);
    }}""", list(args))


def select(page, element_id: str) -> None:
    bpmn(page, "(id) => selection.select(registry.get(id))", element_id)


def expand(page, group_id: str) -> None:
    """Opens a group of the properties panel (a click would close an open one)."""
    header = page.locator(f'[data-group-id="group-{group_id}"] .bio-properties-panel-group-header')
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def unexpected(problems) -> list[str]:
    """Console errors but the browser's note of an expected refusal (the 422 of a faulty diagram)."""
    return [p for p in problems if "status of 422" not in p]


def overlays(page) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        ".djs-overlay-validation-problem",
        "nodes => nodes.map(n => [n.closest('.djs-overlays').dataset.containerId, n.textContent])"))


# -- the engine's side of it -------------------------------------------------------------------

def open_tasks(engine, instance_id):
    with engine.unit_of_work() as uow:
        return uow.runtime.get(instance_id).open_tasks


def complete(engine, instance_id, element_id, actor, data):
    task = next(t for t in open_tasks(engine, instance_id) if t.element_id == element_id)
    with engine.unit_of_work() as uow:
        result = uow.tasks.complete(task.id, actor, data)
        uow.commit()
    return result.process_instance


def document_at_editing(engine) -> int:
    """A registered document whose author has drafted it: the editor's step is next."""
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start("document_processing", actor=SECRETARIAT, data={})
        uow.commit()
    complete(engine, instance.id, "register_document", SECRETARIAT, REGISTRATION)
    complete(engine, instance.id, "draft_document", AUTHOR,
             {"draft_reference": "DMS-2027-0042-v1", "summary": "Workload in 2027", "pages": 12})
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["edit_document"]
    return instance.id


def inbox_rows(page) -> list[tuple[str, str]]:
    """(task name, instance) of each row of the inbox."""
    return [tuple(cells) for cells in page.eval_on_selector_all(
        "table tbody tr",
        "rows => rows.map(r => [r.querySelector('th').innerText.trim(), r.cells[2].innerText.trim()])")]


def test_a_manager_adds_a_legal_review_after_editing_and_only_new_documents_reach_it(page, engine,
                                                                                   secretariat_processes):
    started_before = document_at_editing(engine)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/document_processing/edit")
    assert "target_languages" in page.text_content("#modeler-notices")  # the MI collections were declared

    # The flow leaving the editor's gateway toward translation gets a new user task, in the Editor lane.
    assert bpmn(page, "() => registry.get('flow_approved').target.id") == "plan_translation"
    new_id = bpmn(page, """() => modeling.createShape({ type: 'bpmn:UserTask' }, { x: 990, y: 600 },
                                                      registry.get('flow_approved')).id""")
    select(page, new_id)
    expand(page, "general")
    page.fill("#bio-properties-panel-name", "Legal review")
    expand(page, "spiff-work")
    assert page.input_value("#bio-properties-panel-spiff-lane") == "Editor"
    page.select_option("#bio-properties-panel-spiff-form", "document_edit.schema.json")
    page.wait_for_function(f"""() => {{
        const bo = window.secretariatModeler.modeler.get('elementRegistry').get('{new_id}').businessObject;
        return bo.name === 'Legal review' && bo.extensionElements; }}""")
    assert page.input_value("#bio-properties-panel-spiff-ui-schema") == "document_edit.uischema.json"
    assert bpmn(page, "(id) => [registry.get('flow_approved').target.id, registry.get(id).outgoing[0].target.id]",
                new_id) == [new_id, "plan_translation"]

    page.fill("#deploy-note", "A legal review of every edited document")
    page.get_by_role("button", name="Deploy as a new version").click()
    page.wait_for_selector('[data-last-deploy="document_processing:2"]')
    assert "Deployed document_processing version 2" in page.text_content("#modeler-status")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-legal-review.png"), full_page=True)

    with engine.unit_of_work() as uow:
        latest = uow.repository.get("document_processing")
        assert (latest.version, latest.note) == (2, "A legal review of every edited document")
        xml = uow.repository.bpmn_xml("document_processing", 2)
    assert '<bpmn:loopDataInputRef>target_languages</bpmn:loopDataInputRef>' in xml
    assert 'value="document_edit.schema.json"' in xml

    started_after = document_at_editing(engine)
    approve = {"edit_decision": "Approve for translation"}
    after = complete(engine, started_after, "edit_document", EDITOR, approve)
    before = complete(engine, started_before, "edit_document", EDITOR, approve)
    assert (before.version, after.version) == (1, 2)
    assert [(t.name, t.lane) for t in after.open_tasks] == [("Legal review", "Editor")]
    assert [t.element_id for t in before.open_tasks] == ["translate_document"]

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, EDITOR.username)
    page.goto("/inbox")
    assert inbox_rows(page) == [("Legal review", f"#{started_after}")]
    assert page.problems == [], "no script error and no CSP violation"


def faulty_approval() -> bytes:
    xml = (FIXTURES / "approval.bpmn").read_text().replace(' default="flow_rejected"', "")
    xml = re.sub(r"\s*<bpmn:conditionExpression>approved</bpmn:conditionExpression>\s*", "", xml)
    return xml.replace("review.schema.json", "no_such_form.schema.json").encode()


def test_a_faulty_diagram_is_refused_and_the_page_marks_each_faulty_element_until_it_is_fixed(page, deploy, engine):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    page.set_input_files("#upload-input", files=[{"name": "approval.bpmn", "mimeType": "application/xml",
                                                  "buffer": faulty_approval()}])
    page.get_by_text("Opened approval.bpmn").wait_for()

    page.fill("#deploy-note", "Try the faulty one")
    page.get_by_role("button", name="Deploy as a new version").click()
    page.wait_for_selector(".djs-overlay-validation-problem")
    assert "Not deployed" in page.text_content("#modeler-status")
    marked = overlays(page)
    assert {"flow_approved", "approved_gateway"} <= set(marked)
    assert "without condition" in marked["flow_approved"]
    assert "review_request" not in marked  # a missing form is a deploy warning now, not a refusal
    outlined = page.eval_on_selector_all(".djs-element.has-problem", "ns => ns.map(n => n.dataset.elementId)")
    assert "flow_approved" in outlined
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-problems.png"), full_page=True)

    # Clicking the problem selects the flow; the panel gives it its condition back, the other flow becomes the default.
    page.locator("#problem-list button", has_text="without condition").click()
    assert bpmn(page, "() => selection.get().map(e => e.id)") == ["flow_approved"]
    expand(page, "spiff-condition-group")
    page.fill("#bio-properties-panel-spiff-condition", "approved")
    page.wait_for_function("() => window.secretariatModeler.modeler.get('elementRegistry').get('flow_approved')"
                           ".businessObject.conditionExpression")  # the panel writes after a short pause
    select(page, "flow_rejected")
    page.check("#bio-properties-panel-spiff-default-flow")
    page.get_by_role("button", name="Validate").click()
    page.wait_for_function("() => !document.querySelector("
                           "'.djs-overlays[data-container-id=flow_approved] .djs-overlay-validation-problem')")
    assert overlays(page) == {}

    select(page, "review_request")  # the form it names is not deployed: chosen again in the panel
    expand(page, "spiff-work")
    page.select_option("#bio-properties-panel-spiff-form", "review.schema.json")
    page.get_by_role("button", name="Validate").click()
    page.get_by_text("No problems found").wait_for()
    assert overlays(page) == {}
    page.fill("#deploy-note", "Fixed")
    page.get_by_role("button", name="Deploy as a new version").click()
    page.wait_for_selector('[data-last-deploy="approval:2"]')
    with engine.unit_of_work() as uow:
        xml = uow.repository.bpmn_xml("approval", 2)
    assert 'default="flow_rejected"' in xml and ">approved</bpmn:conditionExpression>" in xml
    assert unexpected(page.problems) == []


def _specs(files: dict[str, bytes]) -> dict[str, str]:
    """Process key -> the serialized SpiffWorkflow spec the engine's compiler makes of `files`."""
    forms = {p.name: True for folder in (ROOT / "forms", FIXTURES) for p in folder.glob("*.json")}
    compiler = ProcessCompiler(forms, lambda key: None)
    for name, content in files.items():
        compiler.add_bpmn(name, content)
    for dmn in [*(ROOT / "processes").glob("*.dmn"), *FIXTURES.glob("*.dmn")]:
        compiler.add_dmn(dmn.name, dmn.read_bytes())
    keys = [key for key, parser in compiler.parser.process_parsers.items() if parser.process_executable]
    compiled = {process.key: process.spec_json for process in compiler.compile(keys)}
    assert compiler.problems == []
    return compiled


ROUND_TRIP = [*sorted((ROOT / "processes").glob("*.bpmn")), *sorted(FIXTURES.glob("*.bpmn"))]


def test_the_bpmn_files_survive_a_round_trip_through_the_modeler(page, engine, secretariat_processes):
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/document_processing/edit")
    exported = {}
    for path in ROUND_TRIP:
        page.set_input_files("#upload-input", files=[{"name": path.name, "mimeType": "application/xml",
                                                      "buffer": path.read_bytes()}])
        page.get_by_text(f"Opened {path.name}").wait_for()
        exported[path.name] = page.evaluate("() => window.secretariatModeler.exportXML()").encode()
        assert "warnings" not in page.text_content("#modeler-notices"), path.name
    originals = {path.name: path.read_bytes() for path in ROUND_TRIP}
    assert _specs(exported) == _specs(originals)

    # Deployed, the exported files make new versions (their text differs) with the very same spec.
    secretariat = [p.name for p in ROUND_TRIP if p.parent.name == "processes"]
    with engine.unit_of_work() as uow:
        bundle = Bundle.from_uploads([(name, exported[name]) for name in secretariat])
        result = uow.repository.deploy(bundle, MANAGER, "round trip")
        uow.commit()
        for deployed in result.definitions:
            assert deployed.version == 2
            old, new = uow.repository.definition(deployed.key, 1), uow.repository.definition(deployed.key, 2)
            assert old.spec_json == new.spec_json, deployed.key
    assert page.problems == []


def test_a_new_process_from_the_blank_template_is_deployed_and_shown_among_the_versions(page, engine):
    sign_in(page, "mara")
    page.goto("/modeler/")
    page.get_by_label("Process id").fill("meeting_servicing")
    page.get_by_label("Name", exact=True).fill("Servicing of a meeting")
    page.get_by_role("button", name="Create the process").click()
    page.wait_for_selector("[data-modeler][data-modeler-state=ready]")
    lanes = bpmn(page, "() => registry.filter(e => e.type === 'bpmn:Lane').map(e => e.businessObject.name)")
    assert sorted(lanes) == ["Director", "Secretariat"]

    with page.expect_download() as download:
        page.get_by_role("button", name="Download BPMN").click()
    assert download.value.suggested_filename == "meeting_servicing.bpmn"
    assert 'name="Servicing of a meeting"' in Path(download.value.path()).read_text()

    page.fill("#draft-note", "first sketch")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft of meeting_servicing saved").wait_for()
    page.fill("#deploy-note", "First version")
    page.get_by_role("button", name="Deploy as a new version").click()
    page.wait_for_selector('[data-last-deploy="meeting_servicing:1"]')
    page.get_by_role("link", name="See its versions").click()
    page.get_by_role("heading", name=re.compile("Versions · Servicing of a meeting")).wait_for()
    assert "First version" in page.text_content("table.versions")
    with engine.unit_of_work() as uow:
        assert uow.drafts.list(MANAGER) == []  # deploying ended the draft
        assert uow.repository.get("meeting_servicing").start_roles == frozenset({"Secretariat"})
    assert page.problems == []


def test_a_multi_instance_collection_set_in_the_panel_is_declared_and_kept(page, engine):
    sign_in(page, "mara")
    open_editor(page, "/modeler/new?key=circulation&name=Circulation")
    bpmn(page, """() => {
        const task = registry.get('first_task');
        const factory = window.secretariatModeler.modeler.get('bpmnFactory');
        const loop = factory.create('bpmn:MultiInstanceLoopCharacteristics');
        modeling.updateProperties(task, { loopCharacteristics: loop });
        selection.select(task);
    }""")
    expand(page, "multiInstance")
    page.fill("#bio-properties-panel-spiff-input-collection", "recipients")
    page.fill("#bio-properties-panel-spiff-input-item", "recipient")
    page.fill("#bio-properties-panel-spiff-output-collection", "receipts")
    page.fill("#bio-properties-panel-spiff-output-item", "receipt")
    page.wait_for_function("() => window.secretariatModeler.modeler.get('elementRegistry').get('first_task')"
                           ".businessObject.loopCharacteristics.outputDataItem")
    page.check("#bio-properties-panel-spiff-scripts-on-instances")
    xml = page.evaluate("() => window.secretariatModeler.exportXML()")
    assert '<bpmn:property id="recipients" name="recipients" />' in xml
    assert "<bpmn:loopDataInputRef>recipients</bpmn:loopDataInputRef>" in xml
    assert "<bpmn:loopDataOutputRef>receipts</bpmn:loopDataOutputRef>" in xml
    assert '<bpmn:inputDataItem id="recipient" name="recipient" />' in xml
    assert 'spiffworkflow:scriptsOnInstances="true"' in xml
    page.get_by_role("button", name="Validate").click()
    page.get_by_text("No problems found").wait_for()
    spec = _specs({"circulation.bpmn": xml.encode()})["circulation"]
    assert '"recipients"' in spec and '"receipts"' in spec


def test_the_versions_page_compares_two_versions_side_by_side(page, engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    changed = (FIXTURES / "approval.bpmn").read_text().replace('name="Record approval"', 'name="Record the approval"')
    with engine.unit_of_work() as uow:
        uow.repository.deploy(Bundle.from_uploads([("approval.bpmn", changed.encode())]), MANAGER, "clearer")
        uow.commit()
    sign_in(page, "mara")
    page.goto("/modeler/processes/approval/versions")
    page.get_by_role("link", name="Compare with 1").click()
    page.wait_for_selector("[data-side=old][data-diagram-state=ready]")
    page.wait_for_selector("[data-side=new][data-diagram-state=ready]")
    changed_ids = page.eval_on_selector_all(".djs-element.version-changed", "ns => ns.map(n => n.dataset.elementId)")
    assert changed_ids.count("record_approval") == 2  # once on each side
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-compare.png"), full_page=True)
    assert page.problems == []


def test_the_form_editor_preview_follows_the_schema_as_it_is_typed(page, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    sign_in(page, "mara")
    page.goto("/modeler/forms/request")
    schema = page.input_value("#schema")
    page.fill("#schema", schema.replace('"justification": {', '"venue": {"type": "string", "title": "Venue"},\n'
                                                             '    "justification": {'))
    page.wait_for_selector("[data-form-editor][data-preview-state=fresh]")
    page.locator("#form-preview").get_by_label("Venue").wait_for()
    page.fill("#schema", '{"type": "object",\n "properties": {,}}')
    page.wait_for_function("() => document.querySelector('#form-preview').textContent.includes('line 2')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-form-editor.png"), full_page=True)
    assert unexpected(page.problems) == []


def fill_entry(page, entry: str, value: str, check: str) -> None:
    """Types into a panel entry and leaves it, as a person does: the panel writes the value on
    leaving (or after a pause in typing); `check` is then in the exported XML."""
    page.fill(f"#bio-properties-panel-{entry}", value)
    page.press(f"#bio-properties-panel-{entry}", "Tab")
    assert check in page.evaluate("() => window.secretariatModeler.exportXML()")


def test_the_panel_writes_messages_correlations_decisions_and_scripts_as_the_engine_reads_them(page, deploy):
    deploy("message_wait.bpmn", "dmn_decision.bpmn", "fee_decision.dmn", "call_child.bpmn", "note.schema.json")
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/message_wait/edit")

    select(page, "wait_payment")
    expand(page, "spiff-message")
    fill_entry(page, "spiff-message-variable", "receipt", "<spiffworkflow:messageVariable>receipt<")
    fill_entry(page, "spiff-correlation-property", "invoice_id", "<spiffworkflow:propertyId>invoice_id<")
    fill_entry(page, "spiff-correlation-expression", "invoice", "<spiffworkflow:expression>invoice<")
    fill_entry(page, "spiff-correlation-message", "invoice", '<bpmn:correlationProperty id="invoice_id"')
    select(page, "confirm")
    expand(page, "spiff-work")
    fill_entry(page, "spiff-instructions", "## Paid: {{ receipt.amount }}", "Paid: {{ receipt.amount }}")
    expand(page, "spiff-scripts")
    fill_entry(page, "spiff-post-script", "confirmed = True", "<spiffworkflow:postScript>confirmed = True<")
    xml = page.evaluate("() => window.secretariatModeler.exportXML()")
    assert re.search(r'<bpmn:correlationPropertyRetrievalExpression messageRef="payment_received">\s*'
                     r'<bpmn:formalExpression>invoice</bpmn:formalExpression>', xml)
    page.get_by_role("button", name="Validate").click()
    page.get_by_text("No problems found").wait_for()
    spec = _specs({"message_wait.bpmn": xml.encode()})["message_wait"]
    assert '"receipt"' in spec and '"invoice_id"' in spec and "confirmed = True" in spec

    open_editor(page, "/modeler/processes/dmn_decision/edit")
    select(page, "decide_fee")
    expand(page, "spiff-decision")
    fill_entry(page, "spiff-called-decision", "other_decision", "<spiffworkflow:calledDecisionId>other_decision<")
    page.get_by_role("button", name="Validate").click()
    page.locator("#problem-list").get_by_text("other_decision").wait_for()  # the engine knows no such decision

    page.set_input_files("#upload-input", files=[{"name": "call_parent.bpmn", "mimeType": "application/xml",
                                                  "buffer": (FIXTURES / "call_parent.bpmn").read_bytes()}])
    page.get_by_text("Opened call_parent.bpmn").wait_for()
    select(page, "call_child_activity")
    expand(page, "spiff-call")
    options = page.eval_on_selector_all("#bio-properties-panel-spiff-called-element option", "os => os.map(o => o.value)")
    assert {"call_child", "dmn_decision", "message_wait"} <= set(options)
    page.select_option("#bio-properties-panel-spiff-called-element", "message_wait")
    assert 'calledElement="message_wait"' in page.evaluate("() => window.secretariatModeler.exportXML()")
    assert unexpected(page.problems) == []
