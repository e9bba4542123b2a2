"""Administrators move a running instance to another version of its process: a dry run
first (the instance page then lists what would refuse, or offers the migration), then the
migration itself, in one transaction. The engine decides who may and what can move."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from webapp.engine_access import actor, engine, unit_of_work
from webapp.instances import bp, render_instance


def _to_version() -> int | None:
    return request.form.get("to_version", type=int)


@bp.post("/instances/<int:instance_id>/migrate/check")
def check_migration(instance_id: int):
    with unit_of_work() as uow:
        outcome = uow.migration.migrate_instance(instance_id, actor(), _to_version(), dry_run=True)
    return render_instance(instance_id, migration_check=outcome)


@bp.post("/instances/<int:instance_id>/migrate")
def migrate(instance_id: int):
    outcome = engine().attempt(lambda uow: uow.migration.migrate_instance(instance_id, actor(), _to_version()))
    if outcome.migrated:
        flash(_("Instance %(id)s now runs version %(version)s.", id=instance_id, version=outcome.to_version),
              "success")
        return redirect(url_for("instances.show", instance_id=instance_id))
    return render_instance(instance_id, 409, migration_check=outcome)
