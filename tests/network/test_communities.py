"""`hilos.network.communities`: the listing written from columns is the one computed here
independently from the partition and the graph (every actor once, members by (label, id),
communities largest first), and the partition is never worse than Louvain's (the old method)
where both run; Leiden alone beats it on a generated network of 10,000 entities."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from hilos.network import communities as module
from hilos.network.arrays import ArrayNetwork, from_graph
from hilos.network.communities import CommunitiesResult, communities, communities_of
from hilos.network.projection import Filters, project
from hilos.network.saved import network_saved
from hilos.store import Store
from support import bench_generator

FILTERS = [
    Filters(),
    Filters(min_status="reported"),
    Filters(include=("place", "market")),
    Filters(include=("place", "market"), between=(2008, 2016)),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("generated") / "network.nt"
    out = io.StringIO()
    bench_generator("bench_generate_communities").Generator(10_000, 1).run(out)
    path.write_text(out.getvalue(), encoding="utf-8")
    store = Store.in_memory()
    store.load(path, name="generated")
    yield store
    store.close()


def _arrays(store: Store, filters: Filters) -> tuple[ArrayNetwork, nx.Graph]:
    found = network_saved(store, filters)
    assert found is not None
    return found[0], project(store, filters).analysis_graph()


def _expected_listing(graph: nx.Graph, parts: list[set[str]]) -> list[list[tuple[Any, ...]]]:
    """The listing computed here from the graph's own node data: each part's members as
    (id, label, sphere) sorted by (label, id), the label being the id where there is none;
    the parts largest first, then by their first member."""
    rows = []
    for part in parts:
        members = []
        for node in part:
            data = graph.nodes[node]
            members.append((str(node), str(data.get("label") or node), data.get("sphere")))
        members.sort(key=lambda row: (row[1], row[0]))
        rows.append(members)
    rows.sort(key=lambda members: (-len(members), members[0][1], members[0][0]))
    return rows


def _check_listing(result: CommunitiesResult, graph: nx.Graph) -> None:
    listed = [[(m.id, m.label, m.sphere) for m in c.members] for c in result.communities]
    everyone = [row[0] for members in listed for row in members]
    assert sorted(everyone) == sorted(str(n) for n in graph)  # every actor exactly once
    assert len(everyone) == len(set(everyone))
    parts = [{row[0] for row in members} for members in listed]
    assert listed == _expected_listing(graph, parts)
    for number, (community, members) in enumerate(zip(result.communities, listed, strict=True)):
        assert community.number == number + 1
        assert community.size == len(members)
        counts = Counter(row[2] or "none" for row in members)
        assert community.spheres == dict(sorted(counts.items(), key=lambda i: (-i[1], i[0])))


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f)[8:60])
def test_the_listing_is_the_one_computed_from_the_graph(
    memory_store: Store, filters: Filters
) -> None:
    network, graph = _arrays(memory_store, filters)
    for seed, weighted, resolution in [(0, False, 1.0), (3, True, 1.0), (1, False, 2.5)]:
        result = communities_of(network, seed, resolution, weighted=weighted)
        assert len(result.communities) > 1
        _check_listing(result, graph)


def test_the_listing_of_a_generated_network(generated: Store) -> None:
    """Thousands of actors, many sharing a label: the ties between labels go by id."""
    network, graph = _arrays(generated, Filters())
    labels = Counter(str(data.get("label") or node) for node, data in graph.nodes(data=True))
    assert max(labels.values()) > 1
    _check_listing(communities_of(network, seed=2), graph)


def test_the_listing_of_awkward_names() -> None:
    """Equal labels (ordered by id), no label (the id stands in), an empty label, names that
    sort differently by label and by id, a node without ties."""
    graph = nx.Graph([("b", "a"), ("a", "c"), ("c", "b"), ("z", "y"), ("y", "x"), ("x", "z")])
    graph.add_node("alone")
    for node, label in {
        "a": "Same",
        "b": "Same",
        "c": "",
        "x": "Ñu",
        "y": "Ana",
        "z": "zeta",
    }.items():
        graph.nodes[node]["label"] = label
    graph.nodes["a"]["sphere"] = "state"
    result = communities(graph, seed=0)
    _check_listing(result, graph)
    first, second, third = ([m.id for m in c.members] for c in result.communities)
    # "Ana" < "Same"; "zeta" < "Ñu" (code points); "Same" twice: a before b; c's label is "c".
    assert (first, second, third) == (["y", "z", "x"], ["a", "b", "c"], ["alone"])


def test_an_empty_network_lists_nothing() -> None:
    result = communities(nx.Graph())
    assert result.communities == [] and result.modularity == 0.0


# ------------------------------------------------------------------------------------ method


def _louvain(network: ArrayNetwork, seed: int, resolution: float, weighted: bool) -> float:
    """The modularity of the old method's partition (igraph's Louvain, seeded)."""
    links = network.links(directed=False)
    return module.louvain(network.count, links, seed, resolution, weighted=weighted)[1]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f)[8:60])
def test_the_partition_is_never_worse_than_louvains(memory_store: Store, filters: Filters) -> None:
    network, graph = _arrays(memory_store, filters)
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    for seed in range(5):
        for weighted in (False, True):
            for resolution in (0.5, 1.0, 2.0):
                result = communities_of(network, seed, resolution, weighted=weighted)
                assert result.modularity >= _louvain(network, seed, resolution, weighted)
                if not weighted:  # the modularity said is the partition's, by networkx
                    parts = [{m.id for m in c.members} for c in result.communities]
                    assert result.modularity == pytest.approx(
                        nx.community.modularity(simple, parts, resolution=resolution), abs=1e-9
                    )


def test_the_method_named_is_the_one_whose_partition_it_is(memory_store: Store) -> None:
    """Where both run, the better is kept and named; each named method, run alone, gives the
    modularity said. On the curated graph with places and markets, weighted, Leiden stops
    lower than Louvain for every seed tried (0-9): there Louvain's partition is kept."""
    network, _ = _arrays(memory_store, Filters(include=("place", "market")))
    links = network.links(directed=False)
    named = set()
    for seed in range(5):
        for weighted in (False, True):
            result = communities_of(network, seed, weighted=weighted)
            runs = {
                method: getattr(module, method)(network.count, links, seed, 1.0, weighted=weighted)
                for method in ("leiden", "louvain")
            }
            assert result.modularity == max(run[1] for run in runs.values())
            assert result.modularity == runs[result.method][1]
            named.add(result.method)
    assert named == {"leiden", "louvain"}


