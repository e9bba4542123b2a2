"""Timers fire when the injected clock passes their due time; messages find their instance."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engine import NotFound, PermissionDenied
from tests.conftest import ADMIN
from tests.engine.helpers import CLERK, complete, events, get, history, start


def run_due(engine):
    with engine.unit_of_work() as uow:
        fired = uow.jobs.run_due()
        uow.commit()
    return fired


def jobs(engine, **filters):
    with engine.unit_of_work() as uow:
        return uow.jobs.list(**filters)


def test_interrupting_boundary_timer_cancels_the_task_when_due(engine, deploy, clock):
    deploy("timer_interrupting.bpmn", "note.schema.json")
    instance = start(engine, "timer_interrupting")
    [task] = instance.open_tasks
    [job] = jobs(engine, instance_id=instance.id)
    assert job.element_id == "prepare_deadline"
    assert job.due_at == clock.now() + timedelta(hours=48)
    assert task.due_at == job.due_at

    clock.advance(hours=47)
    assert run_due(engine) == []
    assert get(engine, instance.id).open_tasks[0].id == task.id

    clock.advance(hours=1)
    assert run_due(engine) == [instance.id]
    after = get(engine, instance.id)
    assert after.state == "completed" and after.data["escalated"] is True
    assert after.open_tasks == []
    assert {"timer_fired", "task_cancelled"} <= set(events(engine, instance.id))
    assert jobs(engine, instance_id=instance.id) == []


def test_non_interrupting_timer_keeps_the_task_open(engine, deploy, clock):
    deploy("timer_non_interrupting.bpmn", "note.schema.json")
    instance = start(engine, "timer_non_interrupting")
    [task] = instance.open_tasks
    clock.advance(hours=25)
    assert run_due(engine) == [instance.id]
    still = get(engine, instance.id)
    assert [t.id for t in still.open_tasks] == [task.id]
    final = complete(engine, task.id, data={"note": "done"}).process_instance
    assert final.state == "completed" and final.data["reminded"] is True


def test_timer_date_and_firing_a_job_early(engine, deploy, clock):
    deploy("timer_date.bpmn", "note.schema.json")
    instance = start(engine, "timer_date")
    [job] = jobs(engine)
    assert job.due_at == datetime(2027, 1, 15, 9, 0, tzinfo=timezone.utc)
    assert jobs(engine, due_before=clock.now()) == []
    with engine.unit_of_work() as uow, pytest.raises(PermissionDenied):
        uow.jobs.execute(job.id, CLERK)
    with engine.unit_of_work() as uow:
        fired = uow.jobs.execute(job.id, ADMIN)
        uow.commit()
    assert [t.element_id for t in fired.open_tasks] == ["after_wait"]
    assert "timer_fired_manually" in events(engine, instance.id)


def test_the_worker_loop_fires_due_timers_one_instance_per_transaction(engine, deploy, clock):
    deploy("timer_interrupting.bpmn", "note.schema.json")
    first, second = start(engine, "timer_interrupting"), start(engine, "timer_interrupting")
    clock.advance(days=3)
    assert sorted(engine.run_due_jobs()) == [first.id, second.id]
    assert engine.run_due_jobs() == []


def test_a_suspended_instance_waits_and_catches_up_on_resume(engine, deploy, clock):
    deploy("timer_interrupting.bpmn", "note.schema.json")
    instance = start(engine, "timer_interrupting")
    with engine.unit_of_work() as uow:
        uow.runtime.suspend(instance.id, ADMIN, reason="audit")
        uow.commit()
    clock.advance(days=3)
    assert run_due(engine) == []
    with engine.unit_of_work() as uow:
        resumed = uow.runtime.resume(instance.id, ADMIN)
        uow.commit()
    assert resumed.state == "completed" and resumed.data["escalated"] is True


def test_message_reaches_only_the_correlated_instance(engine, deploy):
    deploy("message_wait.bpmn", "note.schema.json")
    a1 = start(engine, "message_wait", order_id="A-1")
    a2 = start(engine, "message_wait", order_id="A-2")
    assert a1.open_tasks == [] and a1.active_elements == ["wait_payment"]

    with engine.unit_of_work() as uow:
        delivered = uow.runtime.deliver_message("payment_received", actor=CLERK,
                                                correlation={"order_id": "A-2"}, data={"amount": 10})
        uow.commit()
    assert delivered == [a2.id]
    got = get(engine, a2.id)
    assert got.data["payment"]["amount"] == 10
    assert [t.element_id for t in got.open_tasks] == ["confirm"]
    assert get(engine, a1.id).open_tasks == []
    assert "message_received" in events(engine, a2.id)

    with engine.unit_of_work() as uow, pytest.raises(NotFound):
        uow.runtime.deliver_message("payment_received", correlation={"order_id": "Z-9"})
    with engine.unit_of_work() as uow:
        assert uow.runtime.deliver_message("payment_received", instance_id=a1.id,
                                           data={"order_id": "A-1", "amount": 3}) == [a1.id]
        uow.commit()


def _timer_variant(tmp_path, definition: str):
    from tests.conftest import FIXTURES
    bpmn = (FIXTURES / "timer_non_interrupting.bpmn").read_text()
    bpmn = bpmn.replace("<bpmn:timeDuration>PT24H</bpmn:timeDuration>", definition)
    assert definition in bpmn
    (tmp_path / "timer_non_interrupting.bpmn").write_text(bpmn)
    (tmp_path / "note.schema.json").write_text((FIXTURES / "note.schema.json").read_text())


def test_a_repeating_cycle_fires_its_count_then_stops(engine, deploy, clock, tmp_path):
    _timer_variant(tmp_path, "<bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>")
    deploy("timer_non_interrupting.bpmn", "note.schema.json", folder=tmp_path)
    instance = start(engine, "timer_non_interrupting")
    for hour in range(1, 6):
        clock.advance(hours=1, minutes=1 if hour == 1 else 0)
        engine.run_due_jobs()
    fired = [e for e in history(engine, instance.id) if e.event == "timer_fired"]
    assert len(fired) == 3
    assert get(engine, instance.id).open_tasks[0].element_id == "review"


def test_a_timer_value_can_be_a_python_expression_over_the_data(engine, deploy, clock, tmp_path):
    _timer_variant(tmp_path, "<bpmn:timeDuration>f\"PT{reminder_hours}H\"</bpmn:timeDuration>")
    deploy("timer_non_interrupting.bpmn", "note.schema.json", folder=tmp_path)
    instance = start(engine, "timer_non_interrupting", reminder_hours=6)
    [job] = jobs(engine, instance_id=instance.id)
    assert job.due_at == clock.now() + timedelta(hours=6)


def test_a_message_without_its_correlation_value_is_refused_and_changes_nothing(engine, deploy):
    from engine import InvalidInput
    deploy("message_wait.bpmn", "note.schema.json")
    instance = start(engine, "message_wait", order_id="A-1")
    with engine.unit_of_work() as uow, pytest.raises(InvalidInput):
        uow.runtime.deliver_message("payment_received", instance_id=instance.id, data={"amount": 3})
    assert get(engine, instance.id).state == "running"
    assert get(engine, instance.id).active_elements == ["wait_payment"]


def test_two_workers_fire_each_due_instance_once(engine, deploy, clock):
    import threading
    deploy("timer_interrupting.bpmn", "note.schema.json")
    instances = [start(engine, "timer_interrupting") for _ in range(8)]
    clock.advance(days=3)
    fired: list[list[int]] = [[], []]
    workers = [threading.Thread(target=lambda i=i: fired[i].extend(engine.run_due_jobs())) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert sorted(fired[0] + fired[1]) == sorted(i.id for i in instances)
    for instance in instances:
        assert events(engine, instance.id).count("timer_fired") == 1
        assert get(engine, instance.id).state == "completed"
