"""The form keyword `"x-attachment": true` on a string property: the value is the id of a file
attached to the task's instance (uploaded with the form, or before). The schema validator sees
a string; the task service checks here that it names a file of this very case."""
from __future__ import annotations

from engine.errors import Problem

ATTACHMENT = "x-attachment"


def is_attachment_field(schema) -> bool:
    return isinstance(schema, dict) and schema.get(ATTACHMENT) is True


def attachment_values(schema, data, prefix: str = "") -> dict[str, object]:
    """{dotted field name: submitted value} of the attachment fields `data` fills in (in
    objects, nested objects and rows), named as the validator names fields."""
    found: dict[str, object] = {}
    if not isinstance(schema, dict):
        return found
    if isinstance(data, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key not in data or data[key] is None:
                continue
            name = f"{prefix}{key}"
            if is_attachment_field(sub):
                found[name] = data[key]
            else:
                found.update(attachment_values(sub, data[key], name + "."))
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(data):
            name = f"{prefix}{index}"
            if is_attachment_field(schema["items"]) and item is not None:
                found[name] = item
            else:
                found.update(attachment_values(schema["items"], item, name + "."))
    return found


def check_attachment_fields(schema, name: str, where: str = "") -> list[Problem]:
    """Deploy-time: `x-attachment` is `true` on a string property (its value is an id)."""
    problems = []
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            problems += check_attachment_fields(item, name, f"{where}/{index}")
        return problems
    if not isinstance(schema, dict):
        return problems
    if ATTACHMENT in schema and (schema[ATTACHMENT] is not True or schema.get("type") != "string"):
        problems.append(Problem(f"{ATTACHMENT} at {where or '(top level)'} must be true, on a property of type "
                                "string (it holds the attachment's id)", file=name))
    for key, value in schema.items():
        if isinstance(value, (dict, list)):
            problems += check_attachment_fields(value, name, f"{where}/{key}")
    return problems
