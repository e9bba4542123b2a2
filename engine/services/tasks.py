"""The human-task inbox: who may see, claim and complete which task, and completing it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, defaultload, undefer

from engine.bpmn.data import to_json
from engine.bpmn.live import TaskNotReady
from engine.errors import Conflict, InvalidInput, InvalidTaskData, NotFound, PermissionDenied, Problem
from engine.form_attachments import attachment_values
from engine.form_options import with_task_options
from engine.forms import validate_data
from engine.messages import N_
from engine.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from engine.services import access, inbox_query, task_moves
from engine.services.access import assigned_by_process as _assigned, is_candidate, may_work_on
from engine.services.attachments import AttachmentService
from engine.services.directory import DirectoryService
from engine.services.execution import RUNNING, Execution, record
from engine.services.read_models import form_content, instance_view, task_view
from engine.views import Actor, CompletionResult, Page, TaskView

SCOPES = ("mine", "candidate", "claimable", "all")
TASK_STATES = ("open", "completed", "cancelled")


def assigned_by_process(row: HumanTask) -> bool:
    return _assigned(row.properties)


_ROW = select(HumanTask, ProcessInstance).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id) \
    .where(HumanTask.id == bindparam("task_id"))
# About to act: with the stored workflow, and without the deployment row (nothing reads it).
_ROW_TO_ACT_ON = _ROW.options(undefer(ProcessInstance.workflow_json),
                              defaultload(ProcessInstance.definition).lazyload(ProcessDefinition.deployment))


class TaskService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context
        self._held: list = []

    def _row(self, task_id: str, with_state: bool = False) -> HumanTask:
        """The task row with its instance and definition in one statement (and the instance's
        stored workflow too when about to act on it)."""
        query = _ROW_TO_ACT_ON if with_state else _ROW
        found = self.session.execute(query, {"task_id": str(task_id)}).first()
        if found is None:
            raise NotFound(N_("No task %(task)s"), task=task_id)
        self._held.append(found[1])  # the session's identity map holds objects weakly
        return found[0]

    def get(self, task_id: str, actor: Actor | None = None) -> TaskView:
        row = self._row(task_id)
        if actor is not None and not access.may_see_task(row, actor):
            raise PermissionDenied(N_("This task belongs to another role"))
        return self._view(row, actor)

    def _view(self, row: HumanTask, actor: Actor | None, with_form: bool = True) -> TaskView:
        return access.with_flags(self.session, task_view(self.session, row, with_form=with_form), actor)

    def list(self, actor: Actor, scope: str = "candidate", instance_id: int | None = None, state: str = "open",
             process_key: str | None = None, order: str = "created", page: int = 1,
             per_page: int = 20, lane: str | None = None, after: str | None = None,
             with_total: bool = True, text: str | None = None, due: str | None = None,
             assignee: str | None = None, follow_up: str = "hide", with_forms: bool = True) -> Page[TaskView]:
        """`mine`: assigned to me; `candidate`: mine or claimable by my roles; `claimable`: unassigned
        in my roles; `all`: everything I may see. `lane` keeps one candidate group. `after` is the
        cursor of the previous page (`Page.next_after`); totals are capped (see inbox_query).
        `text`, `due`, `assignee` and `follow_up` find tasks (inbox_query.Filters).
        `with_forms=False` for a list that shows no form (the inbox page): `form` is None."""
        if scope not in SCOPES:
            raise InvalidInput("Unknown scope", [Problem(f"must be one of {', '.join(SCOPES)}", field="scope")])
        if state not in TASK_STATES:
            raise InvalidInput("Unknown task state", [Problem(f"must be one of {', '.join(TASK_STATES)}",
                                                              field="state")])
        if due is not None and due not in inbox_query.DUE:
            raise InvalidInput("Unknown due filter", [Problem(f"must be one of {', '.join(inbox_query.DUE)}",
                                                              field="due")])
        if follow_up not in inbox_query.FOLLOW_UP:
            raise InvalidInput("Unknown follow-up filter", [Problem(
                f"must be one of {', '.join(inbox_query.FOLLOW_UP)}", field="follow_up")])
        filters = inbox_query.Filters(state, instance_id, process_key, lane, text, due, assignee, follow_up,
                                      self.context.clock.now())
        wheres = inbox_query.branches(actor, scope, filters)
        cursor = inbox_query.decode_cursor(after) if after else None
        offset = 0 if cursor else (page - 1) * per_page
        rows = inbox_query.page_rows(self.session, wheres, order, offset, per_page, cursor)
        self._hold_instances(rows)
        total, capped = inbox_query.capped_count(self.session, wheres) if with_total else (None, False)
        following = inbox_query.encode_cursor(rows[-1].created_at, rows[-1].id) \
            if len(rows) == per_page and order == "created" else None
        return Page([self._view(r, actor, with_forms) for r in rows], total, page, per_page,
                    total_capped=capped, next_after=following)

    def counts(self, actor: Actor, process_key: str | None = None) -> dict[str, tuple[int, bool]]:
        """{"assigned": (n, capped), "claimable": (n, capped)} of open tasks, for an inbox header."""
        filters = inbox_query.Filters("open", None, process_key, None, now=self.context.clock.now())
        return inbox_query.capped_counts(self.session, {
            name: inbox_query.branches(actor, scope, filters) for name, scope in (("assigned", "mine"),
                                                                                  ("claimable", "claimable"))})

    def count_matching(self, actor: Actor, filters: dict) -> tuple[int, bool]:
        """(count, capped) of the open tasks a saved filter's parameters choose, for its tab."""
        found = inbox_query.Filters(
            "open", None, filters.get("process_key"), filters.get("lane"), filters.get("q"), filters.get("due"),
            filters.get("assignee"), filters.get("follow_up", "hide"), self.context.clock.now())
        return inbox_query.capped_count(self.session, inbox_query.branches(actor, filters.get("scope", "candidate"),
                                                                           found))

    def _hold_instances(self, rows: list[HumanTask]) -> None:
        """The page's instances and definitions in one statement, kept for the views."""
        instance_ids = sorted({r.instance_id for r in rows})
        if instance_ids:
            self._held += self.session.scalars(select(ProcessInstance).where(ProcessInstance.id.in_(instance_ids)))

    def claim(self, task_id: str, actor: Actor) -> TaskView:
        row = self._open_row(task_id)
        if row.assignee == actor.username:
            return self._view(row, actor)
        if row.assignee is not None:
            raise Conflict(N_("The task is already claimed by %(user)s"), state=row.state, user=row.assignee)
        if not is_candidate(row, actor):
            raise PermissionDenied(N_("Only members of %(lane)s may claim this task"), lane=row.lane)
        row.assignee = actor.username
        record(self.session, row.instance_id, self.context.clock.now(), "task_claimed", actor, row.element_id, row.id)
        self.session.flush()
        return self._view(row, actor)

    def unclaim(self, task_id: str, actor: Actor) -> TaskView:
        row = self._open_row(task_id)
        if row.assignee is None:
            return self._view(row, actor)
        if assigned_by_process(row):
            raise PermissionDenied(N_("The process gave this task to one person; it cannot be released "
                                      "(an administrator may assign it to someone else)"))
        if row.assignee != actor.username and not actor.is_admin:
            raise PermissionDenied(N_("The task is claimed by %(user)s; only they or an administrator may release it"),
                                   user=row.assignee)
        row.assignee = None
        record(self.session, row.instance_id, self.context.clock.now(), "task_unclaimed", actor, row.element_id, row.id)
        self.session.flush()
        return self._view(row, actor)

    def assign(self, task_id: str, actor: Actor, username: str, reason: str | None = None) -> TaskView:
        """Give an open task to a holder of its lane role (engine.services.task_moves)."""
        row = self._open_row(task_id)
        task_moves.move(self.session, self.context.clock.now(), row, actor, username, reason)
        self.session.flush()
        return self._view(row, actor)

    def follow_up(self, task_id: str, actor: Actor, day: date | None) -> TaskView:
        """Set the day before which the task stays out of the default inbox view (None clears it)."""
        row = self._open_row(task_id)
        if not access.may_see_task(row, actor):
            raise PermissionDenied(N_("This task belongs to another role"))
        task_moves.set_follow_up(self.session, self.context.clock.now(), row, actor, day)
        self.session.flush()
        return self._view(row, actor)

    def _open_row(self, task_id: str, with_state: bool = False) -> HumanTask:
        row = self._row(task_id, with_state)
        if row.state != "open":
            raise Conflict(N_("The task is already %(state)s"), state=row.state)
        return row

    def validate(self, task_id: str, data: dict, language: str | None = None) -> list[Problem]:
        """The problems `data` would have as this task's submission (empty when valid), each
        naming its field by the form's title in `language` (engine.process_texts)."""
        return self._problems(self._row(task_id), data, language)

    def _problems(self, row: HumanTask, data, language: str | None = None) -> list[Problem]:
        instance = self.session.get(ProcessInstance, row.instance_id)
        schema = DirectoryService(self.session).expand(with_task_options(
            form_content(self.session, instance.definition, row.form_name), row.data),
            row.data, self.context.clock.now().date().isoformat())
        if not isinstance(data, dict):
            return [Problem(N_("The submitted data must be a JSON object."), field="(form)",
                            message_id=N_("The submitted data must be a JSON object."))]
        if schema is None:
            return []
        problems = validate_data(schema, data, language)
        invalid = {p.field for p in problems}
        files = {k: v for k, v in attachment_values(schema, data).items() if k not in invalid}
        return problems + (AttachmentService(self.session, self.context).unknown_references(row.instance_id, files)
                           if files else [])

    def complete(self, task_id: str, actor: Actor, data: dict | None = None,
                 language: str | None = None) -> CompletionResult:
        """Validate, complete and advance the instance to its next wait state, all or nothing."""
        data = {} if data is None else data
        row = self._open_row(task_id, with_state=True)
        if not may_work_on(row, actor):
            if not is_candidate(row, actor):
                raise PermissionDenied(N_("Only members of %(lane)s may complete this task"), lane=row.lane)
            raise PermissionDenied(N_("The task is claimed by %(user)s"), user=row.assignee)
        instance = self.session.get(ProcessInstance, row.instance_id)
        if instance.state != RUNNING:
            raise Conflict(N_("The instance is %(state)s; its tasks cannot be completed now"), state=instance.state)
        problems = self._problems(row, data, language)
        if problems:
            raise InvalidTaskData(N_("The submitted data is not valid for this task's form"), problems)
        submitted = to_json(data)
        execution = Execution(self.session, self.context, instance, actor)
        try:
            complete = execution.live.completing(task_id, submitted)
        except TaskNotReady:
            self.session.refresh(row)  # someone completed it since we read the row
            raise Conflict(N_("The task is no longer ready"), state=row.state if row.state != "open" else None) from None
        execution.close_task(row, "completed", actor.username, row.assignee or actor.username)
        execution.record("task_completed", row.element_id, row.id, {"data": submitted})
        execution.run(complete)
        self.session.flush()
        return CompletionResult(self._view(row, actor),
                                access.instance_with_flags(self.session, instance_view(self.session, instance), actor))
