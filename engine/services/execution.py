"""One engine action on one instance: load its workflow, act, run engine steps until it
waits, then record what happened (history, task rows, timers, subscriptions) and save.
Everything lands in the caller's transaction, so a failure anywhere leaves no trace.

The save writes only what the action changed: the instance row, new or finished task rows,
and timer or subscription rows only for definitions that have timers or messages at all.
Finished work leaves the live workflow (`engine.bpmn.pruning`) into `archived_tasks`."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from engine.bpmn import inspection, store
from engine.bpmn.live import LiveWorkflow, ProcessTraits, traits_of
from engine.bpmn.process_helpers import acting_in
from engine.bpmn.store import ProcessSpecs
from engine.notifications.hooks import after_events as notify_after
from engine.persistence.models import (
    ArchivedTask, HistoryEvent, HumanTask, MessageSubscription, ProcessDefinition, ProcessInstance, TimerJob,
)
from engine.views import Actor

RUNNING, COMPLETED, CANCELLED, SUSPENDED, ERROR = "running", "completed", "cancelled", "suspended", "error"

_TASKS = HumanTask.__table__
_CANCEL_ROW = update(_TASKS).where(_TASKS.c.id == bindparam("row_id")).values(
    state="cancelled", completed_at=bindparam("now"), lock_version=_TASKS.c.lock_version + 1)
_MOVE_DUE = update(_TASKS).where(_TASKS.c.id == bindparam("row_id")).values(
    due_at=bindparam("due"), lock_version=_TASKS.c.lock_version + 1)
_NEW_ROW = insert(_TASKS)
_CLOSE_ROW = update(_TASKS).where(_TASKS.c.id == bindparam("row_id"), _TASKS.c.lock_version == bindparam("version")) \
    .values(state=bindparam("state"), completed_at=bindparam("at"), completed_by=bindparam("by"),
            assignee=bindparam("to"), lock_version=_TASKS.c.lock_version + 1)
_INSTANCES = ProcessInstance.__table__
# Built once: constructing a statement costs more than running it (a tenth of a completion).
_SAVED = ("state", "data", "completed_elements", "active_elements", "error_message", "error_element", "ended_at",
          "next_due_at", "workflow_json")
_WRITE_INSTANCE = update(_INSTANCES).where(
    _INSTANCES.c.id == bindparam("instance_id"), _INSTANCES.c.lock_version == bindparam("version")).values(
    {**{name: bindparam(f"new_{name}", type_=_INSTANCES.c[name].type) for name in _SAVED},
     "lock_version": _INSTANCES.c.lock_version + 1})
_OPEN_ROWS = select(_TASKS.c.id, _TASKS.c.element_id, _TASKS.c.due_at).where(
    _TASKS.c.instance_id == bindparam("instance_id"), _TASKS.c.state == "open")
_NEW_EVENTS = insert(HistoryEvent.__table__)
_ARCHIVE = insert(ArchivedTask.__table__)


def record(session: Session, instance_id: int, at: datetime, event: str, actor: Actor | None,
           element_id: str | None = None, task_id: str | None = None, data: dict | None = None) -> None:
    """Append one history event; it commits or rolls back with the change it describes."""
    session.add(HistoryEvent(instance_id=instance_id, at=at, actor=actor.username if actor else None,
                             event=event, element_id=element_id, task_id=task_id, data=data))


def definition_specs(session: Session, definition: ProcessDefinition) -> ProcessSpecs:
    """Parsed once per process: the spec text is read from the database only on a miss."""
    key = (str(session.get_bind().url), definition.id, definition.content_hash)
    return store.specs_of(lambda: definition.spec_json, key=key)


@lru_cache(maxsize=256)
def _traits(specs: ProcessSpecs) -> ProcessTraits:
    return traits_of(specs)


def definition_traits(session: Session, definition: ProcessDefinition) -> ProcessTraits:
    return _traits(definition_specs(session, definition))


class Execution:
    def __init__(self, session: Session, context, instance: ProcessInstance, actor: Actor | None,
                 live: LiveWorkflow | None = None):
        self.session = session
        self.context = context
        self.instance = instance
        self.actor = actor
        self.now = context.clock.now()
        self._live = live
        self._events: list[dict] = []
        self._writes: list[tuple] = []  # (Core statement, parameter rows), run after the instance's UPDATE
        self._closing: list[tuple] = []  # (ORM task row, its new values): see close_task

    @classmethod
    def start(cls, session, context, definition: ProcessDefinition, actor: Actor | None, data: dict, **columns):
        live = LiveWorkflow.new(definition_specs(session, definition), context.script_engine, data)
        instance = ProcessInstance(
            definition_id=definition.id, process_key=definition.key, state=RUNNING, data={},
            started_at=context.clock.now(), completed_elements=[], active_elements=[], workflow_json="",
            started_by=actor.username if actor else None, **columns)
        instance.definition = definition
        session.add(instance)
        session.flush()
        return cls(session, context, instance, actor, live)

    @property
    def live(self) -> LiveWorkflow:
        if self._live is None:
            self._live = LiveWorkflow.load(definition_specs(self.session, self.instance.definition),
                                           self.instance.workflow_json, self.context.script_engine)
        return self._live

    def run(self, act: Callable[[], None] | None = None, clock=None) -> None:
        """Apply `act` (made by the live workflow), advance to the next wait state, record and save."""
        with acting_in(self.actor, self.instance):  # what SpiffArena's script helpers read
            failure = self.live.advance(act, clock or self.context.clock)
        self._save(failure)

    def _save(self, failure) -> None:
        live, instance = self.live, self.instance
        traits = definition_traits(self.session, instance.definition)
        with self.session.no_autoflush:
            open_rows = self._open_rows()
            shot = live.snapshot(known_ready=frozenset(open_rows))
            for happening in live.happenings():
                self.record(happening.event, happening.element_id, happening.task_id, happening.data)
            self._sync_human_tasks(shot, open_rows)
            retries_due = [self._schedule_retry(failure)] if failure is not None and failure.retry_in else []
            if traits.has_timers or traits.has_service_calls or instance.next_due_at is not None:
                retries_due += self._sync_timers(shot)
            if traits.has_messages:
                self._sync_subscriptions(shot)
            saved = {"data": shot.data, "active_elements": shot.active_elements, "state": instance.state,
                     "completed_elements": list(dict.fromkeys([*instance.completed_elements, *shot.completed_elements])),
                     "error_message": instance.error_message, "error_element": instance.error_element,
                     "ended_at": instance.ended_at}
            if instance.state == CANCELLED:
                pass
            elif failure is not None and not failure.retry_in:
                saved.update(state=ERROR, error_message=failure.message, error_element=failure.element_id)
                self.record("error", failure.element_id, data={"message": failure.message})
            elif shot.completed:
                saved.update(state=COMPLETED, ended_at=self.now, error_message=None, error_element=None)
                self.record("completed")
            elif instance.state == ERROR:
                saved.update(state=RUNNING, error_message=None, error_element=None)
            saved["next_due_at"] = min([*(t.due_at for t in shot.timers), *retries_due], default=None) \
                if saved["state"] == RUNNING else None
            saved["workflow_json"], pruned = live.save()
        self._write_instance(saved)  # first: its version check is the optimistic lock
        self._write_closed_tasks()
        if self.session.new or self.session.dirty or self.session.deleted:
            self.session.flush()  # what the ORM still holds: timers, subscriptions
        connection = self.session.connection()
        for statement, rows in self._writes:
            connection.execute(statement, rows)
        self._forget([row["row_id"] for statement, rows in self._writes if statement is not _NEW_ROW for row in rows])
        self._writes = []
        self._flush_events()
        if pruned:
            connection.execute(_ARCHIVE, [
                {"instance_id": instance.id, "task_id": t.id, "element_id": t.element_id, "spec_name": t.spec_name,
                 "state": t.state, "ended_at": datetime.fromtimestamp(t.ended_at, timezone.utc)} for t in pruned])

    def _write_instance(self, values: dict) -> None:
        """The instance's saved columns in one Core UPDATE guarded by its version, as the ORM's
        `version_id_col` would do it but without its unit-of-work bookkeeping: if another
        transaction saved the instance since it was read, nothing matches and the action fails
        (StaleDataError, which the unit of work turns into Conflict), so no update is lost.
        The ORM object is then told these values are stored, without marking it changed (a flush
        would otherwise compare every column again)."""
        instance = self.instance
        parameters = {"instance_id": instance.id, **{f"new_{name}": values[name] for name in _SAVED}}
        self._guarded_write(_WRITE_INSTANCE, parameters, instance, values, f"process instance {instance.id}")

    def close_task(self, row: HumanTask, state: str, by: str | None, assignee: str | None) -> None:
        """The task row this action finishes (the completed task), written with the save in one
        Core UPDATE guarded by the row's version: a claim or reassignment committed since the
        row was read makes the action fail and run again, as the ORM's version check would."""
        self._closing.append((row, {"state": state, "completed_at": self.now, "completed_by": by,
                                    "assignee": assignee}))

    def _write_closed_tasks(self) -> None:
        for row, values in self._closing:
            self._guarded_write(_CLOSE_ROW, {"row_id": row.id, "state": values["state"], "at": values["completed_at"],
                                             "by": values["completed_by"], "to": values["assignee"]},
                                row, values, f"task {row.id}")
        self._closing = []

    def _guarded_write(self, statement, parameters: dict, obj, values: dict, what: str) -> None:
        """Run a Core UPDATE guarded by `obj`'s version (`lock_version = :version`); when another
        transaction changed the row since it was read, nothing matches: StaleDataError. Then
        `obj` is told `values` and its new version are stored, without being marked changed."""
        version = obj.lock_version
        if self.session.connection().execute(statement, {**parameters, "version": version}).rowcount != 1:
            raise StaleDataError(f"{what} was changed by another transaction")
        for key, value in {**values, "lock_version": version + 1}.items():
            set_committed_value(obj, key, value)

    def record(self, event: str, element_id: str | None = None, task_id: str | None = None,
               data: dict | None = None) -> None:
        """Queued and written in one batch with the save (or at once when nothing is saved)."""
        self._events.append({"instance_id": self.instance.id, "at": self.now,
                             "actor": self.actor.username if self.actor else None, "event": event,
                             "element_id": element_id, "task_id": task_id, "data": data})

    def _flush_events(self) -> None:
        if self._events:
            self.session.connection().execute(_NEW_EVENTS, self._events)
            notify_after(self.session, self.instance, self._events)  # the outbox, when mail is on
            self._events = []

    def flush_events(self) -> None:
        """For actions that record without advancing the workflow (suspend)."""
        self._flush_events()

    def _open_rows(self) -> dict[str, Row]:
        """(id, element_id, due_at) of the instance's open task rows, as plain tuples: at 1,000
        open items of a multi-instance, ORM objects for them cost more than the action itself.
        A row this action closes (`close_task`, not yet written) is left out."""
        closed_here = {row.id for row, _ in self._closing}
        return {r.id: r for r in self.session.connection().execute(_OPEN_ROWS, {"instance_id": self.instance.id})
                if r.id not in closed_here}

    def _sync_human_tasks(self, shot: inspection.Snapshot, rows: dict[str, Row]) -> None:
        """Only what changed is written, each kind in one executemany after the instance's UPDATE:
        closed rows, moved due dates, new rows (SQLAlchemy Core, no identity map). A Core UPDATE bumps `lock_version`
        as the ORM would, so a concurrent claim of the same row still fails."""
        ready = {t.id: t for t in shot.human_tasks}
        cancelled = [task_id for task_id in rows if task_id not in ready]
        for task_id in cancelled:
            self.record("task_cancelled", rows[task_id].element_id, task_id)
        moved = [{"row_id": task_id, "due": task.due_at} for task_id, task in ready.items()
                 if task_id in rows and rows[task_id].due_at != task.due_at]
        new_ids = [task_id for task_id in ready if task_id not in rows and self.live.may_have_been_open(task_id)]
        earlier = {r.id: r for r in self.session.scalars(select(HumanTask).where(HumanTask.id.in_(new_ids)))} \
            if new_ids else {}
        inserts = []
        for task_id, task in ready.items():
            if task_id in rows:
                continue
            row = earlier.get(task_id)
            if row is not None:  # ready again after a retry: only a task that existed can have a row
                row.state, row.data, row.due_at, row.completed_at, row.completed_by = \
                    "open", task.data, task.due_at, None, None
                continue
            inserts.append(dict(
                id=task_id, instance_id=self.instance.id, process_key=self.instance.process_key,
                element_id=task.element_id, name=task.name, lane=task.lane,
                candidate_group=task.candidate_group or task.lane,
                state="open", assignee=task.assignee,
                created_at=self.now, due_at=task.due_at, completed_at=None, completed_by=None, form_name=task.form,
                ui_form_name=task.ui_form, instructions=task.instructions, properties=task.properties,
                data=task.data, lock_version=1))
            self.record("task_ready", task.element_id, task_id)
        if cancelled:
            self._writes.append((_CANCEL_ROW, [{"row_id": task_id, "now": self.now} for task_id in cancelled]))
        if moved:
            self._writes.append((_MOVE_DUE, moved))
        if inserts:
            self._writes.append((_NEW_ROW, inserts))

    def _forget(self, task_ids: list[str]) -> None:
        """ORM copies of rows just changed by Core are expired, so nothing reads a stale one."""
        if task_ids:
            changed = set(task_ids)
            for obj in list(self.session.identity_map.values()):
                if isinstance(obj, HumanTask) and obj.id in changed:
                    self.session.expire(obj)

    def _schedule_retry(self, failure) -> datetime:
        """A connector call that may pass later: a job on the failed task, run by the timer worker."""
        due = self.now + timedelta(seconds=failure.retry_in)
        self.session.merge(TimerJob(id=failure.task_id, instance_id=self.instance.id,
                                    element_id=failure.element_id or "", due_at=due))
        self.record("retry_scheduled", failure.element_id, failure.task_id,
                    {"message": failure.message, "due_at": due.isoformat()})
        return due

    def _sync_timers(self, shot: inspection.Snapshot) -> list[datetime]:
        """Timer rows follow the waiting timers; the due times of pending retries are returned."""
        rows = {r.id: r for r in self.session.scalars(select(TimerJob).where(TimerJob.instance_id == self.instance.id))}
        waiting = {t.task_id: t for t in shot.timers} if self.instance.state != CANCELLED else {}
        failed = self.live.failed_task_ids() if len(rows) > len(waiting) else set()
        retries = []
        for job_id, row in rows.items():
            if job_id in failed and self.instance.state != CANCELLED:
                retries.append(row.due_at)
            elif job_id not in waiting:
                self.session.delete(row)
        for job_id, timer in waiting.items():
            if job_id in rows:
                if rows[job_id].due_at != timer.due_at:
                    rows[job_id].due_at = timer.due_at
            else:
                self.session.add(TimerJob(id=job_id, instance_id=self.instance.id,
                                          element_id=timer.element_id, due_at=timer.due_at))
        return retries

    def _sync_subscriptions(self, shot: inspection.Snapshot) -> None:
        wanted = [(m.name, m.element_id, m.correlation) for m in shot.messages] \
            if self.instance.state not in (CANCELLED, COMPLETED) else []
        rows = list(self.session.scalars(
            select(MessageSubscription).where(MessageSubscription.instance_id == self.instance.id)))
        if sorted(map(repr, wanted)) == sorted(repr((r.message_name, r.element_id, r.correlation)) for r in rows):
            return
        self.session.execute(delete(MessageSubscription).where(MessageSubscription.instance_id == self.instance.id))
        for name, element_id, correlation in wanted:
            self.session.add(MessageSubscription(instance_id=self.instance.id, message_name=name,
                                                 element_id=element_id, correlation=correlation))

    def close(self, state: str, event: str, data: dict | None = None) -> None:
        """End the instance for good (cancel): open tasks, timers and subscriptions go with it."""
        self.live.cancel(self.context.clock)
        self.instance.state, self.instance.ended_at = state, self.now
        self.record(event, data=data)
        self._save(None)
