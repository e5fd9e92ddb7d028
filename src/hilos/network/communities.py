"""Which actors cluster together: communities of high modularity, found by Leiden (and, on
smaller networks, by Louvain as well), and their modularity.

**The algorithm.** igraph's Leiden (`community_leiden` with the modularity objective, two
iterations; compiled: a million actors in about 4 s where igraph's Louvain takes about 10 s and
networkx's took minutes) runs on the undirected simple graph of the projection, its links in a
fixed order (sorted pairs of node numbers, the nodes in the projection's order), unweighted
unless asked (weighted: the weight of a pair is the sum of its ties' evidence scores, 1 per tie
without one). Leiden refines each community into well-connected parts before it merges them,
which at scale finds partitions of higher modularity than Louvain (at a million generated
entities 0.9551 against 0.9545); on a small network it can stop a little lower (on the curated
graph with places and markets, 0.558 against 0.560). So up to `BOTH_UP_TO` links, where
Louvain costs a fraction of a second, Louvain (`community_multilevel`) runs too and its
partition is kept when its modularity is higher: the answer is never worse than Louvain's
there. The result names the method whose partition it is. Both are randomised: each draws
from its own `random.Random(seed)`, given to igraph for this run only, so the same `seed` on
the same network gives the same partition; another seed may give another one. The modularity
is igraph's, the same formula as networkx's `modularity` (with the resolution).

**The listing.** Members are listed by (label, id) within each community, communities largest
first (ties: by their first member). At a million actors this is done on columns: the actors
are grouped by community with numpy, each group sorted by Python's string sort (the order
`sorted` gives), and the strings kept as lists in listing order; a `Member` is made only when a
caller asks for a community's `members`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, ClassVar

import networkx as nx
import numpy as np

from ..errors import BadInput
from ..errors import message as _
from ..evidence import Record
from .arrays import ArrayNetwork, Links, NodeTable, compiled_graph, from_graph
from .evidence import Node as Member

BOTH_UP_TO = 50_000
"""Up to this many links, Louvain runs beside Leiden and the better partition is kept (see the
module); above, Leiden alone. Measured on generated networks (seeds 0-2, weighted or not):
at 97,888 links (100,000 entities) Leiden 0.4 s, modularity 0.9512 against Louvain's 0.9503 in
0.3 s; at 978,035 links Leiden 4 s, 0.9551 against 0.9545 in 10 s."""

LEIDEN_ITERATIONS = 2
"""Leiden's iterations (igraph's default). Iterating until no iteration improves took 145 s at a
million generated entities for a modularity 0.0009 higher; two take about 4 s."""


@dataclass(frozen=True)
class Listing:
    """Every member of every community, in the order printed, as columns: `ids`, `labels` and
    `spheres` (the sphere shown, None for none) of each member; community `i` (from 0) is the
    slice `bounds[i]:bounds[i + 1]`; `sphere_counts[i]` counts its members per `sphere_names`."""

    ids: list[str]
    labels: list[str]
    spheres: list[str | None]
    bounds: list[int]
    sphere_names: list[str]
    sphere_counts: np.ndarray


@dataclass(frozen=True, eq=False)
class Community(Record):
    """One community: its members sorted by (label, id), read from the listing's columns."""

    number: int
    listing: Listing = field(repr=False)

    json_keys: ClassVar[tuple[str, ...]] = ("number", "size", "spheres", "members")
    json_names: ClassVar[Mapping[str, str]] = {"number": "community"}

    @property
    def span(self) -> slice:
        """Where the community's members are in the listing's columns."""
        bounds = self.listing.bounds
        return slice(bounds[self.number - 1], bounds[self.number])

    @property
    def size(self) -> int:
        bounds = self.listing.bounds
        return bounds[self.number] - bounds[self.number - 1]

    @property
    def members(self) -> list[Member]:
        listing, span = self.listing, self.span
        return [
            Member(node_id, label, sphere)
            for node_id, label, sphere in zip(
                listing.ids[span], listing.labels[span], listing.spheres[span], strict=True
            )
        ]

    @property
    def spheres(self) -> dict[str, int]:
        """How many members of each sphere ("none" for places, markets and the like), most
        first (ties by name)."""
        counts = self.listing.sphere_counts[self.number - 1].tolist()
        found = [(name, n) for name, n in zip(self.listing.sphere_names, counts, strict=True) if n]
        return dict(sorted(found, key=lambda item: (-item[1], item[0])))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Community):
            return NotImplemented
        return (self.number, self.members) == (other.number, other.members)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class CommunitiesResult(Record):
    """The communities, largest first, the modularity of the partition and the method that
    found it ("leiden" or "louvain")."""

    communities: list[Community]
    modularity: float
    seed: int
    resolution: float
    weighted: bool
    method: str = "leiden"

    json_keys: ClassVar[tuple[str, ...]] = (
        "method",
        "modularity",
        "seed",
        "resolution",
        "weighted",
        "communities",
    )


