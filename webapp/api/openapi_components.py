"""The reusable parts of the OpenAPI document: schemas, parameters, error answers, security.

Answer schemas are closed (`additionalProperties: false`) and list every property as
required (unless marked optional), so the tests that check each answer against them catch
any drift between the document and the code in either direction."""
from __future__ import annotations

from engine.notifications.recipients import TASK_READY_CHOICES
from engine.services.runtime import INSTANCE_STATES
from engine.services.tasks import SCOPES, TASK_STATES
from webapp.api.params import MAX_ID, MAX_PER_PAGE, MAX_TEXT

PROBLEM_JSON = "application/problem+json"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **more) -> dict:
    return {"type": [kind, "null"], **more}


TEXT = {"type": "string"}
MOMENT = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1}
DATA = {"type": "object", "description": "Process data: any JSON object."}


def record(description: str, properties: dict, optional=()) -> dict:
    return {"type": "object", "description": description, "properties": properties,
            "required": [k for k in properties if k not in optional], "additionalProperties": False}


def array_of(name: str) -> dict:
    return {"type": "array", "items": ref(name)}


def _page_of(name: str, what: str) -> dict:
    return record(f"One page of {what}, in a stable order.", {
        "items": array_of(name), "total": {"type": "integer", "minimum": 0, "description": "across all pages"},
        "page": ID, "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}})


_DEFINITION = {
    "key": TEXT, "name": TEXT, "version": ID, "id": ID, "deployed_at": MOMENT, "deployed_by": nullable("string"),
    "note": nullable("string"),
    "can_start": {"type": "boolean", "description": "whether the caller may start it (holds the role of its "
                                                    "first lane, or is an administrator)"},
}

_TASK = {
    "id": {"type": "string", "format": "uuid"}, "name": TEXT, "element_id": TEXT, "process_instance_id": ID,
    "process_key": TEXT, "lane": nullable("string", description="the role that may do it"),
    "candidate_groups": {"type": "array", "items": TEXT}, "assignee": nullable("string"),
    "state": {"enum": list(TASK_STATES)}, "created_at": MOMENT, "due_at": nullable("string", format="date-time"),
    "instructions": nullable("string", description="Markdown, with its Jinja filled in over the task data"),
    "form": {"oneOf": [ref("Form"), {"type": "null"}]}, "data": DATA,
    "can_claim": {"type": "boolean", "description": "whether the caller may claim it now"},
    "can_release": {"type": "boolean", "description": "whether the caller may release (unclaim) it now"},
    "can_complete": {"type": "boolean", "description": "whether the caller may complete it now"},
    "can_read_data": {"type": "boolean", "description": "whether the caller may read its data"},
    "can_assign": {"type": "boolean", "description": "whether the caller may give it to someone else now "
                                                     "(POST /tasks/{id}/assign)"},
    "follow_up": nullable("string", format="date", description="hidden from the default inbox view until this day"),
}

_INSTANCE = {
    "id": ID, "process_key": TEXT, "version": ID, "business_key": nullable("string"),
    "state": {"enum": list(INSTANCE_STATES)}, "data": DATA, "started_by": nullable("string"), "started_at": MOMENT,
    "ended_at": nullable("string", format="date-time"), "open_tasks": array_of("Task"),
    "completed_elements": {"type": "array", "items": TEXT}, "active_elements": {"type": "array", "items": TEXT},
}

_PREFERENCES = {
    "email": nullable("string", maxLength=320, description="where e-mails go; none without it"),
    "task_ready": {"enum": list(TASK_READY_CHOICES), "description": "tasks ready for me (assigned, or in my "
                                                                     "roles): each at once, a daily digest, or none"},
    "mentions": {"type": "boolean", "description": "`@me` in a comment"},
    "overdue": {"type": "boolean", "description": "my tasks (or my roles' open tasks) past their due time"},
    "instance_ended": {"type": "boolean", "description": "instances I started, completed or stopped on an error"},
}

SCHEMAS = {
    "Problem": {
        "type": "object", "description": "An error, as RFC 9457 problem details.",
        "properties": {
            "type": TEXT, "title": TEXT, "status": {"type": "integer"}, "detail": TEXT,
            "errors": {**array_of("ProblemItem"), "description": "422: one entry per invalid field or file"},
            "state": {**TEXT, "description": "409: the state of the task or instance that refused the action"},
            "newer_versions": {"type": "array", "description": "409 of a deployment `based_on` an older version: "
                               "per process, who deployed which version when", "items": {
                                   "type": "object", "additionalProperties": False, "properties": {
                                       "key": TEXT, "based_on": {"type": "integer"},
                                       "latest_version": {"type": "integer"}, "deployed_by": nullable("string"),
                                       "deployed_by_name": nullable("string"), "deployed_at": TEXT}}}},
        "required": ["type", "title", "status", "detail"], "additionalProperties": False},
    "ProblemItem": {
        **record("One invalid field (`field`) or place in a deployed file (`file`, `line`, `element_id`).", {
            "field": TEXT, "file": TEXT, "line": nullable("integer"), "element_id": nullable("string"),
            "message": TEXT, "rule": {**TEXT, "description": "a structural rule broken by the element "
                                                           "(engine/bpmn/structure_rules.json)"}},
            optional=("field", "file", "rule")),
        "anyOf": [{"required": ["field"]}, {"required": ["file"]}]},
    "Me": record("The caller.", {
        "username": TEXT, "display_name": TEXT, "roles": {"type": "array", "items": TEXT},
        "csrf_token": nullable("string", description="for a browser session: send it as X-CSRFToken with changes; "
                                                     "null with a bearer token")}),
    "Definition": record("The latest version of a process definition.", _DEFINITION),
    "DefinitionVersion": record("One version of a process definition.", {
        **_DEFINITION, "instance_count": {"type": "integer", "minimum": 0}}),
    "Deployment": record("What a deployment made: a new version for each changed process, none for unchanged.", {
        "id": nullable("integer"),
        "definitions": {"type": "array", "items": record("A deployed process.", {
            "key": TEXT, "version": ID,
            "new": {"type": "boolean", "description": "false: unchanged, no new version"}})},
        "forms": {"type": "array", "items": TEXT, "description": "form files in the deployment"},
        "warnings": {**array_of("ProblemItem"), "description":
                     "deployed with a remark: BPMN schema findings, translated conditions, vendor attributes "
                     "not honoured, processes of a file left out"}}),
    "Form": record("A task's JSON-Schema form.", {
        "schema": nullable("object", description="JSON Schema of the data to submit"),
        "ui_schema": {"type": "object", "description": "layout hints, possibly empty"}}),
    "Task": record("A human task.", _TASK),
    "TaskPage": {**_page_of("Task", "tasks"), "properties": {
        **_page_of("Task", "tasks")["properties"],
        "total_capped": {"type": "boolean", "description": "present and true when there are more than `total` "
                                                           "(counts stop at 1,000)"},
        "next": {"type": "string", "description": "cursor of the next page: pass it as `after`; absent on the last "
                                                  "page and when ordered otherwise than by creation"}}},
    "DirectoryUser": record("An active user, for pickers; form fields that name people store the `username`.", {
        "username": TEXT, "display_name": TEXT, "roles": {"type": "array", "items": TEXT}}),
    "UserPage": _page_of("DirectoryUser", "users, by display name"),
    "Instance": record("A process instance.", _INSTANCE),
    "InstancePage": _page_of("Instance", "process instances"),
    "HistoryEvent": record("One event of an instance's audit trail.", {
        "at": MOMENT, "actor": nullable("string"), "event": TEXT, "element_id": nullable("string"),
        "task_id": nullable("string"), "data": {"type": "object"}}, optional=("data",)),
    "Comment": record("A comment in an instance's thread.", {
        "id": ID, "author": {**TEXT, "description": "the author's user name"}, "at": MOMENT,
        "body": {**TEXT, "description": "Markdown"},
        "task_id": nullable("string", format="uuid", description="the task it is about, if any")}),
    "CommentRequest": {"type": "object", "required": ["body"], "additionalProperties": False, "properties": {
        "body": {"type": "string", "minLength": 1, "maxLength": 10_000,
                 "description": "Markdown; `@username` mentions notify"},
        "task_id": nullable("string", format="uuid", description="a task of this instance")},
        "example": {"body": "@edith, the French version is ready for editing."}},
    "NotificationPreferences": record("Which e-mails the caller gets, and where.", _PREFERENCES),
    "NotificationPreferencesRequest": {"type": "object", "additionalProperties": False,
                                       "properties": _PREFERENCES, "example": {"task_ready": "daily_digest"}},
    "Job": record("A waiting timer.", {
        "id": {"type": "string", "format": "uuid"}, "process_instance_id": ID, "element_id": TEXT, "due_at": MOMENT}),
    "Delivery": record("Where a message went.", {"delivered_to": {"type": "array", "items": ID}}),
    "Completion": record("A completed task and its instance, advanced to its next wait.", {
        "task": ref("Task"), "process_instance": ref("Instance")}),
    "StartRequest": {"type": "object", "required": ["process_key"], "properties": {
        "process_key": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "version": nullable("integer", minimum=1, maximum=MAX_ID, description="default: the latest"),
        "data": nullable("object", description="start data"),
        "business_key": nullable("string", maxLength=MAX_TEXT)},
        "example": {"process_key": "document_processing", "business_key": "ICC-ASP/23/1", "data": {}}},
    "ReasonRequest": {"type": "object", "properties": {"reason": nullable("string", maxLength=10_000)}},
    "RetryRequest": {"type": "object", "properties": {
        "data": nullable("object", description="corrected data, merged in before the retry")}},
    "CompleteRequest": {"type": "object", "properties": {
        "data": nullable("object", description="valid for the task's form")}, "example": {"data": {"approved": True}}},
    "MessageRequest": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "process_instance_id": nullable("integer", minimum=1, maximum=MAX_ID),
        "correlation": nullable("object", description="values the waiting instance must match"),
        "data": nullable("object", description="the payload")}},
    "DeploymentUpload": {"type": "object", "required": ["files"], "properties": {
        "files": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "binary"},
                  "description": ".bpmn, .bpmn20.xml, .dmn and .json form files, or one .zip of them; a file of "
                                 "any other kind (by its name's ending, which this schema cannot express) is "
                                 "refused with 422"},
        "note": {"type": "string", "description": "change note kept with the deployment"},
        "based_on": {"type": "array", "items": {"type": "string", "pattern": "^.+:[0-9]+$"},
                     "description": "KEY:VERSION, the version each changed process was edited from: 409 when a "
                                    "newer version of KEY was deployed meanwhile; a malformed value is 422"}}},
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


