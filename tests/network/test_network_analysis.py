"""Centrality, brokers, communities and disruption on real criminal networks and on small
hand-made graphs.

Real networks come from ../shared/datasets, read here with a plain edge-list reader: CAVIAR's
aggregate network (Morselli) and the two Montagna networks (Cavallaro et al. 2020). Every
expected value is computed in this file with plain networkx on the raw file (or counted by hand
from the definitions), never taken from the implementation's output.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Hashable
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

# networkx's `pagerank` needs numpy and scipy, which hilos does not depend on; networkx ships
# this pure-Python reference implementation of the same definition.
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from conftest import needs_shared
from hilos.errors import BadInput, NotFound
from hilos.network import centrality as centrality_module
from hilos.network.brokers import brokerage_roles, brokers, cross_sphere_betweenness
from hilos.network.centrality import NoConvergence, centrality
from hilos.network.communities import communities
from hilos.network.disrupt import disrupt

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
CAVIAR = DATASETS / "caviar" / "ucinet_full" / "CAVIAR_FULL_edges.csv"
MEETINGS = DATASETS / "montagna-sicilian-mafia" / "Montagna_meetings_edgelist.csv"
PHONECALLS = DATASETS / "montagna-sicilian-mafia" / "Montagna_phonecalls_edgelist.csv"
NETWORKS = {"caviar": CAVIAR, "montagna-meetings": MEETINGS, "montagna-phonecalls": PHONECALLS}

pytestmark = needs_shared("datasets", "caviar")

Row = tuple[str, str, float]

# ------------------------------------------------------------------------------------ readers


@cache
def edge_rows(path: Path) -> tuple[Row, ...]:
    """The rows of an edge list: CSV with a `source,target,weight` header (CAVIAR), or
    whitespace-separated `i j weight` lines (Montagna)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".csv" and text.startswith("source,"):
        reader = csv.reader(text.splitlines()[1:])
        return tuple((s, t, float(w)) for s, t, w in reader)
    rows = []
    for line in text.splitlines():
        if line.strip():
            i, j, w = line.split()
            rows.append((i, j, float(w)))
    return tuple(rows)


def as_projection(path: Path, *, scores: bool = False) -> nx.MultiDiGraph:
    """The network as hilos projects one: a MultiDiGraph with one edge per row (the file's weight
    as the tie's `score` when asked)."""
    graph = nx.MultiDiGraph()
    for number, (i, j, w) in enumerate(edge_rows(path)):
        if scores:
            graph.add_edge(i, j, key=f"row{number}", score=w)
        else:
            graph.add_edge(i, j, key=f"row{number}")
    return graph


def plain(path: Path, *, directed: bool, weighted: bool = False) -> nx.Graph:
    """The same file straight into a plain networkx graph: one link per pair (weights summed)."""
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    for i, j, w in edge_rows(path):
        if i == j:
            continue
        if weighted:
            before = graph[i][j]["weight"] if graph.has_edge(i, j) else 0.0
            graph.add_edge(i, j, weight=before + w)
        else:
            graph.add_edge(i, j)
    if weighted:
        for _, _, data in graph.edges(data=True):
            data["distance"] = 1 / data["weight"]
    return graph


def top_ten(scores: dict[Hashable, float]) -> list[tuple[str, float]]:
    """Highest first; scores equal to 10 significant digits are tied and go by id."""
    ranked = sorted(scores.items(), key=lambda kv: (-float(f"{kv[1]:.10g}"), str(kv[0])))
    return [(str(node), score) for node, score in ranked[:10]]


def reference(measure: str, graph: nx.Graph, weighted: bool = False) -> dict[Hashable, float]:
    """The measure by networkx itself."""
    if measure == "degree":
        if weighted:
            n = len(graph)
            return {v: d / (n - 1) for v, d in graph.degree(weight="weight")}
        return dict(nx.degree_centrality(graph))
    if measure == "betweenness":
        return dict(nx.betweenness_centrality(graph, weight="distance" if weighted else None))
    if measure == "closeness":
        return dict(nx.closeness_centrality(graph, distance="distance" if weighted else None))
    return dict(
        _pagerank_python(graph, weight="weight" if weighted else None, tol=1e-14, max_iter=10**4)
    )


