"""Inbox filters a user keeps under a name, shown as tabs with their counts.

A saved filter is the finding part of a task-list query (the parameters of GET /tasks that
choose tasks, not pages): checked when saved, so a tab never fails to open."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound, Problem
from engine.messages import N_
from engine.persistence.collaboration_models import SavedFilter
from engine.services import inbox_query
from engine.views import Actor

MAX_NAME = 120
MAX_FILTERS_PER_USER = 50
TEXT_KEYS = ("q", "process_key", "lane", "assignee")
CHOICES = {"scope": ("mine", "candidate", "claimable", "all"), "due": inbox_query.DUE,
           "follow_up": inbox_query.FOLLOW_UP}


@dataclass(frozen=True)
class SavedFilterView:
    id: int
    name: str
    filters: dict
    count: int = 0
    count_capped: bool = False


def check_filters(filters) -> dict:
    """The filters as stored (only given values), or 422 naming each bad one."""
    if not isinstance(filters, dict):
        raise InvalidInput("The filters are not valid", [Problem("must be a JSON object", field="filters")])
    problems, kept = [], {}
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if key in TEXT_KEYS:
            if not isinstance(value, str) or len(value) > 255 or "\x00" in value:
                problems.append(Problem("must be a text of at most 255 characters", field=f"filters.{key}"))
                continue
        elif key in CHOICES:
            if value not in CHOICES[key]:
                problems.append(Problem(f"must be one of {', '.join(CHOICES[key])}", field=f"filters.{key}"))
                continue
        else:
            problems.append(Problem(f"is not a filter; use {', '.join((*TEXT_KEYS, *CHOICES))}",
                                    field=f"filters.{key}"))
            continue
        kept[key] = value
    if problems:
        raise InvalidInput("The filters are not valid", problems)
    return kept


class SavedFilterService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def _counted(self, row: SavedFilter, actor: Actor) -> SavedFilterView:
        from engine.services.tasks import TaskService
        count, capped = TaskService(self.session, self.context).count_matching(actor, row.filters)
        return SavedFilterView(row.id, row.name, dict(row.filters), count, capped)

    def list(self, actor: Actor) -> list[SavedFilterView]:
        """The caller's own, in the order they saved them, each with its count of open tasks."""
        rows = self.session.scalars(select(SavedFilter).where(SavedFilter.owner == actor.username)
                                    .order_by(SavedFilter.id))
        return [self._counted(r, actor) for r in rows]

    def save(self, actor: Actor, name, filters) -> SavedFilterView:
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME or "\x00" in name:
            raise InvalidInput("The filter needs a name", [Problem(f"a text of 1 to {MAX_NAME} characters",
                                                                   field="name")])
        name, kept = " ".join(name.split()), check_filters(filters)
        mine = list(self.session.scalars(select(SavedFilter.name).where(SavedFilter.owner == actor.username)))
        if name in mine:
            raise Conflict(N_("You already have a filter named “%(name)s”"), name=name)
        if len(mine) >= MAX_FILTERS_PER_USER:
            raise InvalidInput("Too many saved filters", [Problem(f"at most {MAX_FILTERS_PER_USER}; delete one first",
                                                                  field="name")])
        row = SavedFilter(owner=actor.username, name=name, filters=kept, created_at=self.context.clock.now())
        self.session.add(row)
        self.session.flush()
        return self._counted(row, actor)

    def get(self, filter_id: int, actor: Actor) -> SavedFilterView:
        return self._counted(self._own(filter_id, actor), actor)

    def _own(self, filter_id: int, actor: Actor) -> SavedFilter:
        row = self.session.get(SavedFilter, filter_id)
        if row is None or row.owner != actor.username:  # another user's filter is nobody's business
            raise NotFound(N_("No saved filter %(filter)s"), filter=filter_id)
        return row

    def delete(self, filter_id: int, actor: Actor) -> None:
        self.session.delete(self._own(filter_id, actor))
        self.session.flush()
