"""The words people read, in English and Spanish, from one catalogue.

Every string a person reads is written in English in the code and passed through `tr`; its
Spanish is looked up in the catalogue, `hilos/locale/es/*.json` (one file per area of the
product: `cli`, `pages`, `explorer`, `dossier`, `common`, each an object of English → Spanish).
The files form one catalogue: the same English text may appear in two files only with the same
Spanish (`tests/test_i18n.py` checks that, that every `tr("…")` literal in the code has an
entry, and that the `{placeholders}` of each entry agree).

Relation, class, status and sphere names are not here: they are the ontology's `rdfs:label`s in
both languages (`hilos.vocab`).

The language is chosen by `choose`: the one asked for (`--lang`, a page's switch), else the
`HILOS_LANG` environment variable, else the browser's `Accept-Language`, else English.

>>> tr("{count} ties", "es", count=3)
'3 vínculos'
>>> tr("{count} ties", "en", count=3)
'3 ties'
>>> choose(None, accept_language="es-MX,es;q=0.9,en;q=0.8", environ={})
'es'
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources

LANGUAGES = ("en", "es")
DEFAULT = "en"


def choose(
    asked: str | None = None,
    *,
    accept_language: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to speak: `asked`, else `HILOS_LANG`, else the first supported language of
    an `Accept-Language` header, else English. A language hilos does not speak falls through to
    the next choice, so `--lang fr` still prints English rather than failing.

    >>> choose("es", environ={})
    'es'
    >>> choose("ES-mx", environ={})
    'es'
    >>> choose(None, environ={"HILOS_LANG": "es"})
    'es'
    >>> choose("fr", environ={})
    'en'
    """
    env = os.environ if environ is None else environ
    for candidate in (asked, env.get("HILOS_LANG")):
        lang = _supported(candidate)
        if lang:
            return lang
    for part in (accept_language or "").split(","):
        lang = _supported(part.split(";")[0])
        if lang:
            return lang
    return DEFAULT


def requested(asked: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    """The language asked for names in the data, any language (`--lang fr` prefers a user's
    French labels even though hilos's own words fall back to English): the primary subtag of
    `asked`, else of `HILOS_LANG`, else English.

    >>> requested("fr-CA", environ={}), requested(None, environ={"HILOS_LANG": "es_MX.UTF-8"})
    ('fr', 'es')
    """
    env = os.environ if environ is None else environ
    for candidate in (asked, env.get("HILOS_LANG")):
        primary = (candidate or "").strip().lower().replace("_", "-").split("-")[0].split(".")[0]
        if primary.isalpha():
            return primary
    return DEFAULT


def _supported(tag: str | None) -> str | None:
    primary = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The whole catalogue of one language, English text → translation (empty for English).

    Raises `ValueError` if two files translate the same text differently: a fault of the
    package's own files (`tests/test_i18n.py` reads every catalogue), not of a user's input, and
    below the error family, which translates its messages with this module."""
    if lang == DEFAULT:
        return {}
    merged: dict[str, str] = {}
    folder = resources.files("hilos").joinpath("locale", lang)
    if not folder.is_dir():
        return merged
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        for english, translated in json.loads(entry.read_text(encoding="utf-8")).items():
            if merged.get(english, translated) != translated:
                raise ValueError(
                    f"locale/{lang}/{entry.name}: {english!r} is translated two ways "
                    f"({merged[english]!r} and {translated!r})"
                )
            merged[english] = translated
    return merged


def tr(message: str, lang: str, /, **values: object) -> str:
    """`message` in `lang`, with `{placeholders}` filled from `values`. Text the catalogue
    lacks is shown in English (the catalogue test keeps that from shipping)."""
    lang = _supported(lang) or DEFAULT  # `es-MX` speaks Spanish; `fr` falls back to English
    text = catalogue(lang).get(message, message) if lang != DEFAULT else message
    return text.format(**values) if values else text


class Translator:
    """`tr` bound to one language: `_ = Translator("es"); _("{count} ties", count=2)`."""

    def __init__(self, lang: str) -> None:
        self.lang = choose(lang, environ={})

    def __call__(self, message: str, /, **values: object) -> str:
        return tr(message, self.lang, **values)
