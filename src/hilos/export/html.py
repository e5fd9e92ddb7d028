"""The interactive network page: one self-contained HTML file a journalist can open offline,
check, and publish.

**Self-contained.** vis-network (the copy pyvis ships, with its licence comment) and every style
and script are in-line; the page loads nothing, and its Content-Security-Policy forbids it to
(`default-src 'none'`; the two scripts are allowed by their SHA-256 hashes, so no other script —
not even an inline event handler — can run). pyvis's own `Network` is not used: it is quadratic
in the number of ties and its template pulls scripts from CDNs and copies a `lib/` folder.

**Safe.** Every string from the data (labels, aliases, quotes, citations, IRIs) travels as JSON
in a `<script type="application/json">` block with `<`, `>`, `&`, U+2028 and U+2029 escaped,
and the page puts it into the document with `textContent` only; tooltips are DOM elements,
never HTML strings.

**What the reader sees.** Nodes coloured by sphere (an actor drifting between spheres has the
border of its second sphere) and shaped by kind, sized by a centrality measure; ties coloured by
family (cooperation, hierarchy, adversarial…), dashed by status (alleged dashed, disputed dotted
and marked "?", refuted dotted grey and marked "×"), as wide as their evidence score, with
arrows; a legend; a search box; filters by sphere, status, tie type and year; a side panel with
the card of an actor or the evidence of a tie; the page title; a footer with the data snapshot
(SHA-256 of the loaded graphs) and the command that produced the page.

**Large graphs.** The layout is computed here (`layout.py`, seeded); above `PHYSICS_THRESHOLD`
nodes the page draws it as it is, with physics off, straight ties and ties hidden while
dragging; below, vis-network's physics tidies it for a moment and then stops.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import IO, Any

import networkx as nx
from pyoxigraph import BlankNode, Literal, NamedNode

from .. import scan, sparql
from ..entities import pick_label, resolve
from ..errors import BadInput, NotFound
from ..namespaces import HILOS, HILOS_NS, RDFS, SKOS, compact, expand
from ..network.centrality import MEASURES, centrality
from ..network.paths import Path as EvidencePath
from ..network.paths import find_chains, find_paths
from ..network.projection import (
    Filters,
    Projection,
    filters_in_words,
    project,
    require_nodes,
)
from ..output import atomic_output, decoded
from ..store import Store, solutions
from ..vocab import vocabulary
from . import snapshot_hash, snapshot_scope
from .layout import layout

PHYSICS_THRESHOLD = 1_000
"""Above this many nodes the page keeps physics off and draws the Python layout as it is."""

SPHERES = (
    ("state", "State", "#2166ac"),
    ("criminal", "Criminal", "#b2182b"),
    ("community", "Community", "#1b9e77"),
    ("civil", "Civil society", "#e6ab02"),
    ("none", "No sphere", "#9e9e9e"),
)
"""Sphere key, legend label and fill colour (colour-blind-safe hues)."""

KINDS = (
    ("person", "Person", "dot"),
    ("organisation", "Organisation", "square"),
    ("place", "Place", "triangle"),
    ("market", "Criminal market", "diamond"),
    ("event", "Event", "star"),
    ("policy", "Policy", "hexagon"),
    ("other", "Phenomenon / other", "triangleDown"),
)
"""Node kind (as the projection names it), legend label and vis-network shape."""

FAMILIES = (
    ("CooperationTie", "cooperation", "Cooperation, collusion", "#7b3294"),
    ("HierarchyTie", "hierarchy", "Command, membership, hierarchy", "#2f4858"),
    ("AdversarialTie", "adversarial", "Rivalry, attack, victimisation", "#e66101"),
    ("PolicyTie", "policy", "Policy and its effects", "#4393c3"),
    ("SpatialTie", "spatial", "Presence, violence drivers", "#8c8c8c"),
    ("MarketTie", "market", "Criminal markets", "#a6611a"),
    ("SphereDrift", "drift", "Sphere drift", "#c51b7d"),
    ("Tie", "other", "Other ties", "#b0b0b0"),
)
"""Tie family: ontology class, key, legend label, colour. A tie belongs to the first family
its class falls under."""

STATUSES = (
    ("confirmed", "Confirmed", None, None, None),
    ("reported", "Reported", None, None, None),
    ("alleged", "Alleged", [8, 6], None, None),
    ("disputed", "Disputed", [2, 5], None, "?"),
    ("refuted", "Refuted", [2, 5], "#bdbdbd", "×"),
    ("none", "No status", [12, 4, 2, 4], None, None),
)
"""Status key, label, dash pattern (None: solid), colour (None: the family's) and marker."""

PATH_COLOUR = "#f0a500"
"""The colour of the best evidence path (`--path`)."""

_HERE = files(__package__)

_NAMES = """
SELECT ?entity ?property ?value WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel rdfs:comment skos:scopeNote }
  ?entity ?property ?value .
  FILTER(isLiteral(?value))
}
"""
_CITATIONS = "SELECT ?source ?citation WHERE { ?source hilos:citation ?citation }"
_TIE_DETAILS = """
SELECT ?tie ?property ?value WHERE {
  VALUES ?property { hilos:market hilos:relationText rdfs:comment hilos:qualifier hilos:period }
  ?tie hilos:from ?from ; ?property ?value .
}
"""


@dataclass(frozen=True)
class HtmlExport:
    """What was written: counts, the snapshot hash, the title, the ties of the path."""

    nodes: int
    ties: int
    snapshot: str
    title: str
    path_ties: tuple[str, ...] = ()


def check_hops(hops: int) -> None:
    if hops < 1:
        raise BadInput(f"--hops must be at least 1, got {hops}")


def check_size_by(size_by: str | None) -> None:
    if size_by is not None and size_by not in MEASURES:
        raise BadInput(f"unknown measure '{size_by}' for --size-by (one of: {', '.join(MEASURES)})")


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
) -> HtmlExport:
    """Write the interactive network page to `target` (a file path, `-` for standard output,
    or an open stream).

    `focus` (an IRI or a name `search` finds) keeps only the entities within `hops` ties of
    it (following ties both ways unless `filters.directed`); `path` (two entities) highlights
    the best evidence path between them, as `hilos paths` ranks it, and keeps its nodes in view;
    `chains` keeps only the ties of the state-to-criminal collusion chains `hilos chains` finds.
    `size_by` names a centrality measure (computed on the whole filtered network) that sizes
    the nodes. `command` is stated in the footer. The file appears only once complete: a
    failure leaves no file behind and an existing one untouched.
    """
    filters = filters or Filters(directed=False)
    check_hops(hops)
    check_size_by(size_by)
    if path is not None and len(path) != 2:
        raise BadInput("--path takes two entities, A and B")
    if isinstance(target, str | os.PathLike):
        _check_writable(os.fspath(target))
    data = page_data(
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
    )
    _write(target, _page_parts(data))
    meta = data["meta"]
    return HtmlExport(
        nodes=len(data["nodes"]),
        ties=len(data["ties"]),
        snapshot=meta["snapshot"],
        title=meta["title"],
        path_ties=tuple(meta["path"]["ties"]) if meta["path"] else (),
    )


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
) -> dict[str, Any]:
    """Everything the page shows, as the JSON it embeds (see the module's docstring)."""
    check_hops(hops)
    check_size_by(size_by)
    focus_iri = resolve(store, focus, lang=lang) if focus is not None else None
    ends = (
        (resolve(store, path[0], lang=lang), resolve(store, path[1], lang=lang)) if path else None
    )
    projection = project(store, filters, lang=lang)
    graph = projection.graph
    best: EvidencePath | None = None
    if ends is not None:
        best = find_paths(store, projection, ends[0], ends[1], limit=1)[0]
    shown: nx.MultiDiGraph = graph
    if focus_iri is not None:
        require_nodes(projection, focus_iri)
        keep = set(
            nx.ego_graph(graph, focus_iri, radius=hops, undirected=not filters.directed).nodes
        )
        if best is not None:
            keep |= {n.id for n in best.nodes}
        shown = graph.subgraph(keep).copy()
    if chains:
        collusion_chains, _ = find_chains(store, projection)
        if not collusion_chains:
            raise NotFound("no state-to-criminal collusion chain under these filters")
        keys = {
            (h.from_, h.to, h.tie) if h.forward else (h.to, h.from_, h.tie)
            for chain in collusion_chains
            for h in chain.hops
        }
        shown = shown.edge_subgraph(keys).copy()
    scores = _scores(projection, size_by, seed)
    positions = layout(shown, seed=seed)

    evidence = _evidence(store, {key for _, _, key in shown.edges(keys=True)})
    named = set(shown.nodes)
    named |= {expand(t) or t for _, data in shown.nodes(data=True) for t in data.get("types") or ()}
    named |= {expand(r) or r for _, _, r in shown.edges(data="relation")}
    named |= {m for found in evidence.values() for m in found.markets}
    names = _names(store, lang, named)
    nodes = sorted(shown.nodes, key=lambda n: (str(shown.nodes[n].get("label") or n), n))
    index = {node: i for i, node in enumerate(nodes)}
    top = max((scores.get(n, 0.0) for n in nodes), default=0.0)
    node_rows = [
        _node_row(node, shown.nodes[node], positions[node], scores, top, names, lang)
        for node in nodes
    ]

    families = _families(store)
    sources: dict[str, int] = {}
    path_ties = {h.tie for h in best.hops} if best else set()
    bends = _bends(shown)
    tie_rows = []
    for u, v, key, edge in sorted(
        shown.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], e[2])
    ):
        found = evidence.get(key, _TieEvidence())
        tie_rows.append(
            {
                "id": key,
                "from": index[u],
                "to": index[v],
                "relation": edge["relation"],
                "type": _label(names, expand(edge["relation"]) or edge["relation"], lang),
                "family": families.get(expand(edge["relation"]) or "", "other"),
                "status": edge["status"],
                "confidence": edge["confidence"],
                "score": edge["score"],
                "start": edge["start"],
                "end": edge["end"],
                "quotes": found.quotes,
                "locators": found.locators,
                "sources": [sources.setdefault(s, len(sources)) for s in found.sources],
                "markets": [_label(names, m, lang) for m in found.markets],
                "text": found.texts,
                "qualifiers": _qualifier_labels(found.qualifiers, lang),
                "period": "; ".join(found.periods),
                "note": _in_lang(found.notes, lang),
                "path": key in path_ties,
                "bend": bends.get(key, 0.0),
            }
        )
    citations = _citations(store, list(sources))
    source_rows = [{"id": s, "citation": citations.get(s) or compact(s)} for s in sources]

    relation_counts: dict[str, int] = defaultdict(int)
    for row in tie_rows:
        relation_counts[row["relation"]] += 1
    family_order = [key for _, key, _, _ in FAMILIES]
    relation_rows: list[dict[str, Any]] = sorted(
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
    years = sorted(
        int(str(d)[:4]) for row in tie_rows for d in (row["start"], row["end"]) if d is not None
    )
    graphs = list(filters.graphs) or None
    snapshot = snapshot_hash(store, graphs)
    focus_row = (
        {"node": index[focus_iri], "hops": hops, "directed": filters.directed}
        if focus_iri is not None
        else None
    )
    path_row = None
    if best is not None:
        path_row = {
            "score": best.score,
            "nodes": [index[n.id] for n in best.nodes],
            "ties": [h.tie for h in best.hops],
            "forward": [h.forward for h in best.hops],
        }
    labels = {n: str(shown.nodes[n].get("label") or compact(n)) for n in nodes}
    return {
        "meta": {
            "title": (decoded(title) if title else None)
            or _default_title(labels, focus_iri, hops, best, len(nodes), filters),
            "command": decoded(command) if command is not None else None,
            "snapshot": snapshot,
            "snapshot_scope": snapshot_scope(store, graphs),
            "version": _version(),
            "focus": focus_row,
            "path": path_row,
            "size_by": size_by,
            "physics": len(nodes) <= PHYSICS_THRESHOLD,
            "seed": seed,
            "directed": filters.directed,
            "filters": filters_in_words(filters, lambda iri: labels.get(iri, compact(iri))),
            "dropped": dict(sorted(projection.dropped.items())),
            "years": [years[0], years[-1]] if years else None,
            "lang": lang,
        },
        "style": {
            "spheres": [{"key": k, "label": lab, "colour": c} for k, lab, c in SPHERES],
            "kinds": [{"key": k, "label": lab, "shape": s} for k, lab, s in KINDS],
            "families": [{"key": k, "label": lab, "colour": c} for _, k, lab, c in FAMILIES],
            "statuses": [
                {"key": k, "label": lab, "dashes": d, "colour": c, "marker": m}
                for k, lab, d, c, m in STATUSES
            ],
            "relations": relation_rows,
            "path": PATH_COLOUR,
            "weights": vocabulary().weights,
        },
        "nodes": node_rows,
        "ties": tie_rows,
        "sources": source_rows,
    }


def _scores(projection: Projection, size_by: str | None, seed: int) -> dict[str, float]:
    if size_by is None:
        return {}
    result = centrality(projection.analysis_graph(), size_by, seed=seed)
    return {r.id: r.score for r in result.ranking}


@dataclass
class _Names:
    labels: dict[str, list[Literal]]
    aliases: dict[str, list[Literal]]
    notes: dict[str, list[Literal]]


_NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, RDFS.comment, SKOS.scopeNote)
_LOOKUPS = 5_000
"""Up to this many entities or ties, their statements are looked up one by one; above, each
property is read whole from the store's indexes."""


