"""Task data as the database and the API hold it: plain JSON, never shared with the workflow."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal


def to_json(value):
    """A deep, JSON-safe copy: dates become ISO text, sets and tuples lists."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
