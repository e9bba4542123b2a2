"""Data gathered by earlier steps shown to people, never as raw JSON: objects become
definition lists, lists of objects become tables, keys become words, booleans Yes/No."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from webapp.form_rendering.widgets import words

MAX_DEPTH = 6


@dataclass
class Shown:
    """kind: text | entries (a definition list) | items (a list) | table."""
    kind: str
    text: str = ""
    entries: list[tuple[str, "Shown"]] = field(default_factory=list)
    items: list["Shown"] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list["Shown"]] = field(default_factory=list)


def readable(value, depth: int = 0) -> Shown:
    if depth > MAX_DEPTH:
        return Shown("text", text="…")
    if isinstance(value, dict):
        return Shown("entries", entries=[(words(k), readable(v, depth + 1)) for k, v in value.items()])
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = list(dict.fromkeys(k for row in value for k in row))
        return Shown("table", columns=[words(k) for k in keys],
                     rows=[[readable(row.get(k), depth + 1) for k in keys] for row in value])
    if isinstance(value, list):
        return Shown("items", items=[readable(v, depth + 1) for v in value])
    if isinstance(value, bool):
        return Shown("text", text=_("Yes") if value else _("No"))
    return Shown("text", text="—" if value is None or value == "" else str(value))