def _names(store: Store, lang: str, wanted: set[str] | None = None) -> _Names:
    """Labels, aliases and notes of the entities `wanted` (everything in the store if None)."""
    found = _Names(defaultdict(list), defaultdict(list), defaultdict(list))

    def add(entity: str, prop: str, value: Literal) -> None:
        if prop.endswith("#altLabel"):
            found.aliases[entity].append(value)
        elif prop.endswith(("#comment", "#scopeNote")):
            found.notes[entity].append(value)
        else:
            found.labels[entity].append(value)

    if store.remote or wanted is None:
        for row in solutions(store.query(_NAMES)):
            entity, prop, value = row["entity"], row["property"].value, row["value"]
            if isinstance(entity, NamedNode) and isinstance(value, Literal):
                add(entity.value, prop, value)
        return found
    for entity, values in _values(store, wanted, _NAME_PROPERTIES).items():
        for prop in _NAME_PROPERTIES:  # in the order of the query: labels before names
            for value in values.get(prop.value, ()):
                if isinstance(value, Literal) and ":" in entity:
                    add(entity, prop.value, value)
    return found


def _values(
    store: Store, subjects: set[str], properties: Sequence[NamedNode]
) -> dict[str, dict[str, list[Any]]]:
    """The values of some properties of some subjects (IRIs, or blank node ids), looked up one
    subject at a time for a few, read property by property for many."""
    view = scan.View(store)
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    if len(subjects) <= _LOOKUPS:
        wanted = set(properties)
        for subject in subjects:
            try:
                node: NamedNode | BlankNode = (
                    NamedNode(subject) if ":" in subject else BlankNode(subject)
                )
            except ValueError:
                continue
            for prop, value in view.statements(node):
                if prop in wanted:
                    found[subject][prop.value].append(value)
        return found
    for prop in properties:
        for token, text in view.pairs(prop):
            named = scan.iri(token) or (token[2:] if token.startswith("_:") else None)
            if named is not None and named in subjects:
                found[named][prop.value].append(_term(text))
    return found


