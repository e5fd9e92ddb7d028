"""Brandes' accumulation in arrays (network/brandes.py) against the node-by-node one."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from hilos.network import centrality
from hilos.network.brandes import accumulate_levels


@pytest.mark.parametrize(
    "graph",
    [
        nx.barabasi_albert_graph(400, 2, seed=1),
        nx.gnp_random_graph(300, 0.01, seed=2, directed=True),
        nx.path_graph(30),
        nx.Graph([(0, 1), (1, 1), (2, 3)]),  # a self-tie and two components
    ],
    ids=["scale-free", "directed", "path", "pieces"],
)
@pytest.mark.parametrize("grouped", [False, True])
def test_the_same_dependencies_as_node_by_node(
    graph: nx.Graph, grouped: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(centrality, "ARRAY_THRESHOLD", 10**9)  # the node-by-node sums
    draw = random.Random(3)
    sources = draw.sample(list(graph), min(50, len(graph)))
    group = {n: draw.choice(["state", "criminal", None]) for n in graph} if grouped else None
    expected = centrality.accumulate(graph, sources, group=group)
    found = accumulate_levels(graph, sources, group=group)
    assert found == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_large_graphs_use_it(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.barabasi_albert_graph(300, 2, seed=4)
    monkeypatch.setattr(centrality, "ARRAY_THRESHOLD", 100)
    scores, sampled = centrality.betweenness(graph, samples=50, seed=1)
    assert sampled == 50
    reference = nx.betweenness_centrality(graph, k=50, seed=1)
    assert scores == pytest.approx(reference, rel=1e-9, abs=1e-12)