def assert_same_ranking(got: list[tuple[str, float]], expected: list[tuple[str, float]]) -> None:
    assert [node for node, _ in got] == [node for node, _ in expected]
    for (_, a), (_, b) in zip(got, expected, strict=True):
        assert a == pytest.approx(b, rel=1e-8, abs=1e-12)


# ---------------------------------------------------------------------- rankings on real data


@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
@pytest.mark.parametrize("measure", ["degree", "betweenness", "closeness", "pagerank"])
@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_rankings_match_networkx_on_the_raw_file(
    network: str, measure: str, directed: bool
) -> None:
    path = NETWORKS[network]
    projected = as_projection(path)
    graph = projected if directed else projected.to_undirected(as_view=True)
    result = centrality(graph, measure, top=10)
    got = [(r.id, r.score) for r in result.ranking]
    assert_same_ranking(got, top_ten(reference(measure, plain(path, directed=directed))))
    assert result.sampled is None  # small networks: exact


@pytest.mark.parametrize("measure", ["degree", "betweenness", "closeness", "pagerank"])
def test_weighted_rankings_sum_the_ties_of_a_pair(measure: str) -> None:
    # Montagna's meetings list some pairs once each way: both rows add to the pair's weight.
    projected = as_projection(MEETINGS, scores=True).to_undirected(as_view=True)
    result = centrality(projected, measure, top=10, weighted=True)
    got = [(r.id, r.score) for r in result.ranking]
    expected = reference(measure, plain(MEETINGS, directed=False, weighted=True), weighted=True)
    assert_same_ranking(got, top_ten(expected))


def test_a_tie_without_a_score_counts_one() -> None:
    projected = as_projection(MEETINGS)  # no scores: every tie weighs 1
    weighted = centrality(projected, "degree", weighted=True).ranking
    counted = Counter[str]()
    for i, j, _ in edge_rows(MEETINGS):
        counted[i] += 1
        counted[j] += 1
    n = projected.number_of_nodes()
    assert {r.id: r.score for r in weighted} == pytest.approx(
        {node: c / (n - 1) for node, c in counted.items()}
    )


def test_betweenness_is_sampled_as_networkx_samples_it() -> None:
    graph = plain(CAVIAR, directed=False)
    result = centrality(
        as_projection(CAVIAR).to_undirected(as_view=True), "betweenness", samples=25, seed=7
    )
    assert result.sampled == 25
    expected = nx.betweenness_centrality(graph, k=25, seed=7)
    assert {r.id: r.score for r in result.ranking} == pytest.approx(expected)


def test_betweenness_samples_itself_above_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(centrality_module, "SAMPLING_THRESHOLD", 100)
    monkeypatch.setattr(centrality_module, "SAMPLE_SIZE", 30)
    projected = as_projection(CAVIAR)  # 110 nodes: above the lowered threshold
    automatic = centrality(projected, "betweenness", seed=3)
    assert automatic.sampled == 30
    expected = nx.betweenness_centrality(plain(CAVIAR, directed=True), k=30, seed=3)
    assert {r.id: r.score for r in automatic.ranking} == pytest.approx(expected)
    exact = centrality(projected, "betweenness", samples=0)
    assert exact.sampled is None
    assert {r.id: r.score for r in exact.ranking} == pytest.approx(
        nx.betweenness_centrality(plain(CAVIAR, directed=True))
    )


