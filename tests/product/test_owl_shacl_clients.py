"""The ontology and the shapes as third-party tools read them: an OWL 2 reasoner (HermiT, as
owlready2 ships it) and pySHACL called the ordinary way, with no OWL-RL inference.

Expectations come from the specifications and the ontology's own axioms, never from hilos's
output: the OWL 2 datatype map is written out from the OWL 2 Structural Specification
(section 4), and the bad graph below breaks rules the ontology states (a hilos:Person carries no
sphere by itself; modalities and qualifiers are the members of their SKOS schemes).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Namespace
from rdflib.collection import Collection

from hilos import resources
from hilos.validate import validate_files

HILOS = Namespace("https://w3id.org/hilos/ontology#")
HID = Namespace("https://w3id.org/hilos/id/")
EX = Namespace("https://example.org/owl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = str(RDF)

JAVA = shutil.which("java")
needs_java = pytest.mark.skipif(JAVA is None, reason="needs java on PATH to run HermiT")

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), with rdfs:Literal (the top
# datatype) and rdf:langString (RDF 1.1's name for language-tagged literals, which HermiT reads).
# xsd:date, xsd:gYear, xsd:gYearMonth and the other Gregorian types are not in it.
OWL2_DATATYPES = frozenset(
    {
        str(RDFS.Literal),
        f"{RDF_NS}PlainLiteral",
        f"{RDF_NS}XMLLiteral",
        f"{RDF_NS}langString",
        f"{OWL}real",
        f"{OWL}rational",
        *(
            XSD + name
            for name in [
                "decimal",
                "integer",
                "nonNegativeInteger",
                "nonPositiveInteger",
                "positiveInteger",
                "negativeInteger",
                "long",
                "int",
                "short",
                "byte",
                "unsignedLong",
                "unsignedInt",
                "unsignedShort",
                "unsignedByte",
                "double",
                "float",
                "string",
                "normalizedString",
                "token",
                "language",
                "Name",
                "NCName",
                "NMTOKEN",
                "boolean",
                "hexBinary",
                "base64Binary",
                "anyURI",
                "dateTime",
                "dateTimeStamp",
            ]
        ),
    }
)

MODALITY_NOT_IN_SCHEME = "A claim has at most one modality (hilos:modality), one of the modality"
QUALIFIER_NOT_IN_SCHEME = "A qualifier (hilos:qualifier) is one of the qualifier scheme"
NEEDS_SPHERE = "An actor needs a sphere (hilos:sphere)"


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.shapes_file(), format="turtle")


# --------------------------------------------------------------------------------------------
# OWL: the ontology as an OWL 2 DL reasoner reads it
# --------------------------------------------------------------------------------------------


def test_every_datatype_range_is_in_the_owl2_datatype_map(ontology: rdflib.Graph) -> None:
    """Runs without Java: what HermiT refuses first is a range outside the datatype map."""
    outside = sorted(
        f"{prop} rdfs:range {rng}"
        for prop, rng in ontology.subject_objects(RDFS.range)
        if (prop, RDF.type, OWL.DatatypeProperty) in ontology and str(rng) not in OWL2_DATATYPES
    )
    assert outside == []


def _hermit(ontology: rdflib.Graph, folder: Path) -> list[str]:
    """Load `ontology` (as N-Triples) in a fresh owlready2 world, classify it with HermiT and
    return the IRIs of the unsatisfiable classes. Raises owlready2's errors as they come."""
    import owlready2

    path = folder / "ontology.nt"
    ontology.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    loaded = world.get_ontology(path.as_uri()).load()
    assert len(list(loaded.classes())) > 100  # the ontology itself, not an empty document
    with loaded:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = sorted(
        cls.iri for cls in world.inconsistent_classes() if cls is not owlready2.Nothing
    )
    world.close()
    return unsatisfiable


@pytest.fixture
def hermit_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """owlready2 hands HermiT a temporary file: keep it under tmp_path, even on an error; and
    run the `java` found on PATH."""
    import owlready2

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(owlready2, "JAVA_EXE", JAVA)
    return tmp_path


@needs_java
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(
    ontology: rdflib.Graph, hermit_tmp: Path
) -> None:
    assert _hermit(ontology, hermit_tmp) == []


@needs_java
def test_hermit_reasons_over_the_ontology_axioms(ontology: rdflib.Graph, hermit_tmp: Path) -> None:
    """The check above can fail: a class that is a mayor but not a person contradicts the
    ontology's axioms (a mayor is an official, an official a person), and HermiT says so."""
    extended = rdflib.Graph()
    for triple in ontology:
        extended.add(triple)
    not_a_person = rdflib.BNode()
    extended.add((EX.MayorButNoPerson, RDF.type, OWL.Class))
    extended.add((EX.MayorButNoPerson, RDFS.subClassOf, HILOS.Mayor))
    extended.add((EX.MayorButNoPerson, RDFS.subClassOf, not_a_person))
    extended.add((not_a_person, RDF.type, OWL.Class))
    extended.add((not_a_person, OWL.complementOf, HILOS.Person))
    assert _hermit(extended, hermit_tmp) == [str(EX.MayorButNoPerson)]


# --------------------------------------------------------------------------------------------
# SHACL: pySHACL without OWL-RL inference
# --------------------------------------------------------------------------------------------


