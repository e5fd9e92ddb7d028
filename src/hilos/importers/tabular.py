"""Importing spreadsheets of ties (CSV, TSV, whitespace-separated, .xlsx) and adjacency matrices.

One row is one tie. Columns are mapped onto the fields of a tie (`columns`: `--map`, or a guess
by the header's name, always said); cells are read in English or Spanish (`values`); names are
resolved to entities of the store or new entities of the import (`resolution`); every tie is
derived from an import node that records the file, its SHA-256 and the time, and carries the row
it came from as its `hilos:locator`. Rows are read as a stream: memory grows with the number of
distinct names and distinct ties, never with the rows of the file.

A file that is not UTF-8 is read as cp1252 (what Excel saves in Mexico and Spain) and said so.
Every bad row is reported — row, column, value and what was expected — in one error, and then
nothing is loaded (`--skip-invalid` loads the others).

Tie semantics:

* a relation that names a tie class of the ontology (local name, label or altLabel, English or
  Spanish, any case: "alliance", "colusión", "hilos:Collusion") gives that class; any other
  text gives a `hilos:GenericTie` keeping the text in `hilos:relationText`, and the summary
  lists such relations with the closest tie types;
* every row is a claim of its own, with its own status, dates, quote, citation and locator
  (`row N`): two rows about the same pair and type — a second source, a second status, a
  repeated row — are two claims, never merged, so each quote stays paired with its source and
  row. Analyses that need one link per pair aggregate the claims and say how. A row's weight
  (a count, such as intercepted calls) is kept on its claim as `rdf:value`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar

from pyoxigraph import Literal, NamedNode, Triple

from .. import sparql
from ..changes import (
    apply_change,
    change_record,
    check_writable,
    file_digest,
    files_of,
    graph_namespace,
    now,
    statements_of,
)
from ..entities import describe
from ..errors import BadInput, Message
from ..errors import message as _
from ..evidence import Record
from ..namespaces import DCTERMS, HILOS, HILOS_NS, PREFIXES, PROV, RDF, RDF_TYPE, RDFS, XSD
from ..render import csv_cell, decoded
from ..resources import file_sha256
from ..store import Progress, Store, graph_iri, solutions
from ..text import normalise
from ..vocab import vocabulary
from . import load_statements
from .columns import (
    ALIASES,
    FIELDS,
    NODE_FIELDS,
    Columns,
    Mapped,
    Unused,
    parse_mapping,
    read_mapping_file,
    resolve_columns,
)
from .resolution import Match, Resolver, citation_source, name_key
from .values import (
    ACTOR,
    DAY_FIRST,
    MONTH_FIRST,
    PLACE,
    AmbiguousDate,
    BadValue,
    Date,
    Terms,
    decimal_text,
    read_confidence,
    read_date,
    read_url,
    read_weight,
    slash_order,
)

# A row's weight (a count, such as intercepted calls) on its claim. The ontology has no
# property for it yet (hilos:weight is the weight of a status, with domain hilos:Status), so
# the generic rdf:value is used; change this one constant when the ontology gains one.
TIE_WEIGHT = RDF.value
SCHEMA_URL = NamedNode(PREFIXES["schema"] + "url")

DEFAULT_RELATION = "related to"
DEFAULT_MATRIX_RELATION = "communication"
MAX_LISTED = 50
"""Bad cells named in the one error of an import; more are counted ("and N more")."""
_EXAMPLES = 5
_PROGRESS_ROWS = 2000
_SNIFF_BYTES = 64 * 1024
# csv.Sniffer takes time quadratic in its sample on some inputs (64 kB of `, '` took 10 s):
# it sees at most this many characters, plenty for the first lines of any real sheet.
_SNIFF_CHARS = 8 * 1024
_BLOCK = 1 << 20
# The longest cell read, Python's own `csv` default. It is checked here rather than left to
# `csv.field_size_limit`, a setting of the whole process that other libraries raise when they
# are imported (followthemoney sets 30 MB), so a runaway cell fails the same way in any process.
_CELL_LIMIT = 131_072
FALLBACK_ENCODING = "cp1252"
"""What a file that is not UTF-8 is read as: Windows' Western encoding, which Excel uses in
Mexico and Spain (a superset of Latin-1's printable characters)."""

# The class a new entity gets when the relation's range says what its end is (a place a group
# operates in, a market it engages in) and the row gives no type.
_KIND_TYPES = {"place": PLACE, "market": HILOS_NS + "CriminalMarket"}
_MEMO_SIZE = 10_000
_SUGGESTED = 20
T = TypeVar("T")


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
    encoding: str = "utf-8"
    """The encoding the file was read with (`utf-8`, `cp1252`, or the one given)."""
    notice: str | None = None
    """Said on stderr: how the file was read when that was a guess (cp1252)."""


def open_table(
    path: str, *, delimiter: str | None, header: bool, encoding: str | None = None
) -> Table:
    """Open a CSV-like file (or .xlsx) as a stream of `(row number, fields)`.

    Row numbers are those a spreadsheet shows: with a header, the first data row is row 2.
    `encoding` forces one; by default UTF-8 (with or without a byte-order mark, or UTF-16 with
    one) is read as is and any other file as cp1252, with a notice.
    """
    file = Path(path)
    if not file.is_file():
        raise BadInput(_("no file {path}", path=path))
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path, header=header)
    size = file.stat().st_size
    if size == 0:
        raise BadInput(_("{path}: the file is empty", path=path))
    codec, shown, notice = _encoding(path, encoding)
    raw = open(file, "rb")  # noqa: SIM115 - closed by Table.close
    head = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    sample = codecs.getincrementaldecoder(codec)(errors="replace").decode(head)
    if not sample.strip():
        raw.close()
        raise BadInput(_("{path}: the file is empty", path=path))
    text = io.TextIOWrapper(raw, encoding=codec, newline="")
    try:
        chosen = _delimiter(sample, delimiter)
    except BadInput:
        text.close()
        raise
    stream = _numbered(_records(text, chosen), path, shown)
    return _start_table(
        stream,
        path,
        header=header,
        position=raw.tell,
        size=size,
        delimiter=chosen,
        close=text.close,
        encoding=shown,
        notice=notice,
    )


def _records(text: IO[str], delimiter: str | None) -> Iterator[list[str]]:
    """The file's records: fields split at `delimiter`, or at runs of whitespace (None)."""
    if delimiter is None:
        for line in text:
            yield line.split()
    else:
        yield from csv.reader(text, delimiter=delimiter)


