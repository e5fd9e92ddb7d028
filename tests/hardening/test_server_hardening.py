"""`hilos serve` against hostile clients: oversized and malformed requests, slow clients,
pathological queries, writing without the token, and any attempt to make it call a host.

Each test starts a real server on a free loopback port; the requests that could crash the
query engine go to a server in a process of its own, so that a crash fails the test instead of
ending the test run.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from hilos.server import http as server_module
from hilos.server.http import SparqlServer
from hilos.sparql.lexer import MAX_NESTING, MAX_TERMS, is_federated
from hilos.store import Store
from support import running

from .server_client import (
    TOKEN,
    TOO_LARGE,
    Answer,
    NoAnswer,
    Served,
    assert_documented,
    call,
    exchange,
    http_request,
    listening,
    port_of,
    query,
    read_answer,
    served,
    state,
    update,
)

ASK = "ASK { hid:zetas a ?type }"


def answers_promptly(port: int, seconds: float = 5.0) -> None:
    """A fresh, cheap query is answered, and quickly."""
    started = time.monotonic()
    answer = query(port, ASK, timeout=seconds)
    assert answer.status == 200 and b'"boolean":true' in answer.body, answer
    assert time.monotonic() - started < seconds


def until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Whether `condition` holds within `seconds` (asked every 20 ms)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture(scope="module")
def store_copy(_template_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(_template_store, path)
    return path


@pytest.fixture(scope="module")
def child(store_copy: Path) -> Iterator[Served]:
    """A writable `hilos serve` in a child process, with short limits."""
    with served(store_copy, "--timeout", "1", "--max-results", "1000", "--allow-update") as child:
        yield child


@pytest.fixture(scope="module")
def server(memory_store: Store) -> Iterator[SparqlServer]:
    """A read-only server in this process, over the shared in-memory store."""
    with running(memory_store, timeout=2.0, max_results=1000, request_timeout=2.0) as server:
        yield server


# -- oversized and malformed requests ------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_unread(server: SparqlServer) -> None:
    port = port_of(server)
    started = time.monotonic()
    head = http_request(
        "POST",
        "/sparql",
        headers={"Content-Type": "application/sparql-query", "Content-Length": "50000000"},
    )
    answer = exchange(port, head + b"SELECT", timeout=10)
    assert answer.status == 413 and answer.text.startswith("request too large")
    assert time.monotonic() - started < 5  # it did not wait for 50 MB that never came
    assert_documented(answer)
    # Sent in full, the body is dropped while the refusal is read.
    body = b"#" * 1_500_000
    answer = call(
        port, "POST", "/sparql", body=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert answer.status == 413
    answers_promptly(port)


def test_an_over_long_url_or_header_gets_a_one_line_refusal(memory_store: Store) -> None:
    with running(memory_store, max_request_bytes=2000) as server:
        port = port_of(server)
        long_query = "ASK { ?s ?p '" + "x" * 3000 + "' }"
        answer = query(port, long_query)
        assert answer.status == 413 and answer.text.startswith("request too large")
        answer = call(port, "GET", "/sparql?query=" + "a" * 70_000)
        assert answer.status == 414
        answer = call(port, "GET", "/", headers={"X-Big": "a" * 70_000})
        assert answer.status == 431
        many = {f"X-Header-{i}": "a" for i in range(120)}
        answer = call(port, "GET", "/", headers=many)
        assert answer.status == 431
        for answer in [
            query(port, long_query),
            call(port, "GET", "/sparql?query=" + "a" * 70_000),
            call(port, "GET", "/", headers={"X-Big": "a" * 70_000}),
            call(port, "GET", "/", headers=many),
        ]:
            assert_documented(answer)
        answers_promptly(port)


POST_HEAD = (
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
)


@pytest.mark.parametrize(
    ("request_bytes", "status", "reason"),
    [
        (b"BREW /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 501, "Unsupported method"),
        (b"GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 505, "Invalid HTTP version"),
        (b"GARBAGE\r\n\r\n", 400, "Bad request syntax"),
        (b"GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n", 200, ""),
        (
            POST_HEAD + b"Content-Length: 6\r\nContent-Length: 60\r\n\r\nASK {}",
            400,
            "invalid Content-Length",
        ),
        (
            POST_HEAD + b"Content-Length: +6\r\n\r\nASK {}",
            400,
            "invalid Content-Length",
        ),
        (
            POST_HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nASK {}\r\n0\r\n\r\n",
            400,
            "malformed chunked body",
        ),
        (
            POST_HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
            501,
            "unsupported Transfer-Encoding",
        ),
        (
            POST_HEAD
            + b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
            400,
            "",
        ),
    ],
)
def test_malformed_requests_get_a_status_line_and_one_line(
    server: SparqlServer, request_bytes: bytes, status: int, reason: str
) -> None:
    answer = exchange(port_of(server), request_bytes)
    assert answer.status == status and answer.text.startswith(reason), answer
    assert_documented(answer)


def test_a_body_shorter_than_announced_is_not_run() -> None:
    """A query or update cut short by a client that went away is refused, never run cut."""
    with running(Store.in_memory(), update_token=TOKEN) as writable:
        port = port_of(writable)
        before = state(writable.store)
        cut = b"INSERT DATA { hid:x a hilos:Mayor } ; DROP GRAPH <https://w3id.org/hilos/graph/x>"
        data = http_request(
            "POST",
            "/sparql",
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
                "Content-Length": str(len(cut) + 40),
            },
        )
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(data + cut[:35])  # a complete INSERT DATA, and no more
            sock.shutdown(socket.SHUT_WR)
            answer = read_answer(sock)
        assert answer.status == 400 and "the body ended after 35 of the" in answer.text
        assert state(writable.store) == before


def test_a_body_sent_with_a_get_is_not_read_as_a_second_request(server: SparqlServer) -> None:
    smuggled = http_request("GET", "/sparql?query=ASK%7B%7D", headers={"Connection": "keep-alive"})
    first = http_request(
        "GET",
        "/sparql?query=ASK%7B%7D",
        headers={"Content-Length": str(len(smuggled)), "Connection": "keep-alive"},
        body=smuggled,
    )
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=10) as sock:
        sock.sendall(first)
        answer = read_answer(sock)
        assert answer.status == 200 and answer.headers["connection"] == "close"
        assert sock.recv(65536) == b""  # closed: the body was never taken for a request


def test_no_header_can_be_slipped_into_an_answer(server: SparqlServer) -> None:
    answer = call(
        port_of(server),
        "GET",
        "/sparql",
        {"query": ASK, "default-graph-uri": "x\r\nSet-Cookie: stolen=1\r\n\r\n<script>"},
    )
    assert answer.status == 200 and "set-cookie" not in answer.headers
    assert "Set-Cookie" in answer.headers["x-hilos-note"]  # kept, on its own line
    assert answer.body.startswith(b'{"head"')


# -- slow clients --------------------------------------------------------------------------------


def test_slow_and_silent_clients_let_go_of_their_threads(memory_store: Store) -> None:
    """Sixty connections that send nothing, half a request, or a body a byte at a time: the
    server answers everyone else meanwhile, and drops each of them once its request has taken
    longer than request_timeout to arrive, however it trickles."""
    with running(memory_store, request_timeout=1.5) as server:
        port = port_of(server)
        post = http_request(
            "POST",
            "/sparql",
            headers={"Content-Type": "application/sparql-query", "Content-Length": "500"},
        )
        sockets: list[tuple[str, socket.socket]] = []
        for index in range(60):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            kind = ("silent", "half a header", "trickling body")[index % 3]
            if kind == "half a header":
                sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.")
            elif kind == "trickling body":
                sock.sendall(post + b"ASK")
            sockets.append((kind, sock))
        started = time.monotonic()
        # The others are answered meanwhile.
        for _ in range(5):
            answers_promptly(port, seconds=2)
        # A byte at a time keeps none of them alive past the deadline.
        trickling = [sock for kind, sock in sockets if kind == "trickling body"]
        while time.monotonic() - started < 1.0:
            for sock in trickling:
                with contextlib.suppress(OSError):  # already let go of
                    sock.sendall(b" ")
            time.sleep(0.2)
        for kind, sock in sockets:
            sock.settimeout(5)
            received = b""
            try:
                while chunk := sock.recv(65536):
                    received += chunk
            except ConnectionResetError:
                pass
            sock.close()
            if kind == "trickling body":
                assert received.startswith(b"HTTP/1.1 408"), received
            else:
                assert received == b"", received  # dropped without a word
        assert time.monotonic() - started < 6
        assert until(lambda: server.open_connections == 0)
        answers_promptly(port)


def test_a_late_request_still_gets_its_whole_answer(memory_store: Store) -> None:
    """The deadline is for the request to arrive: a body that arrives just in time gets its
    whole answer, however slowly the client then reads it."""
    with running(memory_store, request_timeout=0.5, max_results=10**6) as server:
        sparql = b"CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 50000"
        head = http_request(
            "POST",
            "/sparql",
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/n-triples",
                "Content-Length": str(len(sparql)),
            },
        )
        with socket.create_connection(("127.0.0.1", port_of(server)), timeout=20) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
            sock.sendall(head + sparql[:-1])
            time.sleep(0.45)
            sock.sendall(sparql[-1:])
            time.sleep(1.5)  # the answer fills the buffers and waits for the client
            answer = read_answer(sock)
    assert answer.status == 200 and len(answer.body) == int(answer.headers["content-length"])
    assert len(answer.body) > 1_000_000 and answer.body.endswith(b" .\n")


def test_connections_beyond_the_cap_are_refused_at_once(memory_store: Store) -> None:
    with running(memory_store, max_connections=10, request_timeout=1.0) as server:
        port = port_of(server)
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(10)]
        assert until(lambda: server.open_connections == 10)  # each waits for its request line
        answer = query(port, ASK, timeout=2)
        assert answer.status == 503 and answer.text.startswith("too many connections")
        assert answer.headers["retry-after"] == "5"
        assert_documented(answer)
        for sock in idle:
            sock.settimeout(5)
            assert sock.recv(100) == b""  # dropped after request_timeout
            sock.close()
        assert until(lambda: server.open_connections == 0)
        answers_promptly(port)


# -- a bound on the work in progress -------------------------------------------------------------


def test_at_most_workers_requests_run_at_once(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests beyond `workers` wait for a free worker up to the timeout, then get 503; a
    worker whose client gave up stays counted until its work ends."""
    release = threading.Event()
    search = server_module.api.search_entities

    def blocking(store: Store, params: object) -> object:
        if params.get("q") == ["block"]:  # type: ignore[attr-defined]
            release.wait(20)
        return search(store, params)  # type: ignore[arg-type]

    monkeypatch.setattr(server_module.api, "search_entities", blocking)
    with running(memory_store, workers=2, timeout=1.0) as server:
        port = port_of(server)
        blocked = [
            threading.Thread(target=call, args=(port, "GET", "/api/search", {"q": "block"}))
            for _ in range(2)
        ]
        for thread in blocked:
            thread.start()
        assert until(lambda: server.running_workers == 2)
        answer = call(port, "GET", "/api/search", {"q": "zetas"})
        assert answer.status == 503 and "busy" in answer.text.lower(), answer
        assert_documented(answer)
        for thread in blocked:
            thread.join(10)  # their clients had 503 (timed out): their workers still run
        assert server.running_workers == 2
        assert call(port, "GET", "/api/search", {"q": "zetas"}).status == 503
        release.set()
        assert until(lambda: server.running_workers == 0)
        answer = call(port, "GET", "/api/search", {"q": "zetas"})
        assert answer.status == 200 and b"zetas" in answer.body


