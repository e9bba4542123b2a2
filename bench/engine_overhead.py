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
import cProfile
import datetime as dt
import io
import math
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

# Importing the engine patches two SpiffWorkflow globals for the whole process: the task
# iterators' default max_depth (1000 -> 1,000,000) and the timer module's `datetime`. Neither
# changes the raw runs below: their task trees are a few levels deep and they have no timers.
from engine import Actor, Engine  # noqa: E402

FIXTURES = ROOT / "tests" / "engine" / "bpmn"
MANAGER = Actor("mara", frozenset({"manager"}))
CLERK = Actor("claire", frozenset({"Clerk"}))
DIRECTOR = Actor("diane", frozenset({"Director"}))
ADMIN = Actor("ada", frozenset({"admin"}))
TRANSLATOR = Actor("t", frozenset({"Translator"}))

REQUEST = {"title": "Interpretation booths for the 24th session", "amount": 1250}
REVIEW = {"approved": True, "comment": "Within budget."}
ACTIONS = ("start", "complete task 1", "complete task 2")

SUMMARY: list[str] = []  # lines for the closing block


# -- small helpers ----------------------------------------------------------------------------

def ms(seconds: float) -> float:
    return seconds * 1000.0


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@contextmanager
def stopwatch(into: list[float]):
    start = time.perf_counter()
    yield
    into.append(time.perf_counter() - start)


def heading(text: str, char: str = "=") -> None:
    print()
    print(char * 78)
    print(text)
    print(char * 78)


def explain(text: str) -> None:
    for line in text.strip("\n").splitlines():
        print("  " + line)


def filesystem_of(path: Path) -> str:
    """The filesystem type under `path` (from /proc/mounts), to know whether commits fsync for real."""
    try:
        best, kind = "", "?"
        target = str(path.resolve())
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and target.startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
        return kind
    except OSError:
        return "?"


def redact(url: str) -> str:
    """A database URL without its password, for printing."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}{':***' if ':' in credentials else ''}@{host}"


def raw_spec(*files: str, process_id: str):
    parser = SpiffBpmnParser()
    parser.add_bpmn_files([str(FIXTURES / f) for f in files])
    return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)


def ready_manual(workflow: BpmnWorkflow, spec_name: str | None = None):
    tasks = workflow.get_tasks(state=TaskState.READY, manual=True)
    if spec_name is not None:
        tasks = [t for t in tasks if t.task_spec.bpmn_id == spec_name]
    return tasks


class SqlCounter:
    """Counts the SQL statements an engine sends (a listener on its SQLAlchemy engine)."""

    def __init__(self, engine: Engine):
        from sqlalchemy import event
        self.count = 0
        event.listen(engine.database.sql_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def new_engine(url: str) -> Engine:
    engine = Engine(url)
    engine.upgrade_database()
    engine.sql_counter = SqlCounter(engine)
    return engine


def deploy(engine: Engine, *names: str) -> None:
    with engine.unit_of_work() as uow:
        uow.repository.deploy_paths([FIXTURES / n for n in names], actor=MANAGER)
        uow.commit()


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


# -- Part 2: growth with the multi-instance size ----------------------------------------------

def stored_sizes(db_path: Path, instance_id: int) -> tuple[str, str, int]:
    """The stored workflow state of an instance, the spec of its definition version (as text),
    and the characters of JSON data its open human-task rows hold."""
    connection = sqlite3.connect(db_path)
    try:
        state, spec = connection.execute(
            "SELECT i.workflow_json, d.spec_json FROM process_instances i "
            "JOIN process_definitions d ON d.id = i.definition_id WHERE i.id = ?", (instance_id,)).fetchone()
        rows = connection.execute("SELECT data FROM human_tasks WHERE instance_id = ? AND state = 'open'",
                                  (instance_id,)).fetchall()
    finally:
        connection.close()
    return state, spec, sum(len(data or "") for (data,) in rows)


def engine_breakdown(engine: Engine, state_json: str, spec_json: str, repeats: int) -> dict[str, float] | None:
    """Time the engine's own load / inspect / dump steps on a stored instance (internal API, may move)."""
    try:
        from engine.bpmn import inspection, store
    except ImportError as error:
        print(f"    (breakdown skipped: {error})")
        return None
    found = {"load (JSON -> workflow)": [], "task_states (before)": [], "snapshot (inspect tree)": [],
             "dump_state (workflow -> JSON)": []}
    try:
        for _ in range(repeats):
            with stopwatch(found["load (JSON -> workflow)"]):
                workflow = store.load(spec_json, state_json, engine.context.script_engine)
            with stopwatch(found["task_states (before)"]):
                states = inspection.task_states(workflow)
            # as the engine does it: tasks already recorded as open are not re-read
            with stopwatch(found["snapshot (inspect tree)"]):
                inspection.snapshot(workflow, known_ready=frozenset(states))
            with stopwatch(found["dump_state (workflow -> JSON)"]):
                store.dump_state(workflow)
    except Exception as error:  # the internal API changed: the rest of the benchmark still counts
        print(f"    (breakdown skipped: {type(error).__name__}: {error})")
        return None
    return {k: ms(median(v)) for k, v in found.items()}


