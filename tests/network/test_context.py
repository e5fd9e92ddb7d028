"""The report as context for one's own graph: with `--graph mine`, the ties come from `mine`
only, but the curated entities its claims touch keep the names and spheres the report gives
them, and the output says which ones were brought in; `--only` keeps strictly `mine`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from conftest import Hilos
from hilos import resources
from hilos.network.projection import Filters, project
from hilos.store import CURATED_PREFIX, Store

HID = rdflib.Namespace("https://w3id.org/hilos/id/")
HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
ZETAS = HID["zetas"]
DEPUTY = "Diputada Fulana (ficticia)"
ONTOLOGY = rdflib.Graph().parse(resources.ontology_file())


def report_facts(entity: rdflib.URIRef) -> tuple[str, str, list[str]]:
    """The English label and sphere the report's files give `entity`, and the graphs (one per
    file) that describe it, read with rdflib."""
    label = sphere = ""
    graphs = []
    for path in resources.curated_files():
        graph = rdflib.Graph().parse(path, format="turtle")
        if (entity, rdflib.RDF.type, None) in graph or (entity, rdflib.RDFS.label, None) in graph:
            graphs.append(CURATED_PREFIX + path.stem)
        for value in graph.objects(entity, rdflib.RDFS.label):
            if isinstance(value, rdflib.Literal) and value.language == "en":
                label = str(value)
        for value in graph.objects(entity, HILOS.sphere):
            sphere = str(value)
        for cls in graph.objects(entity, rdflib.RDF.type):
            # the sphere a class implies: an owl:hasValue restriction on one of its superclasses
            for parent in ONTOLOGY.transitive_objects(cls, rdflib.RDFS.subClassOf):
                if (parent, rdflib.OWL.onProperty, HILOS.sphere) in ONTOLOGY:
                    sphere = str(ONTOLOGY.value(parent, rdflib.OWL.hasValue))
    name = sphere.rsplit("#", 1)[-1].removesuffix("Sphere").lower()
    return label, name, graphs


@pytest.fixture
def mine(hilos: Hilos) -> Hilos:
    for args in (
        ["entity", "add", DEPUTY, "--type", "diputada"],
        ["claim", "add", DEPUTY, "colusión", "hid:zetas", "--status", "presunto",
         "--source", "Entrevista 3 (2024)"],
    ):  # fmt: skip
        done = hilos(*args)
        assert done.exit_code == 0, done.stderr
    return hilos


def test_the_report_describes_the_entities_my_claims_touch(mine: Hilos) -> None:
    label, sphere, graphs = report_facts(ZETAS)
    assert label and sphere == "criminal" and graphs  # what the report says of the Zetas
    done = mine("centrality", "--graph", "mine", "--format", "json")
    assert done.exit_code == 0, done.stderr
    rows = {row["label"]: row for row in json.loads(done.stdout)}
    assert set(rows) == {DEPUTY, label}
    assert rows[label]["sphere"] == sphere and rows[DEPUTY]["sphere"] == "state"
    # and the output says so, naming the graphs it read
    assert "described by other loaded graphs" in done.stderr
    assert f"{label} ({', '.join(graphs)})" in " ".join(done.stderr.split())  # notes wrap


def test_a_chain_from_my_deputy_to_the_zetas(mine: Hilos) -> None:
    label, _, _ = report_facts(ZETAS)
    found = mine("chains", "--graph", "mine", "--format", "json")
    assert found.exit_code == 0, found.stderr
    chains = json.loads(found.stdout)["chains"]
    assert [[node["label"] for node in chain["nodes"]] for chain in chains] == [[DEPUTY, label]]
    assert any(label in line for line in json.loads(found.stdout)["network"])
    # strictly my graph: the Zetas are an id of no sphere, and there is no chain
    strict = mine("chains", "--graph", "mine", "--only")
    assert strict.exit_code == 1
    assert "hid:zetas" in strict.stderr and "--only" in strict.stderr


def test_only_my_ties_count(mine: Hilos, curated: rdflib.Graph) -> None:
    # the report ties the Zetas to others; with --graph mine none of those ties is in the network
    reported = {
        tie
        for tie in curated.subjects(HILOS["from"], ZETAS)
        if (tie, rdflib.RDF.type, None) in curated
    }
    assert reported
    sheets = str(Path(mine.store).parent / "sheets")
    done = mine("export", "csv", "--graph", "mine", "--all-claims", sheets)
    assert done.exit_code == 0, done.stderr
    ties = (Path(mine.store).parent / "sheets" / "ties.csv").read_text(encoding="utf-8")
    assert ties.count("\n") == 2  # the header and my one claim
    assert "Entrevista 3 (2024)" in ties


def test_paths_say_what_they_brought_in(mine: Hilos) -> None:
    label, sphere, graphs = report_facts(ZETAS)
    done = mine("paths", DEPUTY, "Zetas", "--graph", "mine")
    assert done.exit_code == 0, done.stderr
    assert f"→ collusion → {label} ({sphere})" in done.stdout  # the tie type's label
    assert f"{label} ({', '.join(graphs)})" in " ".join(done.stderr.split())  # notes wrap
    strict = mine("paths", DEPUTY, "Zetas", "--graph", "mine", "--only")
    assert strict.exit_code == 0 and "→ hid:zetas" in strict.stdout
    assert "hid:zetas" in strict.stderr and "--only" in strict.stderr


def test_a_place_my_claims_name_is_context_not_an_actor(mine: Hilos) -> None:
    # without the report the place was an entity of unknown kind, counted as an actor
    done = mine("claim", "add", DEPUTY, "presence", "hid:iguala", "--source", "Nota 1 (2024)")
    assert done.exit_code == 0, done.stderr
    ranked = mine("centrality", "--graph", "mine", "--format", "json")
    labels = {row["label"] for row in json.loads(ranked.stdout)}
    assert "hid:iguala" not in labels and not any("Iguala" in label for label in labels)
    strict = mine("centrality", "--graph", "mine", "--only", "--format", "json")
    assert "hid:iguala" in {row["label"] for row in json.loads(strict.stdout)}


def test_only_needs_graphs(hilos: Hilos) -> None:
    done = hilos("centrality", "--only")
    assert done.exit_code == 2 and "--graph" in done.stderr


def test_the_projection_records_what_it_brought_in(store_path: Path) -> None:
    from hilos import claims

    store = Store.open(store_path)
    try:
        claims.add_entity(store, DEPUTY, type="legislator")
        claims.add_claim(store, DEPUTY, "collusion", "hid:zetas", source="s", status="alleged")
        _, _, graphs = report_facts(ZETAS)
        context = project(store, Filters(graphs=("mine",)))
        assert context.described_elsewhere == {str(ZETAS): tuple(graphs)}
        assert context.graph.nodes[str(ZETAS)]["sphere"] == "criminal"
        strict = project(store, Filters(graphs=("mine",), only=True))
        assert strict.described_elsewhere == {str(ZETAS): tuple(graphs)}
        assert strict.graph.nodes[str(ZETAS)]["sphere"] is None
        whole = project(store)
        assert whole.described_elsewhere == {}
    finally:
        store.close()
