"""The derivation rules, on small terminologies written here (independent of the ontology)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pyoxigraph as ox

from hilos.store.reasoner import Reasoner, Terminology, is_tbox

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


# ------------------------------------------------- set at a time, against statement by statement


def _reference(store: ox.Store, reasoner: Reasoner, asserted: ox.NamedNode) -> set[ox.Triple]:
    """What the per-statement reasoner derives from a graph: `infer_from_triple` over every
    statement, then the shortcut triples read with those inferences."""
    found: set[ox.Triple] = set()
    for quad in store.quads_for_pattern(None, None, None, asserted):
        found.update(reasoner.infer_from_triple(quad))
    scratch = ox.NamedNode("urn:test:reference")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, scratch) for t in found)
    found.update(reasoner.shortcut_triples(store, [asserted, scratch]))
    store.remove_graph(scratch)
    return found


def _set_at_a_time(
    store: ox.Store, reasoner: Reasoner, asserted: ox.NamedNode, *, bulk: bool
) -> set[ox.Triple]:
    fresh = ox.NamedNode("urn:test:derived")
    reasoner.derive(store, asserted, fresh, bulk=bulk)
    found = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, fresh)
    }
    store.remove_graph(fresh)
    return found


def test_the_engine_derives_exactly_what_the_per_statement_rules_derive_on_the_curated_graph() -> (
    None
):
    from hilos.store import Store

    store = Store.in_memory()
    reasoner = Reasoner(store.terminology())
    for info in store.graphs():
        asserted = ox.NamedNode(info.iri)
        expected = _reference(store.database, reasoner, asserted)
        assert expected, info.name
        for bulk in (False, True):
            assert _set_at_a_time(store.database, reasoner, asserted, bulk=bulk) == expected


def test_the_engine_derives_exactly_what_the_per_statement_rules_derive_on_a_generated_network(
    tmp_path: Path,
) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_generate", Path(__file__).resolve().parents[2] / "bench" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = generator
    try:
        spec.loader.exec_module(generator)
        data = tmp_path / "network.nt"
        generator.generate(2_000, data, seed=3)
    finally:
        del sys.modules["bench_generate"]
    from hilos.store import Store

    store = Store.in_memory()
    store.load(data, name="network")
    asserted = ox.NamedNode(store.graph("network").iri)
    reasoner = Reasoner(store.terminology())
    expected = _reference(store.database, reasoner, asserted)
    assert _set_at_a_time(store.database, reasoner, asserted, bulk=True) == expected
    # and the load itself wrote that set
    loaded = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.database.quads_for_pattern(
            None, None, None, ox.NamedNode(store.graph("network").inferred_iri)
        )
    }
    assert loaded == expected


def test_blank_nodes_in_derived_statements_keep_their_identity() -> None:
    """A blank-node subject's derived types and keys name that same node, not a renamed one."""
    store = ox.Store()
    asserted = n("g")
    store.load(
        f'_:m a <{EX}Mayor> ; <http://www.w3.org/2000/01/rdf-schema#label> "Alcalde Núñez" .\n'
        f"_:m <{EX}commands> _:p .",
        ox.RdfFormat.TURTLE,
        to_graph=asserted,
    )
    reasoner = Reasoner(terminology())
    expected = _reference(store, reasoner, asserted)
    assert _set_at_a_time(store, reasoner, asserted, bulk=True) == expected
    assert any(isinstance(t.subject, ox.BlankNode) for t in expected)


def test_a_blank_node_value_of_a_class_is_one_node_for_every_instance() -> None:
    """`owl:hasValue _:v`: every instance gets that same node, as the per-statement rules give
    it (a CONSTRUCT template would make a fresh one per instance)."""
    store = ox.Store()
    tbox, data = n("tbox"), n("g")
    store.load(
        f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<{EX}Thing> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        f"[ owl:onProperty <{EX}p> ; owl:hasValue _:v ] .",
        ox.RdfFormat.TURTLE,
        to_graph=tbox,
    )
    store.load(
        f"<{EX}a> a <{EX}Thing> . <{EX}b> a <{EX}Thing> .", ox.RdfFormat.TURTLE, to_graph=data
    )
    terms = Terminology.from_triples(store.quads_for_pattern(None, None, None, tbox))
    reasoner = Reasoner(terms)
    expected = _reference(store, reasoner, data)
    assert len({t.object for t in expected if t.predicate == n("p")}) == 1
    assert _set_at_a_time(store, reasoner, data, bulk=True) == expected


def test_the_engine_gives_shortcuts_to_exactly_the_claims_that_assert() -> None:
    """The set-at-a-time shortcuts (scans joined by tie) against the per-statement reference
    (one SPARQL query) on every kind of status and modality, a tie with two ends given as a
    sub-property of `hilos:from`, a tie with two starts, and a literal at an end."""
    ties = {
        "confirmed": "hilos:status hilos:Confirmed",
        "reported": "hilos:status hilos:Reported",
        "stated": "hilos:status hilos:Reported ; hilos:modality hilos:AsStated",
        "alleged": "hilos:status hilos:Alleged",
        "refuted": "hilos:status hilos:Refuted",
        "none": "hilos:quote 'no status'",
        "intention": "hilos:status hilos:Reported ; hilos:modality hilos:AsIntention",
        "mixed-modality": "hilos:status hilos:Reported ; "
        "hilos:modality hilos:AsStated , hilos:AsWarning",
        "merged": "hilos:status hilos:Reported , hilos:Refuted",
        "literal-status": "hilos:status 'Reported'",
    }
    data = f"""
    @prefix ex: <{EX}> .
    @prefix hilos: <https://w3id.org/hilos/ontology#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ex:perpetrator rdfs:subPropertyOf hilos:from .
    ex:t-sub a ex:Bribery ; ex:perpetrator ex:from-sub ; hilos:to ex:to ;
        hilos:status hilos:Confirmed .
    ex:t-two a ex:Bribery ; hilos:from ex:from-a , ex:from-b ; hilos:to ex:to ;
        hilos:status hilos:Reported .
    ex:t-literal a ex:Bribery ; hilos:from "a name" ; hilos:to ex:to ;
        hilos:status hilos:Reported .
    ex:t-untyped hilos:from ex:from-untyped ; hilos:to ex:to ; hilos:status hilos:Reported .
    """ + "\n".join(
        f"ex:t-{name} a ex:Bribery ; hilos:from ex:from-{name} ; hilos:to ex:to ; {facts} ."
        for name, facts in ties.items()
    )
    quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    extended = Terminology.from_triples([*ox.parse(TBOX, format=ox.RdfFormat.TURTLE), *quads])
    reasoner = Reasoner(extended)
    store = ox.Store()
    asserted = n("g")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, asserted) for t in quads)
    expected = _reference(store, reasoner, asserted)
    found = _set_at_a_time(store, reasoner, asserted, bulk=False)
    assert found == expected
    bribers = {t.subject for t in found if t.predicate == n("bribes")}
    # worked out by hand from the statuses and modalities above
    assert bribers == {
        n(f"from-{name}") for name in ("confirmed", "reported", "stated", "sub", "a", "b")
    }
