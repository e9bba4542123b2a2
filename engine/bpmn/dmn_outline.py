"""What a DMN file holds, for lists: its decisions' ids and names, read without SpiffWorkflow
(the file is already deployed, so a broken one only yields an empty outline)."""
from __future__ import annotations

from lxml import etree

from engine.bpmn import safe_xml


def decision_names(content: bytes, file_name: str) -> list[tuple[str, str]]:
    """(id, name) of each decision, in file order; the name falls back to the id."""
    try:
        tree = safe_xml.parse(content, file_name)
    except safe_xml.UnsafeXml:
        return []
    return [(node.get("id") or "", node.get("name") or node.get("id") or "")
            for node in tree.getroot().iter()
            if isinstance(node.tag, str) and etree.QName(node).localname == "decision"]
