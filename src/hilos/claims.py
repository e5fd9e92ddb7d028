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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

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
        raise BadInput(f"{what}: {exc}: write it as YYYY-MM-DD") from None
    except BadValue as exc:
        raise BadInput(f"{what}: {exc}") from None
    return date.literal()


def _confidence(text: str | float) -> Literal:
    """A confidence as a sheet gives it: 0.8, 80%, or alta/media/baja."""
    try:
        value = read_confidence(str(text))
    except BadValue as exc:
        raise BadInput(f"--confidence: {exc}") from None
    return Literal(format(value, "f"), datatype=XSD.decimal)


def _source(namespace: str, citation: str) -> tuple[NamedNode, list[Triple]]:
    """The source node of a citation in a user graph (one per distinct citation)."""
    citation = citation.strip()
    if not citation:
        raise BadInput(_("a claim needs its source (--source: who or what says it)"))
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
                    "(--create-{end} TYPE; hilos types lists them) or check hilos search",
                    ref=ref,
                    end=what,
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
    begin = _literal_date(start, "--start") if start else None
    until = _literal_date(end, "--end") if end else None
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
            raise BadInput(_("a retraction needs its reason (--reason)"))
        return [Triple(claim, HILOS.reason, Literal(reason.strip()))]
    if status_iri == status_term("retracted").iri:
        return list(values.get(HILOS.reason.value, []))  # still retracted, for the same reason
    return []


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
    claim_iri = _claim_iri(ref)
    graph, current = _current(store, claim_iri)
    claim = NamedNode(claim_iri)
    values: dict[str, list[Triple]] = defaultdict(list)
    for t in current:
        values[t.predicate.value].append(t)

    def one(prop: NamedNode) -> object | None:
        found = values.get(prop.value)
        return found[0].object if found else None

    terms = Terms.of(store)
    classes = [t.object for t in values.get(RDF_TYPE.value, []) if isinstance(t.object, NamedNode)]
    relation_iri = terms.tie(relation).iri if relation else (classes[0].value if classes else "")
    added_entities: list[Triple] = []
    old_from, old_to = one(HILOS["from"]), one(HILOS.to)
    a = (
        _end(store, from_ref, None, graph, lang, terms, added_entities, "from")
        if from_ref
        else getattr(old_from, "value", "")
    )
    b = (
        _end(store, to_ref, None, graph, lang, terms, added_entities, "to")
        if to_ref
        else getattr(old_to, "value", "")
    )
    status_iri = (
        status_term("retracted").iri
        if _retract
        else status_term(status).iri
        if status
        else getattr(one(HILOS.status), "value", status_term("reported").iri)
    )
    namespace = graph_namespace(graph)
    existing = statements_of(store, graph)
    source_triples: list[Triple] = []
    if source:
        source_node, source_triples = _source(namespace, source)
        source_triples = [t for t in source_triples if t not in existing]
    else:
        old_source = one(PROV.wasDerivedFrom)
        if not isinstance(old_source, NamedNode):
            raise BadInput(_("{claim} has no source: give one (--source)", claim=short(claim_iri)))
        source_node = old_source
    for name in clear:
        values.pop(HILOS[name.removesuffix("s")].value, None)
    old_quote = one(HILOS.quote)
    quote_text = quote if quote is not None else getattr(old_quote, "value", None)
    quote_lang = old_quote.language if quote is None and isinstance(old_quote, Literal) else None
    conf = (
        _confidence(confidence)
        if confidence not in (None, "")
        else (c if isinstance(c := one(HILOS.confidence), Literal) else None)
    )
    begin = (
        _literal_date(start, "--start")
        if start
        else (s if isinstance(s := one(HILOS.start), Literal) else None)
    )
    until = (
        _literal_date(end, "--end")
        if end
        else (e if isinstance(e := one(HILOS.end), Literal) else None)
    )
    _check_dates(begin, until)
    quals = (
        [qualifier_term(q).iri for q in qualifiers]
        if qualifiers is not None
        else [
            t.object.value
            for t in values.get(HILOS.qualifier.value, [])
            if isinstance(t.object, NamedNode)
        ]
    )
    old_locator = one(HILOS.locator)
    new = _claim_triples(
        claim,
        relation=relation_iri,
        a=a,
        b=b,
        status=status_iri,
        source=source_node,
        quote=quote_text,
        quote_lang=quote_lang,
        locator=locator if locator is not None else getattr(old_locator, "value", None),
        confidence=conf,
        start=begin,
        end=until,
        qualifiers=quals,
    )
    for prop in (
        HILOS.period,
        HILOS.modality,
        HILOS.market,
        HILOS.relationText,
        PROV.generatedAtTime,
    ):
        new += values.get(prop.value, [])
    new += _reason_triples(claim, reason, _retract, status_iri, values)
    changed_at = now()
    new.append(Triple(claim, DCTERMS.modified, Literal(changed_at, datatype=XSD.dateTime)))
    # what the claim says, without the bookkeeping of its versions
    bookkeeping = (DCTERMS.modified, PROV.wasRevisionOf)
    if {str(t) for t in new if t.predicate not in bookkeeping} == {
        str(t) for t in current if t.predicate not in bookkeeping
    } and not added_entities:
        raise BadInput(
            _("nothing to change in {id}: give the fields to change", id=short(claim_iri))
        )
    # the version it replaces, kept as it was
    versions = [
        t.subject.value
        for t in existing
        if isinstance(t.subject, NamedNode) and t.subject.value.startswith(claim_iri + "/v")
    ]
    version = NamedNode(f"{claim_iri}/v{len(set(versions)) + 1}")
    kept = [Triple(version, RDF_TYPE, HILOS.ClaimVersion)]
    kept += [Triple(version, HILOS.relation, cls) for cls in classes]
    kept += [
        Triple(version, t.predicate, t.object)
        for t in current
        if t.predicate.value in {p.value for p in _CLAIM_FIELDS}
    ]
    kept.append(Triple(version, PROV.invalidatedAtTime, Literal(changed_at, datatype=XSD.dateTime)))
    new.append(Triple(claim, PROV.wasRevisionOf, version))
    change = apply_change(
        store,
        graph,
        added=[*added_entities, *source_triples, *new, *kept],
        removed=current,
        action="claim retract" if _retract else "claim edit",
        changed=claim_iri,
        reason=reason,
    )
    return _view(store, claim_iri, change=change, lang=lang)


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
    by_subject: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for t in statements:
        if isinstance(t.subject, NamedNode):
            by_subject[t.subject.value][t.predicate.value].append(t.object)
    if claim_iri not in by_subject:
        raise NotFound(_("{claim} is not a claim", claim=short(claim_iri)))
    citations = {
        s: str(getattr(v[0], "value", v[0]))
        for s, props in by_subject.items()
        if (v := props.get(HILOS.citation.value))
    }
    labels: dict[str, str] = {}

    def label(node: object) -> str:
        iri = getattr(node, "value", "")
        if iri not in labels:
            labels[iri] = describe(store, iri, lang=lang).label if iri else ""
        return labels[iri]

    def first(props: dict[str, list[object]], prop: NamedNode) -> object | None:
        found = props.get(prop.value)
        return found[0] if found else None

    history: list[Version] = []
    node: str | None = claim_iri
    seen: set[str] = set()
    while node and node not in seen:
        seen.add(node)
        props = by_subject.get(node, {})
        current = node == claim_iri
        cls = first(props, RDF_TYPE) if current else first(props, HILOS.relation)
        status = first(props, HILOS.status)
        quote = first(props, HILOS.quote)
        history.append(
            Version(
                id=node,
                current=current,
                relation=compact(getattr(cls, "value", "")),
                from_label=label(first(props, HILOS["from"])),
                to_label=label(first(props, HILOS.to)),
                status=vocabulary().status_key(getattr(status, "value", "")) if status else None,
                quote=getattr(quote, "value", None),
                sources=tuple(
                    citations.get(getattr(s, "value", ""), compact(getattr(s, "value", "")))
                    for s in props.get(PROV.wasDerivedFrom.value, [])
                ),
                reason=getattr(first(props, HILOS.reason), "value", None),
                since=getattr(
                    first(props, DCTERMS.modified) or first(props, PROV.generatedAtTime),
                    "value",
                    None,
                ),
                until=None
                if current
                else getattr(first(props, PROV.invalidatedAtTime), "value", None),
            )
        )
        previous = first(props, PROV.wasRevisionOf)
        node = getattr(previous, "value", None)
    return history


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
    registry lists them (an endpoint hilos never wrote to has none: read by IRI)."""
    infos = store.graphs()
    if store.remote and not infos:
        return _remote_claim_sets(store, graphs)
    wanted = [store.graph(n) for n in graphs] if graphs else [i for i in infos if not i.bundled]
    return [(info.name, statements_of(store, info.name)) for info in wanted]


_USER_CLAIM = 'FILTER(STRSTARTS(STR(?c), "https://w3id.org/hilos/graph/"))'
_REMOTE_CLAIMS = f"SELECT ?c ?p ?o WHERE {{ ?c a hilos:Tie ; ?p ?o . {_USER_CLAIM} }}"
_REMOTE_CITATIONS = f"""
SELECT ?s ?o WHERE {{ ?c a hilos:Tie ; prov:wasDerivedFrom ?s . ?s hilos:citation ?o .
  {_USER_CLAIM} }}
