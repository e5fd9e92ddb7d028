"""The evidence model (`hilos.evidence`) and its one serialisation.

The views of a claim (a card's tie, a path's hop, a dossier's row, a user's claim) are built on
`Claim`; their JSON is written by `Record.as_dict`. The JSON the commands print is a contract, so
each view's dict is compared, key order included, with the hand-written `as_dict` it replaced
(kept here as `_old_*`, copied from the code before the change), on the curated graph. The ends
of each tie are checked against an rdflib reading of the Turtle files.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import rdflib

from hilos import claims
from hilos.changes import Change
from hilos.entities import TieView, card
from hilos.evidence import Claim, Node, Record, Source, as_dict, plain
from hilos.export.dossier import build_dossier
from hilos.importers.ftm import FtmReport
from hilos.network.brokers import Broker, BrokersResult
from hilos.network.centrality import CentralityResult, centrality
from hilos.network.communities import CommunitiesResult, Community, communities
from hilos.network.disrupt import DisruptResult, Step, disrupt
from hilos.network.evidence import Hop, ScoredClaim, sources_of
from hilos.network.hotspots import Hotspot
from hilos.network.paths import find_paths
from hilos.network.projection import Filters, project
from hilos.search import SearchHit
from hilos.store import Store
from hilos.terms import Term, Terms

SRC = Path(__file__).resolve().parents[2] / "src" / "hilos"
HID = "https://w3id.org/hilos/id/"
H = rdflib.Namespace("https://w3id.org/hilos/ontology#")
ABARCA = HID + "jose-luis-abarca"
GUERREROS = HID + "guerreros-unidos"
POLICE = HID + "iguala-municipal-police"


def _pairs(found: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A dict with its key order, nested dicts too (JSON writes keys in order)."""
    return json.loads(json.dumps(found), object_pairs_hook=list)  # type: ignore[no-any-return]


# --- the rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plain(Record):
    from_: str
    to: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Shaped(Record):
    iri: str
    score: float
    inner: _Plain | None = None

    json_keys: ClassVar[tuple[str, ...]] = ("iri", "doubled", "score", "inner")
    json_names: ClassVar[Mapping[str, str]] = {"iri": "id"}
    json_values: ClassVar[Mapping[str, Any]] = {"score": lambda s: round(s, 1)}

    @property
    def doubled(self) -> float:
        return self.score * 2


def test_fields_in_order_a_trailing_underscore_dropped_tuples_as_lists() -> None:
    found = _Plain("a", "b", ("x", "y")).as_dict()
    assert list(found.items()) == [("from", "a"), ("to", "b"), ("tags", ["x", "y"])]


def test_keys_properties_renames_shapes_and_nested_records() -> None:
    found = _Shaped("urn:x", 0.26, _Plain("a", "b")).as_dict()
    assert list(found) == ["id", "doubled", "score", "inner"]
    assert found["doubled"] == 0.52 and found["score"] == 0.3
    assert found["inner"] == {"from": "a", "to": "b", "tags": []}
    assert as_dict(_Shaped("urn:x", 1.0)) == {
        "id": "urn:x",
        "doubled": 2.0,
        "score": 1.0,
        "inner": None,
    }


def test_plain_goes_into_mappings_and_lists_and_leaves_scalars() -> None:
    value = {"a": [Source("s", "C", "q", None)], "b": (1, (2,)), "c": None}
    assert plain(value) == {
        "a": [{"id": "s", "citation": "C", "quote": "q", "locator": None}],
        "b": [1, [2]],
        "c": None,
    }
    assert plain("text") == "text" and plain(3) == 3


