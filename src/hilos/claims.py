"""A journalist's own claims and entities, one at a time: add, edit, retract, merge, and their
history.

A claim is one statement by one source (see "The claim model" in the README). Claims and
entities a user records go into a graph of theirs (`mine` by default), every change recorded in
its journal (`hilos.changes`), so each can be undone and nothing is lost without a trace:

- **add** writes a new claim, `<graph>/claim/N`, with its source, quote, locator, status,
  confidence, dates and qualifiers; its ends are names `search` resolves (an ambiguous name is
  an error listing the candidates; an unknown one is created only when its type is given);
- **edit** writes a new version under the same id; the old version stays, as a
  `hilos:ClaimVersion` (`<claim>/v1`, `/v2`…) with its time of replacement, linked from the
  claim by `prov:wasRevisionOf`;
- **retract** is an edit that gives the claim the status *retracted* and the reason: the claim
  is kept and dated, and no analysis or export counts it;
- an **entity merge** is a sourced identity claim (`hilos:Identity`), never a rewrite: the
  analyses treat the two as one while it asserts, and retracting or undoing it separates them.

The report's own graphs ship with hilos and cannot be changed: record a claim of your own.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from . import sparql
from .changes import (
    Change,
    apply_change,
    check_writable,
    graph_namespace,
    journal,
    now,
    statements_of,
)
from .entities import describe
from .errors import BadInput, NotFound, UnknownEntity
from .errors import message as _
from .evidence import Claim, Record, Source, citations_of
from .importers.resolution import citation_source, slug
from .importers.values import AmbiguousDate, BadValue, read_confidence, read_date
from .namespaces import DCTERMS, HILOS, PROV, RDF_TYPE, RDFS, SKOS, XSD, compact
from .search import resolve
from .store import GRAPH_BASE, Store, solutions
from .store import short_id as short
from .terms import Terms, qualifier_term, sphere_term, status_term
from .text import normalise
from .vocab import vocabulary

DEFAULT_GRAPH = "mine"
_CLAIM_NUMBER = re.compile(r"/claim/(\d+)$")
# The fields of a claim an edit copies into the version it replaces.
_CLAIM_FIELDS = (
    HILOS["from"],
    HILOS.to,
    HILOS.status,
    HILOS.confidence,
    HILOS.start,
    HILOS.end,
    HILOS.period,
    HILOS.quote,
    HILOS.locator,
    HILOS.qualifier,
    HILOS.modality,
    HILOS.market,
    HILOS.relationText,
    HILOS.reason,
    PROV.wasDerivedFrom,
    PROV.wasRevisionOf,
    PROV.generatedAtTime,
    DCTERMS.modified,
)


@dataclass(frozen=True, kw_only=True)
class ClaimView(Claim):
    """A user's claim as the commands show it: the claim, the graph it is in, the labels of its
    relation and ends, when it was recorded and last changed, and the change that made it (for
    a command that just did)."""

    graph: str
    relation_label: str
    from_label: str
    to_label: str
    recorded: str | None = None
    modified: str | None = None
    change: Change | None = field(default=None, compare=False)

    json_keys: ClassVar[tuple[str, ...]] = (
        "id", "short_id", "graph", "relation", "relation_label", "from_end", "to_end",
        "status", "confidence", "start", "end", "qualifiers", "quote", "locator", "sources",
        "reason", "recorded", "modified", "change",
    )  # fmt: skip
    json_names: ClassVar[Mapping[str, str]] = {"from_end": "from", "to_end": "to"}
    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {"sources": citations_of}

    @property
    def short_id(self) -> str:
        return short(self.id)

    @property
    def citations(self) -> tuple[str, ...]:
        """What each source is called, in order."""
        return tuple(citations_of(self.sources))

    @property
    def from_end(self) -> dict[str, str]:
        return {"id": self.from_, "label": self.from_label}

    @property
    def to_end(self) -> dict[str, str]:
        return {"id": self.to, "label": self.to_label}


def _claim_iri(ref: str) -> str:
    text = ref.strip()
    if "://" in text or text.startswith("urn:"):
        return text.strip("<>")
    if text.startswith("hid:"):
        return "https://w3id.org/hilos/id/" + text[4:]
    return GRAPH_BASE + text


# ------------------------------------------------------------------------------ helpers


def _literal_date(text: str, what: str) -> Literal:
    """A date as people write it (2022-03-15, 15/03/2022, 2022-03, marzo de 2022, 2022), as
    precise as given; a date that reads both ways (05/03/2022) is refused."""
    try:
        date = read_date(text)
    except AmbiguousDate as exc:
        raise BadInput(
            _("{parameter}: {problem}: write it as YYYY-MM-DD", parameter=what, problem=str(exc))
        ) from None
    except BadValue as exc:
        raise BadInput(_("{parameter}: {problem}", parameter=what, problem=str(exc))) from None
    return date.literal()


def _confidence(text: str | float) -> Literal:
    """A confidence as a sheet gives it: 0.8, 80%, or alta/media/baja."""
    try:
        value = read_confidence(str(text))
    except BadValue as exc:
        raise BadInput(
            _("{parameter}: {problem}", parameter="confidence", problem=str(exc))
        ) from None
    return Literal(format(value, "f"), datatype=XSD.decimal)


def _source(namespace: str, citation: str) -> tuple[NamedNode, list[Triple]]:
    """The source node of a citation in a user graph (one per distinct citation)."""
    citation = citation.strip()
    if not citation:
        raise BadInput(
            _("a claim needs its source ({parameter}: who or what says it)", parameter="source")
        )
    return citation_source(namespace, citation)


def _next_number(statements: Iterable[Triple], pattern: re.Pattern[str]) -> int:
    numbers = [
        int(m.group(1))
        for t in statements
        if isinstance(t.subject, NamedNode) and (m := pattern.search(t.subject.value))
    ]
    return max(numbers, default=0) + 1


def _graph_of(store: Store, iri: str) -> str:
    """The user graph that holds a claim or entity (its asserted statements)."""
    graphs = store.backend.claim_graphs(NamedNode(iri))  # BadInput where none may change
    for info in store.graphs():
        if info.iri in graphs:
            return info.name
    raise UnknownEntity(_("no claim or entity {id} in the store", id=short(iri)))


def _end(
    store: Store,
    ref: str,
    create: str | None,
    graph: str,
    lang: str,
    terms: Terms,
    added: list[Triple],
    what: str,
) -> str:
    """The entity a claim's end names: found as `search` finds it, or created with a type."""
    try:
        return resolve(store, ref, lang=lang)
    except UnknownEntity:
        if create is None:
            raise UnknownEntity(
                _(
                    "no entity matches '{ref}' for the {end} end; give its type to create it "
                    "({parameter} TYPE; hilos types lists them) or check hilos search",
                    ref=ref,
                    end=what,
                    parameter=f"create_{what}",
                )
            ) from None
    entity, triples = _new_entity(store, ref, create, graph, terms)
    added.extend(triples)
    return entity


