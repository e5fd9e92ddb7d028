"""Concurrent use: two writers at once, and readers during a write.

The embedded store is one process at a time: a second hilos process waits up to
`HILOS_LOCK_TIMEOUT` seconds, then says in one line that the store is in use. What a reader
can see during a write — a read-only snapshot of the database from another process, or a query
from another thread of the writing process — is the state before the load or after it, never a
graph half there.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from hilos.store import Store

from .support import assert_clean, graph_counts, held, hilos_command
from .test_crash import big_ntriples

pytestmark = pytest.mark.slow

STATEMENTS = 30_000
COUNT_VISIBLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def snapshot(store: Path) -> ox.Store:
    """A read-only view of the store. RocksDB opens one while another process writes, but may
    fail when the writer has just compacted away a file the view was about to read: that is a
    refusal, not a wrong view, and opening again works."""
    for _ in range(100):
        try:
            return ox.Store.read_only(str(store))
        except (OSError, RuntimeError) as exc:
            if "No such file" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("no read-only view of the store could be opened")


def quads(store: Path) -> int:
    database = snapshot(store)
    try:
        return len(database)
    finally:
        del database


# A load that has written everything and waits, before the transaction that makes it
# visible, until a file appears: loads are too quick to be caught midway by chance.
PAUSED_LOAD = """
import os, time
import hilos.store
commit = hilos.store.Store._commit_load
def paused(*args, **kwargs):
    while not os.path.exists(os.environ["HILOS_TEST_RESUME"]):
        time.sleep(0.02)
    return commit(*args, **kwargs)
