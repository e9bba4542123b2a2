"""Comments on an instance (one thread, optionally about one of its tasks), and each caller's
notification preferences."""
from __future__ import annotations

from flask import url_for

from engine import InvalidInput, Problem
from webapp.api import serializers
from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.params import Body, instance_number
from webapp.engine_access import unit_of_work


@bp.get("/process-instances/<instance_id>/comments")
def list_comments(instance_id: str):
    with unit_of_work() as uow:
        comments = uow.comments.for_instance(instance_number(instance_id), actor())
    return answer([serializers.comment(c) for c in comments])


@bp.post("/process-instances/<instance_id>/comments")
def add_comment(instance_id: str):
    """The body is checked by the engine after the access check: 404 and 403 come before 422."""
    number = instance_number(instance_id)
    fields = Body().fields
    unknown = sorted(set(fields) - {"body", "task_id"})
    if unknown:
        raise InvalidInput("The request body is not valid", [Problem("unknown field", field=f) for f in unknown])
    who = actor()
    view = committed(lambda uow: uow.comments.add(number, who, fields.get("body"), fields.get("task_id")))
    location = url_for("api.list_comments", instance_id=number)
    return answer(serializers.comment(view), 201, {"Location": location})


@bp.get("/me/notifications")
def my_notifications():
    with unit_of_work() as uow:
        preferences = uow.notifications.get(actor().username)
    return answer(serializers.preferences(preferences))


@bp.put("/me/notifications")
def change_my_notifications():
    """Fields left out keep their value."""
    changes = Body().fields
    username = actor().username
    preferences = committed(lambda uow: uow.notifications.update(username, changes))
    return answer(serializers.preferences(preferences))
