"""The task-list query, built to stay fast at 100,000 open tasks.

"Mine or claimable by my roles" is an OR over columns no single index serves, so a plain
query scans and sorts every open task. Instead each disjoint part of the question is its
own branch, each answered by a range of one composite index already in the wanted order
and cut at the page's end:

* assigned to me                       -> ix_human_tasks_inbox_assignee (state, assignee, created_at, id)
* unassigned in the group of one role  -> ix_human_tasks_inbox_unclaimed (state, candidate_group, created_at, id)
                                          WHERE assignee IS NULL
* unassigned in no group (anyone's)    -> the same index, candidate_group IS NULL
* everything (administrators, managers) -> ix_human_tasks_inbox_created (state, created_at, id)

and the page is the first rows of their UNION ALL. A task has one candidate group (its lane,
or a narrower role the process names), kept on its row.
Totals are counted per branch and capped (`COUNT_CAP`): past that an exact count costs a
scan of every matching index entry on each page view, and nobody pages that far.
The `after` cursor (created_at and id of the last row seen) pages without OFFSET.

The inbox's finding filters (issue 12) are extra conditions on every branch, so each branch
still reads its own index range in order: `text` (task name, or the instance's business key or
data), `due` (overdue / due by the end of this week), `assignee`, and the follow-up date (tasks
set aside are left out until their day unless `follow_up` asks for them). Without them the
query is exactly the one above.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Text, and_, cast, func, literal_column, or_, select, tuple_, union_all
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, Problem
from engine.persistence.models import HumanTask, ProcessInstance
from engine.views import Actor

COUNT_CAP = 1_000


@dataclass(frozen=True)
class Filters:
    state: str = "open"
    instance_id: int | None = None
    process_key: str | None = None
    lane: str | None = None
    text: str | None = None
    due: str | None = None  # one of DUE
    assignee: str | None = None
    follow_up: str = "hide"  # one of FOLLOW_UP
    now: datetime | None = None  # the moment "overdue", "this week" and follow-up days are judged at


DUE = ("overdue", "week")
FOLLOW_UP = ("hide", "only", "include")


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _finding(filters: Filters) -> list:
    """The conditions of the inbox's text search, due, assignee and follow-up filters."""
    found = []
    if filters.text and filters.text.strip():
        pattern = _like(filters.text)
        in_instances = select(ProcessInstance.id).where(or_(
            func.lower(ProcessInstance.business_key).like(pattern, escape="\\"),
            func.lower(cast(ProcessInstance.data, Text)).like(pattern, escape="\\")))
        found.append(or_(func.lower(HumanTask.name).like(pattern, escape="\\"), HumanTask.instance_id.in_(in_instances)))
    if filters.assignee is not None:
        found.append(HumanTask.assignee == filters.assignee)
    now = filters.now
    if now is not None and filters.due == "overdue":
        found.append(HumanTask.due_at < now)
    elif now is not None and filters.due == "week":
        monday = datetime.combine(now.date() - timedelta(days=now.weekday()) + timedelta(days=7),
                                  datetime.min.time(), tzinfo=now.tzinfo)
        found += [HumanTask.due_at >= now, HumanTask.due_at < monday]
    if now is not None and filters.state == "open":
        today: date = now.date()
        if filters.follow_up == "hide":
            found.append(or_(HumanTask.follow_up_on.is_(None), HumanTask.follow_up_on <= today))
        elif filters.follow_up == "only":
            found.append(HumanTask.follow_up_on > today)
    return found


