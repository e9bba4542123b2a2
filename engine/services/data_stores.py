"""The database behind BPMN data stores, in the caller's transaction (see engine/bpmn/data_stores.py)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.bpmn.data import to_json
from engine.persistence.data_store_models import DataStoreEntry


class DatabaseDataStores:
    def __init__(self, session: Session, clock):
        self.session = session
        self.clock = clock

    def read(self, process_key: str, store_id: str):
        entry = self.session.get(DataStoreEntry, (process_key, store_id))
        return entry.value if entry is not None else None

    def write(self, process_key: str, store_id: str, value) -> None:
        entry = self.session.get(DataStoreEntry, (process_key, store_id))
        if entry is None:
            entry = DataStoreEntry(process_key=process_key, store_id=store_id)
            self.session.add(entry)
        entry.value = to_json(value)
        entry.updated_at = self.clock.now()
        self.session.flush()

    def values(self, process_key: str) -> dict:
        """{store id: value} of a process (for managers and tests)."""
        rows = self.session.query(DataStoreEntry).filter(DataStoreEntry.process_key == process_key)
        return {row.store_id: row.value for row in rows}
