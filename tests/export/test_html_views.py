"""The network pages read at a glance, checked in Debian's headless Chromium at a desktop size
(1400×900) and a phone's (390×844): labels never overlap and never run off the canvas,
selecting dims the rest and keeps the ties' colours, the URL fragment opens a selection, the
chains list highlights a chain, tooltips go away, pictures download, and a Spanish page has no
English word of its own.

Label boxes and colours are read from the vis-network instance in the page (what it drew),
not from the page's own bookkeeping. Screenshots of the whole network, the chains page and a
focused view in both languages are kept under tests/artifacts/.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hilos.export.html import export_html
from hilos.network.projection import Filters
from hilos.store import Store
from support import ARTIFACTS

HID = "https://w3id.org/hilos/id/"
ZETAS = HID + "zetas"
ABARCA = HID + "jose-luis-abarca"
COLLUSION_TIE = HID + "tie-iguala-police-colludes-with-guerreros-unidos"
SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
ENGLISH = {
    "the", "and", "of", "with", "network", "ties", "tie", "chain", "chains", "status",
    "confirmed", "reported", "alleged", "disputed", "refuted", "show", "showing", "hide",
    "download", "legend", "search", "select", "click", "find", "evidence", "years", "view",
    "spheres", "kinds", "types", "fit", "screen", "data", "snapshot", "command", "works",
    "offline", "loads", "nothing", "best", "path", "filters", "state", "place",
    "market", "policy", "person", "organization", "actors", "entities", "context", "from", "to",
    "without", "dates", "layout", "physics", "reading", "colour", "shape", "size", "border",
}  # fmt: skip

# The visible label boxes, as vis-network drew them, in the canvas's CSS pixels.
LABEL_BOXES = """() => {
  hilos.placeLabels();
  const net = hilosNetwork, scale = net.getScale(), boxes = [];
  for (const id of hilosNodes.getIds()) {
    const item = hilosNodes.get(id);
    const body = net.body.nodes[id];
    if (item.hidden || !body) continue;
    const colour = body.options.font.color;
    if (!colour || colour === 'rgba(0,0,0,0)') continue;
    const size = body.labelModule.size;
    const corner = net.canvasToDOM({x: size.left, y: size.top});
    boxes.push({id, label: item.label, left: corner.x, top: corner.y,
                right: corner.x + size.width * scale, bottom: corner.y + size.height * scale});
  }
  const canvas = document.querySelector('#network canvas');
  return {boxes, width: canvas.clientWidth, height: canvas.clientHeight};
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("views")
    store = Store.in_memory()
    written: dict[str, Path] = {}
    for lang in ("en", "es"):
        for name, options in (
            ("network", {}),
            ("chains", {"chains": True}),
            ("focus", {"focus": ABARCA, "hops": 2}),
        ):
            target = folder / f"{name}-{lang}.html"
            export_html(
                store,
                target,
                Filters(directed=False),
                size_by="degree",
                lang=lang,
                command=f"hilos export html {target.name}",
                **options,  # type: ignore[arg-type]
            )
            written[f"{name}-{lang}"] = target
    return written


class Opened:
    def __init__(self, browser: Any, url: str, size: str = "desktop") -> None:
        width, height = SIZES[size]
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.goto(url)
        self.page.wait_for_function("() => window.hilosReady === true", timeout=30_000)

    def check_clean(self) -> None:
        assert self.errors == []
        assert [u for u in self.requests if not u.startswith(("file://", "blob:"))] == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser: Any, pages: dict[str, Path]) -> Iterator[Any]:
    made: list[Opened] = []

    def open_page(name: str, size: str = "desktop", fragment: str = "") -> Opened:
        page = Opened(browser, pages[name].as_uri() + fragment, size)
        made.append(page)
        return page

    try:
        yield open_page
    finally:
        for page in made:
            page.close()


def check_labels(found: dict[str, Any]) -> list[dict[str, Any]]:
    boxes = found["boxes"]
    width, height = found["width"], found["height"]
    for box in boxes:
        assert box["left"] >= 0 and box["top"] >= 0, box
        assert box["right"] <= width and box["bottom"] <= height, box
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            apart = (
                a["right"] <= b["left"]
                or b["right"] <= a["left"]
                or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"]
            )
            assert apart, (a["label"], b["label"])
    return boxes  # type: ignore[no-any-return]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", ["network", "chains", "focus"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_labels_never_overlap_nor_leave_the_canvas(
    opened: Any, name: str, size: str, lang: str
) -> None:
    view = opened(f"{name}-{lang}", size)
    found = view.page.evaluate(LABEL_BOXES)
    ARTIFACTS.mkdir(exist_ok=True)
    view.page.screenshot(path=str(ARTIFACTS / f"export-html-{name}-{lang}-{size}.png"))
    boxes = check_labels(found)
    nodes = view.page.evaluate("() => hilosNodes.get({filter: (n) => !n.hidden}).length")
    assert len(boxes) >= min(nodes, 5)
    if name == "focus":  # a small view fills the canvas: every label fits
        assert len(boxes) == nodes
    # Zoomed in, the rule still holds (and labels hidden before may appear).
    view.page.evaluate(
        "() => hilosNetwork.moveTo({scale: hilosNetwork.getScale() * 2.2, animation: false})"
    )
    check_labels(view.page.evaluate(LABEL_BOXES))
    view.check_clean()


