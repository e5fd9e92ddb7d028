"""Importing spreadsheets of ties (CSV, TSV, whitespace-separated, .xlsx) and adjacency matrices.

One row is one tie. Columns are mapped onto the fields of a tie (`FIELDS`); names are resolved
to entities of the store or new entities of the import (`resolution`); every tie is derived
from an import node that records the file, its SHA-256 and the time, and carries the row it
came from as its `hilos:locator`. Rows are read as a stream: memory grows with the number of
distinct names and distinct ties, never with the rows of the file.

Tie semantics:

* a relation that names a tie class of the ontology (local name or label, any case:
  "alliance", "Rivalry", "hilos:Collusion") gives that class; any other text gives a
  `hilos:GenericTie` keeping the text in `hilos:relationText`;
* every row is a claim of its own, with its own status, dates, quote, citation and locator
  (`row N`): two rows about the same pair and type — a second source, a second status, a
  repeated row — are two claims, never merged, so each quote stays paired with its source and
  row. Analyses that need one link per pair aggregate the claims and say how. A row's weight
  (a count, such as intercepted calls) is kept on its claim as `rdf:value`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from pyoxigraph import Literal, NamedNode, Triple

from ..errors import BadInput
from ..namespaces import DCTERMS, HILOS, HILOS_NS, PREFIXES, PROV, RDF, RDF_TYPE, RDFS, XSD
from ..output import csv_cell, decoded
from ..store import Progress, Store, graph_iri, solutions
from ..text import normalise
from ..vocab import kind_of, vocabulary
from . import load_statements
from .resolution import Match, Resolver, graph_namespace

FIELDS = (
    "source",
    "target",
    "relation",
    "status",
    "confidence",
    "start",
    "end",
    "weight",
    "quote",
    "citation",
    "url",
    "source_type",
    "target_type",
)
NODE_FIELDS = ("node_id", "node_label", "node_type")

# Header names a field is read from when it is not mapped (compared case-insensitively).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "source": ("source", "from", "src", "node", "actor", "source_id"),
    "target": ("target", "to", "dst", "rnode", "target_id"),
    "relation": ("relation", "relationship", "tie", "type", "relation_type"),
    "status": ("status",),
    "confidence": ("confidence",),
    "start": ("start", "start_date", "from_date", "since"),
    "end": ("end", "end_date", "to_date", "until"),
    "weight": ("weight", "count", "value"),
    "quote": ("quote",),
    "citation": ("citation",),
    "url": ("url", "link"),
    "source_type": ("source_type",),
    "target_type": ("target_type",),
    "node_id": ("id", "node", "node_id", "key"),
    "node_label": ("label", "name", "group", "title"),
    "node_type": ("type", "class", "kind"),
}
# Without a header: the first three columns are source, target and weight.
DEFAULT_INDEXES = {"source": 1, "target": 2, "weight": 3, "node_id": 1, "node_label": 2}

# A row's weight (a count, such as intercepted calls) on its claim. The ontology has no
# property for it yet (hilos:weight is the weight of a status, with domain hilos:Status), so
# the generic rdf:value is used; change this one constant when the ontology gains one.
TIE_WEIGHT = RDF.value
SCHEMA_URL = NamedNode(PREFIXES["schema"] + "url")

DEFAULT_RELATION = "related to"
DEFAULT_MATRIX_RELATION = "communication"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MAX_LISTED = 10
_EXAMPLES = 5
_PROGRESS_ROWS = 2000
_SNIFF_BYTES = 64 * 1024
# csv.Sniffer takes time quadratic in its sample on some inputs (64 kB of `, '` took 10 s):
# it sees at most this many characters, plenty for the first lines of any real sheet.
_SNIFF_CHARS = 8 * 1024

TIE = HILOS_NS + "Tie"
ACTOR = HILOS_NS + "Actor"
PLACE = HILOS_NS + "Place"
# The class a new entity gets when the relation's range says what its end is (a place a group
# operates in, a market it engages in) and the row gives no type.
_KIND_TYPES = {"place": PLACE, "market": HILOS_NS + "CriminalMarket"}


# ------------------------------------------------------------------ vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """Tie classes and entity classes of the ontology, by normalised name."""

    ties: dict[str, str]
    types: dict[str, str]
    symmetric: frozenset[str]
    to_kinds: dict[str, str]
    """Tie class -> the kind its to-end has by the range of its shortcut (presence: place)."""
    superclasses: dict[str, frozenset[str]]

    @classmethod
    def from_store(cls, store: Store) -> Vocabulary:
        terms = store.terminology()
        symmetric_props = terms.symmetric
        tie_classes = {c for c, sups in terms.superclasses.items() if TIE in sups}
        type_classes = {
            c
            for c, sups in terms.superclasses.items()
            if (ACTOR in sups or PLACE in sups) and c.startswith(HILOS_NS)
        } | {ACTOR, PLACE}
        ties: dict[str, str] = {}
        types: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        rows = solutions(
            store.query(
                "SELECT ?c ?l WHERE { ?c rdfs:label|skos:altLabel ?l }", graphs=["ontology"]
            )
        )
        for row in rows:
            c, label = row["c"], row["l"]
            if isinstance(c, NamedNode) and isinstance(label, Literal):
                names.setdefault(c.value, []).append(label.value)
        for iri in tie_classes | type_classes:
            local = iri[len(HILOS_NS) :] if iri.startswith(HILOS_NS) else iri
            keys = [normalise(local), normalise(_split_camel(local)), normalise("hilos:" + local)]
            keys += [normalise(label) for label in names.get(iri, [])]
            target = ties if iri in tie_classes else types
            for key in keys:
                if key:
                    target.setdefault(key, iri)
        symmetric = frozenset(
            c for c in tie_classes if terms.shortcuts.get(c, frozenset()) & symmetric_props
        )
        ranges: dict[str, str] = {}
        for row in solutions(
            store.query(
                "SELECT ?c ?r WHERE { ?c hilos:shortcut ?p . ?p rdfs:range ?r }",
                graphs=["ontology"],
            )
        ):
            kind = kind_of([row["r"].value], terms.superclasses)
            if kind != "other":
                ranges[row["c"].value] = kind
        to_kinds = {
            c: ranges[found]
            for c in tie_classes
            for found in [c, *sorted(terms.superclasses.get(c, ()))]
            if found in ranges
        }
        return cls(
            ties=ties,
            types=types,
            symmetric=symmetric,
            to_kinds=to_kinds,
            superclasses=terms.superclasses,
        )

    def tie_class(self, relation: str) -> str | None:
        return self.ties.get(normalise(relation))

    def entity_type(self, text: str) -> str | None:
        return self.types.get(normalise(text))

    def kind(self, type_iri: str | None) -> str | None:
        return None if type_iri is None else kind_of([type_iri], self.superclasses)


def _split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


# ------------------------------------------------------------------ mapping


def parse_mapping(items: Iterable[str], allowed: Sequence[str]) -> dict[str, str]:
    """`FIELD=COLUMN` strings as a dict; unknown fields are a `BadInput`."""
    mapping: dict[str, str] = {}
    for item in items:
        fld, sep, column = item.partition("=")
        fld = fld.strip().lower()
        column = column.strip()
        if not sep or not fld or not column:
            raise BadInput(f"--map takes FIELD=COLUMN, not {item!r}")
        if fld not in allowed:
            raise BadInput(f"unknown field {fld!r} in --map (fields: {', '.join(allowed)})")
        mapping[fld] = column
    return mapping


def read_mapping_file(path: str | Path) -> list[str]:
    """The `FIELD=COLUMN` lines of a mapping file; blank lines and `#` comments are ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(f"cannot read mapping file {path}: {exc.strerror or exc}") from None
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise BadInput(f"{path}, line {number}: expected FIELD=COLUMN, got {line!r}")
        items.append(line)
    return items


