"""A few cases in real processes, each with a time limit: what the shell hands over (bytes
that are not UTF-8 in arguments and on standard input), files that once made hilos hang, and
Ctrl-C in the middle of a load. One line on stderr, a documented exit code, never a hang."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .support import graph_counts, hilos_command
from .test_concurrency import holding
from .test_crash import big_ntriples, command
from .test_fuzz_rdf import BOMB, nested_rdfxml

pytestmark = pytest.mark.slow

ENV = os.environ | {"LC_ALL": "C.UTF-8", "HILOS_LOCK_TIMEOUT": "10"}


def run(
    store: Path, *args: str | bytes, input: bytes | None = None, seconds: float = 30
) -> tuple[int, str]:
    """`hilos --store STORE ARGS` in a new process: its exit code and its stderr, which must
    be one line when it failed, and free of tracebacks."""
    finished = subprocess.run(
        [*hilos_command(), "--store", str(store), *args],
        input=input,
        capture_output=True,
        env=ENV,
        timeout=seconds,
    )
    error = finished.stderr.decode("utf-8", "replace")
    assert "Traceback" not in error and "Error: unexpected" not in error, error
    if finished.returncode != 0:
        assert len([line for line in error.splitlines() if line.strip()]) == 1, error
    return finished.returncode, error


@pytest.mark.parametrize(
    "args",
    [
        (b"search", b"\xff\xfe"),
        (b"show", b"Zetas\xff"),
        (b"query", b"ties-by-status", b"--param", b"status=\xe9"),
        (b"query", b"entity-sources", b"--param", b"entity=Cher\xe1n"),
        (b"paths", b"Abarca", b"\xffZetas"),
        (b"import", b"csv", b"no-such-\xf1.csv"),
        (b"export", b"html", b"/no/such/folder/p\xe1gina.html"),
    ],
    ids=lambda args: b" ".join(args[:2]).decode("ascii", "replace"),
)
def test_arguments_that_are_not_utf8(store_path: Path, args: tuple[bytes, ...]) -> None:
    code, _ = run(store_path, *args)
    assert code in (0, 1, 2)


def test_standard_input_that_is_not_utf8(store_path: Path) -> None:
    code, error = run(
        store_path, "query", "-", input=b'SELECT ?x WHERE { ?x rdfs:label "Cher\xe1n" }'
    )
    assert code == 2 and "not UTF-8" in error


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bomb.rdf", BOMB),
        ("deep.rdf", nested_rdfxml(50_000)),
        ("sniff.csv", (", '" * 22_000 + "\n").encode()),
        ("long-line.csv", b"from,to\n" + b"a" * 20_000_000 + b",b\n"),
        ("long-cell.csv", b"from,to\n" + b"a" * 200_000 + b",b\n"),
        ("long-literal.nt", b'<http://e.org/s> <http://e.org/p> "' + b"a" * 17_000_000 + b'" .\n'),
    ],
)
def test_files_that_once_took_minutes_fail_in_seconds(
    store_path: Path, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    verb = ("import", "csv") if name.endswith(".csv") else ("load",)
    started = time.monotonic()
    code, error = run(store_path, *verb, str(path), seconds=20)
    assert code == 2 and error.count("\n") == 1 and name in error, error
    assert time.monotonic() - started < 15


def test_ctrl_c_during_a_load_leaves_all_or_nothing(store_path: Path, tmp_path: Path) -> None:
    """Ctrl-C at moments measured from when the load has the store (before that, Python is
    still starting, and no program can answer Ctrl-C in one line)."""
    data = big_ntriples(tmp_path / "data.nt", 30_000)

    def load(name: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [*command(10_000), "--store", str(store_path), "load", str(data), "--graph", name],
            stderr=subprocess.PIPE,
            env=ENV,
        )
        holding(store_path, process)
        return process

    process = load("whole")
    started = time.monotonic()
    process.communicate(timeout=120)
    duration = time.monotonic() - started
    whole = graph_counts(store_path)["whole"]
    interrupted = 0
    for fraction in (0.3, 0.7):
        with load("cut") as process:
            time.sleep(duration * fraction)
            process.send_signal(signal.SIGINT)
            _, error = process.communicate(timeout=120)
        text = error.decode()
        assert "Traceback" not in text, text
        lines = [line for line in text.splitlines() if line.strip() and line.strip() != "Loading"]
        if process.returncode != 0:
            interrupted += 1
            # Cancelled (130); or the load was done and Ctrl-C came as the store was closing
            # (1, "Aborted.") or as Python was exiting (killed by SIGINT, nothing said).
            said = {130: ["Interrupted."], 1: ["Aborted."], -signal.SIGINT: []}
            assert said.get(process.returncode) == lines, (process.returncode, text)
        counts = graph_counts(store_path)
        assert counts.get("cut") in (None, whole), counts.get("cut")
        if "cut" in counts:
            run(store_path, "drop", "cut")
        assert set(graph_counts(store_path)) == set(counts) - {"cut"}
    assert interrupted, "no Ctrl-C came before the end of the load"
