"""Outsourcing escalation (Annex paras 8.2 to 8.4 and 10): cooperation with the Court's sections
first; outsourcing only of administrative, protocol or logistical services within the budget,
through the Court's procurement, approved by the Director; other services met through other means;
what the budget cannot pay is reported to the Bureau, never contracted. Every path ends with a
recorded response (para 8.3 "shall respond")."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine import PermissionDenied
from tests.processes.conftest import (
    assigned, complete, fire_timers, get, history, person, refused, start, the_task, tasks_at, who_did,
)

SECRETARIAT = person("secretariat.officer", "Secretariat")
GENERAL_SERVICES = person("liaison.general", "Court Sections")
SECURITY = person("liaison.security", "Court Sections")
DIRECTOR = person("director", "Director")
PROCUREMENT = person("procurement.officer", "Procurement")
BUREAU = [person("bureau.president", "Bureau"), person("bureau.vp1", "Bureau"), person("bureau.member01", "Bureau")]
BY_HAND = "Entered by hand (no budget recorded yet)"
RECORDED = "The balance recorded by the budget section"
AFTER_THE_COOPERATION_DEADLINE = datetime(2027, 1, 9, 8, 0, tzinfo=timezone.utc)


def report(**changes) -> dict:
    return {"service_needed": "Logistics for the resumed session", "service_category": "Logistical",
            "volume": 20, "volume_unit": "Person-days", "workload_deadline": "2027-03-01",
            "estimated_cost": 12000, "budget_line": "Secretariat: general temporary assistance",
            "budget_remaining": 30000, "budget_source": BY_HAND, "cooperation_deadline": "2027-01-08",
            "sections_asked": [{"section": "General Services Section", "liaison": GENERAL_SERVICES.username},
                               {"section": "Security and Safety Section"}], **changes}


def escalate(engine, **changes):
    instance = start(engine, "outsourcing_escalation", SECRETARIAT)
    task = the_task(engine, instance.id, "report_workload")
    assert refused(engine, task, DIRECTOR)
    complete(engine, task, SECRETARIAT, report(**changes))
    return instance.id


def answers(engine, instance_id) -> dict:
    """The two sections' open tasks: the General Services one is its liaison's; the other is the lane's."""
    tasks = assigned(engine, instance_id, "answer_cooperation")
    assert set(tasks) == {GENERAL_SERVICES.username, None}
    assert refused(engine, tasks[GENERAL_SERVICES.username], SECURITY)
    assert refused(engine, tasks[None], SECRETARIAT)
    return {"general": tasks[GENERAL_SERVICES.username], "security": tasks[None]}


def offer(capacity: float, resources: str = "Two logistics assistants") -> dict:
    return {"can_help": capacity > 0, "capacity_offered": capacity, "resources": resources}


def director_decides(engine, instance_id, decision: str):
    task = the_task(engine, instance_id, "approve_outsourcing")
    assert refused(engine, task, SECRETARIAT) and refused(engine, task, PROCUREMENT)
    return complete(engine, task, DIRECTOR, {"director_decision": decision, "director_comments": "Noted."})


def procure(engine, instance_id, value=8800):
    task = the_task(engine, instance_id, "procure_services")
    assert refused(engine, task, DIRECTOR)
    return complete(engine, task, PROCUREMENT, {
        "procurement_reference": "ICC-PROC-2027-031", "procedure": "Call-off under a framework agreement of the Court",
        "supplier": "Hague Event Logistics B.V.", "contract_value": value, "service_starts": "2027-02-01"})


def no_cooperation(engine, instance_id):
    sections = answers(engine, instance_id)
    complete(engine, sections["general"], GENERAL_SERVICES, offer(0))
    complete(engine, sections["security"], SECURITY, offer(0))


def respond_otherwise(engine, instance_id, means, details="Two editors redeployed from the Documents Unit."):
    task = the_task(engine, instance_id, "respond_other_means")
    assert refused(engine, task, SECRETARIAT) and refused(engine, task, BUREAU[0])
    return complete(engine, task, DIRECTOR, {"other_means": means, "response_details": details})


