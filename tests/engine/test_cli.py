"""The `secretariat` command line, run as a user runs it."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import FIXTURES


def secretariat(database_url, *args, stdin=None):
    env = {**os.environ, "SECRETARIAT_DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


def test_upgrade_deploy_users_and_tokens(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert secretariat(url, "db", "upgrade").returncode == 0
    deployed = secretariat(url, "deploy", str(FIXTURES / "approval.bpmn"), str(FIXTURES / "request.schema.json"),
                           str(FIXTURES / "review.schema.json"))
    assert deployed.returncode == 0, deployed.stderr
    assert "approval: version 1 (new version)" in deployed.stdout
    again = secretariat(url, "deploy", str(FIXTURES / "approval.bpmn"), str(FIXTURES / "request.schema.json"),
                        str(FIXTURES / "review.schema.json"))
    assert "approval: version 1 (unchanged)" in again.stdout

    added = secretariat(url, "users", "add", "alice", "--role", "Registrar", "--role", "admin",
                        "--password-stdin", stdin="a long password\n")
    assert added.returncode == 0 and "Registrar" in added.stdout
    token = secretariat(url, "users", "token", "alice")
    assert token.returncode == 0 and len(token.stdout.strip()) >= 40
    assert secretariat(url, "worker", "--once").returncode == 0


def test_bad_input_exits_1_with_the_problems(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    secretariat(url, "db", "upgrade")
    failed = secretariat(url, "deploy", str(FIXTURES / "bad" / "dangling_flow.bpmn"))
    assert failed.returncode == 1 and "dangling_flow.bpmn:" in failed.stderr
    warned = secretariat(url, "deploy", str(FIXTURES / "bad" / "missing_form.bpmn"))
    assert warned.returncode == 0
    assert "warning:" in warned.stdout and "nonexistent.schema.json" in warned.stdout
    unknown = secretariat(url, "users", "token", "nobody")
    assert unknown.returncode == 1 and "No user 'nobody'" in unknown.stderr
