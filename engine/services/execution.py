"""One engine action on one instance: load its workflow, act, run engine steps until it
waits, then record what happened (history, task rows, timers, subscriptions) and save.
Everything lands in the caller's transaction, so a failure anywhere leaves no trace."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bpmn import inspection, store
from engine.bpmn.workflow import EngineWorkflow, clock_in_use
from engine.persistence.models import (
    HistoryEvent, HumanTask, MessageSubscription, ProcessDefinition, ProcessInstance, TaskCandidate, TimerJob,
)
from engine.views import Actor

RUNNING, COMPLETED, CANCELLED, SUSPENDED, ERROR = "running", "completed", "cancelled", "suspended", "error"


def record(session: Session, instance_id: int, at: datetime, event: str, actor: Actor | None,
           element_id: str | None = None, task_id: str | None = None, data: dict | None = None) -> None:
    """Append one history event; it commits or rolls back with the change it describes."""
    session.add(HistoryEvent(instance_id=instance_id, at=at, actor=actor.username if actor else None,
                             event=event, element_id=element_id, task_id=task_id, data=data))


def describe_failure(error: SpiffWorkflowException) -> tuple[str, str | None]:
    task = getattr(error, "task", None)
    spec = getattr(error, "task_spec", None) or getattr(task, "task_spec", None)
    element = getattr(spec, "bpmn_id", None) or getattr(spec, "name", None)
    try:
        message = str(error)
    except Exception:  # SpiffWorkflow's own formatting can fail on unusual errors
        message = repr(error.args[0] if error.args else error)
    notes = [n for n in getattr(error, "__notes__", []) if n not in message]
    return " ".join([message, *notes]).strip(), element


class Execution:
    def __init__(self, session: Session, context, instance: ProcessInstance, actor: Actor | None,
                 workflow: EngineWorkflow | None = None):
        self.session = session
        self.context = context
        self.instance = instance
        self.actor = actor
        self.now = context.clock.now()
        self._workflow = workflow
        self._before: dict[str, int] = {} if workflow is not None else None

    @classmethod
    def start(cls, session, context, definition: ProcessDefinition, actor: Actor | None, **columns):
        workflow = store.load_new(definition.spec_json, context.script_engine)
        instance = ProcessInstance(
            definition_id=definition.id, process_key=definition.key, state=RUNNING, data={},
            started_at=context.clock.now(), completed_elements=[], active_elements=[], workflow_json="",
            started_by=actor.username if actor else None, **columns)
        instance.definition = definition
        session.add(instance)
        session.flush()
        return cls(session, context, instance, actor, workflow)

    @property
    def workflow(self) -> EngineWorkflow:
        if self._workflow is None:
            self._workflow = store.load(self.instance.definition.spec_json, self.instance.workflow_json,
                                        self.context.script_engine)
            self._before = inspection.task_states(self._workflow)
        return self._workflow

    def run(self, act: Callable[[EngineWorkflow], None] | None = None, clock=None) -> None:
        """Apply `act`, advance to the next wait state, record and save."""
        workflow = self.workflow
        with clock_in_use(clock or self.context.clock):
            try:
                if act is not None:
                    act(workflow)
                workflow.refresh_timers()  # anything that fell due meanwhile fires first
                workflow.do_engine_steps()
                failure = None
            except SpiffWorkflowException as error:
                failure = describe_failure(error)
        self._save(failure)

    def _save(self, failure: tuple[str, str | None] | None) -> None:
        workflow, instance = self.workflow, self.instance
        open_rows = {r.id: r for r in self.session.scalars(
            select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.state == "open"))}
        shot = inspection.snapshot(workflow, known_ready=frozenset(open_rows))
        for happening in inspection.happenings(self._before, workflow):
            self.record(happening.event, happening.element_id, happening.task_id, happening.data)
        self._sync_human_tasks(shot, open_rows)
        self._sync_timers(shot)
        self._sync_subscriptions(shot)
        instance.data = shot.data
        instance.completed_elements = shot.completed_elements
        instance.active_elements = shot.active_elements
        if instance.state == CANCELLED:
            pass
        elif failure is not None:
            instance.state, (instance.error_message, instance.error_element) = ERROR, failure
            self.record("error", failure[1], data={"message": failure[0]})
        elif shot.completed:
            instance.state, instance.ended_at = COMPLETED, self.now
            instance.error_message = instance.error_element = None
            self.record("completed")
        elif instance.state == ERROR:
            instance.state, instance.error_message, instance.error_element = RUNNING, None, None
        instance.next_due_at = min((t.due_at for t in shot.timers), default=None) \
            if instance.state == RUNNING else None
        instance.workflow_json = store.dump_state(workflow)
        self._before = shot.task_states
        self.session.flush()

    def record(self, event: str, element_id: str | None = None, task_id: str | None = None,
               data: dict | None = None) -> None:
        record(self.session, self.instance.id, self.now, event, self.actor, element_id, task_id, data)

    def _sync_human_tasks(self, shot: inspection.Snapshot, rows: dict[str, HumanTask]) -> None:
        ready = {t.id: t for t in shot.human_tasks}
        for task_id, row in rows.items():
            if task_id not in ready:
                row.state, row.completed_at = "cancelled", self.now
                self.record("task_cancelled", row.element_id, task_id)
        for task_id, task in ready.items():
            row = rows.get(task_id)
            if row is not None:
                if row.due_at != task.due_at:
                    row.due_at = task.due_at
                continue
            row = self.session.get(HumanTask, task_id)
            if row is not None:  # ready again, e.g. after a retry
                row.state, row.data, row.due_at, row.completed_at, row.completed_by = \
                    "open", task.data, task.due_at, None, None
                continue
            self.session.add(HumanTask(
                id=task_id, instance_id=self.instance.id, process_key=self.instance.process_key,
                element_id=task.element_id, name=task.name, lane=task.lane, state="open", assignee=task.assignee,
                created_at=self.now, due_at=task.due_at, form_name=task.form, ui_form_name=task.ui_form,
                instructions=task.instructions, properties=task.properties, data=task.data,
                candidates=[TaskCandidate(group_name=task.candidate_group or task.lane)]
                if task.candidate_group or task.lane else []))
            self.record("task_ready", task.element_id, task_id)

    def _sync_timers(self, shot: inspection.Snapshot) -> None:
        rows = {r.id: r for r in self.session.scalars(select(TimerJob).where(TimerJob.instance_id == self.instance.id))}
        waiting = {t.task_id: t for t in shot.timers} if self.instance.state != CANCELLED else {}
        for job_id, row in rows.items():
            if job_id not in waiting:
                self.session.delete(row)
        for job_id, timer in waiting.items():
            if job_id in rows:
                rows[job_id].due_at = timer.due_at
            else:
                self.session.add(TimerJob(id=job_id, instance_id=self.instance.id,
                                          element_id=timer.element_id, due_at=timer.due_at))

    def _sync_subscriptions(self, shot: inspection.Snapshot) -> None:
        rows = list(self.session.scalars(
            select(MessageSubscription).where(MessageSubscription.instance_id == self.instance.id)))
        for row in rows:
            self.session.delete(row)
        for message in shot.messages:
            self.session.add(MessageSubscription(instance_id=self.instance.id, message_name=message.name,
                                                 element_id=message.element_id, correlation=message.correlation))

    def close(self, state: str, event: str, data: dict | None = None) -> None:
        """End the instance for good (cancel): open tasks, timers and subscriptions go with it."""
        with clock_in_use(self.context.clock):
            self.workflow.cancel()
        self.instance.state, self.instance.ended_at = state, self.now
        self.record(event, data=data)
        self._save(None)
