"""`hilos export gexf|graphml` as other tools read them: the official GEXF 1.3 schema
(xmlschema), networkx, igraph and graphology (graphology-gexf and graphology-graphml, the parsers
Gephi Lite uses, run by node).

Every value the readers give back is compared with what the source says: the curated Turtle
files, one more file of claims written here (partial dates, a confidence, several sources,
aliases) and the ontology's labels, all read with rdflib, not with hilos.
"""

from __future__ import annotations

import calendar
import json
import math
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest
import rdflib
import xmlschema
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import REPO, Hilos

HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SCHEMA = REPO / "tests" / "data" / "gexf" / "gexf.xsd"
JS = REPO / "tests" / "js"

EXTRA = """@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid: <https://w3id.org/hilos/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
hid:fx-mayor a hilos:Mayor ; rdfs:label "Mayor Equis"@en , "Alcalde Equis"@es ;
    skos:altLabel "El Jefe"@es , "The Boss"@en , "Equis, \\"X\\" \\\\ backslash"@en .
hid:fx-cartel a hilos:CriminalOrganization ; rdfs:label "Cártel Ye"@es ;
    skos:altLabel "Los Ye"@es .
hid:fx-paper a hilos:Source ; hilos:citation "Périodico, 2015" .
hid:fx-tie-months a hilos:Collusion ; hilos:from hid:fx-mayor ; hilos:to hid:fx-cartel ;
    hilos:status hilos:Reported ; hilos:confidence 0.6 ;
    hilos:start "2014-05"^^xsd:gYearMonth ; hilos:end "2016"^^xsd:gYear ;
    hilos:quote "The mayor worked with Cártel Ye from May 2014."@en ; hilos:locator "p. 3" ;
    prov:wasDerivedFrom hid:fx-paper , hid:report .
hid:fx-tie-leap a hilos:Bribery ; hilos:from hid:fx-cartel ; hilos:to hid:fx-mayor ;
    hilos:status hilos:Alleged ; hilos:confidence 0.25 ;
    hilos:start "2014-09-26"^^xsd:date ; hilos:end "2016-02"^^xsd:gYearMonth ;
    hilos:quote "Payments were said to continue until February 2016."@en ;
    hilos:locator "p. 4, note 2" ; prov:wasDerivedFrom hid:fx-paper .
"""


# ------------------------------------------------------------------------ the source, by rdflib


@pytest.fixture(scope="module")
def source(curated: rdflib.Graph, ontology: rdflib.Graph) -> rdflib.Graph:
    """What the store was loaded with: curated graph, the extra claims and the ontology."""
    graph = rdflib.Graph()
    for part in (curated, ontology):
        for triple in part:
            graph.add(triple)
    graph.parse(data=EXTRA, format="turtle")
    return graph


@dataclass
class Exported:
    gexf: Path
    graphml: Path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, _template_store: Path) -> Exported:
    """One store (curated graph and the extra claims), exported once with every claim."""
    folder = tmp_path_factory.mktemp("formats")
    store = folder / "store"
    shutil.copytree(_template_store, store)
    hilos = Hilos(store)
    extra = folder / "formats.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    assert hilos("load", str(extra)).exit_code == 0
    files = Exported(folder / "network.gexf", folder / "network.graphml")
    for fmt, target in (("gexf", files.gexf), ("graphml", files.graphml)):
        result = hilos("export", fmt, str(target), "--all-claims")
        assert result.exit_code == 0, result.stderr
    return files


def _label(graph: rdflib.Graph, iri: rdflib.term.Node, lang: str = "en") -> str | None:
    for value in graph.objects(iri, RDFS.label):
        if isinstance(value, rdflib.Literal) and value.language == lang:
            return str(value)
    return None


def first_day(date: str) -> str:
    """The first day of a partial date (2014 → 2014-01-01), computed here, not by hilos."""
    return {4: f"{date}-01-01", 7: f"{date}-01", 10: date}[len(date)]


def last_day(date: str) -> str:
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:])
        return f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def _joined(values: list[str]) -> str:
    return " | ".join(sorted(values))


