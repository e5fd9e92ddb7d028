"""`hilos query` with a query deep or long enough to exhaust the engine's stack: a one-line
error, never a crashed process. Run in a child process, so a regression fails the test instead
of taking pytest down with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def hilos(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from hilos.cli import main; main()", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * {" + "{" * 5000 + "}" * 5001, "brackets deep"),
        ("SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 3000) + " }", "too long"),
        ("SELECT * { FILTER(" + "(" * 4000 + "1" + ")" * 4000 + ") }", "brackets deep"),
    ],
    ids=["nested-groups", "long-union", "nested-expression"],
)
def test_a_query_that_would_exhaust_the_stack_is_refused(
    store_path: Path, tmp_path: Path, text: str, reason: str
) -> None:
    query = tmp_path / "deep.rq"
    query.write_text(text)
    done = hilos(store_path, "query", str(query))
    assert done.returncode == 2, done.stderr
    assert reason in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_query_within_the_limits_runs_on_its_large_stack(
    store_path: Path, tmp_path: Path
) -> None:
    query = tmp_path / "nested.rq"
    query.write_text("ASK {" + "{" * 100 + " ?s a ?c " + "}" * 101)
    done = hilos(store_path, "query", str(query), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"boolean":true' in done.stdout.replace(" ", "")
