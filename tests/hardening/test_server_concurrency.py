"""`hilos serve` under fifty concurrent clients for a few seconds: cheap queries, explorer
calls and a few slow requests. Every request is answered (200, or 500 "result too large" or
503 as documented), none is dropped or left hanging, and the server answers promptly once they
stop."""

from __future__ import annotations

import threading
import time
from collections import Counter

from hilos.store import Store
from support import running

from .server_client import TOO_LARGE, Answer, assert_documented, call, port_of

CLIENTS = 50
SECONDS = 6.0

CHEAP: list[tuple[str, dict[str, str]]] = [
    ("/sparql", {"query": "SELECT ?l WHERE { hid:zetas rdfs:label ?l } LIMIT 5"}),
    ("/sparql", {"query": "ASK { hid:zetas a ?type }"}),
    ("/sparql", {"query": "CONSTRUCT WHERE { hid:zetas ?p ?o } LIMIT 5"}),
    ("/api/search", {"q": "zetas"}),
    ("/api/search", {"q": "Cherán", "lang": "es"}),
    ("/api/entity", {"id": "hid:zetas"}),
    ("/api/queries", {}),
    ("/api/query", {"name": "ties-by-status", "param.status": "refuted"}),
]
SLOW: list[tuple[str, dict[str, str]]] = [
    ("/ego", {"id": "hid:zetas", "hops": "4"}),  # a page built over the whole network
    ("/sparql", {"query": "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}),  # over max-results
    ("/api/paths", {"from": "Abarca", "to": "hid:guerreros-unidos", "max-hops": "8"}),
]
SLOW_CLIENTS = 3


def test_fifty_clients_are_all_answered(memory_store: Store) -> None:
    outcomes: list[tuple[bool, Answer, float]] = []
    failures: list[str] = []
    lock = threading.Lock()
    with running(memory_store, timeout=2.0, max_results=20_000) as server:
        port = port_of(server)
        stop = time.monotonic() + SECONDS

        def client(index: int) -> None:
            requests = SLOW if index < SLOW_CLIENTS else CHEAP
            turn = index
            while time.monotonic() < stop:
                path, params = requests[turn % len(requests)]
                turn += 1
                started = time.monotonic()
                try:
                    answer = call(port, "GET", path, params, timeout=20)
                    assert_documented(answer)
                except (AssertionError, OSError) as exc:
                    with lock:
                        failures.append(f"{path} {params}: {type(exc).__name__}: {exc}")
                    continue
                with lock:
                    outcomes.append((requests is SLOW, answer, time.monotonic() - started))

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(SECONDS + 30)
        assert not any(thread.is_alive() for thread in threads), "a client was left hanging"
        assert failures == [], failures[:5]

        cheap = Counter(answer.status for slow, answer, _ in outcomes if not slow)
        slow = Counter(answer.status for slow, answer, _ in outcomes if slow)
        assert set(cheap) <= {200, 503} and set(slow) <= {200, 404, TOO_LARGE, 503}, (cheap, slow)
        assert cheap[200] >= 100 and cheap[200] >= 3 * cheap[503], (cheap, slow)
        for _, answer, _ in outcomes:
            if answer.status == 503:
                assert "timed out" in answer.text or "busy" in answer.text, answer
        # No answer took much longer than the timeout (a wait for a worker included).
        assert max(seconds for _, _, seconds in outcomes) < 2.0 + 5.0

        # Once the clients stop and the work they left behind ends, a fresh query is answered
        # at once.
        deadline = time.monotonic() + 20
        while server.running_workers and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        answer = call(port, "GET", "/sparql", {"query": "ASK { hid:zetas a ?type }"})
        assert answer.status == 200 and time.monotonic() - started < 1.5
