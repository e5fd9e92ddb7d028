"""Entities: naming them and their evidence card (a name is resolved to one by `hilos.search`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pyoxigraph import BlankNode, Literal, NamedNode

from . import sparql
from .display import card_html
from .evidence import Claim, Node, Record, Source, as_dict, cited_sources
from .namespaces import HILOS, HILOS_NS, RDF_TYPE, RDFS, SKOS, compact, expand
from .store import Store, StoreView, solutions
from .store.view import Statements
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


def _language_values(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"lang": lang, "value": value} for lang, value in pairs]


@dataclass(frozen=True)
class Summary(Record):
    """What identifies an entity at a glance."""

    json_keys: ClassVar[tuple[str, ...]] = (
        "id", "label", "labels", "aliases", "types", "sphere", "spheres", "comments",
    )  # fmt: skip
    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "labels": _language_values,
        "aliases": _language_values,
    }

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
    """(property, value) of an entity's names, types, spheres and notes, property by property
    (one look-up in the store's view)."""
    by_property: dict[NamedNode, list[Any]] = defaultdict(list)
    found = store.view().statements_of([entity], _SUMMARY_PROPERTIES)
    for prop, value in found.get(entity, ()):
        by_property[prop].append(value)
    return [(prop, value) for prop in _SUMMARY_PROPERTIES for value in by_property.get(prop, ())]


def exists(store: Store, iri: str) -> bool:
    """Whether anything is said about the entity, as subject or object (its value written
    into the query, where the planner sees it: two index look-ups)."""
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
class Card(Record):
    """Everything hilos knows of one entity, each tie with its evidence."""

    json_keys: ClassVar[tuple[str, ...]] = ("statements", "ties")
    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "statements": lambda pairs: [{"property": p, "value": v} for p, v in pairs],
    }

    summary: Summary
    statements: tuple[tuple[str, str], ...]
    ties: tuple[TieView, ...] = field(default_factory=tuple)

    def _repr_html_(self) -> str:
        """How a notebook shows it (see `hilos.display`)."""
        return card_html(self)

    def as_dict(self) -> dict[str, Any]:
        # One flat object, as `hilos show --format json` has always written it: the summary's
        # keys, then the card's own; both written by the one writer (`hilos.evidence`).
        return {**self.summary.as_dict(), **as_dict(self)}


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
    """The rows an entity's card is made of: one per tie, other end, class and qualifier (with
    the tie's fields), and one per source of a tie and citation. Read from the store's view
    (tie by tie: a query planned before its entity is bound would scan every tie), a batch of
    look-ups at a time."""
    view = store.view()
    ties: list[Row] = []
    described: dict[Any, dict[NamedNode, list[Any]]] = {}
    ends = [
        (HILOS["from"], HILOS.to, Literal("out")),
        (HILOS.to, HILOS["from"], Literal("in")),
    ]
    for here, there, direction in ends:
        found = view.subjects(here, entity)
        statements = view.statements_of(found)
        for tie in found:
            values: dict[NamedNode, list[Any]] = defaultdict(list)
            for prop, value in statements.get(tie, ()):
                values[prop].append(value)
            if HILOS.Tie not in values.get(RDF_TYPE, []):
                continue  # an earlier version of a claim (hilos:ClaimVersion), not a claim
            ties += _rows_of_tie(tie, values, there, direction)
            described.setdefault(tie, values)
    return ties, _source_rows(view, described)


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


def _source_rows(view: StoreView, ties: Mapping[Any, Mapping[NamedNode, list[Any]]]) -> list[Row]:
    """The rows for the ties' sources: one per tie, source and citation."""
    sources = [
        source
        for values in ties.values()
        for source in values.get(_SOURCE, [])
        if isinstance(source, NamedNode | BlankNode)
    ]
    citations: Statements = view.statements_of(sources, [HILOS.citation])
    rows: list[Row] = []
    for tie, values in ties.items():
        for source in values.get(_SOURCE, []):
            cited: list[Any] = [value for _, value in citations.get(source, ())]
            for citation in cited or [None]:
                rows.append({"tie": tie, "source": source, "citation": citation})
    return rows


def card(store: Store, iri: str, *, lang: str = "en") -> Card:
    """The card of an entity: who or what it is, and every tie with status, dates, sources
    (what `hilos show` prints)."""
    summary = describe(store, iri, lang=lang)
    entity = NamedNode(iri)
    statements = _card_statements(store, entity, lang)
    tie_rows, source_rows = _tie_rows(store, entity)
    reader = _CardTies(store, iri, lang, _sources_by_tie(source_rows))
    ties = [reader.tie(group) for group in _group_tie_rows(tie_rows).values()]
    ties.sort(key=_card_order)
    return Card(summary=summary, statements=statements, ties=tuple(ties))


