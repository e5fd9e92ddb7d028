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
from pathlib import PurePath

import networkx as nx

from ..entities import Summary, describe, resolve
from ..errors import BadInput
from ..i18n import Translator, tr
from ..namespaces import expand
from ..network.evidence import Claim, Hop, Node, Source, claim_details, node, sources_of
from ..network.paths import find_paths
from ..network.projection import INCLUDABLE, Filters, project
from ..output import atomic_output
from ..store import Store
from ..vocab import CONTEXT_KINDS, vocabulary
from . import snapshot_hash

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
    """One tie in a hop table, oriented as the table reads it (`from_` → `to`)."""

    number: int
    tie: str
    relation: str
    relation_label: str
    from_: Node
    to: Node
    forward: bool
    status: str | None
    confidence: float | None
    start: str | None
    end: str | None
    score: float
    notes: tuple[int, ...]
    qualifiers: tuple[str, ...] = ()
    period: str | None = None
    modality: str | None = None
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
            raise BadInput(f"unknown dossier format '{fmt}' (one of: md, html)")
        return fmt
    if target == "-":
        raise BadInput("writing to standard output needs --format md or --format html")
    suffix = PurePath(target).suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(
            f"cannot tell the format of '{target}' from its extension "
            f"(use .html or .md, or give --format md|html)"
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
        self._lang = lang
        self._labels: dict[str, str] = {}

    def label(self, relation: str) -> str:
        if relation not in self._labels:
            iri = expand(relation) or relation
            self._labels[relation] = describe(self._store, iri, lang=self._lang).label
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
    details = {tie: claim_details(store, tie) for tie in edges}
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

    rows: list[Row] = []
    for number, (tie, (u, v, data)) in enumerate(sorted(edges.items(), key=order), 1):
        relation = str(data["relation"])
        confidence = data["confidence"]
        rows.append(
            Row(
                number=number,
                tie=tie,
                relation=relation,
                relation_label=relations.label(relation),
                from_=nodes[u],
                to=nodes[v],
                forward=u == iri,
                status=data["status"] if isinstance(data["status"], str) else None,
                confidence=float(confidence) if isinstance(confidence, int | float) else None,
                start=data["start"] if isinstance(data["start"], str) else None,
                end=data["end"] if isinstance(data["end"], str) else None,
                score=float(data["score"]) if isinstance(data["score"], int | float) else 0.0,
                notes=notes.cite(sources_of(store, tie)),
                qualifiers=details[tie][0],
                period=details[tie][1],
                modality=str(data.get("modality") or "stated"),
            )
        )
    others = sorted(
        (n for n in nodes.values() if n.id != iri), key=lambda n: (n.label.casefold(), n.id)
    )
    return rows, [nodes[iri], *others]


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
    ends: tuple[str, ...] = ()
    if entity is not None:
        iri = resolve(store, entity, lang=lang)
    else:
        if isinstance(path, str):
            raise BadInput("a path is given as its two ends, (A, B)")
        refs = tuple(path or ())
        if len(refs) != 2:
            raise BadInput(f"a path has two ends, got {len(refs)}")
        ends = tuple(resolve(store, ref, lang=lang) for ref in refs)
    notes = _Notes()
    relations = _Relations(store, lang)
    projection = project(store, filters, lang=lang)
    summary: Summary | None = None
    ties: list[Row] = []
    sections: list[PathSection] = []
    named: list[Node] = []

    if entity is not None:
        summary = describe(store, iri, lang=lang)
        # a dossier is the entity's card: every claim, with places and markets, refuted ones and
        # recommendations included, each with its status
        every = dataclasses.replace(filters, every_claim=True, include=CONTEXT_KINDS)
        card_projection = project(store, every, lang=lang)
        ties, named = _entity_rows(store, card_projection.graph, iri, notes, relations)
        if not named:
            named = [Node(iri, summary.label, summary.sphere)]
        title = tr("Evidence dossier: {name}", lang, name=summary.label)
    else:
        found = find_paths(store, projection, *ends, limit=limit, max_hops=max_hops)
        seen: dict[str, Node] = {}
        for found_path in found:
            labels = {n.id: n for n in found_path.nodes}
            rows = tuple(
                Row(
                    number=number,
                    tie=claim.id,
                    relation=h.relation,
                    relation_label=relations.label(h.relation),
                    from_=labels[h.from_],
                    to=labels[h.to],
                    forward=claim.from_ == h.from_,
                    status=claim.status,
                    confidence=claim.confidence,
                    start=claim.start,
                    end=claim.end,
                    score=claim.score,
                    notes=notes.cite(claim.sources),
                    qualifiers=claim.qualifiers,
                    period=claim.period,
                    counted=claim.id == h.tie,
                )
                for number, h in enumerate(found_path.hops, 1)
                for claim in _claims_of(h)
            )
            sections.append(PathSection(found_path.score, found_path.nodes, rows))
            for n in found_path.nodes:
                seen.setdefault(n.id, n)
        named = list(seen.values())
        first = found[0].nodes
        title = tr(
            "Evidence dossier: {start} → {end}", lang, start=first[0].label, end=first[-1].label
        )

    scope = list(filters.graphs) or None
    type_labels = tuple(relations.label(t) for t in (summary.types if summary is not None else ()))
    return Dossier(
        title=title,
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
        ties=tuple(ties),
        paths=tuple(sections),
        footnotes=tuple(notes.footnotes),
        entities=tuple(named),
        lang=lang,
        type_labels=type_labels,
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
            _included(name, lang) for name, kind in INCLUDABLE.items() if kind in filters.include
        ]
        lines.append(_("context in the network besides actors: {kinds}", kinds=", ".join(kinds)))
    if direction:
        lines.append(
            _("ties followed only from their source to their target")
            if filters.directed
            else _("ties followed both ways")
        )
    return lines


def _included(name: str, lang: str) -> str:
    """A name `--include` takes, in `lang`."""
    words = {
        "places": tr("places", lang),
        "markets": tr("markets", lang),
        "policies": tr("policies", lang),
        "events": tr("events", lang),
        "phenomena": tr("phenomena", lang),
    }
    return words.get(name, name)


def _text(value: str | None) -> str:
    """One line of text: control and invisible format characters (bidirectional overrides
    among them) dropped, every run of white space one space."""
    if value is None:
        return ""
    cleaned = "".join(c for c in value if c.isprintable() or c.isspace())
    return " ".join(cleaned.split())


def _dates(row: Row) -> str:
    if not row.start and not row.end:
        return "—"
    return f"{row.start or '…'} – {row.end or '…'}"


def _confidence(row: Row) -> str:
    return "—" if row.confidence is None else f"{row.confidence:g}"


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
    words = [_status_label(row.status, lang)]
    vocab = vocabulary()
    words += [q.label(lang) for q in vocab.qualifiers if q.key in row.qualifiers]
    if row.modality and row.modality != "stated":
        words.append(next((m.label(lang) for m in vocab.modalities if m.key == row.modality), ""))
    if row.period:
        words.append(f"“{row.period}”")  # the source's words, quoted
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


def _claims_of(h: Hop) -> list[Claim]:
    """The claims behind a hop, the one its score rests on first."""
    claims = list(h.claims)
    claims.sort(key=lambda c: c.id != h.tie)
    return claims


def _score_sentence(section: PathSection, lang: str) -> str:
    terms = []
    for row in section.rows:
        if not row.counted:
            continue
        weight = vocabulary().weights.get(row.status or "", 0.0)
        terms.append(
            f"{weight:g}" if row.confidence is None else f"({weight:g} × {row.confidence:g})"
        )
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
    lang = dossier.lang
    _ = Translator(lang)
    out = [f"# {md_escape(dossier.title)}", ""]
    for label, value, kind in _meta(dossier):
        shown = md_escape(value) if kind == "text" else md_code(value)
        if kind == "snapshot":
            shown += f" — {md_escape(dossier.snapshot_scope)}"
        out.append(f"- **{md_escape(label)}:** {shown}")
    out.append("")
    if dossier.entity is not None:
        out += _md_card(dossier.entity, dossier)
        out += [f"## {md_escape(_('Ties'))}", ""]
        if dossier.ties:
            out += [md_escape(_direction_note(dossier.entity.label, lang)), ""]
            out += _md_table(
                _tie_headers(lang),
                [
                    [
                        str(row.number),
                        row.relation_label,
                        "→" if row.forward else "←",
                        (row.to if row.forward else row.from_).label
                        + _sphere(row.to if row.forward else row.from_, lang),
                        _status(row, lang),
                        _confidence(row),
                        _dates(row),
                        _notes_text(row, lang),
                    ]
                    for row in dossier.ties
                ],
            )
        else:
            out.append(md_escape(_no_ties(lang)))
        out.append("")
    for number, section in enumerate(dossier.paths, 1):
        names = " → ".join(n.label for n in section.nodes)
        out += [f"## {md_escape(_path_heading(dossier, number))}", "", md_escape(names), ""]
        out += [md_escape(_score_sentence(section, lang)), "", md_escape(_hop_note(lang)), ""]
        out += _md_table(
            _hop_headers(lang),
            [
                [
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
                for row in section.rows
            ],
        )
        out.append("")
    out += [f"## {md_escape(_('Sources'))}", ""]
    if not dossier.footnotes:
        out += [md_escape(_("None.")), ""]
    for note in dossier.footnotes:
        parts = [md_escape(note.citation)]
        if note.quote:
            parts.append(f"“{md_escape(note.quote)}”")
        if note.locator:
            parts.append(md_escape(note.locator))
        parts.append(md_code(note.source))
        out.append(f"{note.number}. " + " — ".join(parts))
    out += ["", f"## {md_escape(_('Entities'))}", ""]
    for n in dossier.entities:
        out.append(f"- {md_escape(n.label + _sphere(n, lang))}: {md_code(n.id)}")
    out.append("")
    return "\n".join(out)


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


def _e(value: str | None) -> str:
    return html.escape(_text(value), quote=True)


_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 Georgia, "Times New Roman", serif; color: #111; background: #fff;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999; }
dl.meta, dl.card { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl dt { font-weight: bold; }
dl dd { margin: 0; }
code, .iri { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em;
  overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .9rem; }
th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
.status-refuted, .status-disputed { font-style: italic; }
.chain { font-weight: bold; }
.score { margin: .5rem 0; }
ol.notes li { margin-bottom: .6rem; }
ol.notes blockquote { margin: .2rem 0 .2rem 1.5rem; font-style: italic; }
a { color: inherit; }
footer { margin-top: 2rem; font-size: .85rem; color: #444; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  @page { margin: 1.5cm; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { text-decoration: none; }
}
"""


def _html_notes(row: Row, lang: str) -> str:
    if not row.notes:
        return _e(tr("no source", lang))
    return ", ".join(f'<a href="#note-{n}">{n}</a>' for n in row.notes)


def _html_row(cells: Sequence[tuple[str, str]]) -> str:
    """A table row from (class, already-escaped HTML) pairs."""
    return (
        "<tr>"
        + "".join(
            f'<td class="{cls}">{content}</td>' if cls else f"<td>{content}</td>"
            for cls, content in cells
        )
        + "</tr>"
    )


def _html_table(headers: Sequence[str], rows: Sequence[str]) -> list[str]:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    return ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"]


def _html_status(row: Row, lang: str) -> tuple[str, str]:
    return (f"status-{row.status}" if row.status else "", _e(_status(row, lang)))


def _html_meta(dossier: Dossier) -> list[str]:
    generated, snapshot, command, filters = _meta(dossier)
    return [
        f"<dt>{_e(generated[0])}</dt><dd>{_e(generated[1])}</dd>",
        f'<dt>{_e(snapshot[0])}</dt><dd><code class="snapshot">{_e(snapshot[1])}</code>'
        f" — {_e(dossier.snapshot_scope)}</dd>",
        f'<dt>{_e(command[0])}</dt><dd><code class="command">{_e(command[1])}</code></dd>',
        f"<dt>{_e(filters[0])}</dt><dd>{_e(filters[1])}</dd>",
    ]


def render_html(dossier: Dossier) -> str:
    """The dossier as one self-contained, printable HTML page."""
    lang = dossier.lang
    _ = Translator(lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="hilos">',
        f"<title>{_e(dossier.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(dossier.title)}</h1>",
        '<dl class="meta">',
        *_html_meta(dossier),
        "</dl>",
        "</header>",
        "<main>",
    ]
    if dossier.entity is not None:
        out += ['<section class="entity">', f"<h2>{_e(_('Entity'))}</h2>", '<dl class="card">']
        for name, value, is_iri in _card_fields(dossier.entity, dossier):
            shown_value = f'<span class="iri">{_e(value)}</span>' if is_iri else _e(value)
            out.append(f"<dt>{_e(name)}</dt><dd>{shown_value}</dd>")
        out += ["</dl>", "</section>", '<section class="ties">', f"<h2>{_e(_('Ties'))}</h2>"]
        if dossier.ties:
            out.append(f"<p>{_e(_direction_note(dossier.entity.label, lang))}</p>")
            rows = []
            for row in dossier.ties:
                other = row.to if row.forward else row.from_
                rows.append(
                    _html_row(
                        [
                            ("num", str(row.number)),
                            ("", _e(row.relation_label)),
                            ("", "→" if row.forward else "←"),
                            ("", _e(other.label + _sphere(other, lang))),
                            _html_status(row, lang),
                            ("num", _e(_confidence(row))),
                            ("", _e(_dates(row))),
                            ("notes", _html_notes(row, lang)),
                        ]
                    )
                )
            out += _html_table(_tie_headers(lang), rows)
        else:
            out.append(f"<p>{_e(_no_ties(lang))}</p>")
        out.append("</section>")
    for number, section in enumerate(dossier.paths, 1):
        out += [
            '<section class="path">',
            f"<h2>{_e(_path_heading(dossier, number))}</h2>",
            f'<p class="chain">{" → ".join(_e(n.label) for n in section.nodes)}</p>',
            f'<p class="score">{_e(_score_sentence(section, lang))}</p>',
            f"<p>{_e(_hop_note(lang))}</p>",
        ]
        rows = [
            _html_row(
                [
                    ("num", _e(_number(row, lang))),
                    ("", _e(row.from_.label)),
                    ("", _e(row.relation_label)),
                    ("", "→" if row.forward else "←"),
                    ("", _e(row.to.label)),
                    _html_status(row, lang),
                    ("num", _e(_confidence(row))),
                    ("", _e(_dates(row))),
                    ("notes", _html_notes(row, lang)),
                ]
            )
            for row in section.rows
        ]
        out += _html_table(_hop_headers(lang), rows)
        out.append("</section>")
    out += ['<section class="sources">', f"<h2>{_e(_('Sources'))}</h2>"]
    if dossier.footnotes:
        out.append('<ol class="notes">')
        for note in dossier.footnotes:
            parts = [f'<span class="citation">{_e(note.citation)}</span>']
            if note.locator:
                parts.append(f' — <span class="locator">{_e(note.locator)}</span>')
            parts.append(f' — <span class="iri">{_e(note.source)}</span>')
            if note.quote:
                parts.append(f"<blockquote>“{_e(note.quote)}”</blockquote>")
            out.append(f'<li id="note-{note.number}" value="{note.number}">{"".join(parts)}</li>')
        out.append("</ol>")
    else:
        out.append(f"<p>{_e(_('None.'))}</p>")
    out += [
        "</section>",
        '<section class="entities">',
        f"<h2>{_e(_('Entities'))}</h2>",
        "<ul>",
    ]
    for n in dossier.entities:
        out.append(
            f'<li>{_e(n.label + _sphere(n, lang))}: <span class="iri">{_e(n.id)}</span></li>'
        )
    out += [
        "</ul>",
        "</section>",
        "</main>",
        f"<footer><p>{_e(_footer(lang))}</p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)
