"""Evidence paths and collusion chains on the curated graph and on small hand-made graphs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import rdflib

from hilos.errors import BadInput, NotFound
from hilos.network.paths import consistent, find_chains, find_paths
from hilos.network.projection import Filters, project
from hilos.store import Store

REPO = Path(__file__).resolve().parents[2]
HID = "https://w3id.org/hilos/id/"
HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
ABARCA, POLICE, GU = (
    HID + "jose-luis-abarca",
    HID + "iguala-municipal-police",
    HID + "guerreros-unidos",
)


def iguala_quotes() -> dict[str, str]:
    """The quote of every tie in graph/iguala.ttl, read from the file."""
    graph = rdflib.Graph().parse(REPO / "graph" / "iguala.ttl")
    return {str(t): str(q) for t, q in graph.subject_objects(HILOS.quote)}


def test_the_iguala_chain_with_the_reports_sentence_on_every_hop(memory_store: Store) -> None:
    projection = project(memory_store, Filters(directed=False))
    best = find_paths(memory_store, projection, ABARCA, GU)[0]
    assert [n.id for n in best.nodes] == [ABARCA, POLICE, GU]
    assert [h.relation for h in best.hops] == ["hilos:Command", "hilos:Collusion"]
    quotes = iguala_quotes()
    for hop in best.hops:
        assert [s.quote for s in hop.sources if s.quote] == [quotes[hop.tie]]
        assert hop.status == "reported"
    # two reported ties: 0.7 × 0.7
    assert best.score == pytest.approx(0.49)


def test_paths_are_ranked_by_evidence(memory_store: Store) -> None:
    projection = project(memory_store, Filters(directed=False))
    found = find_paths(memory_store, projection, ABARCA, GU, limit=5)
    scores = [p.score for p in found]
    assert scores == sorted(scores, reverse=True)
    for path in found:
        assert path.score == pytest.approx(
            __import__("math").prod(h.score for h in path.hops), abs=1e-6
        )
        assert len({n.id for n in path.nodes}) == len(path.nodes)  # simple paths


def test_as_of_and_min_status_change_the_answer(memory_store: Store) -> None:
    before = project(memory_store, Filters(directed=False, as_of="2010"))
    # the hand-over to Guerreros Unidos starts on 2014-09-26, so in 2010 it is not there
    try:
        found = find_paths(memory_store, before, ABARCA, GU)
    except NotFound:
        found = []
    assert all(
        h.tie != HID + "tie-iguala-police-colludes-with-guerreros-unidos"
        for p in found
        for h in p.hops
    )
    strong = project(memory_store, Filters(directed=False, min_status="reported"))
    for path in find_paths(memory_store, strong, ABARCA, GU, limit=10):
        assert all(h.status in ("reported", "confirmed") for h in path.hops)
    everything = project(memory_store, Filters(directed=False))
    weak = [
        p
        for p in find_paths(memory_store, everything, ABARCA, GU, limit=10)
        if any(h.status == "alleged" for h in p.hops)
    ]
    assert weak, "without the filter some paths rest on alleged ties"


def test_direction_matters_when_asked(memory_store: Store) -> None:
    directed = project(memory_store, Filters(directed=True))
    with pytest.raises(NotFound):
        find_paths(memory_store, directed, GU, ABARCA)
    assert find_paths(memory_store, directed, ABARCA, GU)


def test_bad_path_requests(memory_store: Store) -> None:
    projection = project(memory_store, Filters(directed=False))
    with pytest.raises(BadInput):
        find_paths(memory_store, projection, ABARCA, ABARCA)
    with pytest.raises(BadInput):
        find_paths(memory_store, projection, ABARCA, GU, limit=0)
    with pytest.raises(NotFound):
        find_paths(memory_store, projection, ABARCA, GU, max_hops=1)
    excluded = project(memory_store, Filters(directed=False, exclude=(POLICE,)))
    with pytest.raises(NotFound):
        find_paths(memory_store, excluded, POLICE, GU)


TIMES = textwrap.dedent(
    """\
    @prefix hilos: <https://w3id.org/hilos/ontology#> .
    @prefix prov: <http://www.w3.org/ns/prov#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix ex: <https://example.org/t/> .
    ex:mayor a hilos:Mayor ; rdfs:label "Mayor T"@en .
    ex:chief a hilos:MunicipalPolice ; rdfs:label "Police T"@en .
    ex:gang a hilos:CriminalOrganization ; rdfs:label "Gang T"@en .
    ex:t1 a hilos:Command ; hilos:from ex:mayor ; hilos:to ex:chief ; hilos:status hilos:Reported ;
        hilos:end "2010"^^xsd:gYear ; prov:wasDerivedFrom ex:s .
    ex:t2 a hilos:Collusion ; hilos:from ex:chief ; hilos:to ex:gang ; hilos:status hilos:Alleged ;
        hilos:start "2012"^^xsd:gYear ; prov:wasDerivedFrom ex:s .
    ex:t3 a hilos:Bribery ; hilos:from ex:gang ; hilos:to ex:chief ; hilos:status hilos:Alleged ;
        hilos:start "2009"^^xsd:gYear ; hilos:confidence 0.5 ; prov:wasDerivedFrom ex:s .
    """
)


def test_time_consistent_paths_need_overlapping_ties(tmp_path: Path) -> None:
    path = tmp_path / "times.ttl"
    path.write_text(TIMES, encoding="utf-8")
    store = Store.in_memory()
    store.load(path)
    projection = project(store, Filters(graphs=("times",), directed=False))
    mayor, gang = "https://example.org/t/mayor", "https://example.org/t/gang"
    best = find_paths(store, projection, mayor, gang)[0]
    # strongest: command (0.7) then the alleged collusion (0.4), but they never overlap
    assert [h.tie.rsplit("/", 1)[1] for h in best.hops] == ["t1", "t2"]
    assert best.score == pytest.approx(0.7 * 0.4)
    timely = find_paths(store, projection, mayor, gang, time_consistent=True)[0]
    assert [h.tie.rsplit("/", 1)[1] for h in timely.hops] == ["t1", "t3"]
    assert timely.score == pytest.approx(0.7 * 0.4 * 0.5)


def test_interval_overlap() -> None:
    assert consistent([(None, None), ("2014-09-26", None)])
    assert consistent([("2014", "2014"), ("2014-09-26", "2015")])
    assert not consistent([(None, "2010"), ("2012", None)])


def _family(name: str) -> set[str]:
    """The compact tie classes of a family with their sub-classes, read from the ontology."""
    ontology = rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")
    roots = set(ontology.subjects(HILOS.family, HILOS[name]))
    found = set()
    for root in roots:
        found |= set(ontology.transitive_subjects(rdflib.RDFS.subClassOf, root))
    return {"hilos:" + str(c).removeprefix(str(HILOS)) for c in found}


def test_chains_follow_the_collusion_rule(memory_store: Store) -> None:
    """Each chain: state actors joined by hierarchy, exactly one collusion-family crossing
    (named by the chain), then criminal actors joined by hierarchy. The direct crossing of the
    Iguala police is a chain of its own as well as part of the mayor's."""
    crossing, hierarchy = _family("CollusionFamily"), _family("HierarchyFamily")
    projection = project(memory_store, Filters(directed=False))
    chains, truncated = find_chains(memory_store, projection)
    assert not truncated
    sequences = [tuple(n.id for n in c.nodes) for c in chains]
    assert (ABARCA, POLICE, GU) in sequences
    assert (POLICE, GU) in sequences
    for chain in chains:
        at = chain.crossing
        assert at is not None
        for index, hop in enumerate(chain.hops):
            assert hop.relation in (crossing if index == at else hierarchy), (index, hop)
            assert hop.sources and hop.status
        for node in chain.nodes[: at + 1]:
            assert "state" in _spheres(memory_store, node.id)
        for node in chain.nodes[at + 1 :]:
            assert "criminal" in _spheres(memory_store, node.id)
    scores = [c.score for c in chains]
    assert scores == sorted(scores, reverse=True)
    # what the audit found called collusion: funding and mediation are never crossings
    relations = {h.relation for c in chains for h in c.hops}
    assert not relations & {"hilos:Funding", "hilos:Mediation", "hilos:Truce"}
    labels = {n.label for c in chains for n in c.nodes}
    assert "Self-defence forces" not in labels


