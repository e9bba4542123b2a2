"""Migrating instances over the API: administrators only, a dry run first, problems listed."""
from __future__ import annotations

from tests.engine.approval_versions import with_added_task
from tests.engine.helpers import start


def test_an_administrator_dry_runs_then_migrates_an_instance_and_a_whole_process(api_as, deploy, engine, tmp_path):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json")
    first, second = start(engine, "approval"), start(engine, "approval")
    (tmp_path / "approval.bpmn").write_text(with_added_task())
    deploy("approval.bpmn", folder=tmp_path)
    ada = api_as("ada")

    dry = ada.post(f"/process-instances/{first.id}/migrate", {"dry_run": True})
    assert dry.status == 200 and dry.json == {"instance_id": first.id, "from_version": 1, "to_version": 2,
                                              "migrated": True, "dry_run": True, "problems": []}
    assert ada.get(f"/process-instances/{first.id}").json["version"] == 1
    done = ada.post(f"/process-instances/{first.id}/migrate", {"to_version": 2})
    assert done.json["migrated"] is True and ada.get(f"/process-instances/{first.id}").json["version"] == 2
    again = ada.post(f"/process-instances/{first.id}/migrate")
    assert again.json["migrated"] is False and "already runs version 2" in again.json["problems"][0]["message"]
    history = ada.get(f"/process-instances/{first.id}/history").json
    assert any(e["event"] == "instance_migrated" for e in history)

    batch = ada.post("/process-definitions/approval/migrate", {})
    assert [(o["instance_id"], o["migrated"]) for o in batch.json] == [(second.id, True)]


def test_others_are_refused_and_bad_options_are_invalid(api_as, deploy, engine):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    assert api_as("mara").post(f"/process-instances/{instance.id}/migrate", {"dry_run": True}).status == 403
    assert api_as("claire").post("/process-definitions/approval/migrate", {}).status == 403
    bad = api_as("ada").post(f"/process-instances/{instance.id}/migrate", {"dry_run": "yes", "to_version": 0})
    assert bad.status == 422 and {e["field"] for e in bad.json["errors"]} == {"dry_run", "to_version"}
    assert api_as("ada").post(f"/process-instances/{instance.id}/migrate", {"to_version": 9}).status == 404
    assert api_as("ada").post("/process-definitions/nothing/migrate", {}).status == 404
