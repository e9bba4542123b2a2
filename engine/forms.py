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
from engine.form_extensions import AFTER_DATE, ALL_REQUIRED, DIRECTORY_ROLE, OPTIONS_FROM, check_extensions
from engine.messages import N_
from engine.process_texts import ORIGINAL, schema_in
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


def _title_at(schema: dict, path: list) -> str:
    """The title people read for the field at `path` (the nearest titled node on the way
    there), else its key in words; "the form" for the form itself."""
    node, title = schema, None
    for part in path:
        if not isinstance(node, dict):
            break
        if isinstance(part, int) or str(part).isdigit():
            node = node.get("items") if isinstance(node.get("items"), dict) else {}
        else:
            node = (node.get("properties") or {}).get(part, {})
            title = None
        if isinstance(node, dict) and isinstance(node.get("title"), str) and node["title"].strip():
            title = node["title"]
    if title is None and path:
        key = next((str(p) for p in reversed(path) if not str(p).isdigit()), str(path[-1]))
        title = key.replace("_", " ").strip().capitalize()
    return title or "the form"


def _labels(schema: dict, values) -> str:
    """The choices as people read them: their labels (x-enum-titles) where the form gives them."""
    titles = schema.get("x-enum-titles") if isinstance(schema, dict) else None
    if isinstance(titles, list) and isinstance(schema.get("enum"), list) and len(titles) == len(schema["enum"]):
        by_value = {json.dumps(v, sort_keys=True): t for v, t in zip(schema["enum"], titles)}
        return ", ".join(f"“{by_value.get(json.dumps(v, sort_keys=True), v)}”" for v in values)
    return ", ".join(f"“{v}”" for v in values)


_FORMATS = {"date": N_("“%(field)s” must be a date (year-month-day)."),
            "date-time": N_("“%(field)s” must be a date and time."),
            "email": N_("“%(field)s” must be an e-mail address."),
            "time": N_("“%(field)s” must be a time (hours:minutes).")}
_TYPES = {"integer": N_("“%(field)s” must be a whole number."), "number": N_("“%(field)s” must be a number."),
          "string": N_("“%(field)s” must be text."), "boolean": N_("“%(field)s” must be yes or no."),
          "array": N_("“%(field)s” must be a list."), "object": N_("“%(field)s” must be a group of fields.")}
_LIMITS = {"minimum": N_("“%(field)s” must be at least %(limit)s."),
           "maximum": N_("“%(field)s” must be at most %(limit)s."),
           "exclusiveMinimum": N_("“%(field)s” must be more than %(limit)s."),
           "exclusiveMaximum": N_("“%(field)s” must be less than %(limit)s."),
           "multipleOf": N_("“%(field)s” must be a multiple of %(limit)s."),
           "maxLength": N_("“%(field)s” takes at most %(limit)s characters."),
           "maxItems": N_("“%(field)s” takes at most %(limit)s entries.")}


