"""Process instances: start, look up, cancel, suspend, resume, retry, and deliver messages."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn.data import to_json
from engine.bpmn.live import BadMessage, NotWaiting
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from engine.messages import N_
from engine.persistence.models import MessageSubscription, ProcessDefinition, ProcessInstance
from engine.services import access
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
        definition = self._startable(process_key, version, actor)
        instance = self._start(definition, actor, data, business_key)
        return access.instance_with_flags(self.session, instance_view(self.session, instance), actor)

    def start_many(self, process_key: str, starts: list[dict], actor: Actor | None = None,
                   version: int | None = None) -> list[int]:
        """Start one instance per `{"data"?, "business_key"?}` in this unit of work (all or none),
        returning their ids: the bulk path, which builds no views and flushes once per instance."""
        definition = self._startable(process_key, version, actor)
        return [self._start(definition, actor, item.get("data"), item.get("business_key")).id for item in starts]

    def _startable(self, process_key: str, version: int | None, actor: Actor | None) -> ProcessDefinition:
        from engine.services.repository import RepositoryService
        definition = RepositoryService(self.session, self.context).definition(process_key, version)
        if actor is not None and not _may_start(definition, actor):
            raise PermissionDenied(N_("Starting '%(process)s' needs one of the roles %(roles)s"), process=process_key,
                                   roles=sorted(definition.start_roles))
        return definition

    def _start(self, definition: ProcessDefinition, actor: Actor | None, data, business_key) -> ProcessInstance:
        if data is not None and not isinstance(data, dict):
            raise InvalidInput("The start data must be a JSON object", [Problem("must be an object", field="data")])
        start_data = to_json(data or {})
        execution = Execution.start(self.session, self.context, definition, actor, start_data,
                                    business_key=business_key)
        execution.record("started", data={"data": start_data, "version": definition.version} if start_data
                         else {"version": definition.version})
        execution.run()
        return execution.instance

    def instance(self, instance_id: int, for_update: bool = False) -> ProcessInstance:
        query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
        found = self.session.scalar(query.with_for_update() if for_update else query)
        if found is None:
            raise NotFound(N_("No process instance %(instance)s"), instance=instance_id)
        return found

    def get(self, instance_id: int, actor: Actor | None = None) -> InstanceView:
        """With an `actor`, only an instance they may read (else PermissionDenied)."""
        instance = self.instance(instance_id)
        access.require_read(self.session, actor, instance)
        return access.instance_with_flags(self.session, instance_view(self.session, instance), actor)

    def list(self, process_key: str | None = None, state: str | None = None, business_key: str | None = None,
             started_by: str | None = None, page: int = 1, per_page: int = 20,
             actor: Actor | None = None) -> Page[InstanceView]:
        """With an `actor`, only the instances they may read are listed (and counted)."""
        if state is not None and state not in INSTANCE_STATES:
            raise InvalidInput("Unknown instance state", [Problem(f"must be one of {', '.join(INSTANCE_STATES)}",
                                                                  field="state")])
        query = select(ProcessInstance)
        for column, value in ((ProcessInstance.process_key, process_key), (ProcessInstance.state, state),
                              (ProcessInstance.business_key, business_key), (ProcessInstance.started_by, started_by)):
            if value is not None:
                query = query.where(column == value)
        readable = access.readable_instances(self.session, actor) if actor is not None else None
        if readable is not None:
            query = query.where(readable)
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = self.session.scalars(query.order_by(ProcessInstance.id.desc())
                                    .offset((page - 1) * per_page).limit(per_page))
        return Page([access.instance_with_flags(self.session, instance_view(self.session, r), actor) for r in rows],
                    total, page, per_page)

    # -- administration ------------------------------------------------------------------
    def cancel(self, instance_id: int, actor: Actor, reason: str | None = None) -> InstanceView:
        instance = self._administered(instance_id, actor, (RUNNING, SUSPENDED, ERROR), "cancelled")
        Execution(self.session, self.context, instance, actor).close(CANCELLED, "cancelled", _reason(reason))
        return access.instance_with_flags(self.session, instance_view(self.session, instance), actor)

    def suspend(self, instance_id: int, actor: Actor, reason: str | None = None) -> InstanceView:
        instance = self._administered(instance_id, actor, (RUNNING, ERROR), "suspended")
        instance.state_before_suspend, instance.state = instance.state, SUSPENDED
        instance.next_due_at = None
        execution = Execution(self.session, self.context, instance, actor)
        execution.record("suspended", data=_reason(reason))
        execution.flush_events()
        self.session.flush()
        return access.instance_with_flags(self.session, instance_view(self.session, instance), actor)

    def resume(self, instance_id: int, actor: Actor, reason: str | None = None) -> InstanceView:
        instance = self._administered(instance_id, actor, (SUSPENDED,), "resumed")
        instance.state, instance.state_before_suspend = instance.state_before_suspend or RUNNING, None
        execution = Execution(self.session, self.context, instance, actor)
        execution.record("resumed", data=_reason(reason))
        if instance.state == RUNNING:
            execution.run()  # timers that fell due while suspended fire now
        execution.flush_events()
        self.session.flush()
        return access.instance_with_flags(self.session, instance_view(self.session, instance), actor)

    def retry(self, instance_id: int, actor: Actor, data: dict | None = None) -> InstanceView:
        """Run the failed element again, optionally with corrected data merged into it."""
        instance = self._administered(instance_id, actor, (ERROR,), "retried")
        execution = Execution(self.session, self.context, instance, actor)
        failed = execution.live.failed_tasks()
        if not failed:
            raise Conflict(N_("Nothing to retry: no element of the instance is in error"), state=instance.state)
        task_id, element_id = failed[0]
        execution.record("retried", element_id, task_id, data and {"data": to_json(data)})
        execution.run(execution.live.retrying(to_json(data) if data else None))
        return access.instance_with_flags(self.session, instance_view(self.session, instance), actor)

    def _administered(self, instance_id: int, actor: Actor, allowed: tuple[str, ...], verb: str) -> ProcessInstance:
        if not actor.is_admin:
            raise PermissionDenied(N_("Only administrators cancel, suspend, resume or retry instances"))
        instance = self.instance(instance_id)
        if instance.state not in allowed:
            raise Conflict(N_("An instance that is %(state)s cannot be %(verb)s"), state=instance.state, verb=verb)
        return instance

    # -- messages ------------------------------------------------------------------------
    def deliver_message(self, name: str, actor: Actor | None = None, instance_id: int | None = None,
                        correlation: dict | None = None, data: dict | None = None) -> list[int]:
        """Deliver to every running instance waiting for `name` whose correlation values match and
        that `actor` may act on (see engine.services.access); when some wait but none of them is
        the caller's to move, PermissionDenied and nothing is delivered."""
        correlation, data = to_json(correlation or {}), to_json(data or {})
        query = select(MessageSubscription).join(ProcessInstance).where(
            MessageSubscription.message_name == name, ProcessInstance.state == RUNNING)
        if instance_id is not None:
            query = query.where(MessageSubscription.instance_id == instance_id)
        delivered, refused = [], []
        for subscription in self.session.scalars(query.order_by(MessageSubscription.instance_id)):
            if subscription.instance_id in delivered:
                continue
            instance = self.instance(subscription.instance_id)
            if not _correlates(correlation, subscription.correlation, instance.data):
                continue
            if not access.may_deliver(self.session, actor, instance, subscription.element_id):
                refused.append(instance.id)
                continue
            self._deliver(instance, actor, name, {**correlation, **data})
            delivered.append(instance.id)
        if refused and not delivered:
            raise PermissionDenied(N_("The message '%(name)s' is awaited only in lanes whose roles you do not hold"),
                                   name=name)
        if not delivered:
            raise NotFound(N_("No running instance waits for the message '%(name)s' with these correlation values")
                           if correlation else N_("No running instance waits for the message '%(name)s'"), name=name)
        return delivered

    def _deliver(self, instance: ProcessInstance, actor: Actor | None, name: str, payload: dict) -> None:
        execution = Execution(self.session, self.context, instance, actor)
        try:
            send = execution.live.delivering(name, payload)
        except NotWaiting:
            raise Conflict(N_("Instance %(instance)s no longer waits for the message '%(name)s'"),
                           state=instance.state, instance=instance.id, name=name) from None
        except BadMessage as error:
            raise InvalidInput(f"The message '{name}' lacks what its correlation needs",
                               [Problem(str(error), field="data")]) from None
        execution.run(send)


def _may_start(definition: ProcessDefinition, actor: Actor) -> bool:
    return not definition.start_roles or bool(set(definition.start_roles) & actor.roles) or actor.is_admin


def _correlates(wanted: dict, established: dict, data: dict) -> bool:
    return all((established[k] if k in established else data.get(k)) == v for k, v in wanted.items())


def _reason(reason: str | None) -> dict | None:
    return {"reason": reason} if reason else None
