"""Where the ontology, the curated graph and the query library live.

In a wheel they are shipped inside the package (`hilos/_data/…`); in a source checkout they are
the top-level folders of the repository.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

_FOLDERS = ("ontology", "graph", "queries")


def data_dir(name: str) -> Path:
    """The folder holding the shipped `ontology`, `graph` or `queries`."""
    if name not in _FOLDERS:
        raise ValueError(f"unknown data folder {name!r}")
    packaged = Path(str(resources.files("hilos"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"hilos is installed without its {name}/ folder")


def ontology_file() -> Path:
    return data_dir("ontology") / "hilos.ttl"


def shapes_file() -> Path:
    return data_dir("ontology") / "shapes.ttl"


def curated_files() -> list[Path]:
    """The Turtle files of the curated graph, in a stable order."""
    return sorted(data_dir("graph").glob("*.ttl"))


def bundle_digest() -> str:
    """A digest of the shipped ontology and curated graph: changes when either changes."""
    digest = hashlib.sha256()
    for path in [ontology_file(), *curated_files()]:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes in hex, read a MiB at a time: the one helper for imports,
    the store's loaded-file records and change logs (an unreadable file raises `OSError`)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
