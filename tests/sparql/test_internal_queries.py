"""The queries hilos runs itself live in `src/hilos/sparql/*.rq`, one file each (issue 19): every
file is read by some module, every name a module reads is a file, every file is SPARQL the engine
takes, and no module writes a query of a fixed shape inline."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from hilos import sparql
from hilos.namespaces import PREFIXES

SRC = Path(__file__).resolve().parents[2] / "src" / "hilos"
FILES = sorted(path.stem for path in (SRC / "sparql").glob("*.rq"))
LOADED = re.compile(r"""sparql\.load\(\s*["']([\w-]+)["']\s*\)""")

# A string constant (not a docstring, not part of an f-string: those are built from data and
# say so beside them) that is a query: a query of a fixed shape written in a module.
QUERY = re.compile(r"^\s*(?:PREFIX [^\n]*\n\s*)*(SELECT|CONSTRUCT|ASK)\b[^{]*\{", re.DOTALL)

# Queries filled in with `%` from data (a batch of IRIs as VALUES), so they stay as code.
BUILT_WITH_PERCENT: set[str] = set()

# Modules another change of issue 19 owns while this one lands; each leaves this list when its
# queries move to .rq files.
PENDING: set[str] = set()


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_internal_query_file_is_read_and_every_name_read_is_a_file() -> None:
    read = {name for path in _modules() for name in LOADED.findall(path.read_text("utf-8"))}
    assert read == set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_every_internal_query_is_sparql_the_engine_takes(name: str) -> None:
    text = sparql.load(name)
    # the engine checks the syntax: an empty store answers every well-formed query
    ox.Store().query(text, prefixes=PREFIXES)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))  # attribute docstrings and other bare strings
    return found


def _inline_queries(source: str, where: str) -> list[str]:
    tree = ast.parse(source)
    skipped = _docstrings(tree) | {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    return [
        f"{where}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and QUERY.match(node.value)
    ]


def test_no_module_writes_a_fixed_query_inline() -> None:
    found = [
        hit
        for path in _modules()
        if str(path.relative_to(SRC)) not in PENDING | BUILT_WITH_PERCENT
        for hit in _inline_queries(path.read_text("utf-8"), str(path.relative_to(SRC)))
    ]
    assert found == []


def test_the_inline_check_sees_a_fixed_query() -> None:
    """The check above can fail: a constant query is found; a built one, a docstring's
    example and a word list are not."""
    source = (
        '"""Run `SELECT ?x WHERE { ?x a hilos:Mayor }`."""\n'
        'WORDS = "SELECT CONSTRUCT ASK WHERE"\n'
        '_CITATIONS = "SELECT ?s ?c WHERE { ?s hilos:citation ?c }"\n'
        "def exists(store, g):\n"
        '    built = f"SELECT ?s WHERE {{ ?s {g} ?o }}"\n'
        '    return store.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": g})\n'
    )
    assert _inline_queries(source, "sample.py") == ["sample.py:3", "sample.py:6"]
