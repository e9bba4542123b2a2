"""Messages sent to waiting instances, and waiting timers (jobs) that administrators may fire early."""
from __future__ import annotations

from webapp.api import serializers
from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.params import Body, Query, uuid_id
from webapp.engine_access import unit_of_work


@bp.post("/messages")
def send_message():
    """202 with the instances that caught it; 404 when no running instance waits for it."""
    body = Body()
    name = body.text("name", required=True)
    target = body.integer("process_instance_id")
    correlation = body.object("correlation")
    data = body.object("data")
    body.done()
    delivered = committed(lambda uow: uow.runtime.deliver_message(name, actor(), instance_id=target,
                                                                  correlation=correlation, data=data))
    return answer({"delivered_to": delivered}, 202)


@bp.get("/jobs")
def list_jobs():
    query = Query()
    instance = query.integer("process_instance_id")
    due_before = query.moment("due_before")
    query.done()
    with unit_of_work() as uow:
        jobs = uow.jobs.list(instance_id=instance, due_before=due_before, actor=actor())
    return answer([serializers.job(j) for j in jobs])


@bp.post("/jobs/<job_id>/execute")
def execute_job(job_id: str):
    """Administrators: fire that timer now, as when its time comes; answers the instance."""
    job = uuid_id(job_id, "waiting timer")
    view = committed(lambda uow: uow.jobs.execute(job, actor()))
    return answer(serializers.instance(view))