def _numbered(
    records: Iterator[list[str]], path: str, encoding: str
) -> Iterator[tuple[int, list[str]]]:
    """Each record that is not blank with its row number; a cell too long, bytes that are not
    `encoding` or broken quoting fail naming the row."""
    number = 0
    try:
        for record in records:
            number += 1
            if any(len(cell) > _CELL_LIMIT for cell in record):
                raise BadInput(
                    _(
                        "{path}, row {number}: a cell longer than {limit} characters "
                        "(a quote left open?)",
                        path=path,
                        number=number,
                        limit=f"{_CELL_LIMIT:,}",
                    )
                )
            if any(cell.strip() for cell in record):
                yield number, record
    except UnicodeDecodeError:
        raise BadInput(
            _(
                "{path}, row {number}: not {encoding} text (give the file's {parameter})",
                parameter="encoding",
                path=path,
                number=number + 1,
                encoding=encoding,
            )
        ) from None
    except csv.Error as exc:
        raise BadInput(
            _("{path}, row {number}: {reason}", path=path, number=number + 1, reason=str(exc))
        ) from None


def _start_table(
    stream: Iterator[tuple[int, list[str]]],
    path: str,
    *,
    header: bool,
    close: Callable[[], None],
    **table: Any,
) -> Table:
    """The table whose rows `stream` gives, its first row read (as the header if `header`);
    `close`d, and failing, when that first row is bad or missing."""
    try:
        first_row = next(stream, None)
    except BadInput:
        close()
        raise
    if first_row is None:
        close()
        raise BadInput(_("{path}: the file is empty", path=path))
    if header:
        names = [cell.strip() for cell in first_row[1]]
        return Table(header=names, first=None, rows=stream, close=close, **table)
    return Table(
        header=None, first=first_row[1], rows=_again(first_row, stream), close=close, **table
    )


def _again(
    first_row: tuple[int, list[str]], stream: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    """The first row read, put back in front of the rest."""
    yield first_row
    yield from stream


def _encoding(path: str, given: str | None) -> tuple[str, str, str | None]:
    """The codec to read a text file with, its name as said, and the notice to give.

    UTF-8 is checked over the whole file (a sheet may be UTF-8 for 10,000 rows and Latin-1 in
    the next), in blocks, so memory stays flat.
    """
    if given is not None:
        return _given_encoding(given)
    with open(path, "rb") as handle:
        if handle.read(4).startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16", "utf-16", None
        handle.seek(0)
        first_bad = _first_undecodable(handle, "utf-8")
        if first_bad is None:
            return "utf-8-sig", "utf-8", None
        handle.seek(0)
        second_bad = _first_undecodable(handle, FALLBACK_ENCODING)
        if second_bad is not None:
            raise BadInput(
                _(
                    "{path}: neither UTF-8 (byte {first}) nor {fallback} text (byte {second}): "
                    "give the file's {parameter}",
                    parameter="encoding",
                    path=path,
                    first=first_bad + 1,
                    fallback=FALLBACK_ENCODING,
                    second=second_bad + 1,
                )
            )
        handle.seek(max(0, first_bad - 200))
        around = handle.read(4000).decode(FALLBACK_ENCODING, errors="replace")
    return FALLBACK_ENCODING, FALLBACK_ENCODING, _fallback_notice(path, around)


def _given_encoding(given: str) -> tuple[str, str, str | None]:
    try:
        found = codecs.lookup(given.strip())
    except (LookupError, ValueError):
        raise BadInput(
            _(
                "{parameter}: unknown encoding {value!r} (such as utf-8, cp1252, latin-1, utf-16)",
                parameter="encoding",
                value=given,
            )
        ) from None
    if found.name == "utf-8":
        return "utf-8-sig", "utf-8", None
    return found.name, found.name, None


def _first_undecodable(handle: IO[bytes], codec: str) -> int | None:
    """The offset of the first byte `codec` cannot decode, read in blocks; None if none."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    try:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            decoder.decode(block)
            offset += len(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset + exc.start
    return None


def _fallback_notice(path: str, around: str) -> str:
    """What to say when a file is read as cp1252: a few of its words as they then read."""
    words = list(dict.fromkeys(re.findall(r"\w*[^\x00-\x7f]\w*", around)))[:3]
    shown = ", ".join(repr(w) for w in words) + (" …" if words else "")
    return _(
        "{file}: not UTF-8, read as {encoding} (Windows, Latin-1): {words} — if these read "
        "wrong, give the file's --encoding",
        file=Path(path).name,
        encoding=FALLBACK_ENCODING,
        words=shown,
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
            raise BadInput(
                _(
                    "{parameter} takes one character, tab or whitespace, not {value!r}",
                    parameter="delimiter",
                    value=given,
                )
            )
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
    # openpyxl does not close a file it fails to read: hilos opens it, and closes it.
    handle = open(path, "rb")  # noqa: SIM115 - closed by close() below
    book: Any = None

    def close() -> None:
        if book is not None:
            book.close()
        handle.close()

    try:
        book = _load_workbook(handle)
        sheet = book.worksheets[0]
        total = sheet.max_row or 0
    except BadInput:
        close()
        raise
    except Exception as exc:  # openpyxl raises many kinds on broken files
        close()
        raise BadInput(
            _("{path}: not a readable .xlsx file ({reason})", path=path, reason=str(exc))
            if str(exc)
            else _("{path}: not a readable .xlsx file (no worksheet)", path=path)
        ) from None
    done = [0]
    stream = _xlsx_rows(sheet, path, done)
    return _start_table(
        stream, path, header=header, position=lambda: done[0], size=total, close=close
    )


def _load_workbook(handle: IO[bytes]) -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise BadInput(_("reading .xlsx needs openpyxl (pip install openpyxl)")) from None
    return openpyxl.load_workbook(handle, read_only=True, data_only=True)


def _xlsx_rows(sheet: Any, path: str, done: list[int]) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows that are not blank, numbered; `done[0]` counts the rows read."""
    # Read-only workbooks parse the sheet as it is read: a broken one fails here.
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows, None)
        except Exception as exc:  # openpyxl and its XML parser raise many kinds
            raise BadInput(
                _(
                    "{path}, row {number}: not a readable .xlsx sheet ({reason})",
                    path=path,
                    number=number + 1,
                    reason=str(exc),
                )
            ) from None
        if values is None:
            return
        number += 1
        done[0] = number
        record = ["" if v is None else _cell_text(v) for v in values]
        if any(cell.strip() for cell in record):
            yield number, record


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _joined(parts: Sequence[str], separator: str) -> str:
    """Texts joined as one message: each part that is a message is said again in the reader's
    language (the separator holds no braces)."""
    values = {f"part{i}": part for i, part in enumerate(parts)}
    return Message(separator.join(f"{{part{i}}}" for i in range(len(parts))), values)