hilos.store.Store._commit_load = paused
from hilos.cli import main
main()
"""


def start_load(
    store: Path, data: Path, name: str, timeout: str, *, resume: Path | None = None
) -> subprocess.Popen[str]:
    """A load in another process; with `resume`, one that waits before it commits until that
    file exists."""
    command = hilos_command() if resume is None else [sys.executable, "-c", PAUSED_LOAD]
    extra = {} if resume is None else {"HILOS_TEST_RESUME": str(resume)}
    return subprocess.Popen(
        [*command, "--store", str(store), "load", str(data), "--graph", name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"HILOS_LOCK_TIMEOUT": timeout} | extra,
    )


def locked(store: Path) -> bool:
    """Whether another process holds the store's lock (RocksDB's fcntl lock on LOCK), tested
    by trying to take it and, if that works, giving it back at once."""
    with (store / "LOCK").open("a") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(handle, fcntl.LOCK_UN)
        return False


def holding(store: Path, process: subprocess.Popen[Any]) -> None:
    """Wait until `process` has opened the store (and holds its lock)."""
    deadline = time.monotonic() + 60
    while not locked(store):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the load never opened the store"
        time.sleep(0.01)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return big_ntriples(tmp_path / "data.nt", STATEMENTS)


def test_a_second_writer_is_told_the_store_is_in_use(store_path: Path, data: Path) -> None:
    resume = data.with_name("resume")
    with start_load(store_path, data, "first", "30", resume=resume) as first:
        holding(store_path, first)
        second, reader = refused_while(store_path, data)
        resume.touch()
        _, error = first.communicate(timeout=120)
    assert first.returncode == 0, error
    for refused in (second, reader):
        lines = refused.stderr.strip().splitlines()
        assert refused.returncode == 2 and len(lines) == 1, refused.stderr
        assert "in use by another hilos process" in lines[0]
    counts = graph_counts(store_path)
    assert "second" not in counts
    assert counts["first"][:2] == (STATEMENTS, STATEMENTS)


def refused_while(
    store_path: Path, data: Path
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """A second load and a search, run while another process writes."""
    second = subprocess.run(
        [*hilos_command(), "--store", str(store_path), "load", str(data), "--graph", "second"],
        capture_output=True,
        text=True,
        env=os.environ | {"HILOS_LOCK_TIMEOUT": "0"},
        timeout=60,
    )
    reader = subprocess.run(
        [*hilos_command(), "--store", str(store_path), "search", "zetas"],
        capture_output=True,
        text=True,
        env=os.environ | {"HILOS_LOCK_TIMEOUT": "0"},
        timeout=60,
    )
    return second, reader


def test_a_second_writer_waits_its_turn(store_path: Path, data: Path) -> None:
    with start_load(store_path, data, "first", "30") as first:
        holding(store_path, first)
        with start_load(store_path, data, "second", "120") as second:
            for process in (first, second):
                _, error = process.communicate(timeout=180)
                assert process.returncode == 0, error
    counts = graph_counts(store_path)
    assert counts["first"] == counts["second"]
    assert counts["first"][:2] == (STATEMENTS, STATEMENTS)


def registry_state(database: ox.Store, path: Path) -> tuple[tuple[str, int, int], ...]:
    """The registered graphs of a snapshot with their counts, each checked against what the
    snapshot holds."""
    seen = []
    for info in Store(database, path).graphs():
        for iri, count in ((info.iri, info.triples), (info.inferred_iri, info.inferred_triples)):
            holds = held(database, iri)
            assert holds == count, (info.name, iri, holds, count)
        seen.append((info.name, info.triples, info.inferred_triples))
    return tuple(seen)


def test_a_reader_in_another_process_sees_before_or_after(store_path: Path, data: Path) -> None:
    """Read-only snapshots of the database (what a backup tool or a second reader could open
    while hilos writes) hold the registry before the load or after it, and every graph the
    registry names holds what it says."""
    initial = snapshot(store_path)
    before = registry_state(initial, store_path)
    del initial
    seen = set()
    resume = data.with_name("resume")
    with start_load(store_path, data, "fresh", "0", resume=resume) as load:
        holding(store_path, load)
        started = time.monotonic()
        while load.poll() is None:
            view = snapshot(store_path)
            try:
                seen.add(registry_state(view, store_path))
            finally:
                del view
            if time.monotonic() - started > 1 and not resume.exists():
                resume.touch()  # a second of views of the paused load, then views as it ends
            time.sleep(0.05)
        _, error = load.communicate()
    assert load.returncode == 0, error
    final = snapshot(store_path)
    after = registry_state(final, store_path)
    del final
    assert seen <= {before, after}, seen - {before, after}
    assert before in seen


def test_a_query_in_another_thread_sees_before_or_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Threads sharing one store: while one loads (by the bulk loader), another keeps
    counting what queries see; every count is the count before the load or after it."""
    monkeypatch.setattr("hilos.store.BULK_THRESHOLD", 10_000)
    data = big_ntriples(tmp_path / "data.nt", 30_000)
    store = Store.in_memory()

    def visible() -> int:
        answer = store.query(COUNT_VISIBLE)
        assert isinstance(answer, ox.QuerySolutions)
        return int(next(iter(answer))["n"].value)

    before = visible()
    counts: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                counts.append(visible())
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        store.load(data, name="fresh")
    finally:
        done.set()
        reader.join()
    assert failures == []
    store._registry_cache = None  # see test_a_thread_never_keeps_a_stale_registry
    after = visible()
    assert after > before
    assert set(counts) <= {before, after}, sorted(set(counts) - {before, after})[:5]
    assert counts.count(before) > 0


def test_a_thread_never_keeps_a_stale_registry(tmp_path: Path) -> None:
    data = tmp_path / "small.nt"
    data.write_text('<https://example.org/a> <https://example.org/p> "x" .\n', encoding="utf-8")
    store = Store.in_memory()
    store._registry_cache = None
    read_registry = store._read_registry
    has_read = threading.Event()
    may_return = threading.Event()

    def slow_read() -> list:  # type: ignore[type-arg]
        infos = read_registry()
        if threading.current_thread().name == "reader":
            has_read.set()
            may_return.wait(10)
        return infos

    store._read_registry = slow_read  # type: ignore[method-assign]
    reader = threading.Thread(target=store.graphs, name="reader")
    reader.start()
    assert has_read.wait(10)
    store.load(data, name="fresh")  # commits, and resets the cache
    may_return.set()
    reader.join()
    assert "fresh" in [info.name for info in store.graphs()]


def test_clean_one_line_for_a_store_in_use_in_process(store_path: Path) -> None:
    """The lock message is one line from the command line too (no traceback)."""
    from .support import hilos

    holder = ox.Store(str(store_path))
    try:
        result = hilos(store_path, "graphs")
        assert_clean(result, (2,))
        assert "in use" in result.stderr
    finally:
        del holder