def _new_entity(
    store: Store,
    name: str,
    type_text: str,
    graph: str,
    terms: Terms,
    *,
    aliases: Sequence[str] = (),
    label_es: str | None = None,
    sphere: str | None = None,
) -> tuple[str, list[Triple]]:
    if not normalise(name):
        raise BadInput(_("the name {name!r} has no letters or digits", name=name))
    term = terms.entity_type(type_text)
    taken = {
        t.subject.value for t in statements_of(store, graph) if isinstance(t.subject, NamedNode)
    }
    base = graph_namespace(graph) + "entity/" + slug(normalise(name))
    iri, n = base, 1
    while iri in taken:
        n += 1
        iri = f"{base}-{n}"
    node = NamedNode(iri)
    triples = [
        Triple(node, RDF_TYPE, NamedNode(term.iri)),
        Triple(node, RDFS.label, Literal(name.strip())),
        Triple(node, PROV.generatedAtTime, Literal(now(), datatype=XSD.dateTime)),
    ]
    triples += [Triple(node, SKOS.altLabel, Literal(a.strip())) for a in aliases if a.strip()]
    if label_es:
        triples.append(Triple(node, RDFS.label, Literal(label_es.strip(), language="es")))
    if sphere:
        triples.append(Triple(node, HILOS.sphere, NamedNode(sphere_term(sphere).iri)))
    return iri, triples


def _claim_triples(
    claim: NamedNode,
    *,
    relation: str,
    a: str,
    b: str,
    status: str,
    source: NamedNode,
    quote: str | None,
    quote_lang: str | None,
    locator: str | None,
    confidence: Literal | None,
    start: Literal | None,
    end: Literal | None,
    qualifiers: Sequence[str],
) -> list[Triple]:
    triples = [
        Triple(claim, RDF_TYPE, NamedNode(relation)),
        Triple(claim, HILOS["from"], NamedNode(a)),
        Triple(claim, HILOS.to, NamedNode(b)),
        Triple(claim, HILOS.status, NamedNode(status)),
        Triple(claim, PROV.wasDerivedFrom, source),
    ]
    if quote:
        literal = Literal(quote, language=quote_lang) if quote_lang else Literal(quote)
        triples.append(Triple(claim, HILOS.quote, literal))
    if locator:
        triples.append(Triple(claim, HILOS.locator, Literal(locator)))
    if confidence is not None:
        triples.append(Triple(claim, HILOS.confidence, confidence))
    if start is not None:
        triples.append(Triple(claim, HILOS.start, start))
    if end is not None:
        triples.append(Triple(claim, HILOS.end, end))
    triples += [Triple(claim, HILOS.qualifier, NamedNode(q)) for q in qualifiers]
    return triples


def _check_dates(start: Literal | None, end: Literal | None) -> None:
    if start is not None and end is not None and end.value < start.value[: len(end.value)]:
        raise BadInput(
            _(
                "the claim would end ({end}) before it starts ({start})",
                end=end.value,
                start=start.value,
            )
        )


# ------------------------------------------------------------------------------- claims


