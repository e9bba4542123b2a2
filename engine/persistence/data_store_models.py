"""BPMN data stores: values that outlive an instance, shared by every instance of a process.

A `bpmn:dataStore` is a process's memory across instances (a register number, the last
reference issued...). One row per process key and data store id; written in the same
transaction as the step that writes it, so a rolled-back step leaves the store as it was."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.persistence.models import Base, UTCDateTime


class DataStoreEntry(Base):
    __tablename__ = "data_store_entries"

    process_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    store_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
