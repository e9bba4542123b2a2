"""A task's instructions as the API gives them: Markdown, filled in over the task data by the
engine's one bounded sandbox (engine.instructions).

The answer is plain text (Markdown), never HTML: a client renders it with raw HTML off, as the
pages do. A template that fails to fill in, or runs past its bounds, is given as written."""
from __future__ import annotations

from engine.instructions import fill


def filled(text: str | None, data: dict | None) -> str | None:
    return given_as(text, fill(text, data))


def given_as(text: str | None, result) -> str | None:
    """The filled-in text; the template as written when it could not be filled in."""
    return text if result.problem is not None else result.text if text and text.strip() else text
