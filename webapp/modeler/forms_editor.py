"""The form editor: a form's JSON Schema (`X.schema.json`) and UI schema (`X.uischema.json`)
in text areas, a preview drawn by the task page's own renderer, and saving, which deploys
the files; the engine then makes new versions of the processes that use them."""
from __future__ import annotations

import json
import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import NotFound
from engine.bundle import Bundle
from engine.errors import InvalidDeployment, Problem
from engine.forms import check_form_file, is_ui_schema
from engine.process_texts import schema_in, ui_schema_in
from webapp.engine_access import actor, engine, unit_of_work
from webapp.form_rendering import build_form
from webapp.i18n import page_language
from webapp.modeler import bp

FORM_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,100}$")
SCHEMA_SUFFIX, UI_SUFFIX = ".schema.json", ".uischema.json"


def _starter(name: str) -> str:
    return json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                       "title": name.replace("_", " ").replace("-", " ").capitalize(), "type": "object",
                       "properties": {"comment": {"type": "string", "title": "Comment"}}, "required": []}, indent=2)


def _parse(text: str, file_name: str, field: str, required: bool) -> tuple[object | None, list[Problem]]:
    """The JSON of one text area, or its problems: parse errors with line and column, then the engine's check."""
    if not text.strip():
        return None, [Problem("the JSON Schema is empty", field=field, file=file_name)] if required else []
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return None, [Problem(f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                              field=field, file=file_name, line=error.lineno)]
    form, problems = check_form_file(file_name, text.encode("utf-8"))
    return form, [Problem(p.message, field=field, file=p.file, line=p.line) for p in problems]


def _read(name: str) -> tuple[dict, list[Problem]]:
    schema_text, ui_text = request.form.get("schema", ""), request.form.get("ui_schema", "")
    schema, problems = _parse(schema_text, name + SCHEMA_SUFFIX, "schema", True)
    ui, ui_problems = _parse(ui_text, name + UI_SUFFIX, "ui_schema", False)
    return {"schema_text": schema_text, "ui_text": ui_text, "schema": schema, "ui": ui}, problems + ui_problems


def _preview(parsed: dict):
    """The field tree the task page would draw, or None when the schema could not be read."""
    if not isinstance(parsed["schema"], dict):
        return None
    language = page_language()  # in the manager's language, as a task page shows it to its reader
    with unit_of_work() as uow:  # fields with `x-directory-role` offer the people of the directory
        schema = uow.directory.expand(schema_in(parsed["schema"], language), {})
    ui = ui_schema_in(parsed["ui"], language) if isinstance(parsed["ui"], dict) else {}
    return build_form(schema, ui)


@bp.get("/forms")
def forms():
    """The deployed forms; `?new=<name>` opens the editor on a new one."""
    wanted = request.args.get("new", "").strip()
    error = None
    if wanted:
        if FORM_NAME.match(wanted.removesuffix(SCHEMA_SUFFIX)):
            return redirect(url_for("modeler.form_editor", name=wanted.removesuffix(SCHEMA_SUFFIX)))
        error = _("A form name: letters, digits, _ and - (the file becomes <name>.schema.json).")
    with unit_of_work() as uow:
        names = uow.repository.form_names()
    stems = sorted({n.removesuffix(SCHEMA_SUFFIX).removesuffix(UI_SUFFIX) for n in names
                    if n.endswith(SCHEMA_SUFFIX) or n.endswith(UI_SUFFIX)})
    others = [n for n in names if not (n.endswith(SCHEMA_SUFFIX) or n.endswith(UI_SUFFIX))]
    return render_template("modeler/forms.html", stems=stems, names=set(names), others=others, wanted=wanted,
                           error=error), 422 if error else 200


def _known_roles() -> list[str]:
    """The roles people hold, offered by the form builder's person fields (any other may be typed)."""
    with unit_of_work() as uow:
        return sorted({role for user in uow.identity.list() for role in user.roles})


