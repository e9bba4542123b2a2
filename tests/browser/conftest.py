"""Browser tests: Debian's Chromium driven by Playwright against the app on a real HTTP port.

Playwright cannot download its own browser on these machines, so it launches the system
Chromium by path (`make test` installs it when missing, as root). Without Chromium,
Playwright or the bpmn-js files (`make install`) the tests are skipped with the reason,
except under CI=true, where they fail. They run on SQLite only: what they check is the
page in a browser, which the test-client suites already check on both databases."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.webapp.conftest import PASSWORD, app, live_server  # noqa: F401  (fixtures used here)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("SECRETARIAT_CHROMIUM", "/usr/bin/chromium"))
VIEWER_BUNDLE = ROOT / "webapp" / "static" / "vendor" / "bpmn-js" / "bpmn-navigated-viewer.production.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (under CI=true the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(params=["sqlite"])
def database_url(tmp_path, sqlite_template):
    """SQLite only (overrides the two-database fixture of tests/conftest.py; the id keeps `-k sqlite` working)."""
    path = tmp_path / "engine.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: install Debian's chromium (`make test` does it as root)")
    if not VIEWER_BUNDLE.exists():
        _missing(f"{VIEWER_BUNDLE.relative_to(ROOT)} is missing: run `make install` (npm ci + copy of bpmn-js)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed (it is in the [test] extra)")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


class PageProblems(list):
    """Console errors, uncaught exceptions and refused requests a page met (CSP violations among them)."""


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # the app has none (yet)
    page = context.new_page()
    page.problems = PageProblems()
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Through the real log-in page, as a person would."""
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
