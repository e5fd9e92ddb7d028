"""The graph as FollowTheMoney entities (JSON lines), built and checked with the
`followthemoney` library (the reference implementation of the model), the inverse of
`importers.ftm`.

* **Entities an import read** (they keep their schema in `dcterms:type ftm:<Schema>`) are
  written back with every property value the import kept (under the library's predicates,
  `ftm:<Schema>:<property>`), names in their order with the node's label first; nothing of the
  file is lost, addresses, passports and court cases included. A tie among them also gets the
  claim's `status` (when its schema has the property), which `hilos import ftm` reads back as
  the status.
* **hilos's own nodes** become Person / Organization / PublicBody / Company / LegalEntity /
  Event / Position by their class, with every label (`name` first, the rest as `alias`).
* **hilos's own ties** (one entity per claim, never merged) take the first FtM interval schema
  that fits their relation and whose ranges their ends meet (Membership, Directorship, Family,
  Payment, Occupancy, Employment, Associate), else UnknownLink; the relation is the `role` (or
  `relationship`, `purpose`), the quote the `summary`, the claim in words (relation, status,
  confidence, qualifiers, period) the `description`, the sources' citations the `publisher`
  (URLs the `sourceUrl`), the locator the `recordId`, the claim status the `status`, the
  valid time `startDate` / `endDate`.
* Every value goes through the library's cleaning; an entity a reference needs to be of a more
  specific schema (an FtM `Membership` whose `organization` is a `LegalEntity`) is written with
  that schema (`model.common_schema`); a reference to an entity left out (filtered) is dropped.
  References an import found outside its file stay as they were.

Ids come from `dcterms:identifier`, else a stable hash of the IRI. Stub ends and sanctioning
authorities made by an import are not written (they were not entities of the file), so import
→ export → import gives the same graph.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import unquote

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.schema import Schema
from followthemoney.types import registry
from pyoxigraph import Literal, NamedNode

from .. import sparql
from ..entities import pick_label
from ..importers.ftm import FTM_NS, ORG_POST, STUB_COMMENT, tie_ends
from ..namespaces import DCTERMS, HILOS_NS, PREFIXES, RDF_TYPE, compact
from ..network.projection import Projection
from ..store import Store, solutions
from ..vocab import vocabulary

RDFS_LABEL = PREFIXES["rdfs"] + "label"
_CLASS_SCHEMA = (
    ("Person", "Person"),
    ("StateInstitution", "PublicBody"),
    ("Business", "Company"),
    ("Organization", "Organization"),
    ("Event", "Event"),
    ("Actor", "LegalEntity"),
)
_RELATION_SCHEMATA: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("InGroup", ()),  # one of a grouping a source speaks of together: not a membership
    ("Membership", ("Membership",)),
    ("Leadership", ("Directorship",)),
    ("Kinship", ("Family",)),
    ("Funding", ("Payment",)),
    ("OfficeHolding", ("Occupancy", "Employment")),
    ("CooperationTie", ("Associate",)),
)
"""A hilos tie class (or an ancestor) → the FtM schemata to try, in order; UnknownLink last."""
_TEXT_PROPS = ("role", "relationship", "purpose")


@dataclass
class FtmExport:
    entities: int = 0
    ties: int = 0
    skipped_ties: int = 0
    promoted: int = 0
    """Entities written with a more specific schema than their own, as a reference needed."""
    dropped_references: int = 0
    """References to entities of the graphs that were left out (filtered)."""
    lines: list[dict[str, Any]] = field(default_factory=list)


def _id(iri: str, facts: dict[str, list[Any]]) -> str:
    ids = sorted(str(t.value) for t in facts.get(DCTERMS.identifier.value, []))
    # a stable id derived from the IRI, not a secret: sha1 keeps the ids exports already carry
    digest = hashlib.sha1(iri.encode(), usedforsecurity=False).hexdigest()
    return ids[0] if ids else "hilos-" + digest[:24]


def _texts(facts: dict[str, list[Any]], predicate: str) -> list[str]:
    return sorted({str(t.value) for t in facts.get(predicate, [])})


def _schema(name: str) -> Schema:
    schema = model.get(name)
    if schema is None:  # pragma: no cover - the names are the library's own
        raise LookupError(f"followthemoney has no schema {name}")
    return schema


def _edge_props(schema: Schema) -> tuple[Schema, Schema]:
    """The ranges of an edge schema's source and target properties."""
    ranges = []
    for name in (schema.edge_source, schema.edge_target):
        prop = schema.get(name or "")
        if prop is None or prop.range is None:  # pragma: no cover - edge schemata have both
            raise LookupError(f"followthemoney schema {schema.name} is not an edge")
        ranges.append(prop.range)
    return ranges[0], ranges[1]


