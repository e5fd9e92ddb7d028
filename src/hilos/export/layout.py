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

Up to `COMMUNITY_LIMIT` nodes the layout also reads:

- **Communities apart.** Louvain communities (seeded) start grouped around the centres of a
  spring layout of the graph of communities, and the spring layout then pulls ties inside a
  community ten times as hard as ties between communities, so groups stay visibly apart.
- **Room for labels.** Given each node's footprint (its shape and the label below it, as the
  page draws them), overlapping footprints are pushed apart (`make_room`), so that at the
  zoom the page opens with most labels fit; the page hides the rest until zoomed in.
- **A path left to right.** Given a `line` of nodes (the best evidence path), they are pinned
  left to right on one horizontal line and the rest of their component is laid out around them.

Context nodes that join the page as a layer (places, markets… shown on request) are placed
afterwards around the actors they are tied to (`place_around`), leaving the actors where they
are.

Positions come out in the units vis-network draws in (pixels at zoom 1): linked nodes end up
about `spacing` apart. The same graph and seed give the same positions.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import chain

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
COMMUNITY_LIMIT = 3_000
"""Up to this many nodes, communities are found and kept apart, and labels given room."""
ROOM_LIMIT = 1_500
"""Components up to this many nodes have their footprints pushed apart (quadratic)."""
INSIDE, BETWEEN = 1.0, 0.1
"""How hard a tie pulls inside a community and between two."""

Position = tuple[float, float]
Footprint = tuple[float, float, float, float]
"""A node's box around its position: left, top, right, bottom (pixels at zoom 1; top < 0)."""


def layout(
    graph: nx.Graph,
    *,
    seed: int = 0,
    spacing: float = 130.0,
    footprints: Mapping[Hashable, Footprint] | None = None,
    line: Sequence[Hashable] | None = None,
) -> dict[Hashable, Position]:
    """Positions of the nodes of `graph` (directions and parallel ties are ignored).

    `footprints` gives each node's box (its shape and label) to keep apart; `line` a sequence
    of nodes to pin left to right.

    >>> positions = layout(nx.path_graph(3), seed=1)
    >>> sorted(positions) == [0, 1, 2] and layout(nx.path_graph(3), seed=1) == positions
    True
    """
    return layout_ties(
        graph.nodes, graph.edges(), seed=seed, spacing=spacing, footprints=footprints, line=line
    )


def layout_ties(
    nodes: Iterable[Hashable],
    ties: Iterable[tuple[Hashable, Hashable]],
    *,
    seed: int = 0,
    spacing: float = 130.0,
    footprints: Mapping[Hashable, Footprint] | None = None,
    boxes: np.ndarray | None = None,
    line: Sequence[Hashable] | None = None,
) -> dict[Hashable, Position]:
    """`layout` of the network of these nodes and ties (pairs of nodes), without building a
    graph first: the positions are the same as `layout` gives for that graph.

    `boxes` (an array of footprints, one row per node in the order of `nodes`) may stand for
    `footprints`, so that a large network's boxes are computed as columns.

    >>> layout_ties([0, 1, 2], [(0, 1), (2, 1)], seed=1) == layout(nx.path_graph(3), seed=1)
    True
    """
    given = list(nodes)
    names = [str(n) for n in given]
    order = sorted(range(len(given)), key=names.__getitem__)
    nodes = [given[i] for i in order]
    index = {node: i for i, node in enumerate(nodes)}
    compiled = rx.PyGraph(multigraph=False)
    compiled.add_nodes_from(range(len(nodes)))
    compiled.add_edges_from_no_data(_distinct_pairs(index, ties))
    components = sorted(
        (sorted(c) for c in rx.connected_components(compiled)), key=lambda c: (-len(c), c[0])
    )
    community = _communities(compiled, seed) if len(nodes) <= COMMUNITY_LIMIT else None
    pinned = [index[n] for n in (line or ()) if n in index]
    if boxes is not None:
        boxes = np.asarray(boxes, dtype=float)[order] if len(order) else None
    elif footprints is not None:
        boxes = np.array([footprints.get(n, _NO_BOX) for n in nodes], dtype=float)
    placed: list[tuple[list[int], np.ndarray]] = []
    for number, members in enumerate(components):
        sub = compiled.subgraph(members)
        on_line = [members.index(i) for i in pinned if i in members] if pinned else []
        if community is not None and 2 < len(members) <= SPRING_LIMIT:
            unit = _grouped_layout(sub, [community[m] for m in members], seed + number, on_line)
        else:
            unit = _component_layout(sub, seed + number)
        side = spacing * math.sqrt(len(members)) if len(members) > 1 else 0.0
        if len(on_line) > 1:
            side = max(side, spacing * 1.5 * (len(on_line) - 1))
        coordinates = unit * side
        if boxes is not None and 1 < len(members) <= ROOM_LIMIT:
            coordinates = make_room(coordinates, boxes[members], fixed=on_line)
        placed.append((members, coordinates))
    positions: dict[Hashable, Position] = {}
    for members, coordinates in _pack(placed, spacing, boxes):
        xs, ys = coordinates[:, 0].tolist(), coordinates[:, 1].tolist()
        for i, x, y in zip(members, xs, ys, strict=True):
            positions[nodes[i]] = (round(x, 1), round(y, 1))
    return positions


