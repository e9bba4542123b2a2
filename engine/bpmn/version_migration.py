"""Moving a running workflow onto another version of its process, with SpiffWorkflow 3.2's
`bpmn.util.diff`: it aligns the old version's elements with the new one's (by id first, then
by position in the flow), and `migrate_workflow` points each task at its new element, then
resets and re-predicts what is ready or waiting.

What cannot move, and is reported instead (nothing is changed then):
* a task that is ready, waiting, running or failed on an element the new version removed;
* a subprocess or call activity whose process the new version no longer has;
* any task left on an element of the old version once moved (the saved state could not be
  read back against the new version).

A ready task keeps its id (the inbox row stays); a waiting timer starts counting again."""
from __future__ import annotations

from dataclasses import dataclass

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from engine.bpmn import store
from engine.bpmn.workflow import EngineWorkflow

_LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
_STATE_WORDS = {TaskState.READY: "ready", TaskState.WAITING: "waiting", TaskState.STARTED: "running",
                TaskState.ERROR: "failed"}


@dataclass(frozen=True)
class Blocker:
    """Why the workflow cannot move: in plain words, at an element of the old version."""
    element_id: str | None
    reason: str


def migrate(workflow: EngineWorkflow, new_specs: store.ProcessSpecs) -> list[Blocker]:
    """Move `workflow` onto `new_specs` in place; when blockers are returned, the workflow must be
    thrown away (the caller reloads it), as a migration half done is not a state to save."""
    try:
        return _migrate(workflow, new_specs)
    except (KeyError, AttributeError, TypeError) as error:  # an element SpiffWorkflow could not align
        return [Blocker(None, f"the two versions could not be aligned element by element ({error!r})")]


def _migrate(workflow: EngineWorkflow, new_specs: store.ProcessSpecs) -> list[Blocker]:
    registry = store.registry()
    top = WorkflowDiff(workflow, SpecDiff(registry, workflow.spec, new_specs.spec))
    blockers = _removed_live_tasks(top)
    diffs = []
    for sub_id, sub in workflow.subprocesses.items():
        new_spec = new_specs.subprocess_specs.get(sub.spec.name)
        if new_spec is None:
            blockers.append(Blocker(_element_of(workflow, sub_id), f"the subprocess '{sub.spec.name}' is running "
                                                                   "but the new version no longer has it"))
            continue
        diff = WorkflowDiff(sub, SpecDiff(registry, sub.spec, new_spec))
        blockers += _removed_live_tasks(diff)
        diffs.append((diff, sub, new_spec))
    if blockers:
        return blockers
    migrate_workflow(top, workflow, new_specs.spec)
    workflow.subprocess_specs = new_specs.subprocess_specs
    for diff, sub, new_spec in diffs:
        migrate_workflow(diff, sub, new_spec)
    return _left_on_old_elements(workflow, new_specs) or _reload_problems(workflow, new_specs)


def _removed_live_tasks(diff: WorkflowDiff) -> list[Blocker]:
    blockers = []
    for task in diff.removed:
        if task.state & _LIVE:
            spec = task.task_spec
            name = getattr(spec, "bpmn_name", None) or spec.name
            blockers.append(Blocker(getattr(spec, "bpmn_id", None) or spec.name,
                                    f"the task '{name}' is {_STATE_WORDS.get(task.state, 'active')} "
                                    "but its element no longer exists in the new version"))
    return blockers


def _left_on_old_elements(workflow: EngineWorkflow, new_specs: store.ProcessSpecs) -> list[Blocker]:
    blockers = []
    for task in workflow.get_tasks():
        owner = task.workflow.spec
        if owner.task_specs.get(task.task_spec.name) is not task.task_spec:
            spec = task.task_spec
            blockers.append(Blocker(getattr(spec, "bpmn_id", None) or spec.name,
                                    f"the step '{getattr(spec, 'bpmn_name', None) or spec.name}' the case went "
                                    "through no longer exists in the new version"))
    return blockers


def _reload_problems(workflow: EngineWorkflow, new_specs: store.ProcessSpecs) -> list[Blocker]:
    """The moved state must read back against the new version, as the next action will load it."""
    try:
        store.load(new_specs, store.dump_state(workflow), workflow.script_engine)
    except Exception as error:  # noqa: BLE001 - whatever SpiffWorkflow's restore trips over
        return [Blocker(None, f"the moved case could not be read back against the new version ({error!r})")]
    return []


def _element_of(workflow: EngineWorkflow, sub_id) -> str | None:
    task = workflow.get_task_from_id(sub_id) if sub_id in workflow.tasks else None
    return getattr(task.task_spec, "bpmn_id", None) if task is not None else None
