"""Shared fixtures: an engine on a fresh, migrated database, on SQLite and on PostgreSQL."""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine import Actor, Engine, ManualClock
from engine.persistence.database import Database
from tests.support.postgres import ThrowawayCluster, find_bin_dir

FIXTURES = Path(__file__).parent / "engine" / "bpmn"
IN_CI = os.environ.get("CI", "").lower() == "true"
_counter = itertools.count()


def _needs(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (under CI=true this suite must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_cluster():
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _needs("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = ThrowawayCluster(bin_dir).start()
    database = Database(cluster.url())
    with database.sql_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("CREATE DATABASE migrated_template"))
    database.dispose()
    template = Database(cluster.url("migrated_template"))
    template.upgrade()
    template.dispose()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return path


def _fresh_postgres_url(cluster) -> str:
    name = f"test_{os.getpid()}_{next(_counter)}"
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE migrated_template'))
    admin.dispose()
    return cluster.url(name)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """A fresh, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "engine.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return _fresh_postgres_url(request.getfixturevalue("postgres_cluster"))


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def engine(database_url, clock):
    engine = Engine(database_url, clock=clock)
    yield engine
    engine.dispose()


MANAGER = Actor("mara", frozenset({"manager"}))
ADMIN = Actor("ada", frozenset({"admin"}))


@pytest.fixture
def deploy(engine):
    """Deploy fixture files by name (from tests/engine/bpmn) and return the result."""
    def deploy(*names: str, folder: Path = FIXTURES):
        with engine.unit_of_work() as uow:
            result = uow.repository.deploy_paths([folder / n for n in names], actor=MANAGER)
            uow.commit()
        return result
    return deploy
