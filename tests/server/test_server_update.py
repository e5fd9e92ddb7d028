"""SPARQL Update: `apply_update` on a store, and over HTTP with `hilos serve --allow-update`.

Expected values come from the Turtle files themselves (read with rdflib), not from hilos.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import rdflib

from conftest import Hilos
from hilos.errors import QueryError
from hilos.server.http import SparqlServer
from hilos.store import Store, solutions
from hilos.store.updates import UpdateRefused, apply_update, scoped
from support import fetch, running

REPO = Path(__file__).resolve().parents[2]
H = rdflib.Namespace("https://w3id.org/hilos/ontology#")
HID = "https://w3id.org/hilos/id/"
GRAPHS = "https://w3id.org/hilos/graph/"
TOKEN = "a-test-token-that-is-long-enough"
NEW_MAYOR = "INSERT DATA { hid:test-mayor a hilos:Mayor ; rdfs:label 'Test Mayor'@en }"
COLLUSION_TIE = HID + "tie-iguala-police-colludes-with-guerreros-unidos"


def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")


def superclasses(graph: rdflib.Graph, cls: rdflib.URIRef) -> set[rdflib.URIRef]:
    """Named superclasses of a class, by rdfs:subClassOf, transitively (read with rdflib)."""
    found: set[rdflib.URIRef] = set()
    todo = [cls]
    while todo:
        for parent in graph.objects(todo.pop(), rdflib.RDFS.subClassOf):
            if isinstance(parent, rdflib.URIRef) and parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def everything(store: Store) -> set[ox.Quad]:
    """Every statement of the database: data, derived graphs and the registry."""
    return set(store.database)


def ask(store: Store, query: str) -> bool:
    return bool(store.query(query))


# -- apply_update on a store ---------------------------------------------------------------------


@pytest.fixture
def store() -> Store:
    return Store.in_memory()


def test_an_insert_lands_in_a_registered_graph_with_its_inferences(store: Store) -> None:
    onto = ontology()
    expected = superclasses(onto, H.Mayor)
    assert H.StateActor in expected  # the ontology says so; hilos must derive it
    assert apply_update(store, NEW_MAYOR) == ["sparql-update"]
    info = store.graph("sparql-update")
    assert info.triples == 2 and info.inferred_triples > 0
    types = {
        row["t"].value for row in solutions(store.query("SELECT ?t WHERE { hid:test-mayor a ?t }"))
    }
    assert {str(c) for c in expected} <= types
    assert ask(store, "ASK { hid:test-mayor hilos:sphere hilos:StateSphere }")
    # Nothing is left in the default graph, which queries never see.
    assert not list(store.database.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    # A second insert adds to the same graph.
    apply_update(store, "INSERT DATA { hid:test-mayor skos:altLabel 'TM'@en }")
    assert store.graph("sparql-update").triples == 3


def test_a_new_named_graph_is_registered(store: Store) -> None:
    changed = apply_update(
        store, f"INSERT DATA {{ GRAPH <{GRAPHS}notes> {{ hid:zetas rdfs:comment 'a note'@en }} }}"
    )
    assert changed == ["notes"]
    assert store.graph("notes").triples == 1
    query = "ASK { hid:zetas rdfs:comment 'a note'@en }"
    assert store.query(query, graphs=["notes"])
    # A graph outside hilos's base is registered under its IRI.
    apply_update(store, "INSERT DATA { GRAPH <http://example.org/g> { hid:a rdfs:label 'A' } }")
    assert store.graph("http://example.org/g").triples == 1


def test_where_reads_what_a_query_reads(store: Store) -> None:
    mayors = {
        str(s)
        for path in (REPO / "graph").glob("*.ttl")
        for s in rdflib.Graph().parse(path).subjects(rdflib.RDF.type, H.Mayor)
    }
    assert mayors
    apply_update(
        store,
        f"INSERT {{ GRAPH <{GRAPHS}flags> {{ ?m rdfs:comment 'flagged' }} }} "
        "WHERE { ?m a hilos:StateActor , hilos:Mayor }",
    )
    flagged = {
        row["m"].value
        for row in solutions(
            store.query("SELECT ?m WHERE { ?m rdfs:comment 'flagged' }", graphs=["flags"])
        )
    }
    assert flagged == mayors
    # DELETE WHERE reaches the loaded graphs by name, and only those.
    apply_update(store, "DELETE WHERE { GRAPH ?g { ?m rdfs:comment 'flagged' } }")
    assert "flags" not in [g.name for g in store.graphs()]  # emptied, so dropped


def test_changing_a_curated_tie_derives_its_graph_again(store: Store) -> None:
    iguala = rdflib.Graph().parse(REPO / "graph" / "iguala.ttl")
    tie = rdflib.URIRef(COLLUSION_TIE)
    ends = (iguala.value(tie, H["from"]), iguala.value(tie, H.to))
    assert (tie, rdflib.RDF.type, H.Collusion) in iguala
    # No other tie of the curated graph joins the same two ends, either way.
    curated = rdflib.Graph()
    for path in (REPO / "graph").glob("*.ttl"):
        curated.parse(path)
    joining = {
        t
        for a, b in (ends, ends[::-1])
        for t in curated.subjects(H["from"], a)
        if (t, H.to, b) in curated
    }
    assert joining == {tie}
    onto = ontology()
    old = onto.value(H.Collusion, H.shortcut)
    new = onto.value(H.Rivalry, H.shortcut)
    assert old is not None and new is not None
    assert H.Collusion not in superclasses(onto, H.Rivalry)
    shortcut = f"ASK {{ <{ends[0]}> <{{}}> <{ends[1]}> }}"
    assert ask(store, shortcut.replace("{}", str(old)))

    graph = f"<{GRAPHS}report/iguala>"
    changed = apply_update(
        store,
        f"DELETE DATA {{ GRAPH {graph} {{ <{tie}> a hilos:Collusion }} }} ;\n"
        f"INSERT DATA {{ GRAPH {graph} {{ <{tie}> a hilos:Rivalry }} }}",
    )
    assert changed == ["report/iguala"]
    assert not ask(store, shortcut.replace("{}", str(old)))
    assert ask(store, shortcut.replace("{}", str(new)))
    info = store.graph("report/iguala")
    assert info.triples == len(iguala)  # one statement replaced by one
    assert info.bundled and info.source.endswith("+ SPARQL Update")


def test_changing_the_ontology_derives_every_graph_again(store: Store) -> None:
    assert not ask(store, "ASK { hid:jose-luis-abarca a hilos:CriminalActor }")
    changed = apply_update(
        store,
        f"INSERT DATA {{ GRAPH <{GRAPHS}ontology> {{ hilos:Mayor rdfs:subClassOf "
        "hilos:CriminalActor } }",
    )
    assert changed == ["ontology"]
    assert ask(store, "ASK { hid:jose-luis-abarca a hilos:CriminalActor }")
    assert ask(store, "ASK { hid:jose-luis-abarca hilos:sphere hilos:CriminalSphere }")


@pytest.mark.parametrize(
    ("update", "error", "message"),
    [
        ("INSERT DATA { hid:x a hilos:Mayor ", QueryError, "SPARQL syntax error in the update at"),
        (
            "INSERT DATA { hid:x a hilos:Mayor } ;\nDROP GRAPH <http://nowhere.example/g>",
            QueryError,
            "the update failed and changed nothing",
        ),
        (
            "INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            UpdateRefused,
            "federated SERVICE is refused",
        ),
        ("LOAD <http://example.org/data.ttl>", UpdateRefused, "LOAD is refused"),
        ("DROP ALL", UpdateRefused, "DROP ALL is refused"),
        ("CLEAR SILENT NAMED", UpdateRefused, "CLEAR NAMED is refused"),
        (
            "INSERT DATA { GRAPH <https://w3id.org/hilos/store#registry> { hid:a hid:b hid:c } }",
            UpdateRefused,
            "store's own bookkeeping",
        ),
        ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", UpdateRefused, "leave the ontology empty"),
        ("INSERT DATA { GRAPH <x:g> { hid:a hid:b hid:c } }", UpdateRefused, "absolute IRI"),
    ],
)
def test_a_refused_or_failed_update_changes_nothing(
    store: Store, update: str, error: type[Exception], message: str
) -> None:
    before = everything(store)
    graphs = store.graphs()
    with pytest.raises(error, match=re.escape(message)):
        apply_update(store, NEW_MAYOR + " ;\n" + update)
    assert everything(store) == before
    assert store.graphs() == graphs


def test_a_syntax_error_is_placed_in_the_update_as_sent(store: Store) -> None:
    with pytest.raises(QueryError) as caught:
        apply_update(store, "INSERT { ?s a hilos:X }\nWHERE { ?s a hilos:Mayor \n")
    assert "at line 3, column 1" in str(caught.value)


def test_scoping_leaves_strings_comments_and_own_datasets_alone() -> None:
    text = "INSERT { ?s rdfs:comment 'WHERE { }' } # WHERE\nUSING <x:g> WHERE { ?s ?p ?o }"
    assert scoped(text, ["x:1"], ["x:2"]) == text
    assert scoped("INSERT DATA { hid:a hid:b 'where' }", ["x:1"], []) == (
        "INSERT DATA { hid:a hid:b 'where' }"
    )
    two = scoped("DELETE WHERE { ?a ?b 1 } ; INSERT { ?a ?b 2 } WHERE { ?a ?b 3 }", ["x:1"], [])
    assert two == (
        "DELETE { ?a ?b 1 } USING <x:1> WHERE { ?a ?b 1 } ; "
        "INSERT { ?a ?b 2 } USING <x:1> WHERE { ?a ?b 3 }"
    )


def test_using_graphs_read_a_graph_with_what_was_derived_from_it(store: Store) -> None:
    """using-graph-uri (`using=`): the graph and its inferences, nothing else; the expected
    subjects are read from the curated file and the ontology with rdflib."""
    iguala = rdflib.Graph().parse(REPO / "graph" / "iguala.ttl")
    vocabulary = ontology()
    state = rdflib.URIRef("https://w3id.org/hilos/ontology#StateActor")
    derived = {
        str(s)
        for s, cls in iguala.subject_objects(rdflib.RDF.type)
        if isinstance(s, rdflib.URIRef)
        and isinstance(cls, rdflib.URIRef)
        and state in superclasses(vocabulary, cls)
    }
    assert derived
    mentioned = {str(node) for triple in iguala for node in triple}
    found = "http://example.org/found"
    changed = apply_update(
        store,
        f"INSERT {{ GRAPH <{found}> {{ ?s a <{found}#It> }} }} WHERE {{ ?s a hilos:StateActor }}",
        using=["report/iguala"],
    )
    assert changed == [found]
    rows = store.query(f"SELECT ?s WHERE {{ GRAPH <{found}> {{ ?s ?p ?o }} }}")
    got = {row["s"].value for row in solutions(rows)}
    assert derived <= got <= mentioned
    # by name only: the default graph is then empty
    apply_update(store, f"DROP GRAPH <{found}>")
    changed = apply_update(
        store,
        f"INSERT {{ GRAPH <{found}> {{ ?s a <{found}#It> }} }} WHERE {{ ?s a hilos:StateActor }}",
        using_named=["report/iguala"],
    )
    assert changed == []
    # a dataset given twice is refused
    with pytest.raises(UpdateRefused, match="names its dataset"):
        apply_update(
            store,
            "WITH <x:g> INSERT { ?s a hilos:X } WHERE { ?s a hilos:Mayor }",
            using=["report/iguala"],
        )


# -- over HTTP -----------------------------------------------------------------------------------


@pytest.fixture
def writable() -> Iterator[tuple[SparqlServer, Store]]:
    store = Store.in_memory()
    with running(store, update_token=TOKEN) as server:
        yield server, store


def post_update(
    url: str, update: str, token: str | None = TOKEN, form: bool = False
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    if form:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode({"update": update}).encode()
    else:
        headers["Content-Type"] = "application/sparql-update"
        body = update.encode()
    return fetch(url, method="POST", body=body, headers=headers)


def select(url: str, query: str) -> list[dict[str, str]]:
    status, _, body = fetch(url, params={"query": query})
    assert status == 200, body
    return [
        {k: v["value"] for k, v in row.items()} for row in json.loads(body)["results"]["bindings"]
    ]


def test_updates_are_403_without_the_flag_even_with_a_token(memory_store: Store) -> None:
    before = everything(memory_store)
    with running(memory_store) as server:
        for form in (False, True):
            status, _, body = post_update(server.url, NEW_MAYOR, form=form)
            assert status == 403 and b"read-only" in body
    assert everything(memory_store) == before


def test_an_update_needs_the_right_token(writable: tuple[SparqlServer, Store]) -> None:
    server, store = writable
    before = everything(store)
    for form in (False, True):
        status, headers, body = post_update(server.url, NEW_MAYOR, token=None, form=form)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        assert b"Authorization: Bearer" in body
        status, headers, body = post_update(server.url, NEW_MAYOR, token="wrong", form=form)
        assert status == 401 and 'error="invalid_token"' in headers["WWW-Authenticate"]
        status, _, _ = post_update(server.url, NEW_MAYOR, token=TOKEN + "x", form=form)
        assert status == 401
    status, headers, _ = fetch(
        server.url,
        method="POST",
        body=NEW_MAYOR.encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Basic {TOKEN}"},
    )
    assert status == 401
    assert everything(store) == before


def test_an_update_with_the_token_is_seen_by_the_next_query(
    writable: tuple[SparqlServer, Store],
) -> None:
    server, _ = writable
    status, headers, body = post_update(server.url, NEW_MAYOR)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == {"changed": ["sparql-update"]}
    # Seen with its inferences, in a registered graph that names can narrow queries to.
    rows = select(
        server.url, "SELECT ?s WHERE { ?s a hilos:StateActor ; rdfs:label 'Test Mayor'@en }"
    )
    assert rows == [{"s": HID + "test-mayor"}]
    status, _, body = fetch(
        server.url,
        params={
            "query": "ASK { hid:test-mayor a hilos:Mayor }",
            "default-graph-uri": "sparql-update",
        },
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    # The explorer finds it by name.
    status, _, body = fetch(server.base_url + "/api/search", params={"q": "test mayor"})
    assert status == 200 and json.loads(body)[0]["id"] == HID + "test-mayor"
    # The form field works too.
    status, _, body = post_update(
        server.url,
        "DELETE DATA { GRAPH <" + GRAPHS + "sparql-update> { hid:test-mayor "
        "rdfs:label 'Test Mayor'@en } }",
        form=True,
    )
    assert status == 200 and json.loads(body) == {"changed": ["sparql-update"]}
    assert select(server.url, "SELECT ?l WHERE { hid:test-mayor rdfs:label ?l }") == []
    # A DELETE outside any GRAPH changes nothing, and the answer says why.
    status, _, body = post_update(server.url, "DELETE WHERE { hid:test-mayor a ?type }")
    assert status == 200 and json.loads(body)["changed"] == []
    assert "name the graph" in json.loads(body)["note"]
    assert select(server.url, "SELECT ?t WHERE { hid:test-mayor a hilos:Mayor }") != []


def test_a_bad_update_is_refused_and_changes_nothing(
    writable: tuple[SparqlServer, Store],
) -> None:
    server, store = writable
    before = everything(store)
    status, headers, body = post_update(server.url, NEW_MAYOR + " ; INSERT DATA { hid:a ")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("SPARQL syntax error in the update") and body.count(b"\n") == 1
    status, _, body = post_update(
        server.url,
        NEW_MAYOR + " ; INSERT { ?s ?p ?o } WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }",
    )
    assert status == 400 and b"federated SERVICE is refused" in body
    status, _, body = post_update(server.url, "LOAD <http://x.example/data.ttl>")
    assert status == 400 and b"LOAD is refused" in body
    assert everything(store) == before


def test_an_update_by_get_or_with_a_query_is_400(writable: tuple[SparqlServer, Store]) -> None:
    server, store = writable
    before = everything(store)
    status, _, body = fetch(server.url, params={"update": NEW_MAYOR})
    assert status == 400 and b"must be sent by POST" in body
    status, _, _ = fetch(
        server.url,
        method="POST",
        body=urlencode({"update": NEW_MAYOR, "query": "ASK {}"}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": f"Bearer {TOKEN}",
        },
    )
    assert status == 400
    assert everything(store) == before


# -- the command ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_serve_allow_update_prints_a_made_up_token(store_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HILOS_SERVE_TOKEN"}
    command = [
        sys.executable,
        "-c",
        "import sys; from hilos.cli import main; sys.argv[0] = 'hilos'; main()",
        "--store",
        str(store_path),
        "serve",
        "--allow-update",
        "--port",
        "0",
    ]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        assert process.stderr is not None
        token = endpoint = None
        while token is None or endpoint is None:
            line = process.stderr.readline()
            assert line, f"hilos serve stopped: {lines}"
            lines.append(line)
            if found := re.search(r"Bearer token for updates .*: (\S+)$", line):
                token = found.group(1)
            if found := re.search(r"SPARQL endpoint at (http://127\.0\.0\.1:\d+/sparql)", line):
                endpoint = found.group(1)
        assert len(token) >= 40  # secrets.token_urlsafe(32)
        assert post_update(endpoint, NEW_MAYOR, token="not-it")[0] == 401
        status, _, body = post_update(endpoint, NEW_MAYOR, token=token)
        assert status == 200 and json.loads(body) == {"changed": ["sparql-update"]}
    finally:
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=30)
    assert "Stopped." in rest
    # The token was printed once and only once.
    assert "".join([*lines, rest]).count(token) == 1


def test_serve_refuses_a_short_token(hilos: Hilos, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HILOS_SERVE_TOKEN", "short")
    result = hilos("serve", "--allow-update", "--port", "0")
    assert result.exit_code == 2 and "HILOS_SERVE_TOKEN is too short" in result.stderr


def test_serve_takes_no_token_on_the_command_line(hilos: Hilos) -> None:
    result = hilos("serve", "--help")
    assert "--allow-update" in result.output and "HILOS_SERVE_TOKEN" in result.output
    assert "--token" not in result.output
