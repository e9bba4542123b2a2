"""The header shows only the pages the user may open (webapp/navigation.py)."""
from __future__ import annotations

import re

import pytest

from tests.webapp.conftest import PASSWORD


def header_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', nav)


@pytest.fixture
def deployed(deploy, app):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")  # started by the Clerk's lane


@pytest.fixture
def nobody(engine, app):
    """A user with no role at all."""
    with engine.unit_of_work() as uow:
        uow.identity.add_user("nora", [], password=PASSWORD, display_name="Nora")
        uow.identity.add_user("bea", ["Bureau"], password=PASSWORD, display_name="Bea")
        uow.commit()


@pytest.mark.parametrize("username, expected", [
    ("nora", ["Inbox", "Instances"]),
    ("otto", ["Inbox", "Instances"]),
    ("bea", ["Inbox", "Instances", "Bureau"]),
    ("claire", ["Inbox", "Start a process", "Instances"]),
    ("mara", ["Inbox", "Instances", "Bureau", "Dashboard", "Modeler"]),  # a manager starts no Clerk process
    ("ada", ["Inbox", "Start a process", "Instances", "Bureau", "Dashboard", "Modeler", "Administration"]),
])
def test_each_user_sees_the_links_to_what_they_may_open(deployed, nobody, browser_as, username, expected):
    assert header_links(browser_as(username).get("/inbox").get_data(as_text=True)) == expected


def test_the_current_area_is_marked(deployed, browser_as):
    html = browser_as("mara").get("/dashboard").get_data(as_text=True)
    assert '<a href="/dashboard" aria-current="page">Dashboard</a>' in html
    assert html.count('aria-current="page"') == 1


def test_every_page_names_its_icon(app, client):
    html = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
