"""JSON-Schema forms: checking a form file, and checking data against it, one error per field.
Fields naming people or case choices (engine.form_extensions) are checked once expanded."""
from __future__ import annotations

import json

from jsonschema import exceptions as schema_errors
from jsonschema.validators import extend, validator_for

from engine.errors import Problem
from engine.form_extensions import AFTER_DATE, DIRECTORY_ROLE, OPTIONS_FROM, check_extensions


def is_ui_schema(name: str) -> bool:
    lowered = name.lower()
    return "uischema" in lowered or "ui-schema" in lowered or lowered.endswith(".ui.json")


def check_form_file(name: str, content: bytes) -> tuple[object | None, list[Problem]]:
    """The parsed form and its problems: not JSON, not an object, or not a valid JSON Schema."""
    try:
        form = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        return None, [Problem(f"not valid JSON: {getattr(error, 'msg', error)}", file=name, line=line)]
    if not isinstance(form, dict):
        return None, [Problem("a form must be a JSON object", file=name)]
    if is_ui_schema(name):
        return form, []
    try:
        validator_for(form).check_schema(form)
    except schema_errors.SchemaError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        return None, [Problem(f"not a valid JSON Schema at {where}: {error.message}", file=name)]
    problems = check_extensions(form, name)
    return (None, problems) if problems else (form, [])


def _field_of(error: schema_errors.ValidationError) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(form)"


def _message_of(error: schema_errors.ValidationError) -> str:
    if error.validator == "required":
        return "This field is required."
    if error.validator == "minItems" and error.schema.get("x-all-required") is True:
        return "Choose every one of: " + ", ".join(map(str, (error.schema.get("items") or {}).get("enum", []))) + "."
    if error.validator == "enum" and DIRECTORY_ROLE in error.schema:
        return f"{error.instance!r} is not an active user with the role {error.schema[DIRECTORY_ROLE]}."
    if error.validator == "enum" and OPTIONS_FROM in error.schema:
        return f"{error.instance!r} is not one of the choices this case offers" + (
            ": " + ", ".join(map(str, error.validator_value)) + "." if error.validator_value else " (there are none yet).")
    if error.validator == "enum":
        return "Choose one of: " + ", ".join(map(str, error.validator_value)) + "."
    return error.message[0].upper() + error.message[1:] + ("" if error.message.endswith(".") else ".")


def _after_date(validator, after, instance, schema):
    """`x-after-date` (see engine.form_extensions): ISO dates compare as strings."""
    if isinstance(instance, str) and isinstance(after, str) and instance[:10] <= after:
        yield schema_errors.ValidationError(f"Give a date after today ({after}).")


def _validator(schema: dict):
    base = validator_for(schema)
    return extend(base, {AFTER_DATE: _after_date})(schema, format_checker=base.FORMAT_CHECKER)


def validate_data(schema: dict, data: object) -> list[Problem]:
    """Every invalid field once, in the order the form lists its fields."""
    validator = _validator(schema)
    problems: dict[str, Problem] = {}
    for error in sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        field = _field_of(error)
        if error.validator == "required" and isinstance(error.instance, dict):
            for missing in (k for k in error.validator_value if k not in error.instance):
                name = ".".join([*map(str, error.absolute_path), missing])
                problems.setdefault(name, Problem(_message_of(error), field=name))
            continue
        problems.setdefault(field, Problem(_message_of(error), field=field))
    return list(problems.values())