def report_to_bureau(engine, instance_id):
    report = the_task(engine, instance_id, "report_beyond_framework")
    assert refused(engine, report, SECRETARIAT) and refused(engine, report, BUREAU[0])
    complete(engine, report, DIRECTOR, {"shortfall_report": "The resumed session needs more logistics than budgeted.",
                                        "budget_request": 20000})
    note = the_task(engine, instance_id, "bureau_takes_note")
    assert refused(engine, note, DIRECTOR)
    return complete(engine, note, BUREAU[1], {"bureau_follow_up": "Include the need in the next proposed programme budget",
                                              "bureau_observations": "The Bureau asks for the need to be costed."})


def test_only_the_secretariat_reports_an_increase_in_workload(engine, processes):
    with pytest.raises(PermissionDenied):
        start(engine, "outsourcing_escalation", DIRECTOR)


def test_cooperation_that_meets_the_workload_is_recorded_and_ends_the_escalation(engine, processes):
    instance_id = escalate(engine)
    sections = answers(engine, instance_id)
    complete(engine, sections["general"], GENERAL_SERVICES, offer(12))
    complete(engine, sections["security"], SECURITY, offer(8, "Guards for the conference rooms"))
    arrangement = the_task(engine, instance_id, "record_arrangement")
    assert refused(engine, arrangement, DIRECTOR) and refused(engine, arrangement, GENERAL_SERVICES)
    final = complete(engine, arrangement, SECRETARIAT, {
        "arrangement_reference": "SASP/COOP/2027/1", "arrangement_terms": "Staff on loan", "starts_on": "2027-02-01"})

    assert final.state == "completed"
    assert final.data["outsourcing_outcome"] == {
        "outcome": "met through cooperation with the other sections of the Court", "paragraph": "8.2",
        "sections": ["General Services Section", "Security and Safety Section"], "capacity": 20,
        "arrangement_reference": "SASP/COOP/2027/1", "cost": 0}
    assert "outsourcing_route" not in final.data
    done = who_did(engine, instance_id)
    assert done[0] == ("report_workload", "secretariat.officer") and done[-1] == ("record_arrangement", "secretariat.officer")
    assert sorted(done[1:3]) == [("answer_cooperation", "liaison.general"), ("answer_cooperation", "liaison.security")]


def test_cooperation_that_falls_short_leads_to_outsourcing_within_budget(engine, clock, processes):
    instance_id = escalate(engine)
    complete(engine, answers(engine, instance_id)["general"], GENERAL_SERVICES, offer(5))
    assert fire_timers(engine, clock, AFTER_THE_COOPERATION_DEADLINE) == [instance_id]  # Security is silent
    director_decides(engine, instance_id, "Approve the outsourcing")
    final = procure(engine, instance_id)

    assert final.state == "completed"
    assert {o["section"]: (o["answered"], o["capacity"]) for o in final.data["offers"]} == {
        "General Services Section": (True, 5), "Security and Safety Section": (False, 0)}
    assert (final.data["shortfall"], final.data["outsourcing_cost"]) == (15, 9000)
    assert final.data["outsourcing_route"] == "director"
    assert final.data["outsourcing_outcome"] == {
        "outcome": "outsourced", "paragraph": "8.3", "approved_by": "Director", "supplier": "Hague Event Logistics B.V.",
        "procurement_reference": "ICC-PROC-2027-031", "cost": 8800}
    assert who_did(engine, instance_id) == [
        ("report_workload", "secretariat.officer"), ("answer_cooperation", "liaison.general"),
        ("approve_outsourcing", "director"), ("procure_services", "procurement.officer")]
    assert any(e.event == "decision_made" and e.element_id == "check_outsourcing_bounds"
               for e in history(engine, instance_id))


