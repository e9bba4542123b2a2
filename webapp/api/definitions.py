"""Process definitions (latest, versions, BPMN) and deployments of BPMN, DMN and form files."""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from flask import current_app, request

from engine import InvalidDeployment, Problem
from engine.bundle import MAX_BUNDLE_BYTES, Bundle, kind_of
from webapp.api import serializers
from webapp.api.access import actor
from webapp.api.actions import committed
from webapp.api.blueprint import answer, bp
from webapp.api.params import MAX_TEXT, Query, definition_key, limit_body
from webapp.engine_access import unit_of_work


@bp.get("/process-definitions")
def list_definitions():
    with unit_of_work() as uow:
        views = uow.repository.latest()
    return answer([serializers.definition(v, actor()) for v in views])


@bp.get("/process-definitions/<key>")
def definition_versions(key: str):
    with unit_of_work() as uow:
        views = uow.repository.versions(definition_key(key))
    return answer([serializers.definition(v, actor(), with_count=True) for v in views])


@bp.get("/process-definitions/<key>/bpmn")
def definition_bpmn(key: str):
    query = Query()
    version = query.integer("version")
    query.done()
    with unit_of_work() as uow:
        xml = uow.repository.bpmn_xml(definition_key(key), version)
    return current_app.response_class(xml, mimetype="application/xml")


def _name_problem(name: str) -> str | None:
    if "\x00" in name or len(name) > MAX_TEXT:
        return f"a file name must be at most {MAX_TEXT} characters, without NUL"
    return None


def _zip_problems(name: str, content: bytes) -> list[Problem]:
    """Names inside a zip that the database could not keep (the engine reads the rest of it)."""
    try:
        members = [PurePosixPath(m).name for m in zipfile.ZipFile(io.BytesIO(content)).namelist()]
    except (zipfile.BadZipFile, ValueError):
        return []  # the engine reports an unreadable zip
    return [Problem(problem, file=f"{name}/{member.replace(chr(0), '')[:MAX_TEXT]}")
            for member in members if kind_of(member) and (problem := _name_problem(member))]


def _uploads(problems: list[Problem]) -> list[tuple[str, bytes]]:
    """The `files` parts, by name; a part whose name the database could not keep is a problem."""
    uploads = []
    for storage in request.files.getlist("files"):
        name = (storage.filename or "").strip()
        problem = _name_problem(name) if name else "a file part without a file name"
        if problem:
            problems.append(Problem(problem, file=name.replace("\x00", "")[:MAX_TEXT] or "(unnamed)"))
            continue
        content = storage.read()
        if name.lower().endswith(".zip"):
            problems.extend(_zip_problems(name, content))
        uploads.append((name, content))
    return uploads


@bp.post("/deployments")
def deploy():
    """Multipart, field `files` repeated (.bpmn, .dmn, .json, or one .zip); only managers deploy.
    `based_on` (repeated, KEY:VERSION): 409 when someone deployed a newer version meanwhile."""
    limit_body(MAX_BUNDLE_BYTES + 1024 * 1024)
    problems: list[Problem] = []
    bundle = Bundle.from_uploads(_uploads(problems))
    bundle.problems.extend(problems)  # the engine raises them after its permission check
    note = request.form.get("note") or None
    if note is not None and "\x00" in note:
        bundle.problems.append(Problem("must not contain NUL characters", field="note"))
    try:
        result = committed(lambda uow: uow.repository.deploy(bundle, actor(), note,
                                                             based_on=request.form.getlist("based_on")))
    except InvalidDeployment as error:
        if error.problems:
            raise
        raise InvalidDeployment(error.title, [Problem(error.title, field="files")]) from None
    return answer(serializers.deployment(result), 201)