def _term(token: str) -> Any:
    """A term in the TSV results format as a pyoxigraph term."""
    found = scan.iri(token)
    if found is not None:
        return NamedNode(found)
    if token.startswith("_:"):
        return BlankNode(token[2:])
    return scan.to_literal(token)


def _label(names: _Names, iri: str, lang: str) -> str:
    return pick_label(names.labels.get(iri, []), lang) or compact(iri)


def _in_lang(values: Sequence[Literal], lang: str) -> list[str]:
    """The literals in `lang` (or without a language); all of them if there are none."""
    wanted = [v.value for v in values if (v.language or lang).lower().startswith(lang.lower())]
    return sorted(set(wanted or [v.value for v in values]))


def _pairs(values: Iterable[Literal]) -> list[list[str]]:
    """[language, text] pairs, sorted, without repeats."""
    return [
        [language, text] for language, text in sorted({(v.language or "", v.value) for v in values})
    ]


def _node_row(
    node: str,
    data: dict[str, Any],
    position: tuple[float, float],
    scores: dict[str, float],
    top: float,
    names: _Names,
    lang: str,
) -> dict[str, Any]:
    kinds = {k for k, _, _ in KINDS}
    kind = data.get("kind") or "other"
    score = scores.get(node)
    size = 12.0 if top <= 0 or score is None else round(8 + 30 * (score / top) ** 0.5, 2)
    return {
        "id": node,
        "label": str(data.get("label") or compact(node)),
        "x": position[0],
        "y": position[1],
        "size": size,
        "score": score,
        "sphere": data.get("sphere"),
        "spheres": list(data.get("spheres") or ()),
        "kind": kind if kind in kinds else "other",
        "types": [_label(names, expand(t) or t, lang) for t in data.get("types") or ()],
        "names": _pairs(names.labels.get(node, [])),
        "aliases": _pairs(names.aliases.get(node, [])),
        "notes": _in_lang(names.notes.get(node, []), lang),
    }


