"""Fuzzing `hilos import csv|matrix|ftm`: spreadsheets (CSV and .xlsx), adjacency matrices and
FollowTheMoney lines as scrapes and leaks deliver them — hostile values in every field, broken
bytes, broken workbooks, odd options. An import either loads its graph whole (exit 0) or
fails with one line (exit 2) leaving the store exactly as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from followthemoney import model
from hypothesis import assume, given
from hypothesis import strategies as st

from hilos.importers.ftm import NODE_CLASSES, TIE_SCHEMATA, tie_ends
from hilos.importers.tabular import FIELDS

from .support import HOSTILE, LONG, FuzzStore, budget
from .test_fuzz_rdf import edits, mutate

NAMES = ["Zetas", "Los Zetas (México)", "Cártel X", "17", "  ", "", "Mayor Y", "(MX)"]
GOOD = {
    "relation": ["alliance", "rivalry", "hilos:Collusion", "paid", "Rivalry"],
    "status": [
        *("alleged", "reported", "confirmed", "disputed", "refuted", "hilos:Alleged"),
        *("presunto", "Confirmada", "en disputa"),
    ],
    "confidence": ["0", "0.5", "1", "1.5", "-0", "NaN", "1e-3", "0x1", "80%", "alta", "0,5"],
    "start": [
        *("2014", "2014-09", "2014-09-26", "2014-13", "14", "2014-9-26", "15/03/2022"),
        *("05/03/2022", "03/15/2022", "marzo de 2022", "31/02/2022", "15/03/22"),
    ],
    "end": ["2013", "2020-01", "9999-12-31"],
    "weight": ["1", "2.5", "-3", "Infinity", "1e999", "0"],
    "url": [
        "https://example.org/a",
        "http://a<b",
        "http://a{b}",
        "http://[::1",
        "https://x.org/%zz",
        "javascript:alert(1)",
    ],
    "from_type": ["Mayor", "hilos:Mayor", "DrugTraffickingOrganization", "Nonsense", "alcalde"],
    "to_type": ["Place", "City", "hilos:Actor", "cártel"],
    "from_sphere": ["state", "estatal", "crimen", "Nonsense"],
    "to_sphere": ["criminal", "comunitaria", "sociedad civil"],
    "locator": ["p. 12", "=1+1"],
}
text = st.one_of(
    st.sampled_from((*HOSTILE, LONG)),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)


def cell_for(field: str) -> st.SearchStrategy[str]:
    if field in ("from", "to"):
        return st.one_of(st.sampled_from(NAMES), text)
    return st.one_of(st.just(""), st.sampled_from(GOOD.get(field, [""])), text)


row = st.fixed_dictionaries({field: cell_for(field) for field in FIELDS})
options = st.lists(
    st.sampled_from(
        [
            ("--skip-invalid",),
            ("--dry-run",),
            ("--relation", "alliance"),
            ("--relation", "=cmd|' /C calc'!A0"),
            ("--status", "alleged"),
            ("--quote-lang", "es"),
            ("--quote-lang", "not a tag!"),
            ("--delimiter", ";"),
            ("--delimiter", "tab"),
            ("--delimiter", "whitespace"),
            ("--delimiter", "ab"),
            ("--map", "from=to"),
            ("--map", "source=to"),
            ("--dayfirst",),
            ("--monthfirst",),
            ("--encoding", "latin-1"),
            ("--encoding", "klingon"),
            ("--map", "quote=citation"),
            ("--map", "weight=99"),
            ("--map", "nonsense=source"),
        ]
    ),
    max_size=3,
    unique=True,
)


def csv_bytes(rows: list[dict[str, str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def flat(option_list: list[tuple[str, ...]]) -> list[str]:
    return [part for option in option_list for part in option]


@budget(25)
@given(rows=st.lists(row, min_size=1, max_size=6), chosen=options)
def test_csv_rows_with_hostile_fields(
    fuzz_store: FuzzStore, tmp_path: Path, rows: list[dict[str, str]], chosen: list[tuple[str, ...]]
) -> None:
    path = tmp_path / "ties.csv"
    path.write_bytes(csv_bytes(rows))
    writes = ("--dry-run",) not in chosen
    fuzz_store.judge("import", "csv", str(path), "--graph", "imp", *flat(chosen), writes=writes)


SEED_CSV = csv_bytes(
    [
        {
            "from": "Mayor Y",
            "to": "Zetas",
            "relation": "collusion",
            "status": "alleged",
            "confidence": "0.4",
            "start": "2014",
            "quote": 'He said "they paid", twice.',
            "citation": "Interview 3",
            "url": "https://example.org/i3",
        },
        {"from": "Cártel X", "to": "Zetas", "relation": "rivalry", "weight": "2"},
    ]
)


@budget(25)
@given(changes=edits, header=st.booleans(), delimiter=st.sampled_from([None, ",", ";", "tab"]))
def test_csv_bytes_mutated(
    fuzz_store: FuzzStore,
    tmp_path: Path,
    changes: list[tuple[str, int, int, bytes]],
    header: bool,
    delimiter: str | None,
) -> None:
    path = tmp_path / "mutated.csv"
    path.write_bytes(mutate(SEED_CSV, changes))
    args = ["import", "csv", str(path), "--graph", "imp"]
    args += [] if header else ["--no-header"]
    args += [] if delimiter is None else ["--delimiter", delimiter]
    fuzz_store.judge(*args)


@budget(15)
@given(content=st.binary(max_size=600), suffix=st.sampled_from(["csv", "tsv", "txt"]))
def test_csv_random_bytes(
    fuzz_store: FuzzStore, tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"random.{suffix}"
    path.write_bytes(content)
    fuzz_store.judge("import", "csv", str(path), "--graph", "imp")
    fuzz_store.judge("import", "matrix", str(path), "--graph", "imp")


@budget(20)
@given(
    ids=st.lists(st.one_of(st.sampled_from(NAMES), text), min_size=1, max_size=4),
    cells=st.lists(
        st.one_of(st.sampled_from(["0", "1", "2.5", "-1", "", "x", "1e999", "NaN"]), text),
        max_size=20,
    ),
    relation=st.one_of(st.none(), st.sampled_from(["kinship", "alliance", "=1+1"]), text),
)
def test_matrix(
    fuzz_store: FuzzStore, tmp_path: Path, ids: list[str], cells: list[str], relation: str | None
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["", *ids])
    for index, name in enumerate(ids):
        writer.writerow([name, *cells[index * len(ids) : (index + 1) * len(ids)]])
    path = tmp_path / "matrix.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    extra = [] if relation is None or not relation.strip() else ["--relation", relation]
    fuzz_store.judge("import", "matrix", str(path), "--graph", "imp", *extra)


# ------------------------------------------------------------------------------ spreadsheets

xlsx_value = st.one_of(
    st.none(),
    st.sampled_from(NAMES),
    text.filter(lambda t: not t.startswith("=")),  # openpyxl writes these as formulas
    st.sampled_from(["=1+1", '=HYPERLINK("http://evil.example","x")', "=A1/0"]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)


def workbook(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for values in rows:
        try:
            sheet.append(values)
        except Exception:  # openpyxl refuses some values (control characters)
            assume(False)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@budget(12)
@given(
    rows=st.lists(st.lists(xlsx_value, min_size=2, max_size=4), min_size=1, max_size=5),
    header=st.sampled_from([["from", "to", "quote", "weight"], ["a", "b"], []]),
)
def test_xlsx_cells_of_every_type(
    fuzz_store: FuzzStore, tmp_path: Path, rows: list[list[Any]], header: list[str]
) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(workbook([header, *rows] if header else rows))
    fuzz_store.judge("import", "csv", str(path), "--graph", "imp")


GOOD_XLSX = workbook([["from", "to", "quote"], ["Mayor Y", "Zetas", "paid"], ["A", "B", "c"]])


@budget(15)
@given(
    member=st.sampled_from(
        ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml"]
    ),
    changes=edits,
)
def test_xlsx_broken_inside(
    fuzz_store: FuzzStore, tmp_path: Path, member: str, changes: list[tuple[str, int, int, bytes]]
) -> None:
    source = zipfile.ZipFile(io.BytesIO(GOOD_XLSX))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, mutate(data, changes) if item.filename == member else data)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(buffer.getvalue())
    fuzz_store.judge("import", "csv", str(path), "--graph", "imp")


# ---------------------------------------------------------------------------- FollowTheMoney

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        text,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(text, children, max_size=3)
    ),
    max_leaves=8,
)
schemata = st.sampled_from([*NODE_CLASSES, *TIE_SCHEMATA, "Address", "Thing", ""])
ids = st.one_of(st.sampled_from(["p1", "p2", "o1", "x"]), text)
property_names = st.sampled_from(
    sorted(
        {"name", "alias", "weakAlias", "sourceUrl", "publisher", "startDate", "endDate", "date"}
        | {end for name in TIE_SCHEMATA for end in tie_ends(model.get(name)) or ()}
        | {"role", "relationship", "involved", "holder", "addressEntity"}
    )
)
property_values = st.lists(
    st.one_of(
        ids,
        text,
        st.sampled_from(["2014", "2014-09-26T10:00:00", "26/09/2014", "javascript:alert(1)"]),
        st.integers(),
        st.floats(),
        st.fixed_dictionaries({"id": ids}),
        json_values,
    ),
    max_size=3,
)
entities = st.fixed_dictionaries(
    {"id": ids, "schema": schemata},
    optional={
        "properties": st.dictionaries(property_names, property_values, max_size=5),
        "datasets": st.one_of(st.lists(text, max_size=2), json_values),
        "caption": json_values,
    },
)


def ftm_line(entity: Any) -> str:
    return json.dumps(entity, ensure_ascii=False, allow_nan=True)


@budget(25)
@given(lines=st.lists(st.one_of(entities, json_values), min_size=1, max_size=6))
def test_ftm_entities(fuzz_store: FuzzStore, tmp_path: Path, lines: list[Any]) -> None:
    path = tmp_path / "leak.ftm.json"
    path.write_text("\n".join(ftm_line(e) for e in lines) + "\n", encoding="utf-8")
    fuzz_store.judge("import", "ftm", str(path), "--graph", "imp")


SEED_FTM = (
    "\n".join(
        ftm_line(e)
        for e in [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Mayor Y"]}},
            {"id": "o1", "schema": "Organization", "properties": {"name": ["Zetas"]}},
            {
                "id": "m1",
                "schema": "Membership",
                "properties": {"member": ["p1"], "organization": ["o1"], "startDate": ["2014"]},
                "datasets": ["leak"],
            },
        ]
    )
    + "\n"
).encode()


@pytest.mark.parametrize(
    ("name", "seed", "importer"),
    [("broken.xlsx", GOOD_XLSX, "csv"), ("mutated.ftm.json", SEED_FTM, "ftm")],
    ids=["xlsx-bytes", "ftm-bytes"],
)
@budget(12)
@given(changes=edits)
def test_files_mutated(
    fuzz_store: FuzzStore,
    tmp_path: Path,
    name: str,
    seed: bytes,
    importer: str,
    changes: list[tuple[str, int, int, bytes]],
) -> None:
    path = tmp_path / name
    path.write_bytes(mutate(seed, changes))
    fuzz_store.judge("import", importer, str(path), "--graph", "imp")


def test_ftm_oddities_found_by_fuzzing(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    """Each of these once ended in an error hilos did not foresee."""
    deep = "[" * 100_000 + "]" * 100_000
    cases = [
        '{"id": "a", "schema": "Person", "datasets": 5, "properties": {"name": ["x"]}}',
        '{"id": "a\\ud800", "schema": "Person", "properties": {"name": ["x"]}}',
        '{"id": "a", "schema": "Person", "properties": {"name": ["x\\udfff"]}}',
        '{"id": "a", "schema": "Person", "properties": {"name": [' + "9" * 5000 + "]}}",
        '{"id": "a", "schema": "Person", "properties": {"name": ' + deep + "}}",
    ]
    for number, line in enumerate(cases):
        path = tmp_path / f"odd-{number}.json"
        path.write_text(line + "\n", encoding="utf-8")
        result = fuzz_store.judge("import", "ftm", str(path), "--graph", "imp")
        assert result.exit_code == 2
        assert path.name in result.stderr and "line 1" in result.stderr


def test_csv_oddities_found_by_fuzzing(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    """Each of these once ended in an error hilos did not foresee, or took seconds to fail."""
    url = tmp_path / "url.csv"
    url.write_text("from,to,url\nA,B,http://a<b\nC,D,http://x{y}\n", encoding="utf-8")
    result = fuzz_store.judge("import", "csv", str(url), "--graph", "imp")
    assert result.exit_code == 2 and "row 2" in result.stderr and "row 3" in result.stderr
    # csv.Sniffer is quadratic on this: 64 kB of it once took 10 s to sniff.
    slow = tmp_path / "slow.csv"
    slow.write_text(", '" * 22_000 + "\n", encoding="utf-8")
    fuzz_store.judge("import", "csv", str(slow), "--graph", "imp", seconds=3)
