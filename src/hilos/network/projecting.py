"""The RDF graph projected onto a network: one edge per claim, keyed by the claim's IRI (the
filters, the projection and reading it fresh from the store; `hilos.network.projection` is the
public face, and chooses between this and the saved projection of `hilos.network.saved`).

The network is made of **actors** (people, organisations, groupings and communities of every
sphere, and entities of unknown kind, such as an import's untyped names) and the claims between
them. Places, markets, policies, events and phenomena are context: they join the network only
when `Filters.include` asks for them. A refuted claim is never a link, and neither is one that is
not a statement of fact (an intention, a recommendation, a warning).

Every edge keeps what is needed to turn a result back into evidence (relation, status,
confidence, valid time); every node its label, sphere and kind. Filters apply here, before any
analysis, and are the same for every command.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pyoxigraph import Literal, NamedNode

from .. import sparql
from ..entities import most_specific, pick_label
from ..errors import BadInput, NotFound
from ..errors import message as _
from ..namespaces import HILOS, HILOS_NS, OWL, RDF_TYPE, RDFS, compact
from ..store import Store, StoreView, indexes, short_id, solutions
from ..store.reasoner import TBOX_PREDICATES, Terminology
from ..vocab import ACTOR_KINDS, CONTEXT_KINDS, kind_of, vocabulary
from .context import context_assumption, outside_descriptions

INCLUDABLE = {
    "places": "place",
    "markets": "market",
    "policies": "policy",
    "events": "event",
    "phenomena": "phenomenon",
}
"""What `--include` takes, and the kind of entity each name brings into the network."""
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Filters:
    """What to keep before analysis. Empty means everything."""

    graphs: tuple[str, ...] = ()
    min_status: str | None = None
    as_of: str | None = None
    between: tuple[int, int] | None = None
    tie_types: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    directed: bool = False
    include: tuple[str, ...] = ()
    """Context kinds (`place`, `market`, `policy`, `event`, `phenomenon`) that join the network."""
    modalities: tuple[str, ...] = ()
    """Modalities besides "stated" whose claims join the network (`recommendation` for
    hotspots, which count the places a recommendation names a priority)."""
    every_claim: bool = False
    """Keep refuted claims and claims that are not statements of fact (for cards and dossiers,
    which show every claim with its status; never for an analysis)."""
    asserted_only: bool = False
    """Only claims whose status asserts the relation (confirmed, reported): what plain graph
    exports (GEXF, GraphML, FtM, CSV) show unless asked for every claim."""
    only: bool = False
    """With `graphs`: only what those graphs say. Otherwise the entities their claims name but
    do not type are described (name, type, sphere) by the other loaded graphs (see `context`)."""

    def __post_init__(self) -> None:
        if self.min_status is not None:
            vocabulary().status(self.min_status)  # an unknown status is an error
        unknown = [kind for kind in self.include if kind not in CONTEXT_KINDS]
        if unknown:
            raise BadInput(
                _(
                    "cannot include '{kind}' (one of: {known})",
                    kind=unknown[0],
                    known=", ".join(sorted(INCLUDABLE)),
                )
            )
        if self.as_of is not None and not _DATE.match(self.as_of):
            raise BadInput(
                _(
                    "{parameter} expects YYYY, YYYY-MM or YYYY-MM-DD, got '{value}'",
                    parameter="as_of",
                    value=self.as_of,
                )
            )
        if self.between is not None and self.between[0] > self.between[1]:
            raise BadInput(
                _(
                    "{parameter} {start}..{end} ends before it starts",
                    parameter="between",
                    start=self.between[0],
                    end=self.between[1],
                )
            )
        if self.only and not self.graphs:
            raise BadInput(
                _(
                    "{parameter} keeps strictly the graphs given with {other_parameter}: give them",
                    parameter="only",
                    other_parameter="graphs",
                )
            )


def filters_in_words(
    filters: Filters, label_of: Callable[[str], str], *, direction: bool = False
) -> list[str]:
    """The filters as sentences a reader understands, for pages and dossiers.

    >>> filters_in_words(Filters(min_status="reported", between=(2006, 9999)), str)
    ['ties whose status is at least reported', 'ties valid during 2006..']
    """
    lines: list[str] = []
    if filters.graphs:
        lines.append("ties from the graphs: " + ", ".join(filters.graphs))
    if filters.min_status:
        lines.append(f"ties whose status is at least {filters.min_status}")
    if filters.as_of:
        lines.append(f"ties valid on {filters.as_of}")
    if filters.between:
        first, last = filters.between
        lines.append(
            f"ties valid during {first if first > 0 else ''}..{last if last < 9999 else ''}"
        )
    if filters.tie_types:
        lines.append("ties of type " + ", ".join(filters.tie_types) + " (with their sub-types)")
    if filters.exclude:
        lines.append("leaving out " + "; ".join(f"{label_of(i)} ({i})" for i in filters.exclude))
    if filters.asserted_only:
        lines.append("only claims whose status asserts the relation (confirmed, reported)")
    if filters.include:
        lines.append(
            "context in the network besides actors: "
            + ", ".join(name for name, kind in INCLUDABLE.items() if kind in filters.include)
        )
    if direction:
        lines.append(
            "ties followed only from their source to their target"
            if filters.directed
            else "ties followed both ways"
        )
    return lines


def parse_between(text: str) -> tuple[int, int]:
    """`YEAR..YEAR` (either side may be omitted) as a pair of years.

    >>> parse_between("2006..2012")
    (2006, 2012)
    >>> parse_between("2014..")
    (2014, 9999)
    """
    match = re.fullmatch(r"\s*(\d{4})?\s*\.\.\s*(\d{4})?\s*", text)
    if not match or not (match.group(1) or match.group(2)):
        raise BadInput(
            _("{parameter} expects YEAR..YEAR, got '{value}'", parameter="between", value=text)
        )
    return int(match.group(1) or 0), int(match.group(2) or 9999)


def date_before_or_on(a: str, b: str) -> bool:
    """Whether partial date `a` is not after partial date `b` (compared at the coarser
    precision, so "2014" is neither before nor after "2014-09-26").

    >>> date_before_or_on("2014", "2014-09-26"), date_before_or_on("2015", "2014-09-26")
    (True, False)
    """
    size = min(len(a), len(b))
    return a[:size] <= b[:size]


def valid_at(start: str | None, end: str | None, when: str) -> bool:
    """Whether a tie with this valid time holds at `when` (an open side holds)."""
    return (start is None or date_before_or_on(start, when)) and (
        end is None or date_before_or_on(when, end)
    )


def overlaps_years(start: str | None, end: str | None, first: int, last: int) -> bool:
    """Whether a tie's valid time meets the years `first`..`last` (an open side meets all)."""
    return (start is None or int(start[:4]) <= last) and (end is None or int(end[:4]) >= first)


