"""What the store's facade needs of a database: the `Backend` protocol.

Two implementations: `hilos.store.embedded.EmbeddedBackend` (Oxigraph, on disk or in memory)
and `hilos.store.remote.RemoteBackend` (a SPARQL 1.1 endpoint). Everything that differs between
the two — where the registry lives, how a file or a stream of statements is written and
reasoned over, how a query names its graphs, which lookups the indexes answer — is a method
here with one implementation in each, so no module asks which kind of store it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple

from .database import Answer, Database, Progress, solutions
from .loading import LoadPlan
from .reasoner import Reasoner
from .view import StoreView

ReasonerFor = Callable[[list[Quad | Triple]], Reasoner]
"""Builds the reasoner for a staged graph from the terminology the graph itself declares."""

__all__ = ["Answer", "Backend", "Progress", "QueryScope", "ReasonerFor", "solutions"]


class Backend(Database, Protocol):
    """A database the store keeps its graphs, registry and inferences in."""

    @property
    def endpoint(self) -> str | None:
        """The endpoint's URL, or None for an embedded database."""
        ...

    @property
    def saves_derived_data(self) -> bool:
        """Whether data derived from the store (projections, indexes) may be saved beside it."""
        ...

    def embedded(self) -> ox.Store:
        """The Oxigraph store itself (`StoreError` for an endpoint)."""
        ...

    # -- the registry ----------------------------------------------------------------------

    def open_checks(self) -> None:
        """Bring a store written by an older hilos or left by a killed load up to date."""
        ...

    def registry_database(self) -> Any:
        """A database holding the registry as statements in `REGISTRY_GRAPH`."""
        ...

    def registry_statements(self, subject: NamedNode, predicate: NamedNode) -> Iterator[Triple]:
        """The registry's statements `subject predicate ?o`."""
        ...

    def no_registry(self, name: str) -> Exception | None:
        """Why graph `name` cannot be found when the store keeps no registry at all."""
        ...

    # -- writing ---------------------------------------------------------------------------

    def check_parse_first(self, rdf_format: ox.RdfFormat) -> bool:
        """Whether a file of this format is parsed once before it is written."""
        ...

    def stage_file(
        self,
        plan: LoadPlan,
        physical: dict[str, NamedNode],
        inferred: dict[str, NamedNode],
        progress: Progress | None,
        reasoner_for: ReasonerFor,
    ) -> None:
        """Write a planned file into its staged graphs, and its inferences beside them."""
        ...

    def stage_statements(
        self,
        statements: Iterable[Triple | Quad],
        asserted: NamedNode,
        inferred: NamedNode,
        reasoner_for: ReasonerFor,
        bulk_threshold: int,
    ) -> None:
        """Write statements into the staged graph `asserted`, their inferences into `inferred`."""
        ...

    def derive_again(self, reasoner: Reasoner, asserted: NamedNode, fresh: NamedNode) -> None:
        """Write into `fresh` what the reasoner derives from the registered graph `asserted`."""
        ...

    def ontology_statements(self, ontology: NamedNode, registered: bool) -> Iterable[Quad]:
        """The statements of the loaded ontology as the reasoner reads them."""
        ...

    # -- reading ---------------------------------------------------------------------------

    def run_query(
        self,
        sparql: str,
        substitutions: Mapping[ox.Variable, Any],
        base_iri: str | None,
        scope: QueryScope,
    ) -> Answer:
        """Run a query on the dataset `scope` describes."""
        ...

    def view(self, graphs: Sequence[NamedNode], asserted: Sequence[NamedNode]) -> StoreView:
        """A view of the statements of `graphs` (those of `asserted` without what was derived
        from them): the store's indexes on an embedded database, look-ups by SPARQL on an
        endpoint. No graphs: the database's own default graph (an endpoint hilos never wrote
        to)."""
        ...

    def claim_graphs(self, subject: NamedNode) -> set[str]:
        """The IRIs of the graphs holding a statement about `subject`, a claim or entity
        about to be edited in place (`BadInput` where that cannot be done)."""
        ...


@dataclass(frozen=True)
class QueryScope:
    """The graphs one query reads: `default` (its default graph) and `named`; `union` when the
    default graph is every registered graph, which an embedded database may read as the union
    of all its graphs when it holds nothing else (`registered`: the IRIs of the registered
    graphs and their inferences). `begin` returns a mark of this process's writes (None while
    one holds graphs not registered yet); `unchanged(mark)` says whether none began since."""

    default: list[NamedNode | BlankNode | DefaultGraph]
    named: list[NamedNode | BlankNode]
    union: bool
    registered: frozenset[str]
    begin: Callable[[], int | None]
    unchanged: Callable[[int], bool]
