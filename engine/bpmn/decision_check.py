"""DMN cells are code too: checked at deploy by the same rules as scripts and conditions.

SpiffWorkflow evaluates an input entry joined to its input expression (`amount >= 1000`,
`status == "gold"`, or with `?` standing for the input), and output entries and input
expressions on their own. A cell the sandbox would refuse is refused at deploy, naming the
rule, instead of failing the instance that first reaches it."""
from __future__ import annotations

from lxml import etree

from engine.bpmn.scripting import refusals
from engine.errors import Problem

_PLACEHOLDER = "decision_input"


def decision_expression_problems(tree: etree._ElementTree, file: str) -> list[Problem]:
    problems = []
    for node in tree.getroot().iter():
        if not isinstance(node.tag, str):
            continue
        local = etree.QName(node).localname
        if local not in ("inputEntry", "outputEntry", "inputExpression"):
            continue
        text_node = next((c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == "text"), None)
        text = (text_node.text if text_node is not None else "") or ""
        if not text.strip() or text.strip() == "-":
            continue
        errors = _entry_refusals(text.strip()) if local == "inputEntry" else refusals(text.strip(), "eval")
        if errors:
            owner = node.getparent()
            problems.append(Problem(f"the decision cell {text.strip()!r} is refused: {'; '.join(errors)}",
                                    file=file, line=node.sourceline,
                                    element_id=node.get("id") or owner.get("id")))
    return problems


def _entry_refusals(text: str) -> list[str]:
    """An input entry is fine when one of the ways SpiffWorkflow may read it is fine."""
    candidates = [text.replace("?", _PLACEHOLDER), f"{_PLACEHOLDER} {text}", f"{_PLACEHOLDER} == ({text})"]
    first = None
    for candidate in candidates:
        errors = refusals(candidate, "eval")
        if not errors:
            return []
        first = first or errors
    return first
