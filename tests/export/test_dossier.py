"""`hilos export dossier`: an entity's ties or an evidence path as a hop table with footnoted
sources, in HTML and Markdown.

Expected values come from the Turtle files (graph/*.ttl, ontology/hilos.ttl, the small files
written here) read with rdflib; the dossiers are read back by parsing them (an HTML parser, a
GitHub-flavoured Markdown table reader), never compared with pasted output.
"""

from __future__ import annotations

import hashlib
import html
import re
import shlex
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import PROV

from hilos.export.dossier import FROM_PYTHON, write_dossier
from hilos.network.projection import Filters
from hilos.store import Store

REPO = Path(__file__).resolve().parents[2]
FINDINGS = Path(__file__).resolve().parents[1] / "data" / "findings.ttl"
HILOS = Namespace("https://w3id.org/hilos/ontology#")
HID = Namespace("https://w3id.org/hilos/id/")
ABARCA, POLICE, GU = (
    HID["jose-luis-abarca"],
    HID["iguala-municipal-police"],
    HID["guerreros-unidos"],
)

SKOS_ALT = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTE_START = "They said </p><script>alert(1)</script> | and"
HOSTILE_TTL = textwrap.dedent(
    '''\
    @prefix hilos: <https://w3id.org/hilos/ontology#> .
    @prefix hid:   <https://w3id.org/hilos/id/> .
    @prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
    @prefix prov:  <http://www.w3.org/ns/prov#> .

    hid:test-hostile a hilos:CriminalOrganization ;
        rdfs:label "<img src=x onerror=alert(1)>"@en ;
        skos:altLabel "a | b *c* [d](https://evil.example/)"@en .

    hid:test-hostile-source a hilos:Source ;
        rdfs:label "Leak"@en ;
        hilos:citation "Leak | <a href=\\"https://evil.example/\\">click</a> `code` _x_" .

    hid:test-hostile-tie a hilos:Collusion ;
        hilos:from hid:test-hostile ;
        hilos:to hid:guerreros-unidos ;
        hilos:status hilos:Alleged ;
        hilos:confidence 0.5 ;
        hilos:quote """They said </p><script>alert(1)</script> | and
    then \\\\| left."""@en ;
        hilos:locator "p. 3 | line\\n4" ;
        prov:wasDerivedFrom hid:test-hostile-source .

    hid:test-twin-one a hilos:CriminalOrganization ; rdfs:label "Los Gemelos Idénticos"@en .
    hid:test-twin-two a hilos:CriminalOrganization ; rdfs:label "Los Gemelos Idénticos"@en .
    '''
)


# --- Expected values, from the Turtle files ---------------------------------------------------


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


CURATED = _parse(*sorted((REPO / "graph").glob("*.ttl")))
ONTOLOGY = _parse(REPO / "ontology" / "hilos.ttl")
IGUALA = _parse(REPO / "graph" / "iguala.ttl")


def label(graph: Graph, iri: URIRef) -> str:
    english = [o for o in graph.objects(iri, RDFS.label) if getattr(o, "language", None) == "en"]
    assert len(english) == 1, (iri, english)
    return str(english[0])


def tie_facts(graph: Graph, tie: URIRef) -> dict[str, object]:
    """What a dossier must show of a tie, read from the Turtle with rdflib."""
    (cls,) = (c for c in graph.objects(tie, RDF.type))
    (status,) = graph.objects(tie, HILOS.status)
    (source,) = graph.objects(tie, PROV.wasDerivedFrom)
    (quote,) = graph.objects(tie, HILOS.quote)
    (locator,) = graph.objects(tie, HILOS.locator)
    (start_node,) = graph.objects(tie, HILOS["from"])
    (end_node,) = graph.objects(tie, HILOS.to)
    return {
        "relation": label(ONTOLOGY, URIRef(cls)),
        "status": str(status).rsplit("#", 1)[-1].lower(),
        "from": URIRef(start_node),
        "to": URIRef(end_node),
        "source": str(source),
        "citation": str(next(CURATED.objects(source, HILOS.citation))),
        "quote": str(quote),
        "locator": str(locator),
        "start": next((str(d) for d in graph.objects(tie, HILOS.start)), None),
        "period": next((str(d) for d in graph.objects(tie, HILOS.period)), None),
    }


def ties_of(entity: URIRef) -> dict[URIRef, dict[str, object]]:
    ties = set(CURATED.subjects(HILOS["from"], entity)) | set(CURATED.subjects(HILOS.to, entity))
    return {URIRef(t): tie_facts(CURATED, URIRef(t)) for t in ties}


