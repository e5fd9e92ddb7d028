"""Who is central: degree, betweenness, closeness, eigenvector and PageRank centrality.

Every measure runs on the *simple* graph of the projection: the parallel ties between two actors
collapse into one link (self-ties are dropped). A directed projection gives a directed simple
graph, an undirected one an undirected graph.

**Weights.** Unweighted unless asked. In weighted measures the weight of a pair of actors is the
SUM of the `score` (evidence score) of the ties between them, or 1 per tie where a tie has no
`score` (as on imported datasets): two reported ties count more than one, a confirmed tie more
than an alleged one. Measures built on shortest paths (betweenness, closeness) treat a stronger
link as a SHORTER one: the length of a link is 1 / weight, and a link of weight 0 (only refuted
ties, or ties without a status) is not walked at all. Degree becomes strength (the sum of the
weights), eigenvector and PageRank follow the weights as they are.

**Scale.** Betweenness is exact up to `SAMPLING_THRESHOLD` (5,000) nodes; above it, and unless
exact is asked for (`samples=0`), it is estimated from `SAMPLE_SIZE` (500) source nodes drawn
with the given seed — the same sources and the same estimator as networkx's
`betweenness_centrality(k=K, seed=seed)`.

The helpers here (the simple graph, the Brandes accumulation, the ranking key) are shared by the
other analyses of this package.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count
from typing import Any, ClassVar

import networkx as nx

from ..errors import BadInput
from ..errors import message as _
from ..evidence import Record
from ..store import Progress
from .brandes import accumulate_levels

MEASURES = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")
SPHERE_NAMES = ("state", "criminal", "community", "civil")

SAMPLING_THRESHOLD = 5_000
"""Above this many nodes, betweenness is estimated from sampled sources unless exact is asked."""
SAMPLE_SIZE = 500
"""How many sources the automatic estimate samples."""
ARRAY_THRESHOLD = 20_000
"""From this many nodes, unweighted Brandes accumulation (sampled betweenness, brokers,
disruption) runs level by level in numpy (`brandes.py`): 500 sources on a million nodes in
minutes instead of hours."""
ENGINE_THRESHOLD = 500
"""From this many nodes, exact unweighted betweenness and closeness run in rustworkx (compiled,
parallel; 30× and 10× faster than networkx on 5,000 nodes, see bench/engines.py)."""


class NoConvergence(BadInput):
    """An iterative measure did not converge on this network."""


# ------------------------------------------------------------------------------ shared helpers


def simple_graph(graph: nx.Graph, *, directed: bool | None = None) -> nx.Graph:
    """The simple graph of `graph`: one link per pair of nodes, with `weight` the sum of its ties'
    `score` (1 per tie without one) and `distance` = 1 / weight where the weight is positive.

    Nodes keep their attributes and their order; self-ties are dropped. `directed` defaults to
    the kind of `graph`; an undirected graph made directed gets each link both ways.

    >>> g = nx.MultiDiGraph([("a", "b", {"score": 0.7}), ("b", "a", {"score": 0.4}), ("a", "b")])
    >>> simple_graph(g).edges(data="weight")
    OutEdgeDataView([('a', 'b', 1.7), ('b', 'a', 0.4)])
    >>> simple_graph(g, directed=False).edges(data="weight")
    EdgeDataView([('a', 'b', 2.1)])
    """
    directed = graph.is_directed() if directed is None else directed
    simple: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    both_ways = directed and not graph.is_directed()
    for u, v, data in _ties_in_order(graph):
        if u == v:
            continue
        score = data.get("score")
        weight = 1.0 if score is None else float(score)
        for a, b in ((u, v), (v, u)) if both_ways else ((u, v),):
            if simple.has_edge(a, b):
                simple[a][b]["weight"] += weight
            else:
                simple.add_edge(a, b, weight=weight)
    for _a, _b, data in simple.edges(data=True):
        if data["weight"] > 0:
            data["distance"] = 1.0 / data["weight"]
    return simple


def _ties_in_order(graph: nx.Graph) -> Iterator[tuple[Hashable, Hashable, dict[str, Any]]]:
    """Every tie of `graph` once, as (u, v, data), in an order set by the order of its nodes
    and the keys of its ties alone. `graph.edges()` of an undirected view of a directed graph
    iterates sets, so its order (and with it the rounding of every sum over ties, the last
    digits of a score) changed with Python's hash seed from one run to the next."""
    position = {node: i for i, node in enumerate(graph)}
    directed, multi = graph.is_directed(), graph.is_multigraph()
    for u in graph:
        here = position[u]
        for v in sorted(graph.adj[u], key=position.__getitem__):
            if not directed and position[v] < here:
                continue  # met from v already
            between = graph.adj[u][v]
            if not multi:
                yield u, v, between
                continue
            for key in sorted(between, key=str):
                yield u, v, between[key]


