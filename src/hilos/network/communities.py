"""Which actors cluster together: Louvain communities and their modularity.

Louvain (igraph's `community_multilevel`, compiled: a million actors in seconds where networkx's
`louvain_communities` took minutes) runs on the undirected simple graph of the projection, its
links in a fixed order (sorted pairs of node numbers, the nodes in the projection's order),
unweighted unless asked (weighted: the weight of a pair is the sum of its ties' evidence scores,
1 per tie without one). Louvain is randomised: igraph draws from a `random.Random(seed)` given
to it for this run only, so the same `seed` on the same network gives the same partition;
another seed may give another one. The modularity is igraph's, the same formula as networkx's
`modularity` (with the resolution).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import ClassVar

import networkx as nx
import numpy as np

from ..errors import BadInput
from ..errors import message as _
from ..evidence import Record
from .arrays import ArrayNetwork, compiled_graph, from_graph
from .evidence import Node as Member


@dataclass(frozen=True)
class Community(Record):
    """One community: its members sorted by label."""

    number: int
    members: list[Member]

    json_keys: ClassVar[tuple[str, ...]] = ("number", "size", "spheres", "members")
    json_names: ClassVar[Mapping[str, str]] = {"number": "community"}

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def spheres(self) -> dict[str, int]:
        """How many members of each sphere ("none" for places, markets and the like)."""
        counts = Counter(m.sphere or "none" for m in self.members)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class CommunitiesResult(Record):
    """The communities, largest first, and the modularity of the partition."""

    communities: list[Community]
    modularity: float
    seed: int
    resolution: float
    weighted: bool

    json_keys: ClassVar[tuple[str, ...]] = (
        "modularity",
        "seed",
        "resolution",
        "weighted",
        "communities",
    )


def communities(
    graph: nx.Graph, seed: int = 0, resolution: float = 1.0, *, weighted: bool = False
) -> CommunitiesResult:
    """Louvain communities of `graph` (largest first; ties by first member) and the modularity
    of that partition at the same resolution (below 1 favours larger communities, above 1
    smaller ones). A network without links is one community per node, modularity 0.

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
    membership, modularity = louvain(network, seed, resolution, weighted=weighted)
    return CommunitiesResult(
        communities=_grouped(network, membership),
        modularity=modularity,
        seed=seed,
        resolution=resolution,
        weighted=weighted,
    )


def louvain(
    network: ArrayNetwork, seed: int, resolution: float, *, weighted: bool
) -> tuple[np.ndarray, float]:
    """Each node's community number, and the partition's modularity (see the module)."""
    import igraph  # type: ignore[import-untyped]

    links = network.links(directed=False)
    weights = links.weights if weighted else None
    total = float(links.weights.sum()) if weighted else float(len(links.tails))
    if total <= 0:
        return np.arange(network.count), 0.0
    compiled = compiled_graph(network.count, links)
    listed = None if weights is None else weights.tolist()
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = compiled.community_multilevel(weights=listed, resolution=resolution)
    finally:
        igraph.set_random_number_generator(random)
    membership = np.asarray(found.membership, dtype=np.int64)
    modularity = compiled.modularity(found.membership, weights=listed, resolution=resolution)
    return membership, float(modularity)


def _grouped(network: ArrayNetwork, membership: np.ndarray) -> list[Community]:
    """The communities as members sorted by (label, id), largest first (ties: first member)."""
    nodes = network.nodes
    everyone = np.arange(network.count)
    members = [
        Member(node_id, label, sphere)
        for node_id, label, sphere in zip(
            nodes.id_list(everyone), nodes.label_list(everyone), nodes.sphere_list(everyone),
            strict=True,
        )
    ]  # fmt: skip
    groups: dict[int, list[Member]] = {}
    for member, number in zip(members, membership.tolist(), strict=True):
        groups.setdefault(number, []).append(member)
    by_name = attrgetter("label", "id")
    ordered = [sorted(group, key=by_name) for group in groups.values()]
    ordered.sort(key=lambda group: (-len(group), group[0].label, group[0].id))
    return [Community(number, group) for number, group in enumerate(ordered, 1)]
