"""The documentation keeps up with the code: the README's first screen gets a new user going (the
two commands, how to run `hilos` afterwards, a short tour) and points to `docs/`, where every
command is documented on its group's page; every command has help with examples; the command
lines in the docs are real commands with real options; links resolve."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from hilos.cli.app import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
COMMANDS = sorted(cli.commands)
FIRST_SCREEN = 40
"""How many lines of the README a terminal or a repository page shows before any scrolling."""

PAGES = {
    "search": "search-and-show.md",
    "show": "search-and-show.md",
    "types": "search-and-show.md",
    "paths": "paths-and-chains.md",
    "chains": "paths-and-chains.md",
    "centrality": "analyses.md",
    "brokers": "analyses.md",
    "communities": "analyses.md",
    "disrupt": "analyses.md",
    "hotspots": "analyses.md",
    "claim": "claims.md",
    "entity": "claims.md",
    "undo": "claims.md",
    "import": "import.md",
    "export": "export.md",
    "serve": "serve.md",
    "query": "queries.md",
    "queries": "queries.md",
    "load": "store.md",
    "drop": "store.md",
    "graphs": "store.md",
    "validate": "store.md",
}
"""The page of `docs/` that documents each command, by command group."""


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _documents() -> dict[str, str]:
    """The README and every page of `docs/`, by path relative to the checkout."""
    found = {"README.md": README}
    for path in sorted(DOCS.glob("*.md")):
        found[f"docs/{path.name}"] = path.read_text(encoding="utf-8")
    return found


def test_there_are_commands() -> None:
    assert {"load", "drop", "validate", "search", "show", "query", "queries", "export"} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_examples(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"hilos {name}" in result.output


def test_every_command_has_a_page() -> None:
    assert set(COMMANDS) == set(PAGES), "add the command to PAGES and document it on that page"
    assert all((DOCS / page).is_file() for page in PAGES.values())


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_on_its_page(name: str) -> None:
    page = PAGES.get(name, "?")
    assert (DOCS / page).is_file(), f"no page for `hilos {name}` in PAGES"
    assert f"`hilos {name}" in _doc(page), page
    assert f"`hilos {name}" in _doc("commands.md"), "the overview table lists every command"


def _first_screen() -> str:
    return "\n".join(README.splitlines()[:FIRST_SCREEN])


def test_the_readme_opens_with_the_two_commands_and_the_run_line() -> None:
    screen = _first_screen()
    assert "make demo" in screen and "make test" in screen
    # how to run hilos after `make demo` (`which hilos` finds nothing without it)
    assert "source .venv/bin/activate" in screen
    assert "pipx install ." in screen
    assert screen.index("make demo") < screen.index("source .venv/bin/activate")
    # all of it before the first section: nothing to read through first
    head = README.split("\n## ", 1)[0]
    assert "make demo" in head and "source .venv/bin/activate" in head


def test_the_first_screen_has_a_ten_line_tour() -> None:
    blocks = _blocks(_first_screen())
    tour = [words for words in blocks[-1] if words[0] == "hilos"]
    assert len(tour) == 10
    assert len({words[1] if not words[1].startswith("-") else words[3] for words in tour}) >= 8


def test_the_tour_runs_as_written(
    hilos: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line of the tour answers on a fresh store (but `serve`, which runs until Ctrl-C),
    and the files it writes land where the reader stands."""
    from conftest import Hilos

    assert isinstance(hilos, Hilos)
    monkeypatch.chdir(tmp_path)
    tour = [words for words in _blocks(_first_screen())[-1] if words[0] == "hilos"]
    for words in tour:
        if words[1] == "serve":
            continue
        result = hilos(*words[1:])
        assert result.exit_code == 0, (words, result.stderr)
        assert result.stdout.strip() or words[1] == "export", words
    assert (tmp_path / "abarca.html").is_file()


def test_every_docs_page_is_linked_from_the_readme() -> None:
    for path in sorted(DOCS.glob("*.md")):
        assert f"(docs/{path.name})" in README or f"(docs/{path.name}#" in README, path.name


def test_every_library_query_is_documented() -> None:
    from hilos.sparql.library import library

    page = _doc("queries.md")
    for query in library():
        assert f"`{query.name}`" in page, query.name


# --- links ------------------------------------------------------------------------------------

_LINK = re.compile(r"\]\(([^()\s]+)\)")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    headings = re.findall(r"^#{1,6} (.+)$", _without_code(text), flags=re.MULTILINE)
    return {_slug(h) for h in headings}


