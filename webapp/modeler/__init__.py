"""The process modeler, for process managers (role `manager`) and administrators: edit BPMN
in the browser (bpmn-js, bundled from webapp/modeler_src/), keep drafts, validate and
deploy new versions, see and compare versions, and edit the JSON-Schema forms.

Pages are server-rendered; the editor's JavaScript talks to the JSON endpoints marked with
`answers_json`, which answer errors as JSON with the engine's Problem fields. Anyone else
gets 403 on every page and endpoint here. See docs/modeler.md."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from werkzeug.exceptions import Forbidden, HTTPException
from flask_babel import gettext as _

from engine import InvalidInput
from engine.errors import Problem
from webapp.api import problems as problem_json
from webapp.errors import STATUS, status_of
from webapp.i18n import error_message

bp = Blueprint("modeler", __name__, url_prefix="/modeler")

JSON_ENDPOINTS: set[str] = set()
_TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found", 405: "Method not allowed",
           409: "Conflict", 422: "Invalid input", 429: "Too many attempts"}


def answers_json(view):
    """Marks a view whose errors (and refusals) are answered as JSON, for the modeler's scripts."""
    JSON_ENDPOINTS.add(f"{bp.name}.{view.__name__}")
    return view


def wants_json() -> bool:
    return request.endpoint in JSON_ENDPOINTS or request.is_json


def problem_response(status: int, title: str, problems: list[Problem] | None = None, detail: str | None = None,
                     error: Exception | None = None):
    """The API's problem+json (webapp.api.problems), plus `problems`, the list the editor
    marks on the diagram: `[{message, element_id, line, file, field}]`."""
    listed = [p.as_dict() for p in problems or []] or ([{"message": detail}] if detail else [])
    return problem_json.render(status, title, detail or title, error, problems=listed)


@bp.before_request
def managers_only():
    if not current_user.is_authenticated:
        if wants_json():
            return problem_response(401, _TITLES[401], detail="Sign in to use the modeler.")
        return current_app.login_manager.unauthorized()
    who = current_user.actor
    if not (who.is_manager or who.is_admin):
        raise Forbidden(_("The modeler is for process managers (role “manager”) and administrators."))
    return None


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    if wants_json():
        return problem_response(error.code, error.name, detail=error.description)
    return render_template("errors/error.html", status=error.code, title=error.name,
                           detail=error.description), error.code


def _engine_error(error):
    status = status_of(error)
    problems = getattr(error, "problems", None)
    if wants_json():
        if isinstance(error, InvalidInput):
            return problem_response(status, error.title, problems, detail=error.title, error=error)
        return problem_response(status, _TITLES[status], detail=str(error), error=error)
    return render_template("errors/error.html", status=status, title=_TITLES[status], detail=error_message(error),
                           problems=problems or []), status


for _kind in STATUS:
    bp.register_error_handler(_kind, _engine_error)


def init_app(app) -> None:
    from webapp.modeler import (  # noqa: F401  (they add routes to bp)
        batch_migration, decisions, drafts, endpoints, forms_editor, pages,
    )
    app.register_blueprint(bp)
