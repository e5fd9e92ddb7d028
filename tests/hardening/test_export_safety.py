"""Hostile strings in every field a reader sees — labels (English and Spanish), aliases, notes,
quotes, locators, relation wording, citations, source URLs such as `javascript:`, an entity
whose IRI is `javascript:alert(1)` — stay inert in every output: HTML (the network page, the
dossier), Markdown, XML (GEXF, GraphML, RDF/XML) and CSV (every `--format csv`, `export csv`,
the rejected rows of an import), where no cell may start a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.parsers import expat

import networkx as nx
import pyoxigraph as ox
import pytest
from followthemoney import registry

from conftest import close_chromium
from hilos.export.html import page_rows
from hilos.namespaces import HILOS as H
from hilos.namespaces import PROV, RDF_TYPE, RDFS, SKOS
from hilos.render import FORMULA_START

from .support import HOSTILE, LONG, FuzzStore, assert_clean

EX = "https://example.org/hostile/"
HILOS = "https://w3id.org/hilos/ontology#"
ZETAS = ox.NamedNode("https://w3id.org/hilos/id/zetas")
GRAPH = "=hostile"  # a graph name is shown in `hilos graphs --format csv` too
STRINGS = (*HOSTILE, LONG)
# What the graph exports write by default is the network of actors and the claims that assert
# their relation; here every hostile string must be written, so every claim and every place.
EVERYTHING = ("--all-claims", "--include", "places")


def hostile_quads() -> list[ox.Triple]:
    n, lit, h = ox.NamedNode, ox.Literal, H.__getitem__
    rdf_type, label, comment, alias = RDF_TYPE, RDFS.label, RDFS.comment, SKOS.altLabel
    derived, url = PROV.wasDerivedFrom, n("https://schema.org/url")
    triples = []
    for i, text in enumerate(STRINGS):
        mayor, group, place, source = (n(f"{EX}{kind}-{i}") for kind in "mgps")
        collusion, presence, generic = (n(f"{EX}tie-{kind}-{i}") for kind in "cpg")
        triples += [
            (mayor, rdf_type, h("Mayor")),
            (mayor, label, lit(text, language="en")),
            (mayor, label, lit(text, language="es")),
            (mayor, alias, lit(text)),
            (mayor, comment, lit(text, language="en")),
            (group, rdf_type, h("DrugTraffickingOrganization")),
            (group, label, lit(text)),
            (place, rdf_type, h("Municipality")),
            (place, label, lit(text)),
            (source, rdf_type, h("Source")),
            (source, h("citation"), lit(text)),
            (source, label, lit(text)),
            (source, url, n("javascript:alert(1)")),
        ]
        for tie, kind, start, end in (
            (collusion, "Collusion", mayor, group),
            (presence, "Presence", group, place),
            (generic, "GenericTie", group, ZETAS),
        ):
            triples += [
                (tie, rdf_type, h(kind)),
                (tie, h("from"), start),
                (tie, h("to"), end),
                (tie, h("status"), h("Alleged")),
                (tie, h("quote"), lit(text, language="en")),
                (tie, h("locator"), lit(text)),
                (tie, h("relationText"), lit(text)),
                (
                    tie,
                    h("start"),
                    lit("2014", datatype=n("http://www.w3.org/2001/XMLSchema#gYear")),
                ),
                (tie, derived, source),
            ]
    script = n("javascript:alert(1)")
    triples += [
        (script, rdf_type, h("Mayor")),
        (script, label, lit("javascript:alert(1)")),
        (n(EX + "tie-script"), rdf_type, h("Bribery")),
        (n(EX + "tie-script"), h("from"), script),
        (n(EX + "tie-script"), h("to"), ZETAS),
        (n(EX + "tie-script"), h("status"), h("Reported")),
        (n(EX + "tie-script"), derived, n(EX + "s-0")),
    ]
    return [ox.Triple(*t) for t in triples]


@pytest.fixture(scope="module")
def store(fuzz_store: FuzzStore, tmp_path_factory: pytest.TempPathFactory) -> FuzzStore:
    data = tmp_path_factory.mktemp("hostile") / "hostile.nt"
    data.write_bytes(ox.serialize(hostile_quads(), format=ox.RdfFormat.N_TRIPLES) or b"")
    assert_clean(fuzz_store("load", str(data), "--graph", GRAPH), (0,))
    return fuzz_store


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path


def run(store: FuzzStore, *args: str) -> str:
    result = store(*args)
    assert_clean(result, (0,))
    return result.stdout


# ------------------------------------------------------------------------------------------ HTML


class Elements(HTMLParser):
    """Every element and attribute of a page, with the text of the scripts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def assert_no_markup_from_data(page: Elements) -> None:
    for tag, attributes in page.tags:
        assert tag not in {"img", "iframe", "object", "embed", "svg", "form", "base", "link"}, tag
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert value is not None and value.startswith("#"), (tag, name, value)


