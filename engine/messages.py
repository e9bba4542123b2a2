"""Marking the engine's user-facing sentences for translation, without knowing any language.

`N_("Please fill in “%(field)s”.")` returns its text unchanged: the engine stays free of
Flask and of catalogues, while `make messages` (pybabel, keyword N_) collects the sentence
into webapp/translations/. The edge translates it with the Problem's `message_id` and
`params` (webapp.i18n.problem_message)."""
from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name, which pybabel looks for)
    return message
