"""Control flow the Secretariat's processes rely on, run through the engine and its store."""
from __future__ import annotations

import pytest

from tests.engine.helpers import CLERK, TRANSLATORS, complete, events, get, history, start
from tests.conftest import ADMIN


def test_a_loop_of_500_rounds_completes(engine, deploy):
    """SpiffWorkflow's task searches stop at depth 1000: without our fix this stalls near 250."""
    deploy("loop_counter.bpmn")
    instance = start(engine, "loop_counter", ADMIN, limit=500)
    assert instance.state == "completed"
    assert instance.data["counter"] == 500


def test_exclusive_inclusive_and_parallel_gateways(engine, deploy):
    deploy("gateways.bpmn", "note.schema.json")
    instance = start(engine, "gateways", mode="fast", branches=["a", "c"])
    assert sorted(t.element_id for t in instance.open_tasks) == ["note_one", "note_two"]
    first, second = instance.open_tasks
    assert get(engine, instance.id).state == "running"
    complete(engine, first.id, data={"note": "one"})
    final = complete(engine, second.id, data={"note": "two"}).process_instance
    assert final.state == "completed"
    assert final.data["route"] == "fast"
    assert final.data.get("branch_a") and final.data.get("branch_c") and "branch_b" not in final.data
    taken = [e for e in history(engine, instance.id) if e.event == "gateway_taken"]
    assert any(e.element_id == "mode_gateway" and e.data == {"to": ["set_fast"]} for e in taken)


def test_parallel_multi_instance_task_over_a_list(engine, deploy):
    deploy("multi_instance.bpmn", "translation.schema.json")
    instance = start(engine, "multi_instance", ADMIN, languages=["en", "fr", "es"])
    tasks = instance.open_tasks
    assert sorted(t.data["language"] for t in tasks) == ["en", "es", "fr"]
    for translator, task in zip(TRANSLATORS, tasks):
        result = complete(engine, task.id, translator, {"text": f"text in {task.data['language']}"})
    final = result.process_instance
    assert final.state == "completed"
    assert sorted(t["language"] for t in final.data["translations"]) == ["en", "es", "fr"]
    actors = {e.actor for e in history(engine, instance.id) if e.event == "task_completed"}
    assert actors == {t.username for t in TRANSLATORS}


def test_call_activity_runs_the_called_process(engine, deploy):
    deploy("call_parent.bpmn", "call_child.bpmn", "note.schema.json")
    instance = start(engine, "call_parent")
    [task] = instance.open_tasks
    assert task.data["y"] == 42
    assert complete(engine, task.id, data={"note": "ok"}).process_instance.data["y"] == 42
    assert "call_activity_completed" in events(engine, instance.id)


def test_call_activity_finds_a_called_process_deployed_earlier(engine, deploy):
    deploy("call_child.bpmn")
    deploy("call_parent.bpmn", "note.schema.json")
    assert start(engine, "call_parent").open_tasks[0].data["y"] == 42


@pytest.mark.parametrize("category,amount,fee,route", [
    ("protocol", 5000, 100, "director"), ("protocol", 10, 50, "clerk"),
    ("logistics", 10, 25, "clerk"), ("catering", 10, 0, "review"),
])
def test_dmn_business_rule_task_decides(engine, deploy, category, amount, fee, route):
    deploy("dmn_decision.bpmn", "fee_decision.dmn")
    instance = start(engine, "dmn_decision", ADMIN, category=category, amount=amount)
    assert instance.state == "completed"
    assert (instance.data["fee"], instance.data["route"]) == (fee, route)
    assert "decision_made" in events(engine, instance.id)


def test_error_end_event_is_caught_by_the_boundary(engine, deploy):
    deploy("error_boundary.bpmn", "note.schema.json")
    over = start(engine, "error_boundary", amount=900, budget=500)
    assert [t.element_id for t in over.open_tasks] == ["handle_error"]
    assert "error_caught" in events(engine, over.id)
    within = start(engine, "error_boundary", amount=100, budget=500)
    assert within.state == "completed" and within.data["over_budget"] is False


def test_non_interrupting_escalation_boundary(engine, deploy):
    deploy("escalation_boundary.bpmn")
    instance = start(engine, "escalation_boundary", ADMIN)
    assert instance.state == "completed"
    assert instance.data["escalated"] is True and instance.data["finished"] is True
    assert "escalation_caught" in events(engine, instance.id)


def deploy_translations_assigned_by_language(deploy, tmp_path):
    """multi_instance.bpmn with each translation given to the translator named for its language."""
    from tests.conftest import FIXTURES
    bpmn = (FIXTURES / "multi_instance.bpmn").read_text().replace(
        '<spiffworkflow:property name="formJsonSchemaFilename" value="translation.schema.json" />',
        '<spiffworkflow:property name="formJsonSchemaFilename" value="translation.schema.json" />'
        '<spiffworkflow:property name="assignee" value="translators[language]" />')
    (tmp_path / "multi_instance.bpmn").write_text(bpmn)
    deploy("translation.schema.json")
    deploy("multi_instance.bpmn", folder=tmp_path)


def test_an_assignee_expression_gives_each_instance_its_own_person(engine, deploy, tmp_path):
    from engine import PermissionDenied
    deploy_translations_assigned_by_language(deploy, tmp_path)
    who = {"en": TRANSLATORS[0].username, "fr": TRANSLATORS[1].username}
    instance = start(engine, "multi_instance", ADMIN, languages=["en", "fr"], translators=who)
    assert {t.data["language"]: t.assignee for t in instance.open_tasks} == who
    french = next(t for t in instance.open_tasks if t.data["language"] == "fr")
    with pytest.raises(PermissionDenied):
        complete(engine, french.id, TRANSLATORS[0], {"text": "bonjour"})
    complete(engine, french.id, TRANSLATORS[1], {"text": "bonjour"})


def test_a_task_the_process_gave_to_one_person_cannot_be_released_and_taken(engine, deploy, tmp_path):
    from engine import PermissionDenied
    deploy_translations_assigned_by_language(deploy, tmp_path)
    instance = start(engine, "multi_instance", ADMIN, languages=["en"], translators={"en": TRANSLATORS[0].username})
    [task] = instance.open_tasks
    with engine.unit_of_work() as uow, pytest.raises(PermissionDenied):
        uow.tasks.unclaim(task.id, TRANSLATORS[0])
    with engine.unit_of_work() as uow, pytest.raises(PermissionDenied):
        uow.tasks.complete(task.id, TRANSLATORS[1], {"text": "hello"})
