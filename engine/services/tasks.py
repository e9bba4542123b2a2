"""The human-task inbox: who may see, claim and complete which task, and completing it."""
from __future__ import annotations

import copy
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.data import to_json
from engine.errors import Conflict, InvalidInput, InvalidTaskData, NotFound, PermissionDenied, Problem
from engine.forms import validate_data
from engine.persistence.models import HumanTask, ProcessInstance, TaskCandidate
from engine.services.directory import DirectoryService
from engine.services.execution import RUNNING, Execution, record
from engine.services.read_models import form_content, instance_view, task_view
from engine.views import Actor, CompletionResult, Page, TaskView

SCOPES = ("mine", "candidate", "claimable", "all")
TASK_STATES = ("open", "completed", "cancelled")


def is_candidate(row: HumanTask, actor: Actor) -> bool:
    groups = {c.group_name for c in row.candidates}
    return not groups or bool(groups & actor.roles)


def assigned_by_process(row: HumanTask) -> bool:
    """A task the process itself gave to one person (the `assignee` property): a vote, a view."""
    return bool((row.properties or {}).get("assignee"))


def may_work_on(row: HumanTask, actor: Actor) -> bool:
    """The assignee, if any, and only while they hold the lane's role: a lane is a promise."""
    return is_candidate(row, actor) and (row.assignee is None or row.assignee == actor.username)


