"""The Bureau: what awaits its decision, and members voting on a shortlist one by one, each
seeing the votes cast so far; a rejection needs a reason."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine import Actor
from tests.engine.helpers import CLERK, complete, get, start
from tests.webapp.conftest import PASSWORD

WEB_FIXTURES = Path(__file__).parent / "bpmn"
MEMBERS = ["amina", "bruno", "chen"]
NAMES = {"amina": "Amina Diallo", "bruno": "Bruno Keller", "chen": "Chen Wei"}  # as the pages show them
REGISTRAR = Actor("rita", frozenset({"Registrar"}))
SHORTLIST = {"post": "Director of the Secretariat", "members": MEMBERS,
             "candidates": [{"name": "Ada Obi", "region": "African", "experience_years": 12},
                            {"name": "Ben Ali", "experience_years": 7}]}


@pytest.fixture
def bureau(engine, app, deploy):
    with engine.unit_of_work() as uow:
        for member in MEMBERS:
            uow.identity.add_user(member, ["Bureau"], password=PASSWORD, display_name=NAMES[member])
        uow.identity.add_user("rita", ["Registrar"], password=PASSWORD)
        uow.commit()
    deploy("bureau_selection.bpmn", "shortlist.schema.json", "shortlist.uischema.json", "vote.schema.json",
           folder=WEB_FIXTURES)


@pytest.fixture
def votes(engine, bureau):
    """An instance waiting for the three members' votes: {member: their task}."""
    proposal = start(engine, "bureau_selection", REGISTRAR).open_tasks[0]
    instance = complete(engine, proposal.id, REGISTRAR, SHORTLIST).process_instance
    return {t.assignee: t for t in instance.open_tasks}


def vote_rows(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<tr>\s*<th scope="row">([^<]*)</th>\s*<td[^>]*><span class="vote [^"]+">(\w+)</span></td>\s*'
                      r'<td[^>]*>([^<]*)</td>', html)


def tally_of(html: str) -> dict[str, int]:
    return {word: int(n) for n, word in re.findall(r'<li class="tally-\w+"><strong>(\d+)</strong>([\w ]+)</li>', html)}


def test_each_member_has_their_own_vote(votes):
    assert sorted(votes) == MEMBERS and all(t.lane == "Bureau" for t in votes.values())


def test_the_bureau_page_lists_the_open_decisions_with_counts(votes, browser_as):
    html = browser_as("amina").get("/bureau").get_data(as_text=True)
    assert "<strong>1</strong> awaiting" in html and "<strong>1</strong> assigned to you" in html
    assert f'href="/bureau/decisions/{votes["amina"].id}">Vote on the shortlist</a>' in html
    manager = browser_as("mara").get("/bureau").get_data(as_text=True)
    assert "<strong>3</strong> awaiting" in manager and "<strong>0</strong> assigned to you" in manager
    assert manager.count(">Vote on the shortlist</a>") == 3
    assert "Nothing awaits the Bureau" in browser_as("claire").get("/bureau").get_data(as_text=True)


