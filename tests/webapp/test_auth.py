"""Signing in and out, CSRF, anonymous access and security headers."""
from __future__ import annotations

from tests.webapp.conftest import PASSWORD, csrf_token_from


def test_anonymous_users_are_sent_to_the_login_page(client):
    answer = client.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_sign_in_with_the_right_password_and_sign_out(client, browser_as):
    browser = browser_as("claire")
    assert browser.get("/login").status_code == 200
    answer = browser.post("/logout")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"username": "claire", "password": "nope", "csrf_token": token})
    assert answer.status_code == 401
    assert "Unknown user name or wrong password" in answer.get_data(as_text=True)
    assert 'value="claire"' in answer.get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused(client):
    answer = client.post("/login", data={"username": "claire", "password": PASSWORD})
    assert answer.status_code == 400
    assert "CSRF" in answer.get_data(as_text=True)


def test_login_page_has_the_expected_fields_and_headers(client):
    answer = client.get("/login")
    html = answer.get_data(as_text=True)
    for name in ("username", "password", "csrf_token"):
        assert f'name="{name}"' in html
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_http_only_and_same_site(app, client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"username": "claire", "password": PASSWORD, "csrf_token": token})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_open_redirects_are_refused(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    answer = client.post("/login?next=//evil.example/", data={"username": "claire", "password": PASSWORD,
                                                              "csrf_token": token})
    assert "evil.example" not in answer.headers["Location"]


def test_the_menu_offers_only_what_the_user_may_open(browser_as):
    staff = browser_as("claire").get("/inbox").get_data(as_text=True)
    assert "Administration" not in staff and ">Modeler<" not in staff
    admin = browser_as("ada").get("/inbox").get_data(as_text=True)
    assert "Administration" in admin
