"""Reading a workflow's state into plain facts the engine stores: open human tasks, waiting
timers and messages, element progress, and what happened since the last look."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.data import to_json

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


@dataclass(frozen=True)
class ReadyHumanTask:
    id: str
    element_id: str
    name: str
    lane: str | None
    form: str | None
    ui_form: str | None
    instructions: str | None
    data: dict | None  # None: unchanged since it was recorded
    due_at: datetime | None = None
    assignee: str | None = None
    properties: dict = field(default_factory=dict)
    candidate_group: str | None = None  # narrower than the lane, from the `candidateGroup` property


@dataclass(frozen=True)
class WaitingTimer:
    task_id: str
    element_id: str
    due_at: datetime


@dataclass(frozen=True)
class WaitingMessage:
    element_id: str
    name: str
    correlation: dict


@dataclass(frozen=True)
class Happening:
    """Something the engine did on its own, for the history."""
    event: str
    element_id: str
    task_id: str
    data: dict | None = None


@dataclass
class Snapshot:
    completed: bool
    data: dict
    human_tasks: list[ReadyHumanTask] = field(default_factory=list)
    timers: list[WaitingTimer] = field(default_factory=list)
    messages: list[WaitingMessage] = field(default_factory=list)
    completed_elements: list[str] = field(default_factory=list)
    active_elements: list[str] = field(default_factory=list)
    task_states: dict[str, int] = field(default_factory=dict)


def task_states(workflow) -> dict[str, int]:
    return {str(t.id): t.state for t in workflow.get_tasks()}


def _visible(task) -> bool:
    return bool(getattr(task.task_spec, "bpmn_id", None))


def _ordered_unique(values) -> list:
    return list(dict.fromkeys(values))


def snapshot(workflow, known_ready=frozenset()) -> Snapshot:
    """`known_ready`: ids of human tasks already recorded as open; their data is not re-read,
    since a ready task's data does not change until it is completed (and may be large)."""
    tasks = workflow.get_tasks()
    shot = Snapshot(completed=workflow.is_completed(), data=current_data(workflow, tasks),
                    task_states={str(t.id): t.state for t in tasks})
    shot.completed_elements = _ordered_unique(
        t.task_spec.bpmn_id for t in tasks if _visible(t) and t.state == TaskState.COMPLETED)
    shot.active_elements = _ordered_unique(
        t.task_spec.bpmn_id for t in tasks if _visible(t) and t.state & ACTIVE)
    correlation = flat_correlations(workflow)
    for task in tasks:
        if task.state == TaskState.READY and task.task_spec.manual:
            shot.human_tasks.append(_human_task(task, with_data=str(task.id) not in known_ready))
        elif task.state == TaskState.WAITING:
            for definition in waited_definitions(task):
                if isinstance(definition, TimerEventDefinition):
                    due = timer_due_at(task)
                    if due is not None:
                        shot.timers.append(WaitingTimer(str(task.id), task.task_spec.bpmn_id, due))
                elif isinstance(definition, MessageEventDefinition):
                    shot.messages.append(WaitingMessage(task.task_spec.bpmn_id, definition.name, correlation))
    if not shot.completed:
        for element_id, definition in event_subprocess_message_starts(workflow):
            shot.messages.append(WaitingMessage(element_id, definition.name, correlation))
    return shot


def event_subprocess_message_starts(workflow) -> list:
    """(start event id, definition) of the event subprocesses a message starts. SpiffWorkflow
    keeps no waiting task for them (it starts them when a matching event is caught), so
    without this the instance would never be found waiting for their message."""
    found = []
    for name in getattr(workflow.spec.start, "trigger_specs", []):
        spec = workflow.subprocess_specs.get(name)
        for start in getattr(spec, "bpmn_start_events", []) if spec is not None else []:
            if isinstance(getattr(start, "event_definition", None), MessageEventDefinition):
                found.append((start.bpmn_id, start.event_definition))
    return found


def _human_task(task, with_data: bool = True) -> ReadyHumanTask:
    spec = task.task_spec
    extensions = getattr(spec, "extensions", None) or {}
    properties = extensions.get("properties") or {}
    return ReadyHumanTask(
        id=str(task.id), element_id=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id,
        lane=spec.lane, form=properties.get("formJsonSchemaFilename"),
        ui_form=properties.get("formUiSchemaFilename"),
        instructions=extensions.get("instructionsForEndUser"), data=to_json(task.data) if with_data else None,
        due_at=_stated_deadline(task, properties.get("dueDate")) or _deadline_of(task), assignee=_assignee_of(task, properties.get("assignee")) if with_data else None,
        properties={str(k): str(v) for k, v in properties.items()},
        candidate_group=_assignee_of(task, properties.get("candidateGroup")) if with_data else None)


def _assignee_of(task, expression: str | None) -> str | None:
    """The `assignee` property is an expression over the task data naming one user, so that a
    multi-instance task can give each member their own instance (e.g. `member`). The
    `candidateGroup` property is read the same way and names a role narrower than the lane
    (e.g. the translators of one language)."""
    if not expression or not expression.strip():
        return None
    try:
        value = task.workflow.script_engine.evaluate(task, expression.strip())
    except Exception:  # an unresolvable assignee leaves the task to its lane
        return None
    return value if isinstance(value, str) and value else None


