"""The documents a decision is about, gathered from the matter's data: the files attached
through a form field marked `x-attachment` (served by GET /api/v1/attachments/{id}) and the
web links given as text. The Bureau's decision page lists them right under what is decided."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from engine.services.field_labels import FieldLabels
from webapp.data_display import field_title

ATTACHMENT_URL = "/api/v1/attachments/{}"


@dataclass(frozen=True)
class Document:
    title: str
    href: str
    text: str


def _values(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str) and v.strip()]


def documents_in(matter: dict, labels: FieldLabels) -> list[Document]:
    found = []
    for key, value in matter.items():
        title = field_title(key, labels)
        for text in _values(value):
            if key in labels.attachments:
                found.append(Document(title, ATTACHMENT_URL.format(quote(text, safe="")), text))
            elif text.startswith(("https://", "http://")) and " " not in text:
                found.append(Document(title, text, text))
    return found