def _row(row: str) -> str:
    """`row 7`, as the importer names a row (and a claim's locator records it), as a message."""
    number = row.removeprefix("row ")
    return _("row {number}", number=number) if number.isdigit() else row


# ------------------------------------------------------------------ building ties


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell of a row (or with the row, when `column` is None)."""

    text: str
    column: str | None = None

    def at(self, number: int) -> str:
        if self.column:
            return _(
                "row {number}, column {column}: {problem}",
                number=number,
                column=self.column,
                problem=self.text,
            )
        return _("row {number}: {problem}", number=number, problem=self.text)


class RowError(ValueError):
    """A row that cannot become a tie: every problem found in it."""

    def __init__(self, *problems: Problem) -> None:
        self.problems = problems
        super().__init__("; ".join(p.at(0) for p in problems))

    @classmethod
    def of(cls, text: str, column: str | None = None) -> RowError:
        return cls(Problem(text, column))


@dataclass(frozen=True)
class Example(Record):
    """A claim as it will read: the first few of an import, for --dry-run."""

    json_keys: ClassVar[tuple[str, ...]] = (
        "row", "source", "relation", "target", "status", "confidence", "start", "end", "quote",
        "citation", "reading",
    )  # fmt: skip
    json_names: ClassVar[Mapping[str, str]] = {
        "source": "from",
        "target": "to",
        "reading": "text",
    }

    row: str
    source: str
    relation: str
    target: str
    status: str
    confidence: str | None
    start: str | None
    end: str | None
    quote: str | None
    citation: str | None

    def text(self) -> str:
        """`Mayor X → protection → Group Y — alleged, confidence 0.8 [2022-03-15 – …] “…”
        source: Interview 1 (2024), row 2`."""
        parts = [f"{self.source} → {self.relation} → {self.target} — {self.status}"]
        if self.confidence is not None:
            parts[0] += f", confidence {self.confidence}"
        if self.start or self.end:
            parts.append(f"[{self.start or '…'} – {self.end or '…'}]")
        if self.quote:
            parts.append(f"“{self.quote}”")
        if self.citation:
            parts.append(f"source: {self.citation},")
        parts.append(self.row)
        return " ".join(parts)

    @property
    def reading(self) -> str:
        """`text()`, as the JSON's `text` key gives it."""
        return self.text()


@dataclass(frozen=True)
class GenericRelation(Record):
    """A relation that names no tie type: kept as the text of generic ties, and said."""

    relation: str
    rows: int
    closest: list[str]


@dataclass
class Summary(Record):
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
    appended: bool = False
    """The file was added to a graph already loaded."""
    change: int | None = None
    """The number of the change of the graph's journal that recorded the import."""
    mapping: list[Mapped] = field(default_factory=list)
    unused: list[Unused] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    node_mapping: list[Mapped] = field(default_factory=list)
    relation_option: str | None = None
    encoding: str = "utf-8"
    notices: list[str] = field(default_factory=list)
    """Said on stderr: how the file was read, where that was a guess."""
    date_order: str | None = None
    date_note: str | None = None
    examples: list[Example] = field(default_factory=list)
    generic_relations: list[GenericRelation] = field(default_factory=list)
    sphere_notes: list[str] = field(default_factory=list)

    json_keys: ClassVar[tuple[str, ...]] = (
        "file", "graph", "sha256", "dry_run", "rows", "ties", "rejected", "rejected_file",
        "new_entities", "link", "mapping", "relation_option", "unused", "ignored",
        "node_mapping", "encoding", "notices", "dates", "merged", "kept_apart", "new_examples",
        "untyped", "examples", "generic_relations", "sphere_notes", "statements", "derived",
        "replaced", "appended", "change",
    )  # fmt: skip
    json_names: ClassVar[Mapping[str, str]] = {
        "unused": "unused_columns",
        "ignored": "ignored_columns",
        "new_examples": "new_entity_examples",
        "untyped": "untyped_actors",
    }

    @property
    def dates(self) -> dict[str, str | None]:
        """How the file's ambiguous dates were read, and the note that says so."""
        return {"order": self.date_order, "note": self.date_note}


@dataclass
class DateOrder:
    """How numeric dates that read both ways (05/03/2022) are read: as `--dayfirst` or
    `--monthfirst` say, or — asked only when such a date turns up — day first when every date
    of the file that tells day from month is day first (`scan` reads them all)."""

    given: str | None = None
    scan: Callable[[], DateEvidence] | None = None
    evidence: DateEvidence | None = None
    first: tuple[str, str, str] | None = None
    """The first ambiguous date: (row, value, reading)."""

    def order(self) -> str | None:
        if self.given is not None:
            return self.given
        if self.evidence is None:
            self.evidence = self.scan() if self.scan is not None else DateEvidence()
        return DAY_FIRST if self.evidence.day and not self.evidence.month else None

    def refusal(self, text: str) -> str:
        evidence = self.evidence or DateEvidence()
        if evidence.day and evidence.month:
            seen = (
                f"the file has both: {evidence.day[1]!r} (row {evidence.day[0]}) is day first, "
                f"{evidence.month[1]!r} (row {evidence.month[0]}) month first"
            )
        elif evidence.month:
            seen = f"{evidence.month[1]!r} (row {evidence.month[0]}) is month first"
        else:
            seen = "no date of the file tells day from month"
        return f"{text!r} could be day-month or month-day ({seen}): give --dayfirst or --monthfirst"

    def note(self) -> str | None:
        """What the summary says of a reading the file decided."""
        if self.given is not None or self.first is None or self.evidence is None:
            return None
        row, value, reading = self.first
        day = self.evidence.day
        assert day is not None
        return _(
            "dates such as {value!r} ({row}) were read day first, as {reading}: every date of "
            "the file that tells day from month is day first (such as {example!r}, row "
            "{number}); --monthfirst reads them the other way",
            value=value,
            row=_row(row),
            reading=reading,
            example=day[1],
            number=day[0],
        )


@dataclass
class DateEvidence:
    """The first date of a file that shows day first, and the first that shows month first."""

    day: tuple[int, str] | None = None
    month: tuple[int, str] | None = None


@dataclass
class _RowValues:
    """A row's cells, read: what `Builder.tie` makes its statements from."""

    relation: str
    given_relation: bool
    amount: Decimal | None
    status: str | None
    confidence: Decimal | None
    start: Date | None
    end: Date | None
    url: str | None
    ends: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    """(name, type, sphere) of the `from` end, then of the `to` end."""


