"""Small BPMN files carrying a hostile script or instruction template, written for each test."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" '
        'targetNamespace="http://spiffworkflow.org/bpmn/schema/1.0/core">\n')


def script_then_task(key: str, script: str, instructions: str = "Check the result.") -> str:
    """start -> script -> user task (with instructions) -> end, unlaned."""
    return HEAD + f'''<bpmn:process id="{key}" name="{key}" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
  <bpmn:scriptTask id="run_script"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    <bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
  <bpmn:userTask id="check" name="Check"><bpmn:extensionElements>
    <spiffworkflow:instructionsForEndUser>{escape(instructions)}</spiffworkflow:instructionsForEndUser>
  </bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
  <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="run_script" />
  <bpmn:sequenceFlow id="f2" sourceRef="run_script" targetRef="check" />
  <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />
</bpmn:process></bpmn:definitions>'''


def timer_then_script(key: str, script: str) -> str:
    """start -> a one-hour timer -> script -> end: the script runs in the timer worker."""
    return HEAD + f'''<bpmn:process id="{key}" name="{key}" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
  <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    <bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>
  </bpmn:intermediateCatchEvent>
  <bpmn:scriptTask id="run_script"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    <bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
  <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
  <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="run_script" />
  <bpmn:sequenceFlow id="f3" sourceRef="run_script" targetRef="end" />
</bpmn:process></bpmn:definitions>'''


def deploy_text(engine, folder: Path, name: str, text: str) -> None:
    from tests.conftest import MANAGER
    path = folder / name
    path.write_text(text)
    with engine.unit_of_work() as uow:
        uow.repository.deploy_paths([path], actor=MANAGER)
        uow.commit()
