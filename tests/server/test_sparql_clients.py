"""`hilos serve` as clients nobody here wrote read it: rdflib's SPARQLStore, SPARQLWrapper, and a
bare HTTP client (http.client, a socket) for the details of HTTP that curl users meet. Expected
values come from the curated files read with rdflib, never from hilos."""

from __future__ import annotations

import gc
import http.client
import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError

from hilos import resources
from support import Served, running, send, served

GRAPHS = "https://w3id.org/hilos/graph/"
FIGURES = GRAPHS + "report/figures"
ZETAS = "https://w3id.org/hilos/id/zetas"
ORIGIN = "https://newsroom.example"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def curated(stem: str) -> rdflib.Graph:
    return rdflib.Graph().parse(next(p for p in resources.curated_files() if p.stem == stem))


def every_curated() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in resources.curated_files():
        graph.parse(path)
    return graph


def copied(template: Path, folder: Path) -> Path:
    """A store of its own for a server (a served store is marked as held by its server)."""
    shutil.copytree(template, folder / "store")
    return folder / "store"


@pytest.fixture(scope="module")
def server(_template_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = copied(_template_store, tmp_path_factory.mktemp("clients"))
    with served(store, "--cors", ORIGIN) as running_server:
        yield running_server


def request(
    server: Served, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    return send(
        server,
        method,
        path,
        body=body,
        headers={k.replace("_", "-"): v for k, v in headers.items()},
    )


def raw(server: Served, data: bytes) -> bytes:
    """What the server answers to bytes sent as they are (no client fixes them first)."""
    host, port = server.host.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


# -- rdflib's SPARQLStore ------------------------------------------------------------------------


def test_rdflib_sparqlstore_reads_one_graph_by_from_and_by_its_dataset(server: Served) -> None:
    figures = curated("figures")
    plain = {t for t in figures if not any(isinstance(n, rdflib.BNode) for n in t)}
    store = SPARQLStore(query_endpoint=server.url, returnFormat="json")
    try:
        whole = int(next(iter(store.query(COUNT)))[0])  # type: ignore[index]
        by_from = int(
            next(iter(store.query(f"SELECT (COUNT(*) AS ?n) FROM <{FIGURES}> {{ ?s ?p ?o }}")))[0]  # type: ignore[index]
        )
        # rdflib sends default-graph-uri for a graph it is given
        graph = rdflib.Graph(store=store, identifier=rdflib.URIRef(FIGURES))
        by_dataset = int(next(iter(graph.query(COUNT)))[0])  # type: ignore[index]
        seen = set(graph.triples((None, None, None)))
        named = set(
            store.query(
                f"SELECT ?s ?p ?o FROM NAMED <{FIGURES}> "
                f"WHERE {{ GRAPH <{FIGURES}> {{ ?s ?p ?o }} }}"
            )
        )
    finally:
        store.close()
    assert len(figures) <= by_from == by_dataset < whole
    assert plain <= seen  # the graph's own statements, with what was derived from them
    assert len(named) == len(figures)  # by name: the graph as loaded


# -- SPARQLWrapper -------------------------------------------------------------------------------


def zetas_labels() -> list[str]:
    return sorted(str(o) for o in every_curated().objects(rdflib.URIRef(ZETAS), rdflib.RDFS.label))


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_as_json(server: Served, method: str) -> None:
    client = SPARQLWrapper(server.url)
    client.setMethod(method)
    client.setReturnFormat(JSON)
    client.setQuery(
        f"SELECT ?label WHERE {{ <{ZETAS}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    )
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert sorted(row["label"]["value"] for row in rows) == zetas_labels()


def test_sparqlwrapper_construct_from_a_named_graph(server: Served) -> None:
    client = SPARQLWrapper(server.url)
    client.setReturnFormat(TURTLE)
    client.setQuery(
        f"CONSTRUCT {{ ?s ?p ?o }} FROM NAMED <{FIGURES}> "
        f"WHERE {{ GRAPH <{FIGURES}> {{ ?s ?p ?o }} }}"
    )
    got = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert isomorphic(got, curated("figures"))


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_answer_over_the_cap_is_not_read_as_a_request_too_large(
    _template_store: Path, tmp_path: Path
) -> None:
    with served(copied(_template_store, tmp_path), "--max-results", "5") as small:
        client = SPARQLWrapper(small.url)
        client.setReturnFormat(JSON)
        client.setQuery("SELECT * WHERE { ?s ?p ?o }")
        with pytest.raises(EndPointInternalError) as caught:
            client.query()
        assert "result too large" in str(caught.value)
        # rdflib's SPARQLStore reports any refusal of a GET as a ValueError of its own
        store = SPARQLStore(query_endpoint=small.url)
        try:
            with pytest.raises(ValueError, match="wrong formulating") as refused:
                store.query("SELECT * WHERE { ?s ?p ?o }")
        finally:
            store.close()
        assert "too large" not in str(refused.value)
        status, _, body = request(small, "GET", "/sparql?query=" + quote("SELECT * {?s ?p ?o}"))
        assert status == 500 and body.startswith(b"result too large: this server answers at")
        assert body.count(b"\n") == 1
        # both clients leave the refused response's socket open: collected here, not later
        gc.collect()
        status, _, body = request(small, "GET", "/sparql?query=" + quote(COUNT))
        assert status == 200


# -- HTTP, byte by byte --------------------------------------------------------------------------


def test_head_answers_as_get_without_a_body(server: Served) -> None:
    path = "/sparql?query=" + quote(COUNT)
    got = request(server, "GET", path, Host=server.host)
    head = request(server, "HEAD", path, Host=server.host)
    assert got[0] == head[0] == 200 and head[2] == b""
    assert head[1]["Content-Length"] == got[1]["Content-Length"] == str(len(got[2]))
    assert head[1]["Content-Type"] == got[1]["Content-Type"]
    assert request(server, "HEAD", "/", Host=server.host)[0] == 200


def test_options_lists_the_methods(server: Served) -> None:
    status, headers, body = request(server, "OPTIONS", "/sparql", Host=server.host)
    assert status == 204 and body == b""
    assert headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    status, headers, _ = request(server, "OPTIONS", "/api/claim/add", Host=server.host)
    assert status == 204 and headers["Allow"] == "POST, OPTIONS"


def test_cors_only_for_the_origin_given(
    server: Served, _template_store: Path, tmp_path: Path
) -> None:
    path = "/sparql?query=" + quote("ASK {}")
    status, headers, _ = request(server, "GET", path, Host=server.host, Origin=ORIGIN)
    assert status == 200 and headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in headers["Vary"]
    _, headers, _ = request(server, "GET", path, Host=server.host, Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, _ = request(
        server,
        "OPTIONS",
        "/sparql",
        Host=server.host,
        Origin=ORIGIN,
        Access_Control_Request_Method="POST",
        Access_Control_Request_Headers="content-type, authorization",
    )
    assert status == 204 and headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert {"content-type", "authorization"} <= {
        h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")
    }
    # not asked: no CORS header at all
    with served(copied(_template_store, tmp_path)) as plain:
        _, headers, _ = request(plain, "GET", path, Host=plain.host, Origin=ORIGIN)
        assert not any(h.lower().startswith("access-control-") for h in headers)
        _, headers, _ = request(
            plain,
            "OPTIONS",
            "/sparql",
            Host=plain.host,
            Origin=ORIGIN,
            Access_Control_Request_Method="POST",
        )
        assert not any(h.lower().startswith("access-control-") for h in headers)


ECHO = 'SELECT ?x WHERE { BIND("Cherán" AS ?x) }'


def echoed(answer: bytes) -> str:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer[:300]
    return json.loads(body)["results"]["bindings"][0]["x"]["value"]  # type: ignore[no-any-return]


def test_a_query_string_is_read_as_utf8(server: Served) -> None:
    host = server.host.encode()
    escaped = quote(ECHO).encode()
    as_sent = ECHO.replace(" ", "%20").replace("{", "%7B").replace("}", "%7D").encode("utf-8")
    for query in (escaped, as_sent):  # percent-escaped, and raw UTF-8 bytes as some tools send
        answer = raw(
            server,
            b"GET /sparql?query="
            + query
            + b" HTTP/1.1\r\nHost: "
            + host
            + b"\r\nConnection: close\r\n\r\n",
        )
        assert echoed(answer) == "Cherán"
    for bad in (b"%C3%28", b"\xff"):
        answer = raw(
            server,
            b"GET /sparql?query=ASK%20%7B%7D"
            + bad
            + b" HTTP/1.1\r\nHost: "
            + host
            + b"\r\nConnection: close\r\n\r\n",
        )
        head, _, body = answer.partition(b"\r\n\r\n")
        assert (
            head.startswith(b"HTTP/1.1 400")
            and body == b"the URL's query string is not valid UTF-8\n"
        )


def test_a_form_in_another_charset_is_415(server: Served) -> None:
    form = "query=" + quote(ECHO, encoding="latin-1")
    status, _, body = request(
        server,
        "POST",
        "/sparql",
        form.encode("latin-1"),
        Host=server.host,
        Content_Type="application/x-www-form-urlencoded; charset=ISO-8859-1",
    )
    assert status == 415 and body.decode().count("\n") == 1 and "iso-8859-1" in body.decode()
    status, _, body = request(
        server,
        "POST",
        "/sparql",
        ("query=" + quote(ECHO)).encode(),
        Host=server.host,
        Content_Type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == "Cherán"
    # a form whose escapes are not UTF-8 is refused, not read with replacement characters
    status, _, body = request(
        server,
        "POST",
        "/sparql",
        form.encode("latin-1"),
        Host=server.host,
        Content_Type="application/x-www-form-urlencoded",
    )
    assert status == 400 and body == b"the form is not valid UTF-8\n"


def test_a_chunked_body_is_read_within_the_size_limit(server: Served) -> None:
    connection = http.client.HTTPConnection(server.host, timeout=60)
    try:
        body = ECHO.encode()
        connection.request(
            "POST",
            "/sparql",
            body=iter([body[:10], body[10:]]),
            encode_chunked=True,
            headers={"Content-Type": "application/sparql-query", "Host": server.host},
        )
        response = connection.getresponse()
        data = response.read()
        assert response.status == 200, data
        assert json.loads(data)["results"]["bindings"][0]["x"]["value"] == "Cherán"
    finally:
        connection.close()
    big = b"#" * 100_000 + b"\n"
    answer = raw(
        server,
        b"POST /sparql HTTP/1.1\r\nHost: "
        + server.host.encode()
        + b"\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"".join(b"%x\r\n" % len(big) + big + b"\r\n" for _ in range(11))
        + b"0\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413") and b"request too large" in answer


def test_relative_iris_resolve_against_the_endpoint(server: Served) -> None:
    status, _, body = request(
        server,
        "GET",
        "/sparql?query=" + quote("SELECT ?x WHERE { BIND(<rel> AS ?x) }"),
        Host=server.host,
    )
    assert status == 200
    assert (
        json.loads(body)["results"]["bindings"][0]["x"]["value"]
        == server.url.rsplit("/", 1)[0] + "/rel"
    )


def test_graph_variable_lists_the_loaded_graphs_only(memory_store: object) -> None:
    expected = {GRAPHS + "ontology"} | {
        GRAPHS + "report/" + p.stem for p in resources.curated_files()
    }
    with running(memory_store) as in_process:  # type: ignore[arg-type]
        store = SPARQLStore(query_endpoint=in_process.url, returnFormat="json")
        try:
            rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            assert {str(row[0]) for row in rows} == expected  # type: ignore[index]
        finally:
            store.close()
