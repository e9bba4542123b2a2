"""API fixtures: a client per user (bearer token or browser session), every answer checked
against the OpenAPI document; and the engine test processes, deployed and started."""
from __future__ import annotations

import pytest

from tests.webapp.api.client import Api, start
from tests.webapp.conftest import USERS


_HASHES: dict = {}


@pytest.fixture(autouse=True)
def password_hashed_once(monkeypatch):
    """scrypt takes a quarter of a second: hash the test password once per run, not for every user of
    every test (a salted hash stays valid for its password, so signing in works as before)."""
    from engine.services import identity
    original = identity.generate_password_hash

    def hashed_once(password, method="scrypt", **options):
        if (password, method) not in _HASHES:
            _HASHES[password, method] = original(password, method=method, **options)
        return _HASHES[password, method]
    monkeypatch.setattr(identity, "generate_password_hash", hashed_once)


@pytest.fixture
def tokens(engine, app):
    """A bearer token for each of the web tests' users (claire, colin, diane, otto, mara, ada)."""
    with engine.unit_of_work() as uow:
        issued = {name: uow.identity.issue_token(name) for name in USERS}
        uow.commit()
    return issued


@pytest.fixture
def api_as(app, tokens):
    """api_as("claire") calls with claire's bearer token; api_as(None) calls anonymously."""
    def make(username: str | None) -> Api:
        headers = {"Authorization": f"Bearer {tokens[username]}"} if username else {}
        return Api(app, app.test_client(), headers)
    return make


@pytest.fixture
def session_api(app, browser_as):
    """session_api("claire", csrf=True) calls with a signed-in browser's cookie (and its CSRF token)."""
    def make(username: str, csrf: bool = True) -> Api:
        browser = browser_as(username)
        return Api(app, browser.client, {"X-CSRFToken": browser.csrf} if csrf else {})
    return make


@pytest.fixture
def deployed(deploy):
    """The engine's test processes that the API tests use."""
    return deploy("approval.bpmn", "request.schema.json", "review.schema.json", "note.schema.json",
                  "timer_interrupting.bpmn", "message_wait.bpmn", "script_error.bpmn")


@pytest.fixture
def approval(deployed, api_as):
    """A fresh approval instance, started by claire (Clerk), waiting on `submit_request`."""
    return start(api_as("claire"), "approval")

