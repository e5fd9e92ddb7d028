"""`hilos.export.ftm` called directly: a small network written here in Turtle, exported as
FollowTheMoney entities.

Expected values are worked out by hand from the Turtle below, the ontology's classes (a mayor
is an official, hence a person; a criminal organisation is an organisation; membership,
funding and protection are the relations) and the module's documented mapping to FtM schemata;
ids are recomputed here with hashlib.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from hilos.export.ftm import FtmExport, ftm_entities, write_ftm
from hilos.network.projection import Filters, project
from hilos.store import Store

REPO = Path(__file__).resolve().parents[2]
HID = "https://w3id.org/hilos/id/"

SMALL = """\
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid:   <https://w3id.org/hilos/id/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:  <http://www.w3.org/ns/prov#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .

hid:mayor-x a hilos:Mayor ; rdfs:label "Mayor X"@en , "Presidente X"@es ;
    skos:altLabel "Don X" .
hid:group-y a hilos:CriminalOrganization ; rdfs:label "Group Y"@en .
hid:party-p a hilos:Organization ; rdfs:label "Party P"@en .

hid:src-1 a hilos:Source ; hilos:citation "Interview 1 (2024)" .
hid:src-2 a hilos:Source ; hilos:citation "https://news.example/story" .

hid:tie-1 a hilos:Protection ; hilos:from hid:mayor-x ; hilos:to hid:group-y ;
    hilos:status hilos:Alleged ; hilos:confidence 0.5 ;
    hilos:start "2014-05"^^xsd:gYearMonth ; hilos:end "2016"^^xsd:gYear ;
    hilos:quote "He warned them of raids." ; hilos:locator "p. 4" ;
    hilos:qualifier hilos:Partially ;
    prov:wasDerivedFrom hid:src-1 , hid:src-2 .
hid:tie-f a hilos:Funding ; hilos:from hid:group-y ; hilos:to hid:mayor-x ;
    hilos:status hilos:Reported ;
    hilos:start "2015-03-01"^^xsd:date ; hilos:end "2015-03-01"^^xsd:date ;
    prov:wasDerivedFrom hid:src-1 .
hid:tie-m a hilos:Membership ; hilos:from hid:mayor-x ; hilos:to hid:party-p ;
    hilos:status hilos:Confirmed ; prov:wasDerivedFrom hid:src-1 .
