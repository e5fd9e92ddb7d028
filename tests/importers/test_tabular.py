"""`hilos import csv` and `hilos import matrix`: real datasets, a journalist's own sheet saved
from Excel, column mapping, values in English and Spanish, encodings, resolution, provenance and
bad input.

Expected values are computed here from the raw files (and from the ontology read with rdflib),
never pasted from the importer's output.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

from conftest import REPO, Hilos, needs_shared
from hilos.store import Store, solutions

DATASETS = REPO.parent / "shared" / "datasets"
BACRIM = DATASETS / "mexico-cartels-bacrim2020"
MONTAGNA = DATASETS / "montagna-sicilian-mafia" / "Montagna_meetings_edgelist.csv"
CAVIAR_EDGES = DATASETS / "caviar" / "ucinet_full" / "CAVIAR_FULL_edges.csv"
CAVIAR_PHASE = DATASETS / "caviar" / "phases" / "phase3.csv"
DATA = Path(__file__).resolve().parents[1] / "data"
SHEET = DATA / "sheet-hallazgos-excel.csv"
"""20 fictional findings as Excel saves them in Mexico: cp1252, `;`, CRLF, a Spanish header
(De;Relación;A;Estatus;Confianza;Fecha;Fuente;Cita textual;Tipo de;Tipo a), day-first dates
(some with a first number over 12, some that read both ways), Spanish statuses, relations,
types and confidences. Written once with Python (`path.write_bytes(text.encode("cp1252"))`)."""
HILOS_NS = "https://w3id.org/hilos/ontology#"
SKOS_ALT = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel")

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
        "import", "csv", str(path), "--map", "from=Group", "--map", "to=RGroup",
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
    # Gephi's edge list: `source` and `target` are the ends only when mapped so
    result = hilos(
        "import", "csv", str(CAVIAR_EDGES), "--map", "from=source", "--map", "to=target",
        "--format", "json",
    )  # fmt: skip
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
        "from;to;relation;quote;citation;url\n"
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


def test_a_name_is_never_merged_into_a_term_of_the_ontology(hilos: Hilos, tmp_path: Path) -> None:
    # "Cártel", "Alcalde" and "Presunto" name a class and a status of the ontology; in a sheet
    # they are names of entities (a group, a person), never the class or the status
    ontology = rdflib.Graph().parse(REPO / "ontology" / "hilos.ttl")
    names = {"Cártel", "Alcalde", "Presunto"}
    terms = {
        str(value)
        for predicate in (rdflib.RDFS.label, rdflib.SKOS.altLabel)
        for value in ontology.objects(None, predicate)
    }
    assert {"cártel", "alcalde", "presunto"} <= {t.lower() for t in terms}
    path = tmp_path / "terms.csv"
    path.write_text(
        "from,relation,to,citation\nAlcalde,protection,Cártel,s\nPresunto,bribery,Cártel,s\n",
        encoding="utf-8",
    )
    result = hilos("import", "csv", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["merged"] == [] and summary["new_entities"] == len(names)
    ends = select(hilos.store, "SELECT ?e WHERE { { ?t hilos:from ?e } UNION { ?t hilos:to ?e } }",
                  "terms")  # fmt: skip
    assert all(e[0].startswith("https://w3id.org/hilos/graph/terms/") for e in ends)


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
    message = assert_bad(hilos, "import", "csv", str(path), "--map", "from=nope")
    assert "no column 'nope'" in message


def test_empty_file(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert "empty" in assert_bad(hilos, "import", "csv", str(path))


def test_header_only(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_text("from,to\n")
    assert "no rows" in assert_bad(hilos, "import", "csv", str(path))


def test_wrong_delimiter(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("from;to\nA;B\nB;C\n")
    message = assert_bad(hilos, "import", "csv", str(path), "--delimiter", ",")
    assert "wrong delimiter" in message


def test_row_with_empty_name(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("from,to\nA,B\n,C\n")
    message = assert_bad(hilos, "import", "csv", str(path))
    assert "row 3, column from: empty from end" in message


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
        "from=Grupo",
        "--map",
        "to=Rival",
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
        writer.writerow(["from", "to", "weight"])
        for i in range(10_000):
            row = i + 2
            writer.writerow([f"person {i}", f"person {i + 1}", "x" if row == bad_row else "1"])
    return path


def test_ten_thousand_rows_one_bad(hilos: Hilos, tmp_path: Path) -> None:
    bad = 5_002
    path = _big_file(tmp_path, bad)
    message = assert_bad(hilos, "import", "csv", str(path))
    assert f"row {bad}, column weight: 'x' is not a number" in message
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
    assert rows[0] == ["row", "from", "to", "weight", "reason"]
    assert len(rows) == 2
    assert rows[1][0] == str(bad)
    assert rows[1][1:4] == [f"person {bad - 2}", f"person {bad - 1}", "x"]


def test_dry_run_loads_nothing(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "dry.csv"
    path.write_text("from,to,relation\nZetas,Someone new,alliance\n")
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
    # `source` and `target` stay names of the ends in a mapping: they are explicit there
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


# ------------------------------------------------------------------ reading a sheet independently


def fold(text: str) -> str:
    """Case, accents and punctuation folded: how the test compares names, without hilos."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def term_named(ontology: rdflib.Graph, text: str, kind: str) -> str:
    """The one term of the ontology of `kind` (`Tie`: a tie class; `Actor`: an actor class;
    `Status`: a status) that has `text` as a label or altLabel."""
    sparql = {
        "Tie": "SELECT ?t ?l WHERE { ?t rdfs:subClassOf+ hilos:Tie ; rdfs:label|skos:altLabel ?l }",
        "Actor": "SELECT ?t ?l WHERE { ?t rdfs:subClassOf+ hilos:Actor ;"
        " rdfs:label|skos:altLabel ?l }",
        "Status": "SELECT ?t ?l WHERE { ?t a hilos:Status ; rdfs:label|skos:altLabel ?l }",
    }[kind]
    found = {
        str(row[0])
        for row in ontology.query(
            sparql, initNs={"hilos": rdflib.Namespace(HILOS_NS), "skos": rdflib.namespace.SKOS}
        )
        if fold(str(row[1])) == fold(text)
    }
    assert len(found) == 1, (text, found)
    return found.pop()


