"""The analysed network as arrays: what degree, PageRank, communities and disruption by degree
run on at a million entities.

Building a networkx graph of a million actors (a dictionary per node and per tie) costs minutes
before any computing; these analyses need only who is tied to whom, each tie's evidence score,
and, for the rows shown, each actor's id, label and sphere. `ArrayNetwork` holds exactly that:

* `sources`, `targets`: one entry per edge of the projection (a tie between two actors, as the
  projection's graph keys it), as node numbers;
* `scores`: each edge's evidence score (1.0 where an edge has none, as `simple_graph` counts it);
* `nodes`: the actors in the projection's node order, with their ids, labels and spheres in
  columns (turned into Python strings only for the rows shown).

It is made from the saved projection (`saved.network_saved`, no graph built) or from any
networkx graph (`from_graph`); `links` gives the simple graph of `centrality.simple_graph` (one
link per pair, self-ties dropped, weight the sum of the scores) as sorted pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .centrality import rank_key


@dataclass
class NodeTable:
    """Each actor's id, label and spheres, in columns over a table of strings."""

    strings: list[str]
    ids: np.ndarray
    """Per node, an index into `strings`."""
    labels: np.ndarray
    """Per node, an index into `strings` (-1: no label; the id is shown)."""
    shapes: np.ndarray
    """Per node, an index into `spheres`."""
    spheres: list[tuple[str | None, tuple[str, ...]]]
    """Every distinct (sphere shown, every sphere of the actor) of the nodes."""
    _id_ranks: np.ndarray | None = field(default=None, repr=False)

    @property
    def count(self) -> int:
        return len(self.ids)

    def id_list(self, index: Sequence[int] | np.ndarray) -> list[str]:
        strings = self.strings
        return [strings[i] for i in self.ids[np.asarray(index, dtype=np.int64)].tolist()]

    def label_list(self, index: Sequence[int] | np.ndarray) -> list[str]:
        """Labels, or the id where a node has no (or an empty) label, as `label_of`."""
        strings, chosen = self.strings, np.asarray(index, dtype=np.int64)
        found = []
        for label, name in zip(
            self.labels[chosen].tolist(), self.ids[chosen].tolist(), strict=True
        ):
            found.append((strings[label] if label >= 0 else "") or strings[name])
        return found

    def sphere_list(self, index: Sequence[int] | np.ndarray) -> list[str | None]:
        spheres = self.spheres
        return [spheres[s][0] for s in self.shapes[np.asarray(index, dtype=np.int64)].tolist()]

    def in_sphere(self, sphere: str) -> np.ndarray:
        """Which nodes have `sphere` among their spheres."""
        having = np.asarray([sphere in every for _, every in self.spheres], dtype=np.bool_)
        mask: np.ndarray = having[self.shapes]
        return mask

    def id_ranks(self) -> np.ndarray:
        """Each node's rank when the ids are sorted as strings (computed once, when needed)."""
        if self._id_ranks is None:
            names = self.id_list(np.arange(self.count))
            order = sorted(range(len(names)), key=names.__getitem__)
            ranks = np.empty(len(names), dtype=np.int64)
            ranks[np.asarray(order, dtype=np.int64)] = np.arange(len(names))
            self._id_ranks = ranks
        return self._id_ranks


@dataclass(frozen=True)
class Links:
    """The simple graph: one link per pair (tail < head when undirected), sorted."""

    tails: np.ndarray
    heads: np.ndarray
    weights: np.ndarray


