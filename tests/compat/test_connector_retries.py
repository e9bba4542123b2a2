"""A connector call that may pass later is tried again by a job, with a growing wait; once the
retries are spent it becomes the BPMN error (or the instance's error) it would have been."""
from __future__ import annotations

import pytest

from tests.compat.conftest import json_server, service_task_without_boundary
from tests.conftest import ADMIN
from tests.engine.helpers import events, get, history, start


@pytest.fixture
def flaky_registry(monkeypatch):
    """Answers 503 to the first `failures` calls, then the contribution; counts the calls."""
    state = {"failures": 2, "calls": 0}

    def answer(path):
        state["calls"] += 1
        return (503, {"error": "busy"}) if state["calls"] <= state["failures"] else (200, {"amount": 1200})
    with json_server(answer) as address:
        monkeypatch.setenv("SECRETARIAT_CONNECTOR_ALLOWED_URLS", f"{address}/registry")
        monkeypatch.setenv("SECRETARIAT_CONNECTOR_RETRIES", "2")
        monkeypatch.setenv("SECRETARIAT_CONNECTOR_RETRY_SECONDS", "60")
        yield f"{address}/registry", state


def jobs(engine, instance_id):
    with engine.unit_of_work() as uow:
        return uow.jobs.list(instance_id=instance_id)


def run_due(engine):
    with engine.unit_of_work() as uow:
        fired = uow.jobs.run_due()
        uow.commit()
    return fired


def test_a_busy_service_is_called_again_later_until_it_answers(engine, deploy_models, flaky_registry, clock):
    base, calls = flaky_registry
    deploy_models("service_task.bpmn")
    instance = start(engine, "compat_service_task", registry_url=base, state="FR")
    assert instance.state == "running" and calls["calls"] == 1
    [job] = jobs(engine, instance.id)
    assert job.element_id == "fetch_contributions" and (job.due_at - clock.now()).total_seconds() == 60

    clock.advance(seconds=59)
    assert run_due(engine) == [] and calls["calls"] == 1
    clock.advance(seconds=2)
    assert run_due(engine) == [instance.id] and calls["calls"] == 2
    [job] = jobs(engine, instance.id)
    assert (job.due_at - clock.now()).total_seconds() == 120  # twice as long the second time

    clock.advance(seconds=121)
    assert run_due(engine) == [instance.id] and calls["calls"] == 3
    done = get(engine, instance.id)
    assert done.state == "completed" and done.data["amount"] == 1200 and not jobs(engine, instance.id)
    assert events(engine, instance.id).count("retry_scheduled") == 2
    assert events(engine, instance.id).count("retried") == 2


def test_spent_retries_become_the_bpmn_error_the_boundary_catches(engine, deploy_models, flaky_registry, clock):
    base, calls = flaky_registry
    calls["failures"] = 99
    deploy_models("service_task.bpmn")
    instance = start(engine, "compat_service_task", registry_url=base, state="FR")
    for wait in (61, 121):
        clock.advance(seconds=wait)
        assert run_due(engine) == [instance.id]
    done = get(engine, instance.id)
    assert calls["calls"] == 3 and done.state == "completed" and done.data["lookup_failed"] is True
    assert done.data["connector_error"]["code"] == "HTTP_503"


def test_spent_retries_without_a_boundary_put_the_instance_in_error_and_a_retry_by_hand_starts_afresh(
        engine, deploy_models, flaky_registry, clock):
    base, calls = flaky_registry
    calls["failures"] = 3
    deploy_models(extra={"no_boundary.bpmn": service_task_without_boundary()})
    instance = start(engine, "compat_service_no_boundary", registry_url=base, state="FR")
    for wait in (61, 121):
        clock.advance(seconds=wait)
        run_due(engine)
    failed = get(engine, instance.id)
    assert failed.state == "error" and "answered 503" in failed.error and not jobs(engine, instance.id)
    with engine.unit_of_work() as uow:
        uow.runtime.retry(instance.id, ADMIN)
        uow.commit()
    assert calls["calls"] == 4 and get(engine, instance.id).state == "completed"


def test_an_administrator_runs_a_retry_job_at_once(engine, deploy_models, flaky_registry, clock):
    base, calls = flaky_registry
    calls["failures"] = 1
    deploy_models("service_task.bpmn")
    instance = start(engine, "compat_service_task", registry_url=base, state="FR")
    [job] = jobs(engine, instance.id)
    with engine.unit_of_work() as uow:
        uow.jobs.execute(job.id, ADMIN)
        uow.commit()
    assert calls["calls"] == 2 and get(engine, instance.id).state == "completed"
    assert any(e.event == "retried" and e.actor == ADMIN.username for e in history(engine, instance.id))


def test_a_failure_that_will_not_pass_is_not_retried(engine, deploy_models, flaky_registry):
    base, calls = flaky_registry
    deploy_models("service_task.bpmn")
    instance = start(engine, "compat_service_task", registry_url=base, state="FR")
    assert instance.state == "running"  # 503: retried later
    refused = start(engine, "compat_service_task", registry_url="http://127.0.0.1:9/elsewhere", state="FR")
    assert refused.state == "completed" and refused.data["connector_error"]["code"] == "HTTP_REFUSED"
    assert not jobs(engine, refused.id)
