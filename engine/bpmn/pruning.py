"""Moving finished work out of a workflow's live task tree.

SpiffWorkflow never forgets a task: each round of a loop hangs the next round below the
last, each multi-instance child stays under its parent, each finished subprocess stays in
the workflow. Every action walks and serializes that whole tree, so an instance's cost grew
with its history (x17-23 at 1,000 rounds). Here, before a workflow is saved, what nothing can
return to is cut away, and the caller archives it.

What is kept, for each (sub)workflow:

* its root, every unfinished task (waiting, ready, started, predicted) and every task in
  `ERROR` (a retry runs it again);
* the parent of each of those: joins and inclusive gateways read the task before them,
  boundary events and multi-instance children hang under their split or parent;
* the ancestors a join looks for: a structured join its split (`find_ancestor`), a gateway
  with several incoming flows the nearest earlier task of each (how SpiffWorkflow tells, in
  a loop, that the flow which first entered the loop has arrived);
* while a parallel or inclusive gateway joining several flows waits, the earlier arrivals of
  this round (and its last firing, which marks where the round began): each arrival is a
  cancelled task of the gateway whose parent is the branch's last step, and the arrival that
  fires the gateway counts them (and merges their data);
* every task where two branches holding kept tasks meet, so siblings stay siblings.

Every other task is finished and either lies on a chain above what is kept (rounds of a
loop, the steps before a parallel split) or hangs off it (finished branches, finished
multi-instance children, cancelled boundary events). The chains are contracted: a kept task
is re-attached to its nearest kept ancestor; its data is whole and the serializer computes
its delta against the new parent. Subprocesses of removed tasks go with them.

The searches SpiffWorkflow makes over the tree only look at unfinished tasks, their parents,
splits, this round's arrivals at a join, or tasks below the one asking, so they answer as
before; the one change is that a join in a loop no longer mistakes an arrival of an earlier
round for one in this round (SpiffWorkflow's own bug).
"""
from __future__ import annotations

from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.mixins.unstructured_join import UnstructuredJoin
from SpiffWorkflow.util.task import TaskState

_LIVE = TaskState.NOT_FINISHED_MASK | TaskState.ERROR


@dataclass(frozen=True)
class PrunedTask:
    """What history keeps of a task that left the live tree."""
    id: str
    element_id: str | None
    spec_name: str
    state: str
    ended_at: float


def prune(workflow) -> list[PrunedTask]:
    """Cut finished work out of `workflow` (a top-level BpmnWorkflow) and its subprocesses."""
    if workflow.is_completed():
        return []  # never loaded again to act on; its last tree is its record
    removed: list = []
    for sub in [workflow, *workflow.subprocesses.values()]:
        removed += _prune_one(sub)
    gone = {task.id for task in removed}
    for task_id in [i for i in workflow.subprocesses if i in gone]:
        _drop_subprocess(workflow, task_id, removed)
    if workflow.last_task is not None and workflow.last_task.id in gone:
        workflow.last_task = None
    return [_describe(task) for task in removed]


def _prune_one(workflow) -> list:
    tasks = workflow.tasks
    root = workflow.task_tree
    if len(tasks) < 3:
        return []
    keep = {root.id}
    joins: dict[str, list] = {}
    for task in tasks.values():
        if isinstance(task.task_spec, UnstructuredJoin):
            joins.setdefault(task.task_spec.name, []).append(task)
        if task.state & _LIVE:
            keep.add(task.id)
            if task._parent is not None:
                keep.add(task._parent)
            keep.update(_ancestors_looked_for(task))
    for name, same in joins.items():
        for waiting in (t for t in same if t.state & _LIVE):
            keep.update(_arrivals_counted(waiting, same))
    if len(keep) == 1:
        return []  # nothing live here (a finished subprocess): leave it to its owner
    _keep_meeting_points(tasks, root, keep)
    if len(keep) == len(tasks):
        return []
    removed = [task for task_id, task in tasks.items() if task_id not in keep]
    for task_id in keep:
        task = tasks[task_id]
        if task is not root:
            ancestor = task.parent
            while ancestor.id not in keep:
                ancestor = ancestor.parent
            task._parent = ancestor.id
    _reorder_children(tasks, keep)
    for task in removed:
        del tasks[task.id]
    return removed


def _ancestors_looked_for(task) -> set:
    """Ancestors a waiting or future join will search for: a structured join its split; a
    gateway with several incoming flows the nearest earlier task of each input (in a loop,
    SpiffWorkflow counts the flow that first entered it as arrived by finding that task)."""
    spec = task.task_spec
    wanted = set()
    split = getattr(spec, "split_task", None)
    if isinstance(split, str):
        wanted.add(split)
    if len(spec.inputs) > 1:
        wanted.update(i.name for i in spec.inputs)
    found = set()
    ancestor = task.parent
    while wanted and ancestor is not None:
        if ancestor.task_spec.name in wanted:
            wanted.discard(ancestor.task_spec.name)
            found.add(ancestor.id)
        ancestor = ancestor.parent
    return found


def _arrivals_counted(waiting, same_gateway: list) -> set:
    """A gateway joining several flows keeps one task per arrival: each later arrival cancels
    the earlier waiting one, and the last counts the cancelled ones (and their parents) as
    arrived. Those of this round (below the gateway's last firing, not above the waiting
    task) are kept with their parents; older rounds' are not counted again."""
    fired = waiting.parent
    while fired is not None and fired.task_spec is not waiting.task_spec:
        fired = fired.parent
    kept = {fired.id} if fired is not None else set()  # so the next save finds the round's start again
    for task in same_gateway:
        if task.state & _LIVE or waiting.is_descendant_of(task):
            continue
        if fired is None or task.is_descendant_of(fired):
            kept.add(task.id)
            if task._parent is not None:
                kept.add(task._parent)
    return kept


def _keep_meeting_points(tasks, root, keep: set) -> None:
    """Adds each task below which two or more kept tasks lie on different child branches."""
    below: dict = {}
    for task_id in list(keep):
        previous = None
        current = tasks[task_id]
        while current is not None:
            branches = below.setdefault(current.id, set())
            if previous is not None:
                if previous in branches:
                    break  # this path is already marked from here up
                branches.add(previous)
                if len(branches) > 1:
                    keep.add(current.id)
            previous = current.id
            current = current.parent


def _reorder_children(tasks, keep: set) -> None:
    """Each kept task lists exactly its kept children, in the order they were created."""
    order = {task_id: position for position, task_id in enumerate(tasks)}
    children: dict = {task_id: [] for task_id in keep}
    for task_id in keep:
        parent = tasks[task_id]._parent
        if parent is not None:
            children[parent].append(task_id)
    for task_id, ids in children.items():
        tasks[task_id]._children = sorted(ids, key=order.__getitem__)


def _drop_subprocess(workflow, task_id, removed: list) -> None:
    sub = workflow.subprocesses.pop(task_id, None)
    if sub is None:
        return
    removed += list(sub.tasks.values())
    for nested in [i for i in sub.tasks if i in workflow.subprocesses]:
        _drop_subprocess(workflow, nested, removed)


def _describe(task) -> PrunedTask:
    spec = task.task_spec
    return PrunedTask(id=str(task.id), element_id=getattr(spec, "bpmn_id", None), spec_name=spec.name,
                      state=TaskState.get_name(task.state), ended_at=task.last_state_change)
