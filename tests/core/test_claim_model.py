"""The claim model end to end: a direct link only for what is asserted, one claim per
statement (never merged), names never swallowed by their qualifier.

Expected values come from the files in `tests/data/` and from the ontology, read here
independently of the code under test."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib import RDF, Namespace

from conftest import needs_shared
from hilos import resources
from hilos.export.html import page_rows
from hilos.store import Store

DATA = Path(__file__).resolve().parents[1] / "data"
HILOS = Namespace("https://w3id.org/hilos/ontology#")
HID = "https://w3id.org/hilos/id/"
ASSERTING = {str(HILOS.Confirmed), str(HILOS.Reported)}


def _select(store: Store, query: str) -> list[dict[str, str]]:
    from hilos.store import solutions

    return [
        {v: row[v].value for v in _variables(query) if row[v] is not None}
        for row in solutions(store.query(query))
    ]


def _variables(query: str) -> list[str]:
    head = query.split("WHERE")[0]
    return [word[1:] for word in head.split() if word.startswith("?")]


# --- 1. a refuted claim is never a fact --------------------------------------------------------


def test_the_refuted_maras_alliance_is_no_direct_link_but_stays_a_claim(
    memory_store: Store,
) -> None:
    allied = _select(memory_store, "SELECT ?x WHERE { ?x hilos:alliedWith hid:zetas }")
    assert HID + "maras" not in {row["x"] for row in allied}
    assert not _select(memory_store, "SELECT ?x WHERE { hid:maras hilos:alliedWith ?x }")
    # the claims stay, queryable with their status
    claims = _select(
        memory_store,
        """SELECT ?claim ?status WHERE {
             ?claim a hilos:Alliance ; hilos:status ?status .
             { ?claim hilos:from hid:maras } UNION { ?claim hilos:to hid:maras } }""",
    )
    statuses = {row["status"] for row in claims}
    assert str(HILOS.Refuted) in statuses and not statuses & ASSERTING


def _shortcut_of(ontology: rdflib.Graph) -> dict[str, str]:
    """Tie class -> its own shortcut property, read from the ontology file."""
    return {str(c): str(p) for c, p in ontology.subject_objects(HILOS.shortcut)}


def test_every_direct_link_rests_on_a_claim_that_asserts_it(memory_store: Store) -> None:
    """For every direct link a → b of every shortcut property, some claim of a class with that
    shortcut (or a sub-class) between a and b (either way: symmetric and inverse properties
    are derived both ways) has a status that asserts and is a statement of fact."""
    ontology = rdflib.Graph().parse(resources.ontology_file())
    shortcuts = set(_shortcut_of(ontology).values())
    links = _select(memory_store, "SELECT ?a ?p ?b WHERE { ?a ?p ?b . FILTER(isIRI(?b)) }")
    links = [row for row in links if row["p"] in shortcuts]
    assert len(links) > 100
    claims = _select(
        memory_store,
        """SELECT ?from ?to ?status ?modality WHERE {
             ?c a hilos:Tie ; hilos:from ?from ; hilos:to ?to ; hilos:status ?status .
             OPTIONAL { ?c hilos:modality ?modality } }""",
    )
    asserted_pairs = {
        frozenset((c["from"], c["to"]))
        for c in claims
        if c["status"] in ASSERTING
        and c.get("modality", str(HILOS.AsStated)) == str(HILOS.AsStated)
    }
    unsupported = [row for row in links if frozenset((row["a"], row["b"])) not in asserted_pairs]
    assert unsupported == []


def test_a_store_of_an_older_version_loses_the_links_of_refuted_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration: a store whose inferences were derived by older rules (which gave every claim
    its shortcut) is derived again when a newer hilos opens it."""
    from hilos import store as store_module

    current = store_module._FORMAT_VERSION
    path = tmp_path / "store"
    monkeypatch.setattr(store_module, "_FORMAT_VERSION", current - 1)
    old = Store.open(path)
    gangs = next(info for info in old.graphs() if info.name == "report/gangs")
    # what the old rules derived: the shortcut of the refuted claim
    old._db.update(
        f"INSERT DATA {{ GRAPH <{gangs.inferred_iri}> {{ <{HID}maras> "
        f"<{HILOS}alliedWith> <{HID}mexican-dtos> }} }}"
    )
    assert _select(old, "SELECT ?x WHERE { hid:maras hilos:alliedWith ?x }")
    old.close()
    monkeypatch.setattr(store_module, "_FORMAT_VERSION", current)
    reopened = Store.open(path)
    try:
        assert _select(reopened, "SELECT ?x WHERE { hid:maras hilos:alliedWith ?x }") == []
    finally:
        reopened.close()


