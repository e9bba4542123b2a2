"""The dashboard's counts and the per-element heatmaps of process diagrams, as JSON.

The same engine services as the pages (engine/services/dashboard.py, heatmap.py), the same
rules: the dashboard for managers and administrators, an instance's heatmap for whoever may
read the instance, a process's heatmap summed over the instances the caller may read."""
from __future__ import annotations

from engine.services.dashboard import Dashboard
from webapp.api.access import actor
from webapp.api.blueprint import answer, bp
from webapp.api.params import Query, definition_key, instance_number
from webapp.api.serializers import moment
from webapp.engine_access import unit_of_work


def dashboard_body(board: Dashboard) -> dict:
    return {
        "at": moment(board.at),
        "open_tasks_by_lane": [{"lane": lane.lane, "by_age": dict(lane.by_age), "total": lane.total}
                               for lane in board.open_by_lane],
        "overdue_tasks_by_process": [{"process_key": o.process_key, "process_name": o.process_name, "count": o.count}
                                     for o in board.overdue_by_process],
        "instances_per_week": [{"week_starts": w.starts.date().isoformat(), "started": w.started,
                                "completed": w.completed} for w in board.weeks],
    }


@bp.get("/dashboard")
def dashboard():
    with unit_of_work() as uow:
        board = uow.dashboard.summary(actor())
    return answer(dashboard_body(board))


@bp.get("/process-instances/<instance_id>/heatmap")
def instance_heatmap(instance_id: str):
    with unit_of_work() as uow:
        return answer(uow.heatmap.for_instance(instance_number(instance_id), actor()))


@bp.get("/process-definitions/<key>/heatmap")
def definition_heatmap(key: str):
    query = Query()
    version = query.integer("version")
    query.done()
    with unit_of_work() as uow:
        return answer(uow.heatmap.for_definition(definition_key(key), actor(), version))
