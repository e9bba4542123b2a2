"""The Secretariat's section of the Court's budget (Annex paras 5.3, 5.4(c), 8.1, 9): prepared by
the Secretariat, reviewed by the Director and the Committee on Budget and Finance, with statements
of programme budget implications, approved by the Assembly, then administered: commitments only
within the approved lines (commitment_check.dmn) until the accounts are closed or the year ends."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine import InvalidTaskData, PermissionDenied
from tests.processes.conftest import complete, fire_timers, get, person, refused, start, the_task, who_did

OFFICER = person("secretariat.officer", "Secretariat")
DIRECTOR = person("director", "Director")
CBF = person("cbf.chair", "Committee on Budget and Finance")
ASSEMBLY = person("assembly.president", "Assembly")
LINES = [{"name": "Conference services", "amount": 500000, "justification": "Two sessions"},
         {"name": "General temporary assistance", "amount": 80000, "justification": "Peak workload"}]


def proposal(**changes) -> dict:
    return {"budget_year": 2028, "lines": LINES, "cbf_session": "2027-09-06", "assembly_session": "2027-12-01", **changes}


def prepared(engine):
    instance = start(engine, "budget_section", OFFICER)
    task = the_task(engine, instance.id, "prepare_section")
    assert refused(engine, task, DIRECTOR)
    complete(engine, task, OFFICER, proposal())
    return instance.id


def approved(engine, statements=(), approval="Approved as recommended, with the implications of the statements"):
    instance_id = prepared(engine)
    complete(engine, the_task(engine, instance_id, "director_review"), DIRECTOR, {
        "director_decision": "Submit to the Committee on Budget and Finance", "director_comments": "In order."})
    review = the_task(engine, instance_id, "cbf_review")
    assert refused(engine, review, OFFICER) and review.due_at.date().isoformat() == "2027-09-06"
    complete(engine, review, CBF, {"recommendation": "Recommend with reductions", "cbf_report": "Reduce GTA.",
                                   "reductions": [{"line": "General temporary assistance", "reduction": 20000}]})
    complete(engine, the_task(engine, instance_id, "prepare_pbi"), OFFICER, {"statements": list(statements)})
    approval_task = the_task(engine, instance_id, "assembly_approval")
    assert refused(engine, approval_task, OFFICER)
    complete(engine, approval_task, ASSEMBLY, {"approval": approval, "resolution_symbol": "ICC-ASP/26/Res.1",
                                               "adopted_on": "2027-12-10"})
    return instance_id


def spend(engine, instance_id, **data):
    return complete(engine, the_task(engine, instance_id, "record_spending"), OFFICER, data)


def test_only_the_secretariat_prepares_its_budget_section(engine, processes):
    with pytest.raises(PermissionDenied):
        start(engine, "budget_section", DIRECTOR)


def test_a_returned_section_is_prepared_again(engine, processes):
    instance_id = prepared(engine)
    back = complete(engine, the_task(engine, instance_id, "director_review"), DIRECTOR, {
        "director_decision": "Return for changes", "director_comments": "Justify the travel."})
    assert [t.element_id for t in back.open_tasks] == ["prepare_section"]
    assert back.data["returns"] == [{"round": 1, "comments": "Justify the travel."}]


def test_the_approved_budget_is_spent_only_within_its_lines(engine, processes):
    instance_id = approved(engine, [{"draft_resolution": "ICC-ASP/26/L.4", "line": "Conference services",
                                     "amount": 15000}])
    approved_data = get(engine, instance_id).data
    assert approved_data["balances"] == {"Conference services": 515000, "General temporary assistance": 60000}
    spend(engine, instance_id, spending_action="Record a commitment", commit_line="General temporary assistance",
          commit_amount=50000, purpose="Two temporary editors")
    after = spend(engine, instance_id, spending_action="Record a commitment", commit_line="General temporary assistance",
                  commit_amount=20000, purpose="A third editor")
    assert after.data["balances"]["General temporary assistance"] == 10000
    assert after.data["commitments"][-1]["status"].startswith("refused: beyond the approved line")
    final = spend(engine, instance_id, spending_action="Close the year's accounts")
    assert final.state == "completed"
    assert final.data["budget_record"] == {
        "year": 2028, "proposed": 580000, "recommended": 560000, "approved": 575000, "resolution": "ICC-ASP/26/Res.1",
        "committed": 50000, "refused": 1, "unspent": {"Conference services": 515000, "General temporary assistance": 10000}}
    assert [e for e, _ in who_did(engine, instance_id)][:5] == [
        "prepare_section", "director_review", "cbf_review", "prepare_pbi", "assembly_approval"]


def test_without_the_implications_only_the_recommended_amounts_are_approved(engine, processes):
    instance_id = approved(engine, [{"draft_resolution": "ICC-ASP/26/L.4", "line": "Conference services",
                                     "amount": 15000}], "Approved as recommended, without the implications of the statements")
    assert get(engine, instance_id).data["approved_total"] == 560000


def test_the_end_of_the_financial_year_closes_the_accounts(engine, clock, processes):
    instance_id = approved(engine)
    assert the_task(engine, instance_id, "record_spending").due_at.date().isoformat() == "2028-12-31"
    assert fire_timers(engine, clock, datetime(2029, 1, 1, 8, 0, tzinfo=timezone.utc)) == [instance_id]
    final = get(engine, instance_id)
    assert final.state == "completed" and final.data["budget_record"]["committed"] == 0


def test_a_reduction_must_name_a_line_of_the_section(engine, processes):
    instance_id = prepared(engine)
    complete(engine, the_task(engine, instance_id, "director_review"), DIRECTOR, {
        "director_decision": "Submit to the Committee on Budget and Finance", "director_comments": "In order."})
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, the_task(engine, instance_id, "cbf_review"), CBF, {
            "recommendation": "Recommend with reductions", "cbf_report": "x",
            "reductions": [{"line": "Travel", "reduction": 1}]})
    assert [p.field for p in caught.value.problems] == ["reductions.0.line"]
