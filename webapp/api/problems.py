"""Errors as `application/problem+json` (RFC 9457): every failure under /api/ answers this way.

The engine's own exceptions carry what a client needs: InvalidInput its problems (one per
field or file), Conflict the state that refused the action. They are passed on as
`errors` and `state`; nothing else about the server leaks into an answer."""
from __future__ import annotations

import json

from flask import current_app, request
from werkzeug.http import HTTP_STATUS_CODES

from engine import Conflict, InvalidInput, SignInThrottled
from engine.services.deploy_basis import DeployedMeanwhile
from webapp.i18n import problem_message, translated

PROBLEM_JSON = "application/problem+json"
BEARER_CHALLENGE = 'Bearer realm="secretariat"'


def problem_response(status: int, detail: str, **extra):
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": detail, **extra}
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    if status == 401:
        response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
    if status == 405:
        allowed = getattr(request.routing_exception, "valid_methods", None) or []
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def error_item(problem) -> dict:
    """One complaint: where (`field` or `file`, `line`, `element_id`) and what (`message`)."""
    item = {"file": problem.file} if problem.file is not None else {}
    if problem.field is not None or problem.file is None:
        item["field"] = problem.field or "(request)"
    item.update(line=problem.line, element_id=problem.element_id, message=problem_message(problem))
    if problem.rule:
        item["rule"] = problem.rule
    return item


def render(status: int, title: str | None, detail: str | None, error: Exception | None = None, **more):
    """The renderer the app calls for every HTTP error and engine error under /api/ (and the
    modeler's JSON endpoints, which add their `problems` list for the editor): one shape."""
    if status == 400 and request.path.startswith("/api/"):  # the API's contract: an unreadable request is invalid input
        status = 422
    extra: dict = dict(more)
    if isinstance(error, InvalidInput):
        detail = translated(error.title)
        extra["errors"] = [error_item(p) for p in error.problems] or \
            [{"field": "(request)", "line": None, "element_id": None, "message": error.title}]
    elif status == 422:
        extra["errors"] = [{"field": "(request)", "line": None, "element_id": None,
                            "message": detail or "The request could not be read"}]
    if isinstance(error, Conflict) and error.state is not None:
        extra["state"] = error.state
    if isinstance(error, DeployedMeanwhile):
        extra["newer_versions"] = error.newer
    response = problem_response(status, detail or title or HTTP_STATUS_CODES.get(status, "Error"), **extra)
    if isinstance(error, SignInThrottled):
        response.headers["Retry-After"] = str(error.retry_after)
    return response