# Query texts are kept in database columns, which hold no NUL character: such a value is refused (422).
QUERY_TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}

PARAMETERS = {
    "Key": _path("key", TEXT, "the process key (its BPMN process id)"),
    "InstanceId": _path("instance_id", {"type": "integer"}, "the instance id; anything else is unknown (404)"),
    "TaskId": _path("task_id", {"type": "string", "format": "uuid"}, "the task id"),
    "JobId": _path("job_id", {"type": "string", "format": "uuid"}, "the waiting timer's id"),
    "After": _query("after", TEXT, "the `next` cursor of the previous page (pages without counting rows)"),
    "Page": _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_ID, "default": 1}, "1 is the first"),
    "PerPage": _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
                      f"items per page, at most {MAX_PER_PAGE}"),
    "ProcessKey": _query("process_key", QUERY_TEXT, "only instances of this process"),
    "Role": _query("role", QUERY_TEXT, "only users holding this role (a lane name, `manager` or `admin`)"),
    "SearchText": _query("q", QUERY_TEXT, "only users whose user name or display name contains this text"),
    "ProcessInstanceFilter": _query("process_instance_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                                    "only those of this instance"),
    "Version": _query("version", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "default: the latest"),
    "InstanceState": _query("state", {"enum": list(INSTANCE_STATES)}, "only instances in this state"),
    "BusinessKey": _query("business_key", QUERY_TEXT, "only instances with this business key"),
    "Scope": _query("scope", {"enum": list(SCOPES), "default": "candidate"},
                    "mine: assigned to me; candidate: mine or claimable by my roles; all: all I may see"),
    "TaskState": _query("state", {"enum": list(TASK_STATES), "default": "open"}, "the tasks' state"),
    "DueBefore": _query("due_before", MOMENT, "only timers due at or before this time"),
}

_ERRORS = {401: ("Unauthorized", "Not signed in: no session, or no valid bearer token."),
           403: ("Forbidden", "Not allowed for the caller's roles, or (session cookie) a change without CSRF token."),
           404: ("NotFound", "Unknown id or key."),
           409: ("Conflict", "Already done, changed meanwhile, or not in a state for this action; `state` says "
                             "which state."),
           413: ("TooLarge", "The body is too large: JSON bodies up to 16 MB, deployments up to 51 MB."),
           422: ("InvalidInput", "Invalid input: `errors` lists each invalid field or file.")}

RESPONSES = {name: {"description": text, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}
             for name, text in _ERRORS.values()}


def errors(*statuses: int) -> dict:
    return {str(s): {"$ref": f"#/components/responses/{_ERRORS[s][0]}"} for s in statuses}


SECURITY_SCHEMES = {
    "bearerToken": {"type": "http", "scheme": "bearer",
                    "description": "A token from `secretariat users token NAME`; no CSRF token needed."},
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                      "description": "The browser session after signing in at /login. Requests that change state "
                                     "must send the session's CSRF token (GET /api/v1/me) as `X-CSRFToken`."},
}
