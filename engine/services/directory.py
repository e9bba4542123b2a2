"""Who holds a role, as process scripts ask it (`get_group_members`): active users only."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.persistence.models import User, UserRole


def role_members(session: Session):
    """A function role -> usernames, reading in `session`."""
    def members_of(role: str) -> list[str]:
        query = (select(User.username).join(UserRole, UserRole.user_id == User.id)
                 .where(UserRole.role == role, User.active.is_(True)).order_by(User.username))
        return list(session.scalars(query))
    return members_of
