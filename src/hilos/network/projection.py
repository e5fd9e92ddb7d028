"""The RDF graph projected onto a network: one edge per tie, keyed by the tie's IRI.

Every edge keeps what is needed to turn a result back into evidence (relation, status,
confidence, valid time); every node its label, sphere and kind. Filters apply here, before any
analysis, and are the same for every command.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pyoxigraph import Literal, NamedNode

from .. import sparql
from ..entities import SPHERES, STATUSES, most_specific, pick_label
from ..errors import BadInput, NotFound
from ..namespaces import HILOS_NS, compact
from ..store import Store, solutions

STATUS_ORDER = ("refuted", "disputed", "alleged", "reported", "confirmed")
"""Statuses from weakest to strongest."""

STATUS_WEIGHT = {"refuted": 0.0, "disputed": 0.2, "alleged": 0.4, "reported": 0.7, "confirmed": 1.0}
"""How much a tie of each status counts as evidence (the `hilos:weight` of the ontology)."""

_KINDS = (
    ("Person", "person"),
    ("Place", "place"),
    ("CriminalMarket", "market"),
    ("Event", "event"),
    ("Policy", "policy"),
    ("Phenomenon", "phenomenon"),
    ("Sphere", "sphere"),
    ("Source", "source"),
    ("Observation", "observation"),
    ("Actor", "organisation"),
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Filters:
    """What to keep before analysis. Empty means everything."""

    graphs: tuple[str, ...] = ()
    min_status: str | None = None
    as_of: str | None = None
    between: tuple[int, int] | None = None
    tie_types: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    directed: bool = True

    def __post_init__(self) -> None:
        if self.min_status is not None and self.min_status not in STATUS_ORDER:
            raise BadInput(
                f"unknown status '{self.min_status}' (one of: {', '.join(STATUS_ORDER)})"
            )
        if self.as_of is not None and not _DATE.match(self.as_of):
            raise BadInput(f"--as-of expects YYYY, YYYY-MM or YYYY-MM-DD, got '{self.as_of}'")
        if self.between is not None and self.between[0] > self.between[1]:
            raise BadInput(f"--between {self.between[0]}..{self.between[1]} ends before it starts")


def filters_in_words(
    filters: Filters, label_of: Callable[[str], str], *, direction: bool = False
) -> list[str]:
    """The filters as sentences a reader understands, for pages and dossiers.

    >>> filters_in_words(Filters(min_status="reported", between=(2006, 9999)), str)
    ['ties whose status is at least reported', 'ties valid during 2006..']
    """
    lines: list[str] = []
    if filters.graphs:
        lines.append("ties from the graphs: " + ", ".join(filters.graphs))
    if filters.min_status:
        lines.append(f"ties whose status is at least {filters.min_status}")
    if filters.as_of:
        lines.append(f"ties valid on {filters.as_of}")
    if filters.between:
        first, last = filters.between
        lines.append(
            f"ties valid during {first if first > 0 else ''}..{last if last < 9999 else ''}"
        )
    if filters.tie_types:
        lines.append("ties of type " + ", ".join(filters.tie_types) + " (with their sub-types)")
    if filters.exclude:
        lines.append("leaving out " + "; ".join(f"{label_of(i)} ({i})" for i in filters.exclude))
    if direction:
        lines.append(
            "ties followed only from their source to their target"
            if filters.directed
            else "ties followed both ways"
        )
    return lines


def parse_between(text: str) -> tuple[int, int]:
    """`YEAR..YEAR` (either side may be omitted) as a pair of years.

    >>> parse_between("2006..2012")
    (2006, 2012)
    >>> parse_between("2014..")
    (2014, 9999)
    """
    match = re.fullmatch(r"\s*(\d{4})?\s*\.\.\s*(\d{4})?\s*", text)
    if not match or not (match.group(1) or match.group(2)):
        raise BadInput(f"--between expects YEAR..YEAR, got '{text}'")
    return int(match.group(1) or 0), int(match.group(2) or 9999)


def date_before_or_on(a: str, b: str) -> bool:
    """Whether partial date `a` is not after partial date `b` (compared at the coarser
    precision, so "2014" is neither before nor after "2014-09-26").

    >>> date_before_or_on("2014", "2014-09-26"), date_before_or_on("2015", "2014-09-26")
    (True, False)
    """
    size = min(len(a), len(b))
    return a[:size] <= b[:size]


def valid_at(start: str | None, end: str | None, when: str) -> bool:
    """Whether a tie with this valid time holds at `when` (an open side holds)."""
    return (start is None or date_before_or_on(start, when)) and (
        end is None or date_before_or_on(when, end)
    )


def overlaps_years(start: str | None, end: str | None, first: int, last: int) -> bool:
    """Whether a tie's valid time meets the years `first`..`last` (an open side meets all)."""
    return (start is None or int(start[:4]) <= last) and (end is None or int(end[:4]) >= first)


