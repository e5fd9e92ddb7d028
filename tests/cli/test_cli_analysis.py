"""`hilos centrality`, `brokers`, `communities` and `disrupt` through the command line, on the
curated graph.

Expected values are computed here with plain networkx on the projected network (the input every
analysis shares) or counted with SPARQL on the store, never taken from the analysis code.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Hashable
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from hilos.cli.app import cli
from hilos.network.projection import Filters, project
from hilos.store import Store, solutions
from support import one_line_error

HID = "https://w3id.org/hilos/id/"
POLICE = HID + "iguala-municipal-police"
ABARCA = HID + "jose-luis-abarca"
GU = HID + "guerreros-unidos"
COMMANDS = ("centrality", "brokers", "communities", "disrupt")
# The tie types that `hilos chains` follows: cooperation of every kind, command, leadership,
# membership.
COLLUSION = ("cooperationtie", "command", "leadership", "membership")
COLLUSION_ARGS = [arg for name in COLLUSION for arg in ("--tie-type", name)]


# The actors of the network, as the design defines it: actors with a claim to another actor
# that is not refuted and is a statement of fact (statuses to fill in at %s).
ACTORS_IN_NETWORK = """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
    ?t a hilos:Tie ; hilos:status ?s ; hilos:from ?x ; hilos:to ?y .
    ?x a hilos:Actor . ?y a hilos:Actor .
    FILTER(?s IN (%s))
    FILTER NOT EXISTS { ?t hilos:modality ?m . FILTER(?m != hilos:AsStated) }
    { ?t hilos:from ?a } UNION { ?t hilos:to ?a }
    ?a a hilos:Actor }"""
NOT_REFUTED = "hilos:Alleged, hilos:Disputed, hilos:Reported, hilos:Confirmed"


def ok_json(result: Result) -> object:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def count(store: Store, query: str) -> int:
    (row,) = list(solutions(store.query(query)))
    return int(row["n"].value)


# ------------------------------------------------------------------- independent computations


def simple(store: Store, filters: Filters, *, directed: bool) -> nx.Graph:
    """The projected network as a plain networkx graph: one link per pair, no self-ties."""
    projected = project(store, filters).graph
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(projected.nodes(data=True))
    graph.add_edges_from((u, v) for u, v in projected.edges() if u != v)
    return graph


def expected_brokers(store: Store, filters: Filters) -> list[tuple[str, float, dict[str, int]]]:
    """Brokers as the issue defines them: cross-sphere betweenness from networkx's subset
    betweenness, Gould–Fernandez roles counted path by path; ordered by score, brokerage,
    label, id."""
    undirected = simple(store, filters, directed=False)
    sphere = {n: s for n, s in undirected.nodes(data="sphere") if s is not None}
    kinds = sorted(set(sphere.values()))
    score: dict[Hashable, float] = dict.fromkeys(undirected, 0.0)
    for kind in kinds:
        sources = [n for n, s in sphere.items() if s == kind]
        targets = [n for n, s in sphere.items() if s != kind]
        for node, value in nx.betweenness_centrality_subset(undirected, sources, targets).items():
            score[node] += value
    sizes = Counter(sphere.values())
    pairs = sum(sizes[a] * sizes[b] for a in kinds for b in kinds if a < b)
    # the roles on the ties as the command follows them: both ways unless --directed
    directed = simple(store, filters, directed=True)
    if not filters.directed:
        directed = directed.to_undirected().to_directed()
    roles: dict[Hashable, Counter[str]] = {n: Counter() for n in sphere}
    for b in sphere:
        for a in directed.predecessors(b):
            for c in directed.successors(b):
                if a not in sphere or c not in sphere or a == c or directed.has_edge(a, c):
                    continue
                sa, sb, sc = sphere[a], sphere[b], sphere[c]
                if sa == sb == sc:
                    roles[b]["coordinator"] += 1
                elif sa == sc:
                    roles[b]["itinerant"] += 1
                elif sb == sc:
                    roles[b]["gatekeeper"] += 1
                elif sa == sb:
                    roles[b]["representative"] += 1
                else:
                    roles[b]["liaison"] += 1
    rows = []
    for node in sphere:
        crossing = sum(v for k, v in roles[node].items() if k != "coordinator")
        value = score[node] / pairs
        if value > 0 or crossing > 0:
            label = undirected.nodes[node]["label"]
            rows.append((-float(f"{value:.10g}"), -crossing, label, node, value, roles[node]))
    rows.sort()
    return [(str(node), value, dict(+r)) for *_, node, value, r in rows]


# -------------------------------------------------------------------------------------- brokers


def test_brokers_rank_the_iguala_police_among_the_cross_sphere_brokers(
    hilos: Any, memory_store: Store
) -> None:
    everything = ok_json(hilos("brokers", "--format", "json"))
    assert isinstance(everything, list)
    expected = expected_brokers(memory_store, Filters())
    assert [b["id"] for b in everything] == [node for node, _, _ in expected]
    assert [b["score"] for b in everything] == pytest.approx([v for _, v, _ in expected])
    police = next(b for b in everything if b["id"] == POLICE)
    # On the whole network it is a broker: some cross-sphere shortest paths run through it,
    # and it is the representative of the state towards other spheres (the mayor → the police
    # → Guerreros Unidos among them).
    assert police["score"] > 0 and police["score"] == police["cross_sphere_betweenness"]
    assert police["roles"]["representative"] >= 2
    assert police["cross_sphere_brokerage"] == sum(
        v for k, v in police["roles"].items() if k != "coordinator"
    )
    undirected = simple(memory_store, Filters(), directed=False)
    assert undirected.has_edge(ABARCA, POLICE) and undirected.has_edge(POLICE, GU)
    assert not undirected.has_edge(ABARCA, GU)

    # Over the ties that make collusion chains, it ranks in the top 15.
    collusion = ok_json(hilos("brokers", "--top", "15", *COLLUSION_ARGS, "--format", "json"))
    assert isinstance(collusion, list)
    expected = expected_brokers(memory_store, Filters(tie_types=COLLUSION))
    assert [b["id"] for b in collusion] == [node for node, _, _ in expected][:15]
    assert POLICE in [b["id"] for b in collusion]
    police = next(b for b in collusion if b["id"] == POLICE)
    assert police["score"] > 0 and police["roles"]["representative"] >= 1


def test_brokers_as_table_and_csv(hilos: Any) -> None:
    table = hilos("brokers", "--top", "5")
    assert table.exit_code == 0, table.stderr
    assert "Mexican DTOs" in table.stdout and "https://" not in table.stdout
    assert "main role" in table.stdout.splitlines()[0]  # the role each plays most
    assert re.search(
        r"\b(coordinator|itinerant|gatekeeper|representative|liaison) \(\d+\)", table.stdout
    )
    rows = hilos("brokers", "--top", "3", "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("rank,id,label,sphere,cross_sphere_betweenness,coordinator")
    assert len(rows) == 4


# ----------------------------------------------------------------------------------- centrality


def test_centrality_degree_as_json(hilos: Any, memory_store: Store) -> None:
    ranking = ok_json(hilos("centrality", "--measure", "degree", "--format", "json"))
    assert isinstance(ranking, list)
    graph = simple(memory_store, Filters(), directed=False)  # one default: undirected
    degree = nx.degree_centrality(graph)
    assert len(ranking) == graph.number_of_nodes()
    for item in ranking:
        assert {"id", "label", "sphere", "score"} <= set(item)
        assert item["score"] == pytest.approx(degree[item["id"]])
        assert not item["label"].startswith("http")
    scores = [item["score"] for item in ranking]
    assert scores == sorted(scores, reverse=True)
    assert ranking[0]["id"] == max(degree, key=lambda n: degree[n])


def test_centrality_of_one_sphere(hilos: Any, memory_store: Store) -> None:
    ranking = ok_json(hilos("centrality", "--sphere", "criminal", "--format", "json"))
    assert isinstance(ranking, list)
    criminal_actors = count(
        memory_store,
        ACTORS_IN_NETWORK.replace("?a a hilos:Actor", "?a hilos:sphere hilos:CriminalSphere")
        % NOT_REFUTED,
    )
    assert len(ranking) == criminal_actors > 0
    assert {item["sphere"] for item in ranking} == {"criminal"}
    # Scores are measured on the whole network: the same as without --sphere.
    everyone = ok_json(hilos("centrality", "--format", "json"))
    assert isinstance(everyone, list)
    whole = {item["id"]: item["score"] for item in everyone}
    assert all(whole[item["id"]] == item["score"] for item in ranking)


def test_min_status_changes_the_answer(hilos: Any, memory_store: Store) -> None:
    everyone = ok_json(hilos("centrality", "--format", "json"))
    firm = ok_json(hilos("centrality", "--min-status", "reported", "--format", "json"))
    assert isinstance(everyone, list) and isinstance(firm, list)
    # actors with a claim to another actor: not refuted, a statement of fact, at least as firm
    # as asked
    with_firm_ties = count(memory_store, ACTORS_IN_NETWORK % "hilos:Reported, hilos:Confirmed")
    all_actors = count(memory_store, ACTORS_IN_NETWORK % NOT_REFUTED)
    assert len(firm) == with_firm_ties < len(everyone) == all_actors


def test_centrality_table_shows_labels(hilos: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per actor
    result = hilos("centrality", "--measure", "pagerank", "--top", "5")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "actor", "sphere", "pagerank"]
    assert len(lines) == 2 + 5
    assert "https://" not in result.stdout


def test_a_big_network_shows_progress(hilos: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import hilos.cli.analysis as analysis

    monkeypatch.setattr(analysis, "BIG_NETWORK", 10)
    result = hilos("centrality", "--measure", "betweenness", "--top", "3")
    assert result.exit_code == 0
    assert "Betweenness" in result.stderr


# -------------------------------------------------------------------------------------- disrupt


def test_disrupt_three_steps(hilos: Any, memory_store: Store) -> None:
    result = ok_json(hilos("disrupt", "--steps", "3", "--format", "json"))
    assert isinstance(result, dict)
    assert result["strategy"] == "degree" and result["mode"] == "sequential"
    steps = result["steps"]
    assert len(steps) == 4
    assert {k: steps[0][k] for k in ("removed", "lcc_fraction")} == {
        "removed": [],
        "lcc_fraction": 1.0,
    }
    fractions = [s["lcc_fraction"] for s in steps]
    assert fractions == sorted(fractions, reverse=True)
    assert all(len(s["removed"]) == 1 for s in steps[1:])
    graph = simple(memory_store, Filters(), directed=False)
    first = min(graph, key=lambda n: (-graph.degree(n), n))
    assert steps[1]["removed"] == [first]
    graph.remove_node(first)
    intact = max(
        len(c) for c in nx.connected_components(simple(memory_store, Filters(), directed=False))
    )
    left = max(len(c) for c in nx.connected_components(graph))
    assert steps[1]["lcc_fraction"] == pytest.approx(left / intact)


def test_disrupt_more_steps_than_actors(hilos: Any, memory_store: Store) -> None:
    graph = simple(memory_store, Filters(), directed=False)
    result = hilos("disrupt", "--steps", "100000", "--format", "json")
    data = ok_json(result)
    assert isinstance(data, dict)
    assert len(data["steps"]) == graph.number_of_nodes() + 1
    assert data["steps"][-1]["lcc_fraction"] == 0.0
    assert sorted(n for s in data["steps"] for n in s["removed"]) == sorted(graph)
    assert "no node left" in result.stderr


def test_disrupt_in_blocks_as_table(hilos: Any) -> None:
    result = hilos("disrupt", "--strategy", "betweenness", "--mode", "block", "--steps", "2")
    assert result.exit_code == 0, result.stderr
    assert "(intact network)" in result.stdout and "Mexican DTOs" in result.stdout
    assert "https://" not in result.stdout


# ---------------------------------------------------------------------------------- communities


def test_the_communities_json_is_the_encoders_text(memory_store: Store) -> None:
    """The JSON the command writes from templates is byte for byte `to_json`'s, on the curated
    graph and on members whose names need escaping or have no sphere."""
    from hilos.cli.analysis import communities_json, to_json
    from hilos.network.communities import communities

    graph = project(memory_store, Filters()).analysis_graph()
    for seed, weighted in [(0, False), (5, True)]:
        result = communities(graph, seed=seed, weighted=weighted)
        assert communities_json(result) == to_json(result.as_dict())
    odd = nx.Graph([('say "hi"\n', "Cherán ✓"), ("Cherán ✓", "a\\b"), ("x", "y")])
    odd.nodes["Cherán ✓"].update(label="Cherán\t✓", sphere="community")
    result = communities(odd, seed=1, resolution=0.5)
    assert communities_json(result) == to_json(result.as_dict())


def test_communities_as_json(hilos: Any, memory_store: Store) -> None:
    first = ok_json(hilos("communities", "--seed", "3", "--format", "json"))
    again = ok_json(hilos("communities", "--seed", "3", "--format", "json"))
    assert first == again
    assert isinstance(first, dict)
    graph = simple(memory_store, Filters(), directed=False)
    partition = [{m["id"] for m in c["members"]} for c in first["communities"]]
    assert sorted(n for part in partition for n in part) == sorted(graph)
    assert first["modularity"] == pytest.approx(nx.community.modularity(graph, partition))
    table = hilos("communities", "--seed", "3")
    assert "modularity" in table.stdout and "https://" not in table.stdout


# ----------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("command", COMMANDS)
def test_filters_that_leave_nothing(hilos: Any, memory_store: Store, command: str) -> None:
    confirmed = count(
        memory_store, "SELECT (COUNT(*) AS ?n) WHERE { ?t hilos:status hilos:Confirmed }"
    )
    assert confirmed == 0  # the report confirms nothing: no tie passes --min-status confirmed
    line = one_line_error(hilos(command, "--min-status", "confirmed"), 1)
    assert line == "no ties pass the filters"


@pytest.mark.parametrize(
    "arguments",
    [
        ("centrality", "--top", "0"),
        ("centrality", "--measure", "foo"),
        ("centrality", "--sphere", "military"),
        ("centrality", "--samples", "-1"),
        ("centrality", "--samples", "1", "--measure", "betweenness"),
        ("brokers", "--top", "0"),
        ("disrupt", "--block-size", "0"),
        ("disrupt", "--steps", "-1"),
        ("disrupt", "--strategy", "random"),
        ("communities", "--resolution", "0"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(hilos: Any, arguments: tuple[str, ...]) -> None:
    one_line_error(hilos(*arguments), 2)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    block = result.output.split("Examples:", 1)[1].strip().split("\n\n", 1)[0]
    examples = block.splitlines()
    assert len(examples) >= 2
    assert all(line.split()[:2] == ["hilos", command] for line in examples)
