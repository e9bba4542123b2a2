"""The one door to a running SpiffWorkflow workflow.

Services never touch a Spiff task: they ask a `LiveWorkflow` to complete a ready task, retry
what failed, fire a timer now, deliver a message or cancel, then to advance to the next wait
state and to describe and save itself. Anything SpiffWorkflow-specific (task states, private
setters, internal data, exceptions) stays here.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from engine.bpmn import inspection, store, version_migration
from engine.bpmn.pruning import PrunedTask
from engine.bpmn.workflow import EngineWorkflow, clock_in_use


@dataclass(frozen=True)
class Failure:
    """Why an action left the instance in error, and where; `retry_in` (seconds) when the failed
    element asks to be run again later (a connector call that may pass) rather than an error."""
    message: str
    element_id: str | None
    task_id: str | None = None
    retry_in: float | None = None


class TaskNotReady(Exception):
    """The task is not (or no longer) ready to be completed."""


class NotWaiting(Exception):
    """Nothing in the workflow waits for that timer or message."""


class BadMessage(Exception):
    """The message lacks what the waiting event's correlation needs."""


@dataclass(frozen=True)
class ProcessTraits:
    """What a definition can ever do, so an action skips the bookkeeping it cannot need."""
    has_timers: bool
    has_messages: bool
    has_service_calls: bool = False  # a failed call may wait for a retry job


def traits_of(specs: store.ProcessSpecs) -> ProcessTraits:
    task_specs = [t for s in [specs.spec, *specs.subprocess_specs.values()] for t in s.task_specs.values()]
    definitions = [getattr(t, "event_definition", None) for t in task_specs]
    flat = []
    for definition in definitions:
        flat += [definition, *(getattr(definition, "event_definitions", None) or [])]
    return ProcessTraits(has_timers=any(isinstance(d, TimerEventDefinition) for d in flat),
                         has_messages=any(isinstance(d, MessageEventDefinition) for d in flat),
                         has_service_calls=any(hasattr(t, "operation_name") for t in task_specs))


