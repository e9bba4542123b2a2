"""Cases for `secretariat demo`: one or more instances of each of the six processes, advanced a
few steps with realistic data (sessions, symbols, States, the Bureau of 21), so that a newcomer who
signs in finds work waiting in every role. Dates count from today, so deadlines lie ahead.

Everything is fictional. Cases are added only when the database holds no instance yet, so that
running the demo again changes nothing."""
from __future__ import annotations

from datetime import date, timedelta

from engine.views import Actor

REGISTRAR = Actor("registrar", frozenset({"Registrar"}))
OFFICER = Actor("secretariat.officer", frozenset({"Secretariat"}))
AUTHOR = Actor("author.legal", frozenset({"Author"}))
EDITOR = Actor("editor.one", frozenset({"Editor"}))
DIRECTOR = Actor("director", frozenset({"Director"}))


def _days(today: date, n: int) -> str:
    return (today + timedelta(days=n)).isoformat()


def _complete(uow, instance_id: int, element_id: str, actor: Actor, data: dict):
    task = next(t for t in uow.runtime.get(instance_id).open_tasks if t.element_id == element_id)
    return uow.tasks.complete(task.id, actor, data)


def _budget_line(uow, instance_id: int) -> dict:
    """A line of the budget the budget section has recorded, if any; otherwise one typed by hand."""
    task = next(t for t in uow.runtime.get(instance_id).open_tasks if t.element_id == "report_workload")
    lines = task.data.get("budget_lines") or []
    if lines:
        return {"budget_line": lines[0]["value"], "budget_source": task.data["budget_source_choices"][0]}
    return {"budget_line": "Secretariat: general temporary assistance", "budget_remaining": 30000,
            "budget_source": "Entered by hand (no budget recorded yet)"}


def _session() -> int:
    """The Assembly's sessions are numbered from 2002; the next one is the demo's."""
    return date.today().year - 2001


def add_demo_cases(uow, today: date) -> list[str]:
    """Start the demo cases; returns one line per case. Nothing if any instance exists."""
    if uow.runtime.list(per_page=1).total:
        return []
    session = _session()
    lines = []

    recruitment = uow.runtime.start("director_recruitment", REGISTRAR, business_key=f"ASP/DIR/{today.year}/1")
    _complete(uow, recruitment.id, "prepare_vacancy", REGISTRAR, {
        "post_title": "Director of the Secretariat of the Assembly of States Parties", "grade": "D-1",
        "duty_station": "The Hague",
        "requirements": ["Comprehensive knowledge of the purposes, principles and procedures of the International "
                         "Criminal Court", "Broad managerial and administrative skills",
                         "Managerial skills shown through experience gained at the international level (preferred, "
                         "if possible)"],
        "announcement_text": "The Assembly of States Parties seeks a Director to direct its Secretariat in The Hague.",
        "application_deadline": _days(today, 30), "channels": ["Court website (e-Recruitment)",
                                                               "Note verbale to all States Parties"]})
    lines.append(f"Recruitment ASP/DIR/{today.year}/1: vacancy published, applications close in 30 days")

    recipients = [{"name": "States Parties", "kind": "States Parties", "address": "All permanent missions"},
                  {"name": "Committee on Budget and Finance", "kind": "Subsidiary body"}]
    for number, title, steps in [(7, "Report of the Bureau on the Secretariat's workload", 0),
                                 (10, "Proposed programme budget: section of the Secretariat", 2)]:
        symbol = f"ICC-ASP/{session}/{number}"
        document = uow.runtime.start("document_processing", OFFICER, business_key=symbol)
        _complete(uow, document.id, "register_document", OFFICER, {
            "title": title, "symbol": symbol, "session": session, "agenda_item": "12", "serviced_body": "Bureau",
            "document_kind": "Report", "original_language": "English", "languages": ["English", "French", "Spanish"],
            "estimated_pages": 12, "deadline": _days(today, 45), "issue_date": _days(today, 40),
            "author": AUTHOR.username, "recipients": recipients})
        if steps:
            _complete(uow, document.id, "draft_document", AUTHOR, {
                "draft_reference": f"DMS-{today.year}-{number:04d}-v1", "summary": title, "pages": 12})
            _complete(uow, document.id, "edit_document", EDITOR, {"edit_decision": "Approve for translation"})
        lines.append(f"Document {symbol}: " + ("in translation (French, Spanish)" if steps else "with its author"))

    outsourcing = uow.runtime.start("outsourcing_escalation", OFFICER, business_key=f"SASP/WL/{today.year}/1")
    _complete(uow, outsourcing.id, "report_workload", OFFICER, {
        "service_needed": f"Logistics for the {session}th session", "service_category": "Logistical", "volume": 20,
        "volume_unit": "Person-days", "workload_deadline": _days(today, 60), "estimated_cost": 12000,
        **_budget_line(uow, outsourcing.id), "cooperation_deadline": _days(today, 10),
        "sections_asked": [{"section": "General Services Section", "liaison": "liaison.general"},
                           {"section": "Security and Safety Section", "liaison": "liaison.security"}]})
    lines.append("Increased workload: the General Services and Security sections are asked to cooperate")

    servicing = uow.runtime.start("session_servicing", OFFICER, business_key=f"ASP/{session}")
    _complete(uow, servicing.id, "plan_session", OFFICER, {
        "serviced_body": "Assembly of States Parties", "session": session, "venue": "World Forum, The Hague",
        "opening_date": _days(today, 90), "closing_date": _days(today, 97), "meetings_planned": 14,
        "documents": [{"symbol": f"ICC-ASP/{session}/1", "title": "Provisional agenda", "due": _days(today, 30)},
                      {"symbol": f"ICC-ASP/{session}/7", "title": "Report of the Bureau", "due": _days(today, 45)},
                      {"symbol": f"ICC-ASP/{session}/10", "title": "Proposed programme budget", "due": _days(today, 45)}]})
    lines.append(f"Session {session} of the Assembly: plan awaiting the Bureau's agreement")

    budget = uow.runtime.start("budget_section", OFFICER, business_key=f"BUDGET/{today.year + 1}")
    _complete(uow, budget.id, "prepare_section", OFFICER, {
        "budget_year": today.year + 1, "cbf_session": _days(today, 60), "assembly_session": _days(today, 90),
        "lines": [{"name": "Conference services", "amount": 1250000, "justification": "The session and resumed session"},
                  {"name": "General temporary assistance", "amount": 180000, "justification": "Peak workload"},
                  {"name": "Travel", "amount": 45000, "justification": "The Bureau's missions"}]})
    lines.append(f"Budget section for {today.year + 1}: with the Director")

    report = uow.runtime.start("director_report", DIRECTOR, business_key=f"DIR-REPORT/{today.year}/Q")
    _complete(uow, report.id, "open_period", DIRECTOR, {
        "period_kind": "Quarterly report to the Bureau", "period_start": _days(today, -91),
        "period_end": _days(today, -1), "bureau_meeting": _days(today, 28)})
    lines.append("Director's report for the last quarter: due to the Bureau (the timer fires with the worker)")
    return lines
