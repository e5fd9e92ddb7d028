"""Turning network results back into evidence: each hop with its tie, status and sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
from pyoxigraph import BlankNode, NamedNode

from .. import sparql
from ..namespaces import HILOS, compact
from ..scan import View
from ..store import Store, solutions

_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    quote: str | None
    locator: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "citation": self.citation,
            "quote": self.quote,
            "locator": self.locator,
        }


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    sphere: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "sphere": self.sphere}


@dataclass(frozen=True)
class Hop:
    """One tie of a path, oriented as the path walks it (`from_` → `to`)."""

    tie: str
    relation: str
    from_: str
    to: str
    forward: bool
    status: str | None
    confidence: float | None
    start: str | None
    end: str | None
    score: float
    sources: tuple[Source, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tie": self.tie,
            "relation": self.relation,
            "from": self.from_,
            "to": self.to,
            "forward": self.forward,
            "status": self.status,
            "confidence": self.confidence,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "sources": [s.as_dict() for s in self.sources],
        }


def node(graph: nx.MultiDiGraph, iri: str) -> Node:
    data = graph.nodes[iri]
    return Node(iri, data.get("label") or compact(iri), data.get("sphere"))


def _evidence_rows(store: Store, tie: str) -> list[dict[str, Any]]:
    """The solutions of `tie-evidence.rq` for one tie; on the embedded store read from the
    indexes (a handful of look-ups instead of a query planned before the tie is bound)."""
    if store.remote:
        return list(
            solutions(store.query(sparql.load("tie-evidence"), bindings={"tie": NamedNode(tie)}))
        )
    view = View(store)
    node = NamedNode(tie)
    quotes: list[Any] = view.objects(node, HILOS.quote) or [None]
    locators: list[Any] = view.objects(node, HILOS.locator) or [None]
    rows: list[dict[str, Any]] = []
    for source in view.objects(node, _DERIVED):
        citations: list[Any] = []
        if isinstance(source, NamedNode | BlankNode):
            citations = view.objects(source, HILOS.citation)
        for citation in citations or [None]:
            for quote in quotes:
                for locator in locators:
                    rows.append(
                        {"source": source, "citation": citation, "quote": quote, "locator": locator}
                    )
    return rows


def sources_of(store: Store, tie: str) -> tuple[Source, ...]:
    found: dict[str, Source] = {}
    for row in _evidence_rows(store, tie):
        source = row["source"].value
        citation = row["citation"].value if row["citation"] is not None else compact(source)
        found.setdefault(
            source,
            Source(
                id=source,
                citation=citation,
                quote=row["quote"].value if row["quote"] is not None else None,
                locator=row["locator"].value if row["locator"] is not None else None,
            ),
        )
    return tuple(sorted(found.values(), key=lambda s: (s.id.endswith("/report"), s.citation)))


def hop(
    store: Store, graph: nx.MultiDiGraph, walked_from: str, walked_to: str, tie: str, forward: bool
) -> Hop:
    """The hop walking `tie` from `walked_from` to `walked_to` (against its direction if not
    `forward`), with the evidence of the tie."""
    u, v = (walked_from, walked_to) if forward else (walked_to, walked_from)
    data = graph.edges[u, v, tie]
    return Hop(
        tie=tie,
        relation=data["relation"],
        from_=walked_from,
        to=walked_to,
        forward=forward,
        status=data["status"],
        confidence=data["confidence"],
        start=data["start"],
        end=data["end"],
        score=data["score"],
        sources=sources_of(store, tie),
    )
