"""Attachments over the API: list and upload a case's files, download one.

The upload is multipart (field `file`, optional `task_id`); the size limit and the place of the
bytes are the installation's settings; the content type is the one the bytes show (see
engine.attachment_storage), which is also what the download announces."""
from __future__ import annotations

import io

from flask import request, send_file

from engine import InvalidInput, NotFound, Problem
from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.params import instance_number, limit_body
from webapp.api.serializers import moment
from webapp.engine_access import engine, read_bounded, unit_of_work

MULTIPART_OVERHEAD = 64 * 1024  # the form's boundaries and other fields, besides the file


def attachment(view) -> dict:
    return {"id": view.id, "filename": view.filename, "content_type": view.content_type, "size": view.size,
            "sha256": view.sha256, "author": view.author, "at": moment(view.at), "task_id": view.task_id}


@bp.get("/process-instances/<instance_id>/attachments")
def list_attachments(instance_id: str):
    number = instance_number(instance_id)
    with unit_of_work() as uow:
        found = uow.attachments.list(number, actor())
    return answer([attachment(a) for a in found])


def uploaded_file():
    """(file name, bytes, task id) of the multipart upload, or 422 naming what is missing."""
    limit_body(engine().context.attachments.max_bytes + MULTIPART_OVERHEAD)
    if request.mimetype != "multipart/form-data":
        raise InvalidInput("Send the file as multipart/form-data", [Problem("a multipart field `file` is required",
                                                                            field="file")])
    given = request.files.getlist("file")
    task_id = request.form.get("task_id") or None
    problems = []
    if len(given) != 1:
        problems.append(Problem("exactly one file is required" if given else "This field is required.", field="file"))
    if task_id is not None and (len(task_id) > 36 or "\x00" in task_id):
        problems.append(Problem("is not a task id", field="task_id"))
    if problems:
        raise InvalidInput("The upload is not valid", problems)
    return given[0].filename, read_bounded(given[0]), task_id


@bp.post("/process-instances/<instance_id>/attachments")
def upload_attachment(instance_id: str):
    """201 with the stored file's description; 413 over the size limit; nothing kept on any error."""
    number = instance_number(instance_id)
    filename, content, task_id = uploaded_file()
    stored = committed(lambda uow: uow.attachments.add(number, actor(), filename, content, task_id))
    return answer(attachment(stored), 201, {"Location": f"/api/v1/attachments/{stored.id}"})


@bp.get("/attachments/<attachment_id>")
def download_attachment(attachment_id: str):
    try:
        number = instance_number(attachment_id)  # the same range of ids
    except NotFound:
        raise NotFound(f"No attachment {attachment_id}") from None
    with unit_of_work() as uow:
        found = uow.attachments.open(number, actor())
    response = send_file(io.BytesIO(found.content), mimetype=found.attachment.content_type, as_attachment=True,
                         download_name=found.attachment.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
