"""The catalogue of English and Spanish words: complete for every string the code marks, and
consistent across its files."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from conftest import Hilos
from hilos.i18n import Translator, catalogue, choose, tr

SOURCE = Path(__file__).resolve().parents[2] / "src" / "hilos"
LOCALE = SOURCE / "locale" / "es"

# Front-end files mark their strings as t("…") (or t('…')).
_JS_MARKED = re.compile(r"""\bt\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


def _python_marked() -> set[str]:
    """Every literal passed as the first argument of `tr`, `_` or a `Translator` call."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            first = node.args[0]
            if name in {"tr", "_"} and isinstance(first, ast.Constant):
                found.add(str(first.value))
    return found


def _js_marked() -> set[str]:
    found: set[str] = set()
    for path in [*SOURCE.rglob("*.js"), *SOURCE.rglob("*.html")]:
        if "vendor" in path.parts:
            continue
        for match in _JS_MARKED.finditer(path.read_text(encoding="utf-8")):
            found.add(json.loads('"' + match["text"].replace("\\'", "'") + '"'))
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_marked_string_has_spanish() -> None:
    spanish = catalogue("es")
    missing = sorted((_python_marked() | _js_marked()) - set(spanish))
    assert not missing, f"{len(missing)} strings lack Spanish, e.g. {missing[:10]}"


def test_placeholders_agree() -> None:
    wrong = {k: v for k, v in catalogue("es").items() if _fields(k) != _fields(v)}
    assert not wrong


def test_files_are_json_objects_of_strings() -> None:
    for path in LOCALE.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), path.name
        assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in data.items())


def test_translation_and_fallback() -> None:
    assert tr("{count} ties", "es", count=2) == "2 vínculos"
    assert tr("a sentence nobody wrote", "es") == "a sentence nobody wrote"
    assert Translator("es-MX")("{count} ties", count=1) == "1 vínculos"


@pytest.mark.parametrize(
    ("asked", "env", "header", "expected"),
    [
        (None, {}, None, "en"),
        ("es", {"HILOS_LANG": "en"}, None, "es"),
        (None, {"HILOS_LANG": "es_MX.UTF-8"}, None, "es"),
        (None, {}, "fr-FR,es;q=0.8", "es"),
        ("de", {}, "de", "en"),
    ],
)
def test_choose(asked: str | None, env: dict[str, str], header: str | None, expected: str) -> None:
    assert choose(asked, accept_language=header, environ=env) == expected


def test_a_language_hilos_does_not_speak_still_picks_the_data_s_names(
    hilos: Hilos, tmp_path: Path
) -> None:
    """`--lang fr`: hilos's own words in English, a user's French names preferred."""
    data = tmp_path / "fr.ttl"
    data.write_text(
        "@prefix hilos: <https://w3id.org/hilos/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/q> a hilos:CriminalOrganization ;\n"
        "    hilos:sphere hilos:CriminalSphere ;\n"
        '    rdfs:label "Quetzal network"@en, "Réseau Quetzal"@fr .\n',
        encoding="utf-8",
    )
    assert hilos("load", str(data)).exit_code == 0
    french = hilos("--lang", "fr", "show", "Quetzal network")
    assert french.exit_code == 0, french.output
    assert french.output.splitlines()[0] == "Réseau Quetzal"
    english = hilos("--lang", "en", "show", "Quetzal network")
    assert english.output.splitlines()[0] == "Quetzal network"
    # hilos's own words: English, not a French catalogue it does not have
    assert hilos("--lang", "fr-CA", "show", "nobody at all").stderr.startswith("Error:")


def test_core_claim_errors_say_themselves_in_spanish() -> None:
    """Called from Python (a notebook, the server), the claim errors carry their Spanish."""
    from hilos.claims import edit_claim
    from hilos.errors import HilosError
    from hilos.store import Store

    store = Store.in_memory()
    with pytest.raises(HilosError) as raised:
        edit_claim(store, "https://example.org/not-a-claim", clear=["bogus"])
    assert str(raised.value).startswith("cannot clear 'bogus'")
    spanish = raised.value.localized("es")
    assert spanish.startswith(tr("cannot clear '{name}' (one of: {choices})", "es").split("{")[0])
    assert "cannot" not in spanish
