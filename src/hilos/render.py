"""Rendering results for people (tables, wrapped text, readable terms) and for pipes (JSON,
CSV), and making text read from the data safe to show (no control characters or bidi overrides).

Writing a file whole or not at all is `hilos.atomicfile`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from .namespaces import compact


def term_text(term: Any) -> str:
    """A readable form of an RDF term: compact IRIs, plain literal values."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


# What a terminal obeys rather than shows: control characters (ESC starts the sequences that
# move the cursor, clear the screen or retitle the window) and the bidirectional overrides
# that make text read in another order than it is stored.
_UNSHOWN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    r"""Text for the terminal: control characters (but line breaks) and bidirectional overrides
    dropped, so a label from a hostile file cannot clear the screen or reorder a line.

    >>> plain("Zetas\x1b[2J\u202e\nnext")
    'Zetas[2J\nnext'
    """
    return _UNSHOWN.sub("", text)


def inline(text: str) -> str:
    r"""Text quoted in a one-line message: what is not printable (a line break, a control
    character, bytes that were not UTF-8) shown as its escape.

    >>> print(inline("a\r\nb\x1b \udcff"))
    a\r\nb\x1b \udcff
    """
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def decoded(text: str) -> str:
    r"""Text from the command line as it can be stored and written: bytes the shell could not
    decode as UTF-8 (a file name from a Latin-1 archive) become U+FFFD.

    >>> decoded("leak-\udcff.csv") == "leak-\ufffd.csv"
    True
    """
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def terminal_width() -> int:
    """The width to write for: the terminal's, `COLUMNS` when set, else 80 (a pipe, a file).

    >>> import os; os.environ["COLUMNS"] = "100"; terminal_width()
    100
    >>> del os.environ["COLUMNS"]
    """
    return max(shutil.get_terminal_size((80, 24)).columns, 40)


_MIN_COLUMN = 6
"""The narrowest a text column is squeezed to (or its header, or its longest word, if wider)."""
_MAX_WORD = 20
"""Words longer than this may be broken to let a column shrink."""


