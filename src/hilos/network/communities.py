"""Which actors cluster together: Louvain communities and their modularity.

Louvain (networkx's `louvain_communities`) runs on the undirected simple graph of the projection,
unweighted unless asked (weighted: the weight of a pair is the sum of its ties' evidence scores,
1 per tie without one). Louvain is randomised: the same `seed` on the same network gives the same
partition; another seed may give another one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import BadInput
from ..errors import message as _
from .centrality import label_of, simple_graph, sphere_of
from .evidence import Node as Member


@dataclass(frozen=True)
class Community:
    """One community: its members sorted by label."""

    number: int
    members: list[Member]

    @property
    def spheres(self) -> dict[str, int]:
        """How many members of each sphere ("none" for places, markets and the like)."""
        counts = Counter(m.sphere or "none" for m in self.members)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def as_dict(self) -> dict[str, Any]:
        return {
            "community": self.number,
            "size": len(self.members),
            "spheres": self.spheres,
            "members": [m.as_dict() for m in self.members],
        }


@dataclass(frozen=True)
class CommunitiesResult:
    """The communities, largest first, and the modularity of the partition."""

    communities: list[Community]
    modularity: float
    seed: int
    resolution: float
    weighted: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "modularity": self.modularity,
            "seed": self.seed,
            "resolution": self.resolution,
            "weighted": self.weighted,
            "communities": [c.as_dict() for c in self.communities],
        }


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
    if not resolution > 0:
        raise BadInput(_("--resolution must be greater than 0, got {value}", value=resolution))
    simple = simple_graph(graph, directed=False)
    weight = "weight" if weighted else None
    total = simple.size(weight=weight)
    if total > 0:
        parts: list[set[Any]] = nx.community.louvain_communities(
            simple, weight=weight, resolution=resolution, seed=seed
        )
        modularity = float(
            nx.community.modularity(simple, parts, weight=weight, resolution=resolution)
        )
    else:
        parts = [{node} for node in simple]
        modularity = 0.0
    groups = [
        sorted(
            (Member(str(n), label_of(simple, n), sphere_of(simple, n)) for n in part),
            key=lambda m: (m.label, m.id),
        )
        for part in parts
    ]
    groups.sort(key=lambda members: (-len(members), members[0].label, members[0].id))
    return CommunitiesResult(
        communities=[Community(number, members) for number, members in enumerate(groups, 1)],
        modularity=modularity,
        seed=seed,
        resolution=resolution,
        weighted=weighted,
    )
