"""Structural checks at deploy: a faulty diagram is refused with one error per faulty element,
and the shapes that begin without an incoming flow are not taken for unreachable ones."""
from __future__ import annotations

import json

import pytest

from engine import InvalidDeployment
from lxml import etree

from engine.bpmn.structure import rules, structural_problems
from tests.conftest import MANAGER
from tests.engine.helpers import start

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/'
        '20100524/MODEL" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" '
        'targetNamespace="http://example.org/test">\n')


def process_file(key: str, body: str, before: str = "") -> bytes:
    return f'{HEAD}{before}<bpmn:process id="{key}" name="{key}" isExecutable="true">\n{body}\n' \
           f'</bpmn:process>\n</bpmn:definitions>\n'.encode()


def deploy_file(engine, tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy_paths([path], actor=MANAGER)
        uow.commit()
    return result


FAULTY = process_file("faulty", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
  <bpmn:exclusiveGateway id="decide" />
  <bpmn:task id="orphan" name="Nobody comes here" />
  <bpmn:sequenceFlow id="f2" sourceRef="orphan" targetRef="end" />
  <bpmn:scriptTask id="loose_script" name="Unconnected script"><bpmn:script>x = (1 +</bpmn:script></bpmn:scriptTask>
  <bpmn:task id="check" name="Check" />
  <bpmn:sequenceFlow id="f3" sourceRef="start" targetRef="check" />
  <bpmn:sequenceFlow id="f4" sourceRef="check" targetRef="end"><bpmn:conditionExpression>amount &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="f5" sourceRef="check" targetRef="nowhere" />
  <bpmn:endEvent id="end" />
""")


def test_a_faulty_diagram_is_refused_with_one_error_per_faulty_element(engine, tmp_path):
    with pytest.raises(InvalidDeployment) as refused:
        deploy_file(engine, tmp_path, "faulty.bpmn", FAULTY)
    found = {p.element_id: p.rule for p in refused.value.problems}
    assert found == {"decide": "gateway-without-way-out", "orphan": "unreachable-element",
                     "loose_script": "script-syntax", "f4": "condition-syntax", "f5": "flow-to-nothing"}
    for problem in refused.value.problems:
        assert problem.message == rules()[problem.rule] and problem.line and problem.file == "faulty.bpmn"


def test_the_messages_are_the_shared_rule_list(engine):
    from engine.bpmn.structure import _RULES_FILE
    shared = {r["id"]: r["message"] for r in json.loads(_RULES_FILE.read_text())["rules"]}
    assert rules() == shared
    from engine.bpmn.structure import _PRIORITY
    assert {*_PRIORITY, "start-event-required"} <= set(shared), "every rule the server checks is in the shared list"


def test_a_task_with_no_way_out_and_a_process_without_start_are_refused(engine, tmp_path):
    dead_end = process_file("dead_end", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="stuck" />
  <bpmn:task id="stuck" />""")
    with pytest.raises(InvalidDeployment) as refused:
        deploy_file(engine, tmp_path, "dead_end.bpmn", dead_end)
    assert [(p.element_id, p.rule) for p in refused.value.problems] == [("stuck", "no-way-out")]
    no_start = process_file("no_start", '<bpmn:task id="alone" />')
    with pytest.raises(InvalidDeployment) as refused:
        deploy_file(engine, tmp_path, "no_start.bpmn", no_start)
    assert ("no_start", "start-event-required") in [(p.element_id, p.rule) for p in refused.value.problems]


BEGINS_OTHERWISE = process_file("begins_otherwise", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="book" />
  <bpmn:scriptTask id="book" name="Book the room"><bpmn:script>booked = True</bpmn:script></bpmn:scriptTask>
  <bpmn:boundaryEvent id="booking_failed" attachedToRef="book"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
  <bpmn:sequenceFlow id="f7" sourceRef="booking_failed" targetRef="end" />
  <bpmn:sequenceFlow id="f2" sourceRef="book" targetRef="jump" />
  <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="later" /></bpmn:intermediateThrowEvent>
  <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="later" /></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="f3" sourceRef="land" targetRef="inner" />
  <bpmn:subProcess id="inner">
    <bpmn:startEvent id="inner_start" />
    <bpmn:sequenceFlow id="f4" sourceRef="inner_start" targetRef="inner_end" />
    <bpmn:endEvent id="inner_end" />
  </bpmn:subProcess>
  <bpmn:sequenceFlow id="f5" sourceRef="inner" targetRef="end" />
  <bpmn:endEvent id="end" />
  <bpmn:subProcess id="on_signal" triggeredByEvent="true">
    <bpmn:startEvent id="signal_start" isInterrupting="false"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:startEvent>
    <bpmn:sequenceFlow id="f6" sourceRef="signal_start" targetRef="signal_end" />
    <bpmn:endEvent id="signal_end" />
  </bpmn:subProcess>
""", before='<bpmn:signal id="sig" name="wake_up" />\n')


def test_boundary_link_subprocess_and_event_subprocess_starts_are_not_unreachable(engine, tmp_path):
    result = deploy_file(engine, tmp_path, "begins_otherwise.bpmn", BEGINS_OTHERWISE)
    assert [d.key for d in result.definitions] == ["begins_otherwise"]
    instance = start(engine, "begins_otherwise")
    assert instance.state == "completed"


def test_a_compensation_handler_and_its_boundary_event_are_neither_unreachable_nor_dead_ends():
    """SpiffWorkflow's parser does not run compensation, so this is the structure check alone."""
    content = process_file("compensated", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="book" />
  <bpmn:task id="book" />
  <bpmn:boundaryEvent id="undo_booking" attachedToRef="book"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
  <bpmn:task id="cancel_booking" isForCompensation="true" />
  <bpmn:association id="a1" sourceRef="undo_booking" targetRef="cancel_booking" />
  <bpmn:sequenceFlow id="f2" sourceRef="book" targetRef="end" />
  <bpmn:endEvent id="end" />""")
    assert structural_problems(etree.ElementTree(etree.fromstring(content.split(b"\n", 1)[1])), "c.bpmn") == {}


def test_the_other_checks_still_speak_beside_a_structural_fault_one_error_per_element(engine, tmp_path):
    content = process_file("mixed", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="choose" />
  <bpmn:exclusiveGateway id="choose" />
  <bpmn:sequenceFlow id="a" sourceRef="choose" targetRef="end" />
  <bpmn:sequenceFlow id="b" sourceRef="choose" targetRef="end" />
  <bpmn:endEvent id="end" />
  <bpmn:scriptTask id="stray"><bpmn:script>if</bpmn:script></bpmn:scriptTask>""")
    with pytest.raises(InvalidDeployment) as refused:
        deploy_file(engine, tmp_path, "mixed.bpmn", content)
    found = sorted((p.element_id, p.rule or p.message) for p in refused.value.problems)
    assert [element for element, _ in found] == ["choose", "stray"] and found[1] == ("stray", "script-syntax")
