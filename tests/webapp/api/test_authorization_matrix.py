"""Who may read and act (API.md): every instance and task operation, as anonymous, a user with
no role, a holder of another lane, a holder of the process's lane, a manager and an
administrator; through the API and the pages alike. SQLite: these are rules, not races."""
from __future__ import annotations

import pytest

from tests.webapp.api.client import Api, start
from tests.webapp.conftest import PASSWORD

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

CALLERS = ("anonymous", "nora", "otto", "colin", "mara", "ada")  # nobody, no role, Translator, Clerk, manager, admin
READERS = {"colin", "mara", "ada"}  # claire started it; colin holds its Clerk lane


@pytest.fixture
def callers(app, engine, tokens):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("nora", [], password=PASSWORD)
        tokens = {**tokens, "nora": uow.identity.issue_token("nora")}
        uow.commit()
    return {name: Api(app, app.test_client(), {} if name == "anonymous" else
                      {"Authorization": f"Bearer {tokens[name]}"}) for name in CALLERS}


def _expected(caller: str, allowed: set[str], ok: int = 200) -> int:
    return 401 if caller == "anonymous" else ok if caller in allowed else 403


@pytest.mark.parametrize("caller", CALLERS)
def test_an_instance_its_history_and_its_tasks_are_read_only_by_those_with_a_part_in_it(
        callers, api_as, approval, caller):
    api, instance_id = callers[caller], approval["id"]
    task_id = approval["open_tasks"][0]["id"]
    assert api.get(f"/process-instances/{instance_id}").status == _expected(caller, READERS)
    assert api.get(f"/process-instances/{instance_id}/history").status == _expected(caller, READERS)
    assert api.get(f"/tasks/{task_id}").status == _expected(caller, READERS)
    listed = api.get("/process-instances")
    if caller != "anonymous":
        assert (instance_id in [i["id"] for i in listed.json["items"]]) == (caller in READERS)
        assert listed.json["total"] == len(listed.json["items"])


@pytest.mark.parametrize("caller", CALLERS)
def test_only_a_holder_of_the_lane_claims_and_completes_a_task(callers, approval, caller):
    api, task_id = callers[caller], approval["open_tasks"][0]["id"]
    claimed = api.post(f"/tasks/{task_id}/claim")
    assert claimed.status == _expected(caller, {"colin"})
    if caller == "colin":
        flags = claimed.json
        assert (flags["can_claim"], flags["can_release"], flags["can_complete"], flags["can_read_data"]) == \
            (False, True, True, True)
    completed = api.post(f"/tasks/{task_id}/complete", {"data": {"title": "Room", "amount": 3}})
    assert completed.status in ((401,) if caller == "anonymous" else (200, 422) if caller == "colin" else (403,))


@pytest.mark.parametrize("caller", CALLERS)
def test_a_message_is_delivered_only_by_administrators_and_holders_of_the_waiting_lane(
        callers, api_as, deployed, caller):
    waiting = start(api_as("claire"), "message_wait", {"order_id": "A-1"})
    answer = callers[caller].post("/messages", {"name": "payment_received", "correlation": {"order_id": "A-1"}})
    assert answer.status == _expected(caller, {"colin", "ada"}, ok=202)
    state = api_as("ada").get(f"/process-instances/{waiting['id']}").json
    assert bool(state["open_tasks"]) == (answer.status == 202), "a refused message moved the instance"


@pytest.mark.parametrize("caller", ["nora", "otto", "colin", "mara", "ada"])
def test_the_instance_pages_follow_the_same_rules(app, callers, browser_as, approval, caller):
    browser = browser_as(caller)
    expected = 200 if caller in READERS else 403
    assert browser.get(f"/instances/{approval['id']}").status_code == expected
    assert browser.get(f"/instances/{approval['id']}/diagram.bpmn").status_code == expected
    listed = browser.get("/instances").get_data(as_text=True)
    assert (f'/instances/{approval["id"]}"' in listed) == (caller in READERS)


def test_the_inbox_draws_only_what_the_engine_would_accept(app, engine, browser_as, approval):
    """colin claims; the page then offers claire neither the claim nor the form (she is a Clerk too)."""
    task_id = approval["open_tasks"][0]["id"]
    browser_as("colin").post(f"/tasks/{task_id}/claim")
    with engine.unit_of_work() as uow:
        from engine import Actor
        view = uow.tasks.get(task_id, Actor("claire", frozenset({"Clerk"})))
    assert (view.can_claim, view.can_release, view.can_complete) == (False, False, False)
    page = browser_as("claire").get(f"/tasks/{task_id}").get_data(as_text=True)
    assert f"/tasks/{task_id}/claim" not in page


@pytest.mark.parametrize("path, field", [
    ("/jobs?due_before=", "due_before"), ("/process-definitions/approval/bpmn?version=1&version=2", "version"),
    ("/tasks?state=", "state"), ("/process-instances?page=1&page=2", "page"),
])
def test_query_parameters_given_empty_or_twice_are_invalid(callers, deployed, path, field):
    """Found by schemathesis: these once answered 200 against the document."""
    answer = callers["ada"].get(path)
    assert answer.status == 422 and [e["field"] for e in answer.json["errors"]] == [field]


def test_a_nul_in_a_query_text_is_422_as_the_document_says(callers, deployed):
    import re
    from webapp.api.openapi_components import PARAMETERS
    assert re.search(PARAMETERS["ProcessKey"]["schema"]["pattern"], "a\x00b") is None
    assert callers["ada"].get("/tasks?process_key=%00").status == 422


@pytest.mark.parametrize("caller", CALLERS)
def test_an_instance_heatmap_is_read_as_the_instance_and_the_dashboard_by_managers(callers, approval, caller):
    api, instance_id = callers[caller], approval["id"]
    assert api.get(f"/process-instances/{instance_id}/heatmap").status == _expected(caller, READERS)
    assert api.get("/dashboard").status == _expected(caller, {"mara", "ada"})
    process_map = api.get("/process-definitions/approval/heatmap")
    assert process_map.status == _expected(caller, {c for c in CALLERS if c != "anonymous"})
    if caller != "anonymous":  # summed over the instances the caller may read: none for the others
        assert bool(process_map.json) == (caller in READERS)
