"""Users, their roles (lane names, `manager`, `admin`), passwords and API tokens, all hashed."""
from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from engine.errors import Conflict, InvalidInput, NotFound, Problem
from engine.persistence.models import ApiToken, User, UserRole
from engine.views import UserView

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$")
MIN_PASSWORD_LENGTH = 8


def _token_digest(token: str) -> str:
    """Tokens are long random strings, so one fast hash is enough (unlike passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_roles(roles, problems: list[Problem]) -> list[str]:
    cleaned = sorted({r.strip() for r in roles if r and r.strip()})
    if any(len(r) > 255 for r in cleaned):
        problems.append(Problem("a role name has at most 255 characters", field="roles"))
    return cleaned


def _view(user: User) -> UserView:
    return UserView(user.id, user.username, user.display_name, frozenset(r.role for r in user.roles), user.active)


class IdentityService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def _user(self, username: str) -> User:
        user = self.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"No user '{username}'")
        return user

    def add_user(self, username: str, roles=(), password: str | None = None,
                 display_name: str | None = None) -> UserView:
        problems = []
        if not USERNAME.match(username or ""):
            problems.append(Problem("letters, digits and . _ @ - only, up to 120 characters", field="username"))
        if password is not None and len(password) < MIN_PASSWORD_LENGTH:
            problems.append(Problem(f"at least {MIN_PASSWORD_LENGTH} characters", field="password"))
        roles = _clean_roles(roles, problems)
        if display_name is not None and len(display_name) > 255:
            problems.append(Problem("at most 255 characters", field="display_name"))
        if problems:
            raise InvalidInput("The user cannot be added", problems)
        if self.session.scalar(select(User).where(User.username == username)) is not None:
            raise Conflict(f"A user '{username}' already exists")
        user = User(username=username, display_name=display_name or username, active=True,
                    created_at=self.context.clock.now(),
                    password_hash=generate_password_hash(password, method="scrypt") if password else None,
                    roles=[UserRole(role=r) for r in roles])
        self.session.add(user)
        self.session.flush()
        return _view(user)

    def get(self, username: str) -> UserView:
        return _view(self._user(username))

    def list(self) -> list[UserView]:
        return [_view(u) for u in self.session.scalars(select(User).order_by(User.username))]

    def set_roles(self, username: str, roles) -> UserView:
        user = self._user(username)
        problems: list[Problem] = []
        wanted = _clean_roles(roles, problems)
        if problems:
            raise InvalidInput("The roles cannot be set", problems)
        user.roles = [r for r in user.roles if r.role in wanted] + \
            [UserRole(role=r) for r in wanted if r not in {x.role for x in user.roles}]
        self.session.flush()
        return _view(user)

    def set_password(self, username: str, password: str) -> None:
        if len(password or "") < MIN_PASSWORD_LENGTH:
            raise InvalidInput("The password is too short",
                               [Problem(f"at least {MIN_PASSWORD_LENGTH} characters", field="password")])
        self._user(username).password_hash = generate_password_hash(password, method="scrypt")
        self.session.flush()

    def set_active(self, username: str, active: bool) -> UserView:
        user = self._user(username)
        user.active = active
        self.session.flush()
        return _view(user)

    def authenticate(self, username: str, password: str) -> UserView | None:
        user = self.session.scalar(select(User).where(User.username == username))
        if user is None or not user.active or not user.password_hash:
            return None
        return _view(user) if check_password_hash(user.password_hash, password or "") else None

    def issue_token(self, username: str) -> str:
        """A new API token; only its hash is kept, so it is shown this once."""
        user = self._user(username)
        token = secrets.token_urlsafe(32)
        self.session.add(ApiToken(user_id=user.id, token_hash=_token_digest(token), created_at=self.context.clock.now()))
        self.session.flush()
        return token

    def user_for_token(self, token: str) -> UserView | None:
        if not token:
            return None
        row = self.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
        if row is None:
            return None
        user = self.session.get(User, row.user_id)
        return _view(user) if user.active else None