@dataclass(frozen=True)
class Columns:
    """Where each mapped field is read from: a 0-based index into the row."""

    index: dict[str, int]
    header: list[str] | None
    width: int

    def get(self, row: Sequence[str], fld: str) -> str:
        position = self.index.get(fld)
        if position is None or position >= len(row):
            return ""
        return row[position].strip()


def resolve_columns(
    path: str,
    header: list[str] | None,
    first_row: list[str] | None,
    mapping: dict[str, str],
    fields: Sequence[str],
    required: Sequence[str],
) -> Columns:
    """Turn the mapping into column positions, before any data row is read."""
    width = len(header) if header is not None else len(first_row or [])
    index: dict[str, int] = {}
    if header is not None:
        by_name: dict[str, int] = {}
        for i, name in enumerate(header):
            by_name.setdefault(name.strip(), i)
            by_name.setdefault(name.strip().casefold(), i)
        for fld, column in mapping.items():
            found = by_name.get(column, by_name.get(column.casefold()))
            if found is None and column.isdigit() and 1 <= int(column) <= width:
                found = int(column) - 1
            if found is None:
                shown = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
                raise BadInput(f"{path}: no column {column!r} for {fld} (columns: {shown})")
            index[fld] = found
        for fld in fields:
            if fld in index:
                continue
            for name in DEFAULT_COLUMNS.get(fld, ()):
                if name in by_name:
                    index[fld] = by_name[name]
                    break
    else:
        for fld, column in mapping.items():
            if not column.isdigit() or not 1 <= int(column) <= max(width, 1):
                raise BadInput(
                    f"{path}: no column {column!r} for {fld} "
                    f"(without a header, columns are numbered 1 to {width})"
                )
            index[fld] = int(column) - 1
        for fld, position in DEFAULT_INDEXES.items():
            free = position - 1 not in index.values()
            if fld in fields and fld not in index and position <= width and free:
                index[fld] = position - 1
    if width < 2 and len(required) >= 2:
        raise BadInput(
            f"{path}: every row is a single column — wrong delimiter? "
            "(try --delimiter ',', ';', tab or whitespace)"
        )
    missing = [fld for fld in required if fld not in index]
    if missing:
        hint = ""
        if header is not None and all(_is_number(h) for h in header):
            hint = " — the first row looks like data: try --no-header"
        shown = ", ".join(header[:12]) if header is not None else f"{width} columns"
        raise BadInput(
            f"{path}: no column for {', '.join(missing)} "
            f"(map it with --map {missing[0]}=COLUMN; columns: {shown}){hint}"
        )
    return Columns(index=index, header=header, width=width)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------ reading rows


