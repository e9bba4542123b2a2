"""Diagrams a manager is still editing: one draft per manager and process, kept until deployed."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound, PermissionDenied, Problem
from engine.messages import N_
from engine.persistence.models import Draft
from engine.views import Actor, DraftView

MAX_DRAFT_BYTES = 5 * 1024 * 1024


def _view(row: Draft) -> DraftView:
    return DraftView(row.id, row.owner, row.process_key, row.file_name, row.xml, row.note,
                     row.based_on_version, row.updated_at)


class DraftService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def _check(self, actor: Actor) -> None:
        if not (actor.is_manager or actor.is_admin):
            raise PermissionDenied(N_("Only process managers keep diagram drafts"))

    def _row(self, actor: Actor, process_key: str) -> Draft | None:
        return self.session.scalar(select(Draft).where(Draft.owner == actor.username,
                                                       Draft.process_key == process_key))

    def save(self, actor: Actor, process_key: str, xml: str, note: str | None = None,
             file_name: str | None = None, based_on_version: int | None = None) -> DraftView:
        self._check(actor)
        if not process_key or not xml or len(xml.encode()) > MAX_DRAFT_BYTES:
            raise InvalidInput("The draft cannot be saved", [Problem("a process key and the diagram (at most 5 MB) are needed",
                                                                     field="xml")])
        row = self._row(actor, process_key)
        if row is None:
            row = Draft(owner=actor.username, process_key=process_key, file_name=file_name or f"{process_key}.bpmn",
                        xml=xml, based_on_version=based_on_version, updated_at=self.context.clock.now())
            self.session.add(row)
        row.xml, row.note, row.updated_at = xml, note, self.context.clock.now()
        if based_on_version is not None:
            row.based_on_version = based_on_version
        if file_name:
            row.file_name = file_name
        self.session.flush()
        return _view(row)

    def get(self, actor: Actor, process_key: str) -> DraftView:
        self._check(actor)
        row = self._row(actor, process_key)
        if row is None:
            raise NotFound(N_("No draft of '%(process)s'"), process=process_key)
        return _view(row)

    def list(self, actor: Actor) -> list[DraftView]:
        self._check(actor)
        rows = self.session.scalars(select(Draft).where(Draft.owner == actor.username).order_by(Draft.updated_at.desc()))
        return [_view(r) for r in rows]

    def discard(self, actor: Actor, process_key: str) -> None:
        self._check(actor)
        row = self._row(actor, process_key)
        if row is not None:
            self.session.delete(row)
            self.session.flush()
