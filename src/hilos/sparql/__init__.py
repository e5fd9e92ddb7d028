"""SPARQL used by hilos itself (the user-facing library is the top-level `queries/`)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of `src/hilos/sparql/NAME.rq`."""
    return resources.files(__name__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
