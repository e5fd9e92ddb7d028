"""Terminal output for people (issue 18): lines that fit the terminal, labels instead of IRIs,
a summary before the evidence, and Spanish everywhere with --lang es."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from hilos.cli.app import cli
from hilos.cli.words import Words
from hilos.sparql.library import library
from hilos.store import Store
from hilos.terms import Terms

FINDINGS = Path(__file__).resolve().parents[1] / "data" / "findings.ttl"

ABARCA = "José Luis Abarca"

# Every command that prints for people, on the curated store (table format, the default).
HUMAN_COMMANDS: list[tuple[str, ...]] = [
    ("search", "iguala"),
    ("search", "zetas"),
    ("search", "iguala", "--ids"),
    ("show", ABARCA),
    ("show", "hid:zetas"),
    ("show", "hid:self-defence-forces"),
    ("show", "hid:michoacan", "--ids"),
    ("chains",),
    ("chains", "--ids"),
    ("paths", "Abarca", "Guerreros Unidos"),
    ("paths", "Abarca", "Guerreros Unidos", "--ids"),
    ("centrality", "--top", "10"),
    ("centrality", "--measure", "betweenness", "--top", "10", "--ids"),
    ("brokers", "--top", "10"),
    ("brokers", "--top", "5", "--ids"),
    ("communities",),
    ("disrupt", "--steps", "5"),
    ("hotspots",),
    ("hotspots", "--ids"),
    ("queries",),
    ("query", "officials-criminal-ties"),
    ("types",),
    ("validate",),
    ("graphs",),
]


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def too_wide(text: str, width: int) -> list[str]:
    """Lines wider than `width`, but for a line that is one word longer than the width (an
    identifier or path with --ids): hilos never cuts a word, which could not be copied back."""
    return [line for line in text.splitlines() if len(line) > width and " " in line.strip()]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One on-disk curated store that the reading commands share (they do not change it)."""
    path = tmp_path_factory.mktemp("terminal") / "store"
    Store.open(path).close()
    return path


