"""Settings are one typed object parsed once from SECRETARIAT_* (engine.settings)."""
from __future__ import annotations

import pytest

from engine.settings import Settings, SettingsError
from tests.webapp.conftest import Browser
from webapp import create_app

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_secretariat_per_page_sets_the_page_size_of_the_lists(engine, monkeypatch, app, tmp_path):
    """SECRETARIAT_PER_PAGE=50 once crashed /inbox with a TypeError (a string where a number was due)."""
    monkeypatch.setenv("SECRETARIAT_PER_PAGE", "50")
    configured = create_app({"TESTING": True, "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False}, engine=engine)
    configured.instance_path = str(tmp_path)
    assert configured.config["PER_PAGE"] == 50
    browser = Browser(configured.test_client())
    assert browser.login("claire").status_code == 302
    for page in ("/inbox", "/instances", "/bureau"):
        assert browser.get(page).status_code in (200, 403), page


def test_timer_worker_and_other_values_are_typed(database_url):
    settings = Settings.from_environment({"SECRETARIAT_TIMER_WORKER": "false", "SECRETARIAT_TIMER_INTERVAL": "2.5",
                                          "SECRETARIAT_PER_PAGE": "7", "SECRETARIAT_DATABASE_URL": database_url})
    assert (settings.timer_worker, settings.timer_interval, settings.per_page) == (False, 2.5, 7)
    assert Settings.from_environment({}).timer_worker is True
    files = Settings.from_environment({"SECRETARIAT_ATTACHMENT_MAX_BYTES": "2048",
                                       "SECRETARIAT_ATTACHMENT_FOLDER": "/srv/files"})
    assert (files.attachment_max_bytes, files.attachment_folder) == (2048, "/srv/files")
    assert Settings.from_environment({}).attachment_max_bytes == 10 * 1024 * 1024


@pytest.mark.parametrize("name, value", [("PER_PAGE", "fifty"), ("PER_PAGE", "0"), ("TIMER_WORKER", "maybe"),
                                         ("TIMER_INTERVAL", "-1"), ("SMTP_URL", "http://x"),
                                         ("ATTACHMENT_MAX_BYTES", "0"), ("ATTACHMENT_MAX_BYTES", "10MB")])
def test_a_wrong_value_is_refused_at_start_with_its_name(database_url, name, value):
    with pytest.raises(SettingsError, match=f"SECRETARIAT_{name}"):
        Settings.from_environment({f"SECRETARIAT_{name}": value})
