"""The page language: the user's choice, else the browser's Accept-Language, else English.

The choice is stored per user (users.language) and, for pages before signing in, in the
session; the switch in the header posts to /language. Catalogues live in
webapp/translations/ (`make messages` extracts and merges them, `make install` compiles
them); templates and Python code mark their words with `_()` / `gettext()`, the engine its
user-facing messages with `engine.messages.N_`, translated here at the edge."""
from __future__ import annotations

from flask import Blueprint, Flask, flash, g, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user

from engine.process_texts import LANGUAGES, task_in

SESSION_KEY = "language"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language, as switches show them

# The states of instances (engine.services.execution) and of tasks (engine.services.tasks) as
# words; apart, since languages agree them with the noun (un dossier terminé, une tâche terminée).
STATE_NAMES = {"open": _l("open"), "completed": _l("completed"), "cancelled": _l("cancelled"),
               "running": _l("running"), "suspended": _l("suspended"), "error": _l("error")}
TASK_STATE_NAMES = {"open": lazy_pgettext("task", "open"), "completed": lazy_pgettext("task", "completed"),
                    "cancelled": lazy_pgettext("task", "cancelled")}

babel = Babel()
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if request and request.path.startswith("/api/") and request.headers.get("Accept-Language"):
        return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]  # a client asks per request
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    if request:
        if session.get(SESSION_KEY) in LANGUAGES:
            return session[SESSION_KEY]
        return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]
    return LANGUAGES[0]


def page_language() -> str:
    """The language of the page being made ("en" or "fr")."""
    return str(get_locale() or LANGUAGES[0]).split("_")[0]


@bp.post("/language")
def switch():
    """Remembered for this browser, and for the signed-in user on every device."""
    from webapp.engine_access import engine  # here, not above: those modules import this one
    from webapp.task_routing import local_target
    language = request.form.get("language", "")
    target = local_target(request.form.get("next"), url_for("home"))
    if language not in LANGUAGES:
        flash(gettext("Choose one of the offered languages."), "error")
        return redirect(target)
    session[SESSION_KEY] = language
    if current_user.is_authenticated and not getattr(current_user, "via_token", False):
        username = current_user.username
        engine().attempt(lambda uow: uow.identity.set_language(username, language))
    return redirect(target)


def problem_message(problem) -> str:
    """An engine Problem's message in the page language: translated from its message id when
    the engine gave one (engine.messages), else as the engine wrote it."""
    if getattr(problem, "message_id", None):
        return gettext(problem.message_id, **(problem.params or {}))
    return problem.message


# The verbs of the instance actions a refusal may name ("... cannot be resumed").
ACTION_NAMES = {"cancelled": _l("cancelled"), "suspended": _l("suspended"), "resumed": _l("resumed"),
                "retried": _l("retried")}


def error_message(error: Exception) -> str:
    """An engine refusal (NotFound, PermissionDenied, Conflict...) in the page language: from
    its message id and parameters when the engine gave them (engine.errors.EngineError), a
    state or an action named in it translated too; else its English text, translated when the
    catalogue has that exact sentence."""
    message_id = getattr(error, "message_id", None)
    if not message_id:
        return gettext(str(error)) if str(error) else ""
    params = dict(error.params or {})
    if "state" in params:
        names = TASK_STATE_NAMES if message_id.startswith("The task") else STATE_NAMES
        params["state"] = str(names.get(params["state"], params["state"]))
    if "verb" in params:
        params["verb"] = str(ACTION_NAMES.get(params["verb"], params["verb"]))
    return gettext(message_id, **params)


def translated(text: str | None) -> str | None:
    """A fixed English text from the engine (a title marked with N_) in the page language."""
    return gettext(text) if text else text


def _datetime(value, format: str = "medium"):
    return format_datetime(value, format) if value else ""


def _date(value, format: str = "medium"):
    return format_date(value, format) if value else ""


def _number(value):
    return format_decimal(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _page_translations():
    """The catalogue of the page being rendered, looked up once per request: Flask-Babel's own
    template callables look it up again through the request context for every string (about
    200 of them on an inbox page, a tenth of its time). Outside a request, each time."""
    if not has_request_context():
        return get_translations()
    found = g.get("_page_translations")
    if found is None:
        found = g._page_translations = get_translations()
    return found


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n), newstyle=True)
    app.register_blueprint(bp)
    app.jinja_env.filters.update(datetime=_datetime, date=_date, number=_number,
                                 localized_task=lambda task: task_in(task, page_language()))
    app.jinja_env.globals.update(page_language=page_language, LANGUAGE_NAMES=LANGUAGE_NAMES, state_names=STATE_NAMES,
                                 task_state_names=TASK_STATE_NAMES,
                                 problem_message=problem_message)
