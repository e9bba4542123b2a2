"""Writers to one SQLite file take turns through a lock file, and a waiting writer is woken the
moment the previous one finishes.

SQLite lets one transaction write at a time. Left to itself, a writer that finds the lock
taken sleeps in SQLite's busy handler (1, 2, 5, 10 ... 100 ms) and polls again, so with a few
web processes writing at once most of a second goes to sleeping while the lock is free. A
blocking `flock` on a file beside the database is queued in the kernel instead and released
by COMMIT or ROLLBACK. Threads of one process share its lock file, so they queue on a
process-wide mutex first. Programs that do not know the lock file (the sqlite3 shell) still
meet SQLite's own lock and busy timeout: this only orders the engine's own writers."""
from __future__ import annotations

import fcntl
import os
import sqlite3
import threading

WAIT_SECONDS = 30.0  # as long as SQLite's busy timeout


class WriterTurn:
    """The turn to write one database file: a process-wide mutex, then the file lock."""

    def __init__(self, database_path: str):
        self.path = database_path + "-writer"
        self._mutex = threading.Lock()
        self._descriptor: int | None = None
        self._descriptor_pid: int | None = None

    def take(self) -> None:
        if not self._mutex.acquire(timeout=WAIT_SECONDS):
            raise sqlite3.OperationalError("database is locked: no turn to write within 30 seconds")
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._mutex.release()
            raise

    def give_back(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._mutex.release()

    def _file(self) -> int:
        """Opened once per process: a descriptor inherited across fork would share its lock."""
        if self._descriptor_pid != os.getpid():
            self._descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._descriptor_pid = os.getpid()
        return self._descriptor


_READING = ("SELECT", "PRAGMA", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def is_write(statement: str) -> bool:
    return not statement.lstrip()[:9].upper().startswith(_READING)


class TurnTakingConnection(sqlite3.Connection):
    """A pysqlite connection whose writing transactions read first and take the writer turn
    only at their first write.

    A unit of work that will write begins as a reader (`begin_writing`): loading the instance,
    running SpiffWorkflow and checking forms take no lock, so other processes write meanwhile.
    At its first write (`before_write`) the reading transaction ends and a new one begins with
    BEGIN IMMEDIATE, holding the turn until COMMIT or ROLLBACK. What was read may have changed
    in between, exactly as under PostgreSQL's READ COMMITTED: the engine's writes are guarded
    by version columns (the instance's `lock_version`, the task row's), so a change made
    meanwhile fails the guarded UPDATE and the action is run again, never lost."""

    writer_turn: WriterTurn | None = None  # set on a subclass made per database
    _holding = False
    _reading_first = False

    def begin_writing(self) -> None:
        self.execute("BEGIN")
        self._reading_first = True

    def before_write(self) -> None:
        if not self._reading_first:
            return
        self._reading_first = False
        self.execute("ROLLBACK")  # only reads so far: ends the snapshot, nothing is lost
        if self.writer_turn is not None and not self._holding:
            self.writer_turn.take()
            self._holding = True
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._give_back()
            raise

    def commit(self) -> None:
        self._ending(super().commit)

    def rollback(self) -> None:
        self._ending(super().rollback)

    def close(self) -> None:
        self._ending(super().close)

    def _ending(self, end) -> None:
        try:
            end()
        finally:
            self._give_back()

    def _give_back(self) -> None:
        self._reading_first = False
        if self._holding:
            self._holding = False
            self.writer_turn.give_back()


def connection_class_for(database_path: str | None) -> type[TurnTakingConnection]:
    """`None` (an in-memory database): no file to share, no turns, plain BEGIN IMMEDIATE."""
    turn = WriterTurn(os.path.abspath(database_path)) if database_path else None
    return type("SecretariatSqliteConnection", (TurnTakingConnection,), {"writer_turn": turn})
