"""Reading a request: ids in the path, the query string and JSON bodies, checked before the engine sees them.

Every complaint is the engine's own InvalidInput (422) with one problem per field, all of a
request's problems at once; an id that cannot exist is NotFound (404), as an unknown one is."""
from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timezone
from uuid import UUID

from flask import current_app, request

from engine import InvalidInput, NotFound, Problem

MAX_ID = 2**31 - 1  # the databases' integer ids; a larger number names nothing
MAX_PER_PAGE = 100
MAX_TEXT = 255
MAX_JSON_BYTES = 16 * 1024 * 1024
_DIGITS = re.compile(r"[0-9]{1,10}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def instance_number(raw: str) -> int:
    if not _DIGITS.fullmatch(raw) or not 0 < int(raw) <= MAX_ID:
        raise NotFound(f"No process instance {raw}")
    return int(raw)


def definition_key(raw: str) -> str:
    """A process key; one with a NUL character (which no database keeps) names nothing."""
    if "\x00" in raw:
        raise NotFound(f"No process definition {raw!r}")
    return raw


def uuid_id(raw: str, what: str) -> str:
    """Task and job ids are UUIDs; anything else is an unknown id."""
    try:
        return str(UUID(raw))
    except ValueError:
        raise NotFound(f"No {what} {raw}") from None


def _text_problem(value: str, max_length: int | None) -> str | None:
    if "\x00" in value:
        return "must not contain NUL characters"
    if max_length is not None and len(value) > max_length:
        return f"at most {max_length} characters"
    return None


class _Checks:
    def __init__(self, title: str):
        self.title = title
        self.problems: list[Problem] = []

    def complain(self, name: str, message: str) -> None:
        self.problems.append(Problem(message, field=name))

    def done(self) -> None:
        if self.problems:
            raise InvalidInput(self.title, self.problems)


class Query(_Checks):
    """Query parameters. An empty text counts as absent, as HTML forms send it; an empty number,
    choice or moment is invalid (it is not one), and so is any parameter given twice."""

    def __init__(self):
        super().__init__("The query parameters are not valid")

    def _raw(self, name: str, typed: bool = True) -> str | None:
        given = request.args.getlist(name)
        if len(given) > 1:
            self.complain(name, "given more than once")
            return None
        if typed and given == [""]:
            self.complain(name, "must not be empty")
            return None
        return given[0] if given and given[0] else None

    def text(self, name: str) -> str | None:
        value = self._raw(name, typed=False)
        problem = value and _text_problem(value, None)
        if problem:
            self.complain(name, problem)
            return None
        return value

    def integer(self, name: str, default: int | None = None, maximum: int = MAX_ID) -> int | None:
        value = self._raw(name)
        if value is None:
            return default
        if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= maximum:
            self.complain(name, f"must be a whole number from 1 to {maximum}")
            return default
        return int(value)

    def choice(self, name: str, choices, default: str) -> str:
        value = self._raw(name)
        if value is None:
            return default
        if value not in choices:
            self.complain(name, f"must be one of {', '.join(choices)}")
            return default
        return value

    def moment(self, name: str) -> datetime | None:
        value = self._raw(name)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
            return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        except (ValueError, OverflowError):
            self.complain(name, "must be an ISO 8601 date and time, e.g. 2027-01-15T09:00:00Z")
            return None

    def pages(self) -> tuple[int, int]:
        default = min(int(current_app.config.get("PER_PAGE", 20)), MAX_PER_PAGE)
        return self.integer("page", 1), self.integer("per_page", default, maximum=MAX_PER_PAGE)


def _refuse(constant: str):
    raise ValueError(f"{constant} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large a number")
    return number


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return bool(_SURROGATE.search(value))
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def limit_body(size: int) -> None:
    """Read at most `size` bytes of this request's body (413 beyond), or less if the app says so."""
    configured = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = min(size, configured) if configured else size


def _invalid_body(message: str):
    return InvalidInput("The request body is not valid", [Problem(message, field="(body)")])


class Body(_Checks):
    """A JSON object body and its fields; `optional` bodies may be left out altogether."""

    def __init__(self, optional: bool = False):
        super().__init__("The request body is not valid")
        limit_body(MAX_JSON_BYTES)
        raw = request.get_data(cache=True)
        if not raw.strip():
            if not optional:
                raise _invalid_body("a JSON object is required")
            self.fields: dict = {}
            return
        try:
            parsed = json.loads(raw, parse_constant=_refuse, parse_float=_finite)
        except (ValueError, RecursionError) as error:
            raise _invalid_body(f"not valid JSON: {error}") from None
        if not isinstance(parsed, dict):
            raise _invalid_body("must be a JSON object")
        if _has_surrogate(parsed):
            raise _invalid_body("contains text that is not valid Unicode")
        self.fields = parsed

    def text(self, name: str, required: bool = False, max_length: int = MAX_TEXT) -> str | None:
        value = self.fields.get(name)
        if value is None:
            if required:
                self.complain(name, "This field is required.")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.complain(name, "must be a non-empty string" if required else "must be a string")
            return None
        problem = _text_problem(value, max_length)
        if problem:
            self.complain(name, problem)
            return None
        return value

    def integer(self, name: str) -> int | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            self.complain(name, f"must be a whole number from 1 to {MAX_ID}")
            return None
        return value

    def object(self, name: str) -> dict | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.complain(name, "must be a JSON object")
            return None
        return value


def day(body: Body, name: str) -> date | None:
    """A calendar day `YYYY-MM-DD` from a JSON body (null: none)."""
    value = body.fields.get(name)
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        body.complain(name, "must be a day as YYYY-MM-DD, or null")
        return None
