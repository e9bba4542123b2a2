"""Where the tokens are and have been, per BPMN element: {element id: {"open": n, "completed": n}}.

For one instance, or summed over the instances of a process the reader may read. A user task
counts each of its task rows (a multi-instance vote of five members is five tokens); any other
element counts once per instance that has it active or completed (the instance row keeps those
lists). Two queries, no workflow loaded."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from engine.services import access
from engine.services.repository import no_definition
from engine.views import Actor

Heatmap = dict[str, dict[str, int]]


class HeatmapService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def for_instance(self, instance_id: int, actor: Actor | None) -> Heatmap:
        access.readable_instance(self.session, actor, instance_id)
        return self._count(ProcessInstance.id == instance_id)

    def for_definition(self, key: str, actor: Actor | None, version: int | None = None) -> Heatmap:
        """Every version of `key` (or the one `version`), over the instances `actor` may read."""
        query = select(ProcessDefinition.id).where(ProcessDefinition.key == key)
        if version is not None:
            query = query.where(ProcessDefinition.version == version)
        ids = list(self.session.scalars(query))
        if not ids:
            raise no_definition(key, version)
        conditions = [ProcessInstance.definition_id.in_(ids)]
        readable = access.readable_instances(self.session, actor) if actor is not None else None
        if readable is not None:
            conditions.append(readable)
        return self._count(*conditions)

    def _count(self, *conditions) -> Heatmap:
        tasks: dict[int, dict[str, Counter]] = {}
        for instance_id, element_id, state, count in self.session.execute(
                select(HumanTask.instance_id, HumanTask.element_id, HumanTask.state, func.count())
                .where(HumanTask.state.in_(("open", "completed")),
                       HumanTask.instance_id.in_(select(ProcessInstance.id).where(*conditions)))
                .group_by(HumanTask.instance_id, HumanTask.element_id, HumanTask.state)):
            tasks.setdefault(instance_id, {}).setdefault(element_id, Counter())[state] = count
        heat: dict[str, Counter] = {}
        for instance_id, active, completed in self.session.execute(
                select(ProcessInstance.id, ProcessInstance.active_elements, ProcessInstance.completed_elements)
                .where(*conditions)):
            by_element = tasks.get(instance_id, {})
            for element_id in {*active, *completed, *by_element}:
                rows = by_element.get(element_id, Counter())
                counter = heat.setdefault(element_id, Counter())
                counter["open"] += max(rows["open"], int(element_id in active))
                counter["completed"] += max(rows["completed"], int(element_id in completed))
        return {element_id: {"open": c["open"], "completed": c["completed"]} for element_id, c in sorted(heat.items())}
