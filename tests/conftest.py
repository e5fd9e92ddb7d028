"""Shared fixtures: stores (in memory, and on disk as the command line uses them) and a runner,
and the third-party data beside the checkout (`../shared`: the report and the datasets).

Tests that read `../shared` skip, with a reason that names the missing folder, where it is not
beside the checkout (a bare `git clone`). CI has it and must run them all: with
`HILOS_REQUIRE_SHARED=1` (set by `.ci/run`) such a skip is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result

from hilos import resources
from hilos.cli.app import cli
from hilos.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REPORT = SHARED / "report" / "non-conventional-armed-violence-mexico.txt"
SHARED_SKIP = "needs ../shared/"
"""How the reason of every skip for missing third-party data starts (CI fails such skips)."""


def _missing(parts: tuple[str, ...]) -> str:
    return f"{SHARED_SKIP}{'/'.join(parts)}, which is not beside this checkout"


def shared(*parts: str) -> Path:
    """A file or folder of `../shared`; skips the calling test, saying so, when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(_missing(parts))
    return path


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Mark a test (or, as `pytestmark`, a module) that reads `../shared/<parts>`."""
    return pytest.mark.skipif(not SHARED.joinpath(*parts).exists(), reason=_missing(parts))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under `HILOS_REQUIRE_SHARED=1` (CI) a skip for missing `../shared` data is a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and os.environ.get("HILOS_REQUIRE_SHARED") == "1"):
        return
    reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
    if SHARED_SKIP in reason:
        report.outcome = "failed"
        report.longrepr = f"HILOS_REQUIRE_SHARED=1, but the test was skipped: {reason}"


@pytest.fixture(autouse=True)
def _no_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    # A store in use fails at once in tests instead of after the default wait.
    monkeypatch.setenv("HILOS_LOCK_TIMEOUT", "0")
    monkeypatch.delenv("HILOS_STORE", raising=False)
    for name in ("HILOS_ENDPOINT", "HILOS_UPDATE_ENDPOINT", "HILOS_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HILOS_ENDPOINT_USER", "HILOS_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def curated() -> rdflib.Graph:
    """The curated graph's files, read with rdflib (independently of hilos's store)."""
    graph = rdflib.Graph()
    for path in resources.curated_files():
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def ontology() -> rdflib.Graph:
    """The ontology file, read with rdflib."""
    return rdflib.Graph().parse(resources.ontology_file())


@pytest.fixture(scope="session")
def memory_store() -> Store:
    """One in-memory store with the ontology and curated graph, shared by read-only tests."""
    return Store.in_memory()


@pytest.fixture(scope="session")
def _template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "store"
    Store.open(path).close()
    return path


@pytest.fixture
def store_path(_template_store: Path, tmp_path: Path) -> Path:
    """A fresh on-disk store, initialised, that a test may change."""
    path = tmp_path / "store"
    shutil.copytree(_template_store, path)
    return path


class Hilos:
    """Runs `hilos --store PATH …` in-process and keeps stdout and stderr apart."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(
            cli, ["--store", str(self.store), *args], input=input, catch_exceptions=False
        )


@pytest.fixture
def hilos(store_path: Path) -> Iterator[Hilos]:
    yield Hilos(store_path)
