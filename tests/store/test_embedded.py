"""The embedded store: loading all or nothing, named graphs, materialised inferences, drop."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from hilos import resources
from hilos.errors import BadInput, GraphExists, ParseError, StoreError, StoreLocked, UnknownGraph
from hilos.namespaces import STORE, STORE_NS
from hilos.store import ONTOLOGY_GRAPH_NAME, Store, graph_iri
from hilos.store.reasoner import Reasoner

HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
HID = rdflib.Namespace("https://w3id.org/hilos/id/")

NEW_TIE = textwrap.dedent(
    """\
    @prefix hilos: <https://w3id.org/hilos/ontology#> .
    @prefix hid: <https://w3id.org/hilos/id/> .
    @prefix prov: <http://www.w3.org/ns/prov#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    hid:test-mayor a hilos:Mayor ; rdfs:label "Alcalde Pérez"@es .
    hid:test-cartel a hilos:DrugTraffickingOrganization ; rdfs:label "Cártel de Prueba"@es .
    hid:test-tie a hilos:Bribery ; hilos:from hid:test-cartel ; hilos:to hid:test-mayor ;
        hilos:status hilos:Reported ; prov:wasDerivedFrom hid:report ;
        hilos:quote "A made-up sentence for a test."@en .
    """
)


def all_quads(store: Store) -> set[ox.Quad]:
    return set(store.database)


def ask(store: Store, sparql: str) -> bool:
    return bool(store.query(sparql))


@pytest.fixture
def store() -> Store:
    return Store.in_memory()


@pytest.fixture
def new_file(tmp_path: Path) -> Path:
    path = tmp_path / "findings.ttl"
    path.write_text(NEW_TIE, encoding="utf-8")
    return path


def test_a_new_store_holds_the_ontology_and_every_curated_file(store: Store) -> None:
    expected = {ONTOLOGY_GRAPH_NAME} | {f"report/{p.stem}" for p in resources.curated_files()}
    assert {info.name for info in store.graphs()} == expected


def test_each_curated_graph_holds_exactly_its_file(store: Store) -> None:
    for path in resources.curated_files():
        expected = rdflib.Graph().parse(path, format="turtle")
        exported = rdflib.Graph()
        buffer = _export(store, "ntriples", graphs=[f"report/{path.stem}"])
        exported.parse(data=buffer, format="nt")
        assert isomorphic(expected, exported), path.name


def _export(store: Store, fmt: str, **kwargs: object) -> bytes:
    import io

    out = io.BytesIO()
    store.export(fmt, out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def test_subclass_closure_is_materialised(store: Store) -> None:
    ontology = rdflib.Graph().parse(resources.ontology_file())
    superclasses = set(ontology.transitive_objects(HILOS.Mayor, rdflib.RDFS.subClassOf))
    superclasses = {c for c in superclasses if isinstance(c, rdflib.URIRef)}
    assert HILOS.StateActor in superclasses
    types = {
        row["t"].value
        for row in store.query("SELECT ?t WHERE { hid:jose-luis-abarca a ?t }")  # type: ignore[union-attr]
    }
    assert {str(c) for c in superclasses} <= types


def test_spheres_come_from_the_class_restrictions(store: Store) -> None:
    assert ask(store, "ASK { hid:jose-luis-abarca hilos:sphere hilos:StateSphere }")
    assert ask(store, "ASK { hid:guerreros-unidos hilos:sphere hilos:CriminalSphere }")
    assert ask(store, "ASK { hid:iguala-43-students hilos:sphere hilos:CommunitySphere }")
    assert not ask(store, "ASK { hid:guerreros-unidos hilos:sphere hilos:StateSphere }")


def test_shortcut_triples_and_their_closure(store: Store) -> None:
    police, gu = "hid:iguala-municipal-police", "hid:guerreros-unidos"
    assert ask(store, f"ASK {{ {police} hilos:colludesWith {gu} }}")
    assert ask(store, f"ASK {{ {police} hilos:cooperatesWith {gu} }}")
    assert ask(store, f"ASK {{ {police} hilos:tiedTo {gu} }}")
    assert not ask(store, f"ASK {{ {gu} hilos:colludesWith {police} }}")
    # inverse of the command shortcut
    assert ask(store, f"ASK {{ {police} hilos:commandedBy hid:jose-luis-abarca }}")
    # symmetric alliance (recorded one way only in the file)
    assert ask(store, "ASK { hid:transportistas hilos:alliedWith hid:mexican-dtos }")
    # the alliance of DTOs and maras is disputed (and refuted with the named cartels): a claim,
    # never a direct link either way
    assert not ask(store, "ASK { hid:mexican-dtos hilos:alliedWith hid:maras }")
    assert not ask(store, "ASK { hid:maras hilos:alliedWith ?any }")
    # tie classes get their group class
    assert ask(
        store, "ASK { hid:tie-iguala-police-colludes-with-guerreros-unidos a hilos:CooperationTie }"
    )


def test_property_paths_follow_the_shortcuts(store: Store) -> None:
    rows = store.query(
        "SELECT ?x WHERE { hid:jose-luis-abarca (hilos:commands/hilos:colludesWith) ?x }"
    )
    assert {r["x"].value for r in rows} == {str(HID["guerreros-unidos"])}  # type: ignore[union-attr]


def test_names_get_accent_free_search_keys(store: Store) -> None:
    assert ask(store, 'ASK { hid:jose-luis-abarca hilos:searchKey "jose luis abarca" }')


def test_load_then_drop_restores_the_store_exactly(store: Store, new_file: Path) -> None:
    before = all_quads(store)
    report = store.load(new_file)
    assert report.graphs == ("findings",)
    assert report.triples == len(rdflib.Graph().parse(new_file))
    assert ask(store, "ASK { hid:test-cartel hilos:bribes hid:test-mayor }")
    assert ask(store, "ASK { hid:test-cartel hilos:colludesWith hid:test-mayor }")
    assert ask(store, "ASK { hid:test-mayor hilos:sphere hilos:StateSphere }")
    store.drop("findings")
    assert all_quads(store) == before


def test_a_file_that_does_not_parse_loads_nothing(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    good_lines = NEW_TIE.splitlines()
    bad.write_text("\n".join([*good_lines, 'hid:x hilos:quote "unterminated .'][:]) + "\n")
    before = all_quads(store)
    with pytest.raises(ParseError) as caught:
        store.load(bad)
    assert caught.value.path == str(bad)
    assert caught.value.line == len(good_lines) + 1
    assert all_quads(store) == before


def test_a_failure_while_writing_leaves_nothing(
    store: Store, new_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise OSError("disk full")

    before = all_quads(store)
    monkeypatch.setattr(Reasoner, "derive", broken)
    with pytest.raises(StoreError, match="disk full"):
        store.load(new_file)
    assert all_quads(store) == before


def test_bulk_loading_gives_the_same_graph(
    store: Store, new_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = Store.in_memory()
    small.load(new_file)
    monkeypatch.setattr("hilos.store.BULK_THRESHOLD", 1)
    store.load(new_file)
    for inferred in (False, True):
        a = rdflib.Graph().parse(
            data=_export(small, "ntriples", graphs=["findings"], inferred=inferred), format="nt"
        )
        b = rdflib.Graph().parse(
            data=_export(store, "ntriples", graphs=["findings"], inferred=inferred), format="nt"
        )
        assert isomorphic(a, b)


def test_replacing_is_explicit_and_keeps_the_old_graph_on_failure(
    store: Store, new_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.load(new_file)
    with pytest.raises(GraphExists):
        store.load(new_file)
    before = all_quads(store)
    replacement = tmp_path / "v2.ttl"
    replacement.write_text(NEW_TIE.replace("Alleged", "Reported"), encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> object:
        raise OSError("interrupted")

    with monkeypatch.context() as patch:
        patch.setattr(Reasoner, "derive", broken)
        with pytest.raises(StoreError):
            store.load(replacement, name="findings", replace=True)
    assert all_quads(store) == before
    store.load(replacement, name="findings", replace=True)
    assert ask(store, "ASK { hid:test-tie hilos:status hilos:Reported }")
    assert not ask(store, "ASK { hid:test-tie hilos:status hilos:Alleged }")


def test_several_files_load_all_or_none(store: Store, new_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix : <http://e/> .\n:a :b .\n", encoding="utf-8")
    before = all_quads(store)
    with pytest.raises(ParseError):
        store.load_all([new_file, bad])
    assert all_quads(store) == before


def test_quad_files_keep_their_graphs(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "leak.nq"
    path.write_text(
        "<http://e/a> <http://e/p> <http://e/b> <http://e/g1> .\n"
        "<http://e/a> <http://e/p> <http://e/c> .\n",
        encoding="utf-8",
    )
    report = store.load(path)
    assert set(report.graphs) == {"leak", "http://e/g1"}
    assert ask(store, "ASK { GRAPH <http://e/g1> { <http://e/a> <http://e/p> <http://e/b> } }")
    store.drop("http://e/g1")
    assert not ask(store, "ASK { <http://e/a> <http://e/p> <http://e/b> }")
    assert ask(store, "ASK { <http://e/a> <http://e/p> <http://e/c> }")


def test_queries_see_only_registered_graphs(store: Store) -> None:
    store.database.add(
        ox.Quad(
            ox.NamedNode("http://e/s"),
            ox.NamedNode("http://e/p"),
            ox.Literal("x"),
            ox.NamedNode("http://e/unregistered"),
        )
    )
    assert not ask(store, 'ASK { ?s ?p "x" }')


def test_unknown_graph_and_the_ontology_cannot_be_dropped(store: Store) -> None:
    with pytest.raises(UnknownGraph):
        store.drop("nothing-here")
    with pytest.raises(BadInput):
        store.drop(ONTOLOGY_GRAPH_NAME)


def test_rematerialising_gives_the_same_inferences(store: Store, new_file: Path) -> None:
    store.load(new_file)
    before = rdflib.Graph().parse(
        data=_export(store, "ntriples", graphs=["findings"], inferred=True), format="nt"
    )
    store.rematerialise("findings")
    after = rdflib.Graph().parse(
        data=_export(store, "ntriples", graphs=["findings"], inferred=True), format="nt"
    )
    assert isomorphic(before, after)


def test_export_nquads_round_trip(store: Store, new_file: Path, tmp_path: Path) -> None:
    store.load(new_file)
    dump = tmp_path / "dump.nq"
    dump.write_bytes(_export(store, "nquads"))
    other = Store.empty()
    other.load(dump)
    for info in store.graphs():
        a = rdflib.Graph().parse(data=_export(store, "ntriples", graphs=[info.name]), format="nt")
        b = rdflib.Graph().parse(data=_export(other, "ntriples", graphs=[info.iri]), format="nt")
        assert isomorphic(a, b), info.name


# ---------------------------------------------------------------------------- on disk


def test_opening_twice_syncs_once(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as first:
        stamps = {g.name: g.loaded_at for g in first.graphs()}
    with Store.open(path) as second:
        assert not second.sync_bundle()
        assert {g.name: g.loaded_at for g in second.graphs()} == stamps


def test_a_dropped_curated_graph_stays_dropped_until_the_data_changes(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.drop("report/iguala")
    with Store.open(path) as store:
        assert "report/iguala" not in {g.name for g in store.graphs()}
        # a changed bundle brings it back: the registry entry of the store's stamp (a graph
        # named by its statements) is renamed as if an older bundle had been synced
        stamp = [
            g
            for g in store.database.named_graphs()
            if isinstance(g, ox.NamedNode) and quote(str(STORE.bundle), safe="") in g.value
        ]
        assert len(stamp) == 1
        old = re.sub(r"%22[0-9a-f]{64}%2F", "%22old%2F", stamp[0].value)
        assert old != stamp[0].value
        store.database.update(f"DROP GRAPH {stamp[0]} ; CREATE GRAPH <{old}>")
    with Store.open(path) as store:
        assert "report/iguala" in {g.name for g in store.graphs()}


def test_graphs_left_by_a_killed_load_are_removed_on_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.database.add(
            ox.Quad(
                ox.NamedNode("http://e/s"),
                ox.NamedNode("http://e/p"),
                ox.Literal("x"),
                ox.NamedNode("https://w3id.org/hilos/store#staging/abc"),
            )
        )
    with Store.open(path) as store:
        assert ox.NamedNode("https://w3id.org/hilos/store#staging/abc") not in set(
            store.database.named_graphs()
        )


def test_a_store_held_by_another_process_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "store"
    Store.open(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLocked, match="in use"):
            Store.open(path, lock_timeout=0)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    Store.open(path, lock_timeout=0).close()


def test_graph_names_map_to_iris() -> None:
    assert graph_iri("report/iguala").value == "https://w3id.org/hilos/graph/report/iguala"
    assert graph_iri("my findings").value == "https://w3id.org/hilos/graph/my%20findings"
    assert graph_iri("http://e/g").value == "http://e/g"
    with pytest.raises(BadInput):
        graph_iri("")


def test_new_derivation_rules_derive_every_graph_again(
    tmp_path: Path, new_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.load(new_file)
        inferred = inferred_graph_of(store, "findings")
        store.database.remove(
            ox.Quad(
                ox.NamedNode(HID["test-cartel"]),
                ox.NamedNode(HILOS.bribes),
                ox.NamedNode(HID["test-mayor"]),
                inferred,
            )
        )
        assert not ask(store, "ASK { hid:test-cartel hilos:bribes hid:test-mayor }")
    monkeypatch.setattr("hilos.store._FORMAT_VERSION", 99)
    with Store.open(path) as store:
        assert ask(store, "ASK { hid:test-cartel hilos:bribes hid:test-mayor }")


def inferred_graph_of(store: Store, name: str) -> ox.NamedNode:
    return ox.NamedNode(store.graph(name).inferred_iri)


def test_long_loads_report_progress(
    store: Store, new_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hilos.store.loading._PROGRESS_EVERY", 2)
    monkeypatch.setattr("hilos.store.loading._QUIET_BYTES", 0)
    calls: list[tuple[int, int]] = []
    store.load(new_file, progress=lambda done, total: calls.append((done, total)))
    total = new_file.stat().st_size  # the engine parses as it writes: progress is in bytes
    assert calls, "no progress reported"
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_an_origin_is_recorded_instead_of_the_scratch_file(store: Store, new_file: Path) -> None:
    store.load(new_file, name="imported", origin=("people.csv (imported)", "ab" * 32))
    info = store.graph("imported")
    assert info.source == "people.csv (imported)"
    assert info.sha256 == "ab" * 32


# ------------------------------------------------------------------ registry and union


def _count_all(store: Store) -> int:
    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(answer))["n"].value)  # type: ignore[call-overload]


def _registered_total(store: Store) -> int:
    """Every statement the registered graphs hold, counted graph by graph (a query that reads
    the union must see exactly these)."""
    total = 0
    for info in store.graphs():
        for iri in (info.iri, info.inferred_iri):
            total += sum(
                1 for _ in store.database.quads_for_pattern(None, None, None, ox.NamedNode(iri))
            )
    return total


def test_queries_see_the_registered_graphs_and_never_the_registry(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        # distinct statements: the same triple in two graphs counts once per graph in both
        assert _count_all(store) == _registered_total(store)
        bookkeeping = store.query(
            f"ASK {{ {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), '{STORE_NS}')) }}"
            f" UNION {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), '{STORE_NS}registry')) }} }}"
        )
        assert not bool(bookkeeping)


def test_a_graph_not_yet_registered_is_invisible(tmp_path: Path) -> None:
    staged = ox.NamedNode("https://w3id.org/hilos/store#staging/in-progress")
    with Store.open(tmp_path / "store") as store:
        before = _count_all(store)
        released = threading.Event()
        finished = threading.Event()

        def writer() -> None:
            with store.writing():
                store.database.add(
                    ox.Quad(
                        ox.NamedNode("http://e/s"),
                        ox.NamedNode("http://e/p"),
                        ox.Literal("x"),
                        staged,
                    )
                )
                released.set()
                finished.wait(30)
                store.database.remove_graph(staged)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            assert released.wait(30)
            assert _count_all(store) == before
        finally:
            finished.set()
            thread.join()
        # left behind by a writer that is gone (a killed load): still invisible
        store.database.add(
            ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("x"), staged)
        )
        store.database.add(
            ox.Quad(
                ox.NamedNode("http://e/s"),
                ox.NamedNode("http://e/p"),
                ox.Literal("y"),
                ox.DefaultGraph(),
            )
        )
        assert _count_all(store) == before


def test_a_registry_kept_as_statements_becomes_entries(tmp_path: Path) -> None:
    """Stores written before the registry moved into graph names open unchanged."""
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.drop("report/iguala")
        expected = store.graphs()
        database = store.database
        entries = [
            g
            for g in database.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(STORE_NS + "registry/")
        ]
        # the older layout: the same statements, in a graph of their own
        registry = ox.NamedNode(STORE_NS + "registry")
        for entry in entries:
            text = entry.value[len(STORE_NS + "registry/") :]
            for triple in ox.parse(unquote(text).encode(), format=ox.RdfFormat.TURTLE):
                database.add(ox.Quad(triple.subject, triple.predicate, triple.object, registry))
            database.remove_graph(entry)
        del database  # the store's lock goes with the last reference
    with Store.open(path) as store:
        assert store.graphs() == expected
        assert not store.database.contains_named_graph(ox.NamedNode(STORE_NS + "registry"))
        assert "report/iguala" not in {g.name for g in store.graphs()}
        assert not store.sync_bundle()


def test_blank_nodes_belong_to_the_file_they_come_from(tmp_path: Path) -> None:
    """`_:x` in two files is two nodes; within one file it is one node, with what is derived
    from it (the search key of its label)."""
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    first.write_text(f'_:x {label} "Uno" .\n_:x <http://e/p> "same node" .\n', encoding="utf-8")
    second.write_text(f'_:x {label} "Dos" .\n', encoding="utf-8")
    store = Store.in_memory()
    store.load(first, name="first")
    store.load(second, name="second")
    answer = store.query(
        "SELECT ?label (COUNT(DISTINCT ?p) AS ?n) WHERE { ?x rdfs:label ?label ; ?p ?o "
        "FILTER(isBlank(?x)) } GROUP BY ?label"
    )
    predicates = {row["label"].value: int(row["n"].value) for row in answer}  # type: ignore[union-attr]
    # one node each: Uno has its label, <http://e/p> and a search key; Dos its label and key
    assert predicates == {"Uno": 3, "Dos": 2}


@pytest.mark.parametrize("graph", ["registry/x", "registry", "staging/x", "inferred/x"])
def test_the_stores_own_graphs_cannot_be_loaded_into(tmp_path: Path, graph: str) -> None:
    iri = STORE_NS + graph
    named = tmp_path / "data.trig"
    named.write_text(f'<{iri}> {{ <http://e/s> <http://e/p> "x" . }}\n', encoding="utf-8")
    plain = tmp_path / "data.nt"
    plain.write_text('<http://e/s> <http://e/p> "x" .\n', encoding="utf-8")
    store = Store.in_memory()
    before = store.graphs()
    for source, name in ((named, None), (plain, f"<{iri}>")):
        with pytest.raises(BadInput, match="own bookkeeping"):
            store.load(source, name=name)
    assert store.graphs() == before
    assert not store.database.contains_named_graph(ox.NamedNode(iri))


# -- datasets: FROM, FROM NAMED and the graphs a query is given -----------------------------------

GRAPH_BASE = "https://w3id.org/hilos/graph/"
FIGURES = GRAPH_BASE + "report/figures"
IGUALA = GRAPH_BASE + "report/iguala"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(store: Store, sparql: str, **kwargs: object) -> int:
    return int(next(iter(store.query(sparql, **kwargs)))["n"].value)  # type: ignore[call-overload, arg-type]


def _curated(name: str) -> Path:
    return next(p for p in resources.curated_files() if p.stem == name)


def _derived_type(name: str) -> tuple[rdflib.term.Node, rdflib.URIRef]:
    """A subject of a curated file and a class it belongs to only by the ontology's
    rdfs:subClassOf (read with rdflib, not hilos)."""
    data = rdflib.Graph().parse(_curated(name))
    vocabulary = rdflib.Graph().parse(resources.ontology_file())
    for subject, cls in data.subject_objects(rdflib.RDF.type):
        if not isinstance(subject, rdflib.URIRef) or not isinstance(cls, rdflib.URIRef):
            continue
        todo, found = [cls], set()
        while todo:
            for parent in vocabulary.objects(todo.pop(), rdflib.RDFS.subClassOf):
                if isinstance(parent, rdflib.URIRef) and parent not in found:
                    found.add(parent)
                    todo.append(parent)
        for parent in sorted(found):
            if (subject, rdflib.RDF.type, parent) not in data and str(parent).startswith(
                str(HILOS)
            ):
                return subject, parent
    raise AssertionError(f"no derived type in {name}")


def test_from_is_the_graph_with_its_inferences_and_nothing_else(memory_store: Store) -> None:
    figures = rdflib.Graph().parse(_curated("figures"))
    whole = _count(memory_store, COUNT)
    narrowed = _count(
        memory_store, f"SELECT (COUNT(*) AS ?n) FROM <{FIGURES}> WHERE {{ ?s ?p ?o }}"
    )
    assert len(figures) <= narrowed < whole
    # not the ontology, nor another graph
    assert not ask(memory_store, f"ASK FROM <{FIGURES}> {{ hilos:Mayor a owl:Class }}")
    assert not ask(memory_store, f"ASK FROM <{FIGURES}> {{ hid:zetas rdfs:label ?l }}")
    # what the reasoner derived from the graph is there
    subject, cls = _derived_type("iguala")
    assert ask(memory_store, f"ASK FROM <{IGUALA}> {{ <{subject}> a <{cls}> }}")
    # the library's graphs= follows the same rule, by short name or IRI
    assert _count(memory_store, COUNT, graphs=["report/figures"]) == narrowed
    assert _count(memory_store, COUNT, graphs=[FIGURES]) == narrowed
    assert not ask_in(memory_store, "ASK { hilos:Mayor a owl:Class }", ["report/iguala"])


def ask_in(store: Store, sparql: str, graphs: list[str]) -> bool:
    return bool(store.query(sparql, graphs=graphs))


def test_from_named_is_the_graph_as_loaded(memory_store: Store) -> None:
    figures = rdflib.Graph().parse(_curated("figures"))
    answer = memory_store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} FROM NAMED <{FIGURES}> "
        f"WHERE {{ GRAPH <{FIGURES}> {{ ?s ?p ?o }} }}"
    )
    got = rdflib.Graph().parse(
        data=ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES), format="nt"
    )  # type: ignore[arg-type]
    assert isomorphic(got, figures)
    rows = memory_store.query(
        f"SELECT DISTINCT ?g FROM NAMED <{FIGURES}> WHERE {{ GRAPH ?g {{ }} }}"
    )
    assert [row["g"].value for row in rows] == [FIGURES]  # type: ignore[union-attr]
    # and the default graph is then empty
    assert not ask(memory_store, f"ASK FROM NAMED <{FIGURES}> {{ ?s ?p ?o }}")


def test_graph_variable_sees_the_loaded_graphs_only(memory_store: Store) -> None:
    expected = {str(graph_iri(ONTOLOGY_GRAPH_NAME).value)} | {
        GRAPH_BASE + "report/" + p.stem for p in resources.curated_files()
    }
    rows = memory_store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {row["g"].value for row in rows} == expected  # type: ignore[union-attr]


def test_an_unknown_graph_is_an_empty_dataset(memory_store: Store) -> None:
    assert not ask(memory_store, "ASK FROM <http://nowhere.example/g> { ?s ?p ?o }")
    assert not ask(
        memory_store, "ASK FROM NAMED <http://nowhere.example/g> { GRAPH ?g { ?s ?p ?o } }"
    )
    # internal graphs are no graph a query can name
    inferred = next(g.inferred_iri for g in memory_store.graphs() if g.iri == FIGURES)
    assert not ask(memory_store, f"ASK FROM <{inferred}> {{ ?s ?p ?o }}")
    assert not ask(memory_store, f"ASK FROM <{STORE_NS}registry> {{ ?s ?p ?o }}")


def test_the_given_dataset_wins_over_from(memory_store: Store) -> None:
    query = f"ASK FROM <{IGUALA}> {{ hid:zetas rdfs:label ?l }}"
    assert not ask(memory_store, query)
    assert bool(memory_store.query(query, graphs=["report/dtos"]))


def test_relative_iris_resolve_against_the_base(memory_store: Store) -> None:
    rows = memory_store.query(
        "SELECT ?x WHERE { BIND(<rel> AS ?x) }", base_iri="http://127.0.0.1:7878/sparql"
    )
    assert [row["x"].value for row in rows] == ["http://127.0.0.1:7878/rel"]  # type: ignore[union-attr]


def test_each_loads_blank_nodes_come_out_as_valid_rdfxml(tmp_path: Path) -> None:
    """The engine gives each load's blank nodes fresh random labels, which may start with a
    digit (not an XML name); the export relabels them, so the RDF/XML it writes holds every
    load's nodes apart and rdflib reads it. Many loads, since the labels are random."""
    source = tmp_path / "data.ttl"
    source.write_text(
        '@prefix ex: <http://example.org/> .\n_:x ex:p [ ex:q "v" ] ; ex:r ( "a" "b" ) .\n',
        encoding="utf-8",
    )
    store = Store.empty()
    names = [f"g{n}" for n in range(20)]
    for name in names:
        store.load(source, name=name)
    xml = _export(store, "rdfxml", graphs=names)
    expected = rdflib.Graph()
    for _ in range(20):
        expected.parse(source, format="turtle")
    assert len(rdflib.Graph().parse(data=xml, format="xml")) == len(expected)


def test_files_loaded_with_a_new_ontology_are_reasoned_with_it(
    store_path: Path, tmp_path: Path
) -> None:
    """Loading a new ontology and data in one call (all or nothing) reasons the data with the
    new ontology, not the one it replaces: a class only the new one declares still gives its
    instances their superclasses."""
    ontology = tmp_path / "ontology.ttl"
    ontology.write_text(
        resources.ontology_file().read_text(encoding="utf-8")
        + "\nhilos:TownMayor a owl:Class ; rdfs:subClassOf hilos:Mayor ;"
        ' rdfs:label "Town mayor"@en .\n',
        encoding="utf-8",
    )
    data = tmp_path / "towns.ttl"
    data.write_text(
        "@prefix hilos: <https://w3id.org/hilos/ontology#> .\n"
        "<https://example.org/mayor> a hilos:TownMayor .\n",
        encoding="utf-8",
    )
    with Store.open(store_path) as store:
        reports = store.load_all([data, ontology], replace=True)
        assert [report.graphs[0] for report in reports] == ["towns", "ontology"]  # as given
        mayor = "ASK { <https://example.org/mayor> a hilos:Mayor }"
        assert store.query(mayor, graphs=["towns"], inferred=True)
