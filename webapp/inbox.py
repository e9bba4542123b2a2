"""The inbox: the open tasks assigned to me and those my roles let me claim, sorted by due date
or age, filtered by process, a page at a time. It reads the engine's task rows only
(`uow.tasks.list`); no workflow is loaded to draw it."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from engine.process_texts import task_in
from webapp.auth import signed_in_only
from webapp.engine_access import actor, engine, unit_of_work
from webapp.i18n import page_language
from webapp.form_rendering.instructions import summary
from webapp.task_routing import standing, task_url

bp = Blueprint("inbox", __name__)
signed_in_only(bp)

SHOWS = {"all": _l("Assigned to me and open to claim"), "mine": _l("Assigned to me only")}
ORDERS = {"created": _l("Age (oldest first)"), "due": _l("Due date (soonest first)")}
MAX_PER_PAGE = 100



def whole_number(text: str | None, default: int, highest: int | None = None) -> int:
    """A page number or size from the query string; anything odd falls back to the default."""
    number = int(text) if text and text.isdigit() and int(text) > 0 else default
    return min(number, highest) if highest else number


@bp.get("/inbox")
def index():
    who = actor()
    show = request.args.get("show") if request.args.get("show") in SHOWS else "all"
    order = request.args.get("order") if request.args.get("order") in ORDERS else "created"
    process = request.args.get("process") or None
    page = whole_number(request.args.get("page"), 1)
    per_page = whole_number(request.args.get("per_page"), current_app.config.get("PER_PAGE", 20), MAX_PER_PAGE)
    with unit_of_work() as uow:
        tasks = uow.tasks.list(who, scope="mine" if show == "mine" else "candidate", process_key=process,
                               order=order, page=page, per_page=per_page, with_total=False)
        counts = uow.tasks.counts(who, process_key=process)
        processes = {d.key: d.name for d in uow.repository.latest()}
    now = engine().clock.now()
    filters = {"show": show, "order": order, "process": process or "", "per_page": per_page}
    (assigned, _), (claimable, capped) = counts["assigned"], counts["claimable"]
    listed = assigned if show == "mine" else assigned + claimable
    pages = max(1, -(-listed // per_page))
    return render_template(
        "inbox/index.html", tasks=tasks, rows=[(t, standing(t, now), task_url(t)) for t in tasks.items],
        summaries={t.id: summary(task_in(t, page_language()).instructions, t.data) for t in tasks.items},
        assigned=assigned, claimable=claimable, claimable_capped=capped, listed=listed, processes=processes,
        filters=filters,
        shows=SHOWS, orders=ORDERS, pages=pages,
        page_url=lambda number: url_for("inbox.index", **filters, page=number))
