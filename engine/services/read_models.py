"""Rows to the engine's views. Forms are looked up through the definition that froze them."""
from __future__ import annotations

import copy
import json

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine.form_options import with_task_options
from engine.persistence.models import HumanTask, ProcessDefinition, ProcessInstance, Resource
from engine.services.directory import DirectoryService
from engine.views import DefinitionView, InstanceView, TaskView


_FORMS: dict[tuple[str, int], dict] = {}


def form_content(session: Session, definition: ProcessDefinition, name: str | None) -> dict | None:
    """Deployed resources never change, so a parsed form is cached by database and id."""
    resource_id = (definition.dependencies.get("forms") or {}).get(name) if name else None
    if resource_id is None:
        return None
    key = (str(session.get_bind().url), resource_id)
    if key not in _FORMS:
        resource = session.get(Resource, resource_id)
        if resource is None:
            return None
        if len(_FORMS) > 2048:
            _FORMS.clear()
        _FORMS[key] = json.loads(resource.content)
    return copy.deepcopy(_FORMS[key])


def task_view(session: Session, row: HumanTask, definition: ProcessDefinition | None = None,
              forms: dict | None = None, instance: ProcessInstance | None = None, with_form: bool = True) -> TaskView:
    """`row`: an ORM row or a Core row of `human_tasks`. `forms`: a dict shared by the views of
    one answer, so each form is copied once for all, and a form with nothing to fill in (no
    choices from data, no directory pickers) is not looked at again for each task.
    `with_form=False`: `form` is None (a list that shows no form)."""
    instance = instance or session.get(ProcessInstance, row.instance_id)
    definition = definition or instance.definition
    form = None
    if row.form_name is not None and with_form:
        key = (definition.id, row.form_name, row.ui_form_name)
        form = forms.get(key) if forms is not None else None
        if form is None:
            form = {"schema": form_content(session, definition, row.form_name),
                    "ui_schema": form_content(session, definition, row.ui_form_name) or {}}
            if forms is not None:
                forms[key] = form
    if form is not None and not form.get("static"):  # each copies only when it has something to fill in
        with_options = with_task_options(form["schema"], row.data)
        schema = DirectoryService(session).expand(with_options, row.data)
        if forms is not None and with_options is form["schema"] and schema is form["schema"]:
            form["static"] = True  # the same whatever the data: nothing to fill in
        form = {**form, "schema": schema}
    if form is not None and "static" in form:
        form = {"schema": form["schema"], "ui_schema": form["ui_schema"]}
    return TaskView(
        id=row.id, name=row.name, element_id=row.element_id, process_instance_id=row.instance_id,
        process_key=row.process_key, lane=row.lane, candidate_groups=[row.candidate_group] if row.candidate_group else [],
        assignee=row.assignee, state=row.state, created_at=row.created_at, due_at=row.due_at,
        completed_at=row.completed_at, completed_by=row.completed_by, instructions=row.instructions,
        form=form, data=row.data, business_key=instance.business_key, process_name=definition.name,
        properties=dict(row.properties or {}), follow_up_on=row.follow_up_on)


_TASKS = HumanTask.__table__
_OPEN_TASKS = select(_TASKS).where(_TASKS.c.instance_id == bindparam("instance_id"), _TASKS.c.state == "open") \
    .order_by(_TASKS.c.created_at, _TASKS.c.id)


def instance_view(session: Session, row: ProcessInstance) -> InstanceView:
    """The open tasks are read as Core rows (no ORM object each): an instance may hold a
    thousand of them (a parallel multi-instance), and its view is every action's answer."""
    forms: dict = {}
    session.flush()  # a change of this unit of work to a task row is read back
    open_rows = session.connection().execute(_OPEN_TASKS, {"instance_id": row.id})
    return InstanceView(
        id=row.id, process_key=row.process_key, version=row.definition.version, definition_id=row.definition_id,
        business_key=row.business_key, state=row.state, data=row.data, started_by=row.started_by,
        started_at=row.started_at, ended_at=row.ended_at,
        open_tasks=[task_view(session, t, row.definition, forms, row) for t in open_rows],
        completed_elements=list(row.completed_elements), active_elements=list(row.active_elements),
        error=row.error_message, error_element=row.error_element)


def definition_view(session: Session, row: ProcessDefinition, with_counts: bool = False) -> DefinitionView:
    count = session.scalar(select(func.count()).select_from(ProcessInstance)
                           .where(ProcessInstance.definition_id == row.id)) if with_counts else 0
    return DefinitionView(
        id=row.id, key=row.key, name=row.name, version=row.version, deployed_at=row.deployment.deployed_at,
        deployed_by=row.deployment.deployed_by, note=row.deployment.note,
        start_roles=frozenset(row.start_roles), instance_count=count)