# What the brief asks hilos to read that the ontology's labels do not give (the rest is read
# from the ontology above).
STATUS_WORDS_NOT_IN_THE_ONTOLOGY = {
    "presunta": "Alleged",
    "alegado": "Alleged",
    "supuesto": "Alleged",
    "refutado": "Refuted",
}
CONFIDENCE_WORDS = {"alta": "0.8", "high": "0.8", "media": "0.5", "medium": "0.5"}
CONFIDENCE_WORDS |= {"baja": "0.2", "low": "0.2"}
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]
MESES += ["septiembre", "octubre", "noviembre", "diciembre"]


def expected_status(ontology: rdflib.Graph, text: str) -> str:
    if fold(text) in STATUS_WORDS_NOT_IN_THE_ONTOLOGY:
        return HILOS_NS + STATUS_WORDS_NOT_IN_THE_ONTOLOGY[fold(text)]
    return term_named(ontology, text, "Status")


def expected_confidence(text: str) -> str | None:
    if not text:
        return None
    if fold(text) in CONFIDENCE_WORDS:
        return CONFIDENCE_WORDS[fold(text)]
    if text.endswith("%"):
        return str(Decimal(text[:-1].strip()) / 100)
    return text


def expected_date(text: str, *, dayfirst: bool = True) -> tuple[str, str] | None:
    """(lexical form, XML Schema type) of a date as the sheet writes it."""
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):
        return text, "gYear"
    words = re.fullmatch(r"(\w+) de (\d{4})", text)
    if words:
        return f"{words[2]}-{MESES.index(words[1]) + 1:02d}", "gYearMonth"
    pattern = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    return dt.datetime.strptime(text, pattern).date().isoformat(), "date"


def sheet_records(path: Path = SHEET) -> list[list[str]]:
    text = path.read_bytes().decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def sheet_rows(path: Path = SHEET) -> list[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, the row by header) for the sheet's data rows."""
    header, *records = sheet_records(path)
    return [(number, dict(zip(header, record, strict=True))) for number, record in
            enumerate(records, 2)]  # fmt: skip


def claims_by_row(store_path: Path, graph: str) -> dict[str, dict[str, object]]:
    """Every claim of an imported graph, by its locator, as stored (nothing inferred)."""
    store = Store.open(store_path)
    try:
        rows = solutions(
            store.query(
                "SELECT ?t ?loc ?type ?status ?conf ?start ?end ?quote ?cit ?a ?b ?la ?lb ?ta ?tb"
                " WHERE { ?t hilos:locator ?loc ; a ?type ; hilos:status ?status ;"
                " hilos:from ?a ; hilos:to ?b . ?a rdfs:label ?la . ?b rdfs:label ?lb ."
                " OPTIONAL { ?a a ?ta } OPTIONAL { ?b a ?tb }"
                " OPTIONAL { ?t hilos:confidence ?conf } OPTIONAL { ?t hilos:start ?start }"
                " OPTIONAL { ?t hilos:end ?end } OPTIONAL { ?t hilos:quote ?quote }"
                " OPTIONAL { ?t prov:wasDerivedFrom ?s . ?s hilos:citation ?cit"
                "  FILTER NOT EXISTS { ?s dcterms:identifier ?id } } }",
                graphs=[graph],
                inferred=False,
            )
        )
        claims: dict[str, dict[str, object]] = {}
        for row in rows:

            def value(name: str) -> str | None:
                term = row[name]  # noqa: B023 - used at once
                return None if term is None else term.value

            def dated(name: str) -> tuple[str, str] | None:
                term = row[name]  # noqa: B023 - used at once
                if term is None:
                    return None
                return term.value, term.datatype.value.rsplit("#", 1)[1]

            claim = claims.setdefault(
                str(value("loc")),
                {
                    "claim": value("t"), "status": value("status"), "confidence": value("conf"),
                    "start": dated("start"), "end": dated("end"), "quote": value("quote"),
                    "citation": value("cit"), "from": value("la"), "to": value("lb"),
                    "types": set(), "from_types": set(), "to_types": set(),
                },
            )  # fmt: skip
            assert claim["claim"] == value("t"), "two claims with one locator"
            for key, name in (("types", "type"), ("from_types", "ta"), ("to_types", "tb")):
                found = value(name)
                if found:
                    claim[key].add(found)  # type: ignore[attr-defined]
        return claims
    finally:
        store.close()


