"""Cards, paths and network pages shown inline in a notebook (`_repr_html_`): the evidence of
every tie, in the reader's language, every string escaped; the network as the offline page in
an iframe, drawn by a real Chromium."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib

from conftest import HOSTILE_CITATION, HOSTILE_LABEL, HOSTILE_QUOTE, write_hostile
from hilos.entities import card as entity_card
from hilos.export.html import network_view
from hilos.namespaces import expand
from hilos.network.paths import find_paths_in_store
from hilos.network.projection import Filters
from hilos.search import resolve
from hilos.store import Store

HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"


class _Text(HTMLParser):
    """The text a reader sees, and whether any element other than the allowed ones appears."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    return parser


def _labels(lang: str) -> dict[str, str]:
    graph = rdflib.Graph()
    for path in ONTOLOGY.glob("*.ttl"):
        graph.parse(path)
    return {
        str(s): str(o)
        for s, o in graph.subject_objects(rdflib.RDFS.label)
        if getattr(o, "language", None) == lang
    }


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_card_shows_every_tie_with_its_evidence(
    memory_store: Store, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("HILOS_LANG", lang)
    card = entity_card(memory_store, resolve(memory_store, "José Luis Abarca"))
    shown = _read(card._repr_html_())
    text = " ".join(" ".join(shown.text).split())
    assert card.summary.label in text
    labels = _labels(lang)
    assert card.ties
    for tie in card.ties:
        assert tie.other_label in text
        assert labels[expand(tie.relation) or tie.relation] in text
        if tie.status:
            assert labels[str(HILOS[tie.status.capitalize()])] in text
        if tie.quote:
            assert " ".join(tie.quote.split()) in text
    assert shown.tags <= {"div", "b", "span", "ol", "li", "blockquote"}


def test_a_path_reads_left_to_right_with_each_hop(memory_store: Store) -> None:
    (path,) = find_paths_in_store(
        memory_store, Filters(directed=False), resolve(memory_store, "José Luis Abarca"),
        resolve(memory_store, "Guerreros Unidos"), limit=1,
    )  # fmt: skip
    shown = " ".join(" ".join(_read(path._repr_html_()).text).split())
    names = [node.label for node in path.nodes]
    assert " → ".join(names) in shown
    labels = _labels("en")
    for hop in path.hops:
        assert labels[expand(hop.relation) or hop.relation] in shown
        for source in hop.sources:
            assert source.citation in shown


def test_hostile_strings_are_escaped(tmp_path: Path) -> None:
    store = Store.in_memory()
    store.load(str(write_hostile(tmp_path)))
    card = entity_card(store, "https://w3id.org/hilos/id/hostile-actor")
    fragment = card._repr_html_()
    for hostile in (HOSTILE_LABEL, HOSTILE_QUOTE, HOSTILE_CITATION):
        assert hostile not in fragment
    shown = _read(fragment)
    assert "script" not in shown.tags and "img" not in shown.tags
    text = "".join(shown.text)
    assert HOSTILE_LABEL in text and HOSTILE_QUOTE in text


def test_the_network_is_the_offline_page_in_an_iframe(
    memory_store: Store,
    browser: object,
    tmp_path: Path,
) -> None:
    view = network_view(memory_store, chains=True)
    fragment = view._repr_html_()
    assert fragment.startswith("<iframe srcdoc=")
    assert html.escape(view.page, quote=True) in fragment
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body>{fragment}</body></html>", "utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(("file:", "about:", "data:"))
        else None,
    )  # fmt: skip
    try:
        page.goto(notebook.as_uri())
        frame = page.frames[1]
        frame.wait_for_selector("canvas", timeout=30_000)
        drawn = frame.evaluate("document.title")
        page.screenshot(
            path=str(Path(__file__).resolve().parents[1] / "artifacts" / "notebook-network.png")
        )
    finally:
        page.close()
    assert drawn == view.export.title
    assert view.export.nodes > 0
    assert not outside, outside
