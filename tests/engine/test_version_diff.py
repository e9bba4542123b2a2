"""Comparing two versions by meaning: what a manager changed, not how the editor wrote it."""
from __future__ import annotations

from engine.bpmn.diff import compare_bpmn
from tests.engine.approval_versions import APPROVAL_XML, with_added_task


def test_one_added_task_is_one_added_element_and_the_flows_that_changed_without_noise():
    changes = compare_bpmn(APPROVAL_XML.encode(), with_added_task().encode())
    assert changes.added == ["check_request", "flow_checked"]
    assert changes.removed == []
    assert changes.changed == ["flow_submitted"] and changes.details == {"flow_submitted": ["target"]}


def test_a_changed_element_says_what_changed_inside_it():
    changed = (APPROVAL_XML.replace('name="Record approval"', 'name="Record the approval"')
               .replace("outcome = 'approved'", "outcome = 'granted'")
               .replace("<bpmn:conditionExpression>approved</", "<bpmn:conditionExpression>approved == True</")
               .replace('value="review.schema.json"', 'value="note.schema.json"')
               .replace('<bpmn:flowNodeRef>record_rejection</bpmn:flowNodeRef>', "")
               .replace('<bpmn:flowNodeRef>submit_request</bpmn:flowNodeRef>',
                        '<bpmn:flowNodeRef>submit_request</bpmn:flowNodeRef><bpmn:flowNodeRef>record_rejection'
                        '</bpmn:flowNodeRef>'))
    changes = compare_bpmn(APPROVAL_XML.encode(), changed.encode())
    assert changes.details == {"record_approval": ["name", "script"], "flow_approved": ["condition"],
                               "review_request": ["form"], "record_rejection": ["lane"]}
    assert changes.added == changes.removed == []


def test_the_same_file_rewritten_shows_no_change():
    rewritten = APPROVAL_XML.replace("outcome = 'approved'", "\n      outcome = 'approved'   \n")
    rewritten = rewritten.replace('<bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="submit_request" />',
                                  '<bpmn:sequenceFlow targetRef="submit_request" sourceRef="start" id="flow_start"/>')
    assert compare_bpmn(APPROVAL_XML.encode(), rewritten.encode()) == compare_bpmn(b"<a/>", b"<a/>")
