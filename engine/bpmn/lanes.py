"""Which lane each element of a deployed process sits in, read from its stored spec.

The read and act rules (engine.services.access) need a process's lanes (its roles) and the
lane of a waiting message event; both are fixed at deploy time, so they are read from the
serialized spec (the caller caches them per definition), never by loading a workflow."""
from __future__ import annotations

import json


def element_lanes(spec_json: str) -> dict[str, str | None]:
    """{bpmn element id: lane name or None}, over the process and its subprocesses."""
    stored = json.loads(spec_json)
    specs = [stored.get("spec") or {}, *(stored.get("subprocess_specs") or {}).values()]
    lanes: dict[str, str | None] = {}
    for spec in specs:
        for task_spec in (spec.get("task_specs") or {}).values():
            element = task_spec.get("bpmn_id")
            if element:
                lanes[element] = lanes.get(element) or task_spec.get("lane")
    return lanes
