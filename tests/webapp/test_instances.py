"""The instance pages: list, filters, pagination, detail, history, data, and administrators' actions."""
from __future__ import annotations

import re

import pytest

from engine import Actor
from tests.engine.helpers import CLERK, DIRECTOR, OTHER_CLERK

ADMIN = Actor("ada", frozenset({"admin"}))


def start(engine, key, actor=CLERK, business_key=None, **data):
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start(key, actor=actor, data=data, business_key=business_key)
        uow.commit()
    return instance


def complete(engine, task_id, actor, data):
    with engine.unit_of_work() as uow:
        result = uow.tasks.complete(task_id, actor, data)
        uow.commit()
    return result


def state_of(engine, instance_id):
    with engine.unit_of_work() as uow:
        return uow.runtime.get(instance_id)


def instance_links(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/instances/(\d+)"', html)]


def finished_approval(engine):
    """An approval submitted by claire and approved by diane."""
    instance = start(engine, "approval", business_key="REQ-1")
    complete(engine, instance.open_tasks[0].id, CLERK, {"title": "Laptops", "amount": 1200, "justification": "old"})
    review = state_of(engine, instance.id).open_tasks[0]
    complete(engine, review.id, DIRECTOR, {"approved": True, "comment": "fine"})
    return state_of(engine, instance.id)


# -- the list ---------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in(client):
    answer = client.get("/instances")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_list_links_each_instance_to_its_page_newest_first(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    first, second = start(engine, "approval", business_key="A-1"), start(engine, "approval", business_key="A-2")
    html = browser_as("colin").get("/instances").get_data(as_text=True)
    assert instance_links(html) == [second.id, first.id]
    assert "A-1" in html and "A-2" in html and "approval" in html
    assert '<span class="badge running">Running</span>' in html
    assert "2 instances; page 1 of 1" in html


def test_filters_by_process_state_business_key_and_started_by_me(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "script_error.bpmn", "note.schema.json")
    mine = start(engine, "approval", business_key="MINE")
    colins = start(engine, "approval", actor=OTHER_CLERK, business_key="COLIN")
    failed = start(engine, "script_error", divisor=0)
    done = finished_approval(engine)
    browser = browser_as("claire")

    def listed(query):
        answer = browser.get(f"/instances?{query}")
        assert answer.status_code == 200
        return set(instance_links(answer.get_data(as_text=True)))

    assert listed("process_key=script_error") == {failed.id}
    assert listed("state=error") == {failed.id}
    assert listed("state=completed") == {done.id}
    assert listed("business_key=COLIN") == {colins.id}
    assert listed("mine=1") == {mine.id, failed.id, done.id}
    assert listed("mine=1&process_key=approval&state=running") == {mine.id}
    assert listed("") == {mine.id, colins.id, failed.id, done.id}


def test_an_unknown_state_is_named_beside_the_filter(deploy, browser_as):
    answer = browser_as("claire").get("/instances?state=sleeping")
    assert answer.status_code == 422
    assert 'id="state-error"' in answer.get_data(as_text=True)


def test_pages_of_instances_keep_the_filters(app, engine, deploy, browser_as):
    app.config["PER_PAGE"] = 2
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    ids = [start(engine, "approval", business_key="B").id for _ in range(5)]
    start(engine, "approval", business_key="other")
    browser = browser_as("claire")
    first = browser.get("/instances?business_key=B").get_data(as_text=True)
    assert instance_links(first) == ids[::-1][:2]
    assert "5 instances; page 1 of 3" in first
    assert 'href="/instances?page=2&amp;business_key=B"' in first and 'rel="prev"' not in first
    last = browser.get("/instances?business_key=B&page=3").get_data(as_text=True)
    assert instance_links(last) == [ids[0]]
    assert 'rel="next"' not in last and 'href="/instances?page=2&amp;business_key=B"' in last
    beyond = browser.get("/instances?business_key=B&page=9").get_data(as_text=True)
    assert instance_links(beyond) == [] and "past the last one" in beyond
    assert browser.get("/instances?page=nonsense").status_code == 200
    assert browser.get("/instances?page=99999999999999999999999").status_code == 200


# -- one instance -----------------------------------------------------------------------------

def test_a_running_instance_shows_where_it_is_and_its_open_task(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval", business_key="REQ-7")
    task = instance.open_tasks[0]
    answer = browser_as("colin").get(f"/instances/{instance.id}")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "REQ-7" in html and '<span class="badge running">Running</span>' in html
    assert f'href="/tasks/{task.id}"' in html and "Submit request" in html
    assert "<td>Clerk</td>" in html and "Nobody yet" in html
    assert f'data-diagram-url="/instances/{instance.id}/diagram.bpmn"' in html
    assert 'data-active="submit_request"' in html and 'data-completed="start"' in html
    active = html.split('class="active-elements"')[1].split("</ul>")[0]
    assert "Submit request" in active and "submit_request" in active
    assert "Instance started" in html and "Task ready" in html
    assert "by Claire" in html and "triggered by Claire" in html  # she started it; the engine readied the task
    assert "<script>" not in html.split("</main>")[0], "no inline script on the page"
    assert 'src="/static/js/instance-diagram.js"' in html


def test_a_completed_instance_shows_its_history_in_words_and_no_actions(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    done = finished_approval(engine)
    html = browser_as("ada").get(f"/instances/{done.id}").get_data(as_text=True)
    assert '<span class="badge completed">Completed</span>' in html
    assert "No open task." in html and "Instance completed" in html
    assert "Task completed" in html and "by Claire" in html and "by Diane" in html
    assert "Path chosen" in html and "Took the path to" in html and "Record approval" in html
    # keys read as their forms' titles (request.schema.json: "Title"; review.schema.json: "Approved")
    assert "<dt>Title</dt>" in html and "Laptops" in html and "<dt>Approved</dt>" in html
    assert "<dt>title</dt>" not in html
    assert '"title"' not in html, "data is shown as a definition list, never raw JSON"
    assert "Cancel the instance" not in html and "Suspend the instance" not in html
    completed = html.split('class="completed-elements"')[1].split("</ul>")[0]
    assert "Review request" in completed and "end_approved" in completed


def test_the_diagram_is_the_bpmn_of_the_version_the_instance_runs_on(engine, deploy, browser_as, tmp_path):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    old = start(engine, "approval")
    from tests.conftest import FIXTURES, MANAGER
    changed = (FIXTURES / "approval.bpmn").read_text().replace('name="Review request"', 'name="Review it again"')
    (tmp_path / "approval.bpmn").write_text(changed)
    with engine.unit_of_work() as uow:
        uow.repository.deploy_paths([tmp_path / "approval.bpmn"], actor=MANAGER)
        uow.commit()
    new = start(engine, "approval")
    browser = browser_as("claire")
    old_xml = browser.get(f"/instances/{old.id}/diagram.bpmn")
    assert old_xml.status_code == 200 and old_xml.mimetype == "application/xml"
    assert 'name="Review request"' in old_xml.get_data(as_text=True)
    assert 'name="Review it again"' in browser.get(f"/instances/{new.id}/diagram.bpmn").get_data(as_text=True)
    assert browser.get("/instances/999/diagram.bpmn").status_code == 404
    assert browser.get("/instances/999").status_code == 404


def test_instance_data_is_shown_only_to_managers_and_administrators(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    complete(engine, instance.open_tasks[0].id, CLERK, {"title": "Secret salary", "amount": 99})
    for username in ("mara", "ada"):
        html = browser_as(username).get(f"/instances/{instance.id}").get_data(as_text=True)
        assert "Instance data" in html and html.count("Secret salary") == 2  # history and data
    own = browser_as("claire").get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Instance data" not in own and own.count("Secret salary") == 1  # what she submitted herself
    other = browser_as("diane").get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Instance data" not in other and "Secret salary" not in other
    assert "Submitted data: shown to managers and administrators" in other


def test_html_in_data_is_escaped_in_the_history_and_the_data(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval", comment="<script>alert('x')</script>", **{"<b>key</b>": "<i>v</i>"})
    html = browser_as("mara").get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>key</b>" not in html and "<i>v</i>" not in html
    assert html.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") == 2  # start data and instance data
    assert "&lt;b&gt;key&lt;/b&gt;" in html


def test_nested_data_reads_as_tables_lists_and_definition_lists(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval", members=[{"name": "Ann", "state": "Peru"}, {"name": "Bo", "seat": 2}],
                     languages=["en", "fr"], flags={"urgent": True, "note": None}, empty=[])
    html = browser_as("mara").get(f"/instances/{instance.id}").get_data(as_text=True)
    data = html.split('id="data-heading"')[1]
    table = data.split('<table class="data-table">')[1].split("</table>")[0]
    assert [h for h in re.findall(r'<th scope="col">(\w+)</th>', table)] == ["Name", "State", "Seat"]
    assert "Ann" in table and "Peru" in table and 'title="not given"' in table
    assert re.search(r'<ul class="data-items">\s*<li><span class="data-text">en</span></li>\s*'
                     r'<li><span class="data-text">fr</span></li>\s*</ul>', data), "a list of strings is a list"
    assert "<dt>Urgent</dt><dd>Yes</dd>" in data.replace("\n", "").replace("  ", "")
    assert "(empty)" in data and "(none)" in data


# -- administrators' actions ------------------------------------------------------------------

def test_an_administrator_suspends_resumes_and_cancels_with_a_reason(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    admin = browser_as("ada")
    page = admin.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Suspend the instance" in page and "Cancel the instance" in page and "Resume the instance" not in page
    answer = admin.post(f"/instances/{instance.id}/suspend", {"reason": "waiting for the budget"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/instances/{instance.id}")
    assert state_of(engine, instance.id).state == "suspended"
    page = admin.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert f"Instance {instance.id} suspended; it is now suspended." in page
    assert "Resume the instance" in page and "waiting for the budget" in page
    admin.post(f"/instances/{instance.id}/resume")
    assert state_of(engine, instance.id).state == "running"
    asked = admin.post(f"/instances/{instance.id}/cancel", {"reason": "withdrawn by the Registrar"})
    assert asked.status_code == 200 and "Yes, cancel the instance" in asked.get_data(as_text=True)
    assert state_of(engine, instance.id).state == "running"  # nothing happens before the confirmation
    admin.post(f"/instances/{instance.id}/cancel", {"reason": "withdrawn by the Registrar", "confirm": "yes"})
    cancelled = state_of(engine, instance.id)
    assert cancelled.state == "cancelled" and cancelled.open_tasks == []
    page = admin.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Instance cancelled" in page and "withdrawn by the Registrar" in page and "Task withdrawn" in page


def test_an_action_the_state_does_not_allow_changes_nothing_and_says_why(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    done = finished_approval(engine)
    admin = browser_as("ada")
    answer = admin.post(f"/instances/{done.id}/cancel", {"confirm": "yes"}, follow_redirects=True)
    assert answer.status_code == 200
    assert "Nothing was changed: An instance that is completed cannot be cancelled" in answer.get_data(as_text=True)
    assert state_of(engine, done.id).state == "completed"


@pytest.mark.parametrize("action", ["cancel", "suspend", "resume", "retry"])
def test_others_than_administrators_may_not_act_on_instances(engine, deploy, browser_as, action):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    for username in ("claire", "mara"):
        browser = browser_as(username)
        assert "Cancel the instance" not in browser.get(f"/instances/{instance.id}").get_data(as_text=True)
        assert browser.post(f"/instances/{instance.id}/{action}", {"data": "not json"}).status_code == 403
    assert state_of(engine, instance.id).state == "running"


def test_an_action_without_the_csrf_token_is_refused(engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    admin = browser_as("ada")
    answer = admin.client.post(f"/instances/{instance.id}/cancel", data={"reason": "no token"})
    assert answer.status_code == 400
    assert state_of(engine, instance.id).state == "running"


def test_a_failed_instance_is_retried_with_corrected_data(engine, deploy, browser_as):
    deploy("script_error.bpmn", "note.schema.json")
    instance = start(engine, "script_error", divisor=0)
    admin = browser_as("ada")
    page = admin.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert '<span class="badge error">Error</span>' in page and "division by zero" in page
    assert 'data-failed="divide"' in page and "At Divide" in page
    assert "Divide" in page.split('class="failed-elements"')[1].split("</ul>")[0]
    assert "Retry the failed element" in page
    for text, message in (("{divisor: 5", "This is not valid JSON"), ("[5]", "must be a JSON object")):
        refused = admin.post(f"/instances/{instance.id}/retry", {"data": text})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 422 and 'id="retry-data-error"' in html and message in html
        assert f">{text}</textarea>" in html.replace("&#34;", '"')
    assert state_of(engine, instance.id).state == "error"
    admin.post(f"/instances/{instance.id}/retry", {"data": '{"divisor": 5}'})
    retried = state_of(engine, instance.id)
    assert retried.state == "running" and retried.data["result"] == 2.0
    assert [t.element_id for t in retried.open_tasks] == ["after"]
    page = admin.get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Failed element retried" in page and "Corrected data" in page


def test_a_retry_that_fails_again_says_so(engine, deploy, browser_as):
    deploy("script_error.bpmn", "note.schema.json")
    instance = start(engine, "script_error", divisor=0)
    answer = browser_as("ada").post(f"/instances/{instance.id}/retry", {"data": ""}, follow_redirects=True)
    assert "retried, but it failed again" in answer.get_data(as_text=True)
    assert state_of(engine, instance.id).state == "error"


def test_an_administrator_fires_a_waiting_timer_now(engine, deploy, browser_as):
    deploy("timer_interrupting.bpmn", "note.schema.json")
    instance = start(engine, "timer_interrupting")
    with engine.unit_of_work() as uow:
        [job] = uow.jobs.list(instance_id=instance.id)
    clerk_page = browser_as("claire").get(f"/instances/{instance.id}").get_data(as_text=True)
    assert "Waiting timers" in clerk_page and "48 hours" in clerk_page and "Fire now" not in clerk_page
    assert browser_as("claire").post(f"/instances/{instance.id}/timers/{job.id}/fire").status_code == 403
    admin = browser_as("ada")
    assert admin.post(f"/instances/{instance.id + 1}/timers/{job.id}/fire").status_code == 404
    assert admin.post(f"/instances/{instance.id}/timers/no-such-job/fire").status_code == 404
    assert "Fire now" in admin.get(f"/instances/{instance.id}").get_data(as_text=True)
    answer = admin.post(f"/instances/{instance.id}/timers/{job.id}/fire", follow_redirects=True)
    html = answer.get_data(as_text=True)
    assert "The timer fired; instance" in html and "Timer fired by hand" in html
    fired = state_of(engine, instance.id)
    assert fired.state == "completed" and fired.data == {"escalated": True}
