"""A seeded layout of the network in Python, so the browser never has to compute one.

A browser running vis-network's physics freezes beyond a few thousand nodes; here each connected
component is laid out on its own and the components are packed side by side, biggest first.

- A component of up to `SPRING_LIMIT` nodes gets rustworkx's compiled Fruchterman–Reingold
  spring layout (`rustworkx.spring_layout`, seeded) from random starting positions.
- A bigger one starts from Pivot MDS (Brandes & Pich 2006: classical scaling of the hop
  distances to `PIVOTS` pivots chosen far apart, the first one drawn with the seed), which
  places the whole component in well under a second, and is then refined by a few spring
  iterations. On 5,000 nodes and 20,000 ties this takes about a second, where the spring
  layout alone from random positions takes five (see bench/html_export.py).
- Above `REFINE_LIMIT` nodes a spring iteration (quadratic in the nodes) costs more than a
  second, so the Pivot MDS layout is only untangled: the nodes with one tie, which Pivot MDS
  stacks on top of each other, are fanned out around their neighbour, and every node is moved
  by a small seeded jitter (20,000 nodes in about a second instead of forty; see
  bench/newsroom.py).

Positions come out in the units vis-network draws in (pixels at zoom 1): linked nodes end up
about `spacing` apart. The same graph and seed give the same positions.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np
import rustworkx as rx

SPRING_LIMIT = 1_000
"""Components up to this many nodes get the spring layout alone."""
PIVOTS = 50
"""Pivots of Pivot MDS for bigger components."""
REFINE_ITERATIONS = 10
"""Spring iterations run on a Pivot MDS layout."""
REFINE_LIMIT = 6_000
"""Components above this many nodes are untangled (`_untangle`) rather than refined."""

Position = tuple[float, float]


def layout(graph: nx.Graph, *, seed: int = 0, spacing: float = 130.0) -> dict[Hashable, Position]:
    """Positions of the nodes of `graph` (directions and parallel ties are ignored).

    >>> positions = layout(nx.path_graph(3), seed=1)
    >>> sorted(positions) == [0, 1, 2] and layout(nx.path_graph(3), seed=1) == positions
    True
    """
    nodes = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    compiled = rx.PyGraph(multigraph=False)
    compiled.add_nodes_from(range(len(nodes)))
    compiled.add_edges_from_no_data(
        sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges()})
    )
    components = sorted(
        (sorted(c) for c in rx.connected_components(compiled)), key=lambda c: (-len(c), c[0])
    )
    placed: list[tuple[list[int], np.ndarray]] = []
    for number, members in enumerate(components):
        sub = compiled.subgraph(members)
        unit = _component_layout(sub, seed + number)
        side = spacing * math.sqrt(len(members)) if len(members) > 1 else 0.0
        placed.append((members, unit * side))
    positions: dict[Hashable, Position] = {}
    for members, coordinates in _pack(placed, spacing):
        for i, (x, y) in zip(members, coordinates, strict=True):
            positions[nodes[i]] = (round(float(x), 1), round(float(y), 1))
    return positions


def _component_layout(graph: rx.PyGraph, seed: int) -> np.ndarray:
    """Positions of a connected graph, centred, within a square of side 1."""
    n = graph.num_nodes()
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    if n <= SPRING_LIMIT:
        found = rx.spring_layout(graph, seed=seed, num_iter=100)
    elif n > REFINE_LIMIT:
        return _untangle(graph, _unit(_pivot_mds(graph, seed)), seed)
    else:
        start = _pivot_mds(graph, seed)
        found = rx.spring_layout(
            graph,
            pos={i: (float(x), float(y)) for i, (x, y) in enumerate(_unit(start))},
            seed=seed,
            num_iter=REFINE_ITERATIONS,
            tol=1e-12,
        )
    return _unit(np.array([found[i] for i in range(n)], dtype=float))


def _unit(points: np.ndarray) -> np.ndarray:
    """Centred on 0, the larger side scaled to 1."""
    low, high = points.min(axis=0), points.max(axis=0)
    extent = float((high - low).max())
    centred = points - (low + high) / 2
    result: np.ndarray = centred / extent if extent > 0 else centred
    return result


def _untangle(graph: rx.PyGraph, points: np.ndarray, seed: int) -> np.ndarray:
    """A Pivot MDS layout (within a unit square) made readable without spring iterations:
    nodes with a single tie fanned out around their neighbour, every node jittered a little."""
    n = graph.num_nodes()
    step = 1.0 / math.sqrt(n)  # about the distance between linked nodes once scaled
    rng = np.random.default_rng(seed)
    placed = points + rng.uniform(-0.3 * step, 0.3 * step, size=points.shape)
    leaves: dict[int, list[int]] = {}
    for node in range(n):
        if graph.degree(node) == 1:
            (neighbour,) = graph.neighbors(node)
            if graph.degree(neighbour) > 1:
                leaves.setdefault(neighbour, []).append(node)
    for centre, around in sorted(leaves.items()):
        k = len(around)
        radius = step * (0.5 + 0.08 * math.sqrt(k))
        angles = rng.uniform(0, 2 * math.pi) + 2 * math.pi * np.arange(k) / k
        ring = np.column_stack((np.cos(angles), np.sin(angles))) * radius
        placed[sorted(around)] = placed[centre] + ring
    return _unit(placed)


def _pivot_mds(graph: rx.PyGraph, seed: int) -> np.ndarray:
    """Pivot MDS of a connected graph: 2-D coordinates from the hop distances to far-apart
    pivots (each next pivot is the node farthest from those chosen)."""
    n = graph.num_nodes()
    k = min(PIVOTS, n)
    distances = np.empty((n, k))
    nearest = np.full(n, np.inf)
    pivot = random.Random(seed).randrange(n)
    for j in range(k):
        column = np.empty(n)
        for hops, layer in enumerate(rx.bfs_layers(graph, [pivot])):
            column[list(layer)] = hops
        distances[:, j] = column
        nearest = np.minimum(nearest, column)
        pivot = int(np.argmax(nearest))
    squared = distances**2
    centred = -0.5 * (
        squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    )
    values, vectors = np.linalg.eigh(centred.T @ centred)
    top = np.argsort(values)[::-1][:2]
    # Eigenvectors have no sign of their own: fix one so the layout does not flip.
    chosen = vectors[:, top] * np.sign(vectors[np.abs(vectors[:, top]).argmax(axis=0), top])
    result: np.ndarray = centred @ chosen
    return result


def _pack(
    placed: Sequence[tuple[list[int], np.ndarray]], spacing: float
) -> list[tuple[list[int], np.ndarray]]:
    """Components placed in rows (biggest first), left to right, rows about as wide as the
    whole is tall, with `spacing` between them."""
    if not placed:
        return []
    sizes = [
        (coordinates.max(axis=0) - coordinates.min(axis=0)) + spacing for _, coordinates in placed
    ]
    area = sum(float(w * h) for w, h in sizes)
    width = max(math.sqrt(area) * 1.2, float(sizes[0][0]))
    packed: list[tuple[list[int], np.ndarray]] = []
    x = y = row_height = 0.0
    for (members, coordinates), (w, h) in zip(placed, sizes, strict=True):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        low = coordinates.min(axis=0)
        packed.append((members, coordinates - low + np.array([x, y]) + spacing / 2))
        x += float(w)
        row_height = max(row_height, float(h))
    everything = np.vstack([c for _, c in packed])
    middle = (everything.min(axis=0) + everything.max(axis=0)) / 2
    return [(members, coordinates - middle) for members, coordinates in packed]