def _spheres(store: Store, iri: str) -> tuple[str, ...]:
    from hilos.entities import describe

    return describe(store, iri).spheres


def test_chains_between_other_spheres(memory_store: Store) -> None:
    projection = project(memory_store, Filters(directed=False))
    chains, _ = find_chains(memory_store, projection, from_sphere="community")
    starts = {c.nodes[0].id for c in chains}
    assert HID + "self-defence-forces" in starts or HID + "michoacan-self-defence-group" in starts
    with pytest.raises(BadInput):
        find_chains(memory_store, projection, from_sphere="state", to_sphere="state")


def test_paths_and_chains_on_the_command_line(hilos) -> None:
    result = hilos("paths", "José Luis Abarca", "Guerreros Unidos", "--format", "json")
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout)["paths"][0]
    assert {"score", "nodes", "hops"} <= set(first)
    assert {
        "tie",
        "relation",
        "from",
        "to",
        "status",
        "confidence",
        "start",
        "end",
        "sources",
    } <= set(first["hops"][0])
    assert {"id", "citation", "quote", "locator"} <= set(first["hops"][0]["sources"][0])
    table = hilos("paths", "Abarca", "Guerreros Unidos")
    assert (
        table.exit_code == 0 and "→ command →" in table.stdout and "→ collusion →" in table.stdout
    )
    chains = hilos("chains", "--format", "csv")
    assert chains.exit_code == 0 and "Municipal police of Iguala" in chains.stdout
    same = hilos("paths", "Abarca", "José Luis Abarca")
    assert same.exit_code == 2 and len(same.stderr.strip().splitlines()) == 1
    none = hilos("paths", "Abarca", "Guerreros Unidos", "--tie-type", "kinship")
    assert none.exit_code == 1 and len(none.stderr.strip().splitlines()) == 1
    unknown = hilos("paths", "Nobody At All", "Guerreros Unidos")
    assert unknown.exit_code == 1
    ambiguous = hilos("paths", "police", "Guerreros Unidos")
    assert ambiguous.exit_code == 2 and "matches several entities" in ambiguous.stderr
    bad_type = hilos("chains", "--tie-type", "friendship")
    assert bad_type.exit_code == 2 and "unknown tie type" in bad_type.stderr
    empty = hilos("chains", "--as-of", "1800", "--min-status", "confirmed")
    assert empty.exit_code == 1


