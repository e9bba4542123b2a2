"""`bpmn:dataStore` for any modeler: a value kept per process key, across instances.

SpiffWorkflow only reads data stores whose *name* has a registered implementation (SpiffArena
registers its own). Here every data store of a deployed file is one `ProcessDataStore`: a
task with a data input association from it finds the stored value in its data under the
store's id; a data output association writes the task's value back. Where the value lives
is not SpiffWorkflow's business: the unit of work in progress supplies a `DataStoreBackend`
(the database, in the same transaction as the step)."""
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


class EveryDataStoreName(dict):
    """Stands for SpiffWorkflow's DATA_STORE_CLASSES: whatever a data store is called, it is a
    `ProcessDataStore` (a name is a label a modeler chose, not an implementation)."""

    def __contains__(self, name) -> bool:
        return True

    def __getitem__(self, name):
        return ProcessDataStore
