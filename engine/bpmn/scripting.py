"""A sandboxed, time-bounded script engine: SpiffWorkflow's default one runs `exec`/`eval` with
full builtins, so any modeler could run commands on the server. Here scripts and expressions are
compiled by RestrictedPython and run with guarded builtins, a deadline and deep-copied task data."""
from __future__ import annotations

import ast
import copy
import functools
import math
import operator
import re
import time
import traceback
import types
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, raise_, safer_getattr
from RestrictedPython.PrintCollector import PrintCollector
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.bpmn.timer_literals import is_iso8601_timer_literal, timer_value
from engine.runaway_guards import RunawayGuards
from engine.bpmn.process_helpers import HELPERS
from engine.bpmn.script_values import NAMESPACE_READERS, is_plain, namespace_reader, visible
from engine.bpmn.service_tasks import call_connector

__all__ = ["RestrictedEnvironment", "RestrictedScriptEngine", "ScriptPolicy", "refusals"]

_FILENAME = "<script>"
_TICK = "_tick_"
_SPEC = "_format_spec_"
_GUARDED_OPERATORS = {ast.Pow: "**", ast.Mult: "*", ast.LShift: "<<", ast.Add: "+", ast.Mod: "%"}
_OPERATOR_NAMES = {"**": "_pow_", "*": "_mul_", "<<": "_lshift_", "+": "_add_", "%": "_mod_"}


@dataclass(frozen=True)
class ScriptPolicy:
    """Limits for each script or expression run; frozen so a shared policy cannot drift."""
    time_limit_seconds: float = 2.0
    max_range: int = 1_000_000
    # Work done in one C call (a power, a repeat, a join) escapes the deadline's checks, which
    # run between Python steps: such operations are refused *before* computing anything
    # bigger than these (engine.runaway_guards).
    max_sequence: int = 1_000_000
    max_int_bits: int = 100_000


class ScriptTimeout(BaseException):
    """A BaseException, so that `except Exception:` in a script does not catch it; it never
    leaves the environment, which turns it into ScriptTimeLimitExceeded."""


class ScriptError(WorkflowTaskException):
    """Spiff's `__str__` always appends '. ' and joins notes blindly; this one reads cleanly."""

    def __str__(self):
        text = str(self.args[0]).strip() if self.args else ""
        for note in (n.strip() for n in self.notes if n and n.strip()):
            text += (" " if text.endswith((".", "?", "!", ":")) else ". ") + note
        return text


class ScriptRefused(Exception):
    """A compile-time refusal, kept apart from runtime errors to phrase the message."""

    def __init__(self, errors: tuple[str, ...]):
        super().__init__("; ".join(e.rstrip(".") for e in errors))
        found = re.search(r"Line (\d+):", errors[0])
        self.lineno = int(found.group(1)) if found else None
        self.syntax = any("SyntaxError" in e or "IndentationError" in e for e in errors)


def _tick_call(where: ast.AST, arg: ast.expr | None = None) -> ast.Call:
    call = ast.Call(func=ast.Name(_TICK, ast.Load()), args=[] if arg is None else [arg], keywords=[])
    return ast.fix_missing_locations(ast.copy_location(call, where))