def test_the_network_page_carries_the_data_as_inert_text(store: FuzzStore, out: Path) -> None:
    hostile_page = out / "hostile.html"
    run(store, "export", "html", str(hostile_page), "--graph", GRAPH, "--title", HOSTILE[1])
    benign_page = out / "benign.html"
    run(store, "export", "html", str(benign_page), "--graph", "report/iguala")
    hostile = Elements(hostile_page.read_text(encoding="utf-8"))
    benign = Elements(benign_page.read_text(encoding="utf-8"))
    # The same elements and attributes as a page of harmless data: none came from the data.
    assert [(t, tuple(n for n, _ in a)) for t, a in hostile.tags] == [
        (t, tuple(n for n, _ in a)) for t, a in benign.tags
    ]
    assert_no_markup_from_data(hostile)
    # the data block, vis-network, the helpers shared with the explorer, the page's own script
    assert [t for t, _ in hostile.tags].count("script") == 4
    # The data block is JSON that gives back every string exactly.
    data = json.loads(hostile.scripts[0])
    shown = json.dumps(data, ensure_ascii=False)
    for text in STRINGS:
        assert json.dumps(text, ensure_ascii=False)[1:-1] in shown, text[:40]
    assert data["meta"]["title"] == HOSTILE[1]
    assert "javascript:alert(1)" in [node["id"] for node in page_rows(data)["nodes"]]


def dossier_tags() -> set[str]:
    return {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "dl", "dt"} | {
        "dd", "code", "main", "section", "p", "table", "thead", "tbody", "tr", "th", "td", "a",
        "ol", "li", "span", "blockquote", "ul", "footer",
    }  # fmt: skip


@pytest.mark.parametrize(
    "what",
    [("hilos:Mayor",), ("--path", EX + "m-1", "https://w3id.org/hilos/id/zetas")],
    ids=["entity", "path"],
)
def test_the_dossier_carries_the_data_as_inert_text(
    store: FuzzStore, out: Path, what: tuple[str, ...]
) -> None:
    entity = EX + "m-1" if what == ("hilos:Mayor",) else None
    args = (entity,) if entity else what
    page = out / "dossier.html"
    run(store, "export", "dossier", str(page), *args)
    parsed = Elements(page.read_text(encoding="utf-8"))
    assert {tag for tag, _ in parsed.tags} <= dossier_tags()
    assert_no_markup_from_data(parsed)
    assert parsed.scripts == []
    text = " ".join(" ".join(parsed.text).split())
    assert " ".join(HOSTILE[1].split()) in text  # shown, as text
    # Markdown: no markup or link from the data, table rows as wide as their header.
    markdown = (out / "dossier.md").resolve()
    run(store, "export", "dossier", str(markdown), *args)
    assert_inert_markdown(markdown.read_text(encoding="utf-8"))


CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*\1")


def assert_inert_markdown(document: str) -> None:
    width = None
    for line in document.splitlines():
        outside = CODE_SPAN.sub("", line)
        for pattern in (r"(?<!\\)<", r"(?<!\\)\[", r"(?<!\\)\]\(", r"(?<!\\)!\["):
            assert not re.search(pattern, outside), line[:200]
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", outside))
            if line.startswith("|--") or line.startswith("|---"):
                continue
            if width is None or not outside.strip():
                width = cells
            assert cells == width or cells >= 2, line[:200]
        else:
            width = None


# ------------------------------------------------------------------------------------------- XML


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_network_files_are_well_formed_xml(store: FuzzStore, out: Path, fmt: str) -> None:
    target = out / f"network.{fmt}"
    run(store, "export", fmt, str(target), "--graph", GRAPH, *EVERYTHING)
    expat.ParserCreate(namespace_separator=" ").Parse(target.read_bytes(), True)
    graph = nx.read_gexf(target) if fmt == "gexf" else nx.read_graphml(target)
    labels = {data.get("label") for _, data in graph.nodes(data=True)}
    assert HOSTILE[0] in labels and LONG in labels


def test_rdfxml_export_is_well_formed(store: FuzzStore, out: Path) -> None:
    target = out / "hostile.rdf"
    run(store, "export", "rdfxml", str(target), "--graph", GRAPH)
    expat.ParserCreate(namespace_separator=" ").Parse(target.read_bytes(), True)


# ------------------------------------------------------------------------------------------- CSV


