"""Working together around the steps (issue 12): files attached to a case, and the inbox
filters each user keeps. Follow-up dates live on the task row itself (`HumanTask.follow_up_on`),
so that every inbox page reads them without one more statement."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from engine.persistence.models import Base, UTCDateTime


class Attachment(Base):
    """A file uploaded to an instance (optionally on one of its tasks). The bytes are in
    `content` (the default) or, when the installation keeps files in a folder, in a file named
    by their sha256 there (`content` is then NULL); lists never load them."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    author: Mapped[str | None] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    storage: Mapped[str] = mapped_column(String(16))  # "database" or "folder"
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))


class SavedFilter(Base):
    """An inbox filter a user named, shown as a tab: the query parameters of GET /tasks."""

    __tablename__ = "saved_filters"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(120))
    filters: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    __table_args__ = (UniqueConstraint("owner", "name", name="uq_saved_filter_owner_name"),
                      Index("ix_saved_filters_owner", "owner"))
