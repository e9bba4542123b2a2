"""The workflow class the engine runs, and two SpiffWorkflow 3.2 traps it disarms:

* task iterators stop at depth 1000, so a loop of a few hundred rounds silently stalls, and
  `is_completed` can report a workflow finished while its end lies deeper;
* timers read `datetime.now()` straight from the system, so they cannot be fast-forwarded.

Both fixes change SpiffWorkflow for the whole process, so nothing happens at import:
`install_spiff_fixes()` applies them, once, when an `Engine` is made.
"""
from __future__ import annotations

import contextlib
import copy
import contextvars
from datetime import datetime as _datetime

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskIterator, TaskState

from engine.clock import Clock, SystemClock

# Deep enough for any real process (a loop of 500 rounds is about 2,000 levels); the
# iterators walk the tree with an explicit list, so depth costs no recursion.
TASK_TREE_MAX_DEPTH = 1_000_000


def _raise_default_depth(iterator_class) -> None:
    code = iterator_class.__init__.__code__
    names = code.co_varnames[1:code.co_argcount]
    defaults = list(iterator_class.__init__.__defaults__)
    position = names.index("max_depth") - (len(names) - len(defaults))
    defaults[position] = TASK_TREE_MAX_DEPTH
    iterator_class.__init__.__defaults__ = tuple(defaults)


_current_clock: contextvars.ContextVar[Clock] = contextvars.ContextVar(
    "secretariat_clock", default=SystemClock())


class _EngineClockDatetime(_datetime):
    """Stands in for `datetime` inside SpiffWorkflow's timer module; `now()` asks our clock."""

    @classmethod
    def now(cls, tz=None):
        moment = _current_clock.get().now()
        return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)


_installed = False


def install_spiff_fixes() -> None:
    """Deep task iterators and the engine's clock for timers; idempotent."""
    global _installed
    if _installed:
        return
    for iterator in (TaskIterator, BpmnTaskIterator):
        _raise_default_depth(iterator)
    spiff_timer.datetime = _EngineClockDatetime
    _installed = True


def engine_now() -> _datetime:
    """The engine's time (the clock in use), for scripts that count deadlines."""
    return _current_clock.get().now()


@contextlib.contextmanager
def clock_in_use(clock: Clock):
    """Within the block, timers measure time by `clock`."""
    token = _current_clock.set(clock)
    try:
        yield
    finally:
        _current_clock.reset(token)


class EngineWorkflow(BpmnWorkflow):
    """Our workflow class, registered with the serializer under its own name."""

    # A call activity that calls its own process (directly or round a cycle) without a way
    # out would nest subprocesses until memory runs out; no real process nests this deep.
    MAX_SUBPROCESS_DEPTH = 50

    def create_subprocess(self, my_task, spec_name):
        depth, workflow = 1, my_task.workflow
        while getattr(workflow, "parent_workflow", None) is not None:
            depth, workflow = depth + 1, workflow.parent_workflow
        if depth >= self.MAX_SUBPROCESS_DEPTH:
            raise WorkflowTaskException(
                f"subprocesses and call activities are nested {depth} deep (more than "
                f"{self.MAX_SUBPROCESS_DEPTH - 1}): does '{spec_name}' call itself without end?", task=my_task)
        if _is_triggered_event_subprocess(my_task) and not my_task.data:
            # SpiffWorkflow starts a triggered event subprocess from the tree's root, whose data
            # is empty: the handler would not see the process's data. It starts from the data
            # of the step that raised the event, as a subprocess started in the flow would.
            source = self.last_task or my_task
            my_task.data = copy.deepcopy(source.data)
        return super().create_subprocess(my_task, spec_name)

    def result_data(self) -> dict:
        """The data of a completed workflow. SpiffWorkflow takes it from the main flow's end, which
        leaves out what an event subprocess that ran after the main flow ended (an error
        handler) produced: that is merged over it, the handler last, as it ran last."""
        data = dict(self.data)
        for task in sorted(self.tasks.values(), key=lambda t: t.last_state_change):
            if task.workflow is self and _is_triggered_event_subprocess(task) and task.has_state(TaskState.COMPLETED):
                data.update(task.data)
        return data


def _is_triggered_event_subprocess(task) -> bool:
    """An event subprocess the library started on an event: a child of the root it keeps as a trigger."""
    start = task.workflow.spec.start
    return task.parent is task.workflow.task_tree and task.task_spec.name in getattr(start, "trigger_specs", ())