def _without_code(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def test_slugs_follow_github() -> None:
    assert _slug("A remote store: `--endpoint URL`") == "a-remote-store---endpoint-url"
    assert _slug("Your own investigation") == "your-own-investigation"


@pytest.mark.parametrize("document", sorted(_documents()))
def test_internal_links_resolve(document: str) -> None:
    text = _documents()[document]
    base = (ROOT / document).parent
    for target in _LINK.findall(_without_code(text)):
        if re.match(r"[a-z]+:", target):
            continue  # a web address: not checked offline
        file, _, anchor = target.partition("#")
        path = (base / file).resolve() if file else ROOT / document
        assert path.exists(), f"{document}: {target}"
        if anchor:
            assert anchor in _anchors(path.read_text(encoding="utf-8")), f"{document}: {target}"


# --- command lines in the docs ----------------------------------------------------------------


def _blocks(text: str) -> list[list[list[str]]]:
    """The shell blocks of a document (```sh, ```console, ```bash), each as its command lines
    split into words: continuation lines joined, comments, prompts and anything after a pipe
    or a redirection dropped."""
    blocks: list[list[list[str]]] = []
    for block in re.findall(r"^```(?:sh|console|bash)\n(.*?)^```", text, re.M | re.S):
        commands: list[list[str]] = []
        for line in block.replace("\\\n", " ").splitlines():
            line = line.removeprefix("$ ")
            try:
                words = shlex.split(line, comments=True)
            except ValueError:
                continue  # a heredoc's body or a line of output
            for stop in ("|", ">", "<", "&&", ";", "<<'PY'"):
                if stop in words:
                    words = words[: words.index(stop)]
            if words:
                commands.append(words)
        blocks.append(commands)
    return blocks


def _hilos_lines() -> list[tuple[str, list[str]]]:
    return [
        (document, words)
        for document, text in _documents().items()
        for block in _blocks(text)
        for words in block
        if words[0] == "hilos"
    ]


def _check(words: list[str]) -> None:
    """Parse a command line as click would, down to its command: an unknown command or option,
    a bad choice or a missing argument raises `click.UsageError`. A file that does not exist
    where the test runs is accepted (the docs name the reader's files)."""
    command: click.Command = cli
    ctx = cli.make_context("hilos", list(words[1:]))
    while isinstance(command, click.Group):
        rest = [*ctx._protected_args, *ctx.args]
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        command = sub
        try:
            ctx = command.make_context(name, rest, parent=ctx)
        except click.BadParameter as exc:
            if exc.param is None or not isinstance(exc.param.type, click.Path):
                raise


def test_the_docs_run_many_commands() -> None:
    lines = _hilos_lines()
    assert len(lines) > 40
    assert {words[1] for _, words in lines if not words[1].startswith("-")} >= {
        "search",
        "show",
        "paths",
        "chains",
        "claim",
        "import",
        "export",
    }


def test_command_lines_in_the_docs_name_real_commands_and_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)  # the docs name files of the checkout (examples/, tests/data/)
    wrong = []
    for document, words in _hilos_lines():
        try:
            _check(words)
        except click.UsageError as exc:
            wrong.append(f"{document}: {shlex.join(words)}: {exc.format_message()}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "line",
    [
        "hilos chains --limt 5",
        "hilos paths A",
        "hilos centrality --measure fame",
        "hilos claim ad A colusión B --source S",
        "hilos --lang es shw X",
    ],
)
def test_the_check_catches_a_wrong_line(line: str) -> None:
    with pytest.raises(click.UsageError):
        _check(shlex.split(line))


# --- facts the docs state ---------------------------------------------------------------------


def _curated_section() -> str:
    page = _doc("data-model.md")
    start = page.index("## What the curated graph holds")
    end = page.find("\n## ", start + 1)
    return page[start : end if end > 0 else len(page)]


def test_the_counts_match_the_curated_graph(memory_store: object) -> None:
    import hilos
    from hilos.store import Store

    assert isinstance(memory_store, Store)
    curated = [g.name for g in memory_store.graphs() if g.name.startswith("report/")]
    section = _curated_section()
    stated = {
        (label.strip(), int(count))
        for line in section.splitlines()
        if line.startswith("- **")
        for label, count in re.findall(r"([a-z][a-z\- ]*?) \((\d+)\)", line.split(":", 1)[1])
    }
    by_class = hilos.run_query(memory_store, "counts-by-class", graphs=curated)
    actual = {(row["classLabel"].value, int(row["count"].value)) for row in by_class.rows}
    assert stated == actual

    statuses = hilos.run_query(memory_store, "tie-counts-by-status", graphs=curated)
    for row in statuses.rows:
        line = (
            f"| {row['statusLabel'].value} | {row['ties'].value} | {row['withConfidence'].value} |"
        )
        assert line in section, line


