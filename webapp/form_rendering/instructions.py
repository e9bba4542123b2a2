"""A task's instructions for its end user: Jinja over the task data, then Markdown, safely.

The text comes from BPMN files that managers edit in a browser, and the data from anyone who
completed an earlier step, so neither may become HTML: Jinja runs sandboxed with autoescape
on (data is escaped as it is filled in) and Markdown is rendered with raw HTML off (the
instructions' own tags are shown as text). A template that fails gives a notice, not a 500."""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup

_TEMPLATES = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Instructions:
    html: Markup | None = None
    problem: str | None = None


def render_instructions(text: str | None, data: dict | None) -> Instructions:
    if not text or not text.strip():
        return Instructions()
    try:
        filled = _TEMPLATES.from_string(text).render(data or {})
    except Exception as error:  # the template is untrusted: any failure is the modeler's to fix
        return Instructions(problem=f"The instructions of this task could not be filled in "
                                    f"({type(error).__name__}: {error}). Ask a process manager to correct them.")
    return Instructions(html=Markup(_MARKDOWN.render(filled)))


_PLAIN = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


def summary(text: str | None, data: dict | None, limit: int = 100) -> str | None:
    """The first line of the filled-in instructions as plain text (the page escapes it): it tells
    apart the parallel tasks of one step in a list, e.g. each language's translation."""
    if not text or not text.strip():
        return None
    try:
        filled = _PLAIN.from_string(text).render(data or {})
    except Exception:
        return None
    for line in filled.splitlines():
        plain = line.strip().lstrip("#>*- ").replace("**", "").replace("__", "").strip()
        if plain:
            return plain if len(plain) <= limit else plain[:limit - 1].rstrip() + "…"
    return None
