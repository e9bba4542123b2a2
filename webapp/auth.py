"""Signing in and out (session cookie), and API bearer tokens; both yield the engine's Actor."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from engine import SignInThrottled
from engine.views import UserView
from webapp.engine_access import engine, unit_of_work
from webapp.extensions import login_manager

bp = Blueprint("auth", __name__)


def signed_in_only(blueprint: Blueprint) -> Blueprint:
    """Every page of `blueprint` needs a signed-in user; others go to the log-in page."""
    blueprint.before_request(login_required(lambda: None))
    return blueprint


class SignedInUser(UserMixin):
    def __init__(self, view: UserView, via_token: bool = False):
        self.view = view
        self.via_token = via_token

    def get_id(self) -> str:
        """The session remembers the epoch it was signed in at: raising the user's epoch
        (signing out, a password change or reset, deactivation) ends it on the server."""
        return f"{self.view.username}:{self.view.session_epoch}"

    @property
    def username(self) -> str:
        return self.view.username

    @property
    def display_name(self) -> str:
        return self.view.display_name

    @property
    def language(self) -> str | None:
        return self.view.language

    @property
    def roles(self) -> frozenset[str]:
        return self.view.roles

    @property
    def actor(self):
        return self.view.actor

    @property
    def is_active(self) -> bool:
        return self.view.active


@login_manager.user_loader
def load_user(session_id: str):
    username, _, epoch = session_id.rpartition(":")
    with unit_of_work() as uow:
        view = uow.identity.session_user(username, epoch)
    return SignedInUser(view) if view is not None else None


@login_manager.request_loader
def load_user_from_bearer_token(req):
    header = req.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    with unit_of_work() as uow:
        view = uow.identity.user_for_token(header[7:].strip())
    return SignedInUser(view, via_token=True) if view else None


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=120)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"})


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would make the log-in page a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            username, password = form.username.data.strip(), form.password.data
            # committed either way: a failure is recorded, for the throttling
            view = engine().attempt(lambda uow: uow.identity.authenticate(username, password))
        except SignInThrottled as throttled:
            form.password.errors.append(ngettext(
                "Too many failed sign-ins for this user name: try again in %(num)s minute.",
                "Too many failed sign-ins for this user name: try again in %(num)s minutes.",
                max(1, throttled.retry_after // 60)))
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(throttled.retry_after)}
        if view is not None:
            login_user(SignedInUser(view))
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Unknown user name or wrong password."))
    status = 401 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ends the session on the server too: a copy of the cookie no longer signs anyone in."""
    username = current_user.username
    engine().attempt(lambda uow: uow.identity.end_sessions(username))
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.app_context_processor
def inject_user():
    return {"current_user": current_user}
