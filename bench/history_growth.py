"""Does an action cost more as an instance's history grows? Late rounds against early ones.

    .venv/bin/python bench/history_growth.py                # 1,000 rounds and items (~1-2 min)
    .venv/bin/python bench/history_growth.py --rounds 200   # quicker

Three shapes, each driven to the end, every action timed; the figure is the median of the
ten actions around round (or item) 10 and around the last one:

* a loop of three parallel reviews (`tests/engine/bpmn/three_reviews.bpmn`: a split, three
  user tasks completed one action each, a join, a counter, a gateway back); its data stays
  the same size, so any growth is the engine's;
* a loop people drive whose data grows by design (`review_loop.bpmn`: each round appends its
  note to a list, beside a script branch, with a boundary timer on the task);
* a parallel multi-instance user task over N items (`multi_instance.bpmn`), completed one
  item at a time.

Each runs through the engine (a unit of work per action, SQLite in a temporary folder, or
`SECRETARIAT_BENCH_DATABASE_URL`), and through raw SpiffWorkflow in memory (the same spec,
nothing stored, nothing pruned). Printed: ms per action early and late, their ratio, the
stored state's bytes and the archived task rows.

Raw SpiffWorkflow walks its ever deeper tree recursively (`Task.is_descendant_of`): past about
190 rounds of this loop it dies of RecursionError at Python's default limit. Its runs here get
a deep stack (a thread with 1 GB of stack and a recursion limit of 200,000) to be measured at
all, and its loop stops at `--raw-rounds` (default 200): each of its rounds walks the whole
history (4 s per round at round 200), so 1,000 rounds would take hours.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measuring import ADMIN, CLERK, TRANSLATOR, deploy, median, new_engine, redact  # noqa: E402

from sqlalchemy import func, select  # noqa: E402

from engine.bpmn import store  # noqa: E402
from engine.bpmn.scripting import RestrictedScriptEngine  # noqa: E402
from engine.persistence.models import ArchivedTask, ProcessInstance  # noqa: E402

READY = 16


def _stored(engine, instance_id) -> tuple[int, int]:
    with engine.unit_of_work() as uow:
        state = uow.session.get(ProcessInstance, instance_id).workflow_json
        archived = uow.session.scalar(select(func.count()).select_from(ArchivedTask)
                                      .where(ArchivedTask.instance_id == instance_id))
    return len(state), archived


def _spec_json(engine, key) -> str:
    with engine.unit_of_work() as uow:
        return uow.repository.definition(key).spec_json


def _window(times: list[float], around: int) -> float:
    low = max(0, around - 5)
    return median(times[low:low + 10]) * 1000


def engine_reviews(engine, rounds: int) -> tuple[list[float], tuple[int, int], tuple[int, int]]:
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start("three_reviews", actor=CLERK, data={"limit": rounds})
        uow.commit()
    open_tasks, times, early, late = instance.open_tasks, [], None, None
    for number in range(1, rounds + 1):
        for task in list(open_tasks):
            began = time.perf_counter()
            with engine.unit_of_work(writes=True) as uow:
                result = uow.tasks.complete(task.id, CLERK, {"note": f"{task.element_id} {number}"})
                uow.commit()
            times.append(time.perf_counter() - began)
        open_tasks = result.process_instance.open_tasks
        if number == 10:
            early = _stored(engine, instance.id)
        if number == rounds - 1:
            late = _stored(engine, instance.id)
    assert result.process_instance.state == "completed"
    return times, early, late


def engine_loop(engine, rounds: int) -> tuple[list[float], tuple[int, int], tuple[int, int]]:
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start("review_loop", actor=CLERK, data={"limit": rounds})
        uow.commit()
    task_id, times, early = instance.open_tasks[0].id, [], None
    for number in range(1, rounds + 1):
        began = time.perf_counter()
        with engine.unit_of_work(writes=True) as uow:
            result = uow.tasks.complete(task_id, CLERK, {"note": f"round {number}"})
            uow.commit()
        times.append(time.perf_counter() - began)
        if number == 10:
            early = _stored(engine, instance.id)
        if result.process_instance.open_tasks:
            task_id = result.process_instance.open_tasks[0].id
        if number == rounds - 1:
            late = _stored(engine, instance.id)
    assert result.process_instance.state == "completed"
    return times, early, late


def engine_items(engine, items: int) -> tuple[list[float], tuple[int, int], tuple[int, int]]:
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start("multi_instance", actor=ADMIN, data={"languages": [f"l{i}" for i in range(items)]})
        uow.commit()
    with engine.unit_of_work() as uow:
        ids = [t.id for t in uow.tasks.list(ADMIN, scope="all", instance_id=instance.id, per_page=100).items]
        while len(ids) < items:
            page = uow.tasks.list(ADMIN, scope="all", instance_id=instance.id, per_page=100, page=len(ids) // 100 + 1)
            ids += [t.id for t in page.items]
    times, early, late = [], None, None
    for number, task_id in enumerate(ids, start=1):
        began = time.perf_counter()
        with engine.unit_of_work(writes=True) as uow:
            uow.tasks.complete(task_id, TRANSLATOR, {"text": f"text {number}"})
            uow.commit()
        times.append(time.perf_counter() - began)
        if number == 10:
            early = _stored(engine, instance.id)
        if number == items - 1:
            late = _stored(engine, instance.id)
    return times, early, late


def _raw_run(spec_json: str, start_data: dict, completions: int, submission) -> list[float]:
    """Raw SpiffWorkflow in memory: complete the first ready user task `completions` times with
    `submission(task spec id, number)`, timing each completion with its engine steps."""
    workflow = store.load_new(spec_json, RestrictedScriptEngine())
    workflow.task_tree.data.update(start_data)
    workflow.do_engine_steps()
    times = []
    for number in range(completions):
        began = time.perf_counter()
        task = next(t for t in workflow.get_tasks(state=READY) if t.task_spec.manual)
        task.data.update(submission(task.task_spec.bpmn_id, number))
        task.run()
        workflow.do_engine_steps()
        times.append(time.perf_counter() - began)
    return times


def raw_reviews(spec_json: str, rounds: int, measured: int) -> list[float]:
    return _raw_run(spec_json, {"limit": rounds}, 3 * min(rounds, measured),
                    lambda element, number: {"note": f"{element} {number // 3 + 1}"})


def raw_loop(spec_json: str, rounds: int, measured: int) -> list[float]:
    return _raw_run(spec_json, {"limit": rounds}, min(rounds, measured),
                    lambda element, number: {"note": f"round {number + 1}"})


def raw_items(spec_json: str, items: int) -> list[float]:
    return _raw_run(spec_json, {"languages": [f"l{i}" for i in range(items)]}, items,
                    lambda element, number: {"text": f"text {number + 1}"})


def deep_stack(function, *args):
    """Runs `function` in a thread whose stack can hold raw SpiffWorkflow's recursion."""
    result, limit = [], sys.getrecursionlimit()
    threading.stack_size(1024 * 1024 * 1024)
    sys.setrecursionlimit(200_000)
    try:
        thread = threading.Thread(target=lambda: result.append(function(*args)))
        thread.start()
        thread.join()
    finally:
        threading.stack_size(0)
        sys.setrecursionlimit(limit)
    return result[0]


