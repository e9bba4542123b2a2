"""Every failure under /api/ is application/problem+json, whatever raised it."""
from __future__ import annotations

import json

from tests.webapp.api.contract import check_problem


def test_an_unexpected_failure_is_a_500_problem_that_tells_nothing_of_the_server(app, api_as, monkeypatch):
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    from webapp.api import tasks

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(tasks.serializers, "page", broken)
    answer = api_as("claire").client.get("/api/v1/tasks", headers=api_as("claire").headers)
    assert answer.status_code == 500
    problem = check_problem(500, answer.mimetype, answer.get_data())
    assert "secret internals" not in json.dumps(problem)


def test_a_body_larger_than_allowed_is_413(app, api_as, deployed):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    answer = api_as("claire").post("/process-instances", {"process_key": "approval", "data": {"text": "x" * 2000}})
    assert answer.status == 413


def test_a_deployment_larger_than_allowed_is_413(app, api_as):
    import io
    app.config["MAX_CONTENT_LENGTH"] = 1000
    answer = api_as("mara").call("POST", "/deployments", data={"files": [(io.BytesIO(b"x" * 5000), "big.bpmn")]},
                                 content_type="multipart/form-data")
    assert answer.status == 413


def test_problems_name_the_status_and_say_what_went_wrong(api_as, deployed):
    answer = api_as("claire").get("/process-instances/12345")
    assert answer.json == {"type": "about:blank", "title": "Not Found", "status": 404,
                           "detail": "No process instance 12345"}
    invalid = api_as("claire").post("/process-instances", {"process_key": "approval", "data": 3})
    assert invalid.json["title"] == "Unprocessable Entity" and invalid.json["errors"] == [
        {"field": "data", "line": None, "element_id": None, "message": "must be a JSON object"}]
