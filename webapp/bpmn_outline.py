"""What a deployed BPMN file names: its elements (id -> name) and its lanes (the roles).

The XML comes from the engine's repository, which refused anything unsafe when it was
deployed; it is read here again with entity resolution, DTDs and the network off all the same."""
from __future__ import annotations

from lxml import etree

from engine.process_texts import text_in

BPMN_NAMESPACE = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NAMESPACE = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def _root(xml: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(xml.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def element_names(xml: str, language: str | None = None) -> dict[str, str]:
    """{element id: its name} for every named BPMN element (tasks, events, gateways, lanes,
    the process itself), in `language` where the element gives one (the extension property
    `name_<language>`, engine.process_texts), else as named."""
    root = _root(xml)
    if root is None:
        return {}
    names = {}
    for element in root.iter(f"{{{BPMN_NAMESPACE}}}*"):
        element_id, name = element.get("id"), (element.get("name") or "").strip()
        if element_id and name:
            names[element_id] = " ".join(text_in(_properties(element), "name", name, language).split())
    return names


def _properties(element) -> dict[str, str]:
    """The element's own `spiffworkflow:property` values (not those of elements inside it)."""
    found = element.findall(f"{{{BPMN_NAMESPACE}}}extensionElements/{{{SPIFF_NAMESPACE}}}properties/"
                            f"{{{SPIFF_NAMESPACE}}}property")
    return {p.get("name"): p.get("value") for p in found if p.get("name")}


def lane_names(xml: str) -> set[str]:
    """The names of the file's lanes: each is a role that may do the user tasks in it."""
    root = _root(xml)
    if root is None:
        return set()
    return {" ".join(lane.get("name").split()) for lane in root.iter(f"{{{BPMN_NAMESPACE}}}lane")
            if (lane.get("name") or "").strip()}
