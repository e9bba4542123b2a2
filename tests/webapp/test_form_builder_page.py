"""The form builder's part of the form editor page, as the server draws it: the builder and
its templates, the roles its person fields offer, and inputs that are never submitted (the
form posts its JSON only). The builder itself runs in tests/browser/test_form_builder.py."""
from __future__ import annotations

import json
import re


def test_the_form_editor_carries_the_builder_with_the_roles_people_hold(browser_as):
    html = browser_as("mara").get("/modeler/forms/venue_request").get_data(as_text=True)
    builder = html[html.index("data-form-builder"):html.index("</section>", html.index("data-form-builder"))]
    datalist = re.search(r'<datalist id="builder-roles">(.*?)</datalist>', builder).group(1)
    roles = re.findall(r'<option value="([^"]+)">', datalist)
    assert roles == ["Clerk", "Director", "Translator", "admin", "manager"]
    for kind in ("text", "longtext", "number", "integer", "boolean", "date", "choice", "multiple", "person",
                 "attachment"):
        assert f'<option value="{kind}">' in builder
    assert " name=" not in builder  # nothing of the builder is posted: the JSON text areas are
    assert "modeler-form-builder.js" in html
    assert html.index("js/form-schema-codec.js") < html.index("js/modeler-form-builder.js")  # the codec first
    assert "<script>" not in html  # script-src 'self': files only



def test_the_preview_shows_the_labels_the_builder_writes_in_the_managers_language(browser_as):
    mara = browser_as("mara")
    schema = json.dumps({"type": "object", "properties": {"venue": {
        "type": "string", "title": "Venue", "title_fr": "Lieu", "enum": ["the_hague", "new_york"],
        "x-enum-labels": ["The Hague", "New York"], "x-enum-labels-fr": ["La Haye", "New York"]}}})
    english = mara.post("/modeler/form-preview", {"name": "venue", "schema": schema, "ui_schema": ""},
                        headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = mara.post("/modeler/form-preview", {"name": "venue", "schema": schema, "ui_schema": ""},
                       headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ">The Hague<" in english and "Venue" in english and "the_hague</option>" not in english
    assert ">La Haye<" in french and "Lieu" in french