def add_claim(
    store: Store,
    from_ref: str,
    relation: str,
    to_ref: str,
    *,
    source: str,
    quote: str | None = None,
    locator: str | None = None,
    status: str = "reported",
    confidence: str | float | None = None,
    start: str | None = None,
    end: str | None = None,
    qualifiers: Sequence[str] = (),
    graph: str = DEFAULT_GRAPH,
    create_from: str | None = None,
    create_to: str | None = None,
    quote_lang: str | None = None,
    lang: str = "en",
) -> ClaimView:
    """Record one claim in `graph`: FROM —RELATION→ TO, said by `source`. Returns it, with the
    change that recorded it. Everything is checked before anything is written."""
    check_writable(store, graph)
    terms = Terms.of(store)
    tie = terms.tie(relation)
    status_iri = status_term(status).iri
    quals = [qualifier_term(q).iri for q in qualifiers]
    conf = _confidence(confidence) if confidence not in (None, "") else None
    begin = _literal_date(start, "start") if start else None
    until = _literal_date(end, "end") if end else None
    _check_dates(begin, until)
    added: list[Triple] = []
    a = _end(store, from_ref, create_from, graph, lang, terms, added, "from")
    b = _end(store, to_ref, create_to, graph, lang, terms, added, "to")
    if a == b:
        raise BadInput(_("the two ends of a claim are the same entity"))
    namespace = graph_namespace(graph)
    existing = statements_of(store, graph)
    claim = NamedNode(f"{namespace}claim/{_next_number(existing, _CLAIM_NUMBER)}")
    source_node, source_triples = _source(namespace, source)
    added += [t for t in source_triples if t not in existing]
    added += _claim_triples(
        claim,
        relation=tie.iri,
        a=a,
        b=b,
        status=status_iri,
        source=source_node,
        quote=quote,
        quote_lang=quote_lang,
        locator=locator,
        confidence=conf,
        start=begin,
        end=until,
        qualifiers=quals,
    )
    added.append(Triple(claim, PROV.generatedAtTime, Literal(now(), datatype=XSD.dateTime)))
    change = apply_change(store, graph, added=added, action="claim add", changed=claim.value)
    return _view(store, claim.value, change=change, lang=lang)


def _current(store: Store, claim: str) -> tuple[str, list[Triple]]:
    """The graph of a user's claim and its statements (those about the claim itself)."""
    graph = _graph_of(store, claim)
    check_writable(store, graph)
    node = NamedNode(claim)
    mine = [t for t in statements_of(store, graph) if t.subject == node]
    if not any(t.predicate == HILOS["from"] for t in mine):
        raise NotFound(_("{claim} is not a claim", claim=short(claim)))
    return graph, mine


CLEARABLE = ("confidence", "start", "end", "quote", "locator", "qualifiers")
"""The fields of a claim an edit may take out (the others every claim has)."""


def _check_clear(clear: Sequence[str], given: Mapping[str, object]) -> None:
    """A one-line error for a field that cannot be cleared, or is both given and cleared."""
    unknown = [name for name in clear if name not in CLEARABLE]
    if unknown:
        raise BadInput(
            _(
                "cannot clear '{name}' (one of: {choices})",
                name=unknown[0],
                choices=", ".join(CLEARABLE),
            )
        )
    both = [name for name in clear if given[name] is not None and given[name] not in ("", ())]
    if both:
        raise BadInput(_("{name} is both given and cleared: give one or the other", name=both[0]))


def _reason_triples(
    claim: NamedNode,
    reason: str | None,
    retract: bool,
    status_iri: str,
    values: Mapping[str, list[Triple]],
) -> list[Triple]:
    """The reason a new version states: the one given to retract it, or the one it was
    retracted for if it stays retracted."""
    if retract:
        if not reason or not reason.strip():
            raise BadInput(_("a retraction needs its reason ({parameter})", parameter="reason"))
        return [Triple(claim, HILOS.reason, Literal(reason.strip()))]
    if status_iri == status_term("retracted").iri:
        return list(values.get(HILOS.reason.value, []))  # still retracted, for the same reason
    return []


class _Stated:
    """A claim's current statements, by predicate: what an edit keeps where nothing new is
    given."""

    def __init__(self, statements: Iterable[Triple]) -> None:
        self.by_predicate: dict[str, list[Triple]] = defaultdict(list)
        for t in statements:
            self.by_predicate[t.predicate.value].append(t)

    def triples(self, prop: NamedNode) -> list[Triple]:
        return list(self.by_predicate.get(prop.value, []))

    def one(self, prop: NamedNode) -> object | None:
        found = self.by_predicate.get(prop.value)
        return found[0].object if found else None

    def literal(self, prop: NamedNode) -> Literal | None:
        value = self.one(prop)
        return value if isinstance(value, Literal) else None

    def text(self, prop: NamedNode) -> str | None:
        return getattr(self.one(prop), "value", None)

    def iris(self, prop: NamedNode) -> list[NamedNode]:
        return [t.object for t in self.triples(prop) if isinstance(t.object, NamedNode)]

    def clear(self, names: Sequence[str]) -> None:
        """Take out the fields named (`qualifiers` is `hilos:qualifier`)."""
        for name in names:
            self.by_predicate.pop(HILOS[name.removesuffix("s")].value, None)


@dataclass
class _Edit:
    """What an edit works on: the claim, its graph and current statements, the store's terms,
    and the entities it creates on the way (none for now: an edit names existing ends)."""

    store: Store
    claim: NamedNode
    graph: str
    current: list[Triple]
    stated: _Stated
    terms: Terms
    lang: str
    added_entities: list[Triple] = field(default_factory=list)

    @property
    def short_id(self) -> str:
        return short(self.claim.value)


