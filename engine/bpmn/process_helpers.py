"""The functions SpiffArena's scripts call, answered from the engine's own identity data.

Real SpiffArena models call `get_current_user()`, `get_process_initiator_user()`,
`get_group_members("...")`... in scripts and conditions. They are offered to every script
here, with the engine's meaning: the current user is the person whose action is running the
step (none for a timer), the initiator is who started the instance, a group is a role. The
engine supplies the facts around each step (`acting_in`, `directory_in`); the helpers only
read them, so a script learns nothing it could not be told in its task data."""
from __future__ import annotations

import contextlib
import contextvars
from datetime import date, timedelta
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class StepSurroundings:
    username: str | None = None
    roles: tuple[str, ...] = ()
    initiator: str | None = None
    instance_id: int | None = None
    process_key: str | None = None


_step: contextvars.ContextVar[StepSurroundings] = contextvars.ContextVar(
    "secretariat_step", default=StepSurroundings())
_directory: contextvars.ContextVar[Callable[[str], list[str]] | None] = contextvars.ContextVar(
    "secretariat_directory", default=None)


@contextlib.contextmanager
def acting_in(actor, instance):
    """Within the block, scripts see `actor` (an engine Actor or None) acting on `instance`."""
    token = _step.set(StepSurroundings(
        username=getattr(actor, "username", None), roles=tuple(sorted(getattr(actor, "roles", ()) or ())),
        initiator=getattr(instance, "started_by", None), instance_id=getattr(instance, "id", None),
        process_key=getattr(instance, "process_key", None)))
    try:
        yield
    finally:
        _step.reset(token)


@contextlib.contextmanager
def directory_in(members_of: Callable[[str], list[str]]):
    token = _directory.set(members_of)
    try:
        yield
    finally:
        _directory.reset(token)


def get_current_user() -> dict | None:
    step = _step.get()
    return {"username": step.username, "roles": list(step.roles)} if step.username else None


def get_process_initiator_user() -> dict | None:
    step = _step.get()
    return {"username": step.initiator} if step.initiator else None


def get_group_members(group: str) -> list[str]:
    members_of = _directory.get()
    return sorted(members_of(str(group))) if members_of is not None else []


def get_process_info() -> dict:
    step = _step.get()
    return {"process_instance_id": step.instance_id, "process_model_identifier": step.process_key}


def due_in(days, counted_from: str | None = None) -> str:
    """The date (ISO) `days` days after `counted_from` (an ISO date), or after today by the
    engine's clock, so that a task's `dueDate` is counted in data, from offsets a decision
    table holds (`processes/step_deadlines.dmn`), and tests can move time."""
    from engine.bpmn.workflow import engine_now  # the clock lives with the workflow fixes
    start = date.fromisoformat(str(counted_from)[:10]) if counted_from else engine_now().date()
    return (start + timedelta(days=int(days))).isoformat()


def get_toggle(name: str, default=False):
    """SpiffArena's feature toggles: none are configured in this engine, so the default."""
    return default


HELPERS = {f.__name__: f for f in (get_current_user, get_process_initiator_user, get_group_members,
                                   get_process_info, get_toggle, due_in)}
