"""A task's JSON Schema and UI schema, with the values and problems at hand, become a tree of
fields that the macros in templates/form_rendering/fields.html draw. No HTML is made here.

Field names are dotted paths (`candidates.0.name`), the same paths the engine's validator
reports problems on, so a problem lands beside the field it is about."""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from datetime import datetime, timezone

from flask_babel import gettext

from webapp.i18n import problem_message
from webapp.form_rendering.widgets import (
    boolean_choices, choices_of, encode, field_order, items_of, type_of, ui_for, widget_of, words,
)

FORM_LEVEL = "(form)"


@dataclass
class Option:
    value: str
    label: str
    selected: bool = False


@dataclass
class Field:
    name: str
    widget: str
    label: str
    required: bool = False
    help: str | None = None
    placeholder: str | None = None
    value: str = ""
    checked: bool = False
    options: list[Option] = dataclass_field(default_factory=list)
    children: list["Field"] = dataclass_field(default_factory=list)
    attributes: dict = dataclass_field(default_factory=dict)
    error: str | None = None
    autofocus: bool = False
    can_add: bool = False
    can_remove: bool = False

    @property
    def id(self) -> str:
        return "field-" + re.sub(r"[^A-Za-z0-9_-]", "_", self.name)

    @property
    def described_by(self) -> str:
        return " ".join(i for i, shown in ((self.id + "-help", self.help), (self.id + "-error", self.error)) if shown)


@dataclass
class ErrorLine:
    message: str
    label: str | None = None
    target: str | None = None  # the id of the field it is about


@dataclass
class SchemaForm:
    fields: list[Field]
    errors: list[ErrorLine]

    @property
    def has_required(self) -> bool:
        return any(f.required for f in _walk(self.fields))


def build_form(schema: dict | None, ui_schema: dict | None = None, values: dict | None = None,
               problems: dict[str, str] | None = None, focus: str | None = None) -> SchemaForm:
    """`problems`: {dotted field: message}; `focus`: the name of the field (or new row) to focus."""
    schema, ui = schema or {}, ui_schema or {}
    values = values if isinstance(values, dict) else {}
    fields = _children(schema, ui, values, "")
    by_name = {f.name: f for f in _walk(fields)}
    position = {name: index for index, name in enumerate(by_name)}
    errors = []
    for name, message in (problems or {}).items():
        owner = _owner(name, by_name)
        if owner is not None and owner.error is None:
            owner.error = message
        errors.append((position.get(owner.name, -1) if owner else -1,
                       ErrorLine(message, owner.label if owner else None, owner.id if owner else None)))
    if focus in by_name:
        _first_focusable(by_name[focus]).autofocus = True
    return SchemaForm(fields, [line for _, line in sorted(errors, key=lambda pair: pair[0])])


def _children(schema: dict, ui: dict, values: dict, prefix: str) -> list[Field]:
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    return [_field(prefix + name, properties[name] if isinstance(properties[name], dict) else {},
                   ui_for(ui, name), values.get(name), name in required, name)
            for name in field_order(schema, ui)]


def _field(name: str, schema: dict, ui: dict, value, required: bool, key: str) -> Field:
    widget = widget_of(schema, ui)
    if value is None and "default" in schema:
        value = schema["default"]
    field = Field(name=name, widget=widget, label=str(ui.get("ui:title") or schema.get("title") or words(key)),
                  required=required and widget != "checkbox", help=ui.get("ui:help") or schema.get("description"),
                  placeholder=ui.get("ui:placeholder"))
    if widget == "group":
        field.children = _children(schema, ui, value if isinstance(value, dict) else {}, name + ".")
    elif widget == "rows":
        _rows(field, schema, ui, value)
    elif widget == "checkboxes":
        items, _ = items_of(schema, ui)
        picked = {encode(v) for v in value} if isinstance(value, list) else set()
        field.options = [Option(encode(v), label, encode(v) in picked) for v, label in choices_of(items) or []]
    elif widget in ("radio", "select"):
        choices = boolean_choices(schema) if type_of(schema) == "boolean" else choices_of(schema)
        field.value = "" if value is None else encode(value)
        field.options = [Option(encode(v), label, encode(v) == field.value) for v, label in choices]
        if widget == "select" and isinstance(schema.get("x-directory-role"), str):
            field.attributes = {"data-people-picker": schema["x-directory-role"],  # searchable (people-picker.js)
                                "data-search-label": gettext("Search"),
                                "data-search-placeholder": gettext("Type to search by name")}
    elif widget == "checkbox":
        field.checked = value is True
    else:
        field.value = _shown(value, widget)
        field.attributes = _attributes(schema, widget)
    return field


def _rows(field: Field, schema: dict, ui: dict, value) -> None:
    items, item_ui = items_of(schema, ui)
    least, most = schema.get("minItems", 0), schema.get("maxItems")
    rows = value if isinstance(value, list) else [None] * max(least, 1)
    singular = item_ui.get("ui:title") or items.get("title") or field.label
    for index, row in enumerate(rows):
        child = _field(f"{field.name}.{index}", items, item_ui, row, False, singular)
        child.label = f"{singular} {index + 1}"
        field.children.append(child)
    field.can_add = most is None or len(rows) < most
    field.can_remove = len(rows) > least


def _shown(value, widget: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if widget == "datetime" and isinstance(value, str):
        return _local_input(value)
    return str(value)


def _local_input(value: str) -> str:
    """An RFC 3339 date-time as a `datetime-local` input shows it: in UTC, without the zone."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M" + (":%S" if moment.second else ""))


def _attributes(schema: dict, widget: str) -> dict:
    attributes = {}
    if widget in ("integer", "number"):
        attributes["step"] = "1" if widget == "integer" else "any"
        for keyword, attribute in (("minimum", "min"), ("maximum", "max")):
            if isinstance(schema.get(keyword), (int, float)):
                attributes[attribute] = schema[keyword]
    elif isinstance(schema.get("maxLength"), int):
        attributes["maxlength"] = schema["maxLength"]
    return attributes


def _walk(fields: list[Field]):
    for field in fields:
        yield field
        yield from _walk(field.children)


def _owner(name: str, by_name: dict[str, Field]) -> Field | None:
    """The field a problem is about, or its nearest enclosing field (e.g. one checkbox of a group)."""
    parts = name.split(".") if name != FORM_LEVEL else []
    while parts:
        found = by_name.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


def _first_focusable(field: Field) -> Field:
    if field.widget == "group" and field.children:
        return _first_focusable(field.children[0])
    return field


def problems_by_field(problems) -> dict[str, str]:
    """The engine's Problems as {dotted field: message}, the first one per field."""
    found: dict[str, str] = {}
    for problem in problems:
        found.setdefault(problem.field or FORM_LEVEL, problem_message(problem))
    return found


def initial_values(schema: dict | None, data: dict | None) -> dict:
    """What the form starts with: the task data its fields name (defaults fill the rest)."""
    names = set((schema or {}).get("properties") or {})
    return {k: v for k, v in (data or {}).items() if k in names}
