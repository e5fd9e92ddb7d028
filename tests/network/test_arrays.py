"""The analyses on arrays (`hilos.network.arrays`, `ranking`, `communities`, `disrupt`) give
the answers networkx gives on the same projection: degree equal, PageRank within 1e-6, a
partition of the same nodes as good as networkx's, the same disruption; on the curated graph and
on a generated network of 10,000 entities."""

from __future__ import annotations

import io
from collections.abc import Iterator

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from hilos.network.arrays import ArrayNetwork, from_graph
from hilos.network.centrality import centrality, simple_graph
from hilos.network.communities import communities_of
from hilos.network.disrupt import disrupt, disrupt_network
from hilos.network.projection import Filters, Projection, project, project_from_scratch
from hilos.network.ranking import rank_network
from hilos.network.saved import network_saved, project_network
from hilos.store import Store
from support import bench_generator

FILTERS = [
    Filters(),
    Filters(directed=True),
    Filters(min_status="reported"),
    Filters(include=("place", "market"), between=(2008, 2016)),
]

LOUVAIN_MARGIN = 0.02
"""How much lower than networkx's Louvain the modularity of igraph's partition (Leiden's, or
Louvain's where better: `hilos.network.communities`) may be. Both are heuristics: each
implementation visits the nodes in its own random order and stops in its own local optimum.
Measured with seeds 0-4 (unweighted, igraph's Louvain then): on the curated graph igraph
0.633, networkx 0.535; on the generated 10,000 entities igraph 0.932-0.933, networkx
0.938-0.940 (0.008 apart, under 1% of the modularity). 0.02 lets that stand and fails a
partition that is worse than Louvain's by more (one that splits or merges whole clusters)."""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("generated") / "network.nt"
    out = io.StringIO()
    bench_generator("bench_generate_arrays").Generator(10_000, 1).run(out)
    path.write_text(out.getvalue(), encoding="utf-8")
    store = Store.in_memory()
    store.load(path, name="generated")
    yield store
    store.close()


def _both(store: Store, filters: Filters) -> tuple[ArrayNetwork, nx.Graph, Projection]:
    """The arrays read from the saved material, and the graph `project` builds from it (equal
    to the one built from the store with nothing saved: `tests/store/test_cache.py`)."""
    found = network_saved(store, filters)
    assert found is not None
    expected = project(store, filters)
    return found[0], expected.analysis_graph(), expected


def _simple(graph: nx.Graph, directed: bool) -> nx.Graph:
    """The simple graph, built here apart from `simple_graph`: weights summed per pair."""
    simple: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(graph)
    for u, v, score in graph.edges(data="score"):
        if u != v:
            weight = 1.0 if score is None else score
            if simple.has_edge(u, v):
                simple[u][v]["weight"] += weight
            else:
                simple.add_edge(u, v, weight=weight)
    return simple


def _check_centrality(network: ArrayNetwork, graph: nx.Graph, *, reference: bool = True) -> None:
    """Degree against networkx's degrees of the simple graph, PageRank against networkx's own
    (pure Python: only where `reference`, it takes seconds at 10,000 nodes) and against the old
    pure-Python path; the rankings against the old path's."""
    simple = _simple(graph, graph.is_directed())
    n = len(simple)
    ids = network.nodes.id_list(np.arange(network.count))
    assert ids == [str(node) for node in graph]  # the same nodes, in the same order
    for weighted in (False, True):
        degrees = dict(simple.degree(weight="weight" if weighted else None))
        result = rank_network(network, "degree", weighted=weighted)
        assert {r.id: r.score for r in result.ranking} == pytest.approx(
            {str(k): d / (n - 1) for k, d in degrees.items()}, abs=1e-12
        )
        old = centrality(graph, "degree", weighted=weighted)
        assert [r.id for r in result.ranking] == [r.id for r in old.ranking]
        assert [(r.label, r.sphere) for r in result.ranking] == [
            (r.label, r.sphere) for r in old.ranking
        ]
        ranks = rank_network(network, "pagerank", weighted=weighted)
        found = {r.id: r.score for r in ranks.ranking}
        if reference:
            theirs = _pagerank_python(
                simple, alpha=0.85, tol=1e-12, max_iter=1000, weight="weight" if weighted else None
            )
            assert max(abs(found[str(k)] - v) for k, v in theirs.items()) < 1e-6
        old_ranks = centrality(graph, "pagerank", weighted=weighted)
        assert max(abs(found[r.id] - r.score) for r in old_ranks.ranking) < 1e-9
        assert [r.id for r in ranks.ranking] == [r.id for r in old_ranks.ranking]


