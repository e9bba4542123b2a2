"""Reassigning and delegating tasks over the API (issue 12): who may move a task to whom,
what the history keeps, and what each answer says."""
from __future__ import annotations

import uuid

from tests.webapp.api.client import start


def _task(instance: dict) -> str:
    return instance["open_tasks"][0]["id"]


def _moves(api, instance_id: int) -> list[dict]:
    history = api.get(f"/process-instances/{instance_id}/history").json
    return [e for e in history if e["event"] in ("task_assigned", "task_delegated")]


def test_an_administrator_assigns_an_open_task_to_a_holder_of_its_lane(api_as, approval):
    task_id = _task(approval)
    answer = api_as("ada").post(f"/tasks/{task_id}/assign", {"username": "colin", "reason": "Claire is on leave"})
    assert answer.status == 200 and answer.json["assignee"] == "colin"
    [event] = _moves(api_as("ada"), approval["id"])
    assert (event["event"], event["actor"]) == ("task_assigned", "ada")
    assert event["data"] == {"from": None, "to": "colin", "assignee": "colin", "reason": "Claire is on leave"}
    assert api_as("colin").get(f"/tasks/{task_id}").json["can_complete"] is True


def test_a_manager_moves_a_claimed_task_and_the_history_says_from_whom(api_as, approval):
    task_id = _task(approval)
    api_as("claire").post(f"/tasks/{task_id}/claim")
    assert api_as("mara").post(f"/tasks/{task_id}/assign", {"username": "colin"}).json["assignee"] == "colin"
    [event] = _moves(api_as("mara"), approval["id"])
    assert event["data"] == {"from": "claire", "to": "colin", "assignee": "colin", "reason": None}
    assert api_as("claire").post(f"/tasks/{task_id}/complete", {"data": {}}).status == 403


def test_the_claimant_delegates_to_a_colleague_of_the_same_role(api_as, approval):
    task_id = _task(approval)
    claire = api_as("claire")
    assert claire.get(f"/tasks/{task_id}").json["can_assign"] is False  # not hers yet
    assert claire.post(f"/tasks/{task_id}/claim").json["can_assign"] is True
    answer = claire.post(f"/tasks/{task_id}/assign", {"username": "colin", "reason": "He knows the file"})
    assert answer.status == 200 and answer.json["assignee"] == "colin" and answer.json["can_assign"] is False
    [event] = _moves(claire, approval["id"])
    assert event["event"] == "task_delegated" and event["data"]["reason"] == "He knows the file"


def test_assigning_to_someone_without_the_lane_role_is_422_and_changes_nothing(api_as, approval):
    task_id = _task(approval)
    answer = api_as("ada").post(f"/tasks/{task_id}/assign", {"username": "diane"})
    assert answer.status == 422 and answer.json["errors"][0]["field"] == "username"
    assert api_as("ada").post(f"/tasks/{task_id}/assign", {"username": "nobody"}).status == 422
    assert api_as("ada").post(f"/tasks/{task_id}/assign", {}).status == 422
    assert api_as("ada").get(f"/tasks/{task_id}").json["assignee"] is None
    assert _moves(api_as("ada"), approval["id"]) == []


def test_others_may_not_assign_and_unknown_or_closed_tasks_answer_so(api_as, approval):
    task_id = _task(approval)
    assert api_as("colin").post(f"/tasks/{task_id}/assign", {"username": "colin"}).status == 403
    assert api_as("diane").post(f"/tasks/{task_id}/assign", {"username": "claire"}).status == 403
    api_as("claire").post(f"/tasks/{task_id}/claim")
    assert api_as("colin").post(f"/tasks/{task_id}/assign", {"username": "colin"}).status == 403
    assert api_as("ada").post(f"/tasks/{uuid.uuid4()}/assign", {"username": "colin"}).status == 404
    api_as("claire").post(f"/tasks/{task_id}/complete", {"data": {"title": "Booths", "amount": 3}})
    closed = api_as("ada").post(f"/tasks/{task_id}/assign", {"username": "colin"})
    assert closed.status == 409 and closed.json["state"] == "completed"


def test_a_task_the_process_gave_to_one_person_is_movable_by_an_administrator_only(api_as, engine, deploy, tmp_path):
    (tmp_path / "named.bpmn").write_text(NAMED_TASK)
    deploy("named.bpmn", folder=tmp_path)
    instance = start(api_as("claire"), "named_task", {"author": "claire"})
    task = instance["open_tasks"][0]
    assert task["assignee"] == "claire" and task["can_assign"] is False
    assert api_as("claire").post(f"/tasks/{task['id']}/assign", {"username": "colin"}).status == 403
    assert api_as("ada").post(f"/tasks/{task['id']}/assign", {"username": "colin"}).json["assignee"] == "colin"
    assert api_as("colin").post(f"/tasks/{task['id']}/complete", {"data": {}}).status == 200


NAMED_TASK = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="named_defs"
    targetNamespace="http://spiffworkflow.org/bpmn/schema/1.0/core">
  <bpmn:process id="named_task" name="A task given to one person" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="lane_clerk" name="Clerk">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>draft</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="draft" name="Draft">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="assignee" value="author"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="draft"/>
    <bpmn:sequenceFlow id="f2" sourceRef="draft" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
