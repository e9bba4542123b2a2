"""A user's notification preferences and e-mail address: read and changed by that user."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.errors import InvalidInput, Problem
from engine.notifications.recipients import EACH, SWITCHES, TASK_READY_CHOICES, forget_recipients
from engine.persistence.models import User
from engine.persistence.notification_models import NotificationPreference
from engine.services.users import user_named

# Deliberately loose: one @, something on each side, no spaces; the mail server has the last word.
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
MAX_EMAIL = 320


@dataclass(frozen=True)
class Preferences:
    email: str | None
    task_ready: str = EACH
    mentions: bool = True
    overdue: bool = True
    instance_ended: bool = True


def email_problem(email: str | None) -> str | None:
    if email is None or email == "":
        return None
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        return "an e-mail address such as name@example.org"
    return None


class PreferenceService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def _user(self, username: str) -> User:
        return user_named(self.session, username)

    def get(self, username: str) -> Preferences:
        user = self._user(username)
        row = self.session.get(NotificationPreference, username)
        if row is None:
            return Preferences(user.email)
        return Preferences(user.email, row.task_ready, row.mentions, row.overdue, row.instance_ended)

    def update(self, username: str, changes: dict) -> Preferences:
        """`changes`: any of email, task_ready and the switches; all checked before anything is kept."""
        problems = []
        if "task_ready" in changes and changes["task_ready"] not in TASK_READY_CHOICES:
            problems.append(Problem(f"must be one of {', '.join(TASK_READY_CHOICES)}", field="task_ready"))
        for name in SWITCHES:
            if name in changes and not isinstance(changes[name], bool):
                problems.append(Problem("must be true or false", field=name))
        if "email" in changes:
            email = changes["email"]
            if email is not None and not isinstance(email, str):
                problems.append(Problem("must be a text or null", field="email"))
            elif email_problem(email.strip() if email else None):
                problems.append(Problem(email_problem(email.strip()), field="email"))
        unknown = sorted(set(changes) - {"email", "task_ready", *SWITCHES})
        problems += [Problem("is not a notification preference", field=name) for name in unknown]
        if problems:
            raise InvalidInput("The notification preferences are not valid", problems)
        user = self._user(username)
        if "email" in changes:
            user.email = (changes["email"] or "").strip() or None
        row = self.session.get(NotificationPreference, username)
        if row is None:
            current = Preferences(user.email)
            row = NotificationPreference(username=username, task_ready=current.task_ready, mentions=current.mentions,
                                         overdue=current.overdue, instance_ended=current.instance_ended)
            self.session.add(row)
        for name in ("task_ready", *SWITCHES):
            if name in changes:
                setattr(row, name, changes[name])
        forget_recipients(self.session)
        self.session.flush()
        return self.get(username)
