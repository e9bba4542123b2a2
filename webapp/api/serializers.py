"""The engine's views as the JSON of the API contract (shared/API.md). Times are ISO 8601 with a zone."""
from __future__ import annotations

from datetime import datetime, timezone

from engine.views import (
    Actor, CompletionResult, DefinitionView, DeploymentResult, HistoryEventView, InstanceView, JobView, Page,
    TaskView,
)
from engine.process_texts import task_in
from webapp.api.instructions import given_as
from webapp.i18n import page_language
from webapp.api.problems import error_item


def moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()


def definition(view: DefinitionView, actor: Actor, with_count: bool = False) -> dict:
    body = {"key": view.key, "name": view.name, "version": view.version, "id": view.id,
            "deployed_at": moment(view.deployed_at), "deployed_by": view.deployed_by, "note": view.note,
            "can_start": view.can_start(actor)}
    if with_count:
        body["instance_count"] = view.instance_count
    return body


def deployment(result: DeploymentResult) -> dict:
    return {"id": result.id, "definitions": [{"key": d.key, "version": d.version, "new": d.new}
                                             for d in result.definitions],
            "forms": list(result.forms), "warnings": [error_item(w) for w in result.warnings]}


def task(view: TaskView) -> dict:
    view = task_in(view, page_language())  # names, instructions and form texts in the caller's language
    form = None if view.form is None else {"schema": view.form.get("schema"),
                                           "ui_schema": view.form.get("ui_schema") or {}}
    return {"id": view.id, "name": view.name, "element_id": view.element_id,
            "process_instance_id": view.process_instance_id, "process_key": view.process_key, "lane": view.lane,
            "candidate_groups": list(view.candidate_groups), "assignee": view.assignee, "state": view.state,
            "created_at": moment(view.created_at), "due_at": moment(view.due_at),
            "instructions": given_as(view.instructions, view.filled_instructions), "form": form,
            "data": view.data if view.data is not None else {},
            "can_claim": view.can_claim, "can_release": view.can_release, "can_complete": view.can_complete,
            "can_read_data": view.can_read_data, "can_assign": view.can_assign,
            "follow_up": view.follow_up_on.isoformat() if view.follow_up_on else None}


def instance(view: InstanceView) -> dict:
    return {"id": view.id, "process_key": view.process_key, "version": view.version,
            "business_key": view.business_key, "state": view.state, "data": view.data or {},
            "started_by": view.started_by, "started_at": moment(view.started_at), "ended_at": moment(view.ended_at),
            "open_tasks": [task(t) for t in view.open_tasks], "completed_elements": list(view.completed_elements),
            "active_elements": list(view.active_elements)}


def page(result: Page, item) -> dict:
    body = {"items": [item(v) for v in result.items], "total": result.total, "page": result.page,
            "per_page": result.per_page}
    if result.total_capped:
        body["total_capped"] = True
    if result.next_after is not None:
        body["next"] = result.next_after
    return body


def history_event(view: HistoryEventView) -> dict:
    body = {"at": moment(view.at), "actor": view.actor, "event": view.event, "element_id": view.element_id,
            "task_id": view.task_id}
    if view.data is not None:
        body["data"] = view.data
    return body


def job(view: JobView) -> dict:
    return {"id": view.id, "process_instance_id": view.process_instance_id, "element_id": view.element_id,
            "due_at": moment(view.due_at)}


def completion(result: CompletionResult) -> dict:
    return {"task": task(result.task), "process_instance": instance(result.process_instance)}


def comment(view) -> dict:
    return {"id": view.id, "author": view.author, "at": moment(view.at), "body": view.body, "task_id": view.task_id}


def preferences(view) -> dict:
    return {"email": view.email, "task_ready": view.task_ready, "mentions": view.mentions, "overdue": view.overdue,
            "instance_ended": view.instance_ended}
