"""`hilos.export.network_files` called directly: a network of two actors and two claims,
written here in Turtle, flattened for GEXF and GraphML, written as GEXF, and as CSV sheets.

Expected values are worked out by hand from the Turtle below and the ontology (labels, the
status weights read from ontology/hilos.ttl with rdflib); files are read back by parsing them.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from hilos.errors import BadInput
from hilos.export.network_files import (
    GEXF_NAMESPACE,
    NODE_COLUMNS,
    TIE_COLUMNS,
    csv_sheets,
    first_day,
    flat_graph,
    gexf_document,
    last_day,
    write_csv_dir,
    write_gexf,
    xml_text,
)
from hilos.network.projection import Filters, Projection, project
from hilos.store import Store

REPO = Path(__file__).resolve().parents[2]
HID = "https://w3id.org/hilos/id/"
ONTO = "https://w3id.org/hilos/ontology#"
MAYOR, GROUP, TIE_1, TIE_2 = HID + "mayor-x", HID + "group-y", HID + "tie-1", HID + "tie-2"

# A mayor protects a group (alleged, confidence 0.5, May 2014 to 2016, partially, two sources,
# a quote holding a control character XML cannot carry); the group bribes the mayor (reported,
# a source with no citation).
SMALL = """\
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid:   <https://w3id.org/hilos/id/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:  <http://www.w3.org/ns/prov#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .

hid:mayor-x a hilos:Mayor ; rdfs:label "Mayor X"@en ; skos:altLabel "El Alcalde" , "Don X" .
hid:group-y a hilos:CriminalOrganization ; rdfs:label "Group Y"@en .
hid:src-1 a hilos:Source ; rdfs:label "Interview 1" ; hilos:citation "Interview 1 (2024)" .
hid:src-2 a hilos:Source ; rdfs:label "Court file" ; hilos:citation "Court file 7 (2019)" .
hid:tie-1 a hilos:Protection ; hilos:from hid:mayor-x ; hilos:to hid:group-y ;
    hilos:status hilos:Alleged ; hilos:confidence 0.5 ;
    hilos:start "2014-05"^^xsd:gYearMonth ; hilos:end "2016"^^xsd:gYear ;
    hilos:quote "He warned them of raids\\u0007." ; hilos:locator "p. 4" ;
    hilos:qualifier hilos:Partially ;
    prov:wasDerivedFrom hid:src-1 , hid:src-2 .
hid:tie-2 a hilos:Bribery ; hilos:from hid:group-y ; hilos:to hid:mayor-x ;
    hilos:status hilos:Reported ; prov:wasDerivedFrom hid:src-3 .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    small = tmp_path_factory.mktemp("network-files") / "small.ttl"
    small.write_text(SMALL, encoding="utf-8")
    store = Store.empty()
    store.load(REPO / "ontology" / "hilos.ttl", name="ontology")
    store.load(small, name="small")
    return store


@pytest.fixture(scope="module")
def projection(store: Store) -> Projection:
    return project(store, Filters())


def weight(status: str) -> float:
    """A status's weight as the ontology states it."""
    onto = rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")
    value = onto.value(rdflib.URIRef(ONTO + status), rdflib.URIRef(ONTO + "weight"))
    assert value is not None
    return float(value)


# --- the helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2014", "2014-01-01", "2014-12-31"),
        ("2016-02", "2016-02-01", "2016-02-29"),  # a leap year
        ("2015-02", "2015-02-01", "2015-02-28"),
        ("2014-09-26", "2014-09-26", "2014-09-26"),
        ("2014-09-26T10:00:00Z", "2014-09-26", "2014-09-26"),
        ("2014-13", None, None),
        ("c. 2014", None, None),
    ],
)
def test_a_partial_date_covers_whole_days(text: str, first: str | None, last: str | None) -> None:
    assert (first_day(text), last_day(text)) == (first, last)


def test_xml_text_drops_what_xml_cannot_carry_and_keeps_the_rest() -> None:
    assert xml_text("a\x00b\x07c\tñ\ufffe\U0001f600") == "abc\tñ\U0001f600"
    assert xml_text(0.25) == 0.25


# --- the flat graph ---------------------------------------------------------------------------


def test_nodes_carry_labels_spheres_types_and_aliases(store: Store, projection: Projection) -> None:
    graph = flat_graph(store, projection)
    assert list(graph.nodes) == [GROUP, MAYOR]  # in order of their IRIs
    assert graph.nodes[MAYOR] == {
        "label": "Mayor X",
        "sphere": "state",
        "sphere_iri": ONTO + "StateSphere",
        "spheres": "state",
        "sphere_iris": ONTO + "StateSphere",
        "kind": "person",
        "types": "mayor",
        "type_iris": ONTO + "Mayor",
        "aliases": "Don X | El Alcalde",  # sorted, joined
    }
    assert "aliases" not in graph.nodes[GROUP]  # nothing empty is kept
    assert graph.nodes[GROUP]["sphere_iri"] == ONTO + "CriminalSphere"


def test_each_claim_is_an_edge_with_its_evidence(store: Store, projection: Projection) -> None:
    graph = flat_graph(store, projection)
    assert [key for _, _, key in graph.edges(keys=True)] == [TIE_2, TIE_1]  # by source node
    protection = graph.edges[MAYOR, GROUP, TIE_1]
    assert protection == {
        "tie": TIE_1,
        "relation": "protection",
        "relation_iri": ONTO + "Protection",
        "status": "alleged",
        "status_iri": ONTO + "Alleged",
        "confidence": 0.5,
        "score": pytest.approx(weight("Alleged") * 0.5),
        "valid_from": "2014-05-01",
        "valid_until": "2016-12-31",
        "start_as_stated": "2014-05",
        "end_as_stated": "2016",
        "modality": "stated",
        "quote": "He warned them of raids.",  # the BEL character dropped
        "citation": "Court file 7 (2019) | Interview 1 (2024)",
        "locator": "p. 4",
        "source_iris": f"{HID}src-1 {HID}src-2",
        "qualifiers": "partially",
    }
    bribery = graph.edges[GROUP, MAYOR, TIE_2]
    # a source without a citation is cited by its compact IRI; no confidence, no dates
    assert bribery["citation"] == "hid:src-3"
    assert bribery["score"] == pytest.approx(weight("Reported"))
    assert not {"confidence", "valid_from", "valid_until", "quote"} & set(bribery)


