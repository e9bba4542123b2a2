"""Which widget a JSON-Schema node gets, in which order an object's fields come, and how
choice values travel through an HTML form as strings. Shared by the renderer and the parser,
so that what is drawn is exactly what is read back."""
from __future__ import annotations

import json

from flask_babel import gettext as _
import re

LONG_TEXT = 200  # a string that may be longer than this gets a textarea


def type_of(schema: dict) -> str:
    """The node's JSON type; `["string", "null"]` counts as string, and a missing type is guessed."""
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    if isinstance(declared, str):
        return declared
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    sample = next(iter(schema.get("enum") or []), schema.get("const"))
    return {bool: "boolean", int: "integer", float: "number", dict: "object", list: "array"}.get(
        type(sample), "string")


def choices_of(schema: dict) -> list[tuple[object, str]] | None:
    """(value, label) pairs from `enum` (labelled by `x-enum-titles` when given), or from `oneOf`/`anyOf` entries with `const` and `title`."""
    if isinstance(schema.get("enum"), list):
        titles = schema.get("x-enum-titles")  # people's names for directory fields (engine.form_extensions)
        if isinstance(titles, list) and len(titles) == len(schema["enum"]):
            return [(value, str(title)) for value, title in zip(schema["enum"], titles)]
        return [(value, str(value)) for value in schema["enum"]]
    for keyword in ("oneOf", "anyOf"):
        entries = schema.get(keyword)
        if isinstance(entries, list) and entries and all(isinstance(e, dict) and "const" in e for e in entries):
            return [(e["const"], str(e.get("title", e["const"]))) for e in entries]
    return None


def encode(value: object) -> str:
    """A choice value as the form submits it: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def decode(raw: str, choices: list[tuple[object, str]]) -> object:
    """The typed choice a submitted string stands for; an unknown string is kept for the validator."""
    return next((value for value, _ in choices if encode(value) == raw), raw)


def widget_of(schema: dict, ui: dict) -> str:
    """One of: group, rows, checkboxes, radio, select, checkbox, hidden, attachment, textarea,
    integer, number, date, datetime, email, text."""
    kind, asked = type_of(schema), ui.get("ui:widget")
    if kind == "object":
        return "group"
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return "checkboxes" if choices_of(items) is not None or asked == "checkboxes" else "rows"
    if asked == "hidden":
        return "hidden"
    if schema.get("x-attachment") is True and kind == "string":
        return "attachment"  # a file input; the value is the id of the stored file (engine.form_attachments)
    if choices_of(schema) is not None or (kind == "boolean" and asked in ("radio", "select")):
        return "radio" if asked == "radio" else "select"
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return kind
    formats = {"date": "date", "date-time": "datetime", "email": "email"}
    if schema.get("format") in formats:
        return formats[schema["format"]]
    if asked == "textarea" or (schema.get("maxLength") or 0) > LONG_TEXT:
        return "textarea"
    return "text"


def boolean_choices(schema: dict) -> list[tuple[object, str]]:
    return choices_of(schema) or [(True, _("Yes")), (False, _("No"))]


def field_order(schema: dict, ui: dict) -> list[str]:
    """Property names in `ui:order` order; `*` stands for the others, which otherwise go last."""
    names = list((schema.get("properties") or {}).keys())
    wanted = [n for n in ui.get("ui:order") or [] if n == "*" or n in names]
    rest = [n for n in names if n not in wanted]
    if "*" not in wanted:
        return wanted + rest
    at = wanted.index("*")
    return [n for n in wanted[:at] if n != "*"] + rest + [n for n in wanted[at + 1:] if n != "*"]


def ui_for(ui: dict, name: str) -> dict:
    found = ui.get(name) if isinstance(ui, dict) else None
    return found if isinstance(found, dict) else {}


def items_of(schema: dict, ui: dict) -> tuple[dict, dict]:
    items = schema.get("items")
    return (items if isinstance(items, dict) else {}), ui_for(ui, "items")


def words(key: str) -> str:
    """`experience_years` and `experienceYears` both read as "Experience years"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(key)).replace("_", " ").replace("-", " ")
    text = " ".join(spaced.split()).lower()
    return text[:1].upper() + text[1:]
