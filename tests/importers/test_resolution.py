"""`hilos.importers.resolution` called directly: names of a file matched, as whole names, to
the entities of a small store written here, and to each other.

Expected values are worked out by hand from the Turtle below (who is called what, what lies
where) and from the documented rules of the module; IRIs that hash a name are recomputed here
with hashlib.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from hilos.changes import graph_namespace
from hilos.errors import BadInput
from hilos.importers.resolution import (
    Resolver,
    citation_source,
    name_key,
    slug,
    split_qualifier,
)
from hilos.namespaces import HILOS, RDF_TYPE, RDFS
from hilos.store import GRAPH_BASE, Store

REPO = Path(__file__).resolve().parents[2]
HID = "https://w3id.org/hilos/id/"
NAMESPACE = GRAPH_BASE + "sheet/"

# Two people called Juan Pérez (only the first is present in Culiacán, which lies within
# Sinaloa); one María López tied to no place; a group with an alias; a municipality.
PEOPLE = """\
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid:   <https://w3id.org/hilos/id/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix geo:   <http://www.opengis.net/ont/geosparql#> .

hid:sinaloa a hilos:FederalState ; rdfs:label "Sinaloa" .
hid:culiacan a hilos:Municipality ; rdfs:label "Culiacán" ; geo:sfWithin hid:sinaloa .
hid:juan-1 a hilos:Person ; rdfs:label "Juan Pérez" .
hid:juan-2 a hilos:Person ; rdfs:label "Juan Pérez" .
hid:maria a hilos:Person ; rdfs:label "María López" .
hid:gu a hilos:CriminalOrganization ; rdfs:label "Guerreros Unidos" ; skos:altLabel "GU" .
hid:presence-1 a hilos:Presence ; hilos:from hid:juan-1 ; hilos:to hid:culiacan .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    people = tmp_path_factory.mktemp("resolution") / "people.ttl"
    people.write_text(PEOPLE, encoding="utf-8")
    store = Store.empty()
    store.load(REPO / "ontology" / "hilos.ttl", name="ontology")
    store.load(people, name="people")
    return store


@pytest.fixture
def resolver(store: Store) -> Resolver:
    return Resolver.for_store(store, NAMESPACE)


def new_iri(key: str) -> str:
    return NAMESPACE + "entity/" + key


# --- names ------------------------------------------------------------------------------------


def test_a_name_key_ignores_case_accents_punctuation_and_spacing() -> None:
    assert name_key("  JUAN   Pérez ") == "juan perez"
    assert name_key("Juan Pérez (Sinaloa)") == "juan perez sinaloa"
    assert name_key("¡¿!") == ""


def test_a_trailing_qualifier_is_split_off_only_when_both_parts_have_words() -> None:
    assert split_qualifier("Juan Pérez (Sinaloa)") == ("juan perez", "sinaloa")
    assert split_qualifier("Juan (El Güero) Pérez") is None  # not trailing
    assert split_qualifier("(Sinaloa)") is None  # no name before it
    assert split_qualifier("Juan Pérez ()") is None  # nothing inside


def test_a_slug_is_the_key_with_hyphens_or_quoted_with_a_digest() -> None:
    assert slug("juan perez") == "juan-perez"
    key = "ñandú"  # not ASCII: quoted, and a digest keeps distinct keys apart
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    assert slug(key) == quote(key, safe="-") + "-" + digest
    long_key = "a " * 100
    assert slug(long_key) == ("a-" * 40).strip("-")  # cut at 80 characters


def test_a_citation_gets_one_source_node_per_distinct_text() -> None:
    node, triples = citation_source(NAMESPACE, "Interview 1 (2024)")
    digest = hashlib.sha256(b"Interview 1 (2024)").hexdigest()[:16]
    assert node == NamedNode(NAMESPACE + "source/" + digest)
    assert set(triples) == {
        Triple(node, RDF_TYPE, HILOS.Source),
        Triple(node, HILOS.citation, Literal("Interview 1 (2024)")),
        Triple(node, RDFS.label, Literal("Interview 1 (2024)")),
    }
    assert citation_source(NAMESPACE, "Interview 1 (2024)")[0] == node
    assert citation_source(NAMESPACE, "Interview 2 (2024)")[0] != node


def test_a_graph_namespace_quotes_what_an_iri_cannot_hold() -> None:
    assert graph_namespace("sheet") == GRAPH_BASE + "sheet/"
    assert graph_namespace("hallazgos 2024") == GRAPH_BASE + "hallazgos%202024/"


# --- within the file --------------------------------------------------------------------------


def test_without_a_store_names_meet_each_other_as_whole_names() -> None:
    resolver = Resolver(namespace=NAMESPACE)
    first = resolver.resolve("Juan Pérez")
    assert first == new_iri("juan-perez")
    assert resolver.resolve("JUAN PEREZ") == first
    # a qualifier is part of the name: two people, not one
    venezuela = resolver.resolve("Nicolás Maduro Moros (Venezuela)")
    colombia = resolver.resolve("Nicolás Maduro Moros (Colombia)")
    assert venezuela != colombia
    assert len(resolver.new) == 3
    assert resolver.new[first].label == "Juan Pérez"