def _distinct_pairs(
    index: Mapping[Hashable, int], ties: Iterable[tuple[Hashable, Hashable]]
) -> list[tuple[int, int]]:
    """The ties as pairs of node indexes (lower first), sorted, each pair once, without
    loops."""
    ends = np.array([(index[u], index[v]) for u, v in ties], dtype=np.int64).reshape(-1, 2)
    low, high = ends.min(axis=1), ends.max(axis=1)
    keys = np.unique(low * len(index) + high)
    low, high = keys // max(len(index), 1), keys % max(len(index), 1)
    distinct = low != high
    return list(zip(low[distinct].tolist(), high[distinct].tolist(), strict=True))


_NO_BOX: Footprint = (-10.0, -10.0, 10.0, 10.0)


def _communities(graph: rx.PyGraph, seed: int) -> list[int]:
    """The Louvain community of each node (seeded)."""
    simple = nx.Graph()
    simple.add_nodes_from(range(graph.num_nodes()))
    simple.add_edges_from(graph.edge_list())
    found = nx.community.louvain_communities(simple, seed=seed)
    label = [0] * graph.num_nodes()
    for number, members in enumerate(sorted(found, key=lambda c: (-len(c), min(c)))):
        for node in members:
            label[node] = number
    return label


def _grouped_layout(
    graph: rx.PyGraph, community: list[int], seed: int, line: list[int]
) -> np.ndarray:
    """A connected graph laid out with its communities apart (and `line` pinned left to
    right), centred, within a square of side 1."""
    n = graph.num_nodes()
    groups = sorted(set(community))
    rng = np.random.default_rng(seed)
    # The communities' centres: a spring layout of the graph of communities.
    quotient = rx.PyGraph(multigraph=False)
    quotient.add_nodes_from(groups)
    where = {g: i for i, g in enumerate(groups)}
    between: dict[tuple[int, int], int] = {}
    for u, v in graph.edge_list():
        a, b = where[community[u]], where[community[v]]
        if a != b:
            key = (min(a, b), max(a, b))
            between[key] = between.get(key, 0) + 1
    quotient.add_edges_from([(a, b, float(w)) for (a, b), w in sorted(between.items())])
    if len(groups) > 2:
        found = rx.spring_layout(quotient, seed=seed, num_iter=200, weight_fn=float)
        centres = np.array([found[i] for i in range(len(groups))], dtype=float)
    else:
        centres = np.array([[-0.5, 0.0], [0.5, 0.0]][: len(groups)], dtype=float)
    sizes = np.bincount([where[c] for c in community], minlength=len(groups))
    start = np.empty((n, 2))
    for node in range(n):
        g = where[community[node]]
        spread = 0.35 * math.sqrt(sizes[g] / n)
        start[node] = centres[g] + rng.uniform(-spread, spread, size=2)
    weighted = rx.PyGraph(multigraph=False)
    weighted.add_nodes_from(range(n))
    weighted.add_edges_from(
        [(u, v, INSIDE if community[u] == community[v] else BETWEEN) for u, v in graph.edge_list()]
    )
    fixed: set[int] | None = None
    if len(line) > 1:
        start = _unit(start)
        for k, node in enumerate(line):
            start[node] = (-0.6 + 1.2 * k / (len(line) - 1), 0.0)
        fixed = set(line)
    found = rx.spring_layout(
        weighted,
        pos={i: (float(x), float(y)) for i, (x, y) in enumerate(start)},
        fixed=fixed,
        seed=seed,
        num_iter=150,
        weight_fn=float,
    )
    return _unit(np.array([found[i] for i in range(n)], dtype=float))