def _walkthrough(text: str, heading: str) -> list[list[str]]:
    """The commands of the first `sh` block after `heading`, as argument lists (continuation
    lines joined, comments dropped)."""
    start = text.index(heading)
    block = text[text.index("```sh\n", start) + 6 :]
    block = block[: block.index("```")]
    commands = [
        shlex.split(line, comments=True) for line in block.replace("\\\n", " ").splitlines()
    ]
    return [words for words in commands if words]


@pytest.mark.parametrize(
    ("document", "heading"),
    [
        ("docs/claims.md", "## Your own investigation"),
        ("docs/tu-investigacion.md", "## El recorrido"),
    ],
)
def test_the_walkthrough_runs_as_written(
    document: str, heading: str, hilos: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import REPO, Hilos

    assert isinstance(hilos, Hilos)
    monkeypatch.chdir(REPO)  # the walk-through names the example sheet from the checkout
    commands = _walkthrough((REPO / document).read_text(encoding="utf-8"), heading)
    assert len(commands) == 14
    for words in commands:
        assert words[0] == "hilos", words
        result = hilos(*words[1:])
        assert result.exit_code == 0, (words, result.stderr)
    # and it ends where it says: the sheet taken out again, the merge and the claim kept
    listed = hilos("claim", "list", "--format", "json")
    import json

    claims = json.loads(listed.stdout)
    assert {c["short_id"] for c in claims} == {"mine/claim/1", "mine/claim/2"}


def test_the_two_walkthroughs_are_the_same_commands() -> None:
    english = _walkthrough(_doc("claims.md"), "## Your own investigation")
    spanish = _walkthrough(_doc("tu-investigacion.md"), "## El recorrido")
    assert [words[:3] for words in english] == [
        [w for w in words if w not in ("--lang", "es")][:3] for words in spanish
    ]


# --- curator notes, written for readers -------------------------------------------------------

_NOTE_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2004/02/skos/core#scopeNote",
    "http://www.w3.org/2004/02/skos/core#note",
    "http://www.w3.org/2004/02/skos/core#editorialNote",
    "http://www.w3.org/2004/02/skos/core#historyNote",
    "http://www.w3.org/2004/02/skos/core#changeNote",
    "http://www.w3.org/2004/02/skos/core#example",
)
"""The properties whose text `hilos show` and the pages print as an entity's or a tie's note."""


def _machine_words(text: str) -> list[str]:
    """File paths, IRIs and prefixed names (`hid:zetas`, `hilos:AsRecommendation`) in `text`."""
    from hilos.namespaces import PREFIXES

    prefixes = "|".join(sorted(PREFIXES, key=len, reverse=True))
    pattern = re.compile(
        r"[\w./-]*\.(?:ttl|rq|py|json|csv|md|nq|trig)\b"  # a file
        r"|\b(?:graph|ontology|queries|src|tests)/"  # a folder of the checkout
        r"|\b(?:https?|urn|file|tag):\S+"  # an IRI
        rf"|\b(?:{prefixes}):[A-Za-z_][\w-]*"  # a prefixed name
    )
    return pattern.findall(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The alliance ties are in graph/gangs.ttl.", True),
        ("an allegation (see self-defence.ttl)", True),
        ("recorded as co-optation (hilos:Cooptation) of local governments", True),
        ("not about the police (hid:mexican-police)", True),
        ("see https://w3id.org/hilos/id/zetas", True),
        ("“Until the 1990s”: a period in the report’s words (recommendation 3: 45%).", False),
        ("Named in the Street gangs section, with Barrio Azteca and Mexicles.", False),
    ],
)
def test_the_note_check_finds_paths_and_iris(text: str, found: bool) -> None:
    assert bool(_machine_words(text)) is found


def test_curator_notes_are_written_for_readers(curated: object) -> None:
    """Notes in the curated graph say in words what they mean: no file paths ("see
    graph/state.ttl"), no IRIs, no prefixed names of the ontology or the data."""
    import rdflib

    assert isinstance(curated, rdflib.Graph)
    notes = [
        (str(subject), str(value))
        for prop in _NOTE_PROPERTIES
        for subject, value in curated.subject_objects(rdflib.URIRef(prop))
    ]
    assert len(notes) > 400  # the curated graph's notes were read
    wrong = [
        f"{subject}: {', '.join(found)}"
        for subject, value in notes
        if (found := _machine_words(value))
    ]
    assert not wrong, f"{len(wrong)} notes name files or IRIs:\n" + "\n".join(wrong[:20])
