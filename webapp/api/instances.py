"""Process instances: start, list, look at, administer (cancel, suspend, resume, retry) and their history."""
from __future__ import annotations

from flask import url_for

from engine.services.runtime import INSTANCE_STATES
from webapp.api import serializers
from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.params import Body, Query, instance_number
from webapp.engine_access import unit_of_work


@bp.post("/process-instances")
def start_instance():
    body = Body()
    key = body.text("process_key", required=True)
    version = body.integer("version")
    data = body.object("data")
    business_key = body.text("business_key")
    body.done()
    view = committed(lambda uow: uow.runtime.start(key, actor=actor(), data=data or {}, business_key=business_key,
                                                   version=version))
    location = url_for("api.get_instance", instance_id=view.id)
    return answer(serializers.instance(view), 201, {"Location": location})


@bp.get("/process-instances")
def list_instances():
    query = Query()
    filters = {"process_key": query.text("process_key"), "business_key": query.text("business_key"),
               "state": query.choice("state", INSTANCE_STATES, None)}
    page, per_page = query.pages()
    query.done()
    with unit_of_work() as uow:
        result = uow.runtime.list(**filters, page=page, per_page=per_page, actor=actor())
    return answer(serializers.page(result, serializers.instance))


@bp.get("/process-instances/<instance_id>")
def get_instance(instance_id: str):
    with unit_of_work() as uow:
        view = uow.runtime.get(instance_number(instance_id), actor())
    return answer(serializers.instance(view))


def _administer(instance_id: str, action: str):
    """cancel, suspend and resume: administrators only, with an optional `reason` for the history."""
    number = instance_number(instance_id)
    body = Body(optional=True)
    reason = body.text("reason", max_length=10_000)
    body.done()
    view = committed(lambda uow: getattr(uow.runtime, action)(number, actor(), reason=reason))
    return answer(serializers.instance(view))


@bp.post("/process-instances/<instance_id>/cancel")
def cancel_instance(instance_id: str):
    return _administer(instance_id, "cancel")


@bp.post("/process-instances/<instance_id>/suspend")
def suspend_instance(instance_id: str):
    return _administer(instance_id, "suspend")


@bp.post("/process-instances/<instance_id>/resume")
def resume_instance(instance_id: str):
    return _administer(instance_id, "resume")


@bp.post("/process-instances/<instance_id>/retry")
def retry_instance(instance_id: str):
    """Run the failed element again, with corrected `data` merged in first if given."""
    number = instance_number(instance_id)
    body = Body(optional=True)
    data = body.object("data")
    body.done()
    view = committed(lambda uow: uow.runtime.retry(number, actor(), data=data))
    return answer(serializers.instance(view))


@bp.get("/process-instances/<instance_id>/history")
def instance_history(instance_id: str):
    with unit_of_work() as uow:
        events = uow.history.for_instance(instance_number(instance_id), actor())
    return answer([serializers.history_event(e) for e in events])
