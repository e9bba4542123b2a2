"""A process nobody shipped, deployed and run over the API alone: real HTTP, bearer tokens only."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.webapp.api.http_client import HttpApi

BPMN = Path(__file__).parent / "bpmn"
FILES = ["credentials_examination.bpmn", "credentials_received.schema.json", "credentials_examination.schema.json",
         "credentials_record.schema.json"]
RECEIVED = {"delegation": "Republic of Example", "received_on": "2027-01-04", "issued_by": "Head of State",
            "documents": ["letter of credentials", "list of delegates"]}


@pytest.fixture
def people(app, engine, live_server, tokens):
    """HTTP clients for the manager, an administrator, and one new user per lane of the process."""
    with engine.unit_of_work() as uow:
        uow.identity.add_user("rita", ["Registry"])
        uow.identity.add_user("leon", ["Legal Adviser"])
        issued = {name: uow.identity.issue_token(name) for name in ("rita", "leon")}
        uow.commit()
    issued.update(mara=tokens["mara"], ada=tokens["ada"])
    return {name: HttpApi(app, live_server, token) for name, token in issued.items()}


def the_open_task(api: HttpApi, instance_id: int) -> dict:
    [task] = api.get(f"/tasks?process_instance_id={instance_id}").json["items"]
    return task


def test_a_process_deployed_over_http_runs_start_to_end_with_bearer_tokens(people):
    deployed = people["mara"].deploy([(name, (BPMN / name).read_bytes()) for name in FILES])
    assert deployed.status == 201, deployed.text
    assert deployed.json["definitions"] == [{"key": "credentials_examination", "version": 1, "new": True}]
    rita, leon = people["rita"], people["leon"]
    assert [d["can_start"] for d in rita.get("/process-definitions").json] == [True]
    assert [d["can_start"] for d in leon.get("/process-definitions").json] == [False]
    assert leon.post("/process-instances", {"process_key": "credentials_examination"}).status == 403

    started = rita.post("/process-instances", {"process_key": "credentials_examination",
                                               "business_key": "ASP-26/credentials/1"})
    assert started.status == 201
    instance_id = started.json["id"]
    received = the_open_task(rita, instance_id)
    assert received["form"]["schema"]["required"] == ["delegation", "received_on", "issued_by", "documents"]
    assert rita.post(f"/tasks/{received['id']}/complete", {"data": {"delegation": ""}}).status == 422
    assert rita.post(f"/tasks/{received['id']}/complete", {"data": RECEIVED}).status == 200

    assert rita.get(f"/tasks?process_instance_id={instance_id}").json["total"] == 0
    examination = the_open_task(leon, instance_id)
    assert examination["lane"] == "Legal Adviser"
    assert examination["instructions"] == ("Examine the credentials of **Republic of Example** (2 documents), "
                                           "received on 2027-01-04.")
    assert leon.post(f"/tasks/{examination['id']}/claim").json["assignee"] == "leon"
    done = leon.post(f"/tasks/{examination['id']}/complete", {"data": {"in_order": True}}).json
    assert [t["element_id"] for t in done["process_instance"]["open_tasks"]] == ["record_acceptance"]

    record = the_open_task(rita, instance_id)
    finished = rita.post(f"/tasks/{record['id']}/complete", {"data": {"reference": "CR/2027/001"}}).json
    instance = finished["process_instance"]
    assert instance["state"] == "completed" and instance["open_tasks"] == []
    assert instance["data"] == {**RECEIVED, "in_order": True, "reference": "CR/2027/001"}
    assert "end_accepted" in instance["completed_elements"]
    assert "request_originals" not in instance["completed_elements"]

    history = rita.get(f"/process-instances/{instance_id}/history").json
    completions = [(e["actor"], e["element_id"]) for e in history if e["event"] == "task_completed"]
    assert completions == [("rita", "receive_credentials"), ("leon", "examine_credentials"),
                           ("rita", "record_acceptance")]
    assert history[0]["event"] == "started" and history[-1]["event"] == "completed"
    listed = rita.get("/process-instances?business_key=ASP-26/credentials/1").json
    assert [i["state"] for i in listed["items"]] == ["completed"]


def test_credentials_not_in_due_form_take_the_other_branch(people):
    assert people["mara"].deploy([(name, (BPMN / name).read_bytes()) for name in FILES]).status == 201
    rita, leon = people["rita"], people["leon"]
    instance_id = rita.post("/process-instances", {"process_key": "credentials_examination"}).json["id"]
    rita.post(f"/tasks/{the_open_task(rita, instance_id)['id']}/complete", {"data": RECEIVED})
    leon.post(f"/tasks/{the_open_task(leon, instance_id)['id']}/complete",
              {"data": {"in_order": False, "remarks": "signature missing"}})
    request = the_open_task(rita, instance_id)
    assert request["element_id"] == "request_originals"
    assert request["instructions"].endswith("signature missing")
    rita.post(f"/tasks/{request['id']}/complete", {"data": {"reference": "CR/2027/002"}})
    assert rita.get(f"/process-instances/{instance_id}").json["state"] == "completed"
