"""The layers contract: interfaces on top, the store and the basics at the bottom, nothing
imports upward (`[tool.importlinter]` in pyproject.toml, also run by `make test`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from importlinter.application.use_cases import lint_imports
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"


def _layers() -> list[str]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = config["contracts"]
    layers: list[str] = contract["layers"]
    return layers


def _check(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[bool, str]:
    configure()  # what the `lint-imports` command does first: the readers of its config
    kept = lint_imports(config_filename=str(config), cache_dir=None, no_logo=True)
    return kept, capsys.readouterr().out


def test_the_package_keeps_its_layers(capsys: pytest.CaptureFixture[str]) -> None:
    kept, report = _check(PYPROJECT, capsys)
    assert kept, report


def test_the_contract_names_every_module_of_the_package() -> None:
    """A new top-level module or package must be given its layer, or nothing checks it."""
    named = {module.strip() for layer in _layers() for module in layer.split("|") if module.strip()}
    package = ROOT / "src" / "hilos"
    found = {f"hilos.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    found |= {f"hilos.{p.parent.name}" for p in package.glob("*/__init__.py")}
    # `hilos.sparql` holds its library and its lexer in two layers; its own module only reads
    # the `.rq` files beside it and imports nothing of hilos.
    found.discard("hilos.sparql")
    covered = {m for m in found if any(m == n or n.startswith(m + ".") for n in named)}
    assert found - covered == set()


def test_an_upward_import_breaks_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same check fails when the order is wrong: with the store put above the command line,
    every command that opens a store is an upward import."""
    layers = _layers()
    swapped = ["hilos.store", *[layer for layer in layers if layer != "hilos.store"]]
    listed = ",\n".join(f'    "{layer}"' for layer in swapped)
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "hilos"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "upside down"\ntype = "layers"\n'
        f"layers = [\n{listed},\n]\n",
        encoding="utf-8",
    )
    kept, report = _check(config, capsys)
    assert not kept
    assert "hilos.cli" in report and "hilos.store" in report
