"""`hilos import csv` and `hilos import matrix`: real datasets, resolution, provenance, bad input.

Expected counts are computed here from the raw files, never pasted.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from conftest import REPO, Hilos, needs_shared
from hilos.store import Store, solutions

DATASETS = REPO.parent / "shared" / "datasets"
BACRIM = DATASETS / "mexico-cartels-bacrim2020"
MONTAGNA = DATASETS / "montagna-sicilian-mafia" / "Montagna_meetings_edgelist.csv"
CAVIAR_EDGES = DATASETS / "caviar" / "ucinet_full" / "CAVIAR_FULL_edges.csv"
CAVIAR_PHASE = DATASETS / "caviar" / "phases" / "phase3.csv"
DATA = Path(__file__).parent / "data" / "import"

needs_datasets = needs_shared("datasets")


def ties_in(store_path: Path, graph: str) -> list[dict[str, str]]:
    store = Store.open(store_path)
    try:
        rows = solutions(
            store.query(
                "SELECT ?tie ?type ?from ?to ?w WHERE { ?tie a ?type ; hilos:from ?from ;"
                " hilos:to ?to . OPTIONAL { ?tie rdf:value ?w } "
                "FILTER(?type != hilos:Tie && STRSTARTS(STR(?type), STR(hilos:))"
                " && NOT EXISTS { ?sub rdfs:subClassOf ?type . ?tie a ?sub ."
                " FILTER(?sub != ?type) } )}",
                graphs=[graph],
                inferred=False,
            )
        )
        names = ("tie", "type", "from", "to", "w")
        return [{k: (row[k].value if row[k] is not None else "") for k in names} for row in rows]
    finally:
        store.close()


def graph_names(store_path: Path) -> list[str]:
    store = Store.open(store_path)
    try:
        return [g.name for g in store.graphs()]
    finally:
        store.close()


def count_ties(store_path: Path, graph: str) -> int:
    store = Store.open(store_path)
    try:
        rows = solutions(
            store.query(
                "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t hilos:from ?a }",
                graphs=[graph],
                inferred=False,
            )
        )
        return int(next(iter(rows))["n"].value)
    finally:
        store.close()


def select(store_path: Path, sparql: str, graph: str | None = None) -> list[list[str]]:
    store = Store.open(store_path)
    try:
        rows = solutions(store.query(sparql, graphs=[graph] if graph else None))
        return [[term.value if term is not None else "" for term in row] for row in rows]
    finally:
        store.close()


# ------------------------------------------------------------------ real datasets


@needs_datasets
def test_bacrim_alliances_one_claim_per_row_and_drop(hilos: Hilos) -> None:
    path = BACRIM / "BACRIM2020_Alliances.csv"
    result = hilos(
        "import", "csv", str(path), "--map", "source=Group", "--map", "target=RGroup",
        "--relation", "alliance", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # every row is a claim of its own: a pair the file lists both ways is two claims
    assert summary["ties"] == len(rows)
    assert count_ties(hilos.store, "BACRIM2020_Alliances") == len(rows)
    types = {t["type"].rsplit("#", 1)[1] for t in ties_in(hilos.store, "BACRIM2020_Alliances")}
    assert types == {"Alliance"}
    # each claim keeps its own row's weight and ends
    first = rows[0]
    found = select(
        hilos.store,
        "SELECT ?w ?la ?lb WHERE { ?t hilos:locator 'row 2' ; rdf:value ?w ;"
        " hilos:from/rdfs:label ?la ; hilos:to/rdfs:label ?lb }",
        "BACRIM2020_Alliances",
    )
    assert [(float(w), a, b) for w, a, b in found] == [
        (float(first["weight"]), first["Group"], first["RGroup"])
    ]
    dropped = hilos("drop", "BACRIM2020_Alliances")
    assert dropped.exit_code == 0
    assert "BACRIM2020_Alliances" not in graph_names(hilos.store)


@needs_datasets
def test_bacrim_rivals_with_node_sheet(hilos: Hilos) -> None:
    path = BACRIM / "BACRIM2020_Rivals.csv"
    nodes = BACRIM / "BACRIM2020_Nodes.csv"
    result = hilos(
        "import", "csv", str(path), "--nodes", str(nodes), "--relation", "Rivalry",
        "--graph", "rivals", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    with path.open(encoding="utf-8-sig", newline="") as handle:
        expected = sum(1 for _ in csv.DictReader(handle))
    assert json.loads(result.stdout)["ties"] == expected
    assert count_ties(hilos.store, "rivals") == expected
    # labels come from the node sheet's Group column
    with nodes.open(encoding="utf-8-sig", newline="") as handle:
        groups = {row["Group"] for row in csv.DictReader(handle)}
    labels = select(
        hilos.store,
        "SELECT DISTINCT ?l WHERE { ?t hilos:from|hilos:to ?e . ?e rdfs:label ?l }",
        "rivals",
    )
    assert {label[0] for label in labels} <= groups | {
        label[0] for label in select(hilos.store, "SELECT ?l WHERE { ?e rdfs:label ?l }")
    }


@needs_datasets
def test_montagna_whitespace_no_header(hilos: Hilos) -> None:
    lines = [line.split() for line in MONTAGNA.read_text().splitlines() if line.strip()]
    expected = len(lines)  # one claim per row
    result = hilos(
        "import", "csv", str(MONTAGNA), "--no-header", "--delimiter", "whitespace",
        "--relation", "met with", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ties"] == expected
    names = {n for i, j, _ in lines for n in (i, j)}
    assert json.loads(result.stdout)["new_entities"] == len(names)
    # anonymised ids never meet the entities of other imports or of the report
    assert json.loads(result.stdout)["merged"] == []
    texts = select(
        hilos.store,
        "SELECT DISTINCT ?x WHERE { ?t hilos:relationText ?x }",
        "Montagna_meetings_edgelist",
    )
    assert texts == [["met with"]]


@needs_datasets
def test_caviar_edges_and_phase_matrix(hilos: Hilos) -> None:
    with CAVIAR_EDGES.open(encoding="utf-8-sig", newline="") as handle:
        expected = sum(1 for _ in csv.DictReader(handle))
    result = hilos("import", "csv", str(CAVIAR_EDGES), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ties"] == expected

    with CAVIAR_PHASE.open(newline="") as handle:
        rows = list(csv.reader(handle))
    cells = sum(1 for row in rows[1:] for cell in row[1:] if cell.strip() and float(cell) != 0)
    result = hilos("import", "matrix", str(CAVIAR_PHASE), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ties"] == cells
    assert count_ties(hilos.store, "phase3") == cells
    # anonymised ids are ids of their own file: they meet no entity of another import
    assert json.loads(result.stdout)["merged"] == []
    assert hilos("drop", "phase3").exit_code == 0


def test_every_nonzero_cell_of_a_matrix_is_a_claim(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "kin.csv"
    path.write_text("id,a,b,c\na,0,1,0\nb,1,0,2\nc,0,2,0\n", encoding="utf-8")
    result = hilos("import", "matrix", str(path), "--relation", "kinship", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ties"] == 4  # each cell says something of its own
    locators = select(hilos.store, "SELECT ?l WHERE { ?t hilos:locator ?l }", "kin")
    assert sorted(loc[0] for loc in locators) == [
        "row 2, column 3", "row 3, column 2", "row 3, column 4", "row 4, column 3",
    ]  # fmt: skip


# ------------------------------------------------------------------ resolution and provenance


def test_resolution_meets_curated_entities(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "source;target;relation;quote;citation;url\n"
        "Cártel de Sinaloa (México);ZETAS;rivalry;They fight.;Smith 2020;https://example.org/a\n"
        "  los zetas ;cartel de sinaloa;Rivalry;;;\n"
        "ZETAS;Los Pelones;works for;;;\n",
        encoding="utf-8-sig",
    )
    result = hilos("import", "csv", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ties"] == 3  # one claim per row
    # "Cártel de Sinaloa (México)": the curated Sinaloa cartel bears the name, but the graph
    # ties it to no place in Mexico, so the qualifier does not choose it: kept apart, and said
    kept = {m["name"]: m for m in summary["kept_apart"]}
    hid = "https://w3id.org/hilos/id/"
    assert kept["Cártel de Sinaloa (México)"]["entity"] == hid + "sinaloa-cartel"
    assert summary["new_entities"] == 2  # that name, and Los Pelones
    merged = {m["name"]: m["entity"] for m in summary["merged"]}
    assert merged == {
        "ZETAS": hid + "zetas",
        "los zetas": hid + "zetas",
        "cartel de sinaloa": hid + "sinaloa-cartel",
    }
    rows = select(
        hilos.store,
        "SELECT ?a ?b ?type WHERE { ?t a ?type ; hilos:from ?a ; hilos:to ?b . "
        "FILTER(?type IN (hilos:Rivalry, hilos:GenericTie)) }",
        "mine",
    )
    rivalry = [r for r in rows if r[2].endswith("Rivalry")]
    assert len(rivalry) == 2
    assert {rivalry[1][0], rivalry[1][1]} | {rivalry[0][0], rivalry[0][1]} >= {
        hid + "sinaloa-cartel",
        hid + "zetas",
    }
    generic = [r for r in rows if r[2].endswith("GenericTie")]
    assert generic[0][0] == hid + "zetas"
    assert generic[0][1].startswith("https://w3id.org/hilos/graph/mine/entity/")
    details = select(
        hilos.store,
        "SELECT ?q ?c ?u WHERE { ?t a hilos:Rivalry ; hilos:quote ?q ; schema:url ?u ;"
        " prov:wasDerivedFrom ?s . ?s hilos:citation ?c . FILTER(?c = 'Smith 2020') }",
        "mine",
    )
    assert details == [["They fight.", "Smith 2020", "https://example.org/a"]]


def test_provenance_rows_and_sha256(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "prov.csv"
    path.write_text("from,to,weight\nA one,B two,2\nB two,C three,1\nA one,B two,3\n")
    result = hilos("import", "csv", str(path), "--relation", "bribery")
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    imports = select(
        hilos.store,
        "SELECT ?s ?label ?id WHERE { ?s a hilos:Source ; rdfs:label ?label ;"
        " dcterms:identifier ?id }",
        "prov",
    )
    assert len(imports) == 1
    assert imports[0][2] == "sha256:" + digest
    assert imports[0][1].startswith("prov.csv, imported ")
    ties = select(
        hilos.store,
        "SELECT ?t (GROUP_CONCAT(?loc; separator='|') AS ?locs) (SAMPLE(?w) AS ?weight) WHERE {"
        " ?t hilos:from ?a ; hilos:locator ?loc ; rdf:value ?w ;"
        f" prov:wasDerivedFrom <{imports[0][0]}> }}"
        " GROUP BY ?t",
        "prov",
    )
    # one claim per row, each with its own row and weight (the repeated pair is not merged)
    assert sorted((t[1], float(t[2])) for t in ties) == [
        ("row 2", 2.0),
        ("row 3", 1.0),
        ("row 4", 3.0),
    ]


# ------------------------------------------------------------------ bad input


def assert_bad(hilos: Hilos, *args: str) -> str:
    before = graph_names(hilos.store)
    result = hilos(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(lines) == 1, result.stderr
    assert graph_names(hilos.store) == before
    return lines[0]


def test_missing_mapped_column(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,y\n")
    message = assert_bad(hilos, "import", "csv", str(path), "--map", "source=nope")
    assert "no column 'nope'" in message


def test_empty_file(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert "empty" in assert_bad(hilos, "import", "csv", str(path))


def test_header_only(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_text("source,target\n")
    assert "no rows" in assert_bad(hilos, "import", "csv", str(path))


def test_wrong_delimiter(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("source;target\nA;B\nB;C\n")
    message = assert_bad(hilos, "import", "csv", str(path), "--delimiter", ",")
    assert "wrong delimiter" in message


def test_row_with_empty_name(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("source,target\nA,B\n,C\n")
    message = assert_bad(hilos, "import", "csv", str(path))
    assert "row 3: empty source" in message


def test_unknown_field(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,y\n")
    assert "unknown field" in assert_bad(hilos, "import", "csv", str(path), "--map", "colour=a")


def test_xlsx_spreadsheets(hilos: Hilos, tmp_path: Path) -> None:
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["Grupo", "Rival", "Relación"],
        ["Cártel A (México)", "Cártel B", "alliance"],
        ["Cártel B", "Cártel A", "alliance"],
        ["Cártel A", "Cártel C", "pays"],
    ]
    for row in rows:
        sheet.append(row)
    path = tmp_path / "hallazgos.xlsx"
    book.save(path)
    result = hilos(
        "import",
        "csv",
        str(path),
        "--map",
        "source=Grupo",
        "--map",
        "target=Rival",
        "--map",
        "relation=Relación",
    )
    assert result.exit_code == 0, result.stderr
    # one claim per row: the alliance listed both ways is two claims, "pays" a generic tie
    assert count_ties(hilos.store, "hallazgos") == 3
    # "Cártel A (México)" and "Cártel A" are two names: the qualifier is part of a name
    names = select(hilos.store, "SELECT DISTINCT ?l WHERE { ?e a hilos:Actor ; rdfs:label ?l }",
                   "hallazgos")  # fmt: skip
    assert {"Cártel A (México)", "Cártel A"} <= {n[0] for n in names}
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not really a workbook")
    assert "not a readable .xlsx" in assert_bad(hilos, "import", "csv", str(broken))


def _big_file(tmp_path: Path, bad_row: int) -> Path:
    path = tmp_path / "big.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "weight"])
        for i in range(10_000):
            row = i + 2
            writer.writerow([f"person {i}", f"person {i + 1}", "x" if row == bad_row else "1"])
    return path


def test_ten_thousand_rows_one_bad(hilos: Hilos, tmp_path: Path) -> None:
    bad = 5_002
    path = _big_file(tmp_path, bad)
    message = assert_bad(hilos, "import", "csv", str(path))
    assert f"row {bad}: weight 'x' is not a number" in message
    assert "1 bad row" in message

    result = hilos("import", "csv", str(path), "--skip-invalid", "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    with path.open(newline="") as handle:
        data_rows = sum(1 for _ in csv.reader(handle)) - 1
    assert summary["ties"] == data_rows - 1
    assert count_ties(hilos.store, "big") == data_rows - 1
    rejected = tmp_path / "big.rejected.csv"
    assert summary["rejected_file"] == str(rejected)
    with rejected.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "source", "target", "weight", "reason"]
    assert len(rows) == 2
    assert rows[1][0] == str(bad)
    assert rows[1][1:4] == [f"person {bad - 2}", f"person {bad - 1}", "x"]


def test_dry_run_loads_nothing(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "dry.csv"
    path.write_text("source,target,relation\nZetas,Someone new,alliance\n")
    before = graph_names(hilos.store)
    result = hilos("import", "csv", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "would import" in result.stdout
    assert "Zetas" in result.stdout  # the merge is shown
    assert graph_names(hilos.store) == before


def test_mapping_file_and_existing_graph(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text("\ufeffWho\tWhom\tWhat\nA\tB\tcollusion\n", encoding="utf-8")
    mapping = tmp_path / "m.map"
    mapping.write_text("# my columns\nsource=Who\ntarget = Whom\nrelation=What\n")
    result = hilos("import", "csv", str(path), "--mapping", str(mapping), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ties"] == 1
    types = {t["type"].rsplit("#", 1)[1] for t in ties_in(hilos.store, "mapped")}
    assert types == {"Collusion"}
    assert "already loaded" in assert_bad(
        hilos, "import", "csv", str(path), "--mapping", str(mapping)
    )
    again = hilos("import", "csv", str(path), "--mapping", str(mapping), "--replace")
    assert again.exit_code == 0, again.stderr
