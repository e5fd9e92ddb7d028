"""Shared fixtures: stores (in memory, and on disk as the command line uses them) and a runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hilos.cli.app import cli
from hilos.store import Store

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO.parent / "shared" / "report" / "non-conventional-armed-violence-mexico.txt"


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
