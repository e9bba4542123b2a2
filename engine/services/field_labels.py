"""What the keys of process data mean to a person, read from the process's own forms: the
field titles ("decision_by" -> "Decision needed by"), the fields holding dates, the labels of
choices, and the fields holding user names (`x-directory-role`), so that pages show data as
the forms asked for it, never raw keys. Nested fields (an object's properties, the columns of
a list of objects) are read too. A key two forms title differently keeps the first title."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.messages import N_
from engine.persistence.models import ProcessDefinition, ProcessInstance
from engine.services.read_models import form_content

DATE_FORMATS = frozenset({"date", "date-time"})
MAX_DEPTH = 8
_CACHE: dict[tuple[str, int], "FieldLabels"] = {}


@dataclass(frozen=True)
class FieldLabels:
    titles: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, str] = field(default_factory=dict)  # key -> "date" | "date-time"
    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {value: label}
    people: frozenset[str] = frozenset()  # keys whose values are user names
    attachments: frozenset[str] = frozenset()  # keys whose values are attachment ids (`x-attachment`)

    def title(self, key) -> str | None:
        return self.titles.get(str(key))


NO_LABELS = FieldLabels()


def _choices(schema: dict) -> dict[str, str]:
    """`oneOf: [{const, title}]` gives labels; a bare `enum` is its own label."""
    labelled = {str(o["const"]): str(o.get("title") or o["const"]) for o in schema.get("oneOf") or []
                if isinstance(o, dict) and "const" in o}
    return labelled or {}


def labels_from(schemas: Iterable[dict | None]) -> FieldLabels:
    titles: dict[str, str] = {}
    formats: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    people: set[str] = set()
    attachments: set[str] = set()

    def walk(properties: dict, depth: int) -> None:
        if not isinstance(properties, dict) or depth > MAX_DEPTH:
            return
        for key, schema in properties.items():
            if not isinstance(schema, dict):
                continue
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            if isinstance(schema.get("title"), str) and schema["title"].strip():
                titles.setdefault(key, schema["title"].strip())
            for source in (schema, items):
                if source.get("format") in DATE_FORMATS:
                    formats.setdefault(key, source["format"])
                if source.get("x-directory-role"):
                    people.add(key)
                if source.get("x-attachment") is True:
                    attachments.add(key)
                if _choices(source):
                    choices.setdefault(key, _choices(source))
            walk(schema.get("properties"), depth + 1)
            walk(items.get("properties"), depth + 1)

    for schema in schemas:
        if isinstance(schema, dict):
            walk(schema.get("properties"), 0)
    return FieldLabels(titles, formats, choices, frozenset(people), frozenset(attachments))


class FieldLabelService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def for_definition(self, definition: ProcessDefinition) -> FieldLabels:
        """Deployed forms never change, so a definition's labels are cached by database and id."""
        key = (str(self.session.get_bind().url), definition.id)
        if key not in _CACHE:
            if len(_CACHE) > 1024:
                _CACHE.clear()
            names = sorted((definition.dependencies or {}).get("forms") or {})
            _CACHE[key] = labels_from(form_content(self.session, definition, name) for name in names)
        return _CACHE[key]

    def for_instance(self, instance_id: int) -> FieldLabels:
        """Labels are the forms' words, not the instance's data: no reading rule applies."""
        instance = self.session.get(ProcessInstance, instance_id)
        if instance is None:
            raise NotFound(N_("No process instance %(instance)s"), instance=instance_id)
        return self.for_definition(instance.definition)
