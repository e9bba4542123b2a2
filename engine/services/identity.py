"""Users, their roles (lane names, `manager`, `admin`), passwords and API tokens, all hashed.

Credentials can be cut off (API.md, "who may read and act"): five wrong passwords for one
user name within 15 minutes refuse further sign-ins for it until the window has passed;
tokens expire (90 days unless said otherwise) and can be revoked one by one or all at once;
a password change or reset, deactivation or signing out raises the user's session epoch,
which ends every browser session signed in before it (and the first three end every token)."""
from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from engine.errors import Conflict, InvalidInput, NotFound, Problem, SignInThrottled
from engine.messages import N_
from engine.notifications.preferences import email_problem
from engine.persistence.models import ApiToken, SignInFailure, User, UserRole
from engine.process_texts import LANGUAGES as PAGE_LANGUAGES
from engine.services.users import user_named
from engine.views import UserView

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$")
MIN_PASSWORD_LENGTH = 8
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
DEFAULT_TOKEN_DAYS = 90


def _token_digest(token: str) -> str:
    """Tokens are long random strings, so one fast hash is enough (unlike passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_roles(roles, problems: list[Problem]) -> list[str]:
    cleaned = sorted({r.strip() for r in roles if r and r.strip()})
    if any(len(r) > 255 for r in cleaned):
        problems.append(Problem("a role name has at most 255 characters", field="roles"))
    return cleaned


def _view(user: User) -> UserView:
    return UserView(user.id, user.username, user.display_name, frozenset(r.role for r in user.roles), user.active,
                    user.session_epoch or 0, language=user.language)


class IdentityService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def _user(self, username: str) -> User:
        return user_named(self.session, username)

    def add_user(self, username: str, roles=(), password: str | None = None,
                 display_name: str | None = None, email: str | None = None) -> UserView:
        problems = []
        if email_problem(email):
            problems.append(Problem(email_problem(email), field="email"))
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
            raise Conflict(N_("A user '%(user)s' already exists"), user=username)
        user = User(username=username, display_name=display_name or username, active=True, email=email or None,
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
        self.context.token_cache.forget(username=username)
        return _view(user)

    def set_password(self, username: str, password: str) -> None:
        if len(password or "") < MIN_PASSWORD_LENGTH:
            raise InvalidInput("The password is too short",
                               [Problem(f"at least {MIN_PASSWORD_LENGTH} characters", field="password")])
        user = self._user(username)
        user.password_hash = generate_password_hash(password, method="scrypt")
        self._end_everything(user)
        self.session.flush()

    def set_language(self, username: str, language: str | None) -> UserView:
        """The page language the user chose (None: follow the browser's Accept-Language)."""
        if language is not None and language not in PAGE_LANGUAGES:
            raise InvalidInput("Unknown language", [Problem(
                f"choose one of: {', '.join(PAGE_LANGUAGES)}", field="language")])
        user = self._user(username)
        user.language = language
        self.session.flush()
        self.context.token_cache.forget(username=username)
        return _view(user)

    def set_active(self, username: str, active: bool) -> UserView:
        user = self._user(username)
        if user.active and not active:
            self._end_everything(user)
        user.active = active
        self.session.flush()
        self.context.token_cache.forget(username=username)
        return _view(user)

    def _end_everything(self, user: User) -> None:
        """Every session and every token of the user stops working."""
        self.end_sessions(user.username)
        self.revoke_tokens(user.username)

    def end_sessions(self, username: str) -> None:
        """Sessions signed in before now no longer count (signing out, a reset)."""
        user = self._user(username)
        user.session_epoch = (user.session_epoch or 0) + 1
        self.session.flush()
        self.context.token_cache.forget(username=username)

    def session_user(self, username: str, epoch: str) -> UserView | None:
        """The user of a browser session signed in at `epoch`, if it still counts: active, and
        not signed out everywhere since. Remembered a few seconds, like a token's user (the
        changes above forget it at once in this process; other processes see them within the
        cache's seconds)."""
        key = f"session\0{username}\0{epoch}"
        cached = self.context.token_cache.get(key)
        if cached is not None:
            return cached
        try:
            view = self.get(username)
        except NotFound:
            return None
        if not view.active or str(view.session_epoch) != epoch:
            return None
        self.context.token_cache.put(key, view)
        return view

    def authenticate(self, username: str, password: str) -> UserView | None:
        """The user, or None for a wrong name or password (recorded: the caller commits).
        SignInThrottled after MAX_FAILURES within FAILURE_WINDOW, even for the right password."""
        now = self.context.clock.now()
        username = (username or "")[:120]
        recent = self.session.scalars(select(SignInFailure.at).where(
            SignInFailure.username == username, SignInFailure.at > now - FAILURE_WINDOW)
            .order_by(SignInFailure.at.desc()).limit(MAX_FAILURES)).all()
        if len(recent) >= MAX_FAILURES:
            wait = (recent[-1] + FAILURE_WINDOW - now).total_seconds()
            raise SignInThrottled(f"Too many failed sign-ins for '{username}'; try again later", max(1, math.ceil(wait)))
        user = self.session.scalar(select(User).where(User.username == username))
        if user is not None and user.active and user.password_hash \
                and check_password_hash(user.password_hash, password or ""):
            return _view(user)
        self.session.execute(delete(SignInFailure).where(
            SignInFailure.username == username, SignInFailure.at <= now - FAILURE_WINDOW))
        self.session.add(SignInFailure(username=username, at=now))
        self.session.flush()
        return None

    def issue_token(self, username: str, expires_in_days: float | None = DEFAULT_TOKEN_DAYS) -> str:
        """A new API token; only its hash is kept, so it is shown this once."""
        user = self._user(username)
        if expires_in_days is not None and expires_in_days <= 0:
            raise InvalidInput("A token must live for some time",
                               [Problem("a positive number of days", field="expires_in")])
        token = secrets.token_urlsafe(32)
        now = self.context.clock.now()
        self.session.add(ApiToken(user_id=user.id, token_hash=_token_digest(token), created_at=now,
                                  expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None))
        self.session.flush()
        return token

    def revoke_tokens(self, username: str) -> int:
        """End every token of the user; how many were still in force."""
        user = self._user(username)
        ended = self.session.execute(update(ApiToken).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(
            revoked_at=self.context.clock.now())).rowcount
        self.context.token_cache.forget(username=username)
        return ended

    def revoke_token(self, token: str) -> bool:
        digest = _token_digest(token or "")
        ended = self.session.execute(update(ApiToken).where(
            ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)).values(
            revoked_at=self.context.clock.now())).rowcount
        self.context.token_cache.forget(digest=digest)
        return bool(ended)

    def user_for_token(self, token: str) -> UserView | None:
        """One query for token and user, and none at all for a token seen in the last seconds."""
        if not token:
            return None
        digest = _token_digest(token)
        cached = self.context.token_cache.get(digest)
        if cached is not None:
            return cached
        now = self.context.clock.now()
        user = self.session.execute(
            select(User).join(ApiToken, ApiToken.user_id == User.id).options(joinedload(User.roles)).where(
                ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None), User.active.is_(True),
                or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))).unique().scalar_one_or_none()
        if user is None:
            return None
        view = _view(user)
        self.context.token_cache.put(digest, view)
        return view
