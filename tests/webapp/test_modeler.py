"""The process modeler's pages and JSON endpoints (webapp/modeler/), through the Flask test
client on SQLite and PostgreSQL: who may use them, drafts, validation, deployment with a
note, versions and their comparison. The editor itself runs in tests/browser/test_modeler.py."""
from __future__ import annotations

import re

import pytest
from flask import url_for

from tests.conftest import FIXTURES
from tests.engine.helpers import start

APPROVAL = ("approval.bpmn", "request.schema.json", "review.schema.json")
APPROVAL_XML = (FIXTURES / "approval.bpmn").read_text()


@pytest.fixture
def approval(deploy):
    return deploy(*APPROVAL)


def post_json(browser, url, payload, csrf=True):
    headers = {"X-CSRFToken": browser.csrf} if csrf else {}
    return browser.client.post(url, json=payload, headers=headers)


def renamed(xml: str, old: str, new: str) -> str:
    assert old in xml
    return xml.replace(old, new)


def faulty_approval() -> str:
    """The approval process with two defects: its gateway's flows lack a condition and a
    default, and the review names a form that does not exist."""
    xml = renamed(APPROVAL_XML, ' default="flow_rejected"', "")
    xml = re.sub(r"\s*<bpmn:conditionExpression>approved</bpmn:conditionExpression>\s*", "", xml)
    return renamed(xml, "review.schema.json", "no_such_form.schema.json")


# -- who may use it --------------------------------------------------------------------------

def _modeler_urls(app):
    values = {"key": "approval", "version": 1, "name": "request"}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("modeler."):
                url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
                for method in sorted({"GET", "POST"} & rule.methods):
                    yield rule.endpoint, method, url


def test_a_non_manager_gets_403_on_every_modeler_page_and_endpoint(app, browser_as, approval):
    claire = browser_as("claire")
    tried = []
    for endpoint, method, url in _modeler_urls(app):
        answer = claire.client.open(url, method=method, json={} if method == "POST" else None,
                                    headers={"X-CSRFToken": claire.csrf})
        assert answer.status_code == 403, (endpoint, method, url, answer.status_code)
        tried.append(endpoint)
    assert {"modeler.index", "modeler.edit", "modeler.deploy", "modeler.validate", "modeler.save_draft",
            "modeler.versions", "modeler.compare_json", "modeler.form_editor", "modeler.save_form",
            "modeler.form_preview", "modeler.discard_draft"} <= set(tried)
    refused = claire.client.post("/modeler/validate", json={"xml": APPROVAL_XML}, headers={"X-CSRFToken": claire.csrf})
    assert refused.is_json and refused.get_json()["status"] == 403


def test_managers_and_administrators_use_the_modeler_and_strangers_are_sent_to_sign_in(client, browser_as, approval):
    for who in ("mara", "ada"):
        page = browser_as(who).get("/modeler/")
        assert page.status_code == 200 and "Approval of a request" in page.get_data(as_text=True)
    assert client.get("/modeler/").status_code == 302
    anonymous = client.get("/modeler/forms.json")
    assert anonymous.status_code == 401 and anonymous.get_json()["title"] == "Unauthorized"  # the API's problem+json


def test_the_modeler_endpoints_need_the_csrf_token(browser_as, approval):
    mara = browser_as("mara")
    refused = post_json(mara, "/modeler/validate", {"xml": APPROVAL_XML, "file_name": "approval.bpmn"}, csrf=False)
    assert refused.status_code == 400 and "CSRF" in refused.get_json()["detail"]
    draft = {"xml": APPROVAL_XML, "process_key": "approval"}
    assert post_json(mara, "/modeler/drafts", draft, csrf=False).status_code == 400
    assert mara.client.post("/modeler/drafts/approval/discard").status_code == 400
    ok = post_json(mara, "/modeler/validate", {"xml": APPROVAL_XML, "file_name": "approval.bpmn"})
    assert ok.status_code == 200


# -- the pages -------------------------------------------------------------------------------

