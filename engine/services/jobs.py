"""Jobs: waiting timers and connector calls to try again; running those that fall due, and one
early on request."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn.live import NotWaiting

from engine.errors import Conflict, NotFound, PermissionDenied
from engine.messages import N_
from engine.persistence.database import claiming
from engine.persistence.models import ProcessInstance, TimerJob
from engine.services import access
from engine.services.execution import RUNNING, Execution
from engine.services.read_models import instance_view
from engine.views import SYSTEM, Actor, InstanceView, JobView

# SpiffWorkflow fires a timer only once its due time is strictly past.
_TICK = timedelta(milliseconds=1)


class _Later:
    def __init__(self, clock, by: timedelta):
        self.clock, self.by = clock, by

    def now(self) -> datetime:
        return self.clock.now() + self.by


class JobService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def list(self, instance_id: int | None = None, due_before: datetime | None = None,
             actor: Actor | None = None) -> list[JobView]:
        """With an `actor`, only the timers of instances they may read."""
        query = select(TimerJob).join(ProcessInstance).where(ProcessInstance.state == RUNNING)
        readable = access.readable_instances(self.session, actor) if actor is not None else None
        if readable is not None:
            query = query.where(readable)
        if instance_id is not None:
            query = query.where(TimerJob.instance_id == instance_id)
        if due_before is not None:
            query = query.where(TimerJob.due_at <= due_before)
        rows = self.session.scalars(query.order_by(TimerJob.due_at, TimerJob.id))
        return [JobView(r.id, r.instance_id, r.element_id, r.due_at) for r in rows]

    def _due(self, now: datetime):
        return select(ProcessInstance.id).where(ProcessInstance.state == RUNNING, ProcessInstance.next_due_at <= now)

    def claim_next_due(self, now: datetime | None = None, exclude=()) -> int | None:
        """Lock one due instance for this transaction; other workers skip it (PostgreSQL)."""
        query = self._due(now or self.context.clock.now()).order_by(ProcessInstance.next_due_at).limit(1)
        if exclude:
            query = query.where(ProcessInstance.id.not_in(sorted(exclude)))
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claiming(self.session)
        return self.session.scalar(query)

    def fire_due(self, instance_id: int, actor: Actor = SYSTEM) -> InstanceView | None:
        """Fire the instance's due timers; None when another worker got there first."""
        instance = self.session.get(ProcessInstance, instance_id)
        if instance.state != RUNNING or instance.next_due_at is None or instance.next_due_at > self.context.clock.now():
            return None
        execution = Execution(self.session, self.context, instance, actor)
        retries = self._due_retries(execution, self.context.clock.now())
        execution.run(self._retrying(execution, retries), clock=_Later(self.context.clock, _TICK))
        return instance_view(self.session, instance)

    def _due_retries(self, execution: Execution, now: datetime) -> list[TimerJob]:
        """Jobs of failed tasks (connector calls to try again) that fell due; timers are not among
        them: a job's id is its task's, and a waiting timer is never a failed task."""
        rows = list(self.session.scalars(select(TimerJob).where(
            TimerJob.instance_id == execution.instance.id, TimerJob.due_at <= now)))
        if not rows:
            return []
        failed = execution.live.failed_task_ids()
        return [r for r in rows if r.id in failed]

    def _retrying(self, execution: Execution, rows: list[TimerJob]):
        if not rows:
            return None
        for row in rows:
            execution.record("retried", row.element_id, row.id, {"by": "retry job"})
            self.session.delete(row)
        self.session.flush()  # a call failing again schedules a new job with the same id
        return execution.live.retrying(None, {r.id for r in rows})

    def run_due(self, now: datetime | None = None) -> list[int]:
        """Advance every instance with a due timer, in this unit of work."""
        ids = list(self.session.scalars(self._due(now or self.context.clock.now()).order_by(ProcessInstance.id)))
        return [i for i in ids if self.fire_due(i) is not None]

    def execute(self, job_id: str, actor: Actor) -> InstanceView:
        """Fire one waiting timer now, as if its time had come."""
        if not actor.is_admin:
            raise PermissionDenied(N_("Only administrators fire timers by hand"))
        job = self.session.get(TimerJob, str(job_id))
        if job is None:
            raise NotFound(N_("No waiting timer %(timer)s"), timer=job_id)
        instance = self.session.get(ProcessInstance, job.instance_id)
        if instance.state != RUNNING:
            raise Conflict(N_("The instance is %(state)s"), state=instance.state)
        execution = Execution(self.session, self.context, instance, actor)
        if job.id in execution.live.failed_task_ids():  # a retry job: now
            execution.run(self._retrying(execution, [job]))
            return instance_view(self.session, instance)
        execution.record("timer_fired_manually", job.element_id, job.id)
        try:
            execution.run(execution.live.firing_timer(job.id, self.context.clock.now() - _TICK))
        except NotWaiting:
            raise Conflict(N_("The timer is no longer waiting")) from None
        return instance_view(self.session, instance)
