"""The form builder of the form editor in a real browser: a form built field by field (types,
required, labelled choices, help, French texts, reordering), the JSON it writes and reads back,
saved, deployed with a process, and filled in on a task page: the values reach the case data."""
from __future__ import annotations

import json

from tests.browser.conftest import ARTIFACTS, ROOT, sign_in
from tests.conftest import FIXTURES, MANAGER
from tests.engine.helpers import start
from engine.bundle import Bundle

CLERK_ROLE = "Clerk"


def builder_field(page, index: int):
    return page.locator("[data-builder-fields] > [data-field]").nth(index)


def add_field(page, label: str, kind: str, *, french: str = "", required: bool = False, help_text: str = ""):
    page.get_by_role("button", name="Add a field").click()
    card = page.locator("[data-builder-fields] > [data-field]").last
    card.get_by_label("Label", exact=True).fill(label)
    if french:
        card.get_by_label("Label (French)").fill(french)
    card.get_by_label("Type").select_option(kind)
    if required:
        card.get_by_label("Required").check()
    if help_text:
        card.get_by_label("Help text", exact=True).fill(help_text)
    return card


def schema_in_page(page) -> dict:
    return json.loads(page.input_value("#schema"))


def test_a_form_built_in_the_builder_is_saved_deployed_with_a_process_and_used_by_a_task(page, deploy, engine,
                                                                                           chromium, live_server):
    sign_in(page, "mara")
    page.goto("/modeler/forms?new=venue_request")
    page.wait_for_selector("[data-form-builder][data-builder-state=ready]")
    builder_field(page, 0).get_by_role("button", name="Remove").click()  # the starter's comment field
    page.get_by_label("Title (French)").fill("Demande de salle")

    venue = add_field(page, "Venue", "choice", french="Lieu", required=True, help_text="Where the meeting is held")
    venue.locator("[data-choice-prop=value]").fill("the_hague")
    venue.locator("[data-choice-prop=title]").fill("The Hague")
    venue.locator("[data-choice-prop=title_fr]").fill("La Haye")
    venue.get_by_role("button", name="Add a choice").click()
    venue.locator("[data-choice-prop=value]").last.fill("new_york")
    add_field(page, "Participants", "integer", required=True)
    add_field(page, "Interpretation needed", "boolean")
    add_field(page, "Notes", "longtext", help_text="Anything the rooms team should know")
    languages = add_field(page, "Languages", "multiple", required=True)
    languages.locator("[data-choice-prop=value]").fill("English")
    languages.get_by_role("button", name="Add a choice").click()
    languages.locator("[data-choice-prop=value]").last.fill("French")
    page.get_by_role("button", name="Move up Notes").click()

    page.wait_for_selector("[data-form-editor][data-preview-state=fresh]")
    schema = schema_in_page(page)
    assert list(schema["properties"]) == ["venue", "participants", "notes", "interpretation_needed", "languages"]
    assert schema["properties"]["languages"] == {"type": "array", "title": "Languages", "uniqueItems": True,
                                                 "items": {"type": "string", "enum": ["English", "French"]},
                                                 "minItems": 1}
    assert schema["title_fr"] == "Demande de salle" and schema["required"] == ["venue", "participants", "languages"]
    assert schema["properties"]["venue"] == {
        "type": "string", "title": "Venue", "title_fr": "Lieu", "description": "Where the meeting is held",
        "enum": ["the_hague", "new_york"], "x-enum-labels": ["The Hague", "new_york"],
        "x-enum-labels-fr": ["La Haye", "new_york"]}
    assert json.loads(page.input_value("#ui_schema")) == {"notes": {"ui:widget": "textarea"}}
    preview = page.locator("#form-preview")
    preview.get_by_label("Venue").locator("option", has_text="The Hague").wait_for(state="attached")

    # the JSON stays editable: a field typed by hand appears in the builder
    schema["properties"]["room"] = {"type": "string", "title": "Room"}
    page.fill("#schema", json.dumps(schema, indent=2))
    page.locator("[data-builder-fields] [data-part=heading]", has_text="Room").wait_for()
    builder_field(page, 5).get_by_label("Type").select_option("attachment")
    assert schema_in_page(page)["properties"]["room"] == {"type": "string", "title": "Room", "x-attachment": True}
    builder_field(page, 5).get_by_label("Type").select_option("person")
    page.locator("[data-builder-message]").get_by_text("Name the role whose people are offered").wait_for()
    builder_field(page, 5).get_by_label("Role of the people offered").fill(CLERK_ROLE)
    assert page.locator("[data-builder-message]").is_hidden()
    assert schema_in_page(page)["properties"]["room"] == {"type": "string", "title": "Room",
                                                          "x-directory-role": CLERK_ROLE}
    builder_field(page, 5).get_by_label("Key in the case data").fill("venue")  # taken: the JSON waits
    page.wait_for_selector("[data-form-builder][data-builder-state=invalid]")
    page.locator("[data-builder-message]").get_by_text("Two fields have the same key").wait_for()
    assert "x-directory-role" in page.input_value("#schema")
    builder_field(page, 5).get_by_role("button", name="Remove").click()
    page.wait_for_selector("[data-form-builder][data-builder-state=ready]")
    assert "x-directory-role" not in page.input_value("#schema")

    add_field(page, "Floor plan", "attachment")
    page.get_by_label("Change note").fill("Rooms are requested with a form")
    page.get_by_role("button", name="Save and deploy").click()
    page.get_by_text("Form venue_request saved and deployed.").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "modeler-form-builder.png"), full_page=True)

    process = (FIXTURES / "approval.bpmn").read_text().replace("request.schema.json", "venue_request.schema.json")
    with engine.unit_of_work() as uow:
        uow.repository.deploy(Bundle.from_uploads([("approval.bpmn", process.encode()), (
            "review.schema.json", (FIXTURES / "review.schema.json").read_bytes())]), MANAGER, "rooms")
        uow.commit()
    instance = start(engine, "approval")
    task_id = instance.open_tasks[0].id

    clerk = chromium.new_context(base_url=live_server).new_page()
    sign_in(clerk, "claire")
    clerk.goto(f"/tasks/{task_id}")
    clerk.get_by_label("Venue").select_option(label="The Hague")
    clerk.get_by_label("Participants").fill("40")
    clerk.get_by_label("Notes").fill("Room with booths")
    clerk.get_by_label("Interpretation needed").check()
    clerk.get_by_label("French").check()
    clerk.get_by_label("Floor plan").set_input_files(files=[{"name": "plan.pdf", "mimeType": "application/pdf",
                                                             "buffer": b"%PDF-1.4 a floor plan"}])
    clerk.get_by_role("button", name="Complete task", exact=True).click()
    clerk.get_by_text("is done").wait_for()
    with engine.unit_of_work() as uow:
        data = uow.runtime.get(instance.id).data
    assert {k: data.get(k) for k in ("venue", "participants", "notes", "interpretation_needed", "languages")} == {
        "venue": "the_hague", "participants": 40, "notes": "Room with booths", "interpretation_needed": True,
        "languages": ["French"]}
    with engine.unit_of_work() as uow:
        plan = uow.attachments.open(int(data["floor_plan"]), None)
    assert (plan.attachment.filename, plan.content) == ("plan.pdf", b"%PDF-1.4 a floor plan")
    clerk.context.close()
    assert [p for p in page.problems if "status of 422" not in p] == []


