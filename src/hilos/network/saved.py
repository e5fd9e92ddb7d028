"""The projection's raw material, read from the store once per state and saved beside it.

Reading every tie and the description of every entity from a large store is what made each
analysis slow (135 s on a million entities, before any computing). So that reading is done once
per state of the store (`Store.state()`, which every write changes) and saved with
`hilos.store.cache`, in columns:

* a table of strings (IRIs, lexical forms, labels), every other column pointing into it;
* one row per tie record (as `projection._records` reads them, in the same order): the tie,
  its two ends, its asserted classes (one string), status, confidence, start, end, modality;
* one row per entity at an end of a tie: its label (in the language asked for), whether the
  graphs type it, and its description (kind, spheres, types: one string, shared by the
  entities described alike).

`project_saved` applies the `Filters` to these columns (each test once per distinct value, not
per tie) and builds the same `Projection` that `project_from_scratch` builds: the same nodes in
the same order, the same edges, every attribute, the same counts of what was dropped.
"""

from __future__ import annotations

import contextlib
import gc
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx
import numpy as np

from ..namespaces import compact
from ..store import Store, cache
from ..vocab import vocabulary
from .arrays import ArrayNetwork, NodeTable, from_graph
from .context import outside_descriptions
from .projecting import (
    _TIE_ONLY,
    IDENTITY,
    Filters,
    Projection,
    TieFilter,
    _node_facts,
    _records,
    apply_identities,
    date_before_or_on,
    describe_each,
    descriptions,
    evidence_score,
    in_network,
    project_from_scratch,
)

KIND = "projection"
TIE_COLUMNS = ("tie", "source", "target", "classes", "status", "confidence", "start", "end")
OPTIONAL = ("status", "confidence", "start", "end", "modality")
_ITEM = "\x01"
_PART = "\x02"
T = TypeVar("T")


@dataclass
class Material:
    """What a projection is made from (see the module's description)."""

    strings: list[str]
    ties: dict[str, np.ndarray]
    """`TIE_COLUMNS` and `modality`: indexes into `strings`, -1 where a tie has no value."""
    nodes: np.ndarray
    labels: np.ndarray
    typed: np.ndarray
    described: np.ndarray
    """Per node, its description: an index into `descriptions`."""
    descriptions: list[str]

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "strings": cache.pack_strings(self.strings),
            **{f"tie_{name}": column for name, column in self.ties.items()},
            "nodes": self.nodes,
            "labels": self.labels,
            "typed": self.typed,
            "described": self.described,
            "descriptions": cache.pack_strings(self.descriptions),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Material:
        ties = {name[4:]: arrays[name] for name in arrays if name.startswith("tie_")}
        if set(ties) != {*TIE_COLUMNS, "modality"}:
            raise KeyError("tie columns")
        return cls(
            strings=cache.strings(arrays["strings"]),
            ties=ties,
            nodes=arrays["nodes"],
            labels=arrays["labels"],
            typed=arrays["typed"],
            described=arrays["described"],
            descriptions=cache.strings(arrays["descriptions"]),
        )


def _key(graphs: list[str] | None, lang: str) -> str:
    return "\n".join([lang, *(graphs or ())])


def material(store: Store, graphs: list[str] | None, lang: str) -> Material:
    """The saved material for these graphs and language, derived (and saved) if missing."""
    key = _key(graphs, lang)
    saved = cache.load(store, KIND, key)
    if saved is not None:
        try:
            return Material.from_arrays(saved)
        except (KeyError, ValueError, IndexError, UnicodeDecodeError):
            pass  # of another shape: derived again
    with _no_collection():
        found = derive(store, graphs, lang)
    cache.save(store, KIND, key, found.arrays())
    return found