def _fit_widths(
    natural: list[int], floors: list[int], keep: set[int], width: int, gap: int
) -> list[int]:
    """Column widths that fit `width`: the widest shrinkable column gives way first, never
    below its floor; columns in `keep` (ids, numbers) never shrink."""
    widths = list(natural)
    excess = sum(widths) + gap * (len(widths) - 1) - width
    while excess > 0:
        candidates = [i for i in range(len(widths)) if i not in keep and widths[i] > floors[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        others = [widths[i] for i in candidates if i != widest]
        # down to the next widest at once (or by the excess, if less), at least one column
        step = max(1, min(excess, widths[widest] - max([*others, floors[widest]])))
        widths[widest] -= step
        excess -= step
    return widths


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    clip: int | None = None,
    wrap_at: int | None = None,
    width: int | None = None,
    keep: Sequence[int] = (),
) -> str:
    """A plain-text table with aligned columns that fits `width` (the terminal's by default):
    the widest text columns wrap until it fits; the columns in `keep` (ids) are never cut.

    >>> print(table(["a", "b"], [["x", 1], ["yy", 22]]))
    a   b
    --  --
    x   1
    yy  22
    >>> print(table(["quote"], [["one two three"]], wrap_at=8))
    quote
    -------
    one two
    three
    >>> print(table(["name", "note"], [["Zetas", "operate in Tamaulipas and Nuevo León"]],
    ...             width=30))
    name   note
    -----  ---------------------
    Zetas  operate in Tamaulipas
           and Nuevo León
    """
    texts = [[_cell_text(value, clip) for value in row] for row in rows]
    natural = _natural_widths(headers, texts, wrap_at)
    longest_word = [max(len(word) for word in [*h.split(), ""]) for h in headers]
    for text_row in texts:
        for i, text in enumerate(text_row):
            longest_word[i] = max(longest_word[i], *(len(word) for word in text.split()), 0)
    floors = [
        min(n, max(_MIN_COLUMN, min(w, _MAX_WORD)))
        for n, w in zip(natural, longest_word, strict=True)
    ]
    room = terminal_width() if width is None else width
    widths = _fit_widths(natural, floors, set(keep), room, 2)
    if sum(widths) + 2 * (len(widths) - 1) > room and len(headers) > 1:
        return records(headers, rows, width=room)  # no table fits: one block per row
    cells = [
        [(textwrap.wrap(text, w) if len(text) > w else [text]) or [""] for text, w in
         zip(text_row, widths, strict=True)]
        for text_row in texts
    ]  # fmt: skip
    titles = [textwrap.wrap(h, w) or [""] for h, w in zip(headers, widths, strict=True)]
    widths = [  # as wide as what the column holds once wrapped
        max(len(line) for line in [*titles[i], *(ln for row in cells for ln in row[i])])
        for i in range(len(headers))
    ]
    out = _wrapped_lines(titles, widths)
    out.append("  ".join("-" * w for w in widths))
    for cell_row in cells:
        out += _wrapped_lines(cell_row, widths)
    return "\n".join(out)


def _cell_text(value: Any, clip: int | None) -> str:
    """A value as one line of plain text (None as nothing), clipped to `clip` characters."""
    text = plain(" ".join(("" if value is None else str(value)).split()))
    return _clip(text, clip) if clip is not None else text


def _natural_widths(
    headers: Sequence[str], texts: list[list[str]], wrap_at: int | None
) -> list[int]:
    """How wide each column would be with room enough (its texts wrapped at `wrap_at`)."""
    natural = [len(h) for h in headers]
    for text_row in texts:
        for i, text in enumerate(text_row):
            longest = len(text)
            if wrap_at and longest > wrap_at:
                longest = max(len(line) for line in textwrap.wrap(text, wrap_at))
            natural[i] = max(natural[i], longest)
    return natural


def _wrapped_lines(cells: Sequence[list[str]], widths: Sequence[int]) -> list[str]:
    """The lines of one row whose cells are wrapped into lines, each cell padded to its
    column's width (trailing space dropped)."""
    height = max(len(lines) for lines in cells)
    return [
        "  ".join(
            (lines[n] if n < len(lines) else "").ljust(w)
            for lines, w in zip(cells, widths, strict=True)
        ).rstrip()
        for n in range(height)
    ]


def records(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, width: int | None = None
) -> str:
    """One block per row, one line per field: for results too wide for a table.

    >>> print(records(["name", "quote"], [["Zetas", "operate in Tamaulipas"]], width=30))
    ── 1 ──
    name:  Zetas
    quote: operate in Tamaulipas
    """
    width = terminal_width() if width is None else width
    pad = max((len(h) for h in headers), default=0) + 2
    blocks = []
    for number, row in enumerate(rows, 1):
        lines = [f"── {number} ──"]
        for header, value in zip(headers, row, strict=True):
            text = plain(" ".join(("" if value is None else str(value)).split()))
            label = f"{header}:".ljust(pad)
            wrapped = textwrap.wrap(text, max(width - pad, 20)) or [""]
            lines.append((label + wrapped[0]).rstrip())
            lines.extend(" " * pad + more for more in wrapped[1:])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def fitted(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, wrap_at: int = 48) -> str:
    """A table if it fits the terminal, else one block per row."""
    width = terminal_width()
    laid_out = table(headers, rows, wrap_at=wrap_at, width=width)
    if max((len(line) for line in laid_out.splitlines()), default=0) <= width:
        return laid_out
    return records(headers, rows, width=width)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula (tab and carriage return included: some
strip them and read on)."""


def csv_cell(value: Any) -> str:
    r"""A CSV cell that cannot run as a formula when the file is opened in a spreadsheet: text
    starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, as OWASP
    advises; numbers stay numbers; line breaks are newlines, so the cell is quoted.

    >>> csv_cell('=HYPERLINK("x")'), csv_cell("Zetas"), csv_cell(None), csv_cell(-0.5)
    ('\'=HYPERLINK("x")', 'Zetas', '', '-0.5')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = "'" + value if value.startswith(FORMULA_START) else value
        # A lone carriage return is no line break to the csv module, which would leave the
        # cell unquoted, and a spreadsheet would break the row there.
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return str(value)


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, delimiter: str = ",") -> str:
    """Rows as CSV, every cell safe to open in a spreadsheet (`csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def wrap(text: str, indent: str, width: int | None = None, *, subsequent: str | None = None) -> str:
    """`text` as a paragraph indented by `indent`, wrapped to `width` (the terminal's).

    Lines break only between words: a file path, an address or a hyphenated name is never cut
    (a path broken at its hyphens cannot be copied back), so a word longer than the width
    stands on a line of its own.

    >>> print(wrap("wrote /tmp/pytest-of-root/dossier-for-abarca.md: 3 ties", "", 30))
    wrote
    /tmp/pytest-of-root/dossier-for-abarca.md:
    3 ties
    """
    return textwrap.fill(
        plain(" ".join(text.split())),
        width=terminal_width() if width is None else width,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_long_words=False,
        break_on_hyphens=False,
    )