def test_labels_follow_the_language(store: Store, projection: Projection) -> None:
    graph = flat_graph(store, projection, lang="es")
    assert graph.nodes[MAYOR]["types"] == "presidente municipal"
    assert graph.edges[GROUP, MAYOR, TIE_2]["relation"] == "soborno"
    assert graph.edges[GROUP, MAYOR, TIE_2]["relation_iri"] == ONTO + "Bribery"


def test_a_status_filter_leaves_the_weaker_claim_out(store: Store) -> None:
    graph = flat_graph(store, project(store, Filters(min_status="reported")))
    assert [key for _, _, key in graph.edges(keys=True)] == [TIE_2]


# --- GEXF -------------------------------------------------------------------------------------


def _gexf(root: ET.Element, path: str) -> list[ET.Element]:
    return root.findall(path.replace("g:", f"{{{GEXF_NAMESPACE}}}"))


def test_gexf_gives_dated_claims_an_interval(store: Store, projection: Projection) -> None:
    buffer = io.BytesIO()
    write_gexf(store, projection, buffer)
    root = ET.fromstring(buffer.getvalue())
    (graph,) = _gexf(root, "g:graph")
    assert graph.attrib == {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date"}
    edges = {e.attrib["id"]: e.attrib for e in _gexf(root, "g:graph/g:edges/g:edge")}
    assert edges[TIE_1] == {
        "id": TIE_1,
        "source": MAYOR,
        "target": GROUP,
        "label": "protection",
        "start": "2014-05-01",
        "end": "2016-12-31",
    }
    assert "start" not in edges[TIE_2] and "end" not in edges[TIE_2]
    declared = {
        a.attrib["id"]: a.attrib["type"] for a in _gexf(root, "g:graph/g:attributes/g:attribute")
    }
    assert declared["confidence"] == "double" and declared["quote"] == "string"
    (description,) = _gexf(root, "g:meta/g:description")
    assert (description.text or "").startswith("A hilos network: 2 nodes and 2 edges")


def test_gexf_gives_no_interval_that_ends_before_it_starts() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A")
    graph.add_node("b", label="B")
    graph.add_edge("a", "b", key="t", valid_from="2016-01-01", valid_until="2014-12-31")
    root = ET.fromstring(ET.tostring(gexf_document(graph, "test").getroot()))
    (edge,) = _gexf(root, "g:graph/g:edges/g:edge")
    assert edge.attrib == {"id": "t", "source": "a", "target": "b"}
    values = {v.attrib["for"]: v.attrib["value"] for v in _gexf(root, ".//g:attvalue")}
    assert values == {"valid_from": "2016-01-01", "valid_until": "2014-12-31"}


# --- CSV sheets -------------------------------------------------------------------------------


def test_csv_sheets_hold_one_row_per_node_and_per_claim(
    store: Store, projection: Projection
) -> None:
    sheets = csv_sheets(store, projection)
    assert sheets["nodes.csv"] == [
        NODE_COLUMNS,
        ("hid:group-y", "Group Y", "criminal", "organisation", "hilos:CriminalOrganization"),
        ("hid:mayor-x", "Mayor X", "state", "person", "hilos:Mayor"),
    ]
    header, first, second = sheets["ties.csv"]
    assert header == TIE_COLUMNS
    row = dict(zip(TIE_COLUMNS, first, strict=True))
    assert row == {
        "tie": "hid:tie-1",
        "from": "hid:mayor-x",
        "from_label": "Mayor X",
        "relation": "hilos:Protection",
        "to": "hid:group-y",
        "to_label": "Group Y",
        "status": "alleged",
        "confidence": 0.5,
        "start": "2014-05",
        "end": "2016",
        "sources": "Court file 7 (2019); Interview 1 (2024)",
        "quote": "He warned them of raids\x07.",  # a spreadsheet cell may hold it
        "locator": "p. 4",
        "qualifiers": "partially",
        "period": "",
        "modality": "stated",
    }
    assert dict(zip(TIE_COLUMNS, second, strict=True))["sources"] == "hid:src-3"


def test_write_csv_dir_writes_both_sheets_into_a_new_folder(
    store: Store, projection: Projection, tmp_path: Path
) -> None:
    target = tmp_path / "sheets"
    assert write_csv_dir(store, projection, str(target)) == {"nodes.csv": 2, "ties.csv": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheets"]  # no scratch folder left
    raw = (target / "ties.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Excel's BOM and line ends
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(TIE_COLUMNS) and [r[0] for r in rows[1:]] == ["hid:tie-1", "hid:tie-2"]
    # into a folder that exists: the sheets are replaced, other files left alone
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    write_csv_dir(store, projection, str(target))
    assert sorted(p.name for p in target.iterdir()) == ["nodes.csv", "notes.txt", "ties.csv"]


def test_write_csv_dir_refuses_a_file(store: Store, projection: Projection, tmp_path: Path) -> None:
    target = tmp_path / "ties.csv"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(BadInput, match="is a file, give a folder"):
        write_csv_dir(store, projection, str(target))
    assert target.read_text(encoding="utf-8") == "keep me"