OTHER_SHAPES = {"title": "Other shapes", "type": "object", "required": ["anything"], "properties": {
    "anything": True, "email": {"type": "string", "format": "email"}, "people": {"type": "array", "items": {
        "type": "string", "x-directory-role": "Clerk"}}, "group": {"type": "object", "properties": {"a": {"type": "string"}}},
    "score": {"type": "integer", "enum": [1, 2, 3]}}}


def differences(got, wanted, path="") -> list[str]:
    """The paths where two JSON values differ (a readable failure for a large form)."""
    if isinstance(got, dict) and isinstance(wanted, dict):
        return [d for k in sorted(set(got) | set(wanted), key=str)
                for d in differences(got.get(k, "<missing>"), wanted.get(k, "<missing>"), f"{path}/{k}")]
    if isinstance(got, (list, tuple)) and isinstance(wanted, (list, tuple)) and len(got) == len(wanted):
        return [d for i, (a, b) in enumerate(zip(got, wanted)) for d in differences(a, b, f"{path}/{i}")]
    return [] if got == wanted else [f"{path}: {got!r} instead of {wanted!r}"[:300]]


def test_the_builder_keeps_every_secretariat_form_as_it_is_when_one_text_is_changed_and_changed_back(page, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    sign_in(page, "mara")
    page.goto("/modeler/forms/request")
    page.wait_for_selector("[data-form-builder][data-builder-state=ready]")
    title = page.locator("[data-form-builder]").get_by_label("Title", exact=True)
    changed = {}
    forms = {"shapes the builder does not edit": (OTHER_SHAPES, {"group": {"a": {"ui:widget": "textarea"}}})}
    for schema_file in sorted((ROOT / "forms").glob("*.schema.json")):
        ui_file = schema_file.with_name(schema_file.name.replace(".schema.json", ".uischema.json"))
        forms[schema_file.name] = (json.loads(schema_file.read_text()),
                                   json.loads(ui_file.read_text()) if ui_file.exists() else {})
    for name, (schema, ui) in forms.items():
        page.fill("#ui_schema", json.dumps(ui))
        page.fill("#schema", json.dumps(schema))
        page.wait_for_function("(title) => document.querySelector('[data-form-prop=title]').value === title",
                               arg=schema.get("title", ""))
        title.fill(title.input_value() + " (x)")
        title.fill(schema.get("title", ""))
        written = (json.loads(page.input_value("#schema")), json.loads(page.input_value("#ui_schema") or "{}"))
        if written != (schema, ui):
            changed[name] = differences(written, (schema, ui))
    assert changed == {}
