"""How fast is an inbox with 1,000 and with 100,000 open tasks, on SQLite and PostgreSQL?

    .venv/bin/python bench/inbox_latency.py                 # 1k and 100k, both databases (~10 min)
    .venv/bin/python bench/inbox_latency.py --sizes 1000,10000 --only sqlite

The database is filled through the engine's bulk path (`runtime.start_many`), not with SQL
copies: instances of a parallel multi-instance translation (`multi_instance.bpmn`, 100
languages each: 100 open tasks in the Translator lane) and of the approval process (one
open task in the Clerk lane each, one in ten claimed by our clerk). Then, 200 times each:

* the engine's `tasks.list` for a translator (every open task is a candidate: the dense
  case) and for a clerk (a thousandth of them);
* `GET /api/v1/tasks` for the translator, through the whole Flask app in process (bearer
  token, serialization), first page and a page far in by cursor;
* the `/inbox` page for the translator (signed in).

Printed: p50 and p99 in ms, and the plan each database chose for the translator's first page.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measuring import deploy, new_engine  # noqa: E402

from engine import Actor  # noqa: E402
from engine.services import inbox_query  # noqa: E402

TRANSLATOR = Actor("tina", frozenset({"Translator"}))
CLERK = Actor("claire", frozenset({"Clerk"}))
BATCH = 20


def fill(engine, open_tasks: int) -> None:
    """Open tasks to `open_tasks`: 99% translations in batches of 100, 1% approvals."""
    translations = open_tasks * 99 // 100 // 100
    approvals = open_tasks - translations * 100
    languages = [f"lang{i}" for i in range(100)]
    began = time.perf_counter()
    for first in range(0, translations, BATCH):
        with engine.unit_of_work(writes=True) as uow:
            uow.runtime.start_many("multi_instance", [{"data": {"languages": languages}}] *
                                   min(BATCH, translations - first), actor=TRANSLATOR)
            uow.commit()
    for first in range(0, approvals, 500):
        with engine.unit_of_work(writes=True) as uow:
            uow.runtime.start_many("approval", [{"data": {}}] * min(500, approvals - first), actor=CLERK)
            uow.commit()
    with engine.unit_of_work(writes=True) as uow:
        for task in uow.tasks.list(CLERK, per_page=100).items[::10]:
            uow.tasks.claim(task.id, CLERK)
        uow.commit()
    seconds = time.perf_counter() - began
    print(f"  filled {open_tasks:,} open tasks through start_many in {seconds:.0f} s "
          f"({(translations + approvals) / seconds:.0f} instances/s)", flush=True)
    if engine.database.sql_engine.dialect.name == "postgresql":
        with engine.database.sql_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")


def timed(call, times: int = 200, warmup: int = 5) -> tuple[float, float]:
    """p50 and p99 after a few untimed calls (the first page view compiles its templates)."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(times):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    samples.sort()
    return samples[len(samples) // 2] * 1000, samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000


def plan(engine) -> str:
    from sqlalchemy.dialects import postgresql, sqlite
    wheres = inbox_query.branches(TRANSLATOR, "candidate", inbox_query.Filters())
    with engine.unit_of_work() as uow:
        captured = []
        from sqlalchemy import event

        def grab(conn, cursor, statement, parameters, context, executemany):
            if not captured and "UNION ALL" in statement:
                captured.append((statement, parameters))
        event.listen(engine.database.sql_engine, "before_cursor_execute", grab)
        inbox_query.page_rows(uow.session, wheres, "created", 0, 20, None)
        event.remove(engine.database.sql_engine, "before_cursor_execute", grab)
        statement, parameters = captured[0]
        dialect = engine.database.sql_engine.dialect.name
        explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
        rows = uow.session.connection().exec_driver_sql(explain + statement, parameters).fetchall()
    return "\n".join("    " + " ".join(str(c) for c in r) for r in rows)


def measure(engine, url: str, size: int) -> list[str]:
    from webapp import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False}, engine=engine)
    with engine.unit_of_work() as uow:
        uow.identity.add_user("tina", ["Translator"], password="bench password 1")
        token = uow.identity.issue_token("tina")
        uow.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get("/api/v1/tasks?per_page=20", headers=headers).get_json()
    cursor = first.get("next")
    for _ in range(20):
        cursor = client.get(f"/api/v1/tasks?per_page=20&after={cursor}", headers=headers).get_json().get("next")
    browser = app.test_client()
    browser.post("/login", data={"username": "tina", "password": "bench password 1"})

    def engine_list(actor):
        def call():
            with engine.unit_of_work() as uow:
                uow.tasks.list(actor, per_page=20)
        return call
    figures = {
        "engine list, translator": timed(engine_list(TRANSLATOR)),
        "engine list, clerk": timed(engine_list(CLERK)),
        "GET /api/v1/tasks": timed(lambda: client.get("/api/v1/tasks?per_page=20", headers=headers)),
        "GET /api/v1/tasks?after= (page 21)": timed(
            lambda: client.get(f"/api/v1/tasks?per_page=20&after={cursor}", headers=headers)),
        "/inbox page": timed(lambda: browser.get("/inbox"), times=100),
    }
    dialect = engine.database.sql_engine.dialect.name
    return [f"| {dialect} | {size:,} | {name} | {p50:.1f} | {p99:.1f} |" for name, (p50, p99) in figures.items()]


def run(url_for_size, sizes, label) -> list[str]:
    lines = []
    for size in sizes:
        url = url_for_size(size)
        engine = new_engine(url)
        deploy(engine, "multi_instance.bpmn", "translation.schema.json", "approval.bpmn", "request.schema.json",
               "review.schema.json")
        print(f"{label}, {size:,} open tasks", flush=True)
        fill(engine, size)
        lines += measure(engine, url, size)
        print("\n".join(lines[-5:]), flush=True)
        print(f"  plan of the translator's first page:\n{plan(engine)}", flush=True)
        engine.dispose()
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="secretariat-inbox-"))
    os.environ.setdefault("SECRETARIAT_INSTANCE_PATH", str(folder / "instance"))
    lines = []
    if args.only in (None, "sqlite"):
        lines += run(lambda size: f"sqlite:///{folder}/inbox{size}.db", sizes, "SQLite")
    if args.only in (None, "postgres"):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.support.postgres import ThrowawayCluster, find_bin_dir
        from sqlalchemy import create_engine
        bin_dir = find_bin_dir()
        if bin_dir is None:
            print("PostgreSQL server binaries not found: skipping PostgreSQL")
        else:
            cluster = ThrowawayCluster(bin_dir).start()
            try:
                admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
                with admin.connect() as c:
                    for size in sizes:
                        c.exec_driver_sql(f"CREATE DATABASE inbox{size}")
                admin.dispose()
                lines += run(lambda size: cluster.url(f"inbox{size}"), sizes, "PostgreSQL")
            finally:
                cluster.stop()
    print("\n| database | open tasks | request | p50 ms | p99 ms |\n| --- | --- | --- | --- | --- |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
