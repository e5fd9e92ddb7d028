"""Brandes' accumulation of pair dependencies on large unweighted graphs, level by level in
numpy arrays instead of node by node in Python dictionaries.

The same sums as `centrality.accumulate` (the same shortest paths, the same dependencies, the
same treatment of groups and of the sources' own pairs), added up in another order, so results
agree to rounding. A breadth-first level is expanded with a handful of array operations over all
its ties at once, which makes one source on a million nodes take tens of milliseconds, not
seconds: 500 sampled sources, the default above 5,000 nodes, in well under a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping

import networkx as nx
import numpy as np


def compressed(graph: nx.Graph) -> tuple[list[Hashable], np.ndarray, np.ndarray]:
    """The nodes of `graph`, and its adjacency (successors if directed) in compressed sparse
    row form: the neighbours of node i are `indices[indptr[i]:indptr[i + 1]]`."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = graph.succ if graph.is_directed() else graph.adj
    counts = np.fromiter((len(adjacency[node]) for node in nodes), np.int64, len(nodes))
    indptr = np.zeros(len(nodes) + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.fromiter(
        (index[other] for node in nodes for other in adjacency[node]), np.int64, int(indptr[-1])
    )
    return nodes, indptr, indices


def accumulate_levels(
    graph: nx.Graph,
    sources: Iterable[Hashable],
    *,
    group: Mapping[Hashable, str | None] | None = None,
    tick: Callable[[int], None] = lambda done: None,
) -> dict[Hashable, float]:
    """Sum of pair dependencies over the ordered pairs (s, t), s in `sources`, on an unweighted
    graph (with `group`: only pairs whose ends are in different groups count)."""
    nodes, indptr, indices = compressed(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    codes = np.full(n, -1, np.int64)
    if group is not None:
        names: dict[str, int] = {}
        for node, name in group.items():
            if name is not None and node in index:
                codes[index[node]] = names.setdefault(name, len(names))
    scores = np.zeros(n)
    dist = np.full(n, -1, np.int64)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    for done, source in enumerate(sources, 1):
        s = index[source]
        dist[s], sigma[s] = 0, 1.0
        frontier = np.array([s], np.int64)
        reached = [frontier]
        steps: list[tuple[np.ndarray, np.ndarray]] = []
        level = 0
        while frontier.size:
            starts = indptr[frontier]
            counts = indptr[frontier + 1] - starts
            total = int(counts.sum())
            if total == 0:
                break
            # positions of every tie leaving the frontier, and its two ends
            first = np.cumsum(counts) - counts
            at = np.arange(total, dtype=np.int64) - np.repeat(first - starts, counts)
            w = indices[at]
            v = np.repeat(frontier, counts)
            fresh = np.unique(w[dist[w] < 0])
            dist[fresh] = level + 1
            on_path = dist[w] == level + 1
            v, w = v[on_path], w[on_path]
            np.add.at(sigma, w, sigma[v])
            steps.append((v, w))
            reached.append(fresh)
            frontier = fresh
            level += 1
        if group is None:
            counted = None
        else:
            own = codes[s]
            counted = ((codes >= 0) & (codes != own)).astype(float)
        for v, w in reversed(steps):
            weight = (1.0 if counted is None else counted[w]) + delta[w]
            np.add.at(delta, v, sigma[v] / sigma[w] * weight)
        delta[s] = 0.0
        visited = np.concatenate(reached)
        scores[visited] += delta[visited]
        dist[visited], sigma[visited], delta[visited] = -1, 0.0, 0.0
        tick(done)
    return {node: float(scores[i]) for i, node in enumerate(nodes)}
