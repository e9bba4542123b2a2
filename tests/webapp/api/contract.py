"""Every answer the API tests receive is checked against the OpenAPI document: its status must
be documented for that operation, its media type too, and its body must match the schema.
So the document cannot drift from the code without a test failing."""
from __future__ import annotations

import json
import re
from datetime import datetime
from uuid import UUID

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from webapp.api.openapi import DOCUMENT

BASE = "/api/v1"
_URI = "urn:secretariat:api:openapi"
_REGISTRY = Registry().with_resource(_URI, Resource.from_contents(DOCUMENT, default_specification=DRAFT202012))
JSON_MEDIA = {"application/json", "application/problem+json"}
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _aware_date_time(value) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uuid", raises=ValueError)
def _uuid(value) -> bool:
    return not isinstance(value, str) or bool(UUID(value))


def openapi_path(flask_rule: str) -> str:
    """`/api/v1/tasks/<task_id>` -> `/tasks/{task_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", flask_rule).removeprefix(BASE)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _response_location(path: str, method: str, status: int) -> tuple[str, dict]:
    responses = DOCUMENT["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answered {status}, which the document does not list"
    response = responses[str(status)]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        return f"/components/responses/{name}", DOCUMENT["components"]["responses"][name]
    return f"/paths/{_escape(path)}/{method}/responses/{status}", response


def check_problem(status: int, media: str, body: bytes) -> dict:
    assert media == "application/problem+json", f"an error ({status}) answered as {media!r}: {body[:300]!r}"
    problem = json.loads(body)
    Draft202012Validator({"$ref": f"{_URI}#/components/schemas/Problem"}, registry=_REGISTRY,
                         format_checker=FORMATS).validate(problem)
    assert problem["status"] == status
    return problem


def check_answer(method: str, flask_rule: str | None, status: int, content_type: str, body: bytes) -> None:
    """Fail unless the answer is one the document describes for that operation."""
    media = (content_type or "").split(";")[0].strip()
    if status >= 400:
        check_problem(status, media, body)
    if flask_rule is None or method.upper() == "HEAD":  # no route matched (404, 405): nothing more to check
        return
    path, verb = openapi_path(flask_rule), method.lower()
    assert verb in DOCUMENT["paths"].get(path, {}), f"{method} {path} is not in the OpenAPI document"
    location, response = _response_location(path, verb, status)
    content = response.get("content", {})
    if not content and not body:  # documented without a body (204), answered without one
        return
    assert media in content, f"{method} {path} {status} answered {media!r}; documented: {sorted(content)}"
    if media in JSON_MEDIA:
        pointer = f"{location}/content/{_escape(media)}/schema"
        validator = Draft202012Validator({"$ref": f"{_URI}#{pointer}"}, registry=_REGISTRY, format_checker=FORMATS)
        errors = sorted(validator.iter_errors(json.loads(body)), key=lambda e: list(e.absolute_path))
        assert not errors, f"{method} {path} {status}: the body does not match the document:\n" + "\n".join(
            f"  at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}" for e in errors[:10])


def rule_for(app, method: str, path: str) -> str | None:
    """The Flask route a request path goes to, or None when none does."""
    from werkzeug.exceptions import HTTPException
    try:
        rule, _ = app.url_map.bind("localhost").match(path.split("?", 1)[0], method=method.upper(), return_rule=True)
    except HTTPException:
        return None
    return rule.rule
