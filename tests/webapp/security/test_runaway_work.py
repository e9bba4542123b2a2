"""Runaway work: each hostile script or template puts its instance in `error` (or shows a
notice), quickly, while the server goes on answering others; nothing a process raises
(SystemExit included) stops a worker. A real threaded HTTP server on SQLite."""
from __future__ import annotations

import threading
import time

import pytest
import requests

from engine.cli import main as secretariat
from tests.webapp.security.hostile_processes import deploy_text, script_then_task, timer_then_script

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PAYLOADS = {
    "huge_power": "x = 3 ** (2 * 10**7)",
    "huge_repeat": "x = 'x' * 10**9",
    "huge_list": "x = [0] * 10**9",
    "doubling": "s = 'x' * 1000\nfor i in range(40):\n    s = s + s",
    "huge_range": "x = list(range(10**9))",
    "huge_shift": "x = 1 << 10**9",
    "huge_width": "w = 10**9\nx = f'{1:>{w}}'",
    "huge_factorial": "x = math.factorial(10**7)",
    "endless_loop": "while True:\n    pass",
    "system_exit": "raise SystemExit(3)",
    "keyboard_interrupt": "raise KeyboardInterrupt()",
}


@pytest.fixture
def token(engine, app):
    with engine.unit_of_work() as uow:
        issued = uow.identity.issue_token("ada")
        uow.commit()
    return {"Authorization": f"Bearer {issued}"}


def _while_busy(live_server, token, busy) -> list[float]:
    """Runs `busy()` in a thread; meanwhile times other requests to the same server."""
    done = threading.Event()
    result = {}

    def run():
        result["answer"] = busy()
        done.set()
    threading.Thread(target=run, daemon=True).start()
    waits = []
    while not done.is_set():
        began = time.monotonic()
        assert requests.get(f"{live_server}/api/v1/me", headers=token, timeout=5).status_code == 200
        waits.append(time.monotonic() - began)
        time.sleep(0.05)
    return waits, result["answer"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_runaway_script_puts_its_instance_in_error_and_the_server_keeps_answering(
        engine, live_server, token, tmp_path, payload):
    deploy_text(engine, tmp_path, "hostile.bpmn", script_then_task("hostile", PAYLOADS[payload]))
    began = time.monotonic()
    waits, answer = _while_busy(live_server, token, lambda: requests.post(
        f"{live_server}/api/v1/process-instances", json={"process_key": "hostile"}, headers=token, timeout=30))
    assert answer.status_code == 201, answer.text
    assert answer.json()["state"] == "error"
    assert time.monotonic() - began < 5
    assert all(wait < 1 for wait in waits)
    assert requests.get(f"{live_server}/api/v1/me", headers=token, timeout=5).status_code == 200


@pytest.mark.parametrize("template", [
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{{ 'x' * 10**9 }}", "{{ 3 ** 20000000 }}", "{{ 'a'|center(1000000000) }}", "{{ 'a'.ljust(10**9) }}",
    "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{% for i in range(9000) %}{{ 'x' * 1000 }}{% endfor %}",
])
def test_a_runaway_instruction_template_shows_a_notice_and_the_server_keeps_answering(
        engine, live_server, token, tmp_path, template):
    deploy_text(engine, tmp_path, "hostile.bpmn", script_then_task("hostile", "x = 1", template))
    instance = requests.post(f"{live_server}/api/v1/process-instances", json={"process_key": "hostile"},
                             headers=token, timeout=30).json()
    task_id = instance["open_tasks"][0]["id"]
    began = time.monotonic()
    waits, answer = _while_busy(live_server, token, lambda: requests.get(
        f"{live_server}/api/v1/tasks/{task_id}", headers=token, timeout=30))
    assert answer.status_code == 200 and answer.json()["instructions"] == template  # given as written
    assert time.monotonic() - began < 2
    assert all(wait < 1 for wait in waits)


def test_a_system_exit_in_a_timer_script_does_not_stop_the_worker(engine, app, clock, tmp_path, database_url):
    deploy_text(engine, tmp_path, "exits.bpmn", timer_then_script("exits", "raise SystemExit(0)"))
    with engine.unit_of_work() as uow:
        from tests.conftest import MANAGER
        first, second = (uow.runtime.start("exits", actor=MANAGER).id for _ in range(2))
        uow.commit()
    clock.advance(hours=2)
    assert sorted(engine.run_due_jobs()) == sorted([first, second])  # both fired: the first did not stop the run
    with engine.unit_of_work() as uow:
        states = {uow.runtime.get(i).state for i in (first, second)}
        message = uow.runtime.get(first).error
    assert states == {"error"} and "SystemExit" in message
    assert secretariat(["--database-url", database_url, "worker", "--once"]) == 0

