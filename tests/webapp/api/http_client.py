"""A real HTTP client (urllib) for the live server, with a bearer token; every answer is checked
against the OpenAPI document like the test client's."""
from __future__ import annotations

import json as jsonlib
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from tests.webapp.api.contract import BASE, check_answer, rule_for


@dataclass
class HttpAnswer:
    status: int
    headers: dict
    text: str

    @property
    def json(self):
        return jsonlib.loads(self.text)


def multipart(field: str, files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body with `field` repeated, one part per file."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class HttpApi:
    def __init__(self, app, server: str, token: str | None):
        self.app, self.server, self.token = app, server, token

    def call(self, method: str, path: str, json=None, body: bytes | None = None, content_type: str | None = None,
             timeout: float = 60) -> HttpAnswer:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if json is not None:
            body, content_type = jsonlib.dumps(json).encode(), "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.server + BASE + path, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, answer_headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, raw = error.code, dict(error.headers), error.read()
        check_answer(method, rule_for(self.app, method, BASE + path), status,
                     answer_headers.get("Content-Type", ""), raw)
        return HttpAnswer(status, answer_headers, raw.decode())

    def get(self, path: str) -> HttpAnswer:
        return self.call("GET", path)

    def post(self, path: str, json=None) -> HttpAnswer:
        return self.call("POST", path, json=json if json is not None else {})

    def deploy(self, files: list[tuple[str, bytes]]) -> HttpAnswer:
        body, content_type = multipart("files", files)
        return self.call("POST", "/deployments", body=body, content_type=content_type)
