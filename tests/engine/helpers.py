"""Short verbs for engine tests: each runs one unit of work and commits."""
from __future__ import annotations

from engine import Actor

CLERK = Actor("claire", frozenset({"Clerk"}))
OTHER_CLERK = Actor("colin", frozenset({"Clerk"}))
DIRECTOR = Actor("diane", frozenset({"Director"}))
OUTSIDER = Actor("otto", frozenset({"Translator"}))
TRANSLATORS = [Actor(f"translator{i}", frozenset({"Translator"})) for i in range(3)]


def start(engine, key, actor=CLERK, **data):
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start(key, actor=actor, data=data)
        uow.commit()
    return instance


def complete(engine, task_id, actor=CLERK, data=None):
    with engine.unit_of_work() as uow:
        result = uow.tasks.complete(task_id, actor, data or {})
        uow.commit()
    return result


def get(engine, instance_id):
    with engine.unit_of_work() as uow:
        return uow.runtime.get(instance_id)


def history(engine, instance_id):
    with engine.unit_of_work() as uow:
        return uow.history.for_instance(instance_id)


def events(engine, instance_id):
    return [e.event for e in history(engine, instance_id)]


def open_tasks(engine, actor, **filters):
    with engine.unit_of_work() as uow:
        return uow.tasks.list(actor, **filters).items
