"""The SPARQL endpoint: real HTTP against a server on a free loopback port."""

from __future__ import annotations

import csv
import io
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from conftest import Hilos
from hilos.server.http import is_federated
from hilos.store import Store, solutions
from support import fetch, running

LABELS = "SELECT ?label WHERE { hid:zetas rdfs:label ?label } ORDER BY ?label"
FULL_LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?label WHERE { <https://w3id.org/hilos/id/zetas> rdfs:label ?label } ORDER BY ?label"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running(Store.in_memory()) as server:
        yield server.url


def get(url: str, query: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    return fetch(url, params={"query": query}, headers={"Accept": accept} if accept else None)


# -- real clients ------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_sparqlstore_gets_the_same_answer_as_the_store(url: str) -> None:
    store = Store.in_memory()
    expected = sorted(row["label"].value for row in solutions(store.query(LABELS)))
    total = [row["n"].value for row in solutions(store.query(COUNT))]
    remote = SPARQLStore(query_endpoint=url)
    try:
        labels = sorted(str(row[0]) for row in remote.query(FULL_LABELS))  # type: ignore[index]
        count = [str(row[0]) for row in remote.query(COUNT)]  # type: ignore[index]
    finally:
        remote.close()
    assert labels == expected == ["Los Zetas", "Zetas"]
    assert count == total


def test_get_form_post_and_direct_post_agree(url: str) -> None:
    by_get = get(url, LABELS)
    form = fetch(
        url,
        method="POST",
        body=urlencode({"query": LABELS}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    direct = fetch(
        url,
        method="POST",
        body=LABELS.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert by_get[0] == form[0] == direct[0] == 200
    assert by_get[2] == form[2] == direct[2]
    assert by_get[1]["Content-Type"] == "application/sparql-results+json"
    values = [b["label"]["value"] for b in json.loads(by_get[2])["results"]["bindings"]]
    assert values == ["Los Zetas", "Zetas"]
    assert json.loads(by_get[2])["results"]["bindings"][1]["label"]["xml:lang"] == "en"


# -- formats -----------------------------------------------------------------------------------


def test_select_as_csv_tsv_and_xml(url: str) -> None:
    status, headers, body = get(url, LABELS, "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [["label"], ["Los Zetas"], ["Zetas"]]

    status, headers, body = get(url, LABELS, "text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    rows = list(csv.reader(io.StringIO(body.decode()), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows == [["?label"], ['"Los Zetas"@es'], ['"Zetas"@en']]

    status, headers, body = get(url, LABELS, "application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    ns = "{http://www.w3.org/2005/sparql-results#}"
    literals = [e.text for e in ET.fromstring(body).iter(f"{ns}literal")]
    assert literals == ["Los Zetas", "Zetas"]


def test_accept_quality_and_wildcards(url: str) -> None:
    assert get(url, LABELS, "text/csv;q=0.5, application/sparql-results+xml")[1][
        "Content-Type"
    ] == ("application/sparql-results+xml")
    assert get(url, LABELS, "*/*")[1]["Content-Type"] == "application/sparql-results+json"
    assert get(url, LABELS, "text/*")[1]["Content-Type"].startswith("text/csv")


def test_ask(url: str) -> None:
    status, _, body = get(url, "ASK { hid:zetas a ?type }")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_construct_as_turtle_ntriples_and_jsonld(url: str) -> None:
    query = "CONSTRUCT { hid:zetas rdfs:label ?l } WHERE { hid:zetas rdfs:label ?l }"
    zetas = rdflib.URIRef("https://w3id.org/hilos/id/zetas")
    for accept, rdf_format in [
        ("", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ]:
        status, headers, body = get(url, query, accept or None)
        assert status == 200, body
        assert headers["Content-Type"].startswith(accept or "text/turtle")
        graph = rdflib.Graph().parse(data=body.decode(), format=rdf_format)
        assert {str(o) for o in graph.objects(zetas, rdflib.RDFS.label)} == {"Los Zetas", "Zetas"}


def test_graph_uris_narrow_the_query_and_unknown_ones_are_noted(url: str) -> None:
    query = "ASK { hid:zetas a ?type }"
    params = {"query": query, "default-graph-uri": "report/iguala"}
    status, _, body = fetch(url, params=params)
    assert status == 200 and json.loads(body)["boolean"] is False
    params = {"query": query, "default-graph-uri": "https://w3id.org/hilos/graph/report/dtos"}
    assert json.loads(fetch(url, params=params)[2])["boolean"] is True
    # a graph not loaded is an empty dataset, never the whole store
    params = {"query": query, "named-graph-uri": "http://elsewhere.example/g"}
    status, headers, body = fetch(url, params=params)
    assert status == 200 and json.loads(body)["boolean"] is False
    assert "http://elsewhere.example/g" in headers["X-Hilos-Note"]
    params = {"query": "ASK FROM <http://elsewhere.example/g> { ?s ?p ?o }"}
    status, headers, body = fetch(url, params=params)
    assert status == 200 and json.loads(body)["boolean"] is False
    assert "http://elsewhere.example/g" in headers["X-Hilos-Note"]


# -- refusals ----------------------------------------------------------------------------------


def test_syntax_error_is_400_with_one_line(url: str) -> None:
    status, headers, body = get(url, "SELECT ?x WHERE { ?x ")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    text = body.decode()
    assert text.startswith("SPARQL syntax error") and text.count("\n") == 1
    assert "Traceback" not in text


def test_missing_query_is_400(url: str) -> None:
    status, _, body = fetch(url)
    assert status == 400 and b"missing query" in body


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { # harmless\nSeRvIcE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o # SERVICE in a comment\n SERVICE SILENT <x:y> { ?a ?b ?c } }",
    ],
)
def test_federated_service_is_refused(url: str, query: str) -> None:
    status, _, body = get(url, query)
    assert status == 400
    assert body.decode().strip() == (
        "federated SERVICE queries are refused: the server never calls another host"
    )


def test_service_in_strings_comments_iris_and_names_is_not_a_clause() -> None:
    assert not is_federated('SELECT * { ?s ?p "SERVICE" } # SERVICE <x:y>')
    assert not is_federated("SELECT ?service { ?service ex:service <http://a/SERVICE> }")
    assert not is_federated("SELECT * { ?s ?p '''a\nservice <x:y> {}''' }")
    assert is_federated("SELECT * {\n#\nSERVICE <x:y> {}}")
    assert is_federated("SELECT * { ?a ?b ?c FILTER(?a < ?b) SERVICE ?endpoint {} }")


def test_update_is_403(url: str) -> None:
    update = "INSERT DATA { <x:a> <x:b> <x:c> }"
    for response in [
        fetch(url, params={"update": update}),
        fetch(
            url,
            method="POST",
            body=urlencode({"update": update}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        fetch(
            url,
            method="POST",
            body=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        ),
    ]:
        assert response[0] == 403
        assert b"this server is read-only" in response[2]


def test_other_methods_are_405(url: str) -> None:
    status, headers, body = fetch(url, method="PUT", body=b"data")
    assert status == 405 and headers["Allow"] == "GET, HEAD, POST, OPTIONS" and b"PUT" in body
    assert fetch(url, method="DELETE")[0] == 405


def test_unacceptable_accept_is_406(url: str) -> None:
    status, _, body = get(url, LABELS, "image/png")
    assert status == 406 and b"application/sparql-results+json" in body
    assert get(url, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv")[0] == 406


def test_oversized_body_is_413_without_reading_it(url: str) -> None:
    host, port = url.split("//")[1].split("/")[0].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\nContent-Length: 5000000\r\n\r\nSELECT"
        )
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"request too large" in answer
    status, _, _ = fetch(
        url,
        method="POST",
        body=b"#" * 1_000_001,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413


def test_other_paths_are_404(url: str) -> None:
    status, _, body = fetch(url.replace("/sparql", "/admin"))
    assert status == 404 and b"/sparql" in body


def test_unknown_body_type_is_415(url: str) -> None:
    status, _, _ = fetch(url, method="POST", body=b"{}", headers={"Content-Type": "text/json"})
    assert status == 415


# -- limits ------------------------------------------------------------------------------------


def test_timeout_is_503(memory_store: Store) -> None:
    with running(memory_store, timeout=0.2, max_results=10**9) as server:
        status, _, body = get(server.url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert status == 503 and body.startswith(b"query timed out")


def test_too_many_results_is_500_not_413(memory_store: Store) -> None:
    # 413 reads "request too large" in every client: the request was fine, its answer is not
    with running(memory_store, max_results=5) as server:
        status, _, body = get(server.url, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 500 and body.startswith(b"result too large: this server answers at")
        assert body.count(b"\n") == 1
        assert get(server.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")[0] == 200
        assert get(server.url, "CONSTRUCT WHERE { ?s ?p ?o }")[0] == 500


# -- the command -------------------------------------------------------------------------------


def test_serve_help_has_examples(hilos: Hilos) -> None:
    result = hilos("serve", "--help")
    assert result.exit_code == 0 and "Examples:" in result.output
    assert "127.0.0.1" in result.output


def test_serve_reports_a_port_in_use(hilos: Hilos) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = hilos("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
