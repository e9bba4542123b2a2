"""The modeler's pages: the processes and my drafts, the editor (a deployed version, a draft
or a new process), a process's versions, one version read-only, and two versions compared."""
from __future__ import annotations

from flask import Response, render_template, request, url_for

from engine import NotFound
from webapp.bpmn_outline import element_names
from webapp.engine_access import actor, unit_of_work
from webapp.modeler import bp
from webapp.modeler.change_labels import described
from webapp.modeler.diagram_files import PROCESS_KEY
from webapp.modeler.editor_texts import autosave_seconds, editor_texts


def _editor(**page):
    """The editor page, with what every editor needs besides what it opens."""
    return render_template("modeler/editor.html", texts=editor_texts(), autosave_seconds=autosave_seconds(), **page)


@bp.get("/")
def index(new_key: str = "", new_name: str = "", error: str | None = None, status: int = 200):
    with unit_of_work() as uow:
        definitions = uow.repository.latest()
        drafts = uow.drafts.list(actor())
    return render_template("modeler/index.html", definitions=definitions, drafts=drafts, new_key=new_key,
                           new_name=new_name, error=error), status


@bp.get("/new")
def new():
    """The editor on a blank process with the id and name the manager chose."""
    key, name = request.args.get("key", "").strip(), request.args.get("name", "").strip()
    if not PROCESS_KEY.match(key):
        return index(key, name, "A process id starts with a letter or _, then letters, digits, _, - or . "
                                "(at most 100 characters).", 422)
    if len(name) > 255:
        return index(key, name, "A name has at most 255 characters.", 422)
    with unit_of_work() as uow:
        try:
            uow.repository.get(key)
        except NotFound:
            pass
        else:
            return index(key, name, f"A process “{key}” is already deployed: open it from the list instead.", 422)
        drafts = {d.process_key: d for d in uow.drafts.list(actor())}
    return _editor(key=key, title=name or key, source="new", new_name=name or key, diagram_url=None, based_on=None,
                   draft=drafts.get(key))


@bp.get("/processes/<key>/edit")
def edit(key: str):
    """`?version=N` opens that version (default: the latest); `?draft=1` opens my draft."""
    with unit_of_work() as uow:
        drafts = {d.process_key: d for d in uow.drafts.list(actor())}
        draft = drafts.get(key)
        if request.args.get("draft") == "1":
            if draft is None:
                raise NotFound(f"You have no draft of “{key}”.")
            return _editor(key=key, title=key, source="draft", draft=draft,
                           diagram_url=url_for("modeler.draft_xml", key=key), based_on=draft.based_on_version)
        definition = uow.repository.get(key, request.args.get("version", type=int))
    return _editor(key=key, title=definition.name, source="version", draft=draft, definition=definition,
                   based_on=definition.version,
                   diagram_url=url_for("modeler.version_xml", key=key, version=definition.version))


@bp.get("/processes/<key>/versions")
def versions(key: str):
    with unit_of_work() as uow:
        rows = uow.repository.versions(key)
        people = {user.username: user.display_name for user in uow.identity.list()}
    return render_template("modeler/versions.html", key=key, versions=rows, people=people)


@bp.get("/processes/<key>/versions/<int:version>")
def version(key: str, version: int):
    with unit_of_work() as uow:
        definition = uow.repository.get(key, version)
        people = {user.username: user.display_name for user in uow.identity.list()}
    return render_template("modeler/version.html", definition=definition, people=people)


@bp.get("/processes/<key>/versions/<int:version>.bpmn")
def version_xml(key: str, version: int):
    with unit_of_work() as uow:
        xml = uow.repository.bpmn_xml(key, version)
    response = Response(xml, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'inline; filename="{key}.v{version}.bpmn"'
    return response


@bp.get("/processes/<key>/compare")
def compare(key: str):
    """Two versions side by side: `?old=N&new=M` (default: the two newest)."""
    with unit_of_work() as uow:
        rows = uow.repository.versions(key)
        numbers = [row.version for row in rows]
        new = request.args.get("new", type=int) or numbers[0]
        old = request.args.get("old", type=int) or (numbers[1] if len(numbers) > 1 else numbers[0])
        old_view, new_view = uow.repository.get(key, old), uow.repository.get(key, new)
        changes = uow.repository.compare(key, old, new)
        names = {**element_names(uow.repository.bpmn_xml(key, old)), **element_names(uow.repository.bpmn_xml(key, new))}
    return render_template("modeler/compare.html", key=key, old=old_view, new=new_view, changes=changes, names=names,
                           numbers=numbers, what_changed=described(changes.details))
