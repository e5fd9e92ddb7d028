"""Fuzzing what people type: `--param` values, search text, entity names for `show` and
`paths`, the analysis filters, SPARQL on standard input, graph names and the importers'
options. Every answer is 0, 1 or 2 with at most one line of error, never a traceback or an
error hilos did not foresee, and reading commands never change the store.

Text includes what a shell hands over for bytes that are not UTF-8 (file names from a Latin-1
archive, say): Python passes them on as lone surrogates ("\\udcff").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hilos.sparql.library import library

from .support import HOSTILE, LONG, FuzzStore, assert_clean, bounded, budget

SPECIAL = [
    "",
    " ",
    "\t",
    "hid:",
    "hid:zetas",
    "hilos:Mayor",
    "<>",
    "<https://w3id.org/hilos/id/zetas>",
    "https://w3id.org/hilos/id/zetas",
    "<http://x y>",
    "a b://",
    "urn:",
    "http://",
    "javascript:alert(1)",
    "9" * 5000,
    "-0",
    "1e999",
    "2014-02-31",
    "0000",
    "?x",
    "$x",
    "} UNION { ?s ?p ?o }",
    "\x00",
    "Zetas\n",
    "zetas' OR '1'='1",
    "%",
    ".*",
    "(",
    "\\",
    "\udcff\udcfe",
    "Zetas\udcff",
    "Cherán",
    "CHERAN",
    "josé luis abarca",
    "Mexican",
]
"""Values that meet the parsers' edge cases: prefixes, IRIs, numbers, dates, SPARQL and regex
syntax, control characters, undecodable bytes, ambiguous names."""

undecodable = st.text(st.sampled_from("a\udcff\udce9\udc80 "), min_size=1, max_size=4).filter(
    lambda t: any("\udc80" <= c <= "\udcff" for c in t)
)
values = st.one_of(
    st.sampled_from([*SPECIAL, *HOSTILE, LONG]),
    st.text(max_size=30),
    undecodable,
)
names = st.one_of(
    st.sampled_from(["Zetas", "Guerreros Unidos", "José Luis Abarca", "Iguala", "Mexico"]),
    values,
)


@pytest.fixture(scope="module")
def reader(fuzz_store: FuzzStore) -> Iterator[FuzzStore]:
    """The shared store, checked unchanged once a module of reading commands has run."""
    yield fuzz_store
    assert fuzz_store.state() == fuzz_store.initial


def ask(
    store: FuzzStore, *args: str, input: str | bytes | None = None, seconds: float = 60
) -> None:
    with bounded(seconds):
        result = store(*args, input=input)
    assert_clean(result, (0, 1, 2))


PARAMETERS = [(q.name, p.name) for q in library() for p in q.parameters]
GOOD = {"sphere": "state", "place": "Mexico", "entity": "Zetas", "group": "Zetas"}
GOOD |= {"status": "alleged"}


@pytest.mark.parametrize(("query", "parameter"), PARAMETERS)
@budget(10)
@given(value=values)
def test_param_values(reader: FuzzStore, query: str, parameter: str, value: str) -> None:
    (definition,) = [q for q in library() if q.name == query]
    args = ["query", query, "--param", f"{parameter}={value}", "--format", "json"]
    for other in definition.parameters:
        if other.name != parameter and other.required:
            args += ["--param", f"{other.name}={GOOD[other.name]}"]
    ask(reader, *args)


@budget(30)
@given(name=values, value=values)
def test_undeclared_param_names_and_values(
    reader: FuzzStore, tmp_path_factory: pytest.TempPathFactory, name: str, value: str
) -> None:
    query = tmp_path_factory.getbasetemp() / "undeclared.rq"
    query.write_text("SELECT ?x ?y WHERE { BIND(?x AS ?y) }\n", encoding="utf-8")
    ask(reader, "query", str(query), "-p", f"x={value}", "-p", f"{name}=1", "--format", "csv")


@budget(25)
@given(text=values, fmt=st.sampled_from(["table", "json", "csv"]))
def test_search_text(reader: FuzzStore, text: str, fmt: str) -> None:
    ask(reader, "search", text, "--format", fmt)


@budget(15)
@given(name=names, fmt=st.sampled_from(["table", "json"]))
def test_show_names(reader: FuzzStore, name: str, fmt: str) -> None:
    ask(reader, "show", name, "--format", fmt)


@budget(15)
@given(
    a=names,
    b=names,
    limit=st.one_of(st.integers(-2, 3), st.just(10**9)),
    hops=st.one_of(st.integers(-1, 4), st.just(10**6)),
    fmt=st.sampled_from(["table", "json", "csv"]),
)
def test_paths_between_names(
    reader: FuzzStore, a: str, b: str, limit: int, hops: int, fmt: str
) -> None:
    args = ["paths", a, b, "--limit", str(limit), "--max-hops", str(hops), "--format", fmt]
    ask(reader, *args)


filters = st.lists(
    st.one_of(
        st.tuples(st.just("--as-of"), values),
        st.tuples(st.just("--between"), st.one_of(values, st.sampled_from(["2010..2014"]))),
        st.tuples(st.just("--tie-type"), st.one_of(values, st.sampled_from(["collusion"]))),
        st.tuples(st.just("--exclude"), names),
        st.tuples(st.just("--graph"), st.one_of(values, st.just("report/iguala"))),
        st.tuples(st.just("--min-status"), st.sampled_from(["reported", "maybe"])),
    ),
    max_size=3,
)


@budget(20)
@given(
    chosen=filters,
    command=st.sampled_from(
        [
            ("centrality", "--format", "csv"),
            ("brokers", "--format", "json"),
            ("chains", "--format", "csv"),
            ("hotspots", "--format", "csv"),
            ("communities", "--format", "json"),
        ]
    ),
)
def test_analysis_filters(
    reader: FuzzStore, chosen: list[tuple[str, str]], command: tuple[str, ...]
) -> None:
    ask(reader, *command, *[part for pair in chosen for part in pair])


QUERIES = [
    "SELECT ?s WHERE { ?s a hilos:Mayor }",
    "ASK { hid:zetas ?p ?o }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a hilos:Mayor ; rdfs:label ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 3",
    'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "^(a+)+$")) }',
]
UPDATES = [
    "INSERT DATA { hid:x rdfs:label 'x' }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "LOAD <file:///etc/passwd>",
    "CLEAR GRAPH <https://w3id.org/hilos/store#registry>",
]


@budget(40)
@given(
    text=st.one_of(
        st.sampled_from(QUERIES + UPDATES),
        st.builds(
            lambda q, cut, token: q[:cut] + token + q[cut:],
            st.sampled_from(QUERIES),
            st.integers(0, 80),
            st.sampled_from(
                ["{", "}", "?", "<", '"', "\\", ";", "#", "\x00", " SERVICE ", *HOSTILE]
            ),
        ),
        values,
    ),
    fmt=st.sampled_from(["table", "json", "csv", "tsv", "xml", "turtle"]),
)
def test_sparql_on_standard_input(reader: FuzzStore, text: str, fmt: str) -> None:
    # As a shell pipes it: bytes, not always UTF-8.
    ask(reader, "query", "-", "--format", fmt, input=text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused(reader: FuzzStore, update: str) -> None:
    result = reader("query", "-", input=update)
    assert_clean(result, (2,))


@budget(8)
@given(name=values)
def test_graph_names(
    fuzz_store: FuzzStore, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    data = tmp_path_factory.getbasetemp() / "named.ttl"
    data.write_text('<https://example.org/fuzz/a> <https://example.org/fuzz/p> "x" .\n')
    sheet = tmp_path_factory.getbasetemp() / "named.csv"
    sheet.write_text("from,to\nA,B\n", encoding="utf-8")
    fuzz_store.judge("load", str(data), "--graph", name)
    fuzz_store.judge("import", "csv", str(sheet), "--graph", name)
    fuzz_store.judge("drop", name, codes=(0, 1, 2))
    for reading in (("export", "turtle", "-", "--graph", name), ("validate", "--graph", name)):
        ask(fuzz_store, *reading)


@budget(8)
@given(
    relation=values,
    lang=values,
    delimiter=values,
    mapped=st.tuples(st.sampled_from(["from", "to", "quote", "url"]), values),
)
def test_import_options(
    fuzz_store: FuzzStore,
    tmp_path_factory: pytest.TempPathFactory,
    relation: str,
    lang: str,
    delimiter: str,
    mapped: tuple[str, str],
) -> None:
    sheet = tmp_path_factory.getbasetemp() / "options.csv"
    sheet.write_text("from,to,quote\nMayor Y,Zetas,paid\n", encoding="utf-8")
    base = ["import", "csv", str(sheet), "--graph", "opts"]
    fuzz_store.judge(*base, "--relation", relation)
    fuzz_store.judge(*base, "--quote-lang", lang)
    fuzz_store.judge(*base, "--delimiter", delimiter)
    fuzz_store.judge(*base, "--map", f"{mapped[0]}={mapped[1]}")
    matrix = ["import", "matrix", str(sheet), "--graph", "opts", "--relation", relation]
    fuzz_store.judge(*matrix)


LATIN1_NAME = b"informe-a\xf1o.nt".decode("utf-8", "surrogateescape")
"""A file name from a Latin-1 archive, as Python hands it over: `informe-a\\udcf1o.nt`."""


def test_a_spreadsheet_with_a_latin1_name_imports(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    sheet = tmp_path / LATIN1_NAME.replace(".nt", ".csv")
    sheet.write_text("from,to\nMayor Y,Zetas\n", encoding="utf-8")
    result = fuzz_store.judge("import", "csv", str(sheet))
    assert result.exit_code == 0
    assert "informe-a\ufffdo" in result.stdout


def test_a_file_with_a_latin1_name_loads(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    data = tmp_path / LATIN1_NAME
    data.write_text('<https://example.org/fuzz/a> <https://example.org/fuzz/p> "x" .\n')
    assert fuzz_store.judge("load", str(data)).exit_code == 0


def test_a_graph_name_that_is_not_utf8_is_refused(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    data = tmp_path / "fine.nt"
    data.write_text('<https://example.org/fuzz/a> <https://example.org/fuzz/p> "x" .\n')
    for command in (
        ("load", str(data), "--graph", "a\udcff"),
        ("drop", "a\udcff"),
        ("centrality", "--graph", "a\udcff"),
    ):
        fuzz_store.judge(*command, codes=(1, 2))


@budget(8)
@given(
    focus=names,
    hops=st.integers(-2, 3),
    ends=st.tuples(names, names),
    title=values,
    limit=st.integers(-1, 3),
    suffix=st.sampled_from(["html", "md", "txt", ""]),
)
def test_failed_exports_leave_no_file(
    reader: FuzzStore,
    tmp_path_factory: pytest.TempPathFactory,
    focus: str,
    hops: int,
    ends: tuple[str, str],
    title: str,
    limit: int,
    suffix: str,
) -> None:
    """The page and the dossier with odd arguments: written whole, or no file at all."""
    folder = tmp_path_factory.mktemp("exports")
    target = str(folder / f"out.{suffix}")
    small = ("--graph", "report/iguala")
    attempts = [
        ("export", "html", target, "--focus", focus, "--hops", str(hops), *small),
        ("export", "html", target, "--path", *ends, "--title", title, *small),
        ("export", "dossier", target, focus, *small),
        ("export", "dossier", target, "--path", *ends, "--limit", str(limit)),
    ]
    for args in attempts:
        with bounded(60):
            result = reader(*args)
        assert_clean(result, (0, 1, 2))
        left = sorted(p.name for p in folder.iterdir())
        assert left == ([Path(target).name] if result.exit_code == 0 else []), (args, left)
        for written in folder.iterdir():
            written.unlink()
