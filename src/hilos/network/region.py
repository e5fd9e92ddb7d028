"""The part of the network that the paths between two entities can use, read from the store
around those two entities — so a path search on a store of a million entities reads thousands
of statements, not the whole network.

Every path of at most `max_hops` ties from A to B has each of its ties touching an entity
within `a - 1` ties of A or within `b - 1` ties of B, whenever `a + b >= max_hops` (a tie at
position i touches the i-th entity, within i of A, or the next one, within `max_hops - i - 1`
of B). So the ends are explored breadth first, one level at a time, always on the side whose
frontier is smaller, until `a + b = max_hops` levels are read; then only the entities whose
distances to A and to B (or a lower bound of them) add up to at most `max_hops` are kept, and
only the ties among them are read in full and filtered. The exploration follows every tie
(whatever its status or the filters), so it can only keep more than it needs, never less.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pyoxigraph import Literal, NamedNode

from ..namespaces import HILOS, RDF_TYPE
from ..store import Store, StoreView
from ..vocab import kind_of
from .projection import (
    Filters,
    Projection,
    TieFilter,
    TieRecord,
    apply_identities,
    keep_network_nodes,
)

_FROM, _TO = HILOS["from"], HILOS.to
_FIELDS = (HILOS.status, HILOS.confidence, HILOS.start, HILOS.end, HILOS.modality)


@dataclass
class Region:
    """The network around two entities, and whether one of them was explored to the end of
    what it can reach (then no path outside the region exists at any length)."""

    projection: Projection
    exhaustive: bool
    read_ties: int = 0
    levels: tuple[int, int] = (0, 0)


@dataclass
class _Side:
    """Breadth-first exploration from one end."""

    start: str
    forward: bool  # follow ties from their source to their target
    directed: bool
    distance: dict[str, int] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)
    levels: int = 0

    def __post_init__(self) -> None:
        self.distance[self.start] = 0
        self.frontier = [self.start]


class _Reader:
    """The ties touching entities, read once each from the store's view, a level's frontier
    at a time (one batch of look-ups, not one per entity)."""

    def __init__(self, view: StoreView) -> None:
        self.view = view
        self.ends: dict[str, tuple[str, str]] = {}  # tie -> (source, target)
        self.outgoing: dict[str, list[str]] = {}
        self.incoming: dict[str, list[str]] = {}

    def _read(self, nodes: list[str], here: NamedNode, there: NamedNode) -> dict[str, list[str]]:
        """The ties each node is the `here` end of, their `there` ends read where new."""
        view = self.view
        touching = view.subjects_of(here, [NamedNode(node) for node in nodes])
        found: dict[str, list[str]] = {node: [] for node in nodes}
        new = {
            tie
            for ties in touching.values()
            for tie in ties
            if isinstance(tie, NamedNode) and tie.value not in self.ends
        }
        others = view.statements_of(new, [there])
        for term, ties in touching.items():
            node = term.value
            for tie in ties:
                if not isinstance(tie, NamedNode):
                    continue
                key = tie.value
                if key not in self.ends:
                    self.ends[key] = _ends(node, here, others.get(tie, ()))
                found[node].append(key)
        return found

    def prefetch(self, nodes: list[str], forward: bool, backward: bool) -> None:
        """Read the ties of the nodes not read yet, in each direction asked."""
        for wanted, read, here, there in (
            (forward, self.outgoing, _FROM, _TO),
            (backward, self.incoming, _TO, _FROM),
        ):
            unread = [node for node in dict.fromkeys(nodes) if node not in read]
            if wanted and unread:
                read.update(self._read(unread, here, there))

    def ties(self, node: str, forward: bool, backward: bool) -> list[str]:
        self.prefetch([node], forward, backward)
        found: list[str] = []
        if forward:
            found += self.outgoing[node]
        if backward:
            found += self.incoming[node]
        return found


def _ends(node: str, here: NamedNode, others: Iterable[tuple[NamedNode, Any]]) -> tuple[str, str]:
    """A tie's (source, target) from one end and the values of its other end; ('', '') for
    ends that are not one IRI each (read in full later)."""
    named = [value for _, value in others if isinstance(value, NamedNode)]
    if len(named) != 1:
        return ("", "")
    other = named[0].value
    return (node, other) if here == _FROM else (other, node)


def path_region(
    store: Store,
    filters: Filters,
    source: str,
    target: str,
    max_hops: int,
    *,
    lang: str = "en",
) -> Region:
    """The projection of the ties that paths of at most `max_hops` from `source` to `target`
    may use (as `project` would give them, filters applied), its nodes described."""
    view = store.view(list(filters.graphs) or None)
    reader = _Reader(view)
    directed = filters.directed
    sides = (
        _Side(source, forward=True, directed=directed),
        _Side(target, forward=False, directed=directed),
    )
    exhaustive = _explore(sides, reader, max_hops)
    keep = _keep(sides, max_hops, exhaustive)
    ties = sorted(tie for tie, (u, v) in reader.ends.items() if (u in keep and v in keep) or not u)
    maker = TieFilter(store, filters)
    graph = nx.MultiDiGraph()
    read: set[str] = set()
    _add_ties(graph, maker, view, ties, read, keep)
    # The ends' own ties, wherever they lead: an end with a tie that passes the filters is in
    # the network even if no path reaches it (and one with usable ties can be told apart from
    # one without).
    for end in (source, target):
        _add_ties(graph, maker, view, reader.ties(end, True, True), read, None)
    # Entities that are not part of the network (places, markets… not asked for) go, with
    # their ties: the exploration above walked through them, so it kept more, never less.
    _give_kinds(store, filters, view, graph)
    projection = Projection(graph=graph, filters=filters, dropped=dict(maker.dropped))
    keep_network_nodes(projection)
    apply_identities(projection)
    return Region(
        projection=projection,
        exhaustive=exhaustive,
        read_ties=len(reader.ends),
        levels=(sides[0].levels, sides[1].levels),
    )


def _explore(sides: tuple[_Side, _Side], reader: _Reader, max_hops: int) -> bool:
    """Expand the side with the smaller frontier, level by level, until the two have explored
    `max_hops` levels together or one has nothing left; whether the exploration is exhaustive
    (a side ran out of entities to reach)."""
    while sides[0].levels + sides[1].levels < max_hops:
        side = min(sides, key=lambda s: (len(s.frontier), s is sides[1]))
        if not side.frontier:
            break
        _expand(side, reader)
        if not side.frontier:
            break
    return any(not s.frontier for s in sides)


def _add_ties(
    graph: nx.MultiDiGraph,
    maker: TieFilter,
    view: StoreView,
    ties: Iterable[str],
    read: set[str],
    keep: set[str] | None,
) -> None:
    """Add to the graph the ties not yet `read` that pass the filters (and, with `keep`, join
    two entities kept); mark them read."""
    unread = [NamedNode(tie) for tie in dict.fromkeys(ties) if tie not in read]
    read.update(node.value for node in unread)
    statements = view.statements_of(unread)
    classes = view.asserted().statements_of(unread, [RDF_TYPE])
    for node in unread:
        asserted = {c.value for _, c in classes.get(node, ()) if isinstance(c, NamedNode)}
        for record in _records(node.value, statements.get(node, []), asserted):
            if keep is not None and (record.source not in keep or record.target not in keep):
                continue
            edge = maker.edge(record)
            if edge is not None:
                graph.add_edge(record.source, record.target, key=record.tie, **edge)


def _give_kinds(store: Store, filters: Filters, view: StoreView, graph: nx.MultiDiGraph) -> None:
    """Give each node its `kind`, from its types in the graphs read (or, typed nowhere there,
    as the other loaded graphs describe it)."""
    superclasses = store.terminology().superclasses
    nodes = list(graph.nodes)
    types = _types(view, nodes)
    context = context_view(store, filters)
    untyped = [node for node in nodes if not types.get(node)]
    if untyped and context is not None:
        # entities the graphs asked for name without typing: as the others describe them
        types.update(_types(context, untyped))
    for node in nodes:
        graph.nodes[node]["kind"] = kind_of(types.get(node, []), superclasses)


def _types(view: StoreView, nodes: list[str]) -> dict[str, list[str]]:
    """The types of each node that has some."""
    found = view.statements_of([NamedNode(node) for node in nodes], [RDF_TYPE])
    return {
        node.value: [t.value for _, t in pairs if isinstance(t, NamedNode)]
        for node, pairs in found.items()
    }


def _expand(side: _Side, reader: _Reader) -> None:
    """Read the ties of one side's frontier: the next level of its exploration."""
    forward = side.forward or not side.directed
    backward = not side.forward or not side.directed
    level = side.levels + 1
    following: list[str] = []
    distance = side.distance
    reader.prefetch(side.frontier, forward, backward)
    for node in side.frontier:
        for tie in reader.ties(node, forward, backward):
            u, v = reader.ends[tie]
            for other in _others(node, u, v, side, forward, backward):
                if other not in distance:
                    distance[other] = level
                    following.append(other)
    side.frontier = following
    side.levels = level


