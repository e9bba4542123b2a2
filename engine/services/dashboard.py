"""What a manager reads at a glance: open tasks by lane and age, overdue tasks by process,
instances started and completed per week. A handful of aggregate queries (GROUP BY over the
indexes of migration 0009); no workflow is loaded. Managers and administrators only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.errors import PermissionDenied
from engine.messages import N_
from engine.persistence import dashboard_indexes  # noqa: F401  (declares the indexes these queries read)
from engine.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from engine.services.access import sees_everything
from engine.views import Actor

# Age of an open task, by how long it has waited: (key, waited at least).
AGE_BUCKETS = (("under_1_day", timedelta(0)), ("1_to_7_days", timedelta(days=1)),
               ("7_to_30_days", timedelta(days=7)), ("over_30_days", timedelta(days=30)))
WEEKS = 12


@dataclass(frozen=True)
class LaneAges:
    lane: str | None
    by_age: dict[str, int]  # AGE_BUCKETS key -> open tasks

    @property
    def total(self) -> int:
        return sum(self.by_age.values())


@dataclass(frozen=True)
class Overdue:
    process_key: str
    process_name: str
    count: int


@dataclass(frozen=True)
class Week:
    starts: datetime  # Monday 00:00 UTC
    started: int
    completed: int


@dataclass(frozen=True)
class Dashboard:
    at: datetime
    open_by_lane: list[LaneAges]
    overdue_by_process: list[Overdue]
    weeks: list[Week]  # oldest first, the current week last


def week_starts(now: datetime, weeks: int = WEEKS) -> list[datetime]:
    """The Mondays (00:00 UTC) of the last `weeks` weeks, the current one last."""
    this_monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _bucket_of(column, bounds: list[datetime]):
    """The index of the last bound the value reaches (bounds ascending), as one SQL CASE."""
    return case(*((column >= bound, index) for index, bound in reversed(list(enumerate(bounds)))), else_=-1)


class DashboardService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def summary(self, actor: Actor) -> Dashboard:
        if not sees_everything(actor):
            raise PermissionDenied(N_("The dashboard is for managers and administrators"))
        now = self.context.clock.now()
        return Dashboard(at=now, open_by_lane=self._open_by_lane(now),
                         overdue_by_process=self._overdue_by_process(now), weeks=self._weeks(now))

    def _open_by_lane(self, now: datetime) -> list[LaneAges]:
        # Longest wait first: a task ready since `now - 30 days` or earlier is over 30 days old, and so on.
        age = case(*((HumanTask.created_at <= now - waited, key) for key, waited in reversed(AGE_BUCKETS[1:])),
                   else_=AGE_BUCKETS[0][0])
        tasks = select(HumanTask.lane, age.label("age")).where(HumanTask.state == "open").subquery()
        rows = self.session.execute(select(tasks.c.lane, tasks.c.age, func.count()).group_by(tasks.c.lane, tasks.c.age))
        lanes: dict[str | None, dict[str, int]] = {}
        for lane, bucket, count in rows:
            lanes.setdefault(lane, dict.fromkeys((key for key, _ in AGE_BUCKETS), 0))[bucket] = count
        return [LaneAges(lane, ages) for lane, ages in sorted(lanes.items(), key=lambda item: (item[0] is None,
                                                                                                 item[0] or ""))]

    def _overdue_by_process(self, now: datetime) -> list[Overdue]:
        rows = self.session.execute(
            select(HumanTask.process_key, func.count()).where(HumanTask.state == "open", HumanTask.due_at < now)
            .group_by(HumanTask.process_key))
        counts = dict(rows.all())
        names = self._process_names(counts)
        return sorted((Overdue(key, names.get(key, key), count) for key, count in counts.items()),
                      key=lambda o: (-o.count, o.process_name))

    def _process_names(self, keys) -> dict[str, str]:
        """The name of each key's latest version."""
        if not keys:
            return {}
        latest = select(ProcessDefinition.key, func.max(ProcessDefinition.version).label("version")) \
            .where(ProcessDefinition.key.in_(list(keys))).group_by(ProcessDefinition.key).subquery()
        return dict(self.session.execute(select(ProcessDefinition.key, ProcessDefinition.name).join(
            latest, (ProcessDefinition.key == latest.c.key) & (ProcessDefinition.version == latest.c.version))).all())

    def _weeks(self, now: datetime) -> list[Week]:
        starts = week_starts(now)
        started = self._per_week(ProcessInstance.started_at, starts, now)
        completed = self._per_week(ProcessInstance.ended_at, starts, now, ProcessInstance.state == "completed")
        return [Week(start, started.get(i, 0), completed.get(i, 0)) for i, start in enumerate(starts)]

    def _per_week(self, column, starts: list[datetime], now: datetime, *conditions) -> dict[int, int]:
        """{week index: instances whose `column` falls in that week}; grouped over a subquery, as
        PostgreSQL will not group by an expression whose parameters are bound twice."""
        weeks = select(_bucket_of(column, starts).label("week")) \
            .where(column >= starts[0], column <= now, *conditions).subquery()
        return dict(self.session.execute(select(weeks.c.week, func.count()).group_by(weeks.c.week)).all())
