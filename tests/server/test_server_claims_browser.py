"""Your own claims in the explorer, in a real browser: Debian's headless Chromium driven by
Playwright, against `hilos serve --allow-update` over a fresh store on disk.

The tests use the page's forms as a person would: paste the token, add a claim on a card of the
report's graph (creating the other end when the server says it is unknown), edit it, read its
history, retract it with a reason, undo, add an entity and merge two. Expected values are the
ones typed, or read from the ontology with rdflib. Each test checks that no request leaves the
server, that no script error reaches the console and that no dialog opens; screenshots of the
forms, at 1280×800, are saved under tests/artifacts/explorer-claim-*.png.

Skipped, with the reason, when /usr/bin/chromium or Playwright is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib

from hilos import resources
from hilos.server.http import SparqlServer
from hilos.store import Store
from support import Session, running

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
H = rdflib.Namespace("https://w3id.org/hilos/ontology#")
HID = "https://w3id.org/hilos/id/"
TOKEN = "a-test-token-for-the-explorer-forms"
HOSTILE = "<img src=x onerror=alert(1)>"
WIDTH, HEIGHT = 1280, 800
# What the browser logs, as it should, for an answer that refuses a request.
REFUSED = re.compile(
    r"^error: Failed to load resource: the server responded with a status of 4\d\d"
)


def label(graph: rdflib.Graph, term: rdflib.URIRef, lang: str) -> str:
    (found,) = [
        str(v) for v in graph.objects(term, rdflib.RDFS.label) if getattr(v, "language", "") == lang
    ]
    return found


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.ontology_file())


@pytest.fixture
def served(store_path: Path) -> Iterator[SparqlServer]:
    store = Store.open(store_path)
    try:
        with running(store, update_token=TOKEN) as server:
            yield server
    finally:
        store.close()


class Page(Session):
    """The explorer in a fresh browser context of 1280×800, with everything it did recorded."""

    def __init__(self, browser: Any, base: str, fragment: str = "") -> None:
        self.base = base
        super().__init__(
            browser, base + "/" + fragment, ready="hilosEditingReady", width=WIDTH, height=HEIGHT
        )

    def use_token(self, token: str = TOKEN) -> None:
        self.page.fill("#token", token)
        self.page.click("#token-form button[type=submit]")

    def open(self, entity: str, heading: str) -> None:
        self.page.evaluate("(id) => window.hilosExplorer.openCard(id)", entity)
        self.wait_heading(heading)

    def wait_heading(self, heading: str) -> None:
        self.page.wait_for_function(
            "(h) => document.querySelector('#card h2')?.textContent === h", arg=heading
        )

    def tool(self, key: str, within: str = "#card .card-tools") -> None:
        self.page.locator(f"{within} [data-tool='{key}']").first.click()

    def result(self) -> str:
        self.page.wait_for_selector("#card p.result")
        return self.page.text_content("#card p.result") or ""

    def error_of(self, form: str) -> str:
        self.page.wait_for_selector(f"{form} .form-error:not([hidden])")
        return self.page.text_content(f"{form} .form-error") or ""

    def tie(self, claim: str) -> Any:
        return self.page.locator(f"#card li.tie[data-tie='{claim}']")

    def fits(self, selector: str) -> None:
        """The element fits the 1280-pixel window, and the page scrolls only downwards."""
        box = self.page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
        assert self.page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH

    def screenshot(self, name: str, selector: str) -> None:
        """The window, scrolled to show the element, as a person sees it."""
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.locator(selector).scroll_into_view_if_needed()
        self.page.screenshot(path=str(ARTIFACTS / f"explorer-claim-{name}.png"))

    def check_clean(self) -> None:
        left = [url for url in self.requests if not url.startswith(self.base + "/")]
        assert left == [], left
        assert TOKEN not in " ".join(self.requests)  # never in a URL
        assert [line for line in self.console if not REFUSED.match(line)] == []
        assert self.dialogs == []
        assert self.page.evaluate("() => document.querySelectorAll('img').length") == 0

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def explorer(browser: Any, served: SparqlServer) -> Iterator[Page]:
    opened = Page(browser, served.base_url, "#entity=" + HID + "zetas")
    try:
        opened.wait_heading("Zetas")
        yield opened
    finally:
        opened.close()


def test_the_token_is_asked_once_and_kept_in_the_tab(explorer: Page) -> None:
    page = explorer.page
    assert page.is_visible("#editing") and page.is_visible("#token-form")
    assert page.locator("#card .card-tools").count() == 0  # no token yet: no forms
    explorer.use_token("not-the-token")
    page.wait_for_function("() => document.querySelector('#token-note').textContent !== ''")
    page.wait_for_function(
        "() => !document.querySelector('#token-note').textContent.startsWith('Checking')"
    )
    assert page.text_content("#token-note") == "The server refused this token."
    assert page.evaluate("() => sessionStorage.getItem('hilos-token')") is None
    explorer.use_token()
    page.wait_for_selector("#editing-on:not([hidden])")
    page.wait_for_selector("#card .card-tools")
    assert page.evaluate("() => sessionStorage.getItem('hilos-token')") == TOKEN
    assert page.input_value("#token") == ""  # not left in the field either
    # a reload keeps it (the same tab), and the forms come back
    page.reload()
    page.wait_for_function("() => window.hilosEditingReady === true")
    page.wait_for_selector("#card .card-tools")
    assert TOKEN not in page.url
    page.click("#token-forget")
    page.wait_for_selector("#token-form:not([hidden])")
    assert page.evaluate("() => sessionStorage.getItem('hilos-token')") is None
    page.wait_for_function("() => !document.querySelector('#card .card-tools')")
    explorer.check_clean()


def test_no_edit_area_on_a_read_only_server(browser: Any, memory_store: Store) -> None:
    with running(memory_store) as server:
        opened = Page(browser, server.base_url, "#entity=" + HID + "zetas")
        try:
            opened.wait_heading("Zetas")
            assert not opened.page.is_visible("#editing")
            assert opened.page.locator("#card .card-tools").count() == 0
            opened.check_clean()
        finally:
            opened.close()


def test_a_claim_added_edited_retracted_and_undone_from_a_card(
    explorer: Page, onto: rdflib.Graph
) -> None:
    page = explorer.page
    explorer.use_token()
    page.wait_for_selector("#card .card-tools")
    ties_before = page.locator("#card li.tie").count()

    # Add a claim: the other end is unknown, so the form offers its type
    explorer.tool("tools.claim")
    form = "#card form.claim-form"
    page.wait_for_selector(form)
    page.select_option(f"{form} select[name=relation]", "Protection")
    page.fill(f"{form} input[name=other]", "Mayor Q (fictional)")
    page.fill(f"{form} input[name=source]", "Interview 7 (2024)")
    page.fill(f"{form} textarea[name=quote]", "The mayor's office warned them of raids.")
    page.fill(f"{form} input[name=locator]", "minute 12")
    page.select_option(f"{form} select[name=status]", "alleged")
    page.fill(f"{form} input[name=confidence]", "0.6")
    page.fill(f"{form} input[name=start]", "2021-05")
    page.select_option(f"{form} select[name=qualifier]", "some-of")
    page.click(f"{form} button[type=submit]")
    assert "No entity is called “Mayor Q (fictional)”" in explorer.error_of(form)
    page.wait_for_selector(f"{form} select[name=create-to]")
    assert page.get_attribute(f"{form} select[name=create-to]", "aria-invalid") == "true"
    explorer.fits(form)
    explorer.screenshot("add-unknown", form)
    page.select_option(f"{form} select[name=create-to]", "Mayor")
    page.click(f"{form} button[type=submit]")
    protection = label(onto, H.Protection, "en")
    assert explorer.result() == (
        f"Added mine/claim/1: Zetas → {protection} → Mayor Q (fictional) (change 1 of mine)."
    )
    claim = "https://w3id.org/hilos/graph/mine/claim/1"
    tie = explorer.tie(claim)
    assert page.locator("#card li.tie").count() == ties_before + 1
    text = tie.text_content() or ""
    assert "Mayor Q (fictional)" in text and "The mayor's office warned them of raids." in text
    assert "Interview 7 (2024) — minute 12" in text and "Your claim mine/claim/1" in text
    assert tie.locator(".badge").first.text_content() == "state"  # a mayor's sphere
    assert tie.locator(".status-alleged").count() == 1
    assert tie.locator(".qualifiers").text_content() == label(onto, H.SomeOf, "en")
    explorer.screenshot("added", f"#card li.tie[data-tie='{claim}']")

    # Edit: a second source, a stronger status
    tie.locator("[data-tool='tie.edit']").click()
    edit = f"#card li.tie[data-tie='{claim}'] form.tie-edit-form"
    page.wait_for_selector(edit)
    assert page.input_value(f"{edit} input[name=source]") == "Interview 7 (2024)"
    assert page.input_value(f"{edit} select[name=qualifier]") == "some-of"
    page.click(f"{edit} button[type=submit]")
    assert explorer.error_of(edit) == "Nothing to change: change a field first."
    page.select_option(f"{edit} select[name=status]", "reported")
    page.fill(f"{edit} input[name=source]", "Court file 3 (2024)")
    page.fill(f"{edit} input[name=reason]", "a court file confirms the interview")
    explorer.fits(edit)
    explorer.screenshot("edit", edit)
    page.click(f"{edit} button[type=submit]")
    assert explorer.result().startswith("Saved a new version of mine/claim/1")
    tie = explorer.tie(claim)
    assert tie.locator(".status-reported").count() == 1
    assert "Court file 3 (2024) — minute 12" in (tie.text_content() or "")

    # History: two versions, newest first, with dates and the reason of the change
    tie.locator("[data-tool='tie.history']").click()
    history = f"#card li.tie[data-tie='{claim}'] .history"
    page.wait_for_selector(f"{history} li.version")
    versions = page.locator(f"{history} li.version")
    assert versions.count() == 2
    assert (versions.nth(0).text_content() or "").startswith("Current, since 20")
    assert "Court file 3 (2024)" in (versions.nth(0).text_content() or "")
    older = versions.nth(1).text_content() or ""
    assert re.match(r"From 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC until 20", older)
    assert "Interview 7 (2024)" in older and "alleged" in older
    journal = page.locator(f"{history} ul.journal li").all_text_contents()
    assert journal[0].startswith("Change 2, 20") and journal[1].startswith("Change 1, 20")
    assert journal[0].endswith("claim edit — a court file confirms the interview")
    assert journal[1].endswith("claim add")
    explorer.fits(history)
    explorer.screenshot("history", history)

    # Retract, with its reason (required)
    tie.locator("[data-tool='tie.retract']").click()
    retract = f"#card li.tie[data-tie='{claim}'] form.retract-form"
    page.wait_for_selector(retract)
    page.click(f"{retract} button[type=submit]")
    assert explorer.error_of(retract) == "Fill in: Reason."
    page.fill(f"{retract} input[name=reason]", "the witness withdrew")
    page.click(f"{retract} button[type=submit]")
    assert explorer.result().startswith("Retracted mine/claim/1")
    tie = explorer.tie(claim)
    assert tie.locator(".status-retracted").text_content() == label(onto, H.Retracted, "en")
    assert tie.locator("p.reason").text_content() == "Retracted because: the witness withdrew"
    assert tie.locator("[data-tool='tie.retract']").count() == 0
    explorer.screenshot("retracted", f"#card li.tie[data-tie='{claim}']")

    # Undo: it says what it will undo, then what it undid; the claim is back as it was
    page.click("#undo-button")
    page.wait_for_selector("#undo-confirm")
    note = page.text_content("#undo-pane .undo-note") or ""
    assert note.startswith("This will undo change 3 of mine (claim retract, 20")
    assert note.endswith(f"Zetas → {protection} → Mayor Q (fictional).")
    explorer.screenshot("undo-preview", "#editing")
    page.click("#undo-confirm")
    page.wait_for_selector("#undo-pane .result")
    done = page.text_content("#undo-pane .result") or ""
    assert done.startswith("Undone: change 3 of mine (claim retract)")
    assert "The undo is change 4 of the journal" in done
    page.wait_for_function(
        "(c) => document.querySelector(`#card li.tie[data-tie='${c}'] .status-reported`)",
        arg=claim,
    )
    assert explorer.tie(claim).locator("p.reason").count() == 0
    explorer.screenshot("undone", "#editing")
    explorer.check_clean()


def test_an_entity_added_and_merged_from_a_card(
    explorer: Page, onto: rdflib.Graph, curated: rdflib.Graph
) -> None:
    page = explorer.page
    explorer.use_token()
    page.wait_for_selector("#card .card-tools")
    explorer.tool("tools.entity")
    form = "#card form.entity-form"
    page.wait_for_selector(form)
    page.fill(f"{form} input[name=name]", "Judge W (fictional)")
    page.select_option(f"{form} select[name=type]", "Judge")
    page.fill(f"{form} input[name=alias]", "Judge W; the judge of the fictional case")
    page.fill(f"{form} input[name=label-es]", "Juez W (ficticio)")
    explorer.fits(form)
    explorer.screenshot("entity", form)
    page.click(f"{form} button[type=submit]")
    assert explorer.result() == (
        "Added mine/entity/judge-w-fictional: Judge W (fictional) (change 1 of mine)."
    )
    # the new entity's card: its names, aliases and type (the heading is its name as
    # hilos.entities.pick_label chooses it, which today prefers the Spanish one to a name
    # without a language tag: see the report of this change)
    assert (
        page.text_content("#card .iri code")
        == "https://w3id.org/hilos/graph/mine/entity/judge-w-fictional"
    )
    card = page.text_content("#card dl.facts") or ""
    assert "Judge W (fictional)" in card and "Juez W (ficticio) (es)" in card
    judge = next(  # the type by its ontology label, not its prefixed name
        str(v)
        for v in onto.objects(
            rdflib.URIRef("https://w3id.org/hilos/ontology#Judge"), rdflib.RDFS.label
        )
        if isinstance(v, rdflib.Literal) and v.language == "en"
    )
    assert "the judge of the fictional case" in card and f"Types{judge}Sphere" in card
    assert "Recorded" in card and "prov:generatedAtTime" not in card

    # Merge with… (in Spanish: the new entity has a Spanish name) an ambiguous name first: the
    # candidates are offered
    page.select_option("#lang", "es")
    page.wait_for_function(
        "() => document.querySelector('#card [data-tool=\"tools.merge\"]')?.textContent"
        " === 'Fusionar con…'"
    )
    explorer.tool("tools.merge")
    merge = "#card form.merge-form"
    page.wait_for_selector(merge)
    page.fill(f"{merge} input[name=other]", "police")
    page.fill(f"{merge} input[name=source]", "Register (2023)")
    page.click(f"{merge} button[type=submit]")
    assert explorer.error_of(merge) == "Varias entidades tienen ese nombre; elige una:"
    candidates = page.locator(f"{merge} .candidates button")
    assert candidates.count() > 1
    page.fill(f"{merge} input[name=other]", "Zetas")
    explorer.fits(merge)
    explorer.screenshot("merge", merge)
    page.click(f"{merge} button[type=submit]")
    identity = label(onto, H.Identity, "es")
    zetas = label(curated, rdflib.URIRef(HID + "zetas"), "es")
    assert explorer.result() == (
        f"Registrada mine/claim/1: Juez W (ficticio) → {identity} → {zetas} (cambio 2 de mine)."
    )
    tie = explorer.tie("https://w3id.org/hilos/graph/mine/claim/1")
    text = tie.text_content() or ""
    assert identity in text and "Register (2023)" in text and zetas in text
    explorer.check_clean()


def test_a_hostile_source_and_quote_show_as_text(explorer: Page) -> None:
    page = explorer.page
    explorer.use_token()
    page.wait_for_selector("#card .card-tools")
    explorer.tool("tools.claim")
    form = "#card form.claim-form"
    page.wait_for_selector(form)
    page.select_option(f"{form} select[name=relation]", "Rivalry")
    page.fill(f"{form} input[name=other]", "hid:guerreros-unidos")
    page.fill(f"{form} input[name=source]", HOSTILE)
    page.fill(f"{form} textarea[name=quote]", HOSTILE)
    page.fill(f"{form} input[name=locator]", "<b onmouseover=alert(2)>here</b>")
    page.click(f"{form} button[type=submit]")
    explorer.result()
    tie = explorer.tie("https://w3id.org/hilos/graph/mine/claim/1")
    assert tie.locator("blockquote.quote").text_content() == HOSTILE
    assert tie.locator("p.source").text_content() == (
        f"Source: {HOSTILE} — <b onmouseover=alert(2)>here</b>"
    )
    tie.locator("[data-tool='tie.history']").click()
    page.wait_for_selector("#card .history li.version")
    assert HOSTILE in (page.text_content("#card .history") or "")
    # and in the edit form, as the fields' values
    tie.locator("[data-tool='tie.edit']").click()
    assert page.input_value("#card form.tie-edit-form input[name=source]") == HOSTILE
    assert page.evaluate("() => document.querySelectorAll('#card img, #card b').length") == 0
    page.wait_for_timeout(300)  # give a payload, were one to run, the time to fire
    explorer.screenshot(
        "hostile", "#card li.tie[data-tie='https://w3id.org/hilos/graph/mine/claim/1']"
    )
    explorer.check_clean()


def test_the_forms_speak_the_pages_language(explorer: Page, onto: rdflib.Graph) -> None:
    page = explorer.page
    # the page's Spanish: the catalogue (English text → Spanish) the server sends it
    strings = page.evaluate("async () => (await (await fetch('/api/words?lang=es')).json()).words")
    assert strings["Add a claim"] == "Añadir una afirmación"
    assert all(value.strip() for value in strings.values())
    explorer.use_token()
    page.wait_for_selector("#card .card-tools")
    page.select_option("#lang", "es")
    page.wait_for_function(
        "() => document.querySelector('#card [data-tool=\"tools.claim\"]')?.textContent"
        " === 'Añadir una afirmación'"
    )
    assert page.text_content("#editing-title") == "Tus cambios"
    assert page.text_content("#undo-button") == "Deshacer el último cambio…"
    explorer.tool("tools.claim")
    form = "#card form.claim-form"
    page.wait_for_selector(form)
    labels = page.locator(f"{form} label > span").all_text_contents()
    assert labels[:3] == ["Dirección", "Relación", "La otra entidad (un nombre o id)"]
    # the relations by their Spanish label first, the English beside
    protection = page.locator(f"{form} select[name=relation] option[value=Protection]")
    assert protection.text_content() == (
        f"{label(onto, H.Protection, 'es')} ({label(onto, H.Protection, 'en')})"
    )
    statuses = page.locator(f"{form} select[name=status] option").all_text_contents()
    assert label(onto, H.Alleged, "es") in statuses
    page.click(f"{form} button[type=submit]")
    assert explorer.error_of(form) == "Falta: La otra entidad (un nombre o id)."
    explorer.fits(form)
    explorer.screenshot("spanish", form)
    explorer.check_clean()