def _page(name: str, parsed: dict, problems: list[Problem], is_new: bool, status: int = 200, note: str = ""):
    return render_template("modeler/form_editor.html", name=name, schema_file=name + SCHEMA_SUFFIX,
                           ui_file=name + UI_SUFFIX, parsed=parsed, problems=problems, is_new=is_new, note=note,
                           preview=_preview(parsed), roles=_known_roles()), status


def _deployed(name: str) -> tuple[str | None, str]:
    with unit_of_work() as uow:
        try:
            schema = json.dumps(uow.repository.form(name + SCHEMA_SUFFIX), indent=2, ensure_ascii=False)
        except NotFound:
            schema = None
        try:
            ui = json.dumps(uow.repository.form(name + UI_SUFFIX), indent=2, ensure_ascii=False)
        except NotFound:
            ui = ""
    return schema, ui


def _check_name(name: str) -> None:
    if not FORM_NAME.match(name) or is_ui_schema(name):
        raise NotFound(f"“{name}” is not a form name (letters, digits, _ and -).")


@bp.get("/forms/<name>")
def form_editor(name: str):
    _check_name(name)
    schema_text, ui_text = _deployed(name)
    is_new = schema_text is None
    text = _starter(name) if is_new else schema_text
    parsed = {"schema_text": text, "ui_text": ui_text, "schema": json.loads(text), "ui": json.loads(ui_text or "{}")}
    return _page(name, parsed, [], is_new)


def _changed_files(name: str, parsed: dict) -> list[tuple[str, bytes]]:
    """The files whose JSON differs from the deployed one (the engine keeps parsed forms only,
    so re-deploying a reformatted but equal form would make needless process versions)."""
    wanted = [(name + SCHEMA_SUFFIX, parsed["schema_text"], parsed["schema"])]
    if parsed["ui_text"].strip():
        wanted.append((name + UI_SUFFIX, parsed["ui_text"], parsed["ui"]))
    changed = []
    with unit_of_work() as uow:
        for file_name, text, value in wanted:
            try:
                same = uow.repository.form(file_name) == value
            except NotFound:
                same = False
            if not same:
                changed.append((file_name, text.encode("utf-8")))
    return changed


@bp.post("/forms/<name>")
def save_form(name: str):
    """`action=preview` draws the page again with the preview (no JavaScript needed);
    `action=save` deploys the form file(s) with the note."""
    _check_name(name)
    parsed, problems = _read(name)
    is_new = request.form.get("is_new") == "1"
    note = request.form.get("note", "").strip()[:2000]
    if request.form.get("action") != "save" or problems:
        return _page(name, parsed, problems, is_new, 422 if problems else 200, note)
    files = _changed_files(name, parsed)
    if not files:
        flash(_("Form %(name)s is deployed exactly like this already: nothing was saved.", name=name), "info")
        return redirect(url_for("modeler.form_editor", name=name))
    who = actor()
    try:
        result = engine().attempt(lambda uow: uow.repository.deploy(
            Bundle.from_uploads(files), who, note or f"Form {name} edited in the modeler"))
    except InvalidDeployment as invalid:
        return _page(name, parsed, invalid.problems, is_new, 422, note)
    renewed = [_("%(process)s version %(number)s", process=d.key, number=d.version) for d in result.definitions if d.new]
    flash(_("Form %(name)s saved and deployed.", name=name) + " "
          + (_("New versions of the processes that use it: %(list)s.", list=", ".join(renewed)) if renewed
             else _("No process definition needed a new version.")), "success")
    return redirect(url_for("modeler.form_editor", name=name))


@bp.post("/form-preview")
def form_preview():
    """The preview alone (an HTML fragment), for the editor's script: 422 with the problems."""
    name = request.form.get("name", "")
    parsed, problems = _read(name if FORM_NAME.match(name) and not is_ui_schema(name) else "form")
    return render_template("modeler/_form_preview.html", preview=_preview(parsed),
                           problems=problems), 422 if problems else 200
