"""A deployment based on a version (`KEY:VERSION`) is refused when someone deployed a newer
version of KEY meanwhile: the second of two managers cannot overwrite the first's change."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from engine import Actor, Conflict, InvalidInput
from engine.bundle import Bundle
from engine.persistence.models import Deployment, ProcessDefinition
from engine.services.deploy_basis import DeployedMeanwhile
from tests.conftest import FIXTURES, MANAGER

OTHER_MANAGER = Actor("otto", frozenset({"manager"}))


def renamed(name: str) -> bytes:
    """loop_counter.bpmn with another process name: a changed diagram makes a new version."""
    return (FIXTURES / "loop_counter.bpmn").read_text().replace(
        '<bpmn:process id="loop_counter" name="Loop counter"', f'<bpmn:process id="loop_counter" name="{name}"').encode()


def deploy(engine, content: bytes, actor=MANAGER, based_on=()):
    with engine.unit_of_work() as uow:
        result = uow.repository.deploy(Bundle.from_uploads([("loop_counter.bpmn", content)]), actor, "note",
                                       based_on=based_on)
        uow.commit()
    return result


def deployments(engine) -> int:
    with engine.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(Deployment))


def test_second_manager_on_the_same_version_is_told_who_deployed_meanwhile(engine):
    deploy(engine, renamed("First"))
    deploy(engine, renamed("Mara's change"), based_on=["loop_counter:1"])
    before = deployments(engine)
    with pytest.raises(DeployedMeanwhile) as refused:
        deploy(engine, renamed("Otto's change"), actor=OTHER_MANAGER, based_on=["loop_counter:1"])
    assert isinstance(refused.value, Conflict) and refused.value.state == "superseded"
    assert refused.value.newer == [{"key": "loop_counter", "based_on": 1, "latest_version": 2, "deployed_by": "mara",
                                    "deployed_by_name": "mara", "deployed_at": refused.value.newer[0]["deployed_at"]}]
    assert "loop_counter version 2 was deployed by mara" in str(refused.value)
    assert deployments(engine) == before


def test_based_on_the_latest_version_deploys(engine):
    deploy(engine, renamed("First"))
    result = deploy(engine, renamed("Second"), based_on=["loop_counter:1", "never_deployed:3"])
    assert [(d.key, d.version, d.new) for d in result.definitions] == [("loop_counter", 2, True)]


@pytest.mark.parametrize("value", ["loop_counter", "loop_counter:", ":2", "loop_counter:0", "loop_counter:two",
                                   "loop_counter:-1"])
def test_a_malformed_based_on_is_invalid_input_and_stores_nothing(engine, value):
    with pytest.raises(InvalidInput) as refused:
        deploy(engine, renamed("First"), based_on=[value])
    assert refused.value.problems[0].field == "based_on"
    assert deployments(engine) == 0


def test_two_deployments_at_the_same_moment_never_store_one_version_twice(engine):
    """Both based on version 1, deployed as the app does (`Engine.attempt`): the second, whose
    check may run before the first commits, is told who deployed meanwhile. On PostgreSQL it
    first meets the unique version key (a Conflict, so it is tried again); on SQLite it waits
    for the write lock."""
    deploy(engine, renamed("First"))
    outcome = {}

    def second():
        try:
            engine.attempt(lambda uow: uow.repository.deploy(Bundle.from_uploads(
                [("loop_counter.bpmn", renamed("Otto's change"))]), OTHER_MANAGER, "note", based_on=["loop_counter:1"]))
            outcome["second"] = "deployed"
        except Conflict as conflict:
            outcome["second"] = conflict

    with engine.unit_of_work(writes=True) as uow:
        uow.repository.deploy(Bundle.from_uploads([("loop_counter.bpmn", renamed("Mara's change"))]), MANAGER,
                              "note", based_on=["loop_counter:1"])
        other = threading.Thread(target=second)
        other.start()
        other.join(timeout=1.0)  # the second deployment now waits on this one's lock or version key
        uow.commit()
    other.join(timeout=60)
    assert isinstance(outcome["second"], DeployedMeanwhile), outcome
    with engine.unit_of_work() as uow:
        names = uow.session.scalars(select(ProcessDefinition.name).order_by(ProcessDefinition.version)).all()
    assert names == ["First", "Mara's change"]
