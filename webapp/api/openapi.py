"""The OpenAPI 3.1 document of the API, written once as data.

It is served at /api/v1/openapi.json, rendered for people at /api/v1/docs, and the tests
check every answer of the app against it, so it describes the API as implemented."""
from __future__ import annotations

from webapp.api import migration, openapi_dashboard
from webapp.api import openapi_collaboration as collaboration
from webapp.api.blueprint import answer, bp
from webapp.api.openapi_components import (
    PARAMETERS, RESPONSES, SCHEMAS, SECURITY_SCHEMES, array_of, errors, ref,
)

JSON = "application/json"


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _ok(status: int, description: str, schema: dict, media: str = JSON, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {media: {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return {str(status): response}


def _json_body(name: str, required: bool = True) -> dict:
    return {"required": required, "content": {JSON: {"schema": ref(name)}}}


def _operation(operation_id: str, tag: str, summary: str, description: str, responses: dict,
               params=(), body: dict | None = None, public: bool = False) -> dict:
    operation = {"operationId": operation_id, "tags": [tag], "summary": summary, "description": description,
                 "responses": responses}
    if params:
        operation["parameters"] = [_param(p) for p in params]
    if body:
        operation["requestBody"] = body
    if public:
        operation["security"] = []
    return operation


_INSTANCE = ref("Instance")
_ADMIN_ONLY = "Administrators only. The optional `reason` is kept in the history."
_CHANGE_ERRORS = (401, 403, 404, 409, 413, 422)

PATHS = {
    "/me": {"get": _operation(
        "whoAmI", "session", "The caller", "Who is signed in, with the CSRF token that a browser session's "
        "changes need.", {**_ok(200, "the caller", ref("Me")), **errors(401)})},
    "/me/notifications": {
        "get": _operation(
            "getMyNotifications", "session", "My notification preferences",
            "The caller's e-mail address and which e-mails they want: `task_ready` each at once, in a daily "
            "digest, or none; mentions, overdue tasks and the end of instances they started, on or off.",
            {**_ok(200, "the preferences", ref("NotificationPreferences")), **errors(401)}),
        "put": _operation(
            "changeMyNotifications", "session", "Change my notification preferences",
            "Fields left out keep their value; `email` null or empty removes the address (no e-mail then).",
            {**_ok(200, "the preferences", ref("NotificationPreferences")), **errors(401, 403, 413, 422)},
            body=_json_body("NotificationPreferencesRequest"))},
    "/tokens/current": {"delete": _operation(
        "revokeCurrentToken", "session", "Revoke this token",
        "The bearer token used for this request stops working. 403 for a browser session (no token).",
        {"204": {"description": "revoked"}, **errors(401, 403)})},
    "/process-definitions": {"get": _operation(
        "listDefinitions", "definitions", "Latest version of each process",
        "With `can_start`: whether the caller may start it.",
        {**_ok(200, "latest versions, by key", array_of("Definition")), **errors(401)})},
    "/process-definitions/{key}": {"get": _operation(
        "listDefinitionVersions", "definitions", "A process's versions", "Newest first.",
        {**_ok(200, "every version", array_of("DefinitionVersion")), **errors(401, 404)}, ["Key"])},
    "/process-definitions/{key}/bpmn": {"get": _operation(
        "getDefinitionBpmn", "definitions", "A version's BPMN XML", "The latest version unless `version` is given.",
        {**_ok(200, "the BPMN 2.0 XML", {"type": "string"}, "application/xml"), **errors(401, 404, 422)},
        ["Key", "Version"])},
    "/deployments": {"post": _operation(
        "deploy", "definitions", "Deploy BPMN, DMN and form files",
        "Process managers only. Multipart, the field `files` repeated: `.bpmn`, `.dmn`, `.json` forms, or one "
        "`.zip` of them. The whole deployment is validated first; on any problem nothing is deployed and the "
        "422 answer lists each problem with its file, line and element id. An unchanged file makes no new version. "
        "With `based_on` (`KEY:VERSION`, repeated), a deployment is refused with 409 when a newer version of KEY "
        "was deployed meanwhile: `newer_versions` says who deployed which version when; nothing is stored.",
        {**_ok(201, "deployed", ref("Deployment")), **errors(401, 403, 409, 413, 422)},
        body={"required": True, "content": {"multipart/form-data": {
            "schema": ref("DeploymentUpload"),
            "encoding": {"files": {"contentType": "application/octet-stream"}}}}})},
    "/process-instances": {
        "post": _operation(
            "startInstance", "instances", "Start a process",
            "Needs the role of the process's first lane (see `can_start`). Runs it to its first wait state.",
            {**_ok(201, "the new instance", _INSTANCE,
                   headers={"Location": {"schema": {"type": "string"}, "description": "the instance's URL"}}),
             **errors(401, 403, 404, 413, 422)}, body=_json_body("StartRequest")),
        "get": _operation(
            "listInstances", "instances", "Process instances", "Newest first; only those the caller may read.",
            {**_ok(200, "one page", ref("InstancePage")), **errors(401, 422)},
            ["ProcessKey", "InstanceState", "BusinessKey", "Page", "PerPage"])},
    "/process-instances/{instance_id}": {"get": _operation(
        "getInstance", "instances", "A process instance",
        "With its open tasks and element progress. Readable by whoever started it or worked on one of its tasks, "
        "holders of one of its process's lane roles, managers and administrators; 403 for anyone else.",
        {**_ok(200, "the instance", _INSTANCE), **errors(401, 403, 404)}, ["InstanceId"])},
    **{f"/process-instances/{{instance_id}}/{verb}": {"post": _operation(
        f"{verb}Instance", "instances", f"{verb.title()} an instance", _ADMIN_ONLY,
        {**_ok(200, "the instance", _INSTANCE), **errors(*_CHANGE_ERRORS)}, ["InstanceId"],
        _json_body("ReasonRequest", required=False))} for verb in ("cancel", "suspend", "resume")},
    "/process-instances/{instance_id}/retry": {"post": _operation(
        "retryInstance", "instances", "Retry a failed element",
        "Administrators only, for an instance in `error`: runs the failed element again, with `data` merged "
        "into it first.", {**_ok(200, "the instance", _INSTANCE), **errors(*_CHANGE_ERRORS)}, ["InstanceId"],
        _json_body("RetryRequest", required=False))},
    "/process-instances/{instance_id}/history": {"get": _operation(
        "getInstanceHistory", "instances", "An instance's history",
        "Oldest first. For those who may read the instance; 403 for anyone else.",
        {**_ok(200, "the audit trail", array_of("HistoryEvent")), **errors(401, 403, 404)}, ["InstanceId"])},
    **migration.PATHS,
    "/process-instances/{instance_id}/comments": {
        "get": _operation(
            "listComments", "instances", "An instance's comments",
            "One thread, oldest first; `task_id` says which of its tasks a comment is about, if any. For those "
            "who may read the instance; 403 for anyone else.",
            {**_ok(200, "the comments", array_of("Comment")), **errors(401, 403, 404)}, ["InstanceId"]),
        "post": _operation(
            "addComment", "instances", "Comment on an instance",
            "Anyone who may read the instance. `body` is Markdown (shown without raw HTML), at most 10,000 "
            "characters; `task_id`, optional, must be a task of this instance (422 otherwise). Each `@username` "
            "of a user who may read the instance is told by e-mail (when mail is set up and they want it).",
            {**_ok(201, "the comment", ref("Comment"),
                   headers={"Location": {"schema": {"type": "string"}, "description": "the thread's URL"}}),
             **errors(401, 403, 404, 413, 422)}, ["InstanceId"], _json_body("CommentRequest"))},
    "/messages": {"post": _operation(
        "sendMessage", "messages and timers", "Send a message",
        "Delivered to every running instance waiting for `name` whose correlation values match (and only to "
        "`process_instance_id` if given) that the caller may act on: administrators, or holders of the role of the "
        "waiting event's lane (of the process's lanes when it has none). 404 when none waits for it; 403, and "
        "nothing delivered, when those waiting are not the caller's to move.",
        {**_ok(202, "delivered", ref("Delivery")), **errors(401, 403, 404, 409, 413, 422)},
        body=_json_body("MessageRequest"))},
    "/jobs": {"get": _operation(
        "listJobs", "messages and timers", "Waiting timers", "Of running instances, soonest first.",
        {**_ok(200, "waiting timers", array_of("Job")), **errors(401, 422)},
        ["ProcessInstanceFilter", "DueBefore"])},
    "/jobs/{job_id}/execute": {"post": _operation(
        "executeJob", "messages and timers", "Fire a timer now",
        "Administrators only: fires the timer as when its time comes.",
        {**_ok(200, "the instance, advanced", _INSTANCE), **errors(401, 403, 404, 409)}, ["JobId"])},
    "/tasks": {"get": _operation(
        "listTasks", "tasks", "Human tasks", "Oldest first.",
        {**_ok(200, "one page", ref("TaskPage")), **errors(401, 422)},
        ["Scope", "ProcessInstanceFilter", "ProcessKey", "TaskState", *collaboration.TASK_LIST_PARAMETERS, "After",
         "Page", "PerPage"])},
    "/tasks/{task_id}": {"get": _operation(
        "getTask", "tasks", "A task", "With its form and data; 403 for a task of another role.",
        {**_ok(200, "the task", ref("Task")), **errors(401, 403, 404)}, ["TaskId"])},
    "/tasks/{task_id}/claim": {"post": _operation(
        "claimTask", "tasks", "Claim a task", "Only a candidate (a holder of its lane's role). 409 if someone "
        "else holds it or it is no longer open.",
        {**_ok(200, "the task", ref("Task")), **errors(401, 403, 404, 409)}, ["TaskId"])},
    "/tasks/{task_id}/unclaim": {"post": _operation(
        "unclaimTask", "tasks", "Release a task", "Its assignee or an administrator.",
        {**_ok(200, "the task", ref("Task")), **errors(401, 403, 404, 409)}, ["TaskId"])},
    "/tasks/{task_id}/complete": {"post": _operation(
        "completeTask", "tasks", "Complete a task",
        "Its assignee, or a candidate if unclaimed. `data` must be valid for the form (422 lists each invalid "
        "field). 409, with the task's `state`, when it is already completed: of two people completing it at "
        "once, one wins.",
        {**_ok(200, "the task and its instance", ref("Completion")), **errors(*_CHANGE_ERRORS)}, ["TaskId"],
        _json_body("CompleteRequest", required=False))},
    "/users": {"get": _operation(
        "listUsers", "directory", "The directory", "Active users, by display name, for pickers; any signed-in "
        "user. Form fields with `x-directory-role` accept the `username` of an active holder of that role.",
        {**_ok(200, "one page", ref("UserPage")), **errors(401, 422)}, ["Role", "SearchText", "Page", "PerPage"])},
    "/openapi.json": {"get": _operation(
        "getOpenApiDocument", "documentation", "This document", "OpenAPI 3.1.",
        _ok(200, "the document", {"type": "object"}), public=True)},
    "/docs": {"get": _operation(
        "getDocumentation", "documentation", "This document, for people", "An HTML page.",
        _ok(200, "the page", {"type": "string"}, "text/html"), public=True)},
}
PATHS.update(collaboration.paths(_operation, _ok, _json_body))

PATHS.update(openapi_dashboard.paths(_operation, _ok))
SCHEMAS.update(openapi_dashboard.SCHEMAS)
PARAMETERS.update(openapi_dashboard.PARAMETERS)

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "ASP Secretariat workflow API", "version": "1.0.0", "description": (
        "Drive the Secretariat's workflow engine: deploy processes, start instances, work on tasks, send "
        "messages and fire timers. Sign in with a browser session (changes need the CSRF token as "
        "`X-CSRFToken`) or send `Authorization: Bearer <token>`. Errors are `application/problem+json` "
        "(RFC 9457); 422 answers list each invalid field or file in `errors`.")},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerToken": []}, {"sessionCookie": []}],
    "tags": [{"name": n} for n in ("session", "definitions", "instances", "tasks", "directory", "messages and timers",
                                   "attachments", "saved filters", "dashboard", "documentation")],
    "paths": PATHS,
    "components": {"schemas": {**SCHEMAS, **migration.SCHEMAS, **collaboration.SCHEMAS},
                   "parameters": {**PARAMETERS, **collaboration.PARAMETERS}, "responses": RESPONSES,
                   "securitySchemes": SECURITY_SCHEMES},
}


@bp.get("/openapi.json")
def openapi_document():
    return answer(DOCUMENT)