class TaskService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def _row(self, task_id: str) -> HumanTask:
        row = self.session.get(HumanTask, str(task_id))
        if row is None:
            raise NotFound(f"No task {task_id}")
        return row

    def get(self, task_id: str, actor: Actor | None = None) -> TaskView:
        row = self._row(task_id)
        if actor is not None and not self._may_see(row, actor):
            raise PermissionDenied("This task belongs to another role")
        return task_view(self.session, row)

    def _may_see(self, row: HumanTask, actor: Actor) -> bool:
        return actor.is_admin or actor.is_manager or row.assignee == actor.username \
            or row.completed_by == actor.username or is_candidate(row, actor)

    def list(self, actor: Actor, scope: str = "candidate", instance_id: int | None = None, state: str = "open",
             process_key: str | None = None, order: str = "created", page: int = 1,
             per_page: int = 20, lane: str | None = None) -> Page[TaskView]:
        """`mine`: assigned to me; `candidate`: mine or claimable by my roles; `claimable`: unassigned
        in my roles; `all`: everything I may see. `lane` keeps one candidate group."""
        if scope not in SCOPES:
            raise InvalidInput("Unknown scope", [Problem(f"must be one of {', '.join(SCOPES)}", field="scope")])
        if state not in TASK_STATES:
            raise InvalidInput("Unknown task state", [Problem(f"must be one of {', '.join(TASK_STATES)}",
                                                              field="state")])
        query = select(HumanTask).where(HumanTask.state == state)
        unlaned = ~select(TaskCandidate).where(TaskCandidate.task_id == HumanTask.id).exists()
        in_my_roles = select(TaskCandidate).where(TaskCandidate.task_id == HumanTask.id,
                                                  TaskCandidate.group_name.in_(sorted(actor.roles))).exists()
        mine = or_(HumanTask.assignee == actor.username, HumanTask.completed_by == actor.username)
        claimable = (HumanTask.assignee.is_(None)) & (in_my_roles | unlaned)
        if scope == "mine":
            query = query.where(mine)
        elif scope == "claimable":
            query = query.where(claimable)
        elif scope == "candidate" or not (actor.is_admin or actor.is_manager):
            query = query.where(or_(mine, claimable) if state == "open" else or_(mine, in_my_roles | unlaned))
        if instance_id is not None:
            query = query.where(HumanTask.instance_id == instance_id)
        if process_key is not None:
            query = query.where(HumanTask.process_key == process_key)
        if lane is not None:
            query = query.where(HumanTask.lane == lane)
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        ordering = {"created": (HumanTask.created_at, HumanTask.id),
                    "due": (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at, HumanTask.id)}
        rows = self.session.scalars(query.order_by(*ordering.get(order, ordering["created"]))
                                    .offset((page - 1) * per_page).limit(per_page))
        return Page([task_view(self.session, r) for r in rows], total, page, per_page)

    def claim(self, task_id: str, actor: Actor) -> TaskView:
        row = self._open_row(task_id)
        if row.assignee == actor.username:
            return task_view(self.session, row)
        if row.assignee is not None:
            raise Conflict(f"The task is already claimed by {row.assignee}", state=row.state)
        if not is_candidate(row, actor):
            raise PermissionDenied(f"Only members of {row.lane} may claim this task")
        row.assignee = actor.username
        record(self.session, row.instance_id, self.context.clock.now(), "task_claimed", actor, row.element_id, row.id)
        self.session.flush()
        return task_view(self.session, row)

    def unclaim(self, task_id: str, actor: Actor) -> TaskView:
        row = self._open_row(task_id)
        if row.assignee is None:
            return task_view(self.session, row)
        if assigned_by_process(row):
            raise PermissionDenied("The process gave this task to one person; it cannot be released "
                                   "(an administrator may assign it to someone else)")
        if row.assignee != actor.username and not actor.is_admin:
            raise PermissionDenied(f"The task is claimed by {row.assignee}; only they or an administrator may release it")
        row.assignee = None
        record(self.session, row.instance_id, self.context.clock.now(), "task_unclaimed", actor, row.element_id, row.id)
        self.session.flush()
        return task_view(self.session, row)

    def assign(self, task_id: str, actor: Actor, assignee: str | None) -> TaskView:
        """An administrator puts a task in someone's hands (or back in the pool)."""
        if not actor.is_admin:
            raise PermissionDenied("Only administrators assign tasks to others")
        row = self._open_row(task_id)
        row.assignee = assignee
        record(self.session, row.instance_id, self.context.clock.now(), "task_assigned", actor, row.element_id,
               row.id, {"assignee": assignee})
        self.session.flush()
        return task_view(self.session, row)

    def _open_row(self, task_id: str) -> HumanTask:
        row = self._row(task_id)
        if row.state != "open":
            raise Conflict(f"The task is already {row.state}", state=row.state)
        return row

    def validate(self, task_id: str, data: dict) -> list[Problem]:
        """The problems `data` would have as this task's submission (empty when valid)."""
        row = self._row(task_id)
        instance = self.session.get(ProcessInstance, row.instance_id)
        schema = DirectoryService(self.session).expand(form_content(self.session, instance.definition, row.form_name),
                                                       row.data, self.context.clock.now().date().isoformat())
        if not isinstance(data, dict):
            return [Problem("The submitted data must be a JSON object", field="(form)")]
        return validate_data(schema, data) if schema is not None else []

    def complete(self, task_id: str, actor: Actor, data: dict | None = None) -> CompletionResult:
        """Validate, complete and advance the instance to its next wait state, all or nothing."""
        data = {} if data is None else data
        row = self._open_row(task_id)
        if not may_work_on(row, actor):
            raise PermissionDenied(f"Only members of {row.lane} may complete this task"
                                   if not is_candidate(row, actor) else f"The task is claimed by {row.assignee}")
        instance = self.session.get(ProcessInstance, row.instance_id)
        if instance.state != RUNNING:
            raise Conflict(f"The instance is {instance.state}; its tasks cannot be completed now", state=instance.state)
        problems = self.validate(task_id, data)
        if problems:
            raise InvalidTaskData("The submitted data is not valid for this task's form", problems)
        submitted = to_json(data)
        execution = Execution(self.session, self.context, instance, actor)
        spiff_task = _find(execution.workflow, task_id)
        if spiff_task is None or spiff_task.state != TaskState.READY:
            self.session.refresh(row)  # someone completed it since we read the row
            raise Conflict("The task is no longer ready", state=row.state if row.state != "open" else None)
        row.state, row.completed_by, row.completed_at = "completed", actor.username, execution.now
        row.assignee = row.assignee or actor.username
        execution.record("task_completed", row.element_id, row.id, {"data": submitted})

        def complete(workflow):
            spiff_task.data.update(copy.deepcopy(submitted))
            spiff_task.run()
        execution.run(complete)
        self.session.flush()
        return CompletionResult(task_view(self.session, row), instance_view(self.session, instance))


def _find(workflow, task_id: str):
    try:
        return workflow.get_task_from_id(UUID(str(task_id)))
    except (ValueError, TaskNotFoundException):
        return None
