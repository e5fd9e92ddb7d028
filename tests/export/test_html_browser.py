"""The exported page in a real browser: Debian's headless Chromium driven by Playwright.

The page is an export of the curated graph plus a few hostile strings (a label that is an
`<img onerror>` tag, a quote that closes the script element). Each test opens it from file://
and checks that nothing is requested outside file://, that no error reaches the console and
that no dialog opens. Screenshots are saved under tests/artifacts/.

Skipped, with the reason, when /usr/bin/chromium or Playwright is missing (`.ci/run` installs
Chromium; Playwright comes with the test extra, and its own browser download is not used).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib

from conftest import HOSTILE_LABEL, HOSTILE_QUOTE, write_hostile
from hilos.export.html import export_html, page_rows
from hilos.network.projection import Filters, project
from hilos.store import Store
from support import ARTIFACTS, Session

REPO = Path(__file__).resolve().parents[2]
HID = "https://w3id.org/hilos/id/"
ZETAS = HID + "zetas"
COLLUSION_TIE = HID + "tie-iguala-police-colludes-with-guerreros-unidos"
HOSTILE = HID + "hostile-actor"
HOSTILE_TIE = HID + "tie-hostile-colludes-with-zetas"

# Where a click on a node lands on that node: centre it, zoom in, check what is under it.
NODE_POINT = """(id) => {
  const net = hilosNetwork;
  net.focus(id, {scale: 1.6, animation: false});
  net.redraw();
  const centre = net.getPositions([id])[id];
  const size = hilosNodes.get(id).size;
  for (const [dx, dy] of [[0, 0], [0, -0.5], [0.5, 0], [-0.5, 0], [0, 0.5]]) {
    const dom = net.canvasToDOM({x: centre.x + dx * size, y: centre.y + dy * size});
    if (net.getNodeAt(dom) === id) return dom;
  }
  return null;
}"""
# Where a click on a tie lands on that tie and on no node.
TIE_POINT = """(id) => {
  const net = hilosNetwork;
  const edge = hilosEdges.get(id);
  net.fit({nodes: [edge.from, edge.to], animation: false});
  net.redraw();
  const body = net.body.edges[id];
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65]) {
    const dom = net.canvasToDOM(body.edgeType.getPoint(t));
    if (net.getEdgeAt(dom) === id && net.getNodeAt(dom) === undefined) return dom;
  }
  return null;
}"""


# The whole network with its context: every kind of entity the legend names is drawn.
WHOLE = Filters(include=("place", "market", "policy", "event", "phenomenon"))
EXPECTED: dict[str, int] = {}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The exported pages: the whole network, and the best path from Abarca to the Zetas."""
    folder = tmp_path_factory.mktemp("pages")
    store = Store.in_memory()
    store.load(write_hostile(folder), name="hostile")
    whole = folder / "network.html"
    export_html(
        store,
        whole,
        WHOLE,
        size_by="degree",
        command="hilos export html network.html",
    )
    graph = project(store, WHOLE).graph
    EXPECTED.update(nodes=graph.number_of_nodes(), ties=graph.number_of_edges())
    path = folder / "path.html"
    export_html(
        store,
        path,
        Filters(directed=False),
        path=(HID + "jose-luis-abarca", HID + "guerreros-unidos"),
        size_by="betweenness",
    )
    return {"network": whole, "path": path}


@pytest.fixture
def session(browser: Any, pages: dict[str, Path]) -> Iterator[Session]:
    opened = Session(browser, pages["network"].as_uri())
    try:
        yield opened
    finally:
        opened.close()


def collusion_quote() -> str:
    """The quote of the Iguala collusion tie, read from the curated Turtle file itself."""
    graph = rdflib.Graph().parse(REPO / "graph" / "iguala.ttl")
    quote = graph.value(
        rdflib.URIRef(COLLUSION_TIE), rdflib.URIRef("https://w3id.org/hilos/ontology#quote")
    )
    assert quote is not None
    return str(quote)


