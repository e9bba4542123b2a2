"""Part 2 of engine_overhead.py: how the cost of one action grows with a multi-instance task.
Run it through engine_overhead.py (`--part 2`)."""
from __future__ import annotations

import cProfile
import io
import pstats
import sqlite3
import time
from pathlib import Path

from measuring import (  # sets up sys.path for the project first
    ADMIN, SUMMARY, TRANSLATOR, deploy, explain, heading, median, ms, new_engine, raw_spec, ready_manual, stopwatch,
)
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402

from engine import Engine  # noqa: E402


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
    print("    ('tasks' = SpiffWorkflow tasks in the tree after the completions; engine completions timed: "
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
