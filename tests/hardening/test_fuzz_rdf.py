"""Fuzzing `hilos load` (and `hilos validate FILE`) in every RDF format it reads.

Three kinds of input per format: a valid document mutated byte by byte (deleted, inserted,
repeated and cut spans, tokens of the format's grammar and hostile bytes); bytes at random; and
valid documents built from hostile terms (odd IRIs, control characters, bidi overrides,
ill-typed literals). A load either succeeds (exit 0) or fails with one line naming the file
(exit 2) and leaves the store exactly as it was: same registry, same number of quads, no
half-written graph.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from .support import HOSTILE, LONG, FuzzStore, assert_clean, bounded, budget

EX = "https://example.org/fuzz/"
HILOS = "https://w3id.org/hilos/ontology#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"

FORMATS = {
    "turtle": ("ttl", ox.RdfFormat.TURTLE),
    "ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
    "nquads": ("nq", ox.RdfFormat.N_QUADS),
    "trig": ("trig", ox.RdfFormat.TRIG),
    "rdfxml": ("rdf", ox.RdfFormat.RDF_XML),
    "jsonld": ("jsonld", ox.RdfFormat.JSON_LD),
    "n3": ("n3", ox.RdfFormat.N3),
}
DATASETS = {"nquads", "trig", "jsonld"}


def _seed_quads(dataset: bool) -> list[ox.Quad]:
    """A small valid graph in the shape of a user's findings: two actors and a sourced tie."""
    n = ox.NamedNode
    mayor, group, tie, source = (n(EX + x) for x in ("mayor", "group", "tie", "source"))
    triples = [
        (mayor, RDF_TYPE, n(HILOS + "Mayor")),
        (mayor, RDFS_LABEL, ox.Literal("Alcalde Pérez", language="es")),
        (group, RDF_TYPE, n(HILOS + "DrugTraffickingOrganization")),
        (group, RDFS_LABEL, ox.Literal("Cártel de Prueba")),
        (tie, RDF_TYPE, n(HILOS + "Bribery")),
        (tie, n(HILOS + "from"), group),
        (tie, n(HILOS + "to"), mayor),
        (tie, n(HILOS + "status"), n(HILOS + "Alleged")),
        (tie, n(HILOS + "confidence"), ox.Literal("0.4", datatype=n(XSD + "decimal"))),
        (tie, n(HILOS + "start"), ox.Literal("2014", datatype=n(XSD + "gYear"))),
        (tie, n("http://www.w3.org/ns/prov#wasDerivedFrom"), source),
        (source, n(HILOS + "citation"), ox.Literal("Interview 3, p. 4")),
        (tie, n(HILOS + "quote"), ox.Literal('He said "they paid".', language="en")),
        (ox.BlankNode("b0"), RDFS_LABEL, ox.Literal("a blank node")),
    ]
    quads = [ox.Quad(s, p, o) for s, p, o in triples]
    if dataset:
        quads.append(ox.Quad(mayor, RDFS_LABEL, ox.Literal("in a graph"), n(EX + "graph")))
    return quads


def seed(fmt: str) -> bytes:
    quads = _seed_quads(fmt in DATASETS)
    rdf_format = FORMATS[fmt][1]
    items: list[ox.Quad] | list[ox.Triple] = quads if fmt in DATASETS else [q.triple for q in quads]
    return ox.serialize(items, format=rdf_format, prefixes={"ex": EX, "hilos": HILOS}) or b""


