"""The editor's deploy sends the version it opened (`based_on_version`): when another manager
deployed meanwhile, 409 says who deployed which version when, and nothing is stored."""
from __future__ import annotations

from tests.webapp.test_modeler import APPROVAL_XML, approval, post_json, renamed  # noqa: F401  (fixture)


def test_the_second_manager_of_one_version_is_refused_with_who_deployed_it(browser_as, engine, approval):  # noqa: F811
    mara, ada = browser_as("mara"), browser_as("ada")
    first = renamed(APPROVAL_XML, "outcome = 'rejected'", "outcome = 'declined'")
    second = renamed(APPROVAL_XML, "outcome = 'approved'", "outcome = 'granted'")
    assert post_json(mara, "/modeler/deploy", {"xml": first, "process_key": "approval", "note": "Declined",
                                               "based_on_version": 1}).status_code == 201
    refused = post_json(ada, "/modeler/deploy", {"xml": second, "process_key": "approval", "note": "Granted",
                                                 "based_on_version": 1})
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["state"] == "superseded"
    assert [(n["key"], n["based_on"], n["latest_version"], n["deployed_by"]) for n in body["newer_versions"]] == [
        ("approval", 1, 2, "mara")]
    with engine.unit_of_work() as uow:
        assert [v.version for v in uow.repository.versions("approval")] == [2, 1]
    based_on_latest = post_json(ada, "/modeler/deploy", {"xml": second, "process_key": "approval", "note": "Granted",
                                                         "based_on_version": 2})
    assert based_on_latest.status_code == 201 and based_on_latest.get_json()["version"] == 3


def test_the_conflict_answer_links_the_comparison_and_the_latest_version(browser_as, approval):  # noqa: F811
    mara, ada = browser_as("mara"), browser_as("ada")
    first = renamed(APPROVAL_XML, "outcome = 'rejected'", "outcome = 'declined'")
    post_json(mara, "/modeler/deploy", {"xml": first, "process_key": "approval", "note": "1", "based_on_version": 1})
    refused = post_json(ada, "/modeler/deploy", {"xml": APPROVAL_XML, "process_key": "approval", "note": "2",
                                                 "based_on_version": 1}).get_json()
    [newer] = refused["newer_versions"]
    assert newer["compare_url"] == "/modeler/processes/approval/compare?old=1&new=2"
    assert newer["latest_url"] == "/modeler/processes/approval/edit"
    assert ada.client.get(newer["compare_url"]).status_code == 200


def test_the_editor_page_hands_the_autosave_interval_and_its_words_to_the_script(app, browser_as, approval):  # noqa: F811
    app.config["MODELER_AUTOSAVE_SECONDS"] = 7
    page = browser_as("mara").client.get("/modeler/processes/approval/edit").get_data(as_text=True)
    assert 'data-autosave-seconds="7"' in page
    assert '<script type="application/json" id="modeler-texts">' in page and "Checks as you draw" in page


def test_reopening_offers_my_draft_with_the_version_it_is_based_on(browser_as, approval):  # noqa: F811
    mara = browser_as("mara")
    post_json(mara, "/modeler/drafts", {"xml": APPROVAL_XML, "process_key": "approval", "based_on_version": 1})
    post_json(mara, "/modeler/drafts", {"xml": APPROVAL_XML.replace('id="approval"', 'id="fresh"'),
                                        "process_key": "fresh"})
    page = mara.get("/modeler/processes/approval/edit").get_data(as_text=True)
    assert "You have a draft of this process" in page and "based on version 1" in page
    assert 'href="/modeler/processes/approval/edit?draft=1"' in page
    fresh = mara.get("/modeler/new?key=fresh&name=Fresh").get_data(as_text=True)
    assert 'href="/modeler/processes/fresh/edit?draft=1"' in fresh
    assert "You have a draft of this process" not in browser_as("ada").get("/modeler/new?key=fresh").get_data(as_text=True)