"""


def _remote_claim_sets(
    store: Store, graphs: Sequence[str] | None
) -> list[tuple[str, Iterable[Triple]]]:
    """The statements of the user claims an endpoint without a registry holds, found by the
    user graphs' namespace."""
    triples = [
        Triple(row["c"], row["p"], row["o"])
        for row in solutions(store.query(_REMOTE_CLAIMS))
        if isinstance(row["c"], NamedNode) and isinstance(row["p"], NamedNode)
    ]
    triples += [
        Triple(row["s"], HILOS.citation, row["o"])
        for row in solutions(store.query(_REMOTE_CITATIONS))
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
    entity_iri = resolve(store, entity, lang=lang) if entity else None
    status_iri = status_term(status).iri if status else None
    vocab = vocabulary()
    terms = Terms.of(store)
    found: list[ClaimView] = []
    labels: dict[str, str] = {}

    def label(iri: str) -> str:
        if iri not in labels:
            labels[iri] = describe(store, iri, lang=lang).label
        return labels[iri]

    superclasses = store.terminology().superclasses
    for graph, statements in sets:
        by_subject = _by_subject(statements)
        citations = _citations(by_subject)
        for iri, props in by_subject.items():
            ends = props.get(HILOS["from"].value), props.get(HILOS.to.value)
            types = [getattr(t, "value", "") for t in props.get(RDF_TYPE.value, [])]
            if not ends[0] or not ends[1] or not any(t in terms.ties for t in types):
                continue
            if claims is not None and iri not in claims:
                continue
            a, b = str(getattr(ends[0][0], "value", "")), str(getattr(ends[1][0], "value", ""))
            if entity_iri and entity_iri not in (a, b):
                continue
            status_node = props.get(HILOS.status.value, [None])[0]
            if status_iri and getattr(status_node, "value", None) != status_iri:
                continue
            relation = _most_specific([t for t in types if t in terms.ties], superclasses)

            def value(prop: NamedNode, p: dict[str, list[object]] = props) -> str | None:
                found_values = p.get(prop.value)
                return str(getattr(found_values[0], "value", "")) if found_values else None

            confidence = value(HILOS.confidence)
            found.append(
                ClaimView(
                    tie=iri,
                    graph=graph or _graph_from_iri(iri),
                    relation=compact(relation),
                    relation_label=terms.ties[relation].label(lang),
                    from_=a,
                    from_label=label(a),
                    to=b,
                    to_label=label(b),
                    status=vocab.status_key(getattr(status_node, "value", ""))
                    if status_node
                    else None,
                    confidence=float(confidence) if confidence else None,
                    start=value(HILOS.start),
                    end=value(HILOS.end),
                    qualifiers=tuple(
                        q.key
                        for q in vocab.qualifiers
                        if q.iri
                        in {getattr(x, "value", "") for x in props.get(HILOS.qualifier.value, [])}
                    ),
                    quote=value(HILOS.quote),
                    locator=value(HILOS.locator),
                    sources=tuple(
                        _cited(getattr(s, "value", ""), citations)
                        for s in props.get(PROV.wasDerivedFrom.value, [])
                    ),
                    reason=value(HILOS.reason),
                    recorded=value(PROV.generatedAtTime),
                    modified=value(DCTERMS.modified),
                )
            )
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
            f"an entity named '{name}' exists already: {short(existing)}; use it, or give "
            "the new one a name of its own"
        )
    terms = Terms.of(store)
    iri, triples = _new_entity(
        store, name, type, graph, terms, aliases=aliases, label_es=label_es, sphere=sphere
    )
    change = apply_change(store, graph, added=triples, action="entity add", changed=iri)
    return EntityView(iri, graph, name.strip(), (compact(terms.entity_type(type).iri),), change)


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
    removed: list[Triple] = []
    added: list[Triple] = []
    terms = Terms.of(store)
    if name:
        removed += [
            t
            for t in statements
            if t.predicate == RDFS.label and not getattr(t.object, "language", None)
        ]
        added.append(Triple(node, RDFS.label, Literal(name.strip())))
    if label_es:
        removed += [
            t
            for t in statements
            if t.predicate == RDFS.label and getattr(t.object, "language", "") == "es"
        ]
        added.append(Triple(node, RDFS.label, Literal(label_es.strip(), language="es")))
    if type:
        removed += [t for t in statements if t.predicate == RDF_TYPE]
        added.append(Triple(node, RDF_TYPE, NamedNode(terms.entity_type(type).iri)))
    for alias in add_aliases:
        if alias.strip():
            added.append(Triple(node, SKOS.altLabel, Literal(alias.strip())))
    for alias in remove_aliases:
        matching = [
            t
            for t in statements
            if t.predicate == SKOS.altLabel
            and normalise(getattr(t.object, "value", "")) == normalise(alias)
        ]
        if not matching:
            raise BadInput(
                _("'{alias}' is not an alias of {entity}", alias=alias, entity=short(iri))
            )
        removed += matching
    if sphere:
        removed += [t for t in statements if t.predicate == HILOS.sphere]
        added.append(Triple(node, HILOS.sphere, NamedNode(sphere_term(sphere).iri)))
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