def make_room(
    points: np.ndarray,
    boxes: np.ndarray,
    *,
    gap: float = 6.0,
    rounds: int = 80,
    fixed: Sequence[int] = (),
) -> np.ndarray:
    """Points moved apart until no two boxes (left, top, right, bottom around each point)
    overlap, or `rounds` rounds have passed: each overlapping pair is pushed apart along the
    axis where they overlap least, half each (all of it on the other when one is `fixed`).

    >>> moved = make_room(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[-10.0, -5, 10, 5]] * 2))
    >>> apart = abs(moved[1] - moved[0])
    >>> bool(apart[0] >= 20 or apart[1] >= 10)
    True
    """
    placed = np.array(points, dtype=float)
    n = len(placed)
    if n < 2:
        return placed
    half_w = (boxes[:, 2] - boxes[:, 0]) / 2 + gap / 2
    half_h = (boxes[:, 3] - boxes[:, 1]) / 2 + gap / 2
    offset = np.column_stack(((boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2))
    mobile = np.ones(n)
    mobile[list(fixed)] = 0.0
    need_x = half_w[:, None] + half_w[None, :]
    need_y = half_h[:, None] + half_h[None, :]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    tiebreak = np.random.default_rng(0).uniform(-1e-3, 1e-3, size=(n, n))
    for _ in range(rounds):
        centre = placed + offset
        dx = centre[None, :, 0] - centre[:, None, 0] + tiebreak
        dy = centre[None, :, 1] - centre[:, None, 1] + tiebreak.T
        over_x = need_x - np.abs(dx)
        over_y = need_y - np.abs(dy)
        clash = (over_x > 0) & (over_y > 0) & upper
        if not clash.any():
            break
        i, j = np.nonzero(clash)
        along_x = over_x[i, j] <= over_y[i, j]
        push = np.where(along_x, over_x[i, j], over_y[i, j])
        sign = np.where(along_x, np.sign(dx[i, j]), np.sign(dy[i, j]))
        share_i = mobile[i] / np.maximum(mobile[i] + mobile[j], 1e-9)
        share_j = mobile[j] / np.maximum(mobile[i] + mobile[j], 1e-9)
        move = np.zeros_like(placed)
        axis = np.where(along_x, 0, 1)
        np.add.at(move, (i, axis), -sign * (push + 0.5) * share_i)
        np.add.at(move, (j, axis), sign * (push + 0.5) * share_j)
        placed += move
    return placed


def place_around(
    neighbours: Mapping[Hashable, Iterable[Hashable]] | nx.Graph,
    positions: Mapping[Hashable, Position],
    newcomers: Sequence[Hashable],
    *,
    seed: int = 0,
    spacing: float = 130.0,
) -> dict[Hashable, Position]:
    """Positions for `newcomers` (context nodes) around the placed nodes they are tied to,
    leaving those where they are: each at the middle of its placed `neighbours` (a mapping
    from a node to those it is tied to, or a graph), moved out by about `spacing` in a seeded
    direction.

    >>> g = nx.Graph([("a", "p")])
    >>> x, y = place_around(g, {"a": (0.0, 0.0)}, ["p"], seed=1)["p"]
    >>> 60 < math.hypot(x, y) < 200
    True
    """
    rng = random.Random(seed)
    found: dict[Hashable, Position] = {}
    taken = list(positions.values())
    centre = (
        (sum(x for x, _ in taken) / len(taken), sum(y for _, y in taken) / len(taken))
        if taken
        else (0.0, 0.0)
    )
    for node in sorted(newcomers, key=str):
        around = (
            [positions[m] for m in neighbours[node] if m in positions] if node in neighbours else []
        )
        if around:
            x = sum(p[0] for p in around) / len(around)
            y = sum(p[1] for p in around) / len(around)
        else:
            x, y = centre
        angle = rng.uniform(0, 2 * math.pi)
        distance = spacing * (0.6 + 0.5 * rng.random())
        found[node] = (
            round(x + distance * math.cos(angle), 1),
            round(y + distance * math.sin(angle), 1),
        )
    return found


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
    nodes with a single tie fanned out around their neighbour, every node jittered a little.

    (Computed as columns: the leaves and their centres from the list of ties, each centre's
    seeded turn drawn in the centres' order, as one draw per centre would.)"""
    n = graph.num_nodes()
    step = 1.0 / math.sqrt(n)  # about the distance between linked nodes once scaled
    rng = np.random.default_rng(seed)
    placed = points + rng.uniform(-0.3 * step, 0.3 * step, size=points.shape)
    ends = np.array(graph.edge_list(), dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(ends.ravel(), minlength=n)
    leaf_first = (degree[ends[:, 0]] == 1) & (degree[ends[:, 1]] > 1)
    leaf_second = (degree[ends[:, 1]] == 1) & (degree[ends[:, 0]] > 1)
    leaves = np.concatenate((ends[leaf_first, 0], ends[leaf_second, 1]))
    centres = np.concatenate((ends[leaf_first, 1], ends[leaf_second, 0]))
    if not len(leaves):
        return _unit(placed)
    by_centre = np.lexsort((leaves, centres))  # each centre's leaves in order
    leaves, centres = leaves[by_centre], centres[by_centre]
    distinct, first, count = np.unique(centres, return_index=True, return_counts=True)
    group = np.repeat(np.arange(len(distinct)), count)
    k = count[group]
    turn = rng.uniform(0, 2 * math.pi, size=len(distinct))[group]
    angles = turn + 2 * math.pi * (np.arange(len(leaves)) - first[group]).astype(float) / k
    radius = step * (0.5 + 0.08 * np.sqrt(k))
    ring = np.column_stack((np.cos(angles), np.sin(angles))) * radius[:, None]
    placed[leaves] = placed[centres] + ring
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
        layers = rx.bfs_layers(graph, [pivot])
        sizes = [len(layer) for layer in layers]
        reached = np.fromiter(chain.from_iterable(layers), dtype=np.int64, count=sum(sizes))
        column = np.empty(n)
        column[reached] = np.repeat(np.arange(len(sizes), dtype=float), sizes)
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
    placed: Sequence[tuple[list[int], np.ndarray]],
    spacing: float,
    boxes: np.ndarray | None = None,
) -> list[tuple[list[int], np.ndarray]]:
    """Components placed in rows (biggest first), left to right, rows about as wide as the
    whole is tall, with `spacing` between them (and between their nodes' boxes)."""
    if not placed:
        return []
    extents = []
    for members, coordinates in placed:
        if boxes is None:
            low, high = coordinates.min(axis=0), coordinates.max(axis=0)
        else:
            low = (coordinates + boxes[members][:, :2]).min(axis=0)
            high = (coordinates + boxes[members][:, 2:]).max(axis=0)
        extents.append((low, high))
    sizes = [(high - low) + spacing for low, high in extents]
    area = sum(float(w * h) for w, h in sizes)
    width = max(math.sqrt(area) * 1.2, float(sizes[0][0]))
    packed: list[tuple[list[int], np.ndarray]] = []
    x = y = row_height = 0.0
    for (members, coordinates), (w, h), (low, _) in zip(placed, sizes, extents, strict=True):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        packed.append((members, coordinates - low + np.array([x, y]) + spacing / 2))
        x += float(w)
        row_height = max(row_height, float(h))
    everything = np.vstack([c for _, c in packed])
    middle = (everything.min(axis=0) + everything.max(axis=0)) / 2
    return [(members, coordinates - middle) for members, coordinates in packed]
