"""Brokers computed in compiled code and set operations give the answers of the pure-Python
computation they replaced: Brandes' accumulation with groups for the cross-sphere betweenness
and the path-by-path count of the Gould–Fernandez roles, both kept here as the reference, on
seeded random networks with spheres (directed and undirected, with self-ties, parallel ties and
actors without a sphere), exact and sampled with the same seed."""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import pytest

from hilos.network import brokers as brokers_module
from hilos.network.brokers import (
    ROLES,
    brokerage_roles,
    brokers,
    cross_sphere_betweenness,
    role,
)

SPHERES = ("state", "criminal", "community", "civil", None)

# ------------------------------------------------------------------------- the old computation


def reference_simple(graph: nx.Graph, *, directed: bool) -> nx.Graph:
    """One link per pair of nodes, no self-ties, nodes in the graph's order; made directed, an
    undirected link goes both ways."""
    simple: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    both_ways = directed and not graph.is_directed()
    for u, v in graph.edges():
        if u != v:
            simple.add_edge(u, v)
            if both_ways:
                simple.add_edge(v, u)
    return simple


def reference_roles(graph: nx.Graph) -> dict[Hashable, Counter[str]]:
    """The roles counted one two-step path a → b → c at a time (the code before the change)."""
    directed = reference_simple(graph, directed=True)
    spheres = {n: s for n, s in directed.nodes(data="sphere") if s is not None}
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


def reference_accumulate(
    graph: nx.Graph, sources: Iterable[Hashable], group: Mapping[Hashable, str | None]
) -> dict[Hashable, float]:
    """Brandes' pair dependencies over the ordered pairs (s, t) of different groups, breadth
    first, node by node (centrality.accumulate as brokers called it before the change)."""
    scores = dict.fromkeys(graph, 0.0)
    for s in sources:
        order: list[Hashable] = []
        preds: dict[Hashable, list[Hashable]] = {s: []}
        sigma = {s: 1.0}
        dist = {s: 0}
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            for w in graph.adj[v]:
                if w not in dist:
                    dist[w], sigma[w], preds[w] = dist[v] + 1, 0.0, []
                    queue.append(w)
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        own = group.get(s)
        delta = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            other = group.get(w)
            counted = 1.0 if other is not None and other != own else 0.0
            for v in preds[w]:
                delta[v] += sigma[v] * (counted + delta[w]) / sigma[w]
            if w != s:
                scores[w] += delta[w]
    return scores


def reference_betweenness(
    graph: nx.Graph, *, samples: int | None, seed: int, threshold: int, size: int
) -> tuple[dict[Hashable, float], int, int | None]:
    """Cross-sphere betweenness as computed before the change."""
    undirected = reference_simple(graph, directed=False)
    group = {node: sphere for node, sphere in undirected.nodes(data="sphere")}
    sources = [node for node, sphere in group.items() if sphere is not None]
    sizes = Counter(sphere for sphere in group.values() if sphere is not None)
    pairs = (len(sources) ** 2 - sum(c * c for c in sizes.values())) // 2
    k = (size if len(undirected) > threshold else None) if samples is None else samples or None
    if k is not None and k >= len(sources):
        k = None
    chosen = sources if k is None else random.Random(seed).sample(sources, k)
    raw = reference_accumulate(undirected, chosen, group)
    if pairs == 0:
        return dict.fromkeys(undirected, 0.0), 0, k
    scale = (len(sources) / len(chosen)) / (2 * pairs)
    return {node: value * scale for node, value in raw.items()}, pairs, k


# ------------------------------------------------------------------------------ random networks


def random_network(seed: int, *, nodes: int, ties: int, directed: bool) -> nx.Graph:
    """Actors of random spheres (some without one, as places), ties drawn mostly inside small
    neighbourhoods (so there are closed triads and ties both ways), with self-ties and repeated
    ties, in a multigraph as the projection gives it."""
    rng = random.Random(seed)
    graph: nx.MultiGraph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for i in range(nodes):
        graph.add_node(f"n{i}", sphere=rng.choice(SPHERES), label=f"actor {i % 7}")
    for t in range(ties):
        a = rng.randrange(nodes)
        b = a if rng.random() < 0.03 else (a + rng.randint(-6, 6)) % nodes
        if rng.random() < 0.2:
            b = rng.randrange(nodes)
        graph.add_edge(f"n{a}", f"n{b}", key=f"tie{t}")
        if rng.random() < 0.1:
            graph.add_edge(f"n{a}", f"n{b}", key=f"again{t}")  # a second claim, same pair
    return graph


NETWORKS = [
    pytest.param(seed, nodes, ties, kind, id=f"{kind}-{nodes}-{seed}")
    for seed, nodes, ties in ((1, 40, 90), (2, 120, 300), (3, 300, 600), (4, 60, 400))
    for kind in ("directed", "undirected", "undirected view")
]


def network(seed: int, nodes: int, ties: int, kind: str) -> nx.Graph:
    graph = random_network(seed, nodes=nodes, ties=ties, directed=kind != "undirected")
    # an undirected view of a directed graph, as analyses get the projection by default
    return graph.to_undirected(as_view=True) if kind == "undirected view" else graph


