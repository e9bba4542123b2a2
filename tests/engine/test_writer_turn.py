"""SQLite writers read first and take their turn to write at their first write."""
from __future__ import annotations

import threading
import time

from sqlalchemy import text

from engine.persistence.database import Database


def _database(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'turns.db'}")
    with database.sql_engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
        connection.exec_driver_sql("INSERT INTO counter VALUES (1, 0)")
    return database


def test_a_writer_that_read_before_another_committed_still_writes(tmp_path):
    """As a plain deferred transaction it would fail at once (SQLITE_BUSY_SNAPSHOT)."""
    database = _database(tmp_path)
    try:
        first, second = database.session(writes=True), database.session(writes=True)
        assert first.execute(text("SELECT value FROM counter")).scalar() == 0  # holds no lock
        second.execute(text("UPDATE counter SET value = value + 1"))
        second.commit()
        first.execute(text("UPDATE counter SET value = value + 10"))  # a fresh turn sees 1
        first.commit()
        assert first.execute(text("SELECT value FROM counter")).scalar() == 11
        first.close(), second.close()
    finally:
        database.dispose()


def test_a_second_writer_waits_for_the_turn_then_goes_on(tmp_path):
    database = _database(tmp_path)
    try:
        holder = database.session(writes=True)
        holder.execute(text("UPDATE counter SET value = 5"))  # holds the turn until it commits
        waited = {}

        def second_writer():
            session = database.session(writes=True)
            began = time.monotonic()
            session.execute(text("UPDATE counter SET value = value * 2"))
            waited["seconds"] = time.monotonic() - began
            session.commit()
            session.close()
        other = threading.Thread(target=second_writer)
        other.start()
        other.join(timeout=0.3)
        assert other.is_alive()  # queued behind the holder, not failed
        holder.commit()
        other.join(timeout=10)
        assert waited["seconds"] >= 0.3
        assert holder.execute(text("SELECT value FROM counter")).scalar() == 10
        holder.close()
    finally:
        database.dispose()


def test_a_writer_that_waits_too_long_gets_a_conflict_not_a_hang(tmp_path, monkeypatch):
    """As with SQLite's busy timeout: a writer stuck in another process must not freeze the rest."""
    from engine import Engine
    from engine.errors import Conflict
    from engine.persistence import writer_turn
    monkeypatch.setattr(writer_turn, "WAIT_SECONDS", 0.3)
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    _database(tmp_path).dispose()
    holder = Engine(url)  # another engine: another process's lock file descriptor
    waiter = Engine(url)
    try:
        holding = holder.database.session(writes=True)
        holding.execute(text("UPDATE counter SET value = 1"))
        began = time.monotonic()
        try:
            with waiter.unit_of_work(writes=True) as uow:
                uow.session.execute(text("UPDATE counter SET value = 2"))
                uow.commit()
        except Conflict:
            pass
        else:
            raise AssertionError("the waiter wrote while the holder held the turn")
        assert 0.25 <= time.monotonic() - began < 5
        holding.commit()
        holding.close()
    finally:
        holder.dispose(), waiter.dispose()
