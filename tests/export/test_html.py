"""`hilos export html` without a browser: the file is self-contained and safe, and it shows what
was asked (focus, path, filters, sizes); errors leave no file behind.

Expected node and tie sets are computed here from the projection (a breadth-first search of
its ties, the best path of `find_paths`), never taken from the exporter.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from conftest import HOSTILE_CITATION, HOSTILE_LABEL, HOSTILE_QUOTE, write_hostile
from hilos.export import html as html_export
from hilos.export import snapshot_hash
from hilos.export.html import export_html, script_json
from hilos.export.layout import layout
from hilos.network.centrality import centrality
from hilos.network.paths import find_paths
from hilos.network.projection import Filters, project
from hilos.search import resolve
from hilos.store import Store
from support import one_line_error, page_json

HID = "https://w3id.org/hilos/id/"
ZETAS = HID + "zetas"
ABARCA = HID + "jose-luis-abarca"
GU = HID + "guerreros-unidos"


def export(store: Store, folder: Path, **options: Any) -> tuple[str, dict[str, Any]]:
    out = folder / "page.html"
    filters = options.pop("filters", Filters(directed=False))
    export_html(store, out, filters, **options)
    text = out.read_text(encoding="utf-8")
    return text, page_json(text)


def node_ids(data: dict[str, Any]) -> set[str]:
    """The actors of the page: its network, without the context layers."""
    return {n["id"] for n in data["nodes"] if not n["layer"]}


def tie_ids(data: dict[str, Any]) -> set[str]:
    """The ties between actors (the network), without those of the context layers."""
    nodes = data["nodes"]
    return {
        t["id"]
        for t in data["ties"]
        if not nodes[t["from"]]["layer"] and not nodes[t["to"]]["layer"]
    }


def actors(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in data["nodes"] if not n["layer"]]


def within(graph: nx.MultiDiGraph, start: str, hops: int) -> set[str]:
    """Breadth-first search over the ties, both ways, up to `hops` ties from `start`."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if seen[node] == hops:
            continue
        for other in (*graph.successors(node), *graph.predecessors(node)):
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return set(seen)


# ------------------------------------------------------------------------------ self-contained


@pytest.fixture(scope="module")
def curated_page(tmp_path_factory: pytest.TempPathFactory, hostile_store: Store) -> str:
    folder = tmp_path_factory.mktemp("page")
    text, _ = export(hostile_store, folder, size_by="degree")
    return text


def test_no_url_to_another_host_in_any_src_href_or_css_url(curated_page: str) -> None:
    text = curated_page.lower()
    assert not re.search(
        r"""\b(?:src|href|srcset|action|poster)\s*=\s*["']?\s*(?:https?:)?//""", text
    )
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", text)
    assert not re.search(r"@import", text)
    for needle in ('src="http', "src='http", 'href="http', "href='http", "url(http"):
        assert needle not in text
    assert not re.search(r"<script[^>]*\bsrc\s*=", text)
    assert not re.search(r"<link\b", text)
    assert not re.search(r"<(?:img|iframe|object|embed|base)\b", text)


def test_vis_network_is_in_line_with_its_licence(curated_page: str) -> None:
    assert "@license" in curated_page
    assert "vis.js is dual licensed under both" in curated_page
    assert "The Apache 2.0 License" in curated_page and "The MIT License" in curated_page
    assert "@version 9.1.2" in curated_page
    assert "cdn" not in curated_page.lower().replace("cdnjs", "")


def test_content_security_policy_allows_exactly_the_three_scripts(curated_page: str) -> None:
    """vis-network, the helpers shared with the explorer (webshared/common.js) and page.js."""
    match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', curated_page)
    assert match
    policy = match.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("style-src")[0]
    assert "unsafe-eval" not in policy
    scripts = re.findall(r"<script>(.*?)</script>", curated_page, re.DOTALL)
    assert len(scripts) == 3
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy


@pytest.mark.parametrize("name", ["export/page.js", "webshared/common.js"])
def test_the_page_script_never_writes_html(name: str) -> None:
    script = (Path(__file__).resolve().parents[2] / "src/hilos" / name).read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "new Function" not in script