def expected_edge(source: rdflib.Graph, tie: str) -> dict[str, Any]:
    """What the source says of a claim, under the names the exports use."""
    node = rdflib.URIRef(tie)
    status = source.value(node, HILOS.status)
    sources = sorted(source.objects(node, PROV.wasDerivedFrom), key=str)
    expected: dict[str, Any] = {
        "tie": tie,
        "status": _label(source, status) if status is not None else None,
        "status_iri": str(status) if status is not None else None,
        "quote": _joined([str(q) for q in source.objects(node, HILOS.quote)]) or None,
        "locator": _joined([str(q) for q in source.objects(node, HILOS.locator)]) or None,
        "citation": _joined([str(source.value(s, HILOS.citation)) for s in sources]) or None,
        "source_iris": " ".join(str(s) for s in sources) or None,
        "from": str(source.value(node, HILOS["from"])),
        "to": str(source.value(node, HILOS.to)),
    }
    confidence = source.value(node, HILOS.confidence)
    expected["confidence"] = float(confidence) if confidence is not None else None
    start, end = source.value(node, HILOS.start), source.value(node, HILOS.end)
    expected["start_as_stated"] = str(start) if start is not None else None
    expected["end_as_stated"] = str(end) if end is not None else None
    expected["valid_from"] = first_day(str(start)) if start is not None else None
    expected["valid_until"] = last_day(str(end)) if end is not None else None
    return expected


_SPHERES = """
SELECT DISTINCT ?sphere WHERE {
  { ?n hilos:sphere ?sphere }
  UNION { ?n a/rdfs:subClassOf* ?r . ?r owl:onProperty hilos:sphere ; owl:hasValue ?sphere }
}"""


def expected_node(source: rdflib.Graph, iri: str) -> dict[str, Any]:
    node = rdflib.URIRef(iri)
    spheres = {
        str(row[0])  # type: ignore[index]
        for row in source.query(
            _SPHERES, initNs={"hilos": HILOS, "owl": OWL, "rdfs": RDFS}, initBindings={"n": node}
        )
    }
    return {
        "labels": {str(label) for label in source.objects(node, RDFS.label)},
        "aliases": {str(alias) for alias in source.objects(node, SKOS.altLabel)},
        "types": {str(t) for t in source.objects(node, RDF.type)},
        "spheres": spheres,
    }


# ------------------------------------------------------------------------------- the readers