def _edited_ends(edit: _Edit, from_ref: str | None, to_ref: str | None) -> tuple[str, str]:
    """The ends of the new version: those named, or the current ones."""
    ends = []
    for ref, prop, what in ((from_ref, HILOS["from"], "from"), (to_ref, HILOS.to, "to")):
        if ref:
            args = (edit.store, ref, None, edit.graph, edit.lang, edit.terms)
            ends.append(_end(*args, edit.added_entities, what))
        else:
            ends.append(edit.stated.text(prop) or "")
    return ends[0], ends[1]


def _edited_status(edit: _Edit, status: str | None, retract: bool) -> str:
    """The status of the new version: retracted, the one given, or the current one."""
    if retract:
        return status_term("retracted").iri
    if status:
        return status_term(status).iri
    return edit.stated.text(HILOS.status) or status_term("reported").iri


def _edited_source(
    edit: _Edit, source: str | None, existing: Collection[Triple]
) -> tuple[NamedNode, list[Triple]]:
    """The source of the new version (with the statements a new source needs), or the
    current one."""
    if source:
        node, triples = _source(graph_namespace(edit.graph), source)
        return node, [t for t in triples if t not in existing]
    old = edit.stated.one(PROV.wasDerivedFrom)
    if not isinstance(old, NamedNode):
        raise BadInput(
            _(
                "{claim} has no source: give one ({parameter})",
                claim=edit.short_id,
                parameter="source",
            )
        )
    return old, []


def _edited_values(
    edit: _Edit,
    confidence: str | float | None,
    start: str | None,
    end: str | None,
    qualifiers: Sequence[str] | None,
) -> tuple[Literal | None, Literal | None, Literal | None, list[str]]:
    """The confidence, dates and qualifiers of the new version: those given, else the
    current ones (after the fields cleared are taken out)."""
    stated = edit.stated
    conf = _confidence(confidence) if confidence not in (None, "") else None
    conf = conf if conf is not None else stated.literal(HILOS.confidence)
    begin = _literal_date(start, "start") if start else stated.literal(HILOS.start)
    until = _literal_date(end, "end") if end else stated.literal(HILOS.end)
    _check_dates(begin, until)
    if qualifiers is not None:
        quals = [qualifier_term(q).iri for q in qualifiers]
    else:
        quals = [q.value for q in stated.iris(HILOS.qualifier)]
    return conf, begin, until, quals


_KEPT_AS_THEY_ARE = (
    HILOS.period,
    HILOS.modality,
    HILOS.market,
    HILOS.relationText,
    PROV.generatedAtTime,
)
"""What no edit changes: copied into every new version."""
_BOOKKEEPING = (DCTERMS.modified, PROV.wasRevisionOf)
"""What a version records about itself rather than what the claim says."""


def _check_changed(edit: _Edit, new: Sequence[Triple]) -> None:
    """An edit that changes nothing the claim says is refused."""
    said = {str(t) for t in new if t.predicate not in _BOOKKEEPING}
    before = {str(t) for t in edit.current if t.predicate not in _BOOKKEEPING}
    if said == before and not edit.added_entities:
        raise BadInput(_("nothing to change in {id}: give the fields to change", id=edit.short_id))


def _kept_version(edit: _Edit, existing: Collection[Triple], changed_at: Literal) -> list[Triple]:
    """The version an edit replaces, kept as it was: `<claim>/vN`, a `hilos:ClaimVersion`
    dated by its replacement."""
    claim_iri = edit.claim.value
    versions = {
        t.subject.value
        for t in existing
        if isinstance(t.subject, NamedNode) and t.subject.value.startswith(claim_iri + "/v")
    }
    version = NamedNode(f"{claim_iri}/v{len(versions) + 1}")
    fields = {p.value for p in _CLAIM_FIELDS}
    kept = [Triple(version, RDF_TYPE, HILOS.ClaimVersion)]
    kept += [Triple(version, HILOS.relation, cls) for cls in edit.stated.iris(RDF_TYPE)]
    kept += [
        Triple(version, t.predicate, t.object) for t in edit.current if t.predicate.value in fields
    ]
    kept.append(Triple(version, PROV.invalidatedAtTime, changed_at))
    return kept


def _start_edit(store: Store, ref: str, lang: str) -> _Edit:
    claim_iri = _claim_iri(ref)
    graph, current = _current(store, claim_iri)
    return _Edit(
        store=store,
        claim=NamedNode(claim_iri),
        graph=graph,
        current=current,
        stated=_Stated(current),
        terms=Terms.of(store),
        lang=lang,
    )


