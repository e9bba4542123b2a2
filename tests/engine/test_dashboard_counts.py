"""The dashboard's brackets at their edges: a week starts on Monday 00:00 UTC, a task is a day
old after exactly 24 hours; staff may not read it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engine import PermissionDenied
from engine.services.dashboard import week_starts
from tests.conftest import MANAGER
from tests.engine.helpers import CLERK, start

MONDAY = datetime(2027, 1, 4, tzinfo=timezone.utc)


def summary(engine, actor=MANAGER):
    with engine.unit_of_work() as uow:
        return uow.dashboard.summary(actor)


def test_weeks_begin_on_monday_at_midnight_utc():
    starts = week_starts(MONDAY + timedelta(days=2, hours=5))
    assert len(starts) == 12 and starts[-1] == MONDAY and starts[0] == MONDAY - timedelta(weeks=11)
    assert week_starts(MONDAY)[-1] == MONDAY and week_starts(MONDAY - timedelta(seconds=1))[-1] == MONDAY - timedelta(weeks=1)


def test_an_instance_counts_in_the_week_it_started_and_a_task_ages_by_whole_days(engine, clock, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    clock.advance(MONDAY - clock.now() - timedelta(seconds=1))  # Sunday 23:59:59
    start(engine, "approval")
    clock.advance(seconds=1)  # Monday 00:00:00
    start(engine, "approval")
    clock.advance(days=1)  # the first task is a day and a second old, the second exactly a day
    board = summary(engine)
    assert [(w.starts, w.started) for w in board.weeks[-2:]] == [(MONDAY - timedelta(weeks=1), 1), (MONDAY, 1)]
    assert [(lane.lane, lane.by_age) for lane in board.open_by_lane] == [
        ("Clerk", {"under_1_day": 0, "1_to_7_days": 2, "7_to_30_days": 0, "over_30_days": 0})]
    clock.advance(seconds=-1)
    assert summary(engine).open_by_lane[0].by_age["under_1_day"] == 1


def test_staff_may_not_read_the_dashboard(engine):
    with pytest.raises(PermissionDenied):
        summary(engine, CLERK)