def test_long_work_reports_progress() -> None:
    calls: list[tuple[int, int]] = []
    centrality(as_projection(CAVIAR), "betweenness", progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (110, 110)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_eigenvector_centrality_matches_networkx() -> None:
    result = centrality(as_projection(MEETINGS).to_undirected(as_view=True), "eigenvector")
    expected = nx.eigenvector_centrality(plain(MEETINGS, directed=False), max_iter=1000)
    assert {r.id: r.score for r in result.ranking} == pytest.approx(expected)


# -------------------------------------------------------------------- disruption on real data


def lcc(graph: nx.Graph) -> int:
    return max((len(c) for c in nx.connected_components(graph)), default=0)


def sequential_degree_curve(graph: nx.Graph) -> list[tuple[list[str], float]]:
    """Remove the node of highest degree (ties: smallest id) until nothing is left."""
    graph = graph.copy()
    intact = lcc(graph)
    curve: list[tuple[list[str], float]] = [([], 1.0)]
    while graph.number_of_nodes():
        node = min(graph, key=lambda v: (-graph.degree(v), v))
        graph.remove_node(node)
        curve.append(([node], lcc(graph) / intact))
    return curve


def block_betweenness_curve(graph: nx.Graph, size: int) -> list[tuple[list[str], float]]:
    """Remove the `size` nodes of highest betweenness, recomputed after every block."""
    graph = graph.copy()
    intact = lcc(graph)
    curve: list[tuple[list[str], float]] = [([], 1.0)]
    while graph.number_of_nodes():
        scores = nx.betweenness_centrality(graph)
        block = sorted(graph, key=lambda v: (-float(f"{scores[v]:.10g}"), v))[:size]
        graph.remove_nodes_from(block)
        curve.append((block, lcc(graph) / intact))
    return curve


@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_sequential_degree_disruption_matches_networkx(network: str) -> None:
    path = NETWORKS[network]
    result = disrupt(as_projection(path), "degree", "sequential")
    got = [(s.removed, s.lcc_fraction) for s in result.steps]
    expected = sequential_degree_curve(plain(path, directed=False))
    assert [removed for removed, _ in got] == [removed for removed, _ in expected]
    assert [f for _, f in got] == pytest.approx([f for _, f in expected])
    assert result.note is None


@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_block_betweenness_disruption_matches_networkx(network: str) -> None:
    path = NETWORKS[network]
    result = disrupt(as_projection(path), "betweenness", "block", block_size=5)
    got = [(s.removed, s.lcc_fraction) for s in result.steps]
    expected = block_betweenness_curve(plain(path, directed=False), 5)
    assert [removed for removed, _ in got] == [removed for removed, _ in expected]
    assert [f for _, f in got] == pytest.approx([f for _, f in expected])


def test_disruption_steps_and_their_limits() -> None:
    projected = as_projection(CAVIAR)
    three = disrupt(projected, "degree", "sequential", steps=3)
    assert len(three.steps) == 4
    assert three.steps[0].removed == [] and three.steps[0].lcc_fraction == 1.0
    expected = sequential_degree_curve(plain(CAVIAR, directed=False))
    assert [s.removed for s in three.steps[1:]] == [removed for removed, _ in expected[1:4]]
    assert disrupt(projected, steps=0).steps == three.steps[:1]
    too_many = disrupt(projected, "degree", "block", block_size=50, steps=10)
    assert [len(s.removed) for s in too_many.steps] == [0, 50, 50, 10]
    assert too_many.steps[-1].lcc_fraction == 0.0 and too_many.steps[-1].nodes_left == 0
    assert too_many.note and "3" in too_many.note and "10" in too_many.note


def test_weighted_disruption_ranks_by_strength() -> None:
    # b has two links, a one link of three ties: by degree b goes first, by strength a.
    graph = nx.MultiGraph([("a", "z"), ("a", "z"), ("a", "z"), ("b", "x"), ("b", "y")])
    assert disrupt(graph, steps=1).steps[1].removed == ["b"]
    assert disrupt(graph, steps=1, weighted=True).steps[1].removed == ["a"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"strategy": "closeness"},
        {"mode": "random"},
        {"block_size": 0},
        {"steps": -1},
        {"samples": -2},
    ],
)
def test_disruption_rejects_bad_input(arguments: dict[str, object]) -> None:
    with pytest.raises(BadInput):
        disrupt(nx.Graph([("a", "b")]), **arguments)  # type: ignore[arg-type]


