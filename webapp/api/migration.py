"""Migrating running instances to another version of their process (administrators only),
one instance or every running instance of a process; `dry_run` says what would happen."""
from __future__ import annotations

from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.openapi_components import TEXT, array_of, errors, record, ref
from webapp.api.params import Body, definition_key, instance_number


def _options() -> tuple[int | None, bool]:
    body = Body(optional=True)
    to_version = body.integer("to_version")
    dry_run = body.fields.get("dry_run", False)
    if not isinstance(dry_run, bool):
        body.complain("dry_run", "must be true or false")
    body.done()
    return to_version, dry_run


@bp.post("/process-instances/<instance_id>/migrate")
def migrate_instance(instance_id: str):
    number = instance_number(instance_id)
    to_version, dry_run = _options()
    outcome = committed(lambda uow: uow.migration.migrate_instance(number, actor(), to_version, dry_run))
    return answer(outcome.as_dict())


@bp.post("/process-definitions/<key>/migrate")
def migrate_process(key: str):
    key = definition_key(key)
    to_version, dry_run = _options()
    outcomes = committed(lambda uow: uow.migration.migrate_process(key, actor(), to_version, dry_run))
    return answer([o.as_dict() for o in outcomes])


_DESCRIPTION = ("Administrators only. Moves {what} to `to_version` (default: the latest) with SpiffWorkflow's "
                "spec diff. With `dry_run: true` nothing changes and the answer says what would happen. An "
                "instance that cannot move (a ready or waiting task whose element the new version removed...) "
                "stays as it was: `migrated` is false and `problems` says why, at the elements of the old version. "
                "A migration is recorded in the instance's history as `instance_migrated`.")
_BODY = {"required": False, "content": {"application/json": {"schema": ref("MigrationRequest")}}}


def _operation(operation_id: str, summary: str, what: str, answer_schema: dict, parameter: str) -> dict:
    return {"operationId": operation_id, "tags": ["instances"], "summary": summary,
            "description": _DESCRIPTION.format(what=what), "parameters": [{"$ref": f"#/components/parameters/"
                                                                             f"{parameter}"}],
            "requestBody": _BODY, "responses": {
                "200": {"description": "what was (or would be) migrated",
                        "content": {"application/json": {"schema": answer_schema}}},
                **errors(401, 403, 404, 409, 413, 422)}}


PATHS = {
    "/process-instances/{instance_id}/migrate": {"post": _operation(
        "migrateInstance", "Migrate an instance to another version", "the instance", ref("MigrationOutcome"),
        "InstanceId")},
    "/process-definitions/{key}/migrate": {"post": _operation(
        "migrateProcessInstances", "Migrate every running instance of a process",
        "every running instance of the process not yet on that version (oldest first)",
        array_of("MigrationOutcome"), "Key")},
}

SCHEMAS = {
    "MigrationRequest": {**record("Which version, and whether only to try.", {
        "to_version": {"type": "integer", "minimum": 1, "description": "default: the latest version"},
        "dry_run": {"type": "boolean", "description": "true: change nothing, say what would happen"}},
        optional=("to_version", "dry_run"))},
    "MigrationOutcome": record("What happened (or would happen) to one instance.", {
        "instance_id": {"type": "integer"}, "from_version": {"type": "integer"}, "to_version": {"type": "integer"},
        "migrated": {"type": "boolean", "description": "moved (in a dry run: would move)"},
        "dry_run": {"type": "boolean"},
        "problems": {"type": "array", "description": "why it cannot move", "items": record(
            "One reason, at an element of the old version when there is one.", {
                "message": TEXT, "element_id": TEXT}, optional=("element_id",))}}),
}
