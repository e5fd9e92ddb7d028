"""The derivation rules, on small terminologies written here (independent of the ontology)."""

from __future__ import annotations

import pyoxigraph as ox

from hilos.reasoner import Reasoner, Terminology, is_tbox

EX = "http://example.org/"


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


TBOX = f"""
@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix hilos: <https://w3id.org/hilos/ontology#> .
ex:Mayor rdfs:subClassOf ex:Official .
ex:Official rdfs:subClassOf ex:StateActor .
ex:StateActor rdfs:subClassOf
    [ a owl:Restriction ; owl:onProperty ex:sphere ; owl:hasValue ex:State ] .
ex:bribes rdfs:subPropertyOf ex:colludesWith .
ex:colludesWith rdfs:subPropertyOf ex:tiedTo .
ex:commands owl:inverseOf ex:commandedBy .
ex:alliedWith a owl:SymmetricProperty .
ex:Bribery rdfs:subClassOf ex:Tie ; hilos:shortcut ex:bribes .
"""


def terminology() -> Terminology:
    triples = [t for t in ox.parse(TBOX, format=ox.RdfFormat.TURTLE) if is_tbox(t)]
    return Terminology.from_triples(triples)


def derived(triple: ox.Triple) -> set[ox.Triple]:
    return set(Reasoner(terminology()).infer_from_triple(triple))


def test_types_are_closed_and_restrictions_give_values() -> None:
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    out = derived(ox.Triple(n("abarca"), rdf_type, n("Mayor")))
    assert out == {
        ox.Triple(n("abarca"), rdf_type, n("Official")),
        ox.Triple(n("abarca"), rdf_type, n("StateActor")),
        ox.Triple(n("abarca"), n("sphere"), n("State")),
    }


def test_sub_properties_are_closed() -> None:
    out = derived(ox.Triple(n("a"), n("bribes"), n("b")))
    assert out == {
        ox.Triple(n("a"), n("colludesWith"), n("b")),
        ox.Triple(n("a"), n("tiedTo"), n("b")),
    }


def test_inverse_and_symmetric_properties() -> None:
    assert derived(ox.Triple(n("a"), n("commands"), n("b"))) == {
        ox.Triple(n("b"), n("commandedBy"), n("a"))
    }
    assert derived(ox.Triple(n("b"), n("commandedBy"), n("a"))) == {
        ox.Triple(n("a"), n("commands"), n("b"))
    }
    assert derived(ox.Triple(n("a"), n("alliedWith"), n("b"))) == {
        ox.Triple(n("b"), n("alliedWith"), n("a"))
    }


def test_labels_get_search_keys_and_literals_get_no_inverse() -> None:
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    out = derived(ox.Triple(n("x"), label, ox.Literal("Cherán", language="es")))
    key = ox.NamedNode("https://w3id.org/hilos/ontology#searchKey")
    assert out == {ox.Triple(n("x"), key, ox.Literal("cheran"))}


def test_shortcuts_need_the_whole_tie_whatever_the_order() -> None:
    data = f"""
    @prefix ex: <{EX}> .
    @prefix hilos: <https://w3id.org/hilos/ontology#> .
    ex:t1 hilos:to ex:mayor ; hilos:from ex:cartel .
    ex:t1 a ex:Bribery ; hilos:status hilos:Reported .
    ex:t2 a ex:Bribery ; hilos:from ex:cartel ; hilos:status hilos:Reported .
    """
    store = ox.Store()
    graph = n("g")
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(data, format=ox.RdfFormat.TURTLE)
    )
    out = set(Reasoner(terminology()).shortcut_triples(store, [graph]))
    assert out == {
        ox.Triple(n("cartel"), n("bribes"), n("mayor")),
        ox.Triple(n("cartel"), n("colludesWith"), n("mayor")),
        ox.Triple(n("cartel"), n("tiedTo"), n("mayor")),
    }


def _shortcuts(data: str) -> set[ox.Triple]:
    store = ox.Store()
    graph = n("g")
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(data, format=ox.RdfFormat.TURTLE)
    )
    return set(Reasoner(terminology()).shortcut_triples(store, [graph]))


def test_only_claims_that_assert_get_a_shortcut() -> None:
    """Confirmed and reported claims state the relation; alleged, disputed and refuted ones,
    a claim without a status, and intentions, recommendations and warnings do not."""
    ties = {
        "confirmed": "hilos:status hilos:Confirmed",
        "reported": "hilos:status hilos:Reported",
        "stated": "hilos:status hilos:Reported ; hilos:modality hilos:AsStated",
        "alleged": "hilos:status hilos:Alleged",
        "disputed": "hilos:status hilos:Disputed",
        "refuted": "hilos:status hilos:Refuted",
        "none": "hilos:quote 'no status'",
        "intention": "hilos:status hilos:Reported ; hilos:modality hilos:AsIntention",
        "recommendation": "hilos:status hilos:Reported ; hilos:modality hilos:AsRecommendation",
        "warning": "hilos:status hilos:Reported ; hilos:modality hilos:AsWarning",
        "merged": "hilos:status hilos:Reported , hilos:Refuted",
    }
    data = f"""
    @prefix ex: <{EX}> .
    @prefix hilos: <https://w3id.org/hilos/ontology#> .
    """ + "\n".join(
        f"ex:t-{name} a ex:Bribery ; hilos:from ex:from-{name} ; hilos:to ex:to ; {facts} ."
        for name, facts in ties.items()
    )
    out = _shortcuts(data)
    asserted = {t.subject for t in out}
    assert asserted == {n("from-confirmed"), n("from-reported"), n("from-stated")}
