"""Finished work leaves the live workflow: what an instance stores stays the size of what is
live, however long it runs, and it still ends exactly as SpiffWorkflow alone would end it."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.bpmn import store
from engine.bpmn.scripting import RestrictedScriptEngine
from engine.bpmn.workflow import clock_in_use
from engine.persistence.models import ArchivedTask, ProcessInstance
from tests.conftest import ADMIN
from tests.engine.helpers import CLERK, TRANSLATORS, complete, get, history, start


def _stored(engine, instance_id) -> tuple[int, int]:
    """(bytes of the stored workflow state, archived task rows)."""
    with engine.unit_of_work() as uow:
        state = uow.session.get(ProcessInstance, instance_id).workflow_json
        archived = uow.session.scalar(select(func.count()).select_from(ArchivedTask)
                                      .where(ArchivedTask.instance_id == instance_id))
        return len(state), archived


def _revise_rounds(engine, instance, rounds: int, sizes: dict | None = None, first: int = 1):
    """Notes differ from round to round: SpiffWorkflow merges parallel branches' lists as sets."""
    result = None
    for round_number in range(first, first + rounds):
        [task] = get(engine, instance.id).open_tasks
        result = complete(engine, task.id, CLERK, {"note": f"round {round_number}"})
        if sizes is not None:
            sizes[round_number] = _stored(engine, instance.id)
    return result


def test_a_loop_people_drive_keeps_its_stored_state_flat(engine, deploy):
    deploy("review_loop.bpmn", "note.schema.json")
    instance = start(engine, "review_loop", CLERK, limit=40)
    sizes: dict = {}
    final = _revise_rounds(engine, instance, 40, sizes).process_instance

    assert final.state == "completed"
    assert final.data["notes"] == [f"round {n}" for n in range(1, 41)]
    early, late = sizes[5][0], sizes[39][0]
    assert late <= early * 1.2, f"state grew from {early} to {late} bytes"
    assert sizes[39][1] > sizes[5][1] > 0  # finished rounds went to the archive, not away
    completions = [e for e in history(engine, instance.id) if e.event == "task_completed"]
    assert len(completions) == 40  # the full history stays queryable
    assert {"init", "split", "revise", "tick", "join", "again", "end"} <= set(final.completed_elements)


def test_the_pruned_run_ends_as_spiffworkflow_alone_would(engine, deploy):
    """The same inputs through the engine (pruned, saved and reloaded each action) and through
    raw SpiffWorkflow in memory (nothing pruned) give the same data."""
    deploy("review_loop.bpmn", "note.schema.json")
    instance = start(engine, "review_loop", CLERK, limit=12)
    final = _revise_rounds(engine, instance, 12).process_instance

    with engine.unit_of_work() as uow:
        spec_json = uow.session.get(ProcessInstance, instance.id).definition.spec_json
    workflow = store.load_new(spec_json, RestrictedScriptEngine())
    workflow.task_tree.data.update({"limit": 12})
    with clock_in_use(engine.clock):
        workflow.do_engine_steps()
        for round_number in range(1, 13):
            [task] = [t for t in workflow.get_tasks() if t.task_spec.manual and t.state == 16]
            task.data.update({"note": f"round {round_number}"})
            task.run()
            workflow.do_engine_steps()
    assert workflow.is_completed()
    assert final.data == workflow.data


def test_a_boundary_timer_still_fires_in_a_late_round(engine, deploy, clock):
    deploy("review_loop.bpmn", "note.schema.json")
    instance = start(engine, "review_loop", CLERK, limit=8)
    _revise_rounds(engine, instance, 5)
    waiting = get(engine, instance.id).open_tasks[0]
    assert waiting.due_at is not None

    clock.advance(days=8)
    assert engine.run_due_jobs() == [instance.id]
    after = get(engine, instance.id)
    assert after.data["late"] == 1 and len(after.data["notes"]) == 5
    final = _revise_rounds(engine, after, 2, first=6).process_instance
    assert final.state == "completed" and final.data["late"] == 1
    assert len(final.data["notes"]) == 7


def test_finished_multi_instance_children_leave_the_live_state(engine, deploy):
    deploy("multi_instance.bpmn", "translation.schema.json")
    languages = [f"lang{i}" for i in range(30)]
    instance = start(engine, "multi_instance", ADMIN, languages=languages)
    full = _stored(engine, instance.id)[0]
    tasks = instance.open_tasks
    for number, task in enumerate(tasks[:-1]):
        complete(engine, task.id, TRANSLATORS[number % 3], {"text": task.data["language"]})
    nearly_done, archived = _stored(engine, instance.id)
    assert nearly_done < full / 2 and archived >= 29  # what remains is the lists themselves
    final = complete(engine, tasks[-1].id, TRANSLATORS[0], {"text": "last"}).process_instance
    assert final.state == "completed"
    assert sorted(t["language"] for t in final.data["translations"]) == sorted(languages)


def test_a_join_waits_for_branches_finished_in_separate_actions_round_after_round(engine, deploy):
    """Each arrival at a parallel join cancels the earlier waiting one, and the last arrival
    counts the cancelled ones: they must stay while the join waits, and only for this round."""
    deploy("three_reviews.bpmn", "note.schema.json")
    instance = start(engine, "three_reviews", CLERK, limit=6)
    sizes = []
    for round_number in range(1, 7):
        tasks = get(engine, instance.id).open_tasks
        assert sorted(t.element_id for t in tasks) == ["review_a", "review_b", "review_c"]
        for order, task in enumerate(reversed(tasks) if round_number % 2 else tasks):
            result = complete(engine, task.id, CLERK, {"note": f"{task.element_id} {round_number}.{order}"})
        sizes.append(_stored(engine, instance.id)[0])
    final = result.process_instance
    assert final.state == "completed" and final.data["rounds"] == 6
    assert {final.data["a_note"][:8], final.data["b_note"][:8], final.data["c_note"][:8]} == \
        {"review_a", "review_b", "review_c"}
    assert max(sizes[1:-1]) <= min(sizes[1:-1]) * 1.2, sizes
