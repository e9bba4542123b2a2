"""What the modeler needs from the engine: dry-run validation, drafts, version comparison."""
from __future__ import annotations

import pytest

from engine import PermissionDenied
from engine.bundle import Bundle
from tests.conftest import FIXTURES, MANAGER
from tests.engine.helpers import CLERK


def test_validate_reports_problems_without_storing_anything(engine):
    bad = (FIXTURES / "bad" / "gateway_no_condition.bpmn").read_bytes()
    with engine.unit_of_work() as uow:
        problems = uow.repository.validate(Bundle.from_uploads([("gateway_no_condition.bpmn", bad)]), MANAGER)
        assert problems and all(p.file == "gateway_no_condition.bpmn" for p in problems)
        assert any(p.element_id for p in problems)
        good = Bundle.from_paths([FIXTURES / "approval.bpmn", FIXTURES / "request.schema.json",
                                  FIXTURES / "review.schema.json"])
        assert uow.repository.validate(good, MANAGER) == []
        assert uow.repository.latest() == []
        with pytest.raises(PermissionDenied):
            uow.repository.validate(good, CLERK)


def test_drafts_are_kept_per_manager_and_process(engine):
    other = MANAGER.__class__("max", MANAGER.roles)
    with engine.unit_of_work() as uow:
        uow.drafts.save(MANAGER, "approval", "<xml/>", note="first try", based_on_version=1)
        uow.drafts.save(MANAGER, "approval", "<xml v='2'/>", note="second try")
        uow.commit()
    with engine.unit_of_work() as uow:
        draft = uow.drafts.get(MANAGER, "approval")
        assert (draft.xml, draft.note, draft.based_on_version) == ("<xml v='2'/>", "second try", 1)
        assert uow.drafts.list(other) == []
        with pytest.raises(PermissionDenied):
            uow.drafts.list(CLERK)
        uow.drafts.discard(MANAGER, "approval")
        uow.commit()
    with engine.unit_of_work() as uow:
        assert uow.drafts.list(MANAGER) == []


def test_comparing_versions_names_added_removed_and_changed_elements(engine, deploy, tmp_path):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    changed = (FIXTURES / "approval.bpmn").read_text().replace('name="Record approval"', 'name="Record the approval"')
    changed = changed.replace("outcome = 'rejected'", "outcome = 'declined'")
    assert changed != (FIXTURES / "approval.bpmn").read_text()
    (tmp_path / "approval.bpmn").write_text(changed)
    assert deploy("approval.bpmn", folder=tmp_path).definitions[0].version == 2
    with engine.unit_of_work() as uow:
        changes = uow.repository.compare("approval", 1, 2)
    assert changes.added == [] and changes.removed == []
    assert {"record_approval", "record_rejection"} <= set(changes.changed)
    assert "submit_request" not in changes.changed
