"""The explorer of `hilos serve`: its JSON endpoints over raw HTTP, and its page in a real browser
(Debian's headless Chromium driven by Playwright).

The store holds the curated graph plus a few hostile strings (a label that is an
`<img onerror>` tag, a quote that closes a script element). Expected values are read from the
Turtle files with rdflib, not taken from hilos. The browser tests check that no request leaves
127.0.0.1, that no error reaches the console and that no dialog opens; screenshots are saved
under tests/artifacts/. They are skipped, with the reason, when /usr/bin/chromium or
Playwright is missing.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import rdflib

from conftest import HOSTILE_CITATION, HOSTILE_LABEL, HOSTILE_QUOTE, Hilos
from hilos.namespaces import PREFIXES
from hilos.server.http import SparqlServer
from hilos.store import Store
from support import Session, fetch, page_json, running

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
EXPLORER = REPO / "src" / "hilos" / "server" / "explorer"
H = rdflib.Namespace("https://w3id.org/hilos/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
HID = "https://w3id.org/hilos/id/"
ABARCA = HID + "jose-luis-abarca"
POLICE = HID + "iguala-municipal-police"
GUERREROS = HID + "guerreros-unidos"
ZETAS = HID + "zetas"
HOSTILE = HID + "hostile-actor"


# -- the data, read independently --------------------------------------------------------------


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")


def ties_of(graph: rdflib.Graph, entity: str) -> set[rdflib.term.Node]:
    node = rdflib.URIRef(entity)
    return set(graph.subjects(H["from"], node)) | set(graph.subjects(H.to, node))


def neighbourhood(graph: rdflib.Graph, entity: str) -> set[str]:
    """The entity and every actor one claim away from it (the network is made of actors: the
    place a mayor holds office in is context). Actors are read from the ontology's classes."""
    ontology = rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")
    actor_classes = set(ontology.transitive_subjects(rdflib.RDFS.subClassOf, H.Actor))
    actors = {str(s) for c in actor_classes for s in graph.subjects(rdflib.RDF.type, c)}
    return {entity} | {
        str(end)
        for tie in ties_of(graph, entity)
        if graph.value(tie, H.status) != H.Refuted and graph.value(tie, H.modality) is None
        for end in (graph.value(tie, H["from"]), graph.value(tie, H.to))
        if str(end) in actors
    }


def status_name(graph: rdflib.Graph, tie: rdflib.term.Node) -> str:
    status = graph.value(tie, H.status)
    assert isinstance(status, rdflib.URIRef)
    return str(status).rsplit("#", 1)[1].lower()


def citations(graph: rdflib.Graph, tie: rdflib.term.Node) -> set[str]:
    return {
        str(graph.value(source, H.citation)) for source in graph.objects(tie, PROV.wasDerivedFrom)
    }


def text(graph: rdflib.Graph, subject: str | rdflib.term.Node, prop: rdflib.URIRef) -> str:
    value = graph.value(rdflib.URIRef(str(subject)), prop)
    assert value is not None, (subject, prop)
    return str(value)


def english_label(graph: rdflib.Graph, entity: str) -> str:
    (label,) = [
        str(v)
        for v in graph.objects(rdflib.URIRef(entity), rdflib.RDFS.label)
        if isinstance(v, rdflib.Literal) and v.language == "en"
    ]
    return label


# -- the server ---------------------------------------------------------------------------------


# The curated graph and a few hostile strings: labels, quote, locator, citation.


@pytest.fixture(scope="module")
def server(hostile_store: Store) -> Iterator[SparqlServer]:
    with running(hostile_store) as started:
        yield started


@pytest.fixture(scope="module")
def base(server: SparqlServer) -> str:
    return server.base_url


def get_json(base: str, path: str, **params: str) -> tuple[int, dict[str, str], Any]:
    status, headers, body = fetch(base + path, params=params or None)
    assert headers["Content-Type"] == "application/json; charset=utf-8", (path, headers)
    assert headers["X-Content-Type-Options"] == "nosniff"
    return status, headers, json.loads(body)


def cli_error(hilos: Hilos, *args: str) -> str:
    """The one-line error the command line gives for the same request."""
    result = hilos(*args)
    assert result.exit_code != 0
    line = result.stderr.strip()
    assert line.startswith("Error: ") and "\n" not in line
    return line.removeprefix("Error: ")


def as_cli_shows(message: str) -> str:
    """The message as a terminal line: the command line cuts it at 400 characters."""
    return message if len(message) <= 400 else message[:399] + "…"


# -- the page and its files ---------------------------------------------------------------------


