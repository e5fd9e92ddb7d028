"""The view of a remote endpoint (`StoreView` answered in SPARQL).

It sees exactly the graphs the store's own queries see there: the registered graphs (with what
was derived from them, unless asserted only) as the default graph of each request, or, on an
endpoint hilos never wrote to (no registry), the server's own default dataset. Each look-up is
one request; the batched ones (`statements_of`, `subjects_of`) ask about up to `BATCH` terms
per request with a `VALUES` block.

A blank node cannot be named in a request (a server labels them afresh in every answer), so a
look-up about one finds nothing; hilos's own loads name every blank node (`skolemise`), so this
only concerns data another tool wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import pyoxigraph as ox
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from .. import sparql
from ..namespaces import PREFIXES
from .database import Answer, solutions
from .values import with_rows
from .view import Statements, Subject, Term, pairs_by_rows

BATCH = 200
"""Subjects or objects asked about in one request."""

_S, _P, _O = (ox.Variable(name) for name in "spo")


class _Endpoint(Protocol):
    def query(
        self,
        sparql: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        default_graph: Sequence[Any] | None = None,
        named_graphs: Sequence[Any] | None = None,
    ) -> Answer: ...


class RemoteView:
    """The statements of `graphs` at an endpoint (`asserted`: the same without inferences)."""

    def __init__(
        self,
        endpoint: _Endpoint,
        graphs: Sequence[NamedNode],
        asserted: Sequence[NamedNode] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.graphs: tuple[NamedNode, ...] = tuple(graphs)
        self._asserted = tuple(asserted) if asserted is not None else self.graphs

    def __repr__(self) -> str:
        return f"RemoteView({len(self.graphs)} graphs)"

    def asserted(self) -> RemoteView:
        return RemoteView(self.endpoint, self._asserted, self._asserted)

    def _select(self, sparql: str) -> ox.QuerySolutions:
        graphs = list(self.graphs) or None
        return solutions(self.endpoint.query(sparql, prefixes=PREFIXES, default_graph=graphs))

    # ------------------------------------------------------------------ whole predicates

    def rows(self, sparql: str) -> Iterator[list[str]]:
        answer = self._select(sparql)
        data = answer.serialize(format=ox.QueryResultsFormat.TSV) or b""
        for line in data.decode("utf-8").split("\n")[1:]:
            if line:
                yield line.split("\t")

    def pairs(self, predicate: NamedNode, obj: Term | None = None) -> Iterator[tuple[str, str]]:
        return pairs_by_rows(self, predicate, obj)

    # ------------------------------------------------------------------------- look-ups

    def quads(
        self, subject: Subject | None, predicate: NamedNode | None, obj: Term | None
    ) -> Iterator[Quad]:
        """The statements matching a pattern, each in the default graph: an endpoint is not
        asked which graph holds a statement (a server need not let a derived graph be named;
        `hilos serve` does not)."""
        bound = [(v, t) for v, t in ((_S, subject), (_P, predicate), (_O, obj)) if t is not None]
        if any(not isinstance(term, NamedNode | Literal) for _, term in bound):
            return  # a blank node cannot be named in a request
        text = sparql.load("view-statements")
        if bound:
            text = with_rows(text, [v for v, _ in bound], [[t for _, t in bound]])
        for row in self._select(text):
            s, p, o = row[_S], row[_P], row[_O]
            if isinstance(p, NamedNode) and _is_subject(s) and _is_term(o):
                yield Quad(s, p, o, DefaultGraph())

    def statements(self, subject: Subject) -> list[tuple[NamedNode, Term]]:
        return self.statements_of([subject]).get(subject, [])

    def objects(self, subject: Subject, predicate: NamedNode) -> list[Term]:
        return [o for _, o in self.statements_of([subject], [predicate]).get(subject, [])]

    def subjects(self, predicate: NamedNode, obj: Term) -> list[Subject]:
        return self.subjects_of(predicate, [obj]).get(obj, [])

    def statements_of(
        self, subjects: Iterable[Subject], predicates: Sequence[NamedNode] | None = None
    ) -> Statements:
        wanted = [s for s in dict.fromkeys(subjects) if isinstance(s, NamedNode)]
        text = sparql.load("view-statements")
        if predicates:
            text = with_rows(text, [_P], [[p] for p in dict.fromkeys(predicates)])
        found: dict[Subject, dict[tuple[NamedNode, Term], None]] = {}
        for start in range(0, len(wanted), BATCH):
            batch = with_rows(text, [_S], [[s] for s in wanted[start : start + BATCH]])
            for row in self._select(batch):
                s, p, o = row[_S], row[_P], row[_O]
                if isinstance(s, NamedNode) and isinstance(p, NamedNode) and _is_term(o):
                    found.setdefault(s, {})[(p, o)] = None
        return {s: list(found[s]) for s in wanted if s in found}

    def subjects_of(
        self, predicate: NamedNode, objects: Iterable[Term]
    ) -> dict[Term, list[Subject]]:
        wanted = [o for o in dict.fromkeys(objects) if isinstance(o, NamedNode | Literal)]
        text = f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o }}"
        found: dict[Term, dict[Subject, None]] = {}
        for start in range(0, len(wanted), BATCH):
            batch = with_rows(text, [_O], [[o] for o in wanted[start : start + BATCH]])
            for row in self._select(batch):
                s, o = row[_S], row[_O]
                if isinstance(s, NamedNode | ox.BlankNode) and _is_term(o):
                    found.setdefault(o, {})[s] = None
        return {o: list(found[o]) for o in wanted if o in found}


def _is_subject(term: object) -> bool:
    return isinstance(term, NamedNode | ox.BlankNode)


def _is_term(term: object) -> bool:
    return isinstance(term, NamedNode | Literal | ox.BlankNode)


__all__ = ["BATCH", "RemoteView"]
