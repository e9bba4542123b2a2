"""Users, roles, hashed passwords and hashed API tokens."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from engine import Conflict, InvalidInput


def test_users_roles_passwords_and_tokens(engine):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("registrar", ["Registrar", "manager"], password="correct horse")
        token = uow.identity.issue_token("registrar")
        uow.commit()
    with engine.unit_of_work() as uow:
        user = uow.identity.authenticate("registrar", "correct horse")
        assert user.roles == {"Registrar", "manager"} and user.actor.is_manager
        assert uow.identity.authenticate("registrar", "wrong password") is None
        assert uow.identity.authenticate("nobody", "correct horse") is None
        assert uow.identity.user_for_token(token).username == "registrar"
        assert uow.identity.user_for_token(token + "x") is None
        stored = " ".join(str(r) for r in uow.session.execute(text("SELECT * FROM users")))
        stored += " ".join(str(r) for r in uow.session.execute(text("SELECT * FROM api_tokens")))
    assert "correct horse" not in stored and token not in stored
    assert "scrypt" in stored


def test_duplicate_users_and_bad_input_are_refused(engine):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("editor1", ["Editor"])
        uow.commit()
    with engine.unit_of_work() as uow, pytest.raises(Conflict):
        uow.identity.add_user("editor1", ["Editor"])
    with engine.unit_of_work() as uow, pytest.raises(InvalidInput) as caught:
        uow.identity.add_user("bad name!", ["Editor"], password="short")
    assert {p.field for p in caught.value.problems} == {"username", "password"}


def test_a_deactivated_user_can_no_longer_sign_in_or_use_tokens(engine):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("leaver", ["Editor"], password="long enough")
        token = uow.identity.issue_token("leaver")
        uow.identity.set_active("leaver", False)
        uow.commit()
    with engine.unit_of_work() as uow:
        assert uow.identity.authenticate("leaver", "long enough") is None
        assert uow.identity.user_for_token(token) is None
