"""The decision-table editor: the deployed DMN files and the processes built from them, one
file opened in dmn-js (bundle webapp/static/build/decisions.js), checked and deployed
through the repository's own deploy path. Deploying a changed DMN file makes new versions
of the latest definitions that use it; running instances keep theirs."""
from __future__ import annotations

import re
from types import SimpleNamespace

from flask import Response, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from engine import InvalidInput, NotFound
from engine.bundle import Bundle
from engine.errors import InvalidDeployment, Problem
from webapp.engine_access import actor, engine, unit_of_work
from webapp.modeler import answers_json, bp, problem_response
from webapp.modeler.diagram_files import NOTE_LENGTH, json_body

DMN_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,150}\.dmn$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


def _check_name(name: str) -> None:
    if not DMN_FILE.match(name):
        raise NotFound(_("“%(name)s” is not the name of a decision file (name.dmn).", name=name))


def _read_upload(name: str) -> tuple[bytes, str | None]:
    """The edited DMN XML and change note of a JSON body, or 422 naming the field."""
    payload = json_body()
    xml, note = payload.get("xml"), payload.get("note")
    if not isinstance(xml, str) or not xml.strip():
        raise InvalidInput(_("The decision table cannot be accepted"),
                           [Problem(_("the DMN XML is missing"), field="xml", file=name)])
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_LENGTH):
        raise InvalidInput(_("The decision table cannot be accepted"), [Problem(
            _("a note is text of at most %(n)d characters", n=NOTE_LENGTH), field="note")])
    return xml.encode("utf-8"), (note or "").strip() or None


@bp.get("/decisions")
def decisions(wanted: dict | None = None, error: str | None = None, status: int = 200):
    with unit_of_work() as uow:
        files = uow.repository.decision_files()
    by_process: dict[tuple[str, int], list[str]] = {}
    for file in files:
        for used_by in file.used_by:
            by_process.setdefault(used_by, []).append(file.name)
    return render_template("modeler/decisions.html", files=files, by_process=sorted(by_process.items()),
                           wanted=wanted or {}, error=error), status


@bp.get("/decisions/new")
def new_decision():
    """The editor on a blank decision table: `?decision=<id>&name=&input=<expression>&output=<variable>`;
    the file is `<id>.dmn`, deployed (and so kept) only when the manager deploys it."""
    wanted = {field: request.args.get(field, "").strip() for field in ("decision", "name", "input", "output")}
    wanted["output"] = wanted["output"] or "result"
    if not IDENTIFIER.match(wanted["decision"]) or not IDENTIFIER.match(wanted["output"]):
        return decisions(wanted, _("A decision id and an output variable start with a letter or _, then letters, "
                                   "digits or _ (at most 100)."), 422)
    if not wanted["input"] or len(wanted["input"]) > 500 or len(wanted["name"]) > 255:
        return decisions(wanted, _("Say what the decision looks at (an expression of the case data, at most 500 "
                                   "characters); a name has at most 255."), 422)
    name = wanted["decision"] + ".dmn"
    with unit_of_work() as uow:
        taken = any(f.name == name for f in uow.repository.decision_files())
    if taken:
        return decisions(wanted, _("A decision file “%(name)s” is deployed already: edit it from the list.",
                                   name=name), 422)
    new_file = SimpleNamespace(name=name, deployed_at=None, used_by=[], decisions=[])
    return render_template("modeler/decision_editor.html", file=new_file, new=wanted)


@bp.get("/decisions/<name>")
def decision_editor(name: str):
    _check_name(name)
    with unit_of_work() as uow:
        listed = {f.name: f for f in uow.repository.decision_files()}
    if name not in listed:
        raise NotFound(_("No decision file “%(name)s” is deployed.", name=name))
    return render_template("modeler/decision_editor.html", file=listed[name], new=None)


@bp.get("/decisions/<name>/file.dmn")
def decision_xml(name: str):
    _check_name(name)
    with unit_of_work() as uow:
        xml = uow.repository.decision_xml(name)
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/decisions/<name>/validate")
@answers_json
def validate_decision(name: str):
    """200 with `valid` and the problems deploying this file would meet (the processes using
    it are compiled again with it, exactly as a deployment does)."""
    _check_name(name)
    content, _note = _read_upload(name)
    with unit_of_work() as uow:
        problems, warnings = uow.repository.check(Bundle.from_uploads([(name, content)]), actor())
    return jsonify(valid=not problems, file_name=name, problems=[p.as_dict() for p in problems],
                   warnings=[w.as_dict() for w in warnings])


@bp.post("/decisions/<name>/deploy")
@answers_json
def deploy_decision(name: str):
    """201 with the new versions of the processes that use the file, or 422 with the problems."""
    _check_name(name)
    content, note = _read_upload(name)
    if not note:
        raise InvalidInput(_("A change note is needed"), [Problem(_("say what changed and why"), field="note")])
    who = actor()
    try:
        result = engine().attempt(lambda uow: uow.repository.deploy(Bundle.from_uploads([(name, content)]), who, note))
    except InvalidDeployment as invalid:
        return problem_response(422, invalid.title, invalid.problems)
    return jsonify(file_name=name, deployment_id=result.id, note=note,
                   definitions=[{"key": d.key, "version": d.version, "new": d.new} for d in result.definitions],
                   list_url=url_for("modeler.decisions"),
                   warnings=[w.as_dict() for w in result.warnings]), 201
