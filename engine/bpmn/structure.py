"""Structural checks at deploy: what SpiffWorkflow would only find when a case gets stuck.

The rules (ids and messages) are shared with the modeler's lint in `structure_rules.json`, so
a manager reads the same words in the editor and in the deploy's 422. Each faulty element gets
ONE problem (the first rule it breaks, in the order of `_PRIORITY`), so a diagram with three
faults answers three errors, whatever else the parser would have stumbled on afterwards.

Works on the XML tree after `dialects.adapt` (conditions already translated to Python), scope
by scope: a process, and inside it each subprocess with its own start events."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from lxml import etree

from engine.bpmn.element_checks import BPMN_NS, SPIFF_NS
from engine.errors import Problem

_RULES_FILE = Path(__file__).with_name("structure_rules.json")
_PRIORITY = ("flow-to-nothing", "script-syntax", "condition-syntax", "gateway-without-way-out", "no-way-out",
             "unreachable-element")
_SCOPES = {"process", "subProcess", "transaction", "adHocSubProcess"}
# Children of a scope that are not steps of its flow.
_NOT_FLOW_NODES = {"sequenceFlow", "laneSet", "dataObject", "dataObjectReference", "dataStoreReference",
                   "textAnnotation", "association", "group", "extensionElements", "documentation",
                   "ioSpecification", "property", "dataInputAssociation", "dataOutputAssociation",
                   "multiInstanceLoopCharacteristics", "standardLoopCharacteristics", "completionCondition",
                   "incoming", "outgoing", "category"}


@lru_cache(maxsize=1)
def rules() -> dict[str, str]:
    """Rule id -> the message a manager reads, from the list the modeler shares."""
    return {rule["id"]: rule["message"] for rule in json.loads(_RULES_FILE.read_text())["rules"]}


def structural_problems(tree: etree._ElementTree, file: str) -> dict[str, list[Problem]]:
    """Process key -> its structural problems (one per faulty element), for every process in `tree`."""
    found = {}
    for process in tree.getroot().iter(f"{{{BPMN_NS}}}process"):
        faults: dict[str, str] = {}
        nodes = {}
        if not _children(process, "startEvent") and _flow_nodes(process):
            faults[process.get("id")] = "start-event-required"
        _check_scope(process, faults, nodes)
        _check_code(process, faults)
        problems = [_problem(nodes.get(i, process), i, rule, file) for i, rule in faults.items()]
        if problems:
            found[process.get("id")] = problems
    return found


def _problem(node, element_id: str, rule: str, file: str) -> Problem:
    return Problem(rules()[rule], file=file, line=node.sourceline, element_id=element_id, rule=rule)


def _fault(faults: dict[str, str], element_id: str | None, rule: str) -> None:
    if not element_id:
        return
    current = faults.get(element_id)
    if current is None or _PRIORITY.index(rule) < _PRIORITY.index(current):
        faults[element_id] = rule


def _local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _children(scope, localname: str) -> list:
    return [c for c in scope if _local(c) == localname and etree.QName(c).namespace == BPMN_NS]


def _flow_nodes(scope) -> dict[str, etree._Element]:
    return {c.get("id"): c for c in scope if isinstance(c.tag, str) and etree.QName(c).namespace == BPMN_NS
            and _local(c) not in _NOT_FLOW_NODES and c.get("id")}


def _check_scope(scope, faults: dict[str, str], all_nodes: dict) -> None:
    nodes = _flow_nodes(scope)
    all_nodes.update(nodes)
    outgoing: dict[str, list[str]] = {i: [] for i in nodes}
    for flow in _children(scope, "sequenceFlow"):
        all_nodes[flow.get("id")] = flow
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        if source not in nodes or target not in nodes:
            _fault(faults, flow.get("id"), "flow-to-nothing")
            continue
        outgoing[source].append(target)
    for inner in nodes.values():
        if _local(inner) in _SCOPES:
            _check_scope(inner, faults, all_nodes)
    if _local(scope) == "adHocSubProcess":
        return  # its activities start in any order, without flows
    reached = _reachable(nodes, outgoing)
    for element_id, node in nodes.items():
        if element_id not in reached:
            _fault(faults, element_id, "unreachable-element")
        if not outgoing[element_id] and _needs_way_out(node):
            rule = "gateway-without-way-out" if _local(node).endswith("Gateway") else "no-way-out"
            _fault(faults, element_id, rule)


def _reachable(nodes: dict, outgoing: dict[str, list[str]]) -> set[str]:
    """Everything a token can reach from where tokens begin in this scope."""
    incoming = {t for targets in outgoing.values() for t in targets}
    has_start = any(_local(n) == "startEvent" for n in nodes.values())
    todo = [i for i, n in nodes.items() if _begins_tokens(n) or (not has_start and i not in incoming)]
    seen = set(todo)
    while todo:
        for target in outgoing[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _begins_tokens(node) -> bool:
    """Start events (message, signal, timer too), boundary events, event subprocesses, link catch
    events and compensation handlers are begun by something other than an incoming flow."""
    kind = _local(node)
    return (kind in ("startEvent", "boundaryEvent")
            or (kind == "subProcess" and node.get("triggeredByEvent") == "true")
            or (kind == "intermediateCatchEvent" and _has_definition(node, "linkEventDefinition"))
            or node.get("isForCompensation") == "true")


def _needs_way_out(node) -> bool:
    kind = _local(node)
    if kind == "endEvent" or node.get("isForCompensation") == "true":
        return False
    if kind == "subProcess" and node.get("triggeredByEvent") == "true":
        return False
    if kind == "intermediateThrowEvent" and _has_definition(node, "linkEventDefinition"):
        return False
    if kind == "boundaryEvent" and _has_definition(node, "compensateEventDefinition"):
        return False
    return True


def _has_definition(node, localname: str) -> bool:
    return node.find(f"{{{BPMN_NS}}}{localname}") is not None


def _check_code(process, faults: dict[str, str]) -> None:
    """Scripts on ANY element (reachable or not) and the conditions of flows must be Python."""
    for script in process.iter(f"{{{BPMN_NS}}}script"):
        _check_python(script.text, "exec", script.getparent(), faults, "script-syntax")
    for tag in ("preScript", "postScript"):
        for script in process.iter(f"{{{SPIFF_NS}}}{tag}"):
            owner = script.getparent().getparent() if _local(script.getparent()) == "extensionElements" \
                else script.getparent()
            _check_python(script.text, "exec", owner, faults, "script-syntax")
    for condition in process.iter(f"{{{BPMN_NS}}}conditionExpression"):
        _check_python(condition.text, "eval", condition.getparent(), faults, "condition-syntax")


def _check_python(text: str | None, mode: str, owner, faults: dict[str, str], rule: str) -> None:
    if not text or not text.strip():
        return  # an empty condition or script is reported by the element checks, in their words
    try:
        compile(text.strip() if mode == "eval" else text, "<bpmn>", mode, dont_inherit=True)
    except (SyntaxError, ValueError):
        _fault(faults, owner.get("id"), rule)
