"""Turning workflows into text and back.

The process spec (half of a serialized instance) is kept apart: stored once per definition
version and, once parsed, kept in a small per-process cache, so loading an instance restores
only its own state. Finished work is pruned out of the state before it is written
(`engine.bpmn.pruning`), so what is saved stays the size of what is live.

Serializers carry a mode flag while they encode, so each thread has its own.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.spec import BpmnDataSpecificationConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.bpmn.data_stores import ProcessDataStore, SharedDataStore
from engine.bpmn.pruning import PrunedTask, prune
from engine.bpmn.workflow import EngineWorkflow

_SPEC_CACHE_SIZE = 128


@dataclass(frozen=True, eq=False)
class ProcessSpecs:
    """A definition's parsed spec and the specs of the processes it calls, shared by its instances."""
    spec: object
    subprocess_specs: dict


class _InstanceStateConverter(BpmnWorkflowConverter):
    """Serializes an instance without its spec, and restores it around a spec already parsed."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def restore_state(self, dct: dict, specs: ProcessSpecs) -> EngineWorkflow:
        workflow = EngineWorkflow(specs.spec, specs.subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


class _Serializer:
    def __init__(self):
        config = dict(SPIFF_CONFIG)
        config[ProcessDataStore] = BpmnDataSpecificationConverter
        config[SharedDataStore] = BpmnDataSpecificationConverter
        registry = BpmnWorkflowSerializer.configure(config)
        self.state = _InstanceStateConverter(EngineWorkflow, registry)
        self.workflows = BpmnWorkflowSerializer(registry)
        self.registry = registry

    def encode(self, convert) -> str:
        self.registry._encoder_mode = True
        try:
            return json.dumps(convert(), cls=self.workflows._encoder_cls, separators=(",", ":"))
        finally:
            self.registry._encoder_mode = False


_local = threading.local()


def _serializer() -> _Serializer:
    serializer = getattr(_local, "serializer", None)
    if serializer is None:
        serializer = _local.serializer = _Serializer()
    return serializer


def registry():
    """The serializer's converter registry (SpiffWorkflow's spec diff compares specs through it)."""
    return _serializer().registry


def dump_spec(workflow: EngineWorkflow) -> str:
    """The spec and subprocess specs of a (fresh) workflow as text, to store with its definition."""
    serializer = _serializer()
    return serializer.encode(lambda: {
        "spec": serializer.registry.convert(workflow.spec),
        "subprocess_specs": {name: serializer.registry.convert(s) for name, s in workflow.subprocess_specs.items()}})


class _SpecCache:
    """Parsed specs by a key that names one stored spec: a definition's spec never changes."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[object, ProcessSpecs] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, spec_text: Callable[[], str]) -> ProcessSpecs:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        specs = _restore_specs(spec_text())
        with self.lock:
            self.entries[key] = specs
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return specs


def _restore_specs(spec_json: str) -> ProcessSpecs:
    registry = _serializer().registry
    stored = json.loads(spec_json)
    specs = ProcessSpecs(registry.restore(stored["spec"]),
                         {name: registry.restore(s) for name, s in stored["subprocess_specs"].items()})
    for spec in [specs.spec, *specs.subprocess_specs.values()]:
        _connect_loop_merges(spec)
    return specs


def _connect_loop_merges(spec) -> None:
    """Multi-instance and loop tasks connect a merge handler to their child spec the first time
    they run; shared between threads, two could connect it twice and merge every child twice.
    Connecting it once here, before the spec is shared, makes their check always find it."""
    for task_spec in spec.task_specs.values():
        merge = getattr(task_spec, "merge_child", None)
        child_name = getattr(task_spec, "task_spec", None)
        child = spec.task_specs.get(child_name) if isinstance(child_name, str) else None
        if merge is not None and child is not None and not child.completed_event.is_connected(merge):
            child.completed_event.connect(merge)


_SPECS = _SpecCache(_SPEC_CACHE_SIZE)


def specs_of(spec_json: str, key=None) -> ProcessSpecs:
    """The parsed specs of a stored spec text; `key` names it without hashing the text, and a
    callable `spec_json` is only called on a miss (the caller need not even load the text)."""
    if key is None:
        key = hashlib.blake2b(spec_json.encode(), digest_size=20).digest()
    return _SPECS.get(key, spec_json if callable(spec_json) else lambda: spec_json)


def load_new(specs: ProcessSpecs | str, script_engine) -> EngineWorkflow:
    """A fresh workflow of a stored spec."""
    specs = specs if isinstance(specs, ProcessSpecs) else specs_of(specs)
    return EngineWorkflow(specs.spec, specs.subprocess_specs, script_engine=script_engine)


def load(specs: ProcessSpecs | str, state_json: str, script_engine) -> EngineWorkflow:
    specs = specs if isinstance(specs, ProcessSpecs) else specs_of(specs)
    serializer = _serializer()
    state = json.loads(state_json)
    state.pop("spec", None), state.pop("subprocess_specs", None)  # states saved before the split
    serializer.workflows.migrate(state)
    workflow = serializer.state.restore_state(state, specs)
    workflow.script_engine = script_engine
    return workflow


def dump_state(workflow: EngineWorkflow) -> str:
    """Everything about a running instance except its spec, as it stands."""
    serializer = _serializer()

    def convert():
        whole = serializer.state.to_dict(workflow)
        whole[serializer.workflows.VERSION_KEY] = serializer.workflows.VERSION
        return whole
    return serializer.encode(convert)


def prune_and_dump(workflow: EngineWorkflow) -> tuple[str, list[PrunedTask]]:
    """Moves finished work out of the live tree, then dumps what is left."""
    pruned = prune(workflow)
    return dump_state(workflow), pruned
