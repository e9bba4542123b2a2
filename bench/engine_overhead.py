"""What the engine costs on top of SpiffWorkflow, and how that grows with the task tree.

Run by hand from the project folder (no assertions on time; it prints numbers and ratios):

    .venv/bin/python bench/engine_overhead.py             # about 1-2 minutes on 2 cores
    .venv/bin/python bench/engine_overhead.py --quick     # a fast smoke run, rough numbers
    .venv/bin/python bench/engine_overhead.py --profile   # add a cProfile of one engine completion
    SECRETARIAT_BENCH_DATABASE_URL=postgresql+psycopg://user@host/db .venv/bin/python bench/engine_overhead.py

Part 1 runs tests/engine/bpmn/approval.bpmn (start, complete `submit_request`, complete
`review_request`) many times (a) in raw SpiffWorkflow in memory and (b) through the engine
on a temporary SQLite file, one unit of work with commit per action, and prints median and
p95 per action and the ratio (b)/(a). With SECRETARIAT_BENCH_DATABASE_URL set, (b) is also
run on that database (it is migrated and the fixtures deployed there; the instances stay).

Part 2 runs tests/engine/bpmn/multi_instance.bpmn over N = 10, 100, 1000 languages: engine
start, one `translate` completion (engine and raw), the size of the stored state, the raw
serializer round trip, and where one engine completion spends its time.

See bench/README.md for what the numbers mean and the figures measured so far.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from measuring import (  # sets up sys.path for the project first
    ACTIONS, CLERK, DIRECTOR, REQUEST, REVIEW, SUMMARY, deploy, explain, filesystem_of, heading, median, ms,
    new_engine, p95, raw_spec, ready_manual, redact, stopwatch,
)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402

from engine import Engine  # noqa: E402
from multi_instance_growth import part2  # noqa: E402


# -- Part 1: engine overhead on the approval process ------------------------------------------

def raw_approval_once(spec, subprocess_specs, timings: dict[str, list[float]] | None) -> None:
    sink = timings or {a: [] for a in ACTIONS}
    with stopwatch(sink["start"]):
        workflow = BpmnWorkflow(spec, subprocess_specs)
        workflow.do_engine_steps()
    with stopwatch(sink["complete task 1"]):
        [task] = ready_manual(workflow, "submit_request")
        task.data.update(REQUEST)
        task.run()
        workflow.do_engine_steps()
    with stopwatch(sink["complete task 2"]):
        [task] = ready_manual(workflow, "review_request")
        task.data.update(REVIEW)
        task.run()
        workflow.do_engine_steps()
    if not workflow.is_completed() or workflow.data.get("outcome") != "approved":
        raise RuntimeError(f"raw approval did not end as expected: {workflow.data}")


def engine_approval_once(engine: Engine, timings: dict[str, list[float]] | None) -> None:
    sink = timings or {a: [] for a in ACTIONS}
    statements = engine.sql_counter

    def counted(action: str, before: int) -> None:
        if timings is not None:
            timings.setdefault(f"sql {action}", []).append(statements.count - before)

    before = statements.count
    with stopwatch(sink["start"]):
        with engine.unit_of_work() as uow:
            instance = uow.runtime.start("approval", actor=CLERK)
            uow.commit()
    counted("start", before)
    [task] = instance.open_tasks
    before = statements.count
    with stopwatch(sink["complete task 1"]):
        with engine.unit_of_work() as uow:
            result = uow.tasks.complete(task.id, CLERK, REQUEST)
            uow.commit()
    counted("complete task 1", before)
    [review] = result.process_instance.open_tasks
    before = statements.count
    with stopwatch(sink["complete task 2"]):
        with engine.unit_of_work() as uow:
            result = uow.tasks.complete(review.id, DIRECTOR, REVIEW)
            uow.commit()
    counted("complete task 2", before)
    final = result.process_instance
    if final.state != "completed" or final.data.get("outcome") != "approved":
        raise RuntimeError(f"engine approval did not end as expected: {final.state} {final.data}")


def measure(run_once, instances: int, warmup: int) -> dict[str, list[float]]:
    for _ in range(warmup):
        run_once(None)
    timings = {a: [] for a in ACTIONS}
    for _ in range(instances):
        run_once(timings)
    return timings


def print_action_table(label: str, timings: dict[str, list[float]]) -> None:
    with_sql = f"sql {ACTIONS[0]}" in timings
    print(f"  {label}")
    print(f"    {'action':<17}{'median ms':>11}{'p95 ms':>10}" + (f"{'SQL statements':>16}" if with_sql else ""))
    for action in ACTIONS:
        values = timings[action]
        sql = f"{statistics.mean(timings[f'sql {action}']):>16.0f}" if with_sql else ""
        print(f"    {action:<17}{ms(median(values)):>11.3f}{ms(p95(values)):>10.3f}{sql}")
    total = [sum(v) for v in zip(*(timings[a] for a in ACTIONS))]
    print(f"    {'whole instance':<17}{ms(median(total)):>11.3f}{ms(p95(total)):>10.3f}")


def print_ratio_table(raw: dict[str, list[float]], engine: dict[str, list[float]], label: str) -> dict[str, float]:
    print(f"  ratio {label}  (median/median, p95/p95; extra = engine median - raw median)")
    print(f"    {'action':<17}{'x median':>10}{'x p95':>9}{'extra ms':>11}")
    ratios = {}
    for action in ACTIONS:
        r, e = raw[action], engine[action]
        ratios[action] = median(e) / median(r)
        print(f"    {action:<17}{ratios[action]:>10.1f}{p95(e) / p95(r):>9.1f}{ms(median(e) - median(r)):>11.2f}")
    return ratios


def part1(args, workdir: Path) -> None:
    heading("Part 1: engine overhead on tests/engine/bpmn/approval.bpmn")
    explain(f"""
