"""The explorer that starts somewhere, in a real browser (Debian's headless Chromium through
Playwright) at a desktop's 1400×900 and a phone's 390×844: the home page's overview, a fuzzy
hit, a "no path" that says why, YASGUI running a library query with the network blocked, the
ego view's labels, and the Spanish switch leaving no English word of the interface.

Every request the page makes outside the server is aborted (and recorded): the page must work
without them. Expected values are read from the curated Turtle with rdflib, or from the
catalogue, not from the page. Screenshots are saved under tests/artifacts/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib

from hilos.server.http import SparqlServer
from hilos.store import Store
from support import running

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
H = rdflib.Namespace("https://w3id.org/hilos/ontology#")
HID = "https://w3id.org/hilos/id/"
ABARCA = HID + "jose-luis-abarca"
GUERREROS = HID + "guerreros-unidos"
SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
EDITOR = "document.querySelector('#yasgui .CodeMirror').CodeMirror"
"""YASGUI's editor (CodeMirror), in the page's script."""


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with running(Store.in_memory()) as started:
        yield started


class Page:
    """The explorer in a fresh context whose requests may not leave the server."""

    def __init__(
        self, browser: Any, base: str, size: str, *, locale: str = "en-GB", fragment: str = ""
    ) -> None:
        width, height = SIZES[size]
        self.base = base
        self.size = size
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale
        )
        self.outside: list[str] = []
        self.console: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.goto(base + "/" + fragment)
        self.page.wait_for_function("() => window.hilosExplorerReady === true", timeout=20_000)

    def _console(self, message: Any) -> None:
        if message.type not in ("error", "warning"):
            return
        url = message.location.get("url", "")
        answered = url.split("?")[0] in (self.base + "/api/paths", self.base + "/sparql")
        if answered and message.text.startswith("Failed to load resource"):
            return  # the browser's note of a "no path" (404) or a refused query (400)
        self.console.append(f"{message.text} ({url})")

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:  # the network beyond this server is blocked: the page must not need it
            self.outside.append(route.request.url)
            route.abort()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(ARTIFACTS / f"explorer-{name}-{self.size}.png"), full_page=True
        )

    def check_clean(self) -> None:
        assert self.outside == []
        assert self.console == []

    def overflow(self) -> int:
        """How far the page is wider than the window (0: nothing sticks out sideways)."""
        return int(
            self.page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        )


@pytest.fixture(params=list(SIZES))
def page(request: Any, browser: Any, server: SparqlServer) -> Iterator[Page]:
    opened = Page(browser, server.base_url, request.param)
    try:
        yield opened
    finally:
        opened.context.close()


def english_label(graph: rdflib.Graph, entity: str) -> str:
    return next(
        str(v)
        for v in graph.objects(rdflib.URIRef(entity), rdflib.RDFS.label)
        if isinstance(v, rdflib.Literal) and v.language == "en"
    )


def _name(graph: rdflib.Graph, node: object) -> str:
    """A node's English label, else its label without a language, else its IRI."""
    labels = [v for v in graph.objects(node, rdflib.RDFS.label) if isinstance(v, rdflib.Literal)]  # type: ignore[arg-type]
    for wanted in ("en", None):
        for label in labels:
            if label.language == wanted:
                return str(label)
    return str(node)


FROM = rdflib.URIRef("https://w3id.org/hilos/ontology#from")
TO = rdflib.URIRef("https://w3id.org/hilos/ontology#to")


