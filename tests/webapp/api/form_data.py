"""Minimal valid data for a JSON-Schema form: required fields only, the first enum value, a date
for `format: date`, `minItems` items, numbers at their minimum, strings matching their pattern.

`variant` picks other choices so that a process sent back round a loop can take another
branch the next time: the next enum value, `false` for booleans, and on odd variants fuller
data (optional fields too, at least one item per list, numbers above their minimum).
Conditional requirements (`if`/`then`) are met by filling in what validation finds missing."""
from __future__ import annotations

import copy
from datetime import date

from jsonschema.validators import validator_for

FORMATS = {"date": "2027-01-15", "date-time": "2027-01-15T09:00:00Z", "time": "09:00:00Z",
           "email": "clerk@example.org", "uri": "https://example.org/", "uuid": "00000000-0000-4000-8000-000000000000"}
TEXT = "example"


def _pattern_text(pattern: str, min_length: int) -> str:
    """The simplest string matching a regular expression, as Hypothesis shrinks it."""
    from hypothesis import find, settings
    from hypothesis import strategies as st
    return find(st.from_regex(pattern).filter(lambda s: len(s) >= min_length), lambda s: True,
                settings=settings(database=None, max_examples=2000))


def _merged(schema: dict) -> dict:
    """A schema with its `allOf` parts folded in (their `contains` collected)."""
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", []):
        for key, value in _merged(part).items():
            if key == "x-contains":
                merged.setdefault("x-contains", []).extend(value)
            elif key == "required":
                merged["required"] = list(dict.fromkeys(merged.get("required", []) + value))
            elif key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            else:
                merged.setdefault(key, value)
    if "contains" in merged:
        merged.setdefault("x-contains", []).append(merged.pop("contains"))
    return merged


def _kind(schema: dict) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind:
        return kind
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def value_for(schema: dict, variant: int = 0, index: int = 0):
    schema = _merged(schema or {})
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    if "enum" in schema:
        return copy.deepcopy(schema["enum"][(variant + index) % len(schema["enum"])])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return value_for(schema[key][0], variant, index)
    kind, fuller = _kind(schema), variant % 2 == 1
    if kind == "object":
        properties = schema.get("properties", {})
        names = list(properties) if fuller else schema.get("required", [])
        return {name: value_for(properties.get(name, {}), variant, index) for name in names}
    if kind == "array":
        return _array(schema, variant)
    if kind in ("number", "integer"):
        return _number(schema, kind, index + int(fuller))
    if kind == "boolean":
        return variant % 2 == 0
    if kind == "null":
        return None
    return _string(schema, index)


def _array(schema: dict, variant: int) -> list:
    items = [value_for(c, variant) for c in schema.get("x-contains", [])]
    item_schema = schema.get("items", {})
    index = 0
    wanted = max(schema.get("minItems", 0), variant % 2)
    while len(items) < wanted and index < 1000:
        candidate = value_for(item_schema, variant, index)
        if candidate not in items or not schema.get("uniqueItems"):
            items.append(candidate)
        index += 1
    return items


def _number(schema: dict, kind: str, index: int):
    low = schema.get("minimum")
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + 1
    value = (low if low is not None else 1) + index
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    return int(value) if kind == "integer" else value


def _string(schema: dict, index: int) -> str:
    if schema.get("format") in FORMATS:
        return FORMATS[schema["format"]] if schema["format"] != "date" else date(2027, 1, 15 + index % 10).isoformat()
    if "pattern" in schema:
        return _pattern_text(schema["pattern"], schema.get("minLength", 0))
    text = TEXT if index == 0 else f"{TEXT}-{index + 1}"
    text = text.ljust(schema.get("minLength", 0), "x")
    return text[:schema["maxLength"]] if "maxLength" in schema else text


def _completed(schema: dict, variant: int) -> tuple[dict, bool]:
    """The data for `variant`, with what validation still finds missing filled in; and whether it is valid."""
    data = value_for(schema, variant)
    validator_class = validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    properties = schema.get("properties", {})
    for _ in range(10):
        errors = list(validator.iter_errors(data))
        missing = [m for e in errors if e.validator == "required" and not e.absolute_path
                   for m in e.validator_value if m not in data]
        if not missing:
            return data, not errors
        for name in missing:
            data[name] = value_for(properties.get(name, {}), variant)
    return data, False


def minimal_valid(schema: dict, variant: int = 0) -> dict:
    """Valid data for the form: this variant's if it validates, else the plain minimal data."""
    data, valid = _completed(schema, variant)
    return data if valid else _completed(schema, variant - variant % 2)[0]
