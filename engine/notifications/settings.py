"""The mail settings the engine needs, taken from the installation's settings once."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from engine.settings import Settings

# The unit of work's session carries the mail settings under this key while mail is on, so the
# hooks (called deep inside engine actions) know whether to write to the outbox at all.
SESSION_KEY = "secretariat_mail"


@dataclass(frozen=True)
class MailSettings:
    smtp_url: str
    mail_from: str = "secretariat@localhost"
    base_url: str = "http://localhost:5000"
    digest_hour: int = 8
    reminder_hours: float = 48.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "MailSettings | None":
        """None without an SMTP server: then nothing is queued or sent."""
        if not settings.smtp_url:
            return None
        return cls(settings.smtp_url, settings.mail_from, settings.base_url.rstrip("/"), settings.digest_hour,
                   settings.reminder_hours)

    @property
    def server(self) -> tuple[str, int, bool, str | None, str | None]:
        """(host, port, over TLS from the start, user, password) of the SMTP URL."""
        parts = urlsplit(self.smtp_url)
        secure = parts.scheme == "smtps"
        return parts.hostname or "localhost", parts.port or (465 if secure else 25), secure, \
            parts.username, parts.password

    def task_link(self, task_id: str) -> str:
        return f"{self.base_url}/tasks/{task_id}"

    def instance_link(self, instance_id: int) -> str:
        return f"{self.base_url}/instances/{instance_id}"
