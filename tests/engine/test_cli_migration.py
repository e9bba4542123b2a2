"""`secretariat instances migrate`, run as an administrator runs it."""
from __future__ import annotations

from engine import Engine
from tests.conftest import FIXTURES
from tests.engine.approval_versions import with_added_task
from tests.engine.helpers import start
from tests.engine.test_cli import secretariat


def test_instances_migrate_dry_run_then_for_real_one_and_all(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert secretariat(url, "db", "upgrade").returncode == 0
    files = [str(FIXTURES / n) for n in ("approval.bpmn", "request.schema.json", "review.schema.json",
                                         "note.schema.json")]
    assert secretariat(url, "deploy", *files).returncode == 0
    engine = Engine(url)
    first, second = start(engine, "approval"), start(engine, "approval")
    (tmp_path / "approval.bpmn").write_text(with_added_task())
    assert secretariat(url, "deploy", str(tmp_path / "approval.bpmn")).returncode == 0

    dry = secretariat(url, "instances", "migrate", str(first.id), "--dry-run")
    assert dry.returncode == 0 and f"instance {first.id}: would move from version 1 to version 2" in dry.stdout
    one = secretariat(url, "instances", "migrate", str(first.id), "--user", "ada")
    assert one.returncode == 0 and "moved from version 1 to version 2" in one.stdout
    every = secretariat(url, "instances", "migrate", "--process", "approval")
    assert every.returncode == 0 and f"instance {second.id}: moved" in every.stdout
    back = secretariat(url, "instances", "migrate", str(first.id), "--to-version", "2")
    assert back.returncode == 1 and "already runs version 2" in back.stdout