def label_of(graph: nx.Graph, node: Hashable) -> str:
    """A node's label, or its id when it has none (as on imported datasets)."""
    return str(graph.nodes[node].get("label") or node)


def sphere_of(graph: nx.Graph, node: Hashable) -> str | None:
    sphere = graph.nodes[node].get("sphere")
    return None if sphere is None else str(sphere)


def rank_key(score: float) -> float:
    """Sort key for "highest first": the score rounded to 10 significant digits, negated, so that
    scores equal but for floating-point noise count as tied and the tie-break decides.

    >>> rank_key(0.30000000000000004) == rank_key(0.3)
    True
    """
    return -float(f"{score:.10g}")


def check_top(top: int | None) -> None:
    if top is not None and top < 1:
        raise BadInput(_("{parameter} must be at least 1, got {value}", parameter="top", value=top))


def check_samples(samples: int | None) -> None:
    if samples is not None and (samples < 0 or samples == 1):
        raise BadInput(
            _(
                "{parameter} must be 0 (exact) or at least 2, got {value}",
                parameter="samples",
                value=samples,
            )
        )


def sample_size(n: int, samples: int | None) -> int | None:
    """How many sources to sample among `n` nodes, or None for all of them (exact).

    `samples=None` is automatic (exact up to SAMPLING_THRESHOLD nodes, else SAMPLE_SIZE),
    0 is always exact, K samples K sources (exact when K covers the network).

    >>> sample_size(100, None), sample_size(6000, None), sample_size(6000, 0), sample_size(6, 9)
    (None, 500, None, None)
    """
    check_samples(samples)
    k = (SAMPLE_SIZE if n > SAMPLING_THRESHOLD else None) if samples is None else samples or None
    return None if k is None or k >= n else k