def evidence_score(status: str | None, confidence: float | None) -> float:
    """How strongly one tie is supported: the weight of its status times its confidence.

    >>> evidence_score("reported", None), evidence_score("reported", 0.6)
    (0.7, 0.42)
    >>> evidence_score(None, None)
    0.0
    """
    base = vocabulary().weights.get(status or "", 0.0)
    return round(base * (1.0 if confidence is None else confidence), 6)


@dataclass
class Projection:
    """The projected network and what was filtered to get it."""

    graph: nx.MultiDiGraph
    filters: Filters
    dropped: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    """Entities left out of the network by kind (places, markets… not asked for)."""
    untyped: int = 0
    """Entities of no known kind kept in the network as actors (say so in the output)."""
    left_out_nodes: dict[str, str] = field(default_factory=dict)
    """Each entity left out of the network, with its kind."""
    tied_only_to_context: int = 0
    """Actors left out because their only claims were with context entities."""
    merged: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Entities treated as another by an identity claim that asserts it: entity -> (the
    entity it is one with, the claim)."""
    identities_not_applied: int = 0
    """Identity claims whose status does not assert them: the two stay apart."""
    merged_labels: dict[str, str] = field(default_factory=dict)
    """The label each entity merged into another had, for saying so."""
    described_elsewhere: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Entities of the network that the graphs asked for name but do not type, with the other
    loaded graphs that describe them (used unless `filters.only`)."""

    def canonical(self, iri: str) -> str:
        """The node an entity is in the network: itself, or the one an identity claim made it."""
        return self.merged.get(iri, (iri, ""))[0]

    def assumptions(self) -> list[str]:
        """What the network is made of, in sentences, for the output to say."""
        return network_assumptions(self)

    def analysis_graph(self) -> nx.MultiDiGraph | nx.MultiGraph:
        """The graph analyses run on: directed, or undirected if the filters say so."""
        return self.graph if self.filters.directed else self.graph.to_undirected(as_view=True)