def test_the_model_imports_nothing_of_hilos() -> None:
    tree = ast.parse((SRC / "evidence.py").read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [m for m in imported if m.startswith("hilos") or m == ""], imported
    relative = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
    assert not relative


# --- the views are claims ---------------------------------------------------------------------


def test_views_are_claims_and_keep_their_own_fields() -> None:
    for view in (TieView, ScoredClaim, Hop, claims.ClaimView):
        assert issubclass(view, Claim)
    claim_fields = {f.name for f in dataclasses.fields(Claim)}
    assert {"relation_label", "direction", "other_label"} <= {
        f.name for f in dataclasses.fields(TieView)
    } - claim_fields
    assert {"forward", "claims", "score"} <= {
        f.name for f in dataclasses.fields(Hop)
    } - claim_fields


def test_a_cards_ties_point_the_way_the_graph_says(
    memory_store: Store, curated: rdflib.Graph
) -> None:
    for entity in (ABARCA, GUERREROS):
        ties = card(memory_store, entity).ties
        assert ties
        for tie in ties:
            node = rdflib.URIRef(tie.tie)
            ends = (str(curated.value(node, H["from"])), str(curated.value(node, H.to)))
            assert (tie.from_, tie.to) == ends, tie.tie
            here = tie.from_ if tie.direction == "out" else tie.to
            assert here == entity and tie.other == (ends[1] if here == ends[0] else ends[0])
            assert tie.id == tie.tie
            cited = {str(s) for s in curated.objects(node, rdflib.PROV.wasDerivedFrom)}
            assert {s.id for s in tie.sources} == cited


# --- byte-equal JSON: each view against the hand-written dict it replaced ------------------------


def _old_tie(t: TieView) -> dict[str, object]:
    return {
        "tie": t.id,
        "relation": t.relation,
        "relation_label": t.relation_label,
        "direction": t.direction,
        "other": {"id": t.other, "label": t.other_label, "sphere": t.other_sphere},
        "status": t.status,
        "confidence": t.confidence,
        "start": t.start,
        "end": t.end,
        "quote": t.quote,
        "locator": t.locator,
        "market": t.market,
        "relation_text": t.relation_text,
        "qualifiers": list(t.qualifiers),
        "period": t.period,
        "modality": t.modality,
        "reason": t.reason,
        "sources": [{"id": s.id, "citation": s.citation} for s in t.sources],
    }


def _old_source(s: Source) -> dict[str, Any]:
    return {"id": s.id, "citation": s.citation, "quote": s.quote, "locator": s.locator}


def _old_claim(c: ScoredClaim) -> dict[str, Any]:
    return {
        "id": c.id,
        "relation": c.relation,
        "from": c.from_,
        "to": c.to,
        "status": c.status,
        "confidence": c.confidence,
        "start": c.start,
        "end": c.end,
        "period": c.period,
        "qualifiers": list(c.qualifiers),
        "score": c.score,
        "quote": c.quote,
        "locator": c.locator,
        "sources": [_old_source(s) for s in c.sources],
    }


def _old_hop(h: Hop) -> dict[str, Any]:
    return {
        "tie": h.tie,
        "relation": h.relation,
        "from": h.from_,
        "to": h.to,
        "forward": h.forward,
        "status": h.status,
        "confidence": h.confidence,
        "start": h.start,
        "end": h.end,
        "score": h.score,
        "qualifiers": list(h.qualifiers),
        "period": h.period,
        "sources": [_old_source(s) for s in h.sources],
        "claims": [_old_claim(c) for c in h.claims],
        "aggregation": h.aggregation,
    }


def test_a_cards_ties_are_written_as_before(memory_store: Store) -> None:
    for entity in (ABARCA, GUERREROS):
        for tie in card(memory_store, entity).ties:
            assert _pairs(tie.as_dict()) == _pairs(_old_tie(tie))


def test_a_paths_hops_are_written_as_before(memory_store: Store) -> None:
    projection = project(memory_store, Filters(directed=False))
    found = find_paths(memory_store, projection, ABARCA, GUERREROS, limit=3)
    hops = [h for path in found for h in path.hops]
    assert hops
    for h in hops:
        assert _pairs(h.as_dict()) == _pairs(_old_hop(h))
        chosen = next(c for c in h.claims if c.id == h.tie)
        assert (h.sources, h.quote, h.locator) == (chosen.sources, chosen.quote, chosen.locator)


def test_a_dossiers_rows_hold_the_claims_with_their_sources(memory_store: Store) -> None:
    dossier = build_dossier(memory_store, entity=ABARCA)
    assert dossier.ties
    for row in dossier.ties:
        assert isinstance(row.claim, ScoredClaim)
        assert row.claim.sources == sources_of(memory_store, row.claim.tie)
        assert {row.from_.id, row.to.id} == {row.claim.from_, row.claim.to}
        assert ABARCA in (row.claim.from_, row.claim.to)
    by_path = build_dossier(memory_store, path=[ABARCA, GUERREROS])
    assert by_path.paths
    for section in by_path.paths:
        counted = [row for row in section.rows if row.counted]
        assert [row.number for row in counted] == list(range(1, len(counted) + 1))
        assert math.isclose(math.prod(row.claim.score for row in counted), section.score)


def test_a_users_claims_and_their_history_are_written_as_before() -> None:
    store = Store.in_memory()
    view = claims.add_claim(
        store,
        "Mayor X (fictional)",
        "protection",
        "Zetas",
        source="Interview 1 (2024)",
        quote="A witness says so.",
        status="alleged",
        create_from="mayor",
    )
    assert view.change is not None
    old = {
        "id": view.id,
        "short_id": view.short_id,
        "graph": view.graph,
        "relation": view.relation,
        "relation_label": view.relation_label,
        "from": {"id": view.from_, "label": view.from_label},
        "to": {"id": view.to, "label": view.to_label},
        "status": view.status,
        "confidence": view.confidence,
        "start": view.start,
        "end": view.end,
        "qualifiers": list(view.qualifiers),
        "quote": view.quote,
        "locator": view.locator,
        "sources": ["Interview 1 (2024)"],
        "reason": view.reason,
        "recorded": view.recorded,
        "modified": view.modified,
        "change": _old_change(view.change),
    }
    assert _pairs(view.as_dict()) == _pairs(old)
    assert [s.citation for s in view.sources] == ["Interview 1 (2024)"] == list(view.citations)
    version = claims.claim_history(store, view.short_id)[0]
    assert _pairs(version.as_dict()) == _pairs(
        {
            "id": version.id,
            "current": version.current,
            "relation": version.relation,
            "from": version.from_label,
            "to": version.to_label,
            "status": version.status,
            "quote": version.quote,
            "sources": list(version.sources),
            "reason": version.reason,
            "since": version.since,
            "until": version.until,
        }
    )


def _old_change(c: Change) -> dict[str, object]:
    return {
        "id": c.iri,
        "number": c.number,
        "action": c.action,
        "time": c.time,
        "changed": c.changed,
        "reason": c.reason,
        "added": c.added,
        "removed": c.removed,
        "undoes": c.undoes,
        "graph": c.graph,
        "file": c.title,
    }


def test_results_of_the_analyses_and_search_are_written_as_before() -> None:
    broker = Broker("urn:a", "A", "state", 0.25, {"liaison": 2, "coordinator": 1})
    assert _pairs(broker.as_dict()) == _pairs(
        {
            "id": "urn:a",
            "label": "A",
            "sphere": "state",
            "score": 0.25,
            "cross_sphere_betweenness": 0.25,
            "roles": {
                "coordinator": 1,
                "itinerant": 0,
                "gatekeeper": 0,
                "representative": 0,
                "liaison": 2,
            },
            "cross_sphere_brokerage": broker.cross_sphere_brokerage,
        }
    )
    result = BrokersResult([broker], 7, None).as_dict()
    assert list(result) == ["cross_sphere_pairs", "sampled_sources", "brokers"]
    hotspot = Hotspot("urn:p", "P", ("hilos:Municipality",), 0.5, {"ties": 1.0}, ("urn:a",))
    assert _pairs(hotspot.as_dict()) == _pairs(
        {
            "id": "urn:p",
            "label": "P",
            "types": ["hilos:Municipality"],
            "score": 0.5,
            "components": {"ties": 1.0},
            "actors": ["urn:a"],
        }
    )
    hit = SearchHit(
        "urn:a", "A", ("hilos:Mayor",), None, 0.123456, "A", True, (("abrca", "abarca"),)
    )
    assert _pairs(hit.as_dict()) == _pairs(
        {
            "id": "urn:a",
            "label": "A",
            "types": ["hilos:Mayor"],
            "sphere": None,
            "score": 0.123,
            "matched": "A",
            "fuzzy": True,
            "corrected": [{"typed": "abrca", "read": "abarca"}],
        }
    )
    assert Node("urn:a", "A").as_dict() == {"id": "urn:a", "label": "A", "sphere": None}


@dataclass(frozen=True)
class _Noted(Record):
    name: str
    note: str | None = None
    items: tuple[str, ...] = ()

    json_optional: ClassVar[frozenset[str]] = frozenset({"note", "items"})


def test_an_optional_key_is_left_out_when_empty_and_kept_in_place_otherwise() -> None:
    assert _Noted("a").as_dict() == {"name": "a"}
    assert _Noted("a", "").as_dict() == {"name": "a"}
    assert _pairs(_Noted("a", "why", ("x",)).as_dict()) == [
        ("name", "a"),
        ("note", "why"),
        ("items", ["x"]),
    ]


# The hand-written `as_dict` of the analyses, the terms and the FtM report, as they were before
# they moved onto `Record` (copied from the code before the change).


def _old_centrality(r: CentralityResult) -> dict[str, Any]:
    return {
        "measure": r.measure,
        "weighted": r.weighted,
        "directed": r.directed,
        "nodes": r.nodes,
        "sampled_sources": r.sampled,
        "ranking": [
            {"id": x.id, "label": x.label, "sphere": x.sphere, "score": x.score} for x in r.ranking
        ],
    }


def _old_community(c: Community) -> dict[str, Any]:
    return {
        "community": c.number,
        "size": len(c.members),
        "spheres": c.spheres,
        "members": [m.as_dict() for m in c.members],
    }


def _old_communities(r: CommunitiesResult) -> dict[str, Any]:
    return {
        "method": r.method,  # added since (issue 17: Leiden, or Louvain where it does better)
        "modularity": r.modularity,
        "seed": r.seed,
        "resolution": r.resolution,
        "weighted": r.weighted,
        "communities": [_old_community(c) for c in r.communities],
    }


def _old_step(s: Step) -> dict[str, Any]:
    return {
        "removed": s.removed,
        "lcc_fraction": s.lcc_fraction,
        "lcc_size": s.lcc_size,
        "nodes_left": s.nodes_left,
    }


def _old_disrupt(r: DisruptResult) -> dict[str, Any]:
    result: dict[str, Any] = {
        "strategy": r.strategy,
        "mode": r.mode,
        "block_size": r.block_size,
        "weighted": r.weighted,
        "intact_lcc": r.intact_lcc,
        "steps": [_old_step(s) for s in r.steps],
    }
    if r.note:
        result["note"] = r.note
    return result


def _old_term(t: Term) -> dict[str, object]:
    return {
        "id": t.iri,
        "name": t.name,
        "kind": t.kind,
        "label": t.labels.get("en"),
        "label_es": t.labels.get("es"),
        "sphere": t.sphere,
        "definition": t.definitions.get("en"),
        "definition_es": t.definitions.get("es"),
    }


def _old_ftm_report(r: FtmReport) -> dict[str, Any]:
    return {
        "path": r.path,
        "graph": r.graph,
        "entities": dict(r.entities),
        "actors": r.actors,
        "ties": r.ties,
        "other_entities": r.records,
        "skipped": dict(r.skipped),
        "properties_not_in_schema": dict(r.unknown_properties),
        "values_refused_by_cleaning": dict(r.refused_values),
        "missing_references": len(r.missing),
        "missing_first": r.missing[:10],
        "missing_in_unmapped_properties": dict(r.missing_unmapped),
        "missing_in_unmapped_first": r.missing_unmapped_ids[:10],
        "ties_without_ends": r.incomplete[:10],
        "dates_not_understood": r.bad_dates,
        "statements": r.statements,
    }


def test_the_analyses_of_the_curated_network_are_written_as_before(memory_store: Store) -> None:
    graph = project(memory_store, Filters(directed=False)).graph
    for measure in ("degree", "betweenness"):
        ranking = centrality(graph, measure, samples=5 if measure == "betweenness" else None)
        assert ranking.ranking
        assert _pairs(ranking.as_dict()) == _pairs(_old_centrality(ranking))
    found = communities(graph, seed=0)
    assert len(found.communities) > 1
    assert _pairs(found.as_dict()) == _pairs(_old_communities(found))
    for steps in (3, 10_000):
        simulated = disrupt(graph, "degree", steps=steps)
        assert bool(simulated.note) == (steps == 10_000)
        assert _pairs(simulated.as_dict()) == _pairs(_old_disrupt(simulated))


def test_the_terms_of_the_ontology_are_written_as_before(memory_store: Store) -> None:
    terms = Terms.of(memory_store)
    every = [*terms.types.values(), *terms.ties.values()]
    assert any(t.labels.get("es") and t.definitions.get("es") for t in every)
    for term in every:
        assert _pairs(term.as_dict()) == _pairs(_old_term(term))


def test_an_ftm_import_report_is_written_as_before() -> None:
    report = FtmReport("in.json", "g", actors=2, ties=3, records=4, bad_dates=1, statements=9)
    report.entities.update({"Person": 2, "Membership": 3})
    report.skipped["Directorship without both ends"] += 1
    report.unknown_properties["Person.fooBar"] += 1
    report.refused_values["Person.birthDate"] += 2
    report.missing.extend(f"m{i}" for i in range(12))
    report.missing_unmapped["Sanction.entity"] += 1
    report.missing_unmapped_ids.extend(f"u{i}" for i in range(11))
    report.incomplete.extend(f"d{i}" for i in range(13))
    written = report.as_dict()
    assert (written["missing_references"], len(written["missing_first"])) == (12, 10)
    assert _pairs(written) == _pairs(_old_ftm_report(report))
    assert _pairs(FtmReport("e.json", "e").as_dict()) == _pairs(
        _old_ftm_report(FtmReport("e.json", "e"))
    )
