"""Engine errors become pages (or problem+json under /api): a person should know what to do next."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from engine import Conflict, InvalidInput, NotFound, PermissionDenied, SignInThrottled, TooLarge
from webapp.i18n import error_message, problem_message

# The one exception-to-status table: pages, the API and the modeler's endpoints all answer by it.
STATUS = {NotFound: 404, PermissionDenied: 403, Conflict: 409, InvalidInput: 422, SignInThrottled: 429,
          TooLarge: 413}


# The pages' titles and default explanations of HTTP errors, in the page language.
HTTP_TITLES = {400: _l("Bad request"), 403: _l("Not allowed"), 404: _l("Not found"), 405: _l("Method not allowed"),
               409: _l("Conflict"), 413: _l("Too large"), 422: _l("Invalid input"), 429: _l("Too many attempts"),
               500: _l("Server error")}
HTTP_DETAILS = {400: _l("The request could not be read. Go back and try again."),
                403: _l("You may not open this page."),
                404: _l("There is nothing at this address. It may have been removed, or the link is wrong."),
                405: _l("This page cannot be used that way."),
                413: _l("What was sent is larger than this server accepts."),
                500: _l("Something went wrong on the server. Nothing you did caused it; try again later.")}


def status_of(error: Exception) -> int:
    return next(code for kind, code in STATUS.items() if isinstance(error, kind))


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def render_api_problems_with(app: Flask, renderer) -> None:
    """The API sets how it answers errors: renderer(status, title, detail, error=None)."""
    app.extensions["api_problem_renderer"] = renderer


def _api_renderer(app: Flask):
    return app.extensions.get("api_problem_renderer") if wants_problem_json() else None


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        renderer = _api_renderer(app)
        if renderer is not None:
            return renderer(error.code, error.name, error.description)
        default = error.description == type(error).description  # werkzeug's own words, in English
        detail = HTTP_DETAILS.get(error.code, error.description) if default else error.description
        return render_template("errors/error.html", status=error.code, title=HTTP_TITLES.get(error.code, error.name),
                               detail=detail), error.code

    for exception_class, status in STATUS.items():
        app.register_error_handler(exception_class, _engine_error_handler(app, status))


def _engine_error_handler(app: Flask, status: int):
    def handle(error):
        renderer = _api_renderer(app)
        if renderer is not None:
            return renderer(status, None, str(error), error)
        detail = _(error.title) if isinstance(error, InvalidInput) else error_message(error)
        return render_template("errors/error.html", status=status, title=str(HTTP_TITLES[status]), detail=detail,
                               problems=[problem_message(p) if not p.file else str(p)
                                         for p in getattr(error, "problems", [])]), status
    return handle