def screenshot(session: Session, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    session.page.screenshot(path=str(target))
    return target


def test_the_page_loads_offline_without_errors(session: Session) -> None:
    page = session.page
    # the title says what the network holds
    count = EXPECTED["nodes"]
    assert page.title() == (
        f"The network of {count} actors, places, markets, policies, events and phenomena"
    )
    assert page.text_content("#title") == page.title()
    footer = page.text_content("#footer") or ""
    assert "sha256:" in footer and "hilos export html network.html" in footer
    drawn = page.evaluate("() => [hilosNodes.length, hilosEdges.length, hilosData.nodes.length]")
    assert drawn[0] == drawn[2] == EXPECTED["nodes"] and drawn[1] == EXPECTED["ties"]
    screenshot(session, "export-html-network.png")
    legend = page.text_content("#controls") or ""
    for word in (
        "State",
        "Criminal",
        "Community",
        "Civil society",
        "Person",
        "Organization",
        "Place",
        "Criminal market",
        "Event",
        "Policy",
        "Alleged",
        "collusion",
    ):
        assert word in legend
    # A refuted claim is never drawn as a link: the legend names its line, with no box to tick.
    assert "Refuted" in legend
    assert page.locator('input[data-filter="status:refuted"]').count() == 0
    session.check_clean()


def test_the_search_box_finds_a_node_by_name_and_alias(session: Session) -> None:
    page = session.page
    zetas = session.index("node", ZETAS)
    page.click("#search-box")
    page.keyboard.type("Zetas")
    assert (page.text_content("#search-results li button") or "").startswith("Zetas")
    page.keyboard.press("Enter")
    assert page.evaluate("() => hilosNetwork.getSelectedNodes()") == [zetas]
    assert session.heading() == "Zetas"
    # The view moves to it (animated).
    page.wait_for_function(
        """(id) => {
          const view = hilosNetwork.getViewPosition();
          const at = hilosNetwork.getPositions([id])[id];
          return Math.hypot(view.x - at.x, view.y - at.y) < 1;
        }""",
        arg=zetas,
    )
    # Accents and case do not matter; aliases count.
    page.fill("#search-box", "")
    page.keyboard.type("CHERAN")
    assert "Cherán" in (page.text_content("#search-results") or "")
    page.fill("#search-box", "")
    page.keyboard.type("los zetas")
    page.keyboard.press("Enter")
    assert session.heading() == "Zetas"
    session.check_clean()


def test_clicking_a_node_shows_its_card(session: Session) -> None:
    zetas = session.index("node", ZETAS)
    session.click_canvas(session.page.evaluate(NODE_POINT, zetas))
    session.page.wait_for_function(
        "() => document.querySelector('#panel h2').textContent === 'Zetas'"
    )
    panel = session.panel()
    assert "Organization" in panel and "Criminal" in panel
    assert "Los Zetas (es)" in panel
    assert "Ties in this network" in panel
    assert "Dudley" in panel  # a citation of one of its ties
    session.check_clean()


def test_clicking_a_tie_shows_its_evidence(session: Session) -> None:
    tie = session.index("tie", COLLUSION_TIE)
    session.click_canvas(session.page.evaluate(TIE_POINT, tie))
    session.page.wait_for_function(
        "() => document.querySelector('#panel h2').textContent === 'collusion'"
    )
    panel = session.panel()
    assert collusion_quote() in panel
    assert "Reported" in panel and "2014-09-26" in panel
    assert "Introduction, footnote 3" in panel
    assert "Municipal police of Iguala" in panel and "Guerreros Unidos" in panel
    assert COLLUSION_TIE in panel
    screenshot(session, "export-html-tie.png")
    session.check_clean()


def test_a_hostile_label_stays_text_everywhere(session: Session) -> None:
    page = session.page
    hostile = session.index("node", HOSTILE)
    point = page.evaluate(NODE_POINT, hostile)
    assert point is not None
    box = page.locator("#network canvas").bounding_box()
    assert box is not None
    # The tooltip: hover, wait for it, read it.
    page.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility !== 'hidden' && t.textContent.length > 0; }"
    )
    tooltip = page.evaluate(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return [t.textContent, t.querySelectorAll('img, script').length]; }"
    )
    assert HOSTILE_LABEL in tooltip[0] and tooltip[1] == 0
    # The side panel.
    session.click_canvas(point)
    page.wait_for_function(
        "(label) => document.querySelector('#panel h2').textContent === label", arg=HOSTILE_LABEL
    )
    panel = session.panel()
    assert HOSTILE_LABEL in panel
    assert HOSTILE_QUOTE in panel
    assert "<script>alert(4)</script> & Co." in panel
    assert (
        page.evaluate(
            "() => document.querySelectorAll('#panel img, #panel script, #panel b').length"
        )
        == 0
    )
    # The canvas drew it as text: the label is what vis-network was given.
    assert page.evaluate("(id) => hilosNodes.get(id).label", hostile) == HOSTILE_LABEL
    # The search box lists it as text too.
    page.fill("#search-box", "img src")
    results = page.text_content("#search-results") or ""
    assert HOSTILE_LABEL in results
    page.wait_for_timeout(300)  # give a payload, were one to run, the time to fire
    assert page.evaluate("() => window.alert.toString().includes('[native code]')")
    screenshot(session, "export-html-hostile.png")
    session.check_clean()