def evidence_score(status: str | None, confidence: float | None) -> float:
    """How strongly one tie is supported: the weight of its status times its confidence.

    >>> evidence_score("reported", None), evidence_score("reported", 0.6)
    (0.7, 0.42)
    >>> evidence_score(None, None)
    0.0
    """
    base = STATUS_WEIGHT.get(status or "", 0.0)
    return round(base * (1.0 if confidence is None else confidence), 6)


@dataclass
class Projection:
    """The projected network and what was filtered to get it."""

    graph: nx.MultiDiGraph
    filters: Filters
    dropped: dict[str, int] = field(default_factory=dict)

    def analysis_graph(self) -> nx.MultiDiGraph | nx.MultiGraph:
        """The graph analyses run on: directed, or undirected if the filters say so."""
        return self.graph if self.filters.directed else self.graph.to_undirected(as_view=True)


def _tie_classes(store: Store, names: Sequence[str]) -> set[str]:
    """The tie classes (with their sub-classes) that `--tie-type` names mean."""
    terminology = store.terminology()
    all_ties = {
        cls for cls, supers in terminology.superclasses.items() if HILOS_NS + "Tie" in supers
    } | {HILOS_NS + "Tie"}
    by_name: dict[str, str] = {}
    for cls in all_ties:
        local = cls.rsplit("#", 1)[-1]
        by_name[local.lower()] = cls
        by_name[compact(cls).lower()] = cls
        by_name[cls.lower()] = cls
    for row in solutions(
        store.query("SELECT ?c ?l WHERE { ?c rdfs:subClassOf+ hilos:Tie ; rdfs:label ?l }")
    ):
        by_name.setdefault(str(row["l"].value).lower(), str(row["c"].value))
    wanted: set[str] = set()
    for name in names:
        found = by_name.get(name.strip().lower())
        if found is None:
            known = sorted({c.rsplit("#", 1)[-1] for c in all_ties})
            raise BadInput(f"unknown tie type '{name}' (known: {', '.join(known)})")
        wanted.add(found)
        wanted |= {c for c in all_ties if found in terminology.superclasses.get(c, ())}
    return wanted