def _decimal(value: Decimal) -> Literal:
    return Literal(decimal_text(value), datatype=XSD.decimal)


def _example(
    row: str, read: _RowValues, cells: Mapping[str, str], relation: str, status: str
) -> Example:
    """A row's claim as --dry-run shows it."""
    return Example(
        row=row,
        source=read.ends[0][0],
        relation=relation,
        target=read.ends[1][0],
        status=vocabulary().status_name(status),
        confidence=decimal_text(read.confidence) if read.confidence is not None else None,
        start=read.start.text if read.start else None,
        end=read.end.text if read.end else None,
        quote=cells.get("quote", "") or None,
        citation=cells.get("citation", "") or None,
    )


class Builder:
    """Turns rows into statements; keeps only the name map and what the summary shows."""

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
        columns: Columns | None = None,
        dates: DateOrder | None = None,
        default_relation: str = DEFAULT_RELATION,
        namespace: str | None = None,
    ) -> None:
        self.terms = Terms.from_store(store)
        self.store = store
        self.title = decoded(Path(path).name)
        self.namespace = namespace or graph_namespace(graph)
        self.resolver = Resolver.for_store(store, self.namespace, link=link)
        self.status = NamedNode(self.terms.status(status))
        self.quote_lang = quote_lang
        self.columns = columns
        self.dates = dates or DateOrder()
        self.default_relation = default_relation
        # A sheet repeats a few values in many rows: each is read once.
        self._status = _memo(self.terms.status)
        self._confidence = _memo(read_confidence)
        self._type = _memo(self.terms.type_of)
        self._sphere = _memo(self.terms.sphere)
        self._tie_class = _memo(self.terms.tie_class)
        self._read_date = _memo(lambda text: read_date(text, self.dates.given))
        self.claims = 0
        self.citations: set[str] = set()
        self.examples: list[Example] = []
        self.generic: dict[str, int] = {}
        self.spheres: dict[str, tuple[str, str]] = {}
        """New entity -> (sphere, the row that gave it)."""
        self.stated_spheres: dict[str, tuple[str, str]] = {}
        """Existing entity -> (the name in the sheet, the sphere the sheet gives it)."""
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

    def _column(self, fld: str) -> str:
        return self.columns.name(fld) if self.columns is not None else fld

    def _date(self, row: str, text: str) -> Date:
        try:
            return self._read_date(text)
        except AmbiguousDate:
            order = self.dates.order()
            if order is None:
                raise BadValue(self.dates.refusal(text)) from None
            found = read_date(text, order)
            if self.dates.first is None:
                self.dates.first = (row, text, found.text)
            return found

    def tie(self, row: str, cells: Mapping[str, str]) -> list[Triple]:
        """The statements of one row (every cell checked before any is returned). `row` is
        where the row is (`row 7`); `cells` maps fields to the row's text."""
        read = self._read_row(row, cells)
        tie_class, generic_text = self._tie_class_of(read.relation, given=read.given_relation)
        a, b = self._resolve_ends(row, read.ends, tie_class)
        # One claim per row: its IRI comes from the row's place in the file and what it says,
        # so the same file imported again gives the same claims.
        digest = hashlib.sha256(
            "\x1f".join((row, tie_class, generic_text or "", a, b)).encode("utf-8")
        ).hexdigest()[:20]
        tie_node = NamedNode(self.namespace + "tie/" + digest)
        self.claims += 1
        status_node = NamedNode(read.status) if read.status else self.status
        locator = row + (f"; {cells['locator']}" if cells.get("locator") else "")
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
        triples += self._facts(tie_node, read, cells)
        if len(self.examples) < _EXAMPLES:
            relation = (
                f"{generic_text} (generic tie)" if generic_text else self.terms.label(tie_class)
            )
            self.examples.append(_example(row, read, cells, relation, status_node.value))
        return triples

    def _read_row(self, row: str, cells: Mapping[str, str]) -> _RowValues:
        """Every cell of the row read; `RowError` with all that is wrong with them."""
        problems: list[Problem] = []

        def read(fld: str, reader: Callable[[str], Any]) -> Any:
            text = cells.get(fld, "")
            if not text:
                return None
            try:
                return reader(text)
            except BadValue as exc:
                # the message itself (its template kept), so it is said in the reader's language
                problems.append(Problem(exc.args[0] if exc.args else str(exc), self._column(fld)))
                return None

        given_relation = cells.get("relation", "")
        values = _RowValues(
            relation=given_relation or self.default_relation,
            given_relation=bool(given_relation),
            amount=read("weight", read_weight),
            status=read("status", self._status),
            confidence=read("confidence", self._confidence),
            start=read("start", lambda t: self._date(row, t)),
            end=read("end", lambda t: self._date(row, t)),
            url=read("url", read_url),
        )
        for end_name in ("from", "to"):
            name = cells.get(end_name, "")
            type_iri = read(end_name + "_type", self._type)
            sphere = read(end_name + "_sphere", self._sphere)
            problems += self._end_problems(name, end_name, type_iri, sphere)
            values.ends.append((name, type_iri, sphere))
        start, end = values.start, values.end
        if start is not None and end is not None and end.text < start.text[: len(end.text)]:
            columns = f"{self._column('start')} and {self._column('end')}"
            problems.append(
                Problem(f"ends ({cells['end']}) before it starts ({cells['start']})", columns)
            )
        if problems:
            raise RowError(*problems)
        return values

    def _end_problems(
        self, name: str, end_name: str, type_iri: str | None, sphere: str | None
    ) -> list[Problem]:
        """What is wrong with the name (and sphere) of one end of a row's tie."""
        if not name:
            return [Problem(f"empty {end_name} end", self._column(end_name))]
        if not normalise(name):
            return [Problem(f"{name!r} has no letters or digits", self._column(end_name))]
        if sphere is not None:
            return self._sphere_problems(name, end_name, type_iri, sphere)
        return []

    def _tie_class_of(self, relation: str, *, given: bool) -> tuple[str, str | None]:
        """The tie type a relation names, and the relation's text when it names none (the
        tie is then generic and the text counted, if the row gave it)."""
        tie_class = self._tie_class(relation)
        if tie_class is not None:
            return tie_class, None
        if given and (relation in self.generic or len(self.generic) < _MEMO_SIZE):
            # the default needs no saying; the first 10,000 texts are counted
            self.generic[relation] = self.generic.get(relation, 0) + 1
        return HILOS_NS + "GenericTie", relation

    def _resolve_ends(
        self, row: str, ends: list[tuple[str, str | None, str | None]], tie_class: str
    ) -> tuple[str, str]:
        """The entities the two ends name (found or new), their spheres noted."""
        (source, from_class, from_sphere), (target, to_type, to_sphere) = ends
        to_kind = self.terms.to_kinds.get(tie_class)
        to_class = to_type or _KIND_TYPES.get(to_kind or "")
        a = self.resolver.resolve(source, from_class, self.terms.kind(from_class))
        b = self.resolver.resolve(target, to_class, self.terms.kind(to_class) or to_kind)
        for iri, name, sphere in ((a, source, from_sphere), (b, target, to_sphere)):
            if sphere is None:
                continue
            if iri in self.resolver.new:
                self.spheres.setdefault(iri, (sphere, row))
            else:
                self.stated_spheres.setdefault(iri, (name, sphere))
        return a, b

    def _facts(
        self, tie_node: NamedNode, read: _RowValues, cells: Mapping[str, str]
    ) -> list[Triple]:
        """The statements of what a row may say of its tie: confidence, dates, weight, quote,
        source and URL."""
        triples = []
        if read.confidence is not None:
            triples.append(Triple(tie_node, HILOS.confidence, _decimal(read.confidence)))
        for predicate, date in ((HILOS.start, read.start), (HILOS.end, read.end)):
            if date is not None:
                triples.append(Triple(tie_node, predicate, date.literal()))
        if read.amount is not None:
            triples.append(Triple(tie_node, TIE_WEIGHT, _decimal(read.amount)))
        quote = cells.get("quote", "")
        if quote:
            literal = (
                Literal(quote, language=self.quote_lang) if self.quote_lang else Literal(quote)
            )
            triples.append(Triple(tie_node, HILOS.quote, literal))
        triples += self._citation(tie_node, cells.get("citation", ""))
        if read.url is not None:
            triples.append(Triple(tie_node, SCHEMA_URL, NamedNode(read.url)))
        return triples

    def _citation(self, tie_node: NamedNode, citation: str) -> list[Triple]:
        """The tie's source, described the first time the import cites it."""
        if not citation:
            return []
        source_node, about_source = citation_source(self.namespace, citation)
        triples: list[Triple] = []
        if source_node.value not in self.citations:
            self.citations.add(source_node.value)
            triples += about_source
        triples.append(Triple(tie_node, PROV.wasDerivedFrom, source_node))
        return triples

    def _sphere_problems(
        self, name: str, end_name: str, type_iri: str | None, sphere: str
    ) -> list[Problem]:
        """An actor has one sphere: the row's must agree with its type's, and with the one an
        earlier row gave the same new entity (a drift between spheres is a tie of its own)."""
        column = self._column(end_name + "_sphere")
        shown = vocabulary().sphere_name(sphere)
        implied = self.terms.type_spheres.get(type_iri or "")
        if implied is not None and implied != sphere:
            return [
                Problem(
                    f"{shown!r} is not the sphere of the type {self.terms.label(type_iri or '')} "
                    f"({vocabulary().sphere_name(implied)})",
                    column,
                )
            ]
        iri = self.resolver.resolved.get(name_key(name))
        if iri is None:
            return []
        earlier = self.spheres.get(iri)
        entity = self.resolver.new.get(iri)
        if entity is not None and entity.type is not None:
            typed = self.terms.type_spheres.get(entity.type)
            if typed is not None and typed != sphere:
                return [
                    Problem(
                        f"{name!r} is a {self.terms.label(entity.type)} "
                        f"({vocabulary().sphere_name(typed)}), not {shown}",
                        column,
                    )
                ]
        if earlier is not None and earlier[0] != sphere:
            return [
                Problem(
                    f"{shown!r}, but {earlier[1]} puts {name!r} in the "
                    f"{vocabulary().sphere_name(earlier[0])} sphere: an actor has one sphere "
                    "(a drift between spheres is a tie: sphere drift)",
                    column,
                )
            ]
        return []

    def closing(self) -> Iterator[Triple]:
        """The statements known only at the end: the new entities."""
        for entity in self.resolver.new.values():
            node = NamedNode(entity.iri)
            yield Triple(node, RDF_TYPE, NamedNode(entity.type or ACTOR))
            yield Triple(node, RDFS.label, Literal(entity.label))
            yield Triple(node, PROV.wasDerivedFrom, self.import_node)
            sphere = self.spheres.get(entity.iri)
            if sphere is not None:
                yield Triple(node, HILOS.sphere, NamedNode(sphere[0]))

    def fill(self, summary: Summary) -> None:
        summary.ties = self.claims
        summary.new_entities = len(self.resolver.new)
        summary.untyped = sum(
            1 for e in self.resolver.new.values() if e.type is None and e.iri not in self.spheres
        )
        summary.merged = sorted(self.resolver.merged.values(), key=lambda m: (m.name, m.entity))
        summary.kept_apart = sorted(
            self.resolver.kept_apart.values(), key=lambda m: (m.name, m.entity)
        )
        summary.new_examples = [e.label for e in list(self.resolver.new.values())[:_EXAMPLES]]
        summary.examples = list(self.examples)
        # the most frequent first; the closest tie types of the first few (difflib is slow)
        ranked = sorted(self.generic.items(), key=lambda item: -item[1])
        summary.generic_relations = [
            GenericRelation(
                text, count, self.terms.suggest_relation(text) if rank < _SUGGESTED else []
            )
            for rank, (text, count) in enumerate(ranked)
        ]
        summary.sphere_notes = self._sphere_notes()
        if self.dates.given is not None:
            summary.date_order = self.dates.given + " first"
        elif self.dates.first is not None:
            summary.date_order = DAY_FIRST + " first"
        summary.date_note = self.dates.note()

    def _sphere_notes(self) -> list[str]:
        """Spheres the sheet gives entities of the store: never written (the entity keeps its
        own), and said where they differ from it."""
        notes: list[str] = []
        for iri, (name, sphere) in sorted(self.stated_spheres.items()):
            rows = solutions(
                self.store.query(sparql.load("entity-spheres"), bindings={"e": NamedNode(iri)})
            )
            held = {r["s"].value for r in rows if r["s"] is not None}
            if sphere not in held:
                spheres = ", ".join(sorted(vocabulary().sphere_name(s) for s in held))
                said = {
                    "name": name,
                    "entity": describe(self.store, iri).label,
                    "given": vocabulary().sphere_name(sphere),
                }
                notes.append(
                    _(
                        "{name!r} is the existing {entity} (sphere: {spheres}); the sheet's "
                        "{given} was not written",
                        spheres=spheres,
                        **said,
                    )
                    if spheres
                    else _(
                        "{name!r} is the existing {entity} (sphere: none); the sheet's {given} "
                        "was not written",
                        **said,
                    )
                )
        return notes