TOKENS = [
    b"<",
    b">",
    b'"',
    b'"""',
    b"'",
    b"\\",
    b"\\u0000",
    b"\\uD800",
    b"\\U0010FFFF",
    b"\\U7FFFFFFF",
    b"@prefix x: <",
    b"@base <",
    b"PREFIX : <urn:>",
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b".",
    b";",
    b",",
    b"_:b0",
    b"^^",
    b"@en-",
    b"<>",
    b"<#>",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\n",
    b"\r",
    b"#",
    b"GRAPH",
    b" a ",
    b"true",
    b"1e9999",
    b"-0.0e-0",
    b"<file:///etc/passwd>",
    b"<!DOCTYPE r [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"&e;",
    b"&amp;",
    b"rdf:parseType='Literal'",
    b'"@context":',
    b'"@id":',
    b'"@graph":[',
    b'"@type":"@json"',
    b'"@context":"http://127.0.0.1:9/ctx.jsonld"',
    b'"@base":null',
    b"{}",
    b"[[[[[[[[[[",
    b"((((((((((",
]
hostile_bytes = st.sampled_from([h.encode("utf-8") for h in HOSTILE if len(h) < 200])
insert = st.one_of(st.sampled_from(TOKENS), hostile_bytes, st.binary(min_size=1, max_size=6))
edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "replace", "repeat", "cut"]),
        st.integers(0, 1 << 20),
        st.integers(1, 40),
        insert,
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, changes: list[tuple[str, int, int, bytes]]) -> bytes:
    for kind, where, size, token in changes:
        at = where % (len(data) + 1)
        if kind == "delete":
            data = data[:at] + data[at + size :]
        elif kind == "insert":
            data = data[:at] + token + data[at:]
        elif kind == "replace":
            data = data[:at] + token + data[at + len(token) :]
        elif kind == "repeat":
            data = data[:at] + data[at : at + size] * 8 + data[at:]
        else:
            data = data[:at]
    return data


def check_load(fuzz_store: FuzzStore, folder: Path, fmt: str, content: bytes) -> int:
    """Load `content` as a file of format `fmt`: clean success, or a clean failure that names
    the file and changes nothing."""
    path = folder / f"case.{FORMATS[fmt][0]}"
    path.write_bytes(content)
    result = fuzz_store.judge("load", str(path), "--graph", "fuzz", seconds=30)
    if result.exit_code != 0:
        assert str(path) in result.stderr, result.stderr
    return result.exit_code


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_seed_documents_load(fuzz_store: FuzzStore, tmp_path: Path, fmt: str) -> None:
    # The fuzz below starts from documents that load: a mutation is what breaks them.
    assert check_load(fuzz_store, tmp_path, fmt, seed(fmt)) == 0


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@budget(20)
@given(changes=edits)
def test_mutated_documents_load_whole_or_not_at_all(
    fuzz_store: FuzzStore, tmp_path: Path, fmt: str, changes: list[tuple[str, int, int, bytes]]
) -> None:
    check_load(fuzz_store, tmp_path, fmt, mutate(seed(fmt), changes))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@budget(8)
@given(content=st.one_of(st.binary(max_size=400), st.text(max_size=200).map(str.encode)))
def test_random_bytes_never_load_half(
    fuzz_store: FuzzStore, tmp_path: Path, fmt: str, content: bytes
) -> None:
    check_load(fuzz_store, tmp_path, fmt, content)


# ---------------------------------------------------------------- valid documents, hostile terms

