"""Refuse, before computing it, work that one C-level operation would make huge.

A deadline checked between Python steps cannot stop `3 ** (2 * 10**7)` (32 s in one call)
or `'x' * 10**9` (1 GB in one call): the cost is in a single operation. These guards look at
the operands first and refuse anything whose result would exceed a size limit, so the cost
of a refused operation is a few comparisons. Scripts, DMN expressions (engine.bpmn.scripting)
and task instructions (engine.instructions) use them; the limits are far above any real use.
"""
from __future__ import annotations

import operator
import re
import types

_SEQUENCES = (str, bytes, list, tuple)
_NUMBERS = (int, float)
_WIDTH = re.compile(r"\d{6,}")  # a width or precision of a million or more in a format
_OPERATORS = {"**": operator.pow, "*": operator.mul, "<<": operator.lshift, "+": operator.add, "%": operator.mod}
# str methods whose result may be far bigger than their inputs
_SIZED_METHODS = {"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join"}


class RunawayRefused(ValueError):
    """The operation would produce more than the limit allows; nothing was computed."""


class RunawayGuards:
    def __init__(self, max_sequence: int = 1_000_000, max_int_bits: int = 100_000):
        self.max_sequence, self.max_int_bits = max_sequence, max_int_bits

    def _refuse(self, what: str):
        raise RunawayRefused(f"{what} would be too large (the limit is {self.max_sequence:,} items or "
                             f"{self.max_int_bits:,}-bit numbers)")

    def operands(self, op: str, left, right):
        """(left, right) when `left op right` stays within the limits; else RunawayRefused."""
        if op == "**" and _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            if right * (abs(left).bit_length() - 1) > self.max_int_bits:
                self._refuse(f"{left} ** {right}")
        elif op == "<<" and _is_int(left) and _is_int(right) and left != 0:
            if right + left.bit_length() > self.max_int_bits:
                self._refuse(f"a shift by {right}")
        elif op == "*":
            self._check_product(left, right)
        elif op == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            if len(left) + len(right) > self.max_sequence:
                self._refuse("joining these")
        elif op == "%" and isinstance(left, (str, bytes)) and _WIDTH.search(str(left)):
            self._refuse("a format with that width")
        return left, right

    def _check_product(self, left, right):
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, _SEQUENCES) and _is_int(count):
                if len(sequence) * count > self.max_sequence:
                    self._refuse(f"repeating {len(sequence):,} items {count:,} times")
                return
        if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > self.max_int_bits:
            self._refuse("this product")

    def binop(self, op: str, left, right):
        return _OPERATORS[op](*self.operands(op, left, right))

    def operator_functions(self) -> dict[str, object]:
        """One function per guarded operator, with a fast path for plain numbers: arithmetic
        in a loop is the common case and must stay cheap (docs/security.md has the numbers)."""
        max_bits, checked = self.max_int_bits, self.operands

        def add(left, right):
            if type(left) in _NUMBERS and type(right) in _NUMBERS:
                return left + right
            return operator.add(*checked("+", left, right))

        def mul(left, right):
            if type(left) is float or type(right) is float or (
                    type(left) is int and type(right) is int and left.bit_length() + right.bit_length() <= max_bits):
                return left * right
            return operator.mul(*checked("*", left, right))

        def mod(left, right):
            if type(left) in _NUMBERS:
                return left % right
            return operator.mod(*checked("%", left, right))

        return {"**": lambda left, right: operator.pow(*checked("**", left, right)), "*": mul, "+": add,
                "%": mod, "<<": lambda left, right: operator.lshift(*checked("<<", left, right))}

    def format_spec(self, value):
        """A width filled into an f-string's format (f"{x:>{n}}")."""
        if (_is_int(value) and abs(value) >= 1_000_000) or (isinstance(value, str) and _WIDTH.search(value)):
            self._refuse("a format with that width")
        return value

    def call_arguments(self, what: str, args, kwargs) -> None:
        """A width or count passed to a call (ljust(10**9), center, zfill...)."""
        for value in (*args, *kwargs.values()):
            if _is_int(value) and value > self.max_sequence:
                self._refuse(f"{what}({value})")

    def getattr(self, getattr_):
        """Wraps the sandbox's getattr: str methods that can grow a string are checked first."""
        def guarded(obj, name, *default):
            found = getattr_(obj, name, *default)
            if isinstance(obj, (str, bytes)) and name in _SIZED_METHODS:
                return self._sized_method(obj, name, found)
            return found
        return guarded

    def _sized_method(self, text, name: str, method):
        def call(*args, **kwargs):
            self.call_arguments(f"str.{name}", args, kwargs)
            if name == "join":
                items = list(args[0]) if args else []
                if sum(len(i) for i in items if isinstance(i, (str, bytes))) + len(text) * len(items) > \
                        self.max_sequence:
                    self._refuse("this join")
                return method(items)
            if name == "replace" and len(args) >= 2 and isinstance(args[0], type(text)):
                old, new = args[0], args[1]
                count = text.count(old) if old else len(text) + 1
                if len(text) + count * max(0, len(new) - len(old)) > self.max_sequence:
                    self._refuse("this replace")
            return method(*args, **kwargs)
        return call

    def math(self, namespace):
        """The math module with factorial, comb and perm bounded (each is one long C call)."""
        bounded = dict(vars(namespace))
        for name in ("factorial", "comb", "perm"):
            original = getattr(namespace, name)

            def checked(*args, _original=original, _name=name):
                if any(_is_int(a) and a > 10_000 for a in args):
                    self._refuse(f"math.{_name} of more than 10,000")
                return _original(*args)
            bounded[name] = checked
        return types.SimpleNamespace(**bounded)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
