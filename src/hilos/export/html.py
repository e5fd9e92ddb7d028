"""The interactive network page: one self-contained HTML file a journalist can open offline,
check, and publish.

**Self-contained.** vis-network (vendored in `vendor/vis-network/`, with its licence comment)
and every style and script are in-line; the page loads nothing, and its Content-Security-Policy
forbids it to (`default-src 'none'`; the two scripts are allowed by their SHA-256 hashes, so no
other script — not even an inline event handler — can run). pyvis's own `Network` is not used:
it is quadratic in the number of ties and its template pulls scripts from CDNs and copies a
`lib/` folder.

**Safe.** Every string from the data (labels, aliases, quotes, citations, IRIs) travels as JSON
in a `<script type="application/json">` block with `<`, `>`, `&`, U+2028 and U+2029 escaped,
and the page puts it into the document with `textContent` only; tooltips are DOM elements,
never HTML strings.

**What the reader sees.** The actors (people, organisations, groups, communities of every
sphere, and entities of unknown kind); the context tied to them (places, markets, policies,
events, phenomena) is in the page as layers one click away, shown from the start only for the
kinds `Filters.include` names. Nodes coloured by sphere (an actor drifting between spheres has
the border of its second sphere), shaped by kind, sized by a centrality measure, their labels
sized by it too; the page shows a label only where it fits (no two overlap, none runs off the
canvas), the most important first, and shows more as one zooms in. Ties coloured by family
(cooperation, hierarchy, adversarial…), drawn by status (confirmed solid, reported long
dashes, alleged short dashes, disputed dotted and marked "?", refuted dash-dot grey and marked
"×"), as wide as their evidence score, with arrows and their type on hover. Selecting an entity
or a tie dims everything else and keeps the colours of its ties; the URL fragment
(`#entity=IRI`, `#tie=IRI`) names the selection and opens it. A legend; a search box; filters
by sphere, status, tie type, year and context layer; PNG and SVG downloads of the current
view (drawn in the page, nothing fetched); a side panel with the card of an actor or the
evidence of a tie, and on the `chains` page the list of chains, each highlighting its path;
a title that says what the page shows; a footer with the data snapshot (SHA-256 of the loaded
graphs) and the command that produced the page, without folders.

**Language.** Every word of the page is in the language asked (`lang`: English or Spanish,
`hilos.i18n`): names of spheres, kinds, statuses and tie types are the ontology's labels, the
rest comes from the catalogue (`locale/es/pages.json`), written into the page for its script.

**Layout.** Computed here before the page opens (`layout.py`, seeded): communities apart,
room for labels, the best path left to right; the page draws it as it is (physics only when
the reader turns on "live layout"). Above `PHYSICS_THRESHOLD` nodes, ties are straight and
hidden while dragging.

**The data, in columns.** `meta` and `style` as they read; `nodes`, `ties` and `sources` each one
list per field (`nodes.label[i]` is the label of node i), every value written once: an IRI as
an index into `tables.ns` (its namespace, up to its last `/` or `#`) and its `local` name; a
sphere, an entity type's label, a status, a language, a market's or a qualifier's label as an
index into the table of that name in `tables`; a node's kind and a tie's relation as indexes
into `style.kinds` and `style.relations` (which carry a relation's label and family); a tie's
ends and sources as indexes of nodes and sources; a name or alias as a language index alone
when its text is the node's label, else `[language, text]`; scores to six significant digits
(`nodes.score` is null when nothing sizes the nodes); a column most of whose values are empty
(a tie's dates, confidence, markets, notes…; a node's aliases) is written sparse, as
`{"empty", "at", "values"}` (`_sparse`). Whether a tie is a hop of the best path
is in `meta.path`. The page's script rebuilds one record per node, tie and source from this,
as `page_rows` does in Python. What is read whole on a large store (the evidence and names of
the ties and nodes, property by property, each value already decoded) and the snapshot hash
are saved beside the store per state (`hilos.store.cache`): a second page of an unchanged store
reads them back.

**Made as columns.** No record per node or tie is made on the way: each column is filled in
one pass, the evidence is gathered property by property, the boxes of the labels are computed
as arrays, and the JSON is written once by orjson (the compiled encoder; the same JSON as
`json.dumps`, its floats checked as columns, since it would write NaN as null). On a network
of 19,000 nodes and 36,500 ties this takes a third less time than a record per row and the
standard encoder did (bench/html_export.py).
"""

from __future__ import annotations

import base64
import contextlib
import gc
import hashlib
import html
import io
import json
import math
import os
import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import IO, Any, NamedTuple

import networkx as nx
import numpy as np
import orjson
from pyoxigraph import BlankNode, Literal, NamedNode

from .. import sparql
from ..atomicfile import atomic_output
from ..entities import describe, pick_label
from ..errors import BadInput, NotFound, message
from ..i18n import catalogue, choose, tr
from ..namespaces import HILOS, HILOS_NS, RDFS, SKOS, compact, expand
from ..network.centrality import MEASURES, centrality
from ..network.paths import EvidencePath, find_chains, find_paths
from ..network.projection import (
    Filters,
    Projection,
    filters_in_words,
    project,
    require_nodes,
)
from ..render import decoded
from ..search import resolve
from ..store import Store, StoreView, cache, indexes, solutions
from ..vocab import CONTEXT_KINDS, vocabulary
from . import snapshot_hash
from .layout import layout_ties, place_around
from .words import context_plural

PHYSICS_THRESHOLD = 1_000
"""Above this many nodes the page keeps physics off and draws the Python layout as it is."""


def _shared(name: str) -> str:
    """A helper script or style sheet the page shares with the explorer (`hilos/webshared/`)."""
    return files("hilos").joinpath("webshared", name).read_text(encoding="utf-8")


def _palette(kind: str) -> dict[str, str]:
    """The colours the page and the explorer share, as `hilos/webshared/common.css` declares
    them (`--sphere-state: #2166ac;`): read from there, so there is one place to change one."""
    return dict(re.findall(rf"--{kind}-([a-z]+):\s*(#[0-9a-fA-F]{{6}})\s*;", _shared("common.css")))


_SPHERE_COLOURS = _palette("sphere")
SPHERES = tuple(
    (key, _SPHERE_COLOURS[key]) for key in ("state", "criminal", "community", "civil", "none")
)
"""Sphere key and fill colour (colour-blind-safe hues, from the shared style sheet); the label
is the ontology's."""

KINDS = (
    ("person", "Person", "dot"),
    ("organisation", "Organization", "square"),
    ("place", "Place", "triangle"),
    ("market", "CriminalMarket", "diamond"),
    ("event", "Event", "star"),
    ("policy", "Policy", "hexagon"),
    ("phenomenon", "Phenomenon", "triangleDown"),
    ("other", None, "dot"),
)
"""Node kind (as the projection names it), the ontology class whose label names it in the
legend, and vis-network shape. `other` is an actor of unknown kind (an import's untyped name)."""

FAMILIES = (
    ("CooperationTie", "cooperation", "#7b3294"),
    ("HierarchyTie", "hierarchy", "#2f4858"),
    ("AdversarialTie", "adversarial", "#e66101"),
    ("PolicyTie", "policy", "#4393c3"),
    ("SpatialTie", "spatial", "#8c8c8c"),
    ("MarketTie", "market", "#a6611a"),
    ("SphereDrift", "drift", "#c51b7d"),
    ("Tie", "other", "#b0b0b0"),
)
"""Tie family: ontology class (whose label names it), key, colour. A tie belongs to the first
family its class falls under."""

STATUSES = (
    ("confirmed", None, None, None),
    ("reported", [14, 4], None, None),
    ("alleged", [5, 5], None, None),
    ("disputed", [1.5, 4], None, "?"),
    ("refuted", [8, 4, 1.5, 4], _palette("status")["refuted"], "×"),
    ("none", [1.5, 9], None, None),
)
"""Status key, dash pattern (None: solid), colour (None: the family's) and marker; each status
drawn differently, so the line itself says how firm the claim is. The label is the ontology's."""

LABEL_WRAP = 170
"""Labels wider than this many pixels wrap onto more lines."""
SPACING = 100.0
"""About how far apart (pixels at zoom 1) the layout puts two tied nodes."""

PATH_COLOUR = "#f0a500"
"""The colour of the best evidence path (`--path`)."""

_HERE = files(__package__)


@dataclass(frozen=True)
class HtmlExport:
    """What was written: counts, the snapshot hash, the title, the ties of the path."""

    nodes: int
    ties: int
    snapshot: str
    title: str
    path_ties: tuple[str, ...] = ()
    context: int = 0
    """Of the nodes, how many are context (the page's layers)."""
    merged: tuple[tuple[str, str], ...] = ()
    """(asked, shown) IRIs of each entity asked for (focus, path ends) that an identity claim
    merged into another: the page shows the other one, and says so."""