class _Transformer(RestrictingNodeTransformer):
    """Refuses imports up front and plants a deadline check in every loop and function.

    A sys.settrace line tracer is not enough: on 3.11 `while True: pass` emits no line events,
    and CPython uninstalls a tracer once it raises, so a script could catch the timeout and go
    on. The planted `_tick_()` calls run on each iteration and keep raising after the deadline.
    """

    def _refuse_import(self, node):
        self.error(node, f'"{ast.unparse(node)}" is not allowed (imports are not allowed in scripts)')
        return node

    visit_Import = visit_ImportFrom = _refuse_import

    def visit(self, node):
        node = super().visit(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _GUARDED_OPERATORS and not _adds_a_number(node):
            return ast.fix_missing_locations(ast.copy_location(ast.Call(
                func=ast.Name(_OPERATOR_NAMES[_GUARDED_OPERATORS[type(node.op)]], ast.Load()),
                args=[node.left, node.right], keywords=[]), node))
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            for part in node.format_spec.values:  # f"{x:>{width}}": the width is checked as it is filled in
                if isinstance(part, ast.FormattedValue):
                    part.value = ast.fix_missing_locations(ast.copy_location(
                        ast.Call(func=ast.Name(_SPEC, ast.Load()), args=[part.value], keywords=[]), part.value))
                elif isinstance(part, ast.Constant) and re.search(r"\d{6,}", str(part.value)):
                    self.error(node, "a format width of a million characters or more is not allowed")
            return node
        if isinstance(node, (ast.While, ast.For, ast.FunctionDef)):
            node.body.insert(0, ast.copy_location(ast.Expr(_tick_call(node.body[0])), node.body[0]))
        elif isinstance(node, ast.Lambda):
            node.body = _tick_call(node.body, node.body)
        elif isinstance(node, ast.comprehension):
            node.ifs.append(_tick_call(node.iter, ast.copy_location(ast.Constant(True), node.iter)))
        return node


def _adds_a_number(node: ast.BinOp) -> bool:
    """`x + 1` cannot grow a sequence (str + 1 is a TypeError), so it needs no guard."""
    return isinstance(node.op, ast.Add) and any(
        isinstance(side, ast.Constant) and type(side.value) in (int, float) for side in (node.left, node.right))


@functools.lru_cache(maxsize=1024)
def _compiled(source: str, mode: str) -> types.CodeType:
    """Cached, as RestrictedPython's AST pass costs more than most scripts take to run."""
    compiler = compile_restricted_exec if mode == "exec" else compile_restricted_eval
    result = compiler(source, filename=_FILENAME, policy=_Transformer)
    if result.code is None:
        raise ScriptRefused(tuple(result.errors) or ("Line 1: the script could not be compiled",))
    return result.code


def refusals(source: str, mode: str = "exec") -> list[str]:
    """Why `source` would be refused at run time ("exec" script or "eval" expression); empty if it compiles."""
    try:
        _compiled(source, mode)
    except ScriptRefused as refused:
        return [str(refused)]
    return []


@functools.lru_cache(maxsize=1024)
def _names_used(code: types.CodeType) -> frozenset[str]:
    """Every name the code (and its lambdas and comprehensions) may look up: no script can
    reach a variable without naming it, except through globals()/locals()/vars(), which
    `evaluate` sees among the names and then copies everything for."""
    nested = (_names_used(c) for c in code.co_consts if isinstance(c, types.CodeType))
    return frozenset(code.co_names).union(*nested)


_FORBIDDEN_ATTRIBUTES = INSPECT_ATTRIBUTES | {"mro", "func_globals", "func_code"}
_NO_DEFAULT = object()


def _guarded_getattr(obj, name, default=_NO_DEFAULT):
    """Refusals ignore `default`, so probing `getattr(f, '__globals__', None)` fails too."""
    if isinstance(name, str) and (name.startswith("_") or name in _FORBIDDEN_ATTRIBUTES):
        raise AttributeError(f'"{name}" is not accessible in scripts (private or internal attribute)')
    return safer_getattr(obj, name, raise_ if default is _NO_DEFAULT else default)


def _guarded_write(obj):
    """Only plain containers (task data and values the script made) may change in place."""
    if type(obj) in (dict, list):
        return obj
    raise TypeError(f"a {type(obj).__name__} object cannot be modified by a script")


_INPLACE = {f"{symbol}=": getattr(operator, f"i{name}") for symbol, name in (
    ("+", "add"), ("-", "sub"), ("*", "mul"), ("/", "truediv"), ("//", "floordiv"), ("%", "mod"),
    ("**", "pow"), ("@", "matmul"), ("<<", "lshift"), (">>", "rshift"), ("&", "and"), ("|", "or"),
    ("^", "xor"))}


def _bounded_range(max_items: int):
    def range_(*args):
        """Bounded, as `list(range(10**9))` would exhaust the server's memory."""
        result = range(*args)
        if len(result[:max_items + 1]) > max_items:  # slicing first: len() overflows past 2**63
            raise ValueError(f"range() would produce more than {max_items} items, the limit for scripts")
        return result
    return range_


_MATH = types.SimpleNamespace(**{n: getattr(math, n) for n in dir(math) if not n.startswith("_")})
_EXTRA = (sum, min, max, sorted, enumerate, zip, any, all, len, list, dict, set, tuple, reversed, map,
          filter, round, abs, str, int, float, bool, isinstance)


def _base_builtins(policy: ScriptPolicy) -> dict:
    names = {**safe_builtins, **{f.__name__: f for f in _EXTRA}}
    guards = RunawayGuards(policy.max_sequence, policy.max_int_bits)
    names.update(
        range=_bounded_range(policy.max_range), getattr=guards.getattr(_guarded_getattr),
        datetime=datetime, date=date, timedelta=timedelta, timezone=timezone, math=guards.math(_MATH),
        _getattr_=guards.getattr(_guarded_getattr), _getitem_=lambda obj, key: obj[key], _getiter_=iter,
        _write_=_guarded_write, _inplacevar_=lambda op, x, y: _INPLACE[op](*guards.operands(op[:-1], x, y)),
        **{_OPERATOR_NAMES[op]: f for op, f in guards.operator_functions().items()}, _format_spec_=guards.format_spec,
        _unpack_sequence_=guarded_unpack_sequence, _iter_unpack_sequence_=guarded_iter_unpack_sequence,
        _apply_=lambda f, *a, **kw: f(*a, **kw),
        _print_=PrintCollector, __name__="script", __metaclass__=type,
    )
    names.update(HELPERS)  # SpiffArena's script functions (engine/bpmn/process_helpers.py)
    return names


class _Deadline:
    """Called by the planted `_tick_()` checks; raises on every call once time is up."""
    __slots__ = ("limit", "deadline", "expired")

    def __init__(self, limit: float):
        self.limit, self.deadline, self.expired = limit, time.monotonic() + limit, False

    def __call__(self, value=True):
        if time.monotonic() > self.deadline:
            self.expired = True
            raise ScriptTimeout(self.limit)
        return value


def _script_line(err: BaseException) -> int | None:
    """The innermost script line of the traceback: library frames mean nothing to modelers."""
    lines = [f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == _FILENAME]
    return lines[-1] if lines else None


class ScriptTimeLimitExceeded(Exception):
    """What callers see of a ScriptTimeout: an ordinary exception that remembers the line."""

    def __init__(self, limit: float, lineno: int | None):
        super().__init__(f"exceeded its time limit of {limit} s")
        self.lineno = lineno


class ScriptAborted(Exception):
    """A script raised SystemExit, KeyboardInterrupt or another BaseException: as an ordinary
    exception it puts the instance in `error` and never stops a worker or the web server."""

    def __init__(self, raised: BaseException):
        super().__init__(f"{type(raised).__name__} raised by the script{f': {raised}' if str(raised) else ''}")
        self.lineno = _script_line(raised)


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Also Spiff's `script_engine.environment`, which message correlations and ad-hoc
    completion conditions call directly, bypassing the engine's evaluate()."""

    def __init__(self, policy: ScriptPolicy):
        super().__init__()
        self.policy = policy
        self._builtins = _base_builtins(policy)

    def evaluate(self, expression, context, external_context=None):
        code = _compiled(expression.strip() if isinstance(expression, str) else expression, "eval")
        used = _names_used(code)  # copying only these keeps DMN tables and gateways cheap
        every = not used.isdisjoint(NAMESPACE_READERS)  # `globals().get("x")` names no variable
        extra, data = copy.deepcopy(tuple({k: v for k, v in source.items() if (every or k in used) and visible(k)}
                                          for source in (external_context or {}, context)))
        return self._run(code, self._namespace(data, extra), eval)

    def execute(self, script, context, external_context=None):
        code = _compiled(script, "exec")
        context.update(copy.deepcopy(dict(context)))  # from here on this task owns every nested value
        names = self._namespace({k: v for k, v in context.items() if visible(k)}, external_context)
        self._run(code, names, exec)
        self._store(context, names, external_context or {})
        return True

    @staticmethod
    def _namespace(data: dict, external_context) -> dict:
        names = {"__builtins__": None}
        names.update((k, v) for k, v in (external_context or {}).items() if visible(k))
        names.update(data)  # task data shadows both the context and the builtins
        return names

    def _run(self, code, names: dict, runner):
        deadline = _Deadline(self.policy.time_limit_seconds)
        reader = namespace_reader(names)
        names["__builtins__"] = {**self._builtins, _TICK: deadline, **dict.fromkeys(NAMESPACE_READERS, reader)}
        try:
            result = runner(code, names)
            if deadline.expired:  # the script caught the timeout and carried on
                raise ScriptTimeout(deadline.limit)
        except ScriptTimeout as timeout:
            raise ScriptTimeLimitExceeded(deadline.limit, _script_line(timeout)) from None
        except Exception:
            raise
        except BaseException as stop:  # SystemExit, KeyboardInterrupt...: the script's failure, not ours
            raise ScriptAborted(stop) from None
        return result

    @staticmethod
    def _store(data: dict, names: dict, external: dict) -> None:
        """Writes the script's plain results back, dropping functions, modules and helpers."""
        result = {}
        for key, value in data.items():
            if not visible(key):
                result[key] = value
            elif key in names and is_plain(names[key]):
                result[key] = names[key]
        for key, value in names.items():
            if key in data or not visible(key) or (key in external and value is external[key]):
                continue
            if is_plain(value):
                result[key] = value
        data.clear()
        data.update(result)


class RestrictedScriptEngine(PythonScriptEngine):
    """Runs every script and expression of a workflow under RestrictedPython and a deadline."""

    def __init__(self, policy: ScriptPolicy | None = None):
        self.policy = policy or ScriptPolicy()
        super().__init__(environment=RestrictedEnvironment(self.policy))

    def evaluate(self, task, expression, external_context=None):
        literal = self._timer_literal(task, expression)
        if literal is not None:
            return literal
        try:
            value = self.environment.evaluate(expression, task.data, external_context)
            if self._is_timer_expression(task, expression):
                value = timer_value(value)
            return value
        except Exception as err:
            text = expression.strip() if isinstance(expression, str) else expression
            error = self.create_task_exec_exception(task, text, err, kind="Expression")
            error.add_note(f"Error evaluating expression '{text}'")
            raise error from err

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context)
        except Exception as err:
            raise self.create_task_exec_exception(task, script, err) from err

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        """Service tasks: the built-in HTTP connector (engine/bpmn/http_connector.py)."""
        return call_connector(task, operation_name, operation_params or {}, self)

    def create_task_exec_exception(self, task, script, err, kind="Script"):
        """Builds an error whose str() works; Spiff's own breaks on unusual exceptions."""
        if isinstance(err, WorkflowTaskException):
            return err
        if isinstance(err, ScriptRefused):
            line, message = err.lineno, f"{kind} {'has a syntax error' if err.syntax else 'refused'}: {err}"
        elif isinstance(err, ScriptTimeLimitExceeded):
            line, message = err.lineno, f"{kind} {err}"
        elif isinstance(err, ScriptAborted):
            line, message = err.lineno, str(err)
        else:
            line = err.lineno if isinstance(err, SyntaxError) else _script_line(err)
            message = f"{type(err).__name__}: {err}"
        lines = script.splitlines() if isinstance(script, str) else []
        error_line = lines[line - 1] if isinstance(line, int) and 0 < line <= len(lines) else ""
        error = ScriptError(message, task=task, exception=err, error_line=error_line,
                            line_number=line if isinstance(line, int) else None)
        error.notes = [note for note in error.notes if note]  # Spiff adds None for odd NameErrors
        if error.line_number and kind == "Script" and not isinstance(err, ScriptRefused):
            error.add_note(f"Line {error.line_number}: {error_line.strip()!r}")
        return error

    def _timer_literal(self, task, expression) -> str | None:
        """Lets modelers write `PT48H` unquoted in a timer, as BPMN modeling tools do."""
        text = expression.strip() if isinstance(expression, str) else None
        if text is None or not is_iso8601_timer_literal(text):
            return None
        return text if self._is_timer_expression(task, expression) else None

    @staticmethod
    def _is_timer_expression(task, expression) -> bool:
        text = expression.strip() if isinstance(expression, str) else None
        definition = getattr(getattr(task, "task_spec", None), "event_definition", None)
        for candidate in [definition, *(getattr(definition, "event_definitions", None) or [])]:
            if (text is not None and isinstance(candidate, TimerEventDefinition)
                    and isinstance(candidate.expression, str) and candidate.expression.strip() == text):
                return True
        return False
