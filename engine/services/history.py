"""The audit trail of an instance, oldest first. Written only by the other services."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.persistence.models import HistoryEvent
from engine.services import access
from engine.views import Actor, HistoryEventView


class HistoryService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def for_instance(self, instance_id: int, actor: Actor | None = None) -> list[HistoryEventView]:
        """With an `actor`, only for an instance they may read (else PermissionDenied)."""
        access.readable_instance(self.session, actor, instance_id)
        rows = self.session.scalars(select(HistoryEvent).where(HistoryEvent.instance_id == instance_id)
                                    .order_by(HistoryEvent.id))
        return [HistoryEventView(id=r.id, at=r.at, actor=r.actor, event=r.event, element_id=r.element_id,
                                 task_id=r.task_id, data=r.data) for r in rows]
