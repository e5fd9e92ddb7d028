"""The page's data, as it is written after its speed-up (issue 17: a 20,000-node page written in
columns, in bulk): the same as the store says, read here independently of the exporter.

- The nodes and ties of the page are the projection's, with its attributes; each tie's sources,
  quotes, locators, markets, wording and periods are the store's statements of the tie, read
  here with one SPARQL query per property; the sizes are the degree centrality's.
- The layout's routines written as columns (the fanning out of leaves, Pivot MDS's distances,
  the footprints of labels) give the positions the routines written one node at a time gave:
  those are kept here as the reference.
- The JSON block is what `json.dumps` writes, read back; a number that is not finite fails
  with one line naming the tie, and no file is left behind.

Both ways of reading the store are checked: statement lookups (a few ties) and whole
properties saved beside the store (many ties, `_LOOKUPS = 0`).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
import rustworkx as rx

from hilos.errors import BadInput
from hilos.export import html as html_export
from hilos.export import layout
from hilos.export.html import export_html, page_data, page_rows, script_json
from hilos.network.centrality import centrality
from hilos.network.projection import Filters, project
from hilos.store import Store, solutions
from hilos.vocab import CONTEXT_KINDS
from support import bench_generator

PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
HILOS = "https://w3id.org/hilos/ontology#"


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A generated network of 1,500 entities (bench/generate.py), on disk, so that what the
    page reads whole is saved beside it."""
    folder = tmp_path_factory.mktemp("generated")
    generator = bench_generator("generate_for_page_data")
    generator.generate(1_500, folder / "net.nt", seed=3, ties_per_actor=2.0)
    with Store.open(folder / "store") as store:
        store.load(folder / "net.nt", name="generated")
        yield store


@pytest.fixture(params=["curated", "generated"])
def store(request: pytest.FixtureRequest, memory_store: Store) -> Store:
    if request.param == "curated":
        return memory_store
    found: Store = request.getfixturevalue("generated_store")
    return found


