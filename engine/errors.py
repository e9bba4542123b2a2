"""The engine's own exceptions: each edge (CLI, API, page) maps them to a message or status."""
from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dataclass_field  # `Problem` has an attribute named field


@dataclass(frozen=True)
class Problem:
    """One precise complaint about an input: a form field, or a place in a deployed file."""

    message: str
    field: str | None = None
    file: str | None = None
    line: int | None = None
    element_id: str | None = None
    rule: str | None = None  # a structural rule's id (engine/bpmn/structure_rules.json), for the modeler
    # The sentence before its parameters were filled in (marked with engine.messages.N_) and
    # those parameters: the edge shows it in the reader's language; `message` is the English.
    message_id: str | None = dataclass_field(default=None, compare=False)
    params: dict | None = dataclass_field(default=None, compare=False)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None and k not in ("message_id", "params")}

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [where, f"[{self.element_id}]" if self.element_id else "", self.field or ""]
        prefix = " ".join(p for p in parts if p)
        return f"{prefix}: {self.message}" if prefix else self.message


class EngineError(Exception):
    """Base of everything the engine raises on purpose.

    `EngineError(N_("No task %(task)s"), task=task_id)`: the message is the English sentence
    with its parameters filled in (what the API and the CLI say); `message_id` and `params`
    let a page say it in the reader's language (webapp.errors)."""

    def __init__(self, message: str = "", **params):
        super().__init__(message % params if params else message)
        self.message_id = message if params else None
        self.params = params or None


class NotFound(EngineError):
    """An unknown id or key (HTTP 404)."""


class PermissionDenied(EngineError):
    """The actor may not do this (HTTP 403)."""


class Conflict(EngineError):
    """Someone else changed it first, or it is not in a state for this action (HTTP 409)."""

    def __init__(self, message: str, state: str | None = None, **params):
        if state is not None and "%(state)s" in message:  # the state is also a word of the sentence
            params = {"state": state, **params}
        super().__init__(message, **params)
        self.state = state


class TooLarge(EngineError):
    """An upload over the installation's size limit (HTTP 413); nothing was stored."""


class SignInThrottled(EngineError):
    """Too many wrong passwords for one user name lately (HTTP 429 with Retry-After)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class InvalidInput(EngineError):
    """Bad form data or a bad deployment (HTTP 422); nothing was changed."""

    title: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(self.title)

    def __str__(self) -> str:
        return "\n".join([self.title, *(f"  - {p}" for p in self.problems)])


class InvalidDeployment(InvalidInput):
    """A bundle failed validation: nothing of it was stored."""


class InvalidTaskData(InvalidInput):
    """Submitted data does not satisfy the task's form schema."""