def test_chains_match_the_rule_written_plainly_on_random_networks() -> None:
    """Against the rule written plainly, on 300 seeded random networks: every simple walk of
    at most four hops that stays in the state sphere through hierarchy ties, crosses once into
    the criminal sphere through a collusion-family tie and goes on through hierarchy ties
    inside it — nothing more, nothing less."""
    import random

    import networkx as nx

    from hilos.network.projection import Projection

    crossing = {"hilos:Collusion", "hilos:Bribery", "hilos:Complicity"}
    hierarchy = {"hilos:Command", "hilos:Membership"}
    assert crossing <= _family("CollusionFamily") and hierarchy <= _family("HierarchyFamily")
    other = {"hilos:Funding", "hilos:Mediation", "hilos:Alliance"}
    relations = sorted(crossing | hierarchy | other)
    rng = random.Random(11)
    store = Store.in_memory()
    for _ in range(300):
        graph = nx.MultiDiGraph()
        nodes = [f"https://example.org/n{i}" for i in range(rng.randint(2, 7))]
        for n in nodes:
            sphere = rng.choice(["state", "state", "criminal", "criminal", "community"])
            graph.add_node(n, label=n, sphere=sphere, spheres=(sphere,), kind="organisation")
        for i in range(rng.randint(1, 12)):
            u, v = rng.sample(nodes, 2)
            relation = rng.choice(relations)
            graph.add_edge(
                u, v, key=f"https://example.org/t{i}", relation=relation, status="reported",
                confidence=None, score=0.7, start=None, end=None,
            )  # fmt: skip

        def linked(a: str, b: str, kinds: set[str], g: nx.MultiDiGraph = graph) -> bool:
            found = [*g.get_edge_data(a, b, default={}).values()]
            found += [*g.get_edge_data(b, a, default={}).values()]
            return any(d["relation"] in kinds for d in found)

        def sphere(n: str, g: nx.MultiDiGraph = graph) -> str:
            return str(g.nodes[n]["sphere"])

        expected = set()
        simple = nx.Graph(graph)
        for a in nodes:
            for b in nodes:
                if a == b:
                    continue
                for walk in nx.all_simple_paths(simple, a, b, cutoff=4):
                    switches = [
                        i
                        for i in range(len(walk) - 1)
                        if sphere(walk[i]) == "state" and sphere(walk[i + 1]) == "criminal"
                    ]
                    if len(switches) != 1:
                        continue
                    at = switches[0]
                    ok = all(sphere(n) == "state" for n in walk[: at + 1])
                    ok = ok and all(sphere(n) == "criminal" for n in walk[at + 1 :])
                    ok = ok and linked(walk[at], walk[at + 1], crossing)
                    ok = ok and all(
                        linked(walk[i], walk[i + 1], hierarchy)
                        for i in range(len(walk) - 1)
                        if i != at
                    )
                    if ok:
                        expected.add(tuple(walk))
        projection = Projection(graph=graph, filters=Filters())
        chains, _ = find_chains(store, projection)
        assert {tuple(n.id for n in c.nodes) for c in chains} == expected


