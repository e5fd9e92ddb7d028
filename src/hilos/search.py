"""Finding entities by name: labels and aliases in any language, ignoring case and accents;
and `resolve`, which turns a name, prefixed name or IRI into the one entity it names.

Every name has an accent-free search key, derived when its graph was loaded. The keys are read
once into an index (one string holding every key, scanned by `str.find`), kept until a graph is
loaded, replaced or dropped; a search then costs milliseconds on a million entities instead of a
scan of the store. The embedded store saves the index beside it (`hilos.store.cache`), so the
first search of a new process reads the saved index instead of every key; on a remote endpoint
(which keeps nothing saved) the keys are read with one request per connection and state of its
registry, as every other look-up there.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import threading
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
from pyoxigraph import Literal, NamedNode
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .entities import describe, exists
from .errors import AmbiguousEntity, UnknownEntity
from .errors import message as _
from .evidence import Record
from .namespaces import HILOS, OWL, RDF_TYPE, SKOS, expand
from .store import Store, cache, indexes
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
class SearchHit(Record):
    """One entity found by `search`, with how well it matched (higher is better)."""

    id: str
    label: str
    types: tuple[str, ...]
    sphere: str | None
    score: float
    matched: str
    fuzzy: bool = False
    """Found only by correcting the words typed (see the module): a close match, not the name."""
    corrected: tuple[tuple[str, str], ...] = ()
    """For a fuzzy hit, each word typed that was corrected and the word it was taken for."""

    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "score": lambda score: round(score, 3),
        "corrected": lambda pairs: [{"typed": typed, "read": read} for typed, read in pairs],
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


FUZZY_MIN = 4
"""Words shorter than this are never corrected (too many short words are one edit apart)."""
_ALTERNATIVES = 6
"""Corrections tried per word typed, closest first."""
_COMBINATIONS = 24
"""Corrected queries tried at most, fewest edits first."""


def edits_allowed(word: str) -> int:
    """How many edits a word typed may be from a word of the index to be taken for it.

    >>> [edits_allowed(w) for w in ("de", "zeta", "abarka", "guerreros")]
    [0, 1, 1, 2]
    """
    if len(word) < FUZZY_MIN:
        return 0
    return 1 if len(word) < 8 else 2


def search(
    store: Store, text: str, *, limit: int = 20, lang: str = "en", fuzzy: bool = True
) -> list[SearchHit]:
    """Entities whose labels or aliases match `text`, best first: the words as typed first
    (whole names, then prefixes, then words), then, with `fuzzy` and room left under `limit`,
    names that match once a word typed is corrected (see the module).

    >>> store = Store.in_memory()
    >>> [hit.label for hit in search(store, "cheran ronda")][:1]
    ['Ronda comunitaria of Cherán']
    >>> hit = search(store, "guerreros unidas")[0]
    >>> hit.label, hit.fuzzy, hit.corrected
    ('Guerreros Unidos', True, (('unidas', 'unidos'),))
    """
    query = normalise(text)
    if not query:
        return []
    best: dict[str, tuple[float, str, tuple[tuple[str, str], ...]]] = {}
    for entity, key in candidates(store, _needle(query)):
        score = match_score(query, key)
        if score > best.get(entity, (0.0, "", ()))[0]:
            best[entity] = (score, key, ())
    if fuzzy and len(best) < limit:
        exact = set(best)
        for entity, (score, key, corrected) in _fuzzy(_index(store), query).items():
            if entity not in exact and score > best.get(entity, (0.0, "", ()))[0]:
                best[entity] = (score, key, corrected)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    hits = []
    for iri, (score, key, corrected) in ranked:
        summary = describe(store, iri, lang=lang)
        hits.append(
            SearchHit(
                id=iri,
                label=summary.label,
                types=summary.types,
                sphere=summary.sphere,
                score=score,
                matched=key,
                fuzzy=bool(corrected),
                corrected=corrected,
            )
        )
    hits.sort(key=lambda hit: (-hit.score, hit.label))
    return hits


def _needle(query: str) -> str:
    return max(query.split(), key=len)


class _Words(Protocol):
    """Where fuzzy search reads the words it may correct to, and the keys holding a word."""

    def words_of_length(self, length: int) -> list[str]: ...

    def find(self, needle: str) -> Iterable[tuple[str, str]]: ...


def _fuzzy(index: _Words, query: str) -> dict[str, tuple[float, str, tuple[tuple[str, str], ...]]]:
    """The entities a corrected `query` matches: entity → (score, key, corrections). A fuzzy
    score is the corrected query's `match_score` divided by ten and by one more than the edits
    made, so it stays below 10 and below the score of every match of the words as typed."""
    words = query.split()
    options: list[list[tuple[str, int]]] = []
    for word in words:
        allowed = edits_allowed(word)
        near = {word: 0}
        for length in range(len(word) - allowed, len(word) + allowed + 1) if allowed else ():
            for other, distance, _index in process.extract(
                word,
                index.words_of_length(length),
                scorer=OSA.distance,
                score_cutoff=allowed,
                limit=_ALTERNATIVES + 1,
            ):
                near.setdefault(other, int(distance))
        ranked = sorted(near.items(), key=lambda item: (item[1], item[0]))
        options.append(ranked[: _ALTERNATIVES + 1])
    combinations = sorted(
        (c for c in itertools.product(*options) if any(d for _, d in c)),
        key=lambda c: (sum(d for _, d in c), [w for w, _ in c]),
    )[:_COMBINATIONS]
    found: dict[str, tuple[float, str, tuple[tuple[str, str], ...]]] = {}
    keys_of: dict[str, list[tuple[str, str]]] = {}
    for combination in combinations:
        corrected_query = " ".join(w for w, _ in combination)
        edits = sum(d for _, d in combination)
        corrections = tuple(
            (typed, read) for typed, (read, d) in zip(words, combination, strict=True) if d
        )
        needle = _needle(corrected_query)
        if needle not in keys_of:
            keys_of[needle] = list(index.find(needle))
        for entity, key in keys_of[needle]:
            score = match_score(corrected_query, key) / 10.0 / (1 + edits)
            if score > found.get(entity, (0.0, "", ()))[0]:
                found[entity] = (score, key, corrections)
    return found


def candidates(store: Store, needle: str) -> Iterator[tuple[str, str]]:
    """(entity IRI, search key) for every key containing `needle` (a normalised word)."""
    yield from _index(store).find(needle)


def exact_matches(store: Store, key: str) -> list[str]:
    """The entities with a name whose search key is exactly `key` (an index look-up)."""
    view = store.view()
    vocabulary = set(_VOCABULARY)
    named = [e for e in view.subjects(HILOS.searchKey, Literal(key)) if isinstance(e, NamedNode)]
    types = view.statements_of(named, [RDF_TYPE])
    return sorted(
        {
            entity.value
            for entity in named
            if not vocabulary & {obj for _, obj in types.get(entity, ())}
        }
    )


class _Index:
    """Every (entity, search key) of the visible graphs, in a few compact arrays."""

    def __init__(
        self,
        entities: list[str],
        owners: array[int],
        starts: array[int],
        text: str,
        words: list[str] | None = None,
    ):
        self.entities = entities
        self.owners = owners
        self.starts = starts
        self.text = text
        """"\n" before every key and at the end: a key is the text between two of them."""
        self.words = sorted(set(text.split())) if words is None else words
        """The distinct words of the keys, sorted: saved with the index, since splitting a
        million keys took half a second of a first fuzzy search at a million entities."""
        self._words: dict[int, list[str]] | None = None

    def words_of_length(self, length: int) -> list[str]:
        """The distinct words of the keys that have `length` letters, sorted (for fuzzy
        matching: a word within k edits of another differs from it in length by k at most)."""
        if self._words is None:
            by_length: dict[int, list[str]] = {}
            for word in self.words:
                by_length.setdefault(len(word), []).append(word)
            self._words = by_length
        return self._words.get(length, [])

    @classmethod
    def build(cls, store: Store) -> _Index:
        view = store.view()
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
            parts = indexes.literal(obj)
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
            "words": cache.pack_strings(self.words),
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
        # an index saved before its words were (KeyError) is built and saved again
        return cls(entities, owners, starts, text, cache.strings(arrays["words"]))

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


def resolve(store: Store, ref: str, *, lang: str = "en") -> str:
    """The IRI of the entity `ref` names: a full IRI, a prefixed name (`hid:zetas`) or a name.

    A name is resolved as `search` finds it: an exact match of a label or alias wins if it is
    the only one; otherwise a single candidate wins; several are an `AmbiguousEntity` error.
    """
    text = ref.strip()
    if not text:
        raise UnknownEntity(_("an empty name names no entity"))
    iri: str | None = None
    iri = text.strip("<>") if "://" in text or text.startswith("urn:") else expand(text)
    if iri is not None:
        try:
            node_exists = exists(store, iri)
        except ValueError:
            node_exists = False
        if not node_exists:
            raise UnknownEntity(_("no entity {ref} in the store", ref=ref))
        return iri

    # One entity named exactly so is the answer (as it would be among the hits below), found
    # with an index look-up rather than a search.
    exact_ids = exact_matches(store, normalise(text))
    if len(exact_ids) == 1:
        return exact_ids[0]
    hits = search(store, text, limit=10, lang=lang, fuzzy=False)  # a name, not a close one
    if not hits:
        raise UnknownEntity(
            _("no entity matches '{ref}' (try: hilos search {word})", ref=ref, word=ref.split()[0])
        )
    wanted = normalise(text)
    exact = [hit for hit in hits if hit.matched == wanted]
    if len(exact) == 1:
        return exact[0].id
    if len(hits) == 1:
        return hits[0].id
    candidates = exact or hits
    raise AmbiguousEntity(ref, [(hit.id, hit.label) for hit in candidates[:8]])
