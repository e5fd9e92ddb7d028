"""Who connects the state and the criminal world: brokerage across spheres.

Two views of the same question, both over actors that have a sphere (state, criminal, community,
civil); places, markets, policies and other nodes without a sphere are never brokers, nor the
ends of a brokered pair.

- **Gould–Fernandez brokerage roles** (Gould & Fernandez 1989), on the directed simple graph:
  for every two-step path a → b → c where a → c is not itself a tie (and a ≠ c), the middle
  actor b is a *coordinator* if all three share a sphere, *itinerant* (consultant) if a and c
  share a sphere and b does not, *gatekeeper* if b and c share a sphere and a does not,
  *representative* if a and b share a sphere and c does not, and *liaison* if all three
  differ. Every role but coordinator crosses a sphere: their sum is the actor's cross-sphere
  brokerage. An undirected graph counts each link both ways (so a gatekeeper on one side of a
  path is a representative on the other).
- **Cross-sphere betweenness**, on the undirected simple graph: betweenness counted only over
  the shortest paths whose two ends are actors of different spheres, as a share of all such
  pairs (an actor on every shortest path of every cross-sphere pair but its own scores 1 less
  the share of the pairs it is an end of). Exact up to 5,000 nodes; above that, and unless
  `samples=0`, estimated from 500 sources drawn with the seed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import networkx as nx

from ..evidence import Record
from ..store import Progress
from .centrality import (
    SAMPLE_SIZE,
    SAMPLING_THRESHOLD,
    accumulate,
    check_samples,
    check_top,
    label_of,
    rank_key,
    simple_graph,
    sphere_of,
)

ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
CROSSING_ROLES = ROLES[1:]


@dataclass(frozen=True)
class Broker(Record):
    """One actor's brokerage: its cross-sphere betweenness and its roles."""

    id: str
    label: str
    sphere: str | None
    cross_sphere_betweenness: float
    roles: dict[str, int] = field(default_factory=dict)

    json_keys: ClassVar[tuple[str, ...]] = (
        "id", "label", "sphere", "score", "cross_sphere_betweenness", "roles",
        "cross_sphere_brokerage",
    )  # fmt: skip
    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "roles": lambda roles: {role: roles.get(role, 0) for role in ROLES}
    }
    """Every role is written, 0 for those the actor never plays."""

    @property
    def score(self) -> float:
        return self.cross_sphere_betweenness

    @property
    def cross_sphere_brokerage(self) -> int:
        return sum(self.roles.get(role, 0) for role in CROSSING_ROLES)


@dataclass(frozen=True)
class BrokersResult(Record):
    """The brokers, highest cross-sphere betweenness first, and what it was measured over."""

    brokers: list[Broker]
    cross_sphere_pairs: int
    sampled: int | None

    json_keys: ClassVar[tuple[str, ...]] = ("cross_sphere_pairs", "sampled", "brokers")
    json_names: ClassVar[Mapping[str, str]] = {"sampled": "sampled_sources"}


def role(a: str, b: str, c: str) -> str:
    """The Gould–Fernandez role of b on the path a → b → c, from the three spheres.

    >>> role("state", "state", "criminal"), role("criminal", "state", "criminal")
    ('representative', 'itinerant')
    """
    if a == b == c:
        return "coordinator"
    if a == c:
        return "itinerant"
    if b == c:
        return "gatekeeper"
    if a == b:
        return "representative"
    return "liaison"


def brokerage_roles(graph: nx.Graph) -> dict[Hashable, Counter[str]]:
    """How often each actor holds each Gould–Fernandez role (actors with a sphere only)."""
    directed = simple_graph(graph, directed=True)
    spheres = {node: s for node in directed if (s := sphere_of(directed, node)) is not None}
    counts: dict[Hashable, Counter[str]] = {}
    for b, sphere_b in spheres.items():
        tally: Counter[str] = Counter()
        sources = [a for a in directed.predecessors(b) if a in spheres]
        targets = [c for c in directed.successors(b) if c in spheres]
        for a in sources:
            out_of_a = directed.adj[a]
            for c in targets:
                if c != a and c not in out_of_a:
                    tally[role(spheres[a], sphere_b, spheres[c])] += 1
        counts[b] = tally
    return counts


def cross_sphere_betweenness(
    graph: nx.Graph,
    *,
    samples: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[dict[Hashable, float], int, int | None]:
    """Betweenness over the shortest paths whose ends are actors of different spheres, on the
    undirected simple graph, normalised by the number of such (unordered) pairs.

    Returns the scores, the number of cross-sphere pairs and the number of sampled sources
    (None when exact).

    >>> g = nx.Graph([("s", "x"), ("x", "c")])
    >>> nx.set_node_attributes(g, {"s": "state", "c": "criminal"}, "sphere")
    >>> scores, pairs, _ = cross_sphere_betweenness(g)
    >>> scores, pairs
    ({'s': 0.0, 'x': 1.0, 'c': 0.0}, 1)
    """
    check_samples(samples)
    undirected = simple_graph(graph, directed=False)
    group = {node: sphere_of(undirected, node) for node in undirected}
    sources = [node for node, sphere in group.items() if sphere is not None]
    sizes = Counter(sphere for sphere in group.values() if sphere is not None)
    pairs = (len(sources) ** 2 - sum(c * c for c in sizes.values())) // 2
    n = len(undirected)
    k = (SAMPLE_SIZE if n > SAMPLING_THRESHOLD else None) if samples is None else samples or None
    if k is not None and k >= len(sources):
        k = None
    chosen = sources if k is None else random.Random(seed).sample(sources, k)
    raw = accumulate(undirected, chosen, group=group, progress=progress, total=len(chosen))
    if pairs == 0:
        return dict.fromkeys(undirected, 0.0), 0, k
    # Each unordered pair is met from both of its ends; a sample stands for all the sources.
    scale = (len(sources) / len(chosen)) / (2 * pairs)
    return {node: value * scale for node, value in raw.items()}, pairs, k


def brokers(
    graph: nx.Graph,
    top: int | None = None,
    *,
    samples: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> BrokersResult:
    """The actors that broker across spheres, by cross-sphere betweenness (then cross-sphere
    brokerage, label, id). Actors with neither are left out.

    >>> g = nx.DiGraph([("mayor", "police"), ("police", "cartel")])
    >>> nx.set_node_attributes(
    ...     g, {"mayor": "state", "police": "state", "cartel": "criminal"}, "sphere")
    >>> [(b.id, round(b.score, 3), b.roles["representative"]) for b in brokers(g).brokers]
    [('police', 0.5, 1)]
    """
    check_top(top)
    roles = brokerage_roles(graph)
    scores, pairs, sampled = cross_sphere_betweenness(
        graph, samples=samples, seed=seed, progress=progress
    )
    found = [
        Broker(
            id=str(node),
            label=label_of(graph, node),
            sphere=sphere_of(graph, node),
            cross_sphere_betweenness=scores.get(node, 0.0),
            roles={r: tally.get(r, 0) for r in ROLES},
        )
        for node, tally in roles.items()
    ]
    found = [b for b in found if b.score > 0 or b.cross_sphere_brokerage > 0]
    found.sort(key=lambda b: (rank_key(b.score), -b.cross_sphere_brokerage, b.label, b.id))
    return BrokersResult(
        brokers=found[:top] if top is not None else found,
        cross_sphere_pairs=pairs,
        sampled=sampled,
    )
