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
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath

import networkx as nx

from ..entities import Summary, describe, resolve
from ..errors import BadInput
from ..namespaces import expand
from ..network.evidence import Claim, Hop, Node, Source, claim_details, node, sources_of
from ..network.paths import find_paths
from ..network.projection import (
    Filters,
    filters_in_words,
    project,
)
from ..output import atomic_output
from ..store import Store
from ..vocab import CONTEXT_KINDS, vocabulary
from . import snapshot_hash, snapshot_scope

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
        title = f"Evidence dossier: {summary.label}"
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
        title = f"Evidence dossier: {first[0].label} → {first[-1].label}"

    scope = list(filters.graphs) or None
    return Dossier(
        title=title,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        snapshot=snapshot_hash(store, scope),
        snapshot_scope=snapshot_scope(store, scope),
        command=FROM_PYTHON if command is None else command,
        filters=tuple(
            filters_in_words(
                filters,
                lambda iri: describe(store, iri, lang=lang).label,
                direction=path is not None,
            )
        ),
        entity=summary,
        ties=tuple(ties),
        paths=tuple(sections),
        footnotes=tuple(notes.footnotes),
        entities=tuple(named),
        lang=lang,
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


def _status(row: Row) -> str:
    """The status with what limits the claim: its qualifiers, its modality, its period."""
    words = [row.status or "no status"]
    vocab = vocabulary()
    words += [q.label() for q in vocab.qualifiers if q.key in row.qualifiers]
    if row.modality and row.modality != "stated":
        words.append(next((m.label() for m in vocab.modalities if m.key == row.modality), ""))
    if row.period:
        words.append(row.period)
    return "; ".join(w for w in words if w)


def _number(row: Row) -> str:
    return str(row.number) if row.counted else f"{row.number} (also)"


def _sphere(n: Node) -> str:
    return f" ({n.sphere})" if n.sphere else ""


def _weights() -> str:
    ranked = sorted(vocabulary().weights.items(), key=lambda item: -item[1])
    return ", ".join(f"{status} {weight:g}" for status, weight in ranked)


def _claims_of(h: Hop) -> list[Claim]:
    """The claims behind a hop, the one its score rests on first."""
    claims = list(h.claims)
    claims.sort(key=lambda c: c.id != h.tie)
    return claims


def _score_sentence(section: PathSection) -> str:
    terms = []
    for row in section.rows:
        if not row.counted:
            continue
        weight = vocabulary().weights.get(row.status or "", 0.0)
        terms.append(
            f"{weight:g}" if row.confidence is None else f"({weight:g} × {row.confidence:g})"
        )
    return (
        f"Score {section.score:g}: the product over the hops of status weight × confidence "
        f"(status weights: {_weights()}; confidence 1 where none is stated): "
        f"{' × '.join(terms)} = {section.score:g}."
    )


def _notes_text(row: Row) -> str:
    return ", ".join(str(n) for n in row.notes) if row.notes else "no source"


_DIRECTION_NOTE = "→: the tie runs from {label} to the other end; ←: from the other end to {label}."
_NO_TIES = "No tie of this entity passes these filters."
_TIE_HEADERS = (
    "#",
    "relation",
    "direction",
    "other end",
    "status",
    "confidence",
    "dates",
    "sources",
)
_HOP_HEADERS = (
    "hop",
    "from",
    "relation",
    "direction",
    "to",
    "status",
    "confidence",
    "dates",
    "sources",
)
_HOP_NOTE = (
    "→: the tie runs from the “from” end to the “to” end; ←: the path walks the tie against "
    "its direction (the tie runs from the “to” end to the “from” end)."
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
    out = [f"# {md_escape(dossier.title)}", ""]
    out += [
        f"- **Generated:** {md_escape(dossier.generated)}",
        f"- **Data snapshot:** {md_code(dossier.snapshot)} — {md_escape(dossier.snapshot_scope)}",
        f"- **Command:** {md_code(dossier.command)}",
        "- **Filters:** " + (md_escape("; ".join(dossier.filters)) if dossier.filters else "none"),
        "",
    ]
    if dossier.entity is not None:
        out += _md_card(dossier.entity)
        out += ["## Ties", ""]
        if dossier.ties:
            out += [md_escape(_DIRECTION_NOTE.format(label=dossier.entity.label)), ""]
            out += _md_table(
                _TIE_HEADERS,
                [
                    [
                        str(row.number),
                        row.relation_label,
                        "→" if row.forward else "←",
                        (row.to if row.forward else row.from_).label
                        + _sphere(row.to if row.forward else row.from_),
                        _status(row),
                        _confidence(row),
                        _dates(row),
                        _notes_text(row),
                    ]
                    for row in dossier.ties
                ],
            )
        else:
            out.append(md_escape(_NO_TIES))
        out.append("")
    for number, section in enumerate(dossier.paths, 1):
        names = " → ".join(n.label for n in section.nodes)
        heading = "Evidence path" if len(dossier.paths) == 1 else f"Path {number}"
        out += [f"## {md_escape(heading)}", "", md_escape(names), ""]
        out += [md_escape(_score_sentence(section)), "", md_escape(_HOP_NOTE), ""]
        out += _md_table(
            _HOP_HEADERS,
            [
                [
                    _number(row),
                    row.from_.label,
                    row.relation_label,
                    "→" if row.forward else "←",
                    row.to.label,
                    _status(row),
                    _confidence(row),
                    _dates(row),
                    _notes_text(row),
                ]
                for row in section.rows
            ],
        )
        out.append("")
    out += ["## Sources", ""]
    if not dossier.footnotes:
        out += ["None.", ""]
    for note in dossier.footnotes:
        parts = [md_escape(note.citation)]
        if note.quote:
            parts.append(f"“{md_escape(note.quote)}”")
        if note.locator:
            parts.append(md_escape(note.locator))
        parts.append(md_code(note.source))
        out.append(f"{note.number}. " + " — ".join(parts))
    out += ["", "## Entities", ""]
    for n in dossier.entities:
        out.append(f"- {md_escape(n.label + _sphere(n))}: {md_code(n.id)}")
    out.append("")
    return "\n".join(out)


def _md_card(summary: Summary) -> list[str]:
    out = ["## Entity", ""]
    for name, value in _card_fields(summary):
        shown = md_code(value) if name == "IRI" else md_escape(value)
        out.append(f"- **{md_escape(name)}:** {shown}")
    out.append("")
    return out


def _card_fields(summary: Summary) -> list[tuple[str, str]]:
    fields = [("Name", summary.label)]
    languages: dict[str, list[str]] = {}
    for lang, value in summary.labels:
        languages.setdefault(value, []).extend([lang] if lang else [])
    if languages:
        shown = [f"{v} ({', '.join(langs)})" if langs else v for v, langs in languages.items()]
        fields.append(("Labels", "; ".join(shown)))
    if summary.aliases:
        aliases = sorted({value for _, value in summary.aliases})
        fields.append(("Aliases", "; ".join(aliases)))
    fields.append(("Types", ", ".join(summary.types) or "—"))
    fields.append(("Sphere", ", ".join(summary.spheres) or "none stated"))
    fields.append(("IRI", summary.id))
    for comment in summary.comments:
        fields.append(("Note", comment))
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


def _html_notes(row: Row) -> str:
    if not row.notes:
        return "no source"
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


def _html_status(row: Row) -> tuple[str, str]:
    return (f"status-{row.status}" if row.status else "", _e(_status(row)))


def render_html(dossier: Dossier) -> str:
    """The dossier as one self-contained, printable HTML page."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(dossier.lang)}">',
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
        f"<dt>Generated</dt><dd>{_e(dossier.generated)}</dd>",
        f'<dt>Data snapshot</dt><dd><code class="snapshot">{_e(dossier.snapshot)}</code>'
        f" — {_e(dossier.snapshot_scope)}</dd>",
        f'<dt>Command</dt><dd><code class="command">{_e(dossier.command)}</code></dd>',
        "<dt>Filters</dt><dd>"
        + (_e("; ".join(dossier.filters)) if dossier.filters else "none")
        + "</dd>",
        "</dl>",
        "</header>",
        "<main>",
    ]
    if dossier.entity is not None:
        out += ['<section class="entity">', "<h2>Entity</h2>", '<dl class="card">']
        for name, value in _card_fields(dossier.entity):
            shown = f'<span class="iri">{_e(value)}</span>' if name == "IRI" else _e(value)
            out.append(f"<dt>{_e(name)}</dt><dd>{shown}</dd>")
        out += ["</dl>", "</section>", '<section class="ties">', "<h2>Ties</h2>"]
        if dossier.ties:
            out.append(f"<p>{_e(_DIRECTION_NOTE.format(label=dossier.entity.label))}</p>")
            rows = []
            for row in dossier.ties:
                other = row.to if row.forward else row.from_
                rows.append(
                    _html_row(
                        [
                            ("num", str(row.number)),
                            ("", _e(row.relation_label)),
                            ("", "→" if row.forward else "←"),
                            ("", _e(other.label + _sphere(other))),
                            _html_status(row),
                            ("num", _e(_confidence(row))),
                            ("", _e(_dates(row))),
                            ("notes", _html_notes(row)),
                        ]
                    )
                )
            out += _html_table(
                _TIE_HEADERS,
                rows,
            )
        else:
            out.append(f"<p>{_e(_NO_TIES)}</p>")
        out.append("</section>")
    for number, section in enumerate(dossier.paths, 1):
        heading = "Evidence path" if len(dossier.paths) == 1 else f"Path {number}"
        out += [
            '<section class="path">',
            f"<h2>{_e(heading)}</h2>",
            f'<p class="chain">{" → ".join(_e(n.label) for n in section.nodes)}</p>',
            f'<p class="score">{_e(_score_sentence(section))}</p>',
            f"<p>{_e(_HOP_NOTE)}</p>",
        ]
        rows = [
            _html_row(
                [
                    ("num", _e(_number(row))),
                    ("", _e(row.from_.label)),
                    ("", _e(row.relation_label)),
                    ("", "→" if row.forward else "←"),
                    ("", _e(row.to.label)),
                    _html_status(row),
                    ("num", _e(_confidence(row))),
                    ("", _e(_dates(row))),
                    ("notes", _html_notes(row)),
                ]
            )
            for row in section.rows
        ]
        out += _html_table(_HOP_HEADERS, rows)
        out.append("</section>")
    out += ['<section class="sources">', "<h2>Sources</h2>"]
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
        out.append("<p>None.</p>")
    out += ["</section>", '<section class="entities">', "<h2>Entities</h2>", "<ul>"]
    for n in dossier.entities:
        out.append(f'<li>{_e(n.label + _sphere(n))}: <span class="iri">{_e(n.id)}</span></li>')
    out += [
        "</ul>",
        "</section>",
        "</main>",
        "<footer><p>Every tie is a claim with a status (confirmed, reported, alleged, disputed, "
        "refuted) and its sources; the numbers in the tables point to the sources above. "
        "Written by hilos.</p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)