@dataclass
class Table:
    """A stream of rows from a delimited file or a worksheet."""

    header: list[str] | None
    first: list[str] | None
    rows: Iterator[tuple[int, list[str]]]
    position: Callable[[], int]
    size: int
    delimiter: str | None = None
    close: Callable[[], None] = lambda: None


def open_table(path: str, *, delimiter: str | None, header: bool) -> Table:
    """Open a CSV-like file (or .xlsx) as a stream of `(row number, fields)`.

    Row numbers are those a spreadsheet shows: with a header, the first data row is row 2.
    """
    file = Path(path)
    if not file.is_file():
        raise BadInput(f"no file {path}")
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path, header=header)
    size = file.stat().st_size
    if size == 0:
        raise BadInput(f"{path}: the file is empty")
    raw = open(file, "rb")  # noqa: SIM115 - closed by Table.close
    head = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    try:
        sample = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            raw.close()
            raise BadInput(f"{path}: not UTF-8 text (byte {exc.start + 1})") from None
        sample = head[: exc.start].decode("utf-8-sig")
    if not sample.strip():
        raw.close()
        raise BadInput(f"{path}: the file is empty")
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        chosen = _delimiter(sample, delimiter)
    except BadInput:
        text.close()
        raise

    def records() -> Iterator[list[str]]:
        if chosen is None:
            for line in text:
                yield line.split()
        else:
            yield from csv.reader(text, delimiter=chosen)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for record in records():
                number += 1
                if not any(cell.strip() for cell in record):
                    continue
                yield number, record
        except UnicodeDecodeError:
            raise BadInput(f"{path}, row {number + 1}: not UTF-8 text") from None
        except csv.Error as exc:
            raise BadInput(f"{path}, row {number + 1}: {exc}") from None

    stream = numbered()
    try:
        first_row = next(stream, None)
    except BadInput:
        text.close()
        raise
    if first_row is None:
        text.close()
        raise BadInput(f"{path}: the file is empty")
    head_row: list[str] | None = None
    first: list[str] | None = first_row[1]
    if header:
        head_row = [cell.strip() for cell in first_row[1]]
        first = None
        rows: Iterator[tuple[int, list[str]]] = stream
    else:

        def again() -> Iterator[tuple[int, list[str]]]:
            yield first_row
            yield from stream

        rows = again()
    return Table(
        header=head_row,
        first=first,
        rows=rows,
        position=raw.tell,
        size=size,
        delimiter=chosen,
        close=text.close,
    )


