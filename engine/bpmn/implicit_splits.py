"""Several outgoing flows from a task or an event, made explicit with a gateway.

BPMN lets an activity split the flow by itself: every unconditioned outgoing flow is taken
(an implicit parallel split), and flows with a condition are taken when it holds (an
implicit inclusive split). Modelers draw this often; SpiffWorkflow refuses it ("Multiple
outgoing flows are not supported"). Inserting the equivalent gateway behind the element,
in the parsed tree only, runs these diagrams with their BPMN meaning."""
from __future__ import annotations

from lxml import etree

from engine.errors import Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_B = f"{{{BPMN_NS}}}"
# Elements SpiffWorkflow already lets split the flow themselves.
_SPLIT_BY_THEMSELVES = {"startEvent", "eventBasedGateway", "exclusiveGateway", "inclusiveGateway",
                        "parallelGateway", "complexGateway"}


def make_splits_explicit(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Rewrite `tree` in place; one notice per element given a gateway."""
    notices = []
    for container in tree.getroot().iter(f"{_B}process", f"{_B}subProcess", f"{_B}transaction",
                                         f"{_B}adHocSubProcess"):
        flows_by_source: dict[str, list] = {}
        for flow in container.findall(f"{_B}sequenceFlow"):
            flows_by_source.setdefault(flow.get("sourceRef"), []).append(flow)
        for node in list(container):
            if not isinstance(node.tag, str) or not node.tag.startswith(_B):
                continue
            local = etree.QName(node).localname
            outgoing = flows_by_source.get(node.get("id"), [])
            if len(outgoing) < 2 or local in _SPLIT_BY_THEMSELVES or local == "sequenceFlow":
                continue
            notices.append(_insert_gateway(container, node, outgoing, file))
    return notices


def _insert_gateway(container, node, outgoing: list, file: str) -> Problem:
    node_id = node.get("id")
    conditional = any(f.find(f"{_B}conditionExpression") is not None for f in outgoing)
    kind = "inclusiveGateway" if conditional else "parallelGateway"
    gateway = etree.SubElement(container, f"{_B}{kind}", id=f"{node_id}__implicit_split")
    default = node.attrib.pop("default", None)
    if default:
        gateway.set("default", default)
    link = etree.SubElement(container, f"{_B}sequenceFlow", id=f"{node_id}__to_implicit_split",
                            sourceRef=node_id, targetRef=gateway.get("id"))
    for ref in node.findall(f"{_B}outgoing"):
        node.remove(ref)
    etree.SubElement(node, f"{_B}outgoing").text = link.get("id")
    etree.SubElement(gateway, f"{_B}incoming").text = link.get("id")
    for flow in outgoing:
        flow.set("sourceRef", gateway.get("id"))
        etree.SubElement(gateway, f"{_B}outgoing").text = flow.get("id")
        if conditional and flow.get("id") != default and flow.find(f"{_B}conditionExpression") is None:
            etree.SubElement(flow, f"{_B}conditionExpression").text = "True"  # always taken, as BPMN says
    what = "an inclusive split (conditional flows)" if conditional else "a parallel split"
    return Problem(f"{len(outgoing)} outgoing flows leave this element: run as {what}, as BPMN defines it",
                   file=file, line=node.sourceline, element_id=node_id)
