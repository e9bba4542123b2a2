"""The engine behind the app, and the signed-in user as the engine's `Actor`."""
from __future__ import annotations

from flask import current_app
from flask_login import current_user

from engine import Actor, Engine, UnitOfWork


def engine() -> Engine:
    return current_app.extensions["engine"]


def unit_of_work() -> UnitOfWork:
    """One transaction per request action: `with unit_of_work() as uow: ...; uow.commit()`."""
    return engine().unit_of_work()


def actor() -> Actor:
    return current_user.actor


def read_bounded(given) -> bytes:
    """An uploaded file's bytes, read no further than one byte past the size limit: the engine
    refuses anything longer, so a huge upload is never held in memory whole."""
    return given.stream.read(engine().context.attachments.max_bytes + 1)
