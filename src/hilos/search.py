"""Finding entities by name: labels and aliases in any language, ignoring case and accents.

Every name has an accent-free search key, derived when its graph was loaded. On the embedded
store the keys are read once into an index (one string holding every key, scanned by
`str.find`), saved beside the store (`hilos.cache`) and kept until a graph is loaded, replaced
or dropped; a search then costs milliseconds on a million entities instead of a scan of the
store, and the first search of a new process reads the saved index instead of every key. On
a remote endpoint each search is one SPARQL query.
"""

from __future__ import annotations

import bisect
import contextlib
import threading
import weakref
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from pyoxigraph import Literal, NamedNode

from . import cache, scan, sparql
from .entities import describe
from .namespaces import HILOS, OWL, RDF_TYPE, SKOS
from .store import Store, solutions
from .text import normalise

_VOCABULARY = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"),
    SKOS.ConceptScheme,
    OWL.Ontology,
)
"""Terms of the vocabulary itself are not entities (as in `sparql/search.rq`)."""


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
    for entity, key in candidates(store, needle):
        score = match_score(query, key)
        if score > best.get(entity, (0.0, ""))[0]:
            best[entity] = (score, key)
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


def candidates(store: Store, needle: str) -> Iterator[tuple[str, str]]:
    """(entity IRI, search key) for every key containing `needle` (a normalised word)."""
    if store.remote:
        rows = solutions(store.query(sparql.load("search"), bindings={"needle": Literal(needle)}))
        for row in rows:
            entity, key = row["entity"], row["key"]
            if isinstance(entity, NamedNode):
                yield entity.value, key.value
        return
    yield from _index(store).find(needle)


def exact_matches(store: Store, key: str) -> list[str]:
    """The entities with a name whose search key is exactly `key` (an index look-up)."""
    if store.remote:
        return sorted({entity for entity, found in candidates(store, key) if found == key})
    view = scan.View(store)
    vocabulary = set(_VOCABULARY)
    found = []
    for entity in view.subjects(HILOS.searchKey, Literal(key)):
        if isinstance(entity, NamedNode) and not vocabulary & set(view.objects(entity, RDF_TYPE)):
            found.append(entity.value)
    return sorted(set(found))


class _Index:
    """Every (entity, search key) of the visible graphs, in a few compact arrays."""

    def __init__(self, entities: list[str], owners: array[int], starts: array[int], text: str):
        self.entities = entities
        self.owners = owners
        self.starts = starts
        self.text = text
        """"\n" before every key and at the end: a key is the text between two of them."""

    @classmethod
    def build(cls, store: Store) -> _Index:
        view = scan.View(store)
        vocabulary = {subject for cls in _VOCABULARY for subject, _ in view.pairs(RDF_TYPE, cls)}
        numbers: dict[str, int] = {}
        entities: list[str] = []
        owners = array("q")
        starts = array("q")
        keys: list[str] = []
        size = 1
        for subject, obj in view.pairs(HILOS.searchKey):
            if subject[0] != "<" or subject in vocabulary:
                continue
            parts = scan.literal(obj)
            if parts is None or not parts[0]:
                continue
            number = numbers.get(subject)
            if number is None:
                number = numbers[subject] = len(entities)
                entities.append(subject[1:-1])
            owners.append(number)
            starts.append(size)
            keys.append(parts[0])
            size += len(parts[0]) + 1
        return cls(entities, owners, starts, "\n" + "\n".join(keys) + "\n")

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "entities": cache.pack_strings(self.entities),
            "owners": np.frombuffer(self.owners, dtype=np.int64),
            "starts": np.frombuffer(self.starts, dtype=np.int64),
            "text": cache.pack_strings([self.text]),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> _Index:
        owners, starts = array("q"), array("q")
        owners.frombytes(arrays["owners"].astype(np.int64).tobytes())
        starts.frombytes(arrays["starts"].astype(np.int64).tobytes())
        (text,) = cache.strings(arrays["text"])
        entities = cache.strings(arrays["entities"])
        if len(owners) != len(starts) or (len(owners) and max(owners) >= len(entities)):
            raise ValueError("a search index of another shape")
        return cls(entities, owners, starts, text)

    def find(self, needle: str) -> Iterator[tuple[str, str]]:
        text, starts = self.text, self.starts
        at = text.find(needle, 1)
        while at >= 0:
            line = bisect.bisect_right(starts, at) - 1
            start = starts[line]
            end = text.index("\n", at)  # a needle has no line break: it lies within this key
            yield self.entities[self.owners[line]], text[start:end]
            at = text.find(needle, end + 1)


_INDEXES: weakref.WeakKeyDictionary[Store, tuple[object, _Index]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_KIND = "search"


def _index(store: Store) -> _Index:
    """The store's search index: read from where it was saved beside the store, or built from
    the store's search keys (and saved) on first use and whenever the store changed."""
    state = store.state()
    with _LOCK:
        held = _INDEXES.get(store)
        if held is not None and held[0] == state:
            return held[1]
    index: _Index | None = None
    saved = cache.load(store, _KIND, "")
    if saved is not None:
        with contextlib.suppress(KeyError, ValueError, UnicodeDecodeError):
            index = _Index.from_arrays(saved)
    if index is None:
        index = _Index.build(store)
        cache.save(store, _KIND, "", index.arrays())
    with _LOCK:
        _INDEXES[store] = (state, index)
    return index