def edit_claim(
    store: Store,
    ref: str,
    *,
    relation: str | None = None,
    from_ref: str | None = None,
    to_ref: str | None = None,
    status: str | None = None,
    source: str | None = None,
    quote: str | None = None,
    locator: str | None = None,
    confidence: str | float | None = None,
    start: str | None = None,
    end: str | None = None,
    qualifiers: Sequence[str] | None = None,
    reason: str | None = None,
    clear: Sequence[str] = (),
    lang: str = "en",
    _retract: bool = False,
) -> ClaimView:
    """Write a new version of a claim with the fields given changed, and those named in `clear`
    (confidence, start, end, quote, locator, qualifiers) taken out; the old version stays as a
    `hilos:ClaimVersion`, dated, linked by `prov:wasRevisionOf`. Returns the claim."""
    given = {
        "confidence": confidence, "start": start, "end": end, "quote": quote,
        "locator": locator, "qualifiers": qualifiers,
    }  # fmt: skip
    _check_clear(clear, given)
    edit = _start_edit(store, ref, lang)
    stated = edit.stated
    relation_iri = edit.terms.tie(relation).iri if relation else stated.text(RDF_TYPE) or ""
    a, b = _edited_ends(edit, from_ref, to_ref)
    status_iri = _edited_status(edit, status, _retract)
    existing = statements_of(store, edit.graph)
    source_node, source_triples = _edited_source(edit, source, existing)
    stated.clear(clear)
    old_quote = stated.one(HILOS.quote)
    conf, begin, until, quals = _edited_values(edit, confidence, start, end, qualifiers)
    new = _claim_triples(
        edit.claim,
        relation=relation_iri,
        a=a,
        b=b,
        status=status_iri,
        source=source_node,
        quote=quote if quote is not None else getattr(old_quote, "value", None),
        quote_lang=old_quote.language if quote is None and isinstance(old_quote, Literal) else None,
        locator=locator if locator is not None else stated.text(HILOS.locator),
        confidence=conf,
        start=begin,
        end=until,
        qualifiers=quals,
    )
    for prop in _KEPT_AS_THEY_ARE:
        new += stated.triples(prop)
    new += _reason_triples(edit.claim, reason, _retract, status_iri, stated.by_predicate)
    changed_at = Literal(now(), datatype=XSD.dateTime)
    new.append(Triple(edit.claim, DCTERMS.modified, changed_at))
    _check_changed(edit, new)
    kept = _kept_version(edit, existing, changed_at)
    new.append(Triple(edit.claim, PROV.wasRevisionOf, kept[0].subject))
    change = apply_change(
        store,
        edit.graph,
        added=[*edit.added_entities, *source_triples, *new, *kept],
        removed=edit.current,
        action="claim retract" if _retract else "claim edit",
        changed=edit.claim.value,
        reason=reason,
    )
    return _view(store, edit.claim.value, change=change, lang=lang)


def retract_claim(store: Store, ref: str, *, reason: str, lang: str = "en") -> ClaimView:
    """Mark a claim retracted, with the reason: kept and dated, counted by no analysis."""
    return edit_claim(store, ref, reason=reason, lang=lang, _retract=True)


@dataclass(frozen=True)
class Version(Record):
    """One version of a claim, newest first in a history."""

    id: str
    current: bool
    relation: str
    from_label: str
    to_label: str
    status: str | None
    quote: str | None
    sources: tuple[str, ...]
    reason: str | None
    since: str | None
    until: str | None

    json_names: ClassVar[Mapping[str, str]] = {"from_label": "from", "to_label": "to"}


def claim_history(store: Store, ref: str, *, lang: str = "en") -> list[Version]:
    """Every version of a claim, the current one first, each with its dates."""
    claim_iri = _claim_iri(ref)
    graph = _graph_of(store, claim_iri)
    statements = statements_of(store, graph)
    by_subject = _by_subject(t for t in statements if isinstance(t.subject, NamedNode))
    if claim_iri not in by_subject:
        raise NotFound(_("{claim} is not a claim", claim=short(claim_iri)))
    citations = _citations(by_subject)
    labels = _Labels(store, lang)
    return [
        _version(node, by_subject.get(node, {}), node == claim_iri, labels, citations)
        for node in _revisions(by_subject, claim_iri)
    ]


def _revisions(by_subject: Properties, claim_iri: str) -> Iterator[str]:
    """The claim and the versions it replaced, newest first (a loop is followed once)."""
    node: str | None = claim_iri
    seen: set[str] = set()
    while node and node not in seen:
        seen.add(node)
        yield node
        node = getattr(_first(by_subject.get(node, {}), PROV.wasRevisionOf), "value", None)


def _version(
    node: str,
    props: Mapping[str, list[object]],
    current: bool,
    labels: _Labels,
    citations: Mapping[str, str],
) -> Version:
    """One version of a claim: the claim itself (`current`) or a `hilos:ClaimVersion`."""
    cls = _first(props, RDF_TYPE) if current else _first(props, HILOS.relation)
    status = _first(props, HILOS.status)
    since = _first(props, DCTERMS.modified) or _first(props, PROV.generatedAtTime)
    return Version(
        id=node,
        current=current,
        relation=compact(getattr(cls, "value", "")),
        from_label=labels.of_node(_first(props, HILOS["from"])),
        to_label=labels.of_node(_first(props, HILOS.to)),
        status=vocabulary().status_key(getattr(status, "value", "")) if status else None,
        quote=getattr(_first(props, HILOS.quote), "value", None),
        sources=tuple(
            citations.get(getattr(s, "value", ""), compact(getattr(s, "value", "")))
            for s in props.get(PROV.wasDerivedFrom.value, [])
        ),
        reason=getattr(_first(props, HILOS.reason), "value", None),
        since=getattr(since, "value", None),
        until=None if current else getattr(_first(props, PROV.invalidatedAtTime), "value", None),
    )