def _tie_classes(store: Store, names: Sequence[str]) -> set[str]:
    """The tie classes (with their sub-classes) that `--tie-type` names mean."""
    terminology = store.terminology()
    all_ties = {
        cls for cls, supers in terminology.superclasses.items() if HILOS_NS + "Tie" in supers
    } | {HILOS_NS + "Tie"}
    by_name: dict[str, str] = {}
    for cls in all_ties:
        local = cls.rsplit("#", 1)[-1]
        by_name[local.lower()] = cls
        by_name[compact(cls).lower()] = cls
        by_name[cls.lower()] = cls
    for row in solutions(store.query(sparql.load("tie-class-labels"))):
        by_name.setdefault(str(row["l"].value).lower(), str(row["c"].value))
    wanted: set[str] = set()
    for name in names:
        found = by_name.get(name.strip().lower())
        if found is None:
            known = sorted({c.rsplit("#", 1)[-1] for c in all_ties})
            raise BadInput(
                _("unknown tie type '{name}' (known: {known})", name=name, known=", ".join(known))
            )
        wanted.add(found)
        wanted |= {c for c in all_ties if found in terminology.superclasses.get(c, ())}
    return wanted


def _kind(store: Store, types: Iterable[str]) -> str:
    return kind_of(types, store.terminology().superclasses)


def in_network(kind: str, filters: Filters) -> bool:
    """Whether an entity of this kind is a node of the network under these filters: every
    actor, every entity of unknown kind (an import's untyped names), and the context kinds
    the filters include."""
    return kind in ACTOR_KINDS or kind == "other" or kind in filters.include


_PLURAL = {v: k for k, v in INCLUDABLE.items()} | {"sphere": "spheres", "source": "sources"}


def filters_assumptions(filters: Filters) -> list[str]:
    """What a network under these filters is made of, before it is read (for `paths`, which
    reads only the region around its two ends).

    >>> filters_assumptions(Filters())
    ['network of actors only (places, markets, policies, events and phenomena are context: --include adds them)']
    """  # noqa: E501
    if filters.include:
        return network_assumptions(Projection(nx.MultiDiGraph(), filters))
    return [
        "network of actors only (places, markets, policies, events and phenomena are context:"
        " --include adds them)"
    ]


def network_assumptions(projection: Projection) -> list[str]:
    """What the network is made of: which kinds of entity it holds, what it left out, what it
    assumed of entities of unknown kind.

    >>> p = Projection(nx.MultiDiGraph(), Filters(), left_out={"place": 3, "market": 2})
    >>> network_assumptions(p)
    ['network of actors only (left out: 2 markets, 3 places; --include adds them)']
    """
    filters = projection.filters
    what = "actors"
    if filters.include:
        what += " and " + ", ".join(_PLURAL.get(k, k) for k in filters.include)
    left = ", ".join(
        f"{count} {_PLURAL.get(kind, kind) if count != 1 else kind}"
        for kind, count in sorted(
            projection.left_out.items(), key=lambda kv: _PLURAL.get(kv[0], kv[0])
        )
    )
    lines = [
        f"network of {what}{' only' if not filters.include else ''}"
        + (f" (left out: {left}; --include adds them)" if left else "")
    ]
    if projection.tied_only_to_context:
        count = projection.tied_only_to_context
        lines.append(
            f"{count} actor{'s' if count != 1 else ''} tied only to places, markets or other"
            " context left out"
        )
    if projection.merged:

        def named(node: str) -> str:
            if node in projection.graph:
                return str(projection.graph.nodes[node].get("label") or compact(node))
            return projection.merged_labels.get(node) or compact(node)

        shown = "; ".join(
            f"{named(entity)} is {named(into)} ({short_id(claim) or 'identity claim'})"
            for entity, (into, claim) in sorted(projection.merged.items())
        )
        lines.append(f"treated as one by identity claims: {shown}")
    if projection.identities_not_applied:
        count = projection.identities_not_applied
        lines.append(
            f"{count} identity claim{'s' if count != 1 else ''} not applied (status does not"
            " assert)"
        )
    if projection.untyped:
        lines.append(
            f"{projection.untyped} entit{'y' if projection.untyped == 1 else 'ies'} of unknown"
            " kind counted as actors"
        )
    labels = {node: str(projection.graph.nodes[node].get("label") or "")
              for node in projection.described_elsewhere if node in projection.graph}  # fmt: skip
    context = context_assumption(projection.described_elsewhere, labels, only=filters.only)
    if context:
        lines.append(context)
    return lines


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


