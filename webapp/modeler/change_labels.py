"""What changed inside an element, in words a manager reads (the engine's diff names properties)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "type": _l("type"), "name": _l("name"), "documentation": _l("documentation"), "text": _l("text"),
    "source": _l("where it starts"), "target": _l("where it leads"), "condition": _l("condition"),
    "lane": _l("lane"), "assignee": _l("assignee"), "default flow": _l("default flow"),
    "called element": _l("called process"), "attached to": _l("attached to"), "interrupting": _l("interrupting"),
    "script": _l("script"), "pre-script": _l("script before"), "post-script": _l("script after"),
    "form": _l("form"), "instructions": _l("instructions"), "decision": _l("decision"), "service": _l("service"),
    "properties": _l("properties"), "event": _l("event"), "timer": _l("timer"), "loop": _l("repetition"),
}


def described(details: dict[str, list[str]]) -> dict[str, str]:
    """Element id -> "name, condition": the changed properties, in the page's language."""
    return {element_id: ", ".join(str(LABELS.get(what, what)) for what in whats)
            for element_id, whats in details.items()}
