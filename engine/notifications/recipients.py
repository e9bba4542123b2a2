"""Who is told: users with an e-mail address who have not turned that kind of message off.

The preference is checked in the query itself, so a user who wants nothing costs nothing
more than the one lookup that finds the people concerned."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from engine.persistence.models import User, UserRole
from engine.persistence.notification_models import NotificationPreference as Pref

EACH, DAILY_DIGEST, NONE = "each", "daily_digest", "none"
TASK_READY_CHOICES = (EACH, DAILY_DIGEST, NONE)
SWITCHES = ("mentions", "overdue", "instance_ended")
_REMEMBERED = "secretariat_recipients"


@dataclass(frozen=True)
class Recipient:
    username: str
    display_name: str
    email: str
    task_ready: str = EACH
    language: str | None = None  # the user's page language: their mail is written in it


def _base():
    return select(User.username, User.display_name, User.email, func.coalesce(Pref.task_ready, EACH),
                  User.language) \
        .outerjoin(Pref, Pref.username == User.username) \
        .where(User.active.is_(True), User.email.is_not(None), User.email != "")


def _wanting(kind: str):
    """The WHERE clause of users who want `kind` ("task_ready" or one of SWITCHES)."""
    if kind == "task_ready":
        return func.coalesce(Pref.task_ready, EACH) != NONE
    return func.coalesce(getattr(Pref, kind), true()).is_(true())


def find(session: Session, kind: str, usernames=(), role: str | None = None) -> list[Recipient]:
    """The users named, or holding `role`, who want messages of `kind`: one query."""
    if not usernames and role is None:
        return []
    query = _base().where(_wanting(kind))
    if role is not None:
        query = query.join(UserRole, UserRole.user_id == User.id).where(UserRole.role == role)
    else:
        query = query.where(User.username.in_(sorted(set(usernames))))
    return [Recipient(*row) for row in session.execute(query.order_by(User.username))]


def forget_recipients(session: Session) -> None:
    """After a change of preferences or addresses within the unit of work."""
    session.info.pop(_REMEMBERED, None)


def for_task(session: Session, kind: str, assignee: str | None, group: str | None) -> list[Recipient]:
    """A task's people: its assignee if it has one, else the holders of its candidate role.
    Remembered for the unit of work, so that starting many instances at once (the bulk path)
    looks each role up once."""
    remembered = session.info.setdefault(_REMEMBERED, {})
    key = (kind, assignee, None if assignee else group)
    if key not in remembered:
        if assignee:
            remembered[key] = find(session, kind, usernames=[assignee])
        else:
            remembered[key] = find(session, kind, role=group) if group else []
    return remembered[key]
