"""hilos: follow the threads of collusion between state actors and armed criminal groups.

The Python API is the same one the command line uses::

    import hilos

    store = hilos.open_store()                    # the embedded store, created on first use
    hits = hilos.search(store, "Guerreros Unidos")
    card = hilos.card(store, hilos.resolve(store, "José Luis Abarca"))
    result = hilos.run_query(store, "groups-in-place", {"place": "Mexico"})
    for row in result.rows:
        print(row["group"], row["quote"])
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata as _metadata
from os import PathLike

from .entities import Card, TieView, card
from .errors import HilosError
from .search import SearchHit, resolve, search
from .sparql.library import QueryDef, QueryResult, find_query, library
from .sparql.library import run as _run
from .store import GraphInfo, LoadReport, Store
from .validate import ValidationReport, validate_files, validate_store

# The version is written once, in pyproject.toml; hilos is always installed (`pip install -e .`
# in a checkout), so its metadata has it.
__version__ = _metadata.version("hilos")


def open_store(path: str | PathLike[str] | None = None) -> Store:
    """Open the embedded store on disk (default: `HILOS_STORE` or a per-user folder).

    Pass `":memory:"` for a store held in memory, with the ontology and curated graph loaded.
    """
    if path is not None and str(path) == ":memory:":
        return Store.in_memory()
    return Store.open(path)


def run_query(
    store: Store,
    query: str | QueryDef,
    params: Mapping[str, str] | None = None,
    *,
    graphs: list[str] | None = None,
) -> QueryResult:
    """Run a library query (by name), a `.rq` file (by path) or a `QueryDef`, with its
    parameters given as strings and bound by the engine."""
    definition = query if isinstance(query, QueryDef) else find_query(query)
    return _run(store, definition, params, graphs=graphs)


show = card
"""The earlier name of `card` (it returns a `Card`; `hilos show` prints one), kept so scripts
written against it keep working."""


__all__ = [
    "Card",
    "GraphInfo",
    "HilosError",
    "LoadReport",
    "QueryDef",
    "QueryResult",
    "SearchHit",
    "Store",
    "TieView",
    "ValidationReport",
    "__version__",
    "card",
    "library",
    "open_store",
    "resolve",
    "run_query",
    "search",
    "show",
    "validate_files",
    "validate_store",
]