def raw_multi_instance(spec, subprocess_specs, n: int, completions: int, roundtrips: int) -> dict:
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    starts = []
    with stopwatch(starts):
        workflow = BpmnWorkflow(spec, subprocess_specs)
        workflow.task_tree.data.update({"languages": [f"lang{i}" for i in range(n)]})
        workflow.do_engine_steps()
    ids = [t.id for t in ready_manual(workflow, "translate")]
    if len(ids) != n:
        raise RuntimeError(f"raw: expected {n} translate tasks, found {len(ids)}")
    done = []
    for task_id in ids[:completions]:
        with stopwatch(done):
            task = workflow.get_task_from_id(task_id)
            task.data.update({"text": f"translated into {task.data['language']}"})
            task.run()
            workflow.do_engine_steps()
    serialize, deserialize = [], []
    for _ in range(roundtrips):
        with stopwatch(serialize):
            text = serializer.serialize_json(workflow)
        with stopwatch(deserialize):
            serializer.deserialize_json(text)
    return {"start": ms(starts[0]), "complete": ms(median(done)), "serialize": ms(median(serialize)),
            "deserialize": ms(median(deserialize)), "json_bytes": len(text), "tasks": len(workflow.get_tasks())}


def profile_completion(engine: Engine, task_id: str, n: int, top: int) -> None:
    heading(f"cProfile of one engine completion at N={n} (cProfile slows everything down)", "-")
    profiler = cProfile.Profile()
    profiler.enable()
    with engine.unit_of_work() as uow:
        uow.tasks.complete(task_id, TRANSLATOR, {"text": "profiled"})
        uow.commit()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"  top {top} by {order}:")
        for line in lines[start:]:
            if line.strip():
                print("   " + line[:150])
        print()


