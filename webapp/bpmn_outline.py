"""What a deployed BPMN file names: its elements (id -> name) and its lanes (the roles).

The XML comes from the engine's repository, which refused anything unsafe when it was
deployed; it is read here again with entity resolution, DTDs and the network off all the same."""
from __future__ import annotations

from lxml import etree

BPMN_NAMESPACE = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _root(xml: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(xml.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def element_names(xml: str) -> dict[str, str]:
    """{element id: its name} for every named BPMN element (tasks, events, gateways, lanes...)."""
    root = _root(xml)
    if root is None:
        return {}
    names = {}
    for element in root.iter(f"{{{BPMN_NAMESPACE}}}*"):
        element_id, name = element.get("id"), (element.get("name") or "").strip()
        if element_id and name:
            names[element_id] = " ".join(name.split())
    return names


def lane_names(xml: str) -> set[str]:
    """The names of the file's lanes: each is a role that may do the user tasks in it."""
    root = _root(xml)
    if root is None:
        return set()
    return {" ".join(lane.get("name").split()) for lane in root.iter(f"{{{BPMN_NAMESPACE}}}lane")
            if (lane.get("name") or "").strip()}
