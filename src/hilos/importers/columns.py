"""Which column of a sheet fills which field of a tie: `--map FIELD=COLUMN`, or a guess by the
column's header name — said, never silent, and never made between two candidates.

The fields of a tie are `FIELDS`. A column whose header (compared case-, accent- and
punctuation-insensitively) is one of `HEADER_NAMES[field]` fills that field unless the field is
mapped; two such columns for one field are refused, naming both and the `--map` that decides. A
column named `source` (or Source, Fuente, Cita) is the citation: `source`/`target` are the ends
only when mapped (`--map from=source --map to=target`, Gephi's edge list), and a sheet with both
headers and no from/to column is refused with that advice. The outcome lists every field with
its column and whether it was guessed, the recognised columns that are not used (a `date` column
when `start` is mapped to another) and the columns ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput
from ..errors import message as _
from ..evidence import Record
from ..text import normalise

FIELDS = (
    "from",
    "to",
    "relation",
    "status",
    "confidence",
    "start",
    "end",
    "weight",
    "quote",
    "citation",
    "locator",
    "url",
    "from_type",
    "to_type",
    "from_sphere",
    "to_sphere",
)
"""The fields of a tie that a column may fill."""

ALIASES: Mapping[str, str] = {
    "source": "from",
    "target": "to",
    "source_type": "from_type",
    "target_type": "to_type",
    "source_sphere": "from_sphere",
    "target_sphere": "to_sphere",
}
"""Field names `--map` also takes (the names of earlier versions and of Gephi's edge lists)."""

NODE_FIELDS = ("node_id", "node_label", "node_type")
"""The fields of a node sheet (`--nodes`)."""

HEADER_NAMES: Mapping[str, tuple[str, ...]] = {
    "from": ("from", "de", "desde", "origen", "src", "node", "actor", "from id", "source id"),
    "to": ("to", "a", "hacia", "destino", "dst", "rnode", "to id", "target id"),
    "relation": (
        "relation",
        "relación",
        "tipo",
        "type",
        "tie",
        "relationship",
        "relation type",
        "tipo de relación",
    ),
    "status": ("status", "estatus", "estado"),
    "confidence": ("confidence", "confianza"),
    "start": (
        "start",
        "inicio",
        "date",
        "fecha",
        "desde_fecha",
        "start date",
        "from date",
        "since",
        "fecha de inicio",
        "fecha inicio",
    ),
    "end": ("end", "fin", "hasta", "end date", "to date", "until", "fecha de fin", "fecha fin"),
    "weight": ("weight", "count", "value", "peso"),
    "quote": ("quote", "cita textual", "texto", "extracto"),
    "citation": ("citation", "source", "fuente", "cita", "referencia"),
    "locator": ("locator", "página", "page"),
    "url": ("url", "link", "enlace"),
    "from_type": ("from_type", "tipo de", "tipo origen", "source_type"),
    "to_type": ("to_type", "tipo a", "tipo destino", "target_type"),
    "from_sphere": ("from_sphere", "esfera de", "esfera origen", "source_sphere"),
    "to_sphere": ("to_sphere", "esfera a", "esfera destino", "target_sphere"),
    "node_id": ("id", "node", "node_id", "key"),
    "node_label": ("label", "name", "group", "title", "nombre"),
    "node_type": ("type", "class", "kind", "tipo"),
}
"""Header names a field is read from when it is not mapped (normalised before comparing)."""

ENDS_ONLY_WHEN_MAPPED = {"target": "to"}
"""Headers that name an end only with `--map` (`source` is a citation, and said to be)."""

DEFAULT_INDEXES: Mapping[str, int] = {
    "from": 1,
    "to": 2,
    "weight": 3,
    "node_id": 1,
    "node_label": 2,
}
"""Without a header: the first three columns are from, to and weight."""

_SHOWN_COLUMNS = 12


def canonical_field(name: str) -> str:
    """The field a `--map` name stands for (`source` is `from`, `target_type` is `to_type`)."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(key, key)


def parse_mapping(items: Iterable[str], allowed: Sequence[str]) -> dict[str, str]:
    """`FIELD=COLUMN` strings as a dict of canonical fields; unknown fields are a `BadInput`.
    A later item for the same field wins (so `--map` overrides a mapping file)."""
    mapping: dict[str, str] = {}
    for item in items:
        fld, sep, column = item.partition("=")
        raw = fld.strip().lower().replace("-", "_").replace(" ", "_")
        column = column.strip()
        if not sep or not raw or not column:
            raise BadInput(
                _("{parameter} takes FIELD=COLUMN, not {item!r}", parameter="maps", item=item)
            )
        if raw not in allowed:
            raise BadInput(
                _(
                    "unknown field {name!r} in {parameter} (fields: {known})",
                    parameter="maps",
                    name=raw,
                    known=", ".join(allowed),
                )
            )
        mapping[ALIASES.get(raw, raw)] = column
    return mapping


def read_mapping_file(path: str | Path) -> list[str]:
    """The `FIELD=COLUMN` lines of a mapping file; blank lines and `#` comments are ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise BadInput(f"cannot read mapping file {path}: {reason or exc}") from None
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
class Mapped(Record):
    """A field and the column it is read from; `guessed` when read by the header's name."""

    field: str
    column: str
    guessed: bool
    by: str = "header"
    """How it was chosen: `--map`, the `header`'s name, or the `position` (no header)."""


@dataclass(frozen=True)
class Unused(Record):
    """A column whose header names a field that this import reads elsewhere or not at all."""

    column: str
    field: str
    why: str


@dataclass(frozen=True)
class Columns:
    """Where each field is read from (a 0-based index into the row), and what was not used."""

    index: dict[str, int]
    header: list[str] | None
    width: int
    mapping: list[Mapped] = field(default_factory=list)
    unused: list[Unused] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def get(self, row: Sequence[str], fld: str) -> str:
        position = self.index.get(fld)
        if position is None or position >= len(row):
            return ""
        return row[position].strip()

    def name(self, fld: str) -> str:
        """The column a field is read from, as a message shows it."""
        position = self.index.get(fld)
        if position is None:
            return fld
        return column_label(self.header, position)


def column_label(header: Sequence[str] | None, position: int) -> str:
    """A column as a person finds it: its header, or its number when it has none."""
    if header is not None and position < len(header) and header[position].strip():
        return header[position].strip()
    return str(position + 1)


def resolve_columns(
    path: str,
    header: list[str] | None,
    first_row: list[str] | None,
    mapping: Mapping[str, str],
    fields: Sequence[str],
    required: Sequence[str],
    *,
    given: Mapping[str, str] | None = None,
) -> Columns:
    """Turn the mapping into column positions, before any data row is read.

    `fields` are the fields this import reads from columns; `given` the fields an option gives
    instead (`relation` with `--relation`), so a column named for one is said to be unused.
    """
    width = len(header) if header is not None else len(first_row or [])
    if header is None:
        columns = _numbered(path, width, mapping, fields)
    else:
        columns = _named(path, header, mapping, fields, given or {})
    if width < 2 and len(required) >= 2:
        raise BadInput(
            _(
                "{path}: every row is a single column — wrong delimiter? "
                "(try {parameter} ',', ';', tab or whitespace)",
                parameter="delimiter",
                path=path,
            )
        )
    missing = [fld for fld in required if fld not in columns.index]
    if missing:
        raise BadInput(_missing_message(path, header, width, missing))
    return columns


def _numbered(path: str, width: int, mapping: Mapping[str, str], fields: Sequence[str]) -> Columns:
    index: dict[str, int] = {}
    mapped: list[Mapped] = []
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
    for fld in (*FIELDS, *NODE_FIELDS):
        if fld in index:
            guessed = fld not in mapping
            by = "position" if guessed else "--map"
            mapped.append(Mapped(fld, f"column {index[fld] + 1}", guessed, by))
    used = set(index.values())
    ignored = [f"column {i + 1}" for i in range(width) if i not in used]
    return Columns(index=index, header=None, width=width, mapping=mapped, ignored=ignored)


def _named(
    path: str,
    header: list[str],
    mapping: Mapping[str, str],
    fields: Sequence[str],
    given: Mapping[str, str],
) -> Columns:
    keys = [normalise(name) for name in header]
    index: dict[str, int] = {}
    for fld, column in mapping.items():
        index[fld] = _find(path, header, keys, column, fld)
    explicit = set(index.values())
    names = {fld: {normalise(n) for n in HEADER_NAMES.get(fld, ())} for fld in HEADER_NAMES}
    for fld in fields:
        if fld in index:
            continue
        found = [i for i, key in enumerate(keys) if key in names[fld] and i not in explicit]
        if len(found) > 1:
            raise BadInput(_two_candidates(path, header, fld, found))
        if found:
            index[fld] = found[0]
    mapped = [
        Mapped(
            fld,
            column_label(header, index[fld]),
            fld not in mapping,
            "header" if fld not in mapping else "--map",
        )
        for fld in (*FIELDS, *NODE_FIELDS)
        if fld in index
    ]
    used = set(index.values())
    unused: list[Unused] = []
    ignored: list[str] = []
    for i, key in enumerate(keys):
        if i in used:
            continue
        label = column_label(header, i)
        meant = [fld for fld in names if key in names[fld] and _same_sheet(fld, fields)]
        if key in ENDS_ONLY_WHEN_MAPPED and _same_sheet("to", fields):
            end = ENDS_ONLY_WHEN_MAPPED[key]
            unused.append(Unused(label, end, f"an end only when mapped: --map {end}={label}"))
        elif meant:
            why = _why_unused(meant[0], header, index, mapping, given)
            unused.append(Unused(label, meant[0], why))
        else:
            ignored.append(label if key else f"column {i + 1}")
    return Columns(
        index=index,
        header=header,
        width=len(header),
        mapping=mapped,
        unused=unused,
        ignored=ignored,
    )


def _why_unused(
    fld: str,
    header: list[str],
    index: Mapping[str, int],
    mapping: Mapping[str, str],
    given: Mapping[str, str],
) -> str:
    """Why a column named like field `fld` is not read: an option gives the field, another
    column gives it, or this import does not read it."""
    if fld in given:
        return f"{given[fld]} gives the {fld}"
    if fld in index:
        by = "--map" if fld in mapping else "its name"
        return f"{fld} is read from {column_label(header, index[fld])} ({by})"
    return f"{fld} is not read by this import"


def _same_sheet(fld: str, fields: Sequence[str]) -> bool:
    """Whether a field belongs to the kind of sheet being read (ties or nodes)."""
    return (fld in NODE_FIELDS) == any(f in NODE_FIELDS for f in fields)


def _find(path: str, header: list[str], keys: list[str], column: str, fld: str) -> int:
    """The position of the column `--map` names: by its exact name, any case, then ignoring
    accents and punctuation (when that names one column only), or by its 1-based number."""
    for position, name in enumerate(header):
        if name.strip() == column:
            return position
    for position, name in enumerate(header):
        if name.strip().casefold() == column.casefold():
            return position
    loose = [i for i, key in enumerate(keys) if key and key == normalise(column)]
    if len(loose) == 1:
        return loose[0]
    if column.isdigit() and 1 <= int(column) <= len(header):
        return int(column) - 1
    shown = ", ".join(header[:_SHOWN_COLUMNS]) + (" …" if len(header) > _SHOWN_COLUMNS else "")
    raise BadInput(f"{path}: no column {column!r} for {fld} (columns: {shown})")


def _two_candidates(path: str, header: list[str], fld: str, found: list[int]) -> str:
    names = [column_label(header, i) for i in found]
    if len(set(names)) < len(names):  # the same header twice: say the columns' numbers
        names = [f"{column_label(header, i)} (column {i + 1})" for i in found]
        choice = str(found[0] + 1)
    else:
        choice = names[0]
    listed = " and ".join(repr(n) for n in names)
    return (
        f"{path}: {len(found)} columns could be the {fld}: {listed} — hilos does not guess "
        f"between them: choose one with --map {fld}={_quoted(choice)}"
    )


def _quoted(column: str) -> str:
    return f"'{column}'" if any(ch.isspace() for ch in column) else column


def _missing_message(path: str, header: list[str] | None, width: int, missing: list[str]) -> str:
    if header is not None:
        keys = {normalise(h): h.strip() for h in reversed(header)}
        source, target = keys.get("source"), keys.get("target")
        if "from" in missing and "to" in missing and source and target:
            return (
                f"{path}: columns {source} and {target} but no from/to column — a column "
                f"named {source} is read as the citation; if {source} and {target} are the "
                f"ends (Gephi's edge list), give --map from={_quoted(source)} "
                f"--map to={_quoted(target)}"
            )
        if "from" in missing and source:
            return (
                f"{path}: no column for from — {source} is read as the citation; if it is "
                f"the from end, give --map from={_quoted(source)}"
            )
        if "to" in missing and target:
            return f"{path}: no column for to — give --map to={_quoted(target)} if it is the to end"
    hint = ""
    if header is not None and all(_is_number(h) for h in header):
        hint = " — the first row looks like data: try --no-header"
    if header is not None:
        shown = ", ".join(header[:_SHOWN_COLUMNS]) + (" …" if len(header) > _SHOWN_COLUMNS else "")
    else:
        shown = f"{width} columns"
    names = ", ".join(HEADER_NAMES.get(missing[0], ())[:4])
    return (
        f"{path}: no column for {', '.join(missing)} "
        f"(name it {names}, or map it with --map {missing[0]}=COLUMN; columns: {shown}){hint}"
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


__all__ = [
    "ALIASES",
    "DEFAULT_INDEXES",
    "FIELDS",
    "HEADER_NAMES",
    "NODE_FIELDS",
    "Columns",
    "Mapped",
    "Unused",
    "canonical_field",
    "column_label",
    "parse_mapping",
    "read_mapping_file",
    "resolve_columns",
]