def _families(store: Store) -> dict[str, str]:
    """The family key of every tie class."""
    superclasses = store.terminology().superclasses
    families: dict[str, str] = {}
    for cls, supers in superclasses.items():
        closure = {cls, *supers}
        for root, key, _, _ in FAMILIES:
            if HILOS_NS + root in closure:
                families[cls] = key
                break
    return families


@dataclass
class _TieEvidence:
    sources: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    notes: list[Literal] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)


def _qualifier_labels(iris: list[str], lang: str) -> list[str]:
    """The qualifiers of a claim in the page's language, in the ontology's order."""
    vocab = vocabulary()
    known = [q.label(lang) for q in vocab.qualifiers if q.iri in iris]
    return known + sorted(compact(i) for i in iris if vocab.qualifier_key(i) is None)


def _add(values: list[Any], value: Any) -> None:
    if value is not None and value not in values:
        values.append(value)


def _evidence(store: Store, ties: set[str]) -> dict[str, _TieEvidence]:
    """Sources, quotes, locators, markets, wording and notes of the ties, over the whole store
    (sources and their citations may live in other graphs than the ties)."""
    found: dict[str, _TieEvidence] = defaultdict(_TieEvidence)
    if store.remote:
        for row in solutions(store.query(sparql.load("tie-evidence"))):
            tie = row["tie"].value
            if tie in ties:
                _add_evidence(found[tie], row["source"], [row["quote"]], [row["locator"]])
        details = (
            (row["tie"].value, row["property"].value, row["value"])
            for row in solutions(store.query(_TIE_DETAILS))
        )
    else:
        values = _values(store, ties, _EVIDENCE_PROPERTIES)
        for tie, those in values.items():
            for source in those.get(_DERIVED.value, ()):
                quotes = those.get(HILOS.quote.value) or [None]
                locators = those.get(HILOS.locator.value) or [None]
                _add_evidence(found[tie], source, quotes, locators)
        details = (  # (the ties come from the projection: each has its hilos:from)
            (tie, prop.value, value)
            for tie, those in values.items()
            for prop in _DETAIL_PROPERTIES
            for value in those.get(prop.value, ())
        )
    for tie, prop, value in details:
        if tie not in ties:
            continue
        evidence = found[tie]
        if prop.endswith("#market"):
            _add(evidence.markets, value.value)
        elif prop.endswith("#qualifier"):
            _add(evidence.qualifiers, value.value)
        elif prop.endswith("#period"):
            _add(evidence.periods, value.value)
        elif prop.endswith("#relationText"):
            _add(evidence.texts, value.value)
        elif isinstance(value, Literal):
            _add(evidence.notes, value)
    for evidence in found.values():
        evidence.sources.sort(key=lambda s: (s.endswith("/report"), s))
    return found


