"""The engine's hot paths send a fixed, small number of statements, whatever the data: counted
here (time is measured by the benchmarks in bench/, never by tests)."""
from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from engine import Actor
from tests.conftest import ADMIN
from tests.engine.helpers import CLERK, TRANSLATORS, complete, start

DIRECTOR = Actor("diane", frozenset({"Director"}))


@contextlib.contextmanager
def statements(engine):
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith("BEGIN"):  # SQLite's transaction start, issued by the engine
            sent.append(statement)
    event.listen(engine.database.sql_engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine.database.sql_engine, "before_cursor_execute", count)


@pytest.fixture
def approvals(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    return [start(engine, "approval", CLERK) for _ in range(3)]


def test_a_completion_sends_a_fixed_handful_of_statements(engine, approvals):
    counts = []
    for instance in approvals:
        with statements(engine) as sent:
            complete(engine, instance.open_tasks[0].id, CLERK, {"title": "Chairs", "amount": 10})
        counts.append(len(sent))
    assert counts[0] <= 9 and max(counts[1:]) <= 8, counts  # the first reads the spec; 17 before issue 9
    assert len(set(counts[1:])) == 1  # the same for every instance once the spec is cached


def test_an_inbox_page_costs_the_same_statements_for_1_or_20_rows(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    for _ in range(25):
        start(engine, "approval", CLERK)
    sizes = {}
    for per_page in (1, 20):
        with statements(engine) as sent, engine.unit_of_work() as uow:
            page = uow.tasks.list(CLERK, per_page=per_page)
        assert len(page.items) == per_page and page.total == 25
        sizes[per_page] = len(sent)
    assert sizes[1] == sizes[20] <= 4, sizes  # the page, its instances, the capped counts


def test_the_cursor_walks_every_task_once_in_order(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    for _ in range(7):
        start(engine, "approval", CLERK)
    seen, after = [], None
    while True:
        with engine.unit_of_work() as uow:
            page = uow.tasks.list(CLERK, per_page=3, after=after)
        seen += page.items
        after = page.next_after
        if after is None:
            break
    assert len(seen) == 7 and len({t.id for t in seen}) == 7
    assert [(t.created_at, t.id) for t in seen] == sorted((t.created_at, t.id) for t in seen)
    with engine.unit_of_work() as uow:
        by_page = [t.id for p in (1, 2, 3) for t in uow.tasks.list(CLERK, per_page=3, page=p).items]
    assert by_page == [t.id for t in seen]


def test_claimed_and_lane_tasks_are_listed_once_each(engine, approvals):
    with engine.unit_of_work() as uow:
        uow.tasks.claim(approvals[0].open_tasks[0].id, CLERK)
        uow.commit()
    with engine.unit_of_work() as uow:
        listed = uow.tasks.list(CLERK, per_page=10)
        counts = uow.tasks.counts(CLERK)
        everything = uow.tasks.list(ADMIN, scope="all", per_page=10)
        director = uow.tasks.list(DIRECTOR, per_page=10)
    assert sorted(t.id for t in listed.items) == sorted(a.open_tasks[0].id for a in approvals)
    assert counts == {"assigned": (1, False), "claimable": (2, False)}
    assert everything.total == 3 and director.total == 0


def test_a_multi_instance_item_costs_the_same_statements_with_4_or_40_items_open(engine, deploy):
    """Only what changed is written: the finished item's row, none of the other open rows."""
    deploy("multi_instance.bpmn", "translation.schema.json")
    sent_by_size = {}
    for size in (4, 40):
        instance = start(engine, "multi_instance", ADMIN, languages=[f"l{i}" for i in range(size)])
        assert len(instance.open_tasks) == size
        with statements(engine) as sent:
            result = complete(engine, instance.open_tasks[0].id, TRANSLATORS[0], {"text": "done"})
        assert len(result.process_instance.open_tasks) == size - 1
        assert len([s for s in sent if s.startswith("UPDATE human_tasks")]) == 1, sent
        sent_by_size[size] = len(sent)
    assert sent_by_size[4] == sent_by_size[40], sent_by_size