@dataclass(frozen=True)
class NetworkView:
    """A network page held in memory, for a notebook: Jupyter shows it inline as the same
    offline page `hilos export html` writes, in an iframe's `srcdoc` (`network_view`)."""

    page: str
    export: HtmlExport
    height: int = 640

    def _repr_html_(self) -> str:
        # the page runs its own scripts in a sandbox without the notebook's origin
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'title="{html.escape(self.export.title, quote=True)}" '
            'sandbox="allow-scripts allow-downloads" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ddd"></iframe>'
        )


def network_view(store: Store, filters: Filters | None = None, **options: Any) -> NetworkView:
    """The network page of `export_html` (same options) as a `NetworkView` a notebook shows
    inline, as pyvis's `show()` does, without writing a file."""
    buffer = io.BytesIO()
    written = export_html(store, buffer, filters, **options)
    return NetworkView(buffer.getvalue().decode("utf-8"), written)


# Error messages are marked `_` where raised (the catalogue test finds them); `_` is a loop
# variable elsewhere in this module, so each function that raises binds it itself.


def check_hops(hops: int) -> None:
    _ = message
    if hops < 1:
        raise BadInput(
            _("{parameter} must be at least 1, got {value}", parameter="hops", value=hops)
        )


def check_size_by(size_by: str | None) -> None:
    _ = message
    if size_by is not None and size_by not in MEASURES:
        raise BadInput(
            _(
                "unknown measure '{value}' for {parameter} (one of: {known})",
                value=size_by,
                parameter="size_by",
                known=", ".join(MEASURES),
            )
        )


def check_path_ends(path: Sequence[str] | None) -> None:
    _ = message
    if path is not None and len(path) != 2:
        raise BadInput(_("{parameter} takes two entities, A and B", parameter="path"))


def export_html(
    store: Store,
    target: str | os.PathLike[str] | IO[bytes] | IO[str],
    filters: Filters | None = None,
    *,
    focus: str | None = None,
    hops: int = 1,
    path: Sequence[str] | None = None,
    chains: bool = False,
    size_by: str | None = None,
    title: str | None = None,
    command: str | None = None,
    seed: int = 0,
    lang: str = "en",
    context: bool = False,
) -> HtmlExport:
    """Write the interactive network page to `target` (a file path, `-` for standard output,
    or an open stream).

    `focus` (an IRI or a name `search` finds) keeps only the entities within `hops` ties of
    it (following ties both ways unless `filters.directed`); `path` (two entities) highlights
    the best evidence path between them, as `hilos paths` ranks it, and keeps its nodes in view;
    `chains` keeps only the ties of the state-to-criminal collusion chains `hilos chains` finds.
    `size_by` names a centrality measure (computed on the whole filtered network) that sizes
    the nodes. `command` is stated in the footer (file arguments without their folders).
    `context` shows the context layers (places, markets… tied to the entities shown) from the
    start; they are in the page either way, one click away. `lang` (`en`, `es`) is the language
    of the page. The file appears only once complete: a failure leaves no file behind and an
    existing one untouched.
    """
    filters = filters or Filters(directed=False)
    lang = choose(lang, environ={})
    check_hops(hops)
    check_size_by(size_by)
    check_path_ends(path)
    if isinstance(target, str | os.PathLike):
        _check_writable(os.fspath(target))
    with _no_collection():
        data = _page_data(
            store,
            filters,
            focus=focus,
            hops=hops,
            path=(path[0], path[1]) if path is not None else None,
            chains=chains,
            size_by=size_by,
            title=title,
            command=command,
            seed=seed,
            lang=lang,
            context=context,
        )
        _write(target, _page_parts(data))
        meta = data["meta"]
        written = HtmlExport(
            nodes=len(data["nodes"]["label"]),
            ties=len(data["ties"]["from"]),
            snapshot=meta["snapshot"],
            title=meta["title"],
            path_ties=tuple(meta["path"]["ties"]) if meta["path"] else (),
            context=sum(data["nodes"]["layer"]),
            merged=tuple((row["asked"], row["shown"]) for row in meta["merged"]),
        )
        del data, meta  # (freed while the collector is off: it need not walk them first)
    return written


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Without the cyclic garbage collector while the page is made: its hundreds of thousands
    of small lists and dictionaries (none of them in a cycle) made it walk the whole heap
    again and again, half the time of a page of 20,000 nodes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ------------------------------------------------------------------------------------ the data


def page_data(
    store: Store,
    filters: Filters,
    *,
    focus: str | None = None,
    hops: int = 1,
    path: tuple[str, str] | None = None,
    chains: bool = False,
    size_by: str | None = None,
    title: str | None = None,
    command: str | None = None,
    seed: int = 0,
    lang: str = "en",
    context: bool = False,
) -> dict[str, Any]:
    """Everything the page shows, as the JSON it embeds, in columns (see the module's
    docstring; `page_rows` turns it into one record per node, tie and source)."""
    with _no_collection():
        return _page_data(
            store,
            filters,
            focus=focus,
            hops=hops,
            path=path,
            chains=chains,
            size_by=size_by,
            title=title,
            command=command,
            seed=seed,
            lang=lang,
            context=context,
        )


def _page_data(
    store: Store,
    filters: Filters,
    *,
    focus: str | None,
    hops: int,
    path: tuple[str, str] | None,
    chains: bool,
    size_by: str | None,
    title: str | None,
    command: str | None,
    seed: int,
    lang: str,
    context: bool,
) -> dict[str, Any]:
    lang = choose(lang, environ={})
    check_hops(hops)
    check_size_by(size_by)
    options = _PageOptions(focus, hops, path, chains, size_by, title, command, seed, lang, context)
    selection = _select(store, filters, options)
    scores = _scores(selection.projection, size_by, seed)
    network = _Shown.of(selection.shown)
    actors = set(network.nodes)
    _add_context_layer(network, store, filters, lang)

    edges = network.edges
    evidence = _evidence(store, {key for _, _, key, _ in edges})
    node_data = network.nodes
    names = _names(store, lang, _named(network, evidence))
    labels = {n: str(d.get("label") or compact(n)) for n, d in node_data.items()}
    nodes = sorted(node_data, key=lambda n: (str(node_data[n].get("label") or n), n))
    index = {node: i for i, node in enumerate(nodes)}
    sizes = _sizes(nodes, scores, actors)
    positions = _positions(network, actors, nodes, labels, sizes, selection.best, seed)
    tables = _Tables()
    node_columns = _node_columns(
        nodes, node_data, labels, positions, scores, sizes, actors, names, tables, lang
    )

    edges.sort(key=lambda e: (index[e[0]], index[e[1]], e[2]))
    relation_rows = _relation_rows(store, edges, names, lang)
    relation_index = {row["key"]: i for i, row in enumerate(relation_rows)}
    sources: dict[str, int] = {}
    tie_columns = _tie_columns(
        edges, index, relation_index, evidence, _bends(edges), sources, names, tables, lang
    )
    source_columns = _source_columns(store, list(sources), tables)
    shown = _ShownCounts(
        actors=len(actors),
        nodes=len(nodes),
        kinds=sorted({str(node_data[n].get("kind") or "other") for n in nodes}),
        years=_year_range(tie_columns),
    )
    return {
        "meta": _meta(store, filters, options, selection, labels, index, shown),
        "style": _style(names, relation_rows, lang),
        "tables": tables.data(),
        "nodes": _sparse(node_columns, _SPARSE_NODE_COLUMNS),
        "ties": _sparse(tie_columns, _SPARSE_TIE_COLUMNS),
        "sources": source_columns,
    }


@dataclass(frozen=True)
class _PageOptions:
    """What `export_html` was asked for, besides the filters (see its docstring)."""

    focus: str | None
    hops: int
    path: tuple[str, str] | None
    chains: bool
    size_by: str | None
    title: str | None
    command: str | None
    seed: int
    lang: str
    context: bool


@dataclass(frozen=True)
class _Selection:
    """The part of the filtered network the page shows before its context layers: `shown`,
    within `hops` of the `focus` entity (with the `best` path's nodes) and only the ties of
    the collusion `chains` when asked for them."""

    projection: Projection
    shown: nx.MultiDiGraph
    focus: str | None
    best: EvidencePath | None
    chains: list[EvidencePath]
    merged: tuple[tuple[str, str], ...] = ()
    """(asked, shown) for each entity asked for (the focus, a path's ends) that an identity
    claim merged into another: the page shows the other one, and says so."""


