"""From BPMN and DMN files to executable specs, or precise problems (file, line, element)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.bpmn import safe_xml
from engine.bpmn.data_stores import EveryDataStoreName
from engine.bpmn.decision_check import decision_expression_problems
from engine.bpmn.dialects import adapt
from engine.bpmn.element_checks import NS, ElementChecks, missing_form_warning
from engine.bpmn.event_subprocess_starts import EngineBpmnParser
from engine.bpmn.implicit_splits import make_splits_explicit
from engine.bpmn.missing_ids import give_missing_ids
from engine.bpmn.schema_check import is_bpmn_document, schema_findings
from engine.bpmn.store import dump_spec
from engine.bpmn.structure import structural_problems
from engine.bpmn.workflow import EngineWorkflow
from engine.errors import Problem


@dataclass
class ParsedProcess:
    key: str
    name: str
    file: str
    spec_json: str
    forms: set[str] = field(default_factory=set)
    decisions: set[str] = field(default_factory=set)
    decision_files: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    start_roles: list[str] = field(default_factory=list)


@dataclass
class _Source:
    name: str
    tree: etree._ElementTree


def _problem_from_spiff(error: Exception, sources: dict[str, _Source]) -> Problem:
    file = getattr(error, "file_name", None) or None
    element_id = getattr(error, "id", None) or None
    line = getattr(error, "line_number", None)
    line = line if isinstance(line, int) and line > 0 else None
    if line is None and element_id:
        for source in ([sources[file]] if file in sources else sources.values()):
            line = safe_xml.line_of(source.tree, element_id)
            if line:
                file = file or source.name
                break
    message = str(error.args[0] if error.args else error)
    if "A Service Task must have an operator" in message:
        message = ("this service task says nothing the engine can call: choose the HTTP connector for it "
                   "(spiffworkflow:serviceTaskOperator http/GetRequestV2, http/PostRequestV2...) or make it "
                   "a script task")
    if "perhaps a form has the same ID" in message:
        message = "a sequence flow points at an element that does not exist (check its sourceRef/targetRef)"
    return Problem(message, file=file, line=line, element_id=element_id)


class ProcessCompiler(ElementChecks):
    """Parses one bundle's BPMN and DMN with SpiffWorkflow, then applies our own checks."""

    def __init__(self, forms: dict[str, bool], resolve_called: Callable[[str], tuple[str, bytes] | None]):
        # forms: every form file name available to this bundle -> whether it is a valid JSON Schema
        self.forms = forms
        self.resolve_called = resolve_called
        # The XSD is checked by `schema_findings`, as warnings: see engine/bpmn/schema_check.py.
        self.parser = EngineBpmnParser()
        self.parser.DATA_STORE_CLASSES = EveryDataStoreName()
        self.sources: dict[str, _Source] = {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.process_problems: dict[str, list[Problem]] = {}  # process key -> what stops it alone

    def add_bpmn(self, name: str, content: bytes) -> None:
        tree = self._parse_xml(name, content)
        if tree is None:
            return
        if not is_bpmn_document(tree):
            self.problems.append(Problem("not a BPMN 2.0 file: its root element is not bpmn:definitions",
                                         file=name, line=1))
            return
        self._warn(schema_findings(tree, name) + give_missing_ids(tree, name))
        adaptation = adapt(tree, name)
        self._warn(adaptation.notices + make_splits_explicit(tree, name))
        for problem in adaptation.problems:  # refused with their process only, not the whole file
            key = _process_of(tree, problem.element_id)
            self.process_problems.setdefault(key, []).append(problem) if key else self.problems.append(problem)
        for key, problems in structural_problems(tree, name).items():  # one per element, not repeated
            known = {p.element_id for p in self.process_problems.get(key, [])}
            self.process_problems.setdefault(key, []).extend(p for p in problems if p.element_id not in known)
        try:
            self.parser.add_bpmn_xml(tree, filename=name)
        except ValidationException as error:
            self.problems.append(_problem_from_spiff(error, self.sources))
        except etree.LxmlError as error:
            self.problems.append(Problem(f"not valid BPMN: {error}", file=name))
        except Exception as error:  # SpiffWorkflow raises bare exceptions for some shapes
            self.problems.append(Problem(f"not valid BPMN: {type(error).__name__}: {error}", file=name))

    def _warn(self, warnings: list[Problem]) -> None:
        """Files recompiled for a dependency are read again: say each thing once."""
        for warning in warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)

    def add_dmn(self, name: str, content: bytes) -> None:
        tree = self._parse_xml(name, content)
        if tree is None:
            return
        self.problems.extend(decision_expression_problems(tree, name))
        try:
            self.parser.add_dmn_xml(tree.getroot(), filename=name)
        except Exception as error:  # lxml, ValidationException, and bare KeyError/AttributeError
            self.problems.append(Problem(f"not a valid DMN decision table: {_plain_error(error)}", file=name))

    def _parse_xml(self, name: str, content: bytes):
        try:
            tree = safe_xml.parse(content, name)
        except safe_xml.UnsafeXml as error:
            self.problems.append(error.problem)
            return None
        self.sources[name] = _Source(name, tree)
        return tree

    def compile(self, keys: list[str]) -> list[ParsedProcess]:
        """Specs for `keys` (process ids); problems are collected in `self.problems`.

        A file may hold several processes (a collaboration of pools). When some of them
        compile and others do not, the good ones deploy and each faulty one is reported as a
        warning naming its process; only a file with nothing executable refuses the deployment."""
        self._add_called_processes()
        if self.problems:
            return []
        compiled, failed = [], {}
        for key in keys:
            if key not in self.parser.get_process_ids():
                continue
            before = len(self.problems)
            process = self._compile_one(key)
            if len(self.problems) > before or process is None:
                failed[key] = self.problems[before:]
                del self.problems[before:]
            else:
                compiled.append(process)
        self._settle_failures(compiled, failed)
        return compiled if not self.problems else []

    def _compile_one(self, key: str) -> ParsedProcess | None:
        if key in self.process_problems:  # not given to SpiffWorkflow, but our own checks still speak
            found = self.process_problems[key]
            self.problems.extend(found)
            self._check_without_spec(key)
            faulty = {p.element_id for p in found if p.element_id}  # one error per faulty element
            self.problems[:] = [p for p in self.problems if p in found or p.element_id not in faulty]
            return None
        try:
            spec = self.parser.get_spec(key)
            subprocess_specs = self.parser.get_subprocess_specs(key)
            return self._describe(key, spec, subprocess_specs)
        except RecursionError:
            self._refuse_too_long(key)
            return None
        except ValidationException as error:
            if isinstance(error.__context__, RecursionError) or "RecursionError" in str(error):
                self._refuse_too_long(key)
                return None
            self.problems.append(_problem_from_spiff(error, self.sources))
        except Exception as error:  # SpiffWorkflow raises bare exceptions for some shapes
            self.problems.append(Problem(f"cannot be executed: {_plain_error(error)}", file=self._file_of(key),
                                         element_id=getattr(error, "id", None) or None))
        self._check_without_spec(key)
        return None

    def _refuse_too_long(self, key: str) -> None:
        """SpiffWorkflow follows a chain of elements recursively, both when it parses and when an
        instance starts: a few hundred elements in a row are the most it can take."""
        self.problems.append(Problem(
            "the process is too long a chain of elements for the workflow library (it follows them "
            "recursively; about 450 in a row at most): split it into call activities or subprocesses",
            file=self._file_of(key), element_id=key))

    def _file_of(self, key: str) -> str | None:
        return self.parser.get_process_parser(key).filename

    def _settle_failures(self, compiled: list[ParsedProcess], failed: dict[str, list[Problem]]) -> None:
        deployable_files = {p.file for p in compiled}
        for key, problems in failed.items():
            if self._file_of(key) in deployable_files:
                for problem in problems:
                    self._warn([Problem(f"process '{key}' was not deployed: {problem.message}", file=problem.file,
                                        line=problem.line, element_id=problem.element_id)])
            else:
                self.problems.extend(problems)

    def _check_without_spec(self, key: str) -> None:
        """When SpiffWorkflow gives up on a process, still report what our own checks find, so a
        manager sees every faulty element at once rather than one per attempt."""
        source = self.sources.get(self.parser.get_process_parser(key).filename)
        if source is None:
            return
        self._check_xml(source, ParsedProcess(key=key, name=key, file=source.name, spec_json=""))
        for node in source.tree.getroot().xpath(
                "//bpmn:process[@id=$k]//spiffworkflow:property[@name='formJsonSchemaFilename']", namespaces=NS, k=key):
            form, task = node.get("value"), node.getparent().getparent().getparent()
            if form and form not in self.forms:
                self._warn([missing_form_warning(form, task.get("name") or task.get("id"), file=source.name,
                                                 element_id=task.get("id"), line=task.sourceline)])
        self.problems[:] = list({(p.element_id, p.message, p.file): p for p in self.problems}.values())

    def _add_called_processes(self) -> None:
        """Called processes missing from the bundle come from what is already deployed."""
        seen: set[str] = set()
        while True:
            known = set(self.parser.process_parsers)
            missing = {k for k in self.parser.get_process_dependencies() if k and k not in known} - seen
            if not missing:
                return
            for key in sorted(missing):
                seen.add(key)
                found = self.resolve_called(key)
                if found is None:
                    element = self._element_calling(key)
                    self.problems.append(Problem(
                        f"the call activity calls process '{key}', which is neither in this "
                        "deployment nor deployed before", **element))
                else:
                    self.add_bpmn(*found)

    def _element_calling(self, key: str) -> dict:
        for source in self.sources.values():
            for node in source.tree.xpath("//bpmn:callActivity[@calledElement=$k]", namespaces=NS, k=key):
                return {"file": source.name, "line": node.sourceline, "element_id": node.get("id")}
        return {}

    def _describe(self, key, spec, subprocess_specs) -> ParsedProcess:
        file = self.parser.get_process_parser(key).filename
        source = self.sources[file]
        process = ParsedProcess(key=key, name=spec.description or key, file=file,
                                spec_json=dump_spec(EngineWorkflow(spec, subprocess_specs)))
        for task_spec in [*spec.task_specs.values(),
                          *(t for s in subprocess_specs.values() for t in s.task_specs.values())]:
            self._check_task_spec(task_spec, source, process)
        process.calls = _called_elements(spec, subprocess_specs)
        process.decision_files = {self.parser.dmn_parsers[d].filename for d in process.decisions
                                  if d in self.parser.dmn_parsers}
        start = spec.task_specs.get("StartEvent") or _start_event(spec)
        if start is not None and getattr(start, "lane", None):
            process.start_roles = [start.lane]
        self._check_xml(source, process)
        return process


def _process_of(tree, element_id: str | None) -> str | None:
    if not element_id:
        return None
    found = tree.xpath("//*[@id=$i]/ancestor-or-self::bpmn:process/@id", namespaces=NS, i=element_id)
    return str(found[0]) if found else None


def _plain_error(error: Exception) -> str:
    text = str(error.args[0] if error.args else error) or type(error).__name__
    return text if isinstance(error, (ValueError, KeyError)) else f"{type(error).__name__}: {text}"


def _called_elements(spec, subprocess_specs) -> set[str]:
    called = set()
    for s in [spec, *subprocess_specs.values()]:
        for task_spec in s.task_specs.values():
            if type(task_spec).__name__ == "CallActivity":
                called.add(task_spec.spec)
    return called


def _start_event(spec):
    for task_spec in spec.task_specs.values():
        if type(task_spec).__name__ == "StartEvent":
            return task_spec
    return None