@dataclass
class ArrayNetwork:
    """The network an analysis runs on (see the module's description)."""

    nodes: NodeTable
    sources: np.ndarray
    targets: np.ndarray
    scores: np.ndarray
    directed: bool

    @property
    def count(self) -> int:
        return self.nodes.count

    def links(self, *, directed: bool | None = None) -> Links:
        """One link per pair of distinct nodes, weighted by the sum of its edges' scores."""
        directed = self.directed if directed is None else directed
        tails, heads = self.sources, self.targets
        if not directed:
            tails, heads = np.minimum(tails, heads), np.maximum(tails, heads)
        real = tails != heads
        pairs = tails[real] * np.int64(max(self.count, 1)) + heads[real]
        distinct, inverse = np.unique(pairs, return_inverse=True)
        weights = np.bincount(
            inverse.reshape(-1), weights=self.scores[real], minlength=len(distinct)
        )
        size = np.int64(max(self.count, 1))
        return Links(tails=distinct // size, heads=distinct % size, weights=weights)


def compiled_graph(count: int, links: Links) -> Any:
    """The undirected igraph graph of `count` nodes and these links (edges added from the
    arrays in one call: seven times faster than handing them to the constructor)."""
    import igraph  # type: ignore[import-untyped]

    compiled = igraph.Graph(n=count, directed=False)
    compiled.add_edges(np.column_stack([links.tails, links.heads]))
    return compiled


def from_graph(graph: nx.Graph) -> ArrayNetwork:
    """The arrays of any networkx graph of the projection (its nodes in order, each edge once,
    `score` None counted 1.0), for the stores whose projection is built as a graph."""
    names = [str(node) for node in graph]
    number = {node: i for i, node in enumerate(graph)}
    strings = list(names)
    labels = np.full(len(names), -1, dtype=np.int64)
    shape_of: dict[tuple[str | None, tuple[str, ...]], int] = {}
    shapes = np.zeros(len(names), dtype=np.int64)
    for i, (_node, data) in enumerate(graph.nodes(data=True)):
        if data.get("label"):
            labels[i] = len(strings)
            strings.append(str(data["label"]))
        shapes[i] = shape_of.setdefault(_spheres(data), len(shape_of))
    ends = [(number[u], number[v], data.get("score")) for u, v, data in graph.edges(data=True)]
    return ArrayNetwork(
        nodes=NodeTable(
            strings, np.arange(len(names), dtype=np.int64), labels, shapes, list(shape_of)
        ),
        sources=np.asarray([u for u, _, _ in ends], dtype=np.int64),
        targets=np.asarray([v for _, v, _ in ends], dtype=np.int64),
        scores=np.asarray([1.0 if s is None else float(s) for _, _, s in ends], dtype=np.float64),
        directed=graph.is_directed(),
    )


def _spheres(data: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    """The sphere shown and every sphere of a node, as `sphere_of` and `_spheres` (of
    `centrality`) read them."""
    sphere = None if data.get("sphere") is None else str(data["sphere"])
    spheres = data.get("spheres")
    if spheres:
        return sphere, tuple(str(s) for s in spheres)
    return sphere, (sphere,) if sphere is not None else ()


KeyOf = Callable[[np.ndarray], Sequence[Any]]
"""The tie-break of a ranking, for a batch of nodes (see `top_nodes`)."""


def top_nodes(
    scores: np.ndarray, among: np.ndarray, how_many: int | None, key_of: KeyOf
) -> list[int]:
    """The nodes of `among` (a mask), best first by `(rank_key(score), key_of(node))`; only the
    first `how_many` (all when None).

    Only the nodes that can be in the first `how_many` are sorted in Python: those whose score
    is at least the `how_many`-th best, less the rounding `rank_key` absorbs (10 significant
    digits), so every node tied with it after rounding is among them."""
    chosen = np.flatnonzero(among)
    if how_many is not None and how_many < len(chosen):
        kth = float(-np.partition(-scores[chosen], how_many - 1)[how_many - 1])
        slack = abs(kth) * 1e-9 + 1e-300
        chosen = chosen[scores[chosen] >= kth - slack]
    values = scores[chosen].tolist()
    keys = key_of(chosen)
    order = sorted(range(len(values)), key=lambda i: (rank_key(values[i]), keys[i]))
    picked = [int(chosen[i]) for i in order]
    return picked if how_many is None else picked[:how_many]


__all__ = ["ArrayNetwork", "Links", "NodeTable", "compiled_graph", "from_graph", "top_nodes"]
