"""A data store with `scope` = `shared` is one value for every process that declares it (the
budget's balances, read by the outsourcing escalation); any other data store stays its
process's own. Both databases: the value is written in the step's transaction."""
from __future__ import annotations

from engine.bpmn.data_stores import SHARED_SCOPE
from engine.services.data_stores import DatabaseDataStores
from tests.conftest import FIXTURES
from tests.engine.helpers import start

# Models written for these tests only, with no diagram (the modeler tests open every fixture that has one).
WITHOUT_DIAGRAM = FIXTURES / "without_diagram"


def _stored(engine, key):
    with engine.unit_of_work() as uow:
        return DatabaseDataStores(uow.session, None).values(key)


def test_a_shared_store_written_by_one_process_is_read_by_another(engine, deploy):
    deploy("shared_ledger_writer.bpmn", "shared_ledger_reader.bpmn", folder=WITHOUT_DIAGRAM)
    start(engine, "ledger_writer", amount=1200)
    reader = start(engine, "ledger_reader")
    assert reader.state == "completed"
    assert reader.data["seen"] == {"line": 1200}
    assert reader.data["seen_own"] is None, "a store without the scope property stays the process's own"
    assert _stored(engine, SHARED_SCOPE) == {"ledger": {"line": 1200}}
    assert _stored(engine, "ledger_writer") == {"own_count": 1}
    assert _stored(engine, "ledger_reader") == {}


def test_a_shared_store_nobody_wrote_reads_as_nothing(engine, deploy):
    deploy("shared_ledger_writer.bpmn", "shared_ledger_reader.bpmn", folder=WITHOUT_DIAGRAM)
    assert start(engine, "ledger_reader").data["seen"] is None


def test_the_last_write_wins_across_instances(engine, deploy):
    deploy("shared_ledger_writer.bpmn", "shared_ledger_reader.bpmn", folder=WITHOUT_DIAGRAM)
    start(engine, "ledger_writer", amount=1200)
    start(engine, "ledger_writer", amount=800)
    assert start(engine, "ledger_reader").data["seen"] == {"line": 800}
