"""The wheel carries the ontology, the curated graph, the query library, the vendored
vis-network and `py.typed`: build it, install it into a fresh virtual environment, and use it from
there on an empty machine. The version is written once, in pyproject.toml."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

import hilos
from hilos.cli.app import cli

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION = PROJECT["version"]
VIS = "hilos/export/vendor/vis-network/"


def test_the_version_is_written_once_in_pyproject() -> None:
    assert hilos.__version__ == metadata.version("hilos") == VERSION
    source = (REPO / "src" / "hilos" / "__init__.py").read_text(encoding="utf-8")
    assert not re.search(r"__version__\s*=\s*['\"]", source), "no second, written version"
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.strip().endswith(f"version {VERSION}")


def test_pyvis_is_not_a_dependency() -> None:
    """The page's vis-network is vendored; only the benchmarks use pyvis (the test extra)."""

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}

    assert "pyvis" not in names(PROJECT["dependencies"])
    assert "pyvis" in names(PROJECT["optional-dependencies"]["test"])


@pytest.mark.slow
def test_the_installed_wheel_works_on_its_own(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("hilos-*.whl")
    assert wheel.name.startswith(f"hilos-{VERSION}-")
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
    assert "hilos/py.typed" in inside
    # the helpers and styles the explorer and the page share, and the store's own queries
    assert {"hilos/webshared/common.js", "hilos/webshared/common.css"} <= inside
    internal = {f"hilos/sparql/{p.name}" for p in (REPO / "src/hilos/sparql").glob("*.rq")}
    assert internal <= inside
    vendored = {p.name for p in (REPO / "src" / VIS).iterdir()}
    assert {VIS + name for name in vendored} <= inside
    assert {"vis-network.min.js", "LICENSE-MIT", "LICENSE-APACHE-2.0"} <= vendored
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Run from elsewhere, with a new store, so nothing of the checkout can be used by accident.
    environment = {
        **os.environ,
        "HILOS_STORE": str(tmp_path / "store"),
        "PYTHONPATH": "",
    }
    hilos = env_dir / "bin" / "hilos"
    queries = subprocess.run(
        [str(hilos), "queries", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    )
    shipped = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
    assert sorted(q["name"] for q in json.loads(queries.stdout)) == shipped

    search = subprocess.run(
        [str(hilos), "search", "Iguala", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    )
    ids = [hit["id"] for hit in json.loads(search.stdout)]
    assert "https://w3id.org/hilos/id/iguala-municipal-police" in ids

    page = tmp_path / "network.html"
    subprocess.run(
        [str(hilos), "export", "html", str(page)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    )
    text = page.read_text(encoding="utf-8")
    assert "vis-network" in text and "Guerreros Unidos" in text
    # ... with the vendored vis-network, in an environment without pyvis
    assert (REPO / "src" / VIS / "vis-network.min.js").read_text(encoding="utf-8") in text
    no_pyvis = subprocess.run(
        [str(python), "-c", "import pyvis"], capture_output=True, cwd=tmp_path, env=environment
    )
    assert no_pyvis.returncode != 0

    version = subprocess.run(
        [str(hilos), "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    )
    assert version.stdout.strip() == f"hilos, version {VERSION}"

    where = subprocess.run(
        [str(python), "-c", "import hilos.resources as r; print(r.ontology_file())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    )
    assert str(env_dir) in where.stdout
