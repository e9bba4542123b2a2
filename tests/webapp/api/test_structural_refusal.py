"""POST /deployments refuses a structurally faulty diagram: 422, one error per faulty element."""
from __future__ import annotations

import io

from engine.bpmn.structure import rules
from tests.engine.test_structure_checks import FAULTY


def test_a_faulty_diagram_answers_422_with_each_faulty_element_and_its_rule(api_as):
    mara = api_as("mara")
    answer = mara.call("POST", "/deployments", data={"files": [(io.BytesIO(FAULTY), "faulty.bpmn")]},
                       content_type="multipart/form-data")
    assert answer.status == 422
    errors = {e["element_id"]: e for e in answer.json["errors"]}
    assert {i: e["rule"] for i, e in errors.items()} == {
        "decide": "gateway-without-way-out", "orphan": "unreachable-element", "loose_script": "script-syntax",
        "f4": "condition-syntax", "f5": "flow-to-nothing"}
    assert errors["orphan"]["message"] == rules()["unreachable-element"] and errors["orphan"]["file"] == "faulty.bpmn"
    assert mara.get("/process-definitions").json == []
