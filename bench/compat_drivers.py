"""Driving one process to its end, through the engine and through raw SpiffWorkflow.

Both drivers do the same things a patient user would: start, complete every open user or
manual task (the engine's with data made up from the task's form, the raw library's with
none), let every timer fall due (a clock moved a year ahead), and stop when the instance
completes, fails, or waits for something no one will send (a message, a signal). Each
returns an `Outcome`: completed, or the cause in a few words, for the table."""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine import Actor, Engine, ManualClock
from engine.bpmn.workflow import clock_in_use
from engine.bundle import Bundle
from engine.errors import InvalidDeployment
from engine.persistence.database import Database

MAX_ROUNDS = 60
MANAGER = Actor("bench", frozenset({"manager", "admin"}))


@dataclass
class Outcome:
    deployed: bool
    completed: bool = False
    cause: str = ""


def short(text: str, limit: int = 70) -> str:
    """A failure message reduced to its kind: ids, numbers and quoted names removed."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", str(text).splitlines()[0] if str(text) else "")
    text = re.sub(r"\b[0-9a-f]{8}-[0-9a-f-]{27}\b|\d+", "N", text)
    return text[:limit]


def sample_data(schema) -> dict:
    """Form data a patient user would type: each required field given a value of its type."""
    if not isinstance(schema, dict):
        return {}
    data = {}
    for name in schema.get("required", []):
        field = (schema.get("properties") or {}).get(name) or {}
        data[name] = _sample_value(field)
    return data


def _sample_value(field: dict):
    if field.get("enum"):
        return field["enum"][0]
    choices = field.get("anyOf") or field.get("oneOf")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict) and "const" in choices[0]:
        return choices[0]["const"]
    kind = field.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    return {"integer": 1, "number": 1, "boolean": True, "array": [], "object": sample_data(field),
            "null": None}.get(kind, "2027-01-04" if field.get("format") == "date" else "x")


class EngineDriver:
    """A fresh SQLite database per folder; deploys a file with its folder's forms and DMN."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="compat-bench-")
        url = f"sqlite:///{self.folder}/engine.db"
        Database(url).upgrade()
        self.clock = ManualClock()
        self.engine = Engine(url, clock=self.clock)

    def deploy(self, bpmn: Path, companions: list[Path]) -> tuple[list[str], str]:
        """(process keys deployed, refusal cause)."""
        files = [(bpmn.name, bpmn.read_bytes())] + [(p.name, p.read_bytes()) for p in companions]
        try:
            with self.engine.unit_of_work() as uow:
                result = uow.repository.deploy(Bundle.from_uploads(files), actor=MANAGER)
                uow.commit()
        except InvalidDeployment as refused:
            first = refused.problems[0].message if refused.problems else refused.title
            return [], "deploy refused: " + short(first)
        except Exception as error:  # noqa: BLE001 - the bench records every crash as a cause
            return [], f"deploy crashed: {type(error).__name__}: {short(error)}"
        return [d.key for d in result.definitions], ""

    def run(self, key: str) -> Outcome:
        try:
            with self.engine.unit_of_work() as uow:
                instance = uow.runtime.start(key, actor=MANAGER)
                uow.commit()
            for _ in range(MAX_ROUNDS):
                if instance.state != "running":
                    break
                if instance.open_tasks:
                    task = instance.open_tasks[0]
                    actor = Actor(task.assignee or "bench", frozenset({task.lane or "", "admin", "manager"}))
                    schema = (task.form or {}).get("schema")
                    with self.engine.unit_of_work() as uow:
                        uow.tasks.complete(task.id, actor, sample_data(schema))
                        uow.commit()
                else:
                    self.clock.advance(timedelta(days=400))
                    with self.engine.unit_of_work() as uow:
                        fired = uow.jobs.run_due()
                        uow.commit()
                    if not fired:
                        return Outcome(True, False, "waits for a message or signal")
                with self.engine.unit_of_work() as uow:
                    instance = uow.runtime.get(instance.id)
        except Exception as error:  # noqa: BLE001
            return Outcome(True, False, f"{type(error).__name__}: {short(error)}")
        if instance.state == "completed":
            return Outcome(True, True)
        if instance.state == "error":
            return Outcome(True, False, "instance error: " + short(instance.error or ""))
        return Outcome(True, False, f"still {instance.state} after {MAX_ROUNDS} rounds")


class RawDriver:
    """SpiffWorkflow 3.2 as its documentation shows it: SpiffBpmnParser, BpmnWorkflow, the
    default script engine, user tasks run with their data as it is."""

    def __init__(self):
        self.clock = ManualClock()

    def parse(self, bpmn: Path, companions: list[Path]):
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(bpmn))
        for other in companions:
            if other.suffix == ".dmn":
                parser.add_dmn_file(str(other))
        others = [p for p in companions if p.name.endswith((".bpmn", ".bpmn20.xml"))]
        for _ in range(5):  # called processes, from the files of the folder that define them
            missing = {k for k in parser.get_process_dependencies() if k and k not in parser.process_parsers}
            found = [p for p in others if any(f'id="{k}"' in p.read_text(errors="replace") for k in missing)]
            if not found:
                break
            for path in found:
                others.remove(path)
                parser.add_bpmn_file(str(path))
        return parser

    def executable_keys(self, bpmn: Path) -> list[str]:
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(bpmn))
        return [k for k, p in parser.process_parsers.items() if p.process_executable]

    def run(self, parser, key: str) -> Outcome:
        try:
            spec, subprocesses = parser.get_spec(key), parser.get_subprocess_specs(key)
        except Exception as error:  # noqa: BLE001
            return Outcome(False, False, f"parse: {short(error)}")
        try:
            with clock_in_use(self.clock):
                workflow = BpmnWorkflow(spec, subprocesses)
                workflow.do_engine_steps()
                for _ in range(MAX_ROUNDS):
                    if workflow.is_completed():
                        return Outcome(True, True)
                    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
                    if ready:
                        ready[0].run()
                    else:
                        self.clock.advance(timedelta(days=400))
                        if not workflow.waiting_events():
                            return Outcome(True, False, "stuck: nothing ready, nothing waiting")
                        workflow.refresh_timers()
                        if not workflow.get_tasks(state=TaskState.READY):
                            return Outcome(True, False, "waits for a message or signal")
                    workflow.do_engine_steps()
                return Outcome(True, workflow.is_completed(), "" if workflow.is_completed() else "too many rounds")
        except Exception as error:  # noqa: BLE001
            return Outcome(True, False, f"{type(error).__name__}: {short(error)}")
