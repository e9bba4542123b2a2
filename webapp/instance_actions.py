"""Administrators' actions on one instance: cancel, suspend, resume, retry, fire a timer now.

Each is a POST form (CSRF-checked by the app) that acts in one transaction, flashes what
happened and goes back to the instance page. The engine decides who may act: anyone else
gets its PermissionDenied, a 403 page. An action the instance's state does not allow
(the engine's Conflict) comes back as a message on the instance page."""
from __future__ import annotations

import json
from typing import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import Conflict, NotFound, PermissionDenied
from engine.views import InstanceView
from webapp.engine_access import actor, engine, unit_of_work
from webapp.i18n import STATE_NAMES, error_message
from webapp.instances import bp, render_instance

REASON_MAX_LENGTH = 1000


def _reason() -> str | None:
    reason = " ".join(request.form.get("reason", "").split())[:REASON_MAX_LENGTH]
    return reason or None


def _act(instance_id: int, done: Callable[[InstanceView], str], action: Callable) -> object:
    try:
        result = engine().attempt(action)
    except Conflict as error:
        flash(_("Nothing was changed: %(reason)s", reason=error_message(error)), "error")
    else:
        message = done(result)
        flash(message, "error" if result.state == "error" else "success")
    return redirect(url_for("instances.show", instance_id=instance_id))


_OUTCOMES = {  # each action's sentences whole, so that each language can word them its own way
    "cancelled": (_l("Instance %(number)s cancelled; it is now %(state)s."),
                  _l("Instance %(number)s cancelled, but it failed again: %(error)s")),
    "suspended": (_l("Instance %(number)s suspended; it is now %(state)s."),
                  _l("Instance %(number)s suspended, but it failed again: %(error)s")),
    "resumed": (_l("Instance %(number)s resumed; it is now %(state)s."),
                _l("Instance %(number)s resumed, but it failed again: %(error)s")),
    "retried": (_l("Instance %(number)s retried; it is now %(state)s."),
                _l("Instance %(number)s retried, but it failed again: %(error)s")),
}


def _outcome(verb: str):
    done, failed = _OUTCOMES[verb]

    def say(result: InstanceView) -> str:
        if result.state == "error":
            return str(failed) % {"number": result.id, "error": result.error}
        return str(done) % {"number": result.id, "state": STATE_NAMES.get(result.state, result.state)}
    return say


@bp.post("/instances/<int:instance_id>/cancel")
def cancel(instance_id: int):
    """Cancelling cannot be undone: without `confirm=yes` the page asks first (the reason is kept)."""
    if request.form.get("confirm") != "yes":
        if not actor().is_admin:
            raise PermissionDenied("Only administrators cancel, suspend, resume or retry instances")
        with unit_of_work() as uow:
            instance = uow.runtime.get(instance_id, actor())
        return render_template("instances/confirm_cancel.html", instance=instance, reason=_reason() or "")
    return _act(instance_id, _outcome("cancelled"),
                lambda uow: uow.runtime.cancel(instance_id, actor(), reason=_reason()))


@bp.post("/instances/<int:instance_id>/suspend")
def suspend(instance_id: int):
    return _act(instance_id, _outcome("suspended"),
                lambda uow: uow.runtime.suspend(instance_id, actor(), reason=_reason()))


@bp.post("/instances/<int:instance_id>/resume")
def resume(instance_id: int):
    return _act(instance_id, _outcome("resumed"),
                lambda uow: uow.runtime.resume(instance_id, actor(), reason=_reason()))


def corrected_data(text: str) -> tuple[dict | None, str | None]:
    """The retry form's optional JSON object: (data, None), or (None, what is wrong with it)."""
    if not text.strip():
        return None, None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, _("This is not valid JSON: %(reason)s (line %(line)s, column %(column)s).",
                       reason=error.msg, line=error.lineno, column=error.colno)
    if not isinstance(data, dict):
        return None, _('The corrected data must be a JSON object, e.g. %(example)s.', example='{"divisor": 5}')
    return data, None


@bp.post("/instances/<int:instance_id>/retry")
def retry(instance_id: int):
    if not actor().is_admin:  # before reading the data: its errors are only for administrators
        raise PermissionDenied("Only administrators cancel, suspend, resume or retry instances")
    text = request.form.get("data", "")
    data, problem = corrected_data(text)
    if problem:
        return render_instance(instance_id, 422, retry_text=text, retry_error=problem)
    return _act(instance_id, _outcome("retried"), lambda uow: uow.runtime.retry(instance_id, actor(), data=data))


@bp.post("/instances/<int:instance_id>/timers/<job_id>/fire")
def fire_timer(instance_id: int, job_id: str):
    def fire(uow):
        result = uow.jobs.execute(job_id, actor())
        if result.id != instance_id:  # rolled back: the unit of work is left without commit
            raise NotFound(f"Instance {instance_id} has no waiting timer {job_id}")
        return result

    def say(result: InstanceView) -> str:
        if result.state == "error":
            return _("The timer fired, but the instance then failed: %(error)s", error=result.error)
        return _("The timer fired; instance %(number)s is now %(state)s.", number=result.id,
                 state=STATE_NAMES.get(result.state, result.state))
    return _act(instance_id, say, fire)