def _select(store: Store, filters: Filters, options: _PageOptions) -> _Selection:
    lang = options.lang
    focus = resolve(store, options.focus, lang=lang) if options.focus is not None else None
    path = options.path
    ends = (
        (resolve(store, path[0], lang=lang), resolve(store, path[1], lang=lang)) if path else None
    )
    projection = project(store, filters, lang=lang)
    best: EvidencePath | None = None
    merged: list[tuple[str, str]] = []
    if ends is not None:
        best = find_paths(store, projection, ends[0], ends[1], limit=1)[0]
        found = (best.nodes[0].id, best.nodes[-1].id)
        merged.extend((a, b) for a, b in zip(ends, found, strict=True) if a != b)
    shown: nx.MultiDiGraph = projection.graph
    if focus is not None:
        # an entity merged into another by an identity claim is shown as that other one
        asked, focus = focus, projection.canonical(focus)
        if asked != focus:
            merged.insert(0, (asked, focus))
        shown = _around_focus(projection, focus, options.hops, best, filters.directed)
    collusion_chains: list[EvidencePath] = []
    if options.chains:
        collusion_chains, _ = find_chains(store, projection)
        if not collusion_chains:
            raise NotFound("no state-to-criminal collusion chain under these filters")
        shown = _chain_network(shown, collusion_chains)
    return _Selection(projection, shown, focus, best, collusion_chains, tuple(merged))


def _around_focus(
    projection: Projection, focus: str, hops: int, best: EvidencePath | None, directed: bool
) -> nx.MultiDiGraph:
    """The network within `hops` ties of `focus`, and the nodes of the best path."""
    require_nodes(projection, focus)
    graph = projection.graph
    keep = set(nx.ego_graph(graph, focus, radius=hops, undirected=not directed).nodes)
    if best is not None:
        keep |= {n.id for n in best.nodes}
    return graph.subgraph(keep).copy()


def _chain_network(shown: nx.MultiDiGraph, chains: list[EvidencePath]) -> nx.MultiDiGraph:
    """Only the ties of the chains (each as the graph stores it, from its tail)."""
    keys = {
        (h.from_, h.to, h.tie) if h.forward else (h.to, h.from_, h.tie)
        for chain in chains
        for h in chain.hops
    }
    return shown.edge_subgraph(keys).copy()


def _named(network: _Shown, evidence: _Evidence) -> set[str]:
    """Everything the page names: its nodes, their classes, the tie types, the markets of the
    evidence, the kinds and the tie families of the legend."""
    named = set(network.nodes)
    types = {t for data in network.nodes.values() for t in data.get("types") or ()}
    relations = {e["relation"] for _, _, _, e in network.edges}
    named |= {expand(t) or t for t in types | relations}  # (each class expanded once)
    named |= {m for found in evidence.markets.values() for m in found}
    named |= {HILOS_NS + cls for _, cls, _ in KINDS if cls} | {HILOS_NS + c for c, *_ in FAMILIES}
    return named


def _positions(
    network: _Shown,
    actors: set[str],
    nodes: list[str],
    labels: dict[str, str],
    sizes: dict[str, tuple[float, float]],
    best: EvidencePath | None,
    seed: int,
) -> dict[Hashable, tuple[float, float]]:
    """The place of every node: the actors laid out by their ties (the best path left to
    right), the context nodes around the actors they are tied to."""
    placed = [n for n in nodes if n in actors]
    positions = layout_ties(
        placed,
        [(u, v) for u, v, _, _ in network.edges if u in actors and v in actors],
        seed=seed,
        spacing=SPACING,
        boxes=_footprints([labels[n] for n in placed], [sizes[n] for n in placed]),
        line=[n.id for n in best.nodes] if best is not None else None,
    )
    newcomers = sorted(set(nodes) - actors, key=str)
    positions.update(
        place_around(network.successors, positions, newcomers, seed=seed, spacing=SPACING)
    )
    return positions


def _relation_rows(
    store: Store, edges: list[tuple[str, str, str, dict[str, Any]]], names: _Names, lang: str
) -> list[dict[str, Any]]:
    """The tie types shown, each with its label (from the ontology), family and count, in the
    order of the families, then by label."""
    families = _families(store)
    relation_counts = Counter([e["relation"] for _, _, _, e in edges])
    family_order = [key for _, key, _ in FAMILIES]
    return sorted(
        (
            {
                "key": relation,
                "label": _label(names, expand(relation) or relation, lang),
                "family": families.get(expand(relation) or "", "other"),
                "count": count,
            }
            for relation, count in relation_counts.items()
        ),
        key=lambda r: (family_order.index(r["family"]), r["label"]),
    )


def _source_columns(store: Store, sources: list[str], tables: _Tables) -> dict[str, Any]:
    """The sources cited, in the order the ties first cite them, with their citations."""
    citations = _citations(store, sources)
    source_ns, source_local = _split_iris(sources, tables)
    return {
        "ns": source_ns,
        "local": source_local,
        "citation": [citations.get(s) or compact(s) for s in sources],
    }


@dataclass(frozen=True)
class _ShownCounts:
    """What the page shows, counted: actors, nodes, the kinds of node, the years of the ties."""

    actors: int
    nodes: int
    kinds: list[str]
    years: list[int] | None


def _year_range(tie_columns: dict[str, Any]) -> list[int] | None:
    """The first and last year any tie shown starts or ends in."""
    years = sorted(
        int(str(d)[:4]) for d in (*tie_columns["start"], *tie_columns["end"]) if d is not None
    )
    return [years[0], years[-1]] if years else None


def _meta(
    store: Store,
    filters: Filters,
    options: _PageOptions,
    selection: _Selection,
    labels: dict[str, str],
    index: dict[str, int],
    shown: _ShownCounts,
) -> dict[str, Any]:
    """The page's title, footer, selection (focus, path, chains), filters and settings."""
    lang, size_by = options.lang, options.size_by
    graphs = list(filters.graphs) or None
    snapshot = snapshot_hash(store, graphs)
    focus_row = (
        {"node": index[selection.focus], "hops": options.hops, "directed": filters.directed}
        if selection.focus is not None
        else None
    )
    path_row = _path_row(selection.best, index) if selection.best is not None else None
    chain_rows = [
        {**_path_row(chain, index), "crossing": chain.crossing}
        for chain in selection.chains
        if all(n.id in index for n in chain.nodes)  # (with --focus: the chains in view)
    ]
    title = options.title
    return {
        "title": (decoded(title) if title else None)
        or _default_title(
            labels,
            selection.focus,
            options.hops,
            selection.best,
            shown.actors,
            filters,
            len(chain_rows),
            lang,
        ),
        "command": _without_folders(decoded(options.command))
        if options.command is not None
        else None,
        "snapshot": snapshot,
        "snapshot_scope": _snapshot_scope(store, graphs, lang),
        "version": _version(),
        "focus": focus_row,
        "path": path_row,
        "chains": chain_rows or None,
        "merged": [
            {"asked": a, "label": describe(store, a, lang=lang).label, "shown": b, "node": index[b]}
            for a, b in selection.merged
        ],
        "size_by": size_by,
        "size_by_label": _measure_label(size_by, lang) if size_by else None,
        "physics": shown.nodes <= PHYSICS_THRESHOLD,
        "seed": options.seed,
        "directed": filters.directed,
        "filters": _filters_in_words(filters, labels, lang),
        "dropped": dict(sorted(selection.projection.dropped.items())),
        "years": shown.years,
        "lang": lang,
        "layers": [k for k in CONTEXT_KINDS if k in shown.kinds and k not in filters.include],
        "layers_on": options.context,
        "messages": _messages(lang),
    }


def _path_row(path: EvidencePath, index: dict[str, int]) -> dict[str, Any]:
    """A path as the page names it: its score, its nodes (indexes) and ties, and which way
    each tie is followed."""
    return {
        "score": path.score,
        "nodes": [index[n.id] for n in path.nodes],
        "ties": [h.tie for h in path.hops],
        "forward": [h.forward for h in path.hops],
    }


