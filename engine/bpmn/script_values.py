"""What a script's namespace holds as data: the names a script may see and the values that
survive as task data, and the read-only `globals()`/`locals()`/`vars()` built from them."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

SCALARS = (type(None), bool, int, float, str, Decimal, datetime, date, timedelta)


def is_plain(value, path: frozenset[int] = frozenset()) -> bool:
    """Plain data survives serialization; functions, classes and cycles do not."""
    kind = type(value)
    if kind in SCALARS:
        return True
    if kind not in (list, tuple, set, dict) or id(value) in path:
        return False
    path = path | {id(value)}
    if kind is dict:
        return all(type(k) in SCALARS and is_plain(v, path) for k, v in value.items())
    return all(is_plain(v, path) for v in value)


def visible(name) -> bool:
    """Underscore names stay hidden so task data can never shadow the guard functions."""
    return isinstance(name, str) and name.isidentifier() and not name.startswith("_")


NAMESPACE_READERS = ("globals", "locals", "vars")


def namespace_reader(names: dict):
    """`globals()`, `locals()` and `vars()` as models written for SpiffArena use them: to read a
    variable that may not exist. They answer a copy of the script's plain values, so writing
    to it changes nothing and reaches neither the builtins nor the engine's helpers."""
    def read(*args):
        if args:
            raise TypeError("vars() takes no argument in scripts")
        return {k: v for k, v in names.items() if visible(k) and k != "__builtins__" and is_plain(v)}
    return read
