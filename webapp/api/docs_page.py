"""The API's documentation for people: an HTML page rendered on the server from the OpenAPI data."""
from __future__ import annotations

import re

from flask import render_template
from markupsafe import Markup, escape

from webapp.api.blueprint import bp
from webapp.api.openapi import DOCUMENT

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(item: dict) -> dict:
    """Follow a local `$ref` (#/components/...) once."""
    if "$ref" not in item:
        return item
    found = DOCUMENT
    for part in item["$ref"].removeprefix("#/").split("/"):
        found = found[part]
    return found


def schema_label(schema: dict | None) -> str:
    """A short human name for a schema: `Task`, `array of Task`, `string or null`."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    if "oneOf" in schema:
        return " or ".join(schema_label(s) for s in schema["oneOf"])
    kinds = schema.get("type", "any")
    label = " or ".join(kinds) if isinstance(kinds, list) else kinds
    if label == "array":
        label = f"array of {schema_label(schema.get('items'))}"
    if schema.get("format"):
        label += f" ({schema['format']})"
    return label


def prose(text: str | None) -> Markup:
    """Description text with its `code` spans as <code>, everything else escaped."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text or ""))))


def operations() -> list[dict]:
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody")
            found.append({
                "method": method.upper(), "path": DOCUMENT["servers"][0]["url"] + path, **operation,
                "anchor": operation["operationId"], "public": operation.get("security") == [],
                "params": [_resolve(p) for p in operation.get("parameters", [])],
                "body": [(media, c.get("schema")) for media, c in body["content"].items()] if body else [],
                "answers": [(status, _resolve(r)) for status, r in operation["responses"].items()],
            })
    return found


@bp.get("/docs")
def docs_page():
    return render_template("api/docs.html", info=DOCUMENT["info"], operations=operations(),
                           schemas=DOCUMENT["components"]["schemas"], label=schema_label, prose=prose)
