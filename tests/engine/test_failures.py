"""Failing scripts, concurrent completions and crashes mid-action lose nothing."""
from __future__ import annotations

import threading

import pytest

from engine import Conflict
from tests.conftest import ADMIN
from tests.engine.helpers import CLERK, OTHER_CLERK, complete, events, get, history, start


def test_a_failing_script_puts_the_instance_in_error_and_retry_runs_it_again(engine, deploy):
    deploy("script_error.bpmn", "note.schema.json")
    instance = start(engine, "script_error", divisor=0)
    assert instance.state == "error"
    assert "division by zero" in instance.error
    [error] = [e for e in history(engine, instance.id) if e.event == "error"]
    assert error.element_id == "divide" and "division by zero" in error.data["message"]

    with engine.unit_of_work() as uow:
        fixed = uow.runtime.retry(instance.id, ADMIN, data={"divisor": 4})
        uow.commit()
    assert fixed.state == "running" and fixed.error is None
    assert fixed.open_tasks[0].data["result"] == 2.5
    assert "retried" in events(engine, instance.id)


def test_cancel_closes_tasks_and_refuses_more_work(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    with engine.unit_of_work() as uow:
        cancelled = uow.runtime.cancel(instance.id, ADMIN, reason="withdrawn")
        uow.commit()
    assert cancelled.state == "cancelled" and cancelled.open_tasks == []
    with pytest.raises(Conflict):
        complete(engine, instance.open_tasks[0].id, data={"title": "x", "amount": 1})
    with engine.unit_of_work() as uow, pytest.raises(Conflict):
        uow.runtime.cancel(instance.id, ADMIN)


def test_two_sessions_completing_one_task_at_once_one_wins(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    task_id = instance.open_tasks[0].id
    barrier = threading.Barrier(2)
    outcomes = {}

    def attempt(actor):
        try:
            with engine.unit_of_work() as uow:
                uow.tasks.get(task_id)
                barrier.wait(timeout=10)
                uow.tasks.complete(task_id, actor, {"title": actor.username, "amount": 1})
                uow.commit()
            outcomes[actor.username] = "ok"
        except Conflict as error:
            outcomes[actor.username] = error
    threads = [threading.Thread(target=attempt, args=(a,)) for a in (CLERK, OTHER_CLERK)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    results = sorted(outcomes.values(), key=lambda v: v != "ok")
    assert results[0] == "ok" and isinstance(results[1], Conflict), outcomes

    final = get(engine, instance.id)
    assert [t.element_id for t in final.open_tasks] == ["review_request"]
    completions = [e for e in history(engine, instance.id) if e.event == "task_completed"]
    assert len(completions) == 1
    assert final.data["title"] == completions[0].actor


def test_an_exception_mid_action_leaves_the_last_committed_state(engine, deploy, monkeypatch):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    instance = start(engine, "approval")
    before = history(engine, instance.id)

    from engine.bpmn import store

    def explode(workflow):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(store, "dump_state", explode)
    with pytest.raises(RuntimeError):
        complete(engine, instance.open_tasks[0].id, data={"title": "x", "amount": 1})
    monkeypatch.undo()

    after = get(engine, instance.id)
    assert [t.element_id for t in after.open_tasks] == ["submit_request"]
    assert after.open_tasks[0].state == "open"
    assert history(engine, instance.id) == before
    assert complete(engine, after.open_tasks[0].id, data={"title": "x", "amount": 1}).process_instance.state == "running"


def _with_script(tmp_path, script: str) -> list:
    from tests.conftest import FIXTURES
    bpmn = (FIXTURES / "script_error.bpmn").read_text().replace("result = 10 / divisor", script)
    (tmp_path / "script_error.bpmn").write_text(bpmn)
    return [tmp_path / "script_error.bpmn", FIXTURES / "note.schema.json"]


@pytest.mark.parametrize("script", ["import os", "().__class__.__mro__[1].__subclasses__()",
                                    "from subprocess import run"])
def test_escaping_scripts_are_refused_at_deploy(engine, tmp_path, script):
    from engine import InvalidDeployment
    from tests.conftest import MANAGER
    with engine.unit_of_work() as uow, pytest.raises(InvalidDeployment) as caught:
        uow.repository.deploy_paths(_with_script(tmp_path, script), actor=MANAGER)
    assert any(p.element_id == "divide" for p in caught.value.problems)


@pytest.mark.parametrize("script,message", [
    ("secret = open('/etc/passwd').read()", "open"),
    ("f = lambda: 1\nleak = getattr(f, '__globals__')", "__globals__"),
    ("while True:\n    pass", "time limit"),
    ("leak = [].__class__", "__class__"),
])
def test_escaping_scripts_put_the_instance_in_error_and_touch_nothing(engine, deploy, tmp_path, script, message):
    marker = tmp_path / "marker.txt"
    marker.write_text("intact")
    from tests.conftest import MANAGER
    with engine.unit_of_work() as uow:
        try:
            uow.repository.deploy_paths(_with_script(tmp_path, script), actor=MANAGER)
            uow.commit()
        except Exception as refused:  # refused at deploy is as good as refused at run time
            assert message in str(refused)
            return
    instance = start(engine, "script_error", divisor=1)
    assert instance.state == "error" and message in instance.error
    assert marker.read_text() == "intact"
    assert "secret" not in instance.data and "leak" not in instance.data


def test_parallel_branches_completed_at_the_same_moment_both_land_with_attempt(engine, deploy):
    deploy("gateways.bpmn", "note.schema.json")
    instance = start(engine, "gateways", mode="fast", branches=["a"])
    barrier = threading.Barrier(2)
    outcomes = []
    # On SQLite a writing unit of work holds the write lock from its start, so the second waits
    # for the first to commit and never reads stale state: there both simply land.
    racing = engine.database.sql_engine.dialect.name != "sqlite"

    def finish(task, actor):
        rounds = []

        def action(uow):
            uow.tasks.get(task.id)
            rounds.append(1)
            if len(rounds) == 1 and racing:
                barrier.wait(timeout=10)  # both first attempts race; a retry runs alone
            return uow.tasks.complete(task.id, actor, {"note": actor.username})
        outcomes.append(engine.attempt(action))
    threads = [threading.Thread(target=finish, args=(t, a)) for t, a in zip(instance.open_tasks, (CLERK, OTHER_CLERK))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 2
    assert get(engine, instance.id).state == "completed"
