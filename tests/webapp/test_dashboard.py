"""The managers' dashboard page: its numbers are the database's (the API: tests/webapp/api/test_dashboard_api.py)."""
from __future__ import annotations

import re

import pytest

from tests.webapp.dashboard_activity import counted_in_database, make_activity


@pytest.fixture
def activity(engine, clock, deploy, app):
    make_activity(engine, clock, deploy)
    return counted_in_database(engine, clock.now())


def page_numbers(html: str) -> dict:
    """The dashboard's tables read back: the same shape as counted_in_database."""
    opened = {}
    for lane, cells in re.findall(r'<tr data-lane="([^"]*)">(.*?)</tr>', html, re.S):
        opened[lane or None] = {age: int(n) for age, n in re.findall(r'data-age="(\w+)">(\d+)</td>', cells)}
    overdue = {key: int(n) for key, n in re.findall(
        r'<tr data-process="([^"]+)"><th scope="row">[^<]*</th><td data-count>(\d+)</td></tr>', html)}
    weeks = [(monday, int(s), int(c)) for monday, s, c in re.findall(
        r'<tr data-week="([\d-]+)">.*?<td data-started>(\d+)</td><td data-completed>(\d+)</td>', html, re.S)]
    return {"open": opened, "overdue": overdue, "weeks": weeks}


def test_the_dashboard_shows_the_counts_of_the_database(activity, browser_as):
    answer = browser_as("mara").get("/dashboard")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    shown = page_numbers(html)
    totals = {lane: shown["open"][lane].pop("total") for lane in shown["open"]}
    assert shown == activity
    assert totals == {lane: sum(ages.values()) for lane, ages in activity["open"].items()}
    # the fixture's work reaches every bracket, a late process and most weeks: the test can fail
    assert activity["open"]["Clerk"]["over_30_days"] >= 1 and activity["open"]["Clerk"]["under_1_day"] >= 1
    assert activity["overdue"] == {"timer_interrupting": 2}  # the third is not 48 hours old
    assert sum(c for _, _, c in activity["weeks"]) >= 2
    assert html.count('<svg class="chart"') == 3


@pytest.mark.parametrize("username", ["claire", "diane", "otto"])
def test_the_dashboard_is_for_managers_and_administrators_only(app, browser_as, username):
    answer = browser_as(username).get("/dashboard")
    assert answer.status_code == 403 and "for managers and administrators" in answer.get_data(as_text=True)
    assert ">Dashboard</a>" not in browser_as(username).get("/inbox").get_data(as_text=True)


def test_an_empty_dashboard_says_so(app, browser_as):
    html = browser_as("ada").get("/dashboard").get_data(as_text=True)
    assert "No open task." in html and "No task is overdue." in html
    assert html.count("<td data-started>0</td>") == 12