def _stated_deadline(task, expression: str | None) -> datetime | None:
    """The `dueDate` property: an expression over the task data giving the task's deadline, a
    date (due by the end of that day, UTC) or a date-time. It wins over boundary timers, which
    may be reminders or alarms rather than the deadline a person is told about."""
    if not expression or not expression.strip():
        return None
    try:
        value = task.workflow.script_engine.evaluate(task, expression.strip())
        if isinstance(value, str) and len(value) == 10:
            value += "T23:59:59+00:00"
        return TimerEventDefinition.get_datetime(value) if isinstance(value, str) else None
    except Exception:  # a missing or malformed date leaves the task to its timers
        return None


def _deadline_of(task) -> datetime | None:
    """A task's due date is the earliest waiting timer on its boundary, or on the boundary of
    what encloses it (a multi-instance, an embedded or called subprocess)."""
    dues = []
    current = task
    while current is not None:
        parent = current.parent
        if parent is not None and type(parent.task_spec).__name__ == "BoundaryEventSplit":
            dues += [timer_due_at(t) for t in parent.children if t is not current and t.state == TaskState.WAITING
                     and isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)]
        if parent is None and current.workflow.parent_task_id is not None:
            parent = current.workflow.top_workflow.get_task_from_id(current.workflow.parent_task_id)
        current = parent
    return min((d for d in dues if d is not None), default=None)


def waited_definitions(task) -> list:
    """What a waiting task waits for. An event-based gateway waits for several events at once
    (SpiffWorkflow gives it one MultipleEventDefinition holding the timer's due time)."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition] if definition is not None else []


def timer_due_at(task) -> datetime | None:
    value = task.internal_data.get("event_value")
    if isinstance(value, dict):
        value = value.get("next")
    if not value:
        return None
    return TimerEventDefinition.get_datetime(value)


def flat_correlations(workflow) -> dict:
    """{property: value} over all correlation keys the instance has established."""
    flat = {}
    for properties in (workflow.correlations or {}).values():
        flat.update(properties)
    return to_json(flat)


def current_data(workflow, tasks=None) -> dict:
    """The data as it stands: the workflow's once completed, else that of its live tasks."""
    if workflow.is_completed():
        return to_json(workflow.result_data() if hasattr(workflow, "result_data") else workflow.data)
    merged = {}
    tasks = tasks if tasks is not None else workflow.get_tasks()
    live = [t for t in tasks if t.state & ACTIVE and t.workflow is workflow]
    for task in sorted(live or ([workflow.last_task] if workflow.last_task else []),
                       key=lambda t: t.last_state_change):
        merged.update(task.data)
    return to_json(merged)


_EVENTS_BY_SPEC = {
    "ExclusiveGateway": "gateway_taken", "InclusiveGateway": "gateway_taken",
    "ParallelGateway": "gateway_taken", "EventBasedGateway": "gateway_taken",
    "ScriptTask": "script_completed", "BusinessRuleTask": "decision_made",
    "ServiceTask": "service_completed", "CallActivity": "call_activity_completed",
    "SubWorkflowTask": "subprocess_completed", "TransactionSubprocess": "subprocess_completed",
    "StartEvent": "start_event", "EndEvent": "end_event",
    "SendTask": "message_sent", "IntermediateThrowEvent": "event_thrown",
}


def happenings(before: dict[str, int], workflow) -> list[Happening]:
    """Elements the engine completed since `before`, oldest first."""
    found = []
    for task in workflow.get_tasks():
        parent = task.parent
        if str(task.id) not in before and _visible(task) and parent is not None and _is_cycle_timer(parent):
            found.append((task.last_state_change, Happening("timer_fired", parent.task_spec.bpmn_id,
                                                            str(parent.id), {"cycle": True})))
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        if not _visible(task) or before.get(str(task.id)) == TaskState.COMPLETED or task.task_spec.manual:
            continue
        event = _event_for(task)
        if event:
            found.append((task.last_state_change, Happening(event, task.task_spec.bpmn_id, str(task.id),
                                                            _details(task, event))))
    return [h for _, h in sorted(found, key=lambda pair: pair[0])]


def _is_cycle_timer(task) -> bool:
    return isinstance(getattr(task.task_spec, "event_definition", None), CycleTimerEventDefinition)


def _event_for(task) -> str | None:
    spec_class = type(task.task_spec).__name__
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, CycleTimerEventDefinition):
        return None  # each round was recorded as it fired; the last completion fires nothing
    if isinstance(definition, TimerEventDefinition):
        return "timer_fired"
    if isinstance(definition, MessageEventDefinition) and spec_class != "EndEvent" and "Throw" not in spec_class:
        return "message_received"
    if spec_class == "BoundaryEvent":
        return f"{type(definition).__name__.replace('EventDefinition', '').lower() or 'event'}_caught"
    return _EVENTS_BY_SPEC.get(spec_class)


def _details(task, event) -> dict | None:
    if event == "gateway_taken":
        return {"to": [c.task_spec.bpmn_id for c in task.children
                       if c.state != TaskState.CANCELLED and c.task_spec.bpmn_id]}
    return None
