"""Connecting to SQLite or PostgreSQL and bringing the schema up to date with Alembic."""
from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.orm import Session, sessionmaker

from engine.persistence.writer_turn import connection_class_for, is_write

MIGRATIONS = Path(__file__).parent / "migrations"


def default_database_url() -> str:
    """`SECRETARIAT_DATABASE_URL`, else a SQLite file in the instance folder."""
    url = os.environ.get("SECRETARIAT_DATABASE_URL")
    if url:
        return url
    folder = Path(os.environ.get("SECRETARIAT_INSTANCE_PATH", Path.cwd() / "instance"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'secretariat.db'}"


def _tune_sqlite(dbapi_connection, _record):
    dbapi_connection.isolation_level = None  # transactions are begun by _begin_sqlite below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is durable across a crash or kill -9 of any process (a commit is in the
    # log before it returns); only an operating-system crash or power cut may lose the last
    # commits. FULL would add an fsync to every action (3 ms of a 6 ms completion here).
    level = os.environ.get("SECRETARIAT_SQLITE_SYNCHRONOUS", "NORMAL").upper()
    cursor.execute(f"PRAGMA synchronous={level if level in ('OFF', 'NORMAL', 'FULL', 'EXTRA') else 'NORMAL'}")
    cursor.close()


def _options_for(url: str) -> dict:
    """PostgreSQL's JIT spent 148 of 266 ms compiling an inbox count: the engine's queries are
    short index lookups, never worth compiling. SQLite connections take turns to write
    (`writer_turn`)."""
    if url.startswith("postgresql"):
        return {"connect_args": {"options": "-c jit=off"}}
    if url.startswith("sqlite"):
        path = make_url(url).database
        in_memory = not path or path == ":memory:" or path.startswith("file:")
        return {"connect_args": {"factory": connection_class_for(None if in_memory else path)}}
    return {}


WRITE = {"secretariat_writes": True}


def _begin_sqlite(connection) -> None:
    """A unit of work that will write reads first and takes its turn to write at its first write
    (`writer_turn`): a plain deferred transaction could not upgrade once another process had
    written (SQLITE_BUSY at once, no waiting)."""
    if connection.get_execution_options().get("secretariat_writes"):
        connection.connection.dbapi_connection.begin_writing()
    else:
        connection.exec_driver_sql("BEGIN")


def _before_sqlite_statement(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    if is_write(statement):
        connection.connection.dbapi_connection.before_write()


def claiming(session: Session) -> None:
    """SQLite's SELECT ... FOR UPDATE: from here on the unit of work holds the turn to write, and
    what it reads next no other writer can change before it commits. For a worker claiming rows
    (due timers, mails to send) that another worker must not claim too; on PostgreSQL the
    claiming query says FOR UPDATE SKIP LOCKED itself."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.connection.dbapi_connection.before_write()


class Database:
    def __init__(self, url: str | None = None):
        self.url = url or default_database_url()
        self.sql_engine: SqlEngine = create_engine(self.url, future=True, **_options_for(self.url))
        if self.sql_engine.dialect.name == "sqlite":
            event.listen(self.sql_engine, "connect", _tune_sqlite)
            event.listen(self.sql_engine, "begin", _begin_sqlite)
            event.listen(self.sql_engine, "before_cursor_execute", _before_sqlite_statement)
        self.sessions = sessionmaker(self.sql_engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(self.sql_engine.execution_options(**WRITE), expire_on_commit=False)

    def session(self, writes: bool = False) -> Session:
        """`writes`: the unit of work will change something (see _begin_sqlite)."""
        return (self.write_sessions if writes else self.sessions)()

    def upgrade(self, revision: str = "head") -> None:
        """Create or migrate the schema: the same path in tests and production."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.sql_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def dispose(self) -> None:
        self.sql_engine.dispose()
