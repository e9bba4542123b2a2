"""A process's texts in the reader's language, falling back to the original text."""
from __future__ import annotations

from engine.forms import validate_data
from engine.process_texts import schema_in, text_in, ui_schema_in

FORM = {
    "type": "object", "title": "Decision", "title_fr": "Décision",
    "properties": {
        "choice": {"type": "string", "title": "Choice", "title_fr": "Choix", "enum": ["yes", "no"],
                   "x-enum-labels": ["In favour", "Against"], "x-enum-labels-fr": ["Pour", "Contre"]},
        "members": {"type": "array", "title": "Members", "minItems": 1, "items": {"type": "string"}},
    },
    "required": ["choice", "members"],
}


def test_texts_in_french_fall_back_to_the_original_when_not_given():
    assert text_in({"name": "Vote", "name_fr": "Voter"}, "name", "Vote", "fr") == "Voter"
    assert text_in({"name": "Vote", "name_fr": "  "}, "name", "Vote", "fr") == "Vote", "an empty text is none"
    assert text_in({"name_fr": "Voter"}, "name", "Vote", "en") == "Vote"
    french = schema_in(FORM, "fr")
    assert french["title"] == "Décision" and french["properties"]["choice"]["title"] == "Choix"
    assert french["properties"]["members"]["title"] == "Members"
    assert french["properties"]["choice"]["x-enum-titles"] == ["Pour", "Contre"]
    assert schema_in(FORM, "en")["properties"]["choice"]["x-enum-titles"] == ["In favour", "Against"]
    assert FORM["properties"]["choice"].get("x-enum-titles") is None, "the deployed form is not changed"
    assert ui_schema_in({"choice": {"ui:help": "Say", "ui:help_fr": "Dites"}}, "fr")["choice"]["ui:help"] == "Dites"


def test_validation_problems_name_the_field_by_its_title_in_the_language_asked():
    english = {p.field: p for p in validate_data(FORM, {"choice": "maybe", "members": []})}
    assert english["choice"].message == "For “Choice”, choose one of: “In favour”, “Against”."
    assert english["members"].message == "Please fill in “Members”."
    french = {p.field: p for p in validate_data(FORM, {"members": ["a"]}, "fr")}
    assert french["choice"].message_id == "Please fill in “%(field)s”."
    assert french["choice"].params == {"field": "Choix"}
