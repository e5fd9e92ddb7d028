"""The lowest layer of the store: what every database hilos writes to answers (the `Database`
protocol: pyoxigraph's `Store` operations and the registry's updates), the shape of a query's
answer, and the progress callback. Everything else in the package builds on this module, so
the package's imports form no loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import pyoxigraph as ox
from pyoxigraph import NamedNode, Quad, Triple

from ..errors import QueryError

Answer = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean | list[Triple]
Progress = Callable[[int, int], None]
"""Called as `progress(done, total)` during long work; `total` is 0 when unknown."""


def solutions(answer: Answer) -> ox.QuerySolutions:
    """The solutions of a SELECT query (anything else is a `QueryError`)."""
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    return answer


class Database(Protocol):
    """A database the store keeps its graphs and registry in: pyoxigraph's `Store` operations,
    and the update operations that change the registry."""

    def query(
        self,
        sparql: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        default_graph: Sequence[Any] | None = None,
        named_graphs: Sequence[Any] | None = None,
        substitutions: Mapping[ox.Variable, Any] | None = None,
        use_default_graph_as_union: bool = False,
        base_iri: str | None = None,
    ) -> Answer: ...
    def update(self, sparql: str, *, prefixes: Mapping[str, str] | None = None) -> None: ...
    def extend(self, quads: Iterable[Quad]) -> None: ...
    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any, graph: Any = None
    ) -> Iterator[Quad]: ...
    def contains_named_graph(self, graph: Any) -> bool: ...
    def named_graphs(self) -> Iterator[Any]: ...
    def remove_graph(self, graph: Any) -> None: ...
    def flush(self) -> None: ...

    def forget(self, subject: NamedNode) -> list[str]:
        """The update operations that remove the registry's statements about `subject`."""
        ...

    def record(self, statements: str) -> str:
        """The update operation that adds `statements` (about one subject) to the registry."""
        ...


__all__ = ["Answer", "Database", "Progress", "solutions"]