def _style(names: _Names, relation_rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The legend: spheres, kinds, tie families, statuses and tie types, in the page's
    language, with their colours, shapes and dashes."""
    return {
        "spheres": [{"key": k, "label": _sphere_label(k, lang), "colour": c} for k, c in SPHERES],
        "kinds": [
            {"key": k, "label": _kind_label(names, cls, lang), "shape": s} for k, cls, s in KINDS
        ],
        "families": [
            {"key": k, "label": _capital(_label(names, HILOS_NS + cls, lang)), "colour": c}
            for cls, k, c in FAMILIES
        ],
        "statuses": [
            {"key": k, "label": _status_label(k, lang), "dashes": d, "colour": c, "marker": m}
            for k, d, c, m in STATUSES
        ],
        "relations": relation_rows,
        "path": PATH_COLOUR,
        "weights": vocabulary().weights,
    }


class _Table:
    """Values in the order of their first use, each written once: a column holds indexes."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._index: dict[Any, int] = {}

    def __call__(self, value: Any) -> int:
        found = self._index.get(value)
        if found is None:
            found = self._index[value] = len(self.values)
            self.values.append(value)
        return found

    def indexes(self, values: Iterable[Any]) -> list[int]:
        """The index of each value (`self(value)` for each, in one pass)."""
        known = self._index
        return [known[v] if v in known else self(v) for v in values]


class _Tables:
    """The tables of the repeated strings of a page (see `TABLES`)."""

    def __init__(self) -> None:
        self.tables = {name: _Table() for name in TABLES}

    def __getattr__(self, name: str) -> _Table:
        return self.tables[name]

    def data(self) -> dict[str, list[Any]]:
        return {name: table.values for name, table in self.tables.items()}


TABLES = ("ns", "sphere", "type", "status", "lang", "market", "qualifier")
"""The page's tables: IRI namespaces (an IRI up to its last `/` or `#`), spheres, entity type
labels, statuses, languages, market labels and qualifier labels."""


def _split_iris(iris: Iterable[str], tables: _Tables) -> tuple[list[int], list[str]]:
    """The namespace (as an index into the `ns` table) and the local name of each IRI."""
    listed = list(iris)
    cuts = [max(iri.rfind("/"), iri.rfind("#")) + 1 for iri in listed]
    namespaces = tables.ns.indexes([iri[:cut] for iri, cut in zip(listed, cuts, strict=True)])
    return namespaces, [iri[cut:] for iri, cut in zip(listed, cuts, strict=True)]


_NODE_COLUMNS = (
    "label", "x", "y", "size", "font", "layer", "score", "sphere", "spheres", "kind", "types",
    "names", "aliases", "notes",
)  # fmt: skip
_TIE_COLUMNS = (
    "from", "to", "relation", "status", "confidence", "score", "start", "end", "quotes",
    "locators", "sources", "markets", "text", "qualifiers", "period", "note", "bend",
)  # fmt: skip


_SPARSE_NODE_COLUMNS: dict[str, Any] = {"spheres": [], "aliases": [], "notes": []}
_SPARSE_TIE_COLUMNS: dict[str, Any] = {
    "confidence": None, "start": None, "end": None, "markets": [], "text": [],
    "qualifiers": [], "period": "", "note": [], "bend": 0.0,
}  # fmt: skip
"""The columns most of whose values are empty, and their empty value: written sparse."""


def _sparse(columns: dict[str, Any], sparse: dict[str, Any]) -> dict[str, Any]:
    """The columns with those named in `sparse` written as `{"empty": value, "at": [i…],
    "values": [v…]}`: only the values that are not the empty one, and where they are.

    >>> _sparse({"end": [None, "2014", None]}, {"end": None})
    {'end': {'empty': None, 'at': [1], 'values': ['2014']}}
    """
    result = dict(columns)
    for name, empty in sparse.items():
        column = columns[name]
        at = [i for i, value in enumerate(column) if value != empty]
        result[name] = {"empty": empty, "at": at, "values": [column[i] for i in at]}
    return result


def _dense(column: Any, length: int) -> list[Any]:
    """A column as `_sparse` wrote it (or as it was), one value per row."""
    if isinstance(column, list):
        return column
    empty = column["empty"]
    found = [list(empty) if isinstance(empty, list) else empty for _ in range(length)]
    for i, value in zip(column["at"], column["values"], strict=True):
        found[i] = value
    return found


def _name_entries(values: Sequence[_Text], label: str, langs: _Table) -> list[Any]:
    """A node's names (or aliases), sorted, without repeats, as [language, text] pairs with
    each language an index into the `lang` table, and the text left out (the entry is the
    bare index) when it is the node's label."""
    if len(values) == 1:  # (most entities have one label)
        language, text = values[0].language or "", values[0].value
        return [langs(language) if text == label else [langs(language), text]]
    return [
        langs(language) if text == label else [langs(language), text]
        for language, text in _pairs(values)
    ]


def _node_columns(
    nodes: list[str],
    node_data: Any,
    labels: dict[str, str],
    positions: dict[Hashable, tuple[float, float]],
    scores: dict[str, float],
    sizes: dict[str, tuple[float, float]],
    actors: set[str],
    names: _Names,
    tables: _Tables,
    lang: str,
) -> dict[str, list[Any] | None]:
    """The nodes' columns, each filled in one pass over the nodes (the two that share a table
    filled together, so that it lists its values in the order of their first use)."""
    datas = [node_data[node] for node in nodes]
    label_c = [labels[node] for node in nodes]
    places = [positions[node] for node in nodes]
    shapes = [sizes[node] for node in nodes]
    score_c = [_score_text(scores.get(node)) for node in nodes]
    sphere = tables.sphere
    spheres = [
        (sphere(data.get("sphere")), [sphere(s) for s in data.get("spheres") or ()])
        for data in datas
    ]
    langs = tables.lang
    named = [
        (
            _name_entries(names.labels.get(node, ()), label, langs),
            _name_entries(names.aliases.get(node, ()), label, langs),
        )
        for node, label in zip(nodes, label_c, strict=True)
    ]
    columns: dict[str, list[Any]] = {
        "label": label_c,
        "x": [x for x, _ in places],
        "y": [y for _, y in places],
        "size": [size for size, _ in shapes],
        "font": [font for _, font in shapes],
        "layer": [0 if node in actors else 1 for node in nodes],
        "score": score_c,
        "sphere": [first for first, _ in spheres],
        "spheres": [others for _, others in spheres],
        "kind": _kind_column(datas),
        "types": _type_column(datas, names, tables.type, lang),
        "names": [labelled for labelled, _ in named],
        "aliases": [aliases for _, aliases in named],
        "notes": [_in_lang(names.notes.get(node, ()), lang) for node in nodes],
    }
    namespaces, local = _split_iris(nodes, tables)
    result: dict[str, list[Any] | None] = {"ns": namespaces, "local": local, **columns}
    if all(s is None for s in score_c):
        result["score"] = None
    return result


def _score_text(score: float | None) -> float | None:
    """A score to six significant digits."""
    return None if score is None else float(f"{score:.6g}")


def _kind_column(datas: list[dict[str, Any]]) -> list[int]:
    """Each node's kind, as an index into `KINDS`."""
    kinds = {k: i for i, (k, _, _) in enumerate(KINDS)}
    other = kinds["other"]
    return [kinds.get(data.get("kind") or "other", other) for data in datas]


def _type_column(
    datas: list[dict[str, Any]], names: _Names, table: _Table, lang: str
) -> list[list[int]]:
    """Each node's types, as indexes into the table of type labels."""
    labelled: dict[str, int] = {}

    def label_index(cls: str) -> int:
        found = labelled.get(cls)
        if found is None:
            found = labelled[cls] = table(_label(names, expand(cls) or cls, lang))
        return found

    return [[label_index(t) for t in data.get("types") or ()] for data in datas]


def _tie_columns(
    edges: list[tuple[str, str, str, dict[str, Any]]],
    index: dict[str, int],
    relation_index: dict[str, int],
    evidence: _Evidence,
    bends: dict[str, float],
    sources: dict[str, int],
    names: _Names,
    tables: _Tables,
    lang: str,
) -> dict[str, list[Any]]:
    """The ties' columns, each filled in one pass over the ties (in their order, so that each
    table lists its values in the order of their first use)."""
    keys = [key for _, _, key, _ in edges]
    attributes = [edge for _, _, _, edge in edges]
    status = tables.status
    none: list[Any] = []
    columns: dict[str, list[Any]] = {
        "from": [index[u] for u, _, _, _ in edges],
        "to": [index[v] for _, v, _, _ in edges],
        "relation": [relation_index[e["relation"]] for e in attributes],
        "status": status.indexes([e["status"] for e in attributes]),
        **{name: [e[name] for e in attributes] for name in ("confidence", "score", "start", "end")},
        "quotes": [evidence.quotes.get(key, none) for key in keys],
        "locators": [evidence.locators.get(key, none) for key in keys],
        "sources": [
            [sources.setdefault(s, len(sources)) for s in evidence.sources.get(key, none)]
            for key in keys
        ],
        "markets": _market_column(keys, evidence.markets, names, tables.market, lang),
        "text": [evidence.texts.get(key, none) for key in keys],
        "qualifiers": _qualifier_column(keys, evidence.qualifiers, tables.qualifier, lang),
        "period": ["; ".join(evidence.periods.get(key, none)) for key in keys],
        "note": [_in_lang(evidence.notes.get(key, none), lang) for key in keys],
        "bend": [bends.get(key, 0.0) for key in keys],
    }
    namespaces, local = _split_iris(keys, tables)
    return {"ns": namespaces, "local": local, **{name: columns[name] for name in _TIE_COLUMNS}}


def _market_column(
    keys: list[str], markets: dict[str, list[str]], names: _Names, table: _Table, lang: str
) -> list[list[int]]:
    """Each tie's markets, as indexes into the table of market labels."""
    labelled: dict[str, int] = {}

    def label_index(market: str) -> int:
        found = labelled.get(market)
        if found is None:
            found = labelled[market] = table(_label(names, market, lang))
        return found

    return [[label_index(m) for m in markets[key]] if key in markets else [] for key in keys]


def _qualifier_column(
    keys: list[str], qualifiers: dict[str, list[str]], table: _Table, lang: str
) -> list[list[int]]:
    """Each tie's qualifiers, as indexes into the table of qualifier labels."""
    return [
        [table(q) for q in _qualifier_labels(qualifiers[key], lang)] if qualifiers.get(key) else []
        for key in keys
    ]


def page_rows(data: dict[str, Any]) -> dict[str, Any]:
    """The page's data (`page_data`) with one record per node, tie and source, as the page's
    script rebuilds them: what a reader of the JSON block usually wants.

    >>> rows = page_rows(page_data(Store.in_memory(), Filters(directed=False)))
    >>> zetas = [n for n in rows["nodes"] if n["id"] == "https://w3id.org/hilos/id/zetas"][0]
    >>> zetas["label"], zetas["sphere"], zetas["kind"]
    ('Zetas', 'criminal', 'organisation')
    """
    ns = data["tables"]["ns"]
    s = data["sources"]
    sources = [
        {"id": ns[s["ns"][k]] + s["local"][k], "citation": citation}
        for k, citation in enumerate(s["citation"])
    ]
    return {
        "meta": data["meta"],
        "style": data["style"],
        "nodes": _node_records(data),
        "ties": _tie_records(data),
        "sources": sources,
    }


def _node_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """`page_rows`'s nodes: the node columns read back, one record per node."""
    tables, style = data["tables"], data["style"]
    ns, langs = tables["ns"], tables["lang"]
    count = len(data["nodes"]["label"])
    n = {k: c if k == "score" else _dense(c, count) for k, c in data["nodes"].items()}

    def named(entries: list[Any], label: str) -> list[list[str]]:
        return [[langs[e], label] if isinstance(e, int) else [langs[e[0]], e[1]] for e in entries]

    scores = n["score"] if n["score"] is not None else [None] * len(n["label"])
    return [
        {
            "id": ns[n["ns"][i]] + n["local"][i],
            "label": label,
            "x": n["x"][i],
            "y": n["y"][i],
            "size": n["size"][i],
            "font": n["font"][i],
            "layer": n["layer"][i] == 1,
            "score": scores[i],
            "sphere": tables["sphere"][n["sphere"][i]],
            "spheres": [tables["sphere"][s] for s in n["spheres"][i]],
            "kind": style["kinds"][n["kind"][i]]["key"],
            "types": [tables["type"][t] for t in n["types"][i]],
            "names": named(n["names"][i], label),
            "aliases": named(n["aliases"][i], label),
            "notes": n["notes"][i],
        }
        for i, label in enumerate(n["label"])
    ]


def _tie_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """`page_rows`'s ties: the tie columns read back, one record per tie."""
    tables, style = data["tables"], data["style"]
    ns = tables["ns"]
    t = {k: _dense(c, len(data["ties"]["from"])) for k, c in data["ties"].items()}
    on_path = set(data["meta"]["path"]["ties"]) if data["meta"]["path"] else set()
    ties = []
    for j in range(len(t["from"])):
        relation = style["relations"][t["relation"][j]]
        tie = {
            "id": ns[t["ns"][j]] + t["local"][j],
            "from": t["from"][j],
            "to": t["to"][j],
            "relation": relation["key"],
            "type": relation["label"],
            "family": relation["family"],
            "status": tables["status"][t["status"][j]],
            **{
                name: t[name][j]
                for name in ("confidence", "score", "start", "end", "quotes", "locators")
            },
            "sources": t["sources"][j],
            "markets": [tables["market"][m] for m in t["markets"][j]],
            "text": t["text"][j],
            "qualifiers": [tables["qualifier"][q] for q in t["qualifiers"][j]],
            "period": t["period"][j],
            "note": t["note"][j],
        }
        tie["path"] = tie["id"] in on_path
        tie["bend"] = t["bend"][j]
        ties.append(tie)
    return ties


def _scores(projection: Projection, size_by: str | None, seed: int) -> dict[str, float]:
    if size_by is None:
        return {}
    result = centrality(projection.analysis_graph(), size_by, seed=seed)
    return {r.id: r.score for r in result.ranking}


class _Text(NamedTuple):
    """A term as the page needs it: its value (an IRI, a blank node's id, a literal's lexical
    form), its language, and whether it is a literal."""

    value: str
    language: str | None
    literal: bool


def _text(term: Any) -> _Text:
    if isinstance(term, Literal):
        return _Text(term.value, term.language, True)
    return _Text(term.value, None, False)


def _token_text(token: str) -> _Text:
    """A term in the TSV results format."""
    if token.startswith("<"):
        return _Text(token[1:-1], None, False)
    if token.startswith("_:"):
        return _Text(token[2:], None, False)
    parts = indexes.literal(token)
    return _Text(parts[0], parts[1], True) if parts is not None else _Text(token, None, False)


@dataclass
class _Names:
    labels: dict[str, list[_Text]]
    aliases: dict[str, list[_Text]]
    notes: dict[str, list[_Text]]

    def add(self, entity: str, prop: str, value: _Text) -> None:
        """A label, alias (skos:altLabel) or note (rdfs:comment, skos:scopeNote)."""
        if prop.endswith("#altLabel"):
            self.aliases[entity].append(value)
        elif prop.endswith(("#comment", "#scopeNote")):
            self.notes[entity].append(value)
        else:
            self.labels[entity].append(value)


_NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, RDFS.comment, SKOS.scopeNote)
_LOOKUPS = 5_000
"""Up to this many entities or ties, their statements are looked up one by one; above, each
property is read whole from the store's indexes."""


