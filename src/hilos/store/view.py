"""What a view of the store answers (`StoreView`), on either backend.

A view is the statements of the graphs a query would see, read by look-up rather than by a
query: `hilos.store.indexes.View` reads the embedded database's indexes, and
`hilos.store.remote_view.RemoteView` asks an endpoint the same questions in SPARQL. Callers
get one from `Store.view` and never ask which one they hold. The batched look-ups
(`statements_of`, `subjects_of`) are what a caller uses for many subjects or objects at once:
the embedded view loops over its indexes, the remote one sends a few requests, not one each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

Term = NamedNode | BlankNode | Literal
Subject = NamedNode | BlankNode
Statements = dict[Subject, list[tuple[NamedNode, Term]]]
"""Each subject that has some, with its (predicate, object) pairs, once each."""


class StoreView(Protocol):
    """The statements of some graphs, with or without what was derived from them."""

    @property
    def graphs(self) -> tuple[NamedNode, ...]:
        """The graphs read (none: the database's own default graph)."""
        ...

    def asserted(self) -> StoreView:
        """The same graphs without their derived statements."""
        ...

    def rows(self, sparql: str) -> Iterator[list[str]]:
        """The solutions of a single-pattern SELECT query, as lists of terms in the TSV results
        format."""
        ...

    def pairs(self, predicate: NamedNode, obj: Term | None = None) -> Iterator[tuple[str, str]]:
        """Every (subject, object) of a predicate, as TSV terms (a statement held in several
        graphs may come more than once)."""
        ...

    def quads(
        self, subject: Subject | None, predicate: NamedNode | None, obj: Term | None
    ) -> Iterator[Quad]:
        """The visible statements matching a pattern (each in its graph on the embedded store,
        in the default graph on an endpoint)."""
        ...

    def statements(self, subject: Subject) -> list[tuple[NamedNode, Term]]:
        """The (predicate, object) pairs of a subject, once each."""
        ...

    def objects(self, subject: Subject, predicate: NamedNode) -> list[Term]: ...

    def subjects(self, predicate: NamedNode, obj: Term) -> list[Subject]: ...

    def statements_of(
        self, subjects: Iterable[Subject], predicates: Sequence[NamedNode] | None = None
    ) -> Statements:
        """`statements` of many subjects at once (only those of `predicates`, if given)."""
        ...

    def subjects_of(
        self, predicate: NamedNode, objects: Iterable[Term]
    ) -> dict[Term, list[Subject]]:
        """`subjects` of many objects at once: each object that has some, with its subjects."""
        ...


def pairs_by_rows(
    view: StoreView, predicate: NamedNode, obj: Term | None = None
) -> Iterator[tuple[str, str]]:
    """`StoreView.pairs` read by the view's own `rows`. The one pattern is built from the
    caller's terms (a predicate, maybe an object), so it is written here, not in a .rq file."""
    if obj is None:
        for row in view.rows(f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o }}"):
            yield row[0], row[1]
    else:
        text = str(obj)
        for row in view.rows(f"SELECT ?s WHERE {{ ?s {predicate} {text} }}"):
            yield row[0], text


__all__ = ["Statements", "StoreView", "Subject", "Term", "pairs_by_rows"]