def _check_top_and_sphere(network: ArrayNetwork, graph: nx.Graph) -> None:
    """The first N, and the actors of a sphere, are the whole ranking's (checked above)."""
    for measure in ("degree", "pagerank"):
        whole = rank_network(network, measure).ranking
        for sphere in (None, "state", "criminal"):
            kept = [
                r
                for r in whole
                if sphere is None
                or sphere in (graph.nodes[r.id].get("spheres") or (graph.nodes[r.id]["sphere"],))
            ]
            for top in (1, 7, 20):
                shown = rank_network(network, measure, top=top, sphere=sphere)
                assert shown.ranking == kept[:top]


def _check_communities(network: ArrayNetwork, graph: nx.Graph) -> None:
    undirected = _simple(graph, False)
    for weighted in (False, True):
        weight = "weight" if weighted else None
        found = communities_of(network, seed=3, weighted=weighted)
        again = communities_of(network, seed=3, weighted=weighted)
        parts = [{m.id for m in c.members} for c in found.communities]
        assert parts == [{m.id for m in c.members} for c in again.communities]
        assert sorted(i for part in parts for i in part) == sorted(str(n) for n in graph)
        assert found.modularity == pytest.approx(
            nx.community.modularity(undirected, parts, weight=weight), abs=1e-9
        )
        theirs = nx.community.louvain_communities(undirected, weight=weight, seed=3)
        best = nx.community.modularity(undirected, theirs, weight=weight)
        assert found.modularity >= best - LOUVAIN_MARGIN


def _check_disrupt(network: ArrayNetwork, graph: nx.Graph) -> None:
    for mode, steps, weighted in [
        ("sequential", 12, False),
        ("block", 4, False),
        ("sequential", 8, True),
    ]:
        found = disrupt_network(network, mode, 3, steps, weighted=weighted)
        expected = disrupt(graph, "degree", mode, 3, steps, weighted=weighted)
        assert found.as_dict() == expected.as_dict()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f)[8:60])
def test_the_arrays_answer_as_networkx_on_the_curated_graph(
    memory_store: Store, filters: Filters
) -> None:
    network, graph, _ = _both(memory_store, filters)
    assert network.count == graph.number_of_nodes() > 20
    _check_centrality(network, graph)
    _check_top_and_sphere(network, graph)
    _check_communities(network, graph)
    _check_disrupt(network, graph)


@pytest.mark.parametrize("filters", FILTERS[:2], ids=lambda f: repr(f)[8:60])
def test_the_arrays_answer_as_networkx_on_a_generated_network(
    generated: Store, filters: Filters
) -> None:
    network, graph, _ = _both(generated, filters)
    assert network.count > 5_000
    _check_centrality(network, graph, reference=False)
    _check_top_and_sphere(network, graph)
    _check_communities(network, graph)
    _check_disrupt(network, graph)


def test_the_arrays_of_a_graph_equal_the_saved_ones(memory_store: Store) -> None:
    """`from_graph` (used where nothing is saved) and the saved material give one network."""
    for filters in FILTERS:
        network, graph, _ = _both(memory_store, filters)
        again = from_graph(graph)
        assert network.directed == again.directed
        for a, b in [(network.links(), again.links())]:
            assert np.array_equal(a.tails, b.tails) and np.array_equal(a.heads, b.heads)
            assert np.allclose(a.weights, b.weights)
        everyone = np.arange(network.count)
        for column in ("id_list", "label_list", "sphere_list"):
            assert getattr(network.nodes, column)(everyone) == getattr(again.nodes, column)(
                everyone
            )


def test_the_projection_said_with_the_arrays_is_the_graphs(memory_store: Store) -> None:
    """What the commands say the network is made of is the same with the arrays."""
    for filters in FILTERS:
        _, said = project_network(memory_store, filters)
        expected = project_from_scratch(memory_store, filters)
        assert said.assumptions() == expected.assumptions()
        assert said.dropped == expected.dropped


def test_identity_claims_fall_back_to_the_graph() -> None:
    from hilos import claims

    store = Store.in_memory()
    claims.add_claim(store, "Mayor X (fictional)", "bribery", "Zetas", source="s",
                     create_from="person")  # fmt: skip
    claims.merge_entities(store, "Mayor X (fictional)", "José Luis Abarca", source="s")
    assert network_saved(store, Filters()) is None
    network, projection = project_network(store, Filters())
    assert projection.merged
    assert network.count == projection.graph.number_of_nodes()
    assert (
        rank_network(network, "degree").ranking
        == centrality(projection.analysis_graph(), "degree").ranking
    )


def test_simple_links_match_simple_graph(memory_store: Store) -> None:
    network, graph, _ = _both(memory_store, Filters())
    links = network.links()
    simple = simple_graph(graph)
    ids = network.nodes.id_list(np.arange(network.count))
    found = {
        frozenset((ids[a], ids[b])): w
        for a, b, w in zip(
            links.tails.tolist(), links.heads.tolist(), links.weights.tolist(), strict=True
        )
    }
    assert found == pytest.approx({frozenset((u, v)): w for u, v, w in simple.edges(data="weight")})