def derive(store: Store, graphs: list[str] | None, lang: str) -> Material:
    """Read every tie of the graphs and describe every entity at an end of one."""
    numbers: dict[str, int] = {}
    strings: list[str] = []

    def number(value: str | None) -> int:
        if value is None:
            return -1
        found = numbers.get(value)
        if found is None:
            found = numbers[value] = len(strings)
            strings.append(value)
        return found

    columns = {name: array("q") for name in (*TIE_COLUMNS, "modality")}
    ends: dict[str, None] = {}
    for record in _records(store, graphs):
        columns["tie"].append(number(record.tie))
        columns["source"].append(number(record.source))
        columns["target"].append(number(record.target))
        columns["classes"].append(number(_ITEM.join(sorted(record.classes))))
        columns["status"].append(number(record.status))
        columns["confidence"].append(number(record.confidence))
        columns["start"].append(number(record.start))
        columns["end"].append(number(record.end))
        columns["modality"].append(number(record.modality))
        ends[record.source] = None
        ends[record.target] = None
    facts = _node_facts(store, ends, graphs)
    typed_nodes = facts[2]
    shapes: dict[str, int] = {}
    labels, typed, described = array("q"), array("b"), array("q")
    nodes = array("q")
    for node, description in descriptions(store, ends, facts, lang):
        nodes.append(number(node))
        labels.append(number(description["label"]))
        typed.append(node in typed_nodes)
        shape = _PART.join(
            [
                description["kind"],
                _ITEM.join(description["spheres"]),
                _ITEM.join(description["types"]),
            ]
        )
        described.append(shapes.setdefault(shape, len(shapes)))
    return Material(
        strings=strings,
        ties={name: np.asarray(column, dtype=np.int64) for name, column in columns.items()},
        nodes=np.asarray(nodes, dtype=np.int64),
        labels=np.asarray(labels, dtype=np.int64),
        typed=np.asarray(typed, dtype=np.bool_),
        described=np.asarray(described, dtype=np.int64),
        descriptions=list(shapes),
    )


# ----------------------------------------------------------------------------- filtering


def _per_value(
    column: np.ndarray, strings: list[str], function: Callable[[str | None], T]
) -> tuple[list[T], np.ndarray]:
    """`function` of each distinct value of a column (None for -1), and each row's index into
    those results."""
    distinct, inverse = np.unique(column, return_inverse=True)
    results = [function(None if i < 0 else strings[i]) for i in distinct.tolist()]
    return results, inverse.reshape(-1)


def _mask(results: list[Any], inverse: np.ndarray) -> np.ndarray:
    mask: np.ndarray = np.asarray(results, dtype=np.bool_)[inverse]
    return mask


class _Failed:
    """A value a test could not be computed for (as a malformed date): the tie's own test
    raises it again if the tie gets that far."""

    def __init__(self, error: Exception) -> None:
        self.error = error


def _safely(function: Callable[[str | None], bool]) -> Callable[[str | None], bool | _Failed]:
    def run(value: str | None) -> bool | _Failed:
        try:
            return function(value)
        except (ValueError, TypeError) as exc:
            return _Failed(exc)

    return run


def _test(results: list[bool | _Failed], inverse: np.ndarray, reaching: np.ndarray) -> np.ndarray:
    """The rows that pass a test; a failed value met by a row still `reaching` it raises."""
    failed = {i: result for i, result in enumerate(results) if isinstance(result, _Failed)}
    if failed:
        hit = reaching & np.isin(inverse, list(failed))
        if hit.any():
            raise failed[int(inverse[int(np.argmax(hit))])].error
    mask: np.ndarray = np.asarray([r is True for r in results], dtype=np.bool_)[inverse]
    return mask


def project_saved(store: Store, filters: Filters, *, lang: str = "en") -> Projection:
    """`project` from the saved material (derived first if the store changed since)."""
    edges, nodes, counts, elsewhere = _filtered(store, filters, lang)
    with _no_collection():
        return edges.projection(nodes, filters, counts, elsewhere)


