"""Turning network results back into evidence: each hop with its claims, status and sources.

A hop between two actors rests on one or more claims of its relation type (two sources, two
statuses or two rows of a sheet are two claims, never merged). The hop aggregates them
explicitly: its score is the strongest claim's, and it lists every claim behind it, each with
its own quote, locator and sources, strongest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx
from pyoxigraph import BlankNode, NamedNode

from ..evidence import Claim, Node, Source
from ..namespaces import HILOS, compact
from ..store import Store, StoreView
from ..vocab import vocabulary

__all__ = [
    "Claim",
    "Hop",
    "Node",
    "ScoredClaim",
    "Source",
    "claim_details",
    "hop",
    "node",
    "parallel_claims",
    "scored_claim",
    "sources_of",
]

_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


@dataclass(frozen=True, kw_only=True)
class ScoredClaim(Claim):
    """A claim as the network weighs it: with its `score` (status weight × confidence)."""

    score: float

    json_keys: ClassVar[tuple[str, ...]] = (
        "id",
        "relation",
        "from_",
        "to",
        "status",
        "confidence",
        "start",
        "end",
        "period",
        "qualifiers",
        "score",
        "quote",
        "locator",
        "sources",
    )


@dataclass(frozen=True, kw_only=True)
class Hop(ScoredClaim):
    """One step of a path: the strongest claim behind it (`tie`, its status, dates and
    sources), oriented as the path walks it (`from_` → `to`, against the tie's own direction
    unless `forward`), and every claim of that relation behind the step."""

    forward: bool
    claims: tuple[ScoredClaim, ...] = ()

    json_keys: ClassVar[tuple[str, ...]] = (
        "tie",
        "relation",
        "from_",
        "to",
        "forward",
        "status",
        "confidence",
        "start",
        "end",
        "score",
        "qualifiers",
        "period",
        "sources",
        "claims",
        "aggregation",
    )

    @property
    def source_count(self) -> int:
        """Distinct sources over all the claims behind the hop."""
        return len({s.id for c in self.claims for s in c.sources} or {s.id for s in self.sources})

    @property
    def aggregation(self) -> str:
        """How the hop's claims were made one step, in words."""
        count = max(len(self.claims), 1)
        sources = self.source_count
        return (
            f"strongest of {count} claim{'s' if count != 1 else ''} that "
            f"{'are' if count != 1 else 'is'} not refuted; {sources} "
            f"source{'s' if sources != 1 else ''}"
        )


def node(graph: nx.MultiDiGraph, iri: str) -> Node:
    data = graph.nodes[iri]
    return Node(iri, data.get("label") or compact(iri), data.get("sphere"))


def _evidence_rows(store: Store, tie: str) -> list[dict[str, Any]]:
    """One row per source of a tie, citation of the source, quote and locator of the tie: two
    look-ups in the store's view (the tie's, then its sources')."""
    view = store.view()
    node = NamedNode(tie)
    values = _values_of(view, node, (HILOS.quote, HILOS.locator, _DERIVED))
    quotes: list[Any] = values.get(HILOS.quote) or [None]
    locators: list[Any] = values.get(HILOS.locator) or [None]
    sources = values.get(_DERIVED, [])
    citations_of = view.statements_of(
        [s for s in sources if isinstance(s, NamedNode | BlankNode)], [HILOS.citation]
    )
    rows: list[dict[str, Any]] = []
    for source in sources:
        citations: list[Any] = [value for _, value in citations_of.get(source, ())]
        for citation in citations or [None]:
            for quote in quotes:
                for locator in locators:
                    rows.append(
                        {"source": source, "citation": citation, "quote": quote, "locator": locator}
                    )
    return rows


def _values_of(
    view: StoreView, node: NamedNode, properties: tuple[NamedNode, ...]
) -> dict[NamedNode, list[Any]]:
    """The values of some properties of one node, by property (one look-up)."""
    values: dict[NamedNode, list[Any]] = {}
    for prop, value in view.statements_of([node], properties).get(node, ()):
        values.setdefault(prop, []).append(value)
    return values


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


