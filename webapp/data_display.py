"""Data shown as data: a key as its form's title, a date as a date in the reader's language, a
choice by its label, a user name as the person's name. Used by data_display.html (instance
pages) and form_rendering/readable.py (task and decision pages) alike; the labels come from
the engine (engine/services/field_labels.py), the people from the directory."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from flask import Flask
from flask_babel import format_date, format_datetime

from engine.services.field_labels import NO_LABELS, FieldLabels
from webapp.form_rendering.widgets import words

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")


def field_title(key, labels: FieldLabels | None = None) -> str:
    """The form's title for the key, else the key in words (`experience_years` -> "Experience years")."""
    return (labels or NO_LABELS).title(key) or words(str(key))


def _as_date(text: str, stated: str | None) -> str | None:
    """A date or date-time text in the reader's language; None when it is no such text."""
    try:
        if _ISO_DATE.fullmatch(text):
            return format_date(date.fromisoformat(text), "long")
        if _ISO_MOMENT.fullmatch(text) or stated == "date-time":
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
            return format_datetime(moment, "medium")
    except ValueError:
        return None
    return None


def data_text(value: str, key=None, labels: FieldLabels | None = None, people: dict | None = None) -> str:
    """A text value as a person reads it: a choice's label, a person's name, a formatted date."""
    labels = labels or NO_LABELS
    if key is not None:
        label = labels.choices.get(str(key), {}).get(value)
        if label is not None:
            return label
        if str(key) in labels.people and people and value in people:
            return people[value]
    return _as_date(value, labels.date_formats.get(str(key))) or value


def init_app(app: Flask) -> None:
    app.add_template_global(field_title)
    app.add_template_global(data_text)
