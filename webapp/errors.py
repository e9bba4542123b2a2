"""Engine errors become pages (or problem+json under /api): a person should know what to do next."""
from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from engine import Conflict, InvalidInput, NotFound, PermissionDenied, SignInThrottled, TooLarge

# The one exception-to-status table: pages, the API and the modeler's endpoints all answer by it.
STATUS = {NotFound: 404, PermissionDenied: 403, Conflict: 409, InvalidInput: 422, SignInThrottled: 429,
          TooLarge: 413}


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
        return render_template("errors/error.html", status=error.code, title=error.name,
                               detail=error.description), error.code

    for exception_class, status in STATUS.items():
        app.register_error_handler(exception_class, _engine_error_handler(app, status))


def _engine_error_handler(app: Flask, status: int):
    def handle(error):
        renderer = _api_renderer(app)
        if renderer is not None:
            return renderer(status, None, str(error), error)
        titles = {404: "Not found", 403: "Not allowed", 409: "Conflict", 422: "Invalid input",
                  429: "Too many attempts", 413: "Too large"}
        return render_template("errors/error.html", status=status, title=titles[status], detail=str(error),
                               problems=getattr(error, "problems", [])), status
    return handle