def _delimiter(sample: str, given: str | None) -> str | None:
    """The delimiter to use: None means runs of whitespace."""
    if given is not None:
        lowered = given.lower()
        if lowered in ("tab", "\\t", "\t"):
            return "\t"
        if lowered in ("whitespace", "space", "spaces", "ws"):
            return None
        if len(given) != 1:
            raise BadInput(f"--delimiter takes one character, tab or whitespace, not {given!r}")
        return given
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    try:
        return csv.Sniffer().sniff("\n".join(lines)[:_SNIFF_CHARS], delimiters=",;\t").delimiter
    except csv.Error:
        if (
            lines
            and all(len(line.split()) > 1 for line in lines)
            and not any(ch in sample for ch in ",;\t")
        ):
            return None
        return ","


def _open_xlsx(path: str, *, header: bool) -> Table:
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise BadInput("reading .xlsx needs openpyxl (pip install openpyxl)") from None
    # openpyxl does not close a file it fails to read: hilos opens it, and closes it.
    handle = open(path, "rb")  # noqa: SIM115 - closed by close() below
    book: Any = None

    def close() -> None:
        if book is not None:
            book.close()
        handle.close()

    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        total = sheet.max_row or 0
    except Exception as exc:  # openpyxl raises many kinds on broken files
        close()
        raise BadInput(f"{path}: not a readable .xlsx file ({exc or 'no worksheet'})") from None
    done = [0]

    def numbered() -> Iterator[tuple[int, list[str]]]:
        # Read-only workbooks parse the sheet as it is read: a broken one fails here.
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows, None)
            except Exception as exc:  # openpyxl and its XML parser raise many kinds
                raise BadInput(
                    f"{path}, row {number + 1}: not a readable .xlsx sheet ({exc})"
                ) from None
            if values is None:
                return
            number += 1
            done[0] = number
            record = ["" if v is None else _cell_text(v) for v in values]
            if any(cell.strip() for cell in record):
                yield number, record

    stream = numbered()
    try:
        first_row = next(stream, None)
    except BadInput:
        close()
        raise
    if first_row is None:
        close()
        raise BadInput(f"{path}: the file is empty")
    if header:
        return Table(
            header=[c.strip() for c in first_row[1]],
            first=None,
            rows=stream,
            position=lambda: done[0],
            size=total,
            close=close,
        )

    def again() -> Iterator[tuple[int, list[str]]]:
        yield first_row
        yield from stream

    return Table(
        header=None,
        first=first_row[1],
        rows=again(),
        position=lambda: done[0],
        size=total,
        close=close,
    )


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ------------------------------------------------------------------ building ties


class RowError(ValueError):
    """A row that cannot become a tie; the message is the reason."""


@dataclass
class Summary:
    """What an import did (or, with --dry-run, would do)."""

    file: str
    graph: str
    sha256: str
    rows: int = 0
    ties: int = 0
    rejected: int = 0
    rejected_file: str | None = None
    new_entities: int = 0
    merged: list[Match] = field(default_factory=list)
    kept_apart: list[Match] = field(default_factory=list)
    new_examples: list[str] = field(default_factory=list)
    link: str = "exact"
    untyped: int = 0
    statements: int = 0
    derived: int = 0
    dry_run: bool = False
    replaced: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "graph": self.graph,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "ties": self.ties,
            "rejected": self.rejected,
            "rejected_file": self.rejected_file,
            "new_entities": self.new_entities,
            "link": self.link,
            "merged": [m.as_dict() for m in self.merged],
            "kept_apart": [m.as_dict() for m in self.kept_apart],
            "new_entity_examples": self.new_examples,
            "untyped_actors": self.untyped,
            "statements": self.statements,
            "derived": self.derived,
            "replaced": self.replaced,
        }


