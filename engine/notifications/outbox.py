"""Writing to the outbox: rows in the caller's transaction, sent later by the worker."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.notifications.messages import Message
from engine.notifications.recipients import Recipient
from engine.persistence.notification_models import DigestEntry, OutgoingMail


def queue(session: Session, now: datetime, kind: str, recipient: Recipient, message: Message) -> None:
    session.add(OutgoingMail(kind=kind, recipient=recipient.username,
                             recipient_name=recipient.display_name, address=recipient.email,
                             subject=message.subject, body_text=message.text, body_html=message.html,
                             created_at=now, next_attempt_at=now, attempts=0))


def hold_for_digest(session: Session, now: datetime, recipient: Recipient, task_id: str) -> None:
    session.add(DigestEntry(username=recipient.username, task_id=task_id, queued_at=now))
