"""The page language: the user's choice, else the browser's Accept-Language, else English.

Catalogues live in webapp/translations/ (compiled by `make install`); templates and Python
code mark their words with `_()` / `gettext()` so pybabel can extract them.
"""
from flask import Flask, request
from flask_babel import Babel
from flask_login import current_user

LANGUAGES = ("en", "fr")

babel = Babel()


def select_locale() -> str:
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    if request:
        return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]
    return LANGUAGES[0]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
