"""Writers to one SQLite file take turns through a lock file, and a waiting writer goes on
within a couple of milliseconds of the previous one finishing.

SQLite lets one transaction write at a time. Left to itself, a writer that finds the lock
taken sleeps in SQLite's busy handler (1, 2, 5, 10 ... 100 ms) and polls again, so with a few
web processes writing at once much of a second goes to sleeping while the lock is free. Here
a writer takes an `flock` on a file beside the database, released by COMMIT or ROLLBACK, and
a waiter tries again every 0.1 to 2 ms; after 30 seconds it gives up as SQLite would. Threads of one process share its lock file, so they queue on a
process-wide mutex first. Programs that do not know the lock file (the sqlite3 shell) still
meet SQLite's own lock and busy timeout: this only orders the engine's own writers."""
from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time

WAIT_SECONDS = 30.0  # as long as SQLite's busy timeout


class NoTurnToWrite(sqlite3.OperationalError):
    """Another writer held the database longer than WAIT_SECONDS: SQLITE_BUSY, as SQLite's busy
    timeout would say (the unit of work makes it a Conflict)."""

    sqlite_errorcode = 5
    sqlite_errorname = "SQLITE_BUSY"


class WriterTurn:
    """The turn to write one database file: a process-wide mutex, then the file lock."""

    def __init__(self, database_path: str):
        self.path = database_path + "-writer"
        self._mutex = threading.Lock()
        self._descriptor: int | None = None
        self._descriptor_pid: int | None = None

    def take(self) -> None:
        """Wait at most WAIT_SECONDS, as SQLite's busy timeout would: a writer stuck elsewhere
        makes the others fail with a Conflict, never hang."""
        deadline = time.monotonic() + WAIT_SECONDS
        if not self._mutex.acquire(timeout=WAIT_SECONDS):
            raise NoTurnToWrite(f"no turn to write within {WAIT_SECONDS:g} seconds")
        try:
            self._lock_file(deadline)
        except BaseException:
            self._mutex.release()
            raise

    def _lock_file(self, deadline: float) -> None:
        """Polled without blocking, the pause doubling from 0.1 to 2 ms: a blocking flock cannot
        time out, and SQLite's own busy handler pauses up to 100 ms."""
        descriptor, pause = self._file(), 0.0001
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise NoTurnToWrite(f"no turn to write within {WAIT_SECONDS:g} seconds") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

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