The same three actions, {args.instances} instances each after {args.warmup} warm-up instances:
  start            (a) BpmnWorkflow(spec, subprocess_specs) + do_engine_steps()
                   (b) uow.runtime.start("approval", actor=clerk) + commit
  complete task 1  submit_request with {REQUEST}
  complete task 2  review_request with {REVIEW} (gateway, script task, end)
(a) raw SpiffWorkflow in memory: the spec is parsed once, nothing is stored, the default
    (unrestricted) script engine runs the script task.
(b) the engine: each action is one unit of work (new session, load the instance row and
    the stored workflow JSON + spec, act, validate the form, record history, task rows,
    serialize and save, build the returned view, COMMIT).
Times are wall-clock per action in milliseconds (median and 95th percentile).""")
    spec, subprocess_specs = raw_spec("approval.bpmn", process_id="approval")
    raw = measure(lambda t: raw_approval_once(spec, subprocess_specs, t), args.instances, args.warmup)

    db_path = workdir / "part1.db"
    engine = new_engine(f"sqlite:///{db_path}")
    try:
        deploy(engine, "approval.bpmn", "request.schema.json", "review.schema.json")
        on_sqlite = measure(lambda t: engine_approval_once(engine, t), args.instances, args.warmup)
    finally:
        engine.dispose()

    print()
    print_action_table("(a) raw SpiffWorkflow, in memory", raw)
    print()
    print_action_table(f"(b) engine on SQLite (temp file, {filesystem_of(workdir)}; WAL journal)", on_sqlite)
    print("    (SQL statements: mean number the action sends, BEGIN/COMMIT not counted)")
    print()
    ratios = print_ratio_table(raw, on_sqlite, "(b)/(a) on SQLite")
    raw_total = median([sum(v) for v in zip(*(raw[a] for a in ACTIONS))])
    sqlite_total = median([sum(v) for v in zip(*(on_sqlite[a] for a in ACTIONS))])
    SUMMARY.append(f"Part 1, approval.bpmn, {args.instances} instances, median ms per action "
                   f"(raw in-memory -> engine on SQLite, ratio):")
    for action in ACTIONS:
        SUMMARY.append(f"  {action:<16} {ms(median(raw[action])):7.2f} -> {ms(median(on_sqlite[action])):7.2f}"
                       f"  x{ratios[action]:.0f}   (engine p95 {ms(p95(on_sqlite[action])):.2f})")
    SUMMARY.append(f"  whole instance   {ms(raw_total):7.2f} -> {ms(sqlite_total):7.2f}"
                   f"  x{sqlite_total / raw_total:.0f}")

    url = os.environ.get("SECRETARIAT_BENCH_DATABASE_URL")
    print()
    if not url:
        print("  (b') SECRETARIAT_BENCH_DATABASE_URL is not set: no run on another database.")
        return
    print(f"  (b') engine on SECRETARIAT_BENCH_DATABASE_URL = {redact(url)}")
    print("       (migrated and the fixtures deployed there; the benchmark's instances are left in it)")
    other_engine = new_engine(url)
    try:
        deploy(other_engine, "approval.bpmn", "request.schema.json", "review.schema.json")
        other = measure(lambda t: engine_approval_once(other_engine, t), args.instances, args.warmup)
        dialect = other_engine.database.sql_engine.dialect.name
    finally:
        other_engine.dispose()
    print()
    print_action_table(f"(b') engine on {dialect}", other)
    print()
    other_ratios = print_ratio_table(raw, other, f"(b')/(a) on {dialect}")
    SUMMARY.append(f"  on {dialect}: " + ", ".join(
        f"{a} {ms(median(other[a])):.2f} ms (x{other_ratios[a]:.0f})" for a in ACTIONS))


# -- main -------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=200, help="timed instances per side in part 1")
    parser.add_argument("--warmup", type=int, default=20, help="untimed warm-up instances per side in part 1")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[10, 100, 1000],
                        help="comma-separated multi-instance sizes for part 2 (first is the growth base)")
    parser.add_argument("--starts", type=int, default=3, help="timed engine starts per N in part 2")
    parser.add_argument("--completions", type=int, default=5, help="timed completions per N in part 2")
    parser.add_argument("--roundtrips", type=int, default=3, help="repeats of the raw round trip and breakdown")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="seconds of engine completions per N before timing fewer (part 2)")
    parser.add_argument("--profile", action="store_true", help="cProfile one engine completion at the largest N")
    parser.add_argument("--profile-top", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run, rough numbers")
    parser.add_argument("--part", choices=("1", "2", "all"), default="all")
    args = parser.parse_args(argv)
    if args.quick:
        args.instances, args.warmup, args.starts, args.completions, args.roundtrips = 20, 3, 1, 2, 1
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    import SpiffWorkflow
    import sqlalchemy
    began = time.perf_counter()
    now = dt.datetime.now().astimezone()
    machine = (f"{now:%Y-%m-%d %H:%M %Z}, Python {platform.python_version()}, SpiffWorkflow "
               f"{getattr(SpiffWorkflow, '__version__', '3.2.x')}, SQLAlchemy {sqlalchemy.__version__}, "
               f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, {platform.machine()} {platform.system()}")
    heading("Engine overhead benchmark (bench/engine_overhead.py)")
    print(f"  {machine}")
    if args.quick:
        print("  --quick: few repetitions, the numbers are rough")
    workdir = Path(tempfile.mkdtemp(prefix="secretariat-bench-"))
    try:
        if args.part in ("1", "all"):
            part1(args, workdir)
        if args.part in ("2", "all"):
            part2(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - began
    heading("Summary (paste into a closing note)")
    print(f"Engine overhead benchmark, {machine}; run took {elapsed:.0f} s.")
    for line in SUMMARY:
        print(line)


if __name__ == "__main__":
    main()
