"""The JSON API under /api/v1 (the contract in shared/API.md), described by its OpenAPI document.

One module per area: definitions (and deployments), instances, tasks, messages and jobs, comments;
`access` authenticates every call, `params` checks requests, `serializers` shapes answers,
`problems` turns every error into application/problem+json."""
from __future__ import annotations

from flask import Flask

from webapp.api import (  # noqa: F401
    access, comments, dashboard, definitions, directory, docs_page, instances, messages_jobs, migration, openapi,
    problems, tasks,
)
from webapp.api import attachments, saved_filters  # noqa: F401  (issue 12)
from webapp.api.blueprint import bp
from webapp.errors import render_api_problems_with
from webapp.extensions import csrf


def init_app(app: Flask) -> None:
    csrf.exempt(bp)  # session-cookie changes are checked by `access`, bearer-token calls need no CSRF
    render_api_problems_with(app, problems.render)
    app.register_blueprint(bp)