# -- "no path", and why ------------------------------------------------------------------------


def _usable_parts(curated: rdflib.Graph) -> list[set[str]]:
    """The parts of the network of actors that claims join (refuted claims and claims that are
    not statements of fact join nothing), read from the Turtle with rdflib and networkx."""
    import networkx as nx

    onto = rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")
    actor_classes = set(onto.transitive_subjects(rdflib.RDFS.subClassOf, HILOS.Actor))
    actors = {str(s) for c in actor_classes for s in curated.subjects(rdflib.RDF.type, c)}
    graph = nx.Graph()
    for tie in set(curated.subjects(HILOS["from"], None)):
        a, b = str(curated.value(tie, HILOS["from"])), str(curated.value(tie, HILOS.to))
        if curated.value(tie, HILOS.status) == HILOS.Refuted or curated.value(tie, HILOS.modality):
            continue
        if a in actors and b in actors:
            graph.add_edge(a, b)
    return sorted(nx.connected_components(graph), key=lambda c: (len(c), sorted(c)))


def test_no_path_between_separate_parts_names_their_sizes(
    memory_store: Store, curated: rdflib.Graph
) -> None:
    from hilos.network.paths import NoPath, find_paths_in_store

    parts = _usable_parts(curated)
    small, big = sorted(parts[0])[0], sorted(parts[-1])[0]
    with pytest.raises(NoPath) as caught:
        find_paths_in_store(memory_store, Filters(), small, big)
    reason = caught.value.reason
    assert reason.kind == "components"
    assert (reason.source_part, reason.target_part) == (len(parts[0]), len(parts[-1]))
    assert reason.parts == len(parts)
    assert reason.filters == () and reason.cut_by == ()
    english = reason.describe("en")
    assert "separate parts" in english and "filter" not in english
    assert str(caught.value) == english  # the message the command line prints
    # the same through find_paths on a projection
    with pytest.raises(NoPath):
        find_paths(memory_store, project(memory_store, Filters()), small, big)


