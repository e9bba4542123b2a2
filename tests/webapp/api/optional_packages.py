"""Test-only packages (Schemathesis, Hypothesis) come with the `test` extra: pip install -e '.[test]'."""
from __future__ import annotations

import importlib
import os

import pytest


def require(name: str):
    """The package, or skip this test module without it; under CI=true it must be installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"{name} is not installed: pip install -e '.[test]'", allow_module_level=True)