def test_the_most_important_label_is_shown(opened: Any) -> None:
    view = opened("network-en")
    boxes = check_labels(view.page.evaluate(LABEL_BOXES))
    biggest = view.page.evaluate(
        "() => { const n = hilosData.nodes.filter((n) => !n.layer);"
        " return n.reduce((a, b) => (b.size > a.size ? b : a)).label; }"
    )
    assert biggest in {b["label"] for b in boxes}


def test_selecting_dims_the_rest_and_keeps_the_colours(opened: Any) -> None:
    view = opened("network-en")
    page = view.page
    before = page.evaluate(
        "() => hilosEdges.get().map((e) => [e.id, e.color.color, e.color.opacity])"
    )
    page.evaluate("(iri) => hilos.selectNode(iri)", ZETAS)
    zetas = page.evaluate("(iri) => hilos.nodeIndex(iri)", ZETAS)
    ties = page.evaluate("() => hilosData.ties")
    near = {zetas} | {
        end for tie in ties if zetas in (tie["from"], tie["to"]) for end in (tie["from"], tie["to"])
    }
    incident = {j for j, tie in enumerate(ties) if zetas in (tie["from"], tie["to"])}
    assert len(near) > 2
    opacity = page.evaluate(
        "() => Object.fromEntries(hilosNodes.get().filter((n) => !n.hidden)"
        ".map((n) => [n.id, n.opacity]))"
    )
    for node, value in opacity.items():
        assert (value == 1) == (int(node) in near), node
    after = page.evaluate(
        "() => hilosEdges.get().map((e) => [e.id, e.color.color, e.color.opacity,"
        " hilosNetwork.body.edges[e.id].options.color.highlight])"
    )
    for (j, colour, _), (k, colour_after, opacity_after, highlight) in zip(
        before, after, strict=True
    ):
        assert j == k and colour == colour_after  # the type colour stays
        if j in incident:
            assert opacity_after == 1 and highlight == colour  # selected: still its colour
        else:
            assert opacity_after < 0.5
    # Back to the overview: nothing dimmed.
    page.click("#panel button.back")
    assert page.evaluate("() => hilosNodes.get().every((n) => n.opacity === 1)")
    view.check_clean()


def test_the_fragment_names_and_opens_a_selection(opened: Any, pages: dict[str, Path]) -> None:
    view = opened("network-en")
    view.page.evaluate("(iri) => hilos.selectNode(iri)", ZETAS)
    assert view.page.evaluate("() => location.hash") == "#entity=" + re.sub(
        r"[:/]", lambda m: {"/": "%2F", ":": "%3A"}[m.group()], ZETAS
    )
    tie = opened("network-en", fragment="#tie=" + COLLUSION_TIE.replace("/", "%2F"))
    index = tie.page.evaluate("(iri) => hilos.tieIndex(iri)", COLLUSION_TIE)
    assert tie.page.evaluate("() => hilosNetwork.getSelectedEdges()") == [index]
    assert tie.page.text_content("#panel h2") == "collusion"
    entity = opened("network-es", fragment="#entity=" + ABARCA)
    assert entity.page.text_content("#panel h2") == "José Luis Abarca"
    # Back in the overview the fragment is gone.
    entity.page.click("#panel button.back")
    assert entity.page.evaluate("() => location.hash") == ""
    for page in (view, tie, entity):
        page.check_clean()


def test_clicking_a_chain_highlights_its_path(opened: Any) -> None:
    view = opened("chains-en")
    page = view.page
    chains = page.evaluate("() => hilosData.meta.chains")
    buttons = page.locator("#panel button.chain")
    assert buttons.count() == len(chains) > 1
    second = chains[1]
    buttons.nth(1).click()
    assert buttons.nth(1).get_attribute("aria-pressed") == "true"
    wanted = set(page.evaluate("(ids) => ids.map((id) => hilos.tieIndex(id))", second["ties"]))
    opacities = page.evaluate("() => hilosEdges.get().map((e) => [e.id, e.color.opacity])")
    for j, value in opacities:
        assert (value == 1) == (j in wanted), j
    nodes = page.evaluate("() => hilosNodes.get().map((n) => [n.id, n.opacity])")
    for i, value in nodes:
        assert (value == 1) == (i in second["nodes"]), i
    text = buttons.nth(1).text_content() or ""
    labels = page.evaluate("(ids) => ids.map((i) => hilosData.nodes[i].label)", second["nodes"])
    assert all(label in text for label in labels)
    # A second click lets it go.
    buttons.nth(1).click()
    assert page.evaluate("() => hilosEdges.get().every((e) => e.color.opacity === 1)")
    view.check_clean()


