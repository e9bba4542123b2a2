"""Run a folder of BPMN files through the engine and through raw SpiffWorkflow, side by side.

    .venv/bin/python bench/compat.py FOLDER [--causes 8] [--timeout 20]

Each first-level subfolder of FOLDER is a family (its models' origin: spiffarena, camunda,
flowable...); files directly in FOLDER form the family ".". Every executable process of
every `*.bpmn` / `*.bpmn20.xml` file is deployed (with the DMN and JSON files of its folder)
and driven to its end by `bench/compat_drivers.py`. The table counts, per family, the
processes, how many each side deployed (parsed, for the raw library) and completed, then
the failure causes, most frequent first.

Raw SpiffWorkflow runs scripts with Python's full builtins: run this on models you trust
(public test suites), never on uploads. Each process gets `--timeout` seconds per side."""
from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter, defaultdict
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.setrecursionlimit(5000)  # the same for both sides; the engine refuses deeper chains itself

from bench.compat_drivers import EngineDriver, Outcome, RawDriver, short  # noqa: E402

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def is_bpmn(path: Path) -> bool:
    return path.name.lower().endswith((".bpmn", ".bpmn20.xml"))


def executable_processes(path: Path) -> list[str]:
    """What both sides are asked to run: the processes not marked isExecutable="false"."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except etree.LxmlError:
        return [f"{path.name}(unreadable)"]
    return [p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("isExecutable", "true") != "false"]


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def within(seconds: int, action, *args) -> Outcome:
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return action(*args)
    except Timeout:
        return Outcome(True, False, f"timeout ({seconds} s)")
    except Exception as error:  # noqa: BLE001
        return Outcome(False, False, f"{type(error).__name__}: {short(error)}")
    finally:
        signal.alarm(0)


def run_family(files: list[Path], timeout: int) -> dict:
    counts = Counter()
    causes = {"raw": Counter(), "engine": Counter()}
    engine, raw = EngineDriver(), RawDriver()
    pending = list(files)
    for attempt in range(2):  # a file calling a process of a later file is tried again
        retry = []
        for path in pending:
            companions = [p for p in sorted(path.parent.iterdir())
                          if p != path and p.is_file() and p.suffix.lower() in (".dmn", ".json")]
            deployed, refusal = engine.deploy(path, companions)
            if "neither in this deployment nor deployed before" in refusal and attempt == 0:
                retry.append(path)
                continue
            keys = executable_processes(path)
            counts["processes"] += len(keys)
            raw_companions = companions + [p for p in path.parent.iterdir() if p != path and is_bpmn(p)]
            parser = within(timeout, raw.parse, path, raw_companions)
            for key in keys:
                raw_outcome = parser if isinstance(parser, Outcome) else within(timeout, raw.run, parser, key)
                engine_outcome = within(timeout, engine.run, key) if key in deployed else \
                    Outcome(False, False, refusal or "deploy: process left out (see warnings)")
                for side, outcome in (("raw", raw_outcome), ("engine", engine_outcome)):
                    counts[f"{side} deployed"] += outcome.deployed
                    counts[f"{side} completed"] += outcome.completed
                    if not outcome.completed:
                        causes[side][outcome.cause or "unknown"] += 1
        pending = retry
    return {"counts": counts, "causes": causes}


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("folder", type=Path)
    options.add_argument("--causes", type=int, default=8, help="failure causes shown per side")
    options.add_argument("--timeout", type=int, default=20, help="seconds per process and side")
    args = options.parse_args(argv)
    families = defaultdict(list)
    for path in sorted(args.folder.rglob("*")):
        if path.is_file() and is_bpmn(path):
            relative = path.relative_to(args.folder).parts
            families[relative[0] if len(relative) > 1 else "."].append(path)
    results = {name: run_family(files, args.timeout) for name, files in sorted(families.items())}
    columns = ("processes", "raw deployed", "raw completed", "engine deployed", "engine completed")
    print(f"| family | {' | '.join(columns)} |")
    print("|---" * (len(columns) + 1) + "|")
    total = Counter()
    for name, result in results.items():
        total.update(result["counts"])
        print(f"| {name} | " + " | ".join(str(result["counts"][c]) for c in columns) + " |")
    print("| **total** | " + " | ".join(str(total[c]) for c in columns) + " |")
    for side in ("raw", "engine"):
        merged = Counter()
        for result in results.values():
            merged.update(result["causes"][side])
        print(f"\nNot completed by {side}, by cause:")
        for cause, count in merged.most_common(args.causes):
            print(f"  {count:4d}  {cause}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
