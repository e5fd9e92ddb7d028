"""Fuzzing `hilos serve`: SPARQL and near-SPARQL text (grammar tokens spaced and glued, random
text, invalid UTF-8, huge literals, odd percent-encodings) by GET, form POST and direct POST to
/sparql, and random parameters to the explorer's endpoints.

Every answer must be one of the documented statuses with a one-line error, never a 500, never
late, and the store must be as it was. Examples are fixed (the `hilos-ci` profile is
derandomised); `HILOS_FUZZ=deep` runs many more.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hilos.namespaces import PREFIXES
from hilos.server.http import SparqlServer
from hilos.sparql.lexer import KEYWORDS, is_federated
from hilos.store import Store
from hilos.store.updates import UpdateRefused, check_update
from support import running

from .server_client import (
    TOKEN,
    Answer,
    assert_documented,
    call,
    exchange,
    listening,
    port_of,
    state,
    update,
)
from .support import budget

WORDS = [*sorted(KEYWORDS), "a", "true", "false", "COUNT", "STR", "REGEX", "CONCAT", "IRI"]
PUNCTUATION = [*"{}()[].;,*|/^!?+-=<>&", "&&", "||", "!=", "<=", "^^", "\n", "\t"]
TERMS = [
    "?s",
    "?p",
    "?o",
    "$x",
    "?service",
    "hid:zetas",
    "rdfs:label",
    "hilos:Mayor",
    "ex:a\\#",
    "ex:a.b",
    ":x",
    "_:b",
    "<https://w3id.org/hilos/id/zetas>",
    "<http://127.0.0.1:1/sparql>",
    "<https://w3id.org/hilos/store#registry>",
    "<x:\\u0041#>",
    "<x:\\u003E>",
    "'a'",
    '"Zetas"@es',
    "'''long\nstring'''",
    '"\\u0022"',
    '"x"^^xsd:integer',
    "'unterminated",
    '"',
    "#",
    "# comment\n",
    "\\u0053ERVICE",
    "1",
    "1.",
    "1.5e3",
    "-0",
    "PREFIX ex: <x:>",
    "\u202e",
    "\x00",
    "é",
]
TOKENS = st.sampled_from(WORDS + PUNCTUATION + TERMS)
NEAR_SPARQL = st.one_of(
    st.lists(TOKENS, max_size=40).map(" ".join),
    st.lists(TOKENS, max_size=40).map("".join),
    st.text(max_size=300),
    st.integers(1_000, 300_000).map(lambda n: "ASK { ?s ?p '" + "x" * n + "' }"),
    st.integers(1, 5_000).map(lambda n: "SELECT * WHERE " + "{" * n + "}" * n),
)
"""Text that is SPARQL, almost SPARQL, or nothing like it."""

ODD_QUERY_STRINGS = st.lists(
    st.sampled_from(
        [
            "query=",
            "update=",
            "default-graph-uri=",
            "&",
            "=",
            "%",
            "%2",
            "%FF",
            "%C0%AF",
            "%00",
            "%0D%0A",
            "%u0041",
            "%%",
            "+",
            ";",
            "%E2%80%AE",
            "ASK%7B%7D",
            "SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D",
            "%ED%A0%80",
        ]
    ),
    max_size=25,
).map("".join)
"""Percent-encodings a browser would never send."""

VALUES = st.one_of(
    st.sampled_from(
        [
            "Zetas",
            "José Luis Abarca",
            "hid:zetas",
            "https://w3id.org/hilos/id/guerreros-unidos",
            "<script>",
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "nan",
            "true",
            "refuted",
            "es",
            "hid:",
            "hid:\u202e",
            "x" * 5_000,
        ]
    ),
    st.text(max_size=60),
)
EXPLORER = [
    ("/api/search", ["q", "limit", "lang"]),
    ("/api/entity", ["id", "lang"]),
    ("/api/paths", ["from", "to", "limit", "max-hops", "min-status", "time-consistent", "lang"]),
    ("/api/queries", []),
    ("/api/query", ["name", "param.status", "param.entity", "param.year", "param.x"]),
    ("/ego", ["id", "hops", "lang"]),
]
QUERY_NAMES = ["ties-by-status", "officials-criminal-ties", "entity-ties", "nope", ""]


@pytest.fixture(scope="module")
def fuzz_server(memory_store: Store) -> Iterator[SparqlServer]:
    """A read-only server over the shared store, with short limits."""
    with running(memory_store, timeout=2.0, max_results=500, request_timeout=5.0) as server:
        yield server


@pytest.fixture(scope="module")
def before(memory_store: Store) -> tuple[int, tuple[tuple[str, int, int], ...]]:
    return state(memory_store)


def judged(answer: Answer) -> Answer:
    assert answer.status != 500, answer
    assert_documented(answer)
    return answer


@budget(100)
@given(text=NEAR_SPARQL, how=st.sampled_from(["get", "form", "direct", "update"]))
def test_any_text_sent_as_sparql_gets_a_documented_answer(
    fuzz_server: SparqlServer, memory_store: Store, before: object, text: str, how: str
) -> None:
    port = port_of(fuzz_server)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    if how == "get":
        answer = call(port, "GET", "/sparql", {"query": text})
    elif how == "form":
        body = f"query={quote(text)}".encode()
        answer = call(port, "POST", "/sparql", body=body, headers=form)
    elif how == "direct":
        direct = {"Content-Type": "application/sparql-query"}
        answer = call(port, "POST", "/sparql", body=text.encode("utf-8", "replace"), headers=direct)
    else:
        answer = update(port, text)
        assert answer.status in (400, 403, 413), answer  # read-only: never written
    judged(answer)
    assert state(memory_store) == before


@budget(40)
@given(body=st.binary(max_size=400), kind=st.sampled_from(["sparql-query", "sparql-update"]))
def test_bytes_that_are_not_utf8_get_a_documented_answer(
    fuzz_server: SparqlServer, memory_store: Store, before: object, body: bytes, kind: str
) -> None:
    headers = {"Content-Type": f"application/{kind}"}
    judged(call(port_of(fuzz_server), "POST", "/sparql", body=body, headers=headers))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    judged(call(port_of(fuzz_server), "POST", "/sparql", body=b"query=" + body, headers=form))
    assert state(memory_store) == before


@budget(40)
@given(
    query_string=ODD_QUERY_STRINGS,
    path=st.sampled_from(["/sparql", "/api/search", "/api/query", "/ego", "/", "/api/%00"]),
)
def test_odd_percent_encodings_get_a_documented_answer(
    fuzz_server: SparqlServer, memory_store: Store, before: object, query_string: str, path: str
) -> None:
    judged(call(port_of(fuzz_server), "GET", f"{path}?{query_string}"))
    assert state(memory_store) == before


@budget(100)
@given(
    endpoint=st.sampled_from(EXPLORER),
    values=st.lists(VALUES, min_size=7, max_size=7),
    name=st.sampled_from(QUERY_NAMES),
    post=st.booleans(),
)
def test_random_explorer_parameters_get_a_documented_answer(
    fuzz_server: SparqlServer,
    memory_store: Store,
    before: object,
    endpoint: tuple[str, list[str]],
    values: list[str],
    name: str,
    post: bool,
) -> None:
    path, names = endpoint
    params = dict(zip(names, values, strict=False))
    if path == "/api/query":
        params["name"] = name
    port = port_of(fuzz_server)
    if post and path == "/api/query":
        body = "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items()).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        answer = judged(call(port, "POST", path, body=body, headers=form))
    else:
        answer = judged(call(port, "GET", path, params))
    if answer.status != 200 and path != "/ego":
        assert answer.headers["content-type"].startswith("application/json"), answer
    assert state(memory_store) == before


@budget(40)
@given(
    line=st.binary(max_size=120),
    headers=st.lists(st.binary(max_size=60), max_size=6),
)
def test_garbage_requests_get_a_documented_answer_or_none(
    fuzz_server: SparqlServer, line: bytes, headers: list[bytes]
) -> None:
    """Whatever bytes arrive as a request line and headers, the answer is documented (or, for
    a request that never ends, the connection is closed after request_timeout)."""
    data = line.replace(b"\n", b" ") + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n"
    try:
        answer = exchange(port_of(fuzz_server), data, timeout=10)
    except AssertionError as exc:  # NoAnswer: allowed only as a closed connection
        assert "closed without" in str(exc), exc
        return
    judged(answer)


@pytest.fixture(scope="module")
def writable() -> Iterator[tuple[SparqlServer, Store]]:
    store = Store.in_memory()
    with running(store, timeout=2.0, update_token=TOKEN) as server:
        yield server, store


@budget(50)
@given(text=NEAR_SPARQL, form=st.booleans())
def test_an_update_that_fails_changes_nothing(
    writable: tuple[SparqlServer, Store], text: str, form: bool
) -> None:
    """With the token, random text either is an update that succeeds (200) or changes
    nothing at all."""
    server, store = writable
    before = set(store.database)
    if form:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": f"Bearer {TOKEN}",
        }
        answer = call(
            port_of(server),
            "POST",
            "/sparql",
            body=f"update={quote(text)}".encode(),
            headers=headers,
        )
    else:
        answer = update(port_of(server), text)
    judged(answer)
    if answer.status != 200:
        assert set(store.database) == before, answer
    else:  # it was SPARQL Update (read again by an empty store of its own)
        ox.Store().update(text, prefixes=PREFIXES)


# -- the scanner against the engine --------------------------------------------------------------

BEFORE_SERVICE = st.lists(
    st.sampled_from(
        TERMS
        + PUNCTUATION
        + ["true", "false", "UNDEF", "FILTER(true)", "BIND(1 AS ?z)", "VALUES ?v { 1 }", "{}"]
        + ["\\", "\\#", "@en", "'x'@en-GB", "?o)", "1e1", ".", " . ", "OPTIONAL {}", "MINUS {}"]
        + ["[]", "()", "ex:.", "'x'^^<x:a>", "e:x.", "?o.", "<x:a>.", "'x'@en-gb."]
    ),
    max_size=6,
)


@pytest.fixture(scope="module")
def trap() -> Iterator[tuple[int, list[bytes]]]:
    with listening() as caught:
        yield caught


@budget(150)
@given(
    before=BEFORE_SERVICE,
    keyword=st.sampled_from(["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "SERVICESILENT"]),
    glued=st.booleans(),
    endpoint=st.sampled_from(["<{url}>", ":x", ":", "e:", "e:x", "?e", " <{url}>", " :x"]),
)
def test_what_the_scanner_passes_never_calls_a_host(
    trap: tuple[int, list[bytes]], before: list[str], keyword: str, glued: bool, endpoint: str
) -> None:
    """A query the scanner finds no SERVICE in, run by the engine itself, calls no host: the
    scanner reads strings, IRIs, comments, names and glued keywords as Oxigraph does."""
    store = ox.Store()
    term = ox.NamedNode("x:a")
    store.add(ox.Quad(term, term, term))
    port, caught = trap
    url = f"http://127.0.0.1:{port}/sparql"
    glue = "" if glued else " "
    sparql = (
        f"PREFIX : <{url}> PREFIX e: <{url}> SELECT * WHERE {{ ?s ?p ?o BIND(<{url}> AS ?e) "
        f"{' '.join(before)}{glue}{keyword}{endpoint.format(url=url)} {{ ?s ?p ?o }} }}"
    )
    if is_federated(sparql):
        return  # refused before it runs
    try:
        result = store.query(sparql)
        if isinstance(result, ox.QuerySolutions):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    assert caught == [], sparql


@budget(100)
@given(
    before=BEFORE_SERVICE,
    keyword=st.sampled_from(["LOAD", "load", "LoAd", "LOAD SILENT", "LOADSILENT"]),
    glued=st.booleans(),
    endpoint=st.sampled_from(["<{url}>", ":x", ":", "e:", "e:x", " <{url}>", " :x"]),
    into=st.sampled_from(["", " INTO GRAPH <x:g>", "INTO GRAPH:g"]),
)
def test_what_the_update_check_passes_never_calls_a_host(
    trap: tuple[int, list[bytes]],
    before: list[str],
    keyword: str,
    glued: bool,
    endpoint: str,
    into: str,
) -> None:
    """An update `check_update` lets through, run by the engine itself, fetches nothing."""
    port, caught = trap
    url = f"http://127.0.0.1:{port}/data"
    glue = "" if glued else " "
    sparql = (
        f"PREFIX : <{url}> PREFIX e: <{url}> INSERT DATA {{ <x:a> <x:b> <x:c> }} ;"
        f"{' '.join(before)}{glue}{keyword}{endpoint.format(url=url)}{into}"
    )
    try:
        check_update(sparql)
    except UpdateRefused:
        return  # refused before it runs
    with contextlib.suppress(SyntaxError, OSError, RuntimeError, ValueError):
        ox.Store().update(sparql)
    assert caught == [], sparql
