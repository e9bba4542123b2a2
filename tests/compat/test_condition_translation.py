"""The JUEL/FEEL subset other engines write in conditions, and what it means here."""
from __future__ import annotations

import pytest

from engine.bpmn.foreign_conditions import Untranslatable, foreign_body, translate
from engine.bpmn.scripting import RestrictedScriptEngine


def evaluate(condition: str, **data):
    dialect, body = foreign_body(condition)
    return RestrictedScriptEngine().environment.evaluate(translate(body, dialect), dict(data))


@pytest.mark.parametrize("condition, data, expected", [
    ("${a == b}", {"a": 1, "b": 1}, True),
    ("#{approved}", {"approved": False}, False),
    ("${approved && amount > 1000}", {"approved": True, "amount": 1001}, True),
    ("${!approved || urgent}", {"approved": True, "urgent": False}, False),
    ("${amount ge 10 and kind eq 'gold'}", {"amount": 10, "kind": "gold"}, True),
    ("${not (amount lt 5) or false}", {"amount": 4}, False),
    ("${empty comments}", {"comments": ""}, True),
    ("${empty comments}", {"comments": None}, True),
    ("${not empty items}", {"items": [1]}, True),
    ("${empty count}", {"count": 0}, False),  # JUEL: a number is never empty
    ("${request.owner.name == \"Ana\"}", {"request": {"owner": {"name": "Ana"}}}, True),
    ("${votes[1] != null}", {"votes": [None, "yes"]}, True),
    ("${execution.getVariable('ok') == true}", {"ok": True}, True),
    ("${pages > 100 ? 'outsource' : 'print'}", {"pages": 150}, "outsource"),
    ("${a < b == true}", {"a": 1, "b": 2}, True),  # JUEL precedence, not Python's chaining
    ("=amount > 100 and status = \"open\"", {"amount": 101, "status": "open"}, True),
])
def test_common_conditions_mean_what_they_mean_in_their_engine(condition, data, expected):
    assert evaluate(condition, **data) == expected


@pytest.mark.parametrize("condition, named", [
    ("${order.isSpecial()}", "isSpecial(...)"),
    ("${myService.check(order)}", "check(...)"),
    ("${fn:length(list) > 1}", "':'"),
    ("${execution.setVariable('x', 1)}", "execution.setVariable"),
    ("${a +}", "end of expression"),
])
def test_what_cannot_be_translated_is_named(condition, named):
    dialect, body = foreign_body(condition)
    with pytest.raises(Untranslatable) as refused:
        translate(body, dialect)
    assert named in str(refused.value)


def test_python_conditions_are_left_alone():
    assert foreign_body("amount > 10 and approved") is None
    assert foreign_body("x == 1") is None
