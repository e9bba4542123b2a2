"""The versions page's batch migration for administrators: a dry run per instance, then the move."""
from __future__ import annotations

from tests.engine.approval_versions import with_added_task
from tests.engine.helpers import get, start

FILES = ("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json")


def test_an_administrator_checks_then_migrates_every_running_instance_of_a_process(browser_as, deploy, engine,
                                                                                  tmp_path):
    deploy(*FILES)
    first, second = start(engine, "approval"), start(engine, "approval")
    (tmp_path / "approval.bpmn").write_text(with_added_task())
    deploy("approval.bpmn", folder=tmp_path)
    ada = browser_as("ada")
    assert "Check (dry run)" in ada.get("/modeler/processes/approval/versions").get_data(as_text=True)
    assert "Check (dry run)" not in browser_as("mara").get("/modeler/processes/approval/versions").get_data(as_text=True)

    checked = ada.client.post("/modeler/processes/approval/migrate/check", data={"to_version": 2, "csrf_token": ada.csrf})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and page.count("<td>can move</td>") == 2 and "Migrate those that can move to version 2" in page
    assert get(engine, first.id).version == 1
    moved = ada.client.post("/modeler/processes/approval/migrate", data={"to_version": 2, "csrf_token": ada.csrf})
    assert moved.status_code == 200 and moved.get_data(as_text=True).count("<td>moved</td>") == 2
    assert get(engine, first.id).version == get(engine, second.id).version == 2
    mara = browser_as("mara")
    refused = mara.client.post("/modeler/processes/approval/migrate/check", data={"to_version": 2,
                                                                                "csrf_token": mara.csrf})
    assert refused.status_code == 403
