"""What deploy accepts with a warning, and what it refuses, naming the file and the element."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from engine import InvalidDeployment
from engine.bundle import Bundle
from tests.compat.conftest import MODELS
from tests.conftest import MANAGER
from tests.engine.helpers import start

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="defs" targetNamespace="http://x">
  <bpmn:process id="{key}" isExecutable="true">
    <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{first}" />
    {body}
  </bpmn:process>
  {extra}
</bpmn:definitions>"""


def bpmn(key: str, body: str, first: str = "work", extra: str = "") -> bytes:
    return PROCESS.format(key=key, body=body, first=first, extra=extra).encode()


def deploy(engine, files: dict[str, bytes]):
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy(Bundle.from_uploads(list(files.items())), actor=MANAGER)
        uow.commit()
    return result


def refused(engine, files: dict[str, bytes]) -> InvalidDeployment:
    with pytest.raises(InvalidDeployment) as caught:
        deploy(engine, files)
    return caught.value


SCRIPT_THEN_END = ('<bpmn:scriptTask id="work"><bpmn:script>done = True</bpmn:script></bpmn:scriptTask>'
                   '<bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" /><bpmn:endEvent id="end" />')


def test_schema_trivia_spiffworkflow_runs_are_warnings_not_refusals(engine):
    plane = ('<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="trivia" label="Main">'
             '</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>')
    body = SCRIPT_THEN_END.replace('id="end"', 'id="end:1"').replace('targetRef="end"', 'targetRef="end:1"')
    result = deploy(engine, {"trivia.bpmn": bpmn("trivia", body, extra=plane)})
    assert [d.key for d in result.definitions] == ["trivia"]
    schema_warnings = [w for w in result.warnings if w.message.startswith("BPMN schema:")]
    assert schema_warnings and all(w.file == "trivia.bpmn" and w.line for w in schema_warnings)
    assert start(engine, "trivia").state == "completed"


def test_a_file_that_is_not_bpmn_is_refused(engine):
    error = refused(engine, {"notes.bpmn": b"<notes><note>hello</note></notes>"})
    assert [p.file for p in error.problems] == ["notes.bpmn"] and "not a BPMN 2.0 file" in error.problems[0].message


def test_each_process_of_a_collaboration_deploys_or_is_reported_on_its_own(engine, deploy_models):
    result = deploy_models("collaboration.bpmn")
    assert [d.key for d in result.definitions] == ["compat_pool_secretariat"]
    [skipped] = [w for w in result.warnings if "was not deployed" in w.message]
    assert skipped.element_id == "sp_answer" and "compat_pool_state_party" in skipped.message
    assert "groovy" in skipped.message


def test_a_single_process_that_cannot_run_is_still_refused(engine):
    body = SCRIPT_THEN_END.replace("<bpmn:scriptTask id=\"work\">", "<bpmn:scriptTask id=\"work\" scriptFormat=\"javascript\">")
    error = refused(engine, {"js.bpmn": bpmn("js", body)})
    assert [(p.file, p.element_id) for p in error.problems] == [("js.bpmn", "work")]


def test_a_condition_that_cannot_be_translated_is_refused_naming_it(engine):
    body = ('<bpmn:exclusiveGateway id="work" default="plain" />'
            '<bpmn:sequenceFlow id="special" sourceRef="work" targetRef="end">'
            '<bpmn:conditionExpression>${order.isSpecial()}</bpmn:conditionExpression></bpmn:sequenceFlow>'
            '<bpmn:sequenceFlow id="plain" sourceRef="work" targetRef="end" /><bpmn:endEvent id="end" />')
    [problem] = refused(engine, {"juel.bpmn": bpmn("juel", body)}).problems
    assert problem.element_id == "special" and "isSpecial(...)" in problem.message