def test_filters_hide_and_show_again(session: Session) -> None:
    page = session.page
    criminal = page.evaluate(
        "() => hilosData.nodes.flatMap((n, i) => (n.sphere === 'criminal' ? [i] : []))"
    )
    assert criminal
    page.uncheck('input[data-filter="sphere:criminal"]')
    hidden = page.evaluate("() => hilosNodes.get({filter: (n) => n.hidden}).map((n) => n.id)")
    assert set(criminal) <= set(hidden)
    assert "Showing" in (page.text_content("#controls .shown") or "")
    page.check('input[data-filter="sphere:criminal"]')
    assert page.evaluate("() => hilosNodes.get({filter: (n) => n.hidden}).length") == 0
    # Years: only ties valid during 2014, undated ones left out.
    page.fill("#year-from", "2014")
    page.fill("#year-to", "2014")
    page.dispatch_event("#year-to", "change")
    page.uncheck('input[data-filter="undated"]')
    shown = page.evaluate(
        "() => hilosEdges.get({filter: (e) => !e.hidden}).map((e) => hilosData.ties[e.id])"
    )
    assert shown
    for tie in shown:
        assert (tie["start"] or tie["end"]) is not None
        assert (tie["start"] is None or int(tie["start"][:4]) <= 2014) and (
            tie["end"] is None or int(tie["end"][:4]) >= 2014
        )
    session.check_clean()


def test_the_best_path_is_highlighted(browser: Any, pages: dict[str, Path]) -> None:
    opened = Session(browser, pages["path"].as_uri())
    try:
        page = opened.page
        path = page.evaluate("() => hilosData.meta.path")
        colours = page.evaluate(
            "(ids) => ids.map((id) => hilosEdges.get(hilos.tieIndex(id)).color.color)", path["ties"]
        )
        assert set(colours) == {page.evaluate("() => hilosData.style.path")}
        # The view is fitted to the path: every node of it is on the canvas.
        inside = page.evaluate(
            """(nodes) => {
              const canvas = document.querySelector('#network canvas');
              return nodes.map((i) => {
                const p = hilosNetwork.canvasToDOM(hilosNetwork.getPositions([i])[i]);
                return p.x > 0 && p.y > 0 && p.x < canvas.clientWidth && p.y < canvas.clientHeight;
              });
            }""",
            path["nodes"],
        )
        assert all(inside), inside
        panel = opened.panel()
        assert "Best evidence path" in panel
        assert "José Luis Abarca" in panel and "Guerreros Unidos" in panel
        assert page.title().startswith("Best evidence path from José Luis Abarca")
        screenshot(opened, "export-html-path.png")
        opened.check_clean()
    finally:
        opened.close()


@pytest.mark.parametrize("which", ["network", "path"])
def test_the_script_rebuilds_the_records_page_rows_rebuilds(
    browser: Any, pages: dict[str, Path], which: str
) -> None:
    # The data is written in columns; the page's script and `page_rows` each rebuild one
    # record per node, tie and source from them, and must agree.
    text = pages[which].read_text(encoding="utf-8")
    start = text.index('id="hilos-data">') + len('id="hilos-data">')
    expected = page_rows(json.loads(text[start : text.index("</script>", start)]))
    opened = Session(browser, pages[which].as_uri())
    try:
        rebuilt = json.loads(
            opened.page.evaluate(
                "() => JSON.stringify([hilosData.nodes, hilosData.ties, hilosData.sources])"
            )
        )
        opened.check_clean()
    finally:
        opened.close()
    assert rebuilt == [expected["nodes"], expected["ties"], expected["sources"]]
    assert any(tie["path"] for tie in rebuilt[1]) == (which == "path")


# ------------------------------------------- the page's data decodes to what the store holds

GENERATED_CLASSES = ("Mayor", "DrugTraffickingOrganization", "StreetGang", "NGO", "Community")
GENERATED_STATUSES = ("Reported", "Alleged", "Confirmed", "Disputed", "Refuted")
GENERATED_TIES = ("Collusion", "Bribery", "Alliance", "Rivalry", "Funding", "Attack")
SYN = "https://example.org/generated/"


