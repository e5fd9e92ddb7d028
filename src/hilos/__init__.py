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
from typing import TYPE_CHECKING

from . import entities as _entities
from . import search as _search
from .entities import Card, TieView
from .errors import HilosError
from .executor import engine_api
from .search import SearchHit
from .sparql.library import QueryDef, QueryResult, find_query, library
from .sparql.library import run as _run
from .store import GraphInfo, LoadReport, Store
from .validate import ValidationReport, validate_files, validate_store

if TYPE_CHECKING:
    from .network.paths import EvidencePath
    from .network.projection import Filters, Projection

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


# The API runs the engine in the process's executor (`hilos.executor`): a notebook's thread,
# or a server's, never holds the engine's objects, and no thread is made per call.
search = engine_api(_search.search)
resolve = engine_api(_search.resolve)
card = engine_api(_entities.card)


@engine_api
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


@engine_api
def project(store: Store, filters: Filters | None = None, *, lang: str = "en") -> Projection:
    """The network the analyses read (`hilos.network.project`): actors as nodes, claims as
    ties, under `filters` (statuses, dates, graphs, spheres…; by default every claim that is
    not refuted)."""
    from .network.projection import project as project_network

    return project_network(store, filters, lang=lang)


@engine_api
def paths(
    store: Store,
    a: str,
    b: str,
    filters: Filters | None = None,
    *,
    limit: int = 5,
    max_hops: int = 6,
    time_consistent: bool = False,
    lang: str = "en",
) -> list[EvidencePath]:
    """The best evidence paths between two entities (IRIs or names `resolve` finds), as
    `hilos paths` ranks them, each hop with its claim; `NoPath` says why there is none. An end
    an identity claim merged into another entity is found under that other one (compare
    `path.nodes[0].id` with the IRI asked for)."""
    from .network.paths import find_paths_in_store
    from .network.projection import Filters

    return find_paths_in_store(
        store,
        filters or Filters(),
        _search.resolve(store, a, lang=lang),
        _search.resolve(store, b, lang=lang),
        limit=limit,
        max_hops=max_hops,
        time_consistent=time_consistent,
        lang=lang,
    )


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
    "paths",
    "project",
    "resolve",
    "run_query",
    "search",
    "show",
    "validate_files",
    "validate_store",
]
