"""A submitted HTML form (flat `candidates.0.name` keys) read back into typed JSON, guided by
the same schema that drew it; and the "Add row" / "Remove row" buttons that work without
JavaScript by re-drawing the form with one row more or less.

Empty fields are left out, so the engine's validator says "This field is required." rather
than complaining about an empty string. Anything that cannot be typed (`abc` for a number)
is passed on as it was typed, and the validator names the problem beside its field."""
from __future__ import annotations

import math
import re

from webapp.form_rendering.widgets import (
    boolean_choices, choices_of, decode, field_order, items_of, type_of, ui_for, widget_of,
)

ACTION = "_action"      # the name of the row buttons: "add:<array>" or "remove:<array>.<index>"
ROW_COUNT = "_rows."    # `_rows.<array>` holds how many rows the form showed
MAX_ROWS = 200
_OMIT = object()
_LOCAL_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class UnknownRowAction(ValueError):
    """A row button naming no array of the form (a forged or stale request)."""


def parse_submission(schema: dict | None, ui_schema: dict | None, form, keep_blank_rows: bool = False) -> dict:
    """`form`: a MultiDict (request.form). `keep_blank_rows`: keep rows left empty, to re-draw them."""
    schema = schema or {}
    value = _object(schema, ui_schema or {}, form, "", True, keep_blank_rows)
    return value if isinstance(value, dict) else {}


def _value(schema: dict, ui: dict, form, name: str, required: bool, keep: bool):
    widget = widget_of(schema, ui)
    if widget == "group":
        return _object(schema, ui, form, name + ".", required, keep)
    if widget == "rows":
        return _rows(schema, ui, form, name, required, keep)
    if widget == "checkboxes":
        items, _ = items_of(schema, ui)
        picked = [decode(raw, choices_of(items) or []) for raw in form.getlist(name) if raw != ""]
        return picked if picked or required else _OMIT
    raw = form.get(name)
    if type_of(schema) == "boolean":
        if widget == "checkbox":
            return raw in ("true", "on")
        return _OMIT if not raw else decode(raw, boolean_choices(schema))
    if raw is None or not raw.strip():
        return _OMIT
    if widget in ("radio", "select"):
        return decode(raw, choices_of(schema) or [])
    if type_of(schema) in ("integer", "number"):
        return _number(raw.strip())
    if widget == "datetime" and _LOCAL_DATE_TIME.match(raw.strip()):
        text = raw.strip()
        return text + (":00" if len(text) == 16 else "") + "Z"
    return raw.replace("\r\n", "\n")


def _object(schema: dict, ui: dict, form, prefix: str, required: bool, keep: bool):
    properties = schema.get("properties") or {}
    needed = set(schema.get("required") or [])
    found = {}
    for key in field_order(schema, ui):
        sub = properties[key] if isinstance(properties[key], dict) else {}
        value = _value(sub, ui_for(ui, key), form, prefix + key, key in needed, keep)
        if value is not _OMIT:
            found[key] = value
    return found if found or required else _OMIT


def _rows(schema: dict, ui: dict, form, name: str, required: bool, keep: bool):
    items, item_ui = items_of(schema, ui)
    rows = []
    for index in range(_row_count(form, name)):
        row_name = f"{name}.{index}"
        if not keep and _blank(form, row_name):
            continue
        value = _value(items, item_ui, form, row_name, True, keep)
        rows.append(None if value is _OMIT else value)
    return rows if rows or keep else _OMIT


def _row_count(form, name: str) -> int:
    shown = form.get(ROW_COUNT + name, "")
    if shown.isdigit():
        return min(int(shown), MAX_ROWS)
    prefix = name + "."
    indexes = [int(k[len(prefix):].split(".")[0]) for k in form.keys()
               if k.startswith(prefix) and k[len(prefix):].split(".")[0].isdigit()]
    return min(max(indexes, default=-1) + 1, MAX_ROWS)


def _blank(form, row_name: str) -> bool:
    return not any(raw.strip() for key in form.keys() if key == row_name or key.startswith(row_name + ".")
                   for raw in form.getlist(key))


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def apply_row_action(schema: dict | None, values: dict, action: str) -> tuple[dict, str]:
    """`values` (parsed with keep_blank_rows) with a row added or removed, and the name to focus."""
    verb, _, path = action.partition(":")
    parts = path.split(".") if path else []
    if verb == "add":
        node, rows = _array_at(schema or {}, values, parts)
        if node.get("maxItems") is None or len(rows) < node["maxItems"]:
            items = node.get("items") if isinstance(node.get("items"), dict) else {}
            rows.append({} if type_of(items) == "object" else None)
        return values, f"{path}.{len(rows) - 1}"
    if verb == "remove" and parts and parts[-1].isdigit():
        node, rows = _array_at(schema or {}, values, parts[:-1])
        index = int(parts[-1])
        if index < len(rows) and len(rows) > node.get("minItems", 0):
            del rows[index]
        return values, ".".join(parts[:-1])
    raise UnknownRowAction(action)


def _array_at(schema: dict, values: dict, parts: list[str]) -> tuple[dict, list]:
    """The schema node and the value list at a dotted path, creating empty containers on the way."""
    node, container = schema, values
    if not parts:
        raise UnknownRowAction("no array named")
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if part.isdigit() and type_of(node) == "array":
            node, index = (node.get("items") or {}), int(part)
            if not isinstance(container, list) or index >= len(container):
                raise UnknownRowAction(".".join(parts))
            if container[index] is None:
                container[index] = {}
            container = container[index]
        elif type_of(node) == "object" and part in (node.get("properties") or {}) and isinstance(container, dict):
            node = node["properties"][part]
            container = container.setdefault(part, [] if type_of(node) == "array" else {})
        else:
            raise UnknownRowAction(".".join(parts))
        if last and (type_of(node) != "array" or not isinstance(container, list)):
            raise UnknownRowAction(".".join(parts))
    return node, container
