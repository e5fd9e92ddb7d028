"""Evidence dossiers: an entity's ties, or the best evidence path between two entities, as a hop
table with footnoted sources, in HTML or Markdown, that an editor can check and reproduce.

The header states when the dossier was generated (UTC), the data snapshot it was drawn from
(`snapshot_hash` over the graphs the filters select, or every loaded graph, as the network
page made with the same filters states it) and the command that produced it.

Footnotes: each distinct (source, quote, locator) gets one number, in order of first mention;
ties that rest on the same sentence of the same source at the same place share that number.

HTML is one self-contained file (in-line CSS, no script, no URL to any other host, printable);
every string from the data is escaped and IRIs are shown as text. Markdown is GitHub-flavoured:
one table per section, with `|`, newlines and Markdown's control characters escaped in cells.

Every heading, label and sentence is in the dossier's language (`lang`) through `hilos.i18n`;
relation, type, status, qualifier, modality and sphere names are the ontology's labels in that
language. What the sources and curators wrote (names, quotes, citations, notes) stays as written.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path, PurePath

import networkx as nx

from ..atomicfile import atomic_output
from ..entities import Summary, describe
from ..errors import BadInput
from ..errors import message as _
from ..i18n import Translator, tr
from ..namespaces import expand
from ..network.evidence import Hop, Node, ScoredClaim, Source, node, scored_claim
from ..network.paths import EvidencePath, find_paths
from ..network.projection import INCLUDABLE, Filters, project
from ..search import resolve
from ..store import Store
from ..vocab import CONTEXT_KINDS, vocabulary
from . import snapshot_hash
from .words import context_plural

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}
"""File extensions and the dossier format each one means."""

FROM_PYTHON = "generated from Python"
"""What the header says instead of a command when the dossier was written from Python."""


@dataclass(frozen=True)
class Footnote:
    """One source as a row cites it: the citation, the quoted sentence and where it is."""

    number: int
    source: str
    citation: str
    quote: str | None
    locator: str | None


@dataclass(frozen=True)
class Row:
    """One claim in a hop table, numbered and oriented as the table reads it (`from_` → `to`,
    against the claim's own direction unless `forward`), with its footnotes."""

    number: int
    claim: ScoredClaim
    relation_label: str
    from_: Node
    to: Node
    forward: bool
    notes: tuple[int, ...]
    counted: bool = True
    """In a path: whether this claim is the one the hop's score rests on (the strongest); the
    other claims behind the same hop follow it, marked "also"."""


@dataclass(frozen=True)
class PathSection:
    """One evidence path: its nodes, hops and score."""

    score: float
    nodes: tuple[Node, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Dossier:
    """Everything a dossier shows, before it is rendered."""

    title: str
    generated: str
    snapshot: str
    snapshot_scope: str
    command: str
    filters: tuple[str, ...]
    entity: Summary | None
    ties: tuple[Row, ...]
    paths: tuple[PathSection, ...]
    footnotes: tuple[Footnote, ...]
    entities: tuple[Node, ...]
    lang: str
    type_labels: tuple[str, ...] = ()
    """The entity's types as the ontology names them in `lang` (its `types` are compact IRIs)."""


def dossier_format(target: str, fmt: str | None = None) -> str:
    """The format of a dossier written to `target`: `fmt` if given, else from the extension.

    >>> dossier_format("abarca.md"), dossier_format("chain.HTML"), dossier_format("-", "md")
    ('md', 'html', 'md')
    """
    if fmt is not None:
        if fmt not in ("md", "html"):
            raise BadInput(
                _("unknown dossier format '{value}' (one of: md, html)", value=fmt),
                parameter="fmt",
            )
        return fmt
    if target == "-":
        raise BadInput(
            _("writing to standard output needs {parameter} md or html", parameter="fmt")
        )
    suffix = PurePath(target).suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(
            _(
                "cannot tell the format of '{target}' from its extension "
                "(use .html or .md, or give {parameter} md|html)",
                target=target,
                parameter="fmt",
            )
        )
    return FORMATS[suffix]


class _Notes:
    """Numbers footnotes in order of first mention; identical sources share a number."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str | None, str | None], int] = {}
        self.footnotes: list[Footnote] = []

    def cite(self, sources: Iterable[Source]) -> tuple[int, ...]:
        numbers: list[int] = []
        for source in sources:
            key = (source.id, source.quote, source.locator)
            if key not in self._numbers:
                self._numbers[key] = len(self.footnotes) + 1
                self.footnotes.append(
                    Footnote(
                        number=self._numbers[key],
                        source=source.id,
                        citation=source.citation,
                        quote=source.quote,
                        locator=source.locator,
                    )
                )
            if self._numbers[key] not in numbers:
                numbers.append(self._numbers[key])
        return tuple(numbers)


class _Relations:
    """The label of each tie class, looked up once."""

    def __init__(self, store: Store, lang: str) -> None:
        self._store = store
        self.lang = lang
        self._labels: dict[str, str] = {}

    def label(self, relation: str) -> str:
        if relation not in self._labels:
            iri = expand(relation) or relation
            self._labels[relation] = describe(self._store, iri, lang=self.lang).label
        return self._labels[relation]


def _status_rank(status: str | None) -> int:
    """Strongest first: confirmed 0 … refuted 4, no status last."""
    rank = vocabulary().rank(status)
    return 99 if rank < 0 else len(vocabulary().statuses) - 1 - rank


def _entity_rows(
    store: Store,
    graph: nx.MultiDiGraph,
    iri: str,
    notes: _Notes,
    relations: _Relations,
) -> tuple[list[Row], list[Node]]:
    """The ties of `iri` in the filtered network, strongest first, each with its footnotes."""
    if iri not in graph:
        return [], []
    edges: dict[str, tuple[str, str, dict[str, object]]] = {}
    for u, v, tie, data in [
        *graph.out_edges(iri, keys=True, data=True),
        *graph.in_edges(iri, keys=True, data=True),
    ]:
        edges.setdefault(tie, (u, v, data))
    nodes = {
        n: node(graph, n)
        for n in {iri} | {e[0] for e in edges.values()} | {e[1] for e in edges.values()}
    }

    def order(item: tuple[str, tuple[str, str, dict[str, object]]]) -> tuple[object, ...]:
        tie, (u, v, data) = item
        other = v if u == iri else u
        status = data["status"] if isinstance(data["status"], str) else None
        return (
            _status_rank(status),
            relations.label(str(data["relation"])),
            nodes[other].label,
            tie,
        )

    rows = [
        _entity_row(
            number,
            tie,
            (nodes[u], nodes[v], data),
            forward=u == iri,
            store=store,
            notes=notes,
            relations=relations,
        )
        for number, (tie, (u, v, data)) in enumerate(sorted(edges.items(), key=order), 1)
    ]
    others = sorted(
        (n for n in nodes.values() if n.id != iri), key=lambda n: (n.label.casefold(), n.id)
    )
    return rows, [nodes[iri], *others]


def _entity_row(
    number: int,
    tie: str,
    edge: tuple[Node, Node, dict[str, object]],
    *,
    forward: bool,
    store: Store,
    notes: _Notes,
    relations: _Relations,
) -> Row:
    """One tie of the entity, as its projected edge (`from_`, `to`, data) describes it."""
    from_, to, data = edge
    claim = scored_claim(store, from_.id, to.id, tie, data)
    return Row(
        number=number,
        claim=claim,
        relation_label=relations.label(claim.relation),
        from_=from_,
        to=to,
        forward=forward,
        notes=notes.cite(claim.sources),
    )


@dataclass(frozen=True)
class _Body:
    """What a dossier shows besides its header: an entity's card and ties, or paths."""

    title: str
    entities: list[Node]
    summary: Summary | None = None
    ties: tuple[Row, ...] = ()
    paths: tuple[PathSection, ...] = ()


def build_dossier(
    store: Store,
    *,
    entity: str | None = None,
    path: Sequence[str] | None = None,
    filters: Filters | None = None,
    command: str | None = None,
    lang: str = "en",
    limit: int = 1,
    max_hops: int = 6,
) -> Dossier:
    """The dossier of `entity` (a name or IRI), or of the best `limit` evidence paths between
    the two entities of `path`, under `filters` (default: every tie, followed both ways).

    Raises `UnknownEntity` / `AmbiguousEntity` for a name that names no entity or several,
    `NotFound` when no path exists, and `BadInput` unless exactly one of `entity`, `path` is
    given.
    """
    if (entity is None) == (path is None):
        raise BadInput("give an entity or a path between two entities (one of them, not both)")
    filters = filters or Filters(directed=False)
    iri = resolve(store, entity, lang=lang) if entity is not None else None
    ends = _path_ends(store, path, lang) if iri is None else ()
    notes = _Notes()
    relations = _Relations(store, lang)
    projection = project(store, filters, lang=lang)
    if iri is not None:
        body = _entity_body(store, iri, filters, notes, relations)
    else:
        found = find_paths(store, projection, *ends, limit=limit, max_hops=max_hops)
        body = _path_body(found, notes, relations)
    scope = list(filters.graphs) or None
    summary = body.summary
    return Dossier(
        title=body.title,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        snapshot=snapshot_hash(store, scope),
        snapshot_scope=_scope_in_words(store, scope, lang),
        command=FROM_PYTHON if command is None else command,
        filters=tuple(
            _filters_in_words(
                filters,
                lambda iri: describe(store, iri, lang=lang).label,
                lang,
                direction=path is not None,
            )
        ),
        entity=summary,
        ties=body.ties,
        paths=body.paths,
        footnotes=tuple(notes.footnotes),
        entities=tuple(body.entities),
        lang=lang,
        type_labels=tuple(relations.label(t) for t in (summary.types if summary else ())),
    )


def _path_ends(store: Store, path: Sequence[str] | None, lang: str) -> tuple[str, ...]:
    """The two ends of a path, resolved."""
    if isinstance(path, str):
        raise BadInput("a path is given as its two ends, (A, B)")
    refs = tuple(path or ())
    if len(refs) != 2:
        raise BadInput(f"a path has two ends, got {len(refs)}")
    return tuple(resolve(store, ref, lang=lang) for ref in refs)


def _entity_body(
    store: Store, iri: str, filters: Filters, notes: _Notes, relations: _Relations
) -> _Body:
    lang = relations.lang
    summary = describe(store, iri, lang=lang)
    # a dossier is the entity's card: every claim, with places and markets, refuted ones and
    # recommendations included, each with its status
    every = dataclasses.replace(filters, every_claim=True, include=CONTEXT_KINDS)
    card_projection = project(store, every, lang=lang)
    ties, named = _entity_rows(store, card_projection.graph, iri, notes, relations)
    return _Body(
        title=tr("Evidence dossier: {name}", lang, name=summary.label),
        entities=named or [Node(iri, summary.label, summary.sphere)],
        summary=summary,
        ties=tuple(ties),
    )


def _path_body(found: Sequence[EvidencePath], notes: _Notes, relations: _Relations) -> _Body:
    sections: list[PathSection] = []
    seen: dict[str, Node] = {}
    for found_path in found:
        labels = {n.id: n for n in found_path.nodes}
        rows = tuple(
            _hop_row(number, h, claim, labels, notes, relations)
            for number, h in enumerate(found_path.hops, 1)
            for claim in _claims_of(h)
        )
        sections.append(PathSection(found_path.score, found_path.nodes, rows))
        for n in found_path.nodes:
            seen.setdefault(n.id, n)
    first = found[0].nodes
    title = tr(
        "Evidence dossier: {start} → {end}",
        relations.lang,
        start=first[0].label,
        end=first[-1].label,
    )
    return _Body(title=title, entities=list(seen.values()), paths=tuple(sections))


def _hop_row(
    number: int,
    h: Hop,
    claim: ScoredClaim,
    labels: dict[str, Node],
    notes: _Notes,
    relations: _Relations,
) -> Row:
    """One claim behind hop `number` of a path, oriented as the path walks it."""
    return Row(
        number=number,
        claim=claim,
        relation_label=relations.label(h.relation),
        from_=labels[h.from_],
        to=labels[h.to],
        forward=claim.from_ == h.from_,
        notes=notes.cite(claim.sources),
        counted=claim.id == h.tie,
    )


def write_dossier(
    store: Store,
    target: str,
    *,
    entity: str | None = None,
    path: Sequence[str] | None = None,
    filters: Filters | None = None,
    command: str | None = None,
    fmt: str | None = None,
    lang: str = "en",
    limit: int = 1,
    max_hops: int = 6,
) -> Dossier:
    """Write the dossier of `entity`, or of the best evidence path(s) of `path` = (A, B), to
    `target` (a file, or `-` for standard output), as HTML or Markdown (`fmt`, else from the
    extension). The file appears only once complete. Returns what was written.

    `command` is the command line shown in the header (None: "generated from Python").
    Raises `BadInput` for an unknown format or an output that cannot be written.
    """
    chosen = dossier_format(target, fmt)
    dossier = build_dossier(
        store,
        entity=entity,
        path=path,
        filters=filters,
        command=command,
        lang=lang,
        limit=limit,
        max_hops=max_hops,
    )
    data = (render_html(dossier) if chosen == "html" else render_markdown(dossier)).encode()
    try:
        with atomic_output(target) as handle:
            handle.write(data)
    except OSError as exc:
        raise BadInput(f"cannot write {target}: {exc.strerror or exc}") from exc
    return dossier


# --- Shared wording ---------------------------------------------------------------------------


def _scope_in_words(store: Store, graphs: Sequence[str] | None, lang: str) -> str:
    """What the snapshot hash covers, in `lang` (the network page states the same)."""
    if graphs:
        which = tr("the loaded graphs {graphs}", lang, graphs=", ".join(graphs))
    else:
        which = tr("all {count} loaded graphs", lang, count=len(store.graphs()))
    return tr(
        "SHA-256 of the sorted N-Quads lines of {which} (statements as loaded, without derived "
        "ones; blank nodes labelled by RDF Dataset Canonicalization, RDFC-1.0)",
        lang,
        which=which,
    )


def _filters_in_words(
    filters: Filters, label_of: Callable[[str], str], lang: str, *, direction: bool = False
) -> list[str]:
    """The filters as sentences a reader understands, in `lang`, every term by its label."""
    _ = Translator(lang)
    vocab = vocabulary()
    lines: list[str] = []
    if filters.graphs:
        lines.append(_("ties from the graphs: {graphs}", graphs=", ".join(filters.graphs)))
    if filters.min_status:
        status = vocab.status(filters.min_status).label(lang)
        lines.append(_("ties whose status is at least {status}", status=status))
    if filters.as_of:
        lines.append(_("ties valid on {date}", date=filters.as_of))
    if filters.between:
        first, last = filters.between
        span = f"{first if first > 0 else ''}..{last if last < 9999 else ''}"
        lines.append(_("ties valid during {span}", span=span))
    if filters.tie_types:
        # a type given as an IRI or prefixed name by its label; a name as it was written
        types = ", ".join(
            label_of(iri) if (iri := expand(t) or (t if "://" in t else None)) else t
            for t in filters.tie_types
        )
        lines.append(_("ties of type {types} (with their sub-types)", types=types))
    if filters.exclude:
        left = "; ".join(f"{label_of(i)} ({i})" for i in filters.exclude)
        lines.append(_("leaving out {entities}", entities=left))
    if filters.asserted_only:
        asserting = ", ".join(s.label(lang) for s in reversed(vocab.asserting_statuses))
        lines.append(
            _("only claims whose status asserts the relation ({statuses})", statuses=asserting)
        )
    if filters.include:
        kinds = [
            context_plural(kind, lang) for kind in INCLUDABLE.values() if kind in filters.include
        ]
        lines.append(_("context in the network besides actors: {kinds}", kinds=", ".join(kinds)))
    if direction:
        lines.append(
            _("ties followed only from their source to their target")
            if filters.directed
            else _("ties followed both ways")
        )
    return lines


def _text(value: str | None) -> str:
    """One line of text: control and invisible format characters (bidirectional overrides
    among them) dropped, every run of white space one space."""
    if value is None:
        return ""
    cleaned = "".join(c for c in value if c.isprintable() or c.isspace())
    return " ".join(cleaned.split())


def _dates(row: Row) -> str:
    claim = row.claim
    if not claim.start and not claim.end:
        return "—"
    return f"{claim.start or '…'} – {claim.end or '…'}"


def _confidence(row: Row) -> str:
    return "—" if row.claim.confidence is None else f"{row.claim.confidence:g}"


def _status_label(key: str | None, lang: str) -> str:
    """A status key by the ontology's label in `lang`."""
    if not key:
        return tr("no status", lang)
    try:
        return vocabulary().status(key).label(lang)
    except BadInput:
        return key


def _status(row: Row, lang: str) -> str:
    """The status with what limits the claim: its qualifiers, its modality, its period."""
    claim = row.claim
    words = [_status_label(claim.status, lang)]
    vocab = vocabulary()
    words += [q.label(lang) for q in vocab.qualifiers if q.key in claim.qualifiers]
    if claim.modality != "stated":
        words.append(next((m.label(lang) for m in vocab.modalities if m.key == claim.modality), ""))
    if claim.period:
        words.append(f"“{claim.period}”")  # the source's words, quoted
    return "; ".join(w for w in words if w)


def _number(row: Row, lang: str) -> str:
    return str(row.number) if row.counted else tr("{number} (also)", lang, number=row.number)


def _sphere_label(key: str, lang: str) -> str:
    return next((s.label(lang) for s in vocabulary().spheres if s.key == key), key)


def _sphere(n: Node, lang: str) -> str:
    return f" ({_sphere_label(n.sphere, lang)})" if n.sphere else ""


def _weights(lang: str) -> str:
    ranked = sorted(vocabulary().weights.items(), key=lambda item: -item[1])
    return ", ".join(f"{_status_label(status, lang)} {weight:g}" for status, weight in ranked)


def _claims_of(h: Hop) -> list[ScoredClaim]:
    """The claims behind a hop, the one its score rests on first."""
    claims = list(h.claims)
    claims.sort(key=lambda c: c.id != h.tie)
    return claims


def _score_sentence(section: PathSection, lang: str) -> str:
    terms = []
    for row in section.rows:
        if not row.counted:
            continue
        weight = vocabulary().weights.get(row.claim.status or "", 0.0)
        confidence = row.claim.confidence
        terms.append(f"{weight:g}" if confidence is None else f"({weight:g} × {confidence:g})")
    return tr(
        "Score {score}: the product over the hops of status weight × confidence "
        "(status weights: {weights}; confidence 1 where none is stated): {terms} = {score}.",
        lang,
        score=f"{section.score:g}",
        weights=_weights(lang),
        terms=" × ".join(terms),
    )


def _notes_text(row: Row, lang: str) -> str:
    return ", ".join(str(n) for n in row.notes) if row.notes else tr("no source", lang)


def _direction_note(label: str, lang: str) -> str:
    return tr(
        "→: the tie runs from {label} to the other end; ←: from the other end to {label}.",
        lang,
        label=label,
    )


def _no_ties(lang: str) -> str:
    return tr("No tie of this entity passes these filters.", lang)


def _tie_headers(lang: str) -> tuple[str, ...]:
    _ = Translator(lang)
    return (
        "#",
        _("relation"),
        _("direction"),
        _("other end"),
        _("status"),
        _("confidence"),
        _("dates"),
        _("sources"),
    )


def _hop_headers(lang: str) -> tuple[str, ...]:
    _ = Translator(lang)
    return (
        _("hop"),
        _("from"),
        _("relation"),
        _("direction"),
        _("to"),
        _("status"),
        _("confidence"),
        _("dates"),
        _("sources"),
    )


def _hop_note(lang: str) -> str:
    return tr(
        "→: the tie runs from the “from” end to the “to” end; ←: the path walks the tie against "
        "its direction (the tie runs from the “to” end to the “from” end).",
        lang,
    )


def _path_heading(dossier: Dossier, number: int) -> str:
    if len(dossier.paths) == 1:
        return tr("Evidence path", dossier.lang)
    return tr("Path {number}", dossier.lang, number=number)


def _meta(dossier: Dossier) -> list[tuple[str, str, str]]:
    """The header's fields: (label in the dossier's language, value, how it is shown: `text`,
    `snapshot` (a hash, followed by what it covers) or `code`)."""
    _ = Translator(dossier.lang)
    filters = "; ".join(dossier.filters) if dossier.filters else _("none")
    return [
        (_("Generated"), dossier.generated, "text"),
        (_("Data snapshot"), dossier.snapshot, "snapshot"),
        (_("Command"), dossier.command, "code"),
        (_("Filters"), filters, "text"),
    ]


def _footer(lang: str) -> str:
    statuses = ", ".join(s.label(lang) for s in reversed(vocabulary().statuses))
    return tr(
        "Every tie is a claim with a status ({statuses}) and its sources; the numbers in the "
        "tables point to the sources above. Written by hilos.",
        lang,
        statuses=statuses,
    )


# --- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&])")


def md_escape(value: str | None) -> str:
    r"""Text safe anywhere in a GitHub-flavoured Markdown line or table cell: on one line, with
    a backslash before every character that could start markup or end a cell.

    >>> md_escape("a | b\n<img src=x> *c*")
    'a \\| b \\<img src=x\\> \\*c\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", _text(value))


def md_code(value: str) -> str:
    """An IRI or command as a Markdown code span (never turned into a link).

    >>> md_code("a`b")
    '`` a`b ``'
    """
    text = _text(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if longest or text.startswith(" ") else text
    return f"{fence}{padded}{fence}"


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines.extend("| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows)
    return lines


def render_markdown(dossier: Dossier) -> str:
    """The dossier as GitHub-flavoured Markdown."""
    out = [f"# {md_escape(dossier.title)}", "", *_md_meta(dossier), ""]
    out += _md_entity(dossier)
    for number, section in enumerate(dossier.paths, 1):
        out += _md_path(dossier, number, section)
    out += _md_sources(dossier)
    out += ["", f"## {md_escape(tr('Entities', dossier.lang))}", ""]
    for n in dossier.entities:
        out.append(f"- {md_escape(n.label + _sphere(n, dossier.lang))}: {md_code(n.id)}")
    out.append("")
    return "\n".join(out)


def _md_meta(dossier: Dossier) -> list[str]:
    out = []
    for label, value, kind in _meta(dossier):
        shown = md_escape(value) if kind == "text" else md_code(value)
        if kind == "snapshot":
            shown += f" — {md_escape(dossier.snapshot_scope)}"
        out.append(f"- **{md_escape(label)}:** {shown}")
    return out


def _md_entity(dossier: Dossier) -> list[str]:
    """The entity's card and its ties (nothing for a path dossier)."""
    if dossier.entity is None:
        return []
    lang = dossier.lang
    out = _md_card(dossier.entity, dossier)
    out += [f"## {md_escape(tr('Ties', lang))}", ""]
    if not dossier.ties:
        return [*out, md_escape(_no_ties(lang)), ""]
    out += [md_escape(_direction_note(dossier.entity.label, lang)), ""]
    out += _md_table(_tie_headers(lang), [_md_tie_cells(row, lang) for row in dossier.ties])
    return [*out, ""]


def _md_tie_cells(row: Row, lang: str) -> list[str]:
    other = row.to if row.forward else row.from_
    return [
        str(row.number),
        row.relation_label,
        "→" if row.forward else "←",
        other.label + _sphere(other, lang),
        _status(row, lang),
        _confidence(row),
        _dates(row),
        _notes_text(row, lang),
    ]


def _md_path(dossier: Dossier, number: int, section: PathSection) -> list[str]:
    lang = dossier.lang
    names = " → ".join(n.label for n in section.nodes)
    out = [f"## {md_escape(_path_heading(dossier, number))}", "", md_escape(names), ""]
    out += [md_escape(_score_sentence(section, lang)), "", md_escape(_hop_note(lang)), ""]
    out += _md_table(_hop_headers(lang), [_md_hop_cells(row, lang) for row in section.rows])
    return [*out, ""]


def _md_hop_cells(row: Row, lang: str) -> list[str]:
    return [
        _number(row, lang),
        row.from_.label,
        row.relation_label,
        "→" if row.forward else "←",
        row.to.label,
        _status(row, lang),
        _confidence(row),
        _dates(row),
        _notes_text(row, lang),
    ]


def _md_sources(dossier: Dossier) -> list[str]:
    out = [f"## {md_escape(tr('Sources', dossier.lang))}", ""]
    if not dossier.footnotes:
        out += [md_escape(tr("None.", dossier.lang)), ""]
    for note in dossier.footnotes:
        parts = [md_escape(note.citation)]
        if note.quote:
            parts.append(f"“{md_escape(note.quote)}”")
        if note.locator:
            parts.append(md_escape(note.locator))
        parts.append(md_code(note.source))
        out.append(f"{note.number}. " + " — ".join(parts))
    return out


def _md_card(summary: Summary, dossier: Dossier) -> list[str]:
    out = [f"## {md_escape(tr('Entity', dossier.lang))}", ""]
    for name, value, is_iri in _card_fields(summary, dossier):
        shown = md_code(value) if is_iri else md_escape(value)
        out.append(f"- **{md_escape(name)}:** {shown}")
    out.append("")
    return out


def _card_fields(summary: Summary, dossier: Dossier) -> list[tuple[str, str, bool]]:
    """The entity's card: (label, value, whether the value is an IRI) in the dossier's language;
    names, aliases and notes as the data gives them."""
    _ = Translator(dossier.lang)
    fields = [(_("Name"), summary.label, False)]
    languages: dict[str, list[str]] = {}
    for lang, value in summary.labels:
        languages.setdefault(value, []).extend([lang] if lang else [])
    if languages:
        shown = [f"{v} ({', '.join(langs)})" if langs else v for v, langs in languages.items()]
        fields.append((_("Labels"), "; ".join(shown), False))
    if summary.aliases:
        aliases = sorted({value for _lang, value in summary.aliases})
        fields.append((_("Aliases"), "; ".join(aliases), False))
    types = dossier.type_labels or summary.types
    fields.append((_("Types"), ", ".join(types) or "—", False))
    spheres = [_sphere_label(s, dossier.lang) for s in summary.spheres]
    fields.append((_("Sphere"), ", ".join(spheres) or _("none stated"), False))
    fields.append(("IRI", summary.id, True))
    for comment in summary.comments:
        fields.append((_("Note"), comment, False))
    return fields


# --- HTML -------------------------------------------------------------------------------------
# The markup is in dossier.html; here are only the values that fill it in. Text is escaped when
# it fills a marker; only blocks already filled (`_Html`) go in as they are.


class _Html(str):
    """Markup made by filling in a block of the template: safe to put in as it is."""

    __slots__ = ()


_Value = str | int | _Html


def _e(value: str | None) -> str:
    return html.escape(_text(value), quote=True)


_BLOCK = re.compile(r"^<!--@ (\w+) -->\n", re.MULTILINE)
_MARKER = re.compile(r"^@@(?P<line>[A-Z_]+)@@\n|@@(?P<inline>[A-Z_]+)@@", re.MULTILINE)


@cache
def _blocks() -> dict[str, str]:
    """The template's blocks by name (the comment before the first one is its documentation)."""
    text = (Path(__file__).parent / "dossier.html").read_text(encoding="utf-8")
    pieces = _BLOCK.split(text)[1:]
    return {
        name: body.removesuffix("\n") for name, body in zip(pieces[::2], pieces[1::2], strict=True)
    }


def _fill(block: str, **values: _Value) -> _Html:
    """The template's `block` with every @@NAME@@ replaced by `values[NAME]` (escaped unless it
    is markup already). A line holding only a marker that is filled with nothing goes away.

    >>> _fill("header", TEXT="<b>")
    '<th>&lt;b&gt;</th>'
    """

    def shown(match: re.Match[str]) -> str:
        name = match["line"] or match["inline"]
        value = values[name]
        text = value if isinstance(value, _Html) else _e(str(value))
        if match["line"]:
            return text + "\n" if text else ""
        return text

    return _Html(_MARKER.sub(shown, _blocks()[block]))


def _lines(fragments: Iterable[_Html]) -> _Html:
    return _Html("\n".join(fragments))


def _joined(texts: Iterable[str], separator: str) -> _Html:
    """Texts escaped one by one and joined by `separator` (plain text, no markup)."""
    return _Html(html.escape(separator).join(_e(text) for text in texts))


def _html_notes(row: Row, lang: str) -> _Html:
    if not row.notes:
        return _Html(_e(tr("no source", lang)))
    return _Html(", ".join(_fill("note_link", NUMBER=n) for n in row.notes))


def _html_status(row: Row, lang: str) -> _Html:
    label = _status(row, lang)
    if row.claim.status:
        return _fill("status", KEY=row.claim.status, LABEL=label)
    return _fill("no_status", LABEL=label)


def _html_table(headers: Sequence[str], rows: Iterable[_Html]) -> _Html:
    heads = _Html("".join(_fill("header", TEXT=h) for h in headers))
    return _fill("table", HEADERS=heads, ROWS=_lines(rows))


def _html_tie_row(row: Row, lang: str) -> _Html:
    other = row.to if row.forward else row.from_
    return _fill(
        "tie_row",
        NUMBER=row.number,
        RELATION=row.relation_label,
        ARROW="→" if row.forward else "←",
        OTHER_END=other.label + _sphere(other, lang),
        STATUS=_html_status(row, lang),
        CONFIDENCE=_confidence(row),
        DATES=_dates(row),
        NOTES=_html_notes(row, lang),
    )


def _html_hop_row(row: Row, lang: str) -> _Html:
    return _fill(
        "hop_row",
        NUMBER=_number(row, lang),
        FROM=row.from_.label,
        RELATION=row.relation_label,
        ARROW="→" if row.forward else "←",
        TO=row.to.label,
        STATUS=_html_status(row, lang),
        CONFIDENCE=_confidence(row),
        DATES=_dates(row),
        NOTES=_html_notes(row, lang),
    )


def _html_entity(dossier: Dossier) -> _Html:
    """The entity's card and its ties (nothing for a path dossier)."""
    summary = dossier.entity
    if summary is None:
        return _Html("")
    lang = dossier.lang
    fields = _lines(
        _fill("iri_field" if is_iri else "field", NAME=name, VALUE=value)
        for name, value, is_iri in _card_fields(summary, dossier)
    )
    if dossier.ties:
        table = _html_table(_tie_headers(lang), (_html_tie_row(r, lang) for r in dossier.ties))
        ties = _fill("ties", DIRECTION_NOTE=_direction_note(summary.label, lang), TABLE=table)
    else:
        ties = _fill("paragraph", TEXT=_no_ties(lang))
    return _fill(
        "entity",
        HEADING=tr("Entity", lang),
        FIELDS=fields,
        TIES_HEADING=tr("Ties", lang),
        TIES=ties,
    )


def _html_path(dossier: Dossier, number: int, section: PathSection) -> _Html:
    lang = dossier.lang
    return _fill(
        "path",
        HEADING=_path_heading(dossier, number),
        CHAIN=_joined((n.label for n in section.nodes), " → "),
        SCORE=_score_sentence(section, lang),
        HOP_NOTE=_hop_note(lang),
        TABLE=_html_table(_hop_headers(lang), (_html_hop_row(r, lang) for r in section.rows)),
    )


def _html_note(note: Footnote) -> _Html:
    return _fill(
        "note",
        NUMBER=note.number,
        CITATION=note.citation,
        LOCATOR=_fill("locator", LOCATOR=note.locator) if note.locator else _Html(""),
        SOURCE=note.source,
        QUOTE=_fill("quote", QUOTE=note.quote) if note.quote else _Html(""),
    )


def _html_sources(dossier: Dossier) -> _Html:
    if not dossier.footnotes:
        return _fill("paragraph", TEXT=tr("None.", dossier.lang))
    return _fill("notes", NOTES=_lines(_html_note(note) for note in dossier.footnotes))


def render_html(dossier: Dossier) -> str:
    """The dossier as one self-contained, printable HTML page, from the template dossier.html."""
    lang = dossier.lang
    generated, snapshot, command, filters = _meta(dossier)
    page = _fill(
        "page",
        LANG=lang,
        TITLE=dossier.title,
        GENERATED_LABEL=generated[0],
        GENERATED=generated[1],
        SNAPSHOT_LABEL=snapshot[0],
        SNAPSHOT=snapshot[1],
        SNAPSHOT_SCOPE=dossier.snapshot_scope,
        COMMAND_LABEL=command[0],
        COMMAND=command[1],
        FILTERS_LABEL=filters[0],
        FILTERS=filters[1],
        ENTITY=_html_entity(dossier),
        PATHS=_lines(
            _html_path(dossier, number, section) for number, section in enumerate(dossier.paths, 1)
        ),
        SOURCES_HEADING=tr("Sources", lang),
        SOURCES=_html_sources(dossier),
        ENTITIES_HEADING=tr("Entities", lang),
        ENTITIES=_lines(
            _fill("entity_item", NAME=n.label + _sphere(n, lang), IRI=n.id)
            for n in dossier.entities
        ),
        FOOTER=_footer(lang),
    )
    return page + "\n"