def test_the_page_is_served_with_a_strict_policy(base: str) -> None:
    status, headers, body = fetch(base + "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    policy = {
        part.split()[0]: part.split()[1:] for part in headers["Content-Security-Policy"].split("; ")
    }
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # YASGUI's style attributes
    assert policy["connect-src"] == ["'self'"] and policy["frame-src"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    page = body.decode()
    assert page == (EXPLORER / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sorted(loaded) == [
        "/assets/common.css",
        "/assets/common.js",
        "/assets/explorer.css",
        "/assets/explorer.js",
        "/assets/vendor/yasgui/yasgui.min.css",
        "/assets/vendor/yasgui/yasgui.min.js",
        "data:,",
    ]


def test_the_assets_are_served_and_nothing_else(base: str) -> None:
    for name, media in [
        ("explorer.js", "text/javascript"),
        ("explorer.css", "text/css"),
        ("vendor/yasgui/yasgui.min.js", "text/javascript"),
        ("vendor/yasgui/yasgui.min.css", "text/css"),
    ]:
        status, headers, body = fetch(f"{base}/assets/{name}")
        assert status == 200 and headers["Content-Type"].startswith(media)
        assert body == (EXPLORER / name).read_bytes()
    for name, media in [("common.js", "text/javascript"), ("common.css", "text/css")]:
        status, headers, body = fetch(f"{base}/assets/{name}")
        assert status == 200 and headers["Content-Type"].startswith(media)
        assert body == (EXPLORER.parents[1] / "webshared" / name).read_bytes()
    for path in [
        "/assets/index.html",
        "/assets/webshared/common.js",
        "/assets/../../webshared/common.js",
        "/assets/../server.py",
        "/assets/%2e%2e/api.py",
        "/assets/",
        "/assets/vendor/yasgui/LICENSE",
        "/assets/vendor/yasgui/README.md",
    ]:
        assert fetch(base + path)[0] == 404, path


def test_the_files_name_no_other_host_and_write_no_html() -> None:
    page = (EXPLORER / "index.html").read_text(encoding="utf-8")
    shared = EXPLORER.parents[1] / "webshared"
    style = "".join(
        (folder / name).read_text(encoding="utf-8")
        for folder, name in [(shared, "common.css"), (EXPLORER, "explorer.css")]
    )
    script = "".join(
        (folder / name).read_text(encoding="utf-8")
        for folder, name in [(shared, "common.js"), (EXPLORER, "explorer.js")]
    )
    assert "http" not in page and "http" not in style and "url(" not in style
    # The only absolute IRIs in the script are the vocabularies' names it shortens IRIs with.
    assert set(re.findall(r'"(https?://[^"]*)"', script)) <= set(PREFIXES.values())
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "Function(",
    ):
        assert sink not in script, sink
    # Requests go to this server's own paths.
    # (YASGUI, the SPARQL editor, sends its queries to this server's /sparql: location.origin)
    assert set(re.findall(r'fetch\("([^"]*)"', script)) == {"/api/query", "/api/queries/text?"}
    assert 'endpoint = location.origin + "/sparql"' in script
    assert set(re.findall(r'getJSON\("([^"]*)"', script)) == {
        "/api/search",
        "/api/entity",
        "/api/paths",
        "/api/queries",
        "/api/overview",
        "/api/words",
    }
    # and every path the page names (its table of the editing endpoints too) is one of the
    # server's own, answering the methods the page uses
    from hilos.server.http import SparqlHandler

    named = set(re.findall(r'"(/(?:api|sparql|ego)[^"?]*)"', script))
    assert named <= set(SparqlHandler.ROUTES), named - set(SparqlHandler.ROUTES)
    table = dict(re.findall(r'(\w+): "(/api/[^"]*)"', script.split("var API = {", 1)[1]))
    assert set(table.values()) == {
        "/api/session", "/api/types", "/api/claim/history", "/api/journal", "/api/claim/add",
        "/api/claim/edit", "/api/claim/retract", "/api/entity/add", "/api/entity/merge",
        "/api/undo",
    }  # fmt: skip


# -- /api/search --------------------------------------------------------------------------------


def test_search_finds_an_entity_by_name_and_alias(base: str, curated: rdflib.Graph) -> None:
    names = {str(v) for v in curated.objects(rdflib.URIRef(ZETAS), rdflib.RDFS.label)}
    assert "Zetas" in names
    status, _, hits = get_json(base, "/api/search", q="Zetas")
    assert status == 200 and hits[0]["id"] == ZETAS and hits[0]["label"] == "Zetas"
    assert hits[0]["sphere"] == "criminal"
    assert all({"id", "label", "types", "sphere"} <= set(hit) for hit in hits)
    # Accents and case do not matter: "cheran" finds "Cherán".
    status, _, hits = get_json(base, "/api/search", q="CHERAN")
    assert status == 200 and any("Cherán" in hit["label"] for hit in hits)
    status, _, hits = get_json(base, "/api/search", q="no such name anywhere")
    assert status == 200 and hits == []


def test_search_errors_are_one_line_json(base: str) -> None:
    status, _, data = get_json(base, "/api/search")
    assert status == 400 and data == {"error": "missing parameter 'q'"}
    status, _, data = get_json(base, "/api/search", q="zetas", limit="0")
    assert (
        status == 400 and data["error"] == "'limit' must be a whole number from 1 to 100, got '0'"
    )


# -- /api/entity --------------------------------------------------------------------------------


def test_an_entity_card_has_every_tie_with_its_evidence(base: str, curated: rdflib.Graph) -> None:
    status, _, card = get_json(base, "/api/entity", id="José Luis Abarca")
    assert status == 200
    assert card["id"] == ABARCA and card["label"] == "José Luis Abarca"
    assert (rdflib.URIRef(ABARCA), rdflib.RDF.type, H.Mayor) in curated
    assert card["types"] == ["hilos:Mayor"] and card["sphere"] == "state"
    assert {a["value"] for a in card["aliases"]} == {
        str(v) for v in curated.objects(rdflib.URIRef(ABARCA), rdflib.SKOS.altLabel)
    }
    expected = ties_of(curated, ABARCA)
    assert {tie["tie"] for tie in card["ties"]} == {str(t) for t in expected}
    for tie in card["ties"]:
        node = rdflib.URIRef(tie["tie"])
        assert tie["status"] == status_name(curated, node)
        assert tie["quote"] == text(curated, node, H.quote)
        assert tie["locator"] == text(curated, node, H.locator)
        assert {s["citation"] for s in tie["sources"]} == citations(curated, node)
        assert {"confidence", "start", "end", "direction", "other", "relation"} <= set(tie)
    command = next(t for t in card["ties"] if t["tie"].endswith("abarca-commands-iguala-police"))
    assert command["direction"] == "out" and command["other"]["id"] == POLICE


def test_entity_errors_match_the_command_line(base: str, hilos: Hilos) -> None:
    status, _, data = get_json(base, "/api/entity", id="no such thing")
    assert status == 404 and data["error"] == cli_error(hilos, "show", "no such thing")
    status, _, data = get_json(base, "/api/entity", id="cartel")
    assert status == 400 and as_cli_shows(data["error"]) == cli_error(hilos, "show", "cartel")
    assert data["error"].startswith("'cartel' matches several entities")
    status, _, data = get_json(base, "/api/entity", id="hid:nobody-at-all")
    assert status == 404 and data["error"] == "no entity hid:nobody-at-all in the store"


# -- /api/paths ---------------------------------------------------------------------------------


def test_the_iguala_chain_with_its_evidence(
    base: str, curated: rdflib.Graph, onto: rdflib.Graph, hilos: Hilos
) -> None:
    # From the Turtle: the mayor commands the police, the police collude with Guerreros Unidos.
    command = HID + "tie-abarca-commands-iguala-police"
    collusion = HID + "tie-iguala-police-colludes-with-guerreros-unidos"
    for tie, ends in [(command, (ABARCA, POLICE)), (collusion, (POLICE, GUERREROS))]:
        assert text(curated, tie, H["from"]) == ends[0] and text(curated, tie, H.to) == ends[1]
    weights = [
        float(text(onto, text(curated, t, H.status), H.weight)) for t in (command, collusion)
    ]
    status, _, data = get_json(
        base, "/api/paths", **{"from": "José Luis Abarca", "to": "Guerreros Unidos", "limit": "3"}
    )
    assert status == 200 and len(data["paths"]) == 3
    best = data["paths"][0]
    assert [n["id"] for n in best["nodes"]] == [ABARCA, POLICE, GUERREROS]
    assert [n["label"] for n in best["nodes"]] == [
        english_label(curated, n) for n in (ABARCA, POLICE, GUERREROS)
    ]
    assert [n["sphere"] for n in best["nodes"]] == ["state", "state", "criminal"]
    assert best["score"] == pytest.approx(weights[0] * weights[1])
    assert [h["tie"] for h in best["hops"]] == [command, collusion]
    for hop in best["hops"]:
        tie = rdflib.URIRef(hop["tie"])
        assert hop["status"] == status_name(curated, tie)
        (source,) = hop["sources"]
        assert source["quote"] == text(curated, tie, H.quote)
        assert source["locator"] == text(curated, tie, H.locator)
        assert {source["citation"]} == citations(curated, tie)
        assert {"relation", "from", "to", "confidence", "start", "end"} <= set(hop)
    assert best["hops"][1]["start"] == text(curated, collusion, H.start)
    # The same answer as `hilos paths … --format json`.
    result = hilos(
        "paths", "José Luis Abarca", "Guerreros Unidos", "--limit", "3", "--format", "json"
    )
    assert result.exit_code == 0
    assert json.loads(result.output) == data


def test_path_errors_match_the_command_line(base: str, hilos: Hilos) -> None:
    def paths(**params: str) -> tuple[int, str]:
        status, _, data = get_json(base, "/api/paths", **params)
        return status, data["error"]

    status, error = paths(**{"from": "no such thing", "to": "Zetas"})
    assert status == 404 and error == cli_error(hilos, "paths", "no such thing", "Zetas")
    status, error = paths(**{"from": "cartel", "to": "Zetas"})
    assert status == 400 and as_cli_shows(error) == cli_error(hilos, "paths", "cartel", "Zetas")
    status, error = paths(**{"from": "Zetas", "to": "Los Zetas"})
    assert status == 400 and error == cli_error(hilos, "paths", "Zetas", "Los Zetas")
    status, error = paths(**{"from": "Zetas", "to": "hid:iguala-43-students", "max-hops": "1"})
    # why there is none: the same first sentence (the parts' sizes differ: this server's store
    # holds a few hostile entities more than the command's)
    assert status == 404
    told = cli_error(hilos, "paths", "Zetas", "hid:iguala-43-students", "--max-hops", "1")
    assert error.split(". ")[0] == told.split(". ")[0]
    assert "separate parts of the network" in error and "filters" not in error
    assert paths(to="Zetas") == (400, "missing parameter 'from'")
    assert paths(**{"from": "Zetas", "to": "Sinaloa", "limit": "x"})[0] == 400
    status, error = paths(**{"from": "Zetas", "to": "Sinaloa", "min-status": "sure"})
    assert status == 400 and error.startswith("unknown status 'sure'")


# -- /api/queries and /api/query ----------------------------------------------------------------


def test_the_library_lists_every_query_with_its_parameters(base: str) -> None:
    status, _, queries = get_json(base, "/api/queries")
    files = sorted((REPO / "queries").glob("*.rq"))
    assert status == 200 and [q["name"] for q in queries] == [f.stem for f in files]
    for query, path in zip(queries, files, strict=True):
        header = path.read_text(encoding="utf-8")
        declared = re.findall(r"^# param: (\w+) \((\w+)", header, re.MULTILINE)
        assert [(p["name"], p["type"]) for p in query["parameters"]] == declared
        title = re.search(r"^# title: (.*)$", header, re.MULTILINE)
        assert title is not None and query["title"] == title.group(1)
        for param in query["parameters"]:
            assert set(param) == {"name", "type", "required", "default", "description"}


def refuted_ties(graph: rdflib.Graph) -> set[str]:
    return {str(t) for t in graph.subjects(H.status, H.Refuted)}


def test_a_library_query_by_get_and_by_form(base: str, curated: rdflib.Graph) -> None:
    expected = refuted_ties(curated)
    assert expected
    status, headers, body = fetch(
        base + "/api/query", params={"name": "ties-by-status", "param.status": "refuted"}
    )
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    rows = json.loads(body)["results"]["bindings"]
    assert {row["tie"]["value"] for row in rows} == expected
    status, _, posted = fetch(
        base + "/api/query",
        method="POST",
        body=b"name=ties-by-status&param.status=refuted",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and posted == body
    # An optional parameter left empty is a parameter not given.
    status, _, body = fetch(
        base + "/api/query", params={"name": "officials-criminal-ties", "param.status": ""}
    )
    assert status == 200 and json.loads(body)["results"]["bindings"]


def test_library_query_errors(base: str) -> None:
    def query(**params: str) -> tuple[int, str]:
        status, _, data = get_json(base, "/api/query", **params)
        return status, data["error"]

    status, error = query(name="no-such-query")
    assert status == 404 and error.startswith("no library query named 'no-such-query'")
    # Only the library: a path to a query file is not read.
    for path in [str(REPO / "queries" / "weak-ties.rq"), "../queries/weak-ties.rq"]:
        assert query(name=path)[0] == 404
    status, error = query(**{"name": "ties-by-status", "param.status": "sure"})
    expected = "expects one of refuted, disputed, alleged, reported, confirmed"
    assert status == 400 and expected in error
    status, error = query(name="ties-by-status")
    # the API names the field a value is given in, not the command line's --param
    assert status == 400 and "needs param.status=…" in error
    status, error = query(name="ties-by-status", lang="es")
    assert status == 400 and "necesita param.status=…" in error
    status, error = query(**{"name": "ties-by-status", "param.nope": "1"})
    assert status == 400 and "has no parameter 'nope'" in error


# -- /ego ---------------------------------------------------------------------------------------


def test_the_ego_network_page(base: str, curated: rdflib.Graph) -> None:
    status, headers, body = fetch(base + "/ego", params={"id": "José Luis Abarca", "hops": "1"})
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    data = page_json(body.decode())
    # (the places tied to them come as a context layer, hidden until asked for)
    actors = {node["id"] for node in data["nodes"] if not node["layer"]}
    assert actors == neighbourhood(curated, ABARCA)
    assert data["meta"]["focus"]["hops"] == 1
    assert data["meta"]["title"] == "The network within 1 tie of José Luis Abarca"
    assert "--focus 'José Luis Abarca' --hops 1" in data["meta"]["command"]
    status, _, body = fetch(base + "/ego", params={"id": "no such thing"})
    assert status == 404 and body.decode().startswith("no entity matches 'no such thing'")


def label_in(graph: rdflib.Graph, entity: str, lang: str) -> str:
    return next(
        str(v)
        for v in graph.objects(rdflib.URIRef(entity), rdflib.RDFS.label)
        if isinstance(v, rdflib.Literal) and v.language == lang
    )


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_ego_page_names_its_command_as_typed(
    base: str, curated: rdflib.Graph, lang: str
) -> None:
    """The explorer opens the ego page by the entity's IRI; the page's footer names the command
    the way a person would type it: the entity by its name (in the page's language), no IRI."""
    zetas = HID + "zetas"
    status, _, body = fetch(base + "/ego", params={"id": zetas, "hops": "2", "lang": lang})
    assert status == 200
    command = page_json(body.decode())["meta"]["command"]
    name = label_in(curated, zetas, lang)
    language = ["--lang", lang] if lang != "en" else []
    assert command.split(" --focus ")[0].split() == [
        "hilos",
        *language,
        "export",
        "html",
        "ego.html",
    ]
    assert command.endswith(f"--focus {shlex.quote(name)} --hops 2")
    assert "://" not in command and "hid:" not in command
    assert fetch(base + "/ego", params={"id": "Zetas", "hops": "9"})[0] == 400


# -- routing, methods, limits --------------------------------------------------------------------


def test_unknown_paths_and_methods(base: str) -> None:
    status, headers, body = fetch(base + "/nope")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    status, _, data = get_json(base, "/api/nope")
    assert status == 404 and data["error"].startswith("no such page: /api/nope")
    status, headers, _ = fetch(base + "/", method="POST", body=b"x=1")
    assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS"
    status, headers, body = fetch(base + "/api/search", method="PUT", body=b"x")
    assert status == 405 and json.loads(body)["error"].startswith("method PUT not allowed")


def test_a_request_for_another_host_is_refused(server: SparqlServer) -> None:
    status, _, body = fetch(server.base_url + "/", headers={"Host": "evil.example"})
    assert status == 421 and b"DNS rebinding" in body
    port = server.server_address[1]
    assert fetch(server.base_url + "/", headers={"Host": f"localhost:{port}"})[0] == 200


def test_the_endpoints_keep_the_size_and_request_limits(memory_store: Store) -> None:
    # (The time limit of /api/paths is not asserted here: since paths read only the region
    # around the two ends, an answer can come before even a microsecond's timeout is checked.)
    with running(memory_store, max_results=2, max_request_bytes=300) as server:
        status, _, data = get_json(
            server.base_url, "/api/query", name="ties-by-status", **{"param.status": "refuted"}
        )
        assert status == 500 and data["error"].startswith("result too large: this server answers")
        status, _, data = get_json(server.base_url, "/api/search", q="x" * 400)
        assert status == 413
        status, _, body = fetch(
            server.base_url + "/api/query",
            method="POST",
            body=b"name=" + b"x" * 400,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 413 and json.loads(body)["error"].startswith("request too large")


# -- in a real browser ---------------------------------------------------------------------------


# Debian's Chromium through Playwright, skipped with the reason when either is missing.


class Explorer(Session):
    """The explorer in a fresh browser context, with everything it did recorded."""

    def __init__(self, browser: Any, base: str, fragment: str = "") -> None:
        self.base = base
        super().__init__(
            browser, base + "/" + fragment, ready="hilosExplorerReady", width=1400, height=1000
        )

    def search(self, words: str) -> None:
        self.page.click("#tab-search")  # the page opens on its overview
        self.page.fill("#search-q", words)
        self.page.press("#search-q", "Enter")
        self.page.wait_for_selector("#search-results button.hit")

    def card_heading(self) -> str:
        return self.page.text_content("#card h2") or ""

    def screenshot(self, name: str, selector: str | None = None) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        if selector is None:
            self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        else:
            self.page.locator(selector).screenshot(path=str(ARTIFACTS / name))

    def check_clean(self) -> None:
        left = [url for url in self.requests if not url.startswith(self.base + "/")]
        assert left == [], left
        assert self.console == []
        assert self.dialogs == []
        assert (
            self.page.evaluate("() => document.querySelectorAll('img, script:not([src])').length")
            == 0
        )
        assert self.page.evaluate("() => window.alert.toString().includes('[native code]')")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def explorer(browser: Any, base: str) -> Iterator[Explorer]:
    opened = Explorer(browser, base)
    try:
        yield opened
    finally:
        opened.close()


def test_search_and_open_a_card(explorer: Explorer, curated: rdflib.Graph) -> None:
    page = explorer.page
    explorer.search("Zetas")
    first = page.locator("#search-results button.hit").first
    assert first.get_attribute("data-id") == ZETAS
    first.click()
    page.wait_for_function("() => document.querySelector('#card h2')?.textContent === 'Zetas'")
    card = page.text_content("#card") or ""
    quotes = {
        text(curated, t, H.quote) for t in ties_of(curated, ZETAS) if curated.value(t, H.quote)
    }
    assert quotes and all(quote in card for quote in quotes)
    assert page.locator("#card li.tie").count() == len(ties_of(curated, ZETAS)) + 1  # + hostile
    assert "Los Zetas (es)" in card
    assert page.evaluate("() => location.hash") == "#entity=" + quote(ZETAS, safe="")
    explorer.screenshot("explorer-card.png")
    explorer.check_clean()


def test_run_a_path_and_read_its_evidence(
    explorer: Explorer, curated: rdflib.Graph, onto: rdflib.Graph
) -> None:
    page = explorer.page
    page.click("#tab-paths")
    page.fill("#path-from", "José Luis Abarca")
    page.fill("#path-to", "Guerreros Unidos")
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("section.path table.evidence")
    first = page.locator("section.path").first
    assert first.locator("p.chain button").all_text_contents() == [
        english_label(curated, n) for n in (ABARCA, POLICE, GUERREROS)
    ]
    rows = first.locator("table.evidence tbody tr")
    assert rows.count() == 2
    collusion = HID + "tie-iguala-police-colludes-with-guerreros-unidos"
    assert rows.nth(1).get_attribute("data-tie") == collusion
    cells = [c.strip() for c in rows.nth(1).locator("td").all_text_contents()]
    relation = english_label(onto, str(H.Collusion))  # the tie type by its ontology label
    assert cells[1:4] == ["Municipal police of Iguala", f"{relation} →", "Guerreros Unidos"]
    assert cells[4] == status_name(curated, rdflib.URIRef(collusion))
    assert cells[7] == text(curated, collusion, H.quote)
    assert cells[9] == text(curated, collusion, H.locator)
    explorer.screenshot("explorer-path.png")
    # A node of the path opens its card.
    first.locator("p.chain button", has_text="Guerreros Unidos").click()
    page.wait_for_function(
        "() => document.querySelector('#card h2')?.textContent === 'Guerreros Unidos'"
    )
    explorer.check_clean()


def test_open_the_ego_network(browser: Any, base: str, curated: rdflib.Graph) -> None:
    opened = Explorer(browser, base, "#entity=" + ABARCA)
    try:
        page = opened.page
        page.wait_for_function(
            "() => document.querySelector('#card h2')?.textContent === 'José Luis Abarca'"
        )
        page.click("text=Network around it")
        page.wait_for_function(
            "() => (document.querySelector('#ego-frame').getAttribute('src') || '')"
            ".startsWith('/ego?')"
        )
        frame = page.frame_locator("#ego-frame")
        frame.locator("#title").wait_for()
        page.wait_for_function(
            "() => document.querySelector('#ego-title').textContent.includes('José Luis Abarca')"
        )
        (ego,) = [f for f in page.frames if "/ego?" in f.url]
        ego.wait_for_function("() => window.hilosReady === true")
        assert (
            ego.evaluate("() => document.title") == "The network within 1 tie of José Luis Abarca"
        )
        drawn = ego.evaluate(  # (context layers are in the page, hidden until asked for)
            "() => hilosNodes.get({filter: (n) => !n.hidden}).map((n) => hilosData.nodes[n.id].id)"
        )
        assert set(drawn) == neighbourhood(curated, ABARCA)
        assert page.get_attribute("#ego-open", "href") == page.get_attribute("#ego-frame", "src")
        page.wait_for_timeout(500)  # let the network settle for the picture
        opened.screenshot("explorer-ego.png", "#ego")
        opened.check_clean()
    finally:
        opened.close()


def test_run_a_library_query_through_its_form(explorer: Explorer, curated: rdflib.Graph) -> None:
    page = explorer.page
    page.click("#tab-queries")
    page.click("#query-list button[data-query='ties-by-status']")
    assert page.text_content("#query-pane h2") == "Ties by status"
    page.select_option("#param-status", "refuted")
    page.click(".query-form button[type=submit]")
    page.wait_for_selector("#query-pane table.results-table")
    expected = refuted_ties(curated)
    rows = page.locator("#query-pane table.results-table tbody tr")
    assert rows.count() == len(expected)
    assert page.text_content("#query-pane .count") == f"{len(expected)} results"
    explorer.screenshot("explorer-query.png")
    explorer.check_clean()


def run_in_editor(page: Any, query: str) -> None:
    """Type a query into YASGUI, the SPARQL editor, and run it."""
    page.click("#tab-sparql")
    page.wait_for_selector("#yasgui .CodeMirror")
    page.evaluate(
        "(q) => document.querySelector('#yasgui .CodeMirror').CodeMirror.setValue(q)", query
    )
    page.locator("#yasgui .yasqe_queryButton").click()


def editor_cells(page: Any) -> list[str]:
    page.wait_for_selector("#yasgui .yasr table tbody tr td")
    return [
        cell.strip()
        for cell in page.locator(
            "#yasgui .yasr table tbody tr td:not(:first-child)"
        ).all_text_contents()
    ]


def test_run_sparql_in_the_editor(explorer: Explorer, curated: rdflib.Graph) -> None:
    page = explorer.page
    run_in_editor(
        page,
        "PREFIX hid: <https://w3id.org/hilos/id/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { hid:zetas rdfs:label ?label } ORDER BY ?label",
    )
    labels = sorted(
        (str(v), v.language)
        for v in curated.objects(rdflib.URIRef(ZETAS), rdflib.RDFS.label)
        if isinstance(v, rdflib.Literal)
    )
    assert editor_cells(page) == [f'"{label}"@{lang}' for label, lang in labels]
    # A bad query shows the server's one-line reason under the editor.
    run_in_editor(page, "SELECT ?x WHERE { ?x ")
    page.wait_for_selector("#sparql-error:not([hidden])")
    assert "SPARQL syntax error" in (page.text_content("#sparql-error") or "")
    explorer.screenshot("explorer-sparql.png")
    explorer.console.clear()  # the 400 of the bad query is logged by the browser, as it should
    explorer.check_clean()


def test_a_hostile_label_stays_inert(explorer: Explorer) -> None:
    page = explorer.page
    explorer.search("img src")
    hit = page.locator("#search-results button.hit").first
    assert hit.get_attribute("data-id") == HOSTILE
    assert hit.locator(".label").text_content() == HOSTILE_LABEL
    hit.click()
    page.wait_for_function(
        "(label) => document.querySelector('#card h2')?.textContent === label", arg=HOSTILE_LABEL
    )
    card = page.text_content("#card") or ""
    assert HOSTILE_QUOTE in card and HOSTILE_CITATION in card
    assert "<b onmouseover=alert(3)>here</b>" in card  # the locator, as text
    explorer.screenshot("explorer-hostile-card.png", "#panel-search")
    assert (
        page.evaluate("() => document.querySelectorAll('#card img, #card script, #card b').length")
        == 0
    )
    # Through the SPARQL editor too.
    run_in_editor(
        page,
        "PREFIX hid: <https://w3id.org/hilos/id/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?l WHERE { hid:hostile-actor rdfs:label ?l }",
    )
    (cell,) = editor_cells(page)
    assert HOSTILE_LABEL in cell
    assert page.evaluate("() => document.querySelectorAll('#yasgui img, #yasgui b').length") == 0
    page.wait_for_timeout(300)  # give a payload, were one to run, the time to fire
    explorer.screenshot("explorer-hostile.png")
    explorer.check_clean()


# -- the overview, analysed once for every language ---------------------------------------------


def test_the_overview_is_analysed_once_for_every_language(
    monkeypatch: pytest.MonkeyPatch, curated: rdflib.Graph
) -> None:
    """The home page's overview in English then Spanish: the chains are searched and the
    brokers measured once for the store's state; each language only names what was found, by
    the labels the Turtle gives in that language."""
    from hilos.server.explorer import api

    searched: list[str] = []
    measured: list[str] = []
    find_chains, brokers = api.find_chains, api.brokers

    def counted_chains(*args: Any, **kwargs: Any) -> Any:
        searched.append("chains")
        return find_chains(*args, **kwargs)

    def counted_brokers(*args: Any, **kwargs: Any) -> Any:
        measured.append("brokers")
        return brokers(*args, **kwargs)

    monkeypatch.setattr(api, "find_chains", counted_chains)
    monkeypatch.setattr(api, "brokers", counted_brokers)
    store = Store.in_memory()
    english = api.overview(store, {"lang": ["en"]})
    spanish = api.overview(store, {"lang": ["es"]})
    assert api.overview(store, {"lang": ["en"]}) is english
    assert searched == ["chains"] and measured == ["brokers"]

    def walked(data: dict[str, Any]) -> list[list[str]]:
        return [[n["id"] for n in chain["nodes"]] for chain in data["chains"]["top"]]

    assert walked(spanish) == walked(english) != []
    assert [b["id"] for b in spanish["brokers"]["top"]] == [
        b["id"] for b in english["brokers"]["top"]
    ]
    assert (spanish["actors"], spanish["claims"]) == (english["actors"], english["claims"])

    def labels(entity: str) -> dict[str, str]:
        return {
            v.language or "": str(v)
            for v in curated.objects(rdflib.URIRef(entity), rdflib.RDFS.label)
            if isinstance(v, rdflib.Literal)
        }

    differ = 0
    for data, lang in ((english, "en"), (spanish, "es")):
        named = [n for chain in data["chains"]["top"] for n in chain["nodes"]]
        named += data["brokers"]["top"]
        for node in named:
            given = labels(node["id"])
            if lang in given:
                assert node["label"] == given[lang], node
            differ += lang == "es" and given.get("es", "") != given.get("en", "")
    assert differ > 0  # some chain or broker has a Spanish name of its own, and shows it
    sphere_es = {s["name"]: s["label"] for s in spanish["spheres"]}
    sphere_en = {s["name"]: s["label"] for s in english["spheres"]}
    assert sphere_es.keys() == sphere_en.keys() and sphere_es != sphere_en


# -- errors in the reader's language (issue 18) ---------------------------------------------------


def test_the_explorer_reads_a_sparql_syntax_error_in_its_language(base: str) -> None:
    """The SPARQL editor sends the page's language (`Accept-Language`): the server words the
    error in it; a SPARQL client that asks for no language keeps the English, and the HTTP code
    and shape stay the same."""
    from hilos.i18n import tr

    query = "SELECT ?s WHERE { ?s ?p }"  # the group ends where a term should be
    form = urlencode({"query": query}).encode()
    post = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, english = fetch(base + "/sparql", method="POST", body=form, headers=post)
    spanish_headers = {**post, "Accept-Language": "es"}
    status_es, _, spanish = fetch(
        base + "/sparql", method="POST", body=form, headers=spanish_headers
    )
    assert status == status_es == 400
    english_line, spanish_line = english.decode().strip(), spanish.decode().strip()
    found = re.fullmatch(r"SPARQL syntax error at line (\d+), column (\d+): .+", english_line)
    assert found, english_line
    line, column = found.groups()
    said = tr("SPARQL syntax error at line {line}, column {column}: {reason}{near}", "es",
              line=line, column=column, reason="", near="")  # fmt: skip
    assert said != "SPARQL syntax error at line 1, column 23: "  # the catalogue has Spanish
    assert spanish_line.startswith(said), spanish_line
    assert "syntax" not in spanish_line and "line" not in spanish_line.replace("línea", "")
    # the explorer's line finder reads the Spanish too (explorer.js, showEditorError)
    script = (EXPLORER / "explorer.js").read_text(encoding="utf-8")
    finder = re.search(r"var at = /(.+)/i\.exec\(text\);", script)
    assert finder and re.search(finder.group(1), spanish_line, re.I)
    assert '"Accept-Language": lang()' in script


def test_api_errors_follow_the_lang_the_explorer_sends(base: str) -> None:
    from hilos.i18n import tr

    status, _, data = get_json(base, "/api/search", lang="es")
    assert status == 400 and data == {"error": tr("missing parameter '{name}'", "es", name="q")}
    assert data["error"] != "missing parameter 'q'"
    status, _, data = get_json(base, "/api/search", q="zetas", limit="0", lang="es")
    assert (
        status == 400
        and data["error"] == "'limit' debe ser un número entero de 1 a 100; se dio '0'"
    )
    status, _, data = get_json(base, "/api/entity", id="no such thing", lang="es")
    assert status == 404 and data["error"].startswith(
        "ninguna entidad coincide con 'no such thing'"
    )
    # a library query's error, its language sent in the form as the explorer does
    body = urlencode({"name": "ties-by-status", "param.status": "sure", "lang": "es"}).encode()
    status, _, raw = fetch(
        base + "/api/query",
        method="POST",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    error = json.loads(raw)["error"]
    assert status == 400 and "el parámetro 'status' espera uno de" in error
    # no language asked: English, whatever the server's own HILOS_LANG
    status, _, data = get_json(base, "/api/entity", id="no such thing")
    assert status == 404 and data["error"].startswith("no entity matches 'no such thing'")
    status, _, text = fetch(base + "/nowhere", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert status == 404 and text.decode().startswith("no existe la página /nowhere")