def _results(report: rdflib.Graph) -> set[tuple[str, str, str]]:
    return {
        (
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def test_pyshacl_without_inference_finds_the_curated_graph_conforms(
    curated: rdflib.Graph, ontology: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        curated, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    assert sorted(_results(report)) == []
    assert conforms


def test_the_pyshacl_command_finds_the_curated_graph_conforms() -> None:
    """`pyshacl -s ontology/shapes.ttl -e ontology/hilos.ttl graph/*.ttl`, exit code 0."""
    command = [sys.executable, "-m", "pyshacl", "-s", str(resources.shapes_file())]
    command += ["-e", str(resources.ontology_file())]
    command += [str(p) for p in resources.curated_files()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Conforms: True" in done.stdout


BAD = """
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid:   <https://w3id.org/hilos/id/> .
@prefix prov:  <http://www.w3.org/ns/prov#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .

hid:report a hilos:Report ; hilos:citation "Author, 2014" .

# a person carries no sphere by itself: a violation
hid:someone a hilos:Person ; rdfs:label "Someone" .
# a mayor gets the state sphere from its class: no violation
hid:mayor a hilos:Mayor ; rdfs:label "A mayor" .
# a collective with a sphere stated: no violation
hid:village a hilos:Collective ; rdfs:label "A village" ; hilos:sphere hilos:CommunitySphere .

# a modality and a qualifier of their schemes: no violation
hid:good-tie a hilos:Command ;
    hilos:from hid:mayor ; hilos:to hid:village ; hilos:status hilos:Alleged ;
    hilos:modality hilos:AsIntention ; hilos:qualifier hilos:Partially ;
    hilos:quote "..."@en ; prov:wasDerivedFrom hid:report .
# a status used as modality and a market as qualifier: two violations
hid:bad-tie a hilos:Command ;
    hilos:from hid:mayor ; hilos:to hid:village ; hilos:status hilos:Alleged ;
    hilos:modality hilos:Confirmed ; hilos:qualifier hilos:Extortion ;
    hilos:quote "..."@en ; prov:wasDerivedFrom hid:report .
"""

BAD_EXPECTED = {
    ("Violation", str(HID.someone), NEEDS_SPHERE),
    ("Violation", str(HID["bad-tie"]), MODALITY_NOT_IN_SCHEME),
    ("Violation", str(HID["bad-tie"]), QUALIFIER_NOT_IN_SCHEME),
}


def _starts(results: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Each message cut to the expected beginning it has (the rest is wording)."""
    starts = {message for _, _, message in BAD_EXPECTED}
    return {
        (severity, focus, next((s for s in starts if message.startswith(s)), message))
        for severity, focus, message in results
    }


def test_pyshacl_without_inference_reports_a_bad_graph(
    ontology: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    import pyshacl

    data = rdflib.Graph().parse(data=BAD, format="turtle")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    assert _starts(_results(report)) == BAD_EXPECTED
    assert not conforms


def test_hilos_validate_agrees_with_pyshacl_on_the_bad_graph(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(BAD, encoding="utf-8")
    report = validate_files([path])
    found = {(v.severity.capitalize(), v.focus, v.message) for v in report.results}
    assert _starts(found) == BAD_EXPECTED
    assert not report.conforms


CLASS_WITH_A_MARKET_AS_SPHERE = """
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix owl:   <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex:    <https://example.org/owl-test#> .

ex:Racket a owl:Class ;
    rdfs:subClassOf hilos:Actor ,
        [ a owl:Restriction ; owl:onProperty hilos:sphere ; owl:hasValue hilos:Extortion ] .
"""
MARKET_AS_SPHERE = "A class can give its actors only one of the four spheres"


def test_a_class_may_give_only_one_of_the_four_spheres(
    ontology: rdflib.Graph, shapes: rdflib.Graph, tmp_path: Path
) -> None:
    """Extortion is a criminal market, not a sphere: a class that gives it as one fails, for
    pySHACL without inference and for `hilos validate` alike."""
    import pyshacl

    data = rdflib.Graph().parse(data=CLASS_WITH_A_MARKET_AS_SPHERE, format="turtle")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    messages = {message for _, _, message in _results(report)}
    assert not conforms
    assert {m[: len(MARKET_AS_SPHERE)] for m in messages} == {MARKET_AS_SPHERE}
    path = tmp_path / "racket.ttl"
    path.write_text(CLASS_WITH_A_MARKET_AS_SPHERE, encoding="utf-8")
    checked = validate_files([path])
    assert {v.message[: len(MARKET_AS_SPHERE)] for v in checked.violations} == {MARKET_AS_SPHERE}


@pytest.mark.parametrize(
    ("path", "scheme"),
    [
        (HILOS.modality, HILOS.ModalityScheme),
        (HILOS.qualifier, HILOS.QualifierScheme),
        (HILOS.market, HILOS.CriminalMarketScheme),
    ],
)
def test_listed_scheme_members_are_the_ontologys(
    ontology: rdflib.Graph, shapes: rdflib.Graph, path: rdflib.URIRef, scheme: rdflib.URIRef
) -> None:
    """pySHACL copies no individual's type from the ontology graph, so the shapes list each
    scheme's members: the lists must be the schemes' members in the ontology."""
    listed: set[rdflib.term.Node] = set()
    for prop_shape in shapes.subjects(SH.path, path):
        for node in shapes.transitive_objects(prop_shape, None):
            for head in shapes.objects(node, SH["in"]):
                listed |= set(Collection(shapes, head))
    members = set(ontology.subjects(SKOS.inScheme, scheme))
    assert members
    assert listed == members
