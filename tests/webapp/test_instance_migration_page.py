"""The instance page's migration for administrators: a dry run, then the move."""
from __future__ import annotations

from tests.engine.approval_versions import APPROVAL_XML, with_added_task
from tests.engine.helpers import start

FILES = ("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json")


def test_an_administrator_checks_then_migrates_and_others_see_no_such_buttons(browser_as, deploy, engine, tmp_path):
    deploy(*FILES)
    instance = start(engine, "approval")
    (tmp_path / "approval.bpmn").write_text(with_added_task())
    deploy("approval.bpmn", folder=tmp_path)
    ada = browser_as("ada")
    page = ada.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Check the migration (dry run)" in page and "version 2 is the latest" in page
    assert "Check the migration" not in browser_as("mara").get(f"/instances/{instance.id}").get_data(as_text=True)

    checked = ada.client.post(f"/instances/{instance.id}/migrate/check", data={"to_version": 2, "csrf_token": ada.csrf})
    assert checked.status_code == 200 and "can move from version 1 to version 2" in checked.get_data(as_text=True)
    assert browser_as("mara").client.post(f"/instances/{instance.id}/migrate",
                                          data={"to_version": 2}).status_code in (400, 403)
    moved = ada.client.post(f"/instances/{instance.id}/migrate", data={"to_version": 2, "csrf_token": ada.csrf})
    assert moved.status_code == 302
    after = ada.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "now runs version 2" in after and "Instance migrated" in after


def test_a_dry_run_that_cannot_move_lists_the_elements_and_why(browser_as, deploy, engine, tmp_path):
    deploy(*FILES)
    instance = start(engine, "approval")
    submit_task = APPROVAL_XML[APPROVAL_XML.index('<bpmn:userTask id="submit_request"'):
                               APPROVAL_XML.index('<bpmn:userTask id="review_request"')]
    (tmp_path / "approval.bpmn").write_text(APPROVAL_XML.replace(submit_task, "").replace(
        "<bpmn:flowNodeRef>submit_request</bpmn:flowNodeRef>", "").replace(
        '<bpmn:sequenceFlow id="flow_submitted" sourceRef="submit_request" targetRef="review_request" />', "")
        .replace('targetRef="submit_request"', 'targetRef="review_request"'))
    deploy("approval.bpmn", folder=tmp_path)
    ada = browser_as("ada")
    checked = ada.client.post(f"/instances/{instance.id}/migrate/check", data={"to_version": 2, "csrf_token": ada.csrf})
    text = checked.get_data(as_text=True)
    assert "cannot move from version 1 to version 2" in text and "submit_request" in text
    assert "no longer exists in the new version" in text
