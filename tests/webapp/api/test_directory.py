"""GET /users: the directory a picker searches, by role and text, active users only."""
from __future__ import annotations


def usernames(answer) -> list[str]:
    return [u["username"] for u in answer.json["items"]]


def test_a_signed_in_user_finds_the_active_holders_of_a_role(api_as, engine):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("carl", ["Clerk"], display_name="Carl Absent")
        uow.identity.set_active("carl", False)
        uow.commit()
    answer = api_as("otto").get("/users?role=Clerk")
    assert answer.status == 200
    assert usernames(answer) == ["claire", "colin"] and answer.json["total"] == 2
    assert answer.json["items"][0] == {"username": "claire", "display_name": "Claire", "roles": ["Clerk"]}


def test_the_directory_is_searched_by_user_or_display_name_a_page_at_a_time(api_as):
    assert usernames(api_as("claire").get("/users?q=CLA")) == ["claire"]
    first = api_as("claire").get("/users?per_page=2&page=1")
    second = api_as("claire").get("/users?per_page=2&page=2")
    assert first.json["total"] == 6 and len(first.json["items"]) == 2
    assert not set(usernames(first)) & set(usernames(second))


def test_the_directory_is_only_for_signed_in_users(api_as):
    assert api_as(None).get("/users").status == 401