_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_DETAIL_PROPERTIES = (HILOS.market, HILOS.relationText, RDFS.comment, HILOS.qualifier, HILOS.period)
_EVIDENCE_PROPERTIES = (_DERIVED, HILOS.quote, HILOS.locator, *_DETAIL_PROPERTIES)


def _add_evidence(
    evidence: _TieEvidence, source: Any, quotes: list[Any], locators: list[Any]
) -> None:
    _add(evidence.sources, source.value)
    for quote in quotes:
        _add(evidence.quotes, quote.value if quote is not None else None)
    for locator in locators:
        _add(evidence.locators, locator.value if locator is not None else None)


def _citations(store: Store, sources: list[str]) -> dict[str, str]:
    """The short citation of each source that has one."""
    wanted = set(sources)
    citations: dict[str, str] = {}
    if store.remote:
        rows = (
            (row["source"].value, row["citation"].value)
            for row in solutions(store.query(_CITATIONS))
        )
    else:
        rows = (
            (source, value.value)
            for source, values in _values(store, wanted, (HILOS.citation,)).items()
            for value in values.get(HILOS.citation.value, ())
        )
    for source, citation in rows:
        if source in wanted and source not in citations:
            citations[source] = citation
    return citations


def _bends(graph: nx.MultiDiGraph) -> dict[str, float]:
    """How much to bend each of several ties between the same two nodes, so that none hides
    another: 0 for a single tie, symmetric around the straight line for several."""
    by_pair: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for u, v, key in graph.edges(keys=True):
        if u == v:
            continue
        pair = (u, v) if u < v else (v, u)
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
) -> str:
    if best is not None:
        return f"Best evidence path from {best.nodes[0].label} to {best.nodes[-1].label}"
    if focus is not None:
        around = f"{hops} tie{'s' if hops > 1 else ''}"
        return f"The network within {around} of {labels.get(focus, compact(focus))}"
    context = {"place": "places", "market": "markets", "policy": "policies", "event": "events",
               "phenomenon": "phenomena"}  # fmt: skip
    names = ["actors", *(context[k] for k in filters.include if k in context)]
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"The network of {n} {what}"


