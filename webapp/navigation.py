"""The header's links, drawn from one place: each link with the rule that says who may open its
page, so nobody is shown a door that answers 403 (a user with no roles sees no "Start a
process" and no "Bureau"). The rules are the engine's (engine.services.access, the
definitions' start roles); a link whose blueprint is not installed is left out."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine.services.access import sees_everything
from engine.views import Actor

BUREAU_ROLE = "Bureau"  # the Bureau's lane (webapp/bureau.py)


@dataclass(frozen=True)
class Link:
    endpoint: str
    label: str
    url: str
    current: bool


def _anyone(actor: Actor) -> bool:
    return True


def _may_start_something(actor: Actor) -> bool:
    """At least one process this user may start (its first lane's role, or an unlaned one)."""
    from webapp.engine_access import unit_of_work
    from webapp.process_names import latest_definitions
    if "latest_definitions" in g:  # the page read them already
        return any(d.can_start(actor) for d in g.latest_definitions)
    with unit_of_work() as uow:
        return any(d.can_start(actor) for d in latest_definitions(uow))


def _bureau_member(actor: Actor) -> bool:
    return BUREAU_ROLE in actor.roles or sees_everything(actor)


def _manager(actor: Actor) -> bool:
    return sees_everything(actor)


def _administrator(actor: Actor) -> bool:
    return actor.is_admin


# (endpoint, label, who may open it), in the order the header shows them.
LINKS: tuple[tuple[str, object, Callable[[Actor], bool]], ...] = (
    ("inbox.index", _l("Inbox"), _anyone),
    ("processes.index", _l("Start a process"), _may_start_something),
    ("instances.index", _l("Instances"), _anyone),
    ("bureau.index", _l("Bureau"), _bureau_member),
    ("dashboard.index", _l("Dashboard"), _manager),
    ("modeler.index", _l("Modeler"), _manager),
    ("admin.users", _l("Administration"), _administrator),
)


def links_for(actor: Actor) -> list[Link]:
    """The links `actor` may follow, the current page's area marked."""
    area = (request.endpoint or "").split(".")[0]
    return [Link(endpoint, str(label), url_for(endpoint), area == endpoint.split(".")[0])
            for endpoint, label, may_open in LINKS
            if endpoint in current_app.view_functions and may_open(actor)]


def navigation() -> list[Link]:
    """For the header: computed once per request, empty when nobody is signed in."""
    if not current_user.is_authenticated:
        return []
    if "navigation" not in g:
        g.navigation = links_for(current_user.actor)
    return g.navigation


def init_app(app: Flask) -> None:
    app.jinja_env.globals["navigation"] = navigation
