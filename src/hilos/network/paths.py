"""Evidence paths between two entities, and collusion chains across spheres.

A path is scored by the strength of its evidence: the product of its ties' evidence scores
(each the weight of the tie's status — confirmed 1.0, reported 0.7, alleged 0.4, disputed 0.2,
refuted 0 — times its confidence where one is stated). A path is only as strong as all of its
hops together, so a longer path or a weaker hop lowers the score; refuted ties carry no path.

A collusion chain follows the rule the ontology's tie families state (`hilos:family`): it
starts at an actor of one sphere (state by default); takes zero or more steps inside that
sphere through the hierarchy family (command, leadership, office, membership, sub-organisation,
control); crosses exactly once into the other sphere (criminal by default) through a claim of the
collusion family (collusion, bribery, protection, infiltration, co-optation, complicity,
acquiescence); then takes zero or more steps inside that sphere through the hierarchy family.
Funding, alliances, mediation, attacks, blame and policies never cross.

When no path joins two entities, `find_paths` and `find_paths_in_store` say why (`NoPath`, whose
`reason` is a `NoPathReason` a reader can be given in English or Spanish): the two ends lie in
separate parts of the network (each part named by its size), or one end has no tie that can
carry a path, or the filters set cut every path (each filter is dropped in turn to find which),
or the shortest path is longer than `max_hops`, or no path has ties valid at the same time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx
import numpy as np

from ..display import path_html
from ..entities import describe
from ..errors import BadInput, NotFound
from ..errors import message as _
from ..evidence import Record
from ..i18n import tr
from ..namespaces import compact
from ..store import Store, cache
from ..vocab import vocabulary
from .arrays import ArrayNetwork, Links, NodeTable, compiled_graph
from .evidence import ClaimReader, Hop, Node, hop, node
from .projection import (
    Filters,
    Projection,
    date_before_or_on,
    describe_each,
    project,
    require_nodes,
)
from .region import context_view, path_region
from .saved import network_saved

# Node sequences examined before giving up on finding more paths within --max-hops.
_MAX_EXAMINED = 5_000
# Combinations of parallel ties tried per node sequence for --time-consistent.
_MAX_COMBINATIONS = 2_000
# Partial chains explored by `chains` before it stops and says so.
_MAX_CHAINS = 200_000


@dataclass(frozen=True)
class EvidencePath(Record):
    """A path with the evidence of every hop, and its score. A collusion chain also names the
    hop that crosses from one sphere into the other (`crossing`, an index into `hops`)."""

    json_keys: ClassVar[tuple[str, ...]] = ("score", "nodes", "hops", "crossing_summary")
    json_names: ClassVar[Mapping[str, str]] = {"crossing_summary": "crossing"}
    json_optional: ClassVar[frozenset[str]] = frozenset({"crossing_summary"})

    score: float
    nodes: tuple[Node, ...]
    hops: tuple[Hop, ...]
    crossing: int | None = None

    @property
    def crossing_hop(self) -> Hop | None:
        return None if self.crossing is None else self.hops[self.crossing]

    def _repr_html_(self) -> str:
        """How a notebook shows it (see `hilos.display`)."""
        return path_html(self)

    @property
    def crossing_summary(self) -> dict[str, Any] | None:
        """The hop that crosses spheres, as JSON names it: its index, tie, relation and ends."""
        crossing = self.crossing_hop
        if crossing is None:
            return None
        return {
            "hop": self.crossing,
            "tie": crossing.tie,
            "relation": crossing.relation,
            "from": crossing.from_,
            "to": crossing.to,
        }


def _path_score(scores: Sequence[float]) -> float:
    return round(math.prod(scores), 6)


def _parallel_ties(
    graph: nx.MultiDiGraph, u: str, v: str, directed: bool, relations: set[str] | None
) -> list[tuple[str, bool, dict[str, Any]]]:
    """The ties that can carry the hop u → v, strongest first: (tie, forward, data)."""
    found: list[tuple[str, bool, dict[str, Any]]] = []
    for tie, data in graph.get_edge_data(u, v, default={}).items():
        found.append((tie, True, data))
    if not directed:
        for tie, data in graph.get_edge_data(v, u, default={}).items():
            found.append((tie, False, data))
    usable = [
        t
        for t in found
        if t[2]["score"] > 0 and (relations is None or t[2]["relation"] in relations)
    ]
    return sorted(usable, key=lambda t: (-t[2]["score"], t[0]))


def consistent(intervals: Sequence[tuple[str | None, str | None]]) -> bool:
    """Whether the valid times share at least one moment (open sides are unbounded).

    >>> consistent([("2014", None), (None, "2014-09-26")])
    True
    >>> consistent([("2015", None), (None, "2014")])
    False
    """
    starts = [s for s, _ in intervals if s]
    ends = [e for _, e in intervals if e]
    return all(date_before_or_on(s, e) for s in starts for e in ends)


def _choose(
    graph: nx.MultiDiGraph,
    node_path: Sequence[str],
    directed: bool,
    time_consistent: bool,
    relations: set[str] | None = None,
) -> list[tuple[str, bool, dict[str, Any]]] | None:
    """The strongest ties for each hop of a node sequence (time-consistent if asked)."""
    options = [
        _parallel_ties(graph, u, v, directed, relations) for u, v in itertools.pairwise(node_path)
    ]
    if any(not o for o in options):
        return None
    if not time_consistent:
        return [o[0] for o in options]
    best: list[tuple[str, bool, dict[str, Any]]] | None = None
    best_score = -1.0
    for combination in itertools.islice(itertools.product(*options), _MAX_COMBINATIONS):
        if not consistent([(t[2]["start"], t[2]["end"]) for t in combination]):
            continue
        score = _path_score([t[2]["score"] for t in combination])
        if score > best_score:
            best, best_score = list(combination), score
    return best


def _materialise(
    store: Store,
    graph: nx.MultiDiGraph,
    node_path: Sequence[str],
    ties: Sequence[Any],
    *,
    directed: bool,
    crossing: int | None = None,
    reader: ClaimReader,
) -> EvidencePath:
    hops = tuple(
        hop(store, graph, u, v, tie, forward, directed=directed, reader=reader)
        for (u, v), (tie, forward, _) in zip(itertools.pairwise(node_path), ties, strict=True)
    )
    return EvidencePath(
        score=_path_score([h.score for h in hops]),
        nodes=tuple(node(graph, n) for n in node_path),
        hops=hops,
        crossing=crossing,
    )


def _check_limits(limit: int, max_hops: int) -> None:
    if limit < 1:
        raise BadInput(
            _("{parameter} must be at least 1, got {value}", parameter="limit", value=limit)
        )
    if max_hops < 1:
        raise BadInput(
            _("{parameter} must be at least 1, got {value}", parameter="max_hops", value=max_hops)
        )


def find_paths(
    store: Store,
    projection: Projection,
    source: str,
    target: str,
    *,
    limit: int = 5,
    max_hops: int = 6,
    time_consistent: bool = False,
) -> list[EvidencePath]:
    """The `limit` best simple paths from `source` to `target`, each hop with its evidence.

    Ranked by evidence score (highest first), then by fewer hops. With `time_consistent`,
    only paths whose ties' valid times overlap are kept. Raises `NotFound` when no path
    exists within `max_hops` under the filters.
    """
    _check_ends(source, target, limit, max_hops)
    with _why_no_path(store, projection.filters, source, target, max_hops, time_consistent):
        return _find(store, projection, source, target, limit, max_hops, time_consistent)


def find_paths_in_store(
    store: Store,
    filters: Filters,
    source: str,
    target: str,
    *,
    limit: int = 5,
    max_hops: int = 6,
    time_consistent: bool = False,
    lang: str = "en",
) -> list[EvidencePath]:
    """`find_paths` without projecting the whole network: only the ties that paths of at most
    `max_hops` between the two ends can use are read from the store (see `region`), so a search
    on a million entities takes a fraction of a second. The same paths, ranked the same way;
    when there is none, it cannot always tell "none within `max_hops`" from "none at all".
    On a remote endpoint the region is read a level at a time, in batches. When there is no
    path, `NoPath` says why."""
    _check_ends(source, target, limit, max_hops)
    with _why_no_path(store, filters, source, target, max_hops, time_consistent, lang):
        return _paths_in_store(
            store, filters, source, target, limit, max_hops, time_consistent, lang
        )


@contextlib.contextmanager
def _why_no_path(
    store: Store,
    filters: Filters,
    source: str,
    target: str,
    max_hops: int,
    time_consistent: bool,
    lang: str = "en",
) -> Iterator[None]:
    """A `NotFound` from a path search becomes `NoPath`, with the reason, when one is found."""
    try:
        yield
    except NotFound as exc:
        reason = explain_no_path(
            store,
            filters,
            source,
            target,
            max_hops=max_hops,
            time_consistent=time_consistent,
            lang=lang,
        )
        if reason is None:
            raise
        raise NoPath(reason) from exc


def _paths_in_store(
    store: Store,
    filters: Filters,
    source: str,
    target: str,
    limit: int,
    max_hops: int,
    time_consistent: bool,
    lang: str,
) -> list[EvidencePath]:
    region = path_region(store, filters, source, target, max_hops, lang=lang)
    graph = region.projection.graph
    view = store.view(list(filters.graphs) or None)
    context = context_view(store, filters)

    def describe_nodes(nodes: Iterable[str]) -> None:
        wanted = sorted(n for n in nodes if n in graph)
        describe_each(store, view, graph, wanted, lang, context)

    # the ends as the paths will name them: an entity merged into another by an identity
    # claim is found under the one it was merged into
    describe_nodes({region.projection.canonical(source), region.projection.canonical(target)})
    return _find(
        store,
        region.projection,
        source,
        target,
        limit,
        max_hops,
        time_consistent,
        exhaustive=region.exhaustive,
        describe=describe_nodes,
    )


FILTER_FIELDS = (
    "graphs",
    "min_status",
    "as_of",
    "between",
    "tie_types",
    "exclude",
    "directed",
    "asserted_only",
)
"""The filters that can cut a path, as `Filters` fields (`include` only adds to the network)."""


def active_filters(filters: Filters) -> tuple[str, ...]:
    """The filters set, by their `Filters` field names.

    >>> active_filters(Filters()), active_filters(Filters(min_status="confirmed", directed=True))
    ((), ('min_status', 'directed'))
    """
    return tuple(name for name in FILTER_FIELDS if getattr(filters, name))


def without(filters: Filters, *names: str) -> Filters:
    """`filters` with the filters `names` reset to none."""
    fields: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Filters)}
    changes: dict[str, Any] = {name: fields[name] for name in names}
    if "graphs" in names:
        changes["only"] = False
    return dataclasses.replace(filters, **changes)


def _filter_value(filters: Filters, name: str) -> str:
    value = getattr(filters, name)
    if name == "between":
        first, last = value
        return f"{first if first > 0 else ''}–{last if last < 9999 else ''}"
    if isinstance(value, tuple):
        return ", ".join(compact(v) if "://" in v else v for v in value)
    return "" if isinstance(value, bool) else str(value)


_FILTER_WORDS = {
    "graphs": "only the graphs {value}",
    "min_status": "status at least {value}",
    "as_of": "ties valid on {value}",
    "between": "ties valid during {value}",
    "tie_types": "only the tie types {value}",
    "exclude": "entities left out: {value}",
    "directed": "ties followed only in their direction",
    "asserted_only": "only claims whose status asserts the relation",
}


@dataclass(frozen=True)
class NoPathReason:
    """Why no path joins two entities, as data (`as_dict`) and in words (`describe`).

    `kind` is one of: `components` (separate parts of the network: `source_part` and
    `target_part` count their actors, `parts` the parts of the network), `alone` (an end has
    no tie that can carry a path; refuted claims carry none), `filters` (`cut_by` lists the
    filters any one of which, dropped, lets a path through; empty with `together`: only
    dropping them all does), `max_hops` (`hops_needed` is the shortest path's length) or
    `time` (paths exist, none with ties valid at one time). `filters` holds every filter set,
    as (field name, value shown).
    """

    kind: str
    source: str
    target: str
    source_label: str
    target_label: str
    max_hops: int
    filters: tuple[tuple[str, str], ...] = ()
    cut_by: tuple[str, ...] = ()
    together: bool = False
    source_part: int = 0
    target_part: int = 0
    parts: int = 0
    hops_needed: int | None = None

    def filter_words(self, name: str, lang: str = "en") -> str:
        value = dict(self.filters).get(name, "")
        if name == "min_status" and value:
            value = vocabulary().status(value).label(lang)
        return tr(_FILTER_WORDS[name], lang, value=value)

    def describe(self, lang: str = "en") -> str:
        """The reason in a sentence or two, in `lang`.

        >>> r = NoPathReason("max_hops", "a", "b", "Abarca", "Zetas", 2, hops_needed=4)
        >>> r.describe()
        'No path within 2 hops between Abarca and Zetas: the shortest takes 4 hops.'
        """
        words = {
            "components": self._components_words,
            "alone": self._alone_words,
            "filters": self._filters_words,
            "max_hops": self._max_hops_words,
        }.get(self.kind, self._time_words)
        return words(lang)

    def _components_words(self, lang: str) -> str:
        a, b = self.source_label, self.target_label
        return " ".join(
            [
                tr(
                    "No path: {a} and {b} are in separate parts of the network, which no "
                    "chain of ties joins.",
                    lang,
                    a=a,
                    b=b,
                ),
                tr(
                    "{a} is in a part of {n} actors; {b} in one of {m} (the network has "
                    "{parts} separate parts).",
                    lang,
                    a=a,
                    b=b,
                    n=self.source_part,
                    m=self.target_part,
                    parts=self.parts,
                ),
            ]
        )

    def _alone_words(self, lang: str) -> str:
        a, b = self.source_label, self.target_label
        return tr(
            "No path between {a} and {b}: {alone} has no tie that can carry a path "
            "(refuted claims carry none).",
            lang,
            a=a,
            b=b,
            alone=a if self.source_part <= 1 else b,
        )

    def _filters_words(self, lang: str) -> str:
        a, b = self.source_label, self.target_label
        if self.together or not self.cut_by:
            every = "; ".join(self.filter_words(name, lang) for name, _ in self.filters)
            return tr(
                "No path between {a} and {b} with the filters set ({filters}): together "
                "they cut every path; without them there is one.",
                lang,
                a=a,
                b=b,
                filters=every,
            )
        cut = "; ".join(self.filter_words(name, lang) for name in self.cut_by)
        message = (
            "No path between {a} and {b} with the filters set: this filter cuts every "
            "path, and without it there is one: {cut}."
            if len(self.cut_by) == 1
            else "No path between {a} and {b} with the filters set: without any one of "
            "these filters there is one: {cut}."
        )
        return tr(message, lang, a=a, b=b, cut=cut)

    def _max_hops_words(self, lang: str) -> str:
        a, b = self.source_label, self.target_label
        if self.max_hops == 1:
            return tr(
                "No direct tie between {a} and {b}: the shortest path takes {n} hops.",
                lang,
                a=a,
                b=b,
                n=self.hops_needed,
            )
        return tr(
            "No path within {max} hops between {a} and {b}: the shortest takes {n} hops.",
            lang,
            max=self.max_hops,
            a=a,
            b=b,
            n=self.hops_needed,
        )

    def _time_words(self, lang: str) -> str:
        return tr(
            "No path between {a} and {b} whose ties were valid at the same time: paths join "
            "them, but their ties never overlap in time.",
            lang,
            a=self.source_label,
            b=self.target_label,
        )

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        # Written here, not by `hilos.evidence.Record`: its message and filter words are said
        # in the reader's language, which a record's fields do not carry.
        return {
            "kind": self.kind,
            "source": {"id": self.source, "label": self.source_label, "part": self.source_part},
            "target": {"id": self.target, "label": self.target_label, "part": self.target_part},
            "parts": self.parts,
            "max_hops": self.max_hops,
            "hops_needed": self.hops_needed,
            "filters": [
                {"name": name, "value": value, "words": self.filter_words(name, lang)}
                for name, value in self.filters
            ],
            "cut_by": list(self.cut_by),
            "together": self.together,
            "message": self.describe(lang),
        }


class NoPath(NotFound):
    """No path joins the two ends; `reason` says why (its English words are the message)."""

    def __init__(self, reason: NoPathReason) -> None:
        super().__init__(reason.describe("en"))
        self.reason = reason


def explain_no_path(
    store: Store,
    filters: Filters,
    source: str,
    target: str,
    *,
    max_hops: int,
    time_consistent: bool = False,
    lang: str = "en",
) -> NoPathReason | None:
    """Why no path of at most `max_hops` joins `source` and `target` under `filters` (None
    when an end is not an actor of the network at all: the finder's own message says so).

    The whole network without filters is read (the saved projection on the embedded store)
    to find the parts the two ends lie in and the shortest path between them; when that path
    fits in `max_hops` and filters are set, the search is run again without each filter in
    turn, then without all of them.
    """
    reach = _reach(store, Filters(include=filters.include, modalities=filters.modalities),
                   source, target, lang)  # fmt: skip
    if reach is None:
        return None
    source, target = reach.source, reach.target
    make = functools.partial(
        NoPathReason,
        source=source,
        target=target,
        source_label=reach.labels[0],
        target_label=reach.labels[1],
        max_hops=max_hops,
        filters=tuple((name, _filter_value(filters, name)) for name in active_filters(filters)),
    )
    if reach.needed is None:
        first, second = reach.parts_of_ends
        if min(first, second) == 1:
            return make("alone", source_part=first, target_part=second)
        return make("components", source_part=first, target_part=second, parts=reach.parts)
    if reach.needed > max_hops:
        return make("max_hops", hops_needed=reach.needed)

    def finds(trial: Filters) -> bool:
        try:
            _paths_in_store(store, trial, source, target, 1, max_hops, time_consistent, lang)
        except NotFound:
            return False
        return True

    cut = _cut_by_filters(make, filters, finds)
    if cut is not None:
        return cut
    if time_consistent:
        return make("time", hops_needed=reach.needed)
    return None


@dataclass(frozen=True)
class _Reach:
    """How the two ends of a question lie in the whole network's usable links (the ties with
    a positive score; both ends counted even without one): the length of the shortest path
    between them, or (None) the sizes of their two parts and how many parts there are."""

    source: str
    target: str
    labels: tuple[str, str]
    needed: int | None
    parts_of_ends: tuple[int, int] = (0, 0)
    parts: int = 0


def _reach(store: Store, whole: Filters, source: str, target: str, lang: str) -> _Reach | None:
    """`_Reach` from the saved arrays where the store keeps them and they say what the graph
    would (a million actors in seconds, no graph built), else from the projected graph."""
    if cache.enabled(store):
        found = network_saved(store, whole, lang=lang)
        if found is not None:
            return _reach_in_arrays(store, found[0], found[1], (source, target), lang)
    return _reach_in_graph(store, project(store, whole, lang=lang), source, target, lang)


def _reach_in_graph(
    store: Store, whole: Projection, source: str, target: str, lang: str
) -> _Reach | None:
    source, target = whole.canonical(source), whole.canonical(target)
    if source in whole.left_out_nodes or target in whole.left_out_nodes:
        return None
    labels = (
        _node_label(store, whole.graph, source, lang),
        _node_label(store, whole.graph, target, lang),
    )
    usable = _usable_links(whole.graph, source, target)
    source_part = nx.node_connected_component(usable, source)
    if target in source_part:
        return _Reach(source, target, labels, nx.shortest_path_length(usable, source, target))
    ends = (len(source_part), len(nx.node_connected_component(usable, target)))
    return _Reach(source, target, labels, None, ends, nx.number_connected_components(usable))


def _reach_in_arrays(
    store: Store, network: ArrayNetwork, whole: Projection, ends: tuple[str, str], lang: str
) -> _Reach | None:
    """`_reach_in_graph` on the arrays: the same parts, counted over the actors with a usable
    link and the two ends, and the same shortest length (igraph's breadth-first search)."""
    source, target = ends
    if source in whole.left_out_nodes or target in whole.left_out_nodes:
        return None
    nodes = network.nodes
    index = {name: i for i, name in enumerate(nodes.id_list(np.arange(nodes.count)))}
    count = nodes.count + 2  # room for an end that has no tie kept at all
    at = [index.get(source, nodes.count), index.get(target, nodes.count + 1)]
    labels = tuple(_array_label(store, nodes, i, n, lang) for i, n in zip(at, ends, strict=True))
    usable = network.scores > 0
    tails, heads = network.sources[usable], network.targets[usable]
    counted = np.zeros(count, dtype=np.bool_)
    counted[tails] = counted[heads] = True
    counted[at] = True
    real = tails != heads
    compiled = compiled_graph(
        count, Links(tails=tails[real], heads=heads[real], weights=np.ones(int(real.sum())))
    )
    membership = np.asarray(compiled.connected_components().membership)
    pair = (labels[0], labels[1])
    if membership[at[0]] == membership[at[1]]:
        needed = int(compiled.distances(source=at[0], target=at[1])[0][0])
        return _Reach(source, target, pair, needed)
    parts = membership[counted]
    sizes = (int((parts == membership[at[0]]).sum()), int((parts == membership[at[1]]).sum()))
    return _Reach(source, target, pair, None, sizes, len(np.unique(parts)))


def _array_label(store: Store, nodes: NodeTable, at: int, node: str, lang: str) -> str:
    """As `_node_label`: the label the projection has, else the store's description's."""
    label = int(nodes.labels[at]) if at < nodes.count else -1
    found = nodes.strings[label] if label >= 0 else ""
    return found or _node_label(store, nx.Graph(), node, lang)


def _usable_links(graph: nx.MultiDiGraph, source: str, target: str) -> nx.Graph:
    """The network's links that can carry a path (a tie with a positive score), both ends
    included even without one."""
    usable = nx.Graph()
    usable.add_nodes_from((source, target))
    usable.add_edges_from((u, v) for u, v, d in graph.edges(data=True) if d["score"] > 0)
    return usable


def _node_label(store: Store, graph: nx.MultiDiGraph, n: str, lang: str) -> str:
    """The entity's label: from the projection, else (an actor whose only ties are refuted is
    not in it) from the store, so a reader never gets an identifier for a name."""
    found = graph.nodes[n].get("label") if n in graph else None
    return str(found) if found else describe(store, n, lang=lang).label


def _cut_by_filters(
    make: Callable[..., NoPathReason], filters: Filters, finds: Callable[[Filters], bool]
) -> NoPathReason | None:
    """The reason when the filters set cut every path: the ones any one of which, dropped,
    lets a path through, or else all of them together; None when no filter is to blame."""
    active = active_filters(filters)
    if not active:
        return None
    cut = tuple(name for name in active if finds(without(filters, name)))
    if cut:
        return make("filters", cut_by=cut)
    if finds(without(filters, *active)):
        return make("filters", together=True)
    return None


def _check_ends(source: str, target: str, limit: int, max_hops: int) -> None:
    _check_limits(limit, max_hops)
    if source == target:
        raise BadInput(_("the two ends of a path are the same entity"))


def _find(
    store: Store,
    projection: Projection,
    source: str,
    target: str,
    limit: int,
    max_hops: int,
    time_consistent: bool,
    *,
    exhaustive: bool = True,
    describe: Callable[[Iterable[str]], None] | None = None,
) -> list[EvidencePath]:
    """The best paths in a projection (`exhaustive`: it holds the whole network), their nodes
    described by `describe` first if the projection has not described them."""
    source, target = projection.canonical(source), projection.canonical(target)
    if source == target:
        raise BadInput(_("the two ends are one entity, by an identity claim"))
    require_nodes(projection, source, target)
    graph = projection.graph
    ends = {"a": graph.nodes[source]["label"], "b": graph.nodes[target]["label"]}
    chosen = _best_paths(
        graph,
        projection.filters.directed,
        source,
        target,
        limit=limit,
        max_hops=max_hops,
        time_consistent=time_consistent,
        ends=ends,
        exhaustive=exhaustive,
    )
    if describe is not None:
        describe({n for node_path, _ in chosen for n in node_path} - {source, target})
    return _ranked(store, graph, chosen, projection.filters.directed)


_Chosen = list[tuple[list[str], list[tuple[str, bool, dict[str, Any]]]]]


def _best_paths(
    graph: nx.MultiDiGraph,
    directed: bool,
    source: str,
    target: str,
    *,
    limit: int,
    max_hops: int,
    time_consistent: bool,
    ends: dict[str, str],
    exhaustive: bool = True,
) -> _Chosen:
    """The node sequences of the best paths and the ties chosen for each hop: the k shortest
    simple paths by −log(score), those within `max_hops` kept. `exhaustive` says whether
    `graph` holds every path between the ends (else only those within `max_hops`)."""
    simple = _strongest_links(graph, directed)
    if source not in simple or target not in simple:  # an end without a usable tie
        raise NotFound(_("no path between {a} and {b} under these filters", **ends))
    ahead = nx.single_source_shortest_path_length(simple, source, cutoff=max_hops)
    if target not in ahead:
        if exhaustive and not nx.has_path(simple, source, target):
            raise NotFound(_("no path between {a} and {b} under these filters", **ends))
        raise NotFound(_("no path between {a} and {b} within {hops} hops", hops=max_hops, **ends))
    back = nx.single_source_shortest_path_length(
        simple.reverse(copy=False) if directed else simple, target, cutoff=max_hops
    )
    region = _region(simple, ahead, back, max_hops)
    candidates: Iterator[list[str]] = nx.shortest_simple_paths(region, source, target, "weight")
    chosen = _first_usable(graph, candidates, directed, time_consistent, limit, max_hops)
    if not chosen:
        raise NotFound(
            _(
                "no time-consistent path between {a} and {b} within {hops} hops",
                hops=max_hops,
                **ends,
            )
        )
    return chosen


def _strongest_links(graph: nx.MultiDiGraph, directed: bool) -> nx.DiGraph | nx.Graph:
    """One link per pair of nodes joined by a tie that can carry a path, weighted by
    −log(score) of the strongest such tie."""
    simple: nx.DiGraph | nx.Graph = nx.DiGraph() if directed else nx.Graph()
    for u, v, data in graph.edges(data=True):
        if data["score"] <= 0:
            continue
        weight = -math.log(data["score"])
        if simple.has_edge(u, v) and simple[u][v]["weight"] <= weight:
            continue
        simple.add_edge(u, v, weight=weight)
    return simple


def _first_usable(
    graph: nx.MultiDiGraph,
    candidates: Iterator[list[str]],
    directed: bool,
    time_consistent: bool,
    limit: int,
    max_hops: int,
) -> _Chosen:
    """The first `limit` candidate node sequences within `max_hops` that have ties for every
    hop (time-consistent if asked), with those ties; at most `_MAX_EXAMINED` are examined."""
    chosen: _Chosen = []
    for examined, node_path in enumerate(candidates, 1):
        if len(node_path) - 1 <= max_hops:
            ties = _choose(graph, node_path, directed, time_consistent)
            if ties is not None:
                chosen.append((node_path, ties))
                if len(chosen) >= limit:
                    break
        if examined >= _MAX_EXAMINED:
            break
    return chosen


def _region(
    simple: nx.DiGraph | nx.Graph, ahead: dict[str, int], back: dict[str, int], max_hops: int
) -> nx.DiGraph | nx.Graph:
    """The links that lie on some walk of at most `max_hops` from the source (distances
    `ahead`) to the target (distances `back`), added in sorted order.

    Every path the search may return lies in it, and it is the same whether the network is the
    whole projection or the region read around the two ends (`find_paths_in_store`): so both
    find the same paths, and among equally strong paths which ones fill the last places of
    `limit` no longer depends on the order the store happens to return ties in.
    """
    far = max_hops + 1
    region: nx.DiGraph | nx.Graph = simple.__class__()
    region.add_nodes_from(sorted(n for n in ahead if ahead[n] + back.get(n, far) <= max_hops))
    directed = simple.is_directed()
    links: list[tuple[str, str, float]] = []
    for u, v, weight in simple.edges(data="weight"):
        if ahead.get(u, far) + 1 + back.get(v, far) <= max_hops:
            links.append((u, v, weight) if directed or u < v else (v, u, weight))
        elif not directed and ahead.get(v, far) + 1 + back.get(u, far) <= max_hops:
            links.append((u, v, weight) if u < v else (v, u, weight))
    region.add_weighted_edges_from(sorted(links))
    return region


def _ranked(
    store: Store, graph: nx.MultiDiGraph, chosen: _Chosen, directed: bool
) -> list[EvidencePath]:
    reader = ClaimReader(store)  # the best paths share claims: each is read once
    found = [
        _materialise(store, graph, node_path, ties, directed=directed, reader=reader)
        for node_path, ties in chosen
    ]
    found.sort(key=lambda p: (-p.score, len(p.hops), [n.label for n in p.nodes]))
    return found


def family_relations(store: Store, family: str) -> set[str]:
    """The compact names of a tie family's classes and all their sub-classes (`collusion`: the
    crossings of a chain; `hierarchy`: the steps inside a sphere), as the ontology states them."""
    return {compact(c) for c in vocabulary().family_classes(family, store.terminology())}


def collusion_relations(store: Store) -> set[str]:
    """The compact names of the collusion family's tie classes and their sub-classes."""
    return family_relations(store, "collusion")


def find_chains(
    store: Store,
    projection: Projection,
    *,
    from_sphere: str = "state",
    to_sphere: str = "criminal",
    max_hops: int = 4,
    limit: int | None = None,
) -> tuple[list[EvidencePath], bool]:
    """Every collusion chain from an actor of `from_sphere` into `to_sphere` (see the module's
    rule), each naming its crossing claim; ranked by evidence score, then fewer hops.

    Every chain is listed, the direct crossing as well as each longer chain that extends it
    (the mayor → municipal police → Guerreros Unidos chain does not hide the police's own
    crossing). Returns the chains and whether the search was cut short.
    """
    _check_limits(limit or 1, max_hops)
    _check_spheres(from_sphere, to_sphere)
    graph = projection.graph
    directed = projection.filters.directed
    families = _ChainFamilies(
        crossing=family_relations(store, "collusion"),
        hierarchy=family_relations(store, "hierarchy"),
    )
    steps = _chain_steps(graph, directed, families, from_sphere, to_sphere)
    walks = _Walks()
    sequences = _chain_sequences(steps, from_sphere, to_sphere, max_hops, walks)
    ranked = _ranked_chains(graph, sequences, directed, families)
    _CHAIN_COUNTS.clear()  # the last run only
    _CHAIN_COUNTS[id(projection)] = len(ranked)
    reader = ClaimReader(store)  # chains share most of their claims: each is read once
    chains = [
        _materialise(
            store, graph, sequence, ties, directed=directed, crossing=crossing, reader=reader
        )
        for _, sequence, crossing, ties in (ranked[:limit] if limit else ranked)
    ]
    chains.sort(key=lambda p: (-p.score, len(p.hops), [n.label for n in p.nodes]))
    return chains, walks.truncated


def _check_spheres(from_sphere: str, to_sphere: str) -> None:
    known = vocabulary().sphere_keys
    for sphere in (from_sphere, to_sphere):
        if sphere not in known:
            raise BadInput(
                _(
                    "unknown sphere '{sphere}' (one of: {known})",
                    sphere=sphere,
                    known=", ".join(known),
                )
            )
    if from_sphere == to_sphere:
        raise BadInput(
            _(
                "{parameter} and {other_parameter} must differ",
                parameter="from_sphere",
                other_parameter="to_sphere",
            )
        )


@dataclass(frozen=True)
class _ChainFamilies:
    """The compact names of the tie classes a chain may cross by, and step inside a sphere by."""

    crossing: set[str]
    hierarchy: set[str]


_Steps = dict[str, dict[str, set[str]]]
"""steps[sphere][node]: the nodes one hierarchy step away from node inside the sphere."""


@dataclass
class _ChainSteps:
    """The moves a chain can make: hierarchy steps inside each sphere (both ways unless
    directed: then `ahead` follows ties forward and `behind` backward), and the crossings."""

    ahead: _Steps
    behind: _Steps
    crossings: set[tuple[str, str]] = dataclasses.field(default_factory=set)

    def add_step(self, sphere: str, u: str, v: str, directed: bool) -> None:
        self.ahead[sphere].setdefault(u, set()).add(v)
        self.behind[sphere].setdefault(v, set()).add(u)
        if not directed:
            self.ahead[sphere].setdefault(v, set()).add(u)
            self.behind[sphere].setdefault(u, set()).add(v)


def _chain_steps(
    graph: nx.MultiDiGraph,
    directed: bool,
    families: _ChainFamilies,
    from_sphere: str,
    to_sphere: str,
) -> _ChainSteps:
    """Every usable tie of the hierarchy family between two actors of one of the two spheres
    as a step, every usable tie of the collusion family from one sphere into the other as a
    crossing (either way round unless directed)."""
    steps = _ChainSteps(
        ahead={from_sphere: {}, to_sphere: {}}, behind={from_sphere: {}, to_sphere: {}}
    )

    def spheres(n: str) -> tuple[str, ...]:
        return tuple(graph.nodes[n].get("spheres") or ())

    for u, v, data in graph.edges(data=True):
        if data["score"] <= 0:
            continue
        relation = data["relation"]
        if relation in families.hierarchy:
            for sphere in (from_sphere, to_sphere):
                if sphere in spheres(u) and sphere in spheres(v):
                    steps.add_step(sphere, u, v, directed)
        if relation in families.crossing:
            if from_sphere in spheres(u) and to_sphere in spheres(v):
                steps.crossings.add((u, v))
            if not directed and from_sphere in spheres(v) and to_sphere in spheres(u):
                steps.crossings.add((v, u))
    return steps


class _Walks:
    """Simple walks along hierarchy steps, counting the partial walks explored across every
    call: past `_MAX_CHAINS` the search stops and says so (`truncated`)."""

    def __init__(self) -> None:
        self.explored = 0
        self.truncated = False

    def __call__(self, start: str, steps: dict[str, set[str]], room: int) -> list[tuple[str, ...]]:
        """Simple walks from `start` along `steps` of at most `room` steps (the empty one
        included), each as the sequence of nodes after `start`."""
        found: list[tuple[str, ...]] = [()]
        stack: list[tuple[str, ...]] = [()]
        while stack:
            trail = stack.pop()
            self.explored += 1
            if self.explored > _MAX_CHAINS:
                self.truncated = True
                break
            if len(trail) >= room:
                continue
            last = trail[-1] if trail else start
            for nxt in sorted(steps.get(last, set()) - {start, *trail}):
                longer = (*trail, nxt)
                found.append(longer)
                stack.append(longer)
        return found


def _chain_sequences(
    steps: _ChainSteps, from_sphere: str, to_sphere: str, max_hops: int, walks: _Walks
) -> dict[tuple[str, ...], int]:
    """The node sequence of every chain (steps back inside `from_sphere`, a crossing, steps on
    inside `to_sphere`; no node twice), with the index of its crossing hop."""
    sequences: dict[tuple[str, ...], int] = {}
    for u, v in sorted(steps.crossings):
        for before in walks(u, steps.behind[from_sphere], max_hops - 1):
            prefix = (*reversed(before), u)
            for after in walks(v, steps.ahead[to_sphere], max_hops - len(before) - 1):
                sequence = (*prefix, v, *after)
                if len(set(sequence)) == len(sequence):
                    sequences.setdefault(sequence, len(before))
            if walks.truncated:
                break
        if walks.truncated:
            break
    return sequences


_RankedChain = tuple[tuple[Any, ...], tuple[str, ...], int, list[tuple[str, bool, dict[str, Any]]]]


def _ranked_chains(
    graph: nx.MultiDiGraph,
    sequences: dict[tuple[str, ...], int],
    directed: bool,
    families: _ChainFamilies,
) -> list[_RankedChain]:
    """The chains that have a usable claim for every hop, ranked on the projection's own
    scores and labels: only the chains returned are then read with their evidence (a large
    network has hundreds of thousands of chains). Each as (sort key, sequence, crossing, ties)."""
    ranked: list[_RankedChain] = []
    for sequence, crossing in sequences.items():
        ties = _chain_ties(
            graph, sequence, crossing, directed, families.crossing, families.hierarchy
        )
        if ties is not None:
            score = _path_score([t[2]["score"] for t in ties])
            labels = [str(graph.nodes[n].get("label") or n) for n in sequence]
            ranked.append(((-score, len(ties), labels), sequence, crossing, ties))
    ranked.sort(key=lambda item: item[0])
    return ranked


_CHAIN_COUNTS: dict[int, int] = {}


def chain_count(projection: Projection) -> int | None:
    """How many chains the last `find_chains` on this projection found before its `limit`
    (None if it has not run on it)."""
    return _CHAIN_COUNTS.get(id(projection))


def _chain_ties(
    graph: nx.MultiDiGraph,
    sequence: Sequence[str],
    crossing: int,
    directed: bool,
    crossing_relations: set[str],
    hierarchy_relations: set[str],
) -> list[tuple[str, bool, dict[str, Any]]] | None:
    """The strongest claim for each hop of a chain: of the collusion family at the crossing,
    of the hierarchy family elsewhere."""
    chosen = []
    for index, (u, v) in enumerate(itertools.pairwise(sequence)):
        relations = crossing_relations if index == crossing else hierarchy_relations
        options = _parallel_ties(graph, u, v, directed, relations)
        if not options:
            return None
        chosen.append(options[0])
    return chosen