def test_a_later_row_types_an_untyped_new_entity_but_never_retypes_it() -> None:
    resolver = Resolver(namespace=NAMESPACE)
    iri = resolver.resolve("Mayor X")
    assert resolver.new[iri].type is None
    resolver.resolve("mayor x", HILOS.Mayor.value)
    assert resolver.new[iri].type == HILOS.Mayor.value
    resolver.resolve("Mayor X", HILOS.Governor.value)
    assert resolver.new[iri].type == HILOS.Mayor.value


def test_a_name_without_letters_or_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        Resolver(namespace=NAMESPACE).resolve("—")


# --- against the store ------------------------------------------------------------------------


def test_a_whole_name_or_alias_of_one_entity_is_merged(resolver: Resolver) -> None:
    assert resolver.resolve("guerreros  unidos") == HID + "gu"
    assert resolver.resolve("gu") == HID + "gu"  # the alias
    # punctuation becomes a space, so "G.U." is "g u": not the alias
    assert resolver.resolve("G.U.") == new_iri("g-u")
    assert list(resolver.new) == [new_iri("g-u")]
    match = resolver.merged["guerreros unidos"]
    assert (match.entity, match.label, match.reason) == (
        HID + "gu",
        "Guerreros Unidos",
        "same name or alias",
    )


def test_a_name_of_two_entities_is_kept_apart_as_a_new_entity(resolver: Resolver) -> None:
    iri = resolver.resolve("Juan Pérez")
    assert iri == new_iri("juan-perez")
    kept = resolver.kept_apart["juan perez"]
    assert kept.entity == HID + "juan-1"  # the first of the two, by IRI
    assert str(kept.reason) == "the name fits 2 entities"


def test_a_qualifier_chooses_the_entity_tied_to_a_place_it_names(resolver: Resolver) -> None:
    # Juan Pérez 1 is present in Culiacán, which lies within Sinaloa; Juan Pérez 2 is nowhere
    assert resolver.resolve("Juan Pérez (Sinaloa)") == HID + "juan-1"
    assert resolver.resolve("Juan Pérez (Culiacán)") == HID + "juan-1"
    reason = str(resolver.merged["juan perez sinaloa"].reason)
    assert reason == "same name; the qualifier (sinaloa) names it or a place it is tied to"


def test_a_qualifier_that_chooses_none_merges_nothing(resolver: Resolver) -> None:
    assert resolver.resolve("Juan Pérez (Oaxaca)") == new_iri("juan-perez-oaxaca")
    assert str(resolver.kept_apart["juan perez oaxaca"].reason) == (
        "same name, but the qualifier (oaxaca) does not choose one of 2 entities"
    )
    # one candidate, which the qualifier does not describe: kept apart too
    assert resolver.resolve("María López (Sinaloa)") == new_iri("maria-lopez-sinaloa")
    kept = resolver.kept_apart["maria lopez sinaloa"]
    assert kept.entity == HID + "maria"
    assert str(kept.reason) == "same name, but the qualifier (sinaloa) does not choose it"


def test_a_place_is_merged_only_into_an_end_that_is_a_place(store: Store) -> None:
    as_actor = Resolver.for_store(store, NAMESPACE)
    assert as_actor.resolve("Culiacán") == new_iri("culiacan")
    assert str(as_actor.kept_apart["culiacan"].reason) == "that is a place; this end is an actor"
    as_place = Resolver.for_store(store, NAMESPACE)
    assert as_place.resolve("Culiacán", end_kind="place") == HID + "culiacan"


def test_a_name_without_a_letter_never_meets_the_store(store: Store) -> None:
    resolver = Resolver.for_store(store, NAMESPACE)
    resolver.known["17"] = {HID + "gu"}  # even were an entity to have it as a key
    assert resolver.resolve("17") == new_iri("17")
    assert not resolver.merged


def test_link_none_knows_no_entity_of_the_store(store: Store) -> None:
    resolver = Resolver.for_store(store, NAMESPACE, link="none")
    assert resolver.known == {}
    assert resolver.resolve("Guerreros Unidos") == new_iri("guerreros-unidos")


def test_entities_of_the_graph_being_imported_are_not_known(store: Store) -> None:
    """Re-importing a graph with --replace does not match its own old entities."""
    own = Resolver.for_store(store, HID + "g")  # the namespace holding hid:gu
    assert not any(HID + "gu" in iris for iris in own.known.values())
    assert any(HID + "gu" in iris for iris in Resolver.for_store(store, NAMESPACE).known.values())


def test_an_unknown_link_mode_is_refused(store: Store) -> None:
    with pytest.raises(BadInput, match=r"^link must be one of exact, none, got 'fuzzy'") as refused:
        Resolver.for_store(store, NAMESPACE, link="fuzzy")
    assert refused.value.parameter == "link"  # the command line says --link
