"""Your own claims through `hilos serve --allow-update`: the explorer's JSON endpoints for adding,
editing, retracting and undoing claims, adding and merging entities, over real HTTP against a
server on a free loopback port, over a fresh store on disk.

Expected values come from what each test sends, or from the ontology read with rdflib; what the
store holds is checked with SPARQL queries of the tests' own, through the server's endpoint.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import rdflib

from hilos import resources
from hilos.changes import statements_of
from hilos.server.http import SparqlServer
from hilos.store import Store
from support import fetch, running

H = rdflib.Namespace("https://w3id.org/hilos/ontology#")
SKOS = rdflib.SKOS
HID = "https://w3id.org/hilos/id/"
GRAPHS = "https://w3id.org/hilos/graph/"
TOKEN = "a-test-token-for-the-claims-endpoints"
CURATED_TIE = HID + "tie-iguala-police-colludes-with-guerreros-unidos"
QUOTE = "A fictional witness says the Zetas protect the mayor's office."
WRITES = [
    "/api/claim/add",
    "/api/claim/edit",
    "/api/claim/retract",
    "/api/entity/add",
    "/api/entity/edit",
    "/api/entity/merge",
    "/api/undo",
]


# -- the ontology, read with rdflib ----------------------------------------------------------------


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.ontology_file())


def named(graph: rdflib.Graph, text: str, lang: str = "es") -> rdflib.URIRef:
    """The one term of the ontology with this label or alias in `lang`."""
    found = {
        s
        for prop in (rdflib.RDFS.label, SKOS.altLabel)
        for s, value in graph.subject_objects(prop)
        if isinstance(value, rdflib.Literal) and value.language == lang and str(value) == text
    }
    (term,) = found
    assert isinstance(term, rdflib.URIRef)
    return term


def english(graph: rdflib.Graph, term: rdflib.URIRef) -> str:
    (label,) = [
        str(v) for v in graph.objects(term, rdflib.RDFS.label) if getattr(v, "language", "") == "en"
    ]
    return label


def local(term: rdflib.URIRef) -> str:
    return "hilos:" + str(term).removeprefix(str(H))


# -- the server ------------------------------------------------------------------------------------


@pytest.fixture
def served(store_path: Path) -> Iterator[tuple[SparqlServer, Store, list[str]]]:
    """A server taking changes with TOKEN over a fresh store on disk, and the lines it logged."""
    store = Store.open(store_path)
    lines: list[str] = []
    try:
        with running(store, update_token=TOKEN, log=lines.append) as server:
            yield server, store, lines
    finally:
        store.close()


def post(
    server: SparqlServer,
    path: str,
    fields: dict[str, Any] | None = None,
    *,
    token: str | None = TOKEN,
    form: bool = False,
    body: bytes | None = None,
    content_type: str | None = None,
) -> tuple[int, dict[str, str], Any]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    if body is None:
        if form:
            body = urlencode(fields or {}, doseq=True).encode()
        else:
            body = json.dumps(fields or {}).encode()
    headers["Content-Type"] = content_type or (
        "application/x-www-form-urlencoded" if form else "application/json"
    )
    status, answer_headers, answer = fetch(
        server.base_url + path, method="POST", body=body, headers=headers
    )
    return status, answer_headers, json.loads(answer)


def get(server: SparqlServer, path: str, **params: str) -> tuple[int, Any]:
    status, headers, body = fetch(server.base_url + path, params=params or None)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    return status, json.loads(body)


def ask(server: SparqlServer, query: str) -> bool:
    status, _, body = fetch(server.url, params={"query": query})
    assert status == 200, body
    return bool(json.loads(body)["boolean"])


def everything(store: Store) -> set[ox.Quad]:
    """Every statement of the database: data, derived graphs and the registry."""
    return set(store.database)


def claims_of_mine(store: Store) -> set[ox.Triple]:
    """The statements of the graph mine, its journal left out (every change adds to it)."""
    change = GRAPHS + "mine/change/"
    return {
        t
        for t in statements_of(store, "mine")
        if not (isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(change))
    }


# -- a claim's life: add, edit, history, retract, undo --------------------------------------------


def test_a_claim_added_edited_retracted_and_undone(
    served: tuple[SparqlServer, Store, list[str]], onto: rdflib.Graph, curated: rdflib.Graph
) -> None:
    server, store, log = served
    protection = named(onto, "protección")
    mayor = named(onto, "alcalde")
    alleged = named(onto, "presunto")
    some_of = named(onto, "algunos de")
    (zetas,) = set(curated.subjects(rdflib.RDFS.label, rdflib.Literal("Zetas", lang="en")))

    status, _, added = post(
        server,
        "/api/claim/add",
        {
            "from": "Zetas",
            "relation": "protección",
            "to": "Mayor X (fictional)",
            "create-to": "alcalde",
            "source": "Interview 1 (2024)",
            "quote": QUOTE,
            "locator": "p. 4",
            "status": "presunto",
            "confidence": "80%",
            "start": "2022-03",
            "qualifier": ["algunos de"],
        },
    )
    assert status == 200, added
    claim = added["claim"]
    iri = claim["id"]
    assert claim["short_id"] == "mine/claim/1" and iri == GRAPHS + "mine/claim/1"
    assert claim["relation"] == local(protection)
    assert claim["status"] == english(onto, alleged)
    assert (claim["from"]["id"], claim["to"]["label"]) == (str(zetas), "Mayor X (fictional)")
    assert (claim["confidence"], claim["start"]) == (0.8, "2022-03")
    assert (claim["quote"], claim["locator"], claim["sources"]) == (
        QUOTE,
        "p. 4",
        ["Interview 1 (2024)"],
    )
    assert added["change"]["number"] == 1 and added["change"]["action"] == "claim add"
    assert added["changed"] == ["mine"]
    new_mayor = claim["to"]["id"]
    assert ask(server, f"ASK {{ <{new_mayor}> a <{mayor}> }}")
    assert ask(server, f"ASK {{ <{iri}> hilos:qualifier <{some_of}> ; hilos:status <{alleged}> }}")

    # a new version: the fields sent change, the others stay
    status, _, edited = post(
        server,
        "/api/claim/edit",
        {"id": "mine/claim/1", "status": "reported", "source": "Interview 5", "reason": "seconded"},
        form=True,
    )
    assert status == 200, edited
    assert edited["claim"]["status"] == "reported" and edited["claim"]["sources"] == ["Interview 5"]
    assert edited["claim"]["quote"] == QUOTE and edited["change"]["reason"] == "seconded"

    status, history = get(server, "/api/claim/history", id="mine/claim/1")
    assert status == 200
    versions = history["versions"]
    assert [v["current"] for v in versions] == [True, False]
    assert [v["status"] for v in versions] == ["reported", english(onto, alleged)]
    assert versions[1]["sources"] == ["Interview 1 (2024)"] and versions[1]["until"]
    assert [c["reason"] for c in history["changes"]] == [None, "seconded"]
    # the old version, kept as it was, dated and linked from the claim
    assert ask(
        server,
        f"""ASK {{ <{iri}> prov:wasRevisionOf ?old .
                  ?old a hilos:ClaimVersion ; prov:invalidatedAtTime ?when ;
                       hilos:status <{alleged}> ; hilos:quote {json.dumps(QUOTE)} }}""",
    )
    assert versions[1]["id"] == f"{iri}/v1"

    before_retract = claims_of_mine(store)
    status, _, retracted = post(
        server, "/api/claim/retract", {"id": iri, "reason": "the witness withdrew"}
    )
    assert status == 200, retracted
    assert retracted["claim"]["status"] == english(onto, H.Retracted)
    assert retracted["claim"]["reason"] == "the witness withdrew"
    # on the card, retracted with the reason, and marked as a claim of the graph mine
    status, card = get(server, "/api/entity", id=str(zetas))
    (tie,) = [t for t in card["ties"] if t["tie"] == iri]
    assert (tie["status"], tie["reason"], tie["graph"]) == (
        english(onto, H.Retracted),
        "the witness withdrew",
        "mine",
    )
    assert {t["graph"] for t in card["ties"] if t["tie"] != iri} == {None}  # the report's

    # the journal says what undo reverts next; undo reverts exactly that
    status, journal = get(server, "/api/journal", graph="mine")
    assert status == 200 and journal["next"]["number"] == 3
    assert journal["next"]["action"] == "claim retract"
    assert journal["next"]["what"] == f"Zetas → {english(onto, protection)} → Mayor X (fictional)"
    status, _, undone = post(server, "/api/undo", {"graph": "mine", "change": "3"})
    assert status == 200, undone
    assert undone["undid"]["number"] == 3 and undone["change"]["action"] == "undo"
    assert undone["change"]["undoes"] == journal["next"]["id"]
    assert claims_of_mine(store) == before_retract
    # two more undos: the edit, then the claim and the mayor it created; nothing of them is left
    for number in (2, 1):
        status, _, undone = post(server, "/api/undo", {"change": str(number)})
        assert status == 200 and undone["undid"]["number"] == number
    assert claims_of_mine(store) == set()
    status, _, nothing = post(server, "/api/undo", {})
    assert status == 404 and nothing["error"] == "nothing to undo in the graph mine"
    # the server logged each write in one line, and neither the token nor what was written
    writes = [line for line in log if line.split(" ", 1)[1].startswith("/api/")]
    assert len(writes) == 6 and all(" change " in line for line in writes)
    assert not any(TOKEN in line for line in log)
    posts = [line for line in log if "/api/" in line and "/sparql" not in line]
    assert not any(word in line for line in posts for word in ("Interview", "witness", "Mayor"))


def test_entities_added_edited_and_merged(
    served: tuple[SparqlServer, Store, list[str]], onto: rdflib.Graph
) -> None:
    server, _, _ = served
    judge = named(onto, "juez")
    status, _, added = post(
        server,
        "/api/entity/add",
        {"name": "Judge Z (fictional)", "type": "juez", "alias": ["Judge Z"], "label-es": "Juez Z"},
    )
    assert status == 200, added
    entity = added["entity"]
    assert entity["types"] == [local(judge)] and entity["label"] == "Judge Z (fictional)"
    assert added["change"]["action"] == "entity add" and added["changed"] == ["mine"]
    assert ask(
        server, f"ASK {{ <{entity['id']}> rdfs:label 'Juez Z'@es ; skos:altLabel 'Judge Z' }}"
    )
    status, _, again = post(
        server, "/api/entity/add", {"name": "judge z (fictional)", "type": "juez"}
    )
    assert status == 400 and again["field"] == "name" and "exists already" in again["error"]

    status, _, edited = post(server, "/api/entity/edit", {"id": "Judge Z", "alias": "the judge"})
    assert status == 200, edited
    assert ask(server, f"ASK {{ <{entity['id']}> skos:altLabel 'the judge' }}")

    status, _, merged = post(
        server,
        "/api/entity/merge",
        {
            "a": "Judge Z (fictional)",
            "b": "Zetas",
            "source": "Register (2023)",
            "status": "presunto",
        },
    )
    assert status == 200, merged
    claim = merged["claim"]
    assert (claim["relation"], claim["from"]["id"], claim["to"]["label"]) == (
        local(H.Identity),
        entity["id"],
        "Zetas",
    )
    assert claim["status"] == english(onto, named(onto, "presunto"))
    assert claim["sources"] == ["Register (2023)"]
    assert H.Tie in set(onto.transitive_objects(H.Identity, rdflib.RDFS.subClassOf))
    # the identity claim is a claim of the user's, listed as such
    status, listed = get(server, "/api/claims", entity="Judge Z (fictional)")
    assert status == 200 and [c["id"] for c in listed] == [claim["id"]]


# -- refusals --------------------------------------------------------------------------------------


def test_writes_need_a_server_that_takes_changes_and_its_token(store_path: Path) -> None:
    store = Store.open(store_path)
    try:
        before = everything(store)
        fields = {"name": "Judge Z (fictional)", "type": "judge"}
        with running(store) as server:  # read-only
            for path in WRITES:
                status, _, answer = post(server, path, fields)
                assert status == 403 and "read-only" in answer["error"], path
            status, session = get(server, "/api/session")
            assert session == {"updates": False, "graph": "mine"}
        with running(store, update_token=TOKEN) as server:
            for path in WRITES:
                status, headers, answer = post(server, path, fields, token=None)
                assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer"), path
                assert "Authorization: Bearer" in answer["error"]
                status, headers, _ = post(server, path, fields, token="wrong")
                assert status == 401 and 'error="invalid_token"' in headers["WWW-Authenticate"]
                # a form another site posts cannot carry the header: refused the same way
                assert post(server, path, fields, token=None, form=True)[0] == 401
                # the token is checked before the body is read: garbage is still a 401
                assert post(server, path, body=b"{not json", token=None)[0] == 401
                assert (
                    post(server, path, body=b"x", token=None, content_type="text/plain")[0] == 401
                )
                status, headers, _ = fetch(server.base_url + path)
                assert status == 405 and headers["Allow"] == "POST, OPTIONS", path
            basic = fetch(
                server.base_url + "/api/entity/add",
                method="POST",
                body=json.dumps(fields).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Basic {TOKEN}"},
            )
            assert basic[0] == 401
            for path in ("/api/types", "/api/session", "/api/claims", "/api/journal"):
                status, headers, _ = post(server, path, {})
                assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS", path
            # the page asks whether the token it holds is the right one, without writing
            status, session = get(server, "/api/session")
            assert session == {"updates": True, "graph": "mine"}
            for token, right in ((TOKEN, True), ("wrong", False)):
                _, _, body = fetch(
                    server.base_url + "/api/session", headers={"Authorization": f"Bearer {token}"}
                )
                assert json.loads(body)["authorised"] is right
        assert everything(store) == before
    finally:
        store.close()


BAD: list[tuple[str, dict[str, Any], int, str | None, str]] = [
    # path, fields, status, the field named, a part of the message
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel"}, 400,
     "source", "missing field 'source'"),
    ("/api/claim/add", {"from": "Zetas", "relation": "colusion con", "to": "Sinaloa cartel",
                        "source": "s"}, 400, "relation", "closest: collusion"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "start": "Ides of March"}, 400, "start", "is not a date"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "start": "05/03/2022"}, 400, "start", "YYYY-MM-DD"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "confidence": "2"}, 400, "confidence", "between 0 and 1"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "status": "rumoured"}, 400, "status", "unknown status"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "qualifier": ["mostly-ish"]}, 400, "qualifier",
     "unknown qualifier"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "start": "2020", "end": "2019"}, 400, None,
     "before it starts"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Nobody (fictional)",
                        "source": "s"}, 404, "to", "create-to"),
    ("/api/claim/add", {"from": "police", "relation": "bribery", "to": "Zetas", "source": "s"},
     400, "from", "matches several entities"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "create-to": "criminal wizard"}, 400, "create-to",
     "unknown type"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "graph": "report/iguala"}, 400, "graph", "ships with hilos"),
    ("/api/claim/add", {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel",
                        "source": "s", "colour": "red"}, 400, "colour", "unknown field 'colour'"),
    ("/api/claim/add", {"from": "Zetas", "relation": ["rivalry", "bribery"],
                        "to": "Sinaloa cartel", "source": "s"}, 400, "relation",
     "more than one value"),
    ("/api/claim/edit", {"id": "mine/claim/99", "status": "reported"}, 404, "id",
     "no claim or entity mine/claim/99"),
    ("/api/claim/edit", {"id": "hid:zetas", "status": "reported"}, 400, "id", "ships with hilos"),
    ("/api/claim/edit", {"id": "mine/claim/1", "confidence": ""}, 400, "confidence",
     "not remove it"),
    ("/api/claim/retract", {"id": CURATED_TIE, "reason": "no"}, 400, "id", "ships with hilos"),
    ("/api/claim/retract", {"id": "mine/claim/1"}, 400, "reason", "missing field 'reason'"),
    ("/api/entity/add", {"name": "Judge Y (fictional)", "type": "legislatura"}, 400, "type",
     "closest: legislature"),
    ("/api/entity/add", {"name": "Judge Y (fictional)", "type": "judge", "sphere": "cosmic"},
     400, "sphere", "unknown sphere"),
    ("/api/entity/merge", {"a": "Zetas", "b": "Nobody (fictional)", "source": "s"}, 404, "b",
     "no entity matches"),
    ("/api/entity/merge", {"a": "Zetas", "b": "Zetas", "source": "s"}, 400, None,
     "already the same entity"),
    ("/api/undo", {"graph": "report/iguala"}, 400, "graph", "ships with hilos"),
    ("/api/undo", {"graph": "mine", "change": "1"}, 409, None, "look again"),
]  # fmt: skip


def test_a_bad_request_is_refused_in_one_line_naming_the_field_and_writes_nothing(
    served: tuple[SparqlServer, Store, list[str]],
) -> None:
    server, store, _ = served
    # one claim and one change of the user's, so that edits, retracts and undos have a target
    status, _, first = post(
        server,
        "/api/claim/add",
        {"from": "Zetas", "relation": "rivalry", "to": "Sinaloa cartel", "source": "s"},
    )
    assert status == 200 and first["claim"]["short_id"] == "mine/claim/1"
    status, _, _ = post(
        server, "/api/claim/edit", {"id": "mine/claim/1", "status": "confirmed"}
    )  # change 2: an undo expecting change 1 is stale
    assert status == 200
    before = everything(store)
    for path, fields, expected, field, words in BAD:
        status, headers, answer = post(server, path, fields)
        assert (status, answer.get("field"), path) == (expected, field, path), answer
        assert words in answer["error"] and "\n" not in answer["error"], answer
        assert headers["Content-Type"] == "application/json; charset=utf-8"
    by_field = {(case[0], case[3], case[4]): case[:2] for case in BAD}
    ambiguous = post(server, *by_field["/api/claim/add", "from", "matches several entities"])[2]
    assert len(ambiguous["candidates"]) > 1 and all(
        c["id"].startswith(HID) and c["label"] for c in ambiguous["candidates"]
    )
    assert post(server, *by_field["/api/claim/add", "to", "create-to"])[2]["create"] == "create-to"
    # bodies that are not fields
    for body, content_type, expected in [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"from": {"nested": 1}}', "application/json", 400),
        (b"\xff\xfe", "application/x-www-form-urlencoded", 400),
        (b"from=Zetas", "text/plain", 415),
        (b"from=Zetas", "multipart/form-data", 415),
    ]:
        status, _, answer = post(server, "/api/claim/add", body=body, content_type=content_type)
        assert status == expected and answer["error"], (body, answer)
    status, _, answer = fetch(
        server.base_url + "/api/claim/add?from=Zetas",
        method="POST",
        body=b"{}",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
    )
    assert status == 400 and b"not in the URL" in answer
    status, _, answer = post(server, "/api/claim/edit", {"id": "mine/claim/1", "reason": "why"})
    assert status == 400 and "nothing to change" in answer["error"]
    assert everything(store) == before


def test_writes_are_one_at_a_time(
    served: tuple[SparqlServer, Store, list[str]], curated: rdflib.Graph
) -> None:
    server, _, _ = served
    # four organisations of the curated graph, by their English names
    dtos = {
        dto
        for dto in curated.subjects(rdflib.RDF.type, H.DrugTraffickingOrganization)
        if isinstance(dto, rdflib.URIRef) and str(dto) != HID + "zetas"
    }
    ends = [english(curated, dto) for dto in sorted(dtos)][:4]
    assert len(ends) == 4
    answers: list[tuple[int, Any]] = []

    def add(to: str) -> None:
        status, _, answer = post(
            server,
            "/api/claim/add",
            {"from": "Zetas", "relation": "rivalry", "to": to, "source": f"Note on {to}"},
        )
        answers.append((status, answer))

    threads = [threading.Thread(target=add, args=(to,)) for to in ends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _ in answers] == [200] * len(ends), answers
    assert sorted(a["claim"]["short_id"] for _, a in answers) == [
        f"mine/claim/{n}" for n in range(1, len(ends) + 1)
    ]
    assert sorted(a["change"]["number"] for _, a in answers) == list(range(1, len(ends) + 1))
    _, listed = get(server, "/api/claims", graph="mine")
    assert sorted(c["to"]["label"] for c in listed) == sorted(ends)
    _, journal = get(server, "/api/journal")
    assert [c["number"] for c in journal["changes"]] == list(range(len(ends), 0, -1))


# -- reading ---------------------------------------------------------------------------------------


def test_the_words_and_lists_are_read_on_any_server(
    memory_store: Store, onto: rdflib.Graph
) -> None:
    ties = set(onto.transitive_subjects(rdflib.RDFS.subClassOf, H.Tie)) - {H.Tie}
    statuses = set(onto.subjects(SKOS.inScheme, H.StatusScheme))
    qualifiers = set(onto.subjects(SKOS.inScheme, H.QualifierScheme))
    with running(memory_store) as server:  # read-only
        status, words = get(server, "/api/types")
        assert status == 200
        assert {t["id"] for t in words["ties"]} == {str(t) for t in ties}
        assert {s["id"] for s in words["statuses"]} == {str(s) for s in statuses}
        assert {q["id"] for q in words["qualifiers"]} == {str(q) for q in qualifiers}
        for row in words["ties"] + words["statuses"] + words["qualifiers"]:
            node = rdflib.URIRef(row["id"])
            labels = {
                v.language: str(v)
                for v in onto.objects(node, rdflib.RDFS.label)
                if isinstance(v, rdflib.Literal)
            }
            assert (row["label"], row["label_es"]) == (labels["en"], labels["es"]), row
        assert {t["kind"] for t in words["types"]} == {"actor", "place"}
        status, listed = get(server, "/api/claims")
        assert (status, listed) == (200, [])  # the report's claims are not the user's
        status, journal = get(server, "/api/journal")
        assert (status, journal) == (200, {"graph": "mine", "changes": [], "next": None})
        status, history = get(server, "/api/claim/history", id="mine/claim/1")
        assert status == 404 and "mine/claim/1" in history["error"]
        status, answer = get(server, "/api/claims", status="rumoured")
        assert status == 400 and "unknown status" in answer["error"]
