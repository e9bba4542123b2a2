"""Drafts: a manager's unfinished diagram of a process, kept on the server for that manager
only (`uow.drafts`), with a note; saved from the editor, listed, opened, discarded."""
from __future__ import annotations

from flask import Response, flash, jsonify, redirect, url_for
from flask_babel import gettext as _

from engine import InvalidInput
from engine.errors import Problem
from engine.views import DraftView
from webapp.engine_access import actor, engine, unit_of_work
from webapp.modeler import answers_json, bp, wants_json
from webapp.modeler.diagram_files import json_body, read_diagram


def draft_json(draft: DraftView) -> dict:
    return {"process_key": draft.process_key, "file_name": draft.file_name, "note": draft.note,
            "based_on_version": draft.based_on_version, "updated_at": draft.updated_at.isoformat(timespec="seconds"),
            "open_url": url_for("modeler.edit", key=draft.process_key, draft=1),
            "xml_url": url_for("modeler.draft_xml", key=draft.process_key)}


@bp.get("/drafts.json")
@answers_json
def draft_list():
    """My drafts, newest first (without their XML)."""
    with unit_of_work() as uow:
        drafts = uow.drafts.list(actor())
    return jsonify(drafts=[draft_json(d) for d in drafts])


@bp.post("/drafts")
@answers_json
def save_draft():
    """Saves (or replaces) my draft of the diagram's process; 200 with the draft."""
    diagram = read_diagram(json_body())
    if not diagram.process_key:
        raise InvalidInput("The draft cannot be saved",
                           [Problem("the diagram's process id is missing", field="process_key")])
    who = actor()
    draft = engine().attempt(lambda uow: uow.drafts.save(
        who, diagram.process_key, diagram.xml, note=diagram.note, file_name=diagram.file_name,
        based_on_version=diagram.based_on_version))
    return jsonify(draft_json(draft))


@bp.get("/drafts/<key>.bpmn")
def draft_xml(key: str):
    with unit_of_work() as uow:
        draft = uow.drafts.get(actor(), key)
    response = Response(draft.xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/drafts/<key>/discard")
def discard_draft(key: str):
    who = actor()

    def discard(uow):
        uow.drafts.get(who, key)  # 404 when there is none
        uow.drafts.discard(who, key)
    engine().attempt(discard)
    if wants_json():
        return jsonify(discarded=key)
    flash(_("Your draft of %(process)s was discarded.", process=key), "success")
    return redirect(url_for("modeler.index"))
