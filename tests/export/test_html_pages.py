"""What the network pages say and how they are laid out, without a browser: actors by default
with context one click away, the chains page's title and list, a path left to right,
communities apart, footers without folders, every word in the language asked.

Expected values come from the projection, the chain finder and the ontology, not from the
exporter.
"""

from __future__ import annotations

import json
import math
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from hilos.export.html import STATUSES, export_html, page_rows
from hilos.export.layout import layout, make_room
from hilos.network.paths import find_chains
from hilos.network.projection import Filters, project
from hilos.store import Store
from hilos.vocab import CONTEXT_KINDS, vocabulary

HID = "https://w3id.org/hilos/id/"
ABARCA = HID + "jose-luis-abarca"
GU = HID + "guerreros-unidos"
ZETAS = HID + "zetas"
ALL_CONTEXT = Filters(directed=False, include=CONTEXT_KINDS)


def page(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    start = text.index('id="hilos-data">') + len('id="hilos-data">')
    data: dict[str, Any] = page_rows(json.loads(text[start : text.index("</script>", start)]))
    return data


def export(store: Store, folder: Path, name: str = "page.html", **options: Any) -> dict[str, Any]:
    target = folder / name
    filters = options.pop("filters", Filters(directed=False))
    export_html(store, target, filters, **options)
    return page(target)


def test_actors_by_default_and_context_as_layers(memory_store: Store, tmp_path: Path) -> None:
    data = export(memory_store, tmp_path)
    actors = project(memory_store, Filters(directed=False)).graph
    whole = project(memory_store, ALL_CONTEXT).graph
    shown = {n["id"] for n in data["nodes"] if not n["layer"]}
    layer = {n["id"] for n in data["nodes"] if n["layer"]}
    assert shown == set(actors.nodes)
    # The layers: the context entities tied to an actor shown, and nothing else.
    expected = {
        other
        for node in actors.nodes
        for other in (*whole.successors(node), *whole.predecessors(node))
        if whole.nodes[other]["kind"] in CONTEXT_KINDS
    }
    assert layer == expected and layer
    assert {n["kind"] for n in data["nodes"] if n["layer"]} <= set(CONTEXT_KINDS)
    assert set(data["meta"]["layers"]) == {n["kind"] for n in data["nodes"] if n["layer"]}
    assert data["meta"]["layers_on"] is False
    # Their ties are the claims between them and the page's entities.
    ids = [n["id"] for n in data["nodes"]]
    for tie in data["ties"]:
        if data["nodes"][tie["from"]]["layer"] or data["nodes"][tie["to"]]["layer"]:
            assert whole.has_edge(ids[tie["from"]], ids[tie["to"]], tie["id"])


def test_include_puts_context_in_the_network_and_context_shows_the_layers(
    hilos: Any, tmp_path: Path
) -> None:
    out = tmp_path / "places.html"
    assert hilos("export", "html", str(out), "--include", "places").exit_code == 0
    data = page(out)
    assert "place" not in data["meta"]["layers"]
    assert any(n["kind"] == "place" and not n["layer"] for n in data["nodes"])
    assert data["meta"]["title"].endswith("actors and places")
    out = tmp_path / "context.html"
    assert hilos("export", "html", str(out), "--context").exit_code == 0
    assert page(out)["meta"]["layers_on"] is True


def test_the_chains_page_is_titled_and_lists_its_chains(
    memory_store: Store, tmp_path: Path
) -> None:
    data = export(memory_store, tmp_path, chains=True)
    chains, _ = find_chains(memory_store, project(memory_store, Filters(directed=False)))
    assert data["meta"]["title"] == (
        f"{len(chains)} collusion chains from the state into organised crime"
    )
    ids = [n["id"] for n in data["nodes"]]
    listed = data["meta"]["chains"]
    assert [[ids[i] for i in c["nodes"]] for c in listed] == [
        [n.id for n in c.nodes] for c in chains
    ]
    assert [c["ties"] for c in listed] == [[h.tie for h in c.hops] for c in chains]
    assert [c["crossing"] for c in listed] == [c.crossing for c in chains]


def test_the_footer_names_the_command_without_folders(hilos: Any, tmp_path: Path) -> None:
    folder = tmp_path / "home" / "ana" / "pages"
    folder.mkdir(parents=True)
    out = folder / "iguala.html"
    result = hilos("export", "html", str(out), "--focus", "Guerreros Unidos", "--chains")
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert page(out)["meta"]["command"] == (
        "hilos export html iguala.html --focus 'Guerreros Unidos' --chains"
    )
    assert str(tmp_path) not in text and "/home/" not in text


def test_a_page_written_from_python_loses_its_folders_too(
    memory_store: Store, tmp_path: Path
) -> None:
    data = export(
        memory_store, tmp_path, command="hilos export html /home/ana/secret/net.html --seed 2"
    )
    assert data["meta"]["command"] == "hilos export html net.html --seed 2"


def test_every_status_is_drawn_differently() -> None:
    patterns = [(json.dumps(dashes), colour, marker) for _, dashes, colour, marker in STATUSES]
    assert len(set(patterns)) == len(patterns)
    keys = [key for key, *_ in STATUSES]
    assert set(vocabulary().status_keys) <= set(keys)
    confirmed, reported = STATUSES[0], STATUSES[1]
    assert confirmed[0] == "confirmed" and confirmed[1] is None  # solid
    assert reported[0] == "reported" and reported[1] is not None  # not solid


def test_spanish_page(memory_store: Store, tmp_path: Path) -> None:
    data = export(memory_store, tmp_path, lang="es")
    actors = project(memory_store, Filters(directed=False), lang="es").graph
    assert data["meta"]["lang"] == "es"
    assert data["meta"]["title"] == f"La red de {actors.number_of_nodes()} actores"
    text = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in text
    assert "Esta página necesita JavaScript" in text
    # Names of spheres and statuses are the ontology's Spanish labels.
    vocab = vocabulary()
    spheres = {s["key"]: s["label"] for s in data["style"]["spheres"]}
    for sphere in vocab.spheres:
        assert spheres[sphere.key].lower() == sphere.labels["es"].lower()
    statuses = {s["key"]: s["label"] for s in data["style"]["statuses"]}
    for status in vocab.statuses:
        assert statuses[status.key].lower() == status.labels["es"].lower()
    kinds = {k["key"]: k["label"] for k in data["style"]["kinds"]}
    assert kinds["person"] == "Persona" and kinds["place"] == "Lugar"
    # The script's own words come with the page.
    assert data["meta"]["messages"]["Download SVG"] == "Descargar SVG"


def test_hilos_lang_chooses_the_language(
    hilos: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HILOS_LANG", "es")
    out = tmp_path / "cadenas.html"
    result = hilos("export", "html", str(out), "--chains")
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        r"\d+ cadenas de colusión del Estado al crimen organizado", page(out)["meta"]["title"]
    )
    assert "actores" in result.stderr


# ------------------------------------------------------------------------------ layout


def test_a_path_reads_left_to_right(memory_store: Store, tmp_path: Path) -> None:
    data = export(memory_store, tmp_path, path=(ABARCA, GU))
    on_path = [data["nodes"][i] for i in data["meta"]["path"]["nodes"]]
    assert on_path[0]["id"] == ABARCA and on_path[-1]["id"] == GU
    xs = [n["x"] for n in on_path]
    ys = [n["y"] for n in on_path]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert max(ys) - min(ys) < 1


def test_communities_are_laid_out_apart(memory_store: Store) -> None:
    graph = project(memory_store, Filters(directed=False)).graph
    simple = nx.Graph(graph.to_undirected())
    biggest = simple.subgraph(max(nx.connected_components(simple), key=len)).copy()
    positions = layout(biggest, seed=0)
    communities = nx.community.louvain_communities(biggest, seed=0)
    assert len(communities) > 2
    group = {n: k for k, members in enumerate(communities) for n in members}
    inside, between = [], []
    for a, b in combinations(sorted(biggest.nodes), 2):
        distance = math.dist(positions[a], positions[b])
        (inside if group[a] == group[b] else between).append(distance)
    assert np.mean(inside) < 0.75 * np.mean(between)


def test_footprints_are_pushed_apart() -> None:
    rng = np.random.default_rng(5)
    points = rng.normal(0, 20, size=(40, 2))
    boxes = np.array([[-30.0, -8.0, 30.0, 30.0]] * 40)
    moved = make_room(points, boxes, gap=0.0, rounds=300)
    for i, j in combinations(range(40), 2):
        dx, dy = abs(moved[i] - moved[j])
        assert dx >= 60 - 0.01 or dy >= 38 - 0.01, (i, j)


def test_labels_are_given_room_in_the_page(memory_store: Store, tmp_path: Path) -> None:
    data = export(memory_store, tmp_path, focus=ZETAS, hops=1)
    nodes = [n for n in data["nodes"] if not n["layer"]]
    # Nodes at least as far apart as their shapes: none drawn on top of another.
    for a, b in combinations(nodes, 2):
        assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) > a["size"] + b["size"]
