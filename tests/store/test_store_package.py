"""The store as a package: its layering, no module asking which kind of store it holds, and one
way in for statements (`Store.load_statements`), all or nothing and equal to loading a file."""

from __future__ import annotations

import ast
import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import grimp
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import hilos
from hilos.errors import ParseError
from hilos.importers import load_statements as import_statements
from hilos.store import Store
from hilos.store.updates import apply_update

PACKAGE = Path(hilos.__file__).parent
STORE_PACKAGE = PACKAGE / "store"

# What the store may use from outside its package: leaf modules that import nothing of hilos
# but each other (errors and its messages, IRIs, shipped files, the vocabulary read from the
# ontology, text normalisation, and the text tools for RDF and SPARQL syntax).
BASICS = {
    "hilos.errors",
    "hilos.i18n",
    "hilos.namespaces",
    "hilos.resources",
    "hilos.vocab",
    "hilos.text",
    "hilos.rdfsyntax",
    "hilos.sparql.lexer",
    # the package's own module only reads the `.rq` files beside it (the store's queries)
    "hilos.sparql",
    "hilos.xmlsafety",
}

# Every module outside the store: none may ask which kind of store it holds (the store's view
# and queries answer alike on both backends; `Store.endpoint` says where a store lives).
OUTSIDE_THE_STORE = sorted(
    path for path in PACKAGE.rglob("*.py") if STORE_PACKAGE not in path.parents
)

TIE = """\
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid: <https://w3id.org/hilos/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
hid:pkg-mayor a hilos:Mayor ; rdfs:label "Alcalde Pérez"@es .
hid:pkg-cartel a hilos:DrugTraffickingOrganization ; rdfs:label "Cártel de Prueba"@es .
hid:pkg-tie a hilos:Bribery ; hilos:from hid:pkg-cartel ; hilos:to hid:pkg-mayor ;
    hilos:status hilos:Reported ; prov:wasDerivedFrom [ rdfs:label "a source" ] .
"""


def runtime_imports(path: Path, module: str) -> set[str]:
    """The hilos modules a file imports when it runs (not under `TYPE_CHECKING`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
                if not node.module:  # `from . import x`: x may be a module
                    found.update(f"{base}.{alias.name}" for alias in node.names)
                    continue
            found.add(base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "hilos" or name.startswith("hilos.")}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []  # before the walk reaches what it guards
    yield from ast.walk(tree)


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def existing(name: str) -> str:
    """The module a dotted name refers to (a name imported from a package is the package)."""
    while name and not (
        (PACKAGE.parent / name.replace(".", "/")).with_suffix(".py").exists()
        or (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists()
    ):
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return name


@pytest.mark.parametrize("path", sorted(STORE_PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_the_store_imports_only_itself_and_the_basics(path: Path) -> None:
    imported = {existing(name) for name in runtime_imports(path, module_name(path))}
    outside = {
        name for name in imported if not name.startswith("hilos.store") and name not in BASICS
    }
    assert not outside, f"{path.name} imports {sorted(outside)} from above the store"


@pytest.mark.parametrize("basic", sorted(BASICS))
def test_the_basics_import_nothing_above_them(basic: str) -> None:
    path = PACKAGE.parent / (basic.replace(".", "/") + ".py")
    if not path.exists():  # a package: its own module
        path = PACKAGE.parent / basic.replace(".", "/") / "__init__.py"
    imported = {existing(name) for name in runtime_imports(path, basic)}
    assert imported <= BASICS, f"{basic} imports {sorted(imported - BASICS)}"


def test_the_old_modules_are_gone() -> None:
    for old in ("store.py", "remote.py", "reasoner.py", "updates.py"):
        assert not (PACKAGE / old).exists(), f"{old} was left behind beside the package"


def asks_which_store(source: str) -> list[int]:
    """The lines of a module that read an attribute `remote` or name a backend's class."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if (isinstance(node, ast.Attribute) and node.attr == "remote")
        or (isinstance(node, ast.Name | ast.alias) and _backend_class(node))
    )


def _backend_class(node: ast.Name | ast.alias) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.name
    return name.split(".")[-1] in {"RemoteDatabase", "RemoteBackend", "EmbeddedBackend"}