def _card_statements(store: Store, entity: NamedNode, lang: str) -> tuple[tuple[str, str], ...]:
    """The entity's own statements (property, value), an IRI value said by its label."""
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
    return tuple(statements)


def _sources_by_tie(source_rows: list[Row]) -> dict[str, list[Source]]:
    """The sources of each tie, each once, in the order the rows give them."""
    sources: dict[str, list[Source]] = defaultdict(list)
    for row in source_rows:
        citation = _literal_text(row["citation"]) if row["citation"] else None
        ref = Source(id=row["source"].value, citation=citation or compact(row["source"].value))
        if ref not in sources[row["tie"].value]:
            sources[row["tie"].value].append(ref)
    return sources


@dataclass
class _TieRows:
    """The rows of one tie seen one way (a tie to itself is seen both ways): its classes and
    qualifiers are spread over them."""

    rows: list[Row] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)
    qualifiers: set[str] = field(default_factory=set)


def _group_tie_rows(tie_rows: list[Row]) -> dict[str, _TieRows]:
    """The rows of `entity-ties.rq` by tie and direction."""
    groups: dict[str, _TieRows] = defaultdict(_TieRows)
    for row in tie_rows:
        group = groups[row["tie"].value + "|" + row["direction"].value]
        group.rows.append(row)
        group.classes.add(row["class"].value)
        if row["qualifier"] is not None:
            group.qualifiers.add(row["qualifier"].value)
    return groups


class _CardTies:
    """Turns the rows of an entity's ties into its card's `TieView`s, looking up each other
    end and each tie class once (not once per tie)."""

    def __init__(
        self, store: Store, iri: str, lang: str, sources: Mapping[str, list[Source]]
    ) -> None:
        self.store = store
        self.iri = iri
        self.lang = lang
        self.sources = sources
        self.vocab = vocabulary()
        self.summaries: dict[str, Summary] = {}
        self.relation_labels: dict[str, str] = {}

    def other(self, iri: str) -> Summary:
        if iri not in self.summaries:
            self.summaries[iri] = describe(self.store, iri, lang=self.lang)
        return self.summaries[iri]

    def relation(self, classes: set[str]) -> tuple[str, str]:
        """The most specific class of a tie and its label."""
        tie_classes = {c for c in classes if c != HILOS.Tie.value}
        specific = (most_specific(self.store, tie_classes) or ["hilos:Tie"])[0]
        if specific not in self.relation_labels:
            self.relation_labels[specific] = _class_label(self.store, specific, self.lang)
        return specific, self.relation_labels[specific]

    def modality(self, row: Row) -> str:
        if row["modality"] is None:
            return "stated"
        return self.vocab.modality_key(row["modality"].value) or "stated"

    def tie(self, group: _TieRows) -> TieView:
        row = group.rows[0]
        other = self.other(row["other"].value)
        relation, relation_label = self.relation(group.classes)
        outward = row["direction"].value == "out"
        status, confidence, market = row["status"], row["confidence"], row["market"]
        return TieView(
            tie=row["tie"].value,
            relation=relation,
            relation_label=relation_label,
            direction=row["direction"].value,
            from_=self.iri if outward else other.id,
            to=other.id if outward else self.iri,
            other_label=other.label,
            other_sphere=other.sphere,
            status=self.vocab.status_name(status.value) if status else None,
            confidence=float(confidence.value) if confidence else None,
            start=_literal_text(row["start"]),
            end=_literal_text(row["end"]),
            quote=_literal_text(row["quote"]),
            locator=_literal_text(row["locator"]),
            market=describe(self.store, market.value, lang=self.lang).label if market else None,
            relation_text=_literal_text(row["relationText"]),
            sources=tuple(self.sources.get(row["tie"].value, ())),
            qualifiers=tuple(q.key for q in self.vocab.qualifiers if q.iri in group.qualifiers),
            period=_literal_text(row["period"]),
            reason=_literal_text(row["reason"]),
            modality=self.modality(row),
        )


def _card_order(tie: TieView) -> tuple[object, ...]:
    """Strongest status first, then by relation, other end, direction and id."""
    return (-vocabulary().rank(tie.status), tie.relation, tie.other_label, tie.direction, tie.id)
