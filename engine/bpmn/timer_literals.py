"""Timer values as modelers write them: unquoted ISO 8601 (`PT48H`, `2027-01-15T09:00:00Z`,
`R3/P1D`), which BPMN modeling tools produce and SpiffWorkflow would evaluate as Python."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_NUMBER = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(rf"P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
                       rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?")


def _is_duration(text: str) -> bool:
    if len(text) < 2 or not _DURATION.fullmatch(text):
        return False
    if "W" in text and not re.fullmatch(rf"P{_NUMBER}W", text):
        return False  # ISO 8601 (and SpiffWorkflow) allow weeks only on their own
    fractions = len(re.findall(r"[.,]", text))  # only the smallest unit may have a fraction
    return fractions == 0 or (fractions == 1 and re.search(r"[.,]\d+[A-Z]$", text) is not None)


def _is_datetime(text: str) -> bool:
    try:
        return bool(_DATETIME.fullmatch(text)) and datetime.fromisoformat(text) is not None
    except ValueError:
        return False


def is_iso8601_timer_literal(text: str) -> bool:
    """True for an unquoted ISO 8601 duration, date/time or repeating interval."""
    if not isinstance(text, str):
        return False
    if _is_duration(text) or _is_datetime(text):
        return True
    cycle = re.fullmatch(r"R\d*/(.+)", text)
    parts = cycle.group(1).split("/") if cycle else []
    if len(parts) == 1:
        return _is_duration(parts[0])
    return len(parts) == 2 and (
        (_is_datetime(parts[0]) and _is_duration(parts[1])) or (_is_duration(parts[0]) and _is_datetime(parts[1])))


def timer_value(value) -> str:
    """SpiffWorkflow parses a timer's value as ISO 8601 text; a script writer naturally gives
    a `timedelta` or a `datetime`. Those become text; anything else is a clear script error
    (it used to escape the engine as an AttributeError inside SpiffWorkflow)."""
    if isinstance(value, str):
        return value
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if seconds < 0:
            raise ValueError(f"a timer cannot wait a negative time ({value})")
        return f"PT{int(seconds)}S" if seconds == int(seconds) else f"PT{seconds:.6f}S"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).isoformat()
    raise ValueError(f"a timer needs an ISO 8601 text, a timedelta or a datetime, not {type(value).__name__} "
                     f"({str(value)[:40]})")