def _memo(reader: Callable[[str], T]) -> Callable[[str], T]:
    """`reader`, remembering what it made of the first `_MEMO_SIZE` texts it read (and the
    `BadValue` it raised); an `AmbiguousDate` is never remembered, as the file may decide it."""
    cache: dict[str, T | BadValue] = {}

    def read(text: str) -> T:
        found: T | BadValue
        if text in cache:
            found = cache[text]
        else:
            try:
                found = reader(text)
            except AmbiguousDate:
                raise
            except BadValue as exc:
                found = exc
            if len(cache) < _MEMO_SIZE:
                cache[text] = found
        if isinstance(found, BadValue):
            raise BadValue(found.args[0] if found.args else str(found))
        return found

    return read


def _default_status(text: str) -> str:
    """The key of the status `--status` names."""
    key = normalise(text).removeprefix("hilos ")
    keys = vocabulary().status_keys
    if key not in keys:
        raise BadInput(
            _(
                "{parameter}: unknown status {value!r} (one of: {known})",
                parameter="status",
                value=text,
                known=", ".join(keys),
            )
        )
    return key


# ------------------------------------------------------------------ the two importers


class BadRows(BadInput):
    """Rows that cannot become ties: the message names every problem (up to `MAX_LISTED`),
    so it is as long as it needs to be — one line, never clipped."""


