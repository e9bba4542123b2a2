"""The OpenAPI description of working together (issue 12): assignment, follow-up dates,
attachments, saved inbox filters and the inbox's finding parameters. Kept apart from the
main document's module, which adds these to its paths, schemas and parameters."""
from __future__ import annotations

from engine.attachment_storage import CONTENT_TYPES
from engine.services.inbox_query import DUE, FOLLOW_UP
from engine.services.saved_filters import CHOICES, MAX_NAME, TEXT_KEYS
from webapp.api.openapi_components import ID, MOMENT, QUERY_TEXT, TEXT, _path, _query, errors, nullable, record, ref

TASK_LIST_PARAMETERS = ("SearchTasks", "Lane", "Due", "Assignee", "FollowUp")

PARAMETERS = {
    "SearchTasks": _query("q", QUERY_TEXT, "only tasks whose name, or whose instance's business key or data, "
                                           "contains this text (case does not matter)"),
    "Lane": _query("lane", QUERY_TEXT, "only tasks of this lane"),
    "Due": _query("due", {"enum": list(DUE)}, "overdue: due before now; week: due from now to the end of this "
                                              "week (Sunday, UTC)"),
    "Assignee": _query("assignee", QUERY_TEXT, "only tasks assigned to this user name"),
    "FollowUp": _query("follow_up", {"enum": list(FOLLOW_UP), "default": "hide"},
                       "hide: tasks with a follow-up date after today are left out; only: just those; "
                       "include: both"),
    "AttachmentId": _path("attachment_id", {"type": "integer"}, "the attachment id"),
    "SavedFilterId": _path("filter_id", {"type": "integer"}, "the saved filter's id"),
}

_FILTERS = {"type": "object", "additionalProperties": False, "description": "the GET /tasks parameters it keeps",
            "properties": {**{k: {"type": "string", "maxLength": 255} for k in TEXT_KEYS},
                           **{k: {"enum": list(v)} for k, v in CHOICES.items()}}}

SCHEMAS = {
    "AssignRequest": {"type": "object", "required": ["username"], "properties": {
        "username": {"type": "string", "minLength": 1, "maxLength": 120,
                     "description": "an active holder of the task's lane role"},
        "reason": nullable("string", maxLength=10_000, description="kept in the history")},
        "example": {"username": "colin", "reason": "Claire is on leave"}},
    "FollowUpRequest": {"type": "object", "required": ["date"], "properties": {
        "date": nullable("string", format="date", description="YYYY-MM-DD; null clears it")},
        "example": {"date": "2027-02-01"}},
    "Attachment": record("A file attached to an instance (and to one of its tasks when `task_id` is set).", {
        "id": ID, "filename": TEXT, "content_type": {"enum": list(CONTENT_TYPES),
                                                     "description": "read from the bytes, not from the client"},
        "size": {"type": "integer", "minimum": 1}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "author": nullable("string"), "at": MOMENT, "task_id": nullable("string")}),
    "AttachmentUpload": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"},
        "task_id": {"type": "string", "format": "uuid", "description": "a task of this instance"}}},
    "SavedFilter": record("An inbox filter the caller saved, with its count of open tasks.", {
        "id": ID, "name": TEXT, "filters": _FILTERS,
        "count": {"type": "integer", "minimum": 0, "description": "open tasks it finds now, counted up to 1,000"},
        "count_capped": {"type": "boolean", "description": "present and true when there are more than `count`"}},
        optional=("count_capped",)),
    "SavedFilterRequest": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": MAX_NAME}, "filters": _FILTERS},
        "example": {"name": "Overdue translations", "filters": {"lane": "Translator", "due": "overdue"}}},
}


def paths(operation, ok, json_body) -> dict:
    """The paths, built with the main module's helpers (passed in: it imports this module)."""
    task_answer = {**ok(200, "the task", ref("Task"))}
    return {
        "/tasks/{task_id}/assign": {"post": operation(
            "assignTask", "tasks", "Give a task to someone",
            "Administrators and managers give any open task (even one the process gave to one person) to an "
            "active holder of its lane role; the user who claimed it may delegate it to a colleague of that role. "
            "In the history as `task_assigned` or `task_delegated` with `from`, `to`, `assignee` and `reason`. "
            "422 when that user lacks the lane role; 403 for anyone else; 409 once the task is closed.",
            {**task_answer, **errors(401, 403, 404, 409, 413, 422)}, ["TaskId"], json_body("AssignRequest"))},
        "/tasks/{task_id}/follow-up": {"post": operation(
            "setTaskFollowUp", "tasks", "Set a follow-up date",
            "Whoever may work on the task (or an administrator or manager) keeps it out of the default inbox view "
            "until that day (`follow_up=only` lists such tasks); null clears it.",
            {**task_answer, **errors(401, 403, 404, 409, 413, 422)}, ["TaskId"], json_body("FollowUpRequest"))},
        "/process-instances/{instance_id}/attachments": {
            "get": operation(
                "listAttachments", "attachments", "An instance's files", "Oldest first; for whoever may read the "
                "instance.", {**ok(200, "its files", {"type": "array", "items": ref("Attachment")}),
                              **errors(401, 403, 404)}, ["InstanceId"]),
            "post": operation(
                "uploadAttachment", "attachments", "Attach a file",
                "Multipart: the field `file`, and optionally `task_id` (a task of this instance). Anyone who may "
                "read the instance. The content type is read from the bytes; 413 over the installation's limit "
                "(SECRETARIAT_ATTACHMENT_MAX_BYTES, 10 MB by default).",
                {**ok(201, "stored", ref("Attachment"),
                      headers={"Location": {"schema": {"type": "string"}, "description": "where to download it"}}),
                 **errors(401, 403, 404, 413, 422)}, ["InstanceId"],
                {"required": True, "content": {"multipart/form-data": {"schema": ref("AttachmentUpload")}}})},
        "/attachments/{attachment_id}": {"get": operation(
            "downloadAttachment", "attachments", "Download a file",
            "Its bytes, as a download (`Content-Disposition: attachment` with a safe file name), with the content "
            "type read from them; for whoever may read its instance.",
            {"200": {"description": "the file", "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                     "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in CONTENT_TYPES}},
             **errors(401, 403, 404)}, ["AttachmentId"])},
        "/saved-filters": {
            "get": operation(
                "listSavedFilters", "saved filters", "My saved inbox filters",
                "In the order saved, each with its count of open tasks.",
                {**ok(200, "the caller's filters", {"type": "array", "items": ref("SavedFilter")}), **errors(401)}),
            "post": operation(
                "saveFilter", "saved filters", "Save an inbox filter",
                "Under a name of the caller's own; 409 when they already have one of that name.",
                {**ok(201, "saved", ref("SavedFilter")), **errors(401, 409, 413, 422)},
                body=json_body("SavedFilterRequest"))},
        "/saved-filters/{filter_id}": {"delete": operation(
            "deleteSavedFilter", "saved filters", "Delete a saved filter", "Only one's own (others' are unknown: 404).",
            {"204": {"description": "deleted"}, **errors(401, 404)}, ["SavedFilterId"])},
    }
