"""Who may read and act: the one place the engine decides it, for the pages and the API alike.

The rules (API.md, "Additions: who may read and act"):
- an instance (data, history, diagram) may be read by whoever started it, whoever worked on
  one of its tasks (claimed, was assigned, completed), anyone holding the role of one of its
  process's lanes, managers and administrators; anyone else gets 403, or does not see it listed;
- a message is delivered only to instances the caller may act on: administrators, or a caller
  holding the role of the waiting event's lane (of any of the process's lanes when unlaned);
- a task may be assigned to a holder of its lane role by administrators and managers, and
  delegated to such a colleague by whoever claimed it (not when the process named them);
- a task may be claimed by a holder of its lane role while nobody has it; released by its
  assignee or an administrator unless the process itself gave it to one person; completed by
  a holder of its lane role who is its assignee (or anyone of the lane while unassigned), and
  only while its instance runs.
Views carry the answers as `can_*` flags, so the pages draw what the engine would accept."""
from __future__ import annotations

import dataclasses

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from engine.bpmn.lanes import element_lanes
from engine.errors import NotFound, PermissionDenied
from engine.messages import N_
from engine.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from engine.views import Actor, InstanceView, TaskView

_LANES: dict[tuple[str, int], dict[str, str | None]] = {}
_LANES_LIMIT = 4096


def sees_everything(actor: Actor) -> bool:
    """Managers and administrators read every instance and everyone's submitted data."""
    return actor.is_admin or actor.is_manager


def lanes_of(session: Session, definition: ProcessDefinition) -> dict[str, str | None]:
    """{element id: lane} of a deployed definition; deployed specs never change, so cached."""
    key = (str(session.get_bind().url), definition.id)
    if key not in _LANES:
        if len(_LANES) >= _LANES_LIMIT:
            _LANES.clear()
        _LANES[key] = element_lanes(definition.spec_json)
    return _LANES[key]


def process_roles(session: Session, definition: ProcessDefinition) -> frozenset[str]:
    return frozenset(lane for lane in lanes_of(session, definition).values() if lane)


def _worked_on(actor: Actor):
    return select(HumanTask.id).where(
        HumanTask.instance_id == ProcessInstance.id,
        or_(HumanTask.assignee == actor.username, HumanTask.completed_by == actor.username)).exists()


def may_read_instance(session: Session, actor: Actor, instance: ProcessInstance) -> bool:
    if sees_everything(actor) or instance.started_by == actor.username:
        return True
    if process_roles(session, instance.definition) & actor.roles:
        return True
    return session.scalar(select(HumanTask.id).where(
        HumanTask.instance_id == instance.id,
        or_(HumanTask.assignee == actor.username, HumanTask.completed_by == actor.username)).limit(1)) is not None


def readable_instance(session: Session, actor: Actor | None, instance_id: int) -> ProcessInstance:
    """The instance, if it exists (else NotFound) and `actor` may read it (else PermissionDenied)."""
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound(N_("No process instance %(instance)s"), instance=instance_id)
    require_read(session, actor, instance)
    return instance


def require_read(session: Session, actor: Actor | None, instance: ProcessInstance) -> None:
    """`actor=None` is the engine itself (workers, the CLI): no check."""
    if actor is not None and not may_read_instance(session, actor, instance):
        raise PermissionDenied(N_("Process instance %(instance)s is not yours to read: it belongs to other "
                                  "roles' work"), instance=instance.id)


def readable_instances(session: Session, actor: Actor):
    """A WHERE clause keeping the instances `actor` may read (None: all of them)."""
    if sees_everything(actor):
        return None
    definitions = [d for d in session.scalars(select(ProcessDefinition))
                   if process_roles(session, d) & actor.roles]
    in_my_lanes = ProcessInstance.definition_id.in_([d.id for d in definitions]) if definitions else false()
    return or_(ProcessInstance.started_by == actor.username, in_my_lanes, _worked_on(actor))


def may_deliver(session: Session, actor: Actor | None, instance: ProcessInstance, element_id: str) -> bool:
    """Administrators, or a holder of the waiting event's lane (the process's lanes when unlaned)."""
    if actor is None or actor.is_admin:
        return True
    lanes = lanes_of(session, instance.definition)
    lane = lanes.get(element_id)
    roles = {lane} if lane else {x for x in lanes.values() if x}
    return bool(roles & actor.roles)


# -- tasks -------------------------------------------------------------------------------

def _groups(task: TaskView | HumanTask) -> set[str]:
    """The task's candidate groups, from a view or from its row: the rules below take either."""
    if isinstance(task, HumanTask):
        return {task.candidate_group} if task.candidate_group else set()
    return set(task.candidate_groups)


def is_candidate(task: TaskView | HumanTask, actor: Actor) -> bool:
    groups = _groups(task)
    return not groups or bool(groups & actor.roles)


def may_see_task(task: TaskView | HumanTask, actor: Actor) -> bool:
    return sees_everything(actor) or task.assignee == actor.username or task.completed_by == actor.username \
        or is_candidate(task, actor)


def may_claim(task: TaskView | HumanTask, actor: Actor) -> bool:
    return task.state == "open" and task.assignee is None and is_candidate(task, actor)


def assigned_by_process(properties: dict | None) -> bool:
    """A task the process itself gave to one person (the `assignee` property): a vote, a view."""
    return bool((properties or {}).get("assignee"))


def may_release(task: TaskView | HumanTask, actor: Actor) -> bool:
    return task.state == "open" and task.assignee is not None and not assigned_by_process(task.properties) \
        and (task.assignee == actor.username or actor.is_admin)


def may_assign(task: TaskView | HumanTask, actor: Actor) -> bool:
    """Administrators and managers move any open task (a case stuck on someone absent must be
    movable, even when the process gave it to one person); whoever claimed a task may delegate
    it to a colleague of the same role, but not a task the process gave to them by name."""
    if task.state != "open":
        return False
    if sees_everything(actor):
        return True
    return task.assignee == actor.username and not assigned_by_process(task.properties) \
        and is_candidate(task, actor)


def may_work_on(task: TaskView | HumanTask, actor: Actor) -> bool:
    """The assignee, if any, and only while they hold the lane's role: a lane is a promise."""
    return is_candidate(task, actor) and task.assignee in (None, actor.username)


def with_flags(session: Session, view: TaskView, actor: Actor | None, instance_state: str | None = None,
               reads_instance: bool = False) -> TaskView:
    """The task as `actor` may use it: what the engine would accept from them, now."""
    if actor is None:
        return view
    if instance_state is None:
        instance_state = session.get(ProcessInstance, view.process_instance_id).state
    running = instance_state == "running"
    return dataclasses.replace(
        view, can_claim=may_claim(view, actor), can_release=may_release(view, actor),
        can_complete=running and view.state == "open" and may_work_on(view, actor),
        can_read_data=reads_instance or may_see_task(view, actor), can_assign=may_assign(view, actor))


def instance_with_flags(session: Session, view: InstanceView, actor: Actor | None) -> InstanceView:
    """An instance as a reader sees it: its open tasks carry what that reader may do with each."""
    if actor is None:
        return view
    return dataclasses.replace(view, open_tasks=[
        with_flags(session, t, actor, view.state, reads_instance=True) for t in view.open_tasks])
