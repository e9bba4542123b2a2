"""Who may call the API: a bearer token, or a browser session whose changes carry the CSRF token."""
from __future__ import annotations


def test_an_anonymous_call_gets_401_problem_json_not_the_login_page(api_as):
    answer = api_as(None).get("/tasks")
    assert answer.status == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json["status"] == 401 and answer.json["title"] == "Unauthorized"
    assert "Location" not in answer.headers


def test_every_operation_but_the_documentation_answers_401_to_an_anonymous_caller(api_as):
    from webapp.api.openapi import DOCUMENT
    anonymous = api_as(None)
    ids = {"key": "approval", "instance_id": "1", "task_id": "00000000-0000-4000-8000-000000000000",
           "job_id": "00000000-0000-4000-8000-000000000000"}
    ids.update(attachment_id="1", filter_id="1")  # issue 12's attachments and saved filters
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if operation.get("security") == []:
                continue
            answer = anonymous.call(method.upper(), path.format(**ids))
            assert answer.status == 401, (method, path, answer)


def test_a_wrong_bearer_token_gets_401(app, deployed):
    from tests.webapp.api.client import Api
    answer = Api(app, app.test_client(), {"Authorization": "Bearer not-a-real-token"}).get("/process-definitions")
    assert answer.status == 401


def test_anonymous_changes_get_401_before_anything_else(api_as, approval):
    anonymous = api_as(None)
    assert anonymous.post("/process-instances", {"process_key": "approval"}).status == 401
    assert anonymous.post(f"/tasks/{approval['open_tasks'][0]['id']}/complete", {"data": {}}).status == 401
    assert anonymous.post("/deployments").status == 401


def test_a_bearer_token_needs_no_csrf_token(api_as, deployed):
    answer = api_as("claire").post("/process-instances", {"process_key": "approval"})
    assert answer.status == 201
    assert "Set-Cookie" not in answer.headers


def test_me_tells_who_calls_and_gives_a_session_its_csrf_token(api_as, session_api):
    by_token = api_as("diane").get("/me").json
    assert by_token == {"username": "diane", "display_name": "Diane", "roles": ["Director"], "csrf_token": None}
    by_session = session_api("claire", csrf=False).get("/me").json
    assert by_session["username"] == "claire" and by_session["csrf_token"]


def test_a_session_reads_without_csrf_but_changes_only_with_it(session_api, deployed):
    without = session_api("claire", csrf=False)
    assert without.get("/process-definitions").status == 200
    refused = without.post("/process-instances", {"process_key": "approval"})
    assert refused.status == 403 and "CSRF" in refused.json["detail"]
    assert without.get("/process-instances").json["total"] == 0
    accepted = session_api("claire", csrf=True).post("/process-instances", {"process_key": "approval"})
    assert accepted.status == 201


def test_a_session_change_with_a_forged_csrf_token_is_refused(session_api, deployed):
    forged = session_api("claire", csrf=False)
    answer = forged.post("/process-instances", {"process_key": "approval"}, headers={"X-CSRFToken": "forged"})
    assert answer.status == 403


def test_the_csrf_token_from_me_works_for_changes(session_api, deployed):
    api = session_api("claire", csrf=False)
    token = api.get("/me").json["csrf_token"]
    answer = api.post("/process-instances", {"process_key": "approval"}, headers={"X-CSRFToken": token})
    assert answer.status == 201


def test_unknown_paths_and_methods_answer_problem_json(api_as):
    api = api_as("claire")
    assert api.get("/no-such-thing").status == 404
    wrong_method = api.call("DELETE", "/tasks")
    assert wrong_method.status == 405 and "GET" in wrong_method.headers["Allow"]


def test_a_session_form_post_may_carry_the_csrf_token_as_a_field(session_api):
    import io

    from tests.conftest import FIXTURES
    api = session_api("mara", csrf=False)
    files = [(io.BytesIO((FIXTURES / name).read_bytes()), name)
             for name in ("approval.bpmn", "request.schema.json", "review.schema.json")]
    without = api.call("POST", "/deployments", data={"files": files}, content_type="multipart/form-data")
    assert without.status == 403
    files = [(io.BytesIO((FIXTURES / name).read_bytes()), name)
             for name in ("approval.bpmn", "request.schema.json", "review.schema.json")]
    token = api.get("/me").json["csrf_token"]
    answer = api.call("POST", "/deployments", data={"files": files, "csrf_token": token},
                      content_type="multipart/form-data")
    assert answer.status == 201
