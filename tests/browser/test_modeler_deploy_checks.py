"""The modeler's deploy in Chromium: a structurally faulty diagram is refused with each faulty
element marked, and a Camunda file lists what it is converted into and what is ignored."""
from __future__ import annotations

import re

from engine.bpmn.structure import rules
from tests.browser.conftest import sign_in
from tests.browser.test_modeler import modeler_bundle, open_editor, overlays, unexpected  # noqa: F401
from tests.compat.conftest import MODELS
from tests.conftest import FIXTURES

APPROVAL = ("approval.bpmn", "request.schema.json", "review.schema.json")


def structurally_faulty_approval() -> bytes:
    """"Record approval" leads nowhere (its flow to the end is gone, so that end is unreachable)
    and "Record rejection" has a script that cannot be read."""
    xml = (FIXTURES / "approval.bpmn").read_text()
    xml = xml.replace('<bpmn:sequenceFlow id="flow_approval_recorded" sourceRef="record_approval" '
                      'targetRef="end_approved" />', "")
    xml = re.sub(r'\s*<bpmndi:BPMNEdge id="flow_approval_recorded_di".*?</bpmndi:BPMNEdge>', "", xml, flags=re.S)
    xml = xml.replace("<bpmn:outgoing>flow_approval_recorded</bpmn:outgoing>", "")
    xml = xml.replace("<bpmn:incoming>flow_approval_recorded</bpmn:incoming>", "")
    return xml.replace("outcome = 'rejected'", "outcome = ('rejected'").encode()


def upload(page, name: str, content: bytes) -> None:
    page.set_input_files("#upload-input", files=[{"name": name, "mimeType": "application/xml", "buffer": content}])
    page.get_by_text(f"Opened {name}").wait_for()


def test_a_structurally_faulty_diagram_is_refused_with_each_faulty_element_marked(page, deploy):
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    upload(page, "approval.bpmn", structurally_faulty_approval())
    page.fill("#deploy-note", "Try the faulty one")
    page.get_by_role("button", name="Deploy as a new version").click()
    page.wait_for_selector(".djs-overlay-validation-problem")
    assert "Not deployed" in page.text_content("#modeler-status")
    assert overlays(page) == {"record_approval": rules()["no-way-out"], "end_approved": rules()["unreachable-element"],
                              "record_rejection": rules()["script-syntax"]}
    assert page.locator("#problem-list li").count() == 3
    assert unexpected(page.problems) == []


def test_a_camunda_file_opened_in_the_modeler_lists_what_is_converted_and_what_is_ignored(page, deploy):
    deploy(*APPROVAL)
    sign_in(page, "mara")
    open_editor(page, "/modeler/processes/approval/edit")
    upload(page, "camunda_review.bpmn", (MODELS / "camunda_review.bpmn").read_bytes())
    remarks = page.locator("#remark-list li")
    remarks.first.wait_for()
    texts = remarks.all_text_contents()
    assert any(t.startswith("Converted: the JUEL condition ${approved && amount gt 1000} on the flow") for t in texts)
    assert any(t.startswith("Ignored: camunda:dueDate '${dueDate}' on the task “Review the request”") for t in texts)
    assert page.get_by_role("heading", name="Converted and ignored").is_visible()
    assert unexpected(page.problems) == []