@dataclass
class Rejects:
    """Bad rows: every problem up to `MAX_LISTED` for the one error, and (with --skip-invalid)
    a file of the rows."""

    path: str
    skip: bool
    header: list[str] | None
    write: bool = True
    note: str = ""
    """Added to the error: how the file was read, where that was a guess."""
    guessed: dict[str, str] = field(default_factory=dict)
    """Column -> the field it was read as by its name (said when its cells are bad)."""
    columns: set[str] = field(default_factory=set)
    listed: list[str] = field(default_factory=list)
    problems: int = 0
    count: int = 0
    output: Path | None = None
    _handle: IO[str] | None = None
    _writer: Any = None

    def add(self, number: int, record: Sequence[str], error: RowError) -> None:
        self.count += 1
        for problem in error.problems:
            self.problems += 1
            if problem.column is not None:
                self.columns.add(problem.column)
            if len(self.listed) < MAX_LISTED:
                self.listed.append(problem.at(number))
        if not (self.skip and self.write):
            return
        if self._writer is None:
            source = Path(self.path)
            self.output = source.with_name(source.stem + ".rejected.csv")
            self._handle = open(self.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._handle)
            self._writer.writerow([csv_cell(h) for h in ["row", *(self.header or []), "reason"]])
        reason = "; ".join(p.at(number) for p in error.problems)
        # The file is opened in a spreadsheet to fix the rows: no cell may run as a formula.
        self._writer.writerow([number, *(csv_cell(cell) for cell in [*record, reason])])

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def check(self) -> None:
        """Raise if rows were bad and not to be skipped: one error naming every problem."""
        if self.count and not self.skip:
            more = self.problems - len(self.listed)
            listed = _joined(self.listed, "; ")
            if more:
                listed = _("{problems}; and {count} more", problems=listed, count=more)
            guesses = [f"{column} → {fld}" for column, fld in self.guessed.items()
                       if column in self.columns]  # fmt: skip
            guessed = (
                _("; guessed by name: {columns}", columns=", ".join(guesses)) if guesses else ""
            )
            said = {
                "file": decoded(Path(self.path).name),
                "count": self.count,
                "problems": listed,
                "guessed": guessed,
                "note": self.note,
            }
            raise BadRows(
                _(
                    "{file}: {count} bad rows, nothing loaded — {problems} ({parameter} loads "
                    "the others){guessed}{note}",
                    parameter="skip_invalid",
                    **said,
                )
                if self.count > 1
                else _(
                    "{file}: 1 bad row, nothing loaded — {problems} ({parameter} loads the "
                    "others){guessed}{note}",
                    parameter="skip_invalid",
                    **said,
                )
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
    encoding: str | None = None
    """Force the file's encoding (default: UTF-8, or cp1252 with a notice)."""
    date_order: str | None = None
    """`day` or `month`: how to read numeric dates such as 05/03/2022 (default: as the file's
    unambiguous dates show, day first only)."""
    append: bool = False
    """Add the file to the graph if it exists (a change of its journal, under a prefix of its
    own, that `hilos undo` or `hilos drop GRAPH --file` take out)."""


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
    _check_options(options)
    table = open_table(
        path, delimiter=options.delimiter, header=options.header, encoding=options.encoding
    )
    try:
        fields = [f for f in FIELDS if not (f == "relation" and options.relation)]
        given = {"relation": "--relation"} if options.relation else {}
        columns = resolve_columns(
            path, table.header, table.first, dict(options.mapping), fields, ("from", "to"),
            given=given,
        )  # fmt: skip
        nodes, node_columns = _read_nodes(options) if options.nodes else (None, None)
        summary, namespace = _begin(
            store, path, name, table, replace=replace, dry_run=dry_run, append=options.append,
            link=options.link,
        )  # fmt: skip
        summary.mapping, summary.unused = columns.mapping, columns.unused
        summary.ignored, summary.relation_option = columns.ignored, options.relation
        summary.node_mapping = node_columns.mapping if node_columns else []
        digest = summary.sha256
        dates = DateOrder(
            given=options.date_order,
            scan=lambda: _date_evidence(path, table, columns, options.header),
        )
        builder = Builder(
            store, path=path, graph=name, sha256=digest, status=_default_status(options.status),
            quote_lang=options.quote_lang, link=options.link, columns=columns, dates=dates,
            namespace=namespace,
        )  # fmt: skip
        rejects = Rejects(
            path=path,
            skip=options.skip_invalid,
            header=table.header,
            write=not dry_run,
            note=_read_note(table),
            guessed={m.column: m.field for m in columns.mapping if m.by == "header"},
        )
        rows = _RowReader(columns, options.relation, nodes)
        statements = _sheet_statements(path, table, rows, builder, summary, rejects, progress)
        return _finish(
            store, statements, builder, summary, rejects, path, name, digest, replace, progress
        )
    finally:
        table.close()


def _check_options(options: ImportOptions) -> None:
    """Fail, before the file is read, on an option that cannot be right."""
    _default_status(options.status)
    if options.relation is not None and not options.relation.strip():
        raise BadInput(_("{parameter} is empty", parameter="relation"))
    _check_relation(options.relation)
    if options.date_order not in (None, DAY_FIRST, MONTH_FIRST):
        raise BadInput(f"date order must be {DAY_FIRST} or {MONTH_FIRST}")
    if options.quote_lang:
        try:
            Literal("", language=options.quote_lang)
        except ValueError as exc:
            raise BadInput(
                _(
                    "{parameter}: {value!r} is not a language tag such as en, es or pt-BR "
                    "({problem})",
                    parameter="quote_lang",
                    value=options.quote_lang,
                    problem=str(exc),
                )
            ) from None


def _read_note(table: Table) -> str:
    """What the rejected rows' file says of how the file was read, if that was a guess."""
    if not table.notice:
        return ""
    return _(" (the file was read as {encoding}: not UTF-8)", encoding=table.encoding)


class _RowReader:
    """A record's cells by field: the --relation given for every row, and the ends named in
    the node sheet replaced by the node's name and type."""

    def __init__(
        self,
        columns: Columns,
        relation: str | None,
        nodes: dict[str, tuple[str, str]] | None,
    ) -> None:
        self.columns = columns
        self.relation = relation
        self.nodes = nodes
        self.read = [f for f in columns.index if f in FIELDS]

    def cells(self, record: Sequence[str]) -> dict[str, str]:
        cells = {fld: self.columns.get(record, fld) for fld in self.read}
        cells["relation"] = self.relation or cells.get("relation", "")
        if self.nodes is not None:
            self._from_nodes(cells, self.nodes)
        return cells

    def _from_nodes(self, cells: dict[str, str], nodes: dict[str, tuple[str, str]]) -> None:
        problems = []
        for end in ("from", "to"):
            value = cells.get(end, "")
            if not value:
                continue
            node = nodes.get(value)
            if node is None:
                text = f"{value!r} is not in the node sheet"
                problems.append(Problem(text, self.columns.name(end)))
                continue
            cells[end] = node[0]
            cells[end + "_type"] = cells.get(end + "_type") or node[1]
        if problems:
            raise RowError(*problems)


def _sheet_statements(
    path: str,
    table: Table,
    rows: _RowReader,
    builder: Builder,
    summary: Summary,
    rejects: Rejects,
    progress: Progress | None,
) -> Iterator[Triple]:
    """The import's statements, row by row; a rejected row stops what follows from being
    written unless rejected rows are skipped."""
    yield from builder.header_triples
    for count, (number, record) in enumerate(table.rows, 1):
        summary.rows += 1
        if progress is not None and count % _PROGRESS_ROWS == 0:
            progress(table.position(), table.size)
        try:
            triples = builder.tie(f"row {number}", rows.cells(record))
        except RowError as exc:
            rejects.add(number, record, exc)
            continue
        if not rejects.count or rejects.skip:
            yield from triples
    if progress is not None and summary.rows >= _PROGRESS_ROWS:
        progress(table.size, table.size)
    rejects.check()
    if not builder.claims:
        raise BadInput(_("{file}: no rows to import", file=Path(path).name))
    yield from builder.closing()


def _date_evidence(path: str, table: Table, columns: Columns, header: bool) -> DateEvidence:
    """Read the file's date columns once more for the first date that shows day first and the
    first that shows month first (only done when a date reads both ways)."""
    evidence = DateEvidence()
    fields = [f for f in ("start", "end") if f in columns.index]
    again = open_table(
        path, delimiter=table.delimiter or "whitespace", header=header, encoding=table.encoding
    )
    try:
        for number, record in again.rows:
            for fld in fields:
                text = columns.get(record, fld)
                order = slash_order(text) if text else None
                if order == DAY_FIRST and evidence.day is None:
                    evidence.day = (number, text)
                elif order == MONTH_FIRST and evidence.month is None:
                    evidence.month = (number, text)
            if evidence.day and evidence.month:
                break
    finally:
        again.close()
    return evidence


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
    encoding: str | None = None,
    append: bool = False,
) -> Summary:
    """Import an adjacency matrix: the first row and column are ids, nonzero cells are ties
    from the row's entity to the column's, weighted by the cell."""
    name = graph or decoded(Path(path).stem)
    status_key = _default_status(status)
    _check_relation(relation)
    table = open_table(path, delimiter=delimiter, header=True, encoding=encoding)
    try:
        header = table.header or []
        ids = _matrix_ids(path, header)
        summary, namespace = _begin(
            store, path, name, table, replace=replace, dry_run=dry_run, append=append, link=link
        )
        digest = summary.sha256
        builder = Builder(
            store, path=path, graph=name, sha256=digest, status=status_key, quote_lang=None,
            link=link, default_relation=relation or DEFAULT_MATRIX_RELATION, namespace=namespace,
        )  # fmt: skip
        rejects = Rejects(path=path, skip=False, header=header, note=_read_note(table))
        matrix = _Matrix(path, ids, relation or "", builder)
        statements = _matrix_statements(table, matrix, summary, rejects, progress)
        return _finish(
            store, statements, builder, summary, rejects, path, name, digest, replace, progress
        )
    finally:
        table.close()


