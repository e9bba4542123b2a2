"""SECRETARIAT_MODELER_AUTOSAVE_SECONDS: how often the editor saves a changed diagram as a draft."""
from __future__ import annotations

import pytest

from engine.settings import Settings, SettingsError
from tests.webapp.conftest import Browser
from tests.webapp.test_modeler import approval  # noqa: F401  (fixture)
from webapp import create_app

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_the_interval_is_a_number_of_seconds_thirty_by_default_and_zero_for_never(database_url):
    assert Settings.from_environment({}).modeler_autosave_seconds == 30
    assert Settings.from_environment({"SECRETARIAT_MODELER_AUTOSAVE_SECONDS": "12.5"}).modeler_autosave_seconds == 12.5
    assert Settings.from_environment({"SECRETARIAT_MODELER_AUTOSAVE_SECONDS": "0"}).modeler_autosave_seconds == 0


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_wrong_interval_is_refused_at_start_with_its_name(database_url, value):
    with pytest.raises(SettingsError, match="SECRETARIAT_MODELER_AUTOSAVE_SECONDS"):
        Settings.from_environment({"SECRETARIAT_MODELER_AUTOSAVE_SECONDS": value})


def test_the_editor_page_gets_the_interval_from_the_setting(app, engine, monkeypatch, tmp_path, approval):  # noqa: F811
    monkeypatch.setenv("SECRETARIAT_MODELER_AUTOSAVE_SECONDS", "45")
    configured = create_app({"TESTING": True, "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False}, engine=engine)
    configured.instance_path = str(tmp_path)
    browser = Browser(configured.test_client())
    assert browser.login("mara").status_code == 302
    assert 'data-autosave-seconds="45"' in browser.get("/modeler/processes/approval/edit").get_data(as_text=True)
