"""The compiled engine gives networkx's answers (it only makes them faster)."""

from __future__ import annotations

import networkx as nx
import pytest

from hilos.network import centrality as module
from hilos.network.centrality import betweenness, simple_graph


@pytest.mark.parametrize("directed", [False, True])
def test_compiled_betweenness_and_closeness_equal_networkx(
    directed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = nx.gnm_random_graph(300, 900, seed=3, directed=directed)
    graph.add_nodes_from(range(300, 305))  # isolated nodes too
    monkeypatch.setattr(module, "ENGINE_THRESHOLD", 1)
    simple = simple_graph(graph)
    compiled, sampled = betweenness(simple, samples=0)
    assert sampled is None
    expected = nx.betweenness_centrality(graph)
    assert compiled.keys() == expected.keys()
    for node, value in expected.items():
        assert compiled[node] == pytest.approx(value, abs=1e-9)
    closeness = module._closeness(simple, weighted=False, progress=None)
    for node, value in nx.closeness_centrality(graph).items():
        assert closeness[node] == pytest.approx(value, abs=1e-9)