def test_the_editor_page_opens_a_version_and_hands_its_urls_to_the_script(browser_as, approval):
    page = browser_as("mara").get("/modeler/processes/approval/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-diagram-url="/modeler/processes/approval/versions/1.bpmn"' in html
    assert 'data-based-on-version="1"' in html and 'name="csrf-token"' in html
    assert "/static/build/modeler.js" in html and "<script>" not in html
    xml = browser_as("mara").get("/modeler/processes/approval/versions/1.bpmn")
    assert xml.mimetype == "application/xml" and xml.get_data(as_text=True) == APPROVAL_XML


def test_a_new_process_starts_from_the_blank_template_with_the_chosen_id(browser_as, approval):
    mara = browser_as("mara")
    page = mara.get("/modeler/new?key=meeting_servicing&name=Servicing+a+meeting")
    assert page.status_code == 200
    assert 'data-new-key="meeting_servicing"' in page.get_data(as_text=True)
    assert mara.get("/modeler/new?key=9+bad+id").status_code == 422
    taken = mara.get("/modeler/new?key=approval")
    assert taken.status_code == 422 and "already deployed" in taken.get_data(as_text=True)


def test_unknown_processes_and_versions_are_404(browser_as, approval):
    mara = browser_as("mara")
    assert mara.get("/modeler/processes/nothing/edit").status_code == 404
    assert mara.get("/modeler/processes/approval/edit?version=7").status_code == 404
    assert mara.get("/modeler/processes/approval/edit?draft=1").status_code == 404
    assert mara.get("/modeler/processes/nothing/versions").status_code == 404
    assert mara.get("/modeler/processes/approval/compare.json?old=1&new=9").get_json()["status"] == 404


# -- drafts ----------------------------------------------------------------------------------

def test_drafts_are_saved_and_listed_per_manager(browser_as, approval):
    mara, ada = browser_as("mara"), browser_as("ada")
    draft_xml = renamed(APPROVAL_XML, 'name="Record approval"', 'name="Record the approval"')
    saved = post_json(mara, "/modeler/drafts", {"xml": draft_xml, "process_key": "approval",
                                                "file_name": "approval.bpmn", "note": "clearer names",
                                                "based_on_version": 1})
    assert saved.status_code == 200
    assert saved.get_json()["note"] == "clearer names" and saved.get_json()["based_on_version"] == 1
    listed = mara.get("/modeler/drafts.json").get_json()["drafts"]
    assert [(d["process_key"], d["note"]) for d in listed] == [("approval", "clearer names")]
    assert ada.get("/modeler/drafts.json").get_json()["drafts"] == []
    assert "clearer names" in mara.get("/modeler/").get_data(as_text=True)
    assert "clearer names" not in ada.get("/modeler/").get_data(as_text=True)
    assert mara.get("/modeler/drafts/approval.bpmn").get_data(as_text=True) == draft_xml
    assert ada.get("/modeler/drafts/approval.bpmn").status_code == 404
    opened = mara.get("/modeler/processes/approval/edit?draft=1").get_data(as_text=True)
    assert 'data-diagram-url="/modeler/drafts/approval.bpmn"' in opened
    assert "You have a draft" in mara.get("/modeler/processes/approval/edit").get_data(as_text=True)

    discarded = mara.post("/modeler/drafts/approval/discard")
    assert discarded.status_code == 302
    assert mara.get("/modeler/drafts.json").get_json()["drafts"] == []


def test_a_draft_needs_a_process_id_and_its_xml(browser_as):
    mara = browser_as("mara")
    answer = post_json(mara, "/modeler/drafts", {"xml": "", "process_key": "approval"})
    assert answer.status_code == 422 and answer.get_json()["problems"][0]["field"] == "xml"
    answer = post_json(mara, "/modeler/drafts", {"xml": APPROVAL_XML, "process_key": "has space"})
    assert answer.status_code == 422 and answer.get_json()["problems"][0]["field"] == "process_key"
    assert mara.client.post("/modeler/drafts", data="not json", headers={"X-CSRFToken": mara.csrf}).status_code == 400


# -- validation and deployment ---------------------------------------------------------------

def test_validation_runs_the_deployment_checks_and_names_the_faulty_elements(browser_as, approval):
    mara = browser_as("mara")
    answer = post_json(mara, "/modeler/validate", {"xml": faulty_approval(), "file_name": "approval.bpmn"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["valid"] is False
    by_element = {p["element_id"]: p for p in body["problems"]}
    assert {"flow_approved", "approved_gateway"} <= set(by_element)
    assert all(p["file"] == "approval.bpmn" and p["line"] for p in body["problems"])
    assert "without condition" in by_element["flow_approved"]["message"]
    assert "review_request" not in by_element  # a missing form is a deploy warning, not a refusal

    form_only = renamed(APPROVAL_XML, "review.schema.json", "no_such_form.schema.json")
    warned = post_json(mara, "/modeler/validate", {"xml": form_only, "file_name": "approval.bpmn"}).get_json()
    assert warned["valid"] is True
    assert any(w.get("element_id") == "review_request" and "no_such_form.schema.json" in w["message"]
               for w in warned["warnings"])

    good = post_json(mara, "/modeler/validate", {"xml": APPROVAL_XML, "file_name": "approval.bpmn"}).get_json()
    assert good == {"valid": True, "file_name": "approval.bpmn", "problems": [], "warnings": []}
    with mara.client.application.extensions["engine"].unit_of_work() as uow:
        assert [v.version for v in uow.repository.versions("approval")] == [1]


def test_schema_findings_are_warnings_placed_on_the_element_they_name_by_line(browser_as, approval):
    mara = browser_as("mara")
    xml = renamed(APPROVAL_XML, '<bpmn:userTask id="review_request" name="Review request">',
                  '<bpmn:userTask id="review_request" name="Review request" colour="red">')
    body = post_json(mara, "/modeler/validate", {"xml": xml, "file_name": "approval.bpmn"}).get_json()
    assert body["valid"] is True  # SpiffWorkflow runs it: the XSD finding is a warning (issue 13)
    warnings = body["warnings"]
    assert warnings and warnings[0]["element_id"] == "review_request" and warnings[0]["line"]
    broken = post_json(mara, "/modeler/validate", {"xml": "<bpmn:definitions", "file_name": "approval.bpmn"})
    assert broken.get_json()["problems"][0]["message"].startswith("not well-formed XML")


def test_deploying_with_a_note_makes_a_new_version_and_ends_the_draft(browser_as, engine, approval):
    mara = browser_as("mara")
    changed = renamed(APPROVAL_XML, "outcome = 'rejected'", "outcome = 'declined'")
    post_json(mara, "/modeler/drafts", {"xml": changed, "process_key": "approval", "note": "wording"})
    answer = post_json(mara, "/modeler/deploy", {"xml": changed, "file_name": "approval.bpmn",
                                                 "process_key": "approval", "note": "Declined, not rejected"})
    assert answer.status_code == 201
    body = answer.get_json()
    assert (body["key"], body["version"], body["new"]) == ("approval", 2, True)
    assert body["versions_url"] == "/modeler/processes/approval/versions"
    with engine.unit_of_work() as uow:
        latest = uow.repository.get("approval")
        assert (latest.version, latest.note, latest.deployed_by) == (2, "Declined, not rejected", "mara")
        assert "outcome = 'declined'" in uow.repository.bpmn_xml("approval", 2)
    assert mara.get("/modeler/drafts.json").get_json()["drafts"] == []

    again = post_json(mara, "/modeler/deploy", {"xml": changed, "file_name": "approval.bpmn", "note": "same again"})
    assert again.status_code == 201 and (again.get_json()["version"], again.get_json()["new"]) == (2, False)


def test_a_faulty_diagram_or_a_missing_note_is_not_deployed(browser_as, engine, approval):
    mara = browser_as("mara")
    refused = post_json(mara, "/modeler/deploy", {"xml": faulty_approval(), "file_name": "approval.bpmn",
                                                  "note": "try it"})
    assert refused.status_code == 422
    assert refused.get_json()["problems"][0]["element_id"] == "flow_approved"
    no_note = post_json(mara, "/modeler/deploy", {"xml": APPROVAL_XML, "file_name": "approval.bpmn", "note": " "})
    assert no_note.status_code == 422 and no_note.get_json()["problems"] == [
        {"message": "say what changed and why", "field": "note"}]
    bad_name = post_json(mara, "/modeler/deploy", {"xml": APPROVAL_XML, "file_name": "../x.bpmn", "note": "n"})
    assert bad_name.status_code == 422 and bad_name.get_json()["problems"][0]["field"] == "file_name"
    with engine.unit_of_work() as uow:
        assert [v.version for v in uow.repository.versions("approval")] == [1]


def test_running_instances_keep_their_version_and_new_ones_start_on_the_newest(browser_as, engine, approval):
    before = start(engine, "approval")
    changed = renamed(APPROVAL_XML, "outcome = 'approved'", "outcome = 'granted'")
    mara = browser_as("mara")
    assert post_json(mara, "/modeler/deploy", {"xml": changed, "file_name": "approval.bpmn",
                                               "note": "Granted"}).status_code == 201
    after = start(engine, "approval")
    with engine.unit_of_work() as uow:
        assert uow.runtime.get(before.id).version == 1
        assert uow.runtime.get(after.id).version == 2
    assert before.open_tasks[0].element_id == after.open_tasks[0].element_id == "submit_request"


# -- versions and comparison -----------------------------------------------------------------

def _deploy_second_version(browser):
    """Version 2 renames a task and adds a text annotation."""
    changed = renamed(APPROVAL_XML, 'name="Record approval"', 'name="Record the approval"')
    annotation = '<bpmn:textAnnotation id="note_added"><bpmn:text>Since 2027</bpmn:text></bpmn:textAnnotation>'
    changed = renamed(changed, "  </bpmn:process>", f"    {annotation}\n  </bpmn:process>")
    answer = post_json(browser, "/modeler/deploy", {"xml": changed, "file_name": "approval.bpmn",
                                                    "note": "Clearer wording & a second path"})
    assert answer.status_code == 201, answer.get_json()


def test_the_versions_page_lists_who_deployed_each_version_when_with_its_note_and_instances(browser_as, engine,
                                                                                             approval):
    start(engine, "approval")
    mara = browser_as("mara")
    _deploy_second_version(mara)
    start(engine, "approval"), start(engine, "approval")
    html = mara.get("/modeler/processes/approval/versions").get_data(as_text=True)
    rows = re.findall(r'<tr data-version="(\d)">(.*?)</tr>', html, re.S)
    assert [number for number, _ in rows] == ["2", "1"]
    second, first = (row for _, row in rows)
    assert "Mara" in second and "Clearer wording &amp; a second path" in second
    assert re.search(r'class="count">2<', second) and re.search(r'class="count">1<', first)
    assert "UTC" in first
    version_page = mara.get("/modeler/processes/approval/versions/1").get_data(as_text=True)
    assert 'data-diagram-url="/modeler/processes/approval/versions/1.bpmn"' in version_page
    assert "bpmn-navigated-viewer.production.min.js" in version_page


def test_comparing_two_versions_marks_added_removed_and_changed_elements(browser_as, approval):
    mara = browser_as("mara")
    _deploy_second_version(mara)
    changes = mara.get("/modeler/processes/approval/compare.json?old=1&new=2").get_json()
    assert changes["added"] == ["note_added"] and changes["removed"] == []
    assert "record_approval" in changes["changed"]
    backwards = mara.get("/modeler/processes/approval/compare.json?old=2&new=1").get_json()
    assert backwards["removed"] == ["note_added"]
    assert mara.get("/modeler/processes/approval/compare.json?old=1").status_code == 422

    page = mara.get("/modeler/processes/approval/compare?old=1&new=2").get_data(as_text=True)
    assert 'data-side="new"' in page and 'data-added="note_added"' in page
    assert re.search(r'data-side="old"[^>]*data-removed=""', page, re.S)
    assert "Added: in the new version only" in page and "Record the approval" in page
