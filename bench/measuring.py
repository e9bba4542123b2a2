"""What the benchmarks share: the engine and raw SpiffWorkflow set up on the test fixtures,
timing, statistics and printing."""
from __future__ import annotations

import math
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
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
