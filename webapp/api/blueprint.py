"""The API's blueprint, mounted at /api/v1, and how its endpoints answer with JSON."""
from __future__ import annotations

import json

from flask import Blueprint, current_app

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")


def answer(body, status: int = 200, headers: dict | None = None):
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype="application/json")
    response.headers.update(headers or {})
    return response