@dataclass(frozen=True)
class TieRecord:
    """One tie as read from the store: its ends, asserted classes, status (an IRI), confidence
    and valid time (lexical forms)."""

    tie: str
    source: str
    target: str
    classes: frozenset[str]
    status: str | None
    confidence: str | None
    start: str | None
    end: str | None
    modality: str | None = None


class TieFilter:
    """Turns tie records into edges of the projection, applying the filters; shared by the
    whole-network projection and the local path search."""

    def __init__(self, store: Store, filters: Filters) -> None:
        self.filters = filters
        self.wanted = _tie_classes(store, filters.tie_types) if filters.tie_types else None
        self.vocab = vocabulary()
        self.min_rank = self.vocab.rank(filters.min_status) if filters.min_status else None
        self.stated = self.vocab.stated.iri
        self.excluded = set(filters.exclude)
        self.superclasses = store.terminology().superclasses
        self.dropped: dict[str, int] = defaultdict(int)
        self._relations: dict[frozenset[str], str] = {}
        self._compacted: dict[str, str] = {}

    def _compact(self, iri: str) -> str:
        found = self._compacted.get(iri)
        if found is None:
            found = self._compacted[iri] = compact(iri)
        return found

    def relation(self, classes: frozenset[str]) -> str:
        """The most specific of a tie's classes (the first by IRI if several)."""
        known = self._relations.get(classes)
        if known is None:
            superclasses = self.superclasses
            implied = set().union(*(superclasses.get(c, frozenset()) for c in classes))
            specific = sorted(c for c in classes if c not in implied) or [HILOS_NS + "Tie"]
            known = self._relations[classes] = specific[0]
        return known

    def edge(self, record: TieRecord) -> dict[str, Any] | None:
        """The edge attributes of a tie, or None (and counted as dropped) if a filter says no."""
        filters = self.filters
        relation = self.relation(record.classes or _TIE_ONLY)
        status = self.vocab.status_key(record.status) if record.status is not None else None
        confidence = float(record.confidence) if record.confidence is not None else None
        start, end = record.start, record.end
        every = filters.every_claim
        if not every and status is not None and self.vocab.status(status).weight <= 0:
            # a refuted claim denies the relation: it is never a link, whatever the filters
            self.dropped["refuted"] += 1
            return None
        modality = self.vocab.modality_key(record.modality) if record.modality else "stated"
        if not every and modality != "stated" and modality not in filters.modalities:
            self.dropped["not a statement of fact"] += 1
            return None
        if filters.asserted_only and (status is None or not self.vocab.status(status).asserts):
            self.dropped["status does not assert"] += 1
            return None
        if self.wanted is not None and relation not in self.wanted:
            self.dropped["tie type"] += 1
            return None
        if self.min_rank is not None and (
            status is None or self.vocab.rank(status) < self.min_rank
        ):
            self.dropped["status"] += 1
            return None
        if filters.as_of and not valid_at(start, end, filters.as_of):
            self.dropped["as of"] += 1
            return None
        if filters.between and not overlaps_years(start, end, *filters.between):
            self.dropped["between"] += 1
            return None
        if record.source in self.excluded or record.target in self.excluded:
            self.dropped["excluded"] += 1
            return None
        return {
            "relation": self._compact(relation),
            "status": status,
            "confidence": confidence,
            "score": evidence_score(status, confidence),
            "start": start,
            "end": end,
            "modality": modality,
        }