def test_above_the_limit_leiden_runs_alone(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    network, _ = _arrays(memory_store, Filters(include=("place", "market")))
    links = network.links(directed=False)
    monkeypatch.setattr(module, "BOTH_UP_TO", 0)
    for seed in range(3):
        result = communities_of(network, seed, weighted=True)
        alone = module.leiden(network.count, links, seed, 1.0, weighted=True)
        assert result.method == "leiden" and result.modularity == alone[1]
        assert sum(c.size for c in result.communities) == network.count


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(
    "filters", [Filters(), Filters(directed=True)], ids=["undirected", "directed"]
)
def test_leiden_alone_beats_louvain_on_a_generated_network(
    generated: Store, filters: Filters, weighted: bool
) -> None:
    """The large networks' path (Leiden alone): at 10,000 generated entities its modularity is
    above Louvain's for every seed (measured 0.9332 against 0.9324 at seed 0; at a million,
    0.9551 against 0.9545). Not a law: on a tiny network Louvain can be higher (above)."""
    network, _ = _arrays(generated, filters)
    links = network.links(directed=False)
    assert len(links.tails) > 5_000
    for seed in range(3):
        alone = module.leiden(network.count, links, seed, 1.0, weighted=weighted)[1]
        assert alone > _louvain(network, seed, 1.0, weighted)


def test_the_same_seed_gives_the_same_listing(generated: Store) -> None:
    network, _ = _arrays(generated, Filters())
    for seed in (0, 7):
        first, again = communities_of(network, seed), communities_of(network, seed)
        assert first.communities == again.communities and first.method == again.method


def test_the_arrays_of_a_graph_give_the_same_communities(memory_store: Store) -> None:
    network, graph = _arrays(memory_store, Filters())
    assert communities_of(network, 4).as_dict() == communities_of(from_graph(graph), 4).as_dict()
