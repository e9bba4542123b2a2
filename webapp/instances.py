"""Process instances: the list with its filters, one instance's page (diagram, open tasks,
waiting timers, history, data) and the administrators' actions on it (instance_actions)."""
from __future__ import annotations

import math

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.services.runtime import INSTANCE_STATES
from engine.views import Page
from webapp.bpmn_outline import element_names
from webapp.auth import signed_in_only
from webapp.engine_access import actor, unit_of_work
from webapp.i18n import page_language
from webapp.process_names import in_language, latest_definitions
from webapp.instance_timeline import failed_element, may_see_data, timeline

bp = Blueprint("instances", __name__)
signed_in_only(bp)

MAX_PAGE = 1_000_000  # far past any real list; keeps the offset within what databases accept


def _page_number(text: str | None) -> int:
    try:
        return min(max(1, int(text or 1)), MAX_PAGE)
    except ValueError:
        return 1


def _filters(args) -> dict:
    return {"process_key": args.get("process_key", "").strip(), "state": args.get("state", "").strip(),
            "business_key": args.get("business_key", "").strip(), "mine": args.get("mine") == "1"}


@bp.route("/instances")
def index():
    filters = _filters(request.args)
    errors = {}
    if filters["state"] and filters["state"] not in INSTANCE_STATES:
        errors["state"] = _("Choose one of: %(states)s.", states=", ".join(INSTANCE_STATES))
    per_page = int(current_app.config.get("PER_PAGE", 20))
    page = Page([], 0, 1, per_page)
    with unit_of_work() as uow:
        definitions = in_language(uow, latest_definitions(uow), page_language())
        people = {user.username: user.display_name for user in uow.identity.list()}
        if not errors:
            page = uow.runtime.list(
                process_key=filters["process_key"] or None, state=filters["state"] or None,
                business_key=filters["business_key"] or None,
                started_by=current_user.username if filters["mine"] else None,
                page=_page_number(request.args.get("page")), per_page=per_page, actor=actor())
    query = {k: v for k, v in filters.items() if v}
    if filters["mine"]:
        query["mine"] = "1"
    return render_template("instances/index.html", page=page, filters=filters, errors=errors, query=query,
                           definitions=definitions, states=INSTANCE_STATES, people=people,
                           last_page=max(1, math.ceil(page.total / page.per_page))), 422 if errors else 200


def task_url(task_id: str) -> str:
    """The task's own page, built by the tasks blueprint when it is there."""
    if "tasks.show" in current_app.view_functions:
        return url_for("tasks.show", task_id=task_id)
    return f"/tasks/{task_id}"


@bp.route("/instances/<int:instance_id>")
def show(instance_id: int):
    return render_instance(instance_id)


def render_instance(instance_id: int, status: int = 200, retry_text: str = "", retry_error: str | None = None,
                    migration_check=None):
    """The instance page; the retry form's text and error come back when a retry was refused,
    the outcome of a migration's dry run when one was asked for (instance_migration)."""
    viewer = actor()
    with unit_of_work() as uow:
        instance = uow.runtime.get(instance_id, viewer)
        events = uow.history.for_instance(instance_id, viewer)
        timers = uow.jobs.list(instance_id=instance_id, actor=viewer)
        names = element_names(uow.repository.bpmn_xml(instance.process_key, instance.version), page_language())
        people = {user.username: user.display_name for user in uow.identity.list()}
        attachments = uow.attachments.list(instance_id, viewer)
        labels = uow.field_labels.for_instance(instance_id)
        latest_version = uow.repository.definition(instance.process_key).version if viewer.is_admin else None
    entries = timeline(events, names, people, viewer)
    return render_template(
        "instances/show.html", instance=instance, timers=timers, entries=entries, names=names,
        failed=failed_element(events, instance.state),
        people=people, labels=labels, task_url=task_url, show_data=may_see_data(viewer), is_admin=viewer.is_admin,
        retry_text=retry_text, retry_error=retry_error, attachments=attachments, instance_id=instance_id,
        latest_version=latest_version, migration_check=migration_check), status


@bp.route("/instances/<int:instance_id>/diagram.bpmn")
def diagram(instance_id: int):
    """The BPMN of the very version the instance runs on, for the diagram viewer."""
    with unit_of_work() as uow:
        instance = uow.runtime.get(instance_id, actor())
        xml = uow.repository.bpmn_xml(instance.process_key, instance.version)
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def init_app(app) -> None:
    from webapp import instance_actions, instance_migration  # noqa: F401  (administrators' POST routes on bp)
    app.register_blueprint(bp)
