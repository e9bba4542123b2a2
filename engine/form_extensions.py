"""Two JSON-Schema keywords of our own, so that forms name people and choices that exist:

- `x-directory-role: "<role>"` on a string (or an array of strings): the value is the user
  name of an active user holding that role. A mistyped author or Bureau member would send a
  task to nobody and leave the case stuck, so the form offers only real people.
- `x-options-from: "<data path>"` on a string (or an array of strings): the value is one of
  those found at that path of the task's data, e.g. `shortlist[].name` (`[]` = each item).
  A candidate's name misspelt in a Bureau position would count for nobody. With
  `x-all-required: true` on an array, every one of them must be chosen (the languages printed
  are the languages of issue).
- `x-future-date: true` on a date: it must be after today (a deadline in the past is a typo).

`expand_form` turns both into plain `enum`s (with `x-enum-titles`, the names people read), so
the page renderer, the API's form and the validator all see the same closed list."""
from __future__ import annotations

import copy
from typing import Callable

from engine.errors import Problem

DIRECTORY_ROLE = "x-directory-role"
OPTIONS_FROM = "x-options-from"
TITLES = "x-enum-titles"
ALL_REQUIRED = "x-all-required"
FUTURE_DATE = "x-future-date"
AFTER_DATE = "x-after-date"  # set by expand_form from FUTURE_DATE; checked by engine.forms

# role -> [(user name, display name)] of the active users holding it
Directory = Callable[[str], list[tuple[str, str]]]


def uses_extensions(schema) -> bool:
    """Cheap test, so that forms without our keywords are never copied or looked up."""
    if isinstance(schema, dict):
        return DIRECTORY_ROLE in schema or OPTIONS_FROM in schema or FUTURE_DATE in schema \
            or any(uses_extensions(v) for v in schema.values())
    if isinstance(schema, list):
        return any(uses_extensions(v) for v in schema)
    return False


def values_at(data, path: str) -> list:
    """The values found at `path` (`a.b`, `a[].b`; a list at the end counts as its items), in
    order, without repeats."""
    found = [data]
    for part in path.split("."):
        each = part.endswith("[]")
        key = part[:-2] if each else part
        found = [item.get(key) for item in found if isinstance(item, dict) and key in item]
        if each:
            found = [x for item in found if isinstance(item, list) for x in item]
    found = [x for value in found for x in (value if isinstance(value, list) else [value])]
    unique = []
    for value in found:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value not in unique:
            unique.append(value)
    return unique


def _choice_node(node: dict) -> dict:
    """The node that carries the enum: the items of an array, else the node itself."""
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return node["items"]
    return node


def _expand(node, data, directory: Directory, people: dict, today: str | None):
    if isinstance(node, list):
        for item in node:
            _expand(item, data, directory, people, today)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _expand(value, data, directory, people, today)
    if node.get(FUTURE_DATE) is True and today:
        node[AFTER_DATE] = today
    role = node.get(DIRECTORY_ROLE)
    if isinstance(role, str):
        if role not in people:
            people[role] = directory(role)
        target = _choice_node(node)
        target[DIRECTORY_ROLE] = role
        target["enum"] = [username for username, _ in people[role]]
        target[TITLES] = [display for _, display in people[role]]
    path = node.get(OPTIONS_FROM)
    if isinstance(path, str):
        target = _choice_node(node)
        target[OPTIONS_FROM] = path
        target["enum"] = values_at(data or {}, path)
        target.pop(TITLES, None)
        if node.get(ALL_REQUIRED) is True and target is not node:
            node["minItems"] = len(target["enum"])
            node["uniqueItems"] = True


def expand_form(schema: dict | None, data: dict | None, directory: Directory,
                today: str | None = None) -> dict | None:
    """A copy of `schema` whose extension fields are closed lists for this task's data, and whose
    future dates must come after `today` (an ISO date; None: not checked, e.g. for display)."""
    if not uses_extensions(schema):
        return schema
    expanded = copy.deepcopy(schema)
    _expand(expanded, data, directory, {}, today)
    return expanded


def check_extensions(schema, name: str, where: str = "") -> list[Problem]:
    """Deploy-time: each keyword names a role or path, on a string or an array of strings."""
    problems = []
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            problems += check_extensions(item, name, f"{where}/{index}")
        return problems
    if not isinstance(schema, dict):
        return problems
    for keyword in (DIRECTORY_ROLE, OPTIONS_FROM):
        if keyword not in schema:
            continue
        value, kind = schema[keyword], schema.get("type")
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"{keyword} at {where or '(top level)'} must be a non-empty string", file=name))
        elif not (kind == "string" or (kind == "array" and items.get("type") == "string")):
            problems.append(Problem(f"{keyword} at {where or '(top level)'} belongs on a string or an array of "
                                    "strings", file=name))
    for key, value in schema.items():
        if isinstance(value, (dict, list)):
            problems += check_extensions(value, name, f"{where}/{key}")
    return problems
