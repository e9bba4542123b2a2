"""Form patterns run in linear time (RE2), never by backtracking."""
from __future__ import annotations

import time


def test_a_catastrophic_form_pattern_is_matched_in_linear_time():
    """`^(a+)+$` on 27 a's and a '!' took 11 s with Python's backtracking `re`."""
    from engine.forms import validate_data
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}}}
    began = time.monotonic()
    problems = validate_data(schema, {"code": "a" * 5000 + "!"})
    assert [p.field for p in problems] == ["code"] and time.monotonic() - began < 0.5
    assert validate_data(schema, {"code": "aaaa"}) == []


def test_a_form_pattern_that_needs_backtracking_is_refused_at_deploy():
    from engine.forms import check_form_file
    form, problems = check_form_file("f.json", b'{"type": "object", "properties": {"x": {"type": "string", '
                                                b'"pattern": "^(?=a)a$"}}}')
    assert form is None and "linear-time" in problems[0].message