@pytest.mark.parametrize("args", HUMAN_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_line_fits_80_columns(
    store: Path, args: tuple[str, ...], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run(store, "--lang", lang, *args)
    assert result.exit_code == 0, result.stderr
    assert (result.stdout + result.stderr).strip()
    assert not too_wide(result.stdout, 80), too_wide(result.stdout, 80)
    assert not too_wide(result.stderr, 80), too_wide(result.stderr, 80)


def test_the_width_follows_the_terminal(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run(store, "show", ABARCA).stdout
    monkeypatch.setenv("COLUMNS", "140")
    wide = run(store, "show", ABARCA).stdout
    assert not too_wide(narrow, 60)
    assert max(len(line) for line in wide.splitlines()) > 80  # the quotes use the room
    assert len(wide.splitlines()) < len(narrow.splitlines())


def test_80_columns_when_the_width_is_unknown(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # and the runner's output is no terminal
    out = run(store, "chains").stdout
    assert not too_wide(out, 80)
    assert max(len(line) for line in out.splitlines()) > 70  # wrapped at 80, not narrower


# Names a person should not have to read: IRIs, prefixed names, class names.
RAW = re.compile(r"https?://|\b(?:hid|hilos|prov|dcterms|geo|rdfs|skos|org):\w|GenericTie")


@pytest.mark.parametrize(
    "args",
    [
        ("search", "iguala"),
        ("show", ABARCA),
        ("show", "hid:michoacan"),
        ("show", "hid:sinaloa"),
        ("show", "hid:tie-sdf-self-defence-forces-operates-in-mexico"),
        ("chains",),
        ("paths", "Abarca", "Guerreros Unidos"),
        ("brokers", "--top", "10"),
        ("centrality",),
        ("hotspots",),
    ],
    ids=" ".join,
)
def test_people_read_labels_not_identifiers(store: Path, args: tuple[str, ...]) -> None:
    result = run(store, *args)
    assert result.exit_code == 0, result.stderr
    assert not RAW.findall(result.stdout), [
        ln for ln in result.stdout.splitlines() if RAW.search(ln)
    ]


def test_scores_are_readable_numbers(store: Path) -> None:
    out = run(store, "centrality", "--top", "5").stdout
    assert re.search(r"\d\.\d{4}", out) is None  # no 0.01351
    assert re.search(r"\d+(\.\d)?%", out)


def test_show_names_the_type_and_sphere_by_their_labels(store: Path, ontology: Any) -> None:
    from rdflib import Namespace
    from rdflib.namespace import RDFS

    hilos_ns = Namespace("https://w3id.org/hilos/ontology#")

    def spanish(term: Any) -> str:
        return next(str(o) for o in ontology.objects(term, RDFS.label) if o.language == "es")

    mayor, state = spanish(hilos_ns.Mayor), spanish(hilos_ns.StateSphere)
    assert mayor != "hilos:Mayor"
    out = run(store, "--lang", "es", "show", ABARCA).stdout
    summary = out.splitlines()[2]
    assert mayor in summary and state in summary, summary


def test_ids_on_request(store: Path) -> None:
    plain = run(store, "search", "iguala").stdout
    with_ids = run(store, "search", "iguala", "--ids").stdout
    global_ids = run(store, "--ids", "search", "iguala").stdout
    iri = "https://w3id.org/hilos/id/iguala-municipal-police"
    assert iri not in plain
    assert iri in with_ids and iri in global_ids  # whole: never cut mid-way
    card = run(store, "show", ABARCA, "--ids").stdout
    assert "https://w3id.org/hilos/id/jose-luis-abarca" in card and "hilos:Mayor" in card


def test_chains_summary_first_then_evidence_and_brief_alone(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # one line per chain, nothing wrapped
    full = run(store, "chains", "--limit", "6").stdout.splitlines()
    brief = run(store, "chains", "--limit", "6", "--brief").stdout.splitlines()
    numbered = [line for line in brief if re.match(r"\s*\d+\. ", line)]
    assert len(numbered) == 6 and len(brief) == 7  # a head line, then one line per chain
    assert full[: len(brief)] == brief  # the full output starts with the same summary
    assert len(full) > 3 * len(brief) and any("“" in line for line in full)
    assert not any("“" in line for line in brief)  # no quotes in the summary


def test_paths_and_show_brief(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    brief = run(store, "paths", "Abarca", "Guerreros Unidos", "--brief").stdout.splitlines()
    assert len(brief) == 1 + sum(1 for line in brief if re.match(r"\s*\d+\. ", line))
    card = run(store, "show", ABARCA, "--brief").stdout
    assert "“" not in card and card.count("→") >= 3


def test_hilos_lang_chooses_spanish_and_the_flag_wins(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HILOS_LANG", "es")
    assert run(store, "search", "iguala").stdout.split()[:3] == ["nombre", "tipo", "esfera"]
    assert run(store, "--lang", "en", "search", "iguala").stdout.split()[:3] == [
        "name",
        "type",
        "sphere",
    ]


def test_errors_in_spanish(store: Path) -> None:
    result = run(store, "--lang", "es", "search", "qwxzqwxz")
    assert result.exit_code == 1
    assert result.stderr.strip() == "ninguna entidad coincide con 'qwxzqwxz'"


# --------------------------------------------------------------------------- Spanish everywhere

ENGLISH = set(
    [
        "the",
        "and",
        "of",
        "with",
        "from",
        "which",
        "between",
        "found",
        "ties",
        "tie",
        "chain",
        "chains",
        "status",
        "confirmed",
        "reported",
        "alleged",
        "disputed",
        "refuted",
        "command",
        "path",
        "paths",
        "score",
        "sources",
        "source",
        "degree",
        "broker",
        "brokers",
        "community",
        "communities",
        "network",
        "actors",
        "actor",
        "left",
        "out",
        "only",
        "context",
        "places",
        "markets",
        "note",
        "crossing",
        "hop",
        "hops",
        "claim",
        "claims",
        "strongest",
        "none",
        "no",
        "name",
        "type",
        "sphere",
        "members",
        "size",
        "step",
        "removed",
        "largest",
        "group",
        "definition",
        "kind",
        "value",
        "conforms",
        "violations",
        "warnings",
        "statements",
        "derived",
        "loaded",
        "title",
        "parameters",
        "results",
        "policies",
        "events",
        "phenomena",
        "include",
        "mayor",
        "label",
        "undoes",
        "unknown",
        "closest",
    ]
)
"""UI words that must not be left in English (a few are Spanish too: `actor`, `no`; those are
checked only where they cannot be Spanish, see `_english_left`)."""
_ALSO_SPANISH = {"actor", "no"}

READING = [
    ("search", "iguala"),
    ("show", ABARCA),
    ("show", "hid:zetas"),
    ("chains", "--limit", "5"),
    ("paths", "Abarca", "Guerreros Unidos"),
    ("brokers", "--top", "5"),
    ("centrality", "--top", "5"),
    ("communities",),
    ("disrupt", "--steps", "3"),
    ("hotspots", "--top", "3"),
    ("queries",),
    ("types",),
    ("validate",),
    ("graphs",),
]


@pytest.fixture(scope="module")
def data_strings(store: Path) -> list[str]:
    """Every text the data holds (names, quotes, citations, notes, definitions, query titles),
    longest first: what is not the interface's to translate."""
    opened = Store.open(store)
    try:
        found = {
            " ".join(row["o"].value.split())
            for row in opened.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }")
        }
        terms = Terms.of(opened)
        for term in [*terms.ties.values(), *terms.types.values()]:
            found |= {" ".join(d.split()) for d in term.definitions.values()}
        found |= {info.name for info in opened.graphs()} | {str(i.source) for i in opened.graphs()}
        notes = Words(opened, "es")  # curators' notes are shown with labels for ids
        found |= {notes.note(value) for value in found}
    finally:
        opened.close()
    for query in library():
        found |= {query.name, query.title, *(f"{p.name}:{p.type}" for p in query.parameters)}
    return sorted((s for s in found if s.strip()), key=len, reverse=True)


def _english_left(text: str, strings: list[str]) -> set[str]:
    flat = " ".join(text.split())
    for value in strings:
        if len(value) > 2:
            flat = flat.replace(value, " ")
    flat = re.sub(r"--[\w-]+|\bhttps?://\S+", " ", flat)
    words = {w.lower() for w in re.findall(r"[A-Za-zÁÉÍÓÚáéíóúñÑü]+", flat)}
    return (words & ENGLISH) - _ALSO_SPANISH


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_spanish_output_has_no_english_words(
    store: Path, args: tuple[str, ...], data_strings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "2000")  # no wrapping: the data's strings stay whole
    result = run(store, "--lang", "es", *args)
    assert result.exit_code == 0, result.stderr
    left = _english_left(result.stdout + "\n" + result.stderr, data_strings)
    assert not left, (left, result.stdout[:2000], result.stderr)


def test_the_english_check_can_fail(store: Path, data_strings: list[str]) -> None:
    english = run(store, "--lang", "en", "chains", "--limit", "2")
    assert {"chains", "score"} <= _english_left(english.stdout, data_strings)


def test_no_path_says_why_in_the_readers_language(store: Path) -> None:
    args = ("paths", "Abarca", "Guerreros Unidos", "--tie-type", "kinship")
    english, spanish = run(store, *args), run(store, "--lang", "es", *args)
    assert english.exit_code == spanish.exit_code == 1
    assert len(english.stderr.strip().splitlines()) == len(spanish.stderr.strip().splitlines()) == 1
    assert "kinship" in english.stderr  # the filter that cut every path is named
    assert english.stderr != spanish.stderr and "Abarca" in spanish.stderr


# ------------------------------------------------- commands that write, and the lines they print

SHEET = (
    "from,relation,to,status,confidence,start,citation,quote,from_type,to_type\n"
    "Alcalde Uno (ficticio),protección,Grupo Dos (ficticio),presunto,0.8,2022-03-15,"
    "Entrevista 1 (2024),Un testigo ficticio dice que la oficina del alcalde avisaba al grupo "
    "de cada operativo con días de anticipación.,alcalde,cártel\n"
    "Policía de Villa Tres (ficticia),colusión,Grupo Dos (ficticio),reportado,0.7,2021-05,"
    "Nota ficticia (2023),Según la nota ficticia los agentes escoltaban los envíos del grupo "
    "por la carretera federal.,policía municipal,cártel\n"
)

QUOTE = (
    "Un testigo dice que la oficina del alcalde avisaba al grupo de los operativos, según la "
    "nota ficticia del diario."
)


def writing_session(tmp: Path) -> list[tuple[str, ...]]:
    """Every command that changes the store or writes a file, in an order that works."""
    sheet = tmp / "hallazgos.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    return [
        ("claim", "add", "Alcalde Cuatro (ficticio)", "protección", "Guerreros Unidos",
         "--source", "Entrevista 3 (2024)", "--quote", QUOTE, "--status", "presunto",
         "--create-from", "alcalde", "--start", "2014"),
        ("claim", "edit", "mine/claim/1", "--status", "reportado", "--confidence", "0.7"),
        ("claim", "history", "mine/claim/1"),
        ("claim", "retract", "mine/claim/1", "--reason", "La fuente se desdijo"),
        ("entity", "add", "Juez Cinco (ficticio)", "--type", "funcionario público"),
        ("entity", "edit", "Juez Cinco (ficticio)", "--alias", "Juez Cinco"),
        ("undo",),
        ("import", "csv", str(sheet), "--dry-run"),
        ("import", "csv", str(sheet), "--graph", "hallazgos"),
        ("load", str(FINDINGS), "--graph", "f"),
        ("graphs",),
        ("drop", "f"),
        ("drop", "hallazgos"),
        ("export", "gexf", str(tmp / "red.gexf")),
        ("export", "csv", str(tmp / "red")),
        ("export", "turtle", str(tmp / "red.ttl")),
    ]  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es"])
def test_writing_commands_fit_80_columns(
    tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    store = tmp_path / "store"
    for args in writing_session(tmp_path):
        result = run(store, "--lang", lang, *args)
        assert result.exit_code == 0, (args, result.stderr)
        assert (result.stdout + result.stderr).strip(), args
        wide = too_wide(result.stdout, 80) + too_wide(result.stderr, 80)
        assert not wide, (args, wide)


def test_writing_commands_in_spanish(
    tmp_path: Path, data_strings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "2000")  # no wrapping: the data's strings stay whole
    store = tmp_path / "store"
    session = writing_session(tmp_path)
    # What the session itself writes is data (names, quotes, sources, files), as are the
    # names of the commands a change records ("claim add").
    given = {a for args in session for a in args} | {" ".join(a[:2]) for a in session}
    given |= {cell for line in SHEET.splitlines() for cell in line.split(",")}
    strings = sorted({*data_strings, *given}, key=len, reverse=True)
    for args in session:
        result = run(store, "--lang", "es", *args)
        assert result.exit_code == 0, (args, result.stderr)
        left = _english_left(result.stdout + "\n" + result.stderr, strings)
        assert not left, (args, left, result.stdout, result.stderr)


# ------------------------------------------------------------------ core errors in Spanish


@pytest.mark.parametrize(
    ("args", "english", "spanish"),
    [
        (
            ("show", "Nadie Ficticio"),
            "no entity matches 'Nadie Ficticio'",
            "ninguna entidad coincide con 'Nadie Ficticio'",
        ),
        (
            ("paths", "Abarca", "Guerreros Unidos", "--limit", "0"),
            "--limit must be at least 1, got 0",
            "--limit debe ser al menos 1; se dio 0",
        ),
        (
            ("query", "ties-by-status", "--param", "status=firme"),
            "parameter 'status' expects one of",
            "el parámetro 'status' espera uno de",
        ),
        (
            ("chains", "--as-of", "ayer"),
            "--as-of expects YYYY, YYYY-MM or YYYY-MM-DD",
            "--as-of espera AAAA, AAAA-MM o AAAA-MM-DD",
        ),
        (
            ("drop", "ninguno"),
            "no graph named 'ninguno' is loaded",
            "no hay ningún grafo cargado con el nombre 'ninguno'",
        ),
        (("undo", "--graph", "report/iguala"), "ships with hilos", "viene con hilos"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_core_errors_speak_the_readers_language(
    store: Path, args: tuple[str, ...], english: str, spanish: str
) -> None:
    en, es = run(store, *args), run(store, "--lang", "es", *args)
    assert en.exit_code == es.exit_code != 0
    for result, said in ((en, english), (es, spanish)):
        assert len(result.stderr.splitlines()) == 1, result.stderr  # one line, never wrapped
        assert said in result.stderr, result.stderr


def test_a_parse_error_keeps_file_line_and_column(tmp_path: Path, store: Path) -> None:
    bad = tmp_path / "malo.ttl"
    bad.write_text("@prefix x: <http://example.org/> .\nx:a x:b .\n", encoding="utf-8")
    en = run(store, "load", str(bad), "--graph", "malo")
    es = run(store, "--lang", "es", "load", str(bad), "--graph", "malo")
    assert en.exit_code == es.exit_code == 2
    assert f"{bad}, line 2, column 9: " in en.stderr
    assert f"{bad}, línea 2, columna 9: " in es.stderr


def test_an_ambiguous_name_lists_its_candidates_in_spanish(store: Path) -> None:
    from hilos.errors import AmbiguousEntity
    from hilos.search import resolve

    opened = Store.open(store)
    try:
        with pytest.raises(AmbiguousEntity) as caught:
            resolve(opened, "cartel")
    finally:
        opened.close()
    error = caught.value
    listed = "; ".join(f"{label} <{iri}>" for iri, label in error.candidates)
    assert str(error) == f"'cartel' matches several entities, give one of: {listed}"
    assert (
        error.localized("es") == f"'cartel' coincide con varias entidades; indica una de: {listed}"
    )


def test_one_line_errors_are_not_wrapped_however_long(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    result = run(store, "--lang", "es", "query", "no-such-query-" + "x" * 60)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) > 80


# ------------------------------------------------- the core's notes and reasons in Spanish


def test_undo_and_claim_history_word_changes_in_spanish(tmp_path: Path) -> None:
    """The reason an undo records ("undoes change 2 (claim edit)") and the actions of the
    journal, as `undo` and `claim history` show them: in the reader's language, the English
    unchanged (and the journal itself, data, keeps the English)."""
    from hilos.i18n import tr

    store = tmp_path / "store"
    add = ("claim", "add", "Alcalde Cuatro (ficticio)", "protección", "Guerreros Unidos",
           "--source", "Entrevista 3 (2024)", "--quote", QUOTE, "--status", "presunto",
           "--create-from", "alcalde")  # fmt: skip
    assert run(store, *add).exit_code == 0
    assert run(store, "claim", "edit", "mine/claim/1", "--status", "reportado").exit_code == 0
    undone = run(store, "--lang", "es", "undo")
    assert undone.exit_code == 0, undone.stderr
    edit = tr("claim edit", "es")
    assert edit != "claim edit"
    said = tr("undoes change {number} ({action})", "es", number=2, action=edit)
    assert said != "undoes change 2 (claim edit)"
    assert said in " ".join(undone.stdout.split()), undone.stdout
    english = run(store, "claim", "history", "mine/claim/1").stdout
    spanish = run(store, "--lang", "es", "claim", "history", "mine/claim/1").stdout
    assert "claim add" in english and "undoes change 2 (claim edit)" in english
    flat = " ".join(spanish.split())
    assert tr("claim add", "es") in flat and said in flat, spanish
    assert not {"claim", "add", "edit", "undoes", "change", "undo"} & set(
        re.findall(r"[a-z]+", flat.replace("hilos undo", "").replace("mine/claim/1", ""))
    ), spanish
    journal = Store.open(store)
    try:
        reasons = {row["r"].value for row in journal.query(
            "SELECT ?r WHERE { GRAPH ?g { ?c hilos:reason ?r } }")}  # fmt: skip
    finally:
        journal.close()
    assert reasons == {"undoes change 2 (claim edit)"}


UNKNOWN_NAMES = [
    (("entity", "add", "Nadie Ficticio", "--type", "alcalde municipall"), "alcalde municipall",
     "unknown type", "unknown type '{text}'; closest: {closest} (hilos types lists them all)",
     "{closest}"),
    (("claim", "add", "Abarca", "sobornoo", "Guerreros Unidos", "--source", "Nota 1", "--quote",
      QUOTE), "sobornoo", "unknown tie type",
     "unknown tie type '{text}'; closest: {closest} (hilos types lists them all)", "{closest}"),
    (("claim", "list", "--status", "seguro"), "seguro", "unknown status",
     "unknown status '{text}' (one of: {known})", "{known}"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "text", "english", "template", "cut"), UNKNOWN_NAMES, ids=["type", "tie", "status"]
)
def test_unknown_names_say_the_closest_in_spanish(
    tmp_path: Path, args: tuple[str, ...], text: str, english: str, template: str, cut: str
) -> None:
    from hilos.i18n import tr

    store = tmp_path / "store"
    en, es = run(store, *args), run(store, "--lang", "es", *args)
    assert en.exit_code == es.exit_code == 2, (en.stderr, es.stderr)
    assert f"{english} '{text}'" in en.stderr
    start = tr(template, "es").split(cut)[0].format(text=text)
    assert start != template.split(cut)[0].format(text=text)
    assert start in es.stderr, es.stderr
    outside = re.sub(r"\([^()]*\)", " ", es.stderr.replace(text, " "))  # the names listed
    assert not {"unknown", "closest", "lists", "them", "all", "one", "of", "type", "tie"} & set(
        re.findall(r"[a-z]+", outside)
    ), es.stderr


def test_an_endpoint_out_of_reach_is_told_in_spanish(tmp_path: Path) -> None:
    import socket

    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{free.getsockname()[1]}/sparql"
    args = ("--endpoint", url, "search", "zetas")
    en = CliRunner().invoke(cli, list(args))
    es = CliRunner().invoke(cli, ["--lang", "es", *args])
    assert en.exit_code == es.exit_code != 0
    assert f"cannot reach the SPARQL endpoint {url}" in en.stderr
    from hilos.i18n import tr

    said = tr("cannot reach the SPARQL endpoint {url}: {reason}", "es", url=url, reason="")
    assert said != f"cannot reach the SPARQL endpoint {url}: "
    assert said in es.stderr and "cannot reach" not in es.stderr, es.stderr


def _other_commands(tmp: Path) -> list[tuple[str, ...]]:
    """The commands the sessions above leave out: every export format, the dossier, the page,
    a FollowTheMoney import, a matrix import and an entity merge, on a store of their own."""
    matrix = tmp / "matrix.csv"
    matrix.write_text(",a1,a2\na1,0,3\na2,1,0\n", encoding="utf-8")
    ftm = tmp / "people.ftm.json"
    ftm.write_text(
        '{"id": "p1", "schema": "Person", "properties": {"name": ["Persona de prueba"]}}\n',
        encoding="utf-8",
    )
    exports = [
        ("export", fmt, str(tmp / f"out.{fmt}"))
        for fmt in ("ntriples", "nquads", "trig", "jsonld", "rdfxml", "graphml", "ftm")
    ]
    return [
        *exports,
        ("export", "dossier", str(tmp / "abarca.md"), ABARCA),
        ("export", "html", str(tmp / "page.html"), "--chains"),
        ("import", "ftm", str(ftm)),
        ("import", "matrix", str(matrix), "--relation", "kinship"),
        ("entity", "merge", "a1", "a2", "--source", "A test note"),
    ]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_other_commands_fit_80_columns(
    tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    store = tmp_path / "store"
    for args in _other_commands(tmp_path):
        result = run(store, "--lang", lang, *args)
        assert result.exit_code == 0, (args, result.stderr)
        assert (result.stdout + result.stderr).strip(), args
        wide = too_wide(result.stdout + result.stderr, 80)
        assert not wide, (args, wide)
