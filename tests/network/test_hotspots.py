"""Hotspots: places ranked for geographic sequencing, each component checked against the files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from hilos.errors import BadInput
from hilos.network.hotspots import WEIGHTS, hotspots
from hilos.network.projection import Filters
from hilos.store import Store

REPO = Path(__file__).resolve().parents[2]
HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
HID = rdflib.Namespace("https://w3id.org/hilos/id/")
STATUS_WEIGHT = {"Confirmed": 1.0, "Reported": 0.7, "Alleged": 0.4, "Disputed": 0.2, "Refuted": 0.0}


@pytest.fixture(scope="module")
def curated() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((REPO / "graph").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def tie_score(graph: rdflib.Graph, tie: rdflib.term.Node) -> float:
    status = str(graph.value(tie, HILOS.status)).rsplit("#", 1)[1]
    confidence = graph.value(tie, HILOS.confidence)
    return STATUS_WEIGHT[status] * (float(confidence) if confidence is not None else 1.0)


def test_michoacan_and_guerrero_lead_the_states(memory_store: Store) -> None:
    ranked = hotspots(memory_store, kind="state")[0]
    assert {h.id for h in ranked[:2]} == {str(HID.michoacan), str(HID.guerrero)}
    assert all("hilos:FederalState" in h.kind for h in ranked)
    scores = [h.score for h in ranked]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("state", ["michoacan", "guerrero", "chihuahua"])
def test_components_match_the_files(memory_store: Store, curated: rdflib.Graph, state: str) -> None:
    place = HID[state]
    # places within the state count for it
    inside = {place} | set(
        curated.subjects(rdflib.URIRef("http://www.opengis.net/ont/geosparql#sfWithin"), place)
    )
    drivers = sum(
        tie_score(curated, t)
        for t in curated.subjects(rdflib.RDF.type, HILOS.ViolenceDriver)
        if curated.value(t, HILOS.to) in inside
    )
    # named a priority: every claim of a policy or recommendation about the place (what a
    # recommendation recommends included)
    policy_types = {HILOS.Policy, HILOS.Strategy, HILOS.Recommendation}
    priority = sum(
        tie_score(curated, t)
        for t in set(curated.subjects(HILOS.to, place))
        if set(curated.objects(curated.value(t, HILOS["from"]), rdflib.RDF.type)) & policy_types
    )
    assert priority > 0
    ranked, level = hotspots(memory_store, kind="state")
    assert level == "state"
    (spot,) = [h for h in ranked if h.id == str(place)]
    assert spot.components["violence_drivers"] == pytest.approx(drivers)
    assert spot.components["priority"] == pytest.approx(priority)
    assert spot.score == pytest.approx(sum(WEIGHTS[k] * v for k, v in spot.components.items()))


def test_filters_change_the_ranking(memory_store: Store) -> None:
    everything = hotspots(memory_store, kind="state")[0]
    presence_only = hotspots(memory_store, Filters(tie_types=("presence",)), kind="state")[0]
    assert all(h.components["violence_drivers"] == 0 for h in presence_only)
    assert [h.id for h in everything] != [h.id for h in presence_only]


def test_bad_hotspot_requests(memory_store: Store) -> None:
    with pytest.raises(BadInput):
        hotspots(memory_store, kind="galaxy")
    with pytest.raises(BadInput):
        hotspots(memory_store, top=0)


def test_places_of_one_level_by_default(memory_store: Store, curated: rdflib.Graph) -> None:
    """Without --kind, the places compared are of one level: the level with the most places
    that score (the report's states), so neither Mexico nor Latin America tops Michoacán."""
    ranked, level = hotspots(memory_store)
    assert level == "state"
    states = {str(s) for s in curated.subjects(rdflib.RDF.type, HILOS.FederalState)}
    assert {h.id for h in ranked} <= states
    assert ranked[0].id in {str(HID.michoacan), str(HID.guerrero)}


def test_hotspots_on_the_command_line(hilos) -> None:
    result = hilos("hotspots", "--kind", "state", "--top", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    ranked = json.loads(result.stdout)
    assert len(ranked) == 3
    assert {"id", "label", "score", "components"} <= set(ranked[0])
    assert ranked[0]["score"] >= ranked[1]["score"] >= ranked[2]["score"]
    empty = hilos("hotspots", "--graph", "report/iguala", "--tie-type", "kinship")
    assert empty.exit_code == 1 and len(empty.stderr.strip().splitlines()) == 1
