"""The modeler's lint and the deploy check agree: for each diagram, the elements the lint marks
as the manager draws (webapp/modeler_src/lint/, run by Node with bpmnlint and bpmn-moddle as in
the browser) are the ones the deploy refuses (engine/bpmn/structure.py), with the same rule.
Script and condition syntax are checked on the server only, so they are left out."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from engine.bpmn.structure import structural_problems
from tests.conftest import FIXTURES, IN_CI
from tests.engine.test_structure_checks import BEGINS_OTHERWISE, FAULTY, process_file

ROOT = Path(__file__).resolve().parents[2]
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
SERVER_ONLY = {"script-syntax", "condition-syntax"}

OWN_CASES = {
    "dead_end.bpmn": process_file("dead_end", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="stuck" />
  <bpmn:task id="stuck" />"""),
    "no_start.bpmn": process_file("no_start", '<bpmn:task id="alone" />'),
    "island.bpmn": process_file("island", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
  <bpmn:endEvent id="end" />
  <bpmn:task id="a" />
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
  <bpmn:task id="b" />
  <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="a" />
  <bpmn:exclusiveGateway id="only_to_nothing" />
  <bpmn:sequenceFlow id="f4" sourceRef="start" targetRef="only_to_nothing" />
  <bpmn:sequenceFlow id="f5" sourceRef="only_to_nothing" targetRef="missing" />
  <bpmn:subProcess id="inner">
    <bpmn:startEvent id="inner_start" />
    <bpmn:sequenceFlow id="f6" sourceRef="inner_start" targetRef="end" />
  </bpmn:subProcess>"""),
    "compensated.bpmn": process_file("compensated", """
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="book" />
  <bpmn:task id="book" />
  <bpmn:boundaryEvent id="undo_booking" attachedToRef="book"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
  <bpmn:task id="cancel_booking" isForCompensation="true" />
  <bpmn:association id="a1" sourceRef="undo_booking" targetRef="cancel_booking" />
  <bpmn:sequenceFlow id="f2" sourceRef="book" targetRef="end" />
  <bpmn:endEvent id="end" />"""),
}


@pytest.fixture(scope="module")
def lint_runner(tmp_path_factory):
    """The lint bundled for Node (esbuild, as `make install` bundles it for the browser)."""
    node = shutil.which("node")
    if node is None or not ESBUILD.exists():
        reason = "Node.js and node_modules (make install) are needed to run the modeler's lint"
        pytest.fail(reason) if IN_CI else pytest.skip(reason)
    bundle = tmp_path_factory.mktemp("lint") / "lint_files.cjs"
    subprocess.run([str(ESBUILD), str(Path(__file__).with_name("lint_files.js")), "--bundle", "--platform=node",
                    "--log-level=warning", f"--outfile={bundle}"], check=True, cwd=ROOT)

    def run(contents: list[bytes]) -> list[dict[str, list[str]]]:
        done = subprocess.run([node, str(bundle)], input=json.dumps([c.decode() for c in contents]),
                              capture_output=True, text=True, check=True, timeout=120)
        return json.loads(done.stdout)
    return run


def deploy_check(name: str, content: bytes) -> dict[str, list[str]]:
    tree = etree.ElementTree(etree.fromstring(content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content))
    return {p.element_id: [p.rule] for problems in structural_problems(tree, name).values() for p in problems}


def without_server_only(lint: dict, server: dict) -> tuple[dict, dict]:
    skipped = {element for element, rules in server.items() if set(rules) & SERVER_ONLY}
    return ({e: r for e, r in lint.items() if e not in skipped}, {e: r for e, r in server.items() if e not in skipped})


def test_the_lint_marks_what_the_deploy_check_refuses(lint_runner):
    cases = {"faulty.bpmn": FAULTY, "begins_otherwise.bpmn": BEGINS_OTHERWISE, **OWN_CASES,
             "dangling_flow.bpmn": (FIXTURES / "bad" / "dangling_flow.bpmn").read_bytes()}
    linted = dict(zip(cases, lint_runner(list(cases.values()))))
    for name, content in cases.items():
        lint, server = without_server_only(linted[name], deploy_check(name, content))
        assert lint == server, name
    assert linted["island.bpmn"] == {"a": ["unreachable-element"], "b": ["unreachable-element"],
                                     "only_to_nothing": ["gateway-without-way-out"], "f5": ["flow-to-nothing"],
                                     "inner": ["no-way-out"], "f6": ["flow-to-nothing"],
                                     "inner_start": ["no-way-out"]}


def test_our_processes_give_the_lint_and_the_deploy_check_nothing_to_say(lint_runner):
    files = [*sorted((ROOT / "processes").glob("*.bpmn")), *sorted(FIXTURES.glob("*.bpmn"))]
    linted = lint_runner([f.read_bytes() for f in files])
    assert {f.name: found for f, found in zip(files, linted) if found} == {}
    assert {f.name: deploy_check(f.name, f.read_bytes()) for f in files if deploy_check(f.name, f.read_bytes())} == {}
