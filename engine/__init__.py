"""The Secretariat's BPM engine: deploy BPMN, run instances, persist everything.

The public face is `Engine` and its unit of work's services (repository, runtime, tasks,
history, identity, jobs); SpiffWorkflow stays inside `engine.bpmn`."""
from engine.clock import ManualClock, SystemClock
from engine.errors import (
    Conflict, EngineError, InvalidDeployment, InvalidInput, InvalidTaskData, NotFound, PermissionDenied, Problem,
    SignInThrottled, TooLarge,
)
from engine.unit_of_work import Engine, UnitOfWork
from engine.views import SYSTEM, Actor

__all__ = [
    "Actor", "Conflict", "Engine", "EngineError", "InvalidDeployment", "InvalidInput", "InvalidTaskData",
    "ManualClock", "NotFound", "PermissionDenied", "Problem", "SYSTEM", "SignInThrottled", "SystemClock",
    "TooLarge", "UnitOfWork",
]