def network_saved(
    store: Store, filters: Filters, *, lang: str = "en"
) -> tuple[ArrayNetwork, Projection] | None:
    """The analysed network of `project_saved` as arrays (no graph built), with a projection
    that says what it was made of (its graph left empty); None where the arrays cannot say
    the same as the graph (identity claims to apply, entities described by other graphs, a
    tie read both ways): the caller projects the graph then."""
    edges, nodes, counts, elsewhere = _filtered(store, filters, lang)
    if elsewhere or edges.described:
        return None
    return edges.network(nodes, filters, counts)


def _filtered(
    store: Store, filters: Filters, lang: str
) -> tuple[_Edges, np.ndarray, dict[str, int], dict[str, tuple[str, ...]]]:
    """The ties the filters keep, their ends in order, the counts of what was dropped and the
    entities described by other graphs than those asked for."""
    graphs = list(filters.graphs) or None
    maker = TieFilter(store, filters)
    found = material(store, graphs, lang)
    strings, ties = found.strings, found.ties
    vocab = vocabulary()

    def classes_of(value: str | None) -> frozenset[str]:
        return frozenset(value.split(_ITEM)) if value else frozenset()

    relations, relation_row = _per_value(
        ties["classes"], strings, lambda v: maker.relation(classes_of(v) or _TIE_ONLY)
    )
    statuses, status_row = _per_value(
        ties["status"], strings, lambda v: None if v is None else vocab.status_key(v)
    )
    confidences, confidence_row = _per_value(
        ties["confidence"], strings, lambda v: None if v is None else float(v)
    )
    modalities, modality_row = _per_value(
        ties["modality"], strings, lambda v: vocab.modality_key(v) if v else "stated"
    )
    sieve = _Sieve(len(ties["tie"]))
    _sift_by_claim(
        sieve, filters, maker, (statuses, status_row), (modalities, modality_row),
        (relations, relation_row),
    )  # fmt: skip
    if filters.as_of:
        _sift_as_of(sieve, filters.as_of, ties, strings)
    if filters.between:
        _sift_between(sieve, filters.between, ties, strings)
    if filters.exclude:
        unwanted = set(filters.exclude)
        excluded = [i for i, value in enumerate(strings) if value in unwanted]
        sieve.drop(
            "excluded",
            np.isin(ties["source"], excluded) | np.isin(ties["target"], excluded),
        )
    keep, dropped = sieve.keep, sieve.dropped
    order = sorted(dropped, key=lambda reason: int(np.argmax(dropped[reason])))
    counts = {reason: int(dropped[reason].sum()) for reason in order}
    edges = _Edges(found, np.flatnonzero(keep))
    edges.attributes = (
        [compact(relation) for relation in relations],
        relation_row,
        statuses,
        status_row,
        confidences,
        confidence_row,
        modalities,
        modality_row,
    )
    nodes = edges.nodes()
    elsewhere = _described_elsewhere(store, filters, lang, edges, nodes) if graphs else {}
    return edges, nodes, counts, elsewhere


def _described_elsewhere(
    store: Store, filters: Filters, lang: str, edges: _Edges, nodes: np.ndarray
) -> dict[str, tuple[str, ...]]:
    """The entities the graphs asked for do not type, with the other graphs that describe them;
    unless `--only`, their descriptions from those graphs go to `edges.described`."""
    found = edges.found
    untyped = {found.strings[n]: n for n in nodes[~edges.typed(nodes)].tolist()}
    elsewhere = outside_descriptions(store, list(filters.graphs), untyped)
    if elsewhere and not filters.only:
        others = nx.MultiDiGraph()
        others.add_nodes_from(elsewhere)
        describe_each(store, store.view(), others, elsewhere, lang)
        edges.described = {untyped[name]: data for name, data in others.nodes(data=True)}
    return elsewhere


Column = tuple[list[Any], np.ndarray]
"""The results of a test for each distinct value of a column, and each row's index into them."""


