"""Sending the outbox through the SMTP server (Python's smtplib and email).

Each round claims a batch of due mails in a short transaction (pushing their next attempt a
lease away, so another worker skips them), talks to the mail server outside any transaction,
then records the outcome: sent, or the error and a next attempt after an exponentially
growing delay (30 s, 1 min, 2 min, ... at most an hour), forever: nothing is dropped. A
worker that dies between sending and recording sends that mail again after the lease, so a
mail may, rarely, arrive twice; it is never lost."""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlalchemy import and_, select

from engine.notifications.settings import MailSettings
from engine.persistence.database import claiming
from engine.persistence.notification_models import OutgoingMail

log = logging.getLogger("secretariat.mail")
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=1)
LEASE = timedelta(minutes=5)
BATCH = 50
SMTP_TIMEOUT = 20


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: 30 s, 60 s, 120 s, ... capped at an hour."""
    return min(FIRST_DELAY * (2 ** max(attempts - 1, 0)), LONGEST_DELAY)


@dataclass(frozen=True)
class Outgoing:
    id: int
    address: str
    name: str
    subject: str
    text: str
    html: str


def _due(now: datetime):
    """Not sent yet, and its (next) attempt is due."""
    return and_(OutgoingMail.sent_at.is_(None), OutgoingMail.next_attempt_at <= now)


def has_due(session, now: datetime) -> bool:
    return session.scalar(select(OutgoingMail.id).where(_due(now)).limit(1)) is not None


def claim_due(session, now: datetime, limit: int = BATCH) -> list[Outgoing]:
    """Due mails, leased to this worker until `now + LEASE` (the caller commits)."""
    query = select(OutgoingMail).where(_due(now)) \
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claiming(session)
    rows = session.scalars(query).all()
    for row in rows:
        row.next_attempt_at = now + LEASE
    return [Outgoing(r.id, r.address, r.recipient_name, r.subject, r.body_text, r.body_html) for r in rows]


def record_outcome(session, now: datetime, outcomes: dict[int, str | None]) -> None:
    """`outcomes`: mail id -> None when sent, else the error (a later attempt is scheduled)."""
    for row in session.scalars(select(OutgoingMail).where(OutgoingMail.id.in_(sorted(outcomes)))):
        error = outcomes[row.id]
        row.attempts = (row.attempts or 0) + 1
        if error is None:
            row.sent_at, row.last_error = now, None
        else:
            row.last_error = error[:2000]
            row.next_attempt_at = now + retry_delay(row.attempts)


def _email(mail: MailSettings, outgoing: Outgoing) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.mail_from
    message["To"] = formataddr((outgoing.name, outgoing.address))
    message["Subject"] = outgoing.subject
    message["Message-ID"] = make_msgid(domain=mail.mail_from.rpartition("@")[2] or "localhost")
    message.set_content(outgoing.text)
    message.add_alternative(outgoing.html, subtype="html")
    return message


def send(mail: MailSettings, batch: list[Outgoing]) -> dict[int, str | None]:
    """Over one SMTP connection; a server that cannot be reached fails the whole batch."""
    if not batch:
        return {}
    host, port, secure, user, password = mail.server
    try:
        connection = (smtplib.SMTP_SSL if secure else smtplib.SMTP)(host, port, timeout=SMTP_TIMEOUT)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail server %s:%s unreachable: %s", host, port, error)
        return {o.id: f"mail server unreachable: {error}" for o in batch}
    outcomes: dict[int, str | None] = {}
    try:
        if user:
            connection.login(user, password or "")
        for outgoing in batch:
            try:
                connection.send_message(_email(mail, outgoing))
                outcomes[outgoing.id] = None
            except (OSError, smtplib.SMTPException) as error:
                outcomes[outgoing.id] = f"refused: {error}"
    except (OSError, smtplib.SMTPException) as error:
        for outgoing in batch:
            outcomes.setdefault(outgoing.id, f"mail server failed: {error}")
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return outcomes