class Builder:
    """Turns rows into statements; keeps only the name map and the per-tie weights."""

    def __init__(
        self,
        store: Store,
        *,
        path: str,
        graph: str,
        sha256: str,
        status: str,
        quote_lang: str | None,
        link: str = "exact",
    ) -> None:
        self.vocab = Vocabulary.from_store(store)
        self.namespace = graph_namespace(graph)
        self.resolver = Resolver.for_store(store, self.namespace, link=link)
        self.status = _status(status)
        self.quote_lang = quote_lang
        self.claims = 0
        self.citations: set[str] = set()
        self.import_node = NamedNode(self.namespace + "import")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        shown = decoded(Path(path).name)
        label = f"{shown}, imported {now.isoformat().replace('+00:00', 'Z')}"
        self.header_triples = [
            Triple(self.import_node, RDF_TYPE, HILOS.Source),
            Triple(self.import_node, RDFS.label, Literal(label)),
            Triple(self.import_node, HILOS.citation, Literal(label)),
            Triple(self.import_node, DCTERMS.title, Literal(shown)),
            Triple(self.import_node, DCTERMS.identifier, Literal("sha256:" + sha256)),
            Triple(
                self.import_node,
                DCTERMS.created,
                Literal(now.isoformat(), datatype=XSD.dateTime),
            ),
        ]

    def _end(self, name: str, type_text: str, end: str) -> tuple[str, str | None]:
        """Check one end of a row; resolving waits until the whole row is known good."""
        if not name:
            raise RowError(f"empty {end}")
        if not normalise(name):
            raise RowError(f"the {end} {name!r} has no letters or digits")
        type_iri = None
        if type_text:
            type_iri = self.vocab.entity_type(type_text)
            if type_iri is None:
                raise RowError(f"unknown {end} type {type_text!r}")
        return name, type_iri

    def tie(
        self,
        locator: str,
        source: str,
        target: str,
        relation: str,
        *,
        source_type: str = "",
        target_type: str = "",
        status: str = "",
        confidence: str = "",
        start: str = "",
        end: str = "",
        weight: str = "",
        quote: str = "",
        citation: str = "",
        url: str = "",
    ) -> list[Triple]:
        """The statements of one row (checked in full before any is returned)."""
        if not relation:
            raise RowError("empty relation")
        amount = Decimal(1)
        if weight:
            try:
                amount = Decimal(weight)
            except InvalidOperation:
                raise RowError(f"weight {weight!r} is not a number") from None
            if not amount.is_finite():
                raise RowError(f"weight {weight!r} is not a number")
        status_node = _status(status) if status else self.status
        confidence_value: Decimal | None = None
        if confidence:
            try:
                confidence_value = Decimal(confidence)
            except InvalidOperation:
                raise RowError(f"confidence {confidence!r} is not a number") from None
            if not Decimal(0) <= confidence_value <= Decimal(1):
                raise RowError(f"confidence {confidence!r} is not between 0 and 1")
        for text, what in ((start, "start"), (end, "end")):
            if text and not _DATE.match(text):
                raise RowError(f"{what} {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if start and end and end < start[: len(end)]:
            raise RowError(f"ends ({end}) before it starts ({start})")
        url_node: NamedNode | None = None
        if url:
            if not re.match(r"^https?://\S+$", url):
                raise RowError(f"url {url!r} is not an http(s) address")
            try:
                url_node = NamedNode(url)
            except ValueError as exc:
                raise RowError(f"url {url!r} is not a valid address ({exc})") from None
        tie_class = self.vocab.tie_class(relation)
        generic_text = None
        if tie_class is None:
            tie_class = HILOS_NS + "GenericTie"
            generic_text = relation
        source_end = self._end(source, source_type, "source")
        target_end = self._end(target, target_type, "target")
        to_kind = self.vocab.to_kinds.get(tie_class)
        from_class = source_end[1]
        to_class = target_end[1] or _KIND_TYPES.get(to_kind or "")
        a = self.resolver.resolve(source, from_class, self.vocab.kind(from_class))
        b = self.resolver.resolve(target, to_class, self.vocab.kind(to_class) or to_kind)
        # One claim per row: its IRI comes from the row's place in the file and what it says,
        # so the same file imported again gives the same claims.
        digest = hashlib.sha256(
            "\x1f".join((locator, tie_class, generic_text or "", a, b)).encode("utf-8")
        ).hexdigest()[:20]
        tie_node = NamedNode(self.namespace + "tie/" + digest)
        self.claims += 1
        triples: list[Triple] = [
            Triple(tie_node, RDF_TYPE, NamedNode(tie_class)),
            Triple(tie_node, HILOS["from"], NamedNode(a)),
            Triple(tie_node, HILOS.to, NamedNode(b)),
            Triple(tie_node, HILOS.status, status_node),
            Triple(tie_node, PROV.wasDerivedFrom, self.import_node),
            Triple(tie_node, HILOS.locator, Literal(locator)),
        ]
        if generic_text:
            triples.append(Triple(tie_node, HILOS.relationText, Literal(generic_text)))
        if confidence_value is not None:
            triples.append(
                Triple(
                    tie_node,
                    HILOS.confidence,
                    Literal(str(confidence_value), datatype=XSD.decimal),
                )
            )
        if start:
            triples.append(Triple(tie_node, HILOS.start, _date(start)))
        if end:
            triples.append(Triple(tie_node, HILOS.end, _date(end)))
        if weight:
            triples.append(
                Triple(tie_node, TIE_WEIGHT, Literal(_decimal(amount), datatype=XSD.decimal))
            )
        if quote:
            literal = (
                Literal(quote, language=self.quote_lang) if self.quote_lang else Literal(quote)
            )
            triples.append(Triple(tie_node, HILOS.quote, literal))
        if citation:
            source_node = NamedNode(
                self.namespace
                + "source/"
                + hashlib.sha256(citation.encode("utf-8")).hexdigest()[:16]
            )
            if source_node.value not in self.citations:
                self.citations.add(source_node.value)
                triples += [
                    Triple(source_node, RDF_TYPE, HILOS.Source),
                    Triple(source_node, HILOS.citation, Literal(citation)),
                    Triple(source_node, RDFS.label, Literal(citation)),
                ]
            triples.append(Triple(tie_node, PROV.wasDerivedFrom, source_node))
        if url_node is not None:
            triples.append(Triple(tie_node, SCHEMA_URL, url_node))
        return triples

    def closing(self) -> Iterator[Triple]:
        """The statements known only at the end: the new entities."""
        for entity in self.resolver.new.values():
            node = NamedNode(entity.iri)
            yield Triple(node, RDF_TYPE, NamedNode(entity.type or ACTOR))
            yield Triple(node, RDFS.label, Literal(entity.label))
            yield Triple(node, PROV.wasDerivedFrom, self.import_node)

    def fill(self, summary: Summary) -> None:
        summary.ties = self.claims
        summary.new_entities = len(self.resolver.new)
        summary.untyped = sum(1 for e in self.resolver.new.values() if e.type is None)
        summary.merged = sorted(self.resolver.merged.values(), key=lambda m: (m.name, m.entity))
        summary.kept_apart = sorted(
            self.resolver.kept_apart.values(), key=lambda m: (m.name, m.entity)
        )
        summary.new_examples = [e.label for e in list(self.resolver.new.values())[:_EXAMPLES]]


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def _status(text: str) -> NamedNode:
    key = normalise(text).removeprefix("hilos ")
    statuses = vocabulary().status_keys
    if key not in statuses:
        raise RowError(f"unknown status {text!r} (one of {', '.join(statuses)})")
    return NamedNode(vocabulary().status(key).iri)


def _date(text: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=datatype)


# ------------------------------------------------------------------ the two importers


@dataclass
class Rejects:
    """Bad rows: the first few for the message, and (with --skip-invalid) a file of them all."""

    path: str
    skip: bool
    header: list[str] | None
    write: bool = True
    listed: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0
    output: Path | None = None
    _handle: IO[str] | None = None
    _writer: Any = None

    def add(self, number: int, record: Sequence[str], reason: str) -> None:
        self.count += 1
        if len(self.listed) < _MAX_LISTED:
            self.listed.append((number, reason))
        if not (self.skip and self.write):
            return
        if self._writer is None:
            source = Path(self.path)
            self.output = source.with_name(source.stem + ".rejected.csv")
            self._handle = open(self.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._handle)
            self._writer.writerow([csv_cell(h) for h in ["row", *(self.header or []), "reason"]])
        # The file is opened in a spreadsheet to fix the rows: no cell may run as a formula.
        self._writer.writerow([number, *(csv_cell(cell) for cell in [*record, reason])])

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def check(self) -> None:
        """Raise if rows were bad and not to be skipped."""
        if self.count and not self.skip:
            listed = "; ".join(f"row {n}: {reason}" for n, reason in self.listed)
            more = (
                f" (and {self.count - len(self.listed)} more)"
                if self.count > len(self.listed)
                else ""
            )
            plural = "s" if self.count > 1 else ""
            raise BadInput(
                f"{Path(self.path).name}: {self.count} bad row{plural}, nothing loaded — "
                f"{listed}{more}; --skip-invalid loads the others"
            )


@dataclass
class ImportOptions:
    mapping: dict[str, str] = field(default_factory=dict)
    header: bool = True
    delimiter: str | None = None
    relation: str | None = None
    status: str = "reported"
    quote_lang: str | None = "und"
    nodes: str | None = None
    node_mapping: dict[str, str] = field(default_factory=dict)
    skip_invalid: bool = False
    link: str = "exact"


def import_csv(
    store: Store,
    path: str,
    options: ImportOptions,
    *,
    graph: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Import a spreadsheet of ties into the graph `graph` (default: the file's stem)."""
    name = graph or decoded(Path(path).stem)
    try:
        _status(options.status)
    except RowError as exc:
        raise BadInput(f"--status: {exc}") from None
    if options.relation is not None and not options.relation.strip():
        raise BadInput("--relation is empty")
    _check_relation(options.relation)
    if options.quote_lang:
        try:
            Literal("", language=options.quote_lang)
        except ValueError as exc:
            raise BadInput(
                f"--quote-lang: {options.quote_lang!r} is not a language tag such as en, es or "
                f"pt-BR ({exc})"
            ) from None
    table = open_table(path, delimiter=options.delimiter, header=options.header)
    try:
        mapped = dict(options.mapping)
        fields = [f for f in FIELDS if not (f == "relation" and options.relation)]
        columns = resolve_columns(
            path, table.header, table.first, mapped, fields, ("source", "target")
        )
        nodes = _read_nodes(options) if options.nodes else None
        digest = sha256_of(path)
        _check_graph(store, name, replace, dry_run)
        summary = Summary(
            file=decoded(path), graph=name, sha256=digest, dry_run=dry_run, link=options.link
        )
        builder = Builder(
            store,
            path=path,
            graph=name,
            sha256=digest,
            status=options.status,
            quote_lang=options.quote_lang,
            link=options.link,
        )
        rejects = Rejects(
            path=path, skip=options.skip_invalid, header=table.header, write=not dry_run
        )
        relation_default = options.relation or DEFAULT_RELATION

        def name_of(value: str, column_type: str) -> tuple[str, str]:
            if nodes is None or not value:
                return value, column_type
            node = nodes.get(value)
            if node is None:
                raise RowError(f"{value!r} is not in the node sheet")
            return node[0], column_type or node[1]

        def statements() -> Iterator[Triple]:
            yield from builder.header_triples
            for count, (number, record) in enumerate(table.rows, 1):
                summary.rows += 1
                if progress is not None and count % _PROGRESS_ROWS == 0:
                    progress(table.position(), table.size)
                get = columns.get
                try:
                    source, source_type = name_of(get(record, "source"), get(record, "source_type"))
                    target, target_type = name_of(get(record, "target"), get(record, "target_type"))
                    triples = builder.tie(
                        f"row {number}",
                        source,
                        target,
                        options.relation or get(record, "relation") or relation_default,
                        source_type=source_type,
                        target_type=target_type,
                        status=get(record, "status"),
                        confidence=get(record, "confidence"),
                        start=get(record, "start"),
                        end=get(record, "end"),
                        weight=get(record, "weight"),
                        quote=get(record, "quote"),
                        citation=get(record, "citation"),
                        url=get(record, "url"),
                    )
                except RowError as exc:
                    rejects.add(number, record, str(exc))
                    continue
                if not rejects.count or rejects.skip:
                    yield from triples
            if progress is not None and summary.rows >= _PROGRESS_ROWS:
                progress(table.size, table.size)
            rejects.check()
            if not builder.claims:
                raise BadInput(f"{Path(path).name}: no rows to import")
            yield from builder.closing()

        return _finish(
            store, statements(), builder, summary, rejects, path, name, digest, replace, progress
        )
    finally:
        table.close()


def import_matrix(
    store: Store,
    path: str,
    *,
    relation: str | None = None,
    status: str = "reported",
    delimiter: str | None = None,
    graph: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    link: str = "exact",
) -> Summary:
    """Import an adjacency matrix: the first row and column are ids, nonzero cells are ties
    from the row's entity to the column's, weighted by the cell."""
    name = graph or decoded(Path(path).stem)
    try:
        _status(status)
    except RowError as exc:
        raise BadInput(f"--status: {exc}") from None
    _check_relation(relation)
    table = open_table(path, delimiter=delimiter, header=True)
    try:
        header = table.header or []
        if len(header) < 2:
            raise BadInput(
                f"{path}: the first row has a single column — wrong delimiter? "
                "(try --delimiter ',', ';', tab or whitespace)"
            )
        ids = header[1:]
        if any(not i for i in ids):
            raise BadInput(f"{path}: the first row has an empty id")
        digest = sha256_of(path)
        _check_graph(store, name, replace, dry_run)
        summary = Summary(file=decoded(path), graph=name, sha256=digest, dry_run=dry_run, link=link)
        builder = Builder(
            store, path=path, graph=name, sha256=digest, status=status, quote_lang=None, link=link
        )
        rejects = Rejects(path=path, skip=False, header=header)
        tie_relation = relation or DEFAULT_MATRIX_RELATION

        def statements() -> Iterator[Triple]:
            yield from builder.header_triples
            for count, (number, record) in enumerate(table.rows, 1):
                summary.rows += 1
                if progress is not None and count % 100 == 0:
                    progress(table.position(), table.size)
                row_id = record[0].strip() if record else ""
                try:
                    if not row_id:
                        raise RowError("empty id in the first column")
                    if len(record) - 1 != len(ids):
                        raise RowError(f"{len(record) - 1} cells, the first row has {len(ids)} ids")
                    triples: list[Triple] = []
                    for column, (col_id, cell) in enumerate(zip(ids, record[1:], strict=True), 2):
                        value = cell.strip()
                        if not value:
                            continue
                        try:
                            amount = Decimal(value)
                        except InvalidOperation:
                            raise RowError(f"column {column}: {value!r} is not a number") from None
                        if amount == 0:
                            continue
                        triples += builder.tie(
                            f"row {number}, column {column}",
                            row_id,
                            col_id,
                            tie_relation,
                            weight=value,
                        )
                except RowError as exc:
                    rejects.add(number, record, str(exc))
                    continue
                if not rejects.count:
                    yield from triples
            rejects.check()
            if not builder.claims:
                raise BadInput(f"{Path(path).name}: no nonzero cells to import")
            yield from builder.closing()

        return _finish(
            store, statements(), builder, summary, rejects, path, name, digest, replace, progress
        )
    finally:
        table.close()


def _check_relation(relation: str | None) -> None:
    """--relation must be text a literal can hold (not bytes the shell could not decode)."""
    if relation:
        try:
            Literal(relation)
        except ValueError:
            raise BadInput(f"--relation {relation!r} is not UTF-8 text") from None


def _check_graph(store: Store, name: str, replace: bool, dry_run: bool) -> None:
    from ..errors import GraphExists

    graph_iri(name)  # a name the store cannot take fails here, before any work
    if replace:
        return
    if any(info.name == name for info in store.graphs()):
        raise GraphExists(f"a graph named {name} is already loaded (use --replace, or --graph)")


def _finish(
    store: Store,
    statements: Iterator[Triple],
    builder: Builder,
    summary: Summary,
    rejects: Rejects,
    path: str,
    name: str,
    digest: str,
    replace: bool,
    progress: Progress | None,
) -> Summary:
    try:
        if summary.dry_run:
            summary.statements = sum(1 for _ in statements)
        else:
            origin = f"{decoded(Path(path).name)} (hilos import)"
            report = load_statements(
                store,
                statements,
                name=name,
                origin=origin,
                sha256=digest,
                replace=replace,
                progress=None,
            )
            summary.statements = report.triples
            summary.derived = report.inferred_triples
            summary.replaced = bool(report.replaced)
    finally:
        rejects.close()
    builder.fill(summary)
    summary.rejected = rejects.count
    summary.rejected_file = decoded(str(rejects.output)) if rejects.output else None
    return summary


def _read_nodes(options: ImportOptions) -> dict[str, tuple[str, str]]:
    """The node sheet: id → (label, type). Node sheets hold one row per entity."""
    assert options.nodes is not None
    path = options.nodes
    table = open_table(path, delimiter=options.delimiter, header=options.header)
    try:
        columns = resolve_columns(
            path, table.header, table.first, options.node_mapping, NODE_FIELDS, ("node_id",)
        )
        nodes: dict[str, tuple[str, str]] = {}
        problems: list[str] = []
        for number, record in table.rows:
            node_id = columns.get(record, "node_id")
            label = columns.get(record, "node_label") or node_id
            if not node_id:
                problems.append(f"row {number}: empty id")
                continue
            nodes[node_id] = (label, columns.get(record, "node_type"))
        if problems:
            raise BadInput(f"{Path(path).name}: {'; '.join(problems[:_MAX_LISTED])}")
        return nodes
    finally:
        table.close()


def dump_json(summary: Summary) -> str:
    return json.dumps(summary.as_dict(), ensure_ascii=False, indent=2)


__all__ = [
    "FIELDS",
    "NODE_FIELDS",
    "TIE_WEIGHT",
    "ImportOptions",
    "Summary",
    "import_csv",
    "import_matrix",
    "parse_mapping",
    "read_mapping_file",
]
