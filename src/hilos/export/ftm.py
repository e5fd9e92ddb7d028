"""The graph as FollowTheMoney entities (JSON lines), the inverse of `importers.ftm`.

Actors become Person / Organization / PublicBody / Company / LegalEntity (the FtM schema an
import recorded in `dcterms:type` wins; else it follows the hilos class), events Event; ties
that pass the filters become Membership / Directorship / Family / Payment, or the schema an
import recorded, else UnknownLink with the relation as its role. Ids come from
`dcterms:identifier`, else a stable hash of the IRI. Stub ends and sanctioning authorities made
by an import are not written (they were not entities of the file), so import → export →
import gives the same graph.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from pyoxigraph import Literal, NamedNode

from ..entities import pick_label
from ..importers.ftm import FTM_NS, ORG_POST, STUB_COMMENT, TIE_SCHEMATA, default_text
from ..namespaces import DCTERMS, HILOS_NS, PREFIXES, compact
from ..network.projection import Projection
from ..store import Store, solutions

_WANTED = (
    PREFIXES["rdf"] + "type",
    DCTERMS.type.value,
    DCTERMS.identifier.value,
    PREFIXES["rdfs"] + "label",
    PREFIXES["rdfs"] + "comment",
    PREFIXES["skos"] + "altLabel",
    DCTERMS.source.value,
    PREFIXES["prov"] + "wasDerivedFrom",
    PREFIXES["prov"] + "wasAssociatedWith",
    HILOS_NS + "relationText",
    HILOS_NS + "start",
    HILOS_NS + "end",
)
_CLASS_SCHEMA = (
    ("Person", "Person"),
    ("StateInstitution", "PublicBody"),
    ("Business", "Company"),
    ("Organization", "Organization"),
    ("Event", "Event"),
    ("Actor", "LegalEntity"),
)
_RELATION_SCHEMA = {
    "hilos:Membership": "Membership",
    "hilos:Leadership": "Directorship",
    "hilos:Kinship": "Family",
    "hilos:Funding": "Payment",
}


@dataclass
class FtmExport:
    entities: int = 0
    ties: int = 0
    skipped_ties: int = 0
    lines: list[dict[str, Any]] = field(default_factory=list)


def _id(iri: str, facts: dict[str, list[Any]]) -> str:
    ids = sorted(str(t.value) for t in facts.get(DCTERMS.identifier.value, []))
    return ids[0] if ids else "hilos-" + hashlib.sha1(iri.encode()).hexdigest()[:24]


def _texts(facts: dict[str, list[Any]], predicate: str) -> list[str]:
    return sorted({str(t.value) for t in facts.get(predicate, [])})


def ftm_entities(store: Store, projection: Projection, *, lang: str = "en") -> FtmExport:
    graphs = list(projection.filters.graphs) or None
    facts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    values = " ".join(f"<{p}>" for p in _WANTED)
    for row in solutions(
        store.query(
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}",
            graphs=graphs,
            inferred=False,
        )
    ):
        if isinstance(row["s"], NamedNode):
            facts[row["s"].value][row["p"].value].append(row["o"])
    superclasses = store.terminology().superclasses
    rdf_type = PREFIXES["rdf"] + "type"
    excluded = set(projection.filters.exclude)

    def schema_of(iri: str) -> str | None:
        recorded = [
            t.value[len(FTM_NS) :]
            for t in facts[iri].get(DCTERMS.type.value, [])
            if isinstance(t, NamedNode) and t.value.startswith(FTM_NS)
        ]
        if recorded:
            return recorded[0]
        closure: set[str] = set()
        for t in facts[iri].get(rdf_type, []):
            closure |= {t.value} | set(superclasses.get(t.value, ()))
        if ORG_POST.value in closure:
            return "Position"
        for local, schema in _CLASS_SCHEMA:
            if HILOS_NS + local in closure:
                return schema
        return None

    def is_stub(iri: str) -> bool:
        return STUB_COMMENT in _texts(facts[iri], PREFIXES["rdfs"] + "comment") and not any(
            t.value.startswith(FTM_NS) for t in facts[iri].get(DCTERMS.type.value, [])
        )

    def is_authority(iri: str) -> bool:
        return "/ftm/authority/" in iri

    def provenance(iri: str, predicate: str) -> tuple[dict[str, list[str]], list[str]]:
        props: dict[str, list[str]] = defaultdict(list)
        datasets: list[str] = []
        for source in facts[iri].get(predicate, []):
            kind = _texts(facts[source.value], DCTERMS.type.value)
            label = _texts(facts[source.value], PREFIXES["rdfs"] + "label")
            if not kind or not label:
                continue
            if kind[0] == "source":
                props["sourceUrl"].append(label[0])
            elif kind[0] == "publisher":
                props["publisher"].append(label[0])
            elif kind[0] == "dataset":
                datasets.append(label[0])
        return {k: sorted(v) for k, v in props.items()}, sorted(datasets)

    def dates(iri: str, props: dict[str, list[str]], schema: str) -> None:
        start = _texts(facts[iri], HILOS_NS + "start")
        end = _texts(facts[iri], HILOS_NS + "end")
        if schema == "Payment" and start and start == end:
            props["date"] = start
            return
        if start:
            props["startDate"] = start
        if end:
            props["endDate"] = end

    result = FtmExport()
    exported: dict[str, str] = {}
    nodes: list[str] = sorted(
        iri
        for iri, data in facts.items()
        if rdf_type in data and iri not in excluded and not is_authority(iri) and not is_stub(iri)
    )
    node_lines: list[dict[str, Any]] = []
    for iri in nodes:
        schema = schema_of(iri)
        if schema is None or schema in TIE_SCHEMATA:
            continue
        data = facts[iri]
        labels = [t for t in data.get(PREFIXES["rdfs"] + "label", []) if isinstance(t, Literal)]
        name = pick_label(labels, lang) or compact(iri)
        aliases = sorted(
            {str(t.value) for t in labels + data.get(PREFIXES["skos"] + "altLabel", [])} - {name}
        )
        props: dict[str, list[str]] = {"name": [name]}
        if aliases:
            props["alias"] = aliases
        extra, datasets = provenance(iri, DCTERMS.source.value)
        props |= extra
        if schema == "Event":
            dates(iri, props, schema)
        entity_id = _id(iri, data)
        exported[iri] = entity_id
        line: dict[str, Any] = {"id": entity_id, "schema": schema, "properties": props}
        if datasets:
            line["datasets"] = datasets
        node_lines.append(line)
    # Events point at their participants once every node has its id.
    for line, iri in zip(node_lines, [i for i in nodes if i in exported], strict=True):
        if line["schema"] == "Event":
            involved = [
                exported.get(t.value)
                or (_id(t.value, facts[t.value]) if is_stub(t.value) else None)
                for t in facts[iri].get(PREFIXES["prov"] + "wasAssociatedWith", [])
            ]
            if any(involved):
                line["properties"]["involved"] = sorted(i for i in involved if i)
    result.lines.extend(node_lines)
    result.entities = len(node_lines)

    def end_id(iri: str) -> str | None:
        if iri in exported:
            return exported[iri]
        if is_stub(iri):
            return _id(iri, facts[iri])
        return None

    for start, end, key, edge in sorted(
        projection.graph.edges(keys=True, data=True), key=lambda e: e[2]
    ):
        data = facts[key]
        recorded = [
            t.value[len(FTM_NS) :]
            for t in data.get(DCTERMS.type.value, [])
            if isinstance(t, NamedNode) and t.value.startswith(FTM_NS)
        ]
        relation = str(edge.get("relation"))
        schema = recorded[0] if recorded else _RELATION_SCHEMA.get(relation, "UnknownLink")
        shape = TIE_SCHEMATA.get(schema) or TIE_SCHEMATA["UnknownLink"]
        texts = _texts(data, HILOS_NS + "relationText")
        if not recorded and schema == "UnknownLink" and relation != "hilos:GenericTie":
            texts = texts or [relation.split(":", 1)[-1]]
        texts = [t for t in texts if t != default_text(schema)]
        tie_props: dict[str, list[str]] = {}
        if schema == "Sanction" and is_authority(start):
            names = _texts(facts[start], PREFIXES["rdfs"] + "label")
            target = end_id(end)
            if not names or target is None:
                result.skipped_ties += 1
                continue
            tie_props["authority"], tie_props["entity"] = names[:1], [target]
        else:
            source, target = end_id(start), end_id(end)
            if source is None or target is None:
                result.skipped_ties += 1
                continue
            tie_props[shape.source], tie_props[shape.target] = [source], [target]
        if texts:
            tie_props[shape.text[0]] = texts
        dates(key, tie_props, schema)
        extra, datasets = provenance(key, PREFIXES["prov"] + "wasDerivedFrom")
        tie_props |= extra
        line = {"id": _id(key, data), "schema": schema, "properties": tie_props}
        if datasets:
            line["datasets"] = datasets
        result.lines.append(line)
        result.ties += 1
    return result


def write_ftm(export: FtmExport, handle: IO[bytes]) -> None:
    for line in _lines(export):
        handle.write(line.encode("utf-8"))


def _lines(export: FtmExport) -> Iterator[str]:
    for entity in export.lines:
        yield json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n"