class LiveWorkflow:
    def __init__(self, workflow: EngineWorkflow):
        self._workflow = workflow
        self._before: dict[str, int] | None = inspection.task_states(workflow)

    @classmethod
    def new(cls, specs: store.ProcessSpecs, script_engine, data: dict) -> "LiveWorkflow":
        workflow = store.load_new(specs, script_engine)
        workflow.task_tree.data.update(copy.deepcopy(data))
        live = cls(workflow)
        live._before = {}
        return live

    @classmethod
    def load(cls, specs: store.ProcessSpecs, state_json: str, script_engine) -> "LiveWorkflow":
        return cls(store.load(specs, state_json, script_engine))

    # -- acting --------------------------------------------------------------------------
    def advance(self, act: Callable[[], None] | None, clock) -> Failure | None:
        """Apply `act`, fire what fell due, run engine steps until the workflow waits. A failure
        of process code (a script, an expression, even `SystemExit`) is the instance's error,
        never the caller's crash."""
        with clock_in_use(clock):
            try:
                if act is not None:
                    act()
                self._workflow.refresh_timers()
                self._workflow.do_engine_steps()
            except SpiffWorkflowException as error:
                return Failure(*_describe(error), *_retry_request(error))
            except (TaskNotReady, NotWaiting, BadMessage):
                raise
            except (Exception, SystemExit, KeyboardInterrupt) as error:  # process code is untrusted
                return Failure(f"{type(error).__name__}: {error}", None)
        return None

    def _task(self, task_id: str):
        try:
            return self._workflow.get_task_from_id(UUID(str(task_id)))
        except (ValueError, TaskNotFoundException):
            return None

    def may_have_been_open(self, task_id: str) -> bool:
        """Whether the task was ready or failed when loaded: only such a task can already have a
        row in the inbox (a retried task becomes ready again); predicted tasks never had one."""
        return bool(self._states_before().get(str(task_id), 0) & (TaskState.READY | TaskState.ERROR))

    def completing(self, task_id: str, data: dict) -> Callable[[], None]:
        """The act of completing a ready user task with the submitted data."""
        task = self._task(task_id)
        if task is None or task.state != TaskState.READY:
            raise TaskNotReady(task_id)

        def complete():
            task.data.update(copy.deepcopy(data))
            task.run()
        return complete

    def failed_tasks(self) -> list[tuple[str, str]]:
        """(task id, element id) of each task in error."""
        return [(str(t.id), t.task_spec.bpmn_id) for t in self._workflow.get_tasks(state=TaskState.ERROR)]

    def failed_task_ids(self) -> set[str]:
        return {task_id for task_id, _ in self.failed_tasks()}

    def retrying(self, data: dict | None, task_ids: set[str] | None = None) -> Callable[[], None]:
        """Ready again: every task in error, or only those of `task_ids`."""
        failed = [t for t in self._workflow.get_tasks(state=TaskState.ERROR)
                  if task_ids is None or str(t.id) in task_ids]

        def rerun():
            for task in failed:
                if data:
                    task.data.update(copy.deepcopy(data))
                task._set_state(TaskState.READY)
        return rerun

    def firing_timer(self, task_id: str, at: datetime) -> Callable[[], None]:
        """The act of firing one waiting timer as if `at` were its due time."""
        def fire():
            task = next((t for t in self._workflow.get_tasks(state=TaskState.WAITING) if str(t.id) == str(task_id)),
                        None)
            if task is None:
                raise NotWaiting(task_id)
            value = task.internal_data.get("event_value")
            if isinstance(value, dict):
                value["next"] = at.isoformat()
            else:
                task.internal_data["event_value"] = at.isoformat()
            self._workflow.refresh_timers()
        return fire

    def delivering(self, name: str, payload: dict) -> Callable[[], None]:
        """The act of delivering a message; checks first that something waits for it (a catch
        event, an event-based gateway, or an event subprocess a message starts) and that the
        payload carries what its correlation needs, before anything moves."""
        waiting = [(t, d) for t in self._workflow.get_tasks(state=TaskState.WAITING)
                   for d in inspection.waited_definitions(t) if getattr(d, "name", None) == name]
        starts = [d for _, d in inspection.event_subprocess_message_starts(self._workflow) if d.name == name]
        if not waiting and not starts:
            raise NotWaiting(name)
        if waiting:
            task, definition = waiting[0]
            try:
                definition.get_correlations(task, copy.deepcopy(payload))
            except Exception as error:
                raise BadMessage(str(error)) from None
        else:
            definition = starts[0]

        def send():
            self._workflow.send_event(BpmnEvent(definition, copy.deepcopy(payload),
                                                copy.deepcopy(self._workflow.correlations)))
        return send

    def migrating_to(self, specs: store.ProcessSpecs) -> list[version_migration.Blocker]:
        """Move onto another version of the process (see `version_migration`); on blockers,
        nothing usable is left here: load the workflow again."""
        return version_migration.migrate(self._workflow, specs)

    def cancel(self, clock) -> None:
        with clock_in_use(clock):
            self._workflow.cancel()

    # -- describing and saving -----------------------------------------------------------
    def snapshot(self, known_ready=frozenset()) -> inspection.Snapshot:
        return inspection.snapshot(self._workflow, known_ready=known_ready)

    def happenings(self) -> list[inspection.Happening]:
        return inspection.happenings(self._states_before(), self._workflow)

    def _states_before(self) -> dict[str, int]:
        if self._before is None:  # after a save, walked again only if this workflow acts again
            self._before = inspection.task_states(self._workflow)
        return self._before

    def save(self) -> tuple[str, list[PrunedTask]]:
        """The state to store, after finished work left the live tree (returned for history)."""
        state, pruned = store.prune_and_dump(self._workflow)
        self._before = None
        return state, pruned


def _retry_request(error: SpiffWorkflowException) -> tuple[str | None, float | None]:
    task = getattr(error, "task", None)
    if task is None:
        return None, None
    return str(task.id), task.internal_data.pop("connector_retry_in", None)


def _describe(error: SpiffWorkflowException) -> tuple[str, str | None]:
    task = getattr(error, "task", None)
    spec = getattr(error, "task_spec", None) or getattr(task, "task_spec", None)
    element = getattr(spec, "bpmn_id", None) or getattr(spec, "name", None)
    try:
        message = str(error)
    except Exception:  # SpiffWorkflow's own formatting can fail on unusual errors
        message = repr(error.args[0] if error.args else error)
    notes = [n for n in getattr(error, "__notes__", []) if n not in message]
    return " ".join([message, *notes]).strip(), element
