"""Diagrams as Camunda Modeler, Flowable and SpiffArena write them run to completion."""
from __future__ import annotations

from engine import Actor
from tests.engine.helpers import complete, get, start

CLERK = Actor("claire", frozenset({"Clerk"}))
TRANSLATOR = Actor("tina", frozenset({"translators"}))


def messages(result) -> list[str]:
    return [w.message for w in result.warnings]


def test_a_camunda_model_runs_with_its_juel_conditions_translated(engine, deploy_models):
    result = deploy_models("camunda_review.bpmn")
    assert [d.key for d in result.definitions] == ["compat_camunda_review"]
    translated = [w for w in result.warnings if w.message.startswith("Converted: the JUEL condition")]
    assert {w.element_id for w in translated} == {"Flow_yes", "Flow_no"}
    assert ("Converted: the JUEL condition ${approved && amount gt 1000} on the flow “yes” (Flow_yes) into "
            "(approved and (amount > 1000))") in messages(result)
    assert ("Ignored: camunda:dueDate '${dueDate}' on the task “Review the request” (Activity_review), because "
            "due dates come from timers in the diagram") in messages(result)
    assert not any("Service Task" in m or "must have" in m for m in messages(result))

    instance = start(engine, "compat_camunda_review", actor=CLERK, amount=5000)
    [review] = instance.open_tasks
    assert review.lane == "budget-officers"  # camunda:candidateGroups is honoured as the task's role
    officer = Actor("bea", frozenset({"budget-officers"}))
    complete(engine, review.id, officer, {"approved": True})
    done = get(engine, instance.id)
    assert done.state == "completed" and done.data["needs_bureau"] is True


def test_a_flowable_bpmn20_xml_file_deploys_and_runs(engine, deploy_models):
    result = deploy_models("flowable_translation.bpmn20.xml", "translation.schema.json")
    assert [d.key for d in result.definitions] == ["compat_flowable_translation"]
    assert any(m.startswith("Converted: flowable:formKey 'translation.schema.json' on the task")
               for m in messages(result))

    instance = start(engine, "compat_flowable_translation", actor=TRANSLATOR)
    [translate] = instance.open_tasks
    assert translate.form["schema"]["title"] == "Translation"
    complete(engine, translate.id, TRANSLATOR, {"quality": "draft", "comments": "check paragraph 3"})
    [revise] = get(engine, instance.id).open_tasks
    assert revise.element_id == "reviseTask"
    complete(engine, revise.id, TRANSLATOR, {})
    assert get(engine, instance.id).state == "completed"


def test_a_spiffarena_model_uses_its_script_helpers_and_dynamic_choices(engine, deploy_models):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("diane", roles=["Director"])
        uow.identity.add_user("dmitri", roles=["Director"])
        uow.identity.add_user("gone", roles=["Director"])
        uow.identity.set_active("gone", False)
        uow.commit()
    result = deploy_models("spiffarena_nomination.bpmn", "focal-point-schema.json")
    assert result.warnings == []

    instance = start(engine, "compat_spiffarena_nomination", actor=CLERK)
    [choose] = instance.open_tasks
    choices = choose.form["schema"]["properties"]["focal_point"]["anyOf"]
    assert choices == [{"const": "diane", "title": "Diane"}, {"const": "dmitri", "title": "Dmitri"}]
    with engine.unit_of_work() as uow:
        [problem] = uow.tasks.validate(choose.id, {"focal_point": "someone else"})
    assert problem.field == "focal_point"
    complete(engine, choose.id, CLERK, {"focal_point": "dmitri"})
    done = get(engine, instance.id)
    assert done.state == "completed"
    assert (done.data["initiator"], done.data["chosen_by"], done.data["focal_point"]) == ("claire", "claire", "dmitri")
