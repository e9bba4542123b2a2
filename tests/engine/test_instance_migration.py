"""Migrating running instances to a new version: a dry run first, then the move, in history."""
from __future__ import annotations

import pytest

from engine import PermissionDenied
from tests.conftest import ADMIN, MANAGER
from tests.engine.approval_versions import APPROVAL_XML, with_added_task
from tests.engine.helpers import CLERK, DIRECTOR, complete, events, get, history, open_tasks, start

FILES = ("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json")
REQUEST = {"title": "Chairs", "amount": 100, "justification": "worn out"}


def deploy_version(deploy, tmp_path, xml: str):
    (tmp_path / "approval.bpmn").write_text(xml)
    return deploy("approval.bpmn", folder=tmp_path)


def migrate(engine, instance_id, **options):
    with engine.unit_of_work() as uow:
        outcome = uow.migration.migrate_instance(instance_id, ADMIN, **options)
        uow.commit()
    return outcome


def test_a_running_instance_moves_to_a_version_with_an_added_task_and_completes_through_it(engine, deploy, tmp_path):
    deploy(*FILES)
    instance = start(engine, "approval")
    deploy_version(deploy, tmp_path, with_added_task())

    dry = migrate(engine, instance.id, dry_run=True)
    assert (dry.migrated, dry.dry_run, dry.from_version, dry.to_version, dry.problems) == (True, True, 1, 2, [])
    assert get(engine, instance.id).version == 1 and "instance_migrated" not in events(engine, instance.id)

    done = migrate(engine, instance.id)
    assert (done.migrated, done.dry_run) == (True, False)
    assert get(engine, instance.id).version == 2
    [moved] = [e for e in history(engine, instance.id) if e.event == "instance_migrated"]
    assert moved.data == {"from_version": 1, "to_version": 2} and moved.actor == "ada"

    [submit] = open_tasks(engine, CLERK)
    complete(engine, submit.id, CLERK, REQUEST)
    [check] = open_tasks(engine, CLERK)
    assert check.element_id == "check_request"
    complete(engine, check.id, CLERK, {"note": "looked fine"})
    assert [t.element_id for t in open_tasks(engine, DIRECTOR)] == ["review_request"]


def test_a_dry_run_lists_a_waiting_task_whose_element_is_gone_and_nothing_moves(engine, deploy, tmp_path):
    deploy(*FILES)
    instance = start(engine, "approval")
    submit_task = APPROVAL_XML[APPROVAL_XML.index('<bpmn:userTask id="submit_request"'):
                               APPROVAL_XML.index('<bpmn:userTask id="review_request"')]
    without_submit = APPROVAL_XML.replace(submit_task, "").replace(
        "<bpmn:flowNodeRef>submit_request</bpmn:flowNodeRef>", "").replace(
        '<bpmn:sequenceFlow id="flow_submitted" sourceRef="submit_request" targetRef="review_request" />', "").replace(
        'targetRef="submit_request"', 'targetRef="review_request"')
    deploy_version(deploy, tmp_path, without_submit)
    outcome = migrate(engine, instance.id, dry_run=True)
    assert not outcome.migrated and [p.element_id for p in outcome.problems] == ["submit_request"]
    assert "no longer exists" in outcome.problems[0].message
    assert not migrate(engine, instance.id).migrated
    assert get(engine, instance.id).version == 1 and "instance_migrated" not in events(engine, instance.id)


def test_the_batch_moves_every_running_instance_of_a_process_to_the_latest_version(engine, deploy, tmp_path):
    deploy(*FILES)
    first, second = start(engine, "approval"), start(engine, "approval")
    with engine.unit_of_work() as uow:
        uow.runtime.cancel(second.id, ADMIN)
        uow.commit()
    third = start(engine, "approval")
    deploy_version(deploy, tmp_path, with_added_task())
    with engine.unit_of_work() as uow:
        outcomes = uow.migration.migrate_process("approval", ADMIN)
        uow.commit()
    assert [(o.instance_id, o.migrated) for o in outcomes] == [(first.id, True), (third.id, True)]
    assert get(engine, second.id).version == 1
    with engine.unit_of_work() as uow:
        assert uow.migration.migrate_process("approval", ADMIN, dry_run=True) == []


def test_only_administrators_migrate(engine, deploy, tmp_path):
    deploy(*FILES)
    instance = start(engine, "approval")
    with engine.unit_of_work() as uow, pytest.raises(PermissionDenied):
        uow.migration.migrate_instance(instance.id, MANAGER, dry_run=True)
    with engine.unit_of_work() as uow, pytest.raises(PermissionDenied):
        uow.migration.migrate_process("approval", CLERK)


def test_an_instance_with_an_event_subprocess_waiting_moves_and_the_subprocess_still_starts(engine, deploy, tmp_path):
    from tests.compat.conftest import MODELS
    deploy("event_subprocess_message.bpmn", folder=MODELS)
    instance = start(engine, "compat_event_subprocess_message")
    changed = (MODELS / "event_subprocess_message.bpmn").read_text().replace(
        'name="Log the amendment"', 'name="Log the amendment received"')
    (tmp_path / "event_subprocess_message.bpmn").write_text(changed)
    assert deploy("event_subprocess_message.bpmn", folder=tmp_path).definitions[0].version == 2
    assert migrate(engine, instance.id).migrated
    with engine.unit_of_work() as uow:
        assert uow.runtime.deliver_message("amendment_received", actor=ADMIN) == [instance.id]
        uow.commit()
    [edit] = get(engine, instance.id).open_tasks
    complete(engine, edit.id, CLERK)
    assert get(engine, instance.id).state == "completed" and "instance_migrated" in events(engine, instance.id)
