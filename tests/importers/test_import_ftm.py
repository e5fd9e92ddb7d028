"""`hilos import ftm` on every FollowTheMoney sample of ../shared/datasets, and on broken files.

Expected counts are computed from the raw files with `json`, never pasted."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import rdflib
from followthemoney import model
from rdflib.compare import isomorphic

from conftest import REPO, Hilos, needs_shared
from hilos.store import Store

FTM_DIR = REPO.parent / "shared" / "datasets" / "followthemoney"
SAMPLES = sorted(FTM_DIR.glob("*.jsonl"))
ACTORS = ("Person", "Organization", "Company", "PublicBody", "LegalEntity")
IMPORT_SOURCE = "/ftm/import"


def _raw(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _count(hilos: Hilos, graph: str, sparql: str) -> int:
    result = hilos("query", "-", "--graph", graph, "--format", "csv", input=sparql)
    assert result.exit_code == 0, result.stderr
    return int(result.stdout.splitlines()[1].strip())


def _graph_turtle(hilos: Hilos, graph: str) -> rdflib.Graph:
    result = hilos("export", "ntriples", "-", "--graph", graph)
    assert result.exit_code == 0, result.stderr
    parsed = rdflib.Graph().parse(data=result.stdout, format="nt")
    # What legitimately differs between two imports: the import's own source (file name,
    # sha256, time). Its IRI is the same, so the ties still point at it.
    for subject in {s for s in parsed.subjects() if str(s).endswith(IMPORT_SOURCE)}:
        parsed.remove((subject, None, None))
    return parsed


# Most tests read the FollowTheMoney samples beside the checkout.
pytestmark = needs_shared("datasets", "followthemoney")


def test_samples_exist() -> None:
    assert len(SAMPLES) == 4


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_each_sample_imports_with_counts_from_the_raw_file(hilos: Hilos, path: Path) -> None:
    raw = _raw(path)
    schemata = Counter(str(e["schema"]) for e in raw)
    result = hilos("import", "ftm", str(path), "--graph", "sample", "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["entities"] == dict(schemata)
    assert summary["actors"] == sum(n for s, n in schemata.items() if s in ACTORS)
    # ties: the library's edge schemata (and Sanction, from its authority to its entity)
    edges = {s for s in schemata if model.get(s).edge or s == "Sanction"}
    assert summary["ties"] == sum(schemata[s] for s in edges)
    # every other entity (an address, a passport, a court case) is kept, not skipped
    assert summary["other_entities"] == sum(
        n for s, n in schemata.items() if s not in edges and s not in ACTORS
    )
    assert summary["skipped"] == {}
    # In the store: every tie by its FtM schema, with both ends and status reported.
    for schema in edges:
        assert (
            _count(
                hilos,
                "sample",
                "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t dcterms:type "
                f"<https://schema.followthemoney.tech/#{schema}> ; hilos:from ?a ; hilos:to ?b ; "
                "hilos:status hilos:Reported }",
            )
            == schemata[schema]
        )
    for schema in set(schemata) & set(ACTORS):
        assert (
            _count(
                hilos,
                "sample",
                "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a hilos:Actor ; dcterms:type "
                f"<https://schema.followthemoney.tech/#{schema}> ; dcterms:identifier ?id }}",
            )
            == schemata[schema]
        )


def test_dates_are_typed_partial_dates(hilos: Hilos) -> None:
    path = FTM_DIR / "az_aliyev_family.ftm.jsonl"
    assert hilos("import", "ftm", str(path), "--graph", "az").exit_code == 0
    raw = _raw(path)
    with_start = sum(1 for e in raw if e["properties"].get("startDate"))
    assert _count(hilos, "az", "SELECT (COUNT(?t) AS ?n) WHERE { ?t hilos:start ?s }") == with_start
    assert (
        _count(
            hilos,
            "az",
            "SELECT (COUNT(?t) AS ?n) WHERE { ?t hilos:start ?s FILTER(DATATYPE(?s) NOT IN "
            "(xsd:date, xsd:gYearMonth, xsd:gYear)) }",
        )
        == 0
    )


def test_missing_references_are_reported_not_fatal(hilos: Hilos, tmp_path: Path) -> None:
    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ana"], "alias": ["La Jefa"]}},
        {
            "id": "m1",
            "schema": "Membership",
            "properties": {
                "member": ["p1"],
                "organization": ["elsewhere-1"],
                "startDate": ["2014"],
            },
        },
    ]
    path = tmp_path / "refs.ftm.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = hilos("import", "ftm", str(path))
    assert result.exit_code == 0
    assert "1 reference(s) to entities not in the file" in result.stderr
    assert "elsewhere-1" in result.stderr
    assert (
        _count(
            hilos,
            "refs",
            "SELECT (COUNT(?s) AS ?n) WHERE { ?s a hilos:Actor ; "
            'dcterms:identifier "elsewhere-1" ; '
            'rdfs:comment "referenced, not in the file" }',
        )
        == 1
    )
    assert _count(hilos, "refs", "SELECT (COUNT(?t) AS ?n) WHERE { ?t a hilos:Membership }") == 1


def test_zala_addresses_outside_the_file_are_reported(hilos: Hilos) -> None:
    path = FTM_DIR / "zala_sanctions_cluster.ftm.jsonl"
    raw = _raw(path)
    ids = {e["id"] for e in raw}
    outside = sum(
        1 for e in raw for ref in e["properties"].get("addressEntity", []) if ref not in ids
    )
    result = hilos("import", "ftm", str(path), "--format", "json")
    assert result.exit_code == 0
    assert sum(json.loads(result.stdout)["missing_in_unmapped_properties"].values()) == outside
    assert f"{outside} reference(s) to entities not in the file" in result.stderr


def test_broken_json_line_loads_nothing(hilos: Hilos, tmp_path: Path) -> None:
    good = (FTM_DIR / "react_ftm_sample.ftm.jsonl").read_text(encoding="utf-8").splitlines()
    broken = [*good[:5], '{"id": "x", "schema": "Person", "properties": {', *good[5:]]
    path = tmp_path / "broken.ftm.jsonl"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    before = hilos("graphs", "--format", "json").stdout
    result = hilos("import", "ftm", str(path))
    assert result.exit_code == 2
    assert "line 6" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert hilos("graphs", "--format", "json").stdout == before


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_round_trip_import_export_import_is_isomorphic(
    hilos: Hilos, path: Path, tmp_path: Path
) -> None:
    """Compared as RDF graphs (rdflib isomorphism), not as projected networks: the RDF holds
    everything the import wrote (labels, aliases, ids, schemata, dates, sources), the network
    only part of it. Only the import's own source node (file name, sha256, time) is removed."""
    assert hilos("import", "ftm", str(path), "--graph", "rt").exit_code == 0
    first = _graph_turtle(hilos, "rt")
    out = tmp_path / "out.ftm.jsonl"
    result = hilos("export", "ftm", str(out), "--graph", "rt")
    assert result.exit_code == 0, result.stderr
    result = hilos("import", "ftm", str(out), "--graph", "rt", "--replace")
    assert result.exit_code == 0, result.stderr
    second = _graph_turtle(hilos, "rt")
    assert len(first) == len(second)
    assert isomorphic(first, second)


def test_store_api_unchanged_by_failed_import(store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.ftm.jsonl"
    path.write_text("\n", encoding="utf-8")
    hilos = Hilos(store_path)
    result = hilos("import", "ftm", str(path))
    assert result.exit_code == 2
    assert "no FollowTheMoney entities" in result.stderr
    with Store.open(store_path) as store:
        assert "empty" not in {g.name for g in store.graphs()}
