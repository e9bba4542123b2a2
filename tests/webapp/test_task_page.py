"""The task page: details, instructions, the generated form, completing with and without
errors, escaping, rows without JavaScript, claiming, and what opens next."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine import Actor
from tests.conftest import FIXTURES
from tests.engine.helpers import CLERK, complete, get, start

WEB_FIXTURES = Path(__file__).parent / "bpmn"
REGISTRAR = Actor("rita", frozenset({"Registrar"}))


@pytest.fixture
def approval(deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")


@pytest.fixture
def registrar(engine, app):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("rita", ["Registrar"], password="a long demo password")
        uow.commit()
    return REGISTRAR


@pytest.fixture
def shortlist(engine, deploy, registrar):
    deploy("bureau_selection.bpmn", "shortlist.schema.json", "shortlist.uischema.json", "vote.schema.json",
           folder=WEB_FIXTURES)
    return start(engine, "bureau_selection", REGISTRAR).open_tasks[0]


def with_instructions(tmp_path, deploy, text: str) -> None:
    """approval.bpmn again, with other instructions on its first task (`text` is XML-escaped already)."""
    bpmn = (FIXTURES / "approval.bpmn").read_text().replace(
        "## Submit a request\nGive the request a title, the amount needed and a short justification.", text)
    (tmp_path / "approval.bpmn").write_text(bpmn)
    deploy("request.schema.json", "review.schema.json")
    deploy("approval.bpmn", folder=tmp_path)


def test_the_task_page_shows_details_instructions_and_the_form(engine, approval, browser_as):
    instance = start(engine, "approval")
    task = instance.open_tasks[0]
    html = browser_as("claire").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "<h1>Submit request</h1>" in html and "<h2>Submit a request</h2>" in html
    for fact in ("<dt>Process</dt><dd>approval", f"<dt>Instance</dt><dd>#{instance.id}", "<dt>Lane</dt><dd>Clerk</dd>",
                 "Unassigned", "No due date"):
        assert fact in html
    assert re.search(r'<input type="text" id="field-title" name="title" aria-required="true"', html)
    assert re.search(r'<input type="number" id="field-amount" name="amount" aria-required="true"[^>]*min="0"', html)
    assert 'name="justification"' in html and 'name="csrf_token"' in html
    assert f'action="/tasks/{task.id}/claim"' in html


def test_a_user_without_the_lanes_role_is_refused_anothers_task(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    translator = browser_as("otto")
    assert translator.get(f"/tasks/{task.id}").status_code == 403
    assert translator.post(f"/tasks/{task.id}", {"title": "x", "amount": "1"}).status_code == 403
    assert translator.post(f"/tasks/{task.id}/claim").status_code == 403
    assert get(engine, task.process_instance_id).open_tasks[0].state == "open"


def test_an_unknown_task_is_not_found(browser_as):
    assert browser_as("claire").get("/tasks/no-such-task").status_code == 404


def test_completing_without_a_csrf_token_is_refused(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    answer = browser_as("claire").client.post(f"/tasks/{task.id}", data={"title": "x", "amount": "1"})
    assert answer.status_code == 400
    assert get(engine, task.process_instance_id).open_tasks[0].id == task.id


def test_form_errors_appear_beside_their_fields_and_keep_the_entered_values(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    answer = browser_as("claire").post(f"/tasks/{task.id}", {"title": "", "amount": "-5", "justification": "Because"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="field-title"[^>]*aria-describedby="field-title-error" aria-invalid="true"', html)
    error = '<p class="error" id="field-title-error"><span class="visually-hidden">Error:</span> Please fill in “Title”.'
    assert error in html
    assert re.search(r'id="field-amount"[^>]*aria-describedby="field-amount-error"[^>]*value="-5"', html)
    assert re.search(r'id="field-amount-error">.*“Amount” must be at least 0.', html)
    assert 'value="Because"' in html and 'role="alert"' in html and "Please correct 2 problems" in html


def test_html_in_submitted_data_is_escaped_on_the_next_task_page(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    answer = browser_as("claire").post(f"/tasks/{task.id}", {"title": "<script>alert(1)</script>", "amount": "10"})
    assert answer.status_code == 302
    review = get(engine, task.process_instance_id).open_tasks[0]
    html = browser_as("diane").get(f"/tasks/{review.id}", follow_redirects=True).get_data(as_text=True)
    assert "Review: &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "<dt>Title</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>" in html


def test_raw_html_in_instructions_is_shown_as_text(engine, deploy, tmp_path, browser_as):
    with_instructions(tmp_path, deploy, "Read &lt;b onclick=\"steal()\"&gt;this&lt;/b&gt;&lt;script&gt;alert(2)"
                                        "&lt;/script&gt; and [go](javascript:alert(3))")
    task = start(engine, "approval").open_tasks[0]
    html = browser_as("claire").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(2)" in html and "<script>alert(2)" not in html
    assert "<b onclick" not in html and 'href="javascript' not in html


def test_instructions_that_cannot_be_filled_in_give_a_notice(engine, deploy, tmp_path, browser_as):
    with_instructions(tmp_path, deploy, "Hello {{ no_such_value }}")
    task = start(engine, "approval").open_tasks[0]
    answer = browser_as("claire").get(f"/tasks/{task.id}")
    assert answer.status_code == 200
    assert "could not be filled in" in answer.get_data(as_text=True) and 'name="title"' in answer.get_data(as_text=True)


def test_completing_goes_on_to_my_next_task_in_the_same_instance(engine, deploy, browser_as):
    deploy("gateways.bpmn", "note.schema.json")
    instance = start(engine, "gateways", mode="fast", branches=["a"])
    first, second = instance.open_tasks
    answer = browser_as("claire").post(f"/tasks/{first.id}", {"note": "one"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/tasks/{second.id}"


def test_after_my_last_task_the_inbox_opens_with_a_message(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    claire = browser_as("claire")
    answer = claire.post(f"/tasks/{task.id}", {"title": "Chairs", "amount": "120.5"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/inbox"
    html = claire.get("/inbox").get_data(as_text=True)
    assert "“Submit request” is done. Nothing else in this case awaits you now." in html
    assert get(engine, task.process_instance_id).data == {"title": "Chairs", "amount": 120.5}


def test_a_completed_task_shows_who_completed_it_and_no_form(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    complete(engine, task.id, CLERK, {"title": "Chairs", "amount": 1})
    html = browser_as("claire").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "This task is completed (by Claire" in html and 'name="title"' not in html


def test_claiming_and_releasing_on_the_task_page(engine, approval, browser_as):
    task = start(engine, "approval").open_tasks[0]
    claire, colin = browser_as("claire"), browser_as("colin")
    answer = claire.post(f"/tasks/{task.id}/claim", {"next": f"/tasks/{task.id}"})
    assert answer.headers["Location"] == f"/tasks/{task.id}"
    html = claire.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "<dt>Assignee</dt><dd>You</dd>" in html and f'action="/tasks/{task.id}/release"' in html
    other = colin.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "This task is assigned to Claire; only they can complete it." in other and 'name="title"' not in other
    assert colin.post(f"/tasks/{task.id}", {"title": "x", "amount": "1"}).status_code == 403
    claire.post(f"/tasks/{task.id}/release", {"next": f"/tasks/{task.id}"})
    assert 'name="title"' in colin.get(f"/tasks/{task.id}").get_data(as_text=True)


def test_due_dates_and_overdue_tasks_show_on_the_task_page(engine, deploy, browser_as, clock):
    deploy("timer_interrupting.bpmn", "note.schema.json")
    task = start(engine, "timer_interrupting").open_tasks[0]
    claire = browser_as("claire")
    assert "06 Jan 2027, 09:00 UTC" in claire.get(f"/tasks/{task.id}").get_data(as_text=True)
    clock.advance(hours=48, minutes=1)
    assert '<strong class="overdue-mark">Overdue</strong>' in claire.get(f"/tasks/{task.id}").get_data(as_text=True)


def test_rows_of_an_array_are_added_and_removed_without_javascript(engine, shortlist, browser_as):
    rita = browser_as("rita")
    page = rita.get(f"/tasks/{shortlist.id}").get_data(as_text=True)
    assert 'name="candidates.0.name"' in page and 'name="candidates.1.name"' not in page
    assert 'placeholder="Director of the Secretariat"' in page and "<textarea" in page
    added = rita.post(f"/tasks/{shortlist.id}", {
        "_action": "add:candidates", "post": "Director", "_rows.candidates": "1", "candidates.0.name": "Ada Obi",
        "candidates.0.region": "African", "candidates.0.experience_years": "12", "_rows.members": "1",
        "members.0": "amina"})
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and 'name="_rows.candidates" value="2"' in html
    assert 'value="Ada Obi"' in html and 'value="Director"' in html and 'value="amina"' in html
    assert '<option value="African" selected>' in html
    assert re.search(r'name="candidates.1.name" aria-required="true" autofocus', html)
    removed = rita.post(f"/tasks/{shortlist.id}", {
        "_action": "remove:candidates.0", "_rows.candidates": "2", "candidates.0.name": "Ada Obi",
        "candidates.1.name": "Ben Ali", "candidates.1.experience_years": "7"}).get_data(as_text=True)
    assert 'name="_rows.candidates" value="1"' in removed
    assert 'name="candidates.0.name" aria-required="true" value="Ben Ali"' in removed and "Ada Obi" not in removed
    assert rita.post(f"/tasks/{shortlist.id}", {"_action": "add:post"}).status_code == 400


def test_an_array_of_objects_is_submitted_as_typed_rows(engine, shortlist, browser_as):
    answer = browser_as("rita").post(f"/tasks/{shortlist.id}", {
        "post": "Director", "decision_by": "2027-02-01", "_rows.candidates": "3",
        "candidates.0.name": "Ada Obi", "candidates.0.experience_years": "12", "candidates.0.region": "African",
        "candidates.1.name": "", "candidates.1.experience_years": "", "candidates.1.region": "",
        "candidates.2.name": "Ben Ali", "candidates.2.experience_years": "7", "candidates.2.region": "",
        "_rows.members": "2", "members.0": "amina", "members.1": "bruno", "summary": ""})
    assert answer.status_code == 302
    data = get(engine, shortlist.process_instance_id).data
    assert data["candidates"] == [{"name": "Ada Obi", "region": "African", "experience_years": 12},
                                  {"name": "Ben Ali", "experience_years": 7}]
    assert data["members"] == ["amina", "bruno"] and "summary" not in data


def test_errors_inside_rows_appear_beside_the_row_field(engine, shortlist, browser_as):
    answer = browser_as("rita").post(f"/tasks/{shortlist.id}", {
        "post": "Director", "_rows.candidates": "1", "candidates.0.name": "Ada Obi",
        "candidates.0.experience_years": "-1", "_rows.members": "1", "members.0": ""})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'value="Ada Obi"' in html
    assert re.search(r'id="field-candidates_0_experience_years"[^>]*aria-describedby='
                     r'"field-candidates_0_experience_years-error"', html)
    assert re.search(r'id="field-members-error"><span class="visually-hidden">Error:</span> Please fill in “Bureau members who vote”',
                     html)


def _one_answered(engine, deploy, process: str):
    from engine import Actor
    deploy(f"{process}.bpmn", "translation.schema.json")
    with engine.unit_of_work() as uow:
        uow.identity.add_user("tina", ["Translator"], password="a long demo password", display_name="Tina Tamm")
        instance = uow.runtime.start(process, actor=Actor("ada", frozenset({"admin"})), data={"languages": ["en", "fr"]})
        first, second = instance.open_tasks
        uow.tasks.complete(first.id, Actor("tina", frozenset({"Translator"})), {"text": "<b>hello</b>"})
        uow.commit()
    return second


def test_a_member_of_a_collective_decision_sees_the_positions_already_given_by_name(engine, deploy, browser_as):
    second = _one_answered(engine, deploy, "collective_decision")
    page = browser_as("otto").get(f"/tasks/{second.id}").get_data(as_text=True)
    assert "Positions so far" in page and "Tina Tamm" in page
    assert "&lt;b&gt;hello&lt;/b&gt;" in page


def test_a_translator_sees_no_positions_of_the_other_translations(engine, deploy, browser_as):
    second = _one_answered(engine, deploy, "multi_instance")
    page = browser_as("otto").get(f"/tasks/{second.id}").get_data(as_text=True)
    assert "Positions so far" not in page and "hello" not in page
