"""`hilos export gexf|graphml|csv`: read back with networkx and csv, hostile cells, bad targets."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import networkx as nx
import pytest

from conftest import Hilos
from hilos.network.projection import Filters, project
from hilos.store import Store

HOSTILE = """@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid: <https://w3id.org/hilos/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
hid:evil a hilos:Person ; rdfs:label "=HYPERLINK(\\"http://x\\",\\"y\\")" .
hid:ana a hilos:Person ; rdfs:label "Ana Ñúñez" .
hid:t-evil a hilos:Kinship ; hilos:from hid:evil ; hilos:to hid:ana ;
    hilos:status hilos:Reported ; hilos:quote "+cmd|' /C calc'!A0"@en ;
    prov:wasDerivedFrom hid:report .
"""


@pytest.fixture
def hostile(hilos: Hilos, tmp_path: Path) -> Hilos:
    path = tmp_path / "hostile.ttl"
    path.write_text(HOSTILE, encoding="utf-8")
    assert hilos("load", str(path)).exit_code == 0
    return hilos


def _expected(
    store_path: Path, graphs: tuple[str, ...] = (), *, asserted_only: bool = True
) -> nx.MultiDiGraph:
    with Store.open(store_path) as store:
        return project(store, Filters(graphs=graphs, asserted_only=asserted_only)).graph


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_files_read_back_like_the_projection(hilos: Hilos, tmp_path: Path, fmt: str) -> None:
    """The same nodes and claims as the projection; kind, label, score and the dates as
    stated as it has them. (Values against the source files, and other readers:
    tests/product/test_network_formats_clients.py.)"""
    target = tmp_path / f"net.{fmt}"
    result = hilos("export", fmt, str(target), "--graph", "report/iguala")
    assert result.exit_code == 0, result.stderr
    expected = _expected(hilos.store, ("report/iguala",))
    read = nx.read_gexf(target) if fmt == "gexf" else nx.read_graphml(target)
    assert set(read.nodes) == set(expected.nodes)
    for node, data in expected.nodes(data=True):
        got = read.nodes[node]
        for name in ("label", "kind"):
            assert got.get(name) == data[name]
        assert got["type_iris"].split() == [
            t.replace("hilos:", "https://w3id.org/hilos/ontology#") for t in data["types"]
        ]
    edges = {d["tie"]: (u, v, d) for u, v, d in read.edges(data=True)}
    assert set(edges) == {k for _, _, k in expected.edges(keys=True)}
    for u, v, key, data in expected.edges(keys=True, data=True):
        got_u, got_v, got = edges[key]
        assert (got_u, got_v) == (u, v)
        assert got["relation_iri"] == data["relation"].replace(
            "hilos:", "https://w3id.org/hilos/ontology#"
        )
        for name in ("status", "confidence", "score"):
            assert got.get(name) == data[name]
        assert got.get("start_as_stated") == data["start"]
        assert got.get("end_as_stated") == data["end"]


def test_graph_files_are_the_same_bytes_each_time(hilos: Hilos, tmp_path: Path) -> None:
    for fmt in ("gexf", "graphml"):
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        for target in (first, second):
            assert hilos("export", fmt, str(target), "--all-claims").exit_code == 0
        assert first.read_bytes() == second.read_bytes()


def test_gexf_labels_in_the_language_asked(hilos: Hilos, tmp_path: Path) -> None:
    target = tmp_path / "es.gexf"
    result = hilos("--lang", "es", "export", "gexf", str(target), "--graph", "report/iguala")
    assert result.exit_code == 0, result.stderr
    read = nx.read_gexf(target)
    assert {d["status"] for _, _, d in read.edges(data=True)} == {"reportado"}
    assert {d["status_iri"] for _, _, d in read.edges(data=True)} == {
        "https://w3id.org/hilos/ontology#Reported"
    }
    assert "colusión" in {d["relation"] for _, _, d in read.edges(data=True)}


ASSERTING = {"confirmed", "reported"}


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "csv"])
def test_only_asserted_claims_are_links_unless_every_claim_is_asked(
    hilos: Hilos, tmp_path: Path, fmt: str
) -> None:
    """A plain link is read as a fact: by default only claims whose status asserts their
    relation are written; --all-claims adds the alleged and disputed ones with their status;
    a refuted claim is never a link."""
    statuses: dict[str, set[str]] = {}
    for flags in ((), ("--all-claims",)):
        target = tmp_path / (f"net{len(flags)}.{fmt}" if fmt != "csv" else f"net{len(flags)}")
        result = hilos("export", fmt, str(target), *flags)
        assert result.exit_code == 0, result.stderr
        if fmt == "csv":
            import csv

            with (target / "ties.csv").open(encoding="utf-8-sig", newline="") as handle:
                found = {row["status"] for row in csv.DictReader(handle)}
        else:
            read = nx.read_gexf(target) if fmt == "gexf" else nx.read_graphml(target)
            found = {d["status"] for _, _, d in read.edges(data=True)}
        statuses[" ".join(flags)] = found
        assert "refuted" not in found
    assert statuses[""] and statuses[""] <= ASSERTING
    assert statuses["--all-claims"] >= statuses[""] | {"alleged", "disputed"}
    plain = hilos("export", fmt, str(tmp_path / f"again.{fmt}"))
    assert "--all-claims" in plain.stderr and "refuted" in plain.stderr


def test_graph_files_honour_filters(hilos: Hilos, tmp_path: Path) -> None:
    target = tmp_path / "net.graphml"
    assert hilos("export", "graphml", str(target), "--min-status", "confirmed").exit_code == 0
    read = nx.read_graphml(target)
    assert all(d["status"] == "confirmed" for _, _, d in read.edges(data=True))


def test_csv_opens_neutralises_formulas_and_has_bom(hostile: Hilos, tmp_path: Path) -> None:
    target = tmp_path / "sheets"
    result = hostile("export", "csv", str(target), "--graph", "hostile")
    assert result.exit_code == 0, result.stderr
    assert sorted(os.listdir(target)) == ["nodes.csv", "ties.csv"]
    for name in ("nodes.csv", "ties.csv"):
        assert (target / name).read_bytes().startswith(b"\xef\xbb\xbf")
    with (target / "nodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    labels = {row["label"] for row in nodes}
    assert '\'=HYPERLINK("http://x","y")' in labels
    assert "Ana Ñúñez" in labels
    with (target / "ties.csv").open(encoding="utf-8-sig", newline="") as handle:
        ties = list(csv.DictReader(handle))
    assert len(ties) == 1
    assert ties[0]["from_label"].startswith("'=")
    assert ties[0]["quote"] == "'+cmd|' /C calc'!A0"
    assert ties[0]["status"] == "reported"
    for row in nodes + ties:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


def test_csv_into_existing_folder(hostile: Hilos, tmp_path: Path) -> None:
    target = tmp_path / "there"
    target.mkdir()
    assert hostile("export", "csv", str(target), "--graph", "hostile").exit_code == 0
    assert sorted(os.listdir(target)) == ["nodes.csv", "ties.csv"]


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "ftm", "csv"])
def test_unwritable_target_exits_2_leaving_nothing(hilos: Hilos, tmp_path: Path, fmt: str) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        target = locked / ("out" if fmt == "csv" else f"out.{fmt}")
        result = hilos("export", fmt, str(target), "--graph", "report/iguala")
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert os.listdir(locked) == []
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "ftm", "csv"])
def test_missing_parent_exits_2(hilos: Hilos, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "no" / "such" / ("out" if fmt == "csv" else f"out.{fmt}")
    result = hilos("export", fmt, str(target))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()


def test_ftm_export_of_curated_graph(hilos: Hilos, tmp_path: Path) -> None:
    import json

    target = tmp_path / "iguala.ftm.jsonl"
    result = hilos("export", "ftm", str(target), "--graph", "report/iguala")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    schemata = {line["schema"] for line in lines}
    assert "Person" in schemata
    assert "Family" in schemata  # the mayor and his wife
    ids = {line["id"] for line in lines}
    assert len(ids) == len(lines)


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "ftm", "csv"])
def test_parent_is_a_file_exits_2(hilos: Hilos, tmp_path: Path, fmt: str) -> None:
    """Unwritable even for root: the folder to write in is a file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("keep", encoding="utf-8")
    result = hilos("export", fmt, str(blocker / "out"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert blocker.read_text(encoding="utf-8") == "keep"
    assert sorted(set(os.listdir(tmp_path)) - {"store"}) == ["blocker"]
