"""The BPMN 2.0 XSD check, as advice rather than a gate.

Real modelers (SpiffArena's and Camunda's included) write files the XSD rejects over trivia
SpiffWorkflow executes fine: ids that are not NCNames, `escalation@errorCode`,
`startEvent@messageRef`, `BPMNPlane@label`... Refusing them refused working processes, so a
schema finding is a warning for the manager; whatever really stops execution is refused
later, by the parser or by our own checks, with its element named."""
from __future__ import annotations

import copy

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator

from engine.errors import Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MAX_FINDINGS_PER_FILE = 20

_VALIDATOR = BpmnValidator()


def is_bpmn_document(tree: etree._ElementTree) -> bool:
    return tree.getroot().tag == f"{{{BPMN_NS}}}definitions"


def schema_findings(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Where `tree` departs from the BPMN XSD (at most a few per file, the rest counted)."""
    document = copy.deepcopy(tree)
    _VALIDATOR.preprocess(document)  # the same bpmn-js quirk SpiffWorkflow forgives
    schema = _VALIDATOR.validator
    if schema.validate(document):
        return []
    errors = list(schema.error_log)
    findings = [Problem(f"BPMN schema: {_plain(e.message)} (SpiffWorkflow runs it anyway)",
                        file=file, line=e.line or None) for e in errors[:MAX_FINDINGS_PER_FILE]]
    if len(errors) > MAX_FINDINGS_PER_FILE:
        findings.append(Problem(f"BPMN schema: {len(errors) - MAX_FINDINGS_PER_FILE} more findings", file=file))
    return findings


def _plain(message: str) -> str:
    """lxml names elements as `{namespace}tag`; a manager reads `bpmn:tag`."""
    return message.replace(f"{{{BPMN_NS}}}", "bpmn:")
