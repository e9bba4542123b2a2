"""The form editor (/modeler/forms): a form's JSON Schema and UI schema in text areas, a
preview drawn by the task page's renderer, and saving, which deploys the form and so makes
new versions of the processes that use it. Flask test client, SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re

import pytest

from tests.conftest import FIXTURES
from tests.engine.helpers import start

APPROVAL = ("approval.bpmn", "request.schema.json", "review.schema.json")
REQUEST = json.loads((FIXTURES / "request.schema.json").read_text())


@pytest.fixture
def approval(deploy):
    return deploy(*APPROVAL)


def with_field(schema: dict, name: str, field: dict) -> dict:
    changed = json.loads(json.dumps(schema))
    changed["properties"][name] = field
    return changed


def save(browser, name, schema, ui="", note="", action="save"):
    text = schema if isinstance(schema, str) else json.dumps(schema, indent=2)
    return browser.post(f"/modeler/forms/{name}", {"schema": text, "ui_schema": ui, "note": note, "action": action})


def test_the_forms_page_lists_the_deployed_forms(browser_as, approval):
    page = browser_as("mara").get("/modeler/forms").get_data(as_text=True)
    assert "request.schema.json" in page and "review.schema.json" in page
    assert 'href="/modeler/forms/request"' in page


def test_the_editor_shows_the_schema_and_a_preview_drawn_like_the_task_page(browser_as, approval):
    page = browser_as("mara").get("/modeler/forms/request")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    textarea = re.search(r'<textarea id="schema"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert json.loads(textarea.replace("&#34;", '"').replace("&quot;", '"')) == REQUEST
    preview = html[html.index('id="form-preview"'):]
    assert 'name="title"' in preview and 'name="amount"' in preview and 'type="number"' in preview
    assert "modeler-form-editor.js" in html


def test_the_preview_endpoint_draws_the_form_being_edited(browser_as, approval):
    mara = browser_as("mara")
    schema = with_field(REQUEST, "venue", {"type": "string", "title": "Venue", "enum": ["The Hague", "New York"]})
    ui = json.dumps({"ui:order": ["venue", "*"], "venue": {"ui:widget": "radio"}})
    answer = mara.post("/modeler/form-preview", {"name": "request", "schema": json.dumps(schema), "ui_schema": ui})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'type="radio"' in html and "The Hague" in html
    assert html.index('name="venue"') < html.index('name="title"')


def test_a_field_naming_a_role_previews_as_a_choice_among_the_people_of_that_role(browser_as, approval):
    mara = browser_as("mara")
    schema = with_field(REQUEST, "reviewer", {"type": "string", "title": "Reviewer", "x-directory-role": "Clerk"})
    answer = mara.post("/modeler/form-preview", {"name": "request", "schema": json.dumps(schema), "ui_schema": ""})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert '<option value="claire">Claire</option>' in html and '<option value="colin">Colin</option>' in html
    assert 'value="otto"' not in html


def test_the_preview_says_where_the_json_is_broken(browser_as, approval):
    mara = browser_as("mara")
    broken = '{\n  "type": "object",\n  "properties": {,\n}'
    answer = mara.post("/modeler/form-preview", {"name": "request", "schema": broken,
                                                 "ui_schema": ""})
    assert answer.status_code == 422
    assert "not valid JSON" in answer.get_data(as_text=True) and "line 3" in answer.get_data(as_text=True)


def test_the_preview_button_works_without_javascript(browser_as, approval):
    mara = browser_as("mara")
    schema = with_field(REQUEST, "venue", {"type": "string", "title": "Venue of the meeting"})
    answer = save(mara, "request", schema, action="preview")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Venue of the meeting" in html[html.index('id="form-preview"'):]
    with mara.client.application.extensions["engine"].unit_of_work() as uow:
        assert "venue" not in uow.repository.form("request.schema.json")["properties"]


def test_invalid_json_is_refused_with_its_line(browser_as, engine, approval):
    answer = save(browser_as("mara"), "request", '{\n  "title": "Request",\n  "type": "object"\n  "properties": {}\n}')
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "line 4" in html and "not valid JSON" in html
    with engine.unit_of_work() as uow:
        assert uow.repository.form("request.schema.json") == REQUEST


def test_an_invalid_json_schema_is_refused(browser_as, engine, approval):
    answer = save(browser_as("mara"), "request", {"type": "objekt", "properties": 5})
    assert answer.status_code == 422
    assert "not a valid JSON Schema" in answer.get_data(as_text=True)
    bad_ui = save(browser_as("mara"), "request", REQUEST, ui="[1, 2]")
    assert bad_ui.status_code == 422 and "must be a JSON object" in bad_ui.get_data(as_text=True)
    with engine.unit_of_work() as uow:
        assert uow.repository.form("request.schema.json") == REQUEST
        assert [v.version for v in uow.repository.versions("approval")] == [1]


def test_saving_a_form_deploys_it_and_makes_new_versions_of_the_processes_using_it(browser_as, engine, approval):
    running = start(engine, "approval")
    mara = browser_as("mara")
    schema = with_field(REQUEST, "venue", {"type": "string", "title": "Venue"})
    answer = save(mara, "request", schema, note="Venue asked for")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/modeler/forms/request")
    page = mara.get("/modeler/forms/request").get_data(as_text=True)
    assert "Form request saved and deployed" in page and "approval version 2" in page
    with engine.unit_of_work() as uow:
        assert uow.repository.form("request.schema.json") == schema
        latest = uow.repository.get("approval")
        assert (latest.version, latest.note, latest.deployed_by) == (2, "Venue asked for", "mara")
        assert uow.runtime.get(running.id).version == 1
    assert start(engine, "approval").version == 2

    unchanged = save(mara, "request", schema)
    assert "nothing was saved" in mara.get(unchanged.headers["Location"]).get_data(as_text=True)
    with engine.unit_of_work() as uow:
        assert uow.repository.get("approval").version == 2


def test_a_new_form_is_created_from_a_starter_schema_and_deployed_with_its_ui_schema(browser_as, engine, approval):
    mara = browser_as("mara")
    opened = mara.get("/modeler/forms?new=meeting_request")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/modeler/forms/meeting_request")
    page = mara.get("/modeler/forms/meeting_request").get_data(as_text=True)
    assert ">new<" in page and "&#34;type&#34;: &#34;object&#34;" in page
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Meeting", "type": "object",
              "properties": {"room": {"type": "string"}}, "required": ["room"]}
    ui = json.dumps({"room": {"ui:placeholder": "e.g. Conference room 2"}})
    assert save(mara, "meeting_request", schema, ui=ui).status_code == 302
    with engine.unit_of_work() as uow:
        assert {"meeting_request.schema.json", "meeting_request.uischema.json"} <= set(uow.repository.form_names())
        ui_schema = uow.repository.form("meeting_request.uischema.json")
        assert ui_schema["room"]["ui:placeholder"] == "e.g. Conference room 2"
    assert mara.get("/modeler/forms?new=bad name!").status_code == 422
    assert mara.get("/modeler/forms/bad.name").status_code == 404


def test_saving_a_form_needs_the_csrf_token(browser_as, approval):
    mara = browser_as("mara")
    answer = mara.client.post("/modeler/forms/request", data={"schema": json.dumps(REQUEST), "action": "save"})
    assert answer.status_code == 400
    assert mara.client.post("/modeler/form-preview", data={"schema": "{}"}).status_code == 400