def _spaced(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


@dataclass
class _Line:
    """An entity being written: schema, id and property values (entity values are IRIs until
    every id is known)."""

    iri: str
    id: str
    schema: Schema
    props: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    refs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    datasets: list[str] = field(default_factory=list)
    tie: bool = False


class _Exporter:
    def __init__(self, store: Store, projection: Projection, lang: str) -> None:
        self.store = store
        self.projection = projection
        self.lang = lang
        self.graphs = list(projection.filters.graphs) or None
        self.facts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.raw: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.superclasses = store.terminology().superclasses
        self.result = FtmExport()
        self.lines: dict[str, _Line] = {}
        self._read()

    def _read(self) -> None:
        # The facts the exporter looks up (a fixed list of properties, in the .rq) and the FtM
        # values an import kept (their namespace bound from the importer's constant).
        reads: tuple[tuple[str, dict[str, NamedNode], dict[str, dict[str, list[Any]]]], ...] = (
            (sparql.load("ftm-export-facts"), {}, self.facts),
            (sparql.load("ftm-export-properties"), {"namespace": NamedNode(FTM_NS)}, self.raw),
        )
        for query, bindings, into in reads:
            answer = self.store.query(query, bindings=bindings, graphs=self.graphs, inferred=False)
            for row in solutions(answer):
                if isinstance(row["s"], NamedNode):
                    into[row["s"].value][row["p"].value].append(row["o"])

    # --- what an IRI is -------------------------------------------------------------------

    def recorded(self, iri: str) -> Schema | None:
        for t in self.facts[iri].get(DCTERMS.type.value, []):
            if isinstance(t, NamedNode) and t.value.startswith(FTM_NS):
                schema = model.get(t.value[len(FTM_NS) :])
                if schema is not None and not schema.abstract:
                    return schema
        return None

    def native_schema(self, iri: str) -> Schema | None:
        closure: set[str] = set()
        for t in self.facts[iri].get(RDF_TYPE.value, []):
            closure |= {t.value} | set(self.superclasses.get(t.value, ()))
        if ORG_POST.value in closure:
            return _schema("Position")
        for local, schema in _CLASS_SCHEMA:
            if HILOS_NS + local in closure:
                return _schema(schema)
        return None

    def is_stub(self, iri: str) -> bool:
        return STUB_COMMENT in _texts(self.facts[iri], PREFIXES["rdfs"] + "comment") and (
            self.recorded(iri) is None
        )

    def is_claim(self, iri: str) -> bool:
        return HILOS_NS + "from" in self.facts[iri]

    # --- provenance -----------------------------------------------------------------------

    def provenance(self, iri: str, predicate: str, line: _Line, *, native: bool) -> None:
        for source in self.facts[iri].get(predicate, []):
            data = self.facts[source.value]
            kind = _texts(data, DCTERMS.type.value)
            label = _texts(data, RDFS_LABEL)
            citation = _texts(data, HILOS_NS + "citation") or label
            if kind and label and kind[0] == "dataset":
                line.datasets.append(label[0])
            elif kind and label and kind[0] == "source":
                line.props["sourceUrl"].append(label[0])
            elif kind and label and kind[0] == "publisher":
                line.props["publisher"].append(label[0])
            elif native and citation:
                for text in citation:
                    key = "sourceUrl" if registry.url.validate(text) else "publisher"
                    line.props[key].append(text)

    # --- nodes and records ----------------------------------------------------------------

    def from_record(self, iri: str, schema: Schema) -> _Line:
        """An entity an import read, with every property value it kept."""
        data = self.facts[iri]
        line = _Line(iri, _id(iri, data), schema)
        for predicate, objects in self.raw[iri].items():
            prop = model.get_qname(predicate[len(FTM_NS) :])
            if prop is None or schema.get(prop.name) is None:
                continue
            for o in objects:
                if prop.type == registry.entity and isinstance(o, NamedNode):
                    line.refs[prop.name].append(o.value)
                elif isinstance(o, Literal):
                    line.props[prop.name].append(o.value)
        for key in list(line.props):
            line.props[key] = sorted(set(line.props[key]))
        for key in list(line.refs):
            line.refs[key] = sorted(set(line.refs[key]))
        # The value an import made the label or an end goes first, as it was in the file:
        # a second import picks the same one.
        line.props["name"] = self._first(line.props.get("name", []), _texts(data, RDFS_LABEL))
        ends = tie_ends(schema)
        if ends is not None and self.is_claim(iri):
            start, end = data[HILOS_NS + "from"][0].value, data[HILOS_NS + "to"][0].value
            if schema.name == "Sanction":
                authority = _texts(self.facts[start], RDFS_LABEL)
                line.props["authority"] = self._first(line.props["authority"], authority)
            else:
                line.refs[ends[0]] = self._first(line.refs[ends[0]], [start])
            line.refs[ends[1]] = self._first(line.refs[ends[1]], [end])
        self.provenance(iri, DCTERMS.source.value, line, native=False)
        self.provenance(iri, PREFIXES["prov"] + "wasDerivedFrom", line, native=False)
        return line

    @staticmethod
    def _first(values: list[str], first: list[str]) -> list[str]:
        return sorted(values, key=lambda value: (value not in first, value))

    def from_node(self, iri: str, schema: Schema) -> _Line:
        data = self.facts[iri]
        line = _Line(iri, _id(iri, data), schema)
        labels = [t for t in data.get(RDFS_LABEL, []) if isinstance(t, Literal)]
        name = pick_label(labels, self.lang) or compact(iri)
        line.props["name"] = [name]
        aliases = {str(t.value) for t in labels + data.get(PREFIXES["skos"] + "altLabel", [])}
        line.props["alias"] = sorted(aliases - {name})
        self.provenance(iri, DCTERMS.source.value, line, native=True)
        if schema.is_a("Event"):
            self.dates(iri, line)
            for t in data.get(PREFIXES["prov"] + "wasAssociatedWith", []):
                line.refs["involved"].append(t.value)
        return line

    def dates(self, iri: str, line: _Line) -> None:
        start = _texts(self.facts[iri], HILOS_NS + "start")
        end = _texts(self.facts[iri], HILOS_NS + "end")
        if line.schema.name == "Payment" and start and start == end:
            line.props["date"] = start
            return
        line.props["startDate"] += start
        line.props["endDate"] += end

    # --- ties -----------------------------------------------------------------------------

    def tie_schema(self, relation: str, start: Schema, end: Schema) -> Schema:
        """The first FtM interval schema that fits the relation and whose ranges the two
        ends meet; UnknownLink if none does."""
        iri = HILOS_NS + relation.split(":", 1)[-1]
        closure = {iri} | set(self.superclasses.get(iri, ()))
        for cls, names in _RELATION_SCHEMATA:
            if HILOS_NS + cls not in closure:
                continue
            for name in names:
                schema = _schema(name)
                source, target = _edge_props(schema)
                if start.is_a(source) and end.is_a(target):
                    return schema
            break
        return _schema("UnknownLink")

    def from_claim(self, key: str, start: str, end: str, edge: dict[str, Any]) -> _Line | None:
        start_schema, end_schema = self.schema_of(start), self.schema_of(end)
        if start_schema is None or end_schema is None:
            return None
        relation = str(edge.get("relation"))
        schema = self.tie_schema(relation, start_schema, end_schema)
        data = self.facts[key]
        line = _Line(key, _id(key, data), schema, tie=True)
        line.refs[schema.edge_source or "subject"].append(start)
        line.refs[schema.edge_target or "object"].append(end)
        name = relation.split(":", 1)[-1]
        texts = _texts(data, HILOS_NS + "relationText") or [_spaced(name)]
        for prop in _TEXT_PROPS:
            if schema.get(prop) is not None:
                line.props[prop] = texts
                break
        status = edge.get("status")
        words = [f"Claim: {', '.join(texts)}"]
        if status:
            words.append(f"Status: {status}")
            if schema.get("status") is not None:
                line.props["status"] = [status]
        if edge.get("confidence") is not None:
            words.append(f"Confidence: {edge['confidence']}")
        vocab = vocabulary()
        qualifiers = []
        for q in data.get(HILOS_NS + "qualifier", []):
            concept = vocab.concept(q.value)
            qualifiers.append(concept.label(self.lang) if concept else compact(q.value))
        if qualifiers:
            words.append(f"Qualifiers: {', '.join(sorted(qualifiers))}")
        for period in _texts(data, HILOS_NS + "period"):
            words.append(f"Period: {period}")
        line.props["description"] = ["\n".join(words)]
        line.props["summary"] = _texts(data, HILOS_NS + "quote")
        line.props["recordId"] = _texts(data, HILOS_NS + "locator")
        self.dates(key, line)
        self.provenance(key, PREFIXES["prov"] + "wasDerivedFrom", line, native=True)
        return line

    def schema_of(self, iri: str) -> Schema | None:
        if iri in self.lines:
            return self.lines[iri].schema
        if self.is_stub(iri):
            return _schema("LegalEntity")
        return None

    # --- the whole export -----------------------------------------------------------------

    def run(self) -> FtmExport:
        excluded = set(self.projection.filters.exclude)
        subjects = sorted(
            iri
            for iri, data in self.facts.items()
            if (RDF_TYPE.value in data or self.recorded(iri) is not None)
            and iri not in excluded
            and "/ftm/authority/" not in iri
            and not self.is_stub(iri)
            and not self.is_claim(iri)
        )
        for iri in subjects:
            recorded = self.recorded(iri)
            if recorded is not None:
                self.lines[iri] = self.from_record(iri, recorded)
                continue
            schema = self.native_schema(iri)
            if schema is not None and not schema.edge:
                self.lines[iri] = self.from_node(iri, schema)
        nodes = len(self.lines)
        for start, end, key, edge in sorted(
            self.projection.graph.edges(keys=True, data=True), key=lambda e: e[2]
        ):
            recorded = self.recorded(key)
            if recorded is not None:
                line = self.from_record(key, recorded)
                line.tie = True
                if recorded.get("status") is not None and edge.get("status"):
                    line.props["status"] = sorted(set(line.props["status"]) | {edge["status"]})
            else:
                made = self.from_claim(key, start, end, edge)
                if made is None:
                    self.result.skipped_ties += 1
                    continue
                line = made
            self.lines[key] = line
        self.result.ties = len(self.lines) - nodes
        self.result.entities = nodes
        self.fit_ranges()
        self.result.lines = [self.finish(line) for line in self.lines.values()]
        return self.result

    def ref_id(self, iri: str) -> str | None:
        """The id a reference is written with, or None if it names an entity left out."""
        if iri in self.lines:
            return self.lines[iri].id
        data = self.facts.get(iri)
        if data and self.is_stub(iri):
            return _id(iri, data)
        if data and (RDF_TYPE.value in data or self.recorded(iri) is not None):
            return None  # in the graphs, but not written (filtered out)
        marker = "/ftm/"
        if marker in iri:  # referenced by an imported file, but not in it: as it was
            return unquote(iri.rsplit(marker, 1)[1])
        return None

    def fit_ranges(self) -> None:
        """Give an entity the more specific schema a reference to it needs (an FtM
        Membership's organization that the file made a LegalEntity becomes an
        Organization); a reference no schema can satisfy is dropped."""
        changed = True
        while changed:
            changed = False
            for line in self.lines.values():
                for name, targets in line.refs.items():
                    prop = line.schema.get(name)
                    if prop is None or prop.range is None:
                        continue
                    for target in list(targets):
                        other = self.lines.get(target)
                        if other is None or other.schema.is_a(prop.range):
                            continue
                        try:
                            other.schema = model.common_schema(other.schema, prop.range)
                        except InvalidData:
                            targets.remove(target)
                            self.result.dropped_references += 1
                            continue
                        self.result.promoted += 1
                        changed = True

    def finish(self, line: _Line) -> dict[str, Any]:
        proxy = model.make_entity(line.schema)
        proxy.id = line.id
        for name, values in line.props.items():
            if values and line.schema.get(name) is not None:
                proxy.add(name, values, quiet=True)
        for name, targets in line.refs.items():
            for target in targets:
                ref = self.ref_id(target)
                if ref is None:
                    self.result.dropped_references += 1
                    continue
                proxy.add(name, ref, quiet=True)
        out: dict[str, Any] = proxy.to_dict()
        out = {"id": out["id"], "schema": out["schema"], "properties": out["properties"]}
        if line.datasets:
            out["datasets"] = sorted(set(line.datasets))
        return out


def ftm_entities(store: Store, projection: Projection, *, lang: str = "en") -> FtmExport:
    """The entities and claims of the projection as FollowTheMoney entities (see the module)."""
    return _Exporter(store, projection, lang).run()


def write_ftm(export: FtmExport, handle: IO[bytes]) -> None:
    for line in _lines(export):
        handle.write(line.encode("utf-8"))


def _lines(export: FtmExport) -> Iterator[str]:
    for entity in export.lines:
        yield json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n"
