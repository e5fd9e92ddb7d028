"""Bad input on the command line: one line on stderr, no traceback, the documented exit code
(1 no answer, 2 bad usage or bad input), and the store left exactly as it was."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Graph, Literal, Namespace, URIRef

from support import one_line_error

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data"
GRAPH_FILES = sorted((REPO / "graph").glob("*.ttl"))
QUERY_FILES = sorted((REPO / "queries").glob("*.rq"))
FINDINGS = DATA / "findings.ttl"
MALFORMED = DATA / "malformed.ttl"

HID = Namespace("https://w3id.org/hilos/id/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def snapshot(hilos) -> tuple[object, int, int]:
    """What a failed command must not change: the registry, what queries see, and every quad
    in the database (registry and any half-written graph included)."""
    graphs = hilos("graphs", "--format", "json")
    assert graphs.exit_code == 0, graphs.stderr
    total = hilos("query", "-", "--format", "json", input=COUNT_ALL)
    assert total.exit_code == 0, total.stderr
    visible = int(json.loads(total.stdout)["results"]["bindings"][0]["n"]["value"])
    database = ox.Store.read_only(str(hilos.store))
    raw = len(database)
    del database
    return json.loads(graphs.stdout), visible, raw


@contextmanager
def unchanged(hilos) -> Iterator[None]:
    before = snapshot(hilos)
    yield
    assert snapshot(hilos) == before


# ------------------------------------------------------------------------------- bad RDF files


def test_malformed_turtle_names_file_line_and_column(hilos) -> None:
    lines = MALFORMED.read_text(encoding="utf-8").splitlines()
    (line_no,) = [n for n, text in enumerate(lines, 1) if "hid:test-stray" in text]
    column = lines[line_no - 1].index("hid:test-stray") + 1  # the token where a dot should be
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(MALFORMED)), 2)
    assert str(MALFORMED) in error
    assert f"line {line_no}" in error
    assert f"column {column}" in error
    assert "hid:test-fine" not in hilos("query", "-", input="ASK { hid:test-fine ?p ?o }").stdout
    assert hilos("query", "-", input="ASK { hid:test-fine ?p ?o }").exit_code == 1


def test_binary_file(hilos, tmp_path: Path) -> None:
    path = tmp_path / "photo.ttl"
    path.write_bytes(bytes(range(256)) * 10)
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(path)), 2)
    assert str(path) in error


def test_empty_file(hilos, tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_bytes(b"")
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(path)), 2)
    assert str(path) in error
    assert "empty" not in {g["name"] for g in snapshot(hilos)[0]}


def test_file_of_comments_only(hilos, tmp_path: Path) -> None:
    path = tmp_path / "comments.ttl"
    path.write_text("# nothing here yet\n@prefix hid: <https://w3id.org/hilos/id/> .\n")
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(path)), 2)
    assert str(path) in error


def test_nonexistent_file(hilos, tmp_path: Path) -> None:
    path = tmp_path / "missing.ttl"
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(path)), 2)
    assert str(path) in error


def test_unknown_extension(hilos, tmp_path: Path) -> None:
    path = tmp_path / "findings.data"
    path.write_bytes(FINDINGS.read_bytes())
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(path)), 2)
    assert str(path) in error
    assert "format" in error


def test_invalid_utf8(hilos, tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes(
        '@prefix hid: <https://w3id.org/hilos/id/> .\nhid:x hid:y "Cherán" .\n'.encode("latin-1")
    )
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(path)), 2)
    assert str(path) in error
    assert "line 2" in error


def test_utf8_byte_order_mark_is_accepted(hilos, tmp_path: Path) -> None:
    path = tmp_path / "notepad.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + FINDINGS.read_bytes())
    assert len(Graph().parse(path, format="turtle")) == len(Graph().parse(FINDINGS))
    result = hilos("load", str(path))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("second", ["malformed", "existing"])
def test_several_files_all_or_nothing(hilos, tmp_path: Path, second: str) -> None:
    if second == "malformed":
        broken = MALFORMED
    else:
        # A good file whose default graph name is already taken (by the ontology).
        broken = tmp_path / "ontology.ttl"
        broken.write_text(
            '@prefix hid: <https://w3id.org/hilos/id/> .\nhid:test-z hid:test-p "z" .\n'
        )
    with unchanged(hilos):
        error = one_line_error(hilos("load", str(FINDINGS), str(broken)), 2)
        assert str(broken) in error
        assert hilos("show", "hid:test-halcones-del-rio").exit_code == 1


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from hilos.cli.app import cli

    not_a_dir = tmp_path / "store"
    not_a_dir.write_text("I am a file")
    result = CliRunner().invoke(cli, ["--store", str(not_a_dir), "search", "zetas"])
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert not_a_dir.read_text() == "I am a file"


# ------------------------------------------------------------------------------------- queries


def test_unknown_query_lists_the_library(hilos) -> None:
    with unchanged(hilos):
        error = one_line_error(hilos("query", "no-such-query"), 2)
    assert "no-such-query" in error
    for path in QUERY_FILES:
        assert path.stem in error


def test_missing_required_parameter(hilos) -> None:
    with unchanged(hilos):
        error = one_line_error(hilos("query", "ties-by-status"), 2)
    assert "status" in error


def test_ill_typed_status(hilos) -> None:
    with unchanged(hilos):
        error = one_line_error(hilos("query", "ties-by-status", "--param", "status=maybe"), 2)
    assert "status" in error
    assert "maybe" in error


def test_ill_typed_sphere(hilos) -> None:
    args = ("query", "actors-by-sphere-in-place", "-p", "sphere=mafia", "-p", "place=Mexico")
    error = one_line_error(hilos(*args), 2)
    assert "sphere" in error


@pytest.mark.parametrize(
    ("query", "param", "value"),
    [
        ("year.rq", "year", "twenty-fourteen"),
        ("since.rq", "since", "2014-13"),
        ("since.rq", "since", "26/09/2014"),
    ],
)
def test_ill_typed_integer_and_date(hilos, query: str, param: str, value: str) -> None:
    text = (DATA / query).read_text(encoding="utf-8")
    assert re.search(rf"^# param: {param} \((integer|date)\)", text, re.MULTILINE)
    with unchanged(hilos):
        error = one_line_error(hilos("query", str(DATA / query), "-p", f"{param}={value}"), 2)
    assert param in error
    assert value in error


def test_well_typed_date_is_accepted(hilos) -> None:
    result = hilos("query", str(DATA / "since.rq"), "-p", "since=2014-09", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)["results"]["bindings"]
    assert row["since"]["value"] == "2014-09"


def test_unknown_parameter_name(hilos) -> None:
    with unchanged(hilos):
        error = one_line_error(hilos("query", "ties-by-status", "-p", "colour=red"), 2)
    assert "colour" in error


def test_param_without_equals_sign_is_bad_usage(hilos) -> None:
    result = hilos("query", "ties-by-status", "--param", "status")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "NAME=VALUE" in result.stderr


def test_param_without_equals_sign_is_one_line(hilos) -> None:
    one_line_error(hilos("query", "ties-by-status", "--param", "status"), 2)


def test_bad_option_value_is_one_line(hilos) -> None:
    one_line_error(hilos("search", "zetas", "--format", "yaml"), 2)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("SELECT ?x WHERE { ?x ?y }\n", id="missing-object"),
        pytest.param(
            "SELECT ?x\nWHERE {\n  ?x a hilos:Mayor ;\n     rdfs:label\n}\n",
            id="missing-object-after-semicolon",
        ),
        pytest.param("SELECT ?x WHERE { ?x a nope:Thing }", id="undeclared-prefix"),
        pytest.param("ASK {", id="unclosed-brace"),
    ],
)
def test_sparql_syntax_error_from_stdin(hilos, query: str) -> None:
    with unchanged(hilos):
        error = one_line_error(hilos("query", "-", input=query), 2)
    assert "syntax" in error.lower()


@pytest.mark.parametrize("text", ["", "   \n\n"])
def test_empty_query_on_stdin(hilos, text: str) -> None:
    with unchanged(hilos):
        one_line_error(hilos("query", "-", input=text), 2)


def test_update_is_not_a_query(hilos) -> None:
    update = "INSERT DATA { hid:x rdfs:label 'x' }"
    with unchanged(hilos):
        one_line_error(hilos("query", "-", input=update), 2)


def test_unreadable_query_file(hilos, tmp_path: Path) -> None:
    path = tmp_path / "binary.rq"
    path.write_bytes(bytes(range(256)))
    with unchanged(hilos):
        error = one_line_error(hilos("query", str(path)), 2)
    assert str(path) in error


def test_construct_with_a_results_format(hilos) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a hilos:Mayor ; ?p ?o }"
    result = hilos("query", "-", "--format", "csv", input=construct)
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------------------------------- show


def test_show_unknown_name(hilos) -> None:
    with unchanged(hilos):
        error = one_line_error(hilos("show", "Nadie Nunca Jamás"), 1)
    assert "Nadie Nunca Jamás" in error


def test_show_unknown_iri(hilos) -> None:
    error = one_line_error(hilos("show", "hid:no-such-entity"), 1)
    assert "no-such-entity" in error


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def test_show_ambiguous_name_lists_the_candidates(hilos) -> None:
    word = "mexican"
    names: dict[URIRef, set[str]] = {}
    curated = Graph()
    for path in GRAPH_FILES:
        curated.parse(path, format="turtle")
    for prop in (RDFS.label, SKOS.altLabel):
        for subject, value in curated.subject_objects(prop):
            if isinstance(subject, URIRef) and isinstance(value, Literal):
                names.setdefault(subject, set()).add(_normalise(str(value)))
    carrying = {s for s, keys in names.items() if any(word in key.split() for key in keys)}
    exact = {s for s, keys in names.items() if word in keys}
    assert len(carrying) >= 2, carrying  # several entities carry the word…
    assert not exact  # …and none is called just that

    with unchanged(hilos):
        error = one_line_error(hilos("show", "Mexican"), 2)
    listed = set(re.findall(r"<([^>]+)>", error))
    assert len(listed) >= 2
    for iri in listed:
        if iri.startswith(str(HID)):
            assert URIRef(iri) in carrying, iri
    # at most eight are listed, best matches first: those named with the word at the start
    assert len(listed) <= 8


# ---------------------------------------------------------------------------------- the store


def test_drop_the_ontology_is_refused(hilos) -> None:
    with unchanged(hilos):
        one_line_error(hilos("drop", "ontology"), 2)


def test_query_an_unknown_graph(hilos) -> None:
    result = hilos("query", "weak-ties", "--graph", "no-such-graph")
    assert result.exit_code in (1, 2)
    one_line_error(result, result.exit_code)
    assert "no-such-graph" in result.stderr


LOCKER = (
    "import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); "
    "print('ready', flush=True); time.sleep(30)"
)


@pytest.mark.slow
def test_a_store_in_use(hilos) -> None:
    before = snapshot(hilos)
    with subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(hilos.store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as locker:
        try:
            assert locker.stdout is not None
            assert locker.stdout.readline().strip() == "ready"
            for args in (("load", str(FINDINGS)), ("search", "zetas")):
                error = one_line_error(hilos(*args), 2)
                assert "in use" in error
        finally:
            locker.kill()
            locker.wait()
    assert snapshot(hilos) == before


def test_export_to_a_folder_that_does_not_exist(hilos, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.ttl"
    one_line_error(hilos("export", "turtle", str(target)), 2)
    assert not target.parent.exists()
    folder = tmp_path / "out"
    folder.mkdir()
    one_line_error(hilos("export", "turtle", str(folder)), 2)
    assert list(folder.iterdir()) == []