def _names(store: Store, lang: str, wanted: set[str] | None = None) -> _Names:
    """Labels, aliases and notes of the entities `wanted` (everything in the store if None)."""
    found = _Names(defaultdict(list), defaultdict(list), defaultdict(list))
    if wanted is None:
        for row in solutions(store.query(sparql.load("entity-texts"))):
            entity, prop, value = row["entity"], row["property"].value, row["value"]
            if isinstance(entity, NamedNode) and isinstance(value, Literal):
                found.add(entity.value, prop, _text(value))
        return found
    values = _by_property(store, wanted, _NAME_PROPERTIES)
    for prop in _NAME_PROPERTIES:  # labels before names, as the query orders them
        for entity, those in values[prop.value].items():
            if ":" not in entity:
                continue
            for value in those:
                if value.literal:
                    found.add(entity, prop.value, value)
    return found


def _values_by_subject(
    view: StoreView, subjects: set[str], properties: Sequence[NamedNode]
) -> dict[str, dict[str, list[_Text]]]:
    """The values of some properties of a few subjects (IRIs, or blank node ids): their
    statements looked up, a batch at a time."""
    nodes: dict[NamedNode | BlankNode, str] = {}
    for subject in subjects:
        with contextlib.suppress(ValueError):
            nodes[NamedNode(subject) if ":" in subject else BlankNode(subject)] = subject
    found: dict[str, dict[str, list[_Text]]] = {}
    for node, pairs in view.statements_of(nodes, properties).items():
        those = found.setdefault(nodes[node], {})
        for prop, term in pairs:
            those.setdefault(prop.value, []).append(_text(term))
    return found


class _PredicateColumn(NamedTuple):
    """Every statement of one predicate in the store, in columns: its subject (an IRI, or a
    blank node's id) and its object as `_Text` has it (value, language or "", literal)."""

    subjects: list[str]
    values: list[str]
    languages: list[str]
    literal: list[bool]


_PAGE_VALUES = "page-values"
"""The kind under which `_predicate_column` saves a predicate's statements beside the store."""


