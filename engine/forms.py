"""JSON-Schema forms: checking a form file, and checking data against it, one error per field.

A form's `pattern` is matched by RE2 (google-re2), whose time is linear in the text: Python's
`re` backtracks, and `^(a+)+$` took 11 s on 27 characters. A pattern RE2 cannot run
(lookarounds, backreferences) is refused when the form is deployed, and fails its field
rather than running on `re` if an older deployment has one.

Fields naming people or case choices (engine.form_extensions) are checked once expanded."""
from __future__ import annotations

import functools
import json

import re2
from jsonschema import exceptions as schema_errors
from jsonschema.validators import extend, validator_for
from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable

from engine.errors import Problem
from engine.form_attachments import check_attachment_fields
from engine.form_extensions import AFTER_DATE, DIRECTORY_ROLE, OPTIONS_FROM, check_extensions
from engine.form_options import without_task_options


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
        validator_for(form).check_schema(without_task_options(form))
    except schema_errors.SchemaError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        return None, [Problem(f"not a valid JSON Schema at {where}: {error.message}", file=name)]
    except Exception as error:  # jsonschema itself trips on some shapes (e.g. a non-text "$schema")
        return None, [Problem(f"not a valid JSON Schema: {type(error).__name__}: {error}", file=name)]
    remote = _outside_references(form)
    if remote:
        return None, [Problem(f"a form may refer only inside itself ('#/...'), not to '{ref[:120]}': forms never "
                              "fetch anything from the network or the disk", file=name) for ref in remote[:5]]
    unsafe = [p for p in _patterns(form) if _linear(p) is None]
    if unsafe:
        return None, [Problem(f"the pattern {p!r} uses what a linear-time matcher cannot run (lookarounds or "
                              "backreferences); write it without them", file=name) for p in unsafe]
    problems = check_extensions(form, name) + check_attachment_fields(form, name)
    return (None, problems) if problems else (form, [])


def _outside_references(schema, found=None) -> list[str]:
    """Every `$ref` (or `$dynamicRef`) that points outside the form itself."""
    found = [] if found is None else found
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("$ref", "$dynamicRef", "$recursiveRef") and isinstance(value, str) and not value.startswith("#"):
                found.append(value)
            else:
                _outside_references(value, found)
    elif isinstance(schema, list):
        for item in schema:
            _outside_references(item, found)
    return found


def _retrieve_nothing(uri: str):
    """jsonschema would fetch a remote `$ref` (urlopen) while validating submitted data."""
    raise NoSuchResource(ref=uri)


_NO_NETWORK = Registry(retrieve=_retrieve_nothing)


def _patterns(schema) -> list[str]:
    found = []
    if isinstance(schema, dict):
        if isinstance(schema.get("pattern"), str):
            found.append(schema["pattern"])
        for value in schema.values():
            found += _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _patterns(value)
    return found


@functools.lru_cache(maxsize=512)
def _linear(pattern: str):
    try:
        return re2.compile(pattern)
    except re2.error:
        return None


def _pattern_in_linear_time(validator, pattern, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    compiled = _linear(pattern)
    if compiled is None:
        yield schema_errors.ValidationError(f"cannot be checked against the form's pattern {pattern!r}")
    elif not compiled.search(instance):
        yield schema_errors.ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.lru_cache(maxsize=16)
def _validator_class(base):
    return extend(base, {"pattern": _pattern_in_linear_time, AFTER_DATE: _after_date})


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
    return _validator_class(base)(schema, format_checker=base.FORMAT_CHECKER, registry=_NO_NETWORK)


def validate_data(schema: dict, data: object) -> list[Problem]:
    """Every invalid field once, in the order the form lists its fields."""
    validator = _validator(schema)
    problems: dict[str, Problem] = {}
    try:
        errors = list(validator.iter_errors(data))
    except Unresolvable as error:  # a form deployed before remote references were refused
        return [Problem(f"the form refers to something outside itself ({error}); it cannot be checked",
                        field="(form)")]
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        field = _field_of(error)
        if error.validator == "required" and isinstance(error.instance, dict):
            for missing in (k for k in error.validator_value if k not in error.instance):
                name = ".".join([*map(str, error.absolute_path), missing])
                problems.setdefault(name, Problem(_message_of(error), field=name))
            continue
        problems.setdefault(field, Problem(_message_of(error), field=field))
    return list(problems.values())
