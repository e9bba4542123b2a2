"""Process texts in the reader's language: task names, instructions, form titles and labels.

A process is written once, in its original language (English in the demo), and may carry
each text again per language beside it, with a `_<language>` suffix:
- in the BPMN, extension properties of a task (`spiffworkflow:property`): `name_fr`,
  `instructions_fr` (Markdown, filled in like the original instructions);
- in a JSON Schema form, on any node: `title_fr`, `description_fr`, and
  `x-enum-labels-fr` (the labels of `enum`'s values, in the same order; `x-enum-labels`
  gives labels in the original language);
- in a UI schema, on any node: `ui:help_fr`, `ui:placeholder_fr`, `ui:title_fr`.
A text with no translation falls back to the original, so a half-translated process still
reads in one language per sentence. Only the texts people read change: values, keys and the
validation rules stay exactly as deployed."""
from __future__ import annotations

from dataclasses import replace

LANGUAGES = ("en", "fr")
ORIGINAL = "en"

_SCHEMA_TEXTS = ("title", "description")
_UI_TEXTS = ("ui:help", "ui:placeholder", "ui:title", "ui:description")
ENUM_LABELS = "x-enum-labels"
ENUM_TITLES = "x-enum-titles"  # the labels the renderer shows (engine.form_extensions sets them for people)


def text_in(texts: dict | None, key: str, original, language: str | None):
    """`texts[key_<language>]` when given and not empty, else `original`."""
    if language and language != ORIGINAL and texts:
        translated = texts.get(f"{key}_{language}")
        if isinstance(translated, str) and translated.strip():
            return translated
    return original


def task_in(task, language: str | None):
    """A TaskView (engine.views) with its name, instructions and form in `language`."""
    properties = task.properties or {}
    form = task.form
    if isinstance(form, dict):
        form = {**form, "schema": schema_in(form.get("schema"), language),
                "ui_schema": ui_schema_in(form.get("ui_schema"), language)}
    return replace(task, name=text_in(properties, "name", task.name, language),
                   instructions=text_in(properties, "instructions", task.instructions, language), form=form)


def schema_in(schema, language: str | None):
    """A copy of a JSON Schema whose titles, descriptions and enum labels are in `language`."""
    if isinstance(schema, list):
        return [schema_in(item, language) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: schema_in(value, language) for key, value in schema.items()}
    for key in _SCHEMA_TEXTS:  # (a `properties` map may name a field "title": that is no text)
        if isinstance(schema.get(key, ""), str) and (key in schema or f"{key}_{language}" in schema):
            copy[key] = text_in(schema, key, schema.get(key), language)
    labels = _enum_labels(schema, language)
    if labels is not None and ENUM_TITLES not in schema:
        copy[ENUM_TITLES] = labels
    return copy


def _enum_labels(schema: dict, language: str | None) -> list | None:
    """The labels of `enum`'s values in `language`, else in the original; None when not given."""
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    for key in ([f"{ENUM_LABELS}-{language}"] if language and language != ORIGINAL else []) + [ENUM_LABELS]:
        labels = schema.get(key)
        if isinstance(labels, list) and len(labels) == len(values):
            return [str(label) for label in labels]
    return None


def ui_schema_in(ui, language: str | None):
    """A copy of a UI schema whose help, placeholder and titles are in `language`."""
    if not isinstance(ui, dict) or not language or language == ORIGINAL:
        return ui
    copy = {key: ui_schema_in(value, language) for key, value in ui.items()}
    for key in _UI_TEXTS:
        if f"{key}_{language}" in ui:
            copy[key] = text_in(ui, key, ui.get(key), language)
    return copy
