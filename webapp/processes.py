"""Starting a process: the processes this user may start, and a start page with an optional
business key. A process's "start form" is its first user task in the starter's lane, so after
starting the user goes straight to it (docs/web.md)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.auth import signed_in_only
from webapp.engine_access import actor, engine, unit_of_work
from webapp.i18n import page_language
from webapp.process_names import in_language, latest_definitions, named_in
from webapp.task_routing import next_task_for, task_url

bp = Blueprint("processes", __name__, url_prefix="/processes")
signed_in_only(bp)

BUSINESS_KEY_LENGTH = 255



@bp.get("")
def index():
    who = actor()
    with unit_of_work() as uow:
        definitions = in_language(uow, [d for d in latest_definitions(uow) if d.can_start(who)], page_language())
    return render_template("processes/index.html", definitions=definitions)


@bp.get("/<key>/start")
def start_form(key: str):
    return _start_page(key)


@bp.post("/<key>/start")
def start(key: str):
    who = actor()
    business_key = request.form.get("business_key", "").strip()
    if len(business_key) > BUSINESS_KEY_LENGTH:
        return _start_page(key, business_key, _("At most %(count)s characters.", count=BUSINESS_KEY_LENGTH), 422)
    instance = engine().attempt(
        lambda uow: uow.runtime.start(key, actor=who, data={}, business_key=business_key or None))
    named = (_("instance #%(number)s (%(reference)s)", number=instance.id, reference=instance.business_key)
             if instance.business_key else _("instance #%(number)s", number=instance.id))
    if instance.state == "error":
        flash(_("The process started as %(instance)s but stopped with an error: %(error)s", instance=named,
                error=instance.error), "error")
        return redirect(url_for("processes.index"))
    first = next_task_for(who, instance.open_tasks)
    if first is not None:
        flash(_("Started %(instance)s. This is its first task for you.", instance=named), "success")
        return redirect(task_url(first))
    flash(_("Started %(instance)s of %(process)s. Nothing in it awaits you now.", instance=named, process=key), "success")
    return redirect(url_for("processes.index"))


def _start_page(key: str, business_key: str = "", error: str | None = None, status: int = 200):
    with unit_of_work() as uow:
        definition = named_in(uow, uow.repository.get(key), page_language())
    if not definition.can_start(actor()):
        abort(403, _("Starting “%(process)s” needs one of the roles: %(roles)s.", process=definition.name,
                     roles=", ".join(sorted(definition.start_roles))))
    return render_template("processes/start.html", definition=definition, business_key=business_key,
                           error=error, max_length=BUSINESS_KEY_LENGTH), status
