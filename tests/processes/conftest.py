"""Shared steps for the process tests: deploy the real processes/ and forms/, then act as
the people of each role, through the engine's services only."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from engine import Actor, PermissionDenied

ROOT = Path(__file__).resolve().parents[2]
MANAGER = Actor("process.manager", frozenset({"manager"}))
_INSTRUCTIONS = SandboxedEnvironment(undefined=StrictUndefined)


@pytest.fixture(params=["sqlite"])
def database_url(tmp_path, sqlite_template):
    """SQLite only: these tests are about the processes, not persistence, which the engine's tests
    check on both databases (overrides tests/conftest.py; the id keeps `-k sqlite` working)."""
    path = tmp_path / "engine.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


_DIRECTORY: dict[str, set[str]] = {}


def person(username: str, *roles: str) -> Actor:
    """Someone the tests act as; they are also in the directory, since forms name people from it."""
    _DIRECTORY.setdefault(username, set()).update(roles)
    return Actor(username, frozenset(roles))


@pytest.fixture
def processes(engine):
    """The Secretariat's processes and forms, deployed as `secretariat deploy processes/ forms/` does,
    and every person of the tests in the directory (without a password: they never sign in)."""
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy_paths([ROOT / "processes", ROOT / "forms"], actor=MANAGER)
        for username, roles in _DIRECTORY.items():
            uow.identity.add_user(username, sorted(roles), display_name=username.replace(".", " ").title())
        uow.commit()
    return result


def start(engine, key: str, actor: Actor, **data):
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start(key, actor=actor, data=data)
        uow.commit()
    return instance


def get(engine, instance_id: int):
    with engine.unit_of_work() as uow:
        return uow.runtime.get(instance_id)


def render_instructions(task) -> str:
    """What the person sees above the form; fails on any name the task data lacks."""
    return _INSTRUCTIONS.from_string(task.instructions or "").render(**task.data)


def complete(engine, task, actor: Actor, data: dict):
    """Read the instructions as the person would, then submit the form; returns the instance."""
    assert render_instructions(task).strip(), f"{task.element_id} has no instructions"
    with engine.unit_of_work() as uow:
        result = uow.tasks.complete(task.id, actor, data)
        uow.commit()
    return result.process_instance


def refused(engine, task, actor: Actor) -> bool:
    """True when `actor` may not complete `task` (and nothing changed)."""
    with engine.unit_of_work() as uow:
        try:
            uow.tasks.complete(task.id, actor, {})
        except PermissionDenied:
            return True
    return False


def tasks_at(engine, instance_id: int, element_id: str) -> list:
    return [t for t in get(engine, instance_id).open_tasks if t.element_id == element_id]


def the_task(engine, instance_id: int, element_id: str):
    found = tasks_at(engine, instance_id, element_id)
    assert len(found) == 1, f"expected one open {element_id}, found {[t.element_id for t in get(engine, instance_id).open_tasks]}"
    return found[0]


def assigned(engine, instance_id: int, element_id: str) -> dict:
    """The open instances of a per-person task, by assignee."""
    return {t.assignee: t for t in tasks_at(engine, instance_id, element_id)}


def history(engine, instance_id: int):
    with engine.unit_of_work() as uow:
        return uow.history.for_instance(instance_id)


def who_did(engine, instance_id: int) -> list[tuple[str, str]]:
    """(element, user) for every completed human task, in order."""
    return [(e.element_id, e.actor) for e in history(engine, instance_id) if e.event == "task_completed"]


def fire_timers(engine, clock, until) -> list[int]:
    clock.set(until)
    return engine.run_due_jobs()