_TIE_ONLY = frozenset({HILOS_NS + "Tie"})


def project_from_scratch(
    store: Store, filters: Filters | None = None, *, lang: str = "en"
) -> Projection:
    """`project`, reading the store and nothing saved: the ties are read predicate by predicate
    from the store's view (on the embedded store, a million ties in about a minute; on an
    endpoint, one request per predicate)."""
    filters = filters or Filters()
    graphs = list(filters.graphs) or None
    maker = TieFilter(store, filters)
    graph = nx.MultiDiGraph()
    for record in _records(store, graphs):
        edge = maker.edge(record)
        if edge is not None:
            graph.add_edge(record.source, record.target, key=record.tie, **edge)
    elsewhere = describe_nodes(store, graph, graphs, lang, only=filters.only)
    return finish_projection(graph, filters, dict(maker.dropped), elsewhere)


def finish_projection(
    graph: nx.MultiDiGraph,
    filters: Filters,
    dropped: dict[str, int],
    elsewhere: dict[str, tuple[str, ...]],
) -> Projection:
    """The projection of a graph of described nodes and filtered ties: context left out,
    identities applied."""
    projection = Projection(graph=graph, filters=filters, dropped=dropped)
    keep_network_nodes(projection)
    apply_identities(projection)
    projection.described_elsewhere = {
        node: found for node, found in elsewhere.items() if node in projection.graph
    }
    return projection


IDENTITY = "hilos:Identity"


def apply_identities(projection: Projection) -> None:
    """Make one node of the entities an identity claim says are one (`hilos entity merge`):
    the claim's from-end joins its to-end, with its ties. Only claims whose status asserts it
    merge; the others leave the two apart (and are counted). Identity claims are never links
    themselves: they say two names are one actor, not that two actors are tied."""
    graph = projection.graph
    found = [
        (u, v, key, data)
        for u, v, key, data in graph.edges(keys=True, data=True)
        if data["relation"] == IDENTITY
    ]
    if not found:
        return
    parent: dict[str, str] = {}
    claims = _join_identities(projection, found, parent)
    for node in list(parent):
        target = _root(parent, node)
        if node in graph and target != node:
            _merge_into(projection, node, target, claims.get(node, ""))


def _root(parent: Mapping[str, str], node: str) -> str:
    """The node a node merges into, following the identity claims' chain."""
    while parent.get(node, node) != node:
        node = parent[node]
    return node


def _join_identities(
    projection: Projection,
    found: list[tuple[str, str, str, dict[str, Any]]],
    parent: dict[str, str],
) -> dict[str, str]:
    """Take the identity claims out of the graph and join in `parent` the ends of those whose
    status asserts it (in the order of their keys); count the others. Returns, for each node
    joined, the claim that joined it."""
    vocab = vocabulary()
    claims: dict[str, str] = {}
    for u, v, key, data in sorted(found, key=lambda e: e[2]):
        projection.graph.remove_edge(u, v, key)
        status = data.get("status")
        if status is None or not vocab.status(status).asserts:
            projection.identities_not_applied += 1
            continue
        a, b = _root(parent, u), _root(parent, v)
        if a != b:
            parent[a] = b
            claims[u] = key
    return claims


def _merge_into(projection: Projection, node: str, target: str, claim: str) -> None:
    """Move a node's ties to the node it is one with, describe the two as one, and record it."""
    graph = projection.graph
    for _from, other, key, data in list(graph.out_edges(node, keys=True, data=True)):
        if other != target:
            graph.add_edge(target, other, key=key, **data)
    for other, _to, key, data in list(graph.in_edges(node, keys=True, data=True)):
        if other != target:
            graph.add_edge(other, target, key=key, **data)
    projection.merged_labels[node] = str(graph.nodes[node].get("label") or compact(node))
    _describe_as_one(graph.nodes[target], graph.nodes[node])
    graph.remove_node(node)
    projection.merged[node] = (target, claim)


