"""Your own claims, one at a time: add, edit, retract, undo, history; entities added, edited
and merged by a sourced claim; the words to write them with (`hilos types`).

Expected values are the ones typed in each test, or read from the ontology with rdflib."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Namespace

from hilos import changes, claims, resources
from hilos.errors import BadInput, NotFound, UnknownEntity
from hilos.network.projection import Filters, project
from hilos.store import Store

HILOS = Namespace("https://w3id.org/hilos/ontology#")
HID = "https://w3id.org/hilos/id/"
QUOTE = "A fictional witness says the mayor's office warned Group Y of raids."


def ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def ask(store: Store, sparql: str) -> bool:
    return bool(store.query(sparql))


@pytest.fixture
def store() -> Store:
    return Store.in_memory()


def _first(store: Store) -> claims.ClaimView:
    return claims.add_claim(
        store,
        "Mayor X (fictional)",
        "protección",  # the Spanish label of hilos:Protection
        "Zetas",
        source="Interview 1 (2024)",
        quote=QUOTE,
        locator="p. 4",
        status="presunto",
        confidence="80%",
        start="2022-03",
        qualifiers=["some of"],
        create_from="alcalde",
    )


# --- the Python API ------------------------------------------------------------------------------


def test_add_a_claim_with_a_new_end_and_words_in_spanish(store: Store) -> None:
    view = _first(store)
    assert view.short_id == "mine/claim/1" and view.graph == "mine"
    assert (view.relation, view.status, view.confidence) == ("hilos:Protection", "alleged", 0.8)
    assert view.to == HID + "zetas" and view.from_label == "Mayor X (fictional)"
    assert view.qualifiers == ("some-of",) and view.start == "2022-03"
    assert view.citations == ("Interview 1 (2024)",) and view.quote == QUOTE
    assert ask(store, f"ASK {{ <{view.from_}> a hilos:Mayor ; hilos:sphere hilos:StateSphere }}")
    # an alleged claim is a claim, not a direct link (see the claim model)
    assert not ask(store, f"ASK {{ <{view.from_}> hilos:protects hid:zetas }}")
    assert view.change is not None and view.change.number == 1


def test_an_unknown_or_ambiguous_end_is_an_error_and_nothing_is_written(store: Store) -> None:
    before = set(store.quads())
    with pytest.raises(UnknownEntity, match=r"\(create_from TYPE") as unknown:
        claims.add_claim(store, "Nobody (fictional)", "bribery", "Zetas", source="s")
    assert unknown.value.parameter == "create_from"  # the command line says --create-from
    with pytest.raises(BadInput, match="matches several entities"):
        claims.add_claim(store, "police", "bribery", "Zetas", source="s")
    with pytest.raises(BadInput, match="closest: collusion"):
        claims.add_claim(store, "Zetas", "colusion con", "Sinaloa cartel", source="s")
    with pytest.raises(BadInput, match="source"):
        claims.add_claim(store, "Zetas", "rivalry", "Sinaloa cartel", source=" ")
    assert set(store.quads()) == before


def test_an_edit_keeps_the_old_version_dated_and_linked(store: Store) -> None:
    view = _first(store)
    edited = claims.edit_claim(
        store, view.short_id, status="reported", source="Interview 5 (2024)", reason="corroborated"
    )
    assert edited.id == view.id and edited.status == "reported"
    assert edited.citations == ("Interview 5 (2024)",) and edited.quote == QUOTE
    history = claims.claim_history(store, view.short_id)
    assert [v.current for v in history] == [True, False]
    old = history[1]
    assert (old.status, old.sources, old.quote) == ("alleged", ("Interview 1 (2024)",), QUOTE)
    assert old.until is not None and old.id == view.id + "/v1"
    assert ask(store, f"ASK {{ <{view.id}> prov:wasRevisionOf <{old.id}> }}")
    assert ask(store, f"ASK {{ <{old.id}> a hilos:ClaimVersion ; prov:invalidatedAtTime ?t }}")
    # reported now: the direct link exists; the old version is no claim any analysis reads
    assert ask(store, f"ASK {{ <{view.from_}> hilos:protects hid:zetas }}")
    network = project(store).graph
    assert view.id in {k for _, _, k in network.edges(keys=True)}
    assert old.id not in {k for _, _, k in network.edges(keys=True)}
    assert [c.reason for c in claims.claim_changes(store, view.short_id)] == [None, "corroborated"]


def test_a_retracted_claim_is_kept_and_counted_by_nothing(store: Store) -> None:
    view = _first(store)
    claims.edit_claim(store, view.short_id, status="reported")
    retracted = claims.retract_claim(store, view.short_id, reason="the witness withdrew")
    assert (retracted.status, retracted.reason) == ("retracted", "the witness withdrew")
    assert not ask(store, f"ASK {{ <{view.from_}> hilos:protects hid:zetas }}")
    assert view.id not in {k for _, _, k in project(store).graph.edges(keys=True)}
    from hilos.entities import card

    (tie,) = [t for t in card(store, view.from_).ties if t.id == view.id]
    assert tie.status == "retracted" and tie.reason == "the witness withdrew"
    with pytest.raises(BadInput, match="reason"):
        claims.retract_claim(store, view.short_id, reason=" ")


def test_undo_reverts_the_last_change_and_leaves_a_trace(store: Store) -> None:
    view = _first(store)
    claims.edit_claim(store, view.short_id, status="reported")
    before_edit = {
        t
        for t in changes.statements_of(store, "mine")
        if str(t.subject) == f"<{view.id}>" and str(t.predicate).endswith("#status>")
    }
    undone = changes.undo(store)
    assert undone.action == "undo" and undone.number == 3
    assert claims.list_claims(store)[0].status == "alleged"
    assert before_edit  # there was a status to revert
    journal = changes.journal(store, "mine")
    assert [c.action for c in journal] == ["claim add", "claim edit", "undo"]
    assert journal[2].undoes == journal[1].iri
    # a second undo reverts the change before: the claim goes, and the journal keeps it all
    changes.undo(store)
    assert claims.list_claims(store) == []
    assert [c.action for c in changes.journal(store, "mine")][-1] == "undo"
    with pytest.raises(NotFound, match="nothing to undo"):
        changes.undo(store)


def test_the_reports_graphs_are_not_yours_to_change(store: Store) -> None:
    with pytest.raises(BadInput, match="ships with hilos"):
        claims.retract_claim(
            store, "hid:tie-iguala-police-colludes-with-guerreros-unidos", reason="no"
        )
    with pytest.raises(BadInput, match="ships with hilos"):
        claims.add_claim(
            store, "Zetas", "rivalry", "Sinaloa cartel", source="s", graph="report/gangs"
        )


def test_entities_added_edited_and_merged_by_a_sourced_claim(store: Store) -> None:
    judge = claims.add_entity(
        store, "Judge Z (fictional)", type="official", aliases=["Judge Z"], label_es="Juez Z"
    )
    assert judge.types == ("hilos:Official",)
    with pytest.raises(BadInput, match="exists already"):
        claims.add_entity(store, "judge z (fictional)", type="official")
    claims.edit_entity(store, "Judge Z", add_aliases=["the judge"], remove_aliases=["Judge Z"])
    from hilos.entities import describe

    assert ("", "the judge") in describe(store, judge.id).aliases
    mayor = _first(store)
    # the judge and the mayor are one person, a source says: analyses treat them as one node
    merged = claims.merge_entities(
        store, "Judge Z (fictional)", "Mayor X (fictional)", source="Register (2023)"
    )
    assert merged.relation == "hilos:Identity"
    projection = project(store)
    assert judge.id not in projection.graph and projection.canonical(judge.id) == mayor.from_
    assert any("treated as one" in line for line in projection.assumptions())
    # retracting the identity claim separates them again; nothing was rewritten
    claims.retract_claim(store, merged.short_id, reason="two people after all")
    assert project(store).merged == {}


def test_terms_name_the_closest_ones() -> None:
    from hilos.terms import Terms, closest

    known = Terms.of(Store.in_memory())
    with pytest.raises(BadInput, match="closest: legislature"):
        known.entity_type("legislatura")
    assert known.entity_type("poder legislativo").name == "Legislature"
    # the types a newsroom reached for first, and was refused
    assert known.entity_type("judge").name == known.entity_type("jueza").name == "Judge"
    legislator = known.entity_type("legislator").name
    assert legislator == known.entity_type("diputado").name == "Legislator"
    assert known.tie("Soborno").name == "Bribery"
    assert closest("colusion", ["collusion", "colusión", "rivalry"])[0] in ("colusión", "collusion")


# --- the command line ---------------------------------------------------------------------------


def test_claims_on_the_command_line(hilos) -> None:  # type: ignore[no-untyped-def]
    added = ok(
        hilos(
            "claim", "add", "Mayor X (fictional)", "protection", "Zetas",
            "--source", "Interview 3 (2024)", "--quote", QUOTE, "--status", "alleged",
            "--create-from", "mayor", "--format", "json",
        )
    )  # fmt: skip
    claim = json.loads(added.stdout)
    assert claim["short_id"] == "mine/claim/1" and claim["status"] == "alleged"
    table = ok(hilos("claim", "add", "Mayor X (fictional)", "bribery", "Zetas", "--source", "s"))
    assert table.stdout.startswith("added mine/claim/2: Mayor X (fictional) → bribery → Zetas")
    assert "hilos undo" in table.stderr
    listed = json.loads(ok(hilos("claim", "list", "--format", "json")).stdout)
    assert [c["short_id"] for c in listed] == ["mine/claim/2", "mine/claim/1"]
    ok(hilos("claim", "edit", "mine/claim/1", "--status", "reported", "--reason", "second source"))
    ok(hilos("claim", "retract", "mine/claim/2", "--reason", "wrong pair"))
    history = json.loads(ok(hilos("claim", "history", "mine/claim/1", "--format", "json")).stdout)
    assert [v["status"] for v in history["versions"]] == ["reported", "alleged"]
    assert [c["action"] for c in history["changes"]] == ["claim add", "claim edit"]
    card = ok(hilos("show", "Mayor X (fictional)"))
    assert "retracted because: wrong pair" in card.stdout
    undone = ok(hilos("undo"))
    assert "undoes change 4 (claim retract)" in undone.stdout
    statuses = json.loads(
        ok(hilos("claim", "list", "--status", "reported", "--format", "json")).stdout
    )
    assert {c["short_id"] for c in statuses} == {"mine/claim/1", "mine/claim/2"}


def test_errors_on_the_command_line_are_one_line(hilos) -> None:  # type: ignore[no-untyped-def]
    unknown = hilos("claim", "add", "Nobody (fictional)", "bribery", "Zetas", "--source", "s")
    assert unknown.exit_code == 1 and len(unknown.stderr.strip().splitlines()) == 1
    assert "--create-from" in unknown.stderr
    relation = hilos("claim", "add", "Zetas", "colusion con", "Sinaloa cartel", "--source", "s")
    assert relation.exit_code == 2 and "closest: collusion (colusión)" in relation.stderr
    typed = hilos("entity", "add", "Judge Z", "--type", "legislatura")
    assert typed.exit_code == 2 and "closest: legislature" in typed.stderr
    nothing = hilos("undo")
    assert nothing.exit_code == 1 and "no graph named 'mine'" in nothing.stderr
    bundled = hilos("undo", "--graph", "report/iguala")
    assert bundled.exit_code == 2 and "ships with hilos" in bundled.stderr


def test_types_lists_every_type_with_both_labels_from_the_ontology(hilos) -> None:  # type: ignore[no-untyped-def]
    ontology = rdflib.Graph().parse(resources.ontology_file())
    ties = set(ontology.transitive_subjects(rdflib.RDFS.subClassOf, HILOS.Tie)) - {HILOS.Tie}
    listed = json.loads(ok(hilos("types", "--kind", "tie", "--format", "json")).stdout)
    assert {row["id"] for row in listed} == {str(t) for t in ties}
    for row in listed:
        node = rdflib.URIRef(row["id"])
        spanish = {str(v) for v in ontology.objects(node, rdflib.RDFS.label) if v.language == "es"}
        assert row["label_es"] in spanish and row["definition"]
    actors = json.loads(ok(hilos("types", "--kind", "actor", "--format", "json")).stdout)
    mayor = next(row for row in actors if row["name"] == "Mayor")
    assert mayor["sphere"] == "state" and mayor["label_es"]
    statuses = json.loads(ok(hilos("types", "--kind", "status", "--format", "json")).stdout)
    assert [row["name"] for row in statuses] == [
        "confirmed", "reported", "alleged", "disputed", "refuted", "retracted",
    ]  # fmt: skip
    table = ok(hilos("--lang", "es", "types", "--kind", "actor"))
    assert "presidente municipal" in table.stdout.lower()  # the Spanish label of hilos:Mayor


def test_claim_list_speaks_the_language_asked(hilos) -> None:  # type: ignore[no-untyped-def]
    ontology = rdflib.Graph().parse(resources.ontology_file())
    alleged_es = next(
        str(v) for v in ontology.objects(HILOS.Alleged, rdflib.RDFS.label) if v.language == "es"
    )
    empty = hilos("claim", "list")
    assert empty.exit_code == 1 and empty.stdout == ""  # no empty table, one line on stderr
    ok(hilos("claim", "add", "Mayor X (fictional)", "protection", "Zetas", "--source", "s",
             "--status", alleged_es, "--create-from", "mayor"))  # fmt: skip
    listed = ok(hilos("--lang", "es", "claim", "list", "--status", alleged_es))
    assert alleged_es in listed.stdout.splitlines()[2]
    card = ok(hilos("show", "Mayor X (fictional)"))
    assert "recorded: " in card.stdout and "prov:generatedAtTime" not in card.stdout


def test_an_edit_that_changes_nothing_writes_nothing(store: Store) -> None:
    view = claims.add_claim(store, "Zetas", "rivalry", "Sinaloa cartel", source="S")
    claims.edit_claim(store, view.short_id, quote="first wording")
    before = changes.statements_of(store, "mine")
    for same in ({}, {"quote": "first wording"}, {"source": "S"}):
        with pytest.raises(BadInput, match="nothing to change"):
            claims.edit_claim(store, view.short_id, **same)
    assert changes.statements_of(store, "mine") == before
    assert len(claims.claim_history(store, view.short_id)) == 2


def test_a_retracted_claim_edited_keeps_its_reason(store: Store) -> None:
    view = claims.add_claim(store, "Zetas", "rivalry", "Sinaloa cartel", source="S")
    claims.retract_claim(store, view.short_id, reason="the witness withdrew")
    edited = claims.edit_claim(store, view.short_id, quote="a corrected quote")
    assert edited.status == "retracted" and edited.reason == "the witness withdrew"
    back = claims.edit_claim(store, view.short_id, status="reported", reason="a second source")
    assert back.status == "reported" and back.reason is None


def test_an_edit_can_take_a_field_out(store: Store) -> None:
    view = claims.add_claim(
        store, "Zetas", "rivalry", "Sinaloa cartel", source="S",
        confidence="0.6", start="2010", end="2012", qualifiers=["partially"],
    )  # fmt: skip
    cleared = claims.edit_claim(store, view.short_id, clear=["end", "confidence", "qualifiers"])
    assert cleared.end is None and cleared.confidence is None and cleared.qualifiers == ()
    assert cleared.start == "2010"
    with pytest.raises(BadInput, match="both given and cleared"):
        claims.edit_claim(store, view.short_id, start="2011", clear=["start"])
    with pytest.raises(BadInput, match="cannot clear 'source'"):
        claims.edit_claim(store, view.short_id, clear=["source"])


def test_a_name_in_no_language_is_the_name_in_every_language(store: Store) -> None:
    from hilos.entities import describe

    judge = claims.add_entity(store, "Judge W (fictional)", type="judge", label_es="Juez W")
    assert describe(store, judge.id, lang="en").label == "Judge W (fictional)"
    assert describe(store, judge.id, lang="es").label == "Juez W"


def test_a_claim_takes_the_words_a_sheet_takes(store: Store) -> None:
    # the same readers as the spreadsheet import: a status in the feminine, a confidence as a
    # word, dates as people write them
    ontology = rdflib.Graph().parse(resources.ontology_file())
    alt = {str(v) for v in ontology.objects(HILOS.Alleged, rdflib.SKOS.altLabel)}
    assert "presunta" in alt
    view = claims.add_claim(
        store, "Zetas", "colusión", "Sinaloa cartel", source="s", status="presunta",
        confidence="alta", start="marzo de 2012", end="15/03/2014",
    )  # fmt: skip
    assert (view.status, view.confidence, view.start, view.end) == (
        "alleged", 0.8, "2012-03", "2014-03-15",
    )  # fmt: skip
    with pytest.raises(BadInput, match=r"^start: .*YYYY-MM-DD"):
        claims.add_claim(store, "Zetas", "rivalry", "Sinaloa cartel", source="s", start="5/3/2012")


def test_two_entities_merged_are_described_as_one(store: Store) -> None:
    # the deputy (a legislator: the state sphere, by the ontology) is a person the graph knew
    # under another name, of no sphere: the one node keeps the state sphere and both types
    ontology = rdflib.Graph().parse(resources.ontology_file())
    legislator_sphere = {
        str(ontology.value(parent, rdflib.OWL.hasValue))
        for parent in ontology.transitive_objects(HILOS.Legislator, rdflib.RDFS.subClassOf)
        if (parent, rdflib.OWL.onProperty, HILOS.sphere) in ontology
    }
    assert legislator_sphere == {str(HILOS.StateSphere)}
    deputy = claims.add_entity(store, "Deputy F (fictional)", type="legislator")
    person = claims.add_entity(store, "F. Person (fictional)", type="person")
    claims.add_claim(store, deputy.id, "collusion", "Zetas", source="s")
    merge = claims.merge_entities(store, deputy.id, person.id, source="a register")
    projection = project(store, Filters(graphs=("mine",)))
    one = projection.canonical(deputy.id)
    assert one == person.id and projection.graph.nodes[one]["sphere"] == "state"
    assert set(projection.graph.nodes[one]["types"]) >= {"hilos:Legislator", "hilos:Person"}
    said = "; ".join(projection.assumptions())
    assert f"Deputy F (fictional) is F. Person (fictional) ({merge.short_id})" in said


# --- one way to read the claims, whatever the store ---------------------------------------------


def test_reading_the_claims_by_their_iris_gives_what_the_registry_gives(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store without a registry (an endpoint hilos never wrote to) has its claims read by
    their IRIs: on a store that has both, that reading gives every claim as the registry's
    does, field by field (the graph then read from the claim's IRI)."""
    view = _first(store)
    claims.edit_claim(store, view.short_id, status="reported", reason="corroborated")
    claims.add_claim(store, "Zetas", "colusión", "Sinaloa cartel", source="s", quote="q")
    by_registry = claims.list_claims(store)
    assert len(by_registry) == 2  # the current versions: an edited claim is listed once
    monkeypatch.setattr(claims, "_claim_sets", claims._claim_sets_by_iri)
    assert claims.list_claims(store) == by_registry
    of_sinaloa = [c for c in by_registry if c.to_label == "Sinaloa cartel"]
    assert len(of_sinaloa) == 1
    assert claims.list_claims(store, entity="Sinaloa cartel") == of_sinaloa


def test_an_embedded_store_with_no_registry_lists_no_claims(store: Store) -> None:
    """With nothing registered an embedded store shows no graph to any query: the reading by
    IRI finds no claim, as the registry's reading (no user graph) did before."""
    _first(store)
    copy = ox.Store()
    copy.extend(store.database)  # every statement; the registry's entries are empty graphs
    bare = Store(copy, None)
    assert bare.graphs() == []
    assert len(copy) == len(store.database)
    assert claims.list_claims(bare) == []
