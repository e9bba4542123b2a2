"""The workflow store: what is saved comes back whole, and the spec is stored once."""
from __future__ import annotations

from sqlalchemy import select

from engine.bpmn import store
from engine.persistence.models import ProcessDefinition, ProcessInstance
from tests.conftest import ADMIN
from tests.engine.helpers import TRANSLATORS, complete, start


def _rows(engine, instance_id):
    with engine.unit_of_work() as uow:
        instance = uow.session.get(ProcessInstance, instance_id)
        return instance.workflow_json, instance.definition.spec_json


def test_every_task_keeps_its_data_across_a_save_and_load(engine, deploy):
    """SpiffWorkflow restores task data silently empty when tasks come back out of order."""
    deploy("multi_instance.bpmn", "translation.schema.json")
    instance = start(engine, "multi_instance", ADMIN, languages=["en", "fr", "es"])
    complete(engine, instance.open_tasks[0].id, TRANSLATORS[0], {"text": "first"})
    state_json, spec_json = _rows(engine, instance.id)

    workflow = store.load(spec_json, state_json, script_engine=None)
    again = store.load(spec_json, store.dump_state(workflow), script_engine=None)
    original = {str(t.id): t.data for t in workflow.get_tasks()}
    restored = {str(t.id): t.data for t in again.get_tasks()}
    assert restored == original
    languages = sorted(t.data.get("language") for t in again.get_tasks() if t.data.get("language"))
    finished = instance.open_tasks[0].data["language"]  # the finished child left the live tree for history
    assert set(languages) == {"en", "fr", "es"} - {finished}


def test_the_spec_is_stored_once_per_definition_not_per_instance(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    first = start(engine, "approval")
    start(engine, "approval")
    state_json, spec_json = _rows(engine, first.id)
    assert '"task_specs"' in spec_json and '"task_specs"' not in state_json
    with engine.unit_of_work() as uow:
        assert len(uow.session.scalars(select(ProcessDefinition)).all()) == 1
