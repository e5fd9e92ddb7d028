"""FollowTheMoney entities (JSON lines) mapped onto the hilos ontology, read with the
`followthemoney` library (the reference implementation of the model: its schemata, property
types and cleaning), not with a table of our own.

The mapping, decided once and documented here:

* **Every entity is kept.** The library reads and cleans each entity; every property value it
  keeps is stored under the library's own RDF predicate (`ftm:<Schema>:<property>`, as its
  `export-rdf` names them; entity references as the IRI of the referenced entity), so
  `hilos export ftm` writes the entity back whole. Values the schema has no property for, or
  that the property's type refuses, are counted in the report; an unknown or abstract schema
  is skipped and counted. Entities that are neither actors nor ties (`Address`, `Passport`,
  `CourtCase`…) keep their schema, id, caption and properties, outside the network.
* **Actors.** `Person` → `hilos:Person`; `PublicBody` → `hilos:StateInstitution`; other
  `Organization`s (`Company` included) → `hilos:Organization`; other `LegalEntity`s →
  `hilos:Actor`. A `Company` is *not* made a `hilos:Business`: that class puts it in the civil
  sphere, and a company in a leak may be a front of an armed group; FtM does not say, so hilos
  invents no sphere. Only a public body gets one (the state sphere). `Event` → `hilos:Event`
  (its `involved`/`organizer` as `prov:wasAssociatedWith`), `Position` → `org:Post`.
* **Ties.** Every edge schema of the library is a tie from its `edge_source` to its
  `edge_target`: `Membership` → `hilos:Membership`, `Directorship` → `hilos:Leadership`,
  `Family` → `hilos:Kinship`, `Payment` → `hilos:Funding`, the others (`Ownership`,
  `Employment`, `Associate`, `UnknownLink`, `Representation`, `Occupancy`…) → `hilos:GenericTie`
  whose `hilos:relationText` keeps the `role`/`relationship`/`purpose`/`program` text (else the
  schema's name). A `Sanction` runs from its `authority` (a text in FtM, made an
  `hilos:Organization` node of the import, with no sphere) to the sanctioned `entity`. A tie
  without both ends is kept as an entity outside the network, and reported.
* Every node and tie keeps its FtM schema as `dcterms:type ftm:<Schema>` and its FtM id as
  `dcterms:identifier`; IRIs are `https://w3id.org/hilos/graph/<graph>/ftm/<id>`.
* **Status.** A tie is `hilos:Reported` (FtM data asserts its links; hilos cannot weigh them),
  unless its `status` holds a hilos status key (`alleged`, `confirmed`…, as `hilos export ftm`
  writes the claim status): then that (the most cautious if several). No confidence.
* **Valid time.** `startDate`/`endDate` (or `date`, for both ends) become `hilos:start` /
  `hilos:end`, partial dates kept and typed `xsd:gYear`, `xsd:gYearMonth` or `xsd:date` (a
  time of day is dropped). With several values, the earliest start and the latest end are kept.
* **Names.** The first `name` is the `rdfs:label`; the other names, `alias`, `previousName` and
  `weakAlias` are `skos:altLabel`s. FtM values carry no language, so the literals are left
  untagged rather than guessed.
* **Provenance.** Every tie is `prov:wasDerivedFrom` a `hilos:Source` for the import (file
  name, sha256, time) and a source per distinct `sourceUrl`, `publisher` and OpenSanctions
  `datasets` value of its entity; nodes point at theirs with `dcterms:source`.
* **References to entities not in the file** are reported, not fatal: a tie is kept and its
  missing end becomes a stub `hilos:Actor` labelled by the id, with `dcterms:identifier` and
  the comment "referenced, not in the file"; other references (an `addressEntity`) are kept
  as they are and counted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeGuard
from urllib.parse import quote

import pyoxigraph as ox
from followthemoney import model
from followthemoney.property import Property
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema
from followthemoney.types import registry

from ..errors import BadInput, ParseError
from ..errors import message as _
from ..evidence import Record
from ..namespaces import DCTERMS, HILOS, PROV, RDF_TYPE, RDFS, SKOS, XSD
from ..render import decoded
from ..store import GRAPH_BASE
from ..vocab import vocabulary

FTM_NS = "https://schema.followthemoney.tech/#"
ORG_POST = ox.NamedNode("http://www.w3.org/ns/org#Post")
STUB_COMMENT = "referenced, not in the file"
SANCTION_TEXT = "sanction"

NODE_CLASSES: dict[str, ox.NamedNode] = {
    "Person": HILOS.Person,
    "PublicBody": HILOS.StateInstitution,
    "Organization": HILOS.Organization,
    "LegalEntity": HILOS.Actor,
    "Event": HILOS.Event,
    "Position": ORG_POST,
}
"""FtM schema → the class of its node, most specific first: a schema takes the class of the
first of these it is (by the library's `Schema.is_a`), so `Company` is an `hilos:Organization`."""

TIE_SCHEMATA: dict[str, ox.NamedNode] = {
    "Membership": HILOS.Membership,
    "Directorship": HILOS.Leadership,
    "Family": HILOS.Kinship,
    "Payment": HILOS.Funding,
}
"""FtM schema → tie class; every other edge schema of the library (and `Sanction`) is an
`hilos:GenericTie`. The ends are the library's `edge_source` and `edge_target`."""

RELATION_TEXT_PROPS = ("role", "relationship", "purpose", "program")
"""The properties whose values become a tie's `hilos:relationText`, where its schema has them."""

NAME_PROPS = ("alias", "previousName", "weakAlias")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")


def prop_iri(prop: Property) -> ox.NamedNode:
    """The predicate that keeps an FtM property's values: the library's own RDF name for it
    (`https://schema.followthemoney.tech/#Thing:name`)."""
    return ox.NamedNode(FTM_NS + prop.qname)


def node_class(schema: Schema) -> ox.NamedNode | None:
    """The hilos class of an entity of `schema` that becomes a node, else None."""
    for name, cls in NODE_CLASSES.items():
        if schema.is_a(name):
            return cls
    return None


def tie_ends(schema: Schema) -> tuple[str, str] | None:
    """The properties of a tie's from- and to-end, from the library (None: not a tie)."""
    if schema.name == "Sanction":
        return "authority", "entity"
    if schema.edge_source and schema.edge_target:
        return schema.edge_source, schema.edge_target
    return None


def default_text(schema: str) -> str:
    """The relation text of a tie whose FtM entity gives no role: the schema's name, spaced."""
    if schema == "Sanction":
        return SANCTION_TEXT
    return re.sub(r"(?<!^)(?=[A-Z])", " ", schema).lower()


def base_iri(graph: str) -> str:
    return f"{GRAPH_BASE}{quote(graph, safe='/-_.~')}/ftm/"


def node_iri(graph: str, ftm_id: str) -> ox.NamedNode:
    return ox.NamedNode(base_iri(graph) + quote(ftm_id, safe="-_.~"))


def _hashed(graph: str, kind: str, text: str) -> ox.NamedNode:
    # a stable name derived from the text, not a secret: sha1 keeps the IRIs imports already made
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    return ox.NamedNode(f"{base_iri(graph)}{kind}/{digest}")


def authority_iri(graph: str, authority: str) -> ox.NamedNode:
    return _hashed(graph, "authority", authority)


def typed_date(text: str) -> ox.Literal | None:
    """A partial FtM date as a typed literal (`None` if it is not a date)."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return ox.Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if month:
        return ox.Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return ox.Literal(year, datatype=XSD.gYear)


@dataclass
class FtmReport(Record):
    """What an import found: counts by schema, what was skipped, missing references."""

    path: str
    graph: str
    entities: Counter[str] = field(default_factory=Counter)
    actors: int = 0
    ties: int = 0
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unknown_properties: Counter[str] = field(default_factory=Counter)
    refused_values: Counter[str] = field(default_factory=Counter)
    missing: list[str] = field(default_factory=list)
    missing_unmapped: Counter[str] = field(default_factory=Counter)
    missing_unmapped_ids: list[str] = field(default_factory=list)
    bad_dates: int = 0
    incomplete: list[str] = field(default_factory=list)
    statements: int = 0

    json_keys: ClassVar[tuple[str, ...]] = (
        "path",
        "graph",
        "entities",
        "actors",
        "ties",
        "records",
        "skipped",
        "unknown_properties",
        "refused_values",
        "missing_references",
        "missing_first",
        "missing_unmapped",
        "missing_in_unmapped_first",
        "ties_without_ends",
        "bad_dates",
        "statements",
    )
    json_names: ClassVar[Mapping[str, str]] = {
        "records": "other_entities",
        "unknown_properties": "properties_not_in_schema",
        "refused_values": "values_refused_by_cleaning",
        "missing_unmapped": "missing_in_unmapped_properties",
        "bad_dates": "dates_not_understood",
    }

    @property
    def missing_references(self) -> int:
        return len(self.missing)

    @property
    def missing_first(self) -> list[str]:
        """The first ten missing references (a report, not the list: it may be long)."""
        return self.missing[:10]

    @property
    def missing_in_unmapped_first(self) -> list[str]:
        return self.missing_unmapped_ids[:10]

    @property
    def ties_without_ends(self) -> list[str]:
        return self.incomplete[:10]


def read_entities(path: Path) -> list[dict[str, Any]]:
    """Every entity of a JSON-lines file; a broken line fails naming its number."""
    entities: list[dict[str, Any]] = []
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(
            _("{path}: cannot be read: {reason}", path=path, reason=exc.strerror or exc)
        ) from None
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    entities.append(_entity_of_line(str(path), line, number))
        except UnicodeDecodeError as exc:
            raise ParseError(str(path), f"not UTF-8 text: {exc.reason}") from None
    if not entities:
        raise BadInput(_("{path}: no FollowTheMoney entities in the file", path=path))
    return entities


def _entity_of_line(path: str, line: str, number: int) -> dict[str, Any]:
    """The entity on line `number`: JSON, storable as text, with an id, a schema, properties
    that are lists and datasets that are a list; `ParseError` naming the line otherwise."""
    try:
        entity = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ParseError(path, _("not JSON: {reason}", reason=exc.msg), number, exc.colno) from None
    except (ValueError, RecursionError) as exc:  # huge numbers, deep nesting
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ParseError(path, f"not usable JSON: {reason}", number) from None
    try:
        # "\ud800" is valid JSON but no text: a lone surrogate cannot be stored.
        json.dumps(entity, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(
            path, "holds a lone surrogate escape (\\udXXX), not text", number
        ) from None
    if not _is_entity(entity):
        raise ParseError(path, _("not a FollowTheMoney entity (needs an id and a schema)"), number)
    props = entity.get("properties", {})
    if not isinstance(props, dict) or not all(isinstance(v, list) for v in props.values()):
        raise ParseError(path, "properties must map names to lists", number)
    if not isinstance(entity.get("datasets", []), list):
        raise ParseError(path, "datasets must be a list", number)
    return entity


def _is_entity(entity: object) -> TypeGuard[dict[str, Any]]:
    """Whether a JSON value has what every FollowTheMoney entity has: an id and a schema."""
    return (
        isinstance(entity, dict)
        and isinstance(entity.get("id"), str)
        and bool(entity["id"])
        and isinstance(entity.get("schema"), str)
    )


def read_proxy(entity: dict[str, Any], report: FtmReport) -> EntityProxy | None:
    """The library's cleaned reading of one entity (None, and counted, if its schema is not
    one of the model's concrete schemata). Properties the schema does not have, and values the
    property's type refuses, are counted."""
    schema = model.get(entity["schema"])
    if schema is None or schema.abstract:
        report.skipped[entity["schema"]] += 1
        return None
    proxy = model.make_entity(schema)
    proxy.id = entity["id"]
    for name, values in entity.get("properties", {}).items():
        prop = schema.get(name)
        if prop is None:
            report.unknown_properties[f"{schema.name}.{name}"] += len(values)
            continue
        for value in values:
            if isinstance(value, dict):  # a nested entity (Aleph's API): keep its id
                value = value.get("id")
            if value is None or not str(value).strip():
                continue
            cleaned = prop.type.clean(value, proxy=proxy)
            if cleaned is None:
                report.refused_values[f"{schema.name}.{name}"] += 1
                continue
            proxy.add(prop, cleaned, cleaned=True)
    return proxy


def _values(proxy: EntityProxy, prop: str) -> list[str]:
    return list(proxy.get(prop, quiet=True))


class _Converter:
    def __init__(self, graph: str, path: Path, sha256: str, report: FtmReport) -> None:
        self.graph = graph
        self.report = report
        self.known: set[str] = set()
        self.every: set[str] = set()
        self.stubs: set[str] = set()
        self.sources: set[str] = set()
        self.import_source = ox.NamedNode(base_iri(graph) + "import")
        self.path = path
        self.sha256 = sha256
        self.statuses = {key: vocabulary().status(key) for key in vocabulary().status_keys}

    def triples(self, entities: list[dict[str, Any]]) -> Iterator[ox.Triple]:
        t = ox.Triple
        src = self.import_source
        yield t(src, RDF_TYPE, HILOS.Source)
        shown = decoded(self.path.name)
        yield t(src, RDFS.label, ox.Literal(f"FollowTheMoney import of {shown}"))
        yield t(src, HILOS.citation, ox.Literal(shown))
        yield t(src, DCTERMS.identifier, ox.Literal(f"sha256:{self.sha256}"))
        yield t(
            src,
            DCTERMS.created,
            ox.Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime),
        )
        read: list[tuple[dict[str, Any], EntityProxy]] = []
        for entity in entities:
            self.report.entities[entity["schema"]] += 1
            proxy = read_proxy(entity, self.report)
            if proxy is not None:
                read.append((entity, proxy))
        self.known = self.every = {str(proxy.id) for _, proxy in read}
        for entity, proxy in read:
            schema = proxy.schema
            iri = node_iri(self.graph, str(proxy.id))
            consumed: set[tuple[str, str]] = set()
            ends = tie_ends(schema)
            if ends is not None:
                consumed = yield from self._tie(entity, proxy, ends)
            elif node_class(schema) is not None:
                yield from self._node(entity, proxy)
            else:
                yield from self._record(proxy)
            yield from self._properties(proxy, iri, consumed)
        for ref in sorted(self.stubs):
            yield from self._stub(ref)

    def _properties(
        self, proxy: EntityProxy, iri: ox.NamedNode, consumed: set[tuple[str, str]]
    ) -> Iterator[ox.Triple]:
        """Every property value as the library cleaned it, under the library's own predicate:
        what an export writes back, so nothing of the file is lost."""
        for prop, value in proxy.itervalues():
            if (prop.name, value) in consumed:
                continue
            if prop.type == registry.entity:
                if value not in self.every and value not in self.stubs:
                    self.report.missing_unmapped[f"{proxy.schema.name}.{prop.name}"] += 1
                    self.report.missing_unmapped_ids.append(value)
                yield ox.Triple(iri, prop_iri(prop), node_iri(self.graph, value))
            else:
                yield ox.Triple(iri, prop_iri(prop), ox.Literal(value))

    def _provenance(
        self, entity: dict[str, Any], proxy: EntityProxy
    ) -> Iterator[tuple[ox.NamedNode, list[ox.Triple]]]:
        kinds = (
            ("source", _values(proxy, "sourceUrl"), HILOS.citation),
            ("publisher", _values(proxy, "publisher"), DCTERMS.publisher),
            ("dataset", [d for d in entity.get("datasets", []) if isinstance(d, str)], None),
        )
        for kind, values, predicate in kinds:
            for value in values:
                iri = _hashed(self.graph, kind, value)
                triples: list[ox.Triple] = []
                if iri.value not in self.sources:
                    self.sources.add(iri.value)
                    text = ox.Literal(value)
                    triples += [
                        ox.Triple(iri, RDF_TYPE, HILOS.Source),
                        ox.Triple(iri, RDFS.label, text),
                        ox.Triple(iri, DCTERMS.type, ox.Literal(kind)),
                    ]
                    if predicate is not None and predicate != HILOS.citation:
                        triples.append(ox.Triple(iri, predicate, text))
                    triples.append(ox.Triple(iri, HILOS.citation, text))
                yield iri, triples

    def _dates(self, proxy: EntityProxy, iri: ox.NamedNode) -> Iterator[ox.Triple]:
        starts = _values(proxy, "startDate") or _values(proxy, "date")
        ends = _values(proxy, "endDate") or (
            _values(proxy, "date") if not _values(proxy, "startDate") else []
        )
        for values, predicate, pick in ((starts, HILOS.start, min), (ends, HILOS.end, max)):
            typed = [d for d in (typed_date(v) for v in values) if d is not None]
            self.report.bad_dates += len(values) - len(typed)
            if typed:
                yield ox.Triple(iri, predicate, pick(typed, key=lambda d: d.value))

    def _common(self, proxy: EntityProxy, iri: ox.NamedNode) -> Iterator[ox.Triple]:
        yield ox.Triple(iri, DCTERMS.identifier, ox.Literal(str(proxy.id)))
        yield ox.Triple(iri, DCTERMS.type, ox.NamedNode(FTM_NS + proxy.schema.name))

    def _record(self, proxy: EntityProxy) -> Iterator[ox.Triple]:
        """An entity that is neither actor nor tie (an address, a passport, a court case):
        kept with its schema, id, caption and every property, outside the network."""
        iri = node_iri(self.graph, str(proxy.id))
        yield from self._common(proxy, iri)
        if proxy.caption and proxy.caption != proxy.schema.label:
            yield ox.Triple(iri, RDFS.label, ox.Literal(proxy.caption))
        self.report.records += 1

    def _node(self, entity: dict[str, Any], proxy: EntityProxy) -> Iterator[ox.Triple]:
        schema = proxy.schema
        iri = node_iri(self.graph, str(proxy.id))
        cls = node_class(schema)
        assert cls is not None  # noqa: S101 - only mapped schemata reach here (narrows the type)
        yield ox.Triple(iri, RDF_TYPE, cls)
        yield from self._common(proxy, iri)
        names = _values(proxy, "name")
        if not names:
            caption = entity.get("caption")
            names = [caption if isinstance(caption, str) and caption.strip() else str(proxy.id)]
        yield ox.Triple(iri, RDFS.label, ox.Literal(names[0]))
        seen = {names[0]}
        for alt in names[1:] + [v for p in NAME_PROPS for v in _values(proxy, p)]:
            if alt not in seen:
                seen.add(alt)
                yield ox.Triple(iri, SKOS.altLabel, ox.Literal(alt))
        for source, triples in self._provenance(entity, proxy):
            yield from triples
            yield ox.Triple(iri, DCTERMS.source, source)
        if schema.is_a("Event"):
            yield from self._dates(proxy, iri)
            for prop in ("involved", "organizer"):
                for ref in _values(proxy, prop):
                    yield ox.Triple(iri, PROV.wasAssociatedWith, self._end(ref))
        if schema.is_a("LegalEntity"):
            self.report.actors += 1

    def _end(self, ref: str) -> ox.NamedNode:
        iri = node_iri(self.graph, ref)
        if ref not in self.known and ref not in self.stubs:
            self.stubs.add(ref)
            self.report.missing.append(ref)
        return iri

    def _stub(self, ref: str) -> Iterator[ox.Triple]:
        iri = node_iri(self.graph, ref)
        yield ox.Triple(iri, RDF_TYPE, HILOS.Actor)
        yield ox.Triple(iri, RDFS.label, ox.Literal(ref))
        yield ox.Triple(iri, DCTERMS.identifier, ox.Literal(ref))
        yield ox.Triple(iri, RDFS.comment, ox.Literal(STUB_COMMENT))

    def _status(self, proxy: EntityProxy) -> tuple[ox.NamedNode, set[tuple[str, str]]]:
        """The claim's status: a `status` value that is a hilos status key (as an export
        writes it; the most cautious if several), else reported. The value used is not kept
        as a property: the export writes it back from the claim."""
        keys = [v for v in _values(proxy, "status") if v in self.statuses]
        if not keys:
            return HILOS.Reported, set()
        key = min(keys, key=lambda k: (self.statuses[k].rank, k))
        return ox.NamedNode(self.statuses[key].iri), {("status", key)}

    def _tie(
        self, entity: dict[str, Any], proxy: EntityProxy, ends: tuple[str, str]
    ) -> Generator[ox.Triple, None, set[tuple[str, str]]]:
        schema = proxy.schema
        sources, targets = _values(proxy, ends[0]), _values(proxy, ends[1])
        iri = node_iri(self.graph, str(proxy.id))
        if not sources or not targets:
            self.report.skipped[f"{schema.name} without both ends"] += 1
            self.report.incomplete.append(str(proxy.id))
            yield from self._record(proxy)
            return set()
        if schema.name == "Sanction":
            authority = authority_iri(self.graph, sources[0])
            if authority.value not in self.sources:
                self.sources.add(authority.value)
                yield ox.Triple(authority, RDF_TYPE, HILOS.Organization)
                yield ox.Triple(authority, RDFS.label, ox.Literal(sources[0]))
                yield ox.Triple(
                    authority, RDFS.comment, ox.Literal("sanctioning authority named by FtM")
                )
            start = authority
        else:
            start = self._end(sources[0])
        end = self._end(targets[0])
        cls = TIE_SCHEMATA.get(schema.name, HILOS.GenericTie)
        status, consumed = self._status(proxy)
        yield ox.Triple(iri, RDF_TYPE, cls)
        yield from self._common(proxy, iri)
        yield ox.Triple(iri, HILOS["from"], start)
        yield ox.Triple(iri, HILOS.to, end)
        yield ox.Triple(iri, HILOS.status, status)
        texts = [v for p in RELATION_TEXT_PROPS for v in _values(proxy, p)]
        if not texts and cls == HILOS.GenericTie:
            texts = [default_text(schema.name)]
        for text in dict.fromkeys(texts):
            yield ox.Triple(iri, HILOS.relationText, ox.Literal(text))
        yield from self._dates(proxy, iri)
        yield ox.Triple(iri, PROV.wasDerivedFrom, self.import_source)
        for source, triples in self._provenance(entity, proxy):
            yield from triples
            yield ox.Triple(iri, PROV.wasDerivedFrom, source)
        self.report.ties += 1
        return consumed


def ftm_triples(
    path: Path, graph: str, sha256: str, report: FtmReport
) -> tuple[list[ox.Triple], FtmReport]:
    """Read `path` and convert it; raises before producing anything if a line is broken."""
    entities = read_entities(path)
    converter = _Converter(graph, path, sha256, report)
    triples = list(converter.triples(entities))
    report.statements = len(triples)
    return triples, report