iri_tails = st.one_of(
    st.sampled_from(["a", "x%20y", "é", "\u202e", "a?b#c", "%00", "~", "(x)", "a'b"]),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zs"), blacklist_characters='<>"{}|^`\\'),
        min_size=1,
        max_size=12,
    ),
)


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


subjects = st.one_of(
    iri_tails.map(lambda t: EX + t).filter(_is_iri).map(ox.NamedNode),
    st.sampled_from(
        [
            ox.NamedNode("https://w3id.org/hilos/id/zetas"),
            ox.NamedNode("urn:x:y"),
            ox.NamedNode("javascript:alert(1)"),
            ox.NamedNode("file:///etc/passwd"),
            ox.BlankNode("b1"),
        ]
    ),
)
predicates = st.sampled_from(
    [
        RDFS_LABEL,
        RDF_TYPE,
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
        ox.NamedNode(HILOS + "from"),
        ox.NamedNode(HILOS + "to"),
        ox.NamedNode(HILOS + "status"),
        ox.NamedNode(HILOS + "quote"),
        ox.NamedNode(HILOS + "confidence"),
        ox.NamedNode(HILOS + "start"),
        ox.NamedNode(HILOS + "citation"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
        ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf"),
        ox.NamedNode(HILOS + "searchKey"),
        ox.NamedNode(EX + "p"),
    ]
)
texts = st.one_of(st.sampled_from((*HOSTILE, LONG)), st.text(max_size=30))
datatypes = st.sampled_from(
    ["integer", "decimal", "double", "boolean", "date", "gYear", "dateTime", "string"]
)
literals = st.one_of(
    st.builds(ox.Literal, texts),
    st.builds(
        lambda t, lang: ox.Literal(t, language=lang), texts, st.sampled_from(["en", "es", "x-y"])
    ),
    st.builds(
        lambda t, d: ox.Literal(t, datatype=ox.NamedNode(XSD + d)),
        st.one_of(texts, st.sampled_from(["abc", "2020-13-45", "NaN", "-INF", "1e999", "x"])),
        datatypes,
    ),
)
objects = st.one_of(subjects, literals, st.sampled_from([ox.NamedNode(HILOS + "Mayor")]))
documents = st.lists(st.builds(ox.Triple, subjects, predicates, objects), min_size=1, max_size=12)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml", "jsonld"])
@budget(6)
@given(triples=documents)
def test_hostile_but_valid_documents_load_and_validate(
    fuzz_store: FuzzStore, tmp_path: Path, fmt: str, triples: list[ox.Triple]
) -> None:
    try:
        content = ox.serialize(triples, format=FORMATS[fmt][1]) or b""
    except (ValueError, OSError):
        return  # the format cannot say it (RDF/XML and some IRIs): nothing to load
    path = tmp_path / f"valid.{FORMATS[fmt][0]}"
    path.write_bytes(content)
    with bounded(60):
        checked = fuzz_store("validate", str(path))
    assert_clean(checked, (0, 1, 2))
    code = check_load(fuzz_store, tmp_path, fmt, content)
    assert code in (0, 2)


# ------------------------------------------------------------- what the fuzzing found, pinned

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">
 <rdf:Description rdf:about="http://ex.org/a"><ex:p>&e;</ex:p></rdf:Description>
</rdf:RDF>
"""
"""A small "billion laughs": 300 kB once expanded (four more levels make 3 GB, which
Oxigraph's parser expanded in 80 s and 12 GB of memory)."""


def nested_rdfxml(depth: int) -> bytes:
    """Elements nested `depth` deep: Oxigraph's parser takes 16 s at 20,000 (1 MB)."""
    head = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://ex.org/"><rdf:Description rdf:about="http://ex.org/a">'
    )
    body = "<ex:p><rdf:Description>" * depth + "</rdf:Description></ex:p>" * depth
    return (head + body + "</rdf:Description></rdf:RDF>").encode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bomb.rdf", BOMB, "expands other entities"),
        ("deep.rdf", nested_rdfxml(20_000), "nested more than"),
        ("encoding.rdf", b'<?xml version="1.0" encoding="TF-8"?><r/>', "encoding"),
    ],
)
def test_hostile_rdfxml_is_refused_at_once(
    fuzz_store: FuzzStore, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    for command in (("load", str(path)), ("validate", str(path))):
        result = fuzz_store.judge(*command, codes=(2,), seconds=5)
        assert reason in result.stderr and str(path) in result.stderr


def test_real_rdfxml_with_entities_still_loads(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    path = tmp_path / "protege.owl"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        ' <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">\n'
        ' <!ENTITY ex "https://example.org/fuzz/">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        ' <rdf:Description rdf:about="&ex;a">'
        '<rdfs:label rdf:datatype="&xsd;string">A &amp; B</rdfs:label></rdf:Description>\n'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    assert fuzz_store.judge("load", str(path)).exit_code == 0


def test_the_store_itself_refuses_an_entity_bomb(tmp_path: Path) -> None:
    from hilos.errors import ParseError
    from hilos.store import Store

    path = tmp_path / "bomb.rdf"
    path.write_bytes(BOMB)
    store = Store.in_memory()
    with pytest.raises(ParseError, match="expands other entities"):
        store.load(path)


def test_json_ld_never_fetches_a_remote_context(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    """A JSON-LD file that names a remote @context: hilos phones nobody (a listening socket
    would see the request) and fails in one line."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/context.jsonld"
        for number, document in enumerate(
            [
                {"@context": url, "@id": "https://example.org/fuzz/a", "name": "x"},
                {"@context": {"@import": url}, "@id": "https://example.org/fuzz/a"},
                {"@context": [url], "@id": "https://example.org/fuzz/a"},
            ]
        ):
            path = tmp_path / f"remote-{number}.jsonld"
            path.write_text(json.dumps(document), encoding="utf-8")
            fuzz_store.judge("load", str(path), codes=(2,))
        with pytest.raises(TimeoutError):
            listener.accept()


def test_ill_typed_literals_validate_without_a_traceback(
    fuzz_store: FuzzStore, tmp_path: Path
) -> None:
    # rdflib, which pySHACL uses, logged a traceback on stderr for each of these.
    path = tmp_path / "ill-typed.ttl"
    path.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/fuzz/a> <https://example.org/fuzz/p> "abc"^^xsd:integer ,'
        ' "2020-13-45"^^xsd:date , "x"^^xsd:boolean , "1e999"^^xsd:double , "NaN"^^xsd:decimal .\n',
        encoding="utf-8",
    )
    assert fuzz_store.judge("validate", str(path), codes=(0, 1)).stderr.count("\n") == 1
    loaded = fuzz_store("load", str(path), "--graph", "ill")
    assert loaded.exit_code == 0
    checked = fuzz_store("validate", "--graph", "ill")
    assert_clean(checked, (0, 1))
    fuzz_store.reset()


def test_a_graph_named_by_a_quad_file_can_be_dropped(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    path = tmp_path / "leak.nq"
    path.write_text('<https://example.org/fuzz/a> <https://example.org/fuzz/p> "x" <tag:x> .\n')
    assert fuzz_store("load", str(path)).exit_code == 0
    try:
        listed = json.loads(fuzz_store("graphs", "--format", "json").stdout)
        (name,) = [g["name"] for g in listed if "tag:x" in g["name"]]
        dropped = fuzz_store("drop", name)  # the name `hilos graphs` gives it
        assert dropped.exit_code == 0, dropped.stderr
    finally:
        fuzz_store.reset()


def test_rdfxml_export_is_well_formed_or_refused(fuzz_store: FuzzStore, tmp_path: Path) -> None:
    """Oxigraph's RDF/XML writer copies control characters and writes `ex:7` as an element
    with no local name: the export refuses such data in one line and leaves no file."""
    data = tmp_path / "odd.nt"
    data.write_text(
        '<https://example.org/fuzz/a> <https://example.org/fuzz/p> "bell \\u0007" .\n'
        '<https://example.org/fuzz/a> <https://example.org/fuzz/7> "x" .\n',
        encoding="utf-8",
    )
    assert fuzz_store("load", str(data), "--graph", "odd").exit_code == 0
    try:
        target = tmp_path / "out.rdf"
        refused = fuzz_store("export", "rdfxml", str(target), "--graph", "odd")
        assert_clean(refused, (2,))
        assert list(tmp_path.glob("*out.rdf*")) == []
        fine = fuzz_store("export", "rdfxml", str(target), "--graph", "report/iguala")
        assert_clean(fine, (0,))
        expat.ParserCreate(namespace_separator=" ").Parse(target.read_bytes(), True)
    finally:
        fuzz_store.reset()
