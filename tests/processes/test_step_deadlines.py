"""Every human step has a deadline. The steps with no date of their own are due the days that
`step_deadlines.dmn` allows, counted from when the task opens (or, for the screening, from the
application deadline), so the engine can remind people and flag what is overdue."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.processes.conftest import complete, fire_timers, start, the_task
from tests.processes import test_director_recruitment as recruitment
from tests.processes import test_director_report as report
from tests.processes import test_outsourcing_escalation as outsourcing
from tests.processes.test_budget_section import OFFICER as BUDGET_OFFICER
from tests.processes.test_session_servicing import OFFICER as SESSION_OFFICER
from tests.processes.test_document_processing import SECRETARIAT as DOCUMENT_OFFICER


def due_day(task) -> str:
    assert task.due_at is not None, f"{task.element_id} has no deadline"
    assert task.due_at.time().isoformat() == "23:59:59", "a date is due by the end of that day, UTC"
    return task.due_at.date().isoformat()


def days_after(clock, days: int) -> str:
    return (clock.now().date() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("process_key, actor, element_id, days", [
    ("budget_section", BUDGET_OFFICER, "prepare_section", 30),
    ("director_recruitment", recruitment.REGISTRAR, "prepare_vacancy", 14),
    ("director_report", report.DIRECTOR, "open_period", 7),
    ("document_processing", DOCUMENT_OFFICER, "register_document", 2),
    ("outsourcing_escalation", outsourcing.SECRETARIAT, "report_workload", 2),
    ("session_servicing", SESSION_OFFICER, "plan_session", 30),
])
def test_the_first_step_of_each_process_is_due_the_days_the_table_allows(
        engine, clock, processes, process_key, actor, element_id, days):
    instance = start(engine, process_key, actor)
    assert clock.now().date() == date(2027, 1, 4)
    assert due_day(the_task(engine, instance.id, element_id)) == days_after(clock, days)


def test_the_recruitment_steps_are_due_from_the_deadline_or_the_step_before(engine, clock, processes):
    instance = start(engine, "director_recruitment", recruitment.REGISTRAR)
    complete(engine, the_task(engine, instance.id, "prepare_vacancy"), recruitment.REGISTRAR,
             recruitment.vacancy("2027-02-01"))
    fire_timers(engine, clock, datetime(2027, 2, 3, 10, 0, tzinfo=timezone.utc))
    screening = the_task(engine, instance.id, "screen_applications")
    assert due_day(screening) == "2027-02-15", "two weeks after the application deadline, not after today"
    clock.set(datetime(2027, 2, 5, 10, 0, tzinfo=timezone.utc))
    complete(engine, screening, recruitment.REGISTRAR, {
        "applications_received": 14, "shortlist": recruitment.CANDIDATES, "other_applicants": [],
        "screening_report": "Assessed against paragraph 6."})
    assert due_day(the_task(engine, instance.id, "open_consultation")) == "2027-02-12"
    recruitment.consult(engine, instance.id, "2027-02-20", {recruitment.ARGENTINA: None, recruitment.SENEGAL: None})
    fire_timers(engine, clock, datetime(2027, 2, 21, 10, 0, tzinfo=timezone.utc))
    clock.set(datetime(2027, 3, 1, 10, 0, tzinfo=timezone.utc))
    recruitment.bureau_round(engine, instance.id, "record_positions", [recruitment.SELECT_ILSE] * 10)
    assert due_day(the_task(engine, instance.id, "appoint_director")) == "2027-03-31"


def test_the_report_to_the_assembly_is_due_thirty_days_after_the_bureau_observes(engine, clock, processes):
    instance_id = report.open_period(engine, clock, "Annual report to the Assembly")
    complete(engine, the_task(engine, instance_id, "draft_report"), report.DIRECTOR, report.REPORT)
    clock.set(datetime(2027, 4, 29, 15, 0, tzinfo=timezone.utc))
    report.observe(engine, instance_id)
    assert due_day(the_task(engine, instance_id, "report_to_assembly")) == "2027-05-29"


def test_a_cooperation_arrangement_is_due_five_days_after_the_offers_cover_the_workload(engine, clock, processes):
    instance_id = outsourcing.escalate(engine)
    sections = outsourcing.answers(engine, instance_id)
    clock.set(datetime(2027, 1, 6, 11, 0, tzinfo=timezone.utc))
    complete(engine, sections["general"], outsourcing.GENERAL_SERVICES, outsourcing.offer(12))
    complete(engine, sections["security"], outsourcing.SECURITY, outsourcing.offer(8, "Guards"))
    assert due_day(the_task(engine, instance_id, "record_arrangement")) == "2027-01-11"

