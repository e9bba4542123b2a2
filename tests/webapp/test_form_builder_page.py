"""The form builder's part of the form editor page, as the server draws it: the builder and
its templates, the roles its person fields offer, and inputs that are never submitted (the
form posts its JSON only). The builder itself runs in tests/browser/test_form_builder.py."""
from __future__ import annotations

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