def _kind(store: Store, types: Iterable[str]) -> str:
    superclasses = store.terminology().superclasses
    closure: set[str] = set()
    for t in types:
        closure.add(t)
        closure |= superclasses.get(t, frozenset())
    for local, kind in _KINDS:
        if HILOS_NS + local in closure:
            return kind
    return "other"


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def project(store: Store, filters: Filters | None = None, *, lang: str = "en") -> Projection:
    """Project the loaded graphs (or `filters.graphs`) onto a `networkx.MultiDiGraph`.

    Edges are keyed by tie IRI and carry `relation` (compact class), `status`, `confidence`,
    `score` (evidence score), `start` and `end`; nodes carry `label`, `sphere`, `spheres`,
    `kind` and `types`. Ties failing the filters are left out, and so are the nodes of
    `filters.exclude`.
    """
    filters = filters or Filters()
    graphs = list(filters.graphs) or None
    wanted_classes = _tie_classes(store, filters.tie_types) if filters.tie_types else None
    min_rank = STATUS_ORDER.index(filters.min_status) if filters.min_status else None
    excluded = set(filters.exclude)

    asserted_classes: dict[str, set[str]] = defaultdict(set)
    for row in solutions(
        store.query(
            "SELECT ?tie ?class WHERE { ?tie hilos:from ?f ; a ?class }",
            graphs=graphs,
            inferred=False,
        )
    ):
        asserted_classes[row["tie"].value].add(row["class"].value)

    superclasses = store.terminology().superclasses
    graph = nx.MultiDiGraph()
    dropped: dict[str, int] = defaultdict(int)
    rows = solutions(store.query(sparql.load("network-ties"), graphs=graphs))
    for row in rows:
        tie, start_node, end_node = row["tie"], row["from"], row["to"]
        if not isinstance(start_node, NamedNode) or not isinstance(end_node, NamedNode):
            continue
        classes = asserted_classes.get(tie.value) or {HILOS_NS + "Tie"}
        implied = set().union(*(superclasses.get(c, frozenset()) for c in classes))
        specific = sorted(c for c in classes if c not in implied) or [HILOS_NS + "Tie"]
        relation = specific[0]
        status = STATUSES.get(row["status"].value) if row["status"] is not None else None
        confidence = float(row["confidence"].value) if row["confidence"] is not None else None
        start, end = _text(row["start"]), _text(row["end"])
        if wanted_classes is not None and relation not in wanted_classes:
            dropped["tie type"] += 1
            continue
        if min_rank is not None and (status is None or STATUS_ORDER.index(status) < min_rank):
            dropped["status"] += 1
            continue
        if filters.as_of and not valid_at(start, end, filters.as_of):
            dropped["as of"] += 1
            continue
        if filters.between and not overlaps_years(start, end, *filters.between):
            dropped["between"] += 1
            continue
        if start_node.value in excluded or end_node.value in excluded:
            dropped["excluded"] += 1
            continue
        graph.add_edge(
            start_node.value,
            end_node.value,
            key=tie.value,
            relation=compact(relation),
            status=status,
            confidence=confidence,
            score=evidence_score(status, confidence),
            start=start,
            end=end,
        )
    _describe_nodes(store, graph, graphs, lang)
    return Projection(graph=graph, filters=filters, dropped=dict(dropped))


def _describe_nodes(
    store: Store, graph: nx.MultiDiGraph, graphs: list[str] | None, lang: str
) -> None:
    labels: dict[str, list[Literal]] = defaultdict(list)
    spheres: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for row in solutions(store.query(sparql.load("network-nodes"), graphs=graphs)):
        node = row["node"].value
        if node not in graph:
            continue
        if isinstance(row["label"], Literal):
            labels[node].append(row["label"])
        if row["sphere"] is not None:
            spheres[node].add(SPHERES.get(row["sphere"].value, compact(row["sphere"].value)))
        if row["type"] is not None:
            types[node].add(row["type"].value)
    order = list(SPHERES.values())
    for node in graph.nodes:
        ordered = sorted(spheres[node], key=lambda s: order.index(s) if s in order else 99)
        graph.nodes[node].update(
            label=pick_label(labels[node], lang) or compact(node),
            sphere=ordered[0] if ordered else None,
            spheres=tuple(ordered),
            kind=_kind(store, types[node]),
            types=tuple(most_specific(store, types[node])),
        )


def require_nodes(projection: Projection, *iris: str) -> None:
    """Fail with a clear message if an entity is not in the (filtered) network."""
    for iri in iris:
        if iri not in projection.graph:
            reason = (
                "it is excluded"
                if iri in projection.filters.exclude
                else "none of its ties passes the filters"
                if any(projection.dropped.values())
                else "it has no ties"
            )
            raise NotFound(f"{compact(iri)} is not in the network: {reason}")