def _predicate_column(store: Store, view: StoreView, prop: NamedNode) -> _PredicateColumn:
    """The statements of a predicate, read (and their objects decoded) once per state of the
    store and saved beside it (`hilos.store.cache`): a second page reads them back decoded."""
    saved = cache.load(store, _PAGE_VALUES, prop.value)
    if saved is not None:
        return _PredicateColumn(
            cache.strings(saved["subjects"]),
            cache.strings(saved["values"]),
            cache.strings(saved["languages"]),
            saved["literal"].astype(bool).tolist(),
        )
    found = _PredicateColumn([], [], [], [])
    decoded: dict[str, _Text] = {}  # (a term used again is decoded once)
    for subject, obj in view.pairs(prop):
        if subject[0] not in "<_":
            continue
        text = decoded.get(obj)
        if text is None:
            text = decoded[obj] = _token_text(obj)
        found.subjects.append(subject[1:-1] if subject[0] == "<" else subject[2:])
        found.values.append(text.value)
        found.languages.append(text.language or "")
        found.literal.append(text.literal)
    packed = {
        "subjects": cache.pack_strings(found.subjects),
        "values": cache.pack_strings(found.values),
        "languages": cache.pack_strings(found.languages),
        "literal": np.asarray(found.literal, dtype=np.uint8),
    }
    cache.save(store, _PAGE_VALUES, prop.value, packed)
    return found


def _label(names: _Names, iri: str, lang: str) -> str:
    labels = [Literal(t.value, language=t.language) if t.language else Literal(t.value)
              for t in names.labels.get(iri, ())]  # fmt: skip
    return pick_label(labels, lang) or compact(iri)


def _in_lang(values: Sequence[_Text], lang: str) -> list[str]:
    """The literals in `lang` (or without a language); all of them if there are none."""
    if not values:
        return []
    wanted = [v.value for v in values if (v.language or lang).lower().startswith(lang.lower())]
    return sorted(set(wanted or [v.value for v in values]))


def _pairs(values: Iterable[_Text]) -> list[list[str]]:
    """[language, text] pairs, sorted, without repeats."""
    return [
        [language, text] for language, text in sorted({(v.language or "", v.value) for v in values})
    ]


def _families(store: Store) -> dict[str, str]:
    """The family key of every tie class."""
    superclasses = store.terminology().superclasses
    families: dict[str, str] = {}
    for cls, supers in superclasses.items():
        closure = {cls, *supers}
        for root, key, _ in FAMILIES:
            if HILOS_NS + root in closure:
                families[cls] = key
                break
    return families


class _Evidence:
    """The sources, quotes, locators, markets, wording, notes, qualifiers and periods of the
    ties, each field a column: tie IRI to its values (a tie without any is not in it).

    The page's reading of the evidence fields of `hilos.evidence.Claim`, not a claim of its own:
    every value of each property is kept (the page shows a tie's two quotes side by side where
    a claim has one), and the page's columns are filled straight from these, read one property
    at a time for every tie at once (one `Claim` or record per tie would cost an object per tie
    on a 20k-node page, which the column reading exists to avoid)."""

    __slots__ = (
        "locators", "markets", "notes", "periods", "qualifiers", "quotes", "sources", "texts",
    )  # fmt: skip

    def __init__(self) -> None:
        self.sources: dict[str, list[str]] = {}
        self.quotes: dict[str, list[str]] = {}
        self.locators: dict[str, list[str]] = {}
        self.markets: dict[str, list[str]] = {}
        self.texts: dict[str, list[str]] = {}
        self.notes: dict[str, list[_Text]] = {}
        self.qualifiers: dict[str, list[str]] = {}
        self.periods: dict[str, list[str]] = {}


def _qualifier_labels(iris: list[str], lang: str) -> list[str]:
    """The qualifiers of a claim in the page's language, in the ontology's order."""
    vocab = vocabulary()
    known = [q.label(lang) for q in vocab.qualifiers if q.iri in iris]
    return known + sorted(compact(i) for i in iris if vocab.qualifier_key(i) is None)


def _evidence(store: Store, ties: set[str]) -> _Evidence:
    """Sources, quotes, locators, markets, wording and notes of the ties, over the whole store
    (sources and their citations may live in other graphs than the ties): each property read
    for every tie at once, each tie's values without repeats in the order read (the ties come
    from the projection: each has its hilos:from)."""
    values = _strings_by_property(store, ties, _EVIDENCE_PROPERTIES)
    found = _Evidence()
    derived = values[_DERIVED.value]
    found.sources = {
        tie: those if len(those) == 1 else sorted(_distinct(those), key=_source_order)
        for tie, those in derived.items()
    }
    for prop, field in ((HILOS.quote, "quotes"), (HILOS.locator, "locators")):
        read = values[prop.value]  # (quotes and locators only with a source)
        setattr(found, field, {tie: _distinct(read[tie]) for tie in derived if tie in read})
    for prop, field in _DETAIL_FIELDS:
        setattr(found, field, {tie: _distinct(those) for tie, those in values[prop.value].items()})
    found.notes = {
        tie: list(dict.fromkeys(v for v in those if v.literal))
        for tie, those in _by_property(store, ties, (RDFS.comment,))[RDFS.comment.value].items()
    }
    return found


def _distinct(values: list[str]) -> list[str]:
    """The values without repeats, in their order."""
    return values if len(values) == 1 else list(dict.fromkeys(values))


def _source_order(source: str) -> tuple[bool, str]:
    """The report last, the other sources by IRI."""
    return (source.endswith("/report"), source)


def _by_property(
    store: Store, subjects: set[str], properties: Sequence[NamedNode]
) -> dict[str, dict[str, list[_Text]]]:
    """For each property, the values of each subject (an IRI, or a blank node's id) that has
    some: looked up (in batches) for a few subjects, read property by property for many (a
    column per property, so that no subject needs a record of its own)."""
    view = store.view()
    if len(subjects) <= _LOOKUPS:
        return _turned(_values_by_subject(view, subjects, properties), properties)
    return {
        prop.value: _gather_texts(_predicate_column(store, view, prop), subjects)
        for prop in properties
    }


def _strings_by_property(
    store: Store, subjects: set[str], properties: Sequence[NamedNode]
) -> dict[str, dict[str, list[str]]]:
    """`_by_property` with each value as its text alone (an IRI, or a literal's lexical form,
    without its language): no record per value where only the text is shown."""
    view = store.view()
    if len(subjects) <= _LOOKUPS:
        found = _turned(_values_by_subject(view, subjects, properties), properties)
        return {
            name: {subject: [v.value for v in values] for subject, values in those.items()}
            for name, those in found.items()
        }
    return {
        prop.value: _gather_strings(_predicate_column(store, view, prop), subjects)
        for prop in properties
    }


def _turned(
    per_subject: dict[str, dict[str, list[_Text]]], properties: Sequence[NamedNode]
) -> dict[str, dict[str, list[_Text]]]:
    """Values by subject, then property, turned into values by property, then subject."""
    found: dict[str, dict[str, list[_Text]]] = {prop.value: {} for prop in properties}
    for subject, per_property in per_subject.items():
        for name, values in per_property.items():
            found[name][subject] = values
    return found


def _gather_texts(column: _PredicateColumn, subjects: set[str]) -> dict[str, list[_Text]]:
    """The values of `column` whose subject is one of `subjects`, listed by subject."""
    found: dict[str, list[_Text]] = {}
    values, languages, literal = column.values, column.languages, column.literal
    for i, subject in enumerate(column.subjects):
        if subject not in subjects:
            continue
        value = _Text(values[i], languages[i] or None, literal[i])
        listed = found.get(subject)
        if listed is None:
            found[subject] = [value]
        else:
            listed.append(value)
    return found


def _gather_strings(column: _PredicateColumn, subjects: set[str]) -> dict[str, list[str]]:
    """`_gather_texts` with the values' text alone (a loop of its own: sharing one with
    `_gather_texts` through lists of row numbers cost 3 % of the page's CPU at 20,000 nodes)."""
    found: dict[str, list[str]] = {}
    for subject, value in zip(column.subjects, column.values, strict=True):
        if subject not in subjects:
            continue
        listed = found.get(subject)
        if listed is None:
            found[subject] = [value]
        else:
            listed.append(value)
    return found


_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_DETAIL_PROPERTIES = (HILOS.market, HILOS.relationText, HILOS.qualifier, HILOS.period)
_EVIDENCE_PROPERTIES = (_DERIVED, HILOS.quote, HILOS.locator, *_DETAIL_PROPERTIES)
"""The properties of a tie's evidence shown as their text (its notes are read apart: their
language chooses those shown)."""
_DETAIL_FIELDS = (
    (HILOS.market, "markets"),
    (HILOS.relationText, "texts"),
    (HILOS.qualifier, "qualifiers"),
    (HILOS.period, "periods"),
)
"""The details of a tie kept as the values' text, and the field of `_Evidence` for each."""


def _citations(store: Store, sources: list[str]) -> dict[str, str]:
    """The short citation of each source that has one (its first)."""
    found = _by_property(store, set(sources), (HILOS.citation,))[HILOS.citation.value]
    return {source: values[0].value for source, values in found.items() if values}


