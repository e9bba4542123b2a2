"""Process instances: start, look up, cancel, suspend, resume, retry, and deliver messages."""
from __future__ import annotations

import copy

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.data import to_json
from engine.bpmn.inspection import event_subprocess_message_starts, waited_definitions
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from engine.persistence.models import MessageSubscription, ProcessDefinition, ProcessInstance
from engine.services.execution import CANCELLED, ERROR, RUNNING, SUSPENDED, Execution
from engine.services.read_models import instance_view
from engine.views import Actor, InstanceView, Page

INSTANCE_STATES = (RUNNING, "completed", CANCELLED, SUSPENDED, ERROR)


class RuntimeService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def start(self, process_key: str, actor: Actor | None = None, data: dict | None = None,
              business_key: str | None = None, version: int | None = None) -> InstanceView:
        from engine.services.repository import RepositoryService
        definition = RepositoryService(self.session, self.context).definition(process_key, version)
        if actor is not None and not _may_start(definition, actor):
            raise PermissionDenied(f"Starting '{process_key}' needs one of the roles {sorted(definition.start_roles)}")
        if data is not None and not isinstance(data, dict):
            raise InvalidInput("The start data must be a JSON object", [Problem("must be an object", field="data")])
        execution = Execution.start(self.session, self.context, definition, actor, business_key=business_key)
        start_data = to_json(data or {})
        execution.record("started", data={"data": start_data, "version": definition.version} if start_data
                         else {"version": definition.version})
        execution.run(lambda workflow: workflow.task_tree.data.update(copy.deepcopy(start_data)))
        return instance_view(self.session, execution.instance)

    def instance(self, instance_id: int, for_update: bool = False) -> ProcessInstance:
        query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
        found = self.session.scalar(query.with_for_update() if for_update else query)
        if found is None:
            raise NotFound(f"No process instance {instance_id}")
        return found

    def get(self, instance_id: int) -> InstanceView:
        return instance_view(self.session, self.instance(instance_id))

    def list(self, process_key: str | None = None, state: str | None = None, business_key: str | None = None,
             started_by: str | None = None, page: int = 1, per_page: int = 20) -> Page[InstanceView]:
        if state is not None and state not in INSTANCE_STATES:
            raise InvalidInput("Unknown instance state", [Problem(f"must be one of {', '.join(INSTANCE_STATES)}",
                                                                  field="state")])
        query = select(ProcessInstance)
        for column, value in ((ProcessInstance.process_key, process_key), (ProcessInstance.state, state),
                              (ProcessInstance.business_key, business_key), (ProcessInstance.started_by, started_by)):
            if value is not None:
                query = query.where(column == value)
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = self.session.scalars(query.order_by(ProcessInstance.id.desc())
                                    .offset((page - 1) * per_page).limit(per_page))
        return Page([instance_view(self.session, r) for r in rows], total, page, per_page)

    # -- administration ------------------------------------------------------------------
    def cancel(self, instance_id: int, actor: Actor, reason: str | None = None) -> InstanceView:
        instance = self._administered(instance_id, actor, (RUNNING, SUSPENDED, ERROR), "cancelled")
        Execution(self.session, self.context, instance, actor).close(CANCELLED, "cancelled", _reason(reason))
        return instance_view(self.session, instance)

    def suspend(self, instance_id: int, actor: Actor, reason: str | None = None) -> InstanceView:
        instance = self._administered(instance_id, actor, (RUNNING, ERROR), "suspended")
        instance.state_before_suspend, instance.state = instance.state, SUSPENDED
        instance.next_due_at = None
        Execution(self.session, self.context, instance, actor).record("suspended", data=_reason(reason))
        self.session.flush()
        return instance_view(self.session, instance)

    def resume(self, instance_id: int, actor: Actor, reason: str | None = None) -> InstanceView:
        instance = self._administered(instance_id, actor, (SUSPENDED,), "resumed")
        instance.state, instance.state_before_suspend = instance.state_before_suspend or RUNNING, None
        execution = Execution(self.session, self.context, instance, actor)
        execution.record("resumed", data=_reason(reason))
        if instance.state == RUNNING:
            execution.run()  # timers that fell due while suspended fire now
        self.session.flush()
        return instance_view(self.session, instance)

    def retry(self, instance_id: int, actor: Actor, data: dict | None = None) -> InstanceView:
        """Run the failed element again, optionally with corrected data merged into it."""
        instance = self._administered(instance_id, actor, (ERROR,), "retried")
        execution = Execution(self.session, self.context, instance, actor)
        failed = execution.workflow.get_tasks(state=TaskState.ERROR)
        if not failed:
            raise Conflict("Nothing to retry: no element of the instance is in error", state=instance.state)
        execution.record("retried", failed[0].task_spec.bpmn_id, str(failed[0].id), data and {"data": to_json(data)})

        def rerun(workflow):
            for task in failed:
                if data:
                    task.data.update(copy.deepcopy(to_json(data)))
                task._set_state(TaskState.READY)
        execution.run(rerun)
        return instance_view(self.session, instance)

    def _administered(self, instance_id: int, actor: Actor, allowed: tuple[str, ...], verb: str) -> ProcessInstance:
        if not actor.is_admin:
            raise PermissionDenied("Only administrators cancel, suspend, resume or retry instances")
        instance = self.instance(instance_id)
        if instance.state not in allowed:
            raise Conflict(f"An instance that is {instance.state} cannot be {verb}", state=instance.state)
        return instance

    # -- messages ------------------------------------------------------------------------
    def deliver_message(self, name: str, actor: Actor | None = None, instance_id: int | None = None,
                        correlation: dict | None = None, data: dict | None = None) -> list[int]:
        """Deliver to every running instance waiting for `name` whose correlation values match."""
        correlation, data = to_json(correlation or {}), to_json(data or {})
        query = select(MessageSubscription).join(ProcessInstance).where(
            MessageSubscription.message_name == name, ProcessInstance.state == RUNNING)
        if instance_id is not None:
            query = query.where(MessageSubscription.instance_id == instance_id)
        delivered = []
        for subscription in self.session.scalars(query.order_by(MessageSubscription.instance_id)):
            if subscription.instance_id in delivered:
                continue
            instance = self.instance(subscription.instance_id)
            if not _correlates(correlation, subscription.correlation, instance.data):
                continue
            self._deliver(instance, actor, name, {**correlation, **data})
            delivered.append(instance.id)
        if not delivered:
            raise NotFound(f"No running instance waits for the message '{name}'"
                           + (" with these correlation values" if correlation else ""))
        return delivered

    def _deliver(self, instance: ProcessInstance, actor: Actor | None, name: str, payload: dict) -> None:
        execution = Execution(self.session, self.context, instance, actor)
        waiting = [(t, d) for t in execution.workflow.get_tasks(state=TaskState.WAITING)
                   for d in waited_definitions(t) if getattr(d, "name", None) == name]
        starts = [d for _, d in event_subprocess_message_starts(execution.workflow) if d.name == name]
        if not waiting and not starts:
            raise Conflict(f"Instance {instance.id} no longer waits for the message '{name}'", state=instance.state)
        if waiting:
            task, definition = waiting[0]
            try:  # the catch event reads its correlation from the payload: check before anything moves
                definition.get_correlations(task, copy.deepcopy(payload))
            except Exception as error:
                raise InvalidInput(f"The message '{name}' lacks what its correlation needs",
                                   [Problem(str(error), field="data")]) from None
        else:  # the message starts an event subprocess
            definition = starts[0]

        def send(workflow):
            workflow.send_event(BpmnEvent(definition, copy.deepcopy(payload), copy.deepcopy(workflow.correlations)))
        execution.run(send)


def _may_start(definition: ProcessDefinition, actor: Actor) -> bool:
    return not definition.start_roles or bool(set(definition.start_roles) & actor.roles) or actor.is_admin


def _correlates(wanted: dict, established: dict, data: dict) -> bool:
    return all((established[k] if k in established else data.get(k)) == v for k, v in wanted.items())


def _reason(reason: str | None) -> dict | None:
    return {"reason": reason} if reason else None