def claim_changes(store: Store, ref: str) -> list[Change]:
    """The changes of its graph's journal that concern a claim, oldest first."""
    claim_iri = _claim_iri(ref)
    graph = _graph_of(store, claim_iri)
    return [c for c in journal(store, graph) if c.changed == claim_iri]


def _view(
    store: Store, claim_iri: str, *, change: Change | None = None, lang: str = "en"
) -> ClaimView:
    found = list_claims(store, claims=[claim_iri], lang=lang)
    if not found:
        raise NotFound(_("{claim} is not a claim", claim=short(claim_iri)))
    view = found[0]
    return dataclasses.replace(view, change=change)


def _claim_sets(store: Store, graphs: Sequence[str] | None) -> list[tuple[str, Iterable[Triple]]]:
    """The statements of the user graphs (or of `graphs`), graph by graph, as the store's
    registry lists them; a store with no registry (an endpoint hilos never wrote to) has its
    user claims read by their IRIs instead, whatever kind of store it is."""
    infos = store.graphs()
    if not infos:
        return _claim_sets_by_iri(store, graphs)
    wanted = [store.graph(n) for n in graphs] if graphs else [i for i in infos if not i.bundled]
    return [(info.name, statements_of(store, info.name)) for info in wanted]


def _claim_sets_by_iri(
    store: Store, graphs: Sequence[str] | None
) -> list[tuple[str, Iterable[Triple]]]:
    """The statements of the user claims a store without a registry holds, found by the user
    graphs' namespace (each claim's graph is then read from its IRI)."""
    triples = [
        Triple(row["c"], row["p"], row["o"])
        for row in solutions(store.query(sparql.load("user-claims")))
        if isinstance(row["c"], NamedNode) and isinstance(row["p"], NamedNode)
    ]
    triples += [
        Triple(row["s"], HILOS.citation, row["o"])
        for row in solutions(store.query(sparql.load("user-claim-citations")))
        if isinstance(row["s"], NamedNode)
    ]
    if graphs:
        prefixes = tuple(graph_namespace(name) for name in graphs)
        triples = [
            t
            for t in triples
            if t.predicate == HILOS.citation
            or (isinstance(t.subject, NamedNode) and t.subject.value.startswith(prefixes))
        ]
    return [("", triples)]


_IN_GRAPH = re.compile(r"/(?:claim|tie|file|entity|source)/")


def _cited(source: str, citations: Mapping[str, str]) -> Source:
    """A source of a claim with its citation (its short name when it has none)."""
    return Source(id=source, citation=citations.get(source, compact(source)))


def _graph_from_iri(iri: str) -> str:
    """The user graph a claim's IRI names, where no registry says: `…/graph/mine/claim/3`,
    `…/graph/inv/tie/…` and `…/graph/inv/file/…/tie/…` are in `mine` and `inv`."""
    inside = iri[len(GRAPH_BASE) :] if iri.startswith(GRAPH_BASE) else iri
    return _IN_GRAPH.split(inside, maxsplit=1)[0]


Properties = dict[str, dict[str, list[object]]]
"""Subject -> predicate -> objects (IRIs as strings)."""


def _by_subject(statements: Iterable[Triple]) -> Properties:
    """The statements about IRIs and blank nodes, grouped by subject and predicate."""
    by_subject: Properties = defaultdict(lambda: defaultdict(list))
    for t in statements:
        if isinstance(t.subject, NamedNode | BlankNode):
            by_subject[str(getattr(t.subject, "value", t.subject))][t.predicate.value].append(
                t.object
            )
    return by_subject


def _citations(by_subject: Properties) -> dict[str, str]:
    """The citation of each subject that has one."""
    return {
        s: str(getattr(v[0], "value", v[0]))
        for s, props in by_subject.items()
        if (v := props.get(HILOS.citation.value))
    }


def _most_specific(known: list[str], superclasses: Mapping[str, Iterable[str]]) -> str:
    """The most specific of a claim's tie classes (a remote store states every ancestor too)."""
    implied = {sup for t in known for sup in superclasses.get(t, ())}
    return next((t for t in sorted(known) if t not in implied), "")


class _Labels:
    """The label of each entity a listing names, looked up once."""

    def __init__(self, store: Store, lang: str) -> None:
        self.store = store
        self.lang = lang
        self.found: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        if iri not in self.found:
            self.found[iri] = describe(self.store, iri, lang=self.lang).label
        return self.found[iri]

    def of_node(self, node: object) -> str:
        """The label of an IRI node; none for anything else."""
        iri = getattr(node, "value", "")
        return self(iri) if iri else ""


def _first(props: Mapping[str, list[object]], prop: NamedNode) -> object | None:
    """The first object of `prop`, if any."""
    found = props.get(prop.value)
    return found[0] if found else None


def _first_text(props: Mapping[str, list[object]], prop: NamedNode) -> str | None:
    """The text of the first object of `prop`, if any."""
    found = props.get(prop.value)
    return str(getattr(found[0], "value", "")) if found else None


@dataclass(frozen=True)
class _Wanted:
    """Which claims a listing keeps: those named, of one entity, of one status."""

    claims: Sequence[str] | None
    entity: str | None
    status: str | None

    def admits(self, iri: str, ends: tuple[str, str], status: object | None) -> bool:
        if self.claims is not None and iri not in self.claims:
            return False
        if self.entity and self.entity not in ends:
            return False
        return not (self.status and getattr(status, "value", None) != self.status)


