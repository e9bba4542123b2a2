"""A few weeks of Secretariat work for the dashboard tests, and the dashboard's numbers counted
again straight from the database rows, by a different road (Python over the raw rows, not
the service's GROUP BY), so the two can disagree."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.persistence.models import HumanTask, ProcessInstance
from tests.engine.helpers import CLERK, DIRECTOR, complete, start

AGES = (("under_1_day", 0), ("1_to_7_days", 1), ("7_to_30_days", 7), ("over_30_days", 30))


def make_activity(engine, clock, deploy) -> None:
    """Over ten weeks: approval requests started, some submitted, some decided (completed); tasks
    with a 48-hour deadline left to run late; one task left waiting for 40 days."""
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json",
           "timer_interrupting.bpmn")
    clock.advance(days=-70)
    start(engine, "approval")  # waits at "Submit request" for 70 days
    for week in range(10):
        clock.advance(days=7, hours=week % 3)
        first = start(engine, "approval").open_tasks[0]
        if week % 2 == 0:
            review = complete(engine, first.id, CLERK, {"title": f"Chairs {week}", "amount": week}).process_instance
            if week % 4 == 0:
                complete(engine, review.open_tasks[0].id, DIRECTOR, {"approved": True, "comment": ""})
        if week >= 7:
            start(engine, "timer_interrupting")  # due within 48 hours; nobody fires the timers
    clock.advance(hours=20)
    start(engine, "approval")  # a fresh task, under a day old


def counted_in_database(engine, now) -> dict:
    """{"open": {lane: {age: n}}, "overdue": {process key: n}, "weeks": [(monday, started, completed)]}"""
    with engine.database.sql_engine.connect() as connection:
        tasks = connection.execute(select(HumanTask.__table__.c.lane, HumanTask.__table__.c.created_at,
                                          HumanTask.__table__.c.due_at, HumanTask.__table__.c.process_key)
                                   .where(HumanTask.__table__.c.state == "open")).all()
        instances = connection.execute(select(ProcessInstance.__table__.c.started_at,
                                              ProcessInstance.__table__.c.ended_at,
                                              ProcessInstance.__table__.c.state)).all()
    aware = ProcessInstance.__table__.c.started_at.type.process_result_value
    opened: dict = {}
    overdue: dict = {}
    for lane, created, due, key in tasks:
        waited = now - aware(created, None)
        age = [name for name, days in AGES if waited >= timedelta(days=days)][-1]
        opened.setdefault(lane, {name: 0 for name, _ in AGES})[age] += 1
        if due is not None and aware(due, None) < now:
            overdue[key] = overdue.get(key, 0) + 1
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    weeks = [monday - timedelta(weeks=11 - i) for i in range(12)]

    def week_of(moment):
        moment = aware(moment, None)
        return next((i for i in range(11, -1, -1) if moment >= weeks[i]), None) if moment <= now else None

    started, completed = [0] * 12, [0] * 12
    for started_at, ended_at, state in instances:
        if week_of(started_at) is not None:
            started[week_of(started_at)] += 1
        if state == "completed" and ended_at is not None and week_of(ended_at) is not None:
            completed[week_of(ended_at)] += 1
    return {"open": opened, "overdue": overdue,
            "weeks": [(weeks[i].date().isoformat(), started[i], completed[i]) for i in range(12)]}