def communities(
    graph: nx.Graph, seed: int = 0, resolution: float = 1.0, *, weighted: bool = False
) -> CommunitiesResult:
    """Communities of `graph` (largest first; ties by first member) and the modularity of that
    partition at the same resolution (below 1 favours larger communities, above 1 smaller
    ones). A network without links is one community per node, modularity 0.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x")])
    >>> result = communities(g, seed=1)
    >>> [[m.id for m in c.members] for c in result.communities], round(result.modularity, 3)
    ([['a', 'b', 'c'], ['x', 'y', 'z']], 0.5)
    """
    return communities_of(from_graph(graph), seed, resolution, weighted=weighted)


def communities_of(
    network: ArrayNetwork, seed: int = 0, resolution: float = 1.0, *, weighted: bool = False
) -> CommunitiesResult:
    """`communities` of the network's arrays."""
    if not resolution > 0:
        raise BadInput(
            _(
                "{parameter} must be greater than 0, got {value}",
                parameter="resolution",
                value=resolution,
            )
        )
    membership, modularity, method = partition(network, seed, resolution, weighted=weighted)
    listing = listed(network.nodes, membership)
    return CommunitiesResult(
        communities=[Community(n, listing) for n in range(1, len(listing.bounds))],
        modularity=modularity,
        seed=seed,
        resolution=resolution,
        weighted=weighted,
        method=method,
    )


def partition(
    network: ArrayNetwork, seed: int, resolution: float, *, weighted: bool
) -> tuple[np.ndarray, float, str]:
    """Each node's community number, the partition's modularity and the method that found it
    (see the module). Without links every node is a community of its own, as both methods
    would say; the method named is then the one that runs at every size, Leiden."""
    links = network.links(directed=False)
    total = float(links.weights.sum()) if weighted else float(len(links.tails))
    if total <= 0:
        return np.arange(network.count), 0.0, "leiden"
    found = leiden(network.count, links, seed, resolution, weighted=weighted)
    if len(links.tails) <= BOTH_UP_TO:
        other = louvain(network.count, links, seed, resolution, weighted=weighted)
        if other[1] > found[1]:
            return other
    return found


Found = tuple[np.ndarray, float, str]


def leiden(count: int, links: Links, seed: int, resolution: float, *, weighted: bool) -> Found:
    """Leiden's partition (modularity objective) of the simple graph `links`, seeded."""

    def run(compiled: Any, weights: list[float] | None) -> Any:
        return compiled.community_leiden(
            objective_function="modularity",
            weights=weights,
            resolution=resolution,
            n_iterations=LEIDEN_ITERATIONS,
        )

    return _seeded(count, links, seed, resolution, weighted, run, "leiden")


