"""Credentials that can be cut off: sign-in throttling, token expiry and revocation, and
"a reset ends everything" (API.md, who may read and act). SQLite: these are rules, not races."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from engine.cli import main as secretariat
from tests.webapp.conftest import PASSWORD, csrf_token_from

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _sign_in(client, username: str, password: str):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def _token(engine, username: str, **options) -> dict:
    with engine.unit_of_work() as uow:
        token = uow.identity.issue_token(username, **options)
        uow.commit()
    return {"Authorization": f"Bearer {token}"}


def test_five_wrong_passwords_lock_the_user_name_for_fifteen_minutes_even_with_the_right_one(app, client, clock):
    for _ in range(5):
        assert _sign_in(client, "claire", "not the password").status_code == 401
    refused = _sign_in(client, "claire", PASSWORD)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert _sign_in(app.test_client(), "colin", PASSWORD).status_code == 302  # only that name is locked
    clock.advance(minutes=15, seconds=1)
    assert _sign_in(client, "claire", PASSWORD).status_code == 302


def test_a_session_cookie_replayed_after_sign_out_no_longer_signs_in(app, browser_as):
    browser = browser_as("claire")
    cookie = browser.client.get_cookie("session").value
    assert browser.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/inbox").status_code == 302  # to the log-in page
    assert replay.get("/api/v1/me").status_code == 401


def test_a_password_reset_ends_every_session_and_token(app, engine, browser_as):
    headers = _token(engine, "claire")
    claire, ada = browser_as("claire"), browser_as("ada")
    assert claire.get("/inbox").status_code == 200 and app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    answer = ada.post("/admin/users/claire/password", data={"password": "another long password"})
    assert answer.status_code in (200, 302)
    assert claire.get("/inbox").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_deactivation_ends_every_token(app, engine):
    headers = _token(engine, "otto")
    with engine.unit_of_work() as uow:
        uow.identity.set_active("otto", False)
        uow.identity.set_active("otto", True)
        uow.commit()
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_tokens_expire_after_ninety_days_by_default_or_as_asked(app, engine, clock):
    default, short = _token(engine, "claire"), _token(engine, "claire", expires_in_days=1)
    clock.advance(days=2)
    assert app.test_client().get("/api/v1/me", headers=short).status_code == 401
    assert app.test_client().get("/api/v1/me", headers=default).status_code == 200
    engine.context.token_cache.forget(username="claire")
    clock.advance(days=89)
    assert app.test_client().get("/api/v1/me", headers=default).status_code == 401


def test_delete_tokens_current_revokes_that_token_only(app, engine):
    first, second = _token(engine, "claire"), _token(engine, "claire")
    client = app.test_client()
    assert client.get("/api/v1/me", headers=first).status_code == 200
    answer = client.delete("/api/v1/tokens/current", headers=first)
    assert answer.status_code == 204
    assert client.get("/api/v1/me", headers=first).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 200


def test_revoke_tokens_from_the_command_line_takes_effect_within_seconds(app, engine, database_url, capsys):
    """Another process revokes (the CLI): this server's token cache forgets it within its TTL."""
    engine.context.token_cache.ttl_seconds = 0.5
    headers = _token(engine, "claire")
    client = app.test_client()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert secretariat(["--database-url", database_url, "users", "revoke-tokens", "claire"]) == 0
    assert "Revoked 1 token(s)" in capsys.readouterr().out
    deadline = time.monotonic() + 3
    while client.get("/api/v1/me", headers=headers).status_code == 200:
        assert time.monotonic() < deadline, "the revoked token still works"
        time.sleep(0.1)


def test_the_command_line_issues_tokens_that_expire(engine, clock, database_url, capsys):
    clock.set(datetime.now(timezone.utc))  # the command line runs on the system clock
    assert secretariat(["--database-url", database_url, "users", "add", "eve", "--role", "Clerk"]) == 0
    assert secretariat(["--database-url", database_url, "users", "token", "eve", "--expires-in", "3"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    with engine.unit_of_work() as uow:
        assert uow.identity.user_for_token(token).username == "eve"
    engine.clock.advance(days=4)
    engine.context.token_cache.forget(username="eve")
    with engine.unit_of_work() as uow:
        assert uow.identity.user_for_token(token) is None


def test_a_cached_token_costs_no_query(app, engine):
    from sqlalchemy import event
    headers = _token(engine, "claire")
    client = app.test_client()
    client.get("/api/v1/me", headers=headers)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine.database.sql_engine, "before_cursor_execute", listener)
    try:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    finally:
        event.remove(engine.database.sql_engine, "before_cursor_execute", listener)
    assert statements == []
