"""Web fixtures: the real app over the engine fixture, a signed-in client, a live HTTP server."""
from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from webapp import create_app

PASSWORD = "a long demo password"
USERS = {
    "claire": ["Clerk"], "colin": ["Clerk"], "diane": ["Director"], "otto": ["Translator"],
    "mara": ["manager"], "ada": ["admin"],
}


@pytest.fixture
def app(engine, tmp_path):
    with engine.unit_of_work() as uow:
        for username, roles in USERS.items():
            uow.identity.add_user(username, roles, password=PASSWORD, display_name=username.title())
        uow.commit()
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False}, engine=engine)
    app.instance_path = str(tmp_path)
    return app


def csrf_token_from(html: str) -> str:
    found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Browser:
    """The Flask test client with a signed-in user and the CSRF token at hand."""

    def __init__(self, client):
        self.client = client
        self.csrf = None

    def login(self, username: str, password: str = PASSWORD):
        page = self.client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        answer = self.client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        self.csrf = csrf_token_from(self.client.get("/login").get_data(as_text=True))
        return answer

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf)
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser_as(app):
    """browser_as("claire") -> a signed-in test-client browser."""
    def make(username: str) -> Browser:
        browser = Browser(app.test_client())
        answer = browser.login(username)
        assert answer.status_code == 302, answer.get_data(as_text=True)
        return browser
    return make


@pytest.fixture
def live_server(app):
    """The app on a real HTTP port of this machine, for HTTP clients and the browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