def part2(args, workdir: Path) -> None:
    heading("Part 2: growth with the multi-instance size (tests/engine/bpmn/multi_instance.bpmn)")
    explain(f"""
One parallel multi-instance user task `translate` over N languages ([f"lang{{i}}" ...]),
so one instance holds N ready user tasks. For each N:
  start ms         engine: uow.runtime.start(..., actor=admin, data={{languages}}) + commit
                   (median of {args.starts} starts; each makes N human-task rows and N history events)
  engine compl. ms one `translate` completion through the engine (own unit of work + commit),
                   median over several different tasks of the same instance
  raw compl. ms    the same completion in raw SpiffWorkflow in memory (get task, data.update,
                   run, do_engine_steps), median over the same number of tasks
  state bytes      len(process_instances.workflow_json) right after the start: what the
                   engine reads, parses, re-serializes and writes back on EVERY action
  spec bytes       len(process_definitions.spec_json): stored once per definition version
  task-row bytes   JSON in human_tasks.data over the instance's open tasks: each open task
                   row keeps a copy of its task's data, here the whole `languages` list
  SQL/start, SQL/compl.  statements sent per start / per completion
  raw ser./deser.  BpmnWorkflowSerializer.serialize_json / deserialize_json of the raw
                   workflow (spec included, so its JSON is bigger than the engine's state)
Growth factors are relative to N=10.""")
    spec, subprocess_specs = raw_spec("multi_instance.bpmn", process_id="multi_instance")
    db_path = workdir / "part2.db"
    engine = new_engine(f"sqlite:///{db_path}")
    rows = []
    profile_target = None
    try:
        deploy(engine, "multi_instance.bpmn", "translation.schema.json")
        # warm up the code paths (and caches) once on a tiny instance
        with engine.unit_of_work() as uow:
            warm = uow.runtime.start("multi_instance", actor=ADMIN, data={"languages": ["xx", "yy"]})
            uow.commit()
        with engine.unit_of_work() as uow:
            uow.tasks.complete(warm.open_tasks[0].id, TRANSLATOR, {"text": "warm"})
            uow.commit()
        raw_multi_instance(spec, subprocess_specs, 5, 2, 1)

        for n in args.sizes:
            languages = [f"lang{i}" for i in range(n)]
            starts, instances = [], []
            sql_before = engine.sql_counter.count
            for _ in range(args.starts):
                with stopwatch(starts):
                    with engine.unit_of_work() as uow:
                        instance = uow.runtime.start("multi_instance", actor=ADMIN, data={"languages": languages})
                        uow.commit()
                instances.append(instance)
            sql_start = (engine.sql_counter.count - sql_before) / args.starts
            instance = instances[0]
            if len(instance.open_tasks) != n:
                raise RuntimeError(f"engine: expected {n} open tasks, found {len(instance.open_tasks)}")
            state_json, spec_json, rows_bytes = stored_sizes(db_path, instance.id)

            # engine completions, with a time budget per N (see --budget)
            tasks = [t.id for t in instance.open_tasks]
            done, budget_start = [], time.perf_counter()
            sql_before = engine.sql_counter.count
            for task_id in tasks[:args.completions]:
                with stopwatch(done):
                    with engine.unit_of_work() as uow:
                        result = uow.tasks.complete(task_id, TRANSLATOR, {"text": "translated"})
                        uow.commit()
                if time.perf_counter() - budget_start > args.budget and len(done) < args.completions:
                    break
            sql_complete = (engine.sql_counter.count - sql_before) / len(done)
            if result.process_instance.state != "running" or len(result.process_instance.open_tasks) != n - len(done):
                raise RuntimeError("engine: unexpected state after the completions")
            if args.profile and n == max(args.sizes):
                profile_target = (tasks[len(done)], n)

            raw = raw_multi_instance(spec, subprocess_specs, n, len(done), args.roundtrips)
            breakdown = engine_breakdown(engine, state_json, spec_json, args.roundtrips)
            rows.append({"n": n, "start": ms(median(starts)), "engine": ms(median(done)), "timed": len(done),
                         "raw": raw["complete"], "raw_start": raw["start"], "state": len(state_json),
                         "spec": len(spec_json), "rows": rows_bytes, "sql_start": sql_start,
                         "sql_complete": sql_complete, "ser": raw["serialize"], "deser": raw["deserialize"],
                         "raw_json": raw["json_bytes"], "tasks": raw["tasks"], "breakdown": breakdown})
            print(f"  N={n}: done ({len(done)} engine completions timed)", flush=True)

        if profile_target is not None:
            task_id, n = profile_target
            profile_completion(engine, task_id, n, args.profile_top)
    finally:
        engine.dispose()

    base = rows[0]
    print()
    print("  Absolute figures")
    print(f"    {'N':>5}{'tasks':>7}{'start ms':>10}{'engine compl. ms':>18}{'raw compl. ms':>15}"
          f"{'engine/raw':>12}{'state bytes':>13}{'spec bytes':>12}")
    for r in rows:
        print(f"    {r['n']:>5}{r['tasks']:>7}{r['start']:>10.1f}{r['engine']:>18.2f}{r['raw']:>15.3f}"
              f"{r['engine'] / r['raw']:>12.0f}{r['state']:>13,}{r['spec']:>12,}")
    print(f"    ('tasks' = SpiffWorkflow tasks in the tree after the completions; engine completions timed: "
          + ", ".join(f"N={r['n']}: {r['timed']}" for r in rows) + ")")
    if any(r["timed"] < args.completions for r in rows):
        print(f"    NOTE: fewer than {args.completions} completions were timed where the {args.budget:.0f} s "
              "budget per N ran out (see --budget).")
    print()
    print("  Storage and SQL per action")
    print(f"    {'N':>5}{'state bytes':>13}{'task-row bytes':>16}{'rows/state':>12}{'SQL/start':>11}{'SQL/compl.':>12}")
    for r in rows:
        print(f"    {r['n']:>5}{r['state']:>13,}{r['rows']:>16,}{r['rows'] / r['state']:>12.1f}"
              f"{r['sql_start']:>11.0f}{r['sql_complete']:>12.0f}")
    print()
    print(f"  Growth factor relative to N={base['n']}")
    print(f"    {'N':>5}{'x N':>7}{'start':>9}{'engine compl.':>15}{'raw compl.':>12}{'state bytes':>13}"
          f"{'task-row bytes':>16}{'raw ser.':>10}{'raw deser.':>12}")
    for r in rows:
        print(f"    {r['n']:>5}{r['n'] / base['n']:>7.0f}{r['start'] / base['start']:>9.1f}"
              f"{r['engine'] / base['engine']:>15.1f}{r['raw'] / base['raw']:>12.1f}"
              f"{r['state'] / base['state']:>13.1f}{r['rows'] / base['rows']:>16.1f}"
              f"{r['ser'] / base['ser']:>10.1f}{r['deser'] / base['deser']:>12.1f}")
    print()
    print("  Raw serializer round trip (BpmnWorkflowSerializer, spec included in the JSON)")
    print(f"    {'N':>5}{'serialize ms':>14}{'deserialize ms':>16}{'round trip ms':>15}{'JSON bytes':>12}")
    for r in rows:
        print(f"    {r['n']:>5}{r['ser']:>14.2f}{r['deser']:>16.2f}{r['ser'] + r['deser']:>15.2f}{r['raw_json']:>12,}")
    if all(r["breakdown"] for r in rows):
        print()
        print("  Where one engine completion goes (engine's own steps, timed alone on the stored instance;")
        print("  'rest' = engine completion - these steps: loading and syncing the open human-task rows,")
        print("  history, form validation, the returned view (every open task with its form), flush, commit)")
        names = list(rows[0]["breakdown"])
        print(f"    {'N':>5}" + "".join(f"{name.split(' ')[0]:>13}" for name in names) + f"{'rest':>10}{'total':>10}")
        for r in rows:
            b = r["breakdown"]
            rest = r["engine"] - sum(b.values())
            print(f"    {r['n']:>5}" + "".join(f"{b[name]:>13.2f}" for name in names) + f"{rest:>10.2f}{r['engine']:>10.2f}")
        explain("""
load = json.loads + SpiffWorkflow from_dict of state + spec; task_states = the 'before' picture
of every task; snapshot = ready tasks, data, elements for the rows; dump_state = to_dict + json.dumps.""")

    SUMMARY.append("Part 2, multi_instance.bpmn over N languages (engine on SQLite; ms are medians):")
    SUMMARY.append(f"  {'N':>5} {'start ms':>9} {'engine compl. ms':>16} {'raw compl. ms':>13} {'state bytes':>11}"
                   f" {'compl. growth':>13}")
    for r in rows:
        SUMMARY.append(f"  {r['n']:>5} {r['start']:>9.1f} {r['engine']:>16.2f} {r['raw']:>13.3f} {r['state']:>11,}"
                       f" {r['engine'] / base['engine']:>12.1f}x")
    SUMMARY.append("  open task rows (human_tasks.data) hold " + ", ".join(
        f"N={r['n']}: {r['rows']:,} bytes" for r in rows) + "; SQL statements per completion " + ", ".join(
        f"N={r['n']}: {r['sql_complete']:.0f}" for r in rows))
    SUMMARY.append(f"  spec_json {rows[0]['spec']:,} bytes (once per definition version); raw serialize+deserialize "
                   + ", ".join(f"N={r['n']}: {r['ser'] + r['deser']:.1f} ms" for r in rows))
    if all(r["breakdown"] for r in rows):
        last = rows[-1]
        b = last["breakdown"]
        share = sum(b.values()) / last["engine"] * 100
        SUMMARY.append(f"  at N={last['n']}: load {b['load (JSON -> workflow)']:.0f} + task_states "
                       f"{b['task_states (before)']:.0f} + snapshot {b['snapshot (inspect tree)']:.0f} + dump "
                       f"{b['dump_state (workflow -> JSON)']:.0f} ms = {share:.0f}% of one completion "
                       f"({last['engine']:.0f} ms)")


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
