"""`hilos export ftm` read back by the `followthemoney` library, the reference implementation of
the model: every entity passes its strict checks (schemata, property types, ranges); curated ties
carry their evidence; import → export keeps every entity and property of the four samples.

Expected values come from the library's own reading of the input files and from the curated
Turtle read with rdflib, never from hilos's output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import rdflib
from followthemoney import model
from followthemoney.types import registry
from rdflib.namespace import RDFS

from conftest import Hilos, shared

HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SAMPLE_NAMES = (
    "az_aliyev_family.ftm.jsonl",
    "react_ftm_sample.ftm.jsonl",
    "t1_eu_fsf.ftm.jsonl",
    "zala_sanctions_cluster.ftm.jsonl",
)
ASSERTING = {"reported", "confirmed"}


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line]


def strict_problems(lines: list[dict[str, Any]], outside: Iterable[str] = ()) -> list[str]:
    """What the library finds wrong with exported entities: unknown or abstract schemata,
    invalid ids, unknown properties, values its property type does not validate or that its
    cleaning changes, and entity references whose target is not in the file with a schema of
    the property's range (references in `outside` stay outside, as they did in the input)."""
    problems: list[str] = []
    by_id: dict[str, dict[str, Any]] = {}
    for line in lines:
        if line["id"] in by_id:
            problems.append(f"{line['id']}: id used twice")
        by_id[line["id"]] = line
    allowed_outside = set(outside)
    for line in lines:
        where = f"{line['schema']} {line['id']}"
        proxy = model.get_proxy(line, cleaned=False)  # raises on an unknown schema
        if proxy.schema.abstract:
            problems.append(f"{where}: abstract schema")
        if not registry.entity.validate(line["id"]):
            problems.append(f"{where}: invalid id")
        cleaned = proxy.to_dict()["properties"]
        for name, values in line["properties"].items():
            prop = proxy.schema.get(name)
            if prop is None:
                problems.append(f"{where}: no property {name}")
                continue
            if sorted(cleaned.get(name, [])) != sorted(values):
                problems.append(f"{where}: {name} changed by cleaning: {values}")
            for value in values:
                if not prop.type.validate(value):
                    problems.append(f"{where}: {name}={value!r} not a valid {prop.type.name}")
                if prop.type == registry.entity and prop.range is not None:
                    target = by_id.get(value)
                    if target is None:
                        if value not in allowed_outside:
                            problems.append(f"{where}: {name} points at {value}, not in the file")
                    elif not model.get(target["schema"]).is_a(prop.range):
                        problems.append(
                            f"{where}: {name} points at a {target['schema']}, "
                            f"not a {prop.range.name}"
                        )
    return problems


def _export(hilos: Hilos, tmp_path: Path, *args: str) -> list[dict[str, Any]]:
    target = tmp_path / "out.ftm.jsonl"
    result = hilos("export", "ftm", str(target), *args)
    assert result.exit_code == 0, result.stderr
    return _read(target)


