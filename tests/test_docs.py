"""The documentation keeps up with the code: every command has help with examples and is in the
README; the README opens with the two commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hilos.cli.app import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


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


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`hilos {name}" in README


def test_the_readme_opens_with_the_two_commands() -> None:
    head = README.split("## ", 1)[0]
    assert "make demo" in head and "make test" in head


def test_every_library_query_is_in_the_readme() -> None:
    from hilos.queries import library

    for query in library():
        assert f"`{query.name}`" in README, query.name


def _curated_section() -> str:
    start = README.index("## What the curated graph holds")
    return README[start : README.index("\n## ", start + 1)]


def test_the_readme_counts_match_the_curated_graph(memory_store: object) -> None:
    import re

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
    import shlex

    start = text.index(heading)
    block = text[text.index("```sh\n", start) + 6 :]
    block = block[: block.index("```")]
    commands = [
        shlex.split(line, comments=True) for line in block.replace("\\\n", " ").splitlines()
    ]
    return [words for words in commands if words]


@pytest.mark.parametrize(
    ("document", "heading"),
    [("README.md", "## Your own investigation"), ("docs/tu-investigacion.md", "## El recorrido")],
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
    from conftest import REPO

    english = _walkthrough(README, "## Your own investigation")
    spanish = _walkthrough(
        (REPO / "docs" / "tu-investigacion.md").read_text(encoding="utf-8"), "## El recorrido"
    )
    assert [words[:3] for words in english] == [
        [w for w in words if w not in ("--lang", "es")][:3] for words in spanish
    ]
