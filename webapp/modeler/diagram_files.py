"""What the editor sends: a diagram's XML, its file name and process key, read from a JSON
body and checked before the engine sees them; and problems placed on diagram elements."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask import request
from werkzeug.exceptions import BadRequest

from engine.bpmn import safe_xml
from engine.errors import InvalidInput, Problem

PROCESS_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")
FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,150}\.bpmn$")
NOTE_LENGTH = 2000


@dataclass(frozen=True)
class Diagram:
    xml: str
    file_name: str
    process_key: str | None
    note: str | None
    based_on_version: int | None

    @property
    def content(self) -> bytes:
        return self.xml.encode("utf-8")


def _refuse(message: str, field: str):
    raise InvalidInput("The diagram cannot be accepted", [Problem(message, field=field)])


def json_body() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise BadRequest("Send a JSON object (Content-Type: application/json).")
    return payload


def read_diagram(payload: dict) -> Diagram:
    xml = payload.get("xml")
    if not isinstance(xml, str) or not xml.strip():
        _refuse("the diagram's BPMN XML is missing", "xml")
    key = payload.get("process_key") or None
    if key is not None and (not isinstance(key, str) or not PROCESS_KEY.match(key)):
        _refuse("a process id: a letter or _, then letters, digits, _, - or . (at most 100)", "process_key")
    file_name = payload.get("file_name") or (f"{key}.bpmn" if key else None)
    if not isinstance(file_name, str) or not FILE_NAME.match(file_name):
        _refuse("a file name like document_processing.bpmn", "file_name")
    note = payload.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_LENGTH):
        _refuse(f"a note is text of at most {NOTE_LENGTH} characters", "note")
    based_on = payload.get("based_on_version")
    if based_on is not None and (not isinstance(based_on, int) or isinstance(based_on, bool) or based_on < 1):
        _refuse("the version the diagram is based on is a whole number", "based_on_version")
    return Diagram(xml, file_name, key, (note or "").strip() or None, based_on)


def _ids_by_line(content: bytes, file_name: str) -> dict[int, str]:
    """Line -> id of the element starting there, or of the nearest element with an id around it."""
    try:
        tree = safe_xml.parse(content, file_name)
    except safe_xml.UnsafeXml:
        return {}
    found: dict[int, str] = {}
    for node in tree.getroot().iter():
        if not isinstance(node.tag, str) or node.sourceline in found:
            continue
        owner = next((n for n in [node, *node.iterancestors()] if n.get("id")), None)
        if owner is not None:
            found[node.sourceline] = owner.get("id")
    return found


def placed(problems: list[Problem], diagram: Diagram) -> list[Problem]:
    """The problems, those of this file with a line but no element given the element at that line
    (the XSD check names lines only), so that the editor can mark them on the diagram."""
    if not any(p.line and not p.element_id and p.file == diagram.file_name for p in problems):
        return problems
    ids = _ids_by_line(diagram.content, diagram.file_name)
    return [replace(p, element_id=ids.get(p.line)) if p.line and not p.element_id and p.file == diagram.file_name
            and ids.get(p.line) else p for p in problems]
