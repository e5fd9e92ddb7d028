"""The exported page and the explorer show a status and a sphere the same way (issue 19: one
look, from the shared `hilos/webshared/common.css`), in Debian's headless Chromium.

A small graph of one state actor with a claim of each status of evidence is loaded beside the
curated graph; the page (`hilos export html`, from file://) and the explorer (`hilos serve`)
each open that actor, and the computed style of each status badge and of the sphere badge is
read from both and compared. The page's canvas (vis-network) takes its colours from the same
style sheet: the refuted tie is drawn in the refuted badge's colour and the state actor is
filled with the state badge's colour. Screenshots are saved under tests/artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from hilos.export.html import STATUSES, export_html
from hilos.network.projection import Filters
from hilos.store import Store
from hilos.vocab import vocabulary
from support import ARTIFACTS, Session, running

SRC = Path(__file__).resolve().parents[2] / "src" / "hilos"
HID = "https://w3id.org/hilos/id/"
WITNESS = HID + "look-mayor"
TIES = {
    "confirmed": ("Command", "iguala-municipal-police"),
    "reported": ("Collusion", "guerreros-unidos"),
    "alleged": ("Bribery", "zetas"),
    "disputed": ("Protection", "michoacan-self-defence-group"),
    "refuted": ("Collusion", "sinaloa-cartel"),
}
"""Each status of evidence: the tie type and the curated actor the mayor's claim names."""

BADGE_LOOK = """(selector) => {
  const badge = document.querySelector(selector);
  if (!badge) return null;
  const style = getComputedStyle(badge);
  const names = ["color", "border-top-style", "text-decoration-line"];
  return Object.fromEntries(names.map((name) => [name, style.getPropertyValue(name)]));
}"""
"""The computed colour, border style and text decoration of the first badge `selector` finds."""


def _turtle() -> str:
    claims = "\n".join(
        f"hid:tie-look-{status} a hilos:{kind} ; hilos:from hid:look-mayor ; "
        f"hilos:to hid:{other} ;\n"
        f"    hilos:status hilos:{status.capitalize()} ; prov:wasDerivedFrom hid:look-source ."
        for status, (kind, other) in TIES.items()
    )
    return f"""
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid:   <https://w3id.org/hilos/id/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov:  <http://www.w3.org/ns/prov#> .

hid:look-mayor a hilos:Mayor ; rdfs:label "Mayor Look"@en .
hid:look-source a hilos:Source ; hilos:citation "A test of the shared look." .
{claims}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("look")
    (folder / "look.ttl").write_text(_turtle(), encoding="utf-8")
    opened = Store.in_memory()
    opened.load(folder / "look.ttl", name="look")
    return opened


@pytest.fixture(scope="module")
def page_file(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("page") / "look.html"
    # every claim, refuted ones too: the page draws them only when asked (the Python API asks)
    export_html(store, target, Filters(every_claim=True))
    return target


@pytest.fixture
def page(browser: Any, page_file: Path) -> Iterator[Session]:
    opened = Session(browser, page_file.as_uri() + "#entity=" + quote(WITNESS, safe=""))
    try:
        opened.page.wait_for_selector("#panel .badge.status-refuted")
        yield opened
    finally:
        opened.close()


@pytest.fixture
def explorer(browser: Any, store: Store) -> Iterator[Session]:
    with running(store) as server:
        url = server.base_url + "/#entity=" + quote(WITNESS, safe="")
        opened = Session(browser, url, ready="hilosExplorerReady")
        try:
            opened.page.wait_for_selector("#card li.tie .badge.status-refuted")
            yield opened
        finally:
            opened.close()


def _rgb(hex_colour: str) -> str:
    """`#rrggbb` as the browser writes a computed colour."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def _look(session: Session, selector: str) -> dict[str, str]:
    found = session.page.evaluate(BADGE_LOOK, selector)
    assert found, f"no {selector}"
    return dict(found)


def test_a_status_and_a_sphere_look_the_same_on_the_page_and_in_the_explorer(
    page: Session, explorer: Session
) -> None:
    looks = {}
    for status in TIES:
        on_page = _look(page, f"#panel .badge.status-{status}")
        in_explorer = _look(explorer, f"#card li.tie .badge.status-{status}")
        assert on_page == in_explorer, status
        looks[status] = on_page
    # the statuses are told apart: refuted and alleged differ in colour and in line
    assert looks["refuted"]["color"] != looks["alleged"]["color"]
    assert looks["refuted"]["text-decoration-line"] == "line-through"
    assert looks["alleged"]["border-top-style"] == "dashed"
    state_badge = _look(explorer, "#card .badge.sphere-state")
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "shared-look-page.png"))
    explorer.page.screenshot(path=str(ARTIFACTS / "shared-look-explorer.png"), full_page=True)

    # the canvas draws with the same colours: the refuted tie, and the state actor's fill
    refuted = page.index("tie", HID + "tie-look-refuted")
    mayor = page.index("node", WITNESS)
    edge, fill = page.page.evaluate(
        "([j, i]) => [hilosEdges.get(j).color.color, hilosNodes.get(i).color.background]",
        [refuted, mayor],
    )
    assert _rgb(edge) == looks["refuted"]["color"]
    assert _rgb(fill) == state_badge["color"]
    assert page.console == [] and explorer.console == []


def _custom_properties(css: str) -> set[str]:
    return set(re.findall(r"--([a-z]+-[a-z]+)\s*:", css))


def test_every_status_and_sphere_of_the_ontology_has_a_colour_and_a_legend_entry() -> None:
    """Every status (retracted too) and sphere has its colour and badge rule in common.css;
    the page's legend names every status of evidence (a retracted claim leaves the network),
    the explorer knows every status, and its overview bars have a colour for each."""
    words = vocabulary()
    statuses = [s.key for s in (*words.statuses, *words.unranked)]
    spheres = [*(s.key for s in words.spheres), "none"]
    common = (SRC / "webshared" / "common.css").read_text("utf-8")
    explorer_css = (SRC / "server" / "explorer" / "explorer.css").read_text("utf-8")
    explorer_js = (SRC / "server" / "explorer" / "explorer.js").read_text("utf-8")
    defined = _custom_properties(common)
    for status in [*statuses, "none"]:
        assert f"status-{status}" in defined, status
        assert f".status-{status} {{ color: var(--status-{status});" in common, status
        assert f".status-{status}-meter {{ background: var(--status-{status}); }}" in explorer_css
    for sphere in spheres:
        assert f"sphere-{sphere}" in defined, sphere
        assert f".sphere-{sphere} {{ color: var(--sphere-{sphere}); }}" in common, sphere
        assert f".sphere-{sphere}-meter {{ background: var(--sphere-{sphere}); }}" in explorer_css
    assert {key for key, *_ in STATUSES} == {s.key for s in words.statuses} | {"none"}
    known = re.search(r"var STATUSES = \[([^\]]*)\]", explorer_js)
    assert known is not None
    listed = set(re.findall(r'"(\w+)"', known.group(1)))
    assert listed | {s.key for s in words.unranked} == set(statuses)
    # no colour of a status or sphere is written anywhere else
    for sheet in (explorer_css, (SRC / "export" / "page.css").read_text("utf-8")):
        assert not re.search(r"^\.(status|sphere)-\w+ \{[^}]*color: #", sheet, re.MULTILINE)
