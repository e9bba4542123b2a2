"""Running a service task through a connector, and what a failed call becomes.

A failure that may pass (no answer, 429, 5xx) is first retried later: the task is left in
error with `connector_retry_in` (seconds) in its internal data, which the engine turns into a
job the timer worker runs (see `LiveWorkflow.advance` and `Execution`). Once the retries are
spent, or at once for any other failure, a connector failure is a BPMN error (`ConnectorError`, code `HTTP_...`): when an error
boundary event on the service task catches that code (or any code), the process follows it,
with the failure in the data under `connector_error`; otherwise the instance goes to
`error` with the reason, and an administrator may retry it."""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.spiff.specs.event_definitions import ErrorEventDefinition

from engine.bpmn import http_connector
from engine.bpmn.http_connector import ConnectorError

def unknown_operator_problem(operator: str | None) -> str | None:
    if operator in http_connector.OPERATORS:
        return None
    return (f"no connector '{operator}' in this engine: service tasks may use the HTTP connector "
            "(http/GetRequestV2, http/PostRequestV2, http/PutRequestV2, http/PatchRequestV2, http/DeleteRequestV2)")


def call_connector(task, operator: str, params: dict, script_engine) -> str:
    """The JSON text SpiffWorkflow expects from a service call."""
    values = {name: (p.get("value") if isinstance(p, dict) else p) for name, p in params.items()}
    try:
        if operator not in http_connector.OPERATORS:
            raise ConnectorError("NO_CONNECTOR", unknown_operator_problem(operator))
        return json.dumps(http_connector.call(operator, values))
    except ConnectorError as failure:
        if _retry_later(task, failure):
            raise script_engine.create_task_exec_exception(task, operator, failure, kind="Service call") from None
        details = {"code": failure.code, "message": str(failure), "http_status": failure.status,
                   "body": failure.body}
        if _caught_on_boundary(task, failure.code):
            task.parent.data["connector_error"] = details  # what the boundary path inherits
            event = BpmnEvent(ErrorEventDefinition("ConnectorError", code=failure.code),
                              payload={"connector_error": details}, target=task.workflow)
            task.workflow.top_workflow.catch(event)
            return json.dumps(details)
        raise script_engine.create_task_exec_exception(task, operator, failure, kind="Service call") from None


def _retry_later(task, failure: ConnectorError) -> bool:
    """Count this attempt; True when another one is due later (its delay left on the task)."""
    if not failure.transient:
        return False
    retries, first_delay = http_connector.retry_policy()
    attempt = int(task.internal_data.get("connector_attempts", 0)) + 1
    if attempt > retries:
        task.internal_data.pop("connector_attempts", None)  # a retry by hand starts a fresh series
        return False
    task.internal_data["connector_attempts"] = attempt
    task.internal_data["connector_retry_in"] = first_delay * 2 ** (attempt - 1)
    return True


def _caught_on_boundary(task, code: str) -> bool:
    """Whether an error boundary event waits on this task for `code` (or for any error)."""
    parent = task.parent
    if parent is None or not type(parent.task_spec).__name__.endswith("BoundaryEventSplit"):
        return False
    for sibling in parent.children:
        definition = getattr(sibling.task_spec, "event_definition", None)
        if isinstance(definition, ErrorEventDefinition) and definition.code in (None, "", code):
            return True
    return False
