"""`--endpoint URL`: the same commands against a remote SPARQL 1.1 endpoint.

Two real servers: hilos's own `serve` (read-only, always available) and Virtuoso (Debian's
`virtuoso-opensource`), started here on free loopback ports with a temporary database, with a
user granted SPARQL Update. Where Virtuoso cannot be started its tests are skipped with the
reason, which `pytest -ra` prints.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pyoxigraph import BlankNode, NamedNode

from hilos.cli.app import cli
from hilos.errors import BadInput, QueryError
from hilos.search import search
from hilos.server.http import make_server
from hilos.sparql import library as queries
from hilos.store import Store
from hilos.store.remote import RemoteDatabase
from hilos.store.remote_view import RemoteView
from hilos.store.values import with_values as _with_values

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
HILOS_FROM = NamedNode("https://w3id.org/hilos/ontology#from")

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

USER, PASSWORD = "hilos", "s3cret-for-tests"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def unordered(value: Any) -> Any:
    """A JSON value with its lists sorted and floats rounded: what two engines must agree on
    when neither promises an order (unordered query answers, sums in another order)."""
    if isinstance(value, dict):
        return {key: unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((unordered(item) for item in value), key=lambda v: json.dumps(v))
    if isinstance(value, float):
        return round(value, 9)
    return value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --------------------------------------------------------------------------- no server needed


def test_parameters_travel_as_values_inside_the_where_clause() -> None:
    from pyoxigraph import Literal, NamedNode, Variable

    text = "SELECT ?needle ?e WHERE { ?e hilos:searchKey ?k FILTER(CONTAINS(?k, ?needle)) }"
    sent = _with_values(text, {Variable("needle"): Literal('a "quoted" } value')})
    assert sent.startswith(
        'SELECT ?needle ?e WHERE { VALUES (?needle) { ("a \\"quoted\\" } value") }'
    )
    assert sent.endswith("?e hilos:searchKey ?k FILTER(CONTAINS(?k, ?needle)) }")
    construct = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }"
    bound = _with_values(construct, {Variable("c"): NamedNode("http://x/C")})
    assert bound.startswith("CONSTRUCT { ?s a ?c } WHERE { VALUES (?c) { (<http://x/C>) }")
    with pytest.raises(QueryError, match="WHERE"):
        _with_values("DESCRIBE ?x", {Variable("x"): NamedNode("http://x/a")})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/sparql", "not an http"),
        ("http://user:pw@example.org/sparql", "credentials do not belong in the URL"),
    ],
)
def test_endpoint_urls_are_checked(url: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        RemoteDatabase(url)


def test_unreachable_endpoint_is_one_line_and_exit_2() -> None:
    result = run("--endpoint", f"http://127.0.0.1:{free_port()}/sparql", "search", "iguala")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot reach the SPARQL endpoint")
    assert len(result.stderr.strip().splitlines()) == 1


def test_store_and_endpoint_together_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--store", str(tmp_path), "--endpoint", "http://127.0.0.1:1/sparql", "graphs")
    assert result.exit_code == 2
    assert "not both" in result.stderr


@pytest.fixture(scope="module")
def hilos_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`hilos serve` over an embedded store, as a plain SPARQL endpoint to read from."""
    path = tmp_path_factory.mktemp("served") / "store"
    store = Store.open(path)
    server = make_server(store, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url, path
    finally:
        server.shutdown()
        server.server_close()
        store.close()


def test_reading_through_hilos_serve_matches_the_embedded_store(
    hilos_server: tuple[str, Path], memory_store: Store
) -> None:
    url, _ = hilos_server
    remote = as_json(run("--endpoint", url, "search", "guerreros", "--format", "json"))
    embedded = [{"id": hit.id, "label": hit.label} for hit in search(memory_store, "guerreros")]
    assert [{"id": r["id"], "label": r["label"]} for r in remote] == embedded
    chains = run("--endpoint", url, "paths", "José Luis Abarca", "Guerreros Unidos")
    assert chains.exit_code == 0, chains.stderr
    assert "Municipal police of Iguala" in chains.stdout


def test_fuzzy_search_through_an_endpoint_matches_the_embedded_store(
    hilos_server: tuple[str, Path], memory_store: Store
) -> None:
    url, _ = hilos_server
    for typed in ("guerreros unidas", "Abarka"):
        remote = as_json(run("--endpoint", url, "search", typed, "--format", "json"))
        embedded = search(memory_store, typed)
        assert embedded and embedded[0].fuzzy, typed
        assert [(r["id"], r["fuzzy"], r["corrected"]) for r in remote] == [
            (hit.id, hit.fuzzy, [{"typed": t, "read": r} for t, r in hit.corrected])
            for hit in embedded
        ]


def _comparable(pairs: Any) -> set[tuple[str, ...]]:
    """Statements as text, leaving out blank nodes (an endpoint labels them afresh)."""
    return {
        tuple(str(term) for term in pair)
        for pair in pairs
        if not any(isinstance(term, BlankNode) for term in pair)
    }


@pytest.mark.parametrize("registry", [True, False], ids=["its graphs", "its dataset"])
def test_a_remote_view_answers_as_the_embedded_view(
    hilos_server: tuple[str, Path],
    memory_store: Store,
    monkeypatch: pytest.MonkeyPatch,
    registry: bool,
) -> None:
    """Each look-up of the store's view, on an endpoint (reading the graphs its registry lists,
    or, as on an endpoint without one, the server's default dataset) and on the embedded store
    holding the same data; batches of two, so that several requests make up one answer."""
    monkeypatch.setattr("hilos.store.remote_view.BATCH", 2)
    url, _ = hilos_server
    connected = Store.connect(url)
    remote = connected.view() if registry else RemoteView(connected.backend, ())
    local = memory_store.view()
    assert bool(remote.graphs) == registry
    ids = ("zetas", "jose-luis-abarca", "guerreros-unidos", "iguala-municipal-police", "nobody")
    entities = [NamedNode(f"https://w3id.org/hilos/id/{name}") for name in ids]
    for predicates in (None, [RDFS_LABEL, RDF_TYPE]):
        got, expected = (v.statements_of(entities, predicates) for v in (remote, local))
        assert set(got) == set(expected) == set(entities[:4])
        for entity in expected:
            assert _comparable(got[entity]) == _comparable(expected[entity])
    ties = [v.subjects_of(HILOS_FROM, entities) for v in (remote, local)]
    assert {k: set(s) for k, s in ties[0].items()} == {k: set(s) for k, s in ties[1].items()}
    assert ties[1]
    zetas = entities[0]
    assert set(remote.objects(zetas, RDF_TYPE)) == set(local.objects(zetas, RDF_TYPE))
    assert set(remote.subjects(HILOS_FROM, zetas)) == set(local.subjects(HILOS_FROM, zetas))
    quads = [
        {(q.subject, q.predicate, q.object) for q in v.quads(zetas, None, None)}
        for v in (remote, local)
    ]
    assert _comparable(quads[0]) == _comparable(quads[1]) and quads[1]
    labels = [set(v.pairs(RDFS_LABEL)) for v in (remote, local)]
    assert labels[0] == labels[1] and labels[1]


def test_writing_to_a_read_only_endpoint_is_refused_cleanly(
    hilos_server: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = hilos_server
    mine = tmp_path / "mine.ttl"
    mine.write_text("<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> 'a' .\n")
    result = run("--endpoint", url, "load", str(mine))
    assert result.exit_code == 2
    assert "refused the request (403)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- Virtuoso


@dataclass
class Virtuoso:
    base: str
    env: dict[str, str]

    @property
    def read_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def write_url(self) -> str:
        return f"{self.base}/sparql-auth"

    def hilos(self, *args: str, credentials: bool = True) -> Result:
        return run(
            "--endpoint",
            self.write_url if credentials else self.read_url,
            *args,
            env=self.env if credentials else None,
        )


_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        pytest.skip("Virtuoso is not installed (Debian package virtuoso-opensource)")
    where = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = where / "virtuoso.ini"
    ini.write_text(_INI.format(dir=where, sql_port=sql_port, http_port=http_port))
    log = (where / "console.log").open("wb")
    server = subprocess.Popen(
        [binary, "-c", str(ini), "+foreground"], cwd=where, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                tail = (where / "console.log").read_text(errors="replace")[-500:]
                pytest.skip(f"Virtuoso did not start (exit {server.returncode}): {tail}")
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.skip("Virtuoso did not answer within 90 s")
                time.sleep(0.5)
        # A user of its own, granted SPARQL Update: hilos writes as it, with Digest auth.
        grant = f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";"
        subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={grant}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        env = {"HILOS_ENDPOINT_USER": USER, "HILOS_ENDPOINT_PASSWORD": PASSWORD}
        yield Virtuoso(base, env)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def loaded(virtuoso: Virtuoso) -> Virtuoso:
    """Virtuoso holding the ontology and curated graph, loaded through hilos."""
    result = virtuoso.hilos("load", "--curated")
    assert result.exit_code == 0, result.stderr
    return virtuoso


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("embedded") / "store"
    Store.open(path).close()
    return str(path)


def both(loaded: Virtuoso, embedded: str, *args: str) -> tuple[Any, Any]:
    remote = as_json(loaded.hilos(*args, "--format", "json"))
    local = as_json(run("--store", embedded, *args, "--format", "json"))
    return remote, local


def test_virtuoso_holds_what_the_embedded_store_holds(loaded: Virtuoso, embedded: str) -> None:
    remote, local = both(loaded, embedded, "graphs")
    counts = {(g["name"], g["statements"], g["derived"]) for g in local}
    assert {(g["name"], g["statements"], g["derived"]) for g in remote} == counts
    shipped = {"ontology", *(f"report/{p.stem}" for p in (REPO / "graph").glob("*.ttl"))}
    assert {g["name"] for g in remote} == shipped


def test_writes_without_credentials_are_refused(virtuoso: Virtuoso, tmp_path: Path) -> None:
    mine = tmp_path / "mine.ttl"
    mine.write_text("<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> 'a' .\n")
    result = run("--endpoint", virtuoso.write_url, "load", str(mine))
    assert result.exit_code == 2
    assert "refused the request (401)" in result.stderr
    assert "HILOS_ENDPOINT_USER" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("search", "iguala"),
        ("search", "cheran"),
        ("paths", "José Luis Abarca", "Guerreros Unidos"),
        ("chains",),
        ("show", "José Luis Abarca"),
        ("show", "Zetas"),
        ("centrality", "--top", "15"),
        ("brokers",),
        ("hotspots",),
    ],
    ids=lambda args: "-".join(args),
)
def test_reading_commands_give_the_embedded_answers(
    loaded: Virtuoso, embedded: str, args: tuple[str, ...]
) -> None:
    remote, local = both(loaded, embedded, *args)
    assert remote, "an empty answer proves nothing"
    assert unordered(remote) == unordered(local)


def test_anonymous_reading_on_the_public_url(loaded: Virtuoso, embedded: str) -> None:
    remote = as_json(loaded.hilos("search", "zetas", "--format", "json", credentials=False))
    local = as_json(run("--store", embedded, "search", "zetas", "--format", "json"))
    assert remote == local


# ------------------------------------------------- one code path, two backends, same answers


def _projection_facts(projection: Any) -> tuple[Any, Any]:
    """A projection's nodes and ties with every attribute, as comparable values."""
    graph = projection.graph
    nodes = {
        node: unordered(json.loads(json.dumps(data, default=list)))
        for node, data in graph.nodes(data=True)
    }
    ties = {
        (u, v, key): unordered(json.loads(json.dumps(data, default=list)))
        for u, v, key, data in graph.edges(keys=True, data=True)
    }
    return nodes, ties


def _answers(store: Store) -> dict[str, Any]:
    """What the analyses read through the store's view, on one backend."""
    from hilos.entities import card
    from hilos.export.html import page_data
    from hilos.network.paths import find_paths_in_store
    from hilos.network.projection import Filters, project
    from hilos.search import resolve

    abarca = resolve(store, "José Luis Abarca")
    guerreros = resolve(store, "Guerreros Unidos")
    hits = {
        typed: [dataclasses.asdict(hit) for hit in search(store, typed)]
        for typed in ("guerreros", "Abarka", "cheran ronda", "zetas")
    }
    only_report = Filters(graphs=("report/iguala",))
    return {
        "search": unordered(json.loads(json.dumps(hits))),
        "card": unordered(card(store, abarca).as_dict()),
        "paths": [p.as_dict() for p in find_paths_in_store(store, Filters(), abarca, guerreros)],
        "projection": _projection_facts(project(store, Filters())),
        "with context": _projection_facts(project(store, only_report)),
        "page": unordered(
            _page_without_its_stamp(page_data(store, Filters(), focus=abarca, hops=2))
        ),
    }


def _page_without_its_stamp(data: dict[str, Any]) -> dict[str, Any]:
    """The page's data but the digest of the statements it was made from (an endpoint names
    the blank nodes of a load, so the same data hashes otherwise there)."""
    from hilos.export.html import page_rows

    rows = page_rows(data)
    rows["meta"] = {key: value for key, value in rows["meta"].items() if key != "snapshot"}
    return rows


def test_the_view_answers_alike_on_both_backends(loaded: Virtuoso, embedded: str) -> None:
    """The same data loaded in the embedded store and in Virtuoso: search hits, a card, paths,
    projections (nodes, ties, attributes; with another graph as context) and the page's data
    come out the same, though the embedded store reads its indexes and the endpoint answers
    SPARQL look-ups."""
    remote = Store.connect(loaded.read_url)
    with Store.open(embedded) as local:
        expected = _answers(local)
    got = _answers(remote)
    assert got["projection"][1], "an empty network proves nothing"
    assert got["with context"][0] and got["paths"] and got["card"]
    for part, answer in expected.items():
        assert got[part] == answer, part


# Virtuoso 7.2 evaluates a zero-or-more property path after several joins wrongly in some runs
# (rows go missing, some or all; the same server and data answer rightly in others) and mangles
# non-ASCII text inside CONCAT over joined labels. Where it answers otherwise, and why: rows
# missing from these are an expected failure, a row the right answer lacks fails the test.
_VIRTUOSO_BUGS = {
    "actors-by-sphere-in-place": "Virtuoso 7.2 loses rows of geo:sfWithin* in some runs",
    "groups-in-place": "Virtuoso 7.2 loses rows of geo:sfWithin* in some runs",
}
# Virtuoso 7.2 turns a non-ASCII character of the query text into ? (the arrow of a chain's
# text, even written \u2192): those rows are compared with it read as ?, so that a row lost or
# changed otherwise still fails (a strict xfail on the whole answer would hide it).
_MANGLED_IN_QUERY_TEXT = {"state-criminal-chains": "\u2192"}
# Queries Virtuoso 7.2 ends its own process on, taking every later test of the module down: none
# since state-criminal-chains reads a claim's ends as `hilos:from|hilos:to` (issue 17; it ended
# the server in 2 of 5 runs before).
_ENDS_THE_SERVER: dict[str, str] = {}
_PARAMS = {
    "actors-by-sphere-in-place": {"sphere": "criminal", "place": "Michoacán"},
    "entity-sources": {"entity": "Zetas"},
    "group-markets": {"group": "Sinaloa cartel"},
    "groups-in-place": {"place": "Guerrero"},
    "ties-by-status": {"status": "alleged"},
}


def _rows(store: Store, name: str) -> list[tuple[tuple[str, str], ...]]:
    result = queries.run(store, queries.find_query(name), _PARAMS.get(name, {}))
    rows = []
    for row in result.rows:
        cells = []
        for key, term in row.items():
            text = "" if term is None else getattr(term, "value", str(term))
            # GROUP_CONCAT has no order, nor (by the standard) a language tag
            parts = sorted(part.strip() for part in text.replace(";", ",").split(","))
            cells.append((key, ",".join(parts)))
        rows.append(tuple(sorted(cells)))
    return sorted(rows)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            q.name,
            marks=pytest.mark.skip(reason=_ENDS_THE_SERVER[q.name])
            if q.name in _ENDS_THE_SERVER
            else (),
        )
        for q in queries.library()
    ],
)
def test_every_library_query_gives_the_embedded_answer(
    loaded: Virtuoso, embedded: str, name: str
) -> None:
    remote = Store.connect(loaded.read_url)
    local = Store.open(embedded)
    try:
        expected = _rows(local, name)
    finally:
        local.close()
    assert expected, f"{name} answers nothing on the curated graph"
    got = _rows(remote, name)
    if name in _VIRTUOSO_BUGS and got != expected:
        # the bug's known form: rows missing (some or all, in some runs of the same server
        # and data, not others); a row that is not in the right answer still fails
        assert set(got) < set(expected), "rows the embedded store does not give"
        pytest.xfail(_VIRTUOSO_BUGS[name])
    if name in _MANGLED_IN_QUERY_TEXT:
        mangled = _MANGLED_IN_QUERY_TEXT[name]
        assert got != expected, f"Virtuoso keeps {mangled} now: read it as it is"
        expected = sorted(
            tuple((key, value.replace(mangled, "?")) for key, value in row) for row in expected
        )
    assert got == expected