def _describe_as_one(target: dict[str, Any], other: dict[str, Any]) -> None:
    """What is said of two entities that are one is said of the one: its spheres and types
    are both's (a deputy merged into a person of no sphere stays in the state sphere)."""
    spheres = vocabulary().by_sphere_order(
        {*(target.get("spheres") or ()), *(other.get("spheres") or ())}
    )
    target["spheres"] = tuple(spheres)
    target["sphere"] = spheres[0] if spheres else None
    target["types"] = tuple(
        dict.fromkeys((*(target.get("types") or ()), *(other.get("types") or ())))
    )
    if target.get("kind") in (None, "other") and other.get("kind"):
        target["kind"] = other["kind"]


def keep_network_nodes(projection: Projection) -> None:
    """Remove the nodes that are not part of the network under the filters (context not asked
    for: places, markets, policies, events, phenomena, spheres, sources), with their ties;
    count them by kind, and the entities of unknown kind that stay as actors."""
    graph, filters = projection.graph, projection.filters
    left_out: dict[str, int] = defaultdict(int)
    untyped = 0
    removed: list[str] = []
    kinds_removed: list[tuple[str, str]] = []
    for node, kind in graph.nodes(data="kind"):
        kind = kind or "other"
        if not in_network(kind, filters):
            left_out[kind] += 1
            removed.append(node)
            kinds_removed.append((node, kind))
        elif kind == "other":
            untyped += 1
    lost = sum(graph.degree(node) for node in removed)
    graph.remove_nodes_from(removed)
    if lost:
        projection.dropped["context entity at an end"] = (
            projection.dropped.get("context entity at an end", 0) + lost
        )
        # actors whose only claims were with context are not in the network of actors either
        alone = [node for node, degree in graph.degree() if degree == 0]
        graph.remove_nodes_from(alone)
        projection.tied_only_to_context = len(alone)
    projection.left_out = dict(left_out)
    projection.left_out_nodes = {node: graph_kind for node, graph_kind in kinds_removed}
    projection.untyped = untyped


def _value(token: str) -> str:
    """The IRI or lexical form of a term in the TSV results format."""
    found = indexes.iri(token)
    if found is not None:
        return found
    if token.startswith("_:"):
        return token[2:]
    parts = indexes.literal(token)
    return parts[0] if parts is not None else token


_RECORD_FIELDS = ("from", "to", "status", "confidence", "start", "end", "modality")
"""The properties of a tie a record holds."""
_COMBINED = ("from", "to", "status", "confidence", "start", "end")
"""The properties whose several values give several records (a tie's first modality counts)."""

Values = dict[str, dict[str, str]]
"""For each property of `_RECORD_FIELDS`, each tie's first value (a TSV token)."""
Extra = dict[tuple[str, str], list[str]]
"""The further values of (property, tie)."""


def _records(store: Store, graphs: list[str] | None) -> Iterator[TieRecord]:
    """The ties read predicate by predicate from the store's view (every tie with both ends,
    status, confidence, valid time and modality, without a join per tie). A tie with several
    values of one property gives one record per combination, as a query's solutions would."""
    view = store.view(graphs)
    values, extra = _tie_values(view)
    sources, modalities = values["from"], values["modality"]
    classes: dict[str, set[str]] = defaultdict(set)
    for subject, obj in view.asserted().pairs(RDF_TYPE):
        if subject in sources:
            classes[subject].add(_value(obj))
    several = {tie for _, tie in extra}
    for tie in sources:
        if tie not in values["to"]:
            continue
        for a, b, status, confidence, start, end in _combinations(tie, values, extra, several):
            if a is None or b is None or a[0] != "<" or b[0] != "<":
                continue
            yield TieRecord(
                tie=_value(tie),
                source=a[1:-1],
                target=b[1:-1],
                classes=frozenset(classes.get(tie, ())),
                status=_optional_value(status),
                confidence=_optional_value(confidence),
                start=_optional_value(start),
                end=_optional_value(end),
                modality=_value(modalities[tie]) if tie in modalities else None,
            )