# -- pathological queries, in a server of its own -------------------------------------------------

DEEP = 3_000
PATHOLOGICAL_DEPTH = [
    ("braces", "SELECT * WHERE " + "{" * DEEP + "?s ?p ?o" + "}" * DEEP),
    ("parentheses", "SELECT * { ?s ?p ?o FILTER(" + "(" * DEEP + "?o" + ")" * DEEP + ") }"),
    ("functions", "SELECT * { ?s ?p ?o FILTER(" + "STR(" * DEEP + "?o" + ")" * DEEP + ") }"),
    (
        "exists",
        "SELECT * { ?s ?p ?o FILTER(" + "EXISTS { FILTER(" * DEEP + "true" + ") }" * DEEP + ") }",
    ),
    ("subqueries", "SELECT * { " + "{ SELECT * WHERE " * DEEP + "{ }" + " }" * DEEP + " }"),
    ("optionals", "SELECT * { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * DEEP + "}" * DEEP + " }"),
    ("collections", "SELECT * { ?s ?p " + "(" * DEEP + "1" + ")" * DEEP + " }"),
    ("blank nodes", "SELECT * { ?s ?p " + "[ rdfs:label " * DEEP + "1" + " ]" * DEEP + " }"),
    ("paths", "SELECT * { ?s " + "(" * DEEP + "rdfs:label" + ")" * DEEP + " ?o }"),
]
PATHOLOGICAL_LENGTH = [
    ("binds", "SELECT * { " + "".join(f"BIND(1 AS ?x{i}) " for i in range(5_000)) + "}"),
    ("minus", "SELECT * { ?s ?p ?o " + "MINUS { } " * 20_000 + "}"),
    ("unions", "SELECT * { { } " + "UNION { } " * 20_000 + "}"),
    ("sums", "SELECT * { BIND(" + "1 + " * 20_000 + "1 AS ?x) }"),
    ("negations", "SELECT * { FILTER(" + "!" * 50_000 + "true) }"),
    ("alternatives", "SELECT * { ?s " + "rdfs:label|" * 20_000 + "rdfs:label ?o }"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "sparql"), PATHOLOGICAL_DEPTH + PATHOLOGICAL_LENGTH)
