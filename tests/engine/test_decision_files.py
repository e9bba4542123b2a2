"""The repository's view of deployed DMN files, for the decision-table editor: each file's
latest content, its decisions, and the latest definitions built from it."""
from __future__ import annotations

import pytest

from engine import NotFound
from tests.conftest import FIXTURES


def test_each_dmn_file_is_listed_with_its_decisions_and_the_latest_definitions_using_it(engine, deploy, tmp_path):
    deploy("fee_decision.dmn")
    with engine.unit_of_work() as uow:
        [alone] = uow.repository.decision_files()
    assert (alone.name, alone.decisions, alone.used_by) == ("fee_decision.dmn", [("fee_decision", "Fee decision")], [])
    deploy("dmn_decision.bpmn")
    (tmp_path / "fee_decision.dmn").write_text((FIXTURES / "fee_decision.dmn").read_text().replace(">100<", ">120<"))
    deploy("fee_decision.dmn", folder=tmp_path)
    with engine.unit_of_work() as uow:
        [used] = uow.repository.decision_files()
        assert ">120<" in uow.repository.decision_xml("fee_decision.dmn")
        with pytest.raises(NotFound):
            uow.repository.decision_xml("other.dmn")
    assert used.used_by == [("dmn_decision", 2)]