@pytest.mark.parametrize("path", OUTSIDE_THE_STORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_outside_the_store_asks_which_store_it_holds(path: Path) -> None:
    lines = asks_which_store(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.relative_to(PACKAGE)} asks which store it holds at lines {lines}"


def test_the_check_sees_a_branch_on_the_backend() -> None:
    """The check above can fail: a branch on `store.remote` and an import of a backend's class
    are found; `store.endpoint` (where a store lives, shown by the CLI) is not."""
    source = (
        "from hilos.store.remote import RemoteBackend\n"
        "def rows(store):\n"
        "    if store.remote:\n"
        "        return []\n"
        "    return store.endpoint\n"
    )
    assert asks_which_store(source) == [1, 3]


# ------------------------------------------------------------------------ import loops


def _cycles(package: str) -> list[tuple[str, str]]:
    """The pairs of modules of a package that import each other, directly or through others
    (imports inside functions and under `TYPE_CHECKING` count)."""
    graph = grimp.build_graph("hilos", include_external_packages=False)
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    return [
        (a, b)
        for a, b in itertools.combinations(modules, 2)
        if graph.find_shortest_chain(importer=a, imported=b)
        and graph.find_shortest_chain(importer=b, imported=a)
    ]


@pytest.mark.parametrize("package", ["hilos.store", "hilos.network"])
def test_the_modules_of_a_package_import_each_other_in_no_loop(package: str) -> None:
    assert _cycles(package) == []


# --------------------------------------------------------------------- load_statements


def statements() -> list[ox.Triple]:
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(TIE.encode(), format=ox.RdfFormat.TURTLE)
    ]


def snapshot(store: Store) -> tuple[set[str], list[str], set[ox.Quad]]:
    """Everything a load could leave behind: the graphs, the registry, the statements."""
    database = store.database
    graphs = {str(g) for g in database.named_graphs()}
    return graphs, [info.name for info in store.graphs()], set(database)


def as_rdflib(quads: Iterator[ox.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    text = "".join(f"{ox.Triple(q.subject, q.predicate, q.object)} .\n" for q in quads)
    graph.parse(data=text, format="nt")
    return graph


@pytest.fixture(params=[10_000, 1], ids=["transaction", "bulk"])
def threshold(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("hilos.store.BULK_THRESHOLD", request.param)
    return int(request.param)


def test_a_stream_that_fails_midway_leaves_nothing(threshold: int) -> None:
    store = Store.in_memory()
    before = snapshot(store)

    def failing() -> Iterator[ox.Triple]:
        yield from statements()[:3]
        raise ValueError("row 4 is broken")

    with pytest.raises(ValueError, match="row 4"):
        store.load_statements(failing(), name="broken")
    assert snapshot(store) == before
    assert "broken" not in [info.name for info in store.graphs()]


def test_an_empty_stream_loads_nothing() -> None:
    store = Store.in_memory()
    before = snapshot(store)
    with pytest.raises(ParseError, match="no RDF statements"):
        store.load_statements(iter(()), name="nothing")
    assert snapshot(store) == before


def test_statements_load_as_the_same_file_does(threshold: int, tmp_path: Path) -> None:
    by_file, by_stream = Store.in_memory(), Store.in_memory()
    path = tmp_path / "tie.nt"
    with path.open("wb") as out:
        ox.serialize(statements(), out, ox.RdfFormat.N_TRIPLES)
    from_file = by_file.load(path, name="tie")
    from_stream = by_stream.load_statements(iter(statements()), name="tie", origin=("x", "y"))
    assert (from_stream.triples, from_stream.inferred_triples) == (
        from_file.triples,
        from_file.inferred_triples,
    )
    for inferred in (False, True):
        expected = as_rdflib(by_file.quads(["tie"], inferred=inferred))
        got = as_rdflib(by_stream.quads(["tie"], inferred=inferred))
        assert isomorphic(got, expected)
    info = by_stream.graph("tie")
    assert (info.source, info.sha256, info.triples) == ("x", "y", len(statements()))
    asks = "ASK { hid:pkg-cartel hilos:bribed hid:pkg-mayor }"
    assert bool(by_stream.query(asks)) == bool(by_file.query(asks))


def test_statements_replace_a_graph_only_when_asked() -> None:
    store = Store.in_memory()
    store.load_statements(iter(statements()), name="tie")
    with pytest.raises(hilos.errors.GraphExists):
        store.load_statements(iter(statements()[:1]), name="tie")
    store.load_statements(iter(statements()[:1]), name="tie", replace=True)
    assert store.graph("tie").triples == 1


def test_without_a_sha_the_digest_of_the_statements_as_ntriples_is_recorded(
    tmp_path: Path,
) -> None:
    store = Store.in_memory()
    path = tmp_path / "tie.nt"
    written = statements()  # one parse: the same blank node labels in both
    with path.open("wb") as out:
        ox.serialize(written, out, ox.RdfFormat.N_TRIPLES)
    store.load_statements(iter(written), name="tie")
    assert store.graph("tie").sha256 == hilos.resources.file_sha256(path)


def test_imports_and_updates_write_no_scratch_file(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.in_memory()

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a scratch file was written")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refused)
    monkeypatch.setattr(tempfile, "TemporaryDirectory", refused)
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    import_statements(store, iter(statements()), name="imported", origin="a.csv", sha256="0")
    assert store.graph("imported").source == "a.csv"
    changed = apply_update(store, "INSERT DATA { hid:pkg-x rdfs:label 'x' }")
    assert changed == ["sparql-update"]
    assert store.graph("sparql-update").triples == 1