@pytest.mark.parametrize("flags", [(), ("--all-claims",)], ids=["asserted", "all-claims"])
def test_curated_export_passes_the_library_strict_checks(
    hilos: Hilos, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    lines = _export(hilos, tmp_path, *flags)
    assert lines
    assert strict_problems(lines) == []


def _names(line: dict[str, Any]) -> set[str]:
    props = line["properties"]
    return set(props.get("name", [])) | set(props.get("alias", []))


def _labels(graph: rdflib.Graph, node: rdflib.term.Node) -> set[str]:
    return {str(label) for label in graph.objects(node, RDFS.label)}


def test_curated_ties_carry_quote_status_and_source(
    hilos: Hilos, tmp_path: Path, curated: rdflib.Graph
) -> None:
    """Each exported tie is one claim of the Turtle files: its quote is the `summary`, its
    status the `status` (or, for schemata without one, in the `description`), the citations
    of its sources the `publisher`, its locator the `recordId`; and every asserted claim whose
    two ends were exported is there, each claim an entity of its own."""
    lines = _export(hilos, tmp_path, "--all-claims")
    by_id = {line["id"]: line for line in lines}
    claims: dict[rdflib.term.Node, dict[str, Any]] = {}
    for tie in set(curated.subjects(HILOS["from"], None)):
        status = curated.value(tie, HILOS.status)
        quotes = {str(q) for q in curated.objects(tie, HILOS.quote)}
        modality = curated.value(tie, HILOS.modality)
        if status is None or not quotes or modality not in (None, HILOS.Stated):
            continue  # a recommendation or an intention is no link
        claims[tie] = {
            "from": _labels(curated, curated.value(tie, HILOS["from"])),
            "to": _labels(curated, curated.value(tie, HILOS.to)),
            "quotes": quotes,
            "status": str(status).rsplit("#", 1)[-1].lower(),
            "citations": {
                str(c)
                for source in curated.objects(tie, PROV.wasDerivedFrom)
                for c in curated.objects(source, HILOS.citation)
            },
            "locators": {str(x) for x in curated.objects(tie, HILOS.locator)},
        }
    matched: dict[rdflib.term.Node, str] = {}
    ties = [line for line in lines if model.get(line["schema"]).edge_source]
    assert ties
    for line in ties:
        schema = model.get(line["schema"])
        props = line["properties"]
        start = by_id[props[schema.edge_source][0]]
        end = by_id[props[schema.edge_target][0]]
        said = set(props.get("status", []))
        said |= {word for text in props.get("description", []) for word in text.split()}
        found = [
            tie
            for tie, claim in claims.items()
            if tie not in matched
            and claim["quotes"] <= set(props.get("summary", []))
            and claim["from"] & _names(start)
            and claim["to"] & _names(end)
            and claim["status"] in said
        ]
        # one entity per claim: each exported tie is a claim no other exported tie stands for
        assert found, f"no claim of the Turtle files (left) for {line}"
        tie = found[0]
        assert claims[tie]["citations"] <= set(props.get("publisher", [])), line
        assert claims[tie]["locators"] <= set(props.get("recordId", [])), line
        matched[tie] = line["id"]
    exported_names = [_names(line) for line in lines if not model.get(line["schema"]).edge]
    for tie, claim in claims.items():
        both = any(claim["from"] & n for n in exported_names) and any(
            claim["to"] & n for n in exported_names
        )
        if both and claim["status"] != "refuted":
            assert tie in matched, f"claim {tie} not exported"


TWO_CLAIMS = """@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid: <https://w3id.org/hilos/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
hid:ana a hilos:Person ; rdfs:label "Ana Ñúñez" .
hid:bea a hilos:Person ; rdfs:label "Bea Ortiz" .
hid:vecinos a hilos:Collective ; rdfs:label "Vecinos de la colonia" .
hid:src-a a hilos:Source ; hilos:citation "Diario A, 2020" .
hid:src-b a hilos:Source ; hilos:citation "Diario B, 2021" .
hid:t-1 a hilos:Kinship ; hilos:from hid:ana ; hilos:to hid:bea ;
    hilos:status hilos:Reported ; hilos:quote "Ana es hermana de Bea."@es ;
    hilos:locator "p. 3" ; prov:wasDerivedFrom hid:src-a .
hid:t-2 a hilos:Kinship ; hilos:from hid:ana ; hilos:to hid:bea ;
    hilos:status hilos:Confirmed ; hilos:quote "Las hermanas Ñúñez y Ortiz."@es ;
    prov:wasDerivedFrom hid:src-b .
hid:t-3 a hilos:Membership ; hilos:from hid:ana ; hilos:to hid:vecinos ;
    hilos:status hilos:Reported ; hilos:quote "Ana, vecina de la colonia."@es ;
    prov:wasDerivedFrom hid:src-a .
"""


def test_two_claims_stay_two_entities_and_a_membership_points_at_an_organization(
    hilos: Hilos, tmp_path: Path
) -> None:
    path = tmp_path / "two.ttl"
    path.write_text(TWO_CLAIMS, encoding="utf-8")
    assert hilos("load", str(path), "--graph", "two").exit_code == 0
    lines = _export(hilos, tmp_path, "--graph", "two", "--only")
    assert strict_problems(lines) == []
    families = [line for line in lines if line["schema"] == "Family"]
    assert len(families) == 2
    by_quote = {line["properties"]["summary"][0]: line["properties"] for line in families}
    first = by_quote["Ana es hermana de Bea."]
    assert first["publisher"] == ["Diario A, 2020"]
    assert first["recordId"] == ["p. 3"]
    assert "reported" in " ".join(first["description"]).split()
    second = by_quote["Las hermanas Ñúñez y Ortiz."]
    assert second["publisher"] == ["Diario B, 2021"]
    assert "confirmed" in " ".join(second["description"]).split()
    # a collective is no FtM Organization: the membership becomes a link that says so
    member = [
        line
        for line in lines
        if line["properties"].get("summary") == ["Ana, vecina de la colonia."]
    ]
    assert len(member) == 1
    assert member[0]["schema"] != "Membership"
    assert member[0]["properties"]["status"] == ["reported"]


def test_membership_into_a_legal_entity_exports_an_organization(
    hilos: Hilos, tmp_path: Path
) -> None:
    """A file whose Membership points at a LegalEntity (the library cleans values, not ranges):
    the organisation is written as an Organization, the documented more specific schema."""
    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ana"]}},
        {"id": "le1", "schema": "LegalEntity", "properties": {"name": ["Grupo X"]}},
        {
            "id": "m1",
            "schema": "Membership",
            "properties": {"member": ["p1"], "organization": ["le1"]},
        },
    ]
    path = tmp_path / "le.ftm.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert hilos("import", "ftm", str(path), "--graph", "le").exit_code == 0
    out = _export(hilos, tmp_path, "--graph", "le", "--only")
    assert strict_problems(out) == []
    by_id = {line["id"]: line for line in out}
    assert by_id["le1"]["schema"] == "Organization"
    assert by_id["m1"]["schema"] == "Membership"