def test_the_bureau_page_also_lists_approval_tasks_of_other_lanes(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    task = start(engine, "approval").open_tasks[0]
    complete(engine, task.id, CLERK, {"title": "Chairs", "amount": 5})
    html = browser_as("diane").get("/bureau").get_data(as_text=True)
    assert "<strong>1</strong> awaiting" in html and ">Review request</a>" in html


def test_the_task_page_of_a_vote_opens_the_decision_page(votes, browser_as):
    task = votes["amina"]
    answer = browser_as("amina").get(f"/tasks/{task.id}")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/bureau/decisions/{task.id}"


def test_the_matter_is_shown_readably_never_as_json(votes, browser_as):
    html = browser_as("amina").get(f"/bureau/decisions/{votes['amina'].id}").get_data(as_text=True)
    assert "<h2>Vote on the shortlist for Director of the Secretariat</h2>" in html
    assert "<dt>Post</dt><dd>Director of the Secretariat</dd>" in html
    # the columns are the form's titles (shortlist.schema.json), not the keys
    assert '<th scope="col">Name</th><th scope="col">Regional group</th><th scope="col">Years of experience</th>' in html
    assert re.sub(r' data-label="[^"]*"', "", html).count("<tr><td>Ada Obi</td><td>African</td><td>12</td></tr>") == 1
    assert "<tr><td>Ben Ali</td><td>—</td><td>7</td></tr>" in re.sub(r' data-label="[^"]*"', "", html)
    assert "{'" not in html and '{"' not in html and "[]" not in html
    assert "No one has voted yet." in html and 'value="approve"' in html and 'value="reject"' in html


def test_three_members_vote_and_each_sees_the_votes_so_far(engine, votes, browser_as):
    amina = browser_as("amina")
    answer = amina.post(f"/bureau/decisions/{votes['amina'].id}", {"decision": "approve", "comment": "Strong list"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/inbox"

    bruno = browser_as("bruno")
    page = bruno.get(f"/bureau/decisions/{votes['bruno'].id}").get_data(as_text=True)
    assert vote_rows(page) == [("Amina Diallo", "Approved", "Strong list")]
    assert "Still to vote: Chen Wei." in page
    refused = bruno.post(f"/bureau/decisions/{votes['bruno'].id}", {"decision": "reject", "comment": "  "})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'<textarea id="field-comment" name="comment" aria-describedby="field-comment-help '
                     r'field-comment-error" aria-invalid="true">', html)
    assert "Give the reason for rejecting in the comment." in html
    assert get(engine, votes["bruno"].process_instance_id).state == "running"
    bruno.post(f"/bureau/decisions/{votes['bruno'].id}", {"decision": "reject", "comment": "Too few <b>women</b>"})

    chen = browser_as("chen")
    page = chen.get(f"/bureau/decisions/{votes['chen'].id}").get_data(as_text=True)
    assert vote_rows(page) == [("Amina Diallo", "Approved", "Strong list"),
                               ("Bruno Keller", "Rejected", "Too few &lt;b&gt;women&lt;/b&gt;")]
    assert tally_of(page) == {"for": 1, "against": 1, "abstain": 0, "not yet": 1}
    assert "Still to vote" not in page
    chen.post(f"/bureau/decisions/{votes['chen'].id}", {"decision": "approve"})

    instance = get(engine, votes["chen"].process_instance_id)
    assert instance.state == "completed" and instance.data["approvals"] == 2 and instance.data["selected"] is True
    assert sorted((v["member"], v["approved"]) for v in instance.data["votes"]) == [
        ("amina", True), ("bruno", False), ("chen", True)]


def test_a_rejected_comment_is_kept_when_the_form_comes_back(votes, browser_as):
    answer = browser_as("amina").post(f"/bureau/decisions/{votes['amina'].id}", {"comment": "Unsure"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Choose Approve or Reject." in html and ">Unsure</textarea>" in html


def test_a_member_cannot_vote_for_another(votes, browser_as):
    bruno = browser_as("bruno")
    page = bruno.get(f"/bureau/decisions/{votes['amina'].id}")
    assert page.status_code == 200
    assert "This decision is assigned to Amina Diallo; only they can take it." in page.get_data(as_text=True)
    assert bruno.post(f"/bureau/decisions/{votes['amina'].id}", {"decision": "approve"}).status_code == 403


def test_someone_outside_the_bureau_cannot_see_a_vote(votes, browser_as):
    assert browser_as("claire").get(f"/bureau/decisions/{votes['amina'].id}").status_code == 403
    assert browser_as("claire").post(f"/bureau/decisions/{votes['amina'].id}",
                                     {"decision": "approve"}).status_code == 403


def test_a_decision_without_csrf_token_is_refused(votes, browser_as):
    answer = browser_as("amina").client.post(f"/bureau/decisions/{votes['amina'].id}", data={"decision": "approve"})
    assert answer.status_code == 400


def test_a_director_approves_a_request_with_the_same_buttons(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    task = start(engine, "approval").open_tasks[0]
    complete(engine, task.id, CLERK, {"title": "Chairs", "amount": 5})
    review = get(engine, task.process_instance_id).open_tasks[0]
    answer = browser_as("diane").post(f"/bureau/decisions/{review.id}", {"decision": "reject", "comment": "Too dear"})
    assert answer.status_code == 302
    assert get(engine, task.process_instance_id).data["outcome"] == "rejected"


def test_a_decision_posted_to_the_generic_task_form_is_sent_to_the_decision_page(engine, votes, browser_as):
    answer = browser_as("amina").post(f"/tasks/{votes['amina'].id}", {"decision": "reject"})
    assert answer.status_code == 307 and answer.headers["Location"] == f"/bureau/decisions/{votes['amina'].id}"
    assert get(engine, votes["amina"].process_instance_id).state == "running"


def test_the_decision_page_puts_the_decision_first_and_folds_the_rest(votes, browser_as):
    html = browser_as("amina").get(f"/bureau/decisions/{votes['amina'].id}").get_data(as_text=True)
    main = html.split('<main id="main"')[1]
    order = [main.index(marker) for marker in ('id="what-heading"', 'id="documents-heading"', 'id="tally-heading"',
                                               'id="decision-heading"', "<details")]
    assert order == sorted(order), "what is decided, documents, tally, the buttons; then the folded details"
    assert tally_of(html) == {"for": 0, "against": 0, "abstain": 0, "not yet": 3}
    assert "Still to vote: Bruno Keller, Chen Wei." in html  # by the names people know, never user names
    folded = main.split("<details", 1)[1]
    assert "<dt>Post</dt>" in folded and "Instance started" in folded and "<dt>Lane</dt>" in folded
    assert "<dt>Post</dt>" not in main.split("<details", 1)[0]
    assert "No document is attached to this matter." in html


def test_links_in_the_matter_are_listed_as_documents(engine, bureau, browser_as):
    proposal = start(engine, "bureau_selection", REGISTRAR).open_tasks[0]
    shortlist = {**SHORTLIST, "summary": "https://asp.icc-cpi.int/shortlist.pdf"}
    instance = complete(engine, proposal.id, REGISTRAR, shortlist).process_instance
    task = next(t for t in instance.open_tasks if t.assignee == "amina")
    html = browser_as("amina").get(f"/bureau/decisions/{task.id}").get_data(as_text=True)
    assert ('<li>Summary of the procedure: <a href="https://asp.icc-cpi.int/shortlist.pdf" rel="noopener">'
            'https://asp.icc-cpi.int/shortlist.pdf</a></li>') in html
