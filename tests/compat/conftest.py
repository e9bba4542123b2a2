"""Compatibility tests: models written in each modeler's dialect, run through the engine.

They run on SQLite only (the engine's database code is proven on both elsewhere; what is
tested here is how foreign BPMN is read), which keeps them fast."""
from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from engine import Actor
from engine.bundle import Bundle
from tests.conftest import MANAGER

MODELS = Path(__file__).parent / "models"
ADMIN_CLERK = Actor("claire", frozenset({"Clerk", "admin"}))


def service_task_without_boundary() -> bytes:
    """service_task.bpmn without its error boundary event and the failure path behind it (left
    behind, that path would be unreachable, which deploy refuses), as `compat_service_no_boundary`."""
    text = (MODELS / "service_task.bpmn").read_text()
    text = text[:text.index("<bpmn:boundaryEvent")] + text[text.index("</bpmn:boundaryEvent>") + len(
        "</bpmn:boundaryEvent>"):]
    start = text.index('<bpmn:scriptTask id="note_failure"')
    text = text[:start] + text[text.index("</bpmn:scriptTask>", start) + len("</bpmn:scriptTask>"):]
    for gone in ('<bpmn:sequenceFlow id="f4" sourceRef="lookup_error" targetRef="note_failure" />',
                 '<bpmn:sequenceFlow id="f5" sourceRef="note_failure" targetRef="end_failed" />',
                 '<bpmn:endEvent id="end_failed" />'):
        text = text.replace(gone, "")
    return text.replace("compat_service_task", "compat_service_no_boundary").encode()


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    import shutil
    path = tmp_path / "compat.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def deploy_models(engine):
    """deploy_models("a.bpmn", "b.json") -> the DeploymentResult (files from tests/compat/models)."""
    def deploy(*names: str, extra: dict[str, bytes] | None = None):
        uploads = [(name, (MODELS / name).read_bytes()) for name in names] + list((extra or {}).items())
        with engine.unit_of_work() as uow:
            result = uow.repository.deploy(Bundle.from_uploads(uploads), actor=MANAGER)
            uow.commit()
        return result
    return deploy


@contextlib.contextmanager
def json_server(answer):
    """An HTTP server on 127.0.0.1 whose GET answers `answer(path)` -> (status, JSON body); yields
    its address."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            status, body = answer(self.path)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def registry_server(monkeypatch):
    """A State Parties registry on 127.0.0.1: /registry/contributions/FR answers, others 404.
    Its address is what the administrator allowed the connector to call."""
    def answer(path):
        return (200, {"amount": 1200}) if path.endswith("/contributions/FR") else (404, {"error": "unknown State Party"})
    with json_server(answer) as address:
        monkeypatch.setenv("SECRETARIAT_CONNECTOR_ALLOWED_URLS", f"{address}/registry")
        yield f"{address}/registry"