class _ClaimReader:
    """Reads the claims of a graph's statements as the commands show them."""

    def __init__(self, store: Store, lang: str) -> None:
        self.lang = lang
        self.terms = Terms.of(store)
        self.vocab = vocabulary()
        self.labels = _Labels(store, lang)
        self.superclasses = store.terminology().superclasses

    def views(self, graph: str, statements: Iterable[Triple], wanted: _Wanted) -> list[ClaimView]:
        by_subject = _by_subject(statements)
        citations = _citations(by_subject)
        found = [
            self.view(iri, graph, props, citations, wanted) for iri, props in by_subject.items()
        ]
        return [view for view in found if view is not None]

    def view(
        self,
        iri: str,
        graph: str,
        props: Mapping[str, list[object]],
        citations: Mapping[str, str],
        wanted: _Wanted,
    ) -> ClaimView | None:
        """The claim `iri` is, if it is one (two ends and a tie type) the listing wants."""
        ends = props.get(HILOS["from"].value), props.get(HILOS.to.value)
        types = [getattr(t, "value", "") for t in props.get(RDF_TYPE.value, [])]
        ties = [t for t in types if t in self.terms.ties]
        if not ends[0] or not ends[1] or not ties:
            return None
        a, b = str(getattr(ends[0][0], "value", "")), str(getattr(ends[1][0], "value", ""))
        status = _first(props, HILOS.status)
        if not wanted.admits(iri, (a, b), status):
            return None
        relation = _most_specific(ties, self.superclasses)
        return self.build(iri, graph or _graph_from_iri(iri), relation, (a, b), props, citations)

    def build(
        self,
        iri: str,
        graph: str,
        relation: str,
        ends: tuple[str, str],
        props: Mapping[str, list[object]],
        citations: Mapping[str, str],
    ) -> ClaimView:
        status = _first(props, HILOS.status)
        confidence = _first_text(props, HILOS.confidence)
        stated_qualifiers = {getattr(x, "value", "") for x in props.get(HILOS.qualifier.value, [])}
        return ClaimView(
            tie=iri,
            graph=graph,
            relation=compact(relation),
            relation_label=self.terms.ties[relation].label(self.lang),
            from_=ends[0],
            from_label=self.labels(ends[0]),
            to=ends[1],
            to_label=self.labels(ends[1]),
            status=self.vocab.status_key(getattr(status, "value", "")) if status else None,
            confidence=float(confidence) if confidence else None,
            start=_first_text(props, HILOS.start),
            end=_first_text(props, HILOS.end),
            qualifiers=tuple(q.key for q in self.vocab.qualifiers if q.iri in stated_qualifiers),
            quote=_first_text(props, HILOS.quote),
            locator=_first_text(props, HILOS.locator),
            sources=tuple(
                _cited(getattr(s, "value", ""), citations)
                for s in props.get(PROV.wasDerivedFrom.value, [])
            ),
            reason=_first_text(props, HILOS.reason),
            recorded=_first_text(props, PROV.generatedAtTime),
            modified=_first_text(props, DCTERMS.modified),
        )


def list_claims(
    store: Store,
    *,
    graphs: Sequence[str] | None = None,
    entity: str | None = None,
    status: str | None = None,
    claims: Sequence[str] | None = None,
    lang: str = "en",
) -> list[ClaimView]:
    """The claims of the user's graphs (not the report's, unless named in `graphs`), current
    versions only, newest first; of one entity, or with one status, if asked."""
    sets = _claim_sets(store, graphs)
    wanted = _Wanted(
        claims=claims,
        entity=resolve(store, entity, lang=lang) if entity else None,
        status=status_term(status).iri if status else None,
    )
    reader = _ClaimReader(store, lang)
    found = [view for graph, statements in sets for view in reader.views(graph, statements, wanted)]
    found.sort(key=lambda c: (c.modified or c.recorded or "", c.id), reverse=True)
    return found


# ----------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class EntityView(Record):
    """A user's entity as the commands show it, with the change that made it (if any)."""

    id: str
    graph: str
    label: str
    types: tuple[str, ...]
    change: Change | None = None

    json_keys: ClassVar[tuple[str, ...]] = ("id", "short_id", "graph", "label", "types", "change")

    @property
    def short_id(self) -> str:
        return short(self.id)


def add_entity(
    store: Store,
    name: str,
    *,
    type: str,
    aliases: Sequence[str] = (),
    label_es: str | None = None,
    sphere: str | None = None,
    graph: str = DEFAULT_GRAPH,
    lang: str = "en",
) -> EntityView:
    """Record a new entity in `graph`. A name that already names an entity is an error that
    names it (use that one, or choose another name)."""
    check_writable(store, graph)
    try:
        existing: str | None = resolve(store, name, lang=lang)
    except (UnknownEntity, BadInput):
        existing = None
    names = (
        {normalise(value) for _, value in describe(store, existing, lang=lang).labels}
        if existing is not None
        else set()
    )
    if existing is not None and normalise(name) in names:
        raise BadInput(
            _(
                "an entity named '{name}' exists already: {id}; use it, or give the new one a "
                "name of its own",
                name=name,
                id=short(existing),
            )
        )
    terms = Terms.of(store)
    iri, triples = _new_entity(
        store, name, type, graph, terms, aliases=aliases, label_es=label_es, sphere=sphere
    )
    change = apply_change(store, graph, added=triples, action="entity add", changed=iri)
    return EntityView(iri, graph, name.strip(), (compact(terms.entity_type(type).iri),), change)


