"""Servicing a session (Annex paras 5.1(a), 5.1(c), 5.2(a), 5.2(d)): the Secretariat plans it with
the Bureau, conference services arrange the rooms and the interpretation into each language the
body needs (interpretation_languages.dmn), the credentials go to the Credentials Committee, and the
records are issued after the session closes."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine import InvalidTaskData, PermissionDenied
from tests.processes.conftest import (
    complete, fire_timers, get, person, refused, start, tasks_at, the_task, who_did,
)

OFFICER = person("secretariat.officer", "Secretariat")
PRESIDENT = person("bureau.president", "Bureau")
CONFERENCE = person("conference.officer", "Conference Services")
CREDENTIALS = person("credentials.chair", "Credentials Committee")
AFTER_THE_SESSION = datetime(2027, 12, 11, 8, 0, tzinfo=timezone.utc)


def plan(body="Assembly of States Parties", **changes) -> dict:
    return {"serviced_body": body, "session": 26, "venue": "World Forum, The Hague", "opening_date": "2027-12-01",
            "closing_date": "2027-12-10", "meetings_planned": 16,
            "documents": [{"symbol": "ICC-ASP/26/1", "title": "Provisional agenda", "due": "2027-09-01"},
                          {"symbol": "ICC-ASP/26/10", "title": "Proposed programme budget", "due": "2027-08-01"}],
            **changes}


def planned(engine, body="Assembly of States Parties"):
    instance = start(engine, "session_servicing", OFFICER)
    task = the_task(engine, instance.id, "plan_session")
    assert refused(engine, task, PRESIDENT)
    complete(engine, task, OFFICER, plan(body))
    return instance.id


def service(engine, instance_id):
    for task in tasks_at(engine, instance_id, "arrange_interpretation"):
        assert refused(engine, task, OFFICER)
        complete(engine, task, CONFERENCE, {"interpreters": 3, "booth": f"Booth {task.data['interpretation_language']}"})
    complete(engine, the_task(engine, instance_id, "book_rooms"), CONFERENCE,
             {"plenary_room": "Plenary hall", "side_rooms": 4, "services": ["Security services"]})
    complete(engine, the_task(engine, instance_id, "receive_credentials"), OFFICER,
             {"credentials_received": 118, "provisional_received": 5})
    examine = the_task(engine, instance_id, "examine_credentials")
    assert refused(engine, examine, OFFICER)
    complete(engine, examine, CREDENTIALS, {"credentials_accepted": 121, "credentials_report_text": "All in order."})


def test_only_the_secretariat_convenes_the_servicing_of_a_session(engine, processes):
    with pytest.raises(PermissionDenied):
        start(engine, "session_servicing", PRESIDENT)


def test_a_session_of_the_assembly_is_planned_with_the_bureau_serviced_and_recorded(engine, clock, processes):
    instance_id = planned(engine)
    review = the_task(engine, instance_id, "review_plan")
    assert review.due_at.date().isoformat() == "2027-12-01"
    complete(engine, review, PRESIDENT, {"plan_decision": "Ask for changes", "plan_review_comments": "Add a CBF report."})
    complete(engine, the_task(engine, instance_id, "plan_session"), OFFICER, plan())
    complete(engine, the_task(engine, instance_id, "review_plan"), PRESIDENT, {"plan_decision": "Agree to the plan"})

    languages = sorted(t.data["interpretation_language"] for t in tasks_at(engine, instance_id, "arrange_interpretation"))
    assert languages == ["Arabic", "Chinese", "English", "French", "Russian", "Spanish"]
    service(engine, instance_id)
    assert get(engine, instance_id).active_elements == ["session_closes"]
    assert fire_timers(engine, clock, AFTER_THE_SESSION) == [instance_id]
    records = the_task(engine, instance_id, "record_meetings")
    assert records.due_at.date().isoformat() == "2028-01-09"  # 30 days after a plenary session
    final = complete(engine, records, OFFICER, {"meetings_held": 15, "official_records_symbol": "ICC-ASP/26/20"})

    assert final.state == "completed"
    record = final.data["session_record"]
    assert (record["plan_rounds"], record["credentials_accepted"], record["meetings_held"]) == (2, 121, 15)
    assert sorted(i["language"] for i in record["interpretation"]) == languages
    assert final.data["plan_comments"] == [{"round": 1, "comments": "Add a CBF report."}]
    assert who_did(engine, instance_id)[-1] == ("record_meetings", "secretariat.officer")


def test_a_committee_is_interpreted_into_the_working_languages(engine, processes):
    instance_id = planned(engine, "Committee on Budget and Finance")
    complete(engine, the_task(engine, instance_id, "review_plan"), PRESIDENT, {"plan_decision": "Agree to the plan"})
    languages = sorted(t.data["interpretation_language"] for t in tasks_at(engine, instance_id, "arrange_interpretation"))
    assert languages == ["English", "French"]


@pytest.mark.parametrize("change, field", [
    ({"opening_date": "2027-01-04"}, "opening_date"),
    ({"documents": [{"symbol": "ICC-ASP/26", "title": "Agenda", "due": "2027-09-01"}]}, "documents.0.symbol"),
    ({"documents": []}, "documents"),
])
def test_a_plan_with_a_past_date_a_bad_symbol_or_no_documents_is_refused(engine, processes, change, field):
    instance = start(engine, "session_servicing", OFFICER)
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, the_task(engine, instance.id, "plan_session"), OFFICER, plan(**change))
    assert [p.field for p in caught.value.problems] == [field]


def test_asking_for_changes_needs_the_changes(engine, processes):
    instance_id = planned(engine)
    with pytest.raises(InvalidTaskData):
        complete(engine, the_task(engine, instance_id, "review_plan"), PRESIDENT, {"plan_decision": "Ask for changes"})
