"""`secretariat serve` as an operator runs it: several web processes and a timer worker process
on one database, answering clients at once, losing nothing, stopping together."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from engine import Actor, Engine
from tests.conftest import FIXTURES

MANAGER = Actor("mara", frozenset({"manager"}))
QUICK_TIMER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="quick_timer_definitions"
    targetNamespace="http://spiffworkflow.org/bpmn/schema/1.0/core">
  <bpmn:process id="quick_timer" name="Quick timer" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wait" name="One second">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="wait_definition"><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base, token, method, path, body=None):
    request = urllib.request.Request(f"{base}/api/v1{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=90) as answer:  # a loaded CI machine is slow
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def served(database_url, tmp_path):
    engine = Engine(database_url)
    (tmp_path / "quick_timer.bpmn").write_text(QUICK_TIMER)
    with engine.unit_of_work() as uow:
        uow.repository.deploy_paths([FIXTURES / "approval.bpmn", FIXTURES / "request.schema.json",
                                     FIXTURES / "review.schema.json", tmp_path / "quick_timer.bpmn",
                                     FIXTURES / "multi_instance.bpmn", FIXTURES / "translation.schema.json"],
                                    actor=MANAGER)
        uow.identity.add_user("claire", ["Clerk", "Translator"])
        token = uow.identity.issue_token("claire")
        uow.commit()
    engine.dispose()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "--database-url", database_url, "serve", "--port", str(port),
         "--workers", "2", "--timer-interval", "0.3"],
        env={**os.environ, "SECRETARIAT_INSTANCE_PATH": str(tmp_path / "instance")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # up when it answers and all its processes have booted
        try:
            urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5)
            if len(_children(server.pid)) >= 3:
                break
        except OSError:
            pass
        time.sleep(0.2)
    yield base, token, server
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def test_serve_runs_several_web_processes_and_a_timer_worker(served):
    base, token, server = served
    assert len(_children(server.pid)) == 3  # two web workers and the timer worker (gunicorn's master is us)

    started = [_call(base, token, "POST", "/process-instances", {"process_key": "approval"})[1] for _ in range(12)]
    results = []

    def finish(instances):
        for instance in instances:
            task = instance["open_tasks"][0]["id"]
            results.append(_call(base, token, "POST", f"/tasks/{task}/complete",
                                 {"data": {"title": "Chairs", "amount": 5}})[0])
    threads = [threading.Thread(target=finish, args=(started[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [200] * 12

    status, waiting = _call(base, token, "POST", "/process-instances", {"process_key": "quick_timer"})
    assert status == 201 and waiting["state"] == "running"
    deadline = time.monotonic() + 20
    while _call(base, token, "GET", f"/process-instances/{waiting['id']}")[1]["state"] != "completed":
        assert time.monotonic() < deadline, "the timer worker process never fired the timer"
        time.sleep(0.3)


def test_two_clients_completing_one_task_in_two_processes_one_wins(served):
    base, token, _ = served
    instance = _call(base, token, "POST", "/process-instances", {"process_key": "approval"})[1]
    task = instance["open_tasks"][0]["id"]
    barrier, outcomes = threading.Barrier(4), []

    def race():
        barrier.wait(timeout=10)
        outcomes.append(_call(base, token, "POST", f"/tasks/{task}/complete",
                              {"data": {"title": "Chairs", "amount": 5}})[0])
    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [200, 409, 409, 409]
    history = _call(base, token, "GET", f"/process-instances/{instance['id']}/history")[1]
    assert [e["event"] for e in history].count("task_completed") == 1


def test_many_clients_completing_the_items_of_one_instance_lose_nothing(served):
    """Eight clients over two web processes complete the 40 parallel items of one instance at
    once: each save is checked against the instance's version (SQLite's writers take turns only
    at their first write), so a loser runs again or is told 409 and tries again, and every
    item's result arrives exactly once."""
    base, token, _ = served
    languages = [f"lang{i}" for i in range(40)]
    instance = _call(base, token, "POST", "/process-instances",
                     {"process_key": "multi_instance", "data": {"languages": languages}})[1]
    todo = [t["id"] for t in instance["open_tasks"]]
    lock, statuses = threading.Lock(), []

    def complete_some():
        while True:
            with lock:
                if not todo:
                    return
                task = todo.pop()
            status, body = _call(base, token, "POST", f"/tasks/{task}/complete", {"data": {"text": task}})
            with lock:
                statuses.append(status)
                if status == 409 and body.get("state") in (None, "open"):
                    todo.append(task)  # changed meanwhile by the others: try again
    threads = [threading.Thread(target=complete_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses.count(200) == 40 and set(statuses) <= {200, 409}
    final = _call(base, token, "GET", f"/process-instances/{instance['id']}")[1]
    assert final["state"] == "completed"
    assert sorted(t["language"] for t in final["data"]["translations"]) == sorted(languages)
    history = _call(base, token, "GET", f"/process-instances/{instance['id']}/history")[1]
    assert [e["event"] for e in history].count("task_completed") == 40


def test_stopping_serve_stops_its_timer_worker(served):
    _, _, server = served
    children = _children(server.pid)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    time.sleep(0.5)
    alive = [pid for pid in children if subprocess.run(["ps", "-p", str(pid)], capture_output=True).returncode == 0]
    assert alive == []
