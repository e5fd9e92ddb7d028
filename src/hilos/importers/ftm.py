"""FollowTheMoney entities (JSON lines) mapped onto the hilos ontology.

The mapping, decided once and documented here:

* **Actors.** `Person` → `hilos:Person`; `Organization` and `Company` → `hilos:Organization`;
  `PublicBody` → `hilos:StateInstitution`; `LegalEntity` → `hilos:Actor`. A `Company` is *not*
  made a `hilos:Business`: that class puts it in the civil sphere, and a company in a leak may
  be a front of an armed group; FtM does not say, so hilos invents no sphere. Only a public body
  gets one (the state sphere, which is what `PublicBody` means). `Event` → `hilos:Event` (its
  `involved`/`organizer` as `prov:wasAssociatedWith`), `Position` → `org:Post`.
* **Ties.** `Membership` → `hilos:Membership`, `Directorship` → `hilos:Leadership`, `Family` →
  `hilos:Kinship`, `Payment` → `hilos:Funding`; `Ownership`, `Employment`, `Associate`,
  `UnknownLink`, `Representation`, `Occupancy` and `Sanction` → `hilos:GenericTie` whose
  `hilos:relationText` keeps the FtM `role`/`relationship` text (else the schema's name). A
  `Sanction` runs from its `authority` (a text in FtM, made an `hilos:Organization` node of the
  import, with no sphere) to the sanctioned `entity`; its `program` is the relation text.
* Every node and tie keeps its FtM schema as `dcterms:type ftm:<Schema>` and its FtM id as
  `dcterms:identifier`; IRIs are `https://w3id.org/hilos/graph/<graph>/ftm/<id>`.
* **Status.** Every tie is `hilos:Reported`: FtM data asserts its links, and hilos cannot weigh
  them; no confidence is stated.
* **Valid time.** `startDate`/`endDate` (or `date`, for both ends) become `hilos:start` /
  `hilos:end`, partial dates kept and typed `xsd:gYear`, `xsd:gYearMonth` or `xsd:date` (a
  time of day is dropped). With several values, the earliest start and the latest end are kept.
* **Names.** The first `name` is the `rdfs:label`; the other names, `alias`, `previousName` and
  `weakAlias` are `skos:altLabel`s. FtM values carry no language, so the literals are left
  untagged rather than guessed.
* **Provenance.** Every tie is `prov:wasDerivedFrom` a `hilos:Source` for the import (file
  name, sha256, time) and a source per distinct `sourceUrl`, `publisher` and OpenSanctions
  `datasets` value of its entity; nodes point at theirs with `dcterms:source`.
* **References to entities not in the file** are reported, not fatal: the tie is kept and its
  missing end becomes a stub `hilos:Actor` labelled by the id, with `dcterms:identifier` and the
  comment "referenced, not in the file". Entities of other schemata (`Address`, `Passport`,
  `CourtCase`…) are counted as skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from ..errors import BadInput, ParseError
from ..namespaces import DCTERMS, HILOS, PROV, RDF_TYPE, RDFS, SKOS, XSD
from ..output import decoded
from ..store import GRAPH_BASE

FTM_NS = "https://schema.followthemoney.tech/#"
ORG_POST = ox.NamedNode("http://www.w3.org/ns/org#Post")
STUB_COMMENT = "referenced, not in the file"
SANCTION_TEXT = "sanction"

NODE_CLASSES: dict[str, ox.NamedNode] = {
    "Person": HILOS.Person,
    "Organization": HILOS.Organization,
    "Company": HILOS.Organization,
    "PublicBody": HILOS.StateInstitution,
    "LegalEntity": HILOS.Actor,
    "Event": HILOS.Event,
    "Position": ORG_POST,
}
"""FtM schema → the class of its node."""


@dataclass(frozen=True)
class TieSchema:
    cls: ox.NamedNode
    source: str
    target: str
    text: tuple[str, ...]


TIE_SCHEMATA: dict[str, TieSchema] = {
    "Membership": TieSchema(HILOS.Membership, "member", "organization", ("role",)),
    "Directorship": TieSchema(HILOS.Leadership, "director", "organization", ("role",)),
    "Family": TieSchema(HILOS.Kinship, "person", "relative", ("relationship",)),
    "Payment": TieSchema(HILOS.Funding, "payer", "beneficiary", ("purpose",)),
    "Ownership": TieSchema(HILOS.GenericTie, "owner", "asset", ("role",)),
    "Employment": TieSchema(HILOS.GenericTie, "employee", "employer", ("role",)),
    "Associate": TieSchema(HILOS.GenericTie, "person", "associate", ("relationship",)),
    "UnknownLink": TieSchema(HILOS.GenericTie, "subject", "object", ("role",)),
    "Representation": TieSchema(HILOS.GenericTie, "agent", "client", ("role",)),
    "Occupancy": TieSchema(HILOS.GenericTie, "holder", "post", ("role",)),
    "Sanction": TieSchema(HILOS.GenericTie, "authority", "entity", ("program",)),
}
"""FtM schema → tie class, the properties of its from- and to-end, and of its relation text."""

UNMAPPED_REFS = ("addressEntity", "holder", "proof", "parent", "mainCountry", "document", "vessel")
"""Entity-valued FtM properties hilos does not follow; their dangling references are reported."""

NAME_PROPS = ("alias", "previousName", "weakAlias")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")


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
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
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
class FtmReport:
    """What an import found: counts by schema, what was skipped, missing references."""

    path: str
    graph: str
    entities: Counter[str] = field(default_factory=Counter)
    actors: int = 0
    ties: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    missing: list[str] = field(default_factory=list)
    missing_unmapped: Counter[str] = field(default_factory=Counter)
    missing_unmapped_ids: list[str] = field(default_factory=list)
    bad_dates: int = 0
    incomplete: list[str] = field(default_factory=list)
    statements: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "graph": self.graph,
            "entities": dict(self.entities),
            "actors": self.actors,
            "ties": self.ties,
            "skipped": dict(self.skipped),
            "missing_references": len(self.missing),
            "missing_first": self.missing[:10],
            "missing_in_unmapped_properties": dict(self.missing_unmapped),
            "missing_in_unmapped_first": self.missing_unmapped_ids[:10],
            "ties_without_ends": self.incomplete[:10],
            "dates_not_understood": self.bad_dates,
            "statements": self.statements,
        }


def read_entities(path: Path) -> list[dict[str, Any]]:
    """Every entity of a JSON-lines file; a broken line fails naming its number."""
    entities: list[dict[str, Any]] = []
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read: {exc.strerror or exc}") from None
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    entity = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ParseError(str(path), f"not JSON: {exc.msg}", number, exc.colno) from None
                except (ValueError, RecursionError) as exc:  # huge numbers, deep nesting
                    reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                    raise ParseError(str(path), f"not usable JSON: {reason}", number) from None
                try:
                    # "\ud800" is valid JSON but no text: a lone surrogate cannot be stored.
                    json.dumps(entity, ensure_ascii=False).encode("utf-8")
                except UnicodeEncodeError:
                    raise ParseError(
                        str(path), "holds a lone surrogate escape (\\udXXX), not text", number
                    ) from None
                if (
                    not isinstance(entity, dict)
                    or not isinstance(entity.get("id"), str)
                    or not entity["id"]
                    or not isinstance(entity.get("schema"), str)
                ):
                    raise ParseError(
                        str(path), "not a FollowTheMoney entity (needs an id and a schema)", number
                    )
                props = entity.get("properties", {})
                if not isinstance(props, dict) or not all(
                    isinstance(v, list) for v in props.values()
                ):
                    raise ParseError(str(path), "properties must map names to lists", number)
                if not isinstance(entity.get("datasets", []), list):
                    raise ParseError(str(path), "datasets must be a list", number)
                entities.append(entity)
        except UnicodeDecodeError as exc:
            raise ParseError(str(path), f"not UTF-8 text: {exc.reason}") from None
    if not entities:
        raise BadInput(f"{path}: no FollowTheMoney entities in the file")
    return entities


def _values(entity: dict[str, Any], prop: str) -> list[str]:
    values = entity.get("properties", {}).get(prop, [])
    out: list[str] = []
    for value in values:
        if isinstance(value, dict):  # nested entity (Aleph's "links"): keep its id
            value = value.get("id")
        if isinstance(value, str | int | float) and str(value).strip():
            out.append(str(value).strip())
    return out


class _Converter:
    def __init__(self, graph: str, path: Path, sha256: str, report: FtmReport) -> None:
        self.graph = graph
        self.report = report
        self.known: set[str] = set()
        self.stubs: set[str] = set()
        self.sources: set[str] = set()
        self.import_source = ox.NamedNode(base_iri(graph) + "import")
        self.path = path
        self.sha256 = sha256

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
        self.known = {
            e["id"] for e in entities if e["schema"] in NODE_CLASSES or e["schema"] in TIE_SCHEMATA
        }
        for entity in entities:
            schema = entity["schema"]
            self.report.entities[schema] += 1
            if schema in NODE_CLASSES:
                yield from self._node(entity)
            elif schema in TIE_SCHEMATA:
                yield from self._tie(entity, TIE_SCHEMATA[schema])
            else:
                self.report.skipped[schema] += 1
        every = {e["id"] for e in entities}
        for entity in entities:
            for prop in UNMAPPED_REFS:
                for ref in _values(entity, prop):
                    if ref not in every:
                        self.report.missing_unmapped[f"{entity['schema']}.{prop}"] += 1
                        self.report.missing_unmapped_ids.append(ref)
        for ref in sorted(self.stubs):
            yield from self._stub(ref)

    def _provenance(self, entity: dict[str, Any]) -> Iterator[tuple[ox.NamedNode, list[ox.Triple]]]:
        kinds = (
            ("source", _values(entity, "sourceUrl"), HILOS.citation),
            ("publisher", _values(entity, "publisher"), DCTERMS.publisher),
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

    def _dates(self, entity: dict[str, Any], iri: ox.NamedNode) -> Iterator[ox.Triple]:
        starts = _values(entity, "startDate") or _values(entity, "date")
        ends = _values(entity, "endDate") or (
            _values(entity, "date") if not _values(entity, "startDate") else []
        )
        for values, predicate, pick in ((starts, HILOS.start, min), (ends, HILOS.end, max)):
            typed = [d for d in (typed_date(v) for v in values) if d is not None]
            self.report.bad_dates += len(values) - len(typed)
            if typed:
                yield ox.Triple(iri, predicate, pick(typed, key=lambda d: d.value))

    def _common(self, entity: dict[str, Any], iri: ox.NamedNode) -> Iterator[ox.Triple]:
        yield ox.Triple(iri, DCTERMS.identifier, ox.Literal(entity["id"]))
        yield ox.Triple(iri, DCTERMS.type, ox.NamedNode(FTM_NS + entity["schema"]))

    def _node(self, entity: dict[str, Any]) -> Iterator[ox.Triple]:
        schema = entity["schema"]
        iri = node_iri(self.graph, entity["id"])
        yield ox.Triple(iri, RDF_TYPE, NODE_CLASSES[schema])
        yield from self._common(entity, iri)
        names = _values(entity, "name")
        if not names:
            caption = entity.get("caption")
            names = [caption if isinstance(caption, str) and caption.strip() else entity["id"]]
        yield ox.Triple(iri, RDFS.label, ox.Literal(names[0]))
        seen = {names[0]}
        for alt in names[1:] + [v for p in NAME_PROPS for v in _values(entity, p)]:
            if alt not in seen:
                seen.add(alt)
                yield ox.Triple(iri, SKOS.altLabel, ox.Literal(alt))
        for source, triples in self._provenance(entity):
            yield from triples
            yield ox.Triple(iri, DCTERMS.source, source)
        if schema == "Event":
            yield from self._dates(entity, iri)
            for prop in ("involved", "organizer"):
                for ref in _values(entity, prop):
                    yield ox.Triple(iri, PROV.wasAssociatedWith, self._end(ref))
        if schema in ("Person", "Organization", "Company", "PublicBody", "LegalEntity"):
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

    def _tie(self, entity: dict[str, Any], shape: TieSchema) -> Iterator[ox.Triple]:
        schema = entity["schema"]
        sources, targets = _values(entity, shape.source), _values(entity, shape.target)
        if not sources or not targets:
            self.report.skipped[f"{schema} without both ends"] += 1
            self.report.incomplete.append(entity["id"])
            return
        iri = node_iri(self.graph, entity["id"])
        if schema == "Sanction":
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
        yield ox.Triple(iri, RDF_TYPE, shape.cls)
        yield from self._common(entity, iri)
        yield ox.Triple(iri, HILOS["from"], start)
        yield ox.Triple(iri, HILOS.to, end)
        yield ox.Triple(iri, HILOS.status, HILOS.Reported)
        texts = [v for p in shape.text for v in _values(entity, p)]
        if not texts and shape.cls == HILOS.GenericTie:
            texts = [default_text(schema)]
        for text in dict.fromkeys(texts):
            yield ox.Triple(iri, HILOS.relationText, ox.Literal(text))
        yield from self._dates(entity, iri)
        yield ox.Triple(iri, PROV.wasDerivedFrom, self.import_source)
        for source, triples in self._provenance(entity):
            yield from triples
            yield ox.Triple(iri, PROV.wasDerivedFrom, source)
        self.report.ties += 1


def ftm_triples(
    path: Path, graph: str, sha256: str, report: FtmReport
) -> tuple[list[ox.Triple], FtmReport]:
    """Read `path` and convert it; raises before producing anything if a line is broken."""
    entities = read_entities(path)
    converter = _Converter(graph, path, sha256, report)
    triples = list(converter.triples(entities))
    report.statements = len(triples)
    return triples, report
