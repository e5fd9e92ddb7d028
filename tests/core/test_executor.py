"""The engine's executor (`hilos.executor`): every query of `run_query` and of the server runs in
its long-lived workers, and answers cross back as Python objects.

Expected answers are computed independently: each library query run with `Store.query` in the
test's own thread, its solutions written by the engine's own result writers.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
import pytest

import hilos
from hilos import executor
from hilos.errors import ParameterError, QueryError
from hilos.server.explorer import api
from hilos.sparql.library import bind_parameters, library, shipped
from hilos.store import Store
from support import SAMPLE_PARAMS, running

RESULT_FORMATS = {
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


def fetch(url: str, params: dict[str, str], accept: str = "") -> tuple[int, bytes]:
    request = Request(url + "?" + urlencode(params), headers={"Accept": accept} if accept else {})
    try:
        with urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.read()


# -- the executor itself -------------------------------------------------------------------------


def test_a_call_runs_in_a_worker_with_a_large_stack() -> None:
    name, stack = executor.call(
        lambda: (threading.current_thread().name, threading.current_thread().daemon)
    )
    assert name.startswith("hilos-engine-") and stack is True
    assert name != threading.current_thread().name


def test_a_call_from_a_worker_runs_inline() -> None:
    def outer() -> tuple[int, int]:
        return threading.get_ident(), executor.call(threading.get_ident)

    task = executor.executor().submit(outer)
    assert task.wait(timeout=30), "a worker waiting for itself would never end"
    outer_thread, inner_thread = task.result()
    assert outer_thread == inner_thread


def test_an_exception_comes_back_with_its_type_and_message() -> None:
    class Peculiar(Exception):
        pass

    def fail() -> None:
        raise Peculiar("a message from the worker")

    with pytest.raises(Peculiar, match=r"^a message from the worker$") as caught:
        executor.call(fail)
    # without the worker's frames (they may hold engine objects only it may drop)
    frames = []
    tb = caught.value.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    assert "fail" not in frames


def test_a_query_error_keeps_its_type_and_message(memory_store: Store) -> None:
    with pytest.raises(ParameterError, match=r"parameter 'status' expects one of .*'probable'"):
        hilos.run_query(memory_store, "ties-by-status", {"status": "probable"})
    deep = "SELECT * {" + "{" * 200 + "}" * 201
    with pytest.raises(QueryError, match="nests 201 brackets deep"):
        hilos.run_query(memory_store, hilos.sparql.library.query_from_text(deep, "deep"))


def test_no_thread_is_started_per_query(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    hilos.run_query(memory_store, "entity-sources", {"entity": "Zetas"})  # the worker is up
    before = threading.active_count()
    started: list[str] = []
    original = threading.Thread.start

    def counting_start(thread: threading.Thread) -> None:
        started.append(thread.name)
        original(thread)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    for _ in range(50):
        hilos.run_query(memory_store, "entity-sources", {"entity": "Zetas"})
    assert started == []
    assert threading.active_count() == before


def test_the_public_api_reads_the_engine_only_in_workers(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search, cards, paths, the projection the analyses read and library queries: every
    query and index look-up they make runs in an engine worker, none on the caller's thread."""
    from hilos.store import embedded, indexes

    threads: list[str] = []

    def watched(cls: type, name: str) -> None:
        original = getattr(cls, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            threads.append(threading.current_thread().name)
            return original(*args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    for name in ("query", "quads_for_pattern"):
        watched(embedded.EmbeddedBackend, name)
    for name in ("quads", "rows"):
        watched(indexes.View, name)
    abarca = hilos.resolve(memory_store, "José Luis Abarca")
    assert hilos.search(memory_store, "Guerreros Unidos")[0].label == "Guerreros Unidos"
    assert hilos.card(memory_store, abarca).ties
    found = hilos.paths(memory_store, "José Luis Abarca", "Guerreros Unidos", limit=1)
    assert found[0].nodes[0].id == abarca
    assert hilos.project(memory_store).graph.number_of_nodes() > 0
    hilos.run_query(memory_store, "entity-sources", {"entity": "Zetas"})
    assert len(threads) > 10  # each of them read the engine
    assert {name.rsplit("-", 1)[0] for name in threads} == {"hilos-engine"}


def test_several_calls_run_at_once_when_widened() -> None:
    pool = executor.Executor(limit=2, name="hilos-test-pool")
    release = threading.Event()
    first = pool.submit(lambda: release.wait(30))
    second = pool.submit(lambda: "answered")
    try:
        assert second.wait(timeout=30) and second.result() == "answered"
        assert not first.wait(timeout=0)
    finally:
        release.set()
    assert first.result() is True
    assert pool.workers == 2


def test_one_worker_runs_calls_in_order() -> None:
    pool = executor.Executor(limit=1, name="hilos-test-serial")
    seen: list[int] = []
    tasks = [pool.submit(lambda n=n: seen.append(n)) for n in range(20)]
    for task in tasks:
        task.result()
    assert seen == list(range(20))
    assert pool.workers == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_child_starts_its_own_workers() -> None:
    """The parent's workers do not exist in a child: a call there must not wait for them."""
    executor.call(lambda: None)  # the parent's worker is up

    def child_status() -> int:
        pid = os.fork()
        if pid == 0:  # the child: answer within 20 s, or fail
            code = 1
            try:
                task = executor.executor().submit(lambda: 6 * 7)
                code = 0 if task.wait(20) and task.result() == 42 else 1
            finally:
                os._exit(code)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    assert executor.call(child_status) == 0  # forked from a worker, too
    assert child_status() == 0


# -- engine objects stay in their worker ---------------------------------------------------------


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the interpreter could not raise (pyoxigraph's complaint about an object dropped on
    the wrong thread is one)."""
    caught: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: caught.append(str(hook.exc_value)))
    return caught


def test_engine_garbage_in_a_cycle_is_collected_by_its_worker(unraisable: list[str]) -> None:
    def leave_a_cycle() -> int:
        solutions = ox.Store().query("SELECT ?x { VALUES ?x { 1 2 } }")
        cycle: list[Any] = [solutions]
        cycle.append(cycle)
        return 1

    for _ in range(3):
        assert executor.call(leave_a_cycle) == 1
    gc.collect()  # here, in the test's thread: nothing of the worker's may be left to drop
    assert not [line for line in unraisable if "unsendable" in line]


def test_the_callers_engine_garbage_is_left_to_the_caller(unraisable: list[str]) -> None:
    solutions = ox.Store().query("SELECT ?x { VALUES ?x { 1 } }")
    cycle: list[Any] = [solutions]
    cycle.append(cycle)
    del solutions, cycle  # garbage of this thread, in a cycle
    executor.call(gc.collect)  # a worker's collection must not drop it
    gc.collect()
    assert not [line for line in unraisable if "unsendable" in line]


# -- the same answers as the engine's, for every library query -----------------------------------


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_results_equal_the_engines_own(memory_store: Store, query: hilos.QueryDef) -> None:
    params = SAMPLE_PARAMS.get(query.name, {})
    result = hilos.run_query(memory_store, query, params)
    # Independently, in this thread: the engine's solutions and its own writers.
    bindings = bind_parameters(memory_store, query, params)
    assert shipped(query)

    def direct() -> Any:
        return memory_store.query(query.text, bindings=bindings, ontology=True)

    answer = direct()
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    expected_rows = [{name: solution[name] for name in names} for solution in answer]
    del answer
    assert result.kind == "select" and result.variables == names
    assert result.rows == expected_rows
    assert result.serialize("json") == direct().serialize(format=ox.QueryResultsFormat.JSON)
    for fmt, engine_format in RESULT_FORMATS.items():
        assert result.serialize(fmt) == direct().serialize(format=engine_format), fmt


def test_ask_and_construct_answers(memory_store: Store) -> None:
    ask = hilos.sparql.library.query_from_text("ASK { hid:zetas a ?type }", "ask")
    result = hilos.run_query(memory_store, ask)
    assert result.kind == "ask" and result.boolean is True
    assert json.loads(result.serialize("json")) == {"head": {}, "boolean": True}
    assert result.serialize("xml") == memory_store.query(ask.text).serialize(
        format=ox.QueryResultsFormat.XML
    )
    text = "CONSTRUCT { hid:zetas rdfs:label ?l } WHERE { hid:zetas rdfs:label ?l }"
    construct = hilos.run_query(memory_store, hilos.sparql.library.query_from_text(text, "c"))
    expected = set(memory_store.query(text))  # type: ignore[arg-type]
    assert construct.kind == "construct" and set(construct.triples) == expected and expected
    assert construct.as_json() is None


def test_solutions_json_writes_every_kind_of_term_as_the_engine_does() -> None:
    sparql = (
        'SELECT ?a ?b ?c ?d ?e ?f ?g ?h ?u WHERE { VALUES (?a ?b ?c ?e ?u) { ("é\\u0001\\\\\\"/'
        '\\u2028\\u007f"@es <http://x/é> 1 "t" UNDEF) } BIND(BNODE() AS ?d) '
        'BIND(<<(<http://s> <http://p> "o"@en)>> AS ?f) BIND(STRLANGDIR("a", "ar", "rtl") AS ?g) '
        'BIND("x"^^<http://www.w3.org/2001/XMLSchema#string> AS ?h) }'
    )

    def both() -> tuple[bytes, bytes]:
        engine = ox.Store()
        answer = engine.query(sparql)
        assert isinstance(answer, ox.QuerySolutions)
        names = [v.value for v in answer.variables]
        rows = [{n: s[n] for n in names} for s in answer]
        again = engine.query(sparql)
        assert isinstance(again, ox.QuerySolutions)
        # the blank node's label differs from run to run: take it from the first run
        written = again.serialize(format=ox.QueryResultsFormat.JSON) or b""
        document = json.loads(written)
        document["results"]["bindings"][0]["d"]["value"] = rows[0]["d"].value
        ours = hilos.sparql.library.solutions_json(names, rows)
        return ours, json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    ours, engines = both()
    assert ours == engines


# -- deep queries cannot crash the process -------------------------------------------------------

AT_THE_LIMITS = """
import json, sys, threading
from urllib.parse import urlencode
from urllib.request import urlopen
import hilos
from hilos.sparql.library import query_from_text
from hilos.server.http import make_server
from hilos.sparql.lexer import MAX_NESTING, MAX_TERMS, too_complex

within = [
    "SELECT * { ?s ?p ?o " + "MINUS { } " * (MAX_TERMS // 3 - 10) + "} LIMIT 1",
    "SELECT * { " + "".join(f"BIND(1 AS ?x{i}) " for i in range(MAX_TERMS // 6 - 5)) + "}",
    "SELECT * { FILTER(" + "!" * (MAX_TERMS - 20) + "true) }",
    "SELECT * { BIND(" + "1 + " * (MAX_TERMS // 2 - 10) + "1 AS ?x) }",
    "SELECT * WHERE " + "{" * (MAX_NESTING - 1) + "?s ?p ?o" + "}" * (MAX_NESTING - 1) + " LIMIT 3",
    "ASK { FILTER(" + "EXISTS { FILTER(" * (MAX_NESTING // 2 - 1) + "true"
    + ") }" * (MAX_NESTING // 2 - 1) + ") }",
]
assert not any(too_complex(q) for q in within)
store = hilos.open_store(":memory:")
kinds = [hilos.run_query(store, query_from_text(q, "deep")).kind for q in within]
server = make_server(store, "127.0.0.1", 0, timeout=60)
thread = threading.Thread(target=server.serve_forever, daemon=True)
thread.start()
statuses = []
for q in within:
    with urlopen(server.url + "?" + urlencode({"query": q}), timeout=120) as response:
        statuses.append(response.status)
server.shutdown()
server.server_close()
print(json.dumps({"kinds": kinds, "statuses": statuses}))
"""


def test_queries_at_the_limits_run_through_run_query_and_the_server(tmp_path: Path) -> None:
    """In a process of its own: were a worker's stack too small, the engine would end it."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(AT_THE_LIMITS)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer == {"kinds": ["select"] * 5 + ["ask"], "statuses": [200] * 6}


# -- the server ----------------------------------------------------------------------------------


def test_the_server_answers_as_the_engine_writes(memory_store: Store) -> None:
    sparql = "SELECT ?label WHERE { hid:zetas rdfs:label ?label } ORDER BY ?label"
    with running(memory_store) as server:
        for accept, fmt in [
            ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
            ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
            ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
            ("text/csv", ox.QueryResultsFormat.CSV),
        ]:
            status, body = fetch(server.url, {"query": sparql}, accept)
            assert status == 200
            assert body == memory_store.query(sparql).serialize(format=fmt), accept


def test_a_request_is_answered_while_a_slow_one_runs(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server widens the executor to its workers: a request that holds one worker (here
    one made to wait) does not hold up the next."""
    release = threading.Event()
    entered = threading.Event()

    def slow_types(store: Store, params: api.Params) -> object:
        entered.set()
        release.wait(60)
        return []

    monkeypatch.setattr(api, "term_list", slow_types)
    with running(memory_store, workers=2, timeout=60) as server:
        assert executor.executor().limit >= 3
        slow: list[int] = []
        waiting = threading.Thread(
            target=lambda: slow.append(fetch(server.base_url + "/api/types", {})[0])
        )
        waiting.start()
        try:
            assert entered.wait(30)
            started = time.monotonic()
            status, body = fetch(server.base_url + "/api/search", {"q": "Zetas"})
            assert status == 200 and b"zetas" in body
            assert time.monotonic() - started < 30 and not slow
        finally:
            release.set()
            waiting.join(60)
        assert slow == [200]


def test_a_write_answers_its_value(store_path: Path) -> None:
    store = Store.open(store_path)
    try:
        with running(store, update_token="t0ken", timeout=60) as server:
            request = Request(
                server.url,
                data=b"INSERT DATA { GRAPH <https://w3id.org/hilos/graph/user> "
                b"{ hid:x rdfs:label 'x' } }",
                method="POST",
                headers={
                    "Content-Type": "application/sparql-update",
                    "Authorization": "Bearer t0ken",
                },
            )
            try:
                with urlopen(request, timeout=60) as response:
                    status, body = response.status, response.read()
            except HTTPError as error:
                with error:
                    status, body = error.code, error.read()
    finally:
        store.close()
    assert status == 200, body
    assert isinstance(json.loads(body)["changed"], list)