def test_there_is_nothing_to_disrupt_in_an_empty_network() -> None:
    with pytest.raises(NotFound):
        disrupt(nx.MultiDiGraph())


# ----------------------------------------------------------------------- centrality, by hand


def spheres(graph: nx.Graph, **assigned: str) -> nx.Graph:
    nx.set_node_attributes(graph, assigned, "sphere")
    return graph


def test_sphere_filters_the_result_not_the_graph() -> None:
    # s1 - c - s2: c (criminal) lies between the two state actors.
    graph = spheres(nx.MultiGraph([("s1", "c"), ("c", "s2")]), s1="state", s2="state", c="criminal")
    state = centrality(graph, "betweenness", sphere="state").ranking
    assert [(r.id, r.score) for r in state] == [("s1", 0.0), ("s2", 0.0)]
    criminal = centrality(graph, "betweenness", sphere="criminal").ranking
    assert [(r.id, r.sphere, r.score) for r in criminal] == [("c", "criminal", 1.0)]


def test_ties_go_by_label_then_id() -> None:
    graph = nx.Graph([("n3", "n1"), ("n2", "n4")])
    nx.set_node_attributes(
        graph, {"n1": "Beta", "n2": "Alpha", "n3": "Alpha", "n4": "Gamma"}, "label"
    )
    assert [r.id for r in centrality(graph).ranking] == ["n2", "n3", "n1", "n4"]


def test_weighted_paths_take_the_stronger_ties() -> None:
    # s -> t by two routes: via a on confirmed ties (score 1), via b on alleged ones (0.4).
    graph = nx.MultiDiGraph()
    graph.add_edge("s", "a", score=1.0)
    graph.add_edge("a", "t", score=1.0)
    graph.add_edge("s", "b", score=0.4)
    graph.add_edge("b", "t", score=0.4)
    unweighted = {r.id: r.score for r in centrality(graph, "betweenness").ranking}
    weighted = {r.id: r.score for r in centrality(graph, "betweenness", weighted=True).ranking}
    # n = 4, so (n - 1)(n - 2) = 6 ordered pairs could pass through a node.
    assert unweighted["a"] == unweighted["b"] == pytest.approx(0.5 / 6)
    assert weighted["a"] == pytest.approx(1 / 6) and weighted["b"] == 0.0


def test_a_tie_of_no_weight_is_not_walked() -> None:
    # The only route s - x - t runs over a refuted tie (score 0): no shortest path through x.
    graph = nx.MultiGraph()
    graph.add_edge("s", "x", score=0.7)
    graph.add_edge("x", "t", score=0.0)
    weighted = {r.id: r.score for r in centrality(graph, "betweenness", weighted=True).ranking}
    assert weighted["x"] == 0.0
    assert {r.id: r.score for r in centrality(graph, "betweenness").ranking}["x"] == 1.0


@pytest.mark.parametrize(
    "arguments",
    [
        {"measure": "influence"},
        {"top": 0},
        {"sphere": "military"},
        {"samples": 1},
        {"samples": -1},
    ],
)
def test_centrality_rejects_bad_input(arguments: dict[str, object]) -> None:
    with pytest.raises(BadInput):
        centrality(nx.Graph([("a", "b")]), **arguments)  # type: ignore[arg-type]


