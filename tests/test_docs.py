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
