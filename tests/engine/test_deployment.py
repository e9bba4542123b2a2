"""Deployment: everything is validated before anything is stored; versions follow content."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from engine import InvalidDeployment, PermissionDenied
from engine.bundle import Bundle
from engine.persistence.models import Deployment, ProcessDefinition, Resource
from tests.conftest import FIXTURES, MANAGER
from tests.engine.helpers import CLERK, complete, get, open_tasks, start

BAD = FIXTURES / "bad"


def count(engine, model) -> int:
    with engine.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def nothing_stored(engine) -> bool:
    return count(engine, Deployment) == count(engine, Resource) == count(engine, ProcessDefinition) == 0


def rejected(engine, paths) -> InvalidDeployment:
    with engine.unit_of_work() as uow, pytest.raises(InvalidDeployment) as caught:
        uow.repository.deploy_paths(paths, actor=MANAGER)
    assert nothing_stored(engine)
    return caught.value


def test_redeploying_unchanged_files_makes_no_new_version(engine, deploy, tmp_path):
    first = deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    again = deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    assert [(d.version, d.new) for d in first.definitions] == [(1, True)]
    assert [(d.version, d.new) for d in again.definitions] == [(1, False)]


def test_a_changed_form_alone_makes_new_versions_of_its_processes(engine, deploy, tmp_path):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    old_instance = start(engine, "approval")
    changed = (FIXTURES / "request.schema.json").read_text().replace('"Request"', '"Purchase request"')
    (tmp_path / "request.schema.json").write_text(changed)
    result = deploy("request.schema.json", folder=tmp_path)
    assert [(d.key, d.version, d.new) for d in result.definitions] == [("approval", 2, True)]
    new_instance = start(engine, "approval")
    assert new_instance.version == 2 and new_instance.open_tasks[0].form["schema"]["title"] == "Purchase request"
    with engine.unit_of_work() as uow:
        old = uow.runtime.get(old_instance.id)
    assert old.version == 1 and old.open_tasks[0].form["schema"]["title"] == "Request"


def test_a_zip_bundle_deploys(engine):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("approval.bpmn", "request.schema.json", "review.schema.json"):
            archive.write(FIXTURES / name, f"nested/{name}")
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy(Bundle.from_uploads([("bundle.zip", buffer.getvalue())]), actor=MANAGER)
        uow.commit()
    assert [d.key for d in result.definitions] == ["approval"]


def test_forms_deployed_earlier_serve_a_later_bpmn(engine, deploy):
    deploy("request.schema.json", "review.schema.json")
    assert deploy("approval.bpmn").definitions[0].key == "approval"


def test_only_managers_deploy(engine):
    with engine.unit_of_work() as uow, pytest.raises(PermissionDenied):
        uow.repository.deploy_paths([FIXTURES / "approval.bpmn"], actor=CLERK)


def test_malformed_xml_is_rejected_with_file_and_line(engine):
    [problem] = rejected(engine, [BAD / "malformed.bpmn"]).problems
    assert problem.file == "malformed.bpmn" and problem.line and "well-formed" in problem.message


def test_a_missing_form_deploys_with_a_warning_and_its_task_runs_without_fields(engine, deploy):
    result = deploy("missing_form.bpmn", folder=BAD)
    [warning] = [w for w in result.warnings if "nonexistent.schema.json" in w.message]
    assert warning.element_id == "fill_form" and warning.line and warning.file == "missing_form.bpmn"
    assert "'Fill the form' will show no fields" in warning.message
    instance = start(engine, "missing_form")
    [task] = open_tasks(engine, CLERK)
    assert task.form["schema"] is None
    complete(engine, task.id, data={"note": "typed anyway"})
    assert get(engine, instance.id).state == "completed"


def test_a_form_that_is_not_json_schema_is_rejected(engine):
    error = rejected(engine, [BAD / "bad_schema"])
    assert any(p.file == "broken.schema.json" and "JSON Schema" in p.message for p in error.problems)


def test_a_dangling_flow_is_explained_in_plain_words(engine):
    error = rejected(engine, [BAD / "dangling_flow.bpmn"])
    [problem] = [p for p in error.problems if p.rule == "flow-to-nothing"]
    assert problem.element_id and problem.line and "does not lead to an element" in problem.message


def test_a_gateway_without_conditions_is_rejected(engine):
    error = rejected(engine, [BAD / "gateway_no_condition.bpmn"])
    assert any(p.element_id and p.line for p in error.problems)


def test_xxe_payload_leaks_nothing(engine, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7731")
    bpmn = (BAD / "xxe.bpmn").read_text().replace("file:///etc/hostname", secret.as_uri())
    (tmp_path / "xxe.bpmn").write_text(bpmn)
    error = rejected(engine, [tmp_path / "xxe.bpmn"])
    assert "DOCTYPE" in str(error)
    assert "TOP-SECRET-7731" not in str(error)
    with engine.unit_of_work() as uow:
        for table in ("resources", "process_definitions", "history_events"):
            dump = " ".join(str(row) for row in uow.session.execute(text(f"SELECT * FROM {table}")))
            assert "TOP-SECRET" not in dump


def test_billion_laughs_is_rejected_quickly(engine):
    error = rejected(engine, [BAD / "billion_laughs.bpmn"])
    assert error.problems[0].file == "billion_laughs.bpmn"


def test_one_bad_file_stops_the_whole_bundle(engine):
    rejected(engine, [FIXTURES / "approval.bpmn", FIXTURES / "request.schema.json",
                      FIXTURES / "review.schema.json", BAD / "malformed.bpmn"])


def test_a_refused_script_is_rejected_at_deploy(engine, tmp_path):
    bpmn = (FIXTURES / "script_error.bpmn").read_text().replace("result = 10 / divisor", "import os")
    (tmp_path / "script_error.bpmn").write_text(bpmn)
    error = rejected(engine, [tmp_path / "script_error.bpmn", FIXTURES / "note.schema.json"])
    assert any(p.element_id == "divide" and "import" in p.message for p in error.problems)


def test_a_business_rule_task_without_its_decision_is_rejected(engine):
    error = rejected(engine, [FIXTURES / "dmn_decision.bpmn"])
    assert any("fee_decision" in p.message and p.element_id for p in error.problems), error


def test_a_decision_deployed_earlier_serves_a_later_bpmn_and_a_changed_dmn_makes_a_new_version(engine, deploy, tmp_path):
    deploy("fee_decision.dmn")
    assert deploy("dmn_decision.bpmn").definitions[0].version == 1
    changed = (FIXTURES / "fee_decision.dmn").read_text().replace(">100<", ">120<")
    assert changed != (FIXTURES / "fee_decision.dmn").read_text()
    (tmp_path / "fee_decision.dmn").write_text(changed)
    result = deploy("fee_decision.dmn", folder=tmp_path)
    assert [(d.key, d.version) for d in result.definitions] == [("dmn_decision", 2)]


def test_every_faulty_element_is_reported_at_once(engine, tmp_path):
    import re
    bpmn = (FIXTURES / "approval.bpmn").read_text()
    bpmn = re.sub(r'(<bpmn:exclusiveGateway id="approved_gateway"[^>]*?) default="[^"]*"', r"\1", bpmn)
    bpmn = bpmn.replace("<bpmn:conditionExpression>approved</bpmn:conditionExpression>",
                        "<bpmn:conditionExpression>approved ==</bpmn:conditionExpression>")
    bpmn = bpmn.replace("<bpmn:script>outcome = 'approved'</bpmn:script>", "<bpmn:script>outcome = (</bpmn:script>")
    (tmp_path / "approval.bpmn").write_text(bpmn)
    error = rejected(engine, [tmp_path / "approval.bpmn", FIXTURES / "request.schema.json",
                              FIXTURES / "review.schema.json"])
    elements = {p.element_id for p in error.problems}
    assert {"flow_approved", "record_approval"} <= elements, error
