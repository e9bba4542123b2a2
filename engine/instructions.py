"""A task's instructions, filled in: the one sandboxed, bounded Jinja environment.

The template comes from a BPMN file that managers edit in a browser, the data from whoever
completed earlier steps; so it runs in Jinja's SandboxedEnvironment (no private attributes,
no unsafe calls) and within bounds that stop runaway templates before they stall a page:
- `*`, `**`, `+` and `%` are refused when their result would be huge (engine.runaway_guards),
  and so are widths and counts of a million or more passed to a call or a filter;
- `range` gives at most 10,000 numbers;
- rendering stops after `TIME_LIMIT` seconds (a tracer on the template's own frames, so
  nested loops that print nothing are stopped too) or `MAX_OUTPUT` characters.
The result is Markdown text; the pages render it with raw HTML off, the API returns it as is.
A template that fails or runs away comes back as `problem`, never as an exception."""
from __future__ import annotations

import functools
import sys
import time
from dataclasses import dataclass

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from engine.runaway_guards import RunawayGuards, RunawayRefused

TIME_LIMIT = 0.5
MAX_OUTPUT = 200_000
MAX_RANGE = 10_000
_GUARDS = RunawayGuards(max_sequence=1_000_000, max_int_bits=100_000)


@dataclass(frozen=True)
class FilledInstructions:
    text: str | None = None
    problem: str | None = None


class InstructionsTooCostly(Exception):
    """The template ran past its time or output limit."""


def _bounded_range(*args):
    numbers = range(*args)
    if len(numbers[:MAX_RANGE + 1]) > MAX_RANGE:
        raise RunawayRefused(f"range() in instructions gives at most {MAX_RANGE:,} numbers")
    return numbers


class _BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context, operator, left, right):
        return _GUARDS.binop(operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        _GUARDS.call_arguments(getattr(__obj, "__name__", "a call"), args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes)) and getattr(__obj, "__name__", "") in ("join", "replace"):
            __obj = _GUARDS.getattr(getattr)(owner, __obj.__name__)
        return super().call(__context, __obj, *args, **kwargs)


def _guarded_filter(name: str, original):
    @functools.wraps(original)  # keeps Jinja's pass_context/pass_environment markers
    def guarded(*args, **kwargs):
        _GUARDS.call_arguments(f"the filter {name}", args[1:], kwargs)
        if name == "format" and args:
            _GUARDS.operands("%", next((a for a in args if isinstance(a, str)), ""), None)
        return original(*args, **kwargs)
    return guarded


_ENVIRONMENT = _BoundedSandbox(autoescape=False, undefined=StrictUndefined)
_ENVIRONMENT.globals["range"] = _bounded_range
_ENVIRONMENT.filters = {name: _guarded_filter(name, f) for name, f in _ENVIRONMENT.filters.items()}


@functools.lru_cache(maxsize=256)
def _template(text: str):
    return _ENVIRONMENT.from_string(text)


def fill(text: str | None, data: dict | None) -> FilledInstructions:
    """The instructions with the task data filled in, or the reason they could not be."""
    if not text or not text.strip():
        return FilledInstructions()
    if "{" not in text:
        return FilledInstructions(text)
    try:
        return FilledInstructions(_render(_template(text), data or {}))
    except Exception as error:  # an untrusted template: any failure is the modeler's to fix
        return FilledInstructions(problem=f"{type(error).__name__}: {error}")


def _render(template, data: dict) -> str:
    deadline = time.monotonic() + TIME_LIMIT
    code = template.root_render_func.__code__

    def on_line(frame, event, arg):
        if time.monotonic() > deadline:
            raise InstructionsTooCostly(f"the instructions took longer than {TIME_LIMIT} s to fill in")
        return on_line

    def on_call(frame, event, arg):
        # only the template's own code is traced line by line: Jinja's runtime runs at full speed
        return on_line if frame.f_code.co_filename == code.co_filename else None

    parts, size = [], 0
    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        for part in template.generate(data):
            size += len(part)
            if size > MAX_OUTPUT:
                raise InstructionsTooCostly(f"the instructions would be longer than {MAX_OUTPUT:,} characters")
            parts.append(part)
    finally:
        sys.settrace(previous)
    return "".join(parts)