def test_without_any_answer_in_time_outsourcing_is_considered(engine, clock, processes):
    instance_id = escalate(engine, service_category="Protocol", service_needed="Protocol officers for the session")
    answers(engine, instance_id)
    clock.set(datetime(2027, 1, 8, 23, 0, tzinfo=timezone.utc))
    assert engine.run_due_jobs() == []
    assert fire_timers(engine, clock, AFTER_THE_COOPERATION_DEADLINE) == [instance_id]
    assert tasks_at(engine, instance_id, "answer_cooperation") == []
    director_decides(engine, instance_id, "Approve the outsourcing")
    final = procure(engine, instance_id, value=11950)

    assert [o["answered"] for o in final.data["offers"]] == [False, False]
    assert final.data["outsourcing_cost"] == 12000 and final.data["outsourcing_outcome"]["cost"] == 11950
    events = [(e.event, e.element_id) for e in history(engine, instance_id)]
    assert events.count(("timer_fired", "cooperation_deadline_passed")) == 2
    assert events.count(("task_cancelled", "answer_cooperation")) == 2
    assert who_did(engine, instance_id) == [("report_workload", "secretariat.officer"),
                                            ("approve_outsourcing", "director"), ("procure_services", "procurement.officer")]


def test_the_director_who_does_not_outsource_records_a_response_through_other_means(engine, processes):
    instance_id = escalate(engine)
    no_cooperation(engine, instance_id)
    director_decides(engine, instance_id, "Respond through other means instead")
    final = respond_otherwise(engine, instance_id, "Redeployment of staff within the Secretariat")
    assert final.state == "completed"
    assert final.data["outsourcing_outcome"] == {
        "outcome": "met through other means", "paragraph": "8.3", "means": "Redeployment of staff within the Secretariat",
        "details": "Two editors redeployed from the Documents Unit.", "cost": 0}
    assert tasks_at(engine, instance_id, "procure_services") == []
    assert who_did(engine, instance_id)[-2:] == [("approve_outsourcing", "director"), ("respond_other_means", "director")]


def test_a_request_over_budget_is_never_contracted_but_reported_to_the_bureau(engine, processes):
    instance_id = escalate(engine, estimated_cost=50000)
    no_cooperation(engine, instance_id)
    assert tasks_at(engine, instance_id, "approve_outsourcing") == []
    assert "cannot be met within the established budgetary framework" in get(engine, instance_id).data["bounds_reason"]
    final = report_to_bureau(engine, instance_id)

    assert final.state == "completed"
    assert final.data["outsourcing_route"] == "beyond_framework"
    assert final.data["outsourcing_outcome"] == {
        "outcome": "cannot be met within the established budgetary framework: reported to the Bureau",
        "paragraph": "10", "report": "The resumed session needs more logistics than budgeted.", "budget_request": 20000,
        "bureau_follow_up": "Include the need in the next proposed programme budget",
        "bureau_observations": "The Bureau asks for the need to be costed.", "cost": 0}
    assert "procure_services" not in [e for e, _ in who_did(engine, instance_id)]


def test_a_translation_shortfall_is_met_through_other_means_not_outsourced_under_8_3(engine, processes):
    instance_id = escalate(engine, service_category="Conference servicing (translation, interpretation)",
                           service_needed="Translation into Spanish", estimated_cost=1000)
    no_cooperation(engine, instance_id)
    assert tasks_at(engine, instance_id, "approve_outsourcing") == []
    task = the_task(engine, instance_id, "respond_other_means")
    assert task.data["bounds_reason"].startswith("Paragraph 8.3 allows outsourcing only")
    final = respond_otherwise(engine, instance_id, "Further cooperation with the sections of the Court",
                              "The Language Services Section takes the Spanish pages after its own deadline.")
    assert final.data["outsourcing_route"] == "other_means"
    assert final.data["outsourcing_outcome"]["outcome"] == "met through other means"


def test_other_means_that_cannot_meet_the_workload_are_reported_to_the_bureau(engine, processes):
    instance_id = escalate(engine, service_category="Legal or substantive", service_needed="Legal analysis")
    no_cooperation(engine, instance_id)
    respond_otherwise(engine, instance_id, "Cannot be met within the budgetary framework: report to the Bureau",
                      "No lawyer is free before the session.")
    final = report_to_bureau(engine, instance_id)
    assert final.state == "completed" and final.data["outsourcing_outcome"]["paragraph"] == "10"


def test_every_decision_after_cooperation_is_due_by_the_date_the_work_is_needed(engine, processes):
    instance_id = escalate(engine)
    no_cooperation(engine, instance_id)
    assert the_task(engine, instance_id, "approve_outsourcing").due_at == datetime(2027, 3, 1, 23, 59, 59,
                                                                                tzinfo=timezone.utc)