@pytest.mark.parametrize("packaging", ["files", "zip", "folder"])
def test_bpmn20_xml_files_are_accepted_however_they_come(engine, tmp_path, packaging):
    content = (MODELS / "flowable_translation.bpmn20.xml").read_bytes()
    form = (MODELS / "translation.schema.json").read_bytes()
    if packaging == "files":
        bundle = Bundle.from_uploads([("flowable_translation.bpmn20.xml", content), ("translation.schema.json", form)])
    elif packaging == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("models/flowable_translation.bpmn20.xml", content)
            archive.writestr("models/translation.schema.json", form)
        bundle = Bundle.from_uploads([("flowable.zip", buffer.getvalue())])
    else:
        (tmp_path / "flowable_translation.bpmn20.xml").write_bytes(content)
        (tmp_path / "translation.schema.json").write_bytes(form)
        bundle = Bundle.from_paths([tmp_path])
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy(bundle, actor=MANAGER)
        uow.commit()
    assert [d.key for d in result.definitions] == ["compat_flowable_translation"]


def test_the_cli_deploys_a_bpmn20_xml_file_and_prints_the_warnings(database_url, capsys):
    from engine.cli import main
    code = main(["--database-url", database_url, "deploy", str(MODELS / "flowable_translation.bpmn20.xml"),
                 str(MODELS / "translation.schema.json")])
    printed = capsys.readouterr().out
    assert code == 0
    assert "compat_flowable_translation: version 1" in printed and "warning:" in printed


def test_a_chain_too_long_for_the_library_is_refused_with_a_clear_message(engine):
    steps = "".join(f'<bpmn:scriptTask id="s{i}"><bpmn:script>x = {i}</bpmn:script></bpmn:scriptTask>'
                    f'<bpmn:sequenceFlow id="g{i}" sourceRef="s{i}" targetRef="{f"s{i + 1}" if i < 1999 else "end"}" />'
                    for i in range(2000))
    [problem] = refused(engine, {"long.bpmn": bpmn("long", steps + '<bpmn:endEvent id="end" />', first="s0")}).problems
    assert problem.file == "long.bpmn" and problem.element_id == "long" and "too long a chain" in problem.message


def test_a_service_task_without_a_known_connector_is_refused(engine):
    body = ('<bpmn:serviceTask id="work"><bpmn:extensionElements>'
            '<spiffworkflow:serviceTaskOperator xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
            'id="smtp/SendMail" resultVariable="r" /></bpmn:extensionElements></bpmn:serviceTask>'
            '<bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" /><bpmn:endEvent id="end" />')
    [problem] = refused(engine, {"mail.bpmn": bpmn("mail", body)}).problems
    assert problem.element_id == "work" and "no connector 'smtp/SendMail'" in problem.message
    bare = body.replace('<bpmn:extensionElements><spiffworkflow:serviceTaskOperator xmlns:spiffworkflow='
                        '"http://spiffworkflow.org/bpmn/schema/1.0/core" id="smtp/SendMail" resultVariable="r" />'
                        '</bpmn:extensionElements>', "")
    [problem] = refused(engine, {"bare.bpmn": bpmn("bare", bare)}).problems
    assert problem.element_id == "work" and "says nothing the engine can call" in problem.message


def test_a_form_referring_outside_itself_is_refused(engine):
    form = {"type": "object", "properties": {"country": {"$ref": "https://example.org/countries.json"}}}
    [problem] = refused(engine, {"remote.schema.json": json.dumps(form).encode()}).problems
    assert problem.file == "remote.schema.json" and "https://example.org/countries.json" in problem.message


def test_decision_cells_are_checked_at_deploy_like_scripts(engine):
    dmn = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">
  <decision id="fee" name="Fee"><decisionTable id="t">
    <input id="i1"><inputExpression id="e1" typeRef="number"><text>pages</text></inputExpression></input>
    <output id="o1" name="fee" typeRef="number" />
    <rule id="r1"><inputEntry id="c1"><text>&gt; 10</text></inputEntry>
      <outputEntry id="c2"><text>().__class__.__bases__</text></outputEntry></rule>
  </decisionTable></decision>
</definitions>"""
    [problem] = refused(engine, {"fee.dmn": dmn}).problems
    assert problem.file == "fee.dmn" and problem.element_id == "c2" and "refused" in problem.message


def test_a_form_jsonschema_itself_trips_on_is_refused_not_a_crash(engine):
    [problem] = refused(engine, {"odd.schema.json": b'{"$schema": 5, "type": "object"}'}).problems
    assert problem.file == "odd.schema.json" and "not a valid JSON Schema" in problem.message