def test_the_home_page_gives_the_overview(page: Page, curated: rdflib.Graph) -> None:
    p = page.page
    p.wait_for_selector("#home .home-grid")
    assert p.get_attribute("#tab-home", "aria-selected") == "true"
    # the chains: the strongest shown, the others on demand; the Iguala chain among them
    shown = p.locator("#home .chains li:not([hidden])").count()
    assert 0 < shown <= 8
    page.shot("home")
    p.click("#home .more-chains")
    chains = p.locator("#home .chains li").all_text_contents()
    assert p.locator("#home .chains li:not([hidden])").count() == len(chains) > shown
    abarca = english_label(curated, ABARCA)
    guerreros = english_label(curated, GUERREROS)
    assert any(abarca in line and guerreros in line for line in chains), chains
    # every one-hop chain's arrows point as its claim does (read from the Turtle): the cartel
    # bribes the officials, not the other way round
    one_hop = [line for line in chains if line.count("→") + line.count("←") == 2]
    assert one_hop
    for line in one_hop:
        match = re.match(r"\s*(.+?) (→|←) (.+?) \2 (.+?) · ", " ".join(line.split()))
        assert match, line
        left, arrow, _, right = match.groups()
        claims = {
            (_name(curated, start), _name(curated, curated.value(tie, TO)))
            for tie, start in curated.subject_objects(FROM)
        }
        pointed = (left, right) if arrow == "→" else (right, left)
        assert pointed in claims, line
    # the spheres listed are the ontology's four, with the count of actors of each
    spheres = p.locator("#home .spheres li").evaluate_all(
        "items => items.map(li => li.getAttribute('data-name'))"
    )
    assert set(spheres) >= {"state", "criminal", "community", "civil"}
    assert p.locator("#home .brokers li").count() > 0
    assert p.locator("#home .statuses li[data-name=refuted]").count() == 1
    assert page.overflow() == 0
    # a chain's link opens the card
    p.locator("#home .chains li button", has_text=abarca).first.click()
    p.wait_for_selector("#card h2")
    assert p.text_content("#card h2") == abarca
    page.check_clean()


def test_a_fuzzy_hit_says_it_is_one(page: Page, curated: rdflib.Graph) -> None:
    p = page.page
    p.click("#tab-search")
    p.fill("#search-q", "Abarka")
    p.press("#search-q", "Enter")
    p.wait_for_selector("#search-results button.hit")
    first = p.locator("#search-results button.hit").first
    assert first.get_attribute("data-id") == ABARCA
    assert "fuzzy" in (first.get_attribute("class") or "")
    assert "“abarka” → “abarca”" in (first.locator(".close-match").text_content() or "")
    page.shot("fuzzy")
    p.fill("#search-q", "guerreros unidas")
    p.press("#search-q", "Enter")
    p.wait_for_function(
        "id => document.querySelector('#search-results button.hit')?.dataset.id === id",
        arg=GUERREROS,
    )
    # an exact name is no close match
    p.fill("#search-q", english_label(curated, GUERREROS))
    p.press("#search-q", "Enter")
    p.wait_for_function("() => !document.querySelector('#search-results .close-match')")
    assert p.locator("#search-results button.hit").first.get_attribute("data-id") == GUERREROS
    page.check_clean()


def separate_parts(curated: rdflib.Graph) -> tuple[str, str]:
    """Two actors that no chain of usable claims joins, read from the Turtle: the ends of a
    claim of the smallest part and of the largest part (claims neither refuted nor of another
    modality than fact, between actors)."""
    import networkx as nx

    onto = rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")
    actor_classes = set(onto.transitive_subjects(rdflib.RDFS.subClassOf, H.Actor))
    actors = {str(s) for c in actor_classes for s in curated.subjects(rdflib.RDF.type, c)}
    graph = nx.Graph()
    for tie in set(curated.subjects(H["from"], None)):
        a, b = curated.value(tie, H["from"]), curated.value(tie, H.to)
        if curated.value(tie, H.status) == H.Refuted or curated.value(tie, H.modality):
            continue
        if str(a) in actors and str(b) in actors:
            graph.add_edge(str(a), str(b))
    parts = sorted(nx.connected_components(graph), key=lambda c: (len(c), sorted(c)))
    return sorted(parts[0])[0], sorted(parts[-1])[0]


def test_no_path_says_why(page: Page, curated: rdflib.Graph) -> None:
    p = page.page
    small, big = separate_parts(curated)
    p.click("#tab-paths")
    p.fill("#path-from", small)
    p.fill("#path-to", big)
    p.click("#paths-form button[type=submit]")
    p.wait_for_selector("#paths-results .no-path")
    box = p.locator("#paths-results .no-path")
    assert box.get_attribute("data-kind") == "components"
    words = box.text_content() or ""
    assert "separate parts of the network" in words
    assert "under these filters" not in words and "filters set" not in words
    assert english_label(curated, small) in words and english_label(curated, big) in words
    assert "No filter is set" in words
    page.shot("no-path")
    # with a filter that cuts the Iguala chain: the filter is named
    p.fill("#path-from", ABARCA)
    p.fill("#path-to", GUERREROS)
    p.select_option("#path-status", "confirmed")
    p.click("#paths-form button[type=submit]")
    p.wait_for_selector("#paths-results .no-path[data-kind=filters]")
    cut = p.locator("#paths-results .no-path li.cut").all_text_contents()
    assert len(cut) == 1 and "status at least confirmed" in cut[0]
    page.shot("no-path-filter")
    page.check_clean()