def _others(node: str, u: str, v: str, side: _Side, forward: bool, backward: bool) -> Iterable[str]:
    if not u:
        return ()
    found = []
    if forward and u == node:
        found.append(v)
    if backward and v == node:
        found.append(u)
    return found


def _keep(sides: tuple[_Side, _Side], max_hops: int, exhaustive: bool) -> set[str]:
    """The entities on some path of at most `max_hops`: their distances to both ends (or a
    lower bound, one more than explored) add up to at most `max_hops`."""
    s, t = sides
    unknown_s = max_hops + 1 if not s.frontier else s.levels + 1
    unknown_t = max_hops + 1 if not t.frontier else t.levels + 1
    keep = set()
    for node in set(s.distance) | set(t.distance):
        total = s.distance.get(node, unknown_s) + t.distance.get(node, unknown_t)
        if total <= max_hops:
            keep.add(node)
    return keep


def _records(
    tie: str, statements: Iterable[tuple[NamedNode, Any]], classes: set[str]
) -> list[TieRecord]:
    """A tie read in full, as `project` reads it (one record per combination of values), from
    its statements and its classes asserted."""
    is_tie, values = _read_tie(statements)
    if not is_tie or not values[_FROM] or not values[_TO]:
        return []
    options: list[list[str | None]] = [
        list(values[_FROM]),
        list(values[_TO]),
        *([*values.get(f, [])] or [None] for f in _FIELDS),
    ]
    found = []
    for a, b, status, confidence, start, end, modality in itertools.product(*options):
        if a and b:
            found.append(
                TieRecord(tie, a, b, frozenset(classes), status, confidence, start, end, modality)
            )
    return found


def _read_tie(
    statements: Iterable[tuple[NamedNode, Any]],
) -> tuple[bool, dict[NamedNode, list[str | None]]]:
    """Whether a node is a tie, and the distinct values of its ends and fields (an end that is
    not an IRI as '')."""
    values: dict[NamedNode, list[str | None]] = defaultdict(list)
    is_tie = False
    for p, o in statements:
        if p == RDF_TYPE:
            is_tie = is_tie or o == HILOS.Tie
        elif p in (_FROM, _TO, *_FIELDS):
            text = _text(o, end=p in (_FROM, _TO))
            if text not in values[p]:
                values[p].append(text)
    return is_tie, values


def _text(term: object, *, end: bool) -> str:
    """A term's IRI or lexical form; '' for an end that is not an IRI."""
    if end and not isinstance(term, NamedNode):
        return ""
    return term.value if isinstance(term, NamedNode | Literal) else str(term)


def context_view(store: Store, filters: Filters) -> StoreView | None:
    """All loaded graphs, to describe what the graphs asked for name without typing (none
    when no graph was asked for, or with `only`)."""
    return store.view() if filters.graphs and not filters.only else None
