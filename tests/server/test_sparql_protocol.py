"""The W3C SPARQL 1.1 Protocol test cases, run against `hilos serve` in a process of its own,
with a plain HTTP client (http.client), one test per case of the W3C manifest
(https://github.com/w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl), named as it is there.

The requests are the manifest's, with these adaptations to hilos (README, "Standards and
tools"): the data files are loaded with `hilos load` into graphs named as the manifest names
them; the `Host` header is the server's own (a loopback server refuses other hosts: DNS
rebinding); updates go to a server started with `--allow-update` and carry its bearer token;
and `CLEAR ALL` / `DROP ALL`, which hilos refuses (they would empty the ontology every graph
depends on: the test checks that refusal), are replaced by dropping the graphs the case uses.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib

from conftest import Hilos
from support import Served, send, served

TOKEN = "w3c-protocol-tests-token-0123456789"
KASEI = "http://kasei.us/2009/09/sparql/data/"
DATA = {  # the manifest's data files: graph name -> N-Triples
    f"{KASEI}data{n}.rdf": f"<{KASEI}data{n}.rdf> "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> .\n"
    for n in (1, 2, 3)
}


# -- a served store ------------------------------------------------------------------------------


def store_with_data(template: Path, folder: Path) -> Path:
    """A copy of the fresh store, with the manifest's data files loaded (`hilos load`)."""
    store = folder / "store"
    shutil.copytree(template, store)
    hilos = Hilos(store)
    for index, (graph, text) in enumerate(DATA.items(), start=1):
        path = folder / f"data{index}.nt"
        path.write_text(text, encoding="utf-8")
        result = hilos("load", str(path), "--graph", graph)
        assert result.exit_code == 0, result.output + result.stderr
    return store


