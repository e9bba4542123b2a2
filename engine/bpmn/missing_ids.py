"""Ids for the flow elements a file leaves without one.

The BPMN schema lets `id` be omitted; SpiffWorkflow names each task spec after its element's
id, so an id-less element becomes a spec named "None": a subprocess that is "not found" at run
time, and two such elements a spec that does not load back ("Duplicate task spec name: None").
Only elements nothing refers to can lack an id (start events, event subprocesses, boundary
events), so an id made up here breaks no reference; the manager is told which."""
from __future__ import annotations

from lxml import etree

from engine.bpmn.element_checks import BPMN_NS
from engine.errors import Problem

_CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}
_NOT_FLOW_ELEMENTS = {"laneSet", "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation",
                      "association", "group", "ioSpecification", "property", "documentation", "extensionElements"}


def give_missing_ids(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Rewrite `tree` in place; one notice per element given an id."""
    root = tree.getroot()
    taken = {node.get("id") for node in root.iter() if isinstance(node.tag, str) and node.get("id")}
    notices = []
    for container in root.iter(*(f"{{{BPMN_NS}}}{c}" for c in _CONTAINERS)):
        for node in container:
            if not isinstance(node.tag, str) or node.get("id"):
                continue
            qname = etree.QName(node)
            if qname.namespace != BPMN_NS or qname.localname in _NOT_FLOW_ELEMENTS:
                continue
            made_up = _free_id(qname.localname, taken)
            node.set("id", made_up)
            notices.append(Problem(
                f"this {qname.localname} has no id (the BPMN standard allows that, the workflow library "
                f"does not): it runs as '{made_up}'", file=file, line=node.sourceline, element_id=made_up))
    return notices


def _free_id(kind: str, taken: set[str]) -> str:
    number = 1
    while f"{kind}_{number}" in taken:
        number += 1
    taken.add(f"{kind}_{number}")
    return f"{kind}_{number}"
