"""The managers' dashboard (/dashboard): open tasks by lane and age, overdue tasks by process,
instances started and completed per week. The counts come from the engine
(engine/services/dashboard.py); this module only names them and draws them as SVG charts
(webapp/svg_charts.py) beside tables of the same numbers. Managers and administrators only."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import format_date, format_datetime, gettext as _, lazy_gettext as _l, pgettext

from engine.services.dashboard import AGE_BUCKETS, Dashboard
from webapp.auth import signed_in_only
from webapp.engine_access import actor, unit_of_work
from webapp.svg_charts import Series, grouped_columns, stacked_bars

bp = Blueprint("dashboard", __name__)
signed_in_only(bp)

AGE_LABELS = {"under_1_day": _l("Under a day"), "1_to_7_days": _l("1 to 7 days"),
              "7_to_30_days": _l("7 to 30 days"), "over_30_days": _l("Over 30 days")}


def lane_label(lane: str | None) -> str:
    return lane or _("No lane")


def week_label(board: Dashboard, index: int) -> str:
    return format_date(board.weeks[index].starts, "d MMM")


def charts(board: Dashboard) -> dict:
    """The three charts, each with the same numbers as its table."""
    ages = [key for key, _ in AGE_BUCKETS]
    lanes = board.open_by_lane
    return {
        "open": stacked_bars(_("Open tasks by lane and age"), [lane_label(lane.lane) for lane in lanes],
                             [Series(str(AGE_LABELS[key]), [lane.by_age[key] for lane in lanes]) for key in ages]),
        "overdue": stacked_bars(_("Overdue tasks by process"), [o.process_name for o in board.overdue_by_process],
                                [Series(_("Overdue"), [o.count for o in board.overdue_by_process])]),
        "weeks": grouped_columns(_("Instances started and completed per week"),
                                 [week_label(board, i) for i in range(len(board.weeks))],
                                 [Series(pgettext("instances per week", "Started"), [w.started for w in board.weeks]),
                                  Series(pgettext("instances per week", "Completed"), [w.completed for w in board.weeks])]),
    }


@bp.get("/dashboard")
def index():
    with unit_of_work() as uow:
        board = uow.dashboard.summary(actor())
    return render_template("dashboard/index.html", board=board, charts=charts(board), ages=AGE_BUCKETS,
                           counted_at=format_datetime(board.at, "medium"),
                           age_labels=AGE_LABELS, lane_label=lane_label,
                           week_label=lambda index: week_label(board, index))
