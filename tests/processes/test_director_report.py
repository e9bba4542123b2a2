"""The Director's report to the Bureau (Annex para 10) and the Secretariat's report to the Assembly
(para 3): the period ends, the Director reports, the Bureau records its observations and the
follow-up it asks; each action is done by the person named; an annual report goes to the Assembly."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine import InvalidTaskData, PermissionDenied
from tests.processes.conftest import (
    assigned, complete, fire_timers, get, person, refused, start, the_task, who_did,
)

DIRECTOR = person("director", "Director")
PRESIDENT = person("bureau.president", "Bureau")
OFFICER = person("secretariat.officer", "Secretariat")
ASSISTANT = person("secretariat.assistant", "Secretariat")
REPORT = {"functioning": "Two sessions serviced.", "workload": "Met with the Language Services Section.",
          "budget_implementation": "92 per cent committed.", "staffing": "One post vacant."}


def open_period(engine, clock, kind="Quarterly report to the Bureau"):
    instance = start(engine, "director_report", DIRECTOR)
    complete(engine, the_task(engine, instance.id, "open_period"), DIRECTOR, {
        "period_kind": kind, "period_start": "2027-01-01", "period_end": "2027-03-31", "bureau_meeting": "2027-04-29"})
    assert get(engine, instance.id).active_elements == ["period_ends"]
    assert fire_timers(engine, clock, datetime(2027, 4, 1, 8, 0, tzinfo=timezone.utc)) == [instance.id]
    return instance.id


def observe(engine, instance_id, actions=()):
    task = the_task(engine, instance_id, "bureau_observations")
    assert refused(engine, task, DIRECTOR)
    return complete(engine, task, PRESIDENT, {"bureau_assessment": "The Secretariat functions properly",
                                              "bureau_observations_text": "The Bureau thanks the Director.",
                                              "follow_up_actions": list(actions)})


def test_only_the_director_opens_a_reporting_period(engine, processes):
    with pytest.raises(PermissionDenied):
        start(engine, "director_report", OFFICER)


def test_a_quarterly_report_goes_to_the_bureau_only(engine, clock, processes):
    instance_id = open_period(engine, clock)
    task = the_task(engine, instance_id, "draft_report")
    assert task.due_at == datetime(2027, 4, 15, 23, 59, 59, tzinfo=timezone.utc)  # 14 days before the meeting
    assert refused(engine, task, OFFICER)
    complete(engine, task, DIRECTOR, REPORT)
    final = observe(engine, instance_id)
    assert final.state == "completed"
    assert final.data["report_record"] == {"period": "2027-01-01 to 2027-03-31", "kind": "Quarterly report to the Bureau",
                                           "assessment": "The Secretariat functions properly",
                                           "follow_up": []}
    assert [e for e, _ in who_did(engine, instance_id)] == ["open_period", "draft_report", "bureau_observations"]


def test_an_annual_report_brings_the_bureaus_follow_up_to_the_assembly(engine, clock, processes):
    instance_id = open_period(engine, clock, "Annual report to the Assembly")
    complete(engine, the_task(engine, instance_id, "draft_report"), DIRECTOR, REPORT)
    observe(engine, instance_id, [
        {"action": "Fill the vacant post", "owner": OFFICER.username, "due": "2027-06-30"},
        {"action": "Publish the calendar", "owner": ASSISTANT.username, "due": "2027-05-15"}])
    actions = assigned(engine, instance_id, "carry_out_action")
    assert set(actions) == {OFFICER.username, ASSISTANT.username}
    assert refused(engine, actions[OFFICER.username], ASSISTANT)
    assert actions[ASSISTANT.username].due_at.date().isoformat() == "2027-05-15"
    for who in (OFFICER, ASSISTANT):
        complete(engine, actions[who.username], who, {"done_on": "2027-05-10", "result": "Done."})
    final = complete(engine, the_task(engine, instance_id, "report_to_assembly"), OFFICER, {
        "assembly_report_symbol": "ICC-ASP/26/12", "assembly_session": 26, "issued_on": "2027-10-01"})
    assert final.state == "completed"
    assert sorted(r["owner"] for r in final.data["report_record"]["follow_up"]) == sorted(
        [OFFICER.username, ASSISTANT.username])


def test_an_overdue_report_brings_a_reminder_from_the_bureau_and_is_still_expected(engine, clock, processes):
    instance_id = open_period(engine, clock)
    assert fire_timers(engine, clock, datetime(2027, 4, 16, 8, 0, tzinfo=timezone.utc)) == [instance_id]
    reminder = the_task(engine, instance_id, "remind_director")
    assert refused(engine, reminder, DIRECTOR)
    complete(engine, reminder, PRESIDENT, {"reminder": "The Bureau awaits your report."})
    complete(engine, the_task(engine, instance_id, "draft_report"), DIRECTOR, REPORT)
    final = observe(engine, instance_id)
    assert final.state == "completed"
    assert ("remind_director", "bureau.president") in who_did(engine, instance_id)


def test_follow_up_goes_only_to_a_member_of_the_secretariat(engine, clock, processes):
    instance_id = open_period(engine, clock)
    complete(engine, the_task(engine, instance_id, "draft_report"), DIRECTOR, REPORT)
    with pytest.raises(InvalidTaskData) as caught:
        observe(engine, instance_id, [{"action": "Explain", "owner": DIRECTOR.username, "due": "2027-06-30"}])
    assert [p.field for p in caught.value.problems] == ["follow_up_actions.0.owner"]