def encode_cursor(created_at: datetime, task_id: str) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{task_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, task_id = text.split("|", 1)
        return datetime.fromisoformat(moment), task_id
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("Unknown cursor", [Problem("is not a cursor this list gave", field="after")]) from None


def branches(actor: Actor, scope: str, filters: Filters) -> list:
    """The disjoint WHERE clauses whose union is the list the actor asked for."""
    common = [HumanTask.state == filters.state]
    for column, value in ((HumanTask.instance_id, filters.instance_id), (HumanTask.process_key, filters.process_key),
                          (HumanTask.lane, filters.lane)):
        if value is not None:
            common.append(column == value)
    common += _finding(filters)
    unassigned = [HumanTask.assignee.is_(None)]
    mine = [HumanTask.assignee == actor.username] if filters.state == "open" else \
        [or_(HumanTask.assignee == actor.username, HumanTask.completed_by == actor.username)]
    by_lane = [[HumanTask.candidate_group == role] for role in sorted(actor.roles)] + \
        [[HumanTask.candidate_group.is_(None)]]
    if scope == "all" and (actor.is_admin or actor.is_manager):
        return [and_(*common)]
    if scope == "mine":
        return [and_(*common, *mine)]
    if scope == "claimable":
        return [and_(*common, *unassigned, *lane) for lane in by_lane]
    if filters.state != "open":  # finished tasks I did or my roles could have done
        lanes = or_(HumanTask.candidate_group.in_(sorted(actor.roles)), HumanTask.candidate_group.is_(None))
        return [and_(*common, or_(*mine, lanes))]
    others = [HumanTask.assignee.is_(None)]
    return [and_(*common, *mine)] + [and_(*common, *others, *lane) for lane in by_lane]


_ORDERS = {
    "created": (HumanTask.created_at, HumanTask.id),
    "due": (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at, HumanTask.id),
}


def page_rows(session: Session, wheres: list, order: str, offset: int, limit: int,
              after: tuple[datetime, str] | None) -> list[HumanTask]:
    """The rows of one page in one statement, each branch cut at `offset + limit` rows before
    the union (the union's ids are joined back to their rows)."""
    ordering = _ORDERS.get(order, _ORDERS["created"])
    if after is not None:
        if order != "created":
            raise InvalidInput("A cursor pages the list in creation order only",
                               [Problem("needs order=created", field="after")])
        wheres = [and_(w, tuple_(HumanTask.created_at, HumanTask.id) > tuple_(*after)) for w in wheres]
    if len(wheres) == 1:
        query = select(HumanTask).where(wheres[0]).order_by(*ordering).offset(offset).limit(limit)
        return list(session.scalars(query))
    parts = [select(HumanTask.id, HumanTask.created_at, HumanTask.due_at).where(w).order_by(*ordering)
             .limit(offset + limit).subquery() for w in wheres]
    union = union_all(*[select(p) for p in parts]).subquery()
    outer = {"created": (union.c.created_at, union.c.id),
             "due": (union.c.due_at.is_(None), union.c.due_at, union.c.created_at, union.c.id)}
    page = select(union.c.id).order_by(*outer.get(order, outer["created"])).offset(offset).limit(limit).subquery()
    rows = {r.id: r for r in session.scalars(select(HumanTask).join(page, HumanTask.id == page.c.id))}
    ordered = sorted(rows.values(), key=lambda r: (r.created_at, r.id)) if order == "created" else \
        sorted(rows.values(), key=lambda r: (r.due_at is None, r.due_at or r.created_at, r.created_at, r.id))
    return ordered


def capped_count(session: Session, wheres: list) -> tuple[int, bool]:
    """(count, capped): exact up to COUNT_CAP, each branch read no further than that, all
    branches in one statement."""
    return capped_counts(session, {"total": wheres})["total"]


def capped_counts(session: Session, lists: dict[str, list]) -> dict[str, tuple[int, bool]]:
    """capped_count of several lists (name -> their branches) in one statement."""
    totals = []
    for name, wheres in lists.items():
        counts = [select(func.count()).select_from(
            select(literal_column("1")).select_from(HumanTask).where(where).limit(COUNT_CAP + 1).subquery())
            .scalar_subquery() for where in wheres]
        totals.append(sum(counts[1:], counts[0]).label(name))
    row = session.execute(select(*totals)).one()
    return {name: (COUNT_CAP, True) if total > COUNT_CAP else (total, False) for name, total in zip(lists, row)}
