"""Finding a user by name: shared by the identity and notification-preference services."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.messages import N_
from engine.persistence.models import User


def user_named(session: Session, username: str) -> User:
    """The user row, or NotFound naming who is missing."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(N_("No user '%(user)s'"), user=username)
    return user
