"""The signed-in user's own settings: where notifications go and which ones they want.
The same preferences as GET/PUT /api/v1/me/notifications."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import InvalidInput
from engine.notifications.recipients import SWITCHES
from webapp.auth import signed_in_only
from webapp.engine_access import actor, engine, unit_of_work

bp = Blueprint("account", __name__, url_prefix="/account")
signed_in_only(bp)


@bp.get("")
def index():
    """The account's one page so far."""
    return redirect(url_for("account.notifications"))


@bp.get("/notifications")
def notifications():
    with unit_of_work() as uow:
        preferences = uow.notifications.get(actor().username)
    return render_template("account/notifications.html", preferences=preferences, problems={})


@bp.post("/notifications")
def save_notifications():
    """A checkbox left unticked is not sent: every switch is set from what came."""
    username = actor().username
    changes = {"email": request.form.get("email", "").strip(), "task_ready": request.form.get("task_ready", ""),
               **{name: request.form.get(name) == "on" for name in SWITCHES}}
    try:
        engine().attempt(lambda uow: uow.notifications.update(username, changes))
    except InvalidInput as refused:
        problems = {p.field: p.message for p in refused.problems}
        return render_template("account/notifications.html", preferences=changes, problems=problems), 422
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("account.notifications"))