def the_tie(start: URIRef, end: URIRef, cls: URIRef) -> URIRef:
    found = [
        t
        for t in IGUALA.subjects(HILOS["from"], start)
        if (t, HILOS.to, end) in IGUALA and (t, RDF.type, cls) in IGUALA
    ]
    assert len(found) == 1, found
    return URIRef(found[0])


def weight(status: str) -> float:
    return float(next(ONTOLOGY.objects(HILOS[status.capitalize()], HILOS.weight)))


# --- Reading a dossier back -------------------------------------------------------------------


def md_unescape(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def md_cells(line: str) -> list[str]:
    """The cells of one GitHub-flavoured Markdown table row, unescaped: a `|` not preceded by a
    backslash separates cells."""
    assert line.startswith("|") and line.endswith("|"), line
    cells: list[str] = []
    current = ""
    i = 1
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            current += line[i : i + 2]
            i += 2
            continue
        if char == "|":
            cells.append(md_unescape(current.strip()))
            current = ""
        else:
            current += char
        i += 1
    assert current == "", line
    return cells


def md_tables(text: str) -> list[list[list[str]]]:
    """Every table: header cells first, then the rows (delimiter row checked and dropped)."""
    tables: list[list[list[str]]] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            header = md_cells(block[0])
            delimiter = md_cells(block[1])
            assert all(re.fullmatch(r":?-+:?", d) for d in delimiter), block[1]
            rows = [md_cells(row) for row in block[2:]]
            for row in [delimiter, *rows]:
                assert len(row) == len(header), (header, row)
            tables.append([header, *rows])
            block = []
    return tables


def md_footnotes(text: str) -> dict[int, str]:
    section = text.split("\n## Sources\n", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"^(\d+)\. (.*)$", section, flags=re.M)
    return {int(n): md_unescape(body) for n, body in found}


def md_field(text: str, name: str) -> str:
    match = re.search(rf"^- \*\*{name}:\*\* (.*)$", text, flags=re.M)
    assert match, name
    return match.group(1)


def md_code_span(text: str) -> str:
    match = re.fullmatch(r"(`+) ?(.*?) ?\1", text)
    assert match, text
    return match.group(2)


class Page(HTMLParser):
    """What a reader sees in a dossier page: table rows, footnotes, header fields, and every
    attribute (to look for anything that would fetch from elsewhere)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.notes: dict[int, str] = {}
        self.fields: dict[str, str] = {}
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.styles: list[str] = []
        self._row: list[str] | None = None
        self._cell: str | None = None
        self._note: int | None = None
        self._note_text = ""
        self._dt: str | None = None
        self._text = ""
        self._in: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value))
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "li" and dict(attrs).get("id", "").startswith("note-"):
            self._note = int(str(dict(attrs)["id"]).removeprefix("note-"))
            self._note_text = ""
        elif tag in ("dt", "dd"):
            self._text = ""

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "li" and self._note is not None:
            self.notes[self._note] = " ".join(self._note_text.split())
            self._note = None
        elif tag == "dt":
            self._dt = self._text.strip()
        elif tag == "dd" and self._dt is not None:
            self.fields.setdefault(self._dt, " ".join(self._text.split()))
            self._dt = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        if self._cell is not None:
            self._cell += data
        if self._note is not None:
            self._note_text += data
        self._text += data


def html_tables(text: str) -> list[list[list[str]]]:
    """Tables as lists of rows (the header first), read with the HTML parser."""
    tables: list[list[list[str]]] = []
    for chunk in text.split("<table>")[1:]:
        page = Page("<table>" + chunk.split("</table>", 1)[0] + "</table>")
        widths = {len(row) for row in page.rows}
        assert len(widths) == 1, page.rows
        tables.append(page.rows)
    return tables


def read(path: Path) -> tuple[list[list[list[str]]], dict[int, str], dict[str, str]]:
    """Tables, footnotes and header fields of a dossier, Markdown or HTML."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        fields = {
            "Command": md_code_span(md_field(text, "Command")),
            "Data snapshot": md_code_span(md_field(text, "Data snapshot").split(" — ")[0]),
            "Generated": md_unescape(md_field(text, "Generated")),
        }
        return md_tables(text), md_footnotes(text), fields
    page = Page(text)
    fields = dict(page.fields)
    fields["Data snapshot"] = fields["Data snapshot"].split(" — ")[0]
    return html_tables(text), page.notes, fields


def column(table: list[list[str]], name: str) -> list[str]:
    index = table[0].index(name)
    return [row[index] for row in table[1:]]


def numbers(cell: str) -> list[int]:
    return [int(n) for n in cell.split(", ")] if cell != "no source" else []