@dataclass
class Read:
    """A file as one client read it: node id -> attributes, tie IRI -> attributes (with
    `_source` and `_target`)."""

    nodes: dict[str, dict[str, Any]]
    edges: dict[str, dict[str, Any]]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what a reader fills in for a missing value (igraph: "" and NaN)."""
    return {
        k: v
        for k, v in data.items()
        if v is not None and v != "" and not (isinstance(v, float) and math.isnan(v))
    }


def _from_networkx(graph: nx.MultiDiGraph) -> Read:
    edges = {}
    for u, v, data in graph.edges(data=True):
        edges[data["tie"]] = {**_clean(data), "_source": u, "_target": v}
    return Read({n: _clean(d) for n, d in graph.nodes(data=True)}, edges)


def read_networkx_gexf(path: Path) -> Read:
    return _from_networkx(nx.read_gexf(path))


def read_networkx_graphml(path: Path) -> Read:
    return _from_networkx(nx.read_graphml(path))


def read_igraph_graphml(path: Path) -> Read:
    graph = igraph.Graph.Read_GraphML(str(path))
    ids = graph.vs["id"]
    nodes = {vertex["id"]: _clean(vertex.attributes()) for vertex in graph.vs}
    edges = {}
    for edge in graph.es:
        data = _clean(edge.attributes())
        edges[data["tie"]] = {**data, "_source": ids[edge.source], "_target": ids[edge.target]}
    return Read(nodes, edges)


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (CI installs Debian's nodejs: see .ci/run)")
    if not (JS / "node_modules" / "graphology-gexf").is_dir():
        pytest.skip("graphology is not installed: run `npm ci` in tests/js (CI does)")
    return node


def _graphology(fmt: str, path: Path) -> Read:
    done = subprocess.run(
        [_node(), str(JS / "read-graph.js"), fmt, str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    exported = json.loads(done.stdout)
    nodes = {n["key"]: _clean(n.get("attributes", {})) for n in exported["nodes"]}
    edges = {}
    for edge in exported["edges"]:
        data = _clean(edge.get("attributes", {}))
        edges[data["tie"]] = {**data, "_source": edge["source"], "_target": edge["target"]}
    return Read(nodes, edges)


def read_graphology_gexf(path: Path) -> Read:
    return _graphology("gexf", path)


def read_graphology_graphml(path: Path) -> Read:
    return _graphology("graphml", path)


READERS: dict[str, tuple[str, Callable[[Path], Read]]] = {
    "networkx-gexf": ("gexf", read_networkx_gexf),
    "networkx-graphml": ("graphml", read_networkx_graphml),
    "igraph-graphml": ("graphml", read_igraph_graphml),
    "graphology-gexf": ("gexf", read_graphology_gexf),
    "graphology-graphml": ("graphml", read_graphology_graphml),
}


@pytest.fixture(params=list(READERS))
def read(request: pytest.FixtureRequest, exported: Exported) -> Read:
    fmt, reader = READERS[request.param]
    return reader(exported.gexf if fmt == "gexf" else exported.graphml)


# --------------------------------------------------------------------------------- the tests


def test_gexf_is_valid_against_the_official_gexf_1_3_schema(exported: Exported) -> None:
    schema = xmlschema.XMLSchema(SCHEMA)
    errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(str(exported.gexf))]
    assert errors == []


EVIDENCE = ("quote", "citation", "locator", "confidence", "status", "status_iri", "source_iris")
DATES = ("start_as_stated", "end_as_stated", "valid_from", "valid_until")


def test_every_claim_keeps_its_evidence_and_dates(read: Read, source: rdflib.Graph) -> None:
    """Each edge is one claim, with its status (label and IRI), confidence, quote, citation,
    locator, sources and dates as the source gives them."""
    assert len(read.edges) > 50
    assert {
        "https://w3id.org/hilos/id/fx-tie-months",
        "https://w3id.org/hilos/id/fx-tie-leap",
    } <= set(read.edges)
    for tie, got in read.edges.items():
        expected = expected_edge(source, tie)
        assert (got["_source"], got["_target"]) == (expected["from"], expected["to"]), tie
        for name in (*EVIDENCE, *DATES):
            assert got.get(name) == expected[name], (tie, name)
        relation = got["relation_iri"]
        assert rdflib.URIRef(relation) in set(source.objects(rdflib.URIRef(tie), RDF.type))
        assert got["relation"] == _label(source, rdflib.URIRef(relation))


def test_graphology_gexf_sees_every_tie_date(exported: Exported, source: rdflib.Graph) -> None:
    """graphology-gexf ignores an edge's GEXF `start`/`end`: the dates must be attributes."""
    read = read_graphology_gexf(exported.gexf)
    dated = 0
    for tie, got in read.edges.items():
        expected = expected_edge(source, tie)
        for name in ("start_as_stated", "end_as_stated"):
            if expected[name] is not None:
                dated += 1
                assert expected[name] in got.values(), (tie, name)
    assert dated >= 8


def test_partial_dates_become_whole_periods(read: Read) -> None:
    months = read.edges["https://w3id.org/hilos/id/fx-tie-months"]
    assert (months["start_as_stated"], months["valid_from"]) == ("2014-05", "2014-05-01")
    assert (months["end_as_stated"], months["valid_until"]) == ("2016", "2016-12-31")
    leap = read.edges["https://w3id.org/hilos/id/fx-tie-leap"]
    assert (leap["valid_from"], leap["valid_until"]) == ("2014-09-26", "2016-02-29")