def store_state(store_path: Path) -> tuple[list[str], int]:
    store = Store.open(store_path)
    try:
        rows = solutions(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return sorted(g.name for g in store.graphs()), int(next(iter(rows))["n"].value)
    finally:
        store.close()


def write_sheet(path: Path, records: list[list[str]], *, delimiter: str = ";",
                encoding: str = "cp1252") -> Path:  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(records)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# ------------------------------------------------------------------ the acceptance test


def test_a_sheet_saved_from_excel_in_mexico_imports_on_the_first_try(
    hilos: Hilos, ontology: rdflib.Graph
) -> None:
    rows = sheet_rows()
    result = hilos("import", "csv", str(SHEET))
    assert result.exit_code == 0, result.stderr
    # the file is cp1252, and the import says it read it so, on stderr
    with pytest.raises(UnicodeDecodeError):
        SHEET.read_bytes().decode("utf-8")
    assert "read as cp1252" in result.stderr
    # the mapping it used, every column read by its header's name (a guess, and said to be)
    read = {
        "De": "from", "Relación": "relation", "A": "to", "Estatus": "status",
        "Confianza": "confidence", "Fecha": "start", "Fuente": "citation",
        "Cita textual": "quote", "Tipo de": "from_type", "Tipo a": "to_type",
    }  # fmt: skip
    assert set(read) == set(sheet_records()[0])
    for column, fld in read.items():
        line = rf"^{fld}\s+{re.escape(column)}\s+guessed"
        assert re.search(line, result.stdout, re.MULTILINE), (fld, result.stdout)
    # dates such as 05/03/2022 read day first, as the file's 15/03/2022 shows, and said
    ambiguous = [
        (n, r["Fecha"]) for n, r in rows
        if re.fullmatch(r"\d\d/\d\d/\d{4}", r["Fecha"])
        and int(r["Fecha"][:2]) <= 12 and r["Fecha"][:2] != r["Fecha"][3:5]
    ]  # fmt: skip
    telling = [r["Fecha"] for _, r in rows if re.fullmatch(r"(1[3-9]|2\d|3[01])/\d\d/\d{4}",
                                                            r["Fecha"])]  # fmt: skip
    assert ambiguous and telling
    dates = next(line for line in result.stdout.splitlines() if line.startswith("Dates:"))
    assert "day first" in dates and repr(ambiguous[0][1]) in dates and f"row {ambiguous[0][0]}"
    # one claim per row, each with its own row's status, confidence, date, quote and citation
    claims = claims_by_row(hilos.store, SHEET.stem)
    assert len(claims) == len(rows)
    for number, row in rows:
        claim = claims[f"row {number}"]
        assert claim["status"] == expected_status(ontology, row["Estatus"]), number
        assert claim["confidence"] == expected_confidence(row["Confianza"]), number
        assert claim["start"] == expected_date(row["Fecha"]), number
        assert claim["quote"] == row["Cita textual"], number
        assert claim["citation"] == row["Fuente"], number
        assert claim["from"] == row["De"] and claim["to"] == row["A"], number
        assert claim["types"] == {term_named(ontology, row["Relación"], "Tie")}, number
        assert term_named(ontology, row["Tipo de"], "Actor") in claim["from_types"], number  # type: ignore[operator]
        assert term_named(ontology, row["Tipo a"], "Actor") in claim["to_types"], number  # type: ignore[operator]


def test_the_same_sheet_with_four_bad_rows_fails_once_naming_them_all(
    hilos: Hilos, tmp_path: Path
) -> None:
    header, *records = sheet_records()
    bad = {
        7: ("Estatus", "probable", "is not a status"),
        9: ("Confianza", "muy alta", "is not a confidence"),
        12: ("Fecha", "31/02/2022", "is not a date"),
        15: ("Tipo de", "alcade", "is not a type"),  # a slip for "alcalde"
    }
    for number, (column, value, _) in bad.items():
        records[number - 2][header.index(column)] = value
    path = write_sheet(tmp_path / "hallazgos-con-errores.csv", [header, *records])
    before = store_state(hilos.store)
    result = hilos("import", "csv", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    error = lines[0]
    assert f"{len(bad)} bad rows" in error and "nothing loaded" in error
    for number, (column, value, expected) in bad.items():
        assert f"row {number}, column {column}: {value!r} {expected}" in error, error
    assert "closest: mayor (presidente municipal)" in error  # what 'alcade' was meant to be
    assert "cp1252" in error  # how the file was read, said where the values are shown
    assert store_state(hilos.store) == before


# ------------------------------------------------------------------ 1. the ends are from and to


def test_a_column_named_source_is_the_citation(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "from,to,relation,Source\nMayor X (fictional),Group Y (fictional),protection,"
        "Interview 1 (2024)\n",
        encoding="utf-8",
    )
    result = hilos("import", "csv", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    mapping = {m["field"]: m["column"] for m in json.loads(result.stdout)["mapping"]}
    assert mapping["citation"] == "Source"
    claim = claims_by_row(hilos.store, "mine")["row 2"]
    assert (claim["from"], claim["citation"]) == ("Mayor X (fictional)", "Interview 1 (2024)")


@pytest.mark.parametrize("header", [("source", "target"), ("Source", "Target")])
def test_a_gephi_edge_list_fails_in_one_line_giving_the_map(
    hilos: Hilos, tmp_path: Path, header: tuple[str, str]
) -> None:
    path = tmp_path / "edges.csv"
    path.write_text(f"{header[0]},{header[1]},weight\n1,2,52\n2,3,1\n", encoding="utf-8")
    message = assert_bad(hilos, "import", "csv", str(path))
    assert f"--map from={header[0]} --map to={header[1]}" in message
    result = hilos(
        "import", "csv", str(path), "--map", f"from={header[0]}", "--map", f"to={header[1]}",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ties"] == 2
    # the old names of the fields still map, as aliases: they are explicit
    again = hilos(
        "import", "csv", str(path), "--graph", "again", "--map", f"source={header[0]}",
        "--map", f"target={header[1]}", "--format", "json",
    )  # fmt: skip
    assert again.exit_code == 0, again.stderr
    mapping = {m["field"]: m["column"] for m in json.loads(again.stdout)["mapping"]}
    assert (mapping["from"], mapping["to"]) == header


def test_spheres_in_spanish_and_a_locator(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "esferas.csv"
    write_sheet(path, [
        ["de", "a", "tipo", "esfera de", "esfera a", "página"],
        ["Regidor K (ficticio)", "Banda L (ficticia)", "colusión", "estatal", "crimen", "p. 12"],
        ["Banda L (ficticia)", "Colectivo M (ficticio)", "ataque", "criminal", "comunitaria", ""],
    ], delimiter=",", encoding="utf-8")  # fmt: skip
    result = hilos("import", "csv", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    store = Store.open(hilos.store)
    try:
        spheres = {
            row["l"].value: row["s"].value.removeprefix(HILOS_NS)
            for row in solutions(
                store.query(
                    "SELECT ?l ?s WHERE { ?e rdfs:label ?l ; hilos:sphere ?s }",
                    graphs=["esferas"],
                    inferred=False,
                )
            )
        }
    finally:
        store.close()
    assert spheres == {
        "Regidor K (ficticio)": "StateSphere",
        "Banda L (ficticia)": "CriminalSphere",
        "Colectivo M (ficticio)": "CommunitySphere",
    }
    # spheres stated, no type: not plain actors without a sphere
    assert json.loads(result.stdout)["untyped_actors"] == 0
    claims = claims_by_row(hilos.store, "esferas")
    assert {c["claim"] for c in claims.values()} and set(claims) == {"row 2; p. 12", "row 3"}
    # an actor has one sphere: two rows that disagree are a bad row, named
    path.write_text("de,a,esfera de\nA (ficticio),B (ficticio),estatal\n"
                    "A (ficticio),C (ficticio),crimen\n", encoding="utf-8")  # fmt: skip
    message = assert_bad(hilos, "import", "csv", str(path), "--graph", "two")
    assert "row 3, column esfera de: 'criminal'" in message and "row 2" in message
    path.write_text("de,a,esfera de\nA,B,galáctica\n", encoding="utf-8")
    message = assert_bad(hilos, "import", "csv", str(path), "--graph", "three")
    assert "row 2, column esfera de: 'galáctica' is not a sphere" in message


# ------------------------------------------------------------------ 2. the mapping is said


def test_the_mapping_is_said_with_its_guesses(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "said.csv"
    path.write_text(
        "Quién,to,relation,Fecha,Notas\nMayor X (fictional),Group Y (fictional),bribery,2021,"
        "checked\n",
        encoding="utf-8",
    )
    result = hilos("import", "csv", str(path), "--map", "from=Quién", "--dry-run",
                   "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    said = [{k: m[k] for k in ("field", "column", "guessed")} for m in summary["mapping"]]
    assert said == [
        {"field": "from", "column": "Quién", "guessed": False},
        {"field": "to", "column": "to", "guessed": True},
        {"field": "relation", "column": "relation", "guessed": True},
        {"field": "start", "column": "Fecha", "guessed": True},
    ]
    assert summary["ignored_columns"] == ["Notas"]
    table = hilos("import", "csv", str(path), "--map", "from=Quién", "--dry-run")
    assert re.search(r"^from\s+Quién\s+--map$", table.stdout, re.MULTILINE), table.stdout
    assert re.search(r"^start\s+Fecha\s+guessed", table.stdout, re.MULTILINE)
    assert "Notas" in table.stdout
    # without a header, the columns are guessed by their place, and said so
    bare = tmp_path / "bare.csv"
    bare.write_text("A,B,2\nB,C,1\n", encoding="utf-8")
    result = hilos("import", "csv", str(bare), "--no-header", "--dry-run", "--format", "json")
    assert [(m["field"], m["column"], m["by"]) for m in json.loads(result.stdout)["mapping"]] == [
        ("from", "column 1", "position"), ("to", "column 2", "position"),
        ("weight", "column 3", "position"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("columns", "fld"),
    [
        (("date", "fecha"), "start"),
        (("status", "estado"), "status"),
        (("Fuente", "cita"), "citation"),
    ],
)
def test_two_columns_for_one_field_are_never_guessed_between(
    hilos: Hilos, tmp_path: Path, columns: tuple[str, str], fld: str
) -> None:
    path = tmp_path / "two.csv"
    cells = {"start": "2021,2022", "status": "alleged,presunto", "citation": "Note 1,Note 2"}
    path.write_text(f"from,to,{columns[0]},{columns[1]}\nA,B,{cells[fld]}\n", encoding="utf-8")
    message = assert_bad(hilos, "import", "csv", str(path))
    assert f"'{columns[0]}' and '{columns[1]}'" in message
    assert f"--map {fld}={columns[0]}" in message
    # and --map decides: the other column is then listed as not used
    result = hilos("import", "csv", str(path), "--map", f"{fld}={columns[1]}", "--dry-run",
                   "--format", "json")  # fmt: skip
    unused = json.loads(result.stdout)["unused_columns"]
    assert [(u["column"], u["field"]) for u in unused] == [(columns[0], fld)]


def test_a_recognised_column_is_never_ignored_in_silence(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "quiet.csv"
    path.write_text("from,to,Inicio,date,relation,target\nA,B,2020,2021,alliance,C\n",
                    encoding="utf-8")  # fmt: skip
    result = hilos("import", "csv", str(path), "--map", "start=Inicio", "--relation", "rivalry",
                   "--dry-run")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    said = {line.split(" not used")[0].removeprefix("Column "): line
            for line in result.stdout.splitlines() if " not used" in line}  # fmt: skip
    assert set(said) == {"date", "relation", "target"}
    assert "Inicio" in said["date"] and "--relation" in said["relation"]
    assert "--map to=target" in said["target"]


# ------------------------------------------------------------------ 3. values in English or Spanish


STATUS_CELLS = [
    "confirmed", "confirmado", "reported", "reportado", "informado", "alleged", "presunto",
    "presunta", "alegado", "supuesto", "disputed", "controvertido", "en disputa", "cuestionable",
    "refuted", "desmentido", "refutado", "PRESUNTO", "Confirmado ",
]  # fmt: skip


def test_statuses_in_english_and_spanish(
    hilos: Hilos, tmp_path: Path, ontology: rdflib.Graph
) -> None:
    path = write_sheet(tmp_path / "estatus.csv", [["de", "a", "estatus"]] + [
        [f"Persona {i} (ficticia)", "Grupo (ficticio)", cell] for i, cell in enumerate(STATUS_CELLS)
    ], delimiter=",", encoding="utf-8")  # fmt: skip
    assert hilos("import", "csv", str(path)).exit_code == 0
    claims = claims_by_row(hilos.store, "estatus")
    for number, cell in enumerate(STATUS_CELLS, 2):
        assert claims[f"row {number}"]["status"] == expected_status(ontology, cell), cell


RELATION_CELLS = ["colusión", "soborno", "protección", "alianza", "pertenencia", "mando"]


@pytest.mark.parametrize("relation", [*RELATION_CELLS, "Collusion", "rivalidad"])
def test_relations_by_english_or_spanish_names(
    hilos: Hilos, tmp_path: Path, ontology: rdflib.Graph, relation: str
) -> None:
    path = tmp_path / "rel.csv"
    path.write_text(f"de,a,relación\nA (ficticio),B (ficticio),{relation}\n", encoding="utf-8")
    assert hilos("import", "csv", str(path)).exit_code == 0
    claim = claims_by_row(hilos.store, "rel")["row 2"]
    assert claim["types"] == {term_named(ontology, relation, "Tie")}


@pytest.mark.parametrize("cell", ["alcalde", "Policía Municipal", "policia municipal", "cártel",
                                  "gobernador", "Mayor", "pandilla"])  # fmt: skip
def test_types_by_english_or_spanish_names(
    hilos: Hilos, tmp_path: Path, ontology: rdflib.Graph, cell: str
) -> None:
    path = tmp_path / "tipos.csv"
    path.write_text(f"de,a,tipo de\nA (ficticio),B (ficticio),{cell}\n", encoding="utf-8")
    assert hilos("import", "csv", str(path)).exit_code == 0
    claim = claims_by_row(hilos.store, "tipos")["row 2"]
    assert term_named(ontology, cell, "Actor") in claim["from_types"]  # type: ignore[operator]


@pytest.mark.parametrize("cell", ["alcade", "policia municipall", "xyz"])
def test_an_unknown_type_names_the_closest(hilos: Hilos, tmp_path: Path, cell: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"de,a,tipo a\nA,B,{cell}\n", encoding="utf-8")
    message = assert_bad(hilos, "import", "csv", str(path))
    assert f"row 2, column tipo a: {cell!r} is not a type; " in message
    assert "closest: " in message or "none is close" in message
    assert "hilos types" in message


CONFIDENCE_CELLS = ["0.8", "80%", "80 %", "alta", "high", "media", "medium", "baja", "low", "1",
                    "0", "0,25"]  # fmt: skip


def test_confidences_as_numbers_percentages_and_words(hilos: Hilos, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "conf.csv", [["from", "to", "confidence"]] + [
        [f"P{i}", "G", cell] for i, cell in enumerate(CONFIDENCE_CELLS)
    ], delimiter=";", encoding="utf-8")  # fmt: skip
    result = hilos("import", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    claims = claims_by_row(hilos.store, "conf")
    for number, cell in enumerate(CONFIDENCE_CELLS, 2):
        expected = expected_confidence(cell.replace(",", "."))
        assert Decimal(str(claims[f"row {number}"]["confidence"])) == Decimal(str(expected)), cell
    # the docs say what the words mean
    readme = (REPO / "docs" / "import.md").read_text(encoding="utf-8")
    spreadsheets = readme[readme.index("**Spreadsheets.**") :].split("\n\n", 1)[0]
    for word, number in CONFIDENCE_WORDS.items():
        assert re.search(rf"`{word}`[^()]*\({number}\)", spreadsheets), word


DATE_CELLS = {
    "2022-03-15": ("2022-03-15", "date"),
    "15/03/2022": ("2022-03-15", "date"),
    "2022-03": ("2022-03", "gYearMonth"),
    "03/2022": ("2022-03", "gYearMonth"),
    "marzo de 2022": ("2022-03", "gYearMonth"),
    "March 2022": ("2022-03", "gYearMonth"),
    "2022": ("2022", "gYear"),
}


def test_dates_as_precise_as_given(hilos: Hilos, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "fechas.csv", [["from", "to", "fecha"]] + [
        [f"P{i}", "G", cell] for i, cell in enumerate(DATE_CELLS)
    ], delimiter=",", encoding="utf-8")  # fmt: skip
    result = hilos("import", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    claims = claims_by_row(hilos.store, "fechas")
    for number, (cell, expected) in enumerate(DATE_CELLS.items(), 2):
        assert claims[f"row {number}"]["start"] == expected, cell


def test_a_month_first_sheet(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "us.csv"
    path.write_text("from,to,date\nA,B,03/15/2022\nB,C,05/03/2022\n", encoding="utf-8")
    # a month-first date in the file does not decide: 05/03/2022 is refused, naming its row
    message = assert_bad(hilos, "import", "csv", str(path))
    assert "row 3, column date: '05/03/2022'" in message
    assert "--dayfirst" in message and "--monthfirst" in message
    result = hilos("import", "csv", str(path), "--monthfirst")
    assert result.exit_code == 0, result.stderr
    claims = claims_by_row(hilos.store, "us")
    assert claims["row 3"]["start"] == expected_date("05/03/2022", dayfirst=False)
    assert claims["row 2"]["start"] == expected_date("03/15/2022", dayfirst=False)
    # --dayfirst: a date that cannot be read day first is a bad row
    message = assert_bad(hilos, "import", "csv", str(path), "--dayfirst", "--graph", "x")
    assert "row 2, column date: '03/15/2022'" in message


def test_an_ambiguous_date_with_no_telling_date_is_refused(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "amb.csv"
    path.write_text("from,to,start\nA,B,05/03/2022\n", encoding="utf-8")
    message = assert_bad(hilos, "import", "csv", str(path))
    assert "row 2, column start: '05/03/2022'" in message and "--dayfirst" in message
    result = hilos("import", "csv", str(path), "--dayfirst")
    assert result.exit_code == 0, result.stderr
    assert "Dates:" not in result.stdout  # read as told, nothing to announce
    assert claims_by_row(hilos.store, "amb")["row 2"]["start"] == expected_date("05/03/2022")


# ------------------------------------------------------------------ 4. encodings


NAMES = [["de", "a"], ["Policía de Ñ", "Cártel del Río"]]


def test_utf8_with_or_without_bom_is_read_as_is(hilos: Hilos, tmp_path: Path) -> None:
    for name, encoding in (("bom", "utf-8-sig"), ("plain", "utf-8")):
        path = write_sheet(tmp_path / f"{name}.csv", NAMES, delimiter=",", encoding=encoding)
        result = hilos("import", "csv", str(path), "--link", "none")
        assert result.exit_code == 0, result.stderr
        assert "cp1252" not in result.stderr
        claim = claims_by_row(hilos.store, name)["row 2"]
        assert (claim["from"], claim["to"]) == ("Policía de Ñ", "Cártel del Río")


def test_encoding_forced_and_unknown(hilos: Hilos, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "latin.csv", NAMES, delimiter=",", encoding="latin-1")
    result = hilos("import", "csv", str(path), "--encoding", "latin-1")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == ""  # forced: no notice
    claim = claims_by_row(hilos.store, "latin")["row 2"]
    assert (claim["from"], claim["to"]) == ("Policía de Ñ", "Cártel del Río")
    message = assert_bad(hilos, "import", "csv", str(path), "--encoding", "klingon",
                         "--graph", "k")  # fmt: skip
    assert "unknown encoding 'klingon'" in message


def test_utf16_from_excel_unicode_text(hilos: Hilos, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "unicode.txt", NAMES, delimiter="\t", encoding="utf-16")
    result = hilos("import", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    claim = claims_by_row(hilos.store, "unicode")["row 2"]
    assert (claim["from"], claim["to"]) == ("Policía de Ñ", "Cártel del Río")


# ------------------------------------------------------------------ 5. every bad row in one run


def test_bad_rows_are_listed_up_to_a_cap(hilos: Hilos, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    bad = 60
    path.write_text("from,to,status\n" + "".join(f"A{i},B,probable\n" for i in range(bad)),
                    encoding="utf-8")  # fmt: skip
    message = assert_bad(hilos, "import", "csv", str(path))
    listed = re.findall(r"row (\d+), column status: 'probable' is not a status", message)
    assert listed == [str(n) for n in range(2, 2 + len(listed))]
    assert f"{bad} bad rows" in message
    assert f"and {bad - len(listed)} more" in message
    assert 10 < len(listed) < bad


def test_an_unknown_relation_is_a_generic_tie_with_the_closest_named(
    hilos: Hilos, tmp_path: Path
) -> None:
    path = tmp_path / "gen.csv"
    path.write_text("de,a,relación\nA,B,sobornos\nB,C,met with\n", encoding="utf-8")
    result = hilos("import", "csv", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    generic = {g["relation"]: g for g in json.loads(result.stdout)["generic_relations"]}
    assert set(generic) == {"sobornos", "met with"}
    assert generic["sobornos"]["closest"][0].startswith("bribery")
    table = hilos("import", "csv", str(path), "--graph", "gen2")
    assert "'sobornos' is no tie type" in table.stdout


# ------------------------------------------------------------------ 6. --dry-run


def test_dry_run_shows_five_claims_as_they_will_read(hilos: Hilos, ontology: rdflib.Graph) -> None:
    before = store_state(hilos.store)
    result = hilos("import", "csv", str(SHEET), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert store_state(hilos.store) == before
    after = result.stdout.split("The first claims, as they will read:\n", 1)[1]
    # one claim a paragraph: its first line indented by two spaces, the lines it wraps onto
    # (to fit the terminal) by four
    shown = [" ".join(claim.split()) for claim in re.split(r"\n(?=  \S)", after.rstrip("\n"))]
    rows = sheet_rows()[:5]
    assert len(shown) == len(rows)
    for line, (number, row) in zip(shown, rows, strict=True):
        relation = ontology.value(rdflib.URIRef(term_named(ontology, row["Relación"], "Tie")),
                                  rdflib.RDFS.label, any=True)  # fmt: skip
        labels = [
            str(label)
            for label in ontology.objects(
                rdflib.URIRef(expected_status(ontology, row["Estatus"])), rdflib.RDFS.label
            )
            if label.language == "en"
        ]
        start = expected_date(row["Fecha"])
        assert line.strip().startswith(f"{row['De']} → {relation} → {row['A']} — {labels[0]}")
        assert f"confidence {expected_confidence(row['Confianza'])}" in line
        assert start is not None and f"[{start[0]} – …]" in line
        assert f"“{row['Cita textual']}”" in line
        assert line.endswith(f"source: {row['Fuente']}, row {number}")


def test_a_sphere_given_to_an_entity_of_the_store_is_said_not_written(
    hilos: Hilos, tmp_path: Path
) -> None:
    spheres = "SELECT ?s WHERE { hid:zetas hilos:sphere ?s }"
    held = {row[0] for row in select(hilos.store, spheres)}
    assert held and HILOS_NS + "StateSphere" not in held
    path = tmp_path / "zetas.csv"
    path.write_text("de,a,esfera de\nZetas,Alcalde J (ficticio),estatal\n", encoding="utf-8")
    result = hilos("import", "csv", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (note,) = json.loads(result.stdout)["sphere_notes"]
    assert "'Zetas'" in note and "state" in note
    assert {row[0] for row in select(hilos.store, spheres)} == held


# ------------------------------------------------------------------ appending files to a graph

FIRST = (
    "from,relation,to,citation\n"
    "Alcalde X (ficticio),protection,Grupo Z (ficticio),Entrevista 1\n"
    "Policía Y (ficticia),collusion,Grupo Z (ficticio),Nota 2\n"
)
SECOND = (
    "De,Relación,A,Fuente\n"
    "Grupo Z (ficticio),soborno,Regidora Q (ficticia),Entrevista 3\n"
    "Alcalde X (ficticio),mando,Policía Y (ficticia),Acta 4\n"
)


def claims_of(store_path: Path, graph: str) -> set[tuple[str, str, str]]:
    """(from label, to label, citation) of every claim of a graph, read by a query of the
    test's own."""
    rows = select(
        store_path,
        "SELECT ?a ?b ?c WHERE { ?t hilos:from ?f ; hilos:to ?g ; prov:wasDerivedFrom ?s . "
        "?s hilos:citation ?c . ?f rdfs:label ?a . ?g rdfs:label ?b . "
        "FILTER NOT EXISTS { ?s dcterms:identifier ?id } }",
        graph,
    )
    return {(a, b, c) for a, b, c in rows}


def rows_of(text: str) -> set[tuple[str, str, str]]:
    """(from, to, citation) of every row of a sheet, read with the csv module."""
    records = list(csv.reader(io.StringIO(text)))[1:]
    return {(r[0], r[2], r[3]) for r in records}


def content(store_path: Path, graph: str) -> set[tuple[str, str, str]]:
    """The statements of a graph, but for its journal."""
    rows = select(
        store_path,
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <https://w3id.org/hilos/graph/{graph}> {{ ?s ?p ?o "
        "FILTER NOT EXISTS { ?s a hilos:Change } } }",
    )
    return {(s, p, o) for s, p, o in rows}


@pytest.fixture
def sheets(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "marzo.csv", tmp_path / "abril.csv"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    return first, second


def test_append_adds_a_file_to_a_graph_as_an_origin_of_its_own(
    hilos: Hilos, sheets: tuple[Path, Path]
) -> None:
    first, second = sheets
    assert hilos("import", "csv", str(first), "--graph", "inv").exit_code == 0
    refused = hilos("import", "csv", str(second), "--graph", "inv")
    assert refused.exit_code == 2 and "--append" in refused.stderr
    dry = hilos("import", "csv", str(second), "--graph", "inv", "--append", "--dry-run")
    assert dry.exit_code == 0 and "would add to graph inv" in " ".join(dry.stdout.split())
    added = hilos("import", "csv", str(second), "--graph", "inv", "--append", "--format", "json")
    assert added.exit_code == 0, added.stderr
    summary = json.loads(added.stdout)
    assert summary["appended"] and summary["change"] == 2
    # the names of the second file met the entities of the first, and said so
    assert {m["name"] for m in summary["merged"]} == {
        "Grupo Z (ficticio)", "Alcalde X (ficticio)", "Policía Y (ficticia)",
    }  # fmt: skip
    assert claims_of(hilos.store, "inv") == rows_of(FIRST) | rows_of(SECOND)
    listed = json.loads(hilos("graphs", "--format", "json").stdout)
    source = next(g["source"] for g in listed if g["name"] == "inv")
    assert "marzo.csv" in source and "abril.csv" in source
    again = hilos("import", "csv", str(second), "--graph", "inv", "--append")
    assert again.exit_code == 2 and "holds this file already" in again.stderr
    both = hilos("import", "csv", str(second), "--graph", "inv", "--append", "--replace")
    assert both.exit_code == 2 and "not both" in both.stderr


def test_undo_takes_the_last_file_out_and_then_the_first(
    hilos: Hilos, sheets: tuple[Path, Path]
) -> None:
    first, second = sheets
    assert hilos("import", "csv", str(first), "--graph", "inv").exit_code == 0
    before = content(hilos.store, "inv")
    assert hilos("import", "csv", str(second), "--graph", "inv", "--append").exit_code == 0
    undone = hilos("undo", "--graph", "inv")
    assert undone.exit_code == 0 and "abril.csv" in undone.stdout
    assert content(hilos.store, "inv") == before
    assert hilos("undo", "--graph", "inv").exit_code == 0
    assert content(hilos.store, "inv") == set()  # but the journal, which says what was done


def test_drop_one_file_keeps_what_the_others_still_name(
    hilos: Hilos, sheets: tuple[Path, Path]
) -> None:
    first, second = sheets
    assert hilos("import", "csv", str(first), "--graph", "inv").exit_code == 0
    assert hilos("import", "csv", str(second), "--graph", "inv", "--append").exit_code == 0
    own = hilos("claim", "add", "Regidora Q (ficticia)", "colusión", "Alcalde X (ficticio)",
                "--graph", "inv", "--source", "Nota 5")  # fmt: skip
    assert own.exit_code == 0, own.stderr
    dropped = hilos("drop", "inv", "--file", "marzo.csv")
    assert dropped.exit_code == 0, dropped.stderr
    # the first file's claims are gone; the second file's and my own stay, their ends named
    mine = {("Regidora Q (ficticia)", "Alcalde X (ficticio)", "Nota 5")}
    assert claims_of(hilos.store, "inv") == rows_of(SECOND) | mine
    # and the output says which entities of the first file were kept, and why
    for name in ("Alcalde X (ficticio)", "Grupo Z (ficticio)", "Policía Y (ficticia)"):
        assert name in dropped.stdout
    # by content: the first file, renamed, is known by what it holds, and it is gone already
    renamed = first.with_name("copia.csv")
    renamed.write_bytes(first.read_bytes())
    gone = hilos("drop", "inv", "--file", str(renamed))
    assert gone.exit_code == 1 and "holds no file copia.csv" in gone.stderr
    # undoing the rest leaves nothing behind, not even what the first file left
    for _ in range(2):
        assert hilos("undo", "--graph", "inv").exit_code == 0
    assert content(hilos.store, "inv") == set()
    nothing = hilos("undo", "--graph", "inv")
    assert nothing.exit_code == 1 and "nothing to undo" in nothing.stderr


def test_drop_a_file_by_its_content(hilos: Hilos, sheets: tuple[Path, Path]) -> None:
    first, second = sheets
    assert hilos("import", "csv", str(first), "--graph", "inv").exit_code == 0
    assert hilos("import", "csv", str(second), "--graph", "inv", "--append").exit_code == 0
    assert hilos("drop", "inv", "--file", str(second)).exit_code == 0
    assert claims_of(hilos.store, "inv") == rows_of(FIRST)
    unknown = hilos("drop", "inv", "--file", "otro.csv")
    assert unknown.exit_code == 1 and "marzo.csv (change 1)" in unknown.stderr


def test_append_to_a_graph_of_the_report_is_refused(
    hilos: Hilos, sheets: tuple[Path, Path]
) -> None:
    refused = hilos("import", "csv", str(sheets[0]), "--graph", "report/iguala", "--append")
    assert refused.exit_code == 2 and "ships with hilos" in refused.stderr
    assert hilos("drop", "report/iguala", "--file", "x.csv").exit_code == 2


# ------------------------------------------------------------------ in the reader's language


def _before(template: str, placeholder: str, **values: object) -> str:
    """The Spanish of `template` (from the catalogue) up to `placeholder`, filled in."""
    from hilos.i18n import tr

    spanish = tr(template, "es")
    assert spanish != template, template  # the catalogue has it
    return spanish.split(placeholder)[0].format(**values)


def test_the_sheet_from_excel_is_told_in_spanish(hilos: Hilos, tmp_path: Path) -> None:
    """The encoding notice, the date note and the bad rows' frame in Spanish with --lang es;
    the JSON summary keeps the English the English output shows."""
    from hilos.i18n import tr

    english = hilos("import", "csv", str(SHEET), "--dry-run")
    result = hilos("--lang", "es", "import", "csv", str(SHEET), "--dry-run")
    assert english.exit_code == result.exit_code == 0, result.stderr
    notice = "{file}: not UTF-8, read as {encoding} (Windows, Latin-1): {words} — if these read "
    notice += "wrong, give the file's --encoding"
    assert f"{SHEET.name}: not UTF-8, read as cp1252" in english.stderr
    said = _before(notice, "{words}", file=SHEET.name, encoding="cp1252")
    told = " ".join(result.stderr.split())  # wrapped to the terminal
    assert said.strip() in told and "read as" not in told, told
    note = (
        "dates such as {value!r} ({row}) were read day first, as {reading}: every date of the "
        "file that tells day from month is day first (such as {example!r}, row {number}); "
        "--monthfirst reads them the other way"
    )
    flat = " ".join(result.stdout.split())  # wrapped to the terminal
    start = flat.index(_before(note, "{value!r}"))
    end = flat.index("--monthfirst", start) + len("--monthfirst")
    dates = flat[start : end + len(tr(note, "es").split("--monthfirst")[1])]
    assert not {"dates", "were", "read", "day", "first", "every", "row"} & set(
        re.findall(r"[a-z]+", dates.lower())
    ), dates
    assert "--monthfirst" in dates
    # the summary as JSON: English, as before
    data = json.loads(hilos("--lang", "es", "import", "csv", str(SHEET), "--dry-run",
                            "--format", "json").stdout)  # fmt: skip
    assert data["notices"][0].startswith(f"{SHEET.name}: not UTF-8, read as cp1252")
    assert data["dates"]["note"].startswith("dates such as ")
    # bad rows: the frame, the rows and columns and how the file was read, in Spanish
    header, *records = sheet_records()
    records[5][header.index("Estatus")] = "probable"
    path = write_sheet(tmp_path / "hallazgos-con-error.csv", [header, *records])
    error = hilos("--lang", "es", "import", "csv", str(path)).stderr
    frame = "{file}: 1 bad row, nothing loaded — {problems} ({parameter} loads the others)"
    frame += "{guessed}{note}"
    assert _before(frame, "{problems}", file=path.name) in error, error
    assert _before("row {number}, column {column}: {problem}", "{problem}", number=7,
                   column="Estatus") in error  # fmt: skip
    assert (
        _before(" (the file was read as {encoding}: not UTF-8)", "{x}", encoding="cp1252") in error
    )
    assert "nothing loaded" not in error and "row 7" not in error
    # the cell's own problem too, not only its frame
    status_problem = "{text!r} is not a status (one of: {choices})"
    assert _before(status_problem, "{choices}", text="probable") in error, error
    assert "is not a status" not in error


def test_merge_reasons_are_said_in_spanish(hilos: Hilos, tmp_path: Path) -> None:
    from hilos.i18n import tr

    path = tmp_path / "uno.csv"
    path.write_text(
        "from,relation,to,citation\nJosé Luis Abarca,protección,Grupo Nuevo (ficticio),Nota 1\n",
        encoding="utf-8",
    )
    english = hilos("import", "csv", str(path), "--dry-run")
    spanish = hilos("--lang", "es", "import", "csv", str(path), "--dry-run")
    assert english.exit_code == spanish.exit_code == 0, spanish.stderr
    assert "same name or alias" in english.stdout
    assert tr("same name or alias", "es") in spanish.stdout
    assert "same name or alias" not in spanish.stdout
