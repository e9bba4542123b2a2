"""Plain read models the services return, so callers never touch SpiffWorkflow or ORM objects."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

T = TypeVar("T")

BUILTIN_ROLES = frozenset({"manager", "admin"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user name and the roles (lane names, `manager`, `admin`) they hold."""

    username: str
    roles: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_manager(self) -> bool:
        return "manager" in self.roles


SYSTEM = Actor("system", frozenset({"admin"}))


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int | None
    page: int
    per_page: int
    total_capped: bool = False  # `total` is a floor: there are more
    next_after: str | None = None  # cursor of the next page, where the list supports one


@dataclass(frozen=True)
class DeployedDefinition:
    key: str
    version: int
    new: bool
    id: int


@dataclass(frozen=True)
class DeploymentResult:
    id: int | None
    definitions: list[DeployedDefinition]
    forms: list[str] = field(default_factory=list)
    # What was deployed with a remark: schema findings, translated conditions, vendor
    # attributes not honoured, processes of a file left out (Problem objects).
    warnings: list = field(default_factory=list)


@dataclass(frozen=True)
class DefinitionView:
    id: int
    key: str
    name: str
    version: int
    deployed_at: datetime
    deployed_by: str | None
    note: str | None
    start_roles: frozenset[str]
    instance_count: int = 0

    def can_start(self, actor: Actor) -> bool:
        """A process may be started by anyone in the lane of its first user task (any user when unlaned)."""
        return not self.start_roles or bool(self.start_roles & actor.roles) or actor.is_admin


@dataclass(frozen=True)
class TaskView:
    id: str
    name: str
    element_id: str
    process_instance_id: int
    process_key: str
    lane: str | None
    candidate_groups: list[str]
    assignee: str | None
    state: str
    created_at: datetime
    due_at: datetime | None
    completed_at: datetime | None
    completed_by: str | None
    instructions: str | None
    form: dict | None
    data: dict
    business_key: str | None = None
    process_name: str | None = None
    properties: dict = field(default_factory=dict)
    follow_up_on: date | None = None  # hidden from the default inbox view until this day
    # What the actor who asked may do with it, decided by engine.services.access (False when
    # the engine itself asked): the pages draw buttons from these, never from their own rules.
    can_claim: bool = False
    can_release: bool = False
    can_complete: bool = False
    can_read_data: bool = False
    can_assign: bool = False  # put it in another holder's hands (administrators, managers, its claimant)

    @property
    def filled_instructions(self):
        """The instructions with the task data filled in by the engine's one bounded sandbox
        (engine.instructions): `.text` (Markdown) or `.problem`."""
        from engine.instructions import fill
        return fill(self.instructions, self.data)


@dataclass(frozen=True)
class InstanceView:
    id: int
    process_key: str
    version: int
    definition_id: int
    business_key: str | None
    state: str
    data: dict
    started_by: str | None
    started_at: datetime
    ended_at: datetime | None
    open_tasks: list[TaskView]
    completed_elements: list[str]
    active_elements: list[str]
    error: str | None = None
    error_element: str | None = None


@dataclass(frozen=True)
class HistoryEventView:
    id: int
    at: datetime
    actor: str | None
    event: str
    element_id: str | None
    task_id: str | None
    data: dict | None


@dataclass(frozen=True)
class JobView:
    id: str
    process_instance_id: int
    element_id: str
    due_at: datetime


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    roles: frozenset[str]
    active: bool
    session_epoch: int = 0
    language: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.roles)


@dataclass(frozen=True)
class CompletionResult:
    task: TaskView
    process_instance: InstanceView


@dataclass(frozen=True)
class DraftView:
    id: int
    owner: str
    process_key: str
    file_name: str
    xml: str
    note: str | None
    based_on_version: int | None
    updated_at: datetime


@dataclass(frozen=True)
class DecisionFileView:
    """A deployed DMN file (its latest version) and the latest definitions built from it."""
    name: str
    deployed_at: datetime
    deployed_by: str | None
    decisions: list[tuple[str, str]]
    used_by: list[tuple[str, int]]
