"""A task's instructions for its end user: filled in by the engine's one bounded Jinja sandbox
(engine.instructions), then Markdown, safely.

The text comes from BPMN files that managers edit in a browser, and the data from anyone who
completed an earlier step, so neither may become HTML: Markdown is rendered with raw HTML off
(tags in the instructions or in the data are shown as text). A template that fails or runs
away gives a notice, not a 500 and not a stalled page."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup

from engine.instructions import fill

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Instructions:
    html: Markup | None = None
    problem: str | None = None


def render_instructions(text: str | None, data: dict | None) -> Instructions:
    filled = fill(text, data)
    if filled.problem is not None:
        return Instructions(problem=_("The instructions of this task could not be filled in (%(reason)s). "
                                      "Ask a process manager to correct them.", reason=filled.problem))
    return Instructions(html=Markup(_MARKDOWN.render(filled.text))) if filled.text else Instructions()


def summary(text: str | None, data: dict | None, limit: int = 100) -> str | None:
    """The first line of the filled-in instructions as plain text (the page escapes it): it tells
    apart the parallel tasks of one step in a list, e.g. each language's translation."""
    filled = fill(text, data).text
    for line in (filled or "").splitlines():
        plain = line.strip().lstrip("#>*- ").replace("**", "").replace("__", "").strip()
        if plain:
            return plain if len(plain) <= limit else plain[:limit - 1].rstrip() + "…"
    return None