def _matrix_ids(path: str, header: list[str]) -> list[str]:
    """The ids of the matrix's columns, from its first row."""
    if len(header) < 2:
        raise BadInput(
            _(
                "{path}: the first row has a single column — wrong delimiter? "
                "(try {parameter} ',', ';', tab or whitespace)",
                parameter="delimiter",
                path=path,
            )
        )
    ids = header[1:]
    if any(not i for i in ids):
        raise BadInput(_("{path}: the first row has an empty id", path=path))
    return ids


@dataclass(frozen=True)
class _Matrix:
    """How the rows of an adjacency matrix become ties."""

    path: str
    ids: list[str]
    relation: str
    builder: Builder

    def ties(self, number: int, record: list[str]) -> list[Triple]:
        """The ties of one row: one for each nonzero cell, from the row's id to the column's;
        `RowError` for a row without an id, of the wrong length, or with a cell not a number."""
        row_id = record[0].strip() if record else ""
        if not row_id:
            raise RowError.of("empty id in the first column", "1")
        if len(record) - 1 != len(self.ids):
            raise RowError.of(f"{len(record) - 1} cells, the first row has {len(self.ids)} ids")
        triples: list[Triple] = []
        for column, (col_id, cell) in enumerate(zip(self.ids, record[1:], strict=True), 2):
            value = cell.strip()
            if value and _nonzero(value, column):
                triples += self.builder.tie(
                    f"row {number}, column {column}",
                    {"from": row_id, "to": col_id, "relation": self.relation, "weight": value},
                )
        return triples


