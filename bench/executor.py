"""How much does a small query cost through `hilos.run_query`: the engine's executor against the
path it replaced, side by side in one process.

Before (kept here as it was): each query ran on a fresh thread with a 64 MB stack, the caller's
garbage frozen and the thread's collected, and its solutions were written as SPARQL JSON by the
engine and parsed back to cross threads. After: the query is handed to the executor's
long-lived worker and its rows cross as Python objects.

Each round runs `--queries` queries of `entity-sources` (its entity bound, cycling through
`--entities` names) by each path, alternating which goes first; the medians of the rounds are
compared, and the answers of both paths checked equal. Usage:

    nice -n 10 python bench/executor.py [--queries 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pyoxigraph as ox

import hilos
import hilos.executor
from hilos.executor import start_with_large_stack
from hilos.sparql.library import QueryDef, bind_parameters, find_query, library
from hilos.store import Store

T = TypeVar("T")

ENTITIES = ["Zetas", "Sinaloa cartel", "Guerreros Unidos", "José Luis Abarca", "Mexico"]


def on_large_stack(call: Callable[[], T]) -> T:
    """The old path's thread: `hilos.sparql.lexer.on_large_stack` as it was."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:
            exc.__context__ = exc.__cause__ = None
            failure.append(exc.with_traceback(None))
        finally:
            gc.collect()

    gc.freeze()
    try:
        thread = threading.Thread(target=work, name="hilos-query")
        start_with_large_stack(thread)
        thread.join()
    finally:
        gc.unfreeze()
    if failure:
        raise failure[0]
    return outcome[0]


def old_run(store: Store, query: QueryDef, params: Mapping[str, str]) -> list[dict[str, Any]]:
    """The rows of a SELECT as the old `hilos.sparql.library.run` made them: JSON written by the
    engine in the query's thread, parsed back in it, the parsed rows handed over."""

    def run() -> list[dict[str, Any]]:
        bindings = bind_parameters(store, query, params)
        shipped = any(q.name == query.name and q.text == query.text for q in library())
        answer = store.query(query.text, bindings=bindings, ontology=shipped)
        assert isinstance(answer, ox.QuerySolutions)
        payload = answer.serialize(format=ox.QueryResultsFormat.JSON) or b""
        parsed = ox.parse_query_results(payload, ox.QueryResultsFormat.JSON)
        names = [v.value for v in parsed.variables]  # type: ignore[union-attr]
        return [{n: s[n] for n in names} for s in parsed]  # type: ignore[union-attr]

    return on_large_stack(run)


def executor_only(store: Store, query: QueryDef, params: Mapping[str, str]) -> list[dict[str, Any]]:
    """The executor and rows made straight from the solutions, but the library still read
    whole to tell whether the query is one of it (as the old path did): the executor's share."""

    def run() -> list[dict[str, Any]]:
        bindings = bind_parameters(store, query, params)
        shipped = any(q.name == query.name and q.text == query.text for q in library())
        answer = store.query(query.text, bindings=bindings, ontology=shipped)
        assert isinstance(answer, ox.QuerySolutions)
        names = [v.value for v in answer.variables]
        return [{n: s[n] for n in names} for s in answer]

    return hilos.executor.call(run)


def new_run(store: Store, query: QueryDef, params: Mapping[str, str]) -> list[dict[str, Any]]:
    return hilos.run_query(store, query, params).rows


def timed(
    run: Callable[..., list[dict[str, Any]]], store: Store, query: QueryDef, n: int
) -> tuple[float, float]:
    """Wall-clock and processor seconds (of every thread of this process) for `n` queries."""
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        run(store, query, {"entity": ENTITIES[i % len(ENTITIES)]})
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    store = hilos.open_store(":memory:")
    query = find_query("entity-sources")
    paths: dict[str, Callable[..., list[dict[str, Any]]]] = {
        "before": old_run,
        "executor_only": executor_only,
        "after": new_run,
    }
    for name in ENTITIES:  # the same answers by every path, and each warmed up
        answers = [run(store, query, {"entity": name}) for run in paths.values()]
        if any(answer != answers[0] for answer in answers):
            raise SystemExit(f"the paths disagree on {name}")
    threads = threading.active_count()
    results: dict[str, list[tuple[float, float]]] = {label: [] for label in paths}
    for round_number in range(args.rounds):
        order = list(paths.items())
        for label, run in order if round_number % 2 == 0 else reversed(order):
            results[label].append(timed(run, store, query, args.queries))
    report: dict[str, Any] = {"queries": args.queries, "rounds": args.rounds}
    for kind, index in (("wall", 0), ("cpu", 1)):
        medians = {
            label: statistics.median(times[index] for times in rounds)
            for label, rounds in results.items()
        }
        for label, seconds in medians.items():
            report[f"{kind}: {label} ms/query"] = round(1000 * seconds / args.queries, 3)
        for label, seconds in medians.items():
            report[f"{kind}: {label} speed-up"] = round(medians["before"] / seconds, 2)
    report["threads_before_and_after"] = [threads, threading.active_count()]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