def _tie_values(view: StoreView) -> tuple[Values, Extra]:
    """The values of each tie's properties, the first apart from the others."""
    ties = {s for s, _ in view.pairs(RDF_TYPE, HILOS.Tie)}
    values: Values = {}
    extra: Extra = defaultdict(list)
    for name in _RECORD_FIELDS:
        found: dict[str, str] = {}
        for subject, obj in view.pairs(HILOS[name]):
            if subject not in ties:
                continue
            if subject in found:
                extra[(name, subject)].append(obj)
            else:
                found[subject] = obj
        values[name] = found
    return values, extra


def _combinations(
    tie: str, values: Values, extra: Extra, several: set[str]
) -> Iterable[tuple[str | None, ...]]:
    """The (from, to, status, confidence, start, end) a tie's records hold: one, or every
    combination of the values of a tie with several."""
    if tie in several:
        return itertools.product(
            *([values[name].get(tie), *extra.get((name, tie), ())] for name in _COMBINED)
        )
    return (tuple(values[name].get(tie) for name in _COMBINED),)


def _optional_value(token: str | None) -> str | None:
    return None if token is None else _value(token)


def describe_nodes(
    store: Store,
    graph: nx.MultiDiGraph,
    graphs: list[str] | None,
    lang: str,
    *,
    only: bool = False,
) -> dict[str, tuple[str, ...]]:
    """Give the nodes of a projected graph their `label`, `sphere`, `spheres`, `kind` and
    `types`, from the graphs `graphs` — and, unless `only`, the nodes those graphs do not type
    from the other loaded graphs that describe them. Returns those nodes, each with the graphs
    that describe it (with `only`: the nodes that were left undescribed)."""
    facts = _node_facts(store, graph, graphs)
    _describe_from(store, graph, facts, lang)
    if not graphs:
        return {}
    elsewhere = outside_descriptions(store, graphs, [n for n in graph if n not in facts[2]])
    if elsewhere and not only:
        # a few entities: looked up, not every label of the store read
        describe_each(store, store.view(), graph, elsewhere, lang)
    return elsewhere


def _describe_from(
    store: Store,
    graph: nx.MultiDiGraph,
    facts: _NodeFacts,
    lang: str,
    *,
    nodes: Iterable[str] | None = None,
) -> None:
    for node, description in descriptions(
        store, graph.nodes if nodes is None else nodes, facts, lang
    ):
        graph.nodes[node].update(description)


