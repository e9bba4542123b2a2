"""The OpenAPI document describes exactly the routes there are, and the docs page shows it to people."""
from __future__ import annotations

import json
import re

from jsonschema import Draft202012Validator

from tests.webapp.api.contract import BASE, openapi_path
from tests.webapp.api.optional_packages import require
from webapp.api.openapi import DOCUMENT

IMPLICIT = {"HEAD", "OPTIONS"}


def documented_operations() -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in DOCUMENT["paths"].items() for method in item}


def test_every_api_route_is_documented_and_every_documented_operation_exists(app):
    routed = {(openapi_path(rule.rule), method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith(BASE + "/") for method in rule.methods - IMPLICIT}
    assert routed - documented_operations() == set(), "routes missing from the OpenAPI document"
    assert documented_operations() - routed == set(), "documented operations with no route"


def test_the_document_is_valid_openapi_3_1_with_valid_schemas():
    require("schemathesis").openapi.from_dict(json.loads(json.dumps(DOCUMENT))).validate()
    for name, schema in DOCUMENT["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    ids = [op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_every_reference_resolves():
    text = json.dumps(DOCUMENT)
    for reference in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        found = DOCUMENT
        for part in reference.split("/"):
            found = found[part]


def test_every_operation_but_the_documentation_needs_a_caller_and_says_401():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            public = operation.get("security") == []
            assert public == (path in ("/openapi.json", "/docs")), (method, path)
            assert public or "401" in operation["responses"], (method, path)


def test_the_document_is_served_without_signing_in(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.get_json() == json.loads(json.dumps(DOCUMENT))


def test_the_docs_page_lists_every_endpoint_parameter_and_schema_without_external_scripts(client):
    answer = client.get("/api/v1/docs")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    html = answer.get_data(as_text=True)
    for path, item in DOCUMENT["paths"].items():
        for method in item:
            assert f"{method.upper()} {BASE}{path}" in html
    for parameter in DOCUMENT["components"]["parameters"].values():
        assert f"<code>{parameter['name']}</code>" in html
    for name in DOCUMENT["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
