"""The wheel carries the ontology, the curated graph and the query library: build it, install it
into a fresh virtual environment, and use it from there on an empty machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_installed_wheel_works_on_its_own(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("hilos-*.whl")
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

    where = subprocess.run(
        [str(python), "-c", "import hilos.resources as r; print(r.ontology_file())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
    )
    assert str(env_dir) in where.stdout
