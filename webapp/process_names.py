"""Process names in the reader's language: a `bpmn:process` may carry `name_fr` (a
`spiffworkflow:property` in its extension elements, engine.process_texts), read from the
deployed BPMN once per version and language (a deployed version never changes)."""
from __future__ import annotations

from dataclasses import replace

from flask import g

from engine.process_texts import ORIGINAL
from engine.views import DefinitionView
from webapp.bpmn_outline import element_names

MAX_REMEMBERED = 1024
_names: dict[tuple[str, int, str], str] = {}


def latest_definitions(uow) -> list[DefinitionView]:
    """The latest definitions, read once per request: a page that lists them and the
    navigation (which asks whether the user may start anything) share one query."""
    if "latest_definitions" not in g:
        g.latest_definitions = uow.repository.latest()
    return g.latest_definitions


def in_language(uow, definitions: list[DefinitionView], language: str) -> list[DefinitionView]:
    """The definitions, each named in `language` where its process gives that name."""
    return [named_in(uow, d, language) for d in definitions]


def named_in(uow, definition: DefinitionView, language: str) -> DefinitionView:
    if language == ORIGINAL:
        return definition
    key = (definition.key, definition.version, language)
    if key not in _names:
        if len(_names) >= MAX_REMEMBERED:
            _names.clear()
        names = element_names(uow.repository.bpmn_xml(definition.key, definition.version), language)
        _names[key] = names.get(definition.key, definition.name)
    return replace(definition, name=_names[key])