def descriptions(
    store: Store, nodes: Iterable[str], facts: _NodeFacts, lang: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each node with its `label`, `sphere`, `spheres`, `kind` and `types` from `facts`."""
    labels, spheres, types = facts
    vocab = vocabulary()
    described: dict[frozenset[str], tuple[str, tuple[str, ...]]] = {}
    for node in nodes:
        ordered = vocab.by_sphere_order(spheres.get(node, ()))
        kinds = frozenset(types.get(node, ()))
        if kinds not in described:
            described[kinds] = (_kind(store, kinds), tuple(most_specific(store, set(kinds))))
        kind, specific = described[kinds]
        yield (
            node,
            {
                "label": pick_label(labels.get(node, []), lang) or compact(node),
                "sphere": ordered[0] if ordered else None,
                "spheres": tuple(ordered),
                "kind": kind,
                "types": specific,
            },
        )


def describe_each(
    store: Store,
    view: StoreView,
    graph: nx.MultiDiGraph,
    nodes: Iterable[str],
    lang: str,
    context: StoreView | None = None,
) -> None:
    """Label, sphere, spheres, kind and types of some nodes (as `describe_nodes` gives them),
    looked up a batch at a time; a node `view` gives no type to is described by `context`, if
    given."""
    vocab = vocabulary()
    wanted = [NamedNode(node) for node in dict.fromkeys(nodes)]
    found = view.statements_of(wanted, _DESCRIBING)
    if context is not None:
        untyped = [n for n in wanted if not any(p == RDF_TYPE for p, _ in found.get(n, ()))]
        found.update(context.statements_of(untyped, _DESCRIBING))
    for entity in wanted:
        node = entity.value
        labels: list[Literal] = []
        spheres: set[str] = set()
        types: set[str] = set()
        for prop, value in found.get(entity, ()):
            if prop == RDFS.label and isinstance(value, Literal):
                labels.append(value)
            elif prop == HILOS.sphere and isinstance(value, NamedNode | Literal):
                spheres.add(vocab.sphere_name(value.value))
            elif (
                prop == RDF_TYPE
                and isinstance(value, NamedNode)
                and value.value.startswith(HILOS_NS)
            ):
                types.add(value.value)
        ordered = vocab.by_sphere_order(spheres)
        graph.nodes[node].update(
            label=pick_label(labels, lang) or compact(node),
            sphere=ordered[0] if ordered else None,
            spheres=tuple(ordered),
            kind=_kind(store, types),
            types=tuple(most_specific(store, types)),
        )


_DESCRIBING = (RDFS.label, HILOS.sphere, RDF_TYPE)
"""What `describe_each` reads of a node."""

_NodeFacts = tuple[dict[str, list[Literal]], dict[str, set[str]], dict[str, set[str]]]


def _node_facts(store: Store, graph: Container[str], graphs: list[str] | None) -> _NodeFacts:
    """Labels, spheres and hilos classes of the nodes, read predicate by predicate. The classes
    are the asserted ones closed under the terminology of the visible graphs, which is what the
    reasoner derived when it loaded them."""
    view = store.view(graphs)
    labels: dict[str, list[Literal]] = defaultdict(list)
    spheres: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for subject, obj in view.pairs(RDFS.label):
        node = indexes.iri(subject)
        if node is not None and node in graph:
            label = indexes.to_literal(obj)
            if label is not None:
                labels[node].append(label)
    for subject, obj in view.pairs(HILOS.sphere):
        node = indexes.iri(subject)
        if node is not None and node in graph:
            value = _value(obj)
            spheres[node].add(vocabulary().sphere_name(value))
    asserted = view.asserted()
    superclasses = _terminology(asserted).superclasses
    closed: dict[str, list[str]] = {}
    for subject, obj in asserted.pairs(RDF_TYPE):
        node = indexes.iri(subject)
        if node is None or node not in graph:
            continue
        cls = _value(obj)
        if cls not in closed:
            closed[cls] = [c for c in (cls, *superclasses.get(cls, ())) if c.startswith(HILOS_NS)]
        types[node].update(closed[cls])
    return labels, spheres, types


def _terminology(asserted: StoreView) -> Terminology:
    """The terminology of the ontology and of the visible graphs' own class declarations."""
    quads = [
        quad
        for predicate in sorted(TBOX_PREDICATES)
        for quad in asserted.quads(None, NamedNode(predicate), None)
    ]
    quads += asserted.quads(None, RDF_TYPE, OWL.SymmetricProperty)
    return Terminology.from_triples(quads)


def require_nodes(projection: Projection, *iris: str) -> None:
    """Fail with a clear message if an entity is not in the (filtered) network."""
    for iri in iris:
        if iri not in projection.graph:
            kind = projection.left_out_nodes.get(iri)
            if kind is not None:
                raise _not_an_actor(iri, kind)
            reason = (
                _("it is excluded")
                if iri in projection.filters.exclude
                else _("none of its ties passes the filters")
                if any(projection.dropped.values())
                else _("it has no ties")
            )
            raise NotFound(
                _("{entity} is not in the network: {reason}", entity=compact(iri), reason=reason)
            )


def _not_an_actor(iri: str, kind: str) -> NotFound:
    """The error for a context entity asked for as an actor: it names the parameter (`include`)
    and the value that brings its kind into the network, if one does."""
    option = next((name for name, k in INCLUDABLE.items() if k == kind), None)
    if option is None:
        return NotFound(
            _(
                "{entity} is a {kind}, not an actor: the network is made of actors and the "
                "claims between them",
                entity=compact(iri),
                kind=kind,
            )
        )
    return NotFound(
        _(
            "{entity} is a {kind}, not an actor: the network is made of actors and the claims "
            "between them ({parameter} {option} adds {option})",
            entity=compact(iri),
            kind=kind,
            parameter="include",
            option=option,
        )
    )