def _sentence(error: schema_errors.ValidationError, root: dict) -> tuple[str, dict]:
    """The message id (marked with N_) and its parameters for one JSON Schema error: a
    sentence about the field, as its form titles it, never jsonschema's own wording."""
    rule, value, schema = error.validator, error.validator_value, error.schema if isinstance(error.schema, dict) else {}
    field = _title_at(root, list(error.absolute_path))
    if rule == "minItems" and schema.get(ALL_REQUIRED) is True:
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return N_("In “%(field)s”, choose every one of: %(choices)s."), {
            "field": field, "choices": _labels(items, items.get("enum") or [])}
    if rule == "minItems" or (rule == "minLength" and value == 1):
        return (N_("Please fill in “%(field)s”.") if value == 1 else
                N_("“%(field)s” needs at least %(limit)s entries.") if rule == "minItems" else
                N_("“%(field)s” needs at least %(limit)s characters.")), {"field": field, "limit": value}
    if rule == "minLength":
        return N_("“%(field)s” needs at least %(limit)s characters."), {"field": field, "limit": value}
    if rule in _LIMITS:
        return _LIMITS[rule], {"field": field, "limit": value}
    if rule == "enum" and DIRECTORY_ROLE in schema:
        return N_("“%(value)s” is not an active user with the role %(role)s: choose someone else for "
                  "“%(field)s”."), {"field": field, "value": error.instance, "role": schema[DIRECTORY_ROLE]}
    if rule == "enum" and OPTIONS_FROM in schema:
        if not value:
            return N_("This case offers no choices for “%(field)s” yet."), {"field": field}
        return N_("For “%(field)s”, choose one of the choices this case offers: %(choices)s."), {
            "field": field, "choices": _labels(schema, value)}
    if rule == "enum":
        return N_("For “%(field)s”, choose one of: %(choices)s."), {"field": field, "choices": _labels(schema, value)}
    if rule == "const":
        return N_("“%(field)s” must be “%(value)s”."), {"field": field, "value": value}
    if rule == "contains":
        wanted = value.get("const", (value.get("enum") or [None])[0]) if isinstance(value, dict) else None
        if wanted is not None:
            return N_("“%(field)s” must include “%(value)s”."), {"field": field, "value": wanted}
        return N_("“%(field)s” must include at least one entry of the kind the form asks for."), {"field": field}
    if rule == "type":
        kind = value if isinstance(value, str) else next((t for t in value if t != "null"), "string")
        return _TYPES.get(kind, N_("“%(field)s” must be text.")), {"field": field}
    if rule == "format" and value in _FORMATS:
        return _FORMATS[value], {"field": field}
    if rule == "pattern":
        if _linear(value) is None:
            return N_("“%(field)s” cannot be checked: its pattern cannot be run. Ask a process manager to "
                      "correct the form."), {"field": field}
        return N_("“%(field)s” is not written in the expected form."), {"field": field}
    if rule == AFTER_DATE:
        return N_("“%(field)s” must be a date after today (%(date)s)."), {"field": field, "date": value}
    if rule == "uniqueItems":
        return N_("“%(field)s” lists the same entry more than once."), {"field": field}
    if rule in ("additionalProperties", "unevaluatedProperties", "propertyNames"):
        return N_("“%(field)s” holds something the form does not ask for."), {"field": field}
    if rule in ("anyOf", "oneOf", "allOf", "not", "if", "then", "else", "dependentRequired", "dependencies"):
        return N_("“%(field)s” is not filled in as the form requires."), {"field": field}
    return N_("“%(field)s” is not valid: %(detail)s."), {"field": field, "detail": error.message.rstrip(".")}


def _problem(message_id: str, params: dict, field: str) -> Problem:
    return Problem(message_id % params, field=field, message_id=message_id, params=params)


def _after_date(validator, after, instance, schema):
    """`x-after-date` (see engine.form_extensions): ISO dates compare as strings."""
    if isinstance(instance, str) and isinstance(after, str) and instance[:10] <= after:
        yield schema_errors.ValidationError(f"give a date after today ({after})")


def _validator(schema: dict):
    base = validator_for(schema)
    return _validator_class(base)(schema, format_checker=base.FORMAT_CHECKER, registry=_NO_NETWORK)


def validate_data(schema: dict, data: object, language: str | None = None) -> list[Problem]:
    """Every invalid field once, in the order the form lists its fields, as a sentence about
    the field titled in `language` (engine.process_texts; the edge translates the sentence)."""
    schema = schema_in(schema, language or ORIGINAL)
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
                path = [*error.absolute_path, missing]
                name = ".".join(map(str, path))
                problems.setdefault(name, _problem(N_("Please fill in “%(field)s”."),
                                                   {"field": _title_at(schema, path)}, name))
            continue
        problems.setdefault(field, _problem(*_sentence(error, schema), field))
    return list(problems.values())
