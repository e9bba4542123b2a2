"""The directory for pickers: active users, by role and text. Any signed-in user may search it,
as anyone filling in a form may have to name a colleague of another role."""
from __future__ import annotations

from webapp.api.blueprint import answer, bp
from webapp.api.params import Query
from webapp.engine_access import unit_of_work


@bp.get("/users")
def list_users():
    query = Query()
    role, text = query.text("role"), query.text("q")
    page, per_page = query.pages()
    query.done()
    with unit_of_work() as uow:
        result = uow.directory.search(role, text, page, per_page)
    return answer({"items": result.items, "total": result.total, "page": result.page, "per_page": result.per_page})