def test_load_and_drop_through_sparql_update(loaded: Virtuoso, tmp_path: Path) -> None:
    mine = tmp_path / "findings.ttl"
    mine.write_text(
        "@prefix hilos: <https://w3id.org/hilos/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/mayor-x> a hilos:Mayor ; rdfs:label 'Mayor Xochiquetzal'@es .\n"
        "<https://example.org/mayor-x> hilos:memberOf [ rdfs:label 'A blank group' ] .\n"
    )
    loaded_now = loaded.hilos("load", str(mine))
    assert loaded_now.exit_code == 0, loaded_now.stderr
    found = as_json(loaded.hilos("search", "xochiquetzal", "--format", "json"))
    assert [hit["id"] for hit in found] == ["https://example.org/mayor-x"]
    # derived on the way in, as in the embedded store: a mayor is a state actor
    assert found[0]["sphere"] == "state"
    names = [g["name"] for g in as_json(loaded.hilos("graphs", "--format", "json"))]
    assert "findings" in names
    dropped = loaded.hilos("drop", "findings")
    assert dropped.exit_code == 0, dropped.stderr
    gone = loaded.hilos("search", "xochiquetzal")
    assert gone.exit_code == 1


def test_virtuoso_answers_ask_as_a_boolean(loaded: Virtuoso) -> None:
    """Virtuoso 7.2 sends an ASK's answer as a SELECT of `__ASK_RETVAL` (no row for false):
    read as rows, every ASK looked true, and every graph seemed to exist already."""
    remote = Store.connect(loaded.read_url)
    missing = NamedNode("https://w3id.org/hilos/graph/no-such-graph")
    present = NamedNode("https://w3id.org/hilos/graph/report/state")
    assert remote.backend.contains_named_graph(missing) is False
    assert remote.backend.contains_named_graph(present) is True
    for text, truth, code in (
        ("ASK { <urn:hilos:a> <urn:hilos:b> <urn:hilos:c> }", False, 1),
        ("ASK { ?mayor a hilos:Mayor }", True, 0),
    ):
        args = ["--endpoint", loaded.read_url, "query", "-", "--format", "json"]
        said = CliRunner().invoke(cli, args, input=text, catch_exceptions=False)
        assert said.exit_code == code, said.stderr
        assert json.loads(said.stdout)["boolean"] is truth


