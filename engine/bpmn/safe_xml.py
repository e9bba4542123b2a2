"""Parsing untrusted XML: no entity expansion, no DTD, no network, no DOCTYPE at all."""
from __future__ import annotations

from lxml import etree

from engine.errors import Problem


class UnsafeXml(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=False, dtd_validation=False)


def parse(content: bytes, filename: str) -> etree._ElementTree:
    """The tree of `content`, or `UnsafeXml` naming the file and line of what is wrong."""
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno if isinstance(error.lineno, int) else None
        raise UnsafeXml(Problem(f"not well-formed XML: {error.msg}", file=filename, line=line)) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeXml(Problem("DOCTYPE declarations (and the entities they define) are not allowed",
                                file=filename, line=1))
    return tree


def line_of(tree, element_id: str | None) -> int | None:
    if not element_id:
        return None
    found = tree.xpath("//*[@id=$i]", i=element_id)
    return found[0].sourceline if found else None
