"""Comments on instances and what the engine owes people by e-mail (issue 12).

The outbox is written in the same transaction as the change that calls for a message, so a
rolled-back action sends nothing; the worker sends it later and keeps a row until the mail
server has taken it (retried with growing delays while it is down), so nothing is lost."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.persistence.models import Base


class Comment(Base):
    """A remark in an instance's one thread, optionally about one of its tasks (Markdown text)."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    author: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)


class OutgoingMail(Base):
    """One e-mail to send: due from `next_attempt_at`, done once `sent_at` is set."""

    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(120))
    recipient_name: Mapped[str] = mapped_column(String(255))
    address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),)


class NotificationPreference(Base):
    """What a user wants to hear about; a user without a row gets the defaults (everything, at once)."""

    __tablename__ = "notification_preferences"
    username: Mapped[str] = mapped_column(String(120), primary_key=True)
    task_ready: Mapped[str] = mapped_column(String(16), default="each")  # each | daily_digest | none
    mentions: Mapped[bool] = mapped_column(Boolean, default=True)
    overdue: Mapped[bool] = mapped_column(Boolean, default=True)
    instance_ended: Mapped[bool] = mapped_column(Boolean, default=True)


class DigestEntry(Base):
    """A task that became ready for a user who reads them once a day, waiting for the digest."""

    __tablename__ = "digest_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    queued_at: Mapped[datetime] = mapped_column(index=True)


class ReminderNotice(Base):
    """A task whose due time drew near and whose people were reminded: once per task."""

    __tablename__ = "reminder_notices"
    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[datetime]


class OverdueNotice(Base):
    """An overdue task whose people were told: once per task."""

    __tablename__ = "overdue_notices"
    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[datetime]
