"""The outsourcing escalation reads the budget line's balance from the budget section (the shared
data store `budget_balances`), instead of trusting a typed figure: the established budgetary
framework of paragraph 8.3 is what the budget section has approved and not yet committed."""
from __future__ import annotations

import pytest

from engine import InvalidTaskData
from tests.processes.conftest import complete, fire_timers, get, render_instructions, start, the_task
from tests.processes import test_budget_section as budget
from tests.processes import test_outsourcing_escalation as outsourcing

GTA = "General temporary assistance"


def budget_with_a_commitment(engine) -> int:
    """GTA approved at 60 000 (80 000 less the Committee's 20 000), then 50 000 committed."""
    instance_id = budget.approved(engine)
    budget.spend(engine, instance_id, spending_action="Record a commitment", commit_line=GTA,
                 commit_amount=50000, purpose="Two temporary editors")
    return instance_id


def workload_task(engine):
    instance = start(engine, "outsourcing_escalation", outsourcing.SECRETARIAT)
    return instance.id, the_task(engine, instance.id, "report_workload")


def test_the_reporter_chooses_a_line_and_its_balance_comes_from_the_budget(engine, clock, processes):
    budget_with_a_commitment(engine)
    instance_id, task = workload_task(engine)
    assert task.data["budget_source_choices"] == [outsourcing.RECORDED]
    assert "General temporary assistance: EUR 10000 uncommitted" in render_instructions(task)
    report = outsourcing.report(budget_line=GTA, budget_source=outsourcing.RECORDED)
    del report["budget_remaining"]
    complete(engine, task, outsourcing.SECRETARIAT, report)

    data = get(engine, instance_id).data
    assert data["budget_remaining"] == 10000
    assert data["budget_remaining_source"] == "recorded by the budget section (2028)"
    assert "budget_balances" not in data, "the store's value is read, not copied into the record"
    fire_timers(engine, clock, outsourcing.AFTER_THE_COOPERATION_DEADLINE)
    after = get(engine, instance_id)
    assert after.data["outsourcing_route"] == "beyond_framework", "12 000 cannot be paid from the 10 000 left"
    assert [t.element_id for t in after.open_tasks] == ["report_beyond_framework"]


def test_a_line_the_budget_does_not_have_is_refused(engine, processes):
    budget_with_a_commitment(engine)
    _, task = workload_task(engine)
    with pytest.raises(InvalidTaskData):
        complete(engine, task, outsourcing.SECRETARIAT, outsourcing.report(
            budget_line="Travel of the Bureau", budget_source=outsourcing.RECORDED))


def test_a_figure_typed_over_a_recorded_balance_is_ignored(engine, processes):
    budget_with_a_commitment(engine)
    instance_id, task = workload_task(engine)
    complete(engine, task, outsourcing.SECRETARIAT, outsourcing.report(
        budget_line=GTA, budget_source=outsourcing.RECORDED, budget_remaining=999999))
    assert get(engine, instance_id).data["budget_remaining"] == 10000


def test_without_a_recorded_budget_the_reporter_enters_the_figure_by_hand(engine, processes):
    instance_id, task = workload_task(engine)
    assert task.data["budget_source_choices"] == [outsourcing.BY_HAND]
    assert "No budget has been recorded yet" in render_instructions(task)
    without_figure = outsourcing.report()
    del without_figure["budget_remaining"]
    with pytest.raises(InvalidTaskData):
        complete(engine, task, outsourcing.SECRETARIAT, without_figure)
    with pytest.raises(InvalidTaskData):  # there is no budget to read from
        complete(engine, task, outsourcing.SECRETARIAT, outsourcing.report(budget_source=outsourcing.RECORDED))
    complete(engine, task, outsourcing.SECRETARIAT, outsourcing.report())
    data = get(engine, instance_id).data
    assert (data["budget_remaining"], data["budget_remaining_source"]) == (30000, "entered by hand")
