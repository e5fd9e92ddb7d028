"""Words the exports share: one place for each, so the page and the dossier cannot drift apart.

Each takes the output's language; the Spanish lives in `hilos/locale/es/` like every other
string people read.
"""

from __future__ import annotations

from ..i18n import tr


def context_plural(kind: str, lang: str) -> str:
    """The plural of a kind of context entity (`place` → "places"), in `lang`; a kind it does
    not know is returned as given.

    >>> context_plural("phenomenon", "en")
    'phenomena'
    >>> context_plural("policy", "es")
    'políticas'
    >>> context_plural("planet", "en")
    'planet'
    """
    plural = {
        "place": tr("places", lang),
        "market": tr("markets", lang),
        "policy": tr("policies", lang),
        "event": tr("events", lang),
        "phenomenon": tr("phenomena", lang),
    }
    return plural.get(kind, kind)