def assert_same_scores(found: Mapping[Hashable, float], expected: Mapping[Hashable, float]) -> None:
    assert list(found) == list(expected)
    assert found == pytest.approx(expected, rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------------------------- the tests


@pytest.mark.parametrize(("seed", "nodes", "ties", "kind"), NETWORKS)
def test_roles_are_those_counted_path_by_path(seed: int, nodes: int, ties: int, kind: str) -> None:
    graph = network(seed, nodes, ties, kind)
    expected = reference_roles(graph)
    found = brokerage_roles(graph)
    assert list(found) == list(expected)
    assert {b: dict(+tally) for b, tally in found.items()} == {
        b: dict(+tally) for b, tally in expected.items()
    }
    # the test sees every role and closed triads, or it would prove little
    assert {r for tally in expected.values() for r in tally} == set(ROLES)


@pytest.mark.parametrize(("seed", "nodes", "ties", "kind"), NETWORKS)
def test_exact_betweenness_is_brandes_accumulation(
    seed: int, nodes: int, ties: int, kind: str
) -> None:
    graph = network(seed, nodes, ties, kind)
    scores, pairs, sampled = cross_sphere_betweenness(graph, samples=0)
    expected, expected_pairs, _ = reference_betweenness(
        graph, samples=0, seed=0, threshold=5_000, size=500
    )
    assert (pairs, sampled) == (expected_pairs, None) and pairs > 0
    assert_same_scores(scores, expected)
    assert max(scores.values()) > 0


@pytest.mark.parametrize(("seed", "nodes", "ties", "kind"), NETWORKS)
@pytest.mark.parametrize("draw", [0, 11])
def test_sampled_betweenness_draws_the_same_sources(
    seed: int, nodes: int, ties: int, kind: str, draw: int
) -> None:
    graph = network(seed, nodes, ties, kind)
    scores, pairs, sampled = cross_sphere_betweenness(graph, samples=9, seed=draw)
    expected, expected_pairs, _ = reference_betweenness(
        graph, samples=9, seed=draw, threshold=5_000, size=500
    )
    assert (pairs, sampled) == (expected_pairs, 9)
    assert_same_scores(scores, expected)


def test_the_automatic_estimate_samples_above_the_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The thresholds made small, so a network of 300 counts as large.
    monkeypatch.setattr(brokers_module, "SAMPLING_THRESHOLD", 100)
    monkeypatch.setattr(brokers_module, "SAMPLE_SIZE", 30)
    graph = network(3, 300, 600, "undirected view")
    scores, pairs, sampled = cross_sphere_betweenness(graph, seed=5)
    expected, expected_pairs, _ = reference_betweenness(
        graph, samples=None, seed=5, threshold=100, size=30
    )
    assert (pairs, sampled) == (expected_pairs, 30)
    assert_same_scores(scores, expected)


def test_brokers_rank_as_the_reference_parts_do() -> None:
    graph = network(2, 120, 300, "undirected view")
    scores, _, _ = reference_betweenness(graph, samples=0, seed=0, threshold=5_000, size=500)
    roles = reference_roles(graph)
    crossing = {b: sum(t[r] for r in ROLES[1:]) for b, t in roles.items()}
    expected = sorted(
        (b for b in roles if scores[b] > 0 or crossing[b] > 0),
        key=lambda b: (-float(f"{scores[b]:.10g}"), -crossing[b], graph.nodes[b]["label"], b),
    )
    found = brokers(graph, samples=0).brokers
    assert [b.id for b in found] == expected
    assert [b.roles for b in found] == [{r: roles[b][r] for r in ROLES} for b in expected]


def test_one_sphere_or_none_has_no_cross_sphere_pair() -> None:
    graph = nx.MultiGraph([("a", "b"), ("b", "c"), ("c", "c")])
    nx.set_node_attributes(graph, {"a": "state", "c": "state"}, "sphere")
    assert cross_sphere_betweenness(graph) == ({"a": 0.0, "b": 0.0, "c": 0.0}, 0, None)
    assert cross_sphere_betweenness(nx.MultiGraph([("x", "y")])) == ({"x": 0.0, "y": 0.0}, 0, None)
    assert dict(brokerage_roles(graph)) == {"a": Counter(), "c": Counter()}  # a, b, c: b no actor
    assert brokerage_roles(nx.MultiGraph([("x", "y")])) == {}
    lonely = nx.MultiDiGraph()
    lonely.add_nodes_from([("s", {"sphere": "state"}), ("c", {"sphere": "criminal"})])
    assert brokerage_roles(lonely) == {"s": Counter(), "c": Counter()}
    assert brokerage_roles(nx.MultiDiGraph()) == {}


def test_progress_counts_every_source_once() -> None:
    graph = network(3, 300, 600, "directed")
    calls: list[tuple[int, int]] = []
    _, _, sampled = cross_sphere_betweenness(
        graph, samples=120, progress=lambda done, total: calls.append((done, total))
    )
    assert sampled == 120
    assert calls[-1] == (120, 120)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})
    assert len(calls) > 10  # it moves during the work, not only at its end


def test_closed_triads_are_counted_the_same_in_small_slices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A dense network whose closed triads are tested a handful of candidates at a time.
    graph = network(4, 60, 400, "directed")
    monkeypatch.setattr(brokers_module, "CHUNK", 5)
    found = brokerage_roles(graph)
    assert {b: dict(+t) for b, t in found.items()} == {
        b: dict(+t) for b, t in reference_roles(graph).items()
    }
