"""Form keywords that name people and case choices: checked at deploy, expanded per task."""
from __future__ import annotations

import json

from engine.form_extensions import expand_form, values_at
from engine.forms import check_form_file, validate_data

PEOPLE = {"Bureau": [("bureau.president", "H.E. Ms. President"), ("bureau.vp1", "H.E. Mr. Vice-President")]}


def directory(role):
    return PEOPLE.get(role, [])


def test_a_form_naming_a_role_on_a_number_is_refused_at_deploy():
    form = {"type": "object", "properties": {"count": {"type": "integer", "x-directory-role": "Bureau"}}}
    parsed, problems = check_form_file("bad.schema.json", json.dumps(form).encode())
    assert parsed is None and "x-directory-role at /properties/count" in problems[0].message


def test_values_are_found_along_a_data_path_with_each_item_and_without_repeats():
    data = {"shortlist": [{"name": "Ilse"}, {"name": "Rafael"}, {"name": "Ilse"}], "languages": ["English", "French"]}
    assert values_at(data, "shortlist[].name") == ["Ilse", "Rafael"]
    assert values_at(data, "languages") == ["English", "French"]
    assert values_at(data, "missing[].name") == []


def test_a_member_who_does_not_hold_the_role_is_refused_by_name():
    form = {"type": "object", "properties": {"members": {"type": "array", "items": {"type": "string"},
                                                         "x-directory-role": "Bureau", "minItems": 2}}}
    expanded = expand_form(form, {}, directory)
    assert expanded["properties"]["members"]["items"]["x-enum-titles"] == ["H.E. Ms. President", "H.E. Mr. Vice-President"]
    [problem] = validate_data(expanded, {"members": ["bureau.president", "registrar"]})
    assert problem.field == "members.1" and "not an active user with the role Bureau" in problem.message
    assert validate_data(expanded, {"members": ["bureau.president", "bureau.vp1"]}) == []
    assert form["properties"]["members"]["items"] == {"type": "string"}, "the deployed form is not changed"


def test_a_future_date_must_come_after_today():
    form = {"type": "object", "properties": {"deadline": {"type": "string", "format": "date", "x-future-date": True}}}
    expanded = expand_form(form, {}, directory, today="2027-01-04")
    assert [p.field for p in validate_data(expanded, {"deadline": "2027-01-04"})] == ["deadline"]
    assert validate_data(expanded, {"deadline": "2027-01-05"}) == []
