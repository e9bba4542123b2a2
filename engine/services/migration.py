"""Migrating running instances to another version of their process (administrators only).

One instance, or every running instance of a process key, moves to a version (default: the
latest). A dry run does the whole migration in memory and throws it away, so it lists exactly
what would refuse; a real run saves it through the usual `Execution` (task rows, timers,
history) and records `instance_migrated` with the versions. An instance that cannot move is
left as it was, with the reasons, each at an element of the old version."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn.live import LiveWorkflow
from engine.errors import NotFound, PermissionDenied, Problem
from engine.messages import N_
from engine.persistence.models import HumanTask, ProcessDefinition, ProcessInstance
from engine.services.execution import RUNNING, Execution, definition_specs
from engine.services.repository import RepositoryService
from engine.views import Actor


@dataclass(frozen=True)
class MigrationOutcome:
    """What happened (or, in a dry run, would happen) to one instance."""
    instance_id: int
    from_version: int
    to_version: int
    migrated: bool
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"instance_id": self.instance_id, "from_version": self.from_version, "to_version": self.to_version,
                "migrated": self.migrated, "dry_run": self.dry_run, "problems": [p.as_dict() for p in self.problems]}


def _require_admin(actor: Actor | None) -> None:
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(N_("Only administrators migrate instances to another version"))


class MigrationService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def migrate_instance(self, instance_id: int, actor: Actor | None, to_version: int | None = None,
                         dry_run: bool = False) -> MigrationOutcome:
        _require_admin(actor)
        query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
        instance = self.session.scalar(query if dry_run else query.with_for_update(of=ProcessInstance))
        if instance is None:
            raise NotFound(N_("No process instance %(instance)s"), instance=instance_id)
        target = RepositoryService(self.session, self.context).definition(instance.process_key, to_version)
        return self._migrate(instance, target, actor, dry_run)

    def migrate_process(self, key: str, actor: Actor | None, to_version: int | None = None,
                        dry_run: bool = False) -> list[MigrationOutcome]:
        """Every running instance of `key` not yet on the target version, oldest first."""
        _require_admin(actor)
        target = RepositoryService(self.session, self.context).definition(key, to_version)
        query = (select(ProcessInstance).join(ProcessDefinition, ProcessInstance.definition_id == ProcessDefinition.id)
                 .where(ProcessInstance.process_key == key, ProcessInstance.state == RUNNING,
                        ProcessDefinition.version != target.version).order_by(ProcessInstance.id))
        if not dry_run:
            query = query.with_for_update(of=ProcessInstance)
        return [self._migrate(instance, target, actor, dry_run) for instance in self.session.scalars(query).all()]

    def _migrate(self, instance: ProcessInstance, target: ProcessDefinition, actor: Actor | None,
                 dry_run: bool) -> MigrationOutcome:
        current = instance.definition
        refused = self._refusal(instance, current, target)
        if refused:
            return MigrationOutcome(instance.id, current.version, target.version, False, dry_run, [refused])
        live = LiveWorkflow.load(definition_specs(self.session, current), instance.workflow_json,
                                 self.context.script_engine)
        blockers = live.migrating_to(definition_specs(self.session, target))
        problems = [Problem(b.reason, element_id=b.element_id) for b in blockers]
        if problems or dry_run:
            return MigrationOutcome(instance.id, current.version, target.version, not problems, dry_run, problems)
        instance.definition_id, instance.definition = target.id, target
        execution = Execution(self.session, self.context, instance, actor, live=live)
        execution.record("instance_migrated", data={"from_version": current.version, "to_version": target.version})
        execution.run()
        self._refresh_open_tasks(instance, live)
        return MigrationOutcome(instance.id, current.version, target.version, True, False)

    @staticmethod
    def _refusal(instance: ProcessInstance, current: ProcessDefinition, target: ProcessDefinition) -> Problem | None:
        if instance.state != RUNNING:
            return Problem(f"the instance is {instance.state}: only running instances are migrated"
                           + (" (retry or cancel it first)" if instance.state == "error" else ""))
        if current.id == target.id:
            return Problem(f"the instance already runs version {target.version}")
        return None

    def _refresh_open_tasks(self, instance: ProcessInstance, live: LiveWorkflow) -> None:
        """A task that stayed ready keeps its inbox row; what the new version says of it (name,
        form, lane, instructions) replaces what the old one said."""
        ready = {t.id: t for t in live.snapshot().human_tasks}
        rows = self.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                            HumanTask.state == "open"))
        for row in rows:
            task = ready.get(row.id)
            if task is None:
                continue
            row.element_id, row.name, row.lane = task.element_id, task.name, task.lane
            row.candidate_group = task.candidate_group or task.lane
            row.form_name, row.ui_form_name = task.form, task.ui_form
            row.instructions, row.properties = task.instructions, task.properties
        self.session.flush()
