"""The form renderer and parser on their own: JSON Schema + UI schema -> fields -> HTML, and a
submitted flat form -> typed JSON. No database, no app."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader
from werkzeug.datastructures import MultiDict

from engine import Problem
from engine.forms import validate_data
from webapp.approval import decision_data, decision_form, is_approval_form, the_matter
from webapp.form_rendering import (
    UnknownRowAction, apply_row_action, build_form, parse_submission, problems_by_field, readable,
    render_instructions, words,
)

TEMPLATES = Path(__file__).parents[2] / "webapp" / "templates"
REGIONS = ["African", "Asia-Pacific", "Eastern European"]

SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "title": "Title", "description": "A short title."},
        "summary": {"type": "string", "maxLength": 2000},
        "pages": {"type": "integer", "minimum": 1},
        "fee": {"type": "number", "default": 2.5},
        "urgent": {"type": "boolean", "title": "Urgent"},
        "language": {"type": "string", "enum": ["en", "fr", "es"]},
        "priority": {"type": "integer", "oneOf": [{"const": 1, "title": "High"}, {"const": 2, "title": "Low"}]},
        "received": {"type": "string", "format": "date"},
        "meeting": {"type": "string", "format": "date-time"},
        "address": {"type": "object", "title": "Address", "properties": {
            "city": {"type": "string"}, "country": {"type": "string"}}, "required": ["city"]},
        "candidates": {"type": "array", "title": "Candidates", "maxItems": 3, "items": {
            "type": "object", "title": "Candidate", "properties": {
                "name": {"type": "string"}, "region": {"type": "string", "enum": REGIONS},
                "years": {"type": "integer"}}, "required": ["name"]}},
        "languages": {"type": "array", "items": {"type": "string", "enum": ["en", "fr", "es"]}},
    },
    "required": ["title", "pages", "language", "candidates"],
}
UI = {"ui:order": ["title", "language", "*", "urgent"], "language": {"ui:widget": "radio"},
      "title": {"ui:placeholder": "e.g. Budget note"}, "pages": {"ui:help": "Count every page."},
      "candidates": {"items": {"years": {"ui:title": "Years of experience"}}}}


def fields_by_name(form):
    found = {}

    def walk(fields):
        for field in fields:
            found[field.name] = field
            walk(field.children)
    walk(form.fields)
    return found


def html_of(form) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, extensions=["jinja2.ext.i18n"])
    environment.install_null_translations(newstyle=True)  # the app's templates mark their words with _()
    template = environment.from_string(
        '{% from "form_rendering/fields.html" import render_fields, error_summary %}'
        '{{ error_summary(form) }}{{ render_fields(form.fields) }}')
    return template.render(form=form)


def form_data(**pairs) -> MultiDict:
    return MultiDict([(k.replace("__", "."), v) for k, values in pairs.items()
                      for v in (values if isinstance(values, list) else [values])])


# -- drawing ---------------------------------------------------------------------------------

def test_each_schema_type_gets_its_widget():
    fields = fields_by_name(build_form(SCHEMA, UI))
    widgets = {name: fields[name].widget for name in (
        "title", "summary", "pages", "fee", "urgent", "language", "priority", "received", "meeting",
        "address", "candidates", "languages")}
    assert widgets == {"title": "text", "summary": "textarea", "pages": "integer", "fee": "number",
                       "urgent": "checkbox", "language": "radio", "priority": "select", "received": "date",
                       "meeting": "datetime", "address": "group", "candidates": "rows", "languages": "checkboxes"}


def test_ui_order_places_the_named_fields_and_the_rest_where_the_star_is():
    names = [f.name for f in build_form(SCHEMA, UI).fields]
    assert names[:2] == ["title", "language"] and names[-1] == "urgent"
    assert names[2:-1] == ["summary", "pages", "fee", "priority", "received", "meeting", "address", "candidates",
                           "languages"]


def test_labels_help_placeholders_and_defaults_come_from_schema_and_ui_schema():
    fields = fields_by_name(build_form(SCHEMA, UI))
    assert fields["title"].label == "Title" and fields["title"].help == "A short title."
    assert fields["title"].placeholder == "e.g. Budget note"
    assert fields["pages"].help == "Count every page." and fields["pages"].label == "Pages"
    assert fields["fee"].value == "2.5"
    assert fields["candidates.0.years"].label == "Years of experience"
    assert fields["priority"].options[0].label == "High" and fields["priority"].options[0].value == "1"


def test_required_fields_are_marked_visibly_and_for_screen_readers():
    html = html_of(build_form(SCHEMA, UI))
    title = re.search(r'<input type="text" id="field-title"[^>]*>', html).group(0)
    assert 'aria-required="true"' in title and 'placeholder="e.g. Budget note"' in title
    assert re.search(r'for="field-title">Title <span class="required-mark" aria-hidden="true">\*</span>'
                     r'<span class="visually-hidden">\(required\)</span>', html)
    summary = re.search(r'<textarea id="field-summary"[^>]*>', html).group(0)
    assert "aria-required" not in summary
    assert 'role="radiogroup" aria-required="true"' in html


def test_an_array_of_objects_starts_with_one_row_and_buttons_to_add_and_remove_rows():
    html = html_of(build_form(SCHEMA, UI))
    assert 'name="candidates.0.name"' in html and 'name="_rows.candidates" value="1"' in html
    assert '<legend>Candidate 1</legend>' in html
    assert 'name="_action" value="add:candidates"' in html
    assert 'value="remove:candidates.0"' in html


def test_rows_cannot_grow_past_max_items_nor_shrink_below_min_items():
    rows = fields_by_name(build_form(SCHEMA, UI, {"candidates": [{}, {}, {}]}))["candidates"]
    assert len(rows.children) == 3 and not rows.can_add and rows.can_remove
    schema = {"type": "object", "properties": {"c": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}
    only = fields_by_name(build_form(schema, {}, {"c": ["x"]}))["c"]
    assert only.can_add and not only.can_remove


def test_values_are_shown_back_in_their_fields():
    values = {"title": "Note", "pages": 3, "urgent": True, "language": "fr", "priority": 2,
              "meeting": "2027-01-04T10:30:00+01:00", "address": {"city": "The Hague"},
              "candidates": [{"name": "Ada", "region": "African"}, {"name": "Bo"}], "languages": ["en", "es"]}
    fields = fields_by_name(build_form(SCHEMA, UI, values))
    assert fields["title"].value == "Note" and fields["pages"].value == "3" and fields["urgent"].checked
    assert [o.selected for o in fields["language"].options] == [False, True, False]
    assert [o.selected for o in fields["priority"].options] == [False, True]
    assert fields["meeting"].value == "2027-01-04T09:30"
    assert fields["address.city"].value == "The Hague"
    assert fields["candidates.1.name"].value == "Bo" and fields["candidates.0.region"].value == "African"
    assert [o.selected for o in fields["languages"].options] == [True, False, True]


def test_problems_appear_beside_their_fields_and_in_a_summary_with_links():
    problems = problems_by_field([Problem("This field is required.", field="candidates.0.name"),
                                  Problem("Too short.", field="title"),
                                  Problem("'x' is not one of the languages.", field="languages.1"),
                                  Problem("Something about the whole form.", field="(form)")])
    form = build_form(SCHEMA, UI, {"candidates": [{}]}, problems)
    fields = fields_by_name(form)
    assert fields["candidates.0.name"].error == "This field is required."
    assert fields["languages"].error == "'x' is not one of the languages."
    html = html_of(form)
    name_input = re.search(r'<input type="text" id="field-candidates_0_name"[^>]*>', html).group(0)
    assert 'aria-describedby="field-candidates_0_name-error"' in name_input and 'aria-invalid="true"' in name_input
    assert '<p class="error" id="field-candidates_0_name-error">' in html
    assert 'href="#field-title"' in html and "Something about the whole form." in html
    assert [line.label for line in form.errors] == [None, "Title", "Name", "Languages"]
    assert 'aria-describedby="field-title-help field-title-error"' in html


def test_schema_text_and_values_are_escaped_in_the_html():
    schema = {"type": "object", "properties": {"t": {"type": "string", "title": "<b>Title</b>",
                                                     "description": "<script>alert(1)</script>"}}}
    html = html_of(build_form(schema, {}, {"t": '"><script>alert(2)</script>'}))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)" in html and "&#34;&gt;&lt;script&gt;alert(2)" in html


def test_a_focus_target_gets_autofocus():
    form = build_form(SCHEMA, UI, {"candidates": [{}, {}]}, focus="candidates.1")
    assert fields_by_name(form)["candidates.1.name"].autofocus
    assert 'id="field-candidates_1_name" name="candidates.1.name" aria-required="true" autofocus' in html_of(form)


# -- reading back ----------------------------------------------------------------------------

def test_submitted_values_become_typed_json_and_empty_fields_are_left_out():
    submitted = form_data(title="Note", summary="", pages="12", fee="2.75", urgent="true", language="fr",
                          priority="1", received="2027-01-05", meeting="2027-01-06T14:30", address__city="Geneva",
                          address__country="", _rows__candidates="2", candidates__0__name="Ada",
                          candidates__0__region="African", candidates__0__years="7", candidates__1__name="",
                          candidates__1__region="", candidates__1__years="", languages=["en", "es"])
    assert parse_submission(SCHEMA, UI, submitted) == {
        "title": "Note", "pages": 12, "fee": 2.75, "urgent": True, "language": "fr", "priority": 1,
        "received": "2027-01-05", "meeting": "2027-01-06T14:30:00Z", "address": {"city": "Geneva"},
        "candidates": [{"name": "Ada", "region": "African", "years": 7}], "languages": ["en", "es"]}


def test_an_empty_form_gives_only_what_cannot_be_empty():
    assert parse_submission(SCHEMA, UI, form_data(_rows__candidates="1", candidates__0__name="")) == {
        "urgent": False}


def test_what_cannot_be_typed_is_passed_on_for_the_validator_to_name():
    data = parse_submission(SCHEMA, UI, form_data(title="T", pages="many", language="de", candidates__0__name="A"))
    assert data["pages"] == "many" and data["language"] == "de"
    fields = {p.field for p in validate_data(SCHEMA, data)}
    assert fields == {"pages", "language"}


def test_typed_choices_come_back_with_their_type():
    schema = {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "level": {"enum": [1, 2.5, None, "3"]},
        "flags": {"type": "array", "items": {"type": "integer", "enum": [1, 2, 3]}}}}
    ui = {"ok": {"ui:widget": "radio"}}
    assert parse_submission(schema, ui, form_data(ok="false", level="2.5", flags=["3", "1"])) == {
        "ok": False, "level": 2.5, "flags": [3, 1]}
    assert parse_submission(schema, ui, form_data(level="null", ok="")) == {"level": None}
    assert parse_submission(schema, ui, form_data(level="3")) == {"level": "3"}


def test_textarea_line_breaks_are_normalised():
    assert parse_submission(SCHEMA, UI, form_data(summary="a\r\nb"))["summary"] == "a\nb"


def test_blank_rows_are_dropped_on_submission_but_kept_for_redrawing():
    submitted = form_data(_rows__candidates="3", candidates__0__name="", candidates__1__name="Bo",
                          candidates__2__name=" ")
    assert parse_submission(SCHEMA, UI, submitted)["candidates"] == [{"name": "Bo"}]
    assert parse_submission(SCHEMA, UI, submitted, keep_blank_rows=True)["candidates"] == [{}, {"name": "Bo"}, {}]


def test_adding_a_row_keeps_the_entered_values_and_focuses_the_new_row():
    values = parse_submission(SCHEMA, UI, form_data(_rows__candidates="1", candidates__0__name="Ada",
                                                    title="Kept"), keep_blank_rows=True)
    values, focus = apply_row_action(SCHEMA, values, "add:candidates")
    assert values["candidates"] == [{"name": "Ada"}, {}] and values["title"] == "Kept"
    assert focus == "candidates.1"


def test_removing_a_row_keeps_the_others():
    values = {"candidates": [{"name": "Ada"}, {"name": "Bo"}, {"name": "Cy"}]}
    values, focus = apply_row_action(SCHEMA, values, "remove:candidates.1")
    assert values["candidates"] == [{"name": "Ada"}, {"name": "Cy"}] and focus == "candidates"


def test_row_actions_respect_the_limits_and_refuse_unknown_targets():
    full = {"candidates": [{}, {}, {}]}
    assert len(apply_row_action(SCHEMA, full, "add:candidates")[0]["candidates"]) == 3
    for action in ("add:title", "remove:candidates", "add:nothing", "explode:candidates", "remove:candidates.x"):
        with pytest.raises(UnknownRowAction):
            apply_row_action(SCHEMA, {"candidates": [{}]}, action)


def test_nested_arrays_inside_rows_work_too():
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {
        "type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}}}}
    values, focus = apply_row_action(schema, {"items": [{}]}, "add:items.0.tags")
    assert values == {"items": [{"tags": [None]}]} and focus == "items.0.tags.0"
    submitted = form_data(_rows__items="1", **{"_rows__items__0__tags": "2"}, items__0__tags__0="a",
                          items__0__tags__1="")
    assert parse_submission(schema, {}, submitted) == {"items": [{"tags": ["a"]}]}


def test_row_counts_cannot_be_inflated():
    huge = form_data(_rows__candidates="100000000")
    assert len(parse_submission(SCHEMA, UI, huge, keep_blank_rows=True)["candidates"]) == 200


# -- instructions, readable data, approvals --------------------------------------------------

def test_instructions_are_markdown_filled_with_escaped_data():
    shown = render_instructions("## Review: {{ title }}\n\nAmount: **{{ amount }}**",
                                {"title": "<script>alert(1)</script>", "amount": 5})
    assert "<h2>Review: &lt;script&gt;alert(1)&lt;/script&gt;</h2>" in shown.html
    assert "<strong>5</strong>" in shown.html and shown.problem is None


def test_raw_html_and_script_links_in_instructions_stay_text():
    shown = render_instructions('<img src=x onerror="alert(1)"> [click](javascript:alert(2))', {})
    assert "<img" not in shown.html and 'href="javascript' not in shown.html


@pytest.mark.parametrize("template", ["{{ missing }}", "{{ title.__class__.__mro__ }}", "{% if %}", "{{ 1 / 0 }}"])
def test_a_broken_or_unsafe_template_gives_a_notice_instead_of_failing(template):
    shown = render_instructions(template, {"title": "x"})
    assert shown.html is None and "could not be filled in" in shown.problem


def test_data_is_shown_with_words_and_tables_never_json():
    shown = readable({"post_title": "Director", "urgent": True, "candidates": [{"name": "Ada", "yearsOfService": 3}],
                      "languages": ["en", "fr"]})
    assert shown.kind == "entries"
    labels = [label for label, _ in shown.entries]
    assert labels == ["Post title", "Urgent", "Candidates", "Languages"]
    table = shown.entries[2][1]
    assert table.kind == "table" and table.columns == ["Name", "Years of service"]
    assert shown.entries[1][1].text == "Yes" and shown.entries[3][1].kind == "items"
    assert words("experience_years") == "Experience years"


def test_an_approval_task_is_recognised_by_its_form():
    vote = {"schema": {"properties": {"approved": {"type": "boolean"}, "comment": {"type": ["string", "null"]}}}}
    assert is_approval_form(vote)
    assert not is_approval_form({"schema": {"properties": {"approved": {"type": "boolean"}}}})
    assert not is_approval_form({"schema": {"properties": {"approved": {"type": "string"},
                                                           "comment": {"type": "string"}}}})
    assert not is_approval_form(None)


def test_a_decision_form_draws_everything_but_approved_and_the_comment_as_a_text_area():
    schema = {"properties": {"approved": {"type": "boolean"}, "comment": {"type": "string"},
                             "score": {"type": "integer"}}, "required": ["approved", "score"]}
    rest, ui = decision_form(schema, {})
    assert list(rest["properties"]) == ["comment", "score"] and rest["required"] == ["score"]
    assert ui["comment"]["ui:widget"] == "textarea" and "required when you reject" in ui["comment"]["ui:help"]


def test_a_rejection_needs_a_comment_and_an_approval_does_not():
    assert decision_data("approve", {}) == ({"approved": True}, {})
    assert decision_data("reject", {"comment": "  "})[1] == {"comment": "Give the reason for rejecting in the comment."}
    assert decision_data("reject", {"comment": "No"}) == ({"comment": "No", "approved": False}, {})
    assert decision_data(None, {})[1] == {"(form)": "Choose Approve or Reject."}


def test_the_matter_leaves_out_the_decision_fields_and_empty_values():
    schema = {"properties": {"approved": {}, "comment": {}}}
    assert the_matter({"post": "D", "comment": "old", "votes": [], "_internal": 1, "member": "amina"}, schema) == {
        "post": "D", "member": "amina"}


def test_people_picked_from_the_directory_are_shown_by_name_and_stored_by_user_name():
    from engine.form_extensions import expand_form
    schema = expand_form({"type": "object", "properties": {"author": {"type": "string", "title": "Author",
                                                                      "x-directory-role": "Author"}}},
                         {}, lambda role: [("author.legal", "Mr. Dmitri Okafor-Blanc")])
    html = html_of(build_form(schema, {}, {}))
    assert re.search(r'<option value="author.legal"[^>]*>Mr. Dmitri Okafor-Blanc</option>', html)
    assert parse_submission(schema, {}, form_data(author="author.legal")) == {"author": "author.legal"}