def independent_hash(store: Store, graphs: list[str] | None = None) -> str:
    """The documented snapshot: SHA-256 over the sorted N-Quads lines of the loaded graphs,
    the whole dataset's blank nodes labelled by RDFC-1.0 (pyoxigraph's Dataset)."""
    dataset = ox.Dataset(store.quads(graphs))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(f"{quad} .\n" for quad in dataset)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def one_line_error(result: Result, exit_code: int) -> str:
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert result.stdout == ""
    return lines[0]


# --- Entity dossiers --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_entity_dossier_lists_every_tie_with_status_and_quote(
    hilos, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"abarca{suffix}"
    result = ok(hilos("export", "dossier", str(out), "José Luis Abarca"))
    assert str(out) in result.stderr
    tables, notes, _ = read(out)
    (ties,) = tables
    expected = ties_of(ABARCA)
    # the ties the curated graph gives him are those of graph/iguala.ttl
    assert expected and set(expected) == _iguala_ties(ABARCA)
    assert len(ties) - 1 == len(expected)
    assert column(ties, "#") == [str(n) for n in range(1, len(expected) + 1)]
    for facts in expected.values():
        forward = facts["from"] == ABARCA
        other = facts["to"] if forward else facts["from"]
        (row,) = [
            r for r in ties[1:] if r[ties[0].index("other end")].startswith(label(CURATED, other))
        ]
        cell = dict(zip(ties[0], row, strict=True))
        assert cell["relation"] == facts["relation"]
        assert cell["direction"] == ("→" if forward else "←")
        # the status first, then what limits the claim (its period here, the report's words)
        assert cell["status"].split("; ")[0] == facts["status"]
        if facts.get("period"):
            assert str(facts["period"]) in cell["status"]
        cited = numbers(cell["sources"])
        assert cited
        shown = [notes[n] for n in cited]
        assert any(str(facts["quote"]) in note for note in shown)
        assert any(str(facts["citation"]) in note for note in shown)
        assert any(str(facts["locator"]) in note for note in shown)


