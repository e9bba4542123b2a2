"""Who is calling: a signed-in browser session (with its CSRF token for changes) or a bearer token.

Anonymous calls get 401 as JSON, never the log-in page. A session-cookie request that changes
state must carry the session's CSRF token in `X-CSRFToken`, as the pages' forms do; a
bearer-token request needs none, since no browser sends that header on its own."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from werkzeug.exceptions import Forbidden, Unauthorized
from wtforms.validators import ValidationError

from engine import Actor
from webapp.api.blueprint import answer, bp
from webapp.api.params import limit_body
from webapp.engine_access import engine

PUBLIC_ENDPOINTS = {"api.openapi_document", "api.docs_page"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
MAX_FORM_BYTES = 52 * 1024 * 1024  # a deployment's files


def actor() -> Actor:
    return current_user.actor


def via_token() -> bool:
    return bool(getattr(current_user, "via_token", False))


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        raise Unauthorized("Sign in, or send an API token as 'Authorization: Bearer <token>'")
    if request.method not in SAFE_METHODS and not via_token() and current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(_csrf_token_sent())
        except ValidationError as error:
            raise Forbidden(f"CSRF check failed: {error}. Send the session's token as X-CSRFToken "
                            "(GET /api/v1/me gives it), or use a bearer token.") from None
    return None


def _csrf_token_sent() -> str | None:
    """From the `X-CSRFToken` header, or the `csrf_token` field of an HTML form's post."""
    token = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    if token is None and request.mimetype in FORM_TYPES:
        limit_body(MAX_FORM_BYTES)
        token = request.form.get("csrf_token")
    return token


@bp.delete("/tokens/current")
def revoke_current_token():
    """204: the bearer token of this request stops working (here at once, in other processes within seconds)."""
    header = request.headers.get("Authorization", "")
    if not via_token() or not header.lower().startswith("bearer "):
        raise Forbidden("Only a request made with a bearer token can revoke it")
    token = header[7:].strip()
    engine().attempt(lambda uow: uow.identity.revoke_token(token))
    return current_app.response_class(status=204)


@bp.get("/me")
def me():
    """The caller, and for a browser session the CSRF token its changes need."""
    return answer({"username": current_user.username, "display_name": current_user.display_name,
                   "roles": sorted(current_user.roles), "csrf_token": None if via_token() else generate_csrf()})