def test_deep_or_long_queries_are_refused_before_the_engine(
    child: Served, name: str, sparql: str
) -> None:
    """Deep enough or long enough, a query exhausts the engine's stack and ends the process:
    the server refuses it first (400), by GET, by POST and as an update."""
    expected = "nests" if (name, sparql) in PATHOLOGICAL_DEPTH else "too long"
    try:
        answers = [
            call(
                child.port,
                "POST",
                "/sparql",
                body=sparql.encode(),
                headers={"Content-Type": "application/sparql-query"},
            ),
            update(child.port, "INSERT { hid:a rdfs:label 'a' } WHERE { " + sparql[9:] + " }"),
        ]
        if len(sparql) < 30_000:
            answers.append(query(child.port, sparql))
    except (NoAnswer, OSError):
        pytest.fail(f"hilos serve ended (exit {child.process.poll()}): {''.join(child.log[-3:])}")
    for answer in answers:
        assert answer.status == 400 and expected in answer.text, answer
        assert_documented(answer)
    assert child.alive(), "".join(child.log[-5:])
    answers_promptly(child.port)


@pytest.mark.slow
def test_the_longest_and_deepest_queries_allowed_run_without_harm(child: Served) -> None:
    """Right under the limits, the kinds of query that recurse deepest in the engine run in a
    worker's stack and are answered (or stopped by the timeout): the process lives."""
    within = [
        "SELECT * { ?s ?p ?o " + "MINUS { } " * (MAX_TERMS // 3 - 10) + "} LIMIT 1",
        "SELECT * { " + "".join(f"BIND(1 AS ?x{i}) " for i in range(MAX_TERMS // 6 - 5)) + "}",
        "SELECT * { FILTER(" + "!" * (MAX_TERMS - 20) + "true) }",
        "SELECT * { BIND(" + "1 + " * (MAX_TERMS // 2 - 10) + "1 AS ?x) }",
        "SELECT * WHERE " + "{" * (MAX_NESTING - 1) + "?s ?p ?o" + "}" * (MAX_NESTING - 1),
        "ASK { FILTER("
        + "EXISTS { FILTER(" * (MAX_NESTING // 2 - 1)
        + "true"
        + ") }" * (MAX_NESTING // 2 - 1)
        + ") }",
    ]
    for sparql in within:
        answer = call(
            child.port,
            "POST",
            "/sparql",
            body=sparql.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert answer.status in (200, TOO_LARGE, 503), answer
        assert child.alive(), "".join(child.log[-5:])
    answers_promptly(child.port)


@pytest.mark.slow
def test_huge_products_and_open_paths_are_stopped_by_the_limits(store_path: Path) -> None:
    """Cartesian products and unbounded property paths end in 500 "result too large" (more than
    max-results) or
    503 (timeout), and the server keeps answering; it runs in a server of its own, stopped
    right after, for a computation the engine cannot interrupt runs on unseen."""
    with served(store_path, "--timeout", "1", "--max-results", "1000") as alone:
        expectations = [
            ("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", {TOO_LARGE}),
            ("CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }", {TOO_LARGE}),
            ("SELECT * { ?s (!rdf:type)+ ?o }", {TOO_LARGE, 503}),
            ("SELECT * { ?s (rdfs:label|!rdfs:label)* ?o }", {TOO_LARGE, 503}),
            ("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", {503}),
            ("SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a LIMIT 1", {503}),
        ]
        for sparql, statuses in expectations:
            started = time.monotonic()
            answer = query(alone.port, sparql)
            assert answer.status in statuses, (sparql, answer)
            assert_documented(answer)
            assert time.monotonic() - started < 4
            assert alone.alive()
            answers_promptly(alone.port)


# -- writing --------------------------------------------------------------------------------------

NEW = "INSERT DATA { hid:hardening-test a hilos:Mayor ; rdfs:label 'Hardening'@en }"


def test_writing_needs_the_flag_and_the_token_in_the_header(memory_store: Store) -> None:
    read_only = state(memory_store)
    with running(memory_store) as server:
        for token in (None, TOKEN):
            answer = update(port_of(server), NEW, token=token)
            assert answer.status == 403 and "read-only" in answer.text
    assert state(memory_store) == read_only

    store = Store.in_memory()
    before = state(store)
    form = "application/x-www-form-urlencoded"
    refused: list[Answer] = []
    with running(store, update_token=TOKEN) as server:
        port = port_of(server)
        body = NEW.encode()

        def post(target: str = "/sparql", **headers: str) -> Answer:
            given = {"Content-Type": "application/sparql-update", **headers}
            return call(port, "POST", target, body=body, headers=given)

        form_body = f"update={quote(NEW)}&access_token={TOKEN}".encode()
        refused += [
            update(port, NEW, token=None),
            update(port, NEW, token="wrong"),
            update(port, NEW, token=TOKEN[:-1]),
            update(port, NEW, token=TOKEN + "x"),
            update(port, NEW, token=TOKEN.upper()),
            update(port, NEW, token=" "),
            post(f"/sparql?access_token={TOKEN}"),
            post(f"/sparql?token={TOKEN}"),
            call(port, "POST", "/sparql", body=form_body, headers={"Content-Type": form}),
            post(Token=TOKEN),
            post(Authorization=f"Basic {TOKEN}"),
            post(Cookie=f"token={TOKEN}"),
        ]
        for answer in refused:
            assert answer.status == 401 and answer.headers["www-authenticate"].startswith(
                "Bearer"
            ), answer
            assert_documented(answer)
        # By GET, never, even with the token.
        answer = call(
            port, "GET", "/sparql", {"update": NEW}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert answer.status == 400 and "must be sent by POST" in answer.text
        # Text that is no update is a 400 too, not a 200 that changed nothing.
        for nonsense in ["hello world", "\\u0049NSERT DATA { hid:a hid:b 1 }", "}"]:
            answer = update(port, nonsense)
            assert answer.status == 400 and "syntax error" in answer.text, answer
        assert state(store) == before
        assert update(port, NEW).status == 200
    assert state(store) != before


def test_updates_cannot_reach_the_store_bookkeeping_by_glued_or_escaped_words() -> None:
    store = Store.in_memory()
    before = state(store)
    tricks = [
        "INSERT DATA { hid:a rdfs:label 'a' } ; DROPALL",
        "INSERT DATA { hid:a rdfs:label 'a' } ; DROP SILENTALL",
        "INSERT DATA { hid:a rdfs:label 'a' } ; CLEARNAMED",
        "INSERT DATA { hid:a rdfs:label 'a' } ; CLEAR#\nNAMED",
        "INSERT DATA { GRAPH <https://w3id.org/hilos/store\\u0023registry> { hid:a hid:b 1 } }",
        "BASE <https://w3id.org/hilos/x> INSERT DATA { GRAPH <store#registry> { hid:a hid:b 1 } }",
        "PREFIX h: <https://w3id.org/hilos/> INSERT DATA { GRAPH h:store\\#r { hid:a hid:b 1 } }",
        "INSERT DATA { hid:a rdfs:label 'a' } ; " + "INSERT DATA { " + "[" * 200 + "]" * 200 + " }",
    ]
    with running(store, update_token=TOKEN) as server:
        for sparql in tricks:
            answer = update(port_of(server), sparql)
            assert answer.status == 400, (sparql, answer)
            assert_documented(answer)
        assert state(store) == before


def test_glued_keywords_get_the_dataset_of_spaced_ones() -> None:
    """`DELETEWHERE` is the engine's `DELETE WHERE`: it gets the same dataset (the loaded
    graphs, by name), so `GRAPH ?g` never reaches the derived graphs behind the registry."""
    store = Store.in_memory()
    glued = "INSERT DATA { hid:a rdfs:label 'a' } ; DELETEWHERE { GRAPH ?g { ?s hilos:sphere ?o } }"
    with running(store, update_token=TOKEN) as server:
        assert update(port_of(server), glued).status == 200
    for info in store.graphs():
        asserted = store.database.quads_for_pattern(None, None, None, ox.NamedNode(info.iri))
        derived = store.database.quads_for_pattern(
            None, None, None, ox.NamedNode(info.inferred_iri)
        )
        assert (len(list(asserted)), len(list(derived))) == (
            info.triples,
            info.inferred_triples,
        ), info.name
    assert store.query("ASK { hid:zetas hilos:sphere hilos:CriminalSphere }")


# -- never another host ---------------------------------------------------------------------------


@pytest.fixture
def trap() -> Iterator[tuple[int, list[bytes]]]:
    with listening() as caught:
        yield caught


def federated(endpoint: str) -> list[str]:
    """SERVICE written every way the engine reads it (checked against Oxigraph by hand)."""
    pattern = "{ ?s ?p ?o }"
    return [
        f"SELECT * {{ SERVICE <{endpoint}> {pattern} }}",
        f"SELECT * {{ SERVICE SILENT <{endpoint}> {pattern} }}",
        f"SELECT * {{ SeRvIcE <{endpoint}> {pattern} }}",
        f"SELECT * {{ ?s ?p ?o # SERVICE in a comment\n SERVICE <{endpoint}> {pattern} }}",
        f"PREFIX e: <{endpoint}> SELECT * {{ SERVICE e: {pattern} }}",
        f"SELECT * {{ BIND(<{endpoint}> AS ?e) SERVICE ?e {pattern} }}",
        # Each of these once slipped past the text scanner while Oxigraph ran the service:
        f"SELECT * {{ ?s ?p <x:\\u0041#> SERVICE <{endpoint}> {pattern} }}",
        f"PREFIX ex: <x:> SELECT * {{ ?s ?p ex:a\\# SERVICE <{endpoint}> {pattern} }}",
        f"SELECT * {{ ?s ?p ?o .SERVICE <{endpoint}> {pattern} }}",
        f"SELECT * {{ ?s ?p 1SERVICE <{endpoint}> {pattern} }}",
        f"SELECT * {{ ?s ?p 1.SERVICE <{endpoint}> {pattern} }}",
        f"SELECT * {{ ?s ?p true SERVICESILENT<{endpoint}> {pattern} }}",
        f"SELECT * {{ FILTER(true)SERVICE <{endpoint}> {pattern} }}",
        f"PREFIX : <{endpoint}> SELECT * {{ ?s ?p ?o SERVICE:x {pattern} }}",
        f"PREFIX : <{endpoint}> SELECT * {{ ?s ?p ?o SERVICE: {pattern} }}",
        f"PREFIX : <{endpoint}> SELECT * {{ ?s ?p ?o SERVICESILENT:x {pattern} }}",
        f"PREFIX e: <{endpoint}> SELECT * {{ ?s ?p ?o SERVICEe:x {pattern} }}",
    ]


def test_service_and_load_are_refused_and_no_host_is_called(
    trap: tuple[int, list[bytes]],
) -> None:
    port, caught = trap
    store = Store.in_memory()
    before = state(store)
    with running(store, update_token=TOKEN) as server:
        own = port_of(server)
        endpoints = [
            f"http://127.0.0.1:{port}/sparql",
            f"http://127.0.0.1:{own}/sparql",
            f"http://localhost:{port}/",
            f"http://[::1]:{port}/",
            "http://169.254.169.254/latest/meta-data/",
            "https://query.wikidata.org/sparql",
        ]
        for endpoint in endpoints:
            for sparql in federated(endpoint):
                assert is_federated(sparql), sparql
                answer = query(own, sparql)
                assert answer.status == 400 and answer.text.startswith("federated SERVICE"), (
                    sparql,
                    answer,
                )
                inside = "INSERT { hid:a rdfs:label ?o } WHERE " + sparql[sparql.index("{") :]
                answer = update(own, inside)
                assert answer.status == 400 and "SERVICE is refused" in answer.text, answer
            for load in [
                f"LOAD <{endpoint}>",
                f"LOAD SILENT <{endpoint}> INTO GRAPH <https://w3id.org/hilos/graph/x>",
                f"INSERT DATA {{ hid:a rdfs:label 'a' }} ;LOAD<{endpoint}>",
                f"INSERT DATA {{ hid:a rdfs:label <x:\\u0041#> }} ; LOAD <{endpoint}>",
                f"PREFIX e: <{endpoint}> LOAD e:data",
                f"PREFIX : <{endpoint}> LOAD:data",
                f"PREFIX : <{endpoint}> LOAD SILENT:data INTO GRAPH:g",
            ]:
                answer = update(own, load)
                assert answer.status == 400 and "LOAD is refused" in answer.text, (load, answer)
            # An escaped keyword is no keyword to Oxigraph: a syntax error, and no call.
            answer = query(own, f"SELECT * {{ \\u0053ERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
            assert answer.status == 400 and "syntax error" in answer.text, answer
            answer = update(own, f"\\u004COAD <{endpoint}>")
            assert answer.status == 400 and "syntax error" in answer.text, answer
        # What only looks like SERVICE is a query like any other.
        for harmless in [
            'SELECT ?service { ?service rdfs:label "SERVICE <http://127.0.0.1/> {}" } LIMIT 1',
            "SELECT * { ?s rdfs:label ?o } # SERVICE <http://127.0.0.1/> {}\nLIMIT 1",
            "PREFIX ex: <http://x/> SELECT * { ?s ex:service ?o } LIMIT 1",
            "SELECT * { ?s rdfs:label 'x'@service } LIMIT 1",
            "PREFIX myservice: <http://x/> SELECT * { ?s myservice:load ?o } LIMIT 1",
        ]:
            assert query(own, harmless).status == 200, harmless
    time.sleep(0.3)
    assert caught == []
    assert state(store) == before
