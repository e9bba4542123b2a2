"""User administration: the list, adding users, roles, passwords, deactivation; administrators only."""
from __future__ import annotations

import re

import pytest

from tests.webapp.conftest import PASSWORD, Browser, csrf_token_from


def user(engine, username):
    with engine.unit_of_work() as uow:
        return uow.identity.get(username)


def can_sign_in(app, username, password):
    browser = Browser(app.test_client())
    return browser.login(username, password).status_code == 302


def checkbox_roles(html: str, checked_only: bool = False) -> list[str]:
    boxes = re.findall(r'<input type="checkbox" name="roles" value="([^"]+)" ?(checked)?>', html)
    return [role for role, checked in boxes if checked or not checked_only]


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/claire"])
def test_only_administrators_reach_the_user_pages(browser_as, client, path):
    assert client.get(path).status_code == 302  # anonymous: to the log-in page
    for username in ("claire", "mara"):
        assert browser_as(username).get(path).status_code == 403
    assert browser_as("ada").get(path).status_code == 200


@pytest.mark.parametrize("path,data", [
    ("/admin/users", {"username": "eve", "password": PASSWORD, "roles": "admin"}),
    ("/admin/users/mara/roles", {"roles": "admin"}),
    ("/admin/users/ada/password", {"password": "taken over at last"}),
    ("/admin/users/ada/active", {"active": "0"}),
])
def test_others_than_administrators_cannot_change_users(engine, browser_as, path, data):
    assert browser_as("mara").post(path, data).status_code == 403
    assert "admin" not in user(engine, "mara").roles and user(engine, "ada").active


def test_the_list_shows_every_user_with_roles_and_whether_they_may_sign_in(engine, browser_as):
    with engine.unit_of_work() as uow:
        uow.identity.set_active("otto", False)
        uow.commit()
    html = browser_as("ada").get("/admin/users").get_data(as_text=True)
    for username in ("ada", "claire", "colin", "diane", "mara", "otto"):
        assert f'href="/admin/users/{username}"' in html
    assert "<td>Director</td>" in html and "No (deactivated)" in html


def test_the_role_checkboxes_are_the_lanes_of_deployed_processes_and_the_built_in_roles(deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", "multi_instance.bpmn",
           "translation.schema.json")
    html = browser_as("ada").get("/admin/users").get_data(as_text=True)
    assert checkbox_roles(html) == ["admin", "Clerk", "Director", "manager", "Translator"]


def test_an_administrator_adds_a_user_with_ticked_and_typed_roles(app, engine, deploy, browser_as):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    answer = browser_as("ada").post("/admin/users", {
        "username": "rita", "display_name": "Rita  Registrar", "password": "a good long password",
        "roles": ["Clerk", "manager"], "other_roles": "Registrar,\nBureau member , Clerk"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/users")
    added = user(engine, "rita")
    assert added.display_name == "Rita Registrar" and added.active
    assert added.roles == {"Clerk", "manager", "Registrar", "Bureau member"}
    assert can_sign_in(app, "rita", "a good long password")


def test_the_engines_complaints_are_shown_beside_the_fields_and_the_entries_kept(engine, browser_as):
    answer = browser_as("ada").post("/admin/users", {
        "username": "bad name!", "display_name": "Bad <b>Name</b>", "password": "short", "other_roles": "Clerk"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="username-error">letters, digits', html)
    assert re.search(r'id="password-error">at least 8 characters', html)
    assert 'value="bad name!"' in html and "Bad &lt;b&gt;Name&lt;/b&gt;" in html and ">Clerk</textarea>" in html
    assert 'value="short"' not in html, "a password is never sent back"
    with engine.unit_of_work() as uow:
        assert "bad name!" not in [u.username for u in uow.identity.list()]


def test_a_duplicate_user_name_is_refused_beside_the_field(browser_as):
    answer = browser_as("ada").post("/admin/users", {"username": "claire", "password": PASSWORD})
    assert answer.status_code == 409
    assert re.search(r'id="username-error">A user &#39;claire&#39; already exists', answer.get_data(as_text=True))


def test_overlong_display_names_and_roles_are_refused(browser_as):
    admin = browser_as("ada")
    answer = admin.post("/admin/users", {"username": "long", "password": PASSWORD, "display_name": "x" * 256})
    assert answer.status_code == 422 and 'id="display_name-error"' in answer.get_data(as_text=True)
    answer = admin.post("/admin/users/claire/roles", {"other_roles": "r" * 256})
    assert answer.status_code == 422 and 'id="roles-error"' in answer.get_data(as_text=True)


def test_an_administrator_edits_roles(engine, browser_as):
    admin = browser_as("ada")
    page = admin.get("/admin/users/claire").get_data(as_text=True)
    assert checkbox_roles(page, checked_only=True) == [] and ">Clerk</textarea>" in page  # no lane yet: typed
    answer = admin.post("/admin/users/claire/roles", {"roles": ["manager"], "other_roles": "Clerk\nRegistrar"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/users/claire")
    assert user(engine, "claire").roles == {"Clerk", "manager", "Registrar"}
    page = admin.get("/admin/users/claire").get_data(as_text=True)
    assert checkbox_roles(page, checked_only=True) == ["manager"] and ">Clerk, Registrar</textarea>" in page
    admin.post("/admin/users/claire/roles", {})
    assert user(engine, "claire").roles == frozenset()


def test_an_administrator_cannot_take_their_own_admin_role_or_deactivate_themselves(engine, browser_as):
    admin = browser_as("ada")
    answer = admin.post("/admin/users/ada/roles", {"roles": ["manager"]})
    assert answer.status_code == 422 and "cannot take the admin role from yourself" in answer.get_data(as_text=True)
    answer = admin.post("/admin/users/ada/active", {"active": "0"})
    assert answer.status_code == 422 and "cannot deactivate yourself" in answer.get_data(as_text=True)
    assert user(engine, "ada").roles == {"admin"} and user(engine, "ada").active


def test_an_administrator_sets_a_new_password(app, browser_as):
    admin = browser_as("ada")
    short = admin.post("/admin/users/otto/password", {"password": "short"})
    assert short.status_code == 422 and 'id="password-error">at least 8 characters' in short.get_data(as_text=True)
    assert can_sign_in(app, "otto", PASSWORD)
    assert admin.post("/admin/users/otto/password", {"password": "a brand new password"}).status_code == 302
    assert not can_sign_in(app, "otto", PASSWORD) and can_sign_in(app, "otto", "a brand new password")


def test_a_deactivated_user_cannot_sign_in_until_reactivated(app, engine, browser_as):
    admin = browser_as("ada")
    html = admin.post("/admin/users/colin/active", {"active": "0"}, follow_redirects=True).get_data(as_text=True)
    assert "colin can no longer sign in" in html and "Reactivate" in html
    assert not user(engine, "colin").active and not can_sign_in(app, "colin", PASSWORD)
    admin.post("/admin/users/colin/active", {"active": "1"})
    assert user(engine, "colin").active and can_sign_in(app, "colin", PASSWORD)


def test_unknown_users_are_not_found(browser_as):
    admin = browser_as("ada")
    assert admin.get("/admin/users/nobody").status_code == 404
    assert admin.post("/admin/users/nobody/roles", {"roles": ["Clerk"]}).status_code == 404


def test_user_changes_without_the_csrf_token_are_refused(app, engine, browser_as):
    admin = browser_as("ada")
    answer = admin.client.post("/admin/users/colin/active", data={"active": "0"})
    assert answer.status_code == 400 and user(engine, "colin").active
    page = admin.get("/admin/users").get_data(as_text=True)
    assert csrf_token_from(page)