@pytest.fixture(scope="module")
def reader(_template_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = store_with_data(_template_store, tmp_path_factory.mktemp("w3c-read"))
    with served(store) as server:
        yield server


@pytest.fixture(scope="module")
def writer(_template_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = store_with_data(_template_store, tmp_path_factory.mktemp("w3c-write"))
    with served(store, "--allow-update", token=TOKEN) as server:
        yield server


# -- the cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as in the manifest's ht:absolutePath
    content_type: str | None = None
    body: str | bytes | None = None
    expect: str = "2xx"  # 2xx, 4xx, boolean, tabular or RDF
    boolean: bool | None = None


def q(text: str) -> str:
    return quote(text, safe="")


ASK_EMPTY = "ASK {}"
D0 = "default-graph-uri=" + q(KASEI + "data0.rdf")
D1, D2, D3 = (f"{KASEI}data{n}.rdf" for n in (1, 2, 3))
ASK_DEFAULT_12 = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
ASK_NAMED_12 = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
ASK_FULL = (
    f"ASK {{\n  <{D3}> a ?type\n  GRAPH ?g1 {{ <{D1}> a ?type }}\n"
    f"  GRAPH ?g2 {{ <{D2}> a ?type }}\n}}"
)
PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
INSERT_123 = (
    "INSERT DATA {\n"
    + "".join(f"    GRAPH <{d}> {{ <{d}> a foaf:Document }}\n" for d in (D1, D2, D3))
    + "} ;\n"
)


def dropped(*graphs: str) -> str:
    """What stands for the manifest's CLEAR ALL / DROP ALL: the case's graphs dropped."""
    return "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in graphs)


def check_result(target: str) -> str:
    return (
        f"ASK {{\n    GRAPH <{target}> {{\n"
        f"        <{D1}> a <http://purl.org/dc/terms/BibliographicResource> .\n"
        f"        <{D2}> a <http://purl.org/dc/terms/BibliographicResource> .\n    }}\n"
        f"    FILTER NOT EXISTS {{\n        GRAPH <{target}> {{\n"
        f"            <{D3}> a <http://purl.org/dc/terms/BibliographicResource> .\n"
        "        }\n    }\n}"
    )


T_DEFAULT = "http://example.org/protocol-update-dataset-test/"
T_GRAPHS = "http://example.org/protocol-update-dataset-graphs-test/"
T_NAMED = "http://example.org/protocol-update-dataset-named-graphs-test/"
T_FULL = "http://example.org/protocol-update-dataset-full-test/"
T_BASE = "http://example.org/protocol-base-test/"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"

QUERY_CASES: dict[str, list[Request]] = {
    "query_post_form": [
        Request("POST", f"/sparql/?{D0}", FORM, "query=ASK%20%7B%7D", "boolean", True)
    ],
    "query_dataset_default_graphs_get": [
        Request(
            "GET",
            f"/sparql/?query={q(ASK_DEFAULT_12)}&default-graph-uri={q(D1)}"
            f"&default-graph-uri={q(D2)}",
            expect="boolean",
            boolean=True,
        )
    ],
    "query_dataset_default_graphs_post": [
        Request(
            "POST",
            f"/sparql/?default-graph-uri={q(D1)}&default-graph-uri={q(D2)}",
            QUERY,
            ASK_DEFAULT_12,
            "boolean",
            True,
        )
    ],
    "query_dataset_named_graphs_post": [
        Request(
            "POST",
            f"/sparql/?named-graph-uri={q(D1)}&named-graph-uri={q(D2)}",
            QUERY,
            ASK_NAMED_12,
            "boolean",
            True,
        )
    ],
    "query_dataset_named_graphs_get": [
        Request(
            "GET",
            f"/sparql/?query={q(ASK_NAMED_12)}&named-graph-uri={q(D1)}&named-graph-uri={q(D2)}",
            expect="boolean",
            boolean=True,
        )
    ],
    "query_dataset_full": [
        Request(
            "POST",
            f"/sparql/?default-graph-uri={q(D3)}&named-graph-uri={q(D1)}&named-graph-uri={q(D2)}",
            QUERY,
            ASK_FULL,
            "boolean",
            True,
        )
    ],
    "query_multiple_dataset": [
        Request(
            "POST",
            f"/sparql/?named-graph-uri={q(D1)}&named-graph-uri={q(D2)}",
            QUERY,
            f"ASK FROM <{D3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}",
            "boolean",
            True,
        )
    ],
    "query_get": [
        Request("GET", f"/sparql/?query={q(ASK_EMPTY)}&{D0}", expect="boolean", boolean=True)
    ],
    "query_content_type_select": [
        Request("POST", f"/sparql/?{D0}", QUERY, "SELECT (1 AS ?value) {}", "tabular")
    ],
    "query_content_type_ask": [Request("POST", f"/sparql/?{D0}", QUERY, ASK_EMPTY, "boolean")],
    "query_content_type_describe": [
        Request("POST", f"/sparql/?{D0}", QUERY, "DESCRIBE <http://example.org/>", "RDF")
    ],
    "query_content_type_construct": [
        Request("POST", f"/sparql/?{D0}", QUERY, "CONSTRUCT { <s> <p> 1 } WHERE {}", "RDF")
    ],
    "query_post_direct": [Request("POST", "/sparql/", QUERY, ASK_EMPTY, "boolean", True)],
    "bad_query_method": [
        Request("PUT", f"/sparql/?query={q(ASK_EMPTY)}&{D0}", FORM, expect="4xx"),
    ],
    "bad_multiple_queries": [
        Request("GET", f"/sparql/?query={q(ASK_EMPTY)}&query={q('SELECT * {}')}", expect="4xx")
    ],
    "bad_query_wrong_media_type": [Request("POST", "/sparql/", "text/plain", ASK_EMPTY, "4xx")],
    "bad_query_missing_form_type": [Request("POST", "/sparql/", None, "query=ASK%20%7B%7D", "4xx")],
    "bad_query_missing_direct_type": [Request("POST", "/sparql/", None, ASK_EMPTY, "4xx")],
    "bad_query_non_utf8": [
        Request("POST", "/sparql/", QUERY + "; charset=UTF-16", ASK_EMPTY.encode("utf-16"), "4xx")
    ],
    "bad_query_syntax": [Request("GET", f"/sparql/?query={q('ASK {')}", expect="4xx")],
}

UPDATE_CASES: dict[str, list[Request]] = {
    "update_dataset_default_graph": [
        Request(
            "POST",
            f"/sparql/?using-graph-uri={q(D1)}",
            UPDATE,
            PREFIXES
            + dropped(D1, D2, D3, T_DEFAULT)
            + "INSERT DATA {\n    GRAPH <"
            + D1
            + "> {\n        <"
            + D1
            + "> a foaf:Document\n    }\n} ;\n"
            + f"INSERT {{\n    GRAPH <{T_DEFAULT}> {{\n        ?s a dc:BibliographicResource\n"
            "    }\n}\nWHERE {\n    ?s a foaf:Document\n}",
        ),
        Request(
            "POST",
            "/sparql/",
            QUERY,
            f"ASK {{\n    GRAPH <{T_DEFAULT}> {{\n        <{D1}> a "
            "<http://purl.org/dc/terms/BibliographicResource>\n    }\n}",
            "boolean",
            True,
        ),
    ],
    "update_dataset_default_graphs": [
        Request(
            "POST",
            f"/sparql/?using-graph-uri={q(D1)}&using-graph-uri={q(D2)}",
            UPDATE,
            PREFIXES
            + dropped(D1, D2, D3, T_GRAPHS)
            + INSERT_123
            + f"INSERT {{\n    GRAPH <{T_GRAPHS}> {{\n        ?s a dc:BibliographicResource\n"
            "    }\n}\nWHERE {\n    ?s a foaf:Document\n}",
        ),
        Request("POST", "/sparql/", QUERY, check_result(T_GRAPHS), "boolean", True),
    ],
    "update_dataset_named_graphs": [
        Request(
            "POST",
            f"/sparql/?using-named-graph-uri={q(D1)}&using-named-graph-uri={q(D2)}",
            UPDATE,
            PREFIXES
            + dropped(D1, D2, D3, T_NAMED)
            + INSERT_123
            + f"INSERT {{\n    GRAPH <{T_NAMED}> {{\n        ?s a dc:BibliographicResource\n"
            "    }\n}\nWHERE {\n    GRAPH ?g {\n        ?s a foaf:Document\n    }\n}",
        ),
        Request("POST", "/sparql/", QUERY, check_result(T_NAMED), "boolean", True),
    ],
    "update_dataset_full": [
        Request(
            "POST",
            f"/sparql/?using-graph-uri={q(D1)}&using-named-graph-uri={q(D2)}",
            UPDATE,
            PREFIXES
            + dropped(D1, D2, D3, T_FULL)
            + INSERT_123
            + f"INSERT {{\n    GRAPH <{T_FULL}> {{\n        ?s <http://example.org/in> ?in\n"
            "    }\n}\nWHERE {\n    {\n        GRAPH ?g { ?s a foaf:Document }\n"
            "        BIND(?g AS ?in)\n    }\n    UNION\n    {\n        ?s a foaf:Document .\n"
            '        BIND("default" AS ?in)\n    }\n}',
        ),
        Request(
            "POST",
            "/sparql/",
            QUERY,
            f"ASK {{\n    GRAPH <{T_FULL}> {{\n"
            f'        <{D1}> <http://example.org/in> "default" .\n'
            f"        <{D2}> <http://example.org/in> <{D2}> .\n    }}\n"
            f"    FILTER NOT EXISTS {{\n        GRAPH <{T_FULL}> {{\n"
            f"            <{D3}> ?p ?o\n        }}\n    }}\n}}",
            "boolean",
            True,
        ),
    ],
    "update_post_form": [
        Request("POST", "/sparql/", FORM, "update=CLEAR+ALL", "4xx"),  # refused: see the module
        Request("POST", "/sparql/", FORM, "update=CLEAR+DEFAULT"),
    ],
    "update_post_direct": [
        Request("POST", "/sparql/", UPDATE, "CLEAR ALL", "4xx"),  # refused: see the module
        Request("POST", "/sparql/", UPDATE, "CLEAR DEFAULT"),
    ],
    "update_base_uri": [
        Request(
            "POST",
            "/sparql/",
            UPDATE,
            f"CLEAR SILENT GRAPH <{T_BASE}> ;\nINSERT DATA {{ GRAPH <{T_BASE}> "
            "{ <http://example.org/s> <http://example.org/p> <test> } }",
        ),
        Request(
            "POST",
            "/sparql/",
            QUERY,
            f"ASK {{\n    GRAPH <{T_BASE}> {{\n        <http://example.org/s> "
            '<http://example.org/p> ?o\n        FILTER (isIRI(?o) && STR(?o) != "test")\n'
            "    }\n}",
            "boolean",
            True,
        ),
    ],
    "bad_update_get": [Request("GET", f"/sparql/?update={q('CLEAR ALL')}", expect="4xx")],
    "bad_multiple_updates": [
        Request("POST", "/sparql/", FORM, "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "4xx")
    ],
    "bad_update_wrong_media_type": [
        Request("POST", "/sparql/", "text/plain", "CLEAR NAMED", "4xx")
    ],
    "bad_update_missing_form_type": [
        Request("POST", "/sparql/", None, "update=CLEAR%20NAMED", "4xx")
    ],
    "bad_update_non_utf8": [
        Request(
            "POST", "/sparql/", UPDATE + "; charset=UTF-16", "CLEAR NAMED".encode("utf-16"), "4xx"
        )
    ],
    "bad_update_syntax": [Request("POST", "/sparql/", FORM, "update=CLEAR%20XYZ", "4xx")],
    "bad_update_dataset_conflict": [
        Request(
            "POST",
            "/sparql/?using-named-graph-uri=" + q("http://example/people"),
            UPDATE,
            "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
            "DELETE { ?person foaf:givenName 'Bill' }\n"
            "INSERT { ?person foaf:givenName 'William' }\n"
            "WHERE {\n    ?person foaf:givenName 'Bill'\n}",
            "4xx",
        )
    ],
}

# The order of the manifest's mf:entries, every one of them.
MANIFEST_ORDER = (  # noqa: SIM905 - the manifest's list, as words
    "query_post_form query_dataset_default_graphs_get query_dataset_default_graphs_post "
    "query_dataset_named_graphs_post query_dataset_named_graphs_get query_dataset_full "
    "query_multiple_dataset query_get query_content_type_select query_content_type_ask "
    "query_content_type_describe query_content_type_construct update_dataset_default_graph "
    "update_dataset_default_graphs update_dataset_named_graphs update_dataset_full "
    "update_post_form update_post_direct update_base_uri query_post_direct bad_query_method "
    "bad_multiple_queries bad_query_wrong_media_type bad_query_missing_form_type "
    "bad_query_missing_direct_type bad_query_non_utf8 bad_query_syntax bad_update_get "
    "bad_multiple_updates bad_update_wrong_media_type bad_update_missing_form_type "
    "bad_update_non_utf8 bad_update_syntax bad_update_dataset_conflict"
).split()


def test_every_case_of_the_manifest_is_here() -> None:
    assert sorted(MANIFEST_ORDER) == sorted([*QUERY_CASES, *UPDATE_CASES])
    assert len(MANIFEST_ORDER) == 34


def run_case(server: Served, requests: list[Request], token: str | None) -> None:
    for request in requests:
        headers = {"Host": server.host}
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        body = request.body.encode() if isinstance(request.body, str) else request.body
        status, answer_headers, answer = send(
            server, request.method, request.path, body=body, headers=headers
        )
        media = answer_headers.get("Content-Type", "").split(";")[0]
        shown = f"{request.method} {request.path}: {status} {answer[:300]!r}"
        if request.expect == "4xx":
            assert 400 <= status < 500, shown
            assert answer.decode().count("\n") <= 1, shown  # one line
            continue
        assert 200 <= status < 400, shown
        if request.expect == "boolean":
            assert media in ("application/sparql-results+json", "application/sparql-results+xml")
            value = (
                json.loads(answer)["boolean"]
                if media.endswith("json")
                else ET.fromstring(answer).find("{*}boolean").text == "true"  # type: ignore[union-attr]
            )
            if request.boolean is not None:
                assert value is request.boolean, shown
        elif request.expect == "tabular":
            assert media in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
            ), shown
            assert json.loads(answer)["results"]["bindings"] == [
                {"value": {"type": "literal", "value": "1", "datatype": XSD_INTEGER}}
            ]
        elif request.expect == "RDF":
            assert media in ("application/rdf+xml", "text/turtle", "application/n-triples"), shown
            rdflib.Graph().parse(data=answer.decode(), format="turtle")  # it parses


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in MANIFEST_ORDER if n in QUERY_CASES])
def test_w3c_protocol_query_case(reader: Served, name: str) -> None:
    run_case(reader, QUERY_CASES[name], None)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in MANIFEST_ORDER if n in UPDATE_CASES])
def test_w3c_protocol_update_case(writer: Served, name: str) -> None:
    run_case(writer, UPDATE_CASES[name], TOKEN)


@pytest.mark.slow
def test_clear_all_is_refused_in_one_line(writer: Served) -> None:
    """The deviation the update cases adapt to: CLEAR ALL would empty the ontology."""
    status, _, body = send(
        writer,
        "POST",
        "/sparql",
        body=b"CLEAR ALL",
        headers={"Content-Type": UPDATE, "Authorization": f"Bearer {TOKEN}", "Host": writer.host},
    )
    assert status == 400 and body.decode().count("\n") == 1
    assert "name the graph" in body.decode()