@pytest.fixture(params=["looked up", "read whole"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "read whole":
        monkeypatch.setattr(html_export, "_LOOKUPS", 0)
    return str(request.param)


def statements(store: Store, prop: str) -> dict[str, list[str]]:
    """Every value of `prop`, by subject: one query, independent of the page's reading."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in solutions(store.query(f"SELECT ?s ?o WHERE {{ ?s <{prop}> ?o }}")):
        found[row["s"].value].append(row["o"].value)
    return found


# ------------------------------------------------------------------- the data is the store's


def test_the_nodes_are_the_projections(store: Store, reading: str) -> None:
    rows = page_rows(page_data(store, Filters(directed=False), size_by="degree"))
    projection = project(store, Filters(directed=False))
    graph = projection.graph
    actors = [n for n in rows["nodes"] if not n["layer"]]
    assert {n["id"] for n in actors} == set(graph.nodes)
    scores = {r.id: r.score for r in centrality(projection.analysis_graph(), "degree").ranking}
    top = max(scores.values())
    for node in actors:
        attributes = graph.nodes[node["id"]]
        assert node["label"] == attributes["label"]
        assert node["sphere"] == (attributes.get("sphere") or None)
        assert node["kind"] == (attributes.get("kind") or "other")
        score = scores[node["id"]]
        assert node["score"] == float(f"{score:.6g}")
        share = (score / top) ** 0.5
        assert (node["size"], node["font"]) == (round(8 + 30 * share, 2), round(11 + 8 * share, 1))
    context = [n for n in rows["nodes"] if n["layer"]]
    assert all(n["kind"] in CONTEXT_KINDS for n in context)


def test_the_ties_are_the_projections_with_the_stores_evidence(store: Store, reading: str) -> None:
    rows = page_rows(page_data(store, Filters(directed=False)))
    graph = project(store, Filters(directed=False)).graph
    ids = [n["id"] for n in rows["nodes"]]
    sources, quotes, locators = (
        statements(store, p) for p in (PROV_DERIVED, HILOS + "quote", HILOS + "locator")
    )
    markets, texts = statements(store, HILOS + "market"), statements(store, HILOS + "relationText")
    citations = statements(store, HILOS + "citation")
    shown = 0
    for tie in rows["ties"]:
        u, v = ids[tie["from"]], ids[tie["to"]]
        if graph.has_edge(u, v, tie["id"]):
            shown += 1
            edge = graph.edges[u, v, tie["id"]]
            for name in ("relation", "status", "confidence", "score", "start", "end"):
                assert tie[name] == edge[name], (tie["id"], name)
        cited = sorted(set(sources[tie["id"]]), key=lambda s: (s.endswith("/report"), s))
        assert [rows["sources"][i]["id"] for i in tie["sources"]] == cited
        for found, read in ((tie["quotes"], quotes), (tie["locators"], locators)):
            # each value once, in the order the store gives them; only with a source
            assert found == (list(dict.fromkeys(read[tie["id"]])) if cited else [])
        assert len(tie["markets"]) == len(set(markets[tie["id"]]))
        assert tie["text"] == list(dict.fromkeys(texts[tie["id"]]))
    assert shown == graph.number_of_edges() > 0
    for source in rows["sources"]:
        assert source["citation"] in citations.get(source["id"], [])


# ------------------------------------------------ the layout as columns, the old one as reference


def untangle_one_by_one(graph: rx.PyGraph, points: np.ndarray, seed: int) -> np.ndarray:
    """`layout._untangle` as it was written before, one node at a time (the reference)."""
    n = graph.num_nodes()
    step = 1.0 / math.sqrt(n)
    rng = np.random.default_rng(seed)
    placed = points + rng.uniform(-0.3 * step, 0.3 * step, size=points.shape)
    leaves: dict[int, list[int]] = {}
    for node in range(n):
        if graph.degree(node) == 1:
            (neighbour,) = graph.neighbors(node)
            if graph.degree(neighbour) > 1:
                leaves.setdefault(neighbour, []).append(node)
    for centre, around in sorted(leaves.items()):
        k = len(around)
        radius = step * (0.5 + 0.08 * math.sqrt(k))
        angles = rng.uniform(0, 2 * math.pi) + 2 * math.pi * np.arange(k) / k
        ring = np.column_stack((np.cos(angles), np.sin(angles))) * radius
        placed[sorted(around)] = placed[centre] + ring
    return layout._unit(placed)


def pivot_mds_one_by_one(graph: rx.PyGraph, seed: int) -> np.ndarray:
    """`layout._pivot_mds` as it was written before, its distances read layer by layer (the
    reference)."""
    n = graph.num_nodes()
    k = min(layout.PIVOTS, n)
    distances = np.empty((n, k))
    nearest = np.full(n, np.inf)
    pivot = random.Random(seed).randrange(n)
    for j in range(k):
        column = np.empty(n)
        for hops, layer in enumerate(rx.bfs_layers(graph, [pivot])):
            column[list(layer)] = hops
        distances[:, j] = column
        nearest = np.minimum(nearest, column)
        pivot = int(np.argmax(nearest))
    squared = distances**2
    centred = -0.5 * (
        squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    )
    values, vectors = np.linalg.eigh(centred.T @ centred)
    top = np.argsort(values)[::-1][:2]
    chosen = vectors[:, top] * np.sign(vectors[np.abs(vectors[:, top]).argmax(axis=0), top])
    result: np.ndarray = centred @ chosen
    return result


def tree_with_leaves(n: int, seed: int) -> rx.PyGraph:
    """A connected graph with hubs, many leaves (nodes of one tie) and a few cycles."""
    simple = nx.barabasi_albert_graph(n, 1, seed=seed)
    rng = random.Random(seed)
    simple.add_edges_from((rng.randrange(n), rng.randrange(n)) for _ in range(n // 10))
    simple.remove_edges_from(nx.selfloop_edges(simple))
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    graph.add_edges_from_no_data(sorted(simple.edges))
    return graph


@pytest.mark.parametrize("seed", [0, 5])
def test_leaves_are_fanned_out_as_one_by_one(seed: int) -> None:
    graph = tree_with_leaves(2_000, seed)
    points = layout._unit(np.random.default_rng(seed).normal(size=(2_000, 2)))
    expected = untangle_one_by_one(graph, points, seed)
    assert np.array_equal(layout._untangle(graph, points, seed), expected)


@pytest.mark.parametrize("seed", [1, 2])
def test_pivot_mds_reads_the_same_distances(seed: int) -> None:
    graph = tree_with_leaves(1_500, seed)
    assert np.array_equal(layout._pivot_mds(graph, seed), pivot_mds_one_by_one(graph, seed))


def test_boxes_as_columns_place_the_nodes_as_footprints_do() -> None:
    graph = tree_with_leaves(300, 4)
    nodes = [f"n{i}" for i in range(300)]
    ties = [(nodes[u], nodes[v]) for u, v in graph.edge_list()]
    rng = np.random.default_rng(4)
    boxes = np.column_stack((-rng.uniform(5, 60, 300), -rng.uniform(5, 30, 300)))
    boxes = np.column_stack((boxes, -boxes[:, 0], -boxes[:, 1] + rng.uniform(0, 40, 300)))
    footprints = {n: tuple(box) for n, box in zip(nodes, boxes.tolist(), strict=True)}
    with_mapping = layout.layout_ties(nodes, ties, seed=4, footprints=footprints)
    reversed_order = nodes[::-1]
    assert layout.layout_ties(reversed_order, ties, seed=4, boxes=boxes[::-1]) == with_mapping


def footprint_one_by_one(label: str, size: float, font: float) -> tuple[float, ...]:
    """The page's footprint of a node, as it was computed before, one node at a time."""
    width = len(label) * font * 0.62
    lines = max(1, math.ceil(width / (html_export.LABEL_WRAP * 0.75)))
    half = min(width, html_export.LABEL_WRAP) / 2
    return (-max(size, half), -size, max(size, half), size + 5 + lines * font * 1.2)


def test_footprints_as_columns() -> None:
    rng = random.Random(9)
    labels = ["", "Zetas", "Cherán", "x" * 40, "Los Caballeros Templarios de Michoacán" * 3]
    labels += ["".join(rng.choice("abc dé") for _ in range(rng.randrange(60))) for _ in range(300)]
    sizes = [(rng.choice([9.0, 12.0, 38.0, 8 + 30 * rng.random()]), 11 + 8 * rng.random())
             for _ in labels]  # fmt: skip
    expected = [
        footprint_one_by_one(label, *size) for label, size in zip(labels, sizes, strict=True)
    ]
    assert [tuple(row) for row in html_export._footprints(labels, sizes).tolist()] == expected


# ----------------------------------------------------------------------------- the JSON block


def test_the_json_block_is_what_json_dumps_writes() -> None:
    value = {
        "floats": [1e16, 1e-7, 0.1, -0.0, 123456789.123, 5.3118e-05, 2.5e-310, 1.7e308],
        "text": "é\u2028\u2029</script><!--&\x00\x1f\"\\ 😀",
        "none": None,
        "flags": [True, False],
        "integers": [0, -1, 2**53, 2**63 - 1],
        "nested": {"a": [[], {}], "b": [[1, "x"]]},
    }  # fmt: skip
    text = script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == json.loads(json.dumps(value)) == value
    assert math.copysign(1.0, json.loads(text)["floats"][3]) == -1.0


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_a_number_that_is_not_finite_fails(number: float) -> None:
    with pytest.raises(BadInput, match="finite"):
        script_json({"scores": [1.0, {"deep": [number]}]})


def test_a_tie_whose_confidence_is_not_a_number_fails_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.in_memory()
    projection = project(store, Filters(directed=False))
    u, v, key = next(iter(projection.graph.edges(keys=True)))
    real = html_export.project

    def with_nan(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        if found.graph.has_edge(u, v, key):
            found.graph.edges[u, v, key]["confidence"] = math.nan
        return found

    monkeypatch.setattr(html_export, "project", with_nan)
    target = tmp_path / "page.html"
    with pytest.raises(BadInput) as failed:
        export_html(store, target, Filters(directed=False))
    assert str(failed.value) == f"confidence of {key} expects a finite number, got 'nan'"
    assert "\n" not in str(failed.value)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def floats_outside(value: Any, where: str, found: list[str]) -> list[str]:
    if isinstance(value, float):
        found.append(where)
    elif isinstance(value, dict):
        for key, item in value.items():
            floats_outside(item, f"{where}.{key}", found)
    elif isinstance(value, list):
        for item in value:
            floats_outside(item, f"{where}[]", found)
    return found


def test_the_float_columns_are_all_the_floats_of_the_data(store: Store) -> None:
    # the check before writing reads these columns only: no float may be elsewhere
    data = page_data(store, Filters(directed=False), size_by="degree", context=True)
    declared = {
        f"$.{part}.{name}{suffix}"
        for part, names in html_export._FLOAT_COLUMNS.items()
        for name in names
        for suffix in ("[]", ".values[]", ".empty")
    }
    found = floats_outside({k: v for k, v in data.items() if k not in ("meta", "style")}, "$", [])
    assert found and set(found) <= declared