def test_yasgui_runs_a_library_query_offline(page: Page) -> None:
    p = page.page
    p.click("#tab-sparql")
    p.wait_for_selector("#yasgui .CodeMirror")
    # the library is offered as examples
    p.wait_for_function("() => document.querySelectorAll('#sparql-examples option').length > 1")
    options = p.locator("#sparql-examples option").evaluate_all(
        "os => os.map(o => o.value).filter(Boolean)"
    )
    library = sorted(path.stem for path in (REPO / "queries").glob("*.rq"))
    assert sorted(options) == library
    p.select_option("#sparql-examples", "tie-counts-by-status")
    p.wait_for_function(f"() => {EDITOR}.getValue().includes('SELECT')")
    text = p.evaluate(f"() => {EDITOR}.getValue()")
    assert "PREFIX hilos: <https://w3id.org/hilos/ontology#>" in text
    p.locator("#yasgui .yasqe_queryButton").click()
    p.wait_for_selector("#yasgui .yasr table tbody tr", timeout=20_000)
    rows = p.locator("#yasgui .yasr table tbody tr").count()
    assert rows > 0
    page.shot("yasgui")
    # an error of the server is shown under the editor, naming the problem
    p.evaluate(f"() => {EDITOR}.setValue('SELECT ?x WHERE {{ ?x }}')")
    p.locator("#yasgui .yasqe_queryButton").click()
    p.wait_for_selector("#sparql-error:not([hidden])")
    error = p.text_content("#sparql-error") or ""
    assert "refused the query" in error and "line 1, column 23" in error
    page.check_clean()


def test_the_spanish_switch_leaves_no_english(page: Page, curated: rdflib.Graph) -> None:
    """Switch to Spanish, visit each tab, and read the page's text without the names of
    entities, quotes and citations (data, in the language of their source): no English word of
    the interface is left."""
    p = page.page
    p.select_option("#lang", "es")
    p.wait_for_function("() => document.documentElement.lang === 'es'")
    p.wait_for_selector("#home .home-grid")
    assert p.text_content("#tab-home") == "Panorama"
    english = re.compile(
        r"\b(the|of|and|with|from|path|paths|search|ties?|claims?|actors?|sphere|status|"
        r"state|criminal|confirmed|reported|alleged|disputed|refuted|score|evidence|latest|"
        r"none|run|open|close|network|query|library|language|overview|brokers?|chains?|"
        # the SPARQL editor's own words (YASGUI's: its buttons, results summary, table pages)
        r"table|response|showing|entry|entries|results?|seconds?|page|size|simple|view|"
        r"settings|download|filter|sort|tab|shows?|all|first|next|previous|last)\b",
        re.IGNORECASE,
    )
    leftovers: dict[str, list[str]] = {}
    for tab in ("home", "search", "paths", "queries", "sparql"):
        p.click(f"#tab-{tab}")
        if tab == "search":
            p.fill("#search-q", "Abarka")
            p.press("#search-q", "Enter")
            p.wait_for_selector("#search-results button.hit")
            p.locator("#search-results button.hit").first.click()
            p.wait_for_selector("#card .ties")
        if tab == "queries":
            p.wait_for_selector("#query-list button.hit")
        if tab == "sparql":
            p.wait_for_selector("#yasgui .CodeMirror")
            p.locator("#yasgui .yasqe_queryButton").click()
            p.wait_for_selector("#yasgui .yasr table tbody tr", timeout=20_000)
            p.wait_for_selector("#yasgui .yasr_response_chip:not(:empty)")
        text = re.sub(
            r"\bhilos [a-z]+(?: add)?\b",
            "",
            p.evaluate(
                """() => {
              const root = document.body.cloneNode(true);
              // data, not interface: names of entities, quotes, citations, code and the editor
              root.querySelectorAll(
                'button.link, .hit .label, #card h2, .quote, blockquote, .source, code, .iri,'
                + ' .facts dd, option, select, [hidden], .imports strong, noscript,'
                + ' #yasgui .CodeMirror, #yasgui tbody, #yasgui .dt-column-title,'
                + ' #query-list .types, .chain-line, .brokers, .latest-claims, .tie-head,'
                + ' #card .note'
              ).forEach(n => n.remove());
              return root.innerText;
            }"""
            ),
        )
        found = sorted(
            {text[max(0, m.start() - 30) : m.end() + 30] for m in english.finditer(text)}
        )
        if found:
            leftovers[tab] = found
    # the editor's tooltips and labels too (the results' column names are data)
    p.click("#tab-sparql")
    said = p.evaluate(
        """() => Array.from(document.querySelectorAll('#yasgui [title], #yasgui [placeholder],'
              + ' #yasgui [aria-label]'))
            .filter(n => !n.closest('.CodeMirror, tbody'))
            .flatMap(n => ['title', 'placeholder', 'aria-label'].map(a => n.getAttribute(a)))
            .filter(Boolean)
            .map(words => words.replace(/^[^:]*: /, ''))"""
    )
    found = sorted({words for words in said if english.search(words)})
    if found:
        leftovers["sparql attributes"] = found
    page.shot("spanish")
    assert leftovers == {}
    page.check_clean()