def generated_turtle(nodes: int, ties: int, seed: int) -> str:
    """A seeded network in Turtle: labels with accents, quotes and markup, aliases, every
    status, some confidences, dates and second sources, sources with citations."""
    import random

    rng = random.Random(seed)
    lines = [
        "@prefix hilos: <https://w3id.org/hilos/ontology#> .",
        f"@prefix syn: <{SYN}> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    for s in range(5):
        lines.append(f'syn:source-{s} a hilos:Source ; hilos:citation "Autora {s} & <b>{s}</b>" .')
    for i in range(nodes):
        cls = GENERATED_CLASSES[i % len(GENERATED_CLASSES)]
        alias = f' ; skos:altLabel "alias {i}"@es' if i % 3 == 0 else ""
        lines.append(
            f'syn:n{i} a hilos:{cls} ; rdfs:label "Cherán \\"{i}\\" </script>"@es{alias} .'
        )
    for t in range(ties):
        a = t % nodes  # every node has a tie
        b = (a + 1 + rng.randrange(nodes - 1)) % nodes
        parts = [
            f"syn:t{t} a hilos:{rng.choice(GENERATED_TIES)}",
            f"hilos:from syn:n{a}",
            f"hilos:to syn:n{b}",
            f"hilos:status hilos:{GENERATED_STATUSES[t % len(GENERATED_STATUSES)]}",
            f'hilos:quote "Cita {t} <!-- & </script>"@es',
            f'hilos:locator "p. {t}"',
            f"prov:wasDerivedFrom syn:source-{t % 5}",
        ]
        if t % 4 == 0:
            parts.append(f"prov:wasDerivedFrom syn:source-{(t + 2) % 5}")
        if t % 3 == 0:
            parts.append(f'hilos:confidence "0.{5 + t % 4}"^^xsd:decimal')
        if t % 5 == 0:
            parts.append(f'hilos:start "{1990 + t % 30}"^^xsd:gYear')
        lines.append(" ;\n    ".join(parts) + " .")
    return "\n".join(lines) + "\n"


def expected_from_turtle(text: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The nodes, ties and citations of the generated Turtle, read by rdflib (not hilos)."""
    graph = rdflib.Graph().parse(data=text, format="turtle")
    h = rdflib.Namespace("https://w3id.org/hilos/ontology#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    nodes = {
        str(s): {
            "label": str(graph.value(s, rdflib.RDFS.label)),
            "aliases": sorted(str(a) for a in graph.objects(s, rdflib.SKOS.altLabel)),
        }
        for s in graph.subjects(rdflib.RDFS.label, None)
    }
    ties = {}
    for tie in graph.subjects(h["from"], None):
        confidence = graph.value(tie, h.confidence)
        start = graph.value(tie, h.start)
        ties[str(tie)] = {
            "from": str(graph.value(tie, h["from"])),
            "to": str(graph.value(tie, h.to)),
            "relation": graph.value(tie, rdflib.RDF.type).split("#")[1],
            "status": graph.value(tie, h.status).split("#")[1].lower(),
            "quotes": [str(q) for q in graph.objects(tie, h.quote)],
            "locators": [str(q) for q in graph.objects(tie, h.locator)],
            "sources": sorted(str(s) for s in graph.objects(tie, prov.wasDerivedFrom)),
            "confidence": float(confidence) if confidence is not None else None,
            "start": str(start) if start is not None else None,
        }
    citations = {str(s): str(c) for s, c in graph.subject_objects(h.citation)}
    return nodes, ties, citations


def test_the_page_decodes_to_exactly_what_the_store_holds(browser: Any, tmp_path: Path) -> None:
    # Whatever the encoding of the data (columns, tables, indexes), the records the page's
    # script rebuilds are the store's entities and claims, compared with an rdflib reading of
    # the Turtle that was loaded, field by field.
    text = generated_turtle(nodes=60, ties=160, seed=7)
    source = tmp_path / "generated.ttl"
    source.write_text(text, encoding="utf-8")
    store = Store.in_memory()
    for info in store.graphs():
        if info.name != "ontology":
            store.drop(info.name)
    store.load(source, name="generated")
    page = tmp_path / "generated.html"
    # (every claim, refuted ones too: the page draws them, grey, when asked)
    export_html(store, page, Filters(directed=False, every_claim=True), size_by="degree")
    opened = Session(browser, page.as_uri())
    try:
        nodes, ties, sources = json.loads(
            opened.page.evaluate(
                "() => JSON.stringify([hilosData.nodes, hilosData.ties, hilosData.sources])"
            )
        )
        opened.check_clean()
    finally:
        opened.close()
    want_nodes, want_ties, citations = expected_from_turtle(text)
    assert {n["id"]: n["label"] for n in nodes} == {k: v["label"] for k, v in want_nodes.items()}
    assert {n["id"]: sorted(a[1] for a in n["aliases"]) for n in nodes} == {
        k: v["aliases"] for k, v in want_nodes.items()
    }
    ids = [n["id"] for n in nodes]
    cited = [s["id"] for s in sources]
    got_ties = {
        t["id"]: {
            "from": ids[t["from"]],
            "to": ids[t["to"]],
            "relation": t["relation"].split(":")[-1],
            "status": t["status"],
            "quotes": t["quotes"],
            "locators": t["locators"],
            "sources": sorted(cited[s] for s in t["sources"]),
            "confidence": None if t["confidence"] is None else float(t["confidence"]),
            "start": t["start"],
        }
        for t in ties
    }
    assert got_ties == want_ties
    assert {s["id"]: s["citation"] for s in sources} == citations
