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

REPO = Path(__file__).resolve().parents[1]
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


def test_chains_include_the_iguala_chain_and_no_sub_chains(memory_store: Store) -> None:
    projection = project(memory_store, Filters(directed=False))
    chains, truncated = find_chains(memory_store, projection)
    assert not truncated
    sequences = [tuple(n.id for n in c.nodes) for c in chains]
    assert (ABARCA, POLICE, GU) in sequences
    assert (POLICE, GU) not in sequences  # it lies inside the mayor's chain
    for chain in chains:
        assert chain.nodes[0].sphere == "state" or "state" in _spheres(
            memory_store, chain.nodes[0].id
        )
        assert chain.nodes[-1].sphere == "criminal"
        assert all(n.sphere != "criminal" for n in chain.nodes[:-1])
        for hop in chain.hops:
            assert hop.sources and hop.status
    scores = [c.score for c in chains]
    assert scores == sorted(scores, reverse=True)


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
    assert table.exit_code == 0 and "Command" in table.stdout and "Collusion" in table.stdout
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


def test_a_chain_inside_a_longer_one_is_left_out() -> None:
    """Against the rule written plainly: a sequence goes if any longer one holds it as a
    contiguous stretch; the rest come longest first, then in order."""
    import random

    from hilos.network.paths import _without_sub_chains

    def plainly(sequences: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        unique = set(sequences)

        def inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
            return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))

        kept = [s for s in unique if not any(len(o) > len(s) and inside(s, o) for o in unique)]
        return sorted(kept, key=lambda s: (-len(s), s))

    rng = random.Random(7)
    for _ in range(500):
        sequences = [
            tuple(rng.choice("abcde") for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(0, 25))
        ]
        assert _without_sub_chains(sequences) == plainly(sequences), sequences
