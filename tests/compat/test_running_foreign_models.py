"""Shapes other modelers draw that used to stall, crash or never finish, now run to the end."""
from __future__ import annotations

from engine import Actor
from engine.services.data_stores import DatabaseDataStores
from tests.compat.conftest import MODELS as MODELS_DIR, service_task_without_boundary
from tests.conftest import ADMIN
from tests.engine.helpers import complete, events, get, start

CLERK = Actor("claire", frozenset({"Clerk"}))


def run_due(engine):
    with engine.unit_of_work() as uow:
        fired = uow.jobs.run_due()
        uow.commit()
    return fired


def test_an_event_subprocess_catches_the_error_of_the_main_flow(engine, deploy_models):
    deploy_models("event_subprocess.bpmn")
    instance = start(engine, "compat_event_subprocess")
    assert instance.state == "completed" and instance.data["outsourced"] is True


def test_the_timer_behind_an_event_based_gateway_is_scheduled_and_fires(engine, deploy_models, clock):
    deploy_models("event_gateway_timer.bpmn")
    instance = start(engine, "compat_event_gateway_timer")
    with engine.unit_of_work() as uow:
        [job] = uow.jobs.list(instance_id=instance.id)
    assert job.element_id == "await_reply" and (job.due_at - clock.now()).days == 7
    clock.advance(days=7, seconds=1)
    assert run_due(engine) == [instance.id]
    done = get(engine, instance.id)
    assert done.state == "completed" and done.data["reminded"] is True


def test_the_message_behind_an_event_based_gateway_is_delivered(engine, deploy_models):
    deploy_models("event_gateway_timer.bpmn")
    instance = start(engine, "compat_event_gateway_timer")
    with engine.unit_of_work() as uow:
        assert uow.runtime.deliver_message("state_party_reply", actor=ADMIN) == [instance.id]
        uow.commit()
    done = get(engine, instance.id)
    assert done.state == "completed" and "reminded" not in done.data
    assert run_due(engine) == []


def test_a_timer_given_as_a_timedelta_expression_waits_that_long(engine, deploy_models, clock):
    text = (MODELS_DIR / "event_gateway_timer.bpmn").read_text()
    text = text.replace('"P7D"', "timedelta(seconds=30)").replace("compat_event_gateway_timer", "compat_timedelta")
    deploy_models(extra={"timedelta.bpmn": text.encode()})
    instance = start(engine, "compat_timedelta")
    with engine.unit_of_work() as uow:
        [job] = uow.jobs.list(instance_id=instance.id)
    assert (job.due_at - clock.now()).total_seconds() == 30


def test_a_timer_expression_of_the_wrong_type_puts_the_instance_in_error(engine, deploy_models):
    text = (MODELS_DIR / "event_gateway_timer.bpmn").read_text()
    text = text.replace('"P7D"', "7").replace("compat_event_gateway_timer", "compat_bad_timer")
    deploy_models(extra={"bad_timer.bpmn": text.encode()})
    instance = start(engine, "compat_bad_timer")
    assert instance.state == "error" and "timedelta" in instance.error