def _library_reading(raw: dict[str, Any]) -> dict[str, Any]:
    """The library's cleaned reading of one input line."""
    return model.get_proxy(
        {"id": raw["id"], "schema": raw["schema"], "properties": raw["properties"]}, cleaned=False
    ).to_dict()


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_import_export_keeps_every_entity_and_property(
    hilos: Hilos, tmp_path: Path, name: str
) -> None:
    path = shared("datasets", "followthemoney", name)
    raw = _read(path)
    ids = {e["id"] for e in raw}
    outside = {
        value
        for e in raw
        for prop, values in e["properties"].items()
        if (p := model.get(e["schema"]).get(prop)) is not None and p.type == registry.entity
        for value in values
        if value not in ids
    }
    result = hilos("import", "ftm", str(path), "--graph", "sample")
    assert result.exit_code == 0, result.stderr
    out = _export(hilos, tmp_path, "--graph", "sample", "--only")
    assert strict_problems(out, outside) == []
    by_id = {line["id"]: line for line in out}
    missing: list[str] = []
    for entity in raw:
        expected = _library_reading(entity)
        got = by_id.get(entity["id"])
        if got is None:
            missing.append(f"{entity['schema']} {entity['id']}")
            continue
        assert got["schema"] == expected["schema"], entity["id"]
        for prop, values in expected["properties"].items():
            kept = set(got["properties"].get(prop, []))
            lost = set(values) - kept
            if lost:
                missing.append(f"{entity['schema']}.{prop}: {sorted(lost)[:3]}")
    assert missing == []


def _ftm_validate(source: Path, target: Path) -> list[dict[str, Any]]:
    ftm = Path(sys.executable).with_name("ftm")
    if not ftm.exists():
        pytest.skip("the followthemoney `ftm` command is not beside this Python")
    done = subprocess.run(
        [str(ftm), "validate", "-i", str(source), "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return _read(target)


def test_the_ftm_validate_command_changes_nothing(hilos: Hilos, tmp_path: Path) -> None:
    """`ftm validate` re-reads each entity and cleans every value: what hilos wrote (the
    curated graph and an imported sample) comes back with the same schema and values."""
    path = shared("datasets", "followthemoney", "zala_sanctions_cluster.ftm.jsonl")
    assert hilos("import", "ftm", str(path), "--graph", "zala").exit_code == 0
    target = tmp_path / "all.ftm.jsonl"
    assert hilos("export", "ftm", str(target), "--all-claims").exit_code == 0
    written = _read(target)
    validated = _ftm_validate(target, tmp_path / "validated.ftm.jsonl")
    assert len(validated) == len(written)
    by_id = {line["id"]: line for line in validated}
    for line in written:
        again = by_id[line["id"]]
        assert again["schema"] == line["schema"]
        assert {k: sorted(v) for k, v in again["properties"].items()} == {
            k: sorted(v) for k, v in line["properties"].items()
        }
