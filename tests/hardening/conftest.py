"""Hypothesis profiles and the stores the hardening tests share.

The `hilos-ci` profile (the default) is derandomised, so `make test` runs the same examples
every time, and bounded; `HILOS_FUZZ=deep` runs many more random examples for a long local
session (`HILOS_FUZZ=deep .venv/bin/python -m pytest tests/hardening -k fuzz`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from .support import FuzzStore

# The atheris harness is a program, not a test module: it imports atheris, which the test extra
# does not install (test_atheris.py runs it where it is installed).
collect_ignore = ["fuzz_atheris.py"]

_SLOW_IS_FINE = [
    HealthCheck.too_slow,
    HealthCheck.function_scoped_fixture,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
]
settings.register_profile(
    "hilos-ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "hilos-deep",
    derandomize=False,
    deadline=None,
    max_examples=2_000,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.load_profile("hilos-deep" if os.environ.get("HILOS_FUZZ") == "deep" else "hilos-ci")


@pytest.fixture(scope="module")
def fuzz_store(
    _template_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzStore]:
    """An initialised on-disk store for a module's fuzz cases, reset to the template at will."""
    yield FuzzStore(_template_store, tmp_path_factory.mktemp("fuzz") / "store")