def claim_details(store: Store, tie: str) -> tuple[tuple[str, ...], str | None]:
    """A claim's qualifiers (keys, in the ontology's order) and its period in words."""
    values = _values_of(store.view(), NamedNode(tie), (HILOS.qualifier, HILOS.period))
    qualifier_iris = {q.value for q in values.get(HILOS.qualifier, []) if isinstance(q, NamedNode)}
    periods = [p.value for p in values.get(HILOS.period, [])]
    vocab = vocabulary()
    keys = tuple(q.key for q in vocab.qualifiers if q.iri in qualifier_iris) + tuple(
        sorted(compact(i) for i in qualifier_iris if vocab.qualifier_key(i) is None)
    )
    return keys, (sorted(periods)[0] if periods else None)


def scored_claim(store: Store, u: str, v: str, tie: str, data: Any) -> ScoredClaim:
    """The claim `tie` from `u` to `v` as the projected network's edge `data` weighs it, with
    its sources, qualifiers and period read from the store."""
    sources = sources_of(store, tie)
    qualifiers, period = claim_details(store, tie)
    first = sources[0] if sources else None
    return ScoredClaim(
        tie=tie,
        relation=data["relation"],
        from_=u,
        to=v,
        status=data["status"],
        confidence=data["confidence"],
        start=data["start"],
        end=data["end"],
        score=data["score"],
        modality=data.get("modality") or "stated",
        quote=first.quote if first else None,
        locator=first.locator if first else None,
        qualifiers=qualifiers,
        period=period,
        sources=sources,
    )


class ClaimReader:
    """Each claim's evidence read from the store once, however many paths walk it (the chains
    of 10,000 generated entities walk 2,276 claims 170,000 times; read once each, they take a
    fraction of the time)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._read: dict[tuple[str, str, str], ScoredClaim] = {}

    def scored(self, u: str, v: str, tie: str, data: Any) -> ScoredClaim:
        """`scored_claim(store, u, v, tie, data)`, read the first time it is asked for (the
        edge data of a claim between the same two nodes is that of one projection)."""
        key = (u, v, tie)
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = scored_claim(self.store, u, v, tie, data)
        return found


def parallel_claims(
    graph: nx.MultiDiGraph, u: str, v: str, relation: str, directed: bool
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every claim of `relation` between u and v (both ways unless `directed`) with a positive
    score, strongest first: (from, to, claim, data)."""
    found = [(u, v, k, d) for k, d in graph.get_edge_data(u, v, default={}).items()]
    if not directed:
        found += [(v, u, k, d) for k, d in graph.get_edge_data(v, u, default={}).items()]
    same = [f for f in found if f[3]["relation"] == relation and f[3]["score"] > 0]
    return sorted(same, key=lambda f: (-f[3]["score"], f[2]))


def hop(
    store: Store,
    graph: nx.MultiDiGraph,
    walked_from: str,
    walked_to: str,
    tie: str,
    forward: bool,
    *,
    directed: bool = False,
    reader: ClaimReader | None = None,
) -> Hop:
    """The hop walking `tie` from `walked_from` to `walked_to` (against its direction if not
    `forward`), with the evidence of the tie and every other claim of its relation between the
    two (both ways unless `directed`)."""
    u, v = (walked_from, walked_to) if forward else (walked_to, walked_from)
    data = graph.edges[u, v, tie]
    behind = parallel_claims(graph, walked_from, walked_to, data["relation"], directed)
    if not any(found[2] == tie for found in behind):
        behind.insert(0, (u, v, tie, data))
    reader = reader or ClaimReader(store)
    claims = tuple(reader.scored(a, b, key, d) for a, b, key, d in behind)
    chosen = next(c for c in claims if c.id == tie)
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
        modality=chosen.modality,
        quote=chosen.quote,
        locator=chosen.locator,
        sources=chosen.sources,
        qualifiers=chosen.qualifiers,
        period=chosen.period,
        claims=claims,
    )
