"""Comparing two versions of a BPMN file element by element, for the versions page."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from engine.bpmn import safe_xml

DIAGRAM_NS = "http://www.omg.org/spec/BPMN/20100524/DI"


@dataclass(frozen=True)
class ElementChanges:
    added: list[str]
    removed: list[str]
    changed: list[str]


def _semantic_elements(content: bytes) -> dict[str, bytes]:
    """Every element with an id, outside the diagram, as canonical XML of itself and what it holds
    (children with their own id count as themselves, so a changed task does not mark its lane)."""
    tree = safe_xml.parse(content, "version")
    found = {}
    for element in tree.getroot().iter():
        if not isinstance(element.tag, str) or element.get("id") is None:
            continue
        if etree.QName(element).namespace == DIAGRAM_NS or _inside_diagram(element):
            continue
        copy = etree.fromstring(etree.tostring(element))
        for child in list(copy):
            if isinstance(child.tag, str) and child.get("id") is not None and child.getparent() is copy \
                    and etree.QName(child).localname not in ("conditionExpression", "timerEventDefinition"):
                copy.remove(child)
        found[element.get("id")] = etree.tostring(copy, method="c14n")
    return found


def _inside_diagram(element) -> bool:
    return any(etree.QName(a).namespace == DIAGRAM_NS for a in element.iterancestors() if isinstance(a.tag, str))


def compare_bpmn(old: bytes, new: bytes) -> ElementChanges:
    before, after = _semantic_elements(old), _semantic_elements(new)
    return ElementChanges(
        added=sorted(set(after) - set(before)), removed=sorted(set(before) - set(after)),
        changed=sorted(i for i in set(before) & set(after) if before[i] != after[i]))
