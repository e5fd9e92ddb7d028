"""Importers: bring a user's own data (spreadsheets, FollowTheMoney) into the store.

Each importer turns its input into RDF statements in the hilos data model and hands them to
`load_statements`, which writes them to a scratch N-Triples file and loads that like any other
file: into a named graph of its own, all or nothing, with the original file recorded as its
origin.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

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

    The statements are streamed to a scratch file first, so memory stays flat on large
    imports; nothing reaches the store unless every statement was produced without error.
    """
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed and removed below
        "wb", prefix="hilos-import-", suffix=".nt", delete=False
    )
    try:
        with handle:
            ox.serialize(statements, handle, ox.RdfFormat.N_TRIPLES)
        if Path(handle.name).stat().st_size == 0:
            raise BadInput(f"{origin}: nothing to import")
        return store.load(
            handle.name,
            name=name,
            format="ntriples",
            replace=replace,
            progress=progress,
            origin=(origin, sha256),
        )
    finally:
        os.unlink(handle.name)
