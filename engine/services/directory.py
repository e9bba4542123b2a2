"""The directory: who holds a role, for pickers and for checking the people a form names.
Only active users count: a deactivated member must not be given a task."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine.form_extensions import expand_form
from engine.persistence.models import User, UserRole
from engine.views import Page

MAX_PER_PAGE = 100


class DirectoryService:
    def __init__(self, session: Session, context=None):
        self.session = session
        self.context = context

    def holders(self, role: str) -> list[tuple[str, str]]:
        """(user name, display name) of the active users holding `role`, by display name."""
        rows = self.session.execute(
            select(User.username, User.display_name).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.active.is_(True)).order_by(User.display_name, User.username))
        return [(username, display or username) for username, display in rows]

    def display_names(self, usernames) -> dict[str, str]:
        """{user name: display name} of those of `usernames` the directory knows (active or not:
        a departed colleague's name still reads in the history)."""
        wanted = sorted({u for u in usernames if u})
        if not wanted:
            return {}
        rows = self.session.execute(select(User.username, User.display_name).where(User.username.in_(wanted)))
        return {username: display or username for username, display in rows}

    def search(self, role: str | None = None, text: str | None = None, page: int = 1, per_page: int = 20) -> Page:
        """Active users, optionally of one role and matching `text` in user or display name."""
        page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
        query = select(User).where(User.active.is_(True))
        if role:
            query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
        if text and text.strip():
            pattern = f"%{text.strip().lower()}%"
            query = query.where(or_(func.lower(User.username).like(pattern), func.lower(User.display_name).like(pattern)))
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        users = self.session.scalars(query.order_by(User.display_name, User.username)
                                     .offset((page - 1) * per_page).limit(per_page))
        items = [{"username": u.username, "display_name": u.display_name or u.username,
                  "roles": sorted(r.role for r in u.roles)} for u in users]
        return Page(items, total, page, per_page)

    def expand(self, schema: dict | None, data: dict | None, today: str | None = None) -> dict | None:
        """The task's form with its people, case choices and dates closed (engine.form_extensions)."""
        return expand_form(schema, data, self.holders, today)


def role_members(session: Session):
    """A function role -> usernames, reading in `session` (SpiffArena's `get_group_members`)."""
    def members_of(role: str) -> list[str]:
        return [username for username, _ in DirectoryService(session).holders(role)]
    return members_of
