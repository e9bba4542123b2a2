"""The caller's saved inbox filters: list them with their counts, save one, delete one."""
from __future__ import annotations

from flask import current_app

from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.params import Body, instance_number
from webapp.engine_access import unit_of_work
from engine import NotFound


def saved_filter(view) -> dict:
    body = {"id": view.id, "name": view.name, "filters": view.filters, "count": view.count}
    if view.count_capped:
        body["count_capped"] = True
    return body


@bp.get("/saved-filters")
def list_saved_filters():
    with unit_of_work() as uow:
        return answer([saved_filter(f) for f in uow.saved_filters.list(actor())])


@bp.post("/saved-filters")
def save_filter():
    """201 with the filter and its count; 422 for a bad name or filter; 409 when the name is taken."""
    body = Body()
    name, filters = body.fields.get("name"), body.fields.get("filters", {})
    body.done()
    return answer(saved_filter(committed(lambda uow: uow.saved_filters.save(actor(), name, filters))), 201)


@bp.delete("/saved-filters/<filter_id>")
def delete_saved_filter(filter_id: str):
    try:
        number = instance_number(filter_id)
    except NotFound:
        raise NotFound(f"No saved filter {filter_id}") from None
    committed(lambda uow: uow.saved_filters.delete(number, actor()))
    response = current_app.response_class(status=204)
    response.headers.pop("Content-Type", None)  # no body, so no type
    return response