def test_eigenvector_that_does_not_converge_suggests_pagerank(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fails(*args: object, **kwargs: object) -> None:
        raise nx.PowerIterationFailedConvergence(1000)

    monkeypatch.setattr(nx, "eigenvector_centrality", fails)
    with pytest.raises(NoConvergence, match="pagerank") as caught:
        centrality(nx.Graph([("a", "b")]), "eigenvector")
    assert isinstance(caught.value, BadInput)


def test_an_empty_network_has_an_empty_ranking() -> None:
    assert centrality(nx.MultiDiGraph(), "eigenvector").ranking == []


# --------------------------------------------------------------------------- brokers, by hand

#   A, B, F: state      C: criminal      E: civil      X: a place (no sphere)
#
#        E ──▶ B ──▶ F            two-paths a → b → c with no tie a → c:
#              ▲ ╲                  A→B→F  state, state, state       coordinator (B)
#              │  ╲▶ C ──▶ A        A→B→C  state, state, criminal    representative (B)
#              A ◀──────╯           E→B→F  civil, state, state       gatekeeper (B)
#                                   E→B→C  civil, state, criminal    liaison (B)
#   (A → B is drawn once; the       B→C→A  state, criminal, state    itinerant (C)
#    ties are A→B twice, B→F,       C→A→B  criminal, state, state    gatekeeper (A)
#    B→C, E→B, C→A, B→X, X→C)       B→X→C, A→B→X: X has no sphere, so not counted.
HAND = [
    ("A", "B"),
    ("A", "B"),
    ("B", "F"),
    ("B", "C"),
    ("E", "B"),
    ("C", "A"),
    ("B", "X"),
    ("X", "C"),
]
HAND_SPHERES = {"A": "state", "B": "state", "F": "state", "C": "criminal", "E": "civil"}


def hand_graph(*extra: tuple[str, str]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph([*HAND, *extra])
    nx.set_node_attributes(graph, HAND_SPHERES, "sphere")
    return graph


def test_brokerage_roles_counted_by_hand() -> None:
    roles = {node: dict(+tally) for node, tally in brokerage_roles(hand_graph()).items()}
    assert roles == {
        "B": {"coordinator": 1, "representative": 1, "gatekeeper": 1, "liaison": 1},
        "C": {"itinerant": 1},
        "A": {"gatekeeper": 1},
        "F": {},
        "E": {},
    }


def test_a_closed_triad_brokers_nothing() -> None:
    # With A → F tied directly, B no longer brokers between A and F.
    roles = brokerage_roles(hand_graph(("A", "F")))
    assert roles["B"]["coordinator"] == 0 and roles["B"]["representative"] == 1


def test_brokers_report_their_roles_and_crossings() -> None:
    found = {b.id: b.as_dict() for b in brokers(hand_graph()).brokers}
    assert set(found) == {"A", "B", "C"}  # F and E broker nothing; X is a place
    assert found["B"]["roles"] == {
        "coordinator": 1,
        "itinerant": 0,
        "gatekeeper": 1,
        "representative": 1,
        "liaison": 1,
    }
    assert found["B"]["cross_sphere_brokerage"] == 3  # coordinator does not cross
    assert {"id", "label", "sphere", "score", "cross_sphere_betweenness"} <= set(found["B"])


def test_the_middle_of_a_state_criminal_path_gets_all_of_it() -> None:
    path = spheres(nx.MultiGraph([("s", "x"), ("x", "c")]), s="state", c="criminal")
    scores, pairs, _ = cross_sphere_betweenness(path)
    assert pairs == 1
    assert scores == {"s": 0.0, "x": 1.0, "c": 0.0}
    (only,) = brokers(spheres(path, x="community")).brokers
    # Now x is an actor too: of the three cross-sphere pairs it lies inside one (s, c).
    assert only.id == "x" and only.score == pytest.approx(1 / 3)


def test_parallel_routes_share_the_pair_and_same_sphere_pairs_do_not_count() -> None:
    graph = nx.Graph([("s", "p"), ("p", "c"), ("s", "q"), ("q", "c"), ("s", "r"), ("r", "s2")])
    spheres(graph, s="state", s2="state", c="criminal")
    scores, pairs, _ = cross_sphere_betweenness(graph)
    # Cross-sphere pairs: (s, c) and (s2, c); s2 reaches c through r and s.
    assert pairs == 2
    assert scores["p"] == scores["q"] == pytest.approx((0.5 + 0.5) / 2)
    assert scores["r"] == pytest.approx(1 / 2)
    assert scores["s"] == pytest.approx(1 / 2)


def test_cross_sphere_betweenness_matches_networkx_subsets() -> None:
    # Spheres given to Montagna's members by id (a few left without one, as places are).
    graph = as_projection(MEETINGS).to_undirected(as_view=True)
    kinds = ("state", "criminal", "community")
    assigned = {n: kinds[int(n) % 3] for n in graph if int(n) % 7}
    plain_graph = plain(MEETINGS, directed=False)
    expected = dict.fromkeys(plain_graph, 0.0)
    for sphere in kinds:
        sources = [n for n, s in assigned.items() if s == sphere]
        targets = [n for n, s in assigned.items() if s != sphere]
        # Undirected and unnormalised, each (s, t) counts 1/2; summed over both ends' spheres,
        # every unordered pair counts once.
        for node, value in nx.betweenness_centrality_subset(plain_graph, sources, targets).items():
            expected[node] += value
    sizes = Counter(assigned.values())
    pairs = sum(sizes[a] * sizes[b] for a in kinds for b in kinds if a < b)
    frozen = nx.MultiGraph(graph)
    nx.set_node_attributes(frozen, assigned, "sphere")
    scores, counted, sampled = cross_sphere_betweenness(frozen)
    assert counted == pairs and sampled is None
    assert scores == pytest.approx({n: v / pairs for n, v in expected.items()})


def test_brokers_reject_bad_input() -> None:
    with pytest.raises(BadInput):
        brokers(hand_graph(), top=0)


# --------------------------------------------------------------------------------- communities


def test_louvain_is_reproducible_and_its_modularity_checks_out() -> None:
    projected = as_projection(MEETINGS)
    first = communities(projected, seed=42)
    again = communities(projected, seed=42)
    partition = [{m.id for m in c.members} for c in first.communities]
    assert partition == [{m.id for m in c.members} for c in again.communities]
    graph = plain(MEETINGS, directed=False)
    members = [m for part in partition for m in part]
    assert sorted(members) == sorted(graph) and len(members) == len(set(members))
    assert first.modularity == pytest.approx(nx.community.modularity(graph, partition))
    assert [len(p) for p in partition] == sorted((len(p) for p in partition), reverse=True)
    # Another seed may find another partition; its modularity is still its own.
    other = communities(projected, seed=7)
    other_partition = [{m.id for m in c.members} for c in other.communities]
    assert other.modularity == pytest.approx(nx.community.modularity(graph, other_partition))


def test_resolution_and_weights_reach_louvain() -> None:
    projected = as_projection(MEETINGS, scores=True)
    coarse = communities(projected, seed=1, resolution=0.3)
    fine = communities(projected, seed=1, resolution=3.0)
    assert len(fine.communities) > len(coarse.communities)
    weighted = communities(projected, seed=1, weighted=True)
    graph = plain(MEETINGS, directed=False, weighted=True)
    partition = [{m.id for m in c.members} for c in weighted.communities]
    assert weighted.modularity == pytest.approx(
        nx.community.modularity(graph, partition, weight="weight")
    )


def test_communities_as_data() -> None:
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    spheres(graph, a="state", b="state", c="criminal")
    data = communities(graph, seed=0).as_dict()
    assert data["communities"][0]["size"] == 3
    assert data["communities"][0]["spheres"] == {"state": 2, "criminal": 1}
    assert data["communities"][1]["spheres"] == {"none": 2}
    with pytest.raises(BadInput):
        communities(graph, resolution=0)
