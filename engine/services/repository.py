"""Deploying bundles of BPMN, DMN and forms, and the versioned process definitions they make.

A definition version is frozen with everything it was built from (its BPMN, the forms and
decisions it uses, the processes it calls). Deploying a changed form or DMN alone therefore
makes new versions of the latest definitions that use it; running instances stay on theirs."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.bpmn.diff import ElementChanges, compare_bpmn
from engine.bpmn.dmn_outline import decision_names
from engine.bpmn.parsing import ProcessCompiler
from engine.bundle import Bundle
from engine.messages import N_
from engine.services.deploy_basis import check_based_on, parse_based_on
from engine.errors import Conflict, EngineError, InvalidDeployment, NotFound, PermissionDenied, Problem
from engine.forms import check_form_file
from engine.persistence.models import Deployment, ProcessDefinition, Resource
from engine.services.read_models import definition_view
from engine.views import Actor, DecisionFileView, DefinitionView, DeployedDefinition, DeploymentResult


def _require_manager(actor: Actor | None) -> None:
    if actor is not None and not (actor.is_manager or actor.is_admin):
        raise PermissionDenied(N_("Only process managers deploy processes and forms"))


def _sha(content: bytes | str) -> str:
    return hashlib.sha256(content if isinstance(content, bytes) else content.encode()).hexdigest()


def no_definition(key: str, version: int | None = None) -> NotFound:
    if version:
        return NotFound(N_("No process definition '%(key)s' version %(version)s"), key=key, version=version)
    return NotFound(N_("No process definition '%(key)s'"), key=key)


class RepositoryService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    # -- deploying -----------------------------------------------------------------------
    def deploy_paths(self, paths, actor: Actor | None = None, note: str | None = None) -> DeploymentResult:
        return self.deploy(Bundle.from_paths(paths), actor, note)

    def deploy(self, bundle: Bundle, actor: Actor | None = None, note: str | None = None,
               based_on: Iterable[str] = ()) -> DeploymentResult:
        """Validate the whole bundle, then store it; on any problem nothing is stored.
        `based_on` ("KEY:VERSION" each): refused (DeployedMeanwhile, 409) when a newer version
        of KEY was deployed since; malformed values are InvalidInput (422)."""
        _require_manager(actor)
        basis = parse_based_on(based_on)
        check_based_on(self.session, basis)  # early, before the costly checks
        compiled, warnings = self._compile(bundle)
        return replace(self._store(bundle, compiled, actor, note, basis), warnings=warnings)

    def validate(self, bundle: Bundle, actor: Actor | None = None) -> list[Problem]:
        """What deploying `bundle` would object to, without storing anything (the modeler's check)."""
        return self.check(bundle, actor)[0]

    def check(self, bundle: Bundle, actor: Actor | None = None) -> tuple[list[Problem], list[Problem]]:
        """(refusals, warnings) deploying `bundle` would give, without storing anything."""
        _require_manager(actor)
        try:
            return [], self._compile(bundle)[1]
        except InvalidDeployment as invalid:
            return invalid.problems, []

    def _compile(self, bundle: Bundle) -> tuple[list, list[Problem]]:
        """Every failure inside the checks is a refusal naming the files, never a crash (a 500)."""
        try:
            return self._compile_checked(bundle)
        except EngineError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever a hostile file trips over
            names = ", ".join(sorted(bundle.files)) or None
            raise InvalidDeployment("The deployment is invalid; nothing was deployed", [
                Problem(f"cannot be deployed: {type(error).__name__}: {error}"[:500], file=names)]) from error

    def _compile_checked(self, bundle: Bundle) -> tuple[list, list[Problem]]:
        bundle.raise_problems()
        problems: list[Problem] = []
        forms = self._available_forms(bundle, problems)
        dependents = self._dependents(bundle)
        compiler = ProcessCompiler({n: ok for n, ok in forms.items()}, self._deployed_bpmn)
        for file in bundle.of_kind("bpmn"):
            compiler.add_bpmn(file.name, file.content)
        for row in dependents:
            compiler.add_bpmn(row.bpmn_resource.name, row.bpmn_resource.content.encode())
        for name, content in self._decision_files(bundle).items():
            compiler.add_dmn(name, content)
        keys = self._bundle_keys(compiler, bundle) + [d.key for d in dependents]
        try:
            compiled = compiler.compile(list(dict.fromkeys(keys)))
        except Exception as error:  # never a 500: whatever escapes the checks names its file
            compiler.problems.append(Problem(f"cannot be deployed: {type(error).__name__}: {error}",
                                             file=", ".join(f.name for f in bundle.of_kind("bpmn")) or None))
        problems += compiler.problems
        if problems:
            raise InvalidDeployment("The deployment is invalid; nothing was deployed", problems)
        return compiled, compiler.warnings + self._not_executable(compiler, bundle)

    def _available_forms(self, bundle: Bundle, problems: list[Problem]) -> dict[str, bool]:
        """Form name -> whether it is a usable JSON Schema: deployed ones, overridden by the bundle."""
        available = {r.name: True for r in self._latest_resources("form")}
        for file in bundle.of_kind("form"):
            form, form_problems = check_form_file(file.name, file.content)
            problems.extend(form_problems)
            available[file.name] = form is not None
        return available

    def _dependents(self, bundle: Bundle) -> list[ProcessDefinition]:
        """Latest definitions, not in the bundle, built from a form, DMN or process it changes."""
        names = {f.name for f in bundle.files.values()}
        latest = self._latest_definitions()
        bundle_keys = {d.key for d in latest if d.bpmn_resource.name in names}
        changed_forms = {f.name for f in bundle.of_kind("form") if self._changed(f)}
        changed_dmn = {f.name for f in bundle.of_kind("dmn") if self._changed(f)}
        changed_bpmn = {f.name for f in bundle.of_kind("bpmn")}
        changed_keys = {d.key for d in latest if d.bpmn_resource.name in changed_bpmn}
        found: dict[str, ProcessDefinition] = {}
        grew = True
        while grew:
            grew = False
            for definition in latest:
                if definition.key in found or definition.bpmn_resource.name in names:
                    continue
                deps = definition.dependencies
                if (changed_forms & set(deps.get("forms", {})) or changed_dmn & set(deps.get("dmn_files", []))
                        or (changed_keys | set(found)) & set(deps.get("calls", []))):
                    found[definition.key] = definition
                    grew = True
        return [d for k, d in found.items() if k not in bundle_keys]

    def _changed(self, file) -> bool:
        latest = self._latest_resource(file.kind, file.name)
        return latest is None or latest.sha256 != _sha(file.content)

    def _decision_files(self, bundle: Bundle) -> dict[str, bytes]:
        files = {r.name: r.content.encode() for r in self._latest_resources("dmn")}
        files.update({f.name: f.content for f in bundle.of_kind("dmn")})
        return files

    def _bundle_keys(self, compiler: ProcessCompiler, bundle: Bundle) -> list[str]:
        names = {f.name for f in bundle.of_kind("bpmn")}
        return [key for key, parser in compiler.parser.process_parsers.items()
                if parser.filename in names and parser.process_executable]

    @staticmethod
    def _not_executable(compiler: ProcessCompiler, bundle: Bundle) -> list[Problem]:
        names = {f.name for f in bundle.of_kind("bpmn")}
        return [Problem(f"process '{key}' is marked isExecutable=\"false\": not deployed", file=parser.filename)
                for key, parser in compiler.parser.process_parsers.items()
                if parser.filename in names and not parser.process_executable]

    def _deployed_bpmn(self, key: str) -> tuple[str, bytes] | None:
        definition = self._latest_definition(key)
        if definition is None:
            return None
        return definition.bpmn_resource.name, definition.bpmn_resource.content.encode()

    def _store(self, bundle: Bundle, compiled, actor: Actor | None, note: str | None,
               basis: dict[str, int]) -> DeploymentResult:
        deployment = Deployment(deployed_at=self.context.clock.now(), deployed_by=actor.username if actor else None,
                                note=note)
        self.session.add(deployment)
        self.session.flush()
        # Again once writing: what was read before the first write may be older than the last
        # commit (SQLite takes its turn to write only here; PostgreSQL reads committed rows).
        check_based_on(self.session, basis)
        resources = {}
        for file in bundle.files.values():
            resources[file.name] = self._store_resource(deployment, file.kind, file.name, file.content)
        results = []
        try:
            for process in compiled:
                results.append(self._store_definition(deployment, process, resources))
            self.session.flush()
        except IntegrityError as error:  # (key, version) taken by a deployment committed meanwhile
            raise Conflict("Another deployment of the same process was stored at the same moment; "
                           "deploy again to see it") from error
        return DeploymentResult(deployment.id, results, sorted(f.name for f in bundle.of_kind("form")))

    def _store_resource(self, deployment, kind, name, content: bytes) -> Resource:
        latest = self._latest_resource(kind, name)
        if latest is not None and latest.sha256 == _sha(content):
            return latest
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidDeployment("The deployment is invalid; nothing was deployed",
                                    [Problem("not UTF-8 text", file=name)]) from None
        resource = Resource(deployment_id=deployment.id, kind=kind, name=name, content=text, sha256=_sha(content))
        self.session.add(resource)
        self.session.flush()
        return resource

    def _resource_for(self, kind: str, name: str, fresh: dict[str, Resource]) -> Resource:
        return fresh.get(name) or self._latest_resource(kind, name)

    def _store_definition(self, deployment, process, fresh: dict[str, Resource]) -> DeployedDefinition:
        bpmn = self._resource_for("bpmn", process.file, fresh)
        forms = {name: self._resource_for("form", name, fresh) for name in sorted(process.forms)}
        dmn_files = sorted(process.decision_files)
        content_hash = _sha(json.dumps({
            "bpmn": bpmn.sha256, "spec": _sha(process.spec_json),
            "forms": {n: r.sha256 for n, r in forms.items()}}, sort_keys=True))
        latest = self._latest_definition(process.key)
        if latest is not None and latest.content_hash == content_hash:
            return DeployedDefinition(process.key, latest.version, False, latest.id)
        definition = ProcessDefinition(
            key=process.key, name=process.name, version=(latest.version + 1) if latest else 1,
            deployment_id=deployment.id, bpmn_resource_id=bpmn.id, content_hash=content_hash,
            spec_json=process.spec_json, start_roles=process.start_roles,
            dependencies={"forms": {n: r.id for n, r in forms.items()}, "decisions": sorted(process.decisions),
                          "dmn_files": dmn_files, "calls": sorted(process.calls)})
        self.session.add(definition)
        self.session.flush()
        return DeployedDefinition(definition.key, definition.version, True, definition.id)

    # -- reading -------------------------------------------------------------------------
    def _latest_resource(self, kind: str, name: str) -> Resource | None:
        return self.session.scalar(select(Resource).where(Resource.kind == kind, Resource.name == name)
                                   .order_by(Resource.id.desc()).limit(1))

    def _latest_resources(self, kind: str) -> list[Resource]:
        newest = select(func.max(Resource.id)).where(Resource.kind == kind).group_by(Resource.name)
        return list(self.session.scalars(select(Resource).where(Resource.id.in_(newest))))

    def _latest_definition(self, key: str) -> ProcessDefinition | None:
        return self.session.scalar(select(ProcessDefinition).where(ProcessDefinition.key == key)
                                   .order_by(ProcessDefinition.version.desc()).limit(1))

    def _latest_definitions(self) -> list[ProcessDefinition]:
        newest = select(func.max(ProcessDefinition.id)).group_by(ProcessDefinition.key)
        return list(self.session.scalars(select(ProcessDefinition).where(ProcessDefinition.id.in_(newest))
                                         .order_by(ProcessDefinition.key)))

    def definition(self, key: str, version: int | None = None) -> ProcessDefinition:
        """The row (engine-internal callers); `get` gives the view."""
        query = select(ProcessDefinition).where(ProcessDefinition.key == key)
        query = query.where(ProcessDefinition.version == version) if version is not None else \
            query.order_by(ProcessDefinition.version.desc()).limit(1)
        found = self.session.scalar(query)
        if found is None:
            raise no_definition(key, version)
        return found

    def get(self, key: str, version: int | None = None) -> DefinitionView:
        return definition_view(self.session, self.definition(key, version), with_counts=True)

    def latest(self) -> list[DefinitionView]:
        return [definition_view(self.session, d) for d in self._latest_definitions()]

    def versions(self, key: str) -> list[DefinitionView]:
        rows = self.session.scalars(select(ProcessDefinition).where(ProcessDefinition.key == key)
                                    .order_by(ProcessDefinition.version.desc())).all()
        if not rows:
            raise no_definition(key)
        return [definition_view(self.session, d, with_counts=True) for d in rows]

    def bpmn_xml(self, key: str, version: int | None = None) -> str:
        return self.definition(key, version).bpmn_resource.content

    def form(self, name: str) -> dict:
        resource = self._latest_resource("form", name)
        if resource is None:
            raise NotFound(N_("No form '%(name)s'"), name=name)
        return json.loads(resource.content)

    def form_names(self) -> list[str]:
        return sorted(r.name for r in self._latest_resources("form"))

    def decision_files(self) -> list[DecisionFileView]:
        """Every deployed DMN file, with the latest definitions that use it (the modeler's list)."""
        latest = self._latest_definitions()
        files = []
        for resource in sorted(self._latest_resources("dmn"), key=lambda r: r.name):
            deployment = self.session.get(Deployment, resource.deployment_id)
            files.append(DecisionFileView(
                resource.name, deployment.deployed_at, deployment.deployed_by,
                decision_names(resource.content.encode(), resource.name),
                [(d.key, d.version) for d in latest if resource.name in d.dependencies.get("dmn_files", [])]))
        return files

    def decision_xml(self, name: str) -> str:
        """The latest deployed content of the DMN file `name`."""
        resource = self._latest_resource("dmn", name)
        if resource is None:
            raise NotFound(N_("No decision file '%(name)s'"), name=name)
        return resource.content

    def compare(self, key: str, old_version: int, new_version: int) -> ElementChanges:
        """Which diagram elements two versions of a process add, remove or change."""
        return compare_bpmn(self.bpmn_xml(key, old_version).encode(), self.bpmn_xml(key, new_version).encode())