def _version() -> str:
    try:
        return metadata.version("hilos")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# ------------------------------------------------------------------------------------ the page


def script_json(value: Any) -> str:
    """JSON safe to put inside a `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 are
    escaped (they only ever occur inside JSON strings, where the escapes mean the same).

    >>> script_json({"label": "</script><b>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return text


_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def vis_network_js() -> str:
    """vis-network 9.1.2 as pyvis ships it, with its licence comment."""
    import pyvis

    text = (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(
        encoding="utf-8"
    )
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


def _page_parts(data: dict[str, Any]) -> Iterator[str]:
    """The page, piece by piece (the data is most of it)."""
    vis = vis_network_js()
    script = _inline_script(_asset("page.js"), "page.js")
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis)} {_csp_hash(script)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    pieces = {
        "TITLE": html.escape(data["meta"]["title"]),
        "POLICY": html.escape(policy),
        "CSS": _asset("page.css"),
        "DATA": script_json(data),
        "VIS": vis,
        "SCRIPT": script,
    }
    template = _asset("page.html")
    position = 0
    for marker in re.finditer(r"@@([A-Z]+)@@", template):
        yield template[position : marker.start()]
        yield pieces[marker.group(1)]
        position = marker.end()
    yield template[position:]


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


def _write(target: str | os.PathLike[str] | IO[bytes] | IO[str], parts: Iterable[str]) -> None:
    if isinstance(target, str | os.PathLike):
        shown = os.fspath(target)
        try:
            with atomic_output(shown) as handle:
                for part in parts:
                    handle.write(part.encode("utf-8"))
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
            target.write(part)
        return
    for part in parts:
        target.write(part.encode("utf-8"))  # type: ignore[arg-type]