class _Sieve:
    """The rows the filters keep so far, and, for each reason, the rows it dropped first."""

    def __init__(self, count: int) -> None:
        self.keep = np.ones(count, dtype=np.bool_)
        self.dropped: dict[str, np.ndarray] = {}

    def drop(self, reason: str, failing: np.ndarray) -> None:
        gone = self.keep & failing
        if gone.any():
            self.dropped[reason] = gone
            self.keep = self.keep & ~failing


def _sift_by_claim(
    sieve: _Sieve,
    filters: Filters,
    maker: TieFilter,
    status_column: Column,
    modality_column: Column,
    relation_column: Column,
) -> None:
    """Drop the ties refuted, not stated (unless their modality is asked for), of a status that
    does not assert or ranks too low, or of a type not asked for: in this order."""
    vocab = vocabulary()
    statuses, status_row = status_column
    modalities, modality_row = modality_column
    relations, relation_row = relation_column
    if not filters.every_claim:
        refuted = [s is not None and vocab.status(s).weight <= 0 for s in statuses]
        sieve.drop("refuted", _mask(refuted, status_row))
        unstated = [m != "stated" and m not in filters.modalities for m in modalities]
        sieve.drop("not a statement of fact", _mask(unstated, modality_row))
    if filters.asserted_only:
        asserts = [s is not None and vocab.status(s).asserts for s in statuses]
        sieve.drop("status does not assert", ~_mask(asserts, status_row))
    if maker.wanted is not None:
        sieve.drop("tie type", ~_mask([r in maker.wanted for r in relations], relation_row))
    if maker.min_rank is not None:
        low = [s is None or vocab.rank(s) < maker.min_rank for s in statuses]
        sieve.drop("status", _mask(low, status_row))


def _sift_as_of(
    sieve: _Sieve, when: str, ties: Mapping[str, np.ndarray], strings: list[str]
) -> None:
    """Drop the ties not holding on a date: started after it or ended before it."""
    starts, start_row = _per_value(
        ties["start"], strings, _safely(lambda v: v is None or date_before_or_on(v, when))
    )
    ends, end_row = _per_value(
        ties["end"], strings, _safely(lambda v: v is None or date_before_or_on(when, v))
    )
    reaching = sieve.keep.copy()
    sieve.drop("as of", ~(_test(starts, start_row, reaching) & _test(ends, end_row, reaching)))