# --- 2. separate claims are never merged --------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_repeated_rows_stay_claims_of_their_own_with_their_evidence_paired(hilos) -> None:
    rows = _rows("repeated-claims.csv")
    result = hilos("import", "csv", str(DATA / "repeated-claims.csv"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ties"] == len(rows)
    shown = hilos("show", "Mayor X (fictional)", "--format", "json")
    card = json.loads(shown.stdout)
    ties = card["ties"]
    assert len(ties) == len(rows)
    # each claim keeps its own status, quote, citation and row, as the sheet pairs them
    expected = {
        (f"row {number}", row["status"], row["quote"], row["citation"])
        for number, row in enumerate(rows, 2)
    }
    got = set()
    for tie in ties:
        citations = [s["citation"] for s in tie["sources"] if not s["citation"].endswith("Z")]
        assert len(citations) == 1, tie
        got.add((tie["locator"], tie["status"], tie["quote"], citations[0]))
    assert got == expected


def test_a_hop_lists_every_claim_behind_it_and_says_how_it_aggregates(hilos) -> None:
    rows = _rows("repeated-claims.csv")
    assert hilos("import", "csv", str(DATA / "repeated-claims.csv")).exit_code == 0
    result = hilos(
        "paths", "Mayor X (fictional)", "Group Y (fictional)", "--format", "json", "--limit", "1"
    )
    assert result.exit_code == 0, result.stderr
    (path,) = json.loads(result.stdout)["paths"]
    (hop,) = path["hops"]
    assert hop["status"] == "reported"  # the strongest of the claims
    assert len(hop["claims"]) == len(rows)
    assert sorted(c["quote"] for c in hop["claims"]) == sorted(r["quote"] for r in rows)
    for claim in hop["claims"]:
        assert claim["locator"].startswith("row ")
        number = int(claim["locator"].removeprefix("row "))
        assert claim["quote"] == rows[number - 2]["quote"]
        assert claim["status"] == rows[number - 2]["status"]
    assert "strongest" in hop["aggregation"] and "3 claims" in hop["aggregation"]
    table = hilos("paths", "Mayor X (fictional)", "Group Y (fictional)", "--limit", "1")
    for row in rows:
        assert row["quote"] in " ".join(table.stdout.split())


# --- resolution: a qualifier never swallows a name ----------------------------------------------


def test_names_with_country_qualifiers_are_not_the_country(hilos) -> None:
    sheet = DATA / "country-qualifiers.csv"
    dry = hilos("import", "csv", str(sheet), "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.stderr
    summary = json.loads(dry.stdout)
    merged = {m["name"]: m for m in summary["merged"]}
    # only the Zetas of Mexico meet the curated Zetas: the qualifier names a place within
    # which the Zetas are said to operate; nobody is merged into Venezuela or Colombia
    assert set(merged) == {"Zetas (México)"}
    assert merged["Zetas (México)"]["entity"] == HID + "zetas"
    assert merged["Zetas (México)"]["reason"]
    kept = {m["name"]: m for m in summary["kept_apart"]}
    assert kept["Zetas (Colombia)"]["entity"] == HID + "zetas"
    assert kept["Venezuela"]["entity"] == HID + "venezuela"
    names = {r["from"] for r in _rows(sheet.name)} | {r["to"] for r in _rows(sheet.name)}
    assert summary["new_entities"] == len(names - set(merged))
    # the same summary after the import, which writes what the dry run announced
    done = hilos("import", "csv", str(sheet), "--format", "json")
    assert json.loads(done.stdout)["merged"] == summary["merged"]
    path = hilos(
        "paths", "Nicolás Maduro Moros (Venezuela)", "Diosdado Cabello Rondón (Venezuela)",
        "--format", "json",
    )  # fmt: skip
    assert path.exit_code == 0, path.stderr
    hops = json.loads(path.stdout)["paths"][0]["hops"]
    assert len(hops) == 1
    venezuela = hilos("show", "hid:venezuela", "--format", "json")
    others = {t["other"]["label"] for t in json.loads(venezuela.stdout)["ties"]}
    assert not any("Maduro" in other or "Cabello" in other for other in others)


def test_link_none_matches_nothing_in_the_store(hilos) -> None:
    sheet = DATA / "country-qualifiers.csv"
    result = hilos("import", "csv", str(sheet), "--link", "none", "--dry-run", "--format", "json")
    summary = json.loads(result.stdout)
    assert summary["merged"] == [] and summary["link"] == "none"


def test_the_import_table_lists_merges_with_label_and_reason(hilos) -> None:
    result = hilos("import", "csv", str(DATA / "country-qualifiers.csv"), "--dry-run")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # tables wrap to the terminal
    assert "Zetas (México)" in text and "the qualifier (mexico)" in text
    assert "Zetas (Colombia)" in text and "does not choose" in text
    assert "new entities would be created, e.g." in text


# --- 3. analyses are about actors ---------------------------------------------------------------


def _actor_kinds(store: Store) -> dict[str, str]:
    from hilos.network.projection import project

    return dict(project(store).graph.nodes(data="kind"))


def test_the_network_holds_actors_only_unless_asked(memory_store: Store) -> None:
    from hilos.network.projection import Filters, project

    kinds = _actor_kinds(memory_store)
    assert set(kinds.values()) <= {"person", "organisation", "other"}
    ontology = rdflib.Graph().parse(resources.ontology_file())
    context_classes = {HILOS.Place, HILOS.CriminalMarket, HILOS.Policy, HILOS.Event}
    curated = rdflib.Graph()
    for path in resources.curated_files():
        curated.parse(path)
    context: set[str] = set()
    for cls in context_classes:
        for sub in ontology.transitive_subjects(rdflib.RDFS.subClassOf, cls):
            context |= {str(s) for s in curated.subjects(RDF.type, sub)}
    context |= {str(s) for s in ontology.subjects(RDF.type, HILOS.CriminalMarket)}
    assert not context & set(kinds)
    with_places = project(memory_store, Filters(include=("place",))).graph
    assert HID + "michoacan" in with_places


def test_paths_never_pass_through_a_market(hilos) -> None:
    result = hilos("paths", "Maras", "Zetas", "--format", "json", "--limit", "10")
    if result.exit_code == 1:
        return  # no path between them through actors: an honest answer
    for path in json.loads(result.stdout)["paths"]:
        for node in path["nodes"]:
            assert not node["id"].startswith("https://w3id.org/hilos/ontology#"), node


def test_a_place_is_not_an_end_of_a_path_unless_included(hilos) -> None:
    result = hilos("paths", "Iguala", "Guerreros Unidos")
    assert result.exit_code == 1
    assert "place" in result.stderr and "--include places" in result.stderr


def test_centrality_ranks_actors_and_says_what_it_left_out(hilos) -> None:
    result = hilos("centrality", "--format", "json")
    assert result.exit_code == 0
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert HID + "war-on-drugs" not in ids
    assert "left out" in result.stderr and "places" in result.stderr


def test_one_default_direction_undirected(memory_store: Store) -> None:
    from hilos.network.projection import Filters

    assert Filters().directed is False


DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
CAVIAR = DATASETS / "caviar" / "ucinet_full" / "CAVIAR_FULL_edges.csv"


@needs_shared("datasets", "caviar")
def test_caviar_participant_1_leads_betweenness_with_no_other_flag(hilos) -> None:
    """Morselli's published result: participant 1 is the most central by betweenness. The
    expected ranking is networkx's own on the raw file, undirected."""
    graph = nx.Graph()
    with CAVIAR.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            graph.add_edge(row["source"], row["target"])
    reference = nx.betweenness_centrality(graph)
    top = max(reference, key=lambda n: reference[n])
    assert top == "1"
    imported = hilos(
        "import", "csv", str(CAVIAR), "--map", "from=source", "--map", "to=target",
        "--graph", "caviar", "--link", "none",
    )  # fmt: skip
    assert imported.exit_code == 0, imported.stderr
    result = hilos("centrality", "--measure", "betweenness", "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert first["label"] == "1"


# --- what limits a claim is shown wherever the claim is ------------------------------------------


def _partial_funding() -> str:
    """The claim that self-defence forces are partially funded by DTOs, found in the files."""
    curated = rdflib.Graph()
    for path in resources.curated_files():
        curated.parse(path)
    (claim,) = [
        c
        for c in curated.subjects(RDF.type, HILOS.Funding)
        if "partially funded by DTOs" in str(curated.value(c, HILOS.quote))
    ]
    assert curated.value(claim, HILOS.qualifier) == HILOS.Partially
    return str(claim)


def test_qualifiers_are_shown_on_cards_pages_dossiers_and_sheets(hilos, tmp_path: Path) -> None:
    claim = _partial_funding()
    card = json.loads(hilos("show", "hid:self-defence-forces", "--format", "json").stdout)
    (tie,) = [t for t in card["ties"] if t["tie"] == claim]
    assert tie["qualifiers"] == ["partially"] and tie["status"] == "alleged"
    table = hilos("show", "hid:self-defence-forces").stdout
    assert "funding: Mexican DTOs (as a whole) (criminal) — alleged, partially" in table
    sheets = tmp_path / "sheets"
    assert hilos("export", "csv", str(sheets), "--all-claims").exit_code == 0
    with (sheets / "ties.csv").open(encoding="utf-8-sig", newline="") as handle:
        (row,) = [r for r in csv.DictReader(handle) if r["tie"] == "hid:" + claim.rsplit("/", 1)[1]]
    assert row["qualifiers"] == "partially" and row["status"] == "alleged"
    page = tmp_path / "page.html"
    assert hilos("export", "html", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    start = text.index('id="hilos-data"')
    data = page_rows(json.loads(text[text.index("{", start) : text.index("</script>", start)]))
    (drawn,) = [t for t in data["ties"] if t["id"] == claim]
    assert drawn["qualifiers"] == ["partially"]
    dossier = tmp_path / "dossier.md"
    assert hilos("export", "dossier", str(dossier), "hid:self-defence-forces").exit_code == 0
    assert "alleged; partially" in dossier.read_text(encoding="utf-8")


def test_a_claim_merged_by_an_older_import_is_reported_by_validate(hilos, tmp_path: Path) -> None:
    merged = tmp_path / "merged.ttl"
    merged.write_text(
        """@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/merged/> .
ex:m a hilos:Mayor ; rdfs:label "Mayor M"@en .
ex:g a hilos:CriminalOrganization ; rdfs:label "Group G"@en .
ex:s a hilos:Source ; hilos:citation "Interviews" .
ex:t a hilos:Protection ; hilos:from ex:m ; hilos:to ex:g ; hilos:status hilos:Alleged ;
  hilos:quote "First witness."@und , "Second witness."@und ;
  hilos:locator "row 2" , "row 16" ; prov:wasDerivedFrom ex:s .
""",
        encoding="utf-8",
    )
    result = hilos("validate", str(merged))
    assert result.exit_code == 1
    assert "merged" in result.stdout + result.stderr


# --- 4. chains mean collusion, on a journalist's own sheet ---------------------------------------


def _weights() -> dict[str, float]:
    ontology = rdflib.Graph().parse(resources.ontology_file())
    return {
        str(s).rsplit("#", 1)[1].lower(): float(w)
        for s, w in ontology.subject_objects(HILOS.weight)
    }


def test_chains_on_a_users_sheet_rank_the_direct_crossing_first(hilos) -> None:
    """The sheet: governor → mayor → police (commands, alleged), police → cartel (collusion,
    reported), governor → self-defence group (funding) → cartel (acquiescence). Funding does
    not cross and a self-defence group is not of the state: the chains are the police's own
    crossing and the two chains of command that lead to it, strongest first."""
    rows = _rows("own-chains.csv")
    assert hilos("import", "csv", str(DATA / "own-chains.csv"), "--graph", "own").exit_code == 0
    result = hilos("chains", "--graph", "own", "--format", "json")
    assert result.exit_code == 0, result.stderr
    chains = json.loads(result.stdout)["chains"]
    labels = [[n["label"] for n in chain["nodes"]] for chain in chains]
    police, cartel = "Police of Z (fictional)", "Cartel Z (fictional)"
    assert labels == [
        [police, cartel],
        ["Mayor Z (fictional)", police, cartel],
        ["Governor Z (fictional)", "Mayor Z (fictional)", police, cartel],
    ]
    weight = _weights()
    status = {(r["from"], r["to"]): r["status"] for r in rows}
    for chain, names in zip(chains, labels, strict=True):
        expected = 1.0
        for a, b in itertools.pairwise(names):
            expected *= weight[status[(a, b)]]
        assert chain["score"] == pytest.approx(expected)
        crossing = chain["crossing"]
        assert crossing["relation"] == "hilos:Collusion"
        assert chain["hops"][crossing["hop"]]["from"].endswith("police-of-z-fictional")


MONTAGNA = DATASETS / "montagna-sicilian-mafia" / "Montagna_meetings_edgelist.csv"


@needs_shared("datasets", "montagna-sicilian-mafia")
def test_montagna_degree_ranking_comes_out_of_the_command(hilos) -> None:
    """The meetings network (Cavallaro et al. 2020) through `hilos import` and `hilos
    centrality`: the degree ranking networkx gives on the raw file, undirected."""
    graph = nx.Graph()
    for line in MONTAGNA.read_text(encoding="utf-8").splitlines():
        if line.strip():
            i, j, _ = line.split()
            if i != j:
                graph.add_edge(i, j)
    reference = nx.degree_centrality(graph)
    expected = sorted(reference, key=lambda n: (-reference[n], n))[:5]
    imported = hilos(
        "import", "csv", str(MONTAGNA), "--no-header", "--delimiter", "whitespace",
        "--relation", "met with", "--graph", "montagna", "--link", "none",
    )  # fmt: skip
    assert imported.exit_code == 0, imported.stderr
    result = hilos("centrality", "--graph", "montagna", "--top", "5", "--format", "json")
    assert result.exit_code == 0, result.stderr
    ranking = json.loads(result.stdout)
    assert [r["label"] for r in ranking] == expected
    assert [r["score"] for r in ranking] == pytest.approx([reference[n] for n in expected])
