"""Turning workflows into text and back. The process spec (half of a serialized instance) is
kept apart: once per definition version, joined back in only when an instance is loaded."""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.spec import BpmnDataSpecificationConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.bpmn.data_stores import ProcessDataStore
from engine.bpmn.workflow import EngineWorkflow

_SPEC_KEYS = ("spec", "subprocess_specs")


def _make_serializer() -> BpmnWorkflowSerializer:
    config = dict(SPIFF_CONFIG)
    config[EngineWorkflow] = BpmnWorkflowConverter
    config[ProcessDataStore] = BpmnDataSpecificationConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


SERIALIZER = _make_serializer()


def _to_dict(workflow) -> dict:
    SERIALIZER.registry._encoder_mode = True
    try:
        return SERIALIZER.to_dict(workflow)
    finally:
        SERIALIZER.registry._encoder_mode = False


def _dumps(value) -> str:
    return json.dumps(value, cls=SERIALIZER._encoder_cls, separators=(",", ":"))


def dump_spec(workflow: EngineWorkflow) -> str:
    """The spec and subprocess specs of a (fresh) workflow, to store with its definition."""
    whole = _to_dict(workflow)
    return _dumps({key: whole[key] for key in _SPEC_KEYS})


def dump_state(workflow: EngineWorkflow) -> str:
    """Everything about a running instance except its spec."""
    whole = _to_dict(workflow)
    for key in _SPEC_KEYS:
        whole.pop(key)
    whole[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return _dumps(whole)


def load_new(spec_json: str, script_engine) -> EngineWorkflow:
    """A fresh workflow of a stored spec."""
    specs = json.loads(spec_json)
    spec = SERIALIZER.registry.restore(specs["spec"])
    subprocess_specs = {name: SERIALIZER.registry.restore(s) for name, s in specs["subprocess_specs"].items()}
    return EngineWorkflow(spec, subprocess_specs, script_engine=script_engine)


def load(spec_json: str, state_json: str, script_engine) -> EngineWorkflow:
    state = json.loads(state_json)
    state.update(json.loads(spec_json))
    SERIALIZER.migrate(state)
    workflow = SERIALIZER.from_dict(state)
    workflow.script_engine = script_engine
    return workflow