def _sift_between(
    sieve: _Sieve, years: tuple[int, int], ties: Mapping[str, np.ndarray], strings: list[str]
) -> None:
    """Drop the ties not overlapping the years: started after the last or ended before the
    first."""
    first, last = years
    starts, start_row = _per_value(
        ties["start"], strings, _safely(lambda v: v is None or int(v[:4]) <= last)
    )
    reaching = sieve.keep.copy()
    passing = _test(starts, start_row, reaching)
    ends, end_row = _per_value(
        ties["end"], strings, _safely(lambda v: v is None or int(v[:4]) >= first)
    )
    # the end is read only where the start passes (`overlaps_years` stops there)
    passing &= _test(ends, end_row, reaching & passing)
    sieve.drop("between", ~passing)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Without the cyclic garbage collector, which would walk the growing graph again and again
    while a million dictionaries are made (none of them in a cycle)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Edges:
    """The ties kept by the filters, turned into the projection's graph."""

    def __init__(self, found: Material, rows: np.ndarray) -> None:
        self.found = found
        self.rows = rows
        self.sources = found.ties["source"][rows]
        self.targets = found.ties["target"][rows]
        self.position = np.full(len(found.strings), -1, dtype=np.int64)
        self.position[found.nodes] = np.arange(len(found.nodes))
        self.shapes = [_shape(text) for text in found.descriptions]
        self.described: dict[int, dict[str, Any]] = {}
        """Nodes described by other graphs than those asked for, with their description."""
        self.attributes: tuple[Any, ...] = ()

    def nodes(self) -> np.ndarray:
        """The ends of the ties kept, in the order they are first met."""
        ends = np.empty(2 * len(self.rows), dtype=np.int64)
        ends[0::2], ends[1::2] = self.sources, self.targets
        distinct, first = np.unique(ends, return_index=True)
        ordered: np.ndarray = distinct[np.argsort(first, kind="stable")]
        return ordered

    def typed(self, nodes: np.ndarray) -> np.ndarray:
        found: np.ndarray = self.found.typed[self.position[nodes]]
        return found

    def kinds(self, nodes: np.ndarray) -> list[str]:
        """Each node's kind ("other" where it has none), as its description says."""
        by_shape = [shape[0] or "other" for shape in self.shapes]
        found = [by_shape[shape] for shape in self.found.described[self.position[nodes]].tolist()]
        if self.described:
            for at, node in enumerate(nodes.tolist()):
                if node in self.described:
                    found[at] = self.described[node]["kind"] or "other"
        return found

    def descriptions(self, nodes: np.ndarray) -> dict[int, dict[str, Any]]:
        """Each node's label, sphere, spheres, kind and types, in the order of `nodes`."""
        found, strings = self.found, self.found.strings
        rows = self.position[nodes]
        shapes = self.shapes
        described = {
            node: {
                "label": strings[label],
                "sphere": shapes[shape][1][0] if shapes[shape][1] else None,
                "spheres": shapes[shape][1],
                "kind": shapes[shape][0],
                "types": shapes[shape][2],
            }
            for node, label, shape in zip(
                nodes.tolist(),
                found.labels[rows].tolist(),
                found.described[rows].tolist(),
                strict=True,
            )
        }
        for node, description in self.described.items():
            described[node] = dict(description)
        return described

    def kept(self, nodes: np.ndarray, filters: Filters) -> _Kept:
        """What `finish_projection` keeps of the graph of every kept tie: the context entities
        (and the actors tied only to them) never join the network."""
        strings = self.found.strings
        kept = _Kept(rows=self.rows)
        kinds = self.kinds(nodes)
        networked = {kind: in_network(kind, filters) for kind in set(kinds)}
        context: list[int] = []
        outside = np.zeros(len(strings), dtype=np.bool_)
        for node, kind in zip(nodes.tolist(), kinds, strict=True):
            if not networked[kind]:
                kept.left_out[kind] = kept.left_out.get(kind, 0) + 1
                kept.left_out_nodes[strings[node]] = kind
                context.append(node)
            elif kind == "other":
                kept.untyped += 1
        outside[context] = True
        ties = self.found.ties
        sources, targets = self.sources, self.targets
        away = outside[sources] | outside[targets]
        if away.any():
            # each edge once (a tie read with several values of a property is one edge)
            cut = np.unique(
                np.stack([ties["tie"][self.rows[away]], sources[away], targets[away]], axis=1),
                axis=0,
            )
            kept.lost = int(outside[cut[:, 1]].sum() + outside[cut[:, 2]].sum())
        kept.rows = self.rows[~away]
        kept.sources, kept.targets = sources[~away], targets[~away]
        linked = np.zeros(len(strings), dtype=np.bool_)
        linked[kept.sources] = True
        linked[kept.targets] = True
        kept.linked = linked
        if kept.lost:
            kept.tied_only_to_context = int((~outside[nodes] & ~linked[nodes]).sum())
        return kept

    def summary(self, kept: _Kept, graph: nx.MultiDiGraph, filters: Filters,
                dropped: dict[str, int]) -> Projection:  # fmt: skip
        """The projection of `graph`, with the counts of what was left out."""
        if kept.lost:
            dropped["context entity at an end"] = (
                dropped.get("context entity at an end", 0) + kept.lost
            )
        projection = Projection(graph=graph, filters=filters, dropped=dropped)
        projection.left_out = kept.left_out
        projection.left_out_nodes = kept.left_out_nodes
        projection.untyped = kept.untyped
        projection.tied_only_to_context = kept.tied_only_to_context
        return projection

    def network(
        self, nodes: np.ndarray, filters: Filters, dropped: dict[str, int]
    ) -> tuple[ArrayNetwork, Projection] | None:
        """The kept network as arrays (see `network_saved`)."""
        kept = self.kept(nodes, filters)
        compacted, relation_row = self.attributes[0], self.attributes[1]
        if IDENTITY in {compacted[r] for r in np.unique(relation_row[kept.rows]).tolist()}:
            return None
        ties = self.found.ties["tie"][kept.rows]
        sources, targets, rows = kept.sources, kept.targets, kept.rows
        if len(np.unique(ties)) < len(ties):
            last = _last_of_each(np.stack([ties, sources, targets], axis=1))
            if not filters.directed and _read_both_ways(ties[last], sources[last], targets[last]):
                return None
            sources, targets, rows = sources[last], targets[last], rows[last]
        shown = nodes[kept.linked[nodes]]
        position = np.full(len(self.found.strings), -1, dtype=np.int64)
        position[shown] = np.arange(len(shown))
        table = self.node_table(shown)
        network = ArrayNetwork(
            nodes=table,
            sources=position[sources],
            targets=position[targets],
            scores=self.scores(rows),
            directed=filters.directed,
        )
        return network, self.summary(kept, nx.MultiDiGraph(), filters, dropped)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Each tie's evidence score, computed once per (status, confidence)."""
        _c, _r, statuses, status_row, confidences, confidence_row, _m, _mr = self.attributes
        width = len(confidences)
        pairs = status_row[rows] * width + confidence_row[rows]
        distinct, inverse = np.unique(pairs, return_inverse=True)
        table = np.asarray(
            [
                evidence_score(statuses[pair // width], confidences[pair % width])
                for pair in distinct.tolist()
            ],
            dtype=np.float64,
        )
        found: np.ndarray = table[inverse.reshape(-1)]
        return found

    def node_table(self, shown: np.ndarray) -> NodeTable:
        """The ids, labels and spheres of the nodes shown, as columns over the strings."""
        rows = self.position[shown]
        spheres = [(found[0] if found else None, found) for found in (s[1] for s in self.shapes)]
        return NodeTable(
            strings=self.found.strings,
            ids=shown,
            labels=self.found.labels[rows],
            shapes=self.found.described[rows],
            spheres=spheres,
        )

    def projection(
        self,
        nodes: np.ndarray,
        filters: Filters,
        dropped: dict[str, int],
        elsewhere: dict[str, tuple[str, ...]],
    ) -> Projection:
        """What `finish_projection` makes of the graph of every kept tie, made directly: the
        context entities (and the actors tied only to them) never join the graph."""
        strings = self.found.strings
        kept = self.kept(nodes, filters)
        described, linked = self.descriptions(nodes), kept.linked
        ties = self.found.ties
        rows, sources, targets = kept.rows, kept.sources, kept.targets
        graph = nx.MultiDiGraph()
        succ, pred, attributes = graph._succ, graph._pred, graph._node
        joined = linked[nodes].tolist()
        for (node, description), tied in zip(described.items(), joined, strict=True):
            if tied:
                name = strings[node]
                attributes[name] = description
                succ[name] = {}
                pred[name] = {}
        (compacted, relation_row, statuses, status_row, confidences, confidence_row,
         modalities, modality_row) = self.attributes  # fmt: skip
        scores: dict[tuple[int, int], float] = {}
        for tie, source, target, relation, status, confidence, start, end, modality in zip(
            ties["tie"][rows].tolist(),
            sources.tolist(),
            targets.tolist(),
            relation_row[rows].tolist(),
            status_row[rows].tolist(),
            confidence_row[rows].tolist(),
            ties["start"][rows].tolist(),
            ties["end"][rows].tolist(),
            modality_row[rows].tolist(),
            strict=True,
        ):
            score = scores.get((status, confidence))
            if score is None:
                score = scores[(status, confidence)] = evidence_score(
                    statuses[status], confidences[confidence]
                )
            data = {
                "relation": compacted[relation],
                "status": statuses[status],
                "confidence": confidences[confidence],
                "score": score,
                "start": None if start < 0 else strings[start],
                "end": None if end < 0 else strings[end],
                "modality": modalities[modality],
            }
            u, v, key = strings[source], strings[target], strings[tie]
            keys = succ[u].get(v)
            if keys is None:
                keys = succ[u][v] = pred[v][u] = {}
            if key in keys:
                keys[key].update(data)
            else:
                keys[key] = data
        projection = self.summary(kept, graph, filters, dropped)
        if IDENTITY in {compacted[r] for r in np.unique(relation_row[rows]).tolist()}:
            apply_identities(projection)
        projection.described_elsewhere = {
            node: found for node, found in elsewhere.items() if node in projection.graph
        }
        return projection


@dataclass
class _Kept:
    """What is left of the kept ties once the context entities are left out (`_Edges.kept`)."""

    rows: np.ndarray
    sources: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    targets: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    linked: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    left_out: dict[str, int] = field(default_factory=dict)
    left_out_nodes: dict[str, str] = field(default_factory=dict)
    untyped: int = 0
    lost: int = 0
    tied_only_to_context: int = 0


def _last_of_each(keys: np.ndarray) -> np.ndarray:
    """The rows (in order) that are the last of their key (a row of `keys`): the graph keeps
    one edge per tie and pair of ends, with the attributes read last."""
    backwards = keys[::-1]
    _distinct, first = np.unique(backwards, axis=0, return_index=True)
    last: np.ndarray = np.sort(len(keys) - 1 - first)
    return last


def _read_both_ways(ties: np.ndarray, sources: np.ndarray, targets: np.ndarray) -> bool:
    """Whether a tie joins two actors both ways (a → b and b → a): the undirected graph makes
    one edge of the two, which the arrays do not."""
    low, high = np.minimum(sources, targets), np.maximum(sources, targets)
    undirected = np.unique(np.stack([ties, low, high], axis=1), axis=0)
    return len(undirected) < len(ties)


def _shape(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    kind, spheres, types = text.split(_PART)
    return (
        kind,
        tuple(spheres.split(_ITEM)) if spheres else (),
        tuple(types.split(_ITEM)) if types else (),
    )


def project(store: Store, filters: Filters | None = None, *, lang: str = "en") -> Projection:
    """Project the loaded graphs (or `filters.graphs`) onto a `networkx.MultiDiGraph`.

    Edges are keyed by tie IRI and carry `relation` (compact class), `status`, `confidence`,
    `score` (evidence score), `start` and `end`; nodes carry `label`, `sphere`, `spheres`,
    `kind` and `types`. Ties failing the filters are left out, and so are the nodes of
    `filters.exclude`.

    On the embedded store every tie and the description of every entity at an end of one are
    read once per state of the store and saved beside it (this module); the filters then apply
    to what was saved, so a second command on an unchanged store reads no statement. A remote
    endpoint keeps nothing saved: its ties are read each time.
    """
    filters = filters or Filters()
    for name in filters.graphs:
        store.graph(name)  # an unknown or malformed name fails here, before anything is read
    if cache.enabled(store):
        return project_saved(store, filters, lang=lang)
    return project_from_scratch(store, filters, lang=lang)


def project_network(
    store: Store, filters: Filters, *, lang: str = "en"
) -> tuple[ArrayNetwork, Projection]:
    """The analysed network as arrays, and the projection that says what it is made of: from
    the saved material where the store keeps it and the arrays say what the graph would;
    otherwise from the projected graph (a remote endpoint, identity claims to apply…)."""
    if cache.enabled(store):
        for name in filters.graphs:
            store.graph(name)  # an unknown or malformed name fails here, before anything is read
        found = network_saved(store, filters, lang=lang)
        if found is not None:
            return found
    projection = project(store, filters, lang=lang)
    return from_graph(projection.analysis_graph()), projection


__all__ = [
    "KIND",
    "Material",
    "derive",
    "material",
    "network_saved",
    "project",
    "project_network",
    "project_saved",
]
