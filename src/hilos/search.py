"""Finding entities by name: labels and aliases in any language, ignoring case and accents."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from . import sparql
from .entities import describe
from .store import Store, solutions
from .text import normalise


@dataclass(frozen=True)
class SearchHit:
    """One entity found by `search`, with how well it matched (higher is better)."""

    id: str
    label: str
    types: tuple[str, ...]
    sphere: str | None
    score: float
    matched: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "types": list(self.types),
            "sphere": self.sphere,
            "score": round(self.score, 3),
            "matched": self.matched,
        }


def match_score(query: str, key: str) -> float:
    """How well a normalised name `key` matches a normalised `query` (0 when it does not).

    Whole-name matches beat prefixes, which beat whole words, which beat word prefixes, which
    beat any substring; among equals the shorter name wins.

    >>> match_score("zetas", "zetas") > match_score("zetas", "los zetas") > 0
    True
    >>> match_score("abarca jose", "jose luis abarca") > 0
    True
    >>> match_score("guerrero", "guerreros unidos") < match_score("guerrero", "guerrero")
    True
    >>> match_score("xyz", "zetas")
    0.0
    """
    if not query or not key:
        return 0.0
    padded = f" {key} "
    if key == query:
        base = 100.0
    elif key.startswith(query + " "):
        base = 80.0
    elif f" {query} " in padded:
        base = 70.0
    elif key.startswith(query):
        base = 60.0
    elif f" {query}" in padded:
        base = 50.0
    elif query in key:
        base = 30.0
    else:
        tokens = query.split()
        words = key.split()
        if len(tokens) > 1 and all(any(w.startswith(t) for w in words) for t in tokens):
            base = 40.0
        elif len(tokens) > 1 and all(t in key for t in tokens):
            base = 20.0
        else:
            return 0.0
    return base - min(len(key), 200) / 1000.0


def search(store: Store, text: str, *, limit: int = 20, lang: str = "en") -> list[SearchHit]:
    """Entities whose labels or aliases match `text`, best first.

    >>> store = Store.in_memory()
    >>> [hit.label for hit in search(store, "cheran ronda")][:1]
    ['Ronda comunitaria of Cherán']
    """
    query = normalise(text)
    if not query:
        return []
    needle = max(query.split(), key=len)
    best: dict[str, tuple[float, str]] = {}
    rows = solutions(store.query(sparql.load("search"), bindings={"needle": Literal(needle)}))
    for row in rows:
        entity, key = row["entity"], row["key"]
        if not isinstance(entity, NamedNode):
            continue
        score = match_score(query, key.value)
        if score > best.get(entity.value, (0.0, ""))[0]:
            best[entity.value] = (score, key.value)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    hits = []
    for iri, (score, key) in ranked:
        summary = describe(store, iri, lang=lang)
        hits.append(
            SearchHit(
                id=iri,
                label=summary.label,
                types=summary.types,
                sphere=summary.sphere,
                score=score,
                matched=key,
            )
        )
    hits.sort(key=lambda hit: (-hit.score, hit.label))
    return hits