def test_no_path_names_the_filter_that_cut_it(memory_store: Store) -> None:
    from hilos.network.paths import NoPath, find_paths_in_store

    # No tie of the curated graph is confirmed (the report says "reported" at most on Iguala)
    with pytest.raises(NoPath) as caught:
        find_paths_in_store(memory_store, Filters(min_status="confirmed"), ABARCA, GU)
    reason = caught.value.reason
    assert reason.kind == "filters" and reason.cut_by == ("min_status",)
    assert reason.filters == (("min_status", "confirmed"),)
    assert "status at least confirmed" in reason.describe("en")
    spanish = reason.describe("es")
    assert "estatus mínimo: confirmado" in spanish and "filtro" in spanish
    data = reason.as_dict("es")
    assert data["cut_by"] == ["min_status"] and data["message"] == spanish
    # two filters, each of which alone cuts it: both named
    with pytest.raises(NoPath) as caught:
        find_paths_in_store(memory_store, Filters(min_status="confirmed", as_of="1990"), ABARCA, GU)
    assert caught.value.reason.kind == "filters"


def test_no_path_within_max_hops_says_how_many_it_takes(memory_store: Store) -> None:
    from hilos.network.paths import NoPath, find_paths_in_store

    with pytest.raises(NoPath) as caught:
        find_paths_in_store(memory_store, Filters(), ABARCA, GU, max_hops=1)
    reason = caught.value.reason
    assert reason.kind == "max_hops" and reason.hops_needed == 2  # Abarca → police → GU
    assert reason.describe("en").startswith("No direct tie between José Luis Abarca")


