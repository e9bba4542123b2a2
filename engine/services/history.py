"""The audit trail of an instance, oldest first. Written only by the other services."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.messages import N_
from engine.persistence.models import HistoryEvent, ProcessInstance
from engine.services import access
from engine.views import Actor, HistoryEventView


class HistoryService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def for_instance(self, instance_id: int, actor: Actor | None = None) -> list[HistoryEventView]:
        """With an `actor`, only for an instance they may read (else PermissionDenied)."""
        instance = self.session.get(ProcessInstance, instance_id)
        if instance is None:
            raise NotFound(N_("No process instance %(instance)s"), instance=instance_id)
        access.require_read(self.session, actor, instance)
        rows = self.session.scalars(select(HistoryEvent).where(HistoryEvent.instance_id == instance_id)
                                    .order_by(HistoryEvent.id))
        return [HistoryEventView(id=r.id, at=r.at, actor=r.actor, event=r.event, element_id=r.element_id,
                                 task_id=r.task_id, data=r.data) for r in rows]
