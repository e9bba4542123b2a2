"""`bpmn:dataStore` for any modeler: a value kept per process key, across instances.

SpiffWorkflow only reads data stores whose *name* has a registered implementation (SpiffArena
registers its own). Here every data store of a deployed file is one `ProcessDataStore`: a
task with a data input association from it finds the stored value in its data under the
store's id; a data output association writes the task's value back. Where the value lives
is not SpiffWorkflow's business: the unit of work in progress supplies a `DataStoreBackend`
(the database, in the same transaction as the step).

A data store is the process's own unless it says otherwise: with the property
`spiffworkflow:property name="scope" value="shared"` it is one `SharedDataStore`, a value
keyed by the store's id alone, which every process whose file declares a shared store of that
id reads and writes (the budget section's balances, read by the outsourcing escalation)."""
from __future__ import annotations

import contextlib
import contextvars
import copy
from typing import Protocol

from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.specs.data_spec import BpmnDataStoreSpecification


class DataStoreBackend(Protocol):
    def read(self, process_key: str, store_id: str): ...

    def write(self, process_key: str, store_id: str, value) -> None: ...


_backend: contextvars.ContextVar[DataStoreBackend | None] = contextvars.ContextVar(
    "secretariat_data_stores", default=None)


@contextlib.contextmanager
def data_stores_in(backend: DataStoreBackend):
    token = _backend.set(backend)
    try:
        yield
    finally:
        _backend.reset(token)


def _process_key(my_task) -> str:
    workflow = my_task.workflow
    top = getattr(workflow, "top_workflow", None) or workflow
    return top.spec.name


def _current_backend(my_task, what: str) -> DataStoreBackend:
    backend = _backend.get()
    if backend is None:
        raise WorkflowDataException(f"the data store '{what}' is not available outside the engine", my_task)
    return backend


class ProcessDataStore(BpmnDataStoreSpecification):
    """Stored per process key (the top process of the instance) and data store id."""

    def get(self, my_task):
        value = _current_backend(my_task, self.bpmn_id).read(_process_key(my_task), self.bpmn_id)
        my_task.data[self.bpmn_id] = copy.deepcopy(value)

    def set(self, my_task):
        if self.bpmn_id not in my_task.data:
            raise WorkflowDataException(
                f"the data store '{self.bpmn_id}' cannot be written: the task has no '{self.bpmn_id}' value",
                my_task, data_output=self)
        value = my_task.data.pop(self.bpmn_id)
        _current_backend(my_task, self.bpmn_id).write(_process_key(my_task), self.bpmn_id, copy.deepcopy(value))


SHARED_SCOPE = "*shared*"  # the key of shared stores: no process key has asterisks
_SCOPE_XPATH = ("./bpmn:extensionElements/spiffworkflow:properties"
                "/spiffworkflow:property[@name='scope']/@value")
_NAMESPACES = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
               "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}


class SharedDataStore(ProcessDataStore):
    """Stored per data store id, whatever process reads or writes it."""

    def get(self, my_task):
        value = _current_backend(my_task, self.bpmn_id).read(SHARED_SCOPE, self.bpmn_id)
        my_task.data[self.bpmn_id] = copy.deepcopy(value)

    def set(self, my_task):
        if self.bpmn_id not in my_task.data:
            raise WorkflowDataException(
                f"the shared data store '{self.bpmn_id}' cannot be written: the task has no '{self.bpmn_id}' value",
                my_task, data_output=self)
        value = my_task.data.pop(self.bpmn_id)
        _current_backend(my_task, self.bpmn_id).write(SHARED_SCOPE, self.bpmn_id, copy.deepcopy(value))


def scope_of(data_store_node) -> str:
    """'shared' or 'process' (the default), from the data store's `scope` property."""
    values = data_store_node.xpath(_SCOPE_XPATH, namespaces=_NAMESPACES)
    return "shared" if values and values[0].strip() == "shared" else "process"


def apply_scopes(data_stores: dict, bpmn) -> None:
    """After SpiffWorkflow has read a file's data stores, makes the shared ones shared."""
    for node in bpmn.xpath(".//bpmn:dataStore", namespaces=_NAMESPACES):
        spec = data_stores.get(node.get("id"))
        if spec is not None and scope_of(node) == "shared" and not isinstance(spec, SharedDataStore):
            data_stores[spec.bpmn_id] = SharedDataStore(spec.bpmn_id, spec.bpmn_name, spec.capacity, spec.is_unlimited)


class EveryDataStoreName(dict):
    """Stands for SpiffWorkflow's DATA_STORE_CLASSES: whatever a data store is called, it is a
    `ProcessDataStore` (a name is a label a modeler chose, not an implementation)."""

    def __contains__(self, name) -> bool:
        return True

    def __getitem__(self, name):
        return ProcessDataStore
