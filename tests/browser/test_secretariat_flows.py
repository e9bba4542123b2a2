"""The Secretariat's processes walked through in a real browser, as the people of each lane
would: each person signs in through the log-in page in their own window, finds their work
through the navigation, the inbox or the Bureau page, and fills in the server-rendered forms
by their labels. The real processes/ and forms/ are deployed, with only the demo people each
walk needs. Timers are fired by moving the engine's clock and running the due jobs, as the
worker would.

Screenshots for a human look go to test-artifacts/ (git-ignored)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from engine import Actor
from tests.browser.flows import (
    WAIT_MS, add_people, add_row, complete_task, deploy_secretariat, display_name, expect, field, go, group,
    instructions, open_from_bureau_page, open_from_inbox, open_instance, refused, remove_row, screenshot,
    see_heading, see_text, start_process, windows,  # noqa: F401  (windows is a fixture)
)
from tests.engine.helpers import complete, start

RECRUITMENT = "Recruitment of the Director of the Secretariat"
DOCUMENTS = "Processing of a document"
MEMBERS = ["bureau.president", "bureau.vp1", "bureau.vp2"]  # those who walk in the browser
WHOLE_BUREAU = MEMBERS + [f"bureau.member{i:02d}" for i in range(1, 19)]
ILSE, RAFAEL = "Ilse Marchetti-Okoro", "Rafael Sundqvist"


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=timezone.utc)


def the_instance(engine, instance_id: int):
    with engine.unit_of_work() as uow:
        return uow.runtime.get(instance_id)


def see_completed(page, instance_id: int) -> None:
    open_instance(page, instance_id)
    expect(page.locator("h1 .badge")).to_have_text("Completed", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Open tasks")).to_be_visible()
    see_text(page, "No open task.")


# --- 1. Director recruitment ------------------------------------------------------------------

def test_a_director_is_recruited_through_the_pages(windows, engine, clock):
    deploy_secretariat(engine)
    add_people(engine, "registrar", *WHOLE_BUREAU, "delegate.argentina", "delegate.senegal")

    # The Registrar initiates the competitive procedure from "Start a process": its first task is the start form.
    registrar = windows.sign_in("registrar")
    instance_id = start_process(registrar, RECRUITMENT, "ASP/DIR/2027/1")
    see_heading(registrar, "Initiate the competitive procedure", level=1)
    expect(field(registrar, "Post")).to_have_value("Director of the Secretariat of the Assembly of States Parties")
    for requirement in ("Comprehensive knowledge of the purposes", "Broad managerial and administrative skills",
                        "Managerial skills shown through experience gained at the international level"):
        expect(registrar.get_by_label(requirement)).to_be_checked()
    field(registrar, "Text of the announcement").fill(
        "The Assembly of States Parties seeks a Director of its Secretariat to direct the servicing of the\n"
        "Assembly, its Bureau and subsidiary bodies.")
    field(registrar, "Application deadline").fill("2027-02-01")
    registrar.get_by_label("Court website (e-Recruitment)", exact=True).check()
    registrar.get_by_label("Note verbale to all States Parties", exact=True).check()
    complete_task(registrar, "Initiate the competitive procedure")
    see_text(registrar, "Nothing else in this case awaits you now.")

    # Applications are received until the end of the deadline day; the worker then fires the timer.
    clock.set(at("2027-02-01", 18))
    assert engine.run_due_jobs() == []
    clock.set(at("2027-02-02"))
    assert engine.run_due_jobs() == [instance_id]

    # Screening: the shortlist is an array of candidates; the second one comes with "Add row".
    open_from_inbox(registrar, "Screen the applications and shortlist")
    expect(instructions(registrar)).to_contain_text("Screen the applications: round 1")
    field(registrar, "Applications received").fill("14")
    first = group(registrar, "Candidate 1")
    field(first, "Full name").fill(ILSE)
    field(first, "Nationality").fill("Fictionland")
    field(first, "Current post").fill("Deputy Registrar")
    field(first, "Knowledge of the Court's purposes, principles and procedures").fill("Ten years in the Registry")
    field(first, "Managerial and administrative skills").fill("Led a section of 60 staff")
    field(first, "Experience at the international level").fill("Served in two international tribunals")
    add_row(registrar, "Shortlisted candidates")
    expect(field(group(registrar, "Candidate 1"), "Full name")).to_have_value(ILSE)  # kept across the redraw
    second = group(registrar, "Candidate 2")
    expect(field(second, "Full name")).to_be_focused()
    field(second, "Full name").fill(RAFAEL)
    field(second, "Nationality").fill("Utopia")
    field(second, "Knowledge of the Court's purposes, principles and procedures").fill("Adviser to a delegation")
    field(second, "Managerial and administrative skills").fill("Head of a conference services unit")
    field(registrar, "Screening report").fill("Fourteen applications assessed against paragraph 6; two meet all.")
    screenshot(registrar, "task-form-shortlist.png")
    complete_task(registrar, "Screen the applications and shortlist")
    see_text(registrar, "Nothing else in this case awaits you now.")

    # The Bureau opens the consultation: two delegations, and the whole Bureau, which the form proposes
    # (its members are picked from the directory, shown by their names).
    president = windows.sign_in("bureau.president")
    go(president, "Bureau", "What awaits the Bureau")
    president.get_by_role("link", name="Open the consultation of States Parties", exact=True).click()
    see_heading(president, "Open the consultation of States Parties", level=1)
    expect(instructions(president)).to_contain_text(f"{ILSE} (Fictionland), Deputy Registrar")
    field(president, "Views due by").fill("2027-02-20")
    field(president, "Note to the States Parties").fill("The Bureau would welcome the views of your Government.")
    for _ in range(4):  # Canada, Japan, Jordan, the Netherlands: the rows below move up each time
        remove_row(president, "State Party 2")
    expect(field(group(president, "State Party 1"), "State Party")).to_have_value("Argentine Republic")
    expect(field(group(president, "State Party 2"), "State Party")).to_have_value("Republic of Senegal")
    expect(field(group(president, "State Party 1"), "Delegate")).to_have_value("delegate.argentina")
    for member in WHOLE_BUREAU:
        expect(president.get_by_label(display_name(member), exact=True)).to_be_checked()
    complete_task(president, "Open the consultation of States Parties")
    see_text(president, "Nothing else in this case awaits you now.")

    # One delegation gives its views in the browser; the other stays silent until the deadline.
    argentina = windows.sign_in("delegate.argentina")
    open_from_inbox(argentina, "Give the views of your State")
    expect(instructions(argentina)).to_contain_text("Views of Argentine Republic on the shortlist for Director")
    expect(instructions(argentina)).to_contain_text("The Bureau would welcome the views of your Government.")
    argentina.get_by_role("radio", name="Supports the shortlist", exact=True).check()
    argentina.get_by_label(ILSE, exact=True).check()  # a choice among the shortlisted, no typing
    field(argentina, "Comments for the Bureau").fill("Regional balance should be kept in mind.")
    complete_task(argentina, "Give the views of your State")
    see_text(argentina, "Nothing else in this case awaits you now.")
    clock.set(at("2027-02-21"))
    assert engine.run_due_jobs() == [instance_id]  # Senegal's consultation closes without views

    # Each member gives a position, found on the Bureau page, in their own window. The recruitment's
    # Bureau tasks are no approval tasks (their form is a choice among candidates, with no `approved`):
    # they open on the generic task page, so the decision page is walked in the third test.
    for member in MEMBERS:
        page = windows.sign_in(member)
        if member == "bureau.vp2":  # the last one first looks at who has given a position so far
            open_instance(page, instance_id)
            history = page.locator(".timeline")
            for earlier in MEMBERS[:2]:
                expect(history.locator(".timeline-entry", has_text="Give your position on the selection")
                       .filter(has_text=f"by {display_name(earlier)}")).to_have_count(1, timeout=WAIT_MS)
            expect(page.locator(".open-tasks")).to_contain_text(display_name(member))
        open_from_bureau_page(page, "Give your position on the selection")
        see_heading(page, "Give your position on the selection", level=1)
        expect(instructions(page)).to_contain_text(f"Argentine Republic: Supports the shortlist (prefers {ILSE})")
        expect(instructions(page)).to_contain_text("Republic of Senegal: No views given by the deadline")
        page.get_by_role("radio", name="Select a candidate", exact=True).check()
        if member == "bureau.vp1":  # selecting without naming the candidate is refused, beside the field
            refused(page, "Complete task", "Candidate")
            expect(field(page, "Candidate")).to_have_attribute("aria-invalid", "true")
            expect(page.get_by_role("radio", name="Select a candidate", exact=True)).to_be_checked()
            screenshot(page, "bureau-position-refused.png")
        field(page, "Candidate").select_option(ILSE)
        field(page, "Explanation of position").fill(f"{member}: the strongest knowledge of the Court.")
        if member == "bureau.vp2":
            screenshot(page, "bureau-position-task.png")
        complete_task(page, "Give your position on the selection")
        see_text(page, "Nothing else in this case awaits you now.")

    # The other eighteen members give the same position (through the engine, to keep the walk short).
    for member in WHOLE_BUREAU[3:]:
        [task] = [t for t in the_instance(engine, instance_id).open_tasks if t.assignee == member]
        complete(engine, task.id, Actor(member, frozenset({"Bureau"})),
                 {"choice": "Select a candidate", "candidate": ILSE})

    # A consensus: the Registrar finds the appointment in the inbox and appoints.
    open_from_inbox(registrar, "Appoint the selected candidate")
    expect(instructions(registrar)).to_contain_text(f"has selected {ILSE} (decided by consensus)")
    registrar.get_by_role("radio", name="Accepted by the candidate", exact=True).check()
    field(registrar, "Date of appointment").fill("2027-04-01")
    field(registrar, "Entry on duty").fill("2027-05-01")
    expect(field(registrar, "Term of appointment (years)")).to_have_value("4")
    field(registrar, "Reference of the letter of appointment").fill("ICC/REG/2027/17")
    complete_task(registrar, "Appoint the selected candidate")
    see_completed(registrar, instance_id)

    final = the_instance(engine, instance_id)
    assert final.data["director"] == {"name": ILSE, "appointed_on": "2027-04-01", "term_years": 4,
                                      "letter_reference": "ICC/REG/2027/17", "entry_on_duty": "2027-05-01",
                                      "grade": "D-1", "step": 1, "contract_type": "Fixed-term appointment",
                                      "selected_by": "Bureau, by consensus", "round": 1}
    assert [c["name"] for c in final.data["shortlist"]] == [ILSE, RAFAEL]
    assert {v["state"]: v["responded"] for v in final.data["state_views"]} == {
        "Argentine Republic": True, "Republic of Senegal": False}
    assert sorted(p["member"] for p in final.data["positions"]) == sorted(WHOLE_BUREAU)
    assert windows.problems() == {}, "no script error and no CSP violation on any page"


# --- 2. Document processing -------------------------------------------------------------------

DOCUMENT_PEOPLE = ["secretariat.officer", "author.legal", "editor.one", "translator.fr", "translator.es",
                   "printing.clerk", "distribution.clerk"]


def test_a_document_is_drafted_edited_translated_printed_and_distributed(windows, engine):
    deploy_secretariat(engine)
    add_people(engine, *DOCUMENT_PEOPLE)

    # The Secretariat registers the document: the registration is the process's start form.
    officer = windows.sign_in("secretariat.officer")
    instance_id = start_process(officer, DOCUMENTS, "ICC-ASP/25/7")
    see_heading(officer, "Register the document", level=1)
    field(officer, "Title").fill("Report of the Bureau on the Secretariat's workload")
    field(officer, "Document symbol").fill("ICC-ASP/25/7")
    field(officer, "Session of the Assembly").fill("25")
    field(officer, "Agenda item").fill("12")
    field(officer, "Date of issue").fill("2027-02-20")
    field(officer, "Serviced body").select_option("Bureau")
    field(officer, "Kind of document").select_option("Report")
    expect(field(officer, "Language of the original")).to_have_value("English")
    officer.get_by_label("Spanish", exact=True).check()
    field(officer, "Estimated length (pages)").fill("12")
    field(officer, "Distribution deadline").fill("2027-02-26")
    field(officer, "Author").select_option(label=display_name("author.legal"))  # picked from the directory
    first = group(officer, "Recipient 1")
    field(first, "Recipient").fill("States Parties")
    field(first, "Kind of recipient").select_option("States Parties")
    field(first, "Address, e-mail or list").fill("All permanent missions")
    add_row(officer, "Recipients")
    second = group(officer, "Recipient 2")
    field(second, "Recipient").fill("Committee on Budget and Finance")
    field(second, "Kind of recipient").select_option("Subsidiary body")
    complete_task(officer, "Register the document")
    see_text(officer, "Nothing else in this case awaits you now.")

    # The author drafts; the editor returns the draft once (a return needs comments), then approves.
    author, editor = windows.sign_in("author.legal"), windows.sign_in("editor.one")
    open_from_inbox(author, "Draft the document")
    expect(instructions(author)).to_contain_text(
        "Draft ICC-ASP/25/7: Report of the Bureau on the Secretariat's workload")
    field(author, "Reference of the draft").fill("DMS-2027-0042-v1")
    field(author, "Summary of the content").fill("The Secretariat's workload in 2027.")
    field(author, "Length (pages)").fill("12")
    screenshot(author, "task-form-draft.png")
    complete_task(author, "Draft the document")

    open_from_inbox(editor, "Edit the draft")
    expect(instructions(editor)).to_contain_text("The Secretariat's workload in 2027.")
    editor.get_by_role("radio", name="Return to the author", exact=True).check()
    refused(editor, "Complete task", "Comments for the author")
    field(editor, "Comments for the author").fill("Add the 2026 figures for comparison.")
    complete_task(editor, "Edit the draft")

    open_from_inbox(author, "Draft the document")
    expect(instructions(author)).to_contain_text("Returned by the editor (1 time(s))")
    expect(instructions(author)).to_contain_text("Add the 2026 figures for comparison.")
    field(author, "Reference of the draft").fill("DMS-2027-0042-v2")
    field(author, "Note to the editor").fill("The 2026 figures are in table 2.")
    complete_task(author, "Draft the document")

    open_from_inbox(editor, "Edit the draft")
    expect(instructions(editor)).to_contain_text("Note from the author: The 2026 figures are in table 2.")
    editor.get_by_role("radio", name="Approve for translation", exact=True).check()
    complete_task(editor, "Edit the draft")

    # Two translators, each in their own window, take the language they translate into.
    for username, language, code in [("translator.fr", "French", "FR"), ("translator.es", "Spanish", "ES")]:
        translator = windows.sign_in(username)
        open_from_inbox(translator, "Translate the document", about=f"into {language}")
        field(translator, "Reference of the translation").fill(f"DMS-2027-0042-{code}")
        field(translator, "Pages translated").fill("13")
        complete_task(translator, "Translate the document")

    # Printing, then distribution: one clerk delivers to both recipients, one task after the other.
    printer = windows.sign_in("printing.clerk")
    open_from_inbox(printer, "Print the document")
    expect(instructions(printer)).to_contain_text("French: DMS-2027-0042-FR")
    field(printer, "Printed on").fill("2027-02-23")
    field(printer, "Copies printed per language").fill("150")
    for language in ("English", "French", "Spanish"):
        printer.get_by_label(language, exact=True).check()
    complete_task(printer, "Print the document")

    clerk = windows.sign_in("distribution.clerk")
    open_from_inbox(clerk, "Distribute to a recipient", about="Distribute ICC-ASP/25/7 to States Parties")
    clerk.get_by_role("radio", name="Note verbale", exact=True).check()
    field(clerk, "Delivered on").fill("2027-02-24")
    complete_task(clerk, "Distribute to a recipient")
    see_text(clerk, "Here is your next task in this case.")
    expect(instructions(clerk)).to_contain_text("Distribute ICC-ASP/25/7 to Committee on Budget and Finance")
    clerk.get_by_role("radio", name="E-mail", exact=True).check()
    field(clerk, "Delivered on").fill("2027-02-25")
    complete_task(clerk, "Distribute to a recipient")
    see_completed(clerk, instance_id)

    final = the_instance(engine, instance_id)
    assert final.data["rework_rounds"] == 1
    assert [r["comments"] for r in final.data["edit_history"]] == ["Add the 2026 figures for comparison."]
    assert {t["language"]: t["reference"] for t in final.data["translations"]} == {
        "French": "DMS-2027-0042-FR", "Spanish": "DMS-2027-0042-ES"}
    assert {d["recipient"]: d["channel"] for d in final.data["deliveries"]} == {
        "States Parties": "Note verbale", "Committee on Budget and Finance": "E-mail"}
    assert final.data["distributed_on_time"] is True and final.data["document_status"] == "distributed"
    with engine.unit_of_work() as uow:
        done = [(e.element_id, e.actor) for e in uow.history.for_instance(instance_id) if e.event == "task_completed"]
    assert {who for element, who in done if element == "translate_document"} == {"translator.fr", "translator.es"}
    assert [element for element, _ in done].count("draft_document") == 2
    assert windows.problems() == {}, "no script error and no CSP violation on any page"


# --- 3. The Bureau decision page --------------------------------------------------------------
# No process in processes/ has an approval task (a form with `approved` and `comment`): the
# recruitment's Bureau positions are a choice among candidates, on the generic task page. The
# decision page is therefore walked on the web suite's fixture tests/webapp/bpmn/bureau_selection.bpmn.

WEB_FIXTURES = Path(__file__).resolve().parents[1] / "webapp" / "bpmn"
VOTERS = ["bureau.president", "bureau.vp1", "bureau.vp2"]


def test_bureau_members_vote_on_the_decision_page_each_seeing_the_votes_so_far(windows, engine, deploy):
    deploy("bureau_selection.bpmn", "shortlist.schema.json", "shortlist.uischema.json", "vote.schema.json",
           folder=WEB_FIXTURES)
    add_people(engine, "registrar", *VOTERS)
    registrar = Actor("registrar", frozenset({"Registrar"}))
    proposal = start(engine, "bureau_selection", registrar).open_tasks[0]
    instance_id = complete(engine, proposal.id, registrar, {
        "post": "Director of the Secretariat", "members": VOTERS,
        "candidates": [{"name": ILSE, "region": "African", "experience_years": 12},
                       {"name": RAFAEL, "experience_years": 7}]}).process_instance.id

    for number, member in enumerate(VOTERS):
        page = windows.sign_in(member)
        open_from_bureau_page(page, "Vote on the shortlist")
        see_heading(page, "Vote on the shortlist", level=1)
        assert "/bureau/decisions/" in page.url
        # what is decided and the tally come first; the matter in full is folded away until asked for
        expect(page.get_by_role("region", name="What is decided")).to_contain_text("Vote on the shortlist")
        page.get_by_text("The matter in full").click()
        matter = page.get_by_role("group").filter(has_text="The matter in full")
        expect(matter.get_by_role("cell", name=ILSE, exact=True)).to_be_visible()
        votes = page.get_by_role("region", name="Tally")
        expect(votes.locator(".tally-for strong")).to_have_text(str(number))
        expect(votes.locator(".tally-pending strong")).to_have_text(str(3 - number))
        if number == 0:
            expect(votes).to_contain_text("No one has voted yet.")
        else:
            rows = votes.get_by_role("table").locator("tbody tr")
            expect(rows).to_have_count(number, timeout=WAIT_MS)
            for row, earlier in enumerate(VOTERS[:number]):
                expect(rows.nth(row)).to_contain_text(display_name(earlier))  # members by the name people know
                expect(rows.nth(row)).to_contain_text("Approved")
        if number < 2:
            still = votes.get_by_text(re.compile(r"^\s*Still to vote"))
            for later in VOTERS[number + 1:]:
                expect(still).to_contain_text(display_name(later))
        if number == 1:  # a rejection needs a reason: refused before the engine is asked
            refused(page, "Reject", "Give the reason for rejecting in the comment.")
            expect(page.get_by_label("Comment")).to_have_attribute("aria-invalid", "true")
            screenshot(page, "bureau-decision-refused.png")
        page.get_by_label("Comment").fill(f"{member}: a sound shortlist.")
        if number == 2:
            screenshot(page, "bureau-decision-page.png")
        complete_task(page, "Vote on the shortlist", button="Approve")

    final = the_instance(engine, instance_id)
    assert final.state == "completed"
    assert final.data["approvals"] == 3 and final.data["selected"] is True
    assert windows.problems() == {}, "no script error and no CSP violation on any page"