def _bends(edges: Sequence[tuple[str, str, str, Any]]) -> dict[str, float]:
    """How much to bend each of several ties between the same two nodes, so that none hides
    another: 0 for a single tie, symmetric around the straight line for several."""
    pairs = [(u, v) if u < v else (v, u) for u, v, _, _ in edges]
    counted = Counter(pairs)
    by_pair: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for (u, v, key, _), pair in zip(edges, pairs, strict=True):
        if u == v or counted[pair] < 2:  # (most pairs of nodes have one tie)
            continue
        by_pair[pair].append((key, u < v))
    bends: dict[str, float] = {}
    for ties in by_pair.values():
        if len(ties) < 2:
            continue
        ties.sort()
        middle = (len(ties) - 1) / 2
        for i, (key, forward) in enumerate(ties):
            bend = round((i - middle) * 0.3, 3)
            bends[key] = bend if forward else -bend
    return bends


def _default_title(
    labels: dict[str, str],
    focus: str | None,
    hops: int,
    best: EvidencePath | None,
    n: int,
    filters: Filters,
    chains: int = 0,
    lang: str = "en",
) -> str:
    """What the page shows, in a title.

    >>> _default_title({}, None, 1, None, 67, Filters(), 0, "es")
    'La red de 67 actores'
    >>> _default_title({}, None, 1, None, 22, Filters(), 12, "en")
    '12 collusion chains from the state into organised crime'
    """
    if best is not None:
        return tr(
            "Best evidence path from {start} to {end}",
            lang,
            start=best.nodes[0].label,
            end=best.nodes[-1].label,
        )
    if chains:
        if chains == 1:
            return tr("1 collusion chain from the state into organised crime", lang)
        return tr(
            "{count} collusion chains from the state into organised crime", lang, count=chains
        )
    if focus is not None:
        name = labels.get(focus, compact(focus))
        if hops == 1:
            return tr("The network within 1 tie of {name}", lang, name=name)
        return tr("The network within {hops} ties of {name}", lang, hops=hops, name=name)
    words = [tr("actors", lang)] + [
        context_plural(k, lang) for k in CONTEXT_KINDS if k in filters.include
    ]
    what = (
        words[0]
        if len(words) == 1
        else tr("{items} and {last}", lang, items=", ".join(words[:-1]), last=words[-1])
    )
    return tr("The network of {count} {what}", lang, count=n, what=what)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sphere_label(key: str, lang: str) -> str:
    if key == "none":
        return tr("No sphere", lang)
    for sphere in vocabulary().spheres:
        if sphere.key == key:
            return _capital(sphere.label(lang))
    return key


def _status_label(key: str, lang: str) -> str:
    if key == "none":
        return tr("No status", lang)
    return _capital(vocabulary().status(key).label(lang))


def _kind_label(names: _Names, cls: str | None, lang: str) -> str:
    if cls is None:
        return tr("Actor of unknown kind", lang)
    return _capital(_label(names, HILOS_NS + cls, lang))


def _measure_label(measure: str, lang: str) -> str:
    found = {
        "degree": tr("degree", lang),
        "betweenness": tr("betweenness", lang),
        "closeness": tr("closeness", lang),
        "eigenvector": tr("eigenvector", lang),
        "pagerank": tr("PageRank", lang),
    }
    return found.get(measure, measure)


def _filters_in_words(filters: Filters, labels: dict[str, str], lang: str) -> list[str]:
    """The export's filters as sentences in the page's language (`filters_in_words` in
    English, which the projection writes for the terminal)."""
    if lang == "en":
        return filters_in_words(filters, lambda iri: labels.get(iri, compact(iri)))
    lines: list[str] = []
    if filters.graphs:
        lines.append(tr("ties from the graphs: {graphs}", lang, graphs=", ".join(filters.graphs)))
    if filters.min_status:
        status = vocabulary().status(filters.min_status).label(lang)
        lines.append(tr("ties whose status is at least {status}", lang, status=status))
    if filters.as_of:
        lines.append(tr("ties valid on {date}", lang, date=filters.as_of))
    if filters.between:
        first, last = filters.between
        years = f"{first if first > 0 else ''}..{last if last < 9999 else ''}"
        lines.append(tr("ties valid during {years}", lang, years=years))
    if filters.tie_types:
        lines.append(
            tr(
                "ties of type {types} (with their sub-types)",
                lang,
                types=", ".join(filters.tie_types),
            )
        )
    if filters.exclude:
        left = "; ".join(labels.get(i, compact(i)) for i in filters.exclude)
        lines.append(tr("leaving out {names}", lang, names=left))
    if filters.include:
        kinds = ", ".join(context_plural(k, lang) for k in CONTEXT_KINDS if k in filters.include)
        lines.append(tr("context in the network besides actors: {kinds}", lang, kinds=kinds))
    return lines


def _snapshot_scope(store: Store, graphs: Sequence[str] | None, lang: str) -> str:
    """What the snapshot hash covers, in the page's language."""
    count = len(graphs) if graphs else len(store.graphs())
    if graphs:
        return tr(
            "SHA-256 of the sorted N-Quads lines of the loaded graphs {graphs} (statements as "
            "loaded, without derived ones; blank nodes labelled by RDF Dataset Canonicalization, "
            "RDFC-1.0)",
            lang,
            graphs=", ".join(graphs),
        )
    return tr(
        "SHA-256 of the sorted N-Quads lines of all {count} loaded graphs (statements as loaded, "
        "without derived ones; blank nodes labelled by RDF Dataset Canonicalization, RDFC-1.0)",
        lang,
        count=count,
    )


_FOLDERISH = re.compile(r"^(/|~|\.{1,2}/|[A-Za-z]:[\\/])")


def _without_folders(command: str) -> str:
    """The command with every file argument reduced to its name: no folder of the person who
    ran it (`/home/<name>/…`) is published in the page.

    >>> _without_folders("hilos export html /home/ana/pages/net.html --focus 'A/B'")
    'hilos export html net.html --focus A/B'
    """
    try:
        parts = shlex.split(command)
    except ValueError:
        return command
    cleaned = [
        os.path.basename(p.rstrip("/\\")) or p
        if _FOLDERISH.match(p)
        or (("/" in p or "\\" in p) and p.lower().endswith((".html", ".htm")))
        else p
        for p in parts
    ]
    return shlex.join(cleaned)


_MARKED = re.compile(r"""\bt\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


def _messages(lang: str) -> dict[str, str]:
    """The translations the page's script asks for (its `t("…")` strings), in `lang`."""
    if lang == "en":
        return {}
    wanted = {
        json.loads('"' + m["text"].replace("\\'", "'") + '"')
        for m in _MARKED.finditer(_asset("page.js"))
    }
    known = catalogue(lang)
    return {text: known[text] for text in sorted(wanted) if text in known}


def _sizes(
    nodes: Sequence[str], scores: dict[str, float], actors: set[str]
) -> dict[str, tuple[float, float]]:
    """The size of each node and the font size of its label, both by importance: the score
    that sizes the nodes (a fixed size without one); context nodes small."""
    top = max((scores.get(n, 0.0) for n in nodes), default=0.0)
    found: dict[str, tuple[float, float]] = {}
    for node in nodes:
        score = scores.get(node)
        if node not in actors:
            found[node] = (9.0, 11.0)
        elif top <= 0 or score is None:
            found[node] = (12.0, 13.0)
        else:
            share = (score / top) ** 0.5
            found[node] = (round(8 + 30 * share, 2), round(11 + 8 * share, 1))
    return found


def _footprints(labels: list[str], sizes: list[tuple[float, float]]) -> np.ndarray:
    """The box each node and its label take on the page (at zoom 1), one row per node (left,
    top, right, bottom): the shape (of the node's size), and below it the label at its font
    size, wrapped at `LABEL_WRAP` pixels (about 0.62 em a character, DejaVu Sans's width).

    >>> _footprints(["Zetas"], [(12.0, 13.0)]).tolist()
    [[-20.15, -12.0, 20.15, 32.6]]
    """
    size = np.array([s for s, _ in sizes], dtype=np.float64).reshape(-1)
    font = np.array([f for _, f in sizes], dtype=np.float64).reshape(-1)
    width = np.fromiter(map(len, labels), dtype=np.float64, count=len(labels)) * font * 0.62
    lines = np.maximum(1.0, np.ceil(width / (LABEL_WRAP * 0.75)))  # (wrapped at spaces)
    side = np.maximum(size, np.minimum(width, LABEL_WRAP) / 2)
    return np.column_stack((-side, -size, side, size + 5 + lines * font * 1.2))


class _Shown:
    """The network the page shows, as plain rows: each node's attributes, each tie as
    (from, to, key, attributes), and the successors of the context nodes of the layers.

    (Read from the graph's own adjacency once: networkx's edge views and `copy` cost more than
    everything else the page does with a graph of 20,000 nodes.)"""

    def __init__(
        self, nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str, dict[str, Any]]]
    ) -> None:
        self.nodes = nodes
        self.edges = edges
        self.successors: dict[str, list[str]] = {}

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> _Shown:
        return cls(dict(graph._node), _edge_rows(graph))  # (as graph.nodes(data=True))


