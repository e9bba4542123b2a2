"""JSON endpoints of the editor: what can be chosen (deployed forms and processes), the
server's validation (the very check deployment runs) and deployment with a change note."""
from __future__ import annotations

from flask import jsonify, request, url_for

from engine import InvalidInput
from engine.bundle import Bundle
from engine.errors import InvalidDeployment, Problem
from engine.forms import is_ui_schema
from engine.services.deploy_basis import DeployedMeanwhile
from webapp.api import problems as problem_json
from webapp.engine_access import actor, engine, unit_of_work
from webapp.modeler import answers_json, bp, problem_response
from webapp.modeler.diagram_files import json_body, placed, read_diagram


@bp.get("/forms.json")
@answers_json
def form_catalog():
    """Every deployed form file (`form_names()`); `schemas` and `ui_schemas` split them."""
    with unit_of_work() as uow:
        names = uow.repository.form_names()
    return jsonify(forms=names, schemas=[n for n in names if not is_ui_schema(n)],
                   ui_schemas=[n for n in names if is_ui_schema(n)])


@bp.get("/processes.json")
@answers_json
def process_catalog():
    """The deployed processes (latest versions), for a call activity's called process."""
    with unit_of_work() as uow:
        latest = uow.repository.latest()
    return jsonify(processes=[{"key": d.key, "name": d.name, "version": d.version} for d in latest])


def _bundle(diagram) -> Bundle:
    return Bundle.from_uploads([(diagram.file_name, diagram.content)])


@bp.post("/validate")
@answers_json
def validate():
    """200 with `valid` and the problems: what deploying this diagram would object to."""
    diagram = read_diagram(json_body())
    with unit_of_work() as uow:
        problems, warnings = uow.repository.check(_bundle(diagram), actor())
    problems = placed(problems, diagram)
    return jsonify(valid=not problems, file_name=diagram.file_name, problems=[p.as_dict() for p in problems],
                   warnings=[w.as_dict() for w in placed(warnings, diagram)])


def _based_on(diagram) -> list[str]:
    """The version the editor opened: someone deploying a newer one meanwhile makes this a 409."""
    if diagram.process_key and diagram.based_on_version:
        return [f"{diagram.process_key}:{diagram.based_on_version}"]
    return []


@bp.post("/deploy")
@answers_json
def deploy():
    """201 with the key and version made (and any other definition that got a new version
    from it), or 422 with the problems; a change note is required. With `based_on_version`,
    409 (`newer_versions`: who deployed what when) when a newer version was deployed meanwhile."""
    diagram = read_diagram(json_body())
    if not diagram.note:
        raise InvalidInput("A change note is needed", [Problem("say what changed and why", field="note")])
    who = actor()

    def deploy_it(uow):
        result = uow.repository.deploy(_bundle(diagram), who, diagram.note, based_on=_based_on(diagram))
        if not result.definitions:
            raise InvalidDeployment("Nothing to deploy", [Problem(
                "the diagram has no executable process (isExecutable)", file=diagram.file_name)])
        main = next((d for d in result.definitions if d.key == diagram.process_key), result.definitions[0])
        if any(d.process_key == main.key for d in uow.drafts.list(who)):
            uow.drafts.discard(who, main.key)  # a draft is kept until deployed
        return result, main
    try:
        result, main = engine().attempt(deploy_it)
    except InvalidDeployment as invalid:
        return problem_response(422, invalid.title, placed(invalid.problems, diagram))
    except DeployedMeanwhile as meanwhile:
        return _deployed_meanwhile(meanwhile)
    return jsonify(
        key=main.key, version=main.version, new=main.new, deployment_id=result.id, note=diagram.note,
        definitions=[{"key": d.key, "version": d.version, "new": d.new} for d in result.definitions],
        versions_url=url_for("modeler.versions", key=main.key),
        warnings=[w.as_dict() for w in placed(result.warnings, diagram)]), 201


def _deployed_meanwhile(meanwhile: DeployedMeanwhile):
    """409 with who deployed what when, and where the editor can compare and re-open."""
    newer = [{**n, "compare_url": url_for("modeler.compare", key=n["key"], old=n["based_on"], new=n["latest_version"]),
              "latest_url": url_for("modeler.edit", key=n["key"])} for n in meanwhile.newer]
    return problem_json.render(409, "Conflict", str(meanwhile), None, state=meanwhile.state, newer_versions=newer,
                               problems=[{"message": str(meanwhile)}])


@bp.get("/processes/<key>/compare.json")
@answers_json
def compare_json(key: str):
    """Elements `new` adds, and `old` has that `new` removed or changed (engine `compare`);
    `details` says what changed inside each changed element ("name", "condition"...)."""
    old, new = request.args.get("old", type=int), request.args.get("new", type=int)
    if old is None or new is None:
        raise InvalidInput("Two versions are needed", [Problem("give ?old=N&new=M", field="old")])
    with unit_of_work() as uow:
        uow.repository.get(key, old), uow.repository.get(key, new)
        changes = uow.repository.compare(key, old, new)
    return jsonify(key=key, old=old, new=new, added=changes.added, removed=changes.removed, changed=changes.changed,
                   details=changes.details)