def test_networkx_reads_the_gexf_time_interval(exported: Exported, source: rdflib.Graph) -> None:
    """The GEXF `start`/`end` of an edge (Gephi's timeline) are the period's first and last
    day, with timeformat="date"."""
    graph = nx.read_gexf(exported.gexf)
    dated = 0
    for _, _, data in graph.edges(data=True):
        expected = expected_edge(source, data["tie"])
        assert data.get("start") == expected["valid_from"]
        assert data.get("end") == expected["valid_until"]
        dated += data.get("start") is not None
    assert dated >= 5


def test_every_node_keeps_its_sphere_types_and_aliases(read: Read, source: rdflib.Graph) -> None:
    assert len(read.nodes) > 50
    for iri, got in read.nodes.items():
        expected = expected_node(source, iri)
        assert got["label"] in expected["labels"], iri
        aliases = set(got["aliases"].split(" | ")) if "aliases" in got else set()
        assert aliases == expected["aliases"], iri
        type_iris = got["type_iris"].split()
        assert type_iris and set(type_iris) <= expected["types"], iri
        assert got["types"].split(" | ") == [_label(source, rdflib.URIRef(t)) for t in type_iris]
        spheres = got.get("sphere_iris", "").split()
        assert set(spheres) == expected["spheres"], iri
        if spheres:
            assert got["sphere_iri"] == spheres[0]
            assert got["sphere"] == _label(source, rdflib.URIRef(spheres[0]))
    mayor = read.nodes["https://w3id.org/hilos/id/fx-mayor"]
    assert mayor["sphere"] == "state" and mayor["types"] == "mayor"
    assert 'Equis, "X" \\ backslash' in mayor["aliases"].split(" | ")


HOSTILE = """@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid: <https://w3id.org/hilos/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
hid:h-a a hilos:Person ; rdfs:label "bell\\u0007 <b>&amp; ]]> \\"a\\"\\n  two  lines" ;
    skos:altLabel "tab\\there" .
hid:h-b a hilos:Person ; rdfs:label "B" .
hid:h-tie a hilos:Kinship ; hilos:from hid:h-a ; hilos:to hid:h-b ;
    hilos:status hilos:Reported ; hilos:start "2016"^^xsd:gYear ; hilos:end "2014"^^xsd:gYear ;
    hilos:quote "<script>alert(1)</script>\\r\\nline"@en ; prov:wasDerivedFrom hid:report .
hid:h-tie2 a hilos:Kinship ; hilos:from hid:h-b ; hilos:to hid:h-a ;
    hilos:status hilos:Reported ; hilos:start "2015-02-29"^^xsd:date ;
    hilos:quote "a date that is no day"@en ; prov:wasDerivedFrom hid:report .
"""


def test_hostile_text_and_impossible_dates_stay_valid_gexf(hilos: Hilos, tmp_path: Path) -> None:
    """Markup, control characters and line breaks in names and quotes, an end before the start
    and a day that does not exist: still a valid GEXF 1.3 file, the text kept as text."""
    path = tmp_path / "hostile.ttl"
    path.write_text(HOSTILE, encoding="utf-8")
    assert hilos("load", str(path)).exit_code == 0
    target = tmp_path / "hostile.gexf"
    result = hilos("export", "gexf", str(target), "--graph", "hostile")
    assert result.exit_code == 0, result.stderr
    schema = xmlschema.XMLSchema(SCHEMA)
    assert [f"{e.path}: {e.reason}" for e in schema.iter_errors(str(target))] == []
    read = nx.read_gexf(target)
    label = read.nodes["https://w3id.org/hilos/id/h-a"]["label"]
    assert label == 'bell <b>&amp; ]]> "a"\n  two  lines'
    edges = {d["tie"]: d for _, _, d in read.edges(data=True)}
    backwards = edges["https://w3id.org/hilos/id/h-tie"]
    assert "start" not in backwards and "end" not in backwards  # no interval Gephi refuses
    assert (backwards["start_as_stated"], backwards["end_as_stated"]) == ("2016", "2014")
    assert backwards["quote"] == "<script>alert(1)</script>\r\nline"
    impossible = edges["https://w3id.org/hilos/id/h-tie2"]
    assert impossible["start_as_stated"] == "2015-02-29"
    assert "start" not in impossible and "valid_from" not in impossible