def assert_no_formula(text: str, what: str) -> int:
    """Every cell of a CSV document is safe to open in a spreadsheet; returns the rows."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                assert re.fullmatch(r"-\d+(\.\d+)?([eE][+-]?\d+)?", cell), (what, cell[:80])
    return len(rows)


def csv_outputs(store: FuzzStore, out: Path) -> Iterator[tuple[str, str]]:
    graph = ("--graph", GRAPH)
    commands: list[tuple[str, ...]] = [
        ("graphs",),
        ("queries",),
        *[("search", word) for word in ("hyperlink", "sum 1 1", "cmd", "1", "script", "evil")],
        ("query", "-", *graph),
        ("centrality", *graph),
        ("brokers", *graph),
        ("communities", *graph),
        ("disrupt", *graph),
        ("hotspots", *graph),
        ("chains", *graph),
        ("paths", EX + "m-2", "https://w3id.org/hilos/id/zetas"),
    ]
    query = (
        "SELECT ?s ?label ?quote WHERE { ?s rdfs:label ?label OPTIONAL { ?s hilos:quote ?quote } }"
    )
    for command in commands:
        result = store(*command, "--format", "csv", input=query if command[0] == "query" else None)
        assert_clean(result, (0,))
        yield " ".join(command[:2]), result.stdout
    folder = out / "sheets"
    run(store, "export", "csv", str(folder), *graph, *EVERYTHING)
    for sheet in ("nodes.csv", "ties.csv"):
        yield sheet, (folder / sheet).read_text(encoding="utf-8-sig")


def test_every_csv_output_is_safe_in_a_spreadsheet(store: FuzzStore, out: Path) -> None:
    seen = {}
    for what, text in csv_outputs(store, out):
        seen[what] = assert_no_formula(text, what)
    for what in ("graphs", "query -", "centrality --graph", "chains --graph", "nodes.csv"):
        assert seen[what] > 1, what  # rows with hostile values were there to check
    # The neutralised values are still there, readable.
    nodes = (out / "sheets" / "nodes.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in nodes and "'@SUM(1+1)" in nodes and "'-1+2" in nodes


def test_the_rejected_rows_file_is_safe_in_a_spreadsheet(store: FuzzStore, out: Path) -> None:
    sheet = out / "ties.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["from", "to", "confidence", "quote"])
        writer.writerow(["Mayor Y", "Zetas", "0.5", "fine"])
        for text in HOSTILE:
            writer.writerow([text, "=1+1", "@SUM(A1)", text])  # bad: confidence
    result = store("import", "csv", str(sheet), "--graph", "rejects", "--skip-invalid")
    assert_clean(result, (0,))
    assert_clean(store("drop", "rejects"), (0,))
    rejected = out / "ties.rejected.csv"
    assert assert_no_formula(rejected.read_text(encoding="utf-8"), "rejected") == len(HOSTILE) + 1


def test_ftm_and_rdf_exports_round_trip_the_strings(store: FuzzStore, out: Path) -> None:
    """Turtle keeps every string exactly (escaping is its own to do); FtM JSON lines keep each
    as the FollowTheMoney library cleans a name (outer spaces and line separators go), which is
    what Aleph and OpenSanctions store."""
    target = out / "hostile.ftm.json"
    run(store, "export", "ftm", str(target), "--graph", GRAPH)
    names = {
        name
        for line in target.read_text(encoding="utf-8").split("\n")
        if line
        for name in json.loads(line)["properties"].get("name", [])
    }
    assert {registry.name.clean(text) for text in STRINGS} <= names
    turtle = run(store, "export", "turtle", "-", "--graph", GRAPH)
    parsed: Any = ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)
    values = {q.object.value for q in parsed if isinstance(q.object, ox.Literal)}
    assert set(STRINGS) <= values


# ---------------------------------------------------------------------------------- in Chromium

DOM_CHECK = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    handlers: all.filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
    embedded: document.querySelectorAll('img, iframe, object, embed, frame, base').length,
    text: document.body.innerText,
  };
}"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from conftest import CHROMIUM, FLAGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is missing: pip install playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser
        finally:
            close_chromium(browser)


def open_page(browser: Any, path: Path) -> tuple[Any, Any, list[str]]:
    context = browser.new_context()
    page = context.new_page()
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append("dialog: " + dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: events.append(f"error: {error}"))
    page.on("request", lambda r: None if r.url.startswith("file://") else events.append(r.url))
    page.goto(path.as_uri())
    return context, page, events


def test_no_payload_runs_in_chromium(chromium: Any, store: FuzzStore, out: Path) -> None:
    """The page and the dossier in a real browser, every hostile entity and tie shown in the
    side panel and found by the search box: no dialog, no error, no request, no handler or
    link from the data — `javascript:` stays text that cannot be clicked."""
    network = out / "network.html"
    run(
        store, "export", "html", str(network), "--graph", GRAPH, "--title", HOSTILE[1],
        "--include", "places",
    )  # fmt: skip
    dossier = out / "dossier.html"
    run(
        store, "export", "dossier", str(dossier), "--path", EX + "m-2", EX + "p-2",
        "--include", "places",
    )  # fmt: skip
    context, page, events = open_page(chromium, network)
    try:
        page.wait_for_function("() => window.hilosReady === true", timeout=30_000)
        ids = page.evaluate("() => hilosData.nodes.map((n) => n.id)")
        ties = page.evaluate("() => hilosData.ties.map((t) => t.id)")
        for iri in ids:
            page.evaluate("(iri) => hilos.selectNode(iri)", iri)
        for iri in ties:
            page.evaluate("(iri) => hilos.selectTie(iri)", iri)
        for word in ("script", "img", "javascript", "hyperlink"):
            page.fill("#search-box", word)
            page.keyboard.press("Enter")
        page.evaluate("(iri) => hilos.selectNode(iri)", "javascript:alert(1)")
        page.wait_for_timeout(300)  # time for a payload to fire, were there one
        found = page.evaluate(DOM_CHECK)
        assert "javascript:alert(1)" in found["text"]
        assert found["handlers"] == 0 and found["links"] == [] and found["embedded"] == 0
        assert page.evaluate("() => window.alert.toString().includes('[native code]')")
        assert events == []
    finally:
        context.close()
    context, page, events = open_page(chromium, dossier)
    try:
        page.wait_for_load_state("load")
        found = page.evaluate(DOM_CHECK)
        assert "javascript:alert(1)" in found["text"]
        assert found["handlers"] == 0 and found["embedded"] == 0
        assert found["links"] and all(re.fullmatch(r"#note-\d+", link) for link in found["links"])
        for link in page.query_selector_all("a[href]"):
            link.click()
        page.wait_for_timeout(200)
        assert events == []
    finally:
        context.close()


# ------------------------------------------------------------------------------- the terminal

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b[31m\u202eevil\u202c\x9b6n"


MAYOR = "https://example.org/terminal/mayor"


def load_terminal(fuzz_store: FuzzStore, out: Path) -> str:
    mayor = MAYOR
    data = out / "terminal.nt"
    data.write_text(
        f"<{mayor}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HILOS}Mayor> .\n"
        f'<{mayor}> <http://www.w3.org/2000/01/rdf-schema#label> "Mayor {escaped(ESCAPES)}" .\n'
        f"<{EX}tie> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HILOS}Collusion> .\n"
        f"<{EX}tie> <{HILOS}from> <{mayor}> .\n"
        f"<{EX}tie> <{HILOS}to> <https://w3id.org/hilos/id/zetas> .\n"
        f"<{EX}tie> <{HILOS}status> <{HILOS}Reported> .\n"
        f'<{EX}tie> <{HILOS}quote> "{escaped(ESCAPES)}" .\n',
        encoding="utf-8",
    )
    assert_clean(fuzz_store("load", str(data), "--graph", "terminal"), (0,))
    return mayor


def test_the_terminal_obeys_no_escape_from_the_data(fuzz_store: FuzzStore, out: Path) -> None:
    """A label that would clear the screen, retitle the window or reverse a line is shown
    without its control characters, in tables, cards, paths and validation reports."""
    mayor = load_terminal(fuzz_store, out)
    try:
        for command in (
            ("search", "mayor evil"),
            ("show", mayor),
            ("paths", mayor, "https://w3id.org/hilos/id/zetas"),
            ("validate", "--graph", "terminal"),
            ("query", "-", "--graph", "terminal"),
        ):
            query = "SELECT ?l WHERE { ?s rdfs:label ?l }" if command[0] == "query" else None
            result = fuzz_store(*command, input=query)
            assert_clean(result, (0, 1))
            shown = result.stdout + result.stderr
            assert "evil" in shown or command[0] == "validate", command
            assert not re.search("[\x1b\x07\x9b\u202e\u202c]", shown), (command, shown[:300])
    finally:  # the hostile graph of the other tests stays
        assert_clean(fuzz_store("drop", "terminal"), (0,))


def escaped(text: str) -> str:
    """`text` as an N-Triples string body."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04X}" for c in text)


def test_an_error_quoting_the_data_obeys_no_escape(fuzz_store: FuzzStore, out: Path) -> None:
    mayor = load_terminal(fuzz_store, out)
    try:
        result = fuzz_store("paths", mayor, "hid:guerreros-unidos", "--tie-type", "collusion")
        assert_clean(result, (1,))
        assert "evil" in result.stderr
        assert not re.search("[\x1b\x07\x9b\u202e\u202c]", result.stderr), result.stderr
    finally:  # the hostile graph of the other tests stays
        assert_clean(fuzz_store("drop", "terminal"), (0,))
