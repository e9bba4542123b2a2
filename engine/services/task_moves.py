"""Moving a task between people and setting it aside: assignment by administrators and
managers, delegation by the one who claimed it, and follow-up dates.

Every move is in the history with who and why: `task_assigned` (an administrator or manager
moved it) or `task_delegated` (its holder passed it on), with data {"from", "to", "assignee",
"reason"}; `assignee` is the new holder's user name (the e-mail notification reads it)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, PermissionDenied, Problem
from engine.messages import N_
from engine.persistence.models import HumanTask, User
from engine.services import access
from engine.services.execution import record
from engine.views import Actor

MAX_REASON = 10_000


def _holder_of_lane(session: Session, row: HumanTask, username: str) -> Actor:
    """The active user `username` as an Actor, if they hold the task's lane role (else 422)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise InvalidInput("No such user to give the task to",
                           [Problem(f"{username!r} is not an active user of the directory", field="username")])
    holder = Actor(user.username, frozenset(r.role for r in user.roles))
    if not access.is_candidate(row, holder):
        raise InvalidInput("That user does not hold the task's role",
                           [Problem(f"{username} does not hold the role {row.candidate_group}", field="username")])
    return holder


def move(session: Session, now, row: HumanTask, actor: Actor, username: str, reason: str | None) -> None:
    """Give the open task `row` to `username`; 403 for a caller who may not, 422 for a target
    outside the lane role. Giving it to its current holder changes nothing."""
    if not access.may_assign(row, actor):
        raise PermissionDenied(N_("Only administrators, managers and the user who claimed this task may give it to "
                                  "someone else"))
    if reason is not None and len(reason) > MAX_REASON:
        raise InvalidInput("The reason is too long", [Problem(f"at most {MAX_REASON} characters", field="reason")])
    holder = _holder_of_lane(session, row, username)
    if row.assignee == holder.username:
        return
    event = "task_assigned" if access.sees_everything(actor) else "task_delegated"
    data = {"from": row.assignee, "to": holder.username, "assignee": holder.username, "reason": reason}
    row.assignee = holder.username
    record(session, row.instance_id, now, event, actor, row.element_id, row.id, data)


def may_set_follow_up(row: HumanTask, actor: Actor) -> bool:
    """Whoever may work on it now, and administrators and managers."""
    return access.sees_everything(actor) or access.may_work_on(row, actor)


def set_follow_up(session: Session, now, row: HumanTask, actor: Actor, day: date | None) -> None:
    if not may_set_follow_up(row, actor):
        raise PermissionDenied(N_("Only whoever may work on this task sets its follow-up date"))
    if row.follow_up_on == day:
        return
    row.follow_up_on = day
    record(session, row.instance_id, now, "task_follow_up_set", actor, row.element_id, row.id,
           {"date": day.isoformat() if day else None})