def report(name: str, n: int, engine_times, early, late, raw_times, per_round: int = 1) -> str:
    e10, elate = _window(engine_times, 10 * per_round), _window(engine_times, len(engine_times) - 10 * per_round)
    r10, rlate = _window(raw_times, 10 * per_round), _window(raw_times, len(raw_times) - 10 * per_round)
    rn = len(raw_times) // per_round
    return (f"| {name} | {n:,} | {e10:.2f} | {elate:.2f} | x{elate / e10:.2f} | {r10:.2f} | {rlate:.2f} (@{rn:,}) | "
            f"x{rlate / r10:.2f} | {early[0]:,} -> {late[0]:,} | {late[1]:,} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1000, help="loop rounds and multi-instance items")
    parser.add_argument("--raw-rounds", type=int, default=200, help="rounds of the raw SpiffWorkflow loop")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="secretariat-growth-")
    url = os.environ.get("SECRETARIAT_BENCH_DATABASE_URL") or f"sqlite:///{folder}/growth.db"
    engine = new_engine(url)
    deploy(engine, "review_loop.bpmn", "note.schema.json", "multi_instance.bpmn", "translation.schema.json",
           "three_reviews.bpmn")
    print(f"database {redact(url)}; {args.rounds:,} rounds and items; ms per action, median of 10 around each point\n")
    print("| shape | N | engine @10 | engine @N | late/early | raw @10 | raw @N | raw late/early "
          "| stored state bytes @10 -> @N | archived tasks |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    times, early, late = engine_reviews(engine, args.rounds)
    print(report("loop of three parallel reviews, per completion", args.rounds, times, early, late,
                 deep_stack(raw_reviews, _spec_json(engine, "three_reviews"), args.rounds, args.raw_rounds), 3),
          flush=True)
    times, early, late = engine_loop(engine, args.rounds)
    print(report("loop whose data grows (a note a round)", args.rounds, times, early, late,
                 deep_stack(raw_loop, _spec_json(engine, "review_loop"), args.rounds, args.raw_rounds)), flush=True)
    times, early, late = engine_items(engine, args.rounds)
    print(report("parallel multi-instance, one item", args.rounds, times, early, late,
                 deep_stack(raw_items, _spec_json(engine, "multi_instance"), args.rounds)), flush=True)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