def test_a_process_calling_itself_without_end_stops_in_error(engine, deploy_models):
    recursive = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="compat_recursive" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="again" />
    <bpmn:callActivity id="again" calledElement="compat_recursive" />
    <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="e" /><bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>"""
    deploy_models(extra={"recursive.bpmn": recursive})
    instance = start(engine, "compat_recursive")
    assert instance.state == "error" and "nested 50 deep" in instance.error and instance.error_element == "again"


def test_several_flows_leaving_a_task_run_in_parallel(engine, deploy_models):
    result = deploy_models("implicit_parallel.bpmn")
    assert any(w.element_id == "register" and "parallel split" in w.message for w in result.warnings)
    instance = start(engine, "compat_implicit_parallel")
    assert instance.state == "completed"
    assert instance.data == {"registered": True, "copies_printed": True, "archived": True}


def test_a_data_store_keeps_its_value_from_one_instance_to_the_next(engine, deploy_models):
    deploy_models("data_store.bpmn")
    first = start(engine, "compat_data_store")
    second = start(engine, "compat_data_store")
    assert (first.data["symbol"], second.data["symbol"]) == ("ICC-ASP/1", "ICC-ASP/2")
    assert "document_register" not in second.data  # the value lives in the store, not in the instance
    with engine.unit_of_work() as uow:
        assert DatabaseDataStores(uow.session, None).values("compat_data_store") == {"document_register": {"last": 2}}


def test_a_service_task_calls_an_allowed_address(engine, deploy_models, registry_server):
    deploy_models("service_task.bpmn")
    instance = start(engine, "compat_service_task", registry_url=registry_server, state="FR")
    assert instance.state == "completed" and instance.data["amount"] == 1200
    assert instance.data["contributions"]["http_status"] == 200


def test_a_failed_call_is_a_bpmn_error_the_boundary_event_catches(engine, deploy_models, registry_server):
    deploy_models("service_task.bpmn")
    instance = start(engine, "compat_service_task", registry_url=registry_server, state="XX")
    assert instance.state == "completed" and instance.data["lookup_failed"] is True
    assert instance.data["connector_error"]["code"] == "HTTP_404"


def test_an_address_the_administrator_did_not_allow_is_never_called(engine, deploy_models, registry_server):
    deploy_models("service_task.bpmn")
    instance = start(engine, "compat_service_task", registry_url="http://127.0.0.1:9/elsewhere", state="FR")
    assert instance.data["connector_error"]["code"] == "HTTP_REFUSED"


def test_a_failed_call_without_a_boundary_event_puts_the_instance_in_error(engine, deploy_models, registry_server):
    deploy_models(extra={"no_boundary.bpmn": service_task_without_boundary()})
    instance = start(engine, "compat_service_no_boundary", registry_url=registry_server, state="XX")
    assert instance.state == "error" and "answered 404" in instance.error
    assert "error" in events(engine, instance.id)



def test_a_message_starts_an_event_subprocess_while_the_main_flow_waits(engine, deploy_models):
    deploy_models("event_subprocess_message.bpmn")
    instance = start(engine, "compat_event_subprocess_message", actor=CLERK)
    [edit] = instance.open_tasks
    with engine.unit_of_work() as uow:
        assert uow.runtime.deliver_message("amendment_received", actor=ADMIN) == [instance.id]
        uow.commit()
    assert "message_received" in events(engine, instance.id)
    complete(engine, edit.id, CLERK)
    done = get(engine, instance.id)
    assert done.state == "completed"


def test_a_juel_timer_expression_is_translated_and_waits_as_long_as_the_data_says(engine, deploy_models, clock):
    text = (MODELS_DIR / "event_gateway_timer.bpmn").read_text()
    text = text.replace('"P7D"', "${reminder_after}").replace("compat_event_gateway_timer", "compat_juel_timer")
    result = deploy_models(extra={"juel_timer.bpmn": text.encode()})
    assert any(w.element_id == "deadline_passed" and w.message.startswith("Converted: the JUEL timer expression")
               for w in result.warnings)
    instance = start(engine, "compat_juel_timer", reminder_after="PT2H")
    with engine.unit_of_work() as uow:
        [job] = uow.jobs.list(instance_id=instance.id)
    assert (job.due_at - clock.now()).total_seconds() == 7200


def test_event_subprocesses_without_ids_are_given_ids_and_run(engine, deploy_models):
    result = deploy_models("event_subprocesses_without_ids.bpmn")
    named = [w.element_id for w in result.warnings if "has no id" in w.message]
    assert named == ["subProcess_1", "subProcess_2"]
    instance = start(engine, "compat_event_subprocesses_without_ids")
    assert instance.state == "completed"
    assert "note_quota" in instance.completed_elements and "note_late" not in instance.completed_elements


def test_an_error_event_subprocess_runs_only_when_its_error_is_thrown(engine, deploy_models):
    """SpiffWorkflow 3.2 reads an error start event as a plain one and ran the handler at every
    start (engine/bpmn/event_subprocess_starts.py)."""
    text = (MODELS_DIR / "event_subprocess.bpmn").read_text()
    text = text.replace('<bpmn:errorEventDefinition id="too_many_error" errorRef="quota_exceeded" />', "")
    deploy_models(extra={"no_error.bpmn": text.replace("compat_event_subprocess", "compat_no_error").encode()})
    quiet = start(engine, "compat_no_error")
    assert quiet.state == "completed" and "outsourced" not in quiet.data
    assert "note_quota" not in quiet.completed_elements
