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
