"""A second version of the approval fixture, written the way an editor rewrites a file: one
task added between "Submit request" and "Review request", plus re-serialisation noise."""
from __future__ import annotations

from tests.conftest import FIXTURES

APPROVAL_XML = (FIXTURES / "approval.bpmn").read_text()
ADDED_TASK = """    <bpmn:userTask id="check_request" name="Check request">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="note.schema.json" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_submitted</bpmn:incoming>
      <bpmn:outgoing>flow_checked</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_checked" sourceRef="check_request" targetRef="review_request" />
"""


def with_added_task(xml: str = APPROVAL_XML) -> str:
    """Version 2: `check_request` (Clerk) added; the flow into review re-pointed; noise around."""
    replacements = [
        ('<bpmn:sequenceFlow id="flow_submitted" sourceRef="submit_request" targetRef="review_request" />',
         '<bpmn:sequenceFlow id="flow_submitted" sourceRef="submit_request" targetRef="check_request" />\n'
         + ADDED_TASK),
        ("<bpmn:incoming>flow_submitted</bpmn:incoming>\n      <bpmn:outgoing>flow_reviewed",
         "<bpmn:incoming>flow_checked</bpmn:incoming>\n      <bpmn:outgoing>flow_reviewed"),
        ("<bpmn:flowNodeRef>submit_request</bpmn:flowNodeRef>",
         "<bpmn:flowNodeRef>submit_request</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>check_request</bpmn:flowNodeRef>"),
        ('      <bpmndi:BPMNShape id="review_request_di" bpmnElement="review_request">',
         '      <bpmndi:BPMNShape id="check_request_di" bpmnElement="check_request">\n'
         '        <dc:Bounds x="320" y="240" width="100" height="60" />\n      </bpmndi:BPMNShape>\n'
         '      <bpmndi:BPMNEdge id="flow_checked_di" bpmnElement="flow_checked">\n'
         '        <di:waypoint x="420" y="270" />\n        <di:waypoint x="470" y="380" />\n'
         '      </bpmndi:BPMNEdge>\n'
         '      <bpmndi:BPMNShape id="review_request_di" bpmnElement="review_request">'),
        # noise: attribute order, a variable declaration, moved coordinates
        ('<bpmn:exclusiveGateway id="approved_gateway" name="Approved?" default="flow_rejected">',
         '<bpmn:exclusiveGateway default="flow_rejected" name="Approved?" id="approved_gateway">\n'
         '      <bpmn:extensionElements><spiffworkflow:properties></spiffworkflow:properties></bpmn:extensionElements>'),
        ('<bpmn:laneSet id="approval_lanes">',
         '<bpmn:property id="languages" name="languages" />\n    <bpmn:laneSet id="approval_lanes">'),
        ('<bpmn:startEvent id="start"', '<bpmn:dataObject id="scratch" />\n    <bpmn:startEvent id="start"'),
    ]
    for old, new in replacements:
        assert old in xml, old
        xml = xml.replace(old, new, 1)
    return xml.replace('x="202"', 'x="205"')
