"""A two-step process whose first form asks for a file (`x-attachment`), for the page and
browser tests of attachments: a clerk uploads the signed letter, a director reviews it."""
from __future__ import annotations

import json
from pathlib import Path

FORM = {"type": "object", "required": ["letter"], "properties": {
    "subject": {"type": "string", "title": "Subject"},
    "letter": {"type": "string", "title": "Signed letter", "x-attachment": True}}}

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="letter_defs"
    targetNamespace="http://spiffworkflow.org/bpmn/schema/1.0/core">
  <bpmn:process id="signed_letter" name="Signed letter" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_clerk" name="Clerk"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>upload_letter</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="lane_director" name="Director"><bpmn:flowNodeRef>read_letter</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="upload_letter" name="Upload the signed letter">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="letter.schema.json"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:manualTask id="read_letter" name="Read the signed letter">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:manualTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="upload_letter"/>
    <bpmn:sequenceFlow id="f2" sourceRef="upload_letter" targetRef="read_letter"/>
    <bpmn:sequenceFlow id="f3" sourceRef="read_letter" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def deploy_signed_letter(deploy, folder: Path, form: dict | None = None):
    """`form`: another form for the first step (default: FORM)."""
    (folder / "signed_letter.bpmn").write_text(BPMN)
    (folder / "letter.schema.json").write_text(json.dumps(form or FORM))
    return deploy("signed_letter.bpmn", "letter.schema.json", folder=folder)
