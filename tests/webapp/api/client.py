"""The Flask test client speaking to /api/v1, every answer checked against the OpenAPI document."""
from __future__ import annotations

import json as jsonlib

from tests.webapp.api.contract import BASE, check_answer, rule_for


class Answer:
    """A test-client response, with the JSON body at hand."""

    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.headers = response.headers
        self.text = response.get_data(as_text=True)

    @property
    def json(self):
        return jsonlib.loads(self.text)

    def __repr__(self) -> str:
        return f"<Answer {self.status} {self.text[:500]}>"


class Api:
    """Calls /api/v1 as one caller; paths are relative to /api/v1."""

    def __init__(self, app, client, headers: dict | None = None):
        self.app, self.client, self.headers = app, client, dict(headers or {})

    def call(self, method: str, path: str, json=None, raw: bytes | str | None = None, headers=None, **kwargs):
        url = BASE + path
        sent = {**self.headers, **(headers or {})}
        if json is not None:
            raw, sent = jsonlib.dumps(json), {"Content-Type": "application/json", **sent}
        response = self.client.open(url, method=method, data=raw if raw is not None else kwargs.pop("data", None),
                                    headers=sent, **kwargs)
        check_answer(method, rule_for(self.app, method, url), response.status_code,
                     response.headers.get("Content-Type", ""), response.get_data())
        return Answer(response)

    def get(self, path: str, **kwargs) -> Answer:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, json=None, **kwargs) -> Answer:
        return self.call("POST", path, json=json, **kwargs)


def start(api: Api, key: str, data=None, **fields) -> dict:
    answer = api.post("/process-instances", {"process_key": key, "data": data or {}, **fields})
    assert answer.status == 201, answer
    return answer.json