def test_chains_cut_short_say_so_and_keep_only_real_chains(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `_MAX_CHAINS` partial chains the search stops, says so, and what it found is a part
    of the whole list (every chain of it found by the full search too)."""
    from hilos.network import paths

    projection = project(memory_store, Filters(directed=False))
    whole, truncated = find_chains(memory_store, projection)
    assert not truncated
    monkeypatch.setattr(paths, "_MAX_CHAINS", 3)
    cut, truncated = find_chains(memory_store, projection)
    assert truncated
    assert len(cut) < len(whole)
    assert {tuple(h.tie for h in c.hops) for c in cut} <= {
        tuple(h.tie for h in c.hops) for c in whole
    }


ALONE = textwrap.dedent(
    """\
    @prefix hilos: <https://w3id.org/hilos/ontology#> .
    @prefix prov: <http://www.w3.org/ns/prov#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix ex: <https://example.org/a/> .
    ex:mayor a hilos:Mayor ; rdfs:label "Mayor A"@en .
    ex:chief a hilos:MunicipalPolice ; rdfs:label "Police A"@en .
    ex:gang a hilos:CriminalOrganization ; rdfs:label "Gang A"@en .
    ex:t1 a hilos:Command ; hilos:from ex:mayor ; hilos:to ex:chief ;
        hilos:status hilos:Refuted ; prov:wasDerivedFrom ex:s .
    ex:t2 a hilos:Collusion ; hilos:from ex:chief ; hilos:to ex:gang ;
        hilos:status hilos:Alleged ; prov:wasDerivedFrom ex:s .
    """
)


def test_no_path_from_an_actor_whose_only_tie_is_refuted(tmp_path: Path) -> None:
    """The mayor's one tie is refuted: it is alone (a part of one), the gang in a part of two."""
    from hilos.network.paths import NoPath, find_paths_in_store

    path = tmp_path / "alone.ttl"
    path.write_text(ALONE, encoding="utf-8")
    store = Store.in_memory()
    store.load(path)
    mayor, gang = "https://example.org/a/mayor", "https://example.org/a/gang"
    with pytest.raises(NoPath) as caught:
        find_paths_in_store(store, Filters(), mayor, gang)
    reason = caught.value.reason
    assert (reason.kind, reason.source_part, reason.target_part) == ("alone", 1, 2)
    assert "has no tie that can carry a path" in reason.describe("en")
    # named as the data names it, not by its identifier (it is not in the projection)
    assert reason.source_label == "Mayor A"
    assert "Mayor A" in reason.describe("en") and "example.org" not in reason.describe("en")
    # the other way round, the same reason about the same end
    with pytest.raises(NoPath) as caught:
        find_paths_in_store(store, Filters(), gang, mayor)
    reason = caught.value.reason
    assert (reason.kind, reason.source_part, reason.target_part) == ("alone", 2, 1)


def test_chains_read_each_claim_once_and_say_what_each_hop_alone_says(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chains share their claims: the evidence of each is read from the store once for the
    whole set, and every hop equals the hop built on its own (no claim's evidence lent to
    another)."""
    from hilos.network import evidence

    projection = project(memory_store, Filters(directed=False))
    graph = projection.graph
    read: list[tuple[str, str, str]] = []
    original = evidence.scored_claim

    def counted(store: Store, u: str, v: str, tie: str, data: object) -> evidence.ScoredClaim:
        read.append((u, v, tie))
        return original(store, u, v, tie, data)

    monkeypatch.setattr(evidence, "scored_claim", counted)
    chains, _ = find_chains(memory_store, projection)
    assert len(chains) > 5
    assert len(read) == len(set(read))  # once each
    walked = {(c.from_, c.to, c.tie) for chain in chains for h in chain.hops for c in h.claims}
    assert set(read) == walked
    monkeypatch.setattr(evidence, "scored_claim", original)
    for chain in chains:
        for step in chain.hops:
            alone = evidence.hop(
                memory_store, graph, step.from_, step.to, step.tie, step.forward, directed=False
            )
            assert step == alone


# ------------------------------------------------- why no path: the arrays and the graph agree

# Two actors tied to each other only, one with no tie at all, one whose only claim is refuted:
# parts of their own, beside the report's network.
APART = """
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/apart/> .
ex:a a hilos:StreetGang ; rdfs:label "Gang apart A"@en .
ex:b a hilos:StreetGang ; rdfs:label "Gang apart B"@en .
ex:alone a hilos:StreetGang ; rdfs:label "Gang alone"@en .
ex:refuted a hilos:StreetGang ; rdfs:label "Gang refuted"@en .
ex:t1 a hilos:Alliance ; hilos:from ex:a ; hilos:to ex:b ; hilos:status hilos:Confirmed .
ex:t2 a hilos:Alliance ; hilos:from ex:refuted ; hilos:to ex:a ; hilos:status hilos:Refuted .
"""


def _same_reach(store: Store, extra: list[str], pairs: int, seed: int) -> None:
    """Every sampled question (and each of `extra` against the sample) gets the same answer
    from the saved arrays as from the projected graph."""
    import random

    from hilos.network.paths import _reach, _reach_in_graph
    from hilos.network.saved import network_saved

    whole = Filters()
    assert network_saved(store, whole) is not None  # the arrays are what is compared
    graph = project(store, whole)
    rng = random.Random(seed)
    nodes = sorted(graph.graph.nodes)
    questions = [tuple(rng.sample(nodes, 2)) for _ in range(pairs)]
    questions += [(name, rng.choice(nodes)) for name in extra]
    questions += [(rng.choice(nodes), name) for name in extra]
    kinds = set()
    for a, b in questions:
        got = _reach(store, whole, a, b, "en")
        assert got == _reach_in_graph(store, graph, a, b, "en"), (a, b)
        kinds.add("none" if got is None else "apart" if got.needed is None else "joined")
    assert kinds >= {"joined", "apart"}, kinds


def test_why_no_path_reads_the_arrays_as_the_graph(tmp_path: Path) -> None:
    data = tmp_path / "apart.ttl"
    data.write_text(APART, encoding="utf-8")
    store = Store.in_memory()
    store.load(str(data), name="apart")
    apart = "https://example.org/apart/"
    place = "https://w3id.org/hilos/id/guerrero"  # context, not an actor of the network
    extra = [apart + "a", apart + "alone", apart + "refuted", place]
    _same_reach(store, extra, pairs=80, seed=1)


def test_why_no_path_reads_the_arrays_as_the_graph_on_a_generated_network(
    tmp_path: Path,
) -> None:
    from support import bench_generator

    data = tmp_path / "2k.nt"
    bench_generator("generate_for_paths").generate(2_000, data, seed=3)
    store = Store.open(tmp_path / "store")
    try:
        store.load(str(data), name="generated")
        _same_reach(store, [], pairs=150, seed=2)
    finally:
        store.close()