def ticker(progress: Progress | None, total: int) -> Callable[[int], None]:
    """Calls `progress(done, total)` at most about 200 times over the work."""
    if progress is None or total <= 0:
        return lambda done: None
    every = max(1, total // 200)

    def tick(done: int) -> None:
        if done == total or done % every == 0:
            progress(done, total)

    return tick


Stage = tuple[list[Hashable], dict[Hashable, list[Hashable]], dict[Hashable, float]]
"""Brandes' single-source stage: nodes in order of distance, predecessors, path counts."""


def _shortest_paths(graph: nx.Graph, source: Hashable, weighted: bool) -> Stage:
    """Brandes' single-source stage: nodes in order of distance, predecessors, path counts."""
    if weighted:
        return _weighted_paths(graph, source)
    return _hop_paths(graph, source)


def _hop_paths(graph: nx.Graph, source: Hashable) -> Stage:
    """The stage counting hops: breadth first."""
    order: list[Hashable] = []
    preds: dict[Hashable, list[Hashable]] = {source: []}
    sigma: dict[Hashable, float] = {source: 1.0}
    adjacency = graph.adj
    dist: dict[Hashable, int] = {source: 0}
    queue = deque([source])
    while queue:
        v = queue.popleft()
        order.append(v)
        next_dist = dist[v] + 1
        sigma_v = sigma[v]
        for w in adjacency[v]:
            if w not in dist:
                dist[w] = next_dist
                queue.append(w)
                sigma[w] = 0.0
                preds[w] = []
            if dist[w] == next_dist:
                sigma[w] += sigma_v
                preds[w].append(v)
    return order, preds, sigma


def _weighted_paths(graph: nx.Graph, source: Hashable) -> Stage:
    """The stage over the links' `distance`: Dijkstra's order (a link without one is not
    walked)."""
    order: list[Hashable] = []
    preds: dict[Hashable, list[Hashable]] = {source: []}
    sigma: dict[Hashable, float] = {source: 0.0}
    adjacency = graph.adj
    done: set[Hashable] = set()
    seen: dict[Hashable, float] = {source: 0.0}
    counter = count()
    heap: list[tuple[float, int, Hashable, Hashable]] = [(0.0, next(counter), source, source)]
    while heap:
        d, _, pred, v = heappop(heap)
        if v in done:
            continue
        sigma[v] += 1.0 if v == source else sigma[pred]
        order.append(v)
        done.add(v)
        for w, data in adjacency[v].items():
            length = data.get("distance")
            if length is None:  # a link of weight 0 is not walked
                continue
            vw = d + length
            if w not in done and (w not in seen or vw < seen[w]):
                seen[w] = vw
                heappush(heap, (vw, next(counter), v, w))
                sigma[w] = 0.0
                preds[w] = [v]
            elif vw == seen[w]:
                sigma[w] += sigma[v]
                preds[w].append(v)
    return order, preds, sigma


def accumulate(
    graph: nx.Graph,
    sources: Iterable[Hashable],
    *,
    weighted: bool = False,
    group: Mapping[Hashable, str | None] | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> dict[Hashable, float]:
    """Sum of pair dependencies (Brandes 2001) over the ordered pairs (s, t), s in `sources`.

    With `group`, only pairs whose two ends have a group and different groups count (the
    cross-sphere betweenness of the brokers). Endpoints get nothing from their own pairs.
    """
    tick = ticker(progress, total)
    if not weighted and len(graph) >= ARRAY_THRESHOLD:
        return accumulate_levels(graph, sources, group=group, tick=tick)
    scores: dict[Hashable, float] = dict.fromkeys(graph, 0.0)
    for done, s in enumerate(sources, 1):
        order, preds, sigma = _shortest_paths(graph, s, weighted)
        own = None if group is None else group.get(s)
        delta = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            if group is None:
                counted = 1.0
            else:
                other = group.get(w)
                counted = 1.0 if other is not None and other != own else 0.0
            coefficient = (counted + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coefficient
            if w != s:
                scores[w] += delta[w]
        tick(done)
    return scores


def betweenness(
    graph: nx.Graph,
    *,
    weighted: bool = False,
    samples: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[dict[Hashable, float], int | None]:
    """Normalised betweenness of a simple graph, as networkx's `betweenness_centrality`, and the
    number of sampled sources (None when exact). Sources are sampled as networkx does
    (`random.Random(seed).sample(list(graph), k)`) and scaled with its estimator, in which a
    sampled source does not count its own pairs."""
    n = len(graph)
    k = sample_size(n, samples)
    if k is None and not weighted and n >= ENGINE_THRESHOLD:
        return _compiled(graph, "betweenness"), None
    nodes = list(graph)
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)
    raw = accumulate(graph, sources, weighted=weighted, progress=progress, total=len(sources))
    if n < 3:
        return raw, k
    if k is None:
        scale = 1 / ((n - 1) * (n - 2))
        return {v: b * scale for v, b in raw.items()}, k
    sampled = set(sources)
    in_sample = 1 / ((k - 1) * (n - 2))
    out_of_sample = 1 / (k * (n - 2))
    return {v: b * (in_sample if v in sampled else out_of_sample) for v, b in raw.items()}, k


# ---------------------------------------------------------------------------------- centrality


@dataclass(frozen=True)
class Ranked(Record):
    """One actor's score."""

    id: str
    label: str
    sphere: str | None
    score: float


@dataclass(frozen=True)
class CentralityResult(Record):
    """A ranking, highest first, and how it was computed."""

    measure: str
    weighted: bool
    directed: bool
    nodes: int
    sampled: int | None
    ranking: list[Ranked]

    json_names: ClassVar[Mapping[str, str]] = {"sampled": "sampled_sources"}


def centrality(
    graph: nx.Graph,
    measure: str = "degree",
    *,
    top: int | None = None,
    sphere: str | None = None,
    weighted: bool = False,
    samples: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> CentralityResult:
    """Rank the nodes of `graph` by a centrality measure, highest first (ties: label, then id).

    - degree: networkx's `degree_centrality` (links, in + out on a directed graph, over n - 1);
      weighted, the strength (sum of link weights) over n - 1.
    - betweenness: networkx's normalised `betweenness_centrality`; exact up to 5,000 nodes, above
      that estimated from 500 sources sampled with `seed` unless `samples` says otherwise
      (`samples=K`: K sources; `samples=0`: always exact). Weighted: length 1 / weight.
    - closeness: networkx's `closeness_centrality` (Wasserman–Faust for disconnected graphs; on
      a directed graph, the distance *to* the node). Weighted: length 1 / weight.
    - eigenvector: networkx's `eigenvector_centrality` (pure-Python power iteration, at most
      1,000 iterations; on a directed graph it follows incoming ties).
    - pagerank: PageRank with damping 0.85, dangling nodes spread uniformly (networkx's
      definition), iterated to 1e-12 per node.

    `sphere` keeps only the actors of that sphere in the result (the measure is still computed
    on the whole graph); `top` keeps the first N.

    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> [(r.id, r.score) for r in centrality(g, "betweenness").ranking]
    [('b', 1.0), ('a', 0.0), ('c', 0.0)]
    """
    if measure not in MEASURES:
        raise BadInput(
            _("unknown measure '{name}' (one of: {known})", name=measure, known=", ".join(MEASURES))
        )
    check_top(top)
    check_samples(samples)
    if sphere is not None and sphere not in SPHERE_NAMES:
        raise BadInput(
            _(
                "unknown sphere '{sphere}' (one of: {known})",
                sphere=sphere,
                known=", ".join(SPHERE_NAMES),
            )
        )
    scores: dict[Hashable, float]
    sampled: int | None = None
    simple: nx.Graph
    if measure == "degree" and not weighted:
        # Distinct neighbours, read straight from the ties: no simple graph to build.
        simple, scores = graph, _linked(graph)
    elif len(simple := simple_graph(graph)) == 0:
        scores = {}
    elif measure == "degree":
        scores = _degree(simple, weighted)
    elif measure == "betweenness":
        scores, sampled = betweenness(
            simple, weighted=weighted, samples=samples, seed=seed, progress=progress
        )
    elif measure == "closeness":
        scores = _closeness(simple, weighted, progress)
    elif measure == "eigenvector":
        scores = _eigenvector(simple, weighted)
    else:
        scores = pagerank(simple, weighted=weighted)
    ranking = [
        Ranked(id=str(node), label=label_of(simple, node), sphere=sphere_of(simple, node), score=s)
        for node, s in scores.items()
        if sphere is None or sphere in _spheres(simple, node)
    ]
    ranking.sort(key=lambda r: (rank_key(r.score), r.label, r.id))
    return CentralityResult(
        measure=measure,
        weighted=weighted,
        directed=simple.is_directed(),
        nodes=len(simple),
        sampled=sampled,
        ranking=ranking[:top] if top is not None else ranking,
    )


def _spheres(graph: nx.Graph, node: Hashable) -> Sequence[str]:
    """Every sphere of an actor (an actor drifting between spheres has several)."""
    data = graph.nodes[node]
    spheres = data.get("spheres")
    if spheres:
        return tuple(str(s) for s in spheres)
    return (str(data["sphere"]),) if data.get("sphere") is not None else ()


def _linked(graph: nx.Graph) -> dict[Hashable, float]:
    """Degree centrality of the simple graph of `graph` (links to distinct other nodes, in and
    out counted apart on a directed graph, over n - 1), without building it."""
    n = len(graph)
    if n <= 1:
        return dict.fromkeys(graph, 1.0 if n == 1 else 0.0)
    scale = 1.0 / (n - 1)
    # A node's neighbours are the keys of its adjacency dict (parallel ties share one key), so
    # the count is their number less the node itself when it has a loop: no set per node.
    if graph.is_directed():
        succ, pred = graph._succ, graph._pred
        return {
            node: (
                len(out := succ[node]) - (node in out) + len(into := pred[node]) - (node in into)
            )
            * scale
            for node in graph
        }
    adj = graph._adj
    return {node: (len(nbrs := adj[node]) - (node in nbrs)) * scale for node in graph}


def _degree(graph: nx.Graph, weighted: bool) -> dict[Hashable, float]:
    n = len(graph)
    if n <= 1:
        return dict.fromkeys(graph, 1.0 if n == 1 else 0.0)
    scale = 1.0 / (n - 1)
    degrees = graph.degree(weight="weight" if weighted else None)
    return {node: float(d) * scale for node, d in degrees}


def _compiled(graph: nx.Graph, measure: str) -> dict[Hashable, float]:
    """Exact unweighted betweenness or closeness computed by rustworkx, with networkx's
    normalisation (closeness: incoming distances, Wasserman–Faust improved)."""
    import rustworkx as rx

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    compiled: rx.PyGraph | rx.PyDiGraph = rx.PyDiGraph() if graph.is_directed() else rx.PyGraph()
    compiled.add_nodes_from(nodes)
    compiled.add_edges_from_no_data([(index[u], index[v]) for u, v in graph.edges()])
    if measure == "betweenness":
        scores = rx.betweenness_centrality(compiled, normalized=True)
    else:
        scores = rx.closeness_centrality(compiled, wf_improved=True)
    return {nodes[i]: float(scores[i]) for i in range(len(nodes))}


def _closeness(graph: nx.Graph, weighted: bool, progress: Progress | None) -> dict[Hashable, float]:
    if not weighted and len(graph) >= ENGINE_THRESHOLD:
        return _compiled(graph, "closeness")
    # Incoming distance on a directed graph, as networkx: walk the reversed graph.
    walk = graph.reverse(copy=False) if graph.is_directed() else graph
    n = len(graph)
    tick = ticker(progress, n)
    scores: dict[Hashable, float] = {}
    for done, node in enumerate(walk, 1):
        if weighted:
            lengths: Mapping[Hashable, float] = nx.single_source_dijkstra_path_length(
                walk, node, weight=lambda u, v, d: d.get("distance")
            )
        else:
            lengths = nx.single_source_shortest_path_length(walk, node)
        total = sum(lengths.values())
        reached = len(lengths) - 1
        scores[node] = (reached / total) * (reached / (n - 1)) if total > 0 and n > 1 else 0.0
        tick(done)
    return scores


def _eigenvector(graph: nx.Graph, weighted: bool) -> dict[Hashable, float]:
    try:
        result: dict[Hashable, float] = nx.eigenvector_centrality(
            graph, max_iter=1000, weight="weight" if weighted else None
        )
    except nx.PowerIterationFailedConvergence:
        raise NoConvergence(
            "eigenvector centrality did not converge in 1000 iterations on this network; "
            "try the pagerank measure"
        ) from None
    return result


def pagerank(
    graph: nx.Graph,
    *,
    weighted: bool = False,
    alpha: float = 0.85,
    tol: float = 1e-12,
    max_iter: int = 1000,
) -> dict[Hashable, float]:
    """PageRank by power iteration, in pure Python (networkx's own `pagerank` needs numpy and
    scipy): damping `alpha`, uniform teleport, dangling nodes spread uniformly; stops when the
    total change is below `tol` per node. An undirected link counts both ways.

    >>> ranks = pagerank(nx.DiGraph([("a", "b"), ("b", "a")]))
    >>> round(ranks["a"], 6), round(ranks["b"], 6)
    (0.5, 0.5)
    """
    n = len(graph)
    if n == 0:
        return {}
    adjacency = graph.adj
    out: dict[Hashable, list[tuple[Hashable, float]]] = {}
    for u, neighbours in adjacency.items():
        links = [(v, float(d["weight"]) if weighted else 1.0) for v, d in neighbours.items()]
        strength = sum(w for _, w in links)
        out[u] = [(v, w / strength) for v, w in links] if strength > 0 else []
    dangling = [u for u, links in out.items() if not links]
    x = dict.fromkeys(graph, 1.0 / n)
    for _round in range(max_iter):
        last = x
        x = dict.fromkeys(last, 0.0)
        for u, links in out.items():
            share = alpha * last[u]
            for v, w in links:
                x[v] += share * w
        spread = (alpha * sum(last[u] for u in dangling) + 1.0 - alpha) / n
        for v in x:
            x[v] += spread
        if sum(abs(x[v] - last[v]) for v in x) < n * tol:
            return x
    raise NoConvergence(f"PageRank did not converge in {max_iter} iterations on this network")
