"""Entities: naming them and their evidence card (a name is resolved to one by `hilos.search`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pyoxigraph import BlankNode, Literal, NamedNode

from . import sparql
from .display import card_html
from .evidence import Claim, Node, Source, cited_sources
from .namespaces import HILOS, HILOS_NS, RDF_TYPE, RDFS, SKOS, compact, expand
from .store import Store, solutions
from .store.indexes import View
from .vocab import vocabulary


def pick_label(labels: list[Literal], lang: str = "en") -> str | None:
    """The label in `lang`, else one in no language (a name as written: "Juez W"), else
    English, else Spanish, else any.

    >>> names = [Literal("Cártel de Sinaloa", language="es"), Literal("Sinaloa", language="en")]
    >>> pick_label(names)
    'Sinaloa'
    >>> pick_label([Literal("Cártel de Sinaloa", language="es")], "fr")
    'Cártel de Sinaloa'
    >>> pick_label([Literal("Juez W", language="es"), Literal("Judge W")], "en")
    'Judge W'
    """
    if not labels:
        return None
    for wanted in (lang, "", "en", "es"):
        for label in labels:
            language = (label.language or "").lower()
            if language.startswith(wanted) if wanted else not language:
                return label.value
    return sorted(label.value for label in labels)[0]


@dataclass(frozen=True)
class Summary:
    """What identifies an entity at a glance."""

    id: str
    label: str
    labels: tuple[tuple[str, str], ...]
    aliases: tuple[tuple[str, str], ...]
    types: tuple[str, ...]
    spheres: tuple[str, ...]
    comments: tuple[str, ...]

    @property
    def sphere(self) -> str | None:
        return self.spheres[0] if self.spheres else None


def most_specific(store: Store, types: set[str]) -> list[str]:
    """The compact names of the types not implied by another of them, hilos classes first."""
    superclasses = store.terminology().superclasses
    implied: set[str] = set()
    for cls in types:
        implied |= superclasses.get(cls, frozenset())
    specific = [t for t in types if t not in implied]
    hilos_first = sorted(specific, key=lambda t: (not t.startswith(HILOS_NS), compact(t)))
    return [compact(t) for t in hilos_first]


def describe(store: Store, iri: str, *, lang: str = "en") -> Summary:
    """Labels, aliases, most specific types and spheres of an entity."""
    labels: list[Literal] = []
    aliases: list[Literal] = []
    types: set[str] = set()
    spheres: set[str] = set()
    comments: list[Literal] = []
    for prop, value in _summary_rows(store, NamedNode(iri)):
        if prop in (RDFS.label, SKOS.prefLabel) and isinstance(value, Literal):
            labels.append(value)
        elif prop == SKOS.altLabel and isinstance(value, Literal):
            aliases.append(value)
        elif prop == RDF_TYPE and isinstance(value, NamedNode):
            types.add(value.value)
        elif prop == HILOS.sphere and isinstance(value, NamedNode):
            spheres.add(vocabulary().sphere_name(value.value))
        elif isinstance(value, Literal):
            comments.append(value)
    return Summary(
        id=iri,
        label=pick_label(labels, lang) or compact(iri),
        labels=tuple(sorted((lab.language or "", lab.value) for lab in labels)),
        aliases=tuple(sorted((lab.language or "", lab.value) for lab in aliases)),
        types=tuple(most_specific(store, types)),
        spheres=vocabulary().by_sphere_order(spheres),
        comments=tuple(c.value for c in comments if (c.language or lang).startswith(lang))
        or tuple(c.value for c in comments),
    )


_SUMMARY_PROPERTIES = (
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    RDF_TYPE,
    HILOS.sphere,
    RDFS.comment,
    SKOS.definition,
    SKOS.scopeNote,
)


def _summary_rows(store: Store, entity: NamedNode) -> list[tuple[Any, Any]]:
    """(property, value) of an entity's names, types, spheres and notes, as `entity-summary.rq`
    gives them (property by property); read from the indexes on the embedded store."""
    if store.remote:
        rows = solutions(store.query(sparql.load("entity-summary"), bindings={"entity": entity}))
        return [(row["property"], row["value"]) for row in rows]
    by_property: dict[NamedNode, list[Any]] = defaultdict(list)
    for prop, value in View(store).statements(entity):
        by_property[prop].append(value)
    return [(prop, value) for prop in _SUMMARY_PROPERTIES for value in by_property.get(prop, ())]


def exists(store: Store, iri: str) -> bool:
    """Whether anything is said about the entity, as subject or object."""
    if not store.remote:
        view, entity = View(store), NamedNode(iri)
        return any(True for _ in view.quads(entity, None, None)) or any(
            True for _ in view.quads(None, None, entity)
        )
    rows = solutions(store.query(sparql.load("entity-exists"), bindings={"entity": NamedNode(iri)}))
    return any(True for _ in rows)


@dataclass(frozen=True, kw_only=True)
class TieView(Claim):
    """One tie of an entity, seen from that entity: the claim, which way it points
    (`direction`: `out` from the entity, `in` towards it) and the other end's label and
    sphere."""

    relation_label: str
    direction: str
    other_label: str
    other_sphere: str | None = None

    json_keys: ClassVar[tuple[str, ...]] = (
        "tie",
        "relation",
        "relation_label",
        "direction",
        "other_end",
        "status",
        "confidence",
        "start",
        "end",
        "quote",
        "locator",
        "market",
        "relation_text",
        "qualifiers",
        "period",
        "modality",
        "reason",
        "sources",
    )
    json_names: ClassVar[Mapping[str, str]] = {"other_end": "other"}
    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {"sources": cited_sources}

    @property
    def other(self) -> str:
        """The IRI of the other end of the tie."""
        return self.to if self.direction == "out" else self.from_

    @property
    def other_end(self) -> Node:
        return Node(self.other, self.other_label, self.other_sphere)


@dataclass(frozen=True)
class Card:
    """Everything hilos knows of one entity, each tie with its evidence."""

    summary: Summary
    statements: tuple[tuple[str, str], ...]
    ties: tuple[TieView, ...] = field(default_factory=tuple)

    def _repr_html_(self) -> str:
        """How a notebook shows it (see `hilos.display`)."""
        return card_html(self)

    def as_dict(self) -> dict[str, object]:
        s = self.summary
        return {
            "id": s.id,
            "label": s.label,
            "labels": [{"lang": lang, "value": value} for lang, value in s.labels],
            "aliases": [{"lang": lang, "value": value} for lang, value in s.aliases],
            "types": list(s.types),
            "sphere": s.sphere,
            "spheres": list(s.spheres),
            "comments": list(s.comments),
            "statements": [{"property": p, "value": v} for p, v in self.statements],
            "ties": [tie.as_dict() for tie in self.ties],
        }


def _class_label(store: Store, compact_name: str, lang: str) -> str:
    iri = expand(compact_name) or compact_name
    return describe(store, iri, lang=lang).label


def _literal_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, NamedNode):
        return value.value
    return str(getattr(value, "value", value))


_TIE_FIELDS = (
    "status",
    "confidence",
    "start",
    "end",
    "quote",
    "locator",
    "market",
    "relationText",
    "period",
    "modality",
    "reason",
)
_SOURCE = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")

Row = Mapping[str, Any]


def _tie_rows(store: Store, entity: NamedNode) -> tuple[list[Row], list[Row]]:
    """The solutions of `entity-ties.rq` and `entity-tie-sources.rq` for an entity. On the
    embedded store they are read from the indexes (tie by tie: a query planned before its
    entity is bound would scan every tie); on a remote endpoint, by the two queries."""
    if store.remote:
        bound = {"entity": entity}
        return (
            list(solutions(store.query(sparql.load("entity-ties"), bindings=bound))),
            list(solutions(store.query(sparql.load("entity-tie-sources"), bindings=bound))),
        )
    view = View(store)
    ties: list[Row] = []
    sources: list[Row] = []
    ends = [
        (HILOS["from"], HILOS.to, Literal("out")),
        (HILOS.to, HILOS["from"], Literal("in")),
    ]
    seen: set[Any] = set()
    for here, there, direction in ends:
        for tie in view.subjects(here, entity):
            values: dict[NamedNode, list[Any]] = defaultdict(list)
            for prop, value in view.statements(tie):
                values[prop].append(value)
            if HILOS.Tie not in values.get(RDF_TYPE, []):
                continue  # an earlier version of a claim (hilos:ClaimVersion), not a claim
            ties += _rows_of_tie(tie, values, there, direction)
            if tie not in seen:
                seen.add(tie)
                sources += _source_rows(view, tie, values)
    return ties, sources


def _rows_of_tie(
    tie: Any, values: Mapping[NamedNode, list[Any]], there: NamedNode, direction: Literal
) -> list[Row]:
    """The rows `entity-ties.rq` gives for a tie: one per other end, class and qualifier."""
    fields = {name: (values.get(HILOS[name]) or [None])[0] for name in _TIE_FIELDS}
    qualifiers = values.get(HILOS.qualifier) or [None]
    return [
        {"tie": tie, "direction": direction, "other": other, "class": cls}
        | fields
        | {"qualifier": qualifier}
        for other in values.get(there, [])
        for cls in values.get(RDF_TYPE, [])
        for qualifier in qualifiers
    ]


def _source_rows(view: View, tie: Any, values: Mapping[NamedNode, list[Any]]) -> list[Row]:
    """The rows `entity-tie-sources.rq` gives for a tie: one per source and citation."""
    rows: list[Row] = []
    for source in values.get(_SOURCE, []):
        citations: list[Any] = (
            view.objects(source, HILOS.citation)
            if isinstance(source, NamedNode | BlankNode)
            else []
        )
        for citation in citations or [None]:
            rows.append({"tie": tie, "source": source, "citation": citation})
    return rows


def card(store: Store, iri: str, *, lang: str = "en") -> Card:
    """The card of an entity: who or what it is, and every tie with status, dates, sources
    (what `hilos show` prints)."""
    summary = describe(store, iri, lang=lang)
    entity = NamedNode(iri)
    statements: list[tuple[str, str]] = []
    for row in solutions(
        store.query(sparql.load("entity-statements"), bindings={"entity": entity}, inferred=False)
    ):
        value = row["value"]
        shown = (
            describe(store, value.value, lang=lang).label
            if isinstance(value, NamedNode)
            else _literal_text(value) or ""
        )
        statements.append((compact(row["property"].value), shown))

    sources: dict[str, list[Source]] = defaultdict(list)
    tie_rows, source_rows = _tie_rows(store, entity)
    for row in source_rows:
        citation = _literal_text(row["citation"]) if row["citation"] else None
        ref = Source(id=row["source"].value, citation=citation or compact(row["source"].value))
        if ref not in sources[row["tie"].value]:
            sources[row["tie"].value].append(ref)

    rows_by_tie: dict[str, list[Any]] = defaultdict(list)
    classes: dict[str, set[str]] = defaultdict(set)
    qualifiers: dict[str, set[str]] = defaultdict(set)
    for row in tie_rows:
        key = row["tie"].value + "|" + row["direction"].value
        rows_by_tie[key].append(row)
        classes[key].add(row["class"].value)
        if row["qualifier"] is not None:
            qualifiers[key].add(row["qualifier"].value)
    vocab = vocabulary()

    ties: list[TieView] = []
    labels: dict[str, Summary] = {}
    relation_labels: dict[str, str] = {}  # one look-up per tie class, not per tie
    for key, rows in rows_by_tie.items():
        row = rows[0]
        other = row["other"].value
        if other not in labels:
            labels[other] = describe(store, other, lang=lang)
        tie_classes = [c for c in classes[key] if c != HILOS.Tie.value]
        specific = most_specific(store, set(tie_classes)) or ["hilos:Tie"]
        if specific[0] not in relation_labels:
            relation_labels[specific[0]] = _class_label(store, specific[0], lang)
        status = row["status"]
        confidence = row["confidence"]
        market = row["market"]
        ties.append(
            TieView(
                tie=row["tie"].value,
                relation=specific[0],
                relation_label=relation_labels[specific[0]],
                direction=row["direction"].value,
                from_=iri if row["direction"].value == "out" else other,
                to=other if row["direction"].value == "out" else iri,
                other_label=labels[other].label,
                other_sphere=labels[other].sphere,
                status=vocabulary().status_name(status.value) if status else None,
                confidence=float(confidence.value) if confidence else None,
                start=_literal_text(row["start"]),
                end=_literal_text(row["end"]),
                quote=_literal_text(row["quote"]),
                locator=_literal_text(row["locator"]),
                market=describe(store, market.value, lang=lang).label if market else None,
                relation_text=_literal_text(row["relationText"]),
                sources=tuple(sources.get(row["tie"].value, ())),
                qualifiers=tuple(q.key for q in vocab.qualifiers if q.iri in qualifiers[key]),
                period=_literal_text(row["period"]),
                reason=_literal_text(row["reason"]),
                modality=(vocab.modality_key(row["modality"].value) or "stated")
                if row["modality"] is not None
                else "stated",
            )
        )
    ties.sort(
        key=lambda t: (
            -vocabulary().rank(t.status),
            t.relation,
            t.other_label,
            t.direction,
            t.id,
        )
    )
    return Card(summary=summary, statements=tuple(statements), ties=tuple(ties))