def test_accept_language_chooses_at_first_visit(browser: Any, server: SparqlServer) -> None:
    opened = Page(browser, server.base_url, "desktop", locale="es-MX")
    try:
        opened.page.wait_for_function("() => document.documentElement.lang === 'es'")
        assert opened.page.input_value("#lang") == "es"
        catalogue = json.loads(
            (REPO / "src" / "hilos" / "locale" / "es" / "explorer.json").read_text("utf-8")
        )
        assert opened.page.text_content("#tab-paths") == catalogue["Paths"]
        opened.check_clean()
    finally:
        opened.context.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("hops", [1, 2])
def test_the_ego_view_labels_do_not_overlap(
    browser: Any, server: SparqlServer, size: str, hops: int
) -> None:
    """The ego view (the page the explorer frames at /ego) shows its labels by importance and
    never one over another: the boxes of the labels shown, as vis-network drew them, are
    disjoint; and the most important node (the focus) has its label."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        p = context.new_page()
        errors: list[str] = []
        p.on("pageerror", lambda error: errors.append(str(error)))
        p.goto(f"{server.base_url}/ego?id={ABARCA}&hops={hops}")
        p.wait_for_function("() => window.hilosReady === true", timeout=20_000)
        p.wait_for_timeout(500)
        boxes = p.evaluate(
            """() => {
              const shown = window.hilos.labelShown(), out = [];
              window.hilosData.nodes.forEach((node, i) => {
                const drawn = window.hilosNetwork.body.nodes[i];
                if (!shown[i] || !drawn) return;
                drawn.labelModule.calculateLabelSize(
                  window.hilosNetwork.canvas.getContext(), false, false, drawn.x, drawn.y);
                const s = drawn.labelModule.size;
                out.push({id: node.id, box: [s.left, s.top, s.left + s.width, s.top + s.height]});
              });
              return out;
            }"""
        )
        ARTIFACTS.mkdir(exist_ok=True)
        p.screenshot(path=str(ARTIFACTS / f"explorer-ego-{hops}-{size}.png"))
        assert errors == []
        assert ABARCA in {b["id"] for b in boxes}
        assert len(boxes) >= 3  # the neighbours named too, not the focus alone
        overlapping = [
            (a["id"], b["id"])
            for n, a in enumerate(boxes)
            for b in boxes[n + 1 :]
            if a["box"][0] < b["box"][2] - 1
            and b["box"][0] < a["box"][2] - 1
            and a["box"][1] < b["box"][3] - 1
            and b["box"][1] < a["box"][3] - 1
        ]
        assert overlapping == []
    finally:
        context.close()
