"""Names that say what the thing is: the core's errors name its parameters (`limit`), the
command line says its flags (`--limit`), in both languages; the renamed public names."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import click
import pytest

import hilos
from conftest import Hilos
from hilos import claims, errors
from hilos.cli.app import cli
from hilos.cli.common import flag_names
from hilos.errors import PARAMETER_KEYS, BadInput, HilosError
from hilos.export.dossier import dossier_format
from hilos.export.html import check_hops
from hilos.i18n import tr
from hilos.importers import tabular
from hilos.importers.columns import FIELDS, parse_mapping
from hilos.importers.resolution import Resolver
from hilos.network.paths import EvidencePath, find_paths
from hilos.network.projection import Filters, parse_between
from hilos.sparql.library import bind_parameters, find_query
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


# --- the claims, the imports and the query library: messages that named flags ------------------


def _mapping_without_equals() -> None:
    parse_mapping(["from"], FIELDS)


def _append_and_replace(store: Store) -> None:
    tabular._check_graph(store, "inv", replace=True, dry_run=False, append=True, digest="0" * 64)


CORE_MESSAGES = [
    # (call, the parameter, the start of the English message: the parameter's own name)
    (lambda s: claims.add_claim(s, "Zetas", "rivalry", "Sinaloa cartel", source="s",
                                start="5/3/2012"), "start", "start: "),
    (lambda s: claims.add_claim(s, "Zetas", "rivalry", "Sinaloa cartel", source="s",
                                end="someday"), "end", "end: "),
    (lambda s: claims.add_claim(s, "Zetas", "rivalry", "Sinaloa cartel", source="s",
                                confidence="lots"), "confidence", "confidence: "),
    (lambda s: claims.add_claim(s, "Zetas", "rivalry", "Sinaloa cartel", source=" "),
     "source", "a claim needs its source (source: "),
    (lambda s: claims.add_claim(s, "Nobody (fictional)", "bribery", "Zetas", source="s"),
     "create_from", "no entity matches 'Nobody (fictional)' for the from end"),
    (lambda s: Resolver.for_store(s, "urn:x:", link="fuzzy"), "link", "link must be one of "),
    (lambda s: _mapping_without_equals(), "maps", "maps takes FIELD=COLUMN"),
    (lambda s: parse_mapping(["colour=3"], FIELDS), "maps", "unknown field 'colour' in maps"),
    (lambda s: tabular._default_status("seguro"), "status", "status: unknown status 'seguro'"),
    (lambda s: tabular._delimiter("a,b", "||"), "delimiter", "delimiter takes one character"),
    (lambda s: tabular._given_encoding("no-such-codec"), "encoding", "encoding: unknown"),
    (_append_and_replace, "append", "append adds a file to a graph, replace replaces"),
    (lambda s: bind_parameters(s, find_query("ties-by-status"), {}), "param",
     "query 'ties-by-status' needs param status=…"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "parameter", "english"),
    CORE_MESSAGES,
    ids=[f"{p}-{n}" for n, (_c, p, _e) in enumerate(CORE_MESSAGES)],
)
def test_claims_imports_and_queries_name_their_parameters(
    call: object, parameter: str, english: str
) -> None:
    store = Store.in_memory()
    raised = _raised(call, store)
    assert raised.parameter == parameter
    assert str(raised).startswith(english), str(raised)
    for lang in ("en", "es"):
        assert not FLAG.search(raised.localized(lang)), raised.localized(lang)
    said = raised.localized("en", parameter_names=flag_names(cli))
    assert flag_names(cli)(parameter) in said


def _sheet(tmp_path: Path, text: str) -> str:
    path = tmp_path / "ties.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


TIES = "from,to,relation\nZetas,Sinaloa cartel,rivalry\n"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    ("args", "template", "values"),
    [
        (
            ["claim", "add", "Zetas", "rivalry", "Sinaloa cartel", "--source", "s",
             "--confidence", "lots"],
            "{parameter}: {problem}",
            {"parameter": "--confidence"},
        ),
        (
            ["claim", "add", "Nobody (fictional)", "bribery", "Zetas", "--source", "s"],
            "no entity matches '{ref}' for the {end} end; give its type to create it "
            "({parameter} TYPE; hilos types lists them) or check hilos search",
            {"ref": "Nobody (fictional)", "end": "from", "parameter": "--create-from"},
        ),
        (
            ["query", "ties-by-status"],
            "query '{query}' needs {parameter} {name}=… ({type}: {description})",
            {"query": "ties-by-status", "name": "status", "parameter": "--param"},
        ),
        (
            ["import", "csv", "SHEET", "--encoding", "no-such-codec"],
            "{parameter}: unknown encoding {value!r} (such as utf-8, cp1252, latin-1, utf-16)",
            {"parameter": "--encoding", "value": "no-such-codec"},
        ),
        (
            ["import", "csv", "SHEET", "--map", "from"],
            "{parameter} takes FIELD=COLUMN, not {item!r}",
            {"parameter": "--map", "item": "from"},
        ),
        (
            ["import", "csv", "SHEET", "--graph", "mine", "--append", "--replace"],
            "{parameter} adds a file to a graph, {other_parameter} replaces the graph: not both",
            {"parameter": "--append", "other_parameter": "--replace"},
        ),
    ],
    ids=["confidence", "create-from", "param", "encoding", "map", "append-replace"],
)  # fmt: skip
def test_the_command_line_says_the_flags_of_claims_imports_and_queries(
    hilos: Hilos, tmp_path: Path, lang: str, args: list[str], template: str, values: dict
) -> None:
    args = [_sheet(tmp_path, TIES) if a == "SHEET" else a for a in args]
    result = hilos("--lang", lang, *args)
    assert result.exit_code in (1, 2), result.stdout  # an unknown entity is a "no" (1)
    said = result.stderr.strip()
    # the message's words around the flag, in the reader's language (values the command
    # fills in itself, such as a problem or a description, are left out of the comparison)
    for part in _fixed_parts(tr(template, lang, **_kept(template, values))):
        assert part in said, (part, said)
    for flag in [v for k, v in values.items() if k in PARAMETER_KEYS]:
        assert flag in said


def _kept(template: str, values: dict) -> dict:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {name: values.get(name, "\0") for name in names}


def _fixed_parts(text: str) -> list[str]:
    """The parts of a message between the values left out (marked by NUL)."""
    return [part for part in text.split("\0") if part.strip()]


def test_bad_rows_name_the_flag_that_loads_the_others(hilos: Hilos, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "from,to,relation,start\nZetas,Sinaloa cartel,rivalry,someday\n")
    result = hilos("import", "csv", sheet)
    assert result.exit_code == 2
    assert "1 bad row, nothing loaded" in result.stderr
    assert "(--skip-invalid loads the others)" in result.stderr
    error = _raised(tabular.import_csv, Store.in_memory(), sheet, tabular.ImportOptions())
    assert error.parameter == "skip_invalid" and "(skip_invalid loads the others)" in str(error)


# --- no core message names a flag ---------------------------------------------------------------

FLAG = re.compile(r"--[a-z]")
SRC = Path(hilos.__file__).parent
ERROR_CLASSES = {
    name for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, Exception)
}  # fmt: skip

# Messages outside the command line that may still say a flag, each with its reason; a key is
# the module and a piece of the message.
ALLOWED = {
    ("importers/tabular.py", "if these read wrong, give the file's --encoding"):
        "a notice of the import's summary (not an error): the command prints it as it is",
    ("importers/tabular.py", "--monthfirst reads them the other way"):
        "a notice of the import's summary (not an error): the command prints it as it is",
    ("importers/tabular.py", "(use --append to add this file to it, --replace, or --graph)"):
        "three flags, and a message names at most two parameters (errors.PARAMETER_KEYS)",
    ("importers/tabular.py", "hilos drop {name} --file {file}"):
        "a whole command to run, not a parameter of the core",
    ("store/remote.py", "(hilos serve --allow-update)"):
        "a whole command to run, not a parameter of the core",
}  # fmt: skip


def _texts(node: ast.AST) -> list[str]:
    """The literal text of a message argument: a string, an f-string's fixed parts, a sum."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [text for part in node.values for text in _texts(part)]
    if isinstance(node, ast.BinOp):
        return _texts(node.left) + _texts(node.right)
    return []


def _messages_naming_flags() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).as_posix()
        if module.startswith("cli/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in {"_", "tr", "message"} | ERROR_CLASSES or name.endswith("Error"):
                found += [(module, node.lineno, t) for t in _texts(node.args[0]) if FLAG.search(t)]
    return found


def _allowed(module: str, text: str) -> bool:
    return any(where == module and piece in text for where, piece in ALLOWED)


def test_no_core_message_names_a_flag() -> None:
    wrong = [f"{m}:{n}: {t!r}" for m, n, t in _messages_naming_flags() if not _allowed(m, t)]
    assert not wrong, "\n".join(wrong)


def test_every_allowed_flag_message_still_exists() -> None:
    """An entry whose message has gone (or no longer says a flag) leaves the list."""
    found = _messages_naming_flags()
    stale = [key for key in ALLOWED if not any(m == key[0] and key[1] in t for m, _n, t in found)]
    assert not stale, stale
