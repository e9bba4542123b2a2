"""The Secretariat's web application: pages for staff, managers and the Bureau, and the JSON API."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, redirect, url_for
from flask_login import current_user

from engine import Engine
from engine.attachment_storage import DEFAULT_MAX_BYTES, AttachmentPolicy
from engine.settings import Settings
from webapp import auth, data_display, errors, i18n, navigation, security
from webapp.extensions import csrf, login_manager

# Each area of the product is one blueprint; they are registered when their module exists.
BLUEPRINT_MODULES = ("inbox", "tasks", "processes", "instances", "bureau", "admin", "modeler", "api",
                     "collaboration", "comments", "account", "dashboard")


def _config_from(settings: Settings) -> dict:
    """The typed settings (engine.settings) as Flask configuration; unset ones keep the defaults."""
    config = {"PER_PAGE": settings.per_page, "TIMER_WORKER": settings.timer_worker,
              "ATTACHMENT_FOLDER": settings.attachment_folder, "ATTACHMENT_MAX_BYTES": settings.attachment_max_bytes}
    if settings.database_url:
        config["DATABASE_URL"] = settings.database_url
    if settings.secret_key:
        config["SECRET_KEY"] = settings.secret_key
    if settings.session_cookie_secure is not None:
        config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = settings.session_cookie_secure
    return config


def _secret_key(instance_path: Path) -> str:
    """Kept in the instance folder so sessions survive restarts without a key in the code."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(test_config: dict | None = None, engine: Engine | None = None) -> Flask:
    settings = Settings.from_environment()
    app = Flask(__name__, instance_path=settings.instance_path or None)
    app.config.update(
        DATABASE_URL=None, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None, PER_PAGE=20, TIMER_WORKER=False,
    )
    app.config.update(_config_from(settings))
    app.extensions["settings"] = settings
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))

    app.extensions["engine"] = engine or Engine(app.config.get("DATABASE_URL"))
    app.extensions["engine"].context.attachments = AttachmentPolicy(
        app.config.get("ATTACHMENT_FOLDER"), int(app.config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES))
    csrf.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(auth.bp)
    for name in BLUEPRINT_MODULES:
        _register_if_present(app, name)
    app.add_url_rule("/", "home", _home)
    app.jinja_env.globals["nav_link_available"] = lambda endpoint: endpoint in app.view_functions
    navigation.init_app(app)
    data_display.init_app(app)
    return app


def _home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    from flask import current_app
    return redirect(url_for("inbox.index") if "inbox.index" in current_app.view_functions else url_for("auth.login"))


def _register_if_present(app: Flask, name: str) -> None:
    import importlib
    try:
        module = importlib.import_module(f"webapp.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"webapp.{name}":
            return
        raise
    module.init_app(app) if hasattr(module, "init_app") else app.register_blueprint(module.bp)