def test_nothing_is_written_but_the_page(
    hostile_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    export_html(hostile_store, "out.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]


# ------------------------------------------------------------------------------------ safe


def test_hostile_strings_appear_only_escaped_in_the_json(
    hostile_store: Store, tmp_path: Path
) -> None:
    text, data = export(hostile_store, tmp_path, title="<b>Title</b> & co")
    for raw in (
        HOSTILE_LABEL,
        HOSTILE_QUOTE,
        HOSTILE_CITATION,
        "<b onmouseover",
        "<!--",
        "\u2028",
    ):
        assert raw not in text, raw
    # Exactly the page's own script elements close: none opened by the data.
    assert text.count("</script>") == 4  # the data, vis-network, the shared helpers, page.js
    assert "<title>&lt;b&gt;Title&lt;/b&gt; &amp; co</title>" in text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text
    # Parsed back, every string is intact.
    (actor,) = [n for n in data["nodes"] if n["id"] == HID + "hostile-actor"]
    assert actor["label"] == HOSTILE_LABEL
    assert ["en", "line\u2028separator & <b>bold</b>"] in actor["aliases"]
    assert actor["notes"] == ["A note with </script> and <!-- a comment -->."]
    (tie,) = [t for t in data["ties"] if t["id"] == HID + "tie-hostile-colludes-with-zetas"]
    assert tie["quotes"] == [HOSTILE_QUOTE]
    assert tie["locators"] == ["<b onmouseover=alert(3)>here</b>"]
    assert [data["sources"][i]["citation"] for i in tie["sources"]] == [HOSTILE_CITATION]
    assert data["meta"]["title"] == "<b>Title</b> & co"


def test_script_json_escapes_what_could_end_or_break_a_script() -> None:
    value = {"a": "</script><!--<script>", "b": "&\u2028\u2029", "c": "\\u003c"}
    text = script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


# ------------------------------------------------------------------------------ what it shows


def test_the_whole_network_by_default(memory_store: Store, tmp_path: Path) -> None:
    _, data = export(memory_store, tmp_path)
    graph = project(memory_store, Filters(directed=False)).graph
    assert node_ids(data) == set(graph.nodes)
    assert tie_ids(data) == {key for _, _, key in graph.edges(keys=True)}
    ids = [n["id"] for n in data["nodes"]]
    for tie in data["ties"]:
        if ids[tie["from"]] in graph and ids[tie["to"]] in graph:
            assert graph.has_edge(ids[tie["from"]], ids[tie["to"]], tie["id"])
    assert data["meta"]["snapshot"] == snapshot_hash(memory_store)
    assert re.fullmatch(r"[0-9a-f]{64}", data["meta"]["snapshot"])
    assert data["meta"]["physics"] is True
    assert data["meta"]["title"] == f"The network of {graph.number_of_nodes()} actors"
    kinds = {k["key"] for k in data["style"]["kinds"]}
    assert {n["kind"] for n in data["nodes"]} <= kinds
    assert {"person", "organisation", "place", "market", "event", "policy"} <= kinds


def test_every_tie_carries_its_evidence(memory_store: Store, tmp_path: Path) -> None:
    _, data = export(memory_store, tmp_path)
    (tie,) = [
        t
        for t in data["ties"]
        if t["id"] == HID + "tie-iguala-police-colludes-with-guerreros-unidos"
    ]
    assert tie["relation"] == "hilos:Collusion"
    assert tie["type"] == "collusion"
    assert tie["family"] == "cooperation"
    assert tie["status"] == "reported"
    assert tie["start"] == "2014-09-26"
    assert tie["quotes"] == [
        "The police officers then turned the students over to the criminal organisation "
        "Guerreros Unidos, which may have massacred them and burnt their bodies."
    ]
    assert tie["locators"] == ["Introduction, footnote 3"]
    assert [data["sources"][i]["id"] for i in tie["sources"]] == [HID + "report"]
    assert all(t["sources"] for t in data["ties"])


@pytest.mark.parametrize("hops", [1, 2])
def test_focus_keeps_the_neighbourhood(memory_store: Store, tmp_path: Path, hops: int) -> None:
    _, data = export(memory_store, tmp_path, focus=ZETAS, hops=hops)
    graph = project(memory_store, Filters(directed=False)).graph
    expected = within(graph, ZETAS, hops)
    assert node_ids(data) == expected
    assert tie_ids(data) == {
        k for u, v, k in graph.edges(keys=True) if u in expected and v in expected
    }
    assert data["nodes"][data["meta"]["focus"]["node"]]["id"] == ZETAS
    assert (
        data["meta"]["title"] == f"The network within {hops} tie{'s' if hops > 1 else ''} of Zetas"
    )


def test_focus_by_name_and_command_line(hilos, tmp_path: Path) -> None:
    out = tmp_path / "zetas.html"
    result = hilos("export", "html", str(out), "--focus", "Zetas", "--hops", "2")
    assert result.exit_code == 0, result.stderr
    assert " ".join(result.stderr.split()).startswith(f"wrote {out}: ")  # wrapped at 80
    data = page_json(out.read_text(encoding="utf-8"))
    with Store.open(hilos.store) as store:
        expected = within(project(store, Filters(directed=False)).graph, ZETAS, 2)
    assert node_ids(data) == expected
    # The command as typed, without the store's folder (the page is meant to be published).
    # The file is named without its folder, and the store not at all.
    assert data["meta"]["command"] == "hilos export html zetas.html --focus Zetas --hops 2"
    assert str(hilos.store) not in out.read_text(encoding="utf-8")
    assert str(tmp_path) not in out.read_text(encoding="utf-8")


def test_path_marks_exactly_the_hops_of_the_best_path(memory_store: Store, tmp_path: Path) -> None:
    _, data = export(memory_store, tmp_path, path=(ABARCA, GU))
    projection = project(memory_store, Filters(directed=False))
    best = find_paths(memory_store, projection, ABARCA, GU, limit=1)[0]
    hops = [h.tie for h in best.hops]
    assert {t["id"] for t in data["ties"] if t["path"]} == set(hops)
    assert data["meta"]["path"]["ties"] == hops
    assert [data["nodes"][i]["id"] for i in data["meta"]["path"]["nodes"]] == [
        n.id for n in best.nodes
    ]
    assert data["meta"]["path"]["score"] == best.score
    assert node_ids(data) == set(projection.graph.nodes)


def test_path_with_focus_keeps_the_path_in_view(memory_store: Store, tmp_path: Path) -> None:
    _, data = export(memory_store, tmp_path, focus=ZETAS, path=(ABARCA, GU))
    graph = project(memory_store, Filters(directed=False)).graph
    assert node_ids(data) >= within(graph, ZETAS, 1) | {ABARCA, GU}
    assert sum(t["path"] for t in data["ties"]) == len(data["meta"]["path"]["ties"])


@pytest.mark.parametrize(
    "filters",
    [
        Filters(directed=False, min_status="reported"),
        Filters(directed=False, tie_types=("collusion", "command")),
        Filters(directed=False, as_of="2014-09-26"),
        Filters(directed=False, graphs=("report/iguala",)),
        Filters(directed=False, exclude=(HID + "mexico",)),
    ],
    ids=["min-status", "tie-type", "as-of", "graph", "exclude"],
)
def test_filters_apply(memory_store: Store, tmp_path: Path, filters: Filters) -> None:
    _, data = export(memory_store, tmp_path, filters=filters)
    graph = project(memory_store, filters).graph
    assert tie_ids(data) == {key for _, _, key in graph.edges(keys=True)}
    assert node_ids(data) == set(graph.nodes)
    assert 0 < len(data["ties"]) < 322
    if filters.min_status:
        assert {t["status"] for t in data["ties"]} <= {"reported", "confirmed"}
    if filters.graphs:
        assert data["meta"]["snapshot"] == snapshot_hash(memory_store, filters.graphs)
        assert data["meta"]["snapshot"] != snapshot_hash(memory_store)
    assert data["meta"]["filters"]


def test_filters_on_the_command_line(hilos, tmp_path: Path) -> None:
    out = tmp_path / "strong.html"
    result = hilos(
        "export", "html", str(out), "--min-status", "reported", "--tie-type", "collusion"
    )
    assert result.exit_code == 0, result.stderr
    data = page_json(out.read_text(encoding="utf-8"))
    # Collusion and its sub-types (bribery, protection, infiltration…).
    assert "hilos:Collusion" in {t["relation"] for t in data["ties"]}
    assert {t["family"] for t in data["ties"]} == {"cooperation"}
    assert {t["status"] for t in data["ties"]} <= {"reported", "confirmed"}
    assert data["meta"]["command"].endswith("--min-status reported --tie-type collusion")


@pytest.mark.parametrize("measure", ["degree", "betweenness", "pagerank"])
def test_size_by_centrality(memory_store: Store, tmp_path: Path, measure: str) -> None:
    _, data = export(memory_store, tmp_path, size_by=measure)
    projection = project(memory_store, Filters(directed=False))
    scores = {r.id: r.score for r in centrality(projection.analysis_graph(), measure).ranking}
    by_score = sorted(actors(data), key=lambda n: n["score"])
    # (written to six significant digits: the page shows four)
    assert all(n["score"] == pytest.approx(scores[n["id"]], rel=1e-5) for n in actors(data))
    fonts = [n["font"] for n in by_score]  # labels sized by importance too
    assert fonts == sorted(fonts) and fonts[0] < fonts[-1]
    sizes = [n["size"] for n in by_score]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert data["meta"]["size_by"] == measure


def test_without_size_by_every_node_has_the_same_size(memory_store: Store, tmp_path: Path) -> None:
    _, data = export(memory_store, tmp_path)
    assert {n["size"] for n in actors(data)} == {12.0}
    assert {n["score"] for n in data["nodes"]} == {None}


def test_parallel_ties_are_bent_apart(memory_store: Store, tmp_path: Path) -> None:
    _, data = export(memory_store, tmp_path)
    pairs: dict[tuple[int, int], list[float]] = {}
    for tie in data["ties"]:
        a, b = sorted((tie["from"], tie["to"]))
        bend = tie["bend"] if tie["from"] <= tie["to"] else -tie["bend"]
        pairs.setdefault((a, b), []).append(bend)
    several = [bends for bends in pairs.values() if len(bends) > 1]
    assert several, "the curated graph has parallel ties"
    for bends in several:
        assert len(set(bends)) == len(bends)
    assert all(bends == [0.0] for bends in pairs.values() if len(bends) == 1)


def test_same_seed_same_page_other_seed_other_layout(memory_store: Store, tmp_path: Path) -> None:
    first, data = export(memory_store, tmp_path, seed=3)
    second, _ = export(memory_store, tmp_path, seed=3)
    assert first == second
    _, other = export(memory_store, tmp_path, seed=4)
    assert [(n["x"], n["y"]) for n in other["nodes"]] != [(n["x"], n["y"]) for n in data["nodes"]]


def test_to_a_text_stream_and_to_standard_output(memory_store: Store, hilos) -> None:
    stream = io.StringIO()
    written = export_html(memory_store, stream, focus=ZETAS)
    assert page_json(stream.getvalue())["meta"]["command"] is None
    assert written.nodes == len(page_json(stream.getvalue())["nodes"])
    result = hilos("export", "html", "-", "--focus", "hid:zetas")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert page_json(result.stdout)["meta"]["command"] == "hilos export html - --focus hid:zetas"


# ------------------------------------------------------------------------------ compact data


def raw_json(text: str) -> dict[str, Any]:
    """The data block as written, in columns."""
    match = re.search(
        r'<script type="application/json" id="hilos-data">(.*?)</script>', text, re.DOTALL
    )
    assert match, "no data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_the_data_is_written_once_in_columns(memory_store: Store, tmp_path: Path) -> None:
    # (with every context kind in the network, the page has no layer: it is the projection)
    whole = Filters(directed=False, include=("place", "market", "policy", "event", "phenomenon"))
    text, rows = export(memory_store, tmp_path, size_by="degree", filters=whole)
    raw = raw_json(text)
    graph = project(memory_store, whole).graph
    assert raw["meta"]["layers"] == []
    # one list per field, as long as there are nodes, ties, sources
    for part, count in [
        ("nodes", graph.number_of_nodes()),
        ("ties", graph.number_of_edges()),
        ("sources", len(rows["sources"])),
    ]:
        assert raw[part], part
        for name, column in raw[part].items():
            if isinstance(column, dict):  # a sparse column: only its values that are not empty
                assert set(column) == {"empty", "at", "values"}, name
                assert len(column["at"]) == len(column["values"]) < count, name
                assert column["empty"] not in column["values"], name
                assert column["at"] == sorted(set(column["at"])) and all(
                    0 <= i < count for i in column["at"]
                )
            else:
                assert len(column) == count, (part, name)
    # repeated strings are indexes into tables holding each value once
    for name, table in raw["tables"].items():
        assert len({json.dumps(v) for v in table}) == len(table), name
    statuses = {status for _, _, status in graph.edges(data="status")}
    assert set(raw["tables"]["status"]) == statuses
    assert all(isinstance(i, int) for i in raw["ties"]["status"] + raw["ties"]["relation"])
    relations = [r["key"] for r in raw["style"]["relations"]]
    assert sorted(relations) == sorted({r for _, _, r in graph.edges(data="relation")})
    # IRIs as a namespace index and a local name
    assert raw["tables"]["ns"].count(HID) == 1
    assert raw["nodes"]["local"][raw["nodes"]["ns"].index(raw["tables"]["ns"].index(HID))]
    # far smaller than one record per node and tie
    assert len(script_json(raw)) < 0.8 * len(script_json(rows))


def test_the_saved_snapshot_is_the_one_computed_from_the_statements(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_path) as store:
        first = snapshot_hash(store)
    with Store.open(store_path) as store:
        read = []
        monkeypatch.setattr(Store, "quads", lambda *a, **k: read.append(1) or iter(()))
        assert snapshot_hash(store) == first and read == []  # (saved: no statement read)
        monkeypatch.undo()
        monkeypatch.setenv("HILOS_NO_CACHE", "1")
        assert snapshot_hash(store) == first  # from the statements
        monkeypatch.delenv("HILOS_NO_CACHE")
        store.load(write_hostile(tmp_path), name="hostile")
        changed = snapshot_hash(store)
        monkeypatch.setenv("HILOS_NO_CACHE", "1")
        assert changed != first and snapshot_hash(store) == changed


def test_a_page_from_saved_data_is_the_page_from_the_statements(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every property read whole, as on a large store, and saved beside the store
    monkeypatch.setattr(html_export, "_LOOKUPS", 0)
    with Store.open(store_path) as store:
        first, _ = export(store, tmp_path, size_by="degree")
        again, _ = export(store, tmp_path, size_by="degree")  # read back
    assert any((store_path / "hilos-cache").rglob("page-values-*"))
    monkeypatch.setenv("HILOS_NO_CACHE", "1")
    with Store.open(store_path) as store:
        fresh, _ = export(store, tmp_path, size_by="degree")
        # and entity by entity, as for a small network
        monkeypatch.setattr(html_export, "_LOOKUPS", 1_000_000)
        looked_up, _ = export(store, tmp_path, size_by="degree")
    assert first == again == fresh == looked_up


# ------------------------------------------------------------------------------ layout


def test_layout_of_a_large_component_is_seeded_and_spread() -> None:
    graph = nx.gnm_random_graph(1_200, 3_000, seed=1)
    graph.add_edge(5_000, 5_001)  # a second component
    positions = layout(graph, seed=2)
    assert positions == layout(graph, seed=2)
    assert set(positions) == set(graph)
    distinct = {(round(x), round(y)) for x, y in positions.values()}
    assert len(distinct) > 1_150
    assert (
        abs(positions[5_000][0] - positions[5_001][0])
        + abs(positions[5_000][1] - positions[5_001][1])
        > 50
    )


# ------------------------------------------------------------------------------ errors


@pytest.fixture
def existing(tmp_path: Path) -> Iterator[Path]:
    """An output file that exists already: a failed export must leave it as it was."""
    folder = tmp_path / "pages"  # apart from the store the `hilos` fixture keeps in tmp_path
    folder.mkdir()
    out = folder / "out.html"
    out.write_text("old page", encoding="utf-8")
    yield out
    assert out.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in folder.iterdir()) == ["out.html"]


def test_unknown_focus_exits_1(hilos, existing: Path) -> None:
    line = one_line_error(hilos("export", "html", str(existing), "--focus", "nobody-at-all"), 1)
    assert "nobody-at-all" in line


def test_focus_outside_the_filtered_network_exits_1(hilos, existing: Path) -> None:
    result = hilos("export", "html", str(existing), "--focus", "hid:zetas", "--tie-type", "kinship")
    assert "not in the network" in one_line_error(result, 1)


@pytest.mark.parametrize("hops", ["0", "-1"])
def test_hops_below_one_exits_2(hilos, existing: Path, hops: str) -> None:
    result = hilos("export", "html", str(existing), "--focus", "hid:zetas", "--hops", hops)
    assert "--hops must be at least 1" in one_line_error(result, 2)


def test_no_path_exits_1(hilos, existing: Path) -> None:
    result = hilos(
        "export",
        "html",
        str(existing),
        "--path",
        "hid:zetas",
        "hid:jose-luis-abarca",
        "--graph",
        "report/iguala",
    )
    one_line_error(result, 1)


def test_unknown_measure_exits_2(hilos, existing: Path) -> None:
    one_line_error(hilos("export", "html", str(existing), "--size-by", "fame"), 2)


@pytest.mark.parametrize("where", ["missing-folder/out.html", "."])
def test_unwritable_output_exits_2_and_writes_nothing(hilos, tmp_path: Path, where: str) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    target = folder / where
    line = one_line_error(hilos("export", "html", str(target)), 2)
    assert line.startswith(f"Error: cannot write {target}")
    assert list(folder.iterdir()) == []


def test_a_failure_while_writing_leaves_no_file(
    memory_store: Store, existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hilos.export.html as module

    real = module._page_parts

    def broken(data: dict[str, Any]) -> Iterator[str]:
        parts = real(data)
        yield next(parts)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "_page_parts", broken)
    from hilos.errors import BadInput

    with pytest.raises(BadInput, match="No space left on device"):
        export_html(memory_store, existing)


def test_chains_keep_exactly_the_ties_of_the_collusion_chains(
    memory_store: Store, tmp_path: Path
) -> None:
    from hilos.network.paths import find_chains

    expected, _ = find_chains(memory_store, project(memory_store, Filters(directed=False)))
    _, data = export(memory_store, tmp_path, chains=True)
    assert tie_ids(data) == {h.tie for chain in expected for h in chain.hops}
    assert node_ids(data) == {n.id for chain in expected for n in chain.nodes}


def test_reading_whole_properties_gives_the_same_page_as_looking_up_each_tie(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large page reads each property of the names and the evidence whole from the store
    # (and from what is saved beside it); a small one looks up each entity and tie. Both
    # ways must give the same page: forced here on the curated graph with its context.
    filters = Filters(directed=False, include=("place",))
    looked_up = html_export.page_data(memory_store, filters, context=True, lang="es")
    monkeypatch.setattr(html_export, "_LOOKUPS", 0)
    read_whole = html_export.page_data(memory_store, filters, context=True, lang="es")
    assert read_whole == looked_up
    assert any(looked_up["ties"]["quotes"]) and any(looked_up["ties"]["markets"])
    assert any(looked_up["nodes"]["aliases"]) and any(looked_up["nodes"]["notes"])


def test_focus_on_an_entity_merged_into_another_shows_that_one(
    hilos, store_path: Path, tmp_path: Path
) -> None:
    """An entity an identity claim merged into Guerreros Unidos: the page centres on Guerreros
    Unidos and says so in its title (it failed with "not in the network" before)."""
    assert (
        hilos("entity", "add", "Cartel Nuevo X", "--type", "criminal-organization").exit_code == 0
    )
    merged = hilos(
        "entity", "merge", "Cartel Nuevo X", "Guerreros Unidos", "--source", "Registro, 2023"
    )
    assert merged.exit_code == 0, merged.stderr
    out = tmp_path / "focus.html"
    result = hilos("export", "html", str(out), "--focus", "Cartel Nuevo X")
    assert result.exit_code == 0, result.stderr
    assert "<title>The network within 1 tie of Guerreros Unidos</title>" in out.read_text()
    # the assumption is said on the terminal too, not only read off the page's title
    note = "Cartel Nuevo X is taken as Guerreros Unidos: an identity claim says they are one entity"
    assert note in " ".join(result.stderr.split())
    both = hilos("export", "html", str(out), "--path", "Cartel Nuevo X", "José Luis Abarca")
    assert both.exit_code == 0, both.stderr
    assert note in " ".join(both.stderr.split())
    plain = hilos("export", "html", str(out), "--focus", "Guerreros Unidos")
    assert "is taken as" not in plain.stderr
    # and the page's panel says it, naming the entity asked for (the page's data, in Spanish)
    with Store.open(store_path) as store:
        asked = resolve(store, "Cartel Nuevo X")
        data = html_export.page_data(store, Filters(), focus="Cartel Nuevo X", lang="es")
    (merged,) = data["meta"]["merged"]
    assert merged["asked"] == asked and merged["label"] == "Cartel Nuevo X"
    assert merged["shown"] == GU
    assert data["meta"]["focus"]["node"] == merged["node"]
