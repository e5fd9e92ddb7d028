"""Every command of the command line, through click's runner, on a copy of a ready store.

Expected values come from the files the store was built from (graph/*.ttl, ontology/hilos.ttl,
queries/*.rq, tests/data/*), read here with rdflib or plain Python, never from hilos itself.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import warnings
from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from hilos.cli.app import cli

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data"
GRAPH_FILES = sorted((REPO / "graph").glob("*.ttl"))
ONTOLOGY_FILE = REPO / "ontology" / "hilos.ttl"
QUERY_FILES = sorted((REPO / "queries").glob("*.rq"))
FINDINGS = DATA / "findings.ttl"
INVALID_TIES = DATA / "invalid-ties.ttl"

HILOS = Namespace("https://w3id.org/hilos/ontology#")
HID = Namespace("https://w3id.org/hilos/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
GRAPH_BASE = "https://w3id.org/hilos/graph/"

# The tie and the two actors of tests/data/findings.ttl.
NEW_POLICE = HID["test-policia-tlacotepec"]
NEW_GANG = HID["test-halcones-del-rio"]
NEW_TIE = HID["test-tie-tlacotepec-police-colludes-with-halcones"]

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

# ------------------------------------------------------------------------------------ helpers


@cache
def parsed(path: Path) -> Graph:
    """A file parsed by rdflib (cached: do not change the graph)."""
    return Graph().parse(path, format="turtle")


@cache
def curated() -> Graph:
    """The curated graph: every graph/*.ttl file, merged."""
    graph = Graph()
    for path in GRAPH_FILES:
        graph += parsed(path)
    return graph


@cache
def world() -> Graph:
    """The ontology and the curated graph, for questions that need the class hierarchy."""
    graph = Graph()
    graph += parsed(ONTOLOGY_FILE)
    graph += curated()
    return graph


def flat(text: str) -> str:
    """Text with its line wrapping undone (also after a hyphen, where a wrap may break)."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def label(graph: Graph, node: URIRef, lang: str = "en") -> str:
    for value in graph.objects(node, RDFS.label):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    raise AssertionError(f"{node} has no @{lang} label")


def local_name(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def ties_of(graph: Graph, entity: URIRef) -> set[URIRef]:
    ties = set(graph.subjects(HILOS["from"], entity)) | set(graph.subjects(HILOS.to, entity))
    return {tie for tie in ties if isinstance(tie, URIRef)}


def title_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#\s*title:\s*(.*)$", line)
        if match:
            return match.group(1).strip()
    raise AssertionError(f"{path} has no title line")


def declared_params(path: Path) -> list[str]:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#\s*param:\s*\??([A-Za-z_]\w*)", line)
        if match:
            names.append(match.group(1))
    return names


def instances_of(cls: URIRef) -> set[str]:
    """Instances of a class or of any of its subclasses, asked of rdflib."""
    rows = world().query(
        "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* ?cls }",
        initNs={"rdfs": RDFS},
        initBindings={"cls": cls},
    )
    return {str(row[0]) for row in rows}


def canonical(graph: Graph) -> Graph:
    """The graph with numbers in canonical form: the store keeps values, not lexical forms
    (it writes 1.0 as 1), so a file and its export are compared number by number."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            value = Decimal(str(o)).normalize()
            o = Literal(format(value, "f"), datatype=XSD.decimal)
        elif isinstance(o, Literal) and o.datatype == XSD.integer:
            o = Literal(str(int(str(o))), datatype=XSD.integer)
        out.add((s, p, o))
    return out


def graphs_in(data: bytes, rdf_format: ox.RdfFormat) -> dict[str, Graph]:
    """The named graphs of an N-Quads, TriG or JSON-LD document ("" for the default graph)."""
    lines: dict[str, list[str]] = defaultdict(list)
    for quad in ox.parse(data, rdf_format):
        graph = quad.graph_name
        name = graph.value if isinstance(graph, ox.NamedNode) else ""
        lines[name].append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return {
        name: Graph().parse(data="\n".join(body) + "\n", format="nt")
        for name, body in lines.items()
    }


def parse_jsonld(text: str) -> Graph:
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser still builds a ConjunctiveGraph inside.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=text, format="json-ld")


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def as_json(result: Result) -> object:
    return json.loads(ok(result).stdout)


def count(hilos, *options: str) -> int:
    result = hilos("query", "-", "--format", "json", *options, input=COUNT_ALL)
    data = as_json(result)
    return int(data["results"]["bindings"][0]["n"]["value"])


def ask(hilos, sparql: str) -> bool:
    result = hilos("query", "-", input=sparql)
    assert result.exit_code in (0, 1), (result.stdout, result.stderr)
    assert result.stdout.strip() == ("yes" if result.exit_code == 0 else "no")
    return result.exit_code == 0


def graph_names(hilos) -> dict[str, dict[str, object]]:
    return {g["name"]: g for g in as_json(hilos("graphs", "--format", "json"))}


def invoke(store: Path, *args: str, input: str | None = None) -> Result:
    """`hilos --store STORE …` on a store other than the fixture's."""
    return CliRunner().invoke(
        cli, ["--store", str(store), *args], input=input, catch_exceptions=False
    )


# ------------------------------------------------------------------------------------- search


def test_search_iguala_lists_the_municipal_police(hilos) -> None:
    police = label(parsed(REPO / "graph" / "iguala.ttl"), HID["iguala-municipal-police"])
    result = ok(hilos("search", "iguala"))
    assert police in result.stdout
    assert str(HID["iguala-municipal-police"]) not in result.stdout  # ids with --ids
    assert str(HID["iguala-municipal-police"]) in ok(hilos("search", "iguala", "--ids")).stdout


def test_search_ignores_accents(hilos) -> None:
    cheran = label(parsed(REPO / "graph" / "places.ttl"), HID.cheran)
    assert "á" in cheran  # the name has an accent, the query below does not
    result = ok(hilos("search", "Cheran"))
    assert cheran in result.stdout


def test_search_finds_a_spanish_label_ignoring_case(hilos) -> None:
    actors = curated()
    spanish = label(actors, HID["knights-templar"], "es")
    english = label(actors, HID["knights-templar"], "en")
    assert spanish.casefold() == "caballeros templarios"
    assert "caballeros" not in english.casefold()  # only the Spanish label can match
    hits = as_json(hilos("search", "CABALLEROS templarios", "--format", "json"))
    assert hits[0]["id"] == str(HID["knights-templar"])


def test_search_json_is_a_list_of_entities_best_first(hilos) -> None:
    hits = as_json(hilos("search", "zetas", "--format", "json"))
    assert isinstance(hits, list) and len(hits) >= 2
    for hit in hits:
        assert {"id", "label", "types", "sphere"} <= set(hit)
        assert isinstance(hit["types"], list)
    assert hits[0]["id"] == str(HID.zetas)
    assert hits[0]["label"] == label(curated(), HID.zetas)
    assert hits[0]["sphere"] == "criminal"


def test_search_csv_has_a_header(hilos) -> None:
    result = ok(hilos("search", "zetas", "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert {"label", "id"} <= set(rows[0])
    assert rows[0]["id"] == str(HID.zetas)


def test_search_with_no_match_exits_1(hilos) -> None:
    result = hilos("search", "qwxzqwxz")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------------------- show

ABARCA = HID["jose-luis-abarca"]


def test_show_abarca_lists_every_tie_with_its_quote(hilos) -> None:
    iguala = parsed(REPO / "graph" / "iguala.ttl")
    assert (ABARCA, RDF.type, HILOS.Mayor) in iguala
    ties = ties_of(iguala, ABARCA)
    quotes = {str(q) for tie in ties for q in iguala.objects(tie, HILOS.quote)}
    assert ties and quotes
    result = ok(hilos("show", label(iguala, ABARCA)))
    mayor = label(parsed(REPO / "ontology" / "hilos.ttl"), HILOS.Mayor)
    # the summary line names the type and sphere by their labels; the ids come with --ids
    assert re.search(rf"^{mayor} · state · 3 ties", result.stdout, re.MULTILINE)
    assert "hilos:Mayor" not in result.stdout
    assert "hilos:Mayor" in ok(hilos("show", label(iguala, ABARCA), "--ids")).stdout
    text = flat(result.stdout)
    for quote in quotes:
        assert flat(quote) in text
    for tie in ties:
        other = iguala.value(tie, HILOS.to) if iguala.value(tie, HILOS["from"]) == ABARCA else None
        if other is not None:
            assert label(curated(), other) in text


def test_show_json_has_the_ties_status_and_sources_of_the_file(hilos) -> None:
    iguala = parsed(REPO / "graph" / "iguala.ttl")
    sources = parsed(REPO / "graph" / "sources.ttl")
    card = as_json(hilos("show", "José Luis Abarca", "--format", "json"))
    assert card["id"] == str(ABARCA)
    assert card["sphere"] == "state"
    assert "hilos:Mayor" in card["types"]
    shown = {tie["tie"]: tie for tie in card["ties"]}
    ties = ties_of(iguala, ABARCA)
    assert set(shown) == {str(tie) for tie in ties}
    for tie in ties:
        view = shown[str(tie)]
        assert view["status"] == local_name(iguala.value(tie, HILOS.status)).lower()
        assert view["quote"] == str(iguala.value(tie, HILOS.quote))
        assert view["direction"] == ("out" if iguala.value(tie, HILOS["from"]) == ABARCA else "in")
        cited = set(iguala.objects(tie, PROV.wasDerivedFrom))
        assert {s["id"] for s in view["sources"]} == {str(s) for s in cited}
        assert {s["citation"] for s in view["sources"]} == {
            str(sources.value(s, HILOS.citation)) for s in cited
        }


@pytest.mark.parametrize("ref", ["hid:zetas", "https://w3id.org/hilos/id/zetas"])
def test_show_takes_a_prefixed_name_or_an_iri(hilos, ref: str) -> None:
    actors = curated()
    card = as_json(hilos("show", ref, "--format", "json"))
    assert card["id"] == str(HID.zetas)
    assert card["label"] == label(actors, HID.zetas)
    assert {t["tie"] for t in card["ties"]} == {str(t) for t in ties_of(actors, HID.zetas)}


# ------------------------------------------------------------------------------------ queries


def test_queries_lists_every_library_file_with_its_title(hilos, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # wide enough that no title wraps
    assert QUERY_FILES
    result = ok(hilos("queries"))
    lines = result.stdout.splitlines()
    for path in QUERY_FILES:
        line = next((ln for ln in lines if ln.split() and ln.split()[0] == path.stem), None)
        assert line is not None, path.stem
        assert title_of(path) in line


def test_queries_json(hilos) -> None:
    items = as_json(hilos("queries", "--format", "json"))
    assert [q["name"] for q in items] == [p.stem for p in QUERY_FILES]
    for item, path in zip(items, QUERY_FILES, strict=True):
        assert {"name", "title", "description", "parameters"} <= set(item)
        assert item["title"] == title_of(path)
        assert item["description"]
        assert [p["name"] for p in item["parameters"]] == declared_params(path)


def test_queries_csv(hilos) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(hilos("queries", "--format", "csv")).stdout)))
    assert {row["name"]: row["title"] for row in rows} == {p.stem: title_of(p) for p in QUERY_FILES}


# -------------------------------------------------------------------------------------- query


def test_query_by_name_binds_a_parameter(hilos) -> None:
    data = as_json(
        hilos("query", "ties-by-status", "--param", "status=alleged", "--format", "json")
    )
    rows = data["results"]["bindings"]
    assert {row["status"]["value"] for row in rows} == {str(HILOS.Alleged)}
    expected = {str(tie) for tie in curated().subjects(HILOS.status, HILOS.Alleged)}
    assert expected
    assert {row["tie"]["value"] for row in rows} == expected


def test_query_short_option_and_any_case(hilos) -> None:
    data = as_json(hilos("query", "ties-by-status", "-p", "status=Disputed", "--format", "json"))
    rows = data["results"]["bindings"]
    expected = {str(tie) for tie in curated().subjects(HILOS.status, HILOS.Disputed)}
    assert expected
    assert {row["tie"]["value"] for row in rows} == expected


def test_query_json_is_sparql_json_results(hilos) -> None:
    result = ok(hilos("query", "ties-by-status", "-p", "status=reported", "--format", "json"))
    data = json.loads(result.stdout)
    assert "status" in data["head"]["vars"] and "tie" in data["head"]["vars"]
    bindings = data["results"]["bindings"]
    assert bindings
    for row in bindings:
        assert set(row) <= set(data["head"]["vars"])
        for term in row.values():
            assert term["type"] in ("uri", "literal", "bnode")
            assert isinstance(term["value"], str)
    parsed_back = ox.parse_query_results(result.stdout_bytes, ox.QueryResultsFormat.JSON)
    assert isinstance(parsed_back, ox.QuerySolutions)
    assert [v.value for v in parsed_back.variables] == data["head"]["vars"]
    assert len(list(parsed_back)) == len(bindings)


def test_query_csv_tsv_and_xml_parse(hilos) -> None:
    args = ("query", "ties-by-status", "-p", "status=reported")
    data = as_json(hilos(*args, "--format", "json"))
    names = data["head"]["vars"]
    size = len(data["results"]["bindings"])
    assert size > 0

    rows = list(csv.reader(io.StringIO(ok(hilos(*args, "--format", "csv")).stdout)))
    assert rows[0] == names
    assert len(rows) == size + 1

    tsv = ok(hilos(*args, "--format", "tsv"))
    assert tsv.stdout.splitlines()[0].split("\t") == [f"?{name}" for name in names]
    solutions = ox.parse_query_results(tsv.stdout_bytes, ox.QueryResultsFormat.TSV)
    assert [v.value for v in solutions.variables] == names
    assert len(list(solutions)) == size

    xml = ok(hilos(*args, "--format", "xml"))
    solutions = ox.parse_query_results(xml.stdout_bytes, ox.QueryResultsFormat.XML)
    assert len(list(solutions)) == size


MAYORS = """\
# title: Mayors
# description: Every mayor in the store.
SELECT ?mayor WHERE { ?mayor a hilos:Mayor }
"""


def test_query_from_a_file(hilos, tmp_path: Path) -> None:
    path = tmp_path / "mayors.rq"
    path.write_text(MAYORS, encoding="utf-8")
    data = as_json(hilos("query", str(path), "--format", "json"))
    expected = instances_of(HILOS.Mayor)
    assert str(ABARCA) in expected
    assert {row["mayor"]["value"] for row in data["results"]["bindings"]} == expected


def test_query_from_stdin(hilos) -> None:
    data = as_json(hilos("query", "-", "--format", "json", input=MAYORS))
    assert {row["mayor"]["value"] for row in data["results"]["bindings"]} == instances_of(
        HILOS.Mayor
    )


def test_query_file_with_a_typed_parameter(hilos) -> None:
    result = ok(hilos("query", str(DATA / "year.rq"), "-p", "year=2014", "--format", "json"))
    (row,) = json.loads(result.stdout)["results"]["bindings"]
    assert row["year"]["value"] == "2014"
    assert row["year"]["datatype"] == str(XSD.integer)


COLLUSION_QUOTES = (
    "CONSTRUCT { ?tie hilos:quote ?quote } WHERE { ?tie a hilos:Collusion ; hilos:quote ?quote }"
)


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")]
)
def test_query_construct_gives_rdf(hilos, fmt: str, rdflib_format: str) -> None:
    result = ok(hilos("query", "-", "--format", fmt, input=COLLUSION_QUOTES))
    if rdflib_format == "json-ld":
        got = parse_jsonld(result.stdout)
    else:
        got = Graph().parse(data=result.stdout, format=rdflib_format)
    # Bribery and protection are kinds of collusion: the store's answer includes them.
    expected = (
        world()
        .query(
            "CONSTRUCT { ?tie hilos:quote ?quote } "
            "WHERE { ?tie a/rdfs:subClassOf* hilos:Collusion ; hilos:quote ?quote }",
            initNs={"hilos": HILOS, "rdfs": RDFS},
        )
        .graph
    )
    assert expected is not None and len(expected) >= 3
    assert isomorphic(got, expected)


TIE = HID["tie-iguala-police-colludes-with-guerreros-unidos"]


def test_query_ask_true_prints_yes(hilos) -> None:
    assert (TIE, HILOS.status, HILOS.Reported) in curated()
    result = ok(hilos("query", "-", input=f"ASK {{ <{TIE}> hilos:status hilos:Reported }}"))
    assert result.stdout.strip() == "yes"


def test_query_ask_false_prints_no_and_exits_1(hilos) -> None:
    assert (TIE, HILOS.status, HILOS.Refuted) not in curated()
    result = hilos("query", "-", input=f"ASK {{ <{TIE}> hilos:status hilos:Refuted }}")
    assert result.exit_code == 1
    assert result.stdout.strip() == "no"


def test_query_with_no_result_exits_1(hilos) -> None:
    result = hilos(
        "query", "-", input='SELECT ?m WHERE { ?m a hilos:Mayor ; rdfs:label "Nobody at all"@en }'
    )
    assert result.exit_code == 1
    assert "no results" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_curated_ties_have_their_shortcut_triples(hilos) -> None:
    police, gang = HID["iguala-municipal-police"], HID["guerreros-unidos"]
    assert (TIE, HILOS["from"], police) in curated() and (TIE, HILOS.to, gang) in curated()
    assert (TIE, RDF.type, HILOS.Collusion) in curated()
    assert (HILOS.Collusion, HILOS.shortcut, HILOS.colludesWith) in parsed(ONTOLOGY_FILE)
    assert ask(hilos, f"ASK {{ <{police}> hilos:colludesWith <{gang}> }}")


# --------------------------------------------------------------------------------------- load


def test_load_turtle_registers_a_graph(hilos) -> None:
    result = ok(hilos("load", str(FINDINGS)))
    assert "findings" in result.stdout
    graphs = graph_names(hilos)
    assert graphs["findings"]["statements"] == len(parsed(FINDINGS))
    assert graphs["findings"]["source"] == str(FINDINGS)


def test_load_json_output(hilos) -> None:
    reports = as_json(hilos("load", str(FINDINGS), "--format", "json"))
    assert isinstance(reports, list) and len(reports) == 1
    assert reports[0]["graphs"] == ["findings"]
    assert reports[0]["triples"] == len(parsed(FINDINGS))


def test_loaded_actors_can_be_shown_and_searched(hilos) -> None:
    before = hilos("search", "halcones del rio")
    assert before.exit_code == 1
    ok(hilos("load", str(FINDINGS)))
    data = parsed(FINDINGS)

    gang = label(data, NEW_GANG, "es")
    assert "í" in gang  # searched for below without its accent
    hits = as_json(hilos("search", "halcones del rio", "--format", "json"))
    assert hits[0]["id"] == str(NEW_GANG)
    hits = as_json(hilos("search", "TLACOTEPEC", "--format", "json"))
    assert str(NEW_POLICE) in {hit["id"] for hit in hits}

    card = as_json(hilos("show", gang, "--format", "json"))
    assert card["id"] == str(NEW_GANG)
    assert card["sphere"] == "criminal"
    (tie,) = card["ties"]
    assert tie["tie"] == str(NEW_TIE)
    assert tie["direction"] == "in"
    assert tie["other"]["id"] == str(NEW_POLICE)
    assert tie["status"] == local_name(data.value(NEW_TIE, HILOS.status)).lower()
    assert tie["quote"] == str(data.value(NEW_TIE, HILOS.quote))
    assert [s["citation"] for s in tie["sources"]] == [
        str(data.value(data.value(NEW_TIE, PROV.wasDerivedFrom), HILOS.citation))
    ]
    police = as_json(hilos("show", "hid:test-policia-tlacotepec", "--format", "json"))
    assert police["sphere"] == "state"


def test_load_materialises_the_shortcut_and_its_closure(hilos) -> None:
    ontology = parsed(ONTOLOGY_FILE)
    shortcut = ontology.value(HILOS.Collusion, HILOS.shortcut)
    assert shortcut == HILOS.colludesWith
    properties = set(ontology.transitive_objects(shortcut, RDFS.subPropertyOf))
    assert {HILOS.colludesWith, HILOS.cooperatesWith, HILOS.tiedTo} <= properties
    classes = {
        c
        for c in ontology.transitive_objects(HILOS.Collusion, RDFS.subClassOf)
        if isinstance(c, URIRef)  # not the OWL restrictions
    }
    assert {HILOS.CooperationTie, HILOS.Tie} <= classes

    ask_shortcut = f"ASK {{ <{NEW_POLICE}> hilos:colludesWith <{NEW_GANG}> }}"
    assert not ask(hilos, ask_shortcut)
    ok(hilos("load", str(FINDINGS)))
    for prop in properties:
        assert ask(hilos, f"ASK {{ <{NEW_POLICE}> <{prop}> <{NEW_GANG}> }}"), prop
    for cls in classes:
        assert ask(hilos, f"ASK {{ <{NEW_TIE}> a <{cls}> }}"), cls
    police_classes = set(ontology.transitive_objects(HILOS.MunicipalPolice, RDFS.subClassOf))
    assert HILOS.Police in police_classes
    assert ask(hilos, f"ASK {{ <{NEW_POLICE}> a hilos:Police }}")
    # The shortcut is derived, not asserted: the file itself does not say it.
    assert (NEW_POLICE, HILOS.colludesWith, NEW_GANG) not in parsed(FINDINGS)


def test_load_twice_needs_replace(hilos) -> None:
    ok(hilos("load", str(FINDINGS)))
    before = graph_names(hilos)
    again = hilos("load", str(FINDINGS))
    assert again.exit_code == 2
    assert "already loaded" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert graph_names(hilos) == before
    replaced = ok(hilos("load", "--replace", str(FINDINGS)))
    assert "replaced" in replaced.stdout
    after = graph_names(hilos)
    assert set(after) == set(before)
    assert after["findings"]["statements"] == before["findings"]["statements"]


def test_load_with_a_graph_name(hilos) -> None:
    ok(hilos("load", "--graph", "notes/2024", str(FINDINGS)))
    graphs = graph_names(hilos)
    assert "notes/2024" in graphs and "findings" not in graphs
    assert graphs["notes/2024"]["statements"] == len(parsed(FINDINGS))
    assert count(hilos, "--graph", "notes/2024") > len(parsed(FINDINGS))  # with its inferences
    plain = ok(hilos("export", "turtle", "-", "--graph", "notes/2024"))
    assert isomorphic(Graph().parse(data=plain.stdout, format="turtle"), parsed(FINDINGS))


def test_load_error_names_the_option_that_gives_the_rdf_format(hilos, tmp_path: Path) -> None:
    source = tmp_path / "findings.txt"
    source.write_bytes(FINDINGS.read_bytes())
    hint = hilos("load", str(source))
    assert hint.exit_code == 2
    option = re.search(r"--[\w-]+", hint.stderr)
    assert option is not None, hint.stderr  # the error says which option to give
    result = hilos("load", option.group(0), "turtle", str(source))
    assert result.exit_code == 0, result.stderr
    assert graph_names(hilos)["findings"]["statements"] == len(parsed(FINDINGS))


def test_load_with_an_explicit_rdf_format(hilos, tmp_path: Path) -> None:
    source = tmp_path / "findings.txt"
    source.write_bytes(FINDINGS.read_bytes())
    ok(hilos("load", "--rdf-format", "turtle", str(source)))
    assert graph_names(hilos)["findings"]["statements"] == len(parsed(FINDINGS))


def test_load_declares_each_option_once(hilos) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = hilos("load", "--help")
    assert result.exit_code == 0
    assert not [w for w in caught if "more than once" in str(w.message)]


def _triples_as(graph: Graph, fmt: str) -> str:
    if fmt == "jsonld":
        return graph.serialize(format="json-ld")
    if fmt == "rdfxml":
        return graph.serialize(format="xml")
    return graph.serialize(format="nt")


@pytest.mark.parametrize(
    ("fmt", "ext"), [("ntriples", "nt"), ("rdfxml", "rdf"), ("jsonld", "jsonld")]
)
def test_load_triple_formats(hilos, tmp_path: Path, fmt: str, ext: str) -> None:
    source = tmp_path / f"findings-{fmt}.{ext}"
    source.write_text(_triples_as(parsed(FINDINGS), fmt), encoding="utf-8")
    ok(hilos("load", str(source)))
    name = source.stem
    assert graph_names(hilos)[name]["statements"] == len(parsed(FINDINGS))
    exported = ok(hilos("export", "turtle", "-", "--graph", name))
    assert isomorphic(Graph().parse(data=exported.stdout, format="turtle"), parsed(FINDINGS))
    card = as_json(hilos("show", "hid:test-halcones-del-rio", "--format", "json"))
    assert [t["tie"] for t in card["ties"]] == [str(NEW_TIE)]


def _split_findings() -> dict[str, Graph]:
    """The findings in two named graphs: the actors in one, the tie and its source in the other."""
    data = parsed(FINDINGS)
    actors, ties = Graph(), Graph()
    for s, p, o in data:
        (actors if s in (NEW_POLICE, NEW_GANG) else ties).add((s, p, o))
    return {"http://example.org/graphs/actors": actors, "http://example.org/graphs/ties": ties}


def _as_quads(parts: dict[str, Graph], fmt: str) -> str:
    if fmt == "nquads":
        lines = []
        for iri, graph in parts.items():
            for line in graph.serialize(format="nt").splitlines():
                if line.strip():
                    assert line.endswith(" .")
                    lines.append(f"{line[:-2]} <{iri}> .")
        return "\n".join(lines) + "\n"
    return "".join(
        f"<{iri}> {{\n{graph.serialize(format='nt')}}}\n" for iri, graph in parts.items()
    )


@pytest.mark.parametrize(("fmt", "ext"), [("nquads", "nq"), ("trig", "trig")])
def test_load_quad_formats_keep_their_graphs(hilos, tmp_path: Path, fmt: str, ext: str) -> None:
    parts = _split_findings()
    assert all(len(g) for g in parts.values())
    source = tmp_path / f"leak.{ext}"
    source.write_text(_as_quads(parts, fmt), encoding="utf-8")
    ok(hilos("load", str(source)))
    graphs = graph_names(hilos)
    for iri, part in parts.items():
        assert iri in graphs, sorted(graphs)
        assert graphs[iri]["statements"] == len(part)
        exported = ok(hilos("export", "turtle", "-", "--graph", iri))
        assert isomorphic(Graph().parse(data=exported.stdout, format="turtle"), part)
    # The tie is in one graph and its ends in another: the store still sees it whole.
    assert ask(hilos, f"ASK {{ <{NEW_POLICE}> hilos:colludesWith <{NEW_GANG}> }}")


# --------------------------------------------------------------------------------------- drop


def test_drop_removes_the_graph_and_what_was_derived_from_it(hilos) -> None:
    curated_before = count(hilos, "--graph", "report/iguala")
    total_before = count(hilos)
    ok(hilos("load", str(FINDINGS)))
    info = graph_names(hilos)["findings"]
    assert count(hilos) == total_before + info["statements"] + info["derived"]
    assert ask(hilos, f"ASK {{ <{NEW_POLICE}> hilos:colludesWith <{NEW_GANG}> }}")

    result = ok(hilos("drop", "findings"))
    assert "findings" in result.stdout
    assert "findings" not in graph_names(hilos)
    assert count(hilos) == total_before
    assert not ask(hilos, f"ASK {{ <{NEW_POLICE}> ?p ?o }}")
    assert not ask(hilos, f"ASK {{ ?s ?p <{NEW_GANG}> }}")
    assert hilos("show", "hid:test-halcones-del-rio").exit_code == 1
    assert count(hilos, "--graph", "report/iguala") == curated_before


def test_drop_a_curated_graph(hilos) -> None:
    iguala = parsed(REPO / "graph" / "iguala.ttl")
    assert ask(hilos, f"ASK {{ <{TIE}> ?p ?o }}")
    places_before = count(hilos, "--graph", "report/places")
    ok(hilos("drop", "report/iguala"))
    assert "report/iguala" not in graph_names(hilos)
    assert not ask(hilos, f"ASK {{ <{TIE}> ?p ?o }}")
    assert not ask(hilos, f"ASK {{ <{ABARCA}> ?p ?o }}")
    assert (ABARCA, RDFS.label, None) in iguala
    assert count(hilos, "--graph", "report/places") == places_before


def test_drop_an_unknown_graph_exits_1(hilos) -> None:
    before = graph_names(hilos)
    result = hilos("drop", "no-such-graph")
    assert result.exit_code == 1
    assert "no-such-graph" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert graph_names(hilos) == before


# ----------------------------------------------------------------------------------- validate


def test_validate_the_store(hilos) -> None:
    result = ok(hilos("validate"))
    assert "conforms" in result.stderr


def test_validate_a_valid_file(hilos) -> None:
    before = graph_names(hilos)
    ok(hilos("validate", str(FINDINGS)))
    assert graph_names(hilos) == before  # the store is not touched


def test_validate_an_invalid_file_names_each_tie_and_its_fault(hilos) -> None:
    data = parsed(INVALID_TIES)
    no_status = HID["test-tie-without-status"]
    backwards = HID["test-tie-ending-before-it-starts"]
    assert data.value(no_status, HILOS.status) is None
    assert str(data.value(backwards, HILOS.end)) < str(data.value(backwards, HILOS.start))

    result = hilos("validate", str(INVALID_TIES))
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    blocks = re.split(r"\n(?=\S)", result.stdout)
    about_status = [b for b in blocks if label(data, no_status) in b]
    about_dates = [b for b in blocks if label(data, backwards) in b]
    assert any("status" in b.lower() for b in about_status), result.stdout
    assert any(
        "before" in b.lower() and "start" in b.lower() and "end" in b.lower() for b in about_dates
    ), result.stdout


def test_validate_json(hilos) -> None:
    result = hilos("validate", str(INVALID_TIES), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    violations = [r for r in report["results"] if r["severity"] == "violation"]
    assert {r["focus"] for r in violations} == {
        str(HID["test-tie-without-status"]),
        str(HID["test-tie-ending-before-it-starts"]),
    }
    for r in violations:
        assert r["message"]


def test_validate_a_loaded_graph(hilos) -> None:
    ok(hilos("load", str(INVALID_TIES)))
    assert hilos("validate", "--graph", "report/iguala").exit_code == 0
    assert hilos("validate", "--graph", "invalid-ties").exit_code == 1
    assert hilos("validate").exit_code == 1


# ------------------------------------------------------------------------------------- export


@pytest.mark.parametrize("path", GRAPH_FILES, ids=[p.stem for p in GRAPH_FILES])
def test_export_a_curated_graph_gives_back_its_file(hilos, path: Path) -> None:
    result = ok(hilos("export", "turtle", "-", "--graph", f"report/{path.stem}"))
    assert isomorphic(Graph().parse(data=result.stdout, format="turtle"), parsed(path))


def test_export_the_ontology_graph(hilos) -> None:
    result = ok(hilos("export", "turtle", "-", "--graph", "ontology"))
    got = Graph().parse(data=result.stdout, format="turtle")
    assert to_isomorphic(canonical(got)) == to_isomorphic(canonical(parsed(ONTOLOGY_FILE)))


def test_export_turtle_file_holds_ontology_and_curated_graph(hilos, tmp_path: Path) -> None:
    target = tmp_path / "everything.ttl"
    result = ok(hilos("export", "turtle", str(target)))
    assert "wrote" in result.stderr
    got = Graph().parse(target, format="turtle")
    assert len(got) == len(world())
    assert to_isomorphic(canonical(got)) == to_isomorphic(canonical(world()))
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def test_export_nquads_restores_the_same_graphs(hilos, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh-store"
    shutil.copytree(hilos.store, fresh)  # an untouched copy, before anything is loaded
    ok(hilos("load", str(FINDINGS)))
    backup = tmp_path / "backup.nq"
    ok(hilos("export", "nquads", str(backup)))
    originals = graphs_in(backup.read_bytes(), ox.RdfFormat.N_QUADS)
    assert GRAPH_BASE + "findings" in originals
    assert GRAPH_BASE + "report/iguala" in originals

    ok(invoke(fresh, "load", "--replace", str(backup)))
    names = {g["name"] for g in json.loads(ok(invoke(fresh, "graphs", "--format", "json")).stdout)}
    source_names = set(graph_names(hilos))
    assert source_names <= names
    for name in source_names:
        mine = ok(hilos("export", "nquads", "-", "--graph", name)).stdout_bytes
        theirs = ok(invoke(fresh, "export", "nquads", "-", "--graph", name)).stdout_bytes
        mine_graphs = graphs_in(mine, ox.RdfFormat.N_QUADS)
        theirs_graphs = graphs_in(theirs, ox.RdfFormat.N_QUADS)
        assert set(mine_graphs) == set(theirs_graphs), name
        for iri, graph in mine_graphs.items():
            assert isomorphic(graph, theirs_graphs[iri]), (name, iri)
    iguala = graphs_in(backup.read_bytes(), ox.RdfFormat.N_QUADS)[GRAPH_BASE + "report/iguala"]
    assert isomorphic(iguala, parsed(REPO / "graph" / "iguala.ttl"))


def test_export_trig_keeps_the_graphs(hilos) -> None:
    result = ok(
        hilos("export", "trig", "-", "--graph", "report/iguala", "--graph", "report/places")
    )
    graphs = graphs_in(result.stdout_bytes, ox.RdfFormat.TRIG)
    assert set(graphs) == {GRAPH_BASE + "report/iguala", GRAPH_BASE + "report/places"}
    assert isomorphic(graphs[GRAPH_BASE + "report/places"], parsed(REPO / "graph" / "places.ttl"))


def test_export_jsonld_parses(hilos) -> None:
    result = ok(hilos("export", "jsonld", "-", "--graph", "report/iguala"))
    parse_jsonld(result.stdout)  # rdflib reads it
    statements = Graph()
    for graph in graphs_in(result.stdout_bytes, ox.RdfFormat.JSON_LD).values():
        statements += graph
    assert isomorphic(statements, parsed(REPO / "graph" / "iguala.ttl"))


def test_export_jsonld_merges_the_graphs(hilos) -> None:
    result = ok(hilos("export", "jsonld", "-", "--graph", "report/iguala"))
    assert isomorphic(parse_jsonld(result.stdout), parsed(REPO / "graph" / "iguala.ttl"))


def test_export_rdfxml_and_ntriples(hilos) -> None:
    places = parsed(REPO / "graph" / "places.ttl")
    xml = ok(hilos("export", "rdfxml", "-", "--graph", "report/places"))
    assert isomorphic(Graph().parse(data=xml.stdout, format="xml"), places)
    nt = ok(hilos("export", "ntriples", "-", "--graph", "report/places"))
    assert isomorphic(Graph().parse(data=nt.stdout, format="nt"), places)


def test_export_inferred_adds_the_derived_statements(hilos) -> None:
    police, gang = HID["iguala-municipal-police"], HID["guerreros-unidos"]
    plain_out = ok(hilos("export", "turtle", "-", "--graph", "report/iguala"))
    inferred_out = ok(hilos("export", "turtle", "-", "--graph", "report/iguala", "--inferred"))
    plain = Graph().parse(data=plain_out.stdout, format="turtle")
    inferred = Graph().parse(data=inferred_out.stdout, format="turtle")
    assert set(plain) < set(inferred)
    assert (police, HILOS.colludesWith, gang) not in plain
    assert (police, HILOS.colludesWith, gang) in inferred
    assert HILOS.Police in set(
        parsed(ONTOLOGY_FILE).transitive_objects(HILOS.MunicipalPolice, RDFS.subClassOf)
    )
    assert (police, RDF.type, HILOS.Police) not in plain
    assert (police, RDF.type, HILOS.Police) in inferred


def test_export_an_unknown_graph_writes_nothing(hilos, tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    result = hilos("export", "turtle", str(target), "--graph", "no-such-graph")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()


# --------------------------------------------------------------------------------------- help


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_examples(hilos, command: str) -> None:
    result = ok(hilos(command, "--help"))
    assert "Examples:" in result.stdout
    assert f"hilos {command}" in result.stdout


def test_top_level_help(hilos) -> None:
    result = ok(hilos("--help"))
    assert "Examples:" in result.stdout
    for command in cli.commands:
        assert command in result.stdout


def test_commands_other_than_ftm_do_not_import_followthemoney() -> None:
    """followthemoney takes about a second to import (it brings SQLAlchemy): the command line
    imports it only for `import ftm` and `export ftm`, so every other command starts without it."""
    probe = "import sys, hilos.cli.app; print('followthemoney' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_paths_to_an_entity_merged_into_another_say_so(hilos) -> None:
    """An end merged into another entity by an identity claim: the paths run to that entity
    (they crashed with a KeyError before) and the reader is told which entity was taken for
    which, in the notes and in the JSON."""
    assert (
        hilos("entity", "add", "Cartel Nuevo X", "--type", "criminal-organization").exit_code == 0
    )
    merged = hilos(
        "entity", "merge", "Cartel Nuevo X", "Guerreros Unidos", "--source", "Registro, 2023"
    )
    assert merged.exit_code == 0, merged.stderr
    result = hilos("paths", "José Luis Abarca", "Cartel Nuevo X", "--brief")
    assert result.exit_code == 0, result.stderr
    note = "Cartel Nuevo X is taken as Guerreros Unidos: an identity claim says they are one entity"
    assert note in " ".join(result.stderr.split())
    assert "between José Luis Abarca and Guerreros Unidos" in result.stdout
    data = json.loads(
        hilos("paths", "José Luis Abarca", "Cartel Nuevo X", "--format", "json").stdout
    )
    assert note in data["network"]
    assert {p["nodes"][-1]["label"] for p in data["paths"]} == {"Guerreros Unidos"}
    # an end that is itself: no note
    plain = hilos("paths", "José Luis Abarca", "Guerreros Unidos", "--brief")
    assert "taken as" not in plain.stderr