def _nonzero(value: str, column: int) -> bool:
    try:
        return Decimal(value) != 0
    except InvalidOperation:
        raise RowError.of(f"{value!r} is not a number", str(column)) from None


def _matrix_statements(
    table: Table,
    matrix: _Matrix,
    summary: Summary,
    rejects: Rejects,
    progress: Progress | None,
) -> Iterator[Triple]:
    """The matrix import's statements, row by row; nothing is written after a rejected row."""
    builder = matrix.builder
    yield from builder.header_triples
    for count, (number, record) in enumerate(table.rows, 1):
        summary.rows += 1
        if progress is not None and count % 100 == 0:
            progress(table.position(), table.size)
        try:
            triples = matrix.ties(number, record)
        except RowError as exc:
            rejects.add(number, record, exc)
            continue
        if not rejects.count:
            yield from triples
    rejects.check()
    if not builder.claims:
        raise BadInput(_("{file}: no nonzero cells to import", file=Path(matrix.path).name))
    yield from builder.closing()


def _check_relation(relation: str | None) -> None:
    """--relation must be text a literal can hold (not bytes the shell could not decode)."""
    if relation:
        try:
            Literal(relation)
        except ValueError:
            raise BadInput(
                _("{parameter} {value!r} is not UTF-8 text", parameter="relation", value=relation)
            ) from None


def _begin(
    store: Store,
    path: str,
    name: str,
    table: Table,
    *,
    replace: bool,
    dry_run: bool,
    append: bool,
    link: str,
) -> tuple[Summary, str | None]:
    """The summary every import of a table starts from (the file's SHA-256, read once, its
    encoding and notices) and the namespace to append under (None: a graph of its own), the
    graph checked before any row is read."""
    digest = file_sha256(Path(path))
    namespace = _check_graph(store, name, replace, dry_run, append, digest)
    summary = Summary(
        file=decoded(path),
        graph=name,
        sha256=digest,
        dry_run=dry_run,
        appended=namespace is not None,
        link=link,
        encoding=table.encoding,
        notices=[table.notice] if table.notice else [],
    )
    return summary, namespace


def _check_graph(
    store: Store, name: str, replace: bool, dry_run: bool, append: bool, digest: str
) -> str | None:
    """Check the graph an import writes: a new one, one to replace, or — with `append` — one
    to add the file to. Returns the IRI prefix an appended file's statements take (None: the
    graph's own namespace, for a new or replaced graph)."""
    from ..errors import GraphExists

    graph_iri(name)  # a name the store cannot take fails here, before any work
    if append and replace:
        raise BadInput(
            _(
                "{parameter} adds a file to a graph, {other_parameter} replaces the graph: "
                "not both",
                parameter="append",
                other_parameter="replace",
            )
        )
    exists = any(info.name == name for info in store.graphs())
    if replace or not exists:
        return None
    if not append:
        raise GraphExists(
            _(
                "a graph named {name} is already loaded (use --append to add this file to it, "
                "--replace, or --graph)",
                name=name,
            )
        )
    check_writable(store, name)
    present = statements_of(store, name)
    for change in files_of(store, name):
        if file_digest(present, change) == digest:
            raise GraphExists(
                _(
                    "the graph {name} holds this file already ({file}, change {number}): hilos "
                    "drop {name} --file {file} takes it out first",
                    name=name,
                    file=change.title,
                    number=change.number,
                )
            )
    return graph_namespace(name) + "file/" + digest[:12] + "/"


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
        elif summary.appended:
            # a file added to a graph of the user's: one change of its journal
            added = list(statements)
            change = apply_change(
                store,
                name,
                added=added,
                action="import",
                changed=builder.import_node.value,
                added_under=builder.namespace,
                title=builder.title,
            )
            summary.change = change.number
            info = store.graph(name)
            summary.statements, summary.derived = info.triples, info.inferred_triples
        else:
            counted = _Counted(statements)
            journaled = itertools.chain(counted, _first_change(builder, counted))
            report = load_statements(
                store,
                journaled,
                name=name,
                origin=f"{builder.title} (hilos import)",
                sha256=digest,
                replace=replace,
                progress=None,
            )
            summary.statements = report.triples
            summary.derived = report.inferred_triples
            summary.replaced = bool(report.replaced)
            summary.change = 1
    finally:
        rejects.close()
    builder.fill(summary)
    summary.rejected = rejects.count
    summary.rejected_file = decoded(str(rejects.output)) if rejects.output else None
    return summary


class _Counted:
    """The statements of an import as they stream to the store, counted."""

    def __init__(self, statements: Iterator[Triple]) -> None:
        self._statements = statements
        self.count = 0

    def __iter__(self) -> Iterator[Triple]:
        for statement in self._statements:
            self.count += 1
            yield statement


def _first_change(builder: Builder, counted: _Counted) -> Iterator[Triple]:
    """The journal's record of a graph's first import, once its statements have streamed: what
    `hilos undo` reads to take the file out again."""
    node = NamedNode(builder.namespace + "change/1")
    yield from change_record(
        node,
        number=1,
        action="import",
        at=now(),
        added=counted.count,
        added_under=builder.namespace,
        title=builder.title,
    )
    yield Triple(node, HILOS.changed, builder.import_node)


def _read_nodes(options: ImportOptions) -> tuple[dict[str, tuple[str, str]], Columns]:
    """The node sheet: id → (label, type). Node sheets hold one row per entity."""
    assert options.nodes is not None
    path = options.nodes
    table = open_table(
        path, delimiter=options.delimiter, header=options.header, encoding=options.encoding
    )
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
                problems.append(f"row {number}, column {columns.name('node_id')}: empty id")
                continue
            nodes[node_id] = (label, columns.get(record, "node_type"))
        if problems:
            shown = "; ".join(problems[:MAX_LISTED])
            more = f"; and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
            raise BadInput(f"{Path(path).name}: {shown}{more}")
        return nodes, columns
    finally:
        table.close()


def dump_json(summary: Summary) -> str:
    return json.dumps(summary.as_dict(), ensure_ascii=False, indent=2)


__all__ = [
    "ALIASES",
    "FIELDS",
    "MAX_LISTED",
    "NODE_FIELDS",
    "TIE_WEIGHT",
    "BadRows",
    "ImportOptions",
    "Summary",
    "import_csv",
    "import_matrix",
    "parse_mapping",
    "read_mapping_file",
]