def test_context_layers_are_one_click_away(opened: Any) -> None:
    view = opened("network-en")
    page = view.page
    hidden = page.evaluate(
        "() => hilosData.nodes.flatMap((n, i) => n.layer && hilosNodes.get(i).hidden ? [i] : [])"
    )
    layer = page.evaluate("() => hilosData.nodes.flatMap((n, i) => n.layer ? [i] : [])")
    assert hidden == layer and layer
    page.check('input[data-filter="layer:place"]')
    places = page.evaluate(
        "() => hilosData.nodes.flatMap((n, i) => n.layer && n.kind === 'place' ? [i] : [])"
    )
    shown = page.evaluate("(ids) => ids.filter((i) => !hilosNodes.get(i).hidden)", places)
    assert shown and set(shown) <= set(places)
    check_labels(page.evaluate(LABEL_BOXES))
    view.check_clean()


def test_a_tooltip_goes_away_when_the_pointer_leaves(opened: Any) -> None:
    view = opened("focus-en")
    page = view.page
    abarca = page.evaluate("(iri) => hilos.nodeIndex(iri)", ABARCA)
    point = page.evaluate(
        "(id) => hilosNetwork.canvasToDOM(hilosNetwork.getPositions([id])[id])", abarca
    )
    box = page.locator("#network canvas").bounding_box()
    page.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tip = (
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return !!t && t.style.visibility !== 'hidden'; }"
    )
    page.wait_for_function(tip)
    page.mouse.move(box["x"] - 40, box["y"] + 10)  # out of the canvas, onto the legend
    page.wait_for_function(f"() => !({tip})()")
    view.check_clean()


def test_png_and_svg_of_the_current_view(opened: Any, tmp_path: Path) -> None:
    view = opened("focus-es")
    page = view.page
    with page.expect_download() as png:
        page.click("#download-png")
    png_path = tmp_path / png.value.suggested_filename
    png.value.save_as(png_path)
    assert png_path.suffix == ".png" and png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png_path.stat().st_size > 5_000
    with page.expect_download() as svg:
        page.click("#download-svg")
    svg_path = tmp_path / svg.value.suggested_filename
    svg.value.save_as(svg_path)
    root = ET.parse(svg_path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    shown = page.evaluate(
        "() => hilos.labelShown().flatMap((on, i) => on && !hilosNodes.get(i).hidden"
        " ? [hilosData.nodes[i].label] : [])"
    )
    assert shown
    # every label shown is in the picture (a wrapped label as its lines)
    joined = " ".join(sorted(texts))
    for label in shown:
        assert all(word in joined for word in label.split()), label
    ties = page.evaluate("() => hilosEdges.get({filter: (e) => !e.hidden}).length")
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) == ties
    assert "http" not in svg_path.read_text(encoding="utf-8").replace(
        "http://www.w3.org/2000/svg", ""
    )
    view.check_clean()


def visible_words(page: Any) -> list[str]:
    """The words a reader sees, less the data's own (names, quotes, citations, notes, the
    command and the hash)."""
    text = page.evaluate(
        """() => {
          const data = hilosData;
          let text = document.body.innerText + ' '
            + document.querySelector('#search-box').placeholder;
          const drop = [];
          for (const n of data.nodes) {
            drop.push(n.label, ...n.names.map((x) => x[1]), ...n.aliases.map((x) => x[1]));
            drop.push(...n.notes, ...n.types);
          }
          for (const t of data.ties) {
            drop.push(...t.quotes, ...t.locators, ...t.text, ...t.note, t.type);
          }
          for (const s of data.sources) drop.push(s.citation);
          for (const c of document.querySelectorAll('code')) drop.push(c.textContent);
          drop.push('vis-network');  // the library's name
          drop.sort((a, b) => b.length - a.length);
          for (const d of drop) if (d) text = text.split(d).join(' ');
          return text;
        }"""
    )
    return re.findall(r"[A-Za-zÀ-ÿ]+", text)


@pytest.mark.parametrize("name", ["network", "chains", "focus"])
def test_a_spanish_page_has_no_english_word(opened: Any, name: str) -> None:
    view = opened(f"{name}-es")
    page = view.page
    seen = visible_words(page)
    # an entity's card and a tie's evidence too
    page.evaluate("(iri) => hilos.selectNode(iri)", ABARCA)
    seen += visible_words(page)
    first_tie = page.evaluate("() => hilosData.ties[0].id")
    page.evaluate("(iri) => hilos.selectTie(iri)", first_tie)
    seen += visible_words(page)
    english = sorted({w for w in seen if w.lower() in ENGLISH})
    assert english == [], english
    # and the English page does say them (the check can fail)
    view_en = opened(f"{name}-en")
    assert {w.lower() for w in visible_words(view_en.page)} & ENGLISH
    view.check_clean()
