"""The decision-table editor's server side (/modeler/decisions): the deployed DMN files with
the processes built from them, the file for dmn-js, and validation and deployment through
the repository's own checks. Flask test client, SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.engine.helpers import start

FEE_DMN = (FIXTURES / "fee_decision.dmn").read_text()


@pytest.fixture
def fee_process(deploy):
    return deploy("dmn_decision.bpmn", "fee_decision.dmn")


def post_json(browser, url, payload):
    return browser.client.post(url, json=payload, headers={"X-CSRFToken": browser.csrf})


def test_the_decisions_page_lists_each_dmn_file_with_its_decisions_and_the_processes_using_it(browser_as, fee_process):
    html = browser_as("mara").get("/modeler/decisions").get_data(as_text=True)
    assert "fee_decision.dmn" in html and "Fee decision" in html
    assert 'href="/modeler/processes/dmn_decision/versions"' in html
    assert 'href="/modeler/decisions/fee_decision.dmn"' in html
    by_process = html[html.index('id="by-process-heading"'):]
    assert "dmn_decision</a> (version 1)" in by_process and "fee_decision.dmn" in by_process


def test_the_editor_page_and_the_file_it_opens(browser_as, fee_process):
    mara = browser_as("mara")
    page = mara.get("/modeler/decisions/fee_decision.dmn")
    assert page.status_code == 200
    assert "build/decisions.js" in page.get_data(as_text=True)
    xml = mara.get("/modeler/decisions/fee_decision.dmn/file.dmn")
    assert xml.mimetype == "application/xml" and xml.get_data(as_text=True) == FEE_DMN
    assert mara.get("/modeler/decisions/nothing.dmn").status_code == 404
    assert mara.get("/modeler/decisions/..%2Fsecret.dmn").status_code == 404


def test_only_managers_and_administrators_edit_decisions(browser_as, fee_process):
    claire = browser_as("claire")
    assert claire.get("/modeler/decisions").status_code == 403
    refused = post_json(claire, "/modeler/decisions/fee_decision.dmn/deploy", {"xml": FEE_DMN, "note": "x"})
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert browser_as("ada").get("/modeler/decisions").status_code == 200


def test_validation_refuses_a_cell_the_sandbox_refuses_and_a_decision_a_process_still_calls(browser_as, fee_process):
    mara = browser_as("mara")
    bad_cell = FEE_DMN.replace("<text>100</text>", "<text>__import__('os')</text>")
    answer = post_json(mara, "/modeler/decisions/fee_decision.dmn/validate", {"xml": bad_cell}).get_json()
    assert answer["valid"] is False
    assert any(p["element_id"] == "rule_protocol_large_fee" for p in answer["problems"])
    renamed = FEE_DMN.replace('decision id="fee_decision"', 'decision id="fee_rule"').replace(
        'dmnElementRef="fee_decision"', 'dmnElementRef="fee_rule"')
    answer = post_json(mara, "/modeler/decisions/fee_decision.dmn/validate", {"xml": renamed}).get_json()
    assert answer["valid"] is False and any("fee_decision" in p["message"] for p in answer["problems"])
    fine = post_json(mara, "/modeler/decisions/fee_decision.dmn/validate", {"xml": FEE_DMN}).get_json()
    assert fine == {"valid": True, "file_name": "fee_decision.dmn", "problems": [], "warnings": []}


def test_bad_input_is_refused_with_the_field_and_nothing_is_deployed(browser_as, fee_process, engine):
    mara = browser_as("mara")
    changed = FEE_DMN.replace("<text>100</text>", "<text>120</text>")
    no_note = post_json(mara, "/modeler/decisions/fee_decision.dmn/deploy", {"xml": changed})
    assert no_note.status_code == 422 and no_note.get_json()["problems"][0]["field"] == "note"
    no_xml = post_json(mara, "/modeler/decisions/fee_decision.dmn/deploy", {"note": "x"})
    assert no_xml.status_code == 422 and no_xml.get_json()["problems"][0]["field"] == "xml"
    broken = post_json(mara, "/modeler/decisions/fee_decision.dmn/deploy", {"xml": "<definitions", "note": "x"})
    assert broken.status_code == 422 and broken.mimetype == "application/problem+json"
    assert broken.get_json()["problems"][0]["file"] == "fee_decision.dmn"
    not_json = mara.client.post("/modeler/decisions/fee_decision.dmn/deploy", data="xml",
                                headers={"X-CSRFToken": mara.csrf})
    assert not_json.status_code == 400
    with engine.unit_of_work() as uow:
        assert uow.repository.decision_xml("fee_decision.dmn") == FEE_DMN
        assert uow.repository.get("dmn_decision").version == 1


def test_a_deployed_table_makes_a_new_version_and_new_instances_follow_its_rules(browser_as, fee_process, engine):
    mara = browser_as("mara")
    before = start(engine, "dmn_decision", category="protocol", amount=2000)
    changed = FEE_DMN.replace("<text>100</text>", "<text>120</text>")
    answer = post_json(mara, "/modeler/decisions/fee_decision.dmn/deploy", {"xml": changed, "note": "fees rise"})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["definitions"] == [{"key": "dmn_decision", "version": 2, "new": True}]
    after = start(engine, "dmn_decision", category="protocol", amount=2000)
    assert (before.data["fee"], after.data["fee"]) == (100, 120)
    again = post_json(mara, "/modeler/decisions/fee_decision.dmn/deploy", {"xml": changed, "note": "same"})
    assert again.status_code == 201 and again.get_json()["definitions"] == []
    html = mara.get("/modeler/decisions").get_data(as_text=True)
    assert "version 2" in html


def test_a_new_decision_file_opens_the_editor_on_a_blank_table_and_bad_choices_are_refused(browser_as, fee_process):
    mara = browser_as("mara")
    page = mara.get("/modeler/decisions/new?decision=room_size&name=Room+size&input=participants&output=room")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-new-decision="room_size"' in html and 'data-new-input="participants"' in html
    assert 'data-new-output="room"' in html and "data-diagram-url" not in html
    for query, words in [("decision=9lives&input=x", "A decision id and an output variable"),
                         ("decision=room_size&input=x&output=a+b", "A decision id and an output variable"),
                         ("decision=room_size&input=", "Say what the decision looks at"),
                         ("decision=fee_decision&input=x", "is deployed already")]:
        refused = mara.get(f"/modeler/decisions/new?{query}")
        assert refused.status_code == 422 and words in refused.get_data(as_text=True), query
