"""SpiffArena's dynamic choices: `"anyOf": ["options_from_task_data_var:NAME"]` in a form.

A SpiffArena form lists choices computed by the process (the directors of a section, the
open sessions...) by naming a task-data variable instead of writing them out. The variable
holds `[{"value": ..., "label": ...}]` (or plain values). When a task's form is shown or its
submission checked, the placeholder becomes those choices; at deploy, where no task data
exists yet, it stands for "any value" so that the form is still checked as JSON Schema."""
from __future__ import annotations

import copy

PREFIX = "options_from_task_data_var:"


def _variable_of(node) -> str | None:
    if isinstance(node, dict):
        choices = node.get("anyOf")
        if isinstance(choices, list) and len(choices) == 1 and isinstance(choices[0], str) \
                and choices[0].startswith(PREFIX):
            return choices[0][len(PREFIX):].strip()
    return None


def _choices(options) -> list[dict]:
    choices = []
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict) and "value" in option:
            choices.append({"const": option["value"], "title": str(option.get("label", option["value"]))})
        elif isinstance(option, (str, int, float, bool)):
            choices.append({"const": option, "title": str(option)})
    return choices or [{"const": None, "title": "(no choices available)"}]


def _rewrite(node, replace):
    if isinstance(node, dict):
        variable = _variable_of(node)
        if variable is not None:
            rewritten = {k: _rewrite(v, replace) for k, v in node.items() if k != "anyOf"}
            rewritten.update(replace(variable))
            return rewritten
        return {k: _rewrite(v, replace) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(item, replace) for item in node]
    return node


def with_task_options(schema: dict | None, data: dict | None) -> dict | None:
    """The form of a task, its dynamic choices filled from the task's data."""
    if schema is None or PREFIX not in repr(schema):
        return schema
    data = data or {}
    return _rewrite(copy.deepcopy(schema), lambda variable: {"anyOf": _choices(data.get(variable))})


def without_task_options(schema):
    """The form with every dynamic choice allowing anything: what can be checked at deploy."""
    if not isinstance(schema, dict) or PREFIX not in repr(schema):
        return schema
    return _rewrite(copy.deepcopy(schema), lambda variable: {})