def louvain(count: int, links: Links, seed: int, resolution: float, *, weighted: bool) -> Found:
    """Louvain's partition (igraph's multilevel) of the simple graph `links`, seeded."""

    def run(compiled: Any, weights: list[float] | None) -> Any:
        return compiled.community_multilevel(weights=weights, resolution=resolution)

    return _seeded(count, links, seed, resolution, weighted, run, "louvain")


def _seeded(
    count: int,
    links: Links,
    seed: int,
    resolution: float,
    weighted: bool,
    run: Callable[[Any, list[float] | None], Any],
    method: str,
) -> Found:
    """`run` on the igraph graph of `links` with igraph drawing from `random.Random(seed)`;
    the membership and its modularity at `resolution`."""
    import igraph  # type: ignore[import-untyped]

    compiled = compiled_graph(count, links)
    weights = links.weights.tolist() if weighted else None
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = run(compiled, weights)
    finally:
        igraph.set_random_number_generator(random)
    modularity = compiled.modularity(found.membership, weights=weights, resolution=resolution)
    return np.asarray(found.membership, dtype=np.int64), float(modularity), method


def listed(nodes: NodeTable, membership: np.ndarray) -> Listing:
    """The communities of `membership` as a listing: members by (label, id), communities by
    size, largest first, then by first member (see the module)."""
    if nodes.count == 0:
        return Listing([], [], [], [0], [], np.zeros((0, 0), dtype=np.int64))
    everyone = np.arange(nodes.count)
    ids, labels = nodes.id_list(everyone), nodes.label_list(everyone)
    groups = _sorted_groups(membership, ids, labels)
    first = [group[0] for group in groups]
    ranked = sorted(
        range(len(groups)), key=lambda c: (-len(groups[c]), labels[first[c]], ids[first[c]])
    )
    order = [node for c in ranked for node in groups[c]]
    sizes = np.asarray([len(groups[c]) for c in ranked], dtype=np.int64)
    shown = nodes.sphere_list(everyone)
    names, codes = _sphere_codes(nodes)
    return Listing(
        ids=[ids[i] for i in order],
        labels=[labels[i] for i in order],
        spheres=[shown[i] for i in order],
        bounds=[0, *np.cumsum(sizes).tolist()],
        sphere_names=names,
        sphere_counts=_counted(
            np.repeat(np.arange(len(sizes)), sizes),
            codes[nodes.shapes[np.asarray(order, dtype=np.int64)]],
            (len(sizes), len(names)),
        ),
    )


def _sorted_groups(membership: np.ndarray, ids: list[str], labels: list[str]) -> list[list[int]]:
    """The nodes of each community (in no particular order of communities), each sorted by
    (label, id): by id, then stably by label, one community at a time (a third of the
    comparisons of one sort of every actor)."""
    _, community = np.unique(membership, return_inverse=True)
    community = community.reshape(-1)
    grouped = np.argsort(community, kind="stable").tolist()
    bounds = [0, *np.cumsum(np.bincount(community)).tolist()]
    by_id, by_label = ids.__getitem__, labels.__getitem__
    groups = []
    for start, stop in pairwise(bounds):
        group = grouped[start:stop]
        group.sort(key=by_id)
        group.sort(key=by_label)
        groups.append(group)
    return groups


def _sphere_codes(nodes: NodeTable) -> tuple[list[str], np.ndarray]:
    """The spheres shown ("none" for no sphere), sorted, and the code of each of the nodes'
    `spheres` (an index into that list)."""
    names = sorted({sphere or "none" for sphere, _every in nodes.spheres})
    code = {name: i for i, name in enumerate(names)}
    shown = [code[sphere or "none"] for sphere, _every in nodes.spheres]
    return names, np.asarray(shown, dtype=np.int64)


def _counted(communities: np.ndarray, codes: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A (community, code) table of `shape`: how many members of each community have each
    code."""
    count, width = shape
    cells = np.bincount(communities * width + codes, minlength=count * width)
    counts: np.ndarray = cells.reshape(count, width)
    return counts
