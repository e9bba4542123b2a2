"""The inbox's lane branch reads its page in order from one index on both databases
(migration 0011): with `assignee IS NULL` inside a plain index, PostgreSQL sorted a lane's
tasks or walked every open task in created order (50 ms at 100,000)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select

from engine import Actor
from engine.persistence.database import MIGRATIONS, Database
from engine.persistence.models import HumanTask
from engine.services import inbox_query

CLERK = Actor("claire", frozenset({"Clerk"}))


def _lane_branch_plan(engine) -> str:
    [mine, clerk_lane, no_lane] = inbox_query.branches(CLERK, "candidate", inbox_query.Filters())
    query = select(HumanTask.id).where(clerk_lane).order_by(HumanTask.created_at, HumanTask.id).limit(20)
    sql_engine = engine.database.sql_engine
    compiled = query.compile(sql_engine, compile_kwargs={"literal_binds": True})
    with sql_engine.connect() as connection:
        if sql_engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").fetchall()
            return "\n".join(str(r[-1]) for r in rows)
        # an empty table would be read whole: ask what the indexes can do
        connection.exec_driver_sql("SET enable_seqscan = off")
        connection.exec_driver_sql("SET enable_sort = off")
        return "\n".join(r[0] for r in connection.exec_driver_sql(f"EXPLAIN {compiled}").fetchall())


def test_a_lane_page_is_read_in_order_from_the_unclaimed_index(engine):
    plan = _lane_branch_plan(engine)
    assert "ix_human_tasks_inbox_unclaimed" in plan, plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan


def test_the_index_migration_goes_down_and_up_again(database_url):
    database = Database(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with database.sql_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0010")
        database.upgrade()
        with database.sql_engine.connect() as connection:
            names = {i["name"] for i in inspect(connection).get_indexes("human_tasks")}
        assert "ix_human_tasks_inbox_unclaimed" in names and "ix_human_tasks_inbox_group" not in names
    finally:
        database.dispose()
