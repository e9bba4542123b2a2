"""The command line's part in notifications: a user with an e-mail address and a display name,
and `secretariat worker` sending the outbox through SECRETARIAT_SMTP_URL."""
from __future__ import annotations

import os
import subprocess
import sys

from engine import Actor, Engine
from engine.settings import Settings
from tests.conftest import FIXTURES
from tests.support.mail_server import mail_server  # noqa: F401  (fixture)


def secretariat(database_url, *args, environment=None):
    env = {**os.environ, "SECRETARIAT_DATABASE_URL": database_url, **(environment or {})}
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_users_get_an_address_and_the_worker_mails_them(tmp_path, mail_server):  # noqa: F811
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    mail = {"SECRETARIAT_SMTP_URL": mail_server.url, "SECRETARIAT_BASE_URL": "https://asp.example.org"}
    assert secretariat(url, "db", "upgrade").returncode == 0
    assert secretariat(url, "deploy", *(str(FIXTURES / n) for n in ("approval.bpmn", "request.schema.json",
                                                                     "review.schema.json"))).returncode == 0
    added = secretariat(url, "users", "add", "colin", "--role", "Clerk", "--email", "colin@example.org",
                        "--display-name", "Colin Mbeki")
    assert added.returncode == 0, added.stderr
    refused = secretariat(url, "users", "add", "carl", "--email", "not an address")
    assert refused.returncode == 1 and "email" in refused.stderr

    engine = Engine(url, settings=Settings(smtp_url=mail_server.url, base_url="https://asp.example.org"))
    with engine.unit_of_work() as uow:
        assert uow.notifications.get("colin").email == "colin@example.org"
        assert uow.identity.get("colin").display_name == "Colin Mbeki"
        uow.runtime.start("approval", actor=Actor("clara", frozenset({"Clerk"})))  # colin is told
        uow.commit()
    engine.dispose()
    assert mail_server.messages == []  # queued, not sent: sending is the worker's
    worked = secretariat(url, "worker", "--once", environment=mail)
    assert worked.returncode == 0, worked.stderr
    message = mail_server.wait_for(lambda m: "<colin@example.org>" in m["To"])
    assert "Colin Mbeki" in message["To"] and "Submit request" in message["Subject"]