def _edge_rows(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every edge of a graph with its key and attributes, as `graph.edges(keys=True,
    data=True)` lists them (in the same order), read from its adjacency dictionaries."""
    return [
        (u, v, key, data)
        for u, around in graph._adj.items()
        for v, keyed in around.items()
        for key, data in keyed.items()
    ]


def _add_context_layer(network: _Shown, store: Store, filters: Filters, lang: str) -> None:
    """Add to the shown network the context tied to it that the filters leave out (places,
    markets, policies, events, phenomena): the page's context layers."""
    missing = tuple(k for k in CONTEXT_KINDS if k not in filters.include)
    if not missing or not network.nodes:
        return
    whole = project(store, replace(filters, include=CONTEXT_KINDS), lang=lang).graph
    added = _context_around(network.nodes, whole, missing)
    if not added:
        return
    shown = network.nodes
    for node in sorted(added):
        shown[node] = dict(whole._node[node])
    for node in sorted(added):  # (each tie of a newcomer once, from its tail)
        _add_context_ties(network, whole, node, added)


def _context_around(
    shown: dict[str, dict[str, Any]], whole: nx.MultiDiGraph, missing: tuple[str, ...]
) -> set[str]:
    """The context nodes of the kinds `missing` tied (either way) to a node shown.

    (Found from the context nodes, a few, rather than from the neighbours of every node
    shown.)"""
    succ, pred = whole._succ, whole._pred  # (no view per node)
    return {
        node
        for node, attributes in whole._node.items()
        if attributes.get("kind") in missing
        and node not in shown
        and any(other in shown for other in (*succ[node], *pred[node]))
    }


def _add_context_ties(network: _Shown, whole: nx.MultiDiGraph, node: str, added: set[str]) -> None:
    """The ties of a context node just added to the nodes shown: every one from it to a node
    shown, and every one into it from a node shown before (a tie between two newcomers is
    added once, from its tail)."""
    shown = network.nodes
    for v, keyed in whole._succ[node].items():
        if v in shown:
            network.edges.extend((node, v, key, dict(data)) for key, data in keyed.items())
            network.successors.setdefault(node, []).append(v)
    for u, keyed in whole._pred[node].items():
        if u in shown and u not in added:
            network.edges.extend((u, node, key, dict(data)) for key, data in keyed.items())


def _version() -> str:
    try:
        return metadata.version("hilos")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# ------------------------------------------------------------------------------------ the page


def script_json(value: Any) -> str:
    """JSON safe to put inside a `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 are
    escaped (they only ever occur inside JSON strings, where the escapes mean the same). A
    number that is not finite (JSON has none) fails with `BadInput`.

    >>> script_json({"label": "</script><b>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    _require_finite(value, "value")
    return _script_json_bytes(value).decode("utf-8")


def _script_json_bytes(value: Any) -> bytes:
    """`script_json` as UTF-8, of a value already checked for numbers that are not finite
    (orjson, the compiled encoder, would write them as null).

    orjson writes the same JSON as `json.dumps` without spaces and without ASCII escapes:
    floats in their shortest form that reads back the same (`1e+16` for 1e16), strings as
    UTF-8 with the same escapes; about six times as fast on a page of 20,000 nodes."""
    text = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)
    for char, escape in _JSON_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


_JSON_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def _require_finite(value: Any, where: str) -> None:
    """Fail if a number in `value` (walked whole) is NaN or infinite, naming where it is."""
    if isinstance(value, float):
        if not math.isfinite(value):
            _ = message
            raise BadInput(_("{what} expects a finite number, got '{raw}'", what=where, raw=value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _require_finite(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _require_finite(item, f"{where}[{i}]")


_FLOAT_COLUMNS = {
    "nodes": ("x", "y", "size", "font", "score"),
    "ties": ("confidence", "score", "bend"),
}
"""The columns of the page's data that may hold floats; every other column holds strings,
integers, booleans or lists of them (`tests/export/test_html_data.py` checks it)."""


def _page_json(data: dict[str, Any]) -> bytes:
    """The page's data as `script_json` writes it, its float columns checked as columns (a
    walk of every value of a 20,000-node page would take longer than writing it)."""
    for part, names in _FLOAT_COLUMNS.items():
        rows = data[part]
        for name in names:
            if rows[name] is not None:
                _require_finite_column(data, part, name)
    for part in ("meta", "style"):
        _require_finite(data[part], part)
    return _script_json_bytes(data)


def _require_finite_column(data: dict[str, Any], part: str, name: str) -> None:
    """`_require_finite` of a column of numbers (and None), checked at once; a number that is
    not finite is named by the IRI of its node or tie."""
    rows = data[part]
    column = rows[name]
    if isinstance(column, dict):  # (sparse: its values and its empty value)
        if _finite([column["empty"], *column["values"]]):
            return
        column = _dense(column, len(rows["local"]))
    elif _finite(column):
        return
    for row, value in enumerate(column):
        if isinstance(value, float):
            iri = data["tables"]["ns"][rows["ns"][row]] + rows["local"][row]
            _require_finite(value, f"{name} of {iri}")


def _finite(values: list[Any]) -> bool:
    """Whether every float among `values` (numbers and None) is finite."""
    numbers = [v for v in values if v is not None] if None in values else values
    return bool(np.isfinite(np.fromiter(numbers, dtype=np.float64, count=len(numbers))).all())


def vis_network_js() -> str:
    """vis-network 9.1.2, the copy vendored in `vendor/vis-network/` with its licence comment
    (its README names the source and the SHA-256)."""
    text = (_HERE / "vendor" / "vis-network" / "vis-network.min.js").read_text(encoding="utf-8")
    return _inline_script(text, "vis-network")


def _inline_script(text: str, name: str) -> str:
    if re.search(r"</script|<!--", text, re.IGNORECASE):  # pragma: no cover - checked by tests
        raise BadInput(f"{name} cannot be put in-line: it contains </script or <!--")
    return text


def _asset(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _page_parts(data: dict[str, Any]) -> Iterator[bytes]:
    """The page, piece by piece, as UTF-8 (the data is most of it, written by `_page_json`)."""
    vis = vis_network_js()
    common = _inline_script(_shared("common.js"), "common.js")
    script = _inline_script(_asset("page.js"), "page.js")
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis)} {_csp_hash(common)} {_csp_hash(script)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    lang = data["meta"].get("lang") or "en"
    pieces = {
        "LANG": html.escape(lang),
        "NOSCRIPT": html.escape(
            tr(
                "This page needs JavaScript to draw the network. Its data is in the JSON block "
                "with the id hilos-data, in this file.",
                lang,
            )
        ),
        "TITLE": html.escape(data["meta"]["title"]),
        "POLICY": html.escape(policy),
        "CSS": _shared("common.css") + _asset("page.css"),
        "VIS": vis,
        "COMMON": common,
        "SCRIPT": script,
    }
    template = _asset("page.html")
    position = 0
    for marker in re.finditer(r"@@([A-Z]+)@@", template):
        yield template[position : marker.start()].encode("utf-8")
        if marker.group(1) == "DATA":
            yield _page_json(data)
        else:
            yield pieces[marker.group(1)].encode("utf-8")
        position = marker.end()
    yield template[position:].encode("utf-8")


def _check_writable(target: str) -> None:
    """Fail before any work if the page cannot be written where asked."""
    if target == "-":
        return
    where = Path(target)
    folder = where.parent if str(where.parent) else Path(".")
    if where.is_dir():
        raise BadInput(f"cannot write {target}: it is a folder")
    if not folder.is_dir():
        raise BadInput(f"cannot write {target}: no folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"cannot write {target}: the folder {folder} is not writable")


def _write(target: str | os.PathLike[str] | IO[bytes] | IO[str], parts: Iterable[bytes]) -> None:
    if isinstance(target, str | os.PathLike):
        shown = os.fspath(target)
        try:
            with atomic_output(shown) as handle:
                for part in parts:
                    handle.write(part)
            if shown != "-":
                # The temporary file was private (0600); the page is meant to be shared.
                mask = os.umask(0)
                os.umask(mask)
                os.chmod(shown, 0o666 & ~mask)
        except OSError as exc:
            raise BadInput(f"cannot write {shown}: {exc.strerror or exc}") from None
        return
    if isinstance(target, io.TextIOBase):
        for part in parts:
            target.write(part.decode("utf-8"))
        return
    for part in parts:
        target.write(part)  # type: ignore[arg-type]
