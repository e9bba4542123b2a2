"""The OpenAPI entries of the dashboard and heatmap endpoints (webapp/api/dashboard.py), kept in
their own module and joined to the document by webapp/api/openapi.py."""
from __future__ import annotations

from engine.services.dashboard import AGE_BUCKETS, WEEKS
from webapp.api.openapi_components import MOMENT, TEXT, errors, nullable, record, ref
from webapp.api.params import MAX_ID

COUNT = {"type": "integer", "minimum": 0}

SCHEMAS = {
    "Dashboard": record("What a manager reads at a glance, counted now.", {
        "at": MOMENT,
        "open_tasks_by_lane": {"type": "array", "items": ref("LaneAges"), "description": "lanes by name, unlaned last"},
        "overdue_tasks_by_process": {"type": "array", "items": ref("OverdueCount"), "description": "most overdue first"},
        "instances_per_week": {"type": "array", "items": ref("WeekCount"), "minItems": WEEKS, "maxItems": WEEKS,
                               "description": f"the last {WEEKS} weeks (Monday to Sunday, UTC), oldest first"},
    }),
    "LaneAges": record("The open tasks of one lane, by how long they have waited since they became ready.", {
        "lane": nullable("string"),
        "by_age": record("Open tasks per age bracket.", {key: COUNT for key, _ in AGE_BUCKETS}),
        "total": COUNT,
    }),
    "OverdueCount": record("Open tasks past their due date in one process.", {
        "process_key": TEXT, "process_name": TEXT, "count": COUNT}),
    "WeekCount": record("Instances started, and instances completed, in one week.", {
        "week_starts": {"type": "string", "format": "date", "description": "the Monday"},
        "started": COUNT, "completed": COUNT}),
    "Heatmap": {"type": "object", "description": "Per BPMN element id: tokens waiting there now (`open`) and "
                "tokens that passed it (`completed`). A user task counts each of its tasks (one per member of a "
                "multi-instance vote); other elements count once per instance.",
                "additionalProperties": record("Token counts of one element.", {"open": COUNT, "completed": COUNT})},
}

PARAMETERS = {
    "HeatmapVersion": {"name": "version", "in": "query", "required": False,
                       "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                       "description": "only the instances of this version (default: of every version)"},
}


def paths(operation, ok) -> dict:
    """Built with openapi.py's own helpers, so these entries have the shape of all the others."""
    return {
        "/dashboard": {"get": operation(
            "getDashboard", "dashboard", "The managers' dashboard",
            "Open tasks by lane and age, overdue tasks by process, instances started and completed per week. "
            "Managers and administrators only; 403 for anyone else.",
            {**ok(200, "the counts", ref("Dashboard")), **errors(401, 403)})},
        "/process-instances/{instance_id}/heatmap": {"get": operation(
            "getInstanceHeatmap", "dashboard", "Tokens per element of an instance",
            "For those who may read the instance; 403 for anyone else.",
            {**ok(200, "counts by element id", ref("Heatmap")), **errors(401, 403, 404)}, ["InstanceId"])},
        "/process-definitions/{key}/heatmap": {"get": operation(
            "getDefinitionHeatmap", "dashboard", "Tokens per element of a process",
            "Summed over the instances of the process the caller may read (managers and administrators: all).",
            {**ok(200, "counts by element id", ref("Heatmap")), **errors(401, 404, 422)},
            ["Key", "HeatmapVersion"])},
    }
