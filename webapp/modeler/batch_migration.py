"""Administrators move every running instance of a process to one version, from the process's
versions page: a dry run lists each instance and whether it can move (or why not), then the
migration itself; the engine decides who may and what can move (engine/services/migration)."""
from __future__ import annotations

from flask import render_template, request

from webapp.engine_access import actor, engine, unit_of_work
from webapp.modeler import bp


def _render(key: str, outcomes, dry_run: bool):
    with unit_of_work() as uow:
        rows = uow.repository.versions(key)
        people = {user.username: user.display_name for user in uow.identity.list()}
    return render_template("modeler/versions.html", key=key, versions=rows, people=people, batch=outcomes,
                           batch_dry_run=dry_run)


@bp.post("/processes/<key>/migrate/check")
def check_batch_migration(key: str):
    to_version = request.form.get("to_version", type=int)
    with unit_of_work() as uow:
        outcomes = uow.migration.migrate_process(key, actor(), to_version, dry_run=True)
    return _render(key, outcomes, True)


@bp.post("/processes/<key>/migrate")
def batch_migration(key: str):
    to_version = request.form.get("to_version", type=int)
    outcomes = engine().attempt(lambda uow: uow.migration.migrate_process(key, actor(), to_version))
    return _render(key, outcomes, False)
