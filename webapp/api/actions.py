"""One engine action per request, in one unit of work, committed.

When another request changed the same instance meanwhile, the engine raises Conflict without
a state and nothing is kept. The action is then run again on the fresh state, a few times:
completing a task of one parallel branch must not fail because someone completed the other
branch at the same moment. If the other request did the very same thing (completed this
task), the new run fails for that reason, with the state, which is what the caller needs."""
from __future__ import annotations

from typing import Callable, TypeVar

from webapp.engine_access import engine

T = TypeVar("T")
ATTEMPTS = 3


def committed(action: Callable[..., T], stale_states: tuple[str, ...] = ()) -> T:
    """`stale_states`: states that, in a Conflict, only show the action read its row before the
    other request committed (a task still "open" that can no longer be completed)."""
    return engine().attempt(action, attempts=ATTEMPTS, stale_states=stale_states)
