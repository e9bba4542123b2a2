"""A task's instructions, filled in: the one sandboxed, bounded Jinja environment.

The template comes from a BPMN file that managers edit in a browser, the data from whoever
completed earlier steps; so it runs in Jinja's SandboxedEnvironment (no private attributes,
no unsafe calls) and within bounds that stop runaway templates before they stall a page:
- `*`, `**`, `+` and `%` are refused when their result would be huge (engine.runaway_guards),
  and so are widths and counts of a million or more passed to a call or a filter;
- `range` gives at most 10,000 numbers;
- rendering stops after `TIME_LIMIT` seconds (every `{% for %}` is compiled to iterate
  through a clock check, so nested loops that print nothing are stopped too) or
  `MAX_OUTPUT` characters.
The result is Markdown text; the pages render it with raw HTML off, the API returns it as is.
A template that fails or runs away comes back as `problem`, never as an exception."""
from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass

from jinja2 import StrictUndefined, nodes
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
        _check_deadline()  # recursive macros make no loop, but every call comes through here
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


_CLOCK = "_instructions_clock_"  # a global no template can shadow: data keys starting with "_" are dropped
_DEADLINE = threading.local()


def _check_deadline() -> None:
    if time.monotonic() > getattr(_DEADLINE, "at", float("inf")):
        raise InstructionsTooCostly(f"the instructions took longer than {TIME_LIMIT} s to fill in")


def _clocked(iterable):
    """What each `{% for %}` iterates through: past the deadline, the next step raises."""
    for item in iterable:
        _check_deadline()
        yield item


_ENVIRONMENT = _BoundedSandbox(autoescape=False, undefined=StrictUndefined)
_ENVIRONMENT.globals.update({"range": _bounded_range, _CLOCK: _clocked})
_ENVIRONMENT.filters = {name: _guarded_filter(name, f) for name, f in _ENVIRONMENT.filters.items()}


@functools.lru_cache(maxsize=256)
def _template(text: str):
    tree = _ENVIRONMENT.parse(text)
    if any(n.name.startswith("_") for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")) or \
            any(m.name.startswith("_") for m in tree.find_all(nodes.Macro)):
        raise RunawayRefused("names starting with '_' cannot be set in instructions")
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Call(nodes.Name(_CLOCK, "load"), [loop.iter], [], None, None, lineno=loop.lineno)
    return _ENVIRONMENT.from_string(tree)


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
    _DEADLINE.at = time.monotonic() + TIME_LIMIT
    parts, size = [], 0
    for part in template.generate({k: v for k, v in data.items() if not str(k).startswith("_")}):
        size += len(part)
        if size > MAX_OUTPUT:
            raise InstructionsTooCostly(f"the instructions would be longer than {MAX_OUTPUT:,} characters")
        _check_deadline()
        parts.append(part)
    return "".join(parts)
