"""Names that say what the thing is: the core's errors name its parameters (`limit`), the
command line says its flags (`--limit`), in both languages; the renamed public names."""

from __future__ import annotations

import click
import pytest

import hilos
from conftest import Hilos
from hilos.cli.app import cli
from hilos.cli.common import flag_names
from hilos.errors import BadInput, HilosError
from hilos.export.dossier import dossier_format
from hilos.export.html import check_hops
from hilos.i18n import tr
from hilos.network.paths import EvidencePath, find_paths
from hilos.network.projection import Filters, parse_between
from hilos.store import Store

AT_LEAST_ONE = "{parameter} must be at least 1, got {value}"


def _raised(call: object, *args: object, **kwargs: object) -> HilosError:
    with pytest.raises(HilosError) as raised:
        call(*args, **kwargs)  # type: ignore[operator]
    return raised.value


@pytest.mark.parametrize(
    ("error", "parameter", "english"),
    [
        (
            lambda store: _raised(find_paths, store, Filters(), "a", "b", limit=0),
            "limit",
            "limit must be at least 1, got 0",
        ),
        (
            lambda store: _raised(find_paths, store, Filters(), "a", "b", max_hops=0),
            "max_hops",
            "max_hops must be at least 1, got 0",
        ),
        (lambda store: _raised(check_hops, 0), "hops", "hops must be at least 1, got 0"),
        (
            lambda store: _raised(parse_between, "later"),
            "between",
            "between expects YEAR..YEAR, got 'later'",
        ),
        (
            lambda store: _raised(dossier_format, "-"),
            "fmt",
            "writing to standard output needs fmt md or html",
        ),
    ],
    ids=["limit", "max_hops", "hops", "between", "fmt"],
)
def test_the_core_names_the_parameter(
    memory_store: Store, error: object, parameter: str, english: str
) -> None:
    raised = error(memory_store)  # type: ignore[operator]
    assert isinstance(raised, BadInput)
    assert raised.parameter == parameter
    assert str(raised) == english
    assert "--" not in str(raised) and "--" not in raised.localized("es")


def test_the_spanish_core_message_names_the_parameter_too(memory_store: Store) -> None:
    raised = _raised(find_paths, memory_store, Filters(), "a", "b", max_hops=0)
    expected = tr(AT_LEAST_ONE, "es", parameter="max_hops", value=0)
    assert raised.localized("es") == expected
    assert expected != str(raised)  # the catalogue has it in Spanish


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_command_line_says_the_flag(hilos: Hilos, lang: str) -> None:
    result = hilos("--lang", lang, "paths", "Abarca", "Guerreros Unidos", "--max-hops", "0")
    assert result.exit_code == 2
    expected = tr(AT_LEAST_ONE, lang, parameter="--max-hops", value=0)
    assert result.stderr.strip() == tr("Error: {message}", lang, message=expected)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_parameter_whose_flag_has_another_name(hilos: Hilos, lang: str) -> None:
    """`fmt` is `--format`: the flag comes from the command's own options, not the name."""
    result = hilos("--lang", lang, "export", "dossier", "-", "Abarca")
    assert result.exit_code == 2
    template = "writing to standard output needs {parameter} md or html"
    expected = tr(template, lang, parameter="--format")
    assert result.stderr.strip() == tr("Error: {message}", lang, message=expected)


def test_two_parameters_in_one_message(hilos: Hilos) -> None:
    result = hilos("chains", "--from-sphere", "state", "--to-sphere", "state")
    assert result.exit_code == 2
    assert "--from-sphere and --to-sphere must differ" in result.stderr


def test_every_option_name_has_one_flag() -> None:
    """What `flag_names` relies on: a parameter name means one flag in every command."""
    flags: dict[str, set[str]] = {}
    commands: list[click.Command] = [cli]
    while commands:
        command = commands.pop()
        for param in command.params:
            if isinstance(param, click.Option) and param.name:
                flags.setdefault(param.name, set()).add(param.opts[0])
        if isinstance(command, click.Group):
            commands.extend(command.commands.values())
    assert {name: said for name, said in flags.items() if len(said) > 1} == {}
    names = flag_names(cli)
    assert names("graphs") == "--graph"
    assert names("fmt") == "--format"
    assert names("max_hops") == "--max-hops"


def test_card_is_the_public_name_and_show_its_alias(memory_store: Store) -> None:
    iri = hilos.resolve(memory_store, "José Luis Abarca")
    assert hilos.show is hilos.card
    assert "card" in hilos.__all__
    assert hilos.card(memory_store, iri).summary.id == iri


def test_the_path_class_does_not_shadow_pathlib() -> None:
    import hilos.network.paths as paths

    assert not hasattr(paths, "Path")
    assert EvidencePath.__name__ == "EvidencePath"
