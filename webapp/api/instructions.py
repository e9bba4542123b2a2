"""A task's instructions as the API gives them: Markdown, with its Jinja filled in over the task data.

The template comes from a BPMN file, so it runs sandboxed; the answer is plain text (Markdown),
never HTML, so nothing is escaped here: a client renders the Markdown with raw HTML off, as
the pages do. A template that fails to fill in is given as written."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

_TEMPLATES = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


@lru_cache(maxsize=256)
def _template(text: str):
    return _TEMPLATES.from_string(text)


def filled(text: str | None, data: dict | None) -> str | None:
    if not text or "{" not in text:
        return text
    try:
        return _template(text).render(data or {})
    except Exception:  # untrusted template: a modeler's mistake must not fail the request
        return text