def _untagged_label(t: Triple) -> bool:
    return t.predicate == RDFS.label and not getattr(t.object, "language", None)


def _spanish_label(t: Triple) -> bool:
    return t.predicate == RDFS.label and getattr(t.object, "language", "") == "es"


def _replaced_fields(
    node: NamedNode,
    statements: Sequence[Triple],
    terms: Terms,
    *,
    name: str | None,
    type: str | None,
    label_es: str | None,
    sphere: str | None,
) -> tuple[list[Triple], list[Triple]]:
    """What an entity edit removes and adds for the one-valued fields given."""
    replacements: list[tuple[Callable[[Triple], bool], Triple]] = []
    if name:
        replacements.append((_untagged_label, Triple(node, RDFS.label, Literal(name.strip()))))
    if label_es:
        spanish = Literal(label_es.strip(), language="es")
        replacements.append((_spanish_label, Triple(node, RDFS.label, spanish)))
    if type:
        typed = Triple(node, RDF_TYPE, NamedNode(terms.entity_type(type).iri))
        replacements.append((lambda t: t.predicate == RDF_TYPE, typed))
    if sphere:
        placed = Triple(node, HILOS.sphere, NamedNode(sphere_term(sphere).iri))
        replacements.append((lambda t: t.predicate == HILOS.sphere, placed))
    removed = [t for old, _new in replacements for t in statements if old(t)]
    return removed, [new for _old, new in replacements]


def _alias_changes(
    node: NamedNode,
    statements: Sequence[Triple],
    add_aliases: Sequence[str],
    remove_aliases: Sequence[str],
) -> tuple[list[Triple], list[Triple]]:
    """What an entity edit removes and adds for the aliases taken out and added; an alias to
    take out that the entity does not have is an error."""
    added = [Triple(node, SKOS.altLabel, Literal(a.strip())) for a in add_aliases if a.strip()]
    removed: list[Triple] = []
    for alias in remove_aliases:
        matching = [
            t
            for t in statements
            if t.predicate == SKOS.altLabel
            and normalise(getattr(t.object, "value", "")) == normalise(alias)
        ]
        if not matching:
            raise BadInput(
                _("'{alias}' is not an alias of {entity}", alias=alias, entity=short(node.value))
            )
        removed += matching
    return removed, added


def edit_entity(
    store: Store,
    ref: str,
    *,
    name: str | None = None,
    type: str | None = None,
    add_aliases: Sequence[str] = (),
    remove_aliases: Sequence[str] = (),
    label_es: str | None = None,
    sphere: str | None = None,
    lang: str = "en",
) -> EntityView:
    """Change an entity of a user graph: its name, type, aliases, Spanish name or sphere."""
    iri = resolve(store, ref, lang=lang)
    graph = _graph_of(store, iri)
    check_writable(store, graph)
    node = NamedNode(iri)
    statements = [t for t in statements_of(store, graph) if t.subject == node]
    removed, added = _replaced_fields(
        node, statements, Terms.of(store), name=name, type=type, label_es=label_es, sphere=sphere
    )
    aliases_removed, aliases_added = _alias_changes(node, statements, add_aliases, remove_aliases)
    removed += aliases_removed
    added += aliases_added
    if not added and not removed:
        raise BadInput(_("nothing to change in {id}: give the fields to change", id=short(iri)))
    added.append(Triple(node, DCTERMS.modified, Literal(now(), datatype=XSD.dateTime)))
    removed += [t for t in statements if t.predicate == DCTERMS.modified]
    change = apply_change(
        store,
        graph,
        added=added,
        removed=sorted(set(removed), key=str),
        action="entity edit",
        changed=iri,
    )
    summary = describe(store, iri, lang=lang)
    return EntityView(iri, graph, summary.label, summary.types, change)


def merge_entities(
    store: Store,
    first: str,
    second: str,
    *,
    source: str,
    quote: str | None = None,
    status: str = "reported",
    graph: str = DEFAULT_GRAPH,
    lang: str = "en",
) -> ClaimView:
    """Record that `first` and `second` are one entity, as a sourced identity claim: nothing
    is rewritten; analyses treat the two as one while the claim asserts it."""
    a = resolve(store, first, lang=lang)
    b = resolve(store, second, lang=lang)
    if a == b:
        raise BadInput(_("the two names are already the same entity"))
    return add_claim(
        store,
        a,
        "hilos:Identity",
        b,
        source=source,
        quote=quote,
        status=status,
        graph=graph,
        lang=lang,
    )


__all__ = [
    "DEFAULT_GRAPH",
    "ClaimView",
    "EntityView",
    "Version",
    "add_claim",
    "add_entity",
    "claim_changes",
    "claim_history",
    "edit_claim",
    "edit_entity",
    "list_claims",
    "merge_entities",
    "retract_claim",
    "short",
]
