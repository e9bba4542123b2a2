"""Administration of users: who they are, their roles (lane names, `manager`, `admin`),
their password, and whether they may sign in. Administrators only.

The roles offered as checkboxes are the lanes of the deployed processes (a lane's name is
the role that does its user tasks) plus the built-in `manager` and `admin`; any other role
can be typed in. The engine validates names and passwords; its problems are shown beside
the fields they concern."""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine import Conflict, InvalidInput
from engine.views import BUILTIN_ROLES
from webapp.bpmn_outline import lane_names
from webapp.engine_access import engine, unit_of_work
from webapp.i18n import error_message, problem_message

bp = Blueprint("admin", __name__, url_prefix="/admin")

NAME_MAX_LENGTH = 255  # display names and roles are stored in columns of this size


@bp.before_request
@login_required
def _administrators_only():
    if not current_user.actor.is_admin:
        abort(403, _("Only administrators manage users."))


def role_choices(uow) -> list[str]:
    """The lanes of the latest deployed definitions and the built-in roles, sorted."""
    lanes: set[str] = set()
    for definition in uow.repository.latest():
        lanes |= lane_names(uow.repository.bpmn_xml(definition.key))
    return sorted(lanes | BUILTIN_ROLES, key=str.casefold)


def submitted_roles(form) -> tuple[list[str], str | None]:
    """The ticked roles plus those typed (comma- or line-separated), and what is wrong with them."""
    typed = re.split(r"[,\n\r]+", form.get("other_roles", ""))
    roles = sorted({" ".join(r.split()) for r in [*form.getlist("roles"), *typed] if r.strip()}, key=str.casefold)
    too_long = [r for r in roles if len(r) > NAME_MAX_LENGTH]
    return roles, _("A role name has at most %(count)s characters.", count=NAME_MAX_LENGTH) if too_long else None


def _problems_by_field(error: InvalidInput) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in error.problems:
        field = problem.field or "form"
        found[field] = f"{found[field]} {problem_message(problem)}" if field in found else problem_message(problem)
    return found or {"form": error.title}


@bp.get("/users")
def users():
    return _users_page()


def _users_page(status: int = 200, errors: dict | None = None, entered: dict | None = None):
    with unit_of_work() as uow:
        everyone = uow.identity.list()
        choices = role_choices(uow)
    return render_template("admin/users.html", users=everyone, choices=choices, errors=errors or {},
                           entered=entered or {"roles": []}), status


@bp.post("/users")
def add_user():
    form = request.form
    roles, roles_error = submitted_roles(form)
    entered = {"username": form.get("username", "").strip(),
               "display_name": " ".join(form.get("display_name", "").split()), "roles": roles}
    errors = {"roles": roles_error} if roles_error else {}
    if len(entered["display_name"]) > NAME_MAX_LENGTH:
        errors["display_name"] = _("At most %(count)s characters.", count=NAME_MAX_LENGTH)
    if errors:
        return _users_page(422, errors, entered)
    try:
        added = engine().attempt(lambda uow: uow.identity.add_user(
            entered["username"], roles, password=form.get("password", ""), display_name=entered["display_name"] or None))
    except InvalidInput as error:
        return _users_page(422, _problems_by_field(error), entered)
    except Conflict as error:
        return _users_page(409, {"username": error_message(error)}, entered)
    flash(_("User %(name)s added with the roles: %(roles)s.", name=added.username,
            roles=", ".join(sorted(added.roles)) or _("none")), "success")
    return redirect(url_for("admin.users"))


@bp.get("/users/<username>")
def user(username: str):
    return _user_page(username)


def _user_page(username: str, status: int = 200, errors: dict | None = None):
    with unit_of_work() as uow:
        shown = uow.identity.get(username)
        choices = role_choices(uow)
    return render_template("admin/user.html", user=shown, choices=choices, errors=errors or {},
                           is_self=shown.username == current_user.username), status


@bp.post("/users/<username>/roles")
def set_roles(username: str):
    roles, problem = submitted_roles(request.form)
    if problem is None and username == current_user.username and "admin" not in roles:
        problem = _("You cannot take the admin role from yourself; ask another administrator.")
    if problem:
        return _user_page(username, 422, {"roles": problem})
    changed = engine().attempt(lambda uow: uow.identity.set_roles(username, roles))
    flash(_("%(name)s now holds the roles: %(roles)s.", name=changed.username,
            roles=", ".join(sorted(changed.roles)) or _("none")), "success")
    return redirect(url_for("admin.user", username=username))


@bp.post("/users/<username>/password")
def set_password(username: str):
    try:
        password = request.form.get("password", "")
        engine().attempt(lambda uow: uow.identity.set_password(username, password))
    except InvalidInput as error:
        return _user_page(username, 422, _problems_by_field(error))
    flash(_("The password of %(name)s was changed.", name=username), "success")
    return redirect(url_for("admin.user", username=username))


@bp.post("/users/<username>/active")
def set_active(username: str):
    active = request.form.get("active") == "1"
    if not active and username == current_user.username:
        return _user_page(username, 422, {"active": _("You cannot deactivate yourself; ask another administrator.")})
    changed = engine().attempt(lambda uow: uow.identity.set_active(username, active))
    flash(_("%(name)s may sign in again.", name=changed.username) if changed.active
          else _("%(name)s can no longer sign in.", name=changed.username), "success")
    return redirect(url_for("admin.user", username=username))
