"""The versions comparison page and its JSON say what changed, by meaning."""
from __future__ import annotations

from tests.engine.approval_versions import with_added_task


def test_the_comparison_lists_the_added_task_and_what_changed_in_the_re_pointed_flow(browser_as, deploy, tmp_path):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json")
    (tmp_path / "approval.bpmn").write_text(with_added_task())
    deploy("approval.bpmn", folder=tmp_path)
    mara = browser_as("mara")
    changes = mara.get("/modeler/processes/approval/compare.json?old=1&new=2").get_json()
    assert (changes["added"], changes["removed"], changes["changed"]) == (
        ["check_request", "flow_checked"], [], ["flow_submitted"])
    assert changes["details"] == {"flow_submitted": ["target"]}
    page = mara.get("/modeler/processes/approval/compare?old=1&new=2").get_data(as_text=True)
    assert 'data-added="check_request flow_checked"' in page and "Check request" in page
    assert 'data-what-changed="flow_submitted">changed: where it leads<' in page
