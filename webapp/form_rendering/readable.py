"""Data gathered by earlier steps shown to people, never as raw JSON: objects become
definition lists, lists of objects become tables, keys become words, booleans Yes/No."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

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


def readable(value, labels=None, people: dict | None = None, depth: int = 0, key=None) -> Shown:
    """`labels` (engine FieldLabels) name the keys by their forms' titles, format dates and name
    choices; `people` ({user name: display name}) name the people of directory fields."""
    from webapp.data_display import data_text, field_title  # needs the app's language: imported late
    if depth > MAX_DEPTH:
        return Shown("text", text="…")
    if isinstance(value, dict):
        return Shown("entries", entries=[(field_title(k, labels), readable(v, labels, people, depth + 1, k))
                                         for k, v in value.items()])
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = list(dict.fromkeys(k for row in value for k in row))
        return Shown("table", columns=[field_title(k, labels) for k in keys],
                     rows=[[readable(row.get(k), labels, people, depth + 1, k) for k in keys] for row in value])
    if isinstance(value, list):
        return Shown("items", items=[readable(v, labels, people, depth + 1, key) for v in value])
    if isinstance(value, bool):
        return Shown("text", text=_("Yes") if value else _("No"))
    if isinstance(value, str) and value:
        return Shown("text", text=data_text(value, key, labels, people))
    return Shown("text", text="—" if value is None or value == "" else str(value))