def test_a_new_graph_is_written_in_place_not_moved(
    loaded: Virtuoso, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graph the server does not hold is written straight into its name: moving a staged
    copy into place is one transaction, which Virtuoso refuses past its log limit (a file of
    100,000 entities failed so)."""
    sent: list[str] = []
    post = RemoteDatabase._post

    def recording(self: RemoteDatabase, url: str, form: list[tuple[str, str]], **kw: Any) -> Any:
        sent.extend(value for key, value in form if key == "update")
        return post(self, url, form, **kw)

    monkeypatch.setattr(RemoteDatabase, "_post", recording)
    for key, value in loaded.env.items():
        monkeypatch.setenv(key, value)
    mine = tmp_path / "in-place.ttl"
    mine.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/in-place> rdfs:label 'In place'@en .\n"
    )
    store = Store.connect(loaded.write_url)
    store.load(str(mine), name="in-place")
    try:
        assert sent and not [u for u in sent if "MOVE" in u], sent
        assert any("INSERT DATA" in u and "graph/in-place>" in u for u in sent), sent
    finally:
        store.drop("in-place")


def test_a_bad_file_loads_nothing_on_the_server(loaded: Virtuoso, tmp_path: Path) -> None:
    before = as_json(loaded.hilos("graphs", "--format", "json"))
    good = tmp_path / "good.ttl"
    good.write_text("<https://example.org/g> <http://www.w3.org/2000/01/rdf-schema#label> 'g' .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> .\n")
    result = loaded.hilos("load", str(good), str(bad))
    assert result.exit_code == 2
    assert "bad.ttl" in result.stderr and "line 1" in result.stderr
    assert as_json(loaded.hilos("graphs", "--format", "json")) == before


def test_import_writes_through_the_endpoint(loaded: Virtuoso, tmp_path: Path) -> None:
    sheet = tmp_path / "payments.csv"
    sheet.write_text("from,to,relation\nMayor Quetzalli,Guerreros Unidos,bribery\n")
    result = loaded.hilos("import", "csv", str(sheet))
    assert result.exit_code == 0, result.stderr
    ties = as_json(loaded.hilos("paths", "Mayor Quetzalli", "Guerreros Unidos", "--format", "json"))
    hop = ties["paths"][0]["hops"][0]
    assert hop["relation"] == "hilos:Bribery"
    assert loaded.hilos("drop", "payments").exit_code == 0


def test_exports_and_validation_read_the_endpoint(loaded: Virtuoso, tmp_path: Path) -> None:
    iguala = (REPO / "graph" / "iguala.ttl").read_text()
    quote = "The police officers then turned the students over to the criminal organisation"
    assert quote in iguala  # the sentence the page must carry comes from the curated file
    page = tmp_path / "chains.html"
    result = loaded.hilos("export", "html", str(page), "--chains")
    assert result.exit_code == 0, result.stderr
    assert quote in page.read_text()
    assert loaded.read_url not in page.read_text()  # the endpoint is not published
    turtle = tmp_path / "iguala.ttl"
    exported = loaded.hilos("export", "turtle", str(turtle), "--graph", "report/iguala")
    assert exported.exit_code == 0, exported.stderr
    from pyoxigraph import RdfFormat, parse

    ours = {str(t) for t in parse(path=str(REPO / "graph" / "iguala.ttl"), format=RdfFormat.TURTLE)}
    theirs = {str(t) for t in parse(path=str(turtle), format=RdfFormat.TURTLE)}
    assert theirs == ours
    checked = loaded.hilos("validate")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