"""


def ftm_id(iri: str) -> str:
    """The id of an entity without a dcterms:identifier: a stable hash of its IRI."""
    return "hilos-" + hashlib.sha1(iri.encode()).hexdigest()[:24]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    small = tmp_path_factory.mktemp("ftm-export") / "small.ttl"
    small.write_text(SMALL, encoding="utf-8")
    store = Store.empty()
    store.load(REPO / "ontology" / "hilos.ttl", name="ontology")
    store.load(small, name="small")
    return store


@pytest.fixture(scope="module")
def export(store: Store) -> FtmExport:
    return ftm_entities(store, project(store, Filters()))


def by_id(export: FtmExport) -> dict[str, dict[str, object]]:
    return {line["id"]: line for line in export.lines}


def test_nodes_get_the_schema_of_their_class(export: FtmExport) -> None:
    lines = by_id(export)
    assert (export.entities, export.ties, export.skipped_ties) == (3, 3, 0)
    mayor = lines[ftm_id(HID + "mayor-x")]
    assert mayor["schema"] == "Person"
    # the label in the export's language first, every other label and alias as an alias
    assert mayor["properties"] == {"name": ["Mayor X"], "alias": ["Don X", "Presidente X"]}
    assert lines[ftm_id(HID + "group-y")]["schema"] == "Organization"
    assert lines[ftm_id(HID + "party-p")]["schema"] == "Organization"


def test_a_claim_is_one_interval_entity_with_its_evidence(export: FtmExport) -> None:
    protection = by_id(export)[ftm_id(HID + "tie-1")]
    # protection is a kind of collusion: no FtM schema has it, so UnknownLink
    assert protection["schema"] == "UnknownLink"
    props = protection["properties"]
    assert props["subject"] == [ftm_id(HID + "mayor-x")]
    assert props["object"] == [ftm_id(HID + "group-y")]
    assert props["role"] == ["protection"]
    assert props["status"] == ["alleged"]
    assert props["description"] == [
        "Claim: protection\nStatus: alleged\nConfidence: 0.5\nQualifiers: partially"
    ]
    assert props["summary"] == ["He warned them of raids."]
    assert props["recordId"] == ["p. 4"]
    assert (props["startDate"], props["endDate"]) == (["2014-05"], ["2016"])
    # a citation that is a URL is the source's address; the others name the publisher
    assert props["publisher"] == ["Interview 1 (2024)"]
    assert props["sourceUrl"] == ["https://news.example/story"]


def test_membership_and_funding_take_their_own_schemata(export: FtmExport) -> None:
    lines = by_id(export)
    membership = lines[ftm_id(HID + "tie-m")]
    assert membership["schema"] == "Membership"
    assert membership["properties"]["member"] == [ftm_id(HID + "mayor-x")]
    assert membership["properties"]["organization"] == [ftm_id(HID + "party-p")]
    assert membership["properties"]["status"] == ["confirmed"]
    funding = lines[ftm_id(HID + "tie-f")]
    assert funding["schema"] == "Payment"
    props = funding["properties"]
    assert props["payer"] == [ftm_id(HID + "group-y")]
    assert props["beneficiary"] == [ftm_id(HID + "mayor-x")]
    assert props["purpose"] == ["funding"]
    # a payment on one day has a date, not a period; Payment has no status property
    assert props["date"] == ["2015-03-01"]
    assert "startDate" not in props and "status" not in props


def test_an_entity_left_out_takes_its_claims_with_it(store: Store) -> None:
    export = ftm_entities(store, project(store, Filters(exclude=(HID + "group-y",))))
    ids = set(by_id(export))
    assert ftm_id(HID + "group-y") not in ids
    assert ftm_id(HID + "tie-1") not in ids and ftm_id(HID + "tie-f") not in ids
    assert {ftm_id(HID + "mayor-x"), ftm_id(HID + "party-p"), ftm_id(HID + "tie-m")} <= ids
    assert (export.entities, export.ties) == (2, 1)


def test_spanish_labels_come_first_in_spanish(store: Store) -> None:
    export = ftm_entities(store, project(store, Filters()), lang="es")
    mayor = by_id(export)[ftm_id(HID + "mayor-x")]
    assert mayor["properties"] == {"name": ["Presidente X"], "alias": ["Don X", "Mayor X"]}


def test_write_ftm_writes_one_json_object_a_line(export: FtmExport) -> None:
    buffer = io.BytesIO()
    write_ftm(export, buffer)
    lines = buffer.getvalue().decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == export.lines
    assert all(line == json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False)
               for line in lines)  # fmt: skip


# The properties the exporter read before its queries moved to .rq files (its `_WANTED`).
_READ_BEFORE = [
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://purl.org/dc/terms/type",
    "http://purl.org/dc/terms/identifier",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://purl.org/dc/terms/source",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
    "http://www.w3.org/ns/prov#wasAssociatedWith",
    *(
        "https://w3id.org/hilos/ontology#" + local
        for local in (
            *("from", "to", "relationText", "start", "end"),
            *("quote", "locator", "period", "qualifier", "citation"),
        )
    ),
]


def test_the_export_queries_read_the_properties_they_read_before() -> None:
    """One statement per property read before, one in the FtM namespace and one the exporter
    does not want: the facts query answers exactly the first, the FtM query only the second."""
    import pyoxigraph as ox

    from hilos import sparql
    from hilos.importers.ftm import FTM_NS
    from hilos.namespaces import PREFIXES

    store = ox.Store()
    subject, value = ox.NamedNode("urn:s"), ox.Literal("v")
    wanted = [*_READ_BEFORE, FTM_NS + "Person:name", "https://example.org/unwanted"]
    for predicate in wanted:
        store.add(ox.Quad(subject, ox.NamedNode(predicate), value))

    def read(name: str, **bindings: ox.NamedNode) -> list[str]:
        rows = store.query(
            sparql.load(name),
            prefixes=PREFIXES,
            substitutions={ox.Variable(k): v for k, v in bindings.items()},
        )
        return sorted(row["p"].value for row in rows)  # type: ignore[union-attr,index]

    assert read("ftm-export-facts") == sorted(_READ_BEFORE)
    assert read("ftm-export-properties", namespace=ox.NamedNode(FTM_NS)) == [FTM_NS + "Person:name"]