def _iguala_ties(entity: URIRef) -> set[URIRef]:
    return {
        URIRef(t)
        for t in set(IGUALA.subjects(HILOS["from"], entity))
        | set(IGUALA.subjects(HILOS.to, entity))
    }


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_identical_sources_share_one_footnote(hilos, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"abarca{suffix}"
    ok(hilos("export", "dossier", str(out), "José Luis Abarca"))
    tables, notes, _ = read(out)
    (ties,) = tables
    evidence = {(f["source"], f["quote"], f["locator"]) for f in ties_of(ABARCA).values()}
    # Abarca's ties rest on one sentence of one source at one place: one footnote, reused
    assert len(evidence) == 1 < len(ties_of(ABARCA))
    cited = [numbers(cell) for cell in column(ties, "sources")]
    assert cited == [[1]] * len(ties_of(ABARCA))
    assert sorted(notes) == list(range(1, len(evidence) + 1))


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_footnotes_are_numbered_in_order_and_never_repeated(
    hilos, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"chains{suffix}"
    ok(hilos("export", "dossier", str(out), "--path", "Abarca", "Guerreros Unidos", "--limit", "3"))
    tables, notes, _ = read(out)
    assert len(tables) == 3
    assert sorted(notes) == list(range(1, len(notes) + 1))
    assert len(set(notes.values())) == len(notes)  # each (source, quote, locator) once
    first_seen: list[int] = []
    for table in tables:
        for cell in column(table, "sources"):
            first_seen += [n for n in numbers(cell) if n not in first_seen]
    assert first_seen == list(range(1, len(notes) + 1))  # numbered in order of first mention


def test_entity_dossier_applies_the_filters(hilos, tmp_path: Path) -> None:
    kinship = [t for t, f in ties_of(ABARCA).items() if f["relation"] == "kinship"]
    assert len(kinship) == 1
    out = tmp_path / "kin.md"
    ok(hilos("export", "dossier", str(out), "Abarca", "--tie-type", "kinship"))
    (ties,), notes, _ = read(out)
    assert column(ties, "relation") == ["kinship"]
    assert "ties of type kinship" in out.read_text(encoding="utf-8")

    strongest = {f["status"] for f in ties_of(ABARCA).values()}
    assert "confirmed" not in strongest
    out = tmp_path / "confirmed.md"
    result = ok(hilos("export", "dossier", str(out), "Abarca", "--min-status", "confirmed"))
    assert "no tie" in result.stderr
    tables, notes, _ = read(out)
    assert tables == [] and notes == {}
    assert "No tie of this entity passes these filters." in out.read_text(encoding="utf-8")


# --- Path dossiers ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_path_dossier_lists_the_hops_in_order_with_their_quotes(
    hilos, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"iguala{suffix}"
    ok(hilos("export", "dossier", str(out), "--path", "José Luis Abarca", "Guerreros Unidos"))
    tables, notes, _ = read(out)
    (hops,) = tables
    expected = [
        tie_facts(IGUALA, the_tie(ABARCA, POLICE, HILOS.Command)),
        tie_facts(IGUALA, the_tie(POLICE, GU, HILOS.Collusion)),
    ]
    assert column(hops, "hop") == ["1", "2"]
    assert column(hops, "from") == [label(IGUALA, ABARCA), label(IGUALA, POLICE)]
    assert column(hops, "to") == [label(IGUALA, POLICE), label(IGUALA, GU)]
    assert column(hops, "relation") == [f["relation"] for f in expected]
    assert column(hops, "relation") == ["command", "collusion"]
    assert column(hops, "status") == [f["status"] for f in expected]
    for cell, facts in zip(column(hops, "sources"), expected, strict=True):
        (number,) = numbers(cell)
        assert str(facts["quote"]) in notes[number]
        assert str(facts["citation"]) in notes[number]
    # the collusion starts on the day of the disappearance
    assert column(hops, "dates")[1].startswith(str(expected[1]["start"]))
    # the score and how it is computed
    text = out.read_text(encoding="utf-8")
    score = weight(str(expected[0]["status"])) * weight(str(expected[1]["status"]))
    assert f"Score {score:g}" in text
    assert "product over the hops of status weight × confidence" in text


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_hop_walked_against_its_tie_says_so(hostile, tmp_path: Path, suffix: str) -> None:
    hilos, graph = hostile
    out = tmp_path / f"against{suffix}"
    args = ["--path", str(HID["test-hostile"]), label(IGUALA, POLICE)]
    ok(hilos("export", "dossier", str(out), *args))
    (hops,) = read(out)[0]
    # the hostile group colludes with Guerreros Unidos, whom the police handed the students to
    assert (HID["test-hostile-tie"], HILOS["from"], HID["test-hostile"]) in graph
    handover = the_tie(POLICE, GU, HILOS.Collusion)
    assert (handover, HILOS["from"], POLICE) in IGUALA
    assert column(hops, "from") == [HOSTILE_LABEL, label(IGUALA, GU)]
    assert column(hops, "to") == [label(IGUALA, GU), label(IGUALA, POLICE)]
    assert column(hops, "direction") == ["→", "←"]


def test_path_dossier_limit_gives_several_paths_best_first(hilos, tmp_path: Path) -> None:
    out = tmp_path / "paths.md"
    ok(hilos("export", "dossier", str(out), "--path", "Abarca", "Guerreros Unidos", "--limit", "2"))
    text = out.read_text(encoding="utf-8")
    scores = [float(s) for s in re.findall(r"^Score ([0-9.]+):", text, flags=re.M)]
    assert len(scores) == 2 and scores == sorted(scores, reverse=True)
    assert len(md_tables(text)) == 2


# --- Header: snapshot and command -------------------------------------------------------------


def test_snapshot_hash_is_the_documented_one_and_follows_the_data(hilos, tmp_path: Path) -> None:
    first = tmp_path / "first.md"
    ok(hilos("export", "dossier", str(first), "Abarca"))
    with Store.open(hilos.store) as store:
        before = independent_hash(store)
    assert read(first)[2]["Data snapshot"] == before

    again = tmp_path / "again.html"
    ok(hilos("export", "dossier", str(again), "--path", "Abarca", "Guerreros Unidos"))
    assert read(again)[2]["Data snapshot"] == before  # same data, same hash

    ok(hilos("load", str(FINDINGS)))
    after_load = tmp_path / "after.md"
    ok(hilos("export", "dossier", str(after_load), "Abarca"))
    with Store.open(hilos.store) as store:
        after = independent_hash(store)
    assert after != before
    assert read(after_load)[2]["Data snapshot"] == after


def test_with_graph_the_snapshot_covers_the_graphs_it_selects(hilos, tmp_path: Path) -> None:
    # the scope the network page made with the same filters hashes too
    out = tmp_path / "iguala-only.md"
    ok(hilos("export", "dossier", str(out), "Abarca", "--graph", "report/iguala"))
    with Store.open(hilos.store) as store:
        assert read(out)[2]["Data snapshot"] == independent_hash(store, ["report/iguala"])
        assert read(out)[2]["Data snapshot"] != independent_hash(store)
    (ties,) = read(out)[0]
    assert len(ties) - 1 == len(_iguala_ties(ABARCA))


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_the_header_gives_the_exact_command_and_the_date(
    hilos, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"a b{suffix}"  # a space, so the command needs quoting
    args = ["export", "dossier", str(out), "José Luis Abarca", "--min-status", "reported"]
    ok(hilos(*args))
    fields = read(out)[2]
    # the store's folder is left out: it may name the journalist's account or machine
    assert fields["Command"] == shlex.join(["hilos", *args])
    assert str(hilos.store) not in fields["Command"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", fields["Generated"])

    path_args = ["export", "dossier", str(out), "--path", "Abarca", "Guerreros Unidos"]
    ok(hilos(*path_args, "--as-of", "2014-09-26", "--undirected"))
    assert read(out)[2]["Command"] == shlex.join(
        ["hilos", *path_args, "--as-of", "2014-09-26", "--undirected"]
    )


def test_from_python(memory_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "abarca.md"
    dossier = write_dossier(memory_store, str(out), entity="José Luis Abarca")
    assert dossier.command == FROM_PYTHON
    assert read(out)[2]["Command"] == FROM_PYTHON
    assert read(out)[2]["Data snapshot"] == independent_hash(memory_store)
    assert len(dossier.ties) == len(ties_of(ABARCA))

    html_out = tmp_path / "chain.html"
    chain = write_dossier(
        memory_store,
        str(html_out),
        path=(str(ABARCA), str(GU)),
        filters=Filters(directed=False, min_status="reported"),
        command="hilos export dossier chain.html --path A B",
    )
    assert [n.id for n in chain.paths[0].nodes] == [str(ABARCA), str(POLICE), str(GU)]
    assert read(html_out)[2]["Command"] == "hilos export dossier chain.html --path A B"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_standard_output_with_format(hilos, fmt: str) -> None:
    result = ok(hilos("export", "dossier", "-", "--format", fmt, "José Luis Abarca"))
    quote = str(next(iter(ties_of(ABARCA).values()))["quote"])
    if fmt == "md":
        assert result.stdout.startswith("# ")
        assert quote in md_footnotes(result.stdout)[1]
    else:
        assert result.stdout.startswith("<!DOCTYPE html>")
        assert quote in Page(result.stdout).notes[1]


# --- Safety -----------------------------------------------------------------------------------


@pytest.fixture
def hostile(hilos, tmp_path: Path):
    path = tmp_path / "hostile.ttl"
    path.write_text(HOSTILE_TTL, encoding="utf-8")
    ok(hilos("load", str(path)))
    graph = Graph().parse(data=HOSTILE_TTL, format="turtle")
    return hilos, graph


def _external(page: Page) -> list[str]:
    found = [
        f"{tag} {name}={value}"
        for tag, name, value in page.attributes
        if name in ("src", "href", "srcset", "action", "data", "poster", "formaction")
        and value is not None
        and not value.startswith("#")
    ]
    found += [s for s in page.styles if re.search(r"url\(|@import", s)]
    return found


def test_hostile_strings_stay_text_in_html(hostile, tmp_path: Path) -> None:
    hilos, graph = hostile
    tie = HID["test-hostile-tie"]
    quote = " ".join(str(next(graph.objects(tie, HILOS.quote))).split())
    assert quote.startswith(HOSTILE_QUOTE_START)
    citation = str(next(graph.objects(HID["test-hostile-source"], HILOS.citation)))
    locator = " ".join(str(next(graph.objects(tie, HILOS.locator))).split())
    for args in (
        [str(HID["test-hostile"])],
        ["--path", str(HID["test-hostile"]), "Municipal police of Iguala"],
    ):
        out = tmp_path / "hostile.html"
        ok(hilos("export", "dossier", str(out), *args))
        text = out.read_text(encoding="utf-8")
        assert "<script" not in text.lower()
        assert "<img" not in text.lower()
        page = Page(text)
        assert set(page.tags) <= {
            "html", "head", "meta", "title", "style", "body", "header", "main", "footer",
            "section", "h1", "h2", "p", "dl", "dt", "dd", "code", "span", "table", "thead",
            "tbody", "tr", "th", "td", "a", "ol", "ul", "li", "blockquote",
        }  # fmt: skip
        assert _external(page) == []
        assert re.search(r"https?://", " ".join(v or "" for _, _, v in page.attributes)) is None
        (note,) = [n for n in page.notes.values() if citation in n]
        assert quote in note and locator in note
        if args[0] == "--path":
            (hops,) = html_tables(text)
            assert column(hops, "from")[0] == HOSTILE_LABEL
        else:
            assert page.fields["Name"] == HOSTILE_LABEL
            assert page.fields["Aliases"] == str(next(graph.objects(HID["test-hostile"], SKOS_ALT)))


def test_hostile_strings_do_not_break_the_markdown(hostile, tmp_path: Path) -> None:
    hilos, graph = hostile
    tie = HID["test-hostile-tie"]
    quote = " ".join(str(next(graph.objects(tie, HILOS.quote))).split())
    citation = str(next(graph.objects(HID["test-hostile-source"], HILOS.citation)))
    locator = " ".join(str(next(graph.objects(tie, HILOS.locator))).split())
    for args in (
        [str(HID["test-hostile"])],
        ["--path", str(HID["test-hostile"]), "Municipal police of Iguala"],
    ):
        out = tmp_path / "hostile.md"
        ok(hilos("export", "dossier", str(out), *args))
        text = out.read_text(encoding="utf-8")
        # no raw HTML, nothing a renderer would turn into markup
        assert re.search(r"(?<!\\)<(script|img|a|/p)", text) is None
        assert re.search(r"(?<!\\)\[d\]", text) is None
        tables = md_tables(text)  # every row has as many cells as its header
        assert tables
        if args[0] == "--path":
            assert column(tables[0], "from")[0] == HOSTILE_LABEL
        else:
            assert md_unescape(md_field(text, "Name")) == HOSTILE_LABEL
            alias = str(next(graph.objects(HID["test-hostile"], SKOS_ALT)))
            assert md_unescape(md_field(text, "Aliases")) == alias
        (note,) = [n for n in md_footnotes(text).values() if citation in n]
        assert quote in note and locator in note
        for table in tables:
            assert table[0][:2] in (["#", "relation"], ["hop", "from"])
            assert all(len(row) == len(table[0]) for row in table)


def test_no_external_url_in_the_curated_dossier(hilos, tmp_path: Path) -> None:
    out = tmp_path / "chains.html"
    ok(hilos("export", "dossier", str(out), "--path", "Abarca", "Guerreros Unidos", "--limit", "3"))
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert _external(page) == []
    assert re.search(r"""(src|href)\s*=\s*["']?\s*https?:""", text, flags=re.I) is None
    assert re.search(r"""url\(\s*["']?\s*https?:""", text, flags=re.I) is None
    assert "<script" not in text and "@media print" in text
    # IRIs are shown as text, not as links
    assert str(GU) in " ".join(page.notes.values()) + text
    assert f'href="{GU}"' not in text


# --- Errors -----------------------------------------------------------------------------------


def test_unknown_entity_exits_1_and_writes_nothing(hilos, tmp_path: Path) -> None:
    out = tmp_path / "none.md"
    line = one_line_error(hilos("export", "dossier", str(out), "Nobody Atall Xyzzy"), 1)
    assert "Nobody Atall Xyzzy" in line
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "store"]


def test_ambiguous_entity_exits_2(hostile, tmp_path: Path) -> None:
    hilos, graph = hostile
    names = [str(o) for o in graph.objects(None, RDFS.label) if "Gemelos" in str(o)]
    assert len(names) == 2 and len(set(names)) == 1
    out = tmp_path / "twins.md"
    line = one_line_error(hilos("export", "dossier", str(out), names[0]), 2)
    assert "several" in line
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["Abarca", "--path", "Abarca", "Guerreros Unidos"],
        ["Abarca", "--limit", "2"],
    ],
    ids=["neither", "both", "limit-without-path"],
)
def test_usage_errors_exit_2(hilos, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "x.md"
    line = one_line_error(hilos("export", "dossier", str(out), *args), 2)
    assert "--path" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("target", "extra"),
    [("dossier.pdf", []), ("dossier", []), ("-", []), ("x.md", ["--format", "pdf"])],
)
def test_format_errors_exit_2(hilos, tmp_path: Path, target: str, extra: list[str]) -> None:
    out = target if target == "-" else str(tmp_path / target)
    line = one_line_error(hilos("export", "dossier", out, "Abarca", *extra), 2)
    assert "format" in line
    assert list(tmp_path.iterdir()) == [tmp_path / "store"]


def _reachable(start: URIRef, avoid: URIRef) -> set[URIRef]:
    """Entities that ties of the curated graph connect to `start`, either way, not via `avoid`."""
    neighbours: dict[URIRef, set[URIRef]] = {}
    for tie, a in CURATED.subject_objects(HILOS["from"]):
        for b in CURATED.objects(tie, HILOS.to):
            neighbours.setdefault(URIRef(a), set()).add(URIRef(b))
            neighbours.setdefault(URIRef(b), set()).add(URIRef(a))
    seen, todo = {start}, [start]
    while todo:
        for nxt in neighbours.get(todo.pop(), set()) - seen - {avoid}:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_no_path_exits_1(hilos, tmp_path: Path) -> None:
    out = tmp_path / "none.html"
    # every thread from Abarca to Guerreros Unidos runs through the municipal police
    assert GU in _reachable(ABARCA, URIRef("urn:none"))
    assert GU not in _reachable(ABARCA, POLICE)
    police = label(CURATED, POLICE)
    args = ["--path", "Abarca", "Guerreros Unidos", "--exclude", police]
    line = one_line_error(hilos("export", "dossier", str(out), *args), 1)
    assert "no path" in line.lower()
    assert not out.exists()


def test_unwritable_output_exits_2_in_one_line(hilos, tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "abarca.md"
    line = one_line_error(hilos("export", "dossier", str(out), "Abarca"), 2)
    assert str(out) in line
    folder = tmp_path / "a-folder.md"
    folder.mkdir()
    one_line_error(hilos("export", "dossier", str(folder), "Abarca"), 2)
    assert list(folder.iterdir()) == []


def test_a_failure_leaves_an_existing_file_as_it_was(hilos, tmp_path: Path) -> None:
    out = tmp_path / "kept.md"
    out.write_text("an earlier dossier\n", encoding="utf-8")
    one_line_error(hilos("export", "dossier", str(out), "--path", "Abarca", "Nobody Xyzzy"), 1)
    assert out.read_text(encoding="utf-8") == "an earlier dossier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.md", "store"]


def test_help_has_examples(hilos) -> None:
    result = ok(hilos("export", "dossier", "--help"))
    assert "Examples:" in result.stdout and "hilos export dossier" in result.stdout


# --- The dossier in Spanish -------------------------------------------------------------------

_ENGLISH_UI = """
the of and to from with by for on in at is are where none also other end ends both ways only
least whose its their type types sub-types relation direction status confidence dates source
sources hop hops path paths evidence dossier entity entities tie ties name labels aliases
sphere note notes generated snapshot command filters score weights weight product stated
reported alleged confirmed disputed refuted retracted state criminal community society
collusion command kinship office leadership membership recommendation intention warning
partially many some most valid during loaded graphs graph statements derived blank nodes
labelled sorted lines written every claim above table tables point walks against runs
leaving context besides actors places markets policies events phenomena followed target
"""
ENGLISH_UI_WORDS = frozenset(_ENGLISH_UI.split())
"""Words of the dossier's English wording (headings, labels, sentences, relation, status and
sphere names) that a Spanish reader must not meet."""

_DATA = [
    RDFS.label,
    SKOS_ALT,
    RDFS.comment,
    HILOS.quote,
    HILOS.citation,
    HILOS.locator,
    HILOS.period,
    HILOS.relationText,
]


def _without_data(text: str) -> str:
    """`text` with what the sources and curators wrote taken out: every name, alias, note,
    quote, citation, locator and period of the curated graph, longest first, and every IRI."""
    written = sorted(
        {" ".join(str(o).split()) for p in _DATA for o in CURATED.objects(None, p)},
        key=len,
        reverse=True,
    )
    text = " ".join(text.split())
    for value in written:
        if len(value) > 1:
            text = text.replace(value, " ")
    return re.sub(r"https?://\S+", " ", text)


def _reader_text(path: Path) -> str:
    """What a reader reads in a dossier: HTML without its tags and code, Markdown without its
    escapes and code spans (the hash and the command line)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<style>.*?</style>|<code[^>]*>.*?</code>", " ", text, flags=re.S)
        text = re.sub(r'<span class="iri">.*?</span>', " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    else:
        text = re.sub(r"`[^`]*`", " ", md_unescape(text))
    return text


def _english_words(path: Path) -> set[str]:
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", _without_data(_reader_text(path)))
    return {w.lower() for w in words} & ENGLISH_UI_WORDS


SPANISH_CASES = [
    # an entity with recommendations, intentions, partnerships and qualifiers among its ties
    ["hid:mexican-government", "--include", "places,markets,policies"],
    ["José Luis Abarca", "--min-status", "reported", "--tie-type", "hilos:Kinship"],
    ["--path", "José Luis Abarca", "Guerreros Unidos", "--limit", "2", "--exclude", "Iguala"],
]


@pytest.mark.parametrize("suffix", [".md", ".html"])
@pytest.mark.parametrize("args", SPANISH_CASES, ids=["card", "filters", "path"])
def test_the_spanish_dossier_has_no_english_ui_word(
    hilos, tmp_path: Path, suffix: str, args: list[str]
) -> None:
    english = tmp_path / f"en{suffix}"
    ok(hilos("export", "dossier", str(english), *args))
    # the list catches the English wording: the same dossier in English is full of it
    assert len(_english_words(english)) > 12, _english_words(english)

    spanish = tmp_path / f"es{suffix}"
    result = ok(hilos("--lang", "es", "export", "dossier", str(spanish), *args))
    assert not _english_words(spanish), _english_words(spanish)
    assert "wrote" not in result.stderr and "se escribió" in result.stderr


def _label_es(iri: URIRef) -> str:
    """The ontology's Spanish label of a class or concept."""
    (value,) = (
        v for v in ONTOLOGY.objects(iri, RDFS.label) if getattr(v, "language", None) == "es"
    )
    return str(value)


def test_the_spanish_dossier_names_relations_statuses_and_spheres_by_their_labels(
    hilos, tmp_path: Path
) -> None:
    out = tmp_path / "abarca.md"
    ok(hilos("--lang", "es", "export", "dossier", str(out), "José Luis Abarca"))
    text = out.read_text(encoding="utf-8")
    (ties,) = md_tables(text)
    expected = set()
    for tie in ties_of(ABARCA):
        (cls,) = CURATED.objects(tie, RDF.type)
        (status,) = CURATED.objects(tie, HILOS.status)
        expected.add((_label_es(URIRef(cls)), _label_es(URIRef(status))))
    statuses = [cell.split(";")[0] for cell in column(ties, "estatus")]
    assert set(zip(column(ties, "relación"), statuses, strict=True)) == expected
    # the other ends' sphere and the entity's type, by the ontology's Spanish labels
    assert f"({_label_es(HILOS.StateSphere)})" in text
    assert "**Tipos:** " + _label_es(HILOS.Mayor) in text
    assert "**Esfera:** " + _label_es(HILOS.StateSphere) in text


# --- The template -----------------------------------------------------------------------------

TEMPLATE = REPO / "src" / "hilos" / "export" / "dossier.html"


def test_template_filling_escapes_text_and_never_fills_a_value_again() -> None:
    from hilos.export.dossier import _fill, _Html

    # the blocks as dossier.html writes them: <th>@@TEXT@@</th>, <p>@@TEXT@@</p> …
    assert _fill("header", TEXT='<b a="1">&') == "<th>&lt;b a=&quot;1&quot;&gt;&amp;</th>"
    assert _fill("header", TEXT=_Html("<b>x</b>")) == "<th><b>x</b></th>"
    assert _fill("paragraph", TEXT="@@TEXT@@ and @@LANG@@") == "<p>@@TEXT@@ and @@LANG@@</p>"
    # a line holding only a marker goes away when filled with nothing
    assert _fill("notes", NOTES=_Html("")) == '<ol class="notes">\n</ol>'
    assert _fill("notes", NOTES=_Html("<li>1</li>")) == '<ol class="notes">\n<li>1</li>\n</ol>'
    with pytest.raises(KeyError):
        _fill("header")  # a marker left unfilled is a mistake, never an empty cell


@pytest.mark.parametrize("which", ["entity", "path"])
def test_the_html_dossier_is_the_template_filled_in(memory_store: Store, which: str) -> None:
    from hilos.export.dossier import build_dossier, render_html

    if which == "entity":
        dossier = build_dossier(memory_store, entity=str(ABARCA), lang="es")
    else:
        dossier = build_dossier(memory_store, path=(str(ABARCA), str(GU)))
    page = render_html(dossier)
    template = TEMPLATE.read_text(encoding="utf-8")
    style = re.search(r"<style>.*?</style>", template, re.DOTALL)
    assert style is not None and style.group(0) in page
    assert "@@" not in page and "<!--" not in page
    assert page.startswith(f'<!DOCTYPE html>\n<html lang="{dossier.lang}">')
    assert page.endswith("</html>\n")
    parsed = Page(page)
    assert parsed.notes.keys() == {note.number for note in dossier.footnotes}


def test_the_filters_name_the_context_kinds_in_the_dossiers_language(
    memory_store: Store,
) -> None:
    from hilos.export.dossier import build_dossier
    from hilos.i18n import catalogue

    spanish = catalogue("es")
    filters = Filters(directed=False, include=("market", "place"))
    dossier = build_dossier(memory_store, entity=str(ABARCA), filters=filters, lang="es")
    (sentence,) = [line for line in dossier.filters if "contexto" in line]
    # in the order --include lists its names (places before markets), whatever order given
    assert sentence.endswith(f": {spanish['places']}, {spanish['markets']}")
