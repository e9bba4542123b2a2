"""The installation's settings: one typed object, parsed once from the `SECRETARIAT_*`
environment variables, so that a wrong value is refused at start-up with its name, rather
than failing somewhere later (`SECRETARIAT_PER_PAGE=50` once crashed /inbox with a TypeError).

| variable | type | default |
| --- | --- | --- |
| SECRETARIAT_DATABASE_URL | SQLAlchemy URL | a SQLite file in the instance folder |
| SECRETARIAT_INSTANCE_PATH | folder | ./instance |
| SECRETARIAT_SECRET_KEY | text | generated once, kept in the instance folder |
| SECRETARIAT_PER_PAGE | whole number 1-100 | 20 |
| SECRETARIAT_TIMER_WORKER | true/false | true: `serve` fires timers itself |
| SECRETARIAT_TIMER_INTERVAL | seconds (> 0) | 5 |
| SECRETARIAT_SESSION_COOKIE_SECURE | true/false | true (serve: false on a loopback host) |
| SECRETARIAT_SMTP_URL | smtp://host:port | none: no e-mail is sent |
| SECRETARIAT_MODELER_AUTOSAVE_SECONDS | seconds (>= 0) | 30: the editor saves a changed diagram as a draft; 0: never |
| SECRETARIAT_ATTACHMENT_FOLDER | folder | none: attachments are kept in the database |
| SECRETARIAT_ATTACHMENT_MAX_BYTES | whole number of bytes (> 0) | 10485760 (10 MB) |
| SECRETARIAT_MAIL_FROM | e-mail address | secretariat@localhost |
| SECRETARIAT_BASE_URL | the site's address, for links in e-mails | http://localhost:5000 |
| SECRETARIAT_DIGEST_HOUR | hour of the day (UTC, 0-23) the daily digest leaves | 8 |
| SECRETARIAT_REMINDER_HOURS | hours (0-2160) | 48: the people of a task are reminded this long before it is due; 0: never |
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Mapping

PREFIX = "SECRETARIAT_"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """One or more SECRETARIAT_* variables have values that cannot be used."""


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    instance_path: str | None = None
    secret_key: str | None = None
    per_page: int = 20
    timer_worker: bool = True
    timer_interval: float = 5.0
    session_cookie_secure: bool | None = None
    smtp_url: str | None = None
    modeler_autosave_seconds: float = 30.0
    attachment_folder: str | None = None
    attachment_max_bytes: int = 10 * 1024 * 1024
    mail_from: str = "secretariat@localhost"
    base_url: str = "http://localhost:5000"
    digest_hour: int = 8
    reminder_hours: float = 48.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values, problems = {}, []
        for setting in fields(cls):
            raw = environ.get(PREFIX + setting.name.upper())
            if raw is None or raw.strip() == "":
                continue
            try:
                values[setting.name] = _parse(setting.name, raw.strip())
            except ValueError as error:
                problems.append(f"{PREFIX}{setting.name.upper()}={raw!r}: {error}")
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(**values)


def _parse(name: str, raw: str):
    if name == "per_page":
        number = int(raw)
        if not 1 <= number <= 100:
            raise ValueError("a whole number from 1 to 100")
        return number
    if name == "attachment_max_bytes":
        number = int(raw)
        if number < 1:
            raise ValueError("a whole number of bytes above 0")
        return number
    if name == "timer_interval":
        seconds = float(raw)
        if not seconds > 0:
            raise ValueError("a number of seconds above 0")
        return seconds
    if name == "modeler_autosave_seconds":
        seconds = float(raw)
        if not 0 <= seconds <= 86400:
            raise ValueError("a number of seconds from 0 (never) to 86400")
        return seconds
    if name in ("timer_worker", "session_cookie_secure"):
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise ValueError("true or false")
    if name == "reminder_hours":
        hours = float(raw)
        if not 0 <= hours <= 24 * 90:
            raise ValueError("a number of hours from 0 (no reminders) to 2160")
        return hours
    if name == "digest_hour":
        hour = int(raw)
        if not 0 <= hour <= 23:
            raise ValueError("an hour from 0 to 23")
        return hour
    if name == "base_url":
        if not raw.startswith(("http://", "https://")):
            raise ValueError("an http:// or https:// address")
        return raw.rstrip("/")
    if name == "smtp_url" and not raw.startswith(("smtp://", "smtps://")):
        raise ValueError("an smtp://host:port address")
    return raw
