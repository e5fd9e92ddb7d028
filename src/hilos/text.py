"""Normalising names so that search ignores case, accents, punctuation and spacing."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into single spaces.

    >>> normalise("  Cherán, Michoacán ")
    'cheran michoacan'
    >>> normalise("Joaquín “El Chapo” Guzmán")
    'joaquin el chapo guzman'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).replace("_", " ").split())
