"""Camunda/Flowable conditions (JUEL `${...}`/`#{...}`, Zeebe FEEL `=...`) as engine expressions.

Models from other modelers write their gateway conditions in the expression language of
their engine. The engine evaluates restricted Python, so the common subset (comparisons,
boolean logic, `empty`, property access, literals, `execution.getVariable('x')`) is
translated once, at deploy; anything else (method calls, lambdas...) is refused with the
construct named, rather than failing later on a path that may run months from now."""
from __future__ import annotations

import re

JUEL = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.S)
_TOKEN = re.compile(r"""\s*(?:
    (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[<>!=+\-*/%().\[\],?:])
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
)""", re.X)
_WORD_OPS = {"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "and": "&&", "or": "||",
             "not": "!", "div": "/", "mod": "%"}
_LITERALS = {"true": "True", "false": "False", "null": "None"}


class Untranslatable(ValueError):
    """The text uses a construct outside the translated subset; the message names it."""


def foreign_body(text: str) -> tuple[str, str] | None:
    """(dialect, expression body) when `text` is written for another engine, else None."""
    match = JUEL.match(text or "")
    if match:
        return "JUEL", match.group("body")
    stripped = (text or "").strip()
    if stripped.startswith("=") and not stripped.startswith("=="):
        return "FEEL", stripped[1:]
    return None


def translate(body: str, dialect: str = "JUEL") -> str:
    """The engine (Python) expression equivalent to the JUEL or FEEL expression `body`."""
    return _Parser(_tokens(body, dialect)).whole()


def _tokens(body: str, dialect: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    body = body.strip()
    while position < len(body):
        match = _TOKEN.match(body, position)
        if not match or match.end() == position:
            raise Untranslatable(f"cannot read '{body[position:position + 20]}'")
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "name" and value in _WORD_OPS and not (dialect == "FEEL" and value == "not"):
            kind, value = "op", _WORD_OPS[value]
        elif kind == "op" and value in ("===", "!=="):
            value = value[:2]
        elif kind == "op" and value == "=" and dialect == "FEEL":
            value = "=="
        tokens.append((kind, value))
    return tokens


class _Parser:
    """Recursive descent over the JUEL grammar; every binary result is parenthesised so that
    Python's comparison chaining never changes the meaning."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.at = 0

    def peek(self, value=None):
        token = self.tokens[self.at] if self.at < len(self.tokens) else (None, None)
        return token if value is None or token[1] == value else None

    def take(self, *values):
        kind, value = self.peek()
        if kind == "op" and value in values:
            self.at += 1
            return value
        return None

    def expect(self, value):
        if not self.take(value):
            raise Untranslatable(f"expected '{value}' near '{self.peek()[1] or 'the end'}'")

    def whole(self) -> str:
        if not self.tokens:
            raise Untranslatable("the expression is empty")
        result = self.ternary()
        if self.peek()[0] is not None:
            raise Untranslatable(f"unexpected '{self.peek()[1]}'")
        return result

    def ternary(self) -> str:
        condition = self.binary(0)
        if self.take("?"):
            yes = self.ternary()
            self.expect(":")
            return f"({yes} if {condition} else {self.ternary()})"
        return condition

    _LEVELS = [{"||": "or"}, {"&&": "and"}, {"==": "==", "!=": "!="},
               {"<": "<", ">": ">", "<=": "<=", ">=": ">="}, {"+": "+", "-": "-"},
               {"*": "*", "/": "/", "%": "%"}]

    def binary(self, level: int) -> str:
        if level == len(self._LEVELS):
            return self.unary()
        operators = self._LEVELS[level]
        left = self.binary(level + 1)
        while (op := self.take(*operators)) is not None:
            left = f"({left} {operators[op]} {self.binary(level + 1)})"
        return left

    def unary(self) -> str:
        if self.take("!"):
            return f"(not {self.unary()})"
        if self.take("-"):
            return f"(-{self.unary()})"
        if self.peek("empty"):
            self.at += 1
            return f"({self.unary()} in (None, '', [], {{}}))"
        return self.postfix(self.primary())

    def primary(self) -> str:
        kind, value = self.peek()
        self.at += 1
        if kind == "number":
            return value
        if kind == "string":
            return repr(_unquote(value))
        if kind == "op" and value == "(":
            inner = self.ternary()
            self.expect(")")
            return inner
        if kind == "name" and value in _LITERALS:
            return _LITERALS[value]
        if kind == "name" and value == "not" and self.peek("("):  # FEEL's not(x)
            return f"(not {self.primary()})"
        if kind == "name" and value == "execution" and self.peek("."):
            return self._execution_variable()
        if kind == "name":
            return value
        raise Untranslatable(f"unexpected '{value or 'end of expression'}'")

    def postfix(self, target: str) -> str:
        while True:
            if self.take("."):
                kind, name = self.peek()
                if kind != "name":
                    raise Untranslatable(f"a property name must follow '.', not '{name}'")
                self.at += 1
                if self.peek("("):
                    raise Untranslatable(f"the method call '{name}(...)' cannot be translated")
                target = f"{target}[{name!r}]"
            elif self.take("["):
                index = self.ternary()
                self.expect("]")
                target = f"{target}[{index}]"
            elif self.peek("("):
                raise Untranslatable(f"the function call '{target}(...)' cannot be translated")
            else:
                return target

    def _execution_variable(self) -> str:
        """`execution.getVariable('x')` is the variable `x`."""
        self.expect(".")
        kind, method = self.peek()
        self.at += 1
        if method != "getVariable":
            raise Untranslatable(f"'execution.{method}' cannot be translated")
        self.expect("(")
        kind, value = self.peek()
        self.at += 1
        self.expect(")")
        if kind != "string" or not _unquote(value).isidentifier():
            raise Untranslatable("execution.getVariable needs a variable name in quotes")
        return _unquote(value)


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])
