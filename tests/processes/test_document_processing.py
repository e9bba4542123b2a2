"""Document processing (Annex para 5.1(b)): draft, edit (with rework), translate into each
required language in parallel (each language by its own translators), print in every language of
issue, distribute; every step is due by a date counted back from the distribution deadline
(document_deadlines.dmn); a translation that would miss its date escalates to the outsourcing
process."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine import InvalidTaskData, PermissionDenied
from tests.processes.conftest import (
    assigned, complete, fire_timers, get, history, person, refused, start, the_task, tasks_at, who_did,
)

SECRETARIAT = person("secretariat.officer", "Secretariat")
AUTHOR = person("author.legal", "Author")
OTHER_AUTHOR = person("author.finance", "Author")
EDITOR = person("editor.one", "Editor")
TRANSLATORS = {language: person(f"translator.{code}", "Translator", f"Translator ({language})")
               for language, code in (("French", "fr"), ("Spanish", "es"), ("Arabic", "ar"))}
PRINTER = person("printing.clerk", "Printing")
DISTRIBUTORS = [person("distribution.clerk", "Distribution"), person("distribution.assistant", "Distribution")]
LIAISON = person("liaison.languages", "Court Sections")
RECIPIENTS = [{"name": "States Parties", "kind": "States Parties", "address": "All permanent missions"},
              {"name": "Committee on Budget and Finance", "kind": "Subsidiary body"}]


def registration(languages, deadline="2027-02-26") -> dict:
    return {"title": "Report of the Bureau on the Secretariat's workload", "symbol": "ICC-ASP/25/7",
            "session": 25, "agenda_item": "12(a)", "issue_date": "2027-01-20", "serviced_body": "Bureau", "document_kind": "Report", "original_language": "English",
            "languages": languages, "estimated_pages": 12, "deadline": deadline, "author": AUTHOR.username,
            "recipients": RECIPIENTS}


def register(engine, languages, **kw):
    instance = start(engine, "document_processing", SECRETARIAT)
    task = the_task(engine, instance.id, "register_document")
    assert refused(engine, task, AUTHOR)
    complete(engine, task, SECRETARIAT, registration(languages, **kw))
    return instance.id


def draft(engine, instance_id, version: int):
    task = the_task(engine, instance_id, "draft_document")
    assert task.assignee == AUTHOR.username
    assert refused(engine, task, OTHER_AUTHOR) and refused(engine, task, EDITOR)
    complete(engine, task, AUTHOR, {"draft_reference": f"DMS-2027-0042-v{version}", "summary": "Workload in 2027",
                                    "pages": 12})


def edit(engine, instance_id, decision, comments=None):
    task = the_task(engine, instance_id, "edit_document")
    assert refused(engine, task, AUTHOR)
    data = {"edit_decision": decision, **({"comments": comments} if comments else {})}
    return complete(engine, task, EDITOR, data)


def translate(engine, instance_id, languages):
    tasks = {t.data["language"]: t for t in tasks_at(engine, instance_id, "translate_document")}
    assert set(languages) <= set(tasks)
    for language in languages:
        assert refused(engine, tasks[language], PRINTER)
        complete(engine, tasks[language], TRANSLATORS[language],
                 {"translation_reference": f"DMS-2027-0042-{language[:2].upper()}", "pages_translated": 13})


def print_and_distribute(engine, instance_id):
    printing = the_task(engine, instance_id, "print_document")
    assert refused(engine, printing, TRANSLATORS["French"])
    complete(engine, printing, PRINTER, {"printed_on": "2027-02-23", "copies": 150,
                                         "languages_printed": printing.data["languages"]})
    deliveries = {t.data["recipient"]["name"]: t for t in tasks_at(engine, instance_id, "distribute_document")}
    assert set(deliveries) == {r["name"] for r in RECIPIENTS}
    assert refused(engine, deliveries["States Parties"], PRINTER)
    complete(engine, deliveries["States Parties"], DISTRIBUTORS[0], {"channel": "Note verbale", "delivered_on": "2027-02-24"})
    return complete(engine, deliveries["Committee on Budget and Finance"], DISTRIBUTORS[1],
                    {"channel": "E-mail", "delivered_on": "2027-02-25"})


def test_only_the_secretariat_registers_a_document(engine, processes):
    with pytest.raises(PermissionDenied):
        start(engine, "document_processing", AUTHOR)


def test_a_returned_draft_goes_back_to_its_author_until_the_editor_approves(engine, processes):
    instance_id = register(engine, ["English", "French", "Spanish", "Arabic"])
    draft(engine, instance_id, 1)
    back = edit(engine, instance_id, "Return to the author", "Add the 2026 figures.")
    assert [t.element_id for t in back.open_tasks] == ["draft_document"]
    draft(engine, instance_id, 2)
    edit(engine, instance_id, "Return to the author", "Shorten the summary.")
    draft(engine, instance_id, 3)
    translating = edit(engine, instance_id, "Approve for translation")

    tasks = tasks_at(engine, instance_id, "translate_document")
    assert sorted(t.data["language"] for t in tasks) == ["Arabic", "French", "Spanish"]
    assert all(t.lane == "Translator" and t.assignee is None for t in tasks)
    by_language = {t.data["language"]: t for t in tasks}
    assert refused(engine, by_language["Spanish"], TRANSLATORS["French"])  # routed by language
    assert translating.data["translation_due"] == "2027-02-23"
    translate(engine, instance_id, ["Spanish", "French", "Arabic"])
    final = print_and_distribute(engine, instance_id)

    assert final.state == "completed"
    assert final.data["rework_rounds"] == 2
    assert [r["comments"] for r in final.data["edit_history"]] == ["Add the 2026 figures.", "Shorten the summary."]
    assert final.data["draft_reference"] == "DMS-2027-0042-v3"
    assert sorted(t["language"] for t in final.data["translations"]) == ["Arabic", "French", "Spanish"]
    assert {d["recipient"]: d["channel"] for d in final.data["deliveries"]} == {
        "States Parties": "Note verbale", "Committee on Budget and Finance": "E-mail"}
    assert final.data["distributed_on_time"] is True and final.data["document_status"] == "distributed"
    assert "outsourcing_outcome" not in final.data
    done = who_did(engine, instance_id)
    assert [e for e, _ in done[:8]] == ["register_document", "draft_document", "edit_document", "draft_document",
                                        "edit_document", "draft_document", "edit_document", "translate_document"]
    assert {who for element, who in done if element == "draft_document"} == {"author.legal"}
    assert {who for element, who in done if element == "translate_document"} == {
        "translator.fr", "translator.es", "translator.ar"}
    assert done[-3:-2] == [("print_document", "printing.clerk")]
    assert {who for element, who in done[-2:]} == {"distribution.clerk", "distribution.assistant"}


def test_a_translation_that_would_miss_the_deadline_starts_the_outsourcing_escalation(engine, clock, processes):
    instance_id = register(engine, ["English", "French", "Spanish"], deadline="2027-01-20")
    draft(engine, instance_id, 1)
    edit(engine, instance_id, "Approve for translation")
    due = {t.data["language"]: t.due_at for t in tasks_at(engine, instance_id, "translate_document")}
    assert due == {language: datetime(2027, 1, 17, 23, 59, 59, tzinfo=timezone.utc) for language in ("French", "Spanish")}
    translate(engine, instance_id, ["French"])
    assert fire_timers(engine, clock, datetime(2027, 1, 14, 23, 0, tzinfo=timezone.utc)) == []
    assert fire_timers(engine, clock, datetime(2027, 1, 15, 0, 30, tzinfo=timezone.utc)) == [instance_id]

    report = the_task(engine, instance_id, "report_workload")
    assert report.lane == "Secretariat" and report.form["schema"]["title"] == "Report of an increase in workload"
    assert report.data["escalation_source"]["languages"] == ["French", "Spanish"]
    [spanish] = tasks_at(engine, instance_id, "translate_document")
    assert spanish.data["language"] == "Spanish"
    assert spanish.due_at == due["Spanish"], "after the alarm, the task is still due by its deadline"
    assert refused(engine, report, TRANSLATORS["Spanish"])
    complete(engine, report, SECRETARIAT, {
        "service_needed": "Translation of ICC-ASP/25/7 into Spanish",
        "service_category": "Conference servicing (translation, interpretation)", "volume": 13,
        "volume_unit": "Pages", "workload_deadline": "2027-01-17", "estimated_cost": 1300,
        "budget_line": "Secretariat: conference services", "budget_remaining": 5000, "budget_source": "Entered by hand (no budget recorded yet)", "cooperation_deadline": "2027-01-16",
        "sections_asked": [{"section": "Language Services Section", "liaison": LIAISON.username}]})
    answer = assigned(engine, instance_id, "answer_cooperation")[LIAISON.username]
    assert refused(engine, answer, SECRETARIAT)
    complete(engine, answer, LIAISON, {"can_help": True, "capacity_offered": 13, "resources": "A Spanish reviser"})
    complete(engine, the_task(engine, instance_id, "record_arrangement"), SECRETARIAT, {
        "arrangement_reference": "SASP/COOP/2027/3", "arrangement_terms": "Reviser on loan", "starts_on": "2027-01-15"})
    translate(engine, instance_id, ["Spanish"])
    final = print_and_distribute(engine, instance_id)

    assert final.state == "completed"
    assert final.data["outsourcing_outcome"]["outcome"] == "met through cooperation with the other sections of the Court"
    assert final.data["deadline"] == "2027-01-20" and final.data["document_status"] == "distributed"
    assert "offers" not in final.data  # only the escalation's outcome comes back to the document
    assert final.data["distributed_on_time"] is False
    events = [(e.event, e.element_id) for e in history(engine, instance_id)]
    for expected in [("timer_fired", "translation_at_risk"), ("escalation_caught", "deadline_escalated"),
                     ("call_activity_completed", "start_outsourcing")]:
        assert expected in events
    done = who_did(engine, instance_id)
    assert ("report_workload", "secretariat.officer") in done and ("answer_cooperation", "liaison.languages") in done
    assert done.index(("translate_document", "translator.es")) > done.index(("record_arrangement", "secretariat.officer"))


def test_a_document_registered_too_late_escalates_as_soon_as_translation_starts(engine, processes):
    instance_id = register(engine, ["English", "French"], deadline="2027-01-06")
    draft(engine, instance_id, 1)
    approved = edit(engine, instance_id, "Approve for translation")
    assert {"start_outsourcing", "report_workload", "translate_document"} <= set(approved.active_elements)
    assert the_task(engine, instance_id, "report_workload").data["escalation_source"]["deadline"] == "2027-01-06"
    assert [t.data["language"] for t in tasks_at(engine, instance_id, "translate_document")] == ["French"]
    assert who_did(engine, instance_id) == [("register_document", "secretariat.officer"),
                                            ("draft_document", "author.legal"), ("edit_document", "editor.one")]


def test_every_step_is_due_by_a_date_counted_back_from_the_distribution_deadline(engine, processes):
    instance_id = register(engine, ["English", "French"])
    assert the_task(engine, instance_id, "draft_document").due_at.date().isoformat() == "2027-02-05"
    draft(engine, instance_id, 1)
    assert the_task(engine, instance_id, "edit_document").due_at.date().isoformat() == "2027-02-12"
    edit(engine, instance_id, "Approve for translation")
    translate(engine, instance_id, ["French"])
    assert the_task(engine, instance_id, "print_document").due_at.date().isoformat() == "2027-02-25"


@pytest.mark.parametrize("symbol", ["ICC-ASP/25", "ICC-ASP/25/7/", "ICC/ASP/25/7", "ICC-ASP/25/7/Add.", "ICC-ASP/x/7"])
def test_a_malformed_document_symbol_is_refused(engine, processes, symbol):
    instance = start(engine, "document_processing", SECRETARIAT)
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, the_task(engine, instance.id, "register_document"), SECRETARIAT,
                 {**registration(["English"]), "symbol": symbol})
    assert [p.field for p in caught.value.problems] == ["symbol"]


def test_symbols_of_addenda_corrigenda_and_information_documents_are_accepted(engine, processes):
    for symbol in ("ICC-ASP/25/7/Add.1", "ICC-ASP/25/7/Corr.2", "ICC-ASP/25/INF.3", "ICC-ASP/25/7/Add.1/Corr.1"):
        instance = start(engine, "document_processing", SECRETARIAT)
        complete(engine, the_task(engine, instance.id, "register_document"), SECRETARIAT,
                 {**registration(["English"]), "symbol": symbol})


def test_a_distribution_deadline_in_the_past_or_an_unknown_author_is_refused(engine, processes):
    instance = start(engine, "document_processing", SECRETARIAT)
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, the_task(engine, instance.id, "register_document"), SECRETARIAT,
                 {**registration(["English"], deadline="2027-01-04"), "author": "author.legall"})
    assert sorted(p.field for p in caught.value.problems) == ["author", "deadline"]


def test_the_document_is_printed_in_every_language_of_issue(engine, processes):
    instance_id = register(engine, ["English", "French"])
    draft(engine, instance_id, 1)
    edit(engine, instance_id, "Approve for translation")
    translate(engine, instance_id, ["French"])
    printing = the_task(engine, instance_id, "print_document")
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, printing, PRINTER, {"printed_on": "2027-02-23", "copies": 150, "languages_printed": ["English"]})
    assert [p.field for p in caught.value.problems] == ["languages_printed"]
    with pytest.raises(InvalidTaskData):
        complete(engine, printing, PRINTER, {"printed_on": "2027-02-23", "copies": 150,
                                             "languages_printed": ["English", "French", "Spanish"]})
