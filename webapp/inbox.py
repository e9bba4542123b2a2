"""The inbox: the open tasks assigned to me and those my roles let me claim, sorted by due date
or age, filtered by process, a page at a time. It reads the engine's task rows only
(`uow.tasks.list`); no workflow is loaded to draw it."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from engine.process_texts import task_in
from engine.views import BUILTIN_ROLES
from webapp.auth import signed_in_only
from webapp.engine_access import actor, engine, unit_of_work
from webapp.i18n import page_language
from webapp.process_names import in_language, latest_definitions
from webapp.form_rendering.instructions import summary
from webapp.task_routing import standing, task_url

bp = Blueprint("inbox", __name__)
signed_in_only(bp)

SHOWS = {"all": _l("Assigned to me and open to claim"), "mine": _l("Assigned to me only")}
ORDERS = {"created": _l("Age (oldest first)"), "due": _l("Due date (soonest first)")}
DUES = {"": _l("Any due date"), "overdue": _l("Past their due date"), "week": _l("Due this week")}
FOLLOW_UPS = {"hide": _l("Not set aside"), "only": _l("Set aside (follow-up)"), "include": _l("Both")}
FINDING = ("q", "lane", "due", "assignee")
MAX_PER_PAGE = 100



def whole_number(text: str | None, default: int, highest: int | None = None) -> int:
    """A page number or size from the query string; anything odd falls back to the default."""
    number = int(text) if text and text.isdigit() and int(text) > 0 else default
    return min(number, highest) if highest else number


def finding_filters(args) -> dict:
    """The search and filters of issue 12 as given in the query string (unknown choices dropped)."""
    found = {key: (args.get(key) or "").strip()[:255] for key in FINDING}
    found["due"] = found["due"] if found["due"] in DUES else ""
    found["follow_up"] = args.get("follow_up") if args.get("follow_up") in FOLLOW_UPS else "hide"
    return found


def _saved_filter_query(saved) -> dict:
    """A saved filter (GET /tasks parameters) as this page's query string."""
    query = {k: v for k, v in saved.filters.items() if k in (*FINDING, "follow_up") and v != "hide"}
    if saved.filters.get("process_key"):
        query["process"] = saved.filters["process_key"]
    query["show"] = "mine" if saved.filters.get("scope") == "mine" else "all"
    return query


@bp.get("/inbox")
def index():
    who = actor()
    show = request.args.get("show") if request.args.get("show") in SHOWS else "all"
    order = request.args.get("order") if request.args.get("order") in ORDERS else "created"
    process = request.args.get("process") or None
    found = finding_filters(request.args)
    finding = any(found[k] for k in FINDING) or found["follow_up"] != "hide"
    page = whole_number(request.args.get("page"), 1)
    per_page = whole_number(request.args.get("per_page"), current_app.config.get("PER_PAGE", 20), MAX_PER_PAGE)
    with unit_of_work() as uow:
        tasks = uow.tasks.list(who, scope="mine" if show == "mine" else "candidate", process_key=process,
                               order=order, page=page, per_page=per_page, with_total=finding,
                               text=found["q"] or None, lane=found["lane"] or None, due=found["due"] or None,
                               assignee=found["assignee"] or None, follow_up=found["follow_up"], with_forms=False)
        counts = uow.tasks.counts(who, process_key=process)
        processes = {d.key: d.name for d in in_language(uow, latest_definitions(uow), page_language())}
        saved = uow.saved_filters.list(who)
    now = engine().clock.now()
    filters = {"show": show, "order": order, "process": process or "", "per_page": per_page,
               **{k: v for k, v in found.items() if v and not (k == "follow_up" and v == "hide")}}
    (assigned, _), (claimable, capped) = counts["assigned"], counts["claimable"]
    listed = tasks.total if finding else (assigned if show == "mine" else assigned + claimable)
    pages = max(1, -(-listed // per_page))
    current = {k: v for k, v in filters.items() if k not in ("order", "per_page") and v}
    tabs = [(f, _saved_filter_query(f)) for f in saved]
    return render_template(
        "inbox/index.html", tasks=tasks, rows=[(t, standing(t, now), task_url(t)) for t in tasks.items],
        summaries={t.id: summary(task_in(t, page_language()).instructions, t.data) for t in tasks.items},
        assigned=assigned, claimable=claimable, claimable_capped=capped, listed=listed, processes=processes,
        filters=filters, found=found, finding=finding, lanes=sorted(who.roles - BUILTIN_ROLES),
        dues=DUES, follow_ups=FOLLOW_UPS, tabs=tabs, current_tab=next(
            (f.id for f, q in tabs if {k: v for k, v in q.items() if v} == current), None),
        shows=SHOWS, orders=ORDERS, pages=pages,
        page_url=lambda number: url_for("inbox.index", **filters, page=number))
