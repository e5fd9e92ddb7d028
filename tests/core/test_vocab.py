"""The vocabulary module reads what the code needs from the ontology: checked here against the
ontology file read with rdflib, and against the places in the code that style each key."""

from __future__ import annotations

import rdflib
from rdflib import RDF, Namespace

from hilos import resources
from hilos.export import html
from hilos.vocab import vocabulary

HILOS = Namespace("https://w3id.org/hilos/ontology#")


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.ontology_file())


def test_statuses_in_rank_order_with_weights_and_assertion() -> None:
    ontology = _ontology()
    expected = sorted(
        (
            int(ontology.value(s, HILOS.rank)),
            str(s).rsplit("#", 1)[1].lower(),
            float(ontology.value(s, HILOS.weight)),
            ontology.value(s, HILOS.asserts).toPython(),
        )
        for s in ontology.subjects(RDF.type, HILOS.Status)
        if ontology.value(s, HILOS.rank) is not None
    )
    got = [(s.rank, s.key, s.weight, s.asserts) for s in vocabulary().statuses]
    assert got == expected


def test_spheres_modalities_and_qualifiers_are_the_schemes_concepts() -> None:
    ontology = _ontology()
    vocab = vocabulary()
    for concepts, cls in (
        (vocab.spheres, HILOS.Sphere),
        (vocab.modalities, HILOS.Modality),
        (vocab.qualifiers, HILOS.Qualifier),
    ):
        assert {c.iri for c in concepts} == {str(s) for s in ontology.subjects(RDF.type, cls)}
        for concept in concepts:
            assert concept.labels["en"] and concept.labels["es"]
    assert vocab.sphere_keys == ("state", "criminal", "community", "civil")
    assert vocab.stated.key == "stated" and vocab.stated.asserts


def test_every_status_and_sphere_has_its_style_on_the_page() -> None:
    vocab = vocabulary()
    assert set(vocab.status_keys) <= {key for key, *_ in html.STATUSES}
    assert set(vocab.sphere_keys) <= {key for key, *_ in html.SPHERES}


def test_retracted_is_a_status_outside_the_order() -> None:
    retracted = vocabulary().status("retracted")
    assert retracted.weight == 0 and not retracted.asserts
    assert "retracted" not in vocabulary().status_keys  # not an order of evidence
    assert vocabulary().status_key(str(HILOS.Retracted)) == "retracted"
