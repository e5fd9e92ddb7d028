"""Importers: bring a user's own data (spreadsheets, FollowTheMoney) into the store.

Each importer turns its input into RDF statements in the hilos data model and hands them to
`load_statements`, which streams them into the store (`Store.load_statements`): into a named
graph of its own, all or nothing, with the original file recorded as its origin. No scratch
file is written and nothing is parsed a second time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import pyoxigraph as ox

from ..errors import BadInput
from ..store import LoadReport, Progress, Store


def load_statements(
    store: Store,
    statements: Iterable[ox.Triple],
    *,
    name: str,
    origin: str,
    sha256: str,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Load generated statements into the graph `name`, recording `origin` and its hash.

    The statements are streamed into the store, so memory stays flat on large imports;
    nothing becomes visible unless every statement was produced without error.
    """
    stream = iter(statements)
    first = next(stream, None)
    if first is None:
        raise BadInput(f"{origin}: nothing to import")
    return store.load_statements(
        itertools.chain([first], stream),
        name=name,
        replace=replace,
        progress=progress,
        origin=(origin, sha256),
    )
