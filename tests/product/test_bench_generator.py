"""The benchmark's network generator (bench/generate.py): seeded, in the curated graph's shape,
answered by the library queries."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from hilos.network.paths import find_paths_in_store
from hilos.network.projection import Filters, project
from hilos.sparql.library import find_query, library, run
from hilos.store import Store

BENCH = Path(__file__).resolve().parents[2] / "bench"
ENTITIES = 1_500


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _generator()


def _text(entities: int, seed: int) -> tuple[str, object]:
    out = io.StringIO()
    summary = generate.Generator(entities, seed).run(out)
    return out.getvalue(), summary


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    path = tmp_path_factory.mktemp("bench") / "network.nt"
    summary = generate.generate(ENTITIES, path, seed=7)
    return path, summary


@pytest.fixture(scope="module")
def store(network: tuple[Path, object]) -> Store:
    loaded = Store.in_memory()
    loaded.load(network[0], name="synthetic")
    return loaded


def test_the_same_seed_gives_the_same_file_and_another_seed_another() -> None:
    first, _ = _text(500, 3)
    again, _ = _text(500, 3)
    other, _ = _text(500, 4)
    digest = hashlib.sha256(first.encode()).hexdigest()
    assert digest == hashlib.sha256(again.encode()).hexdigest()
    assert first != other


def test_about_ten_triples_per_entity_and_the_spheres_in_proportion(
    network: tuple[Path, object],
) -> None:
    path, summary = network
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary.triples  # type: ignore[attr-defined]
    assert 9 <= len(lines) / ENTITIES <= 12
    spheres = summary.spheres  # type: ignore[attr-defined]
    actors = sum(spheres.values())
    for sphere, share in generate.SPHERES.items():
        assert abs(spheres[sphere] / actors - share) < 0.05, sphere


def test_ties_have_the_curated_shape(network: tuple[Path, object]) -> None:
    path, _ = network
    by_tie: dict[str, Counter[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        subject, predicate, _ = line.split(" ", 2)
        if "/tie/" in subject:
            by_tie.setdefault(subject, Counter())[predicate.rsplit("#", 1)[-1].rstrip(">")] += 1
    for counts in by_tie.values():
        for required in ("type", "from", "to", "status", "wasDerivedFrom", "quote"):
            assert counts[required] >= 1
        assert counts["from"] == counts["to"] == counts["status"] == 1
    assert any(c["confidence"] for c in by_tie.values())
    assert any(c["start"] and c["end"] for c in by_tie.values())


def test_the_store_reads_it_and_every_library_query_answers(
    store: Store, network: tuple[Path, object]
) -> None:
    params = network[1].params["query"]  # type: ignore[attr-defined]
    for query in library():
        values = {p.name: params[p.name] for p in query.parameters if p.required}
        assert run(store, query, values).rows, query.name
    counts = run(store, find_query("tie-counts-by-status"))
    assert {row["status"].value.rsplit("#", 1)[1] for row in counts.rows} >= {
        "Reported",
        "Alleged",
        "Confirmed",
    }


def test_one_connected_network_with_hubs_and_paths_between_the_chosen_ends(
    store: Store, network: tuple[Path, object]
) -> None:
    context = ("place", "market")
    graph = project(store, Filters(graphs=("synthetic",), include=context)).graph
    degrees = sorted((d for _, d in graph.degree()), reverse=True)
    assert degrees[0] >= 10 * (sum(degrees) / len(degrees))  # heavy-tailed
    kinds = Counter(data["kind"] for _, data in graph.nodes(data=True))
    assert kinds["place"] and kinds["market"] and kinds["person"] and kinds["organisation"]
    for a, b in network[1].params["paths"]:  # type: ignore[attr-defined]
        assert find_paths_in_store(store, Filters(include=context), a, b)
