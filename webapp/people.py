"""The names people read instead of user names, on every page: `{{ username | person }}`.

The directory is read once per request, and only for the names a page shows."""
from __future__ import annotations

from flask import g

from webapp.engine_access import unit_of_work


def display_names(usernames) -> dict[str, str]:
    """{user name: display name} for those known (cached for the request)."""
    known: dict = g.setdefault("display_names", {})
    wanted = {u for u in usernames if u and u not in known}
    if wanted:
        with unit_of_work() as uow:
            found = uow.directory.display_names(wanted)
        for username in wanted:
            known[username] = found.get(username, username)
    return {u: known[u] for u in usernames if u in known}


def person(username: str | None) -> str | None:
    """A user name as the name people read (the user name itself when unknown)."""
    if not username:
        return username
    return display_names([username]).get(username, username)


def init_app(app) -> None:
    app.add_template_filter(person, "person")
