"""The words the commands print for what the data names by IRI: classes, relations, spheres,
statuses, qualifiers and properties by their ontology labels in the reader's language, entities
by their labels, scores as readable numbers. Ids are for `--ids`, JSON and CSV only."""

from __future__ import annotations

import re
from functools import cached_property

from ..entities import describe
from ..i18n import tr
from ..namespaces import compact, expand
from ..store import Store
from ..vocab import Vocabulary, vocabulary

_PREFIXED = re.compile(r"\b(?:hid|hilos):[A-Za-z0-9][\w.-]*[\w]")
# "(see graph/state.ttl)", "graph/iguala.ttl": where a curator found something, not the reader's
_FILE_NOTE = re.compile(
    r"\s*\((?:see |cf\. )?(?:graph|ontology)/[\w./-]+\)|(?:graph|ontology)/[\w/-]+\.ttl"
)

# Properties people read by name on a card, in words (their ontology labels, where they have
# one, come first).
_FIELDS = {
    "prov:wasDerivedFrom": "source",
    "prov:generatedAtTime": "recorded",
    "prov:wasAssociatedWith": "associated with",
    "prov:atLocation": "place",
    "geo:sfWithin": "within",
    "dcterms:spatial": "place",
    "dcterms:source": "source",
    "dcterms:date": "date",
    "dcterms:creator": "author",
    "dcterms:publisher": "publisher",
    "dcterms:title": "title",
    "dcterms:bibliographicCitation": "citation",
    "rdfs:seeAlso": "see also",
}


def _english_words(name: str) -> str:
    """`wasDerivedFrom` → `was derived from`: the last resort for a property without a label."""
    local = name.rpartition(":")[2].rpartition("#")[2].rpartition("/")[2]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


class Words:
    """Labels for one store and one language, looked up once each."""

    def __init__(self, store: Store, lang: str) -> None:
        self.store = store
        self.lang = lang
        self._labels: dict[str, str] = {}

    @cached_property
    def vocab(self) -> Vocabulary:
        return vocabulary()

    def _(self, message: str, /, **values: object) -> str:
        """A message in the reader's language."""
        return tr(message, self.lang, **values)

    def label(self, name: str) -> str:
        """The label of an entity or class, given its IRI or prefixed name (`hilos:Mayor`)."""
        iri = expand(name) or name
        if iri not in self._labels:
            found = describe(self.store, iri, lang=self.lang).label
            self._labels[iri] = found if found not in (iri, compact(iri)) else _english_words(name)
        return self._labels[iri]

    def sphere(self, key: str | None) -> str:
        if not key:
            return ""
        concept = next((s for s in self.vocab.spheres if s.key == key), None)
        return concept.label(self.lang) if concept else key

    def spheres(self, keys: object) -> str:
        return ", ".join(self.sphere(k) for k in keys) if isinstance(keys, (list, tuple)) else ""

    def status(self, key: str | None) -> str:
        if not key:
            return self._("no status")
        for status in (*self.vocab.statuses, *self.vocab.unranked):
            if status.key == key:
                return status.label(self.lang)
        return key

    def qualifier(self, key: str) -> str:
        concept = next((q for q in self.vocab.qualifiers if q.key == key), None)
        return concept.label(self.lang) if concept else key

    def modality(self, key: str) -> str:
        concept = next((m for m in self.vocab.modalities if m.key == key), None)
        return concept.label(self.lang) if concept else key

    def field(self, prop: str) -> str:
        """A property as the name of a field on a card."""
        if prop in _FIELDS:
            return self._(_FIELDS[prop])
        return self.label(prop)

    def note(self, text: str) -> str:
        """A curator's note for readers: `hid:…` and `hilos:…` names become labels, pointers to
        the files of the curated graph go."""
        text = _FILE_NOTE.sub("", text)
        return _PREFIXED.sub(lambda m: self.label(m.group(0)), text)

    def confidence(self, value: float | None) -> str:
        return "" if value is None else self._("confidence {value}", value=f"{value:.0%}")


def score(value: float) -> str:
    """An evidence score (0 to 1) as people read it: three decimals at most.

    >>> score(0.7), score(0.343), score(0.0135135), score(1.0)
    ('0.7', '0.343', '0.014', '1')
    """
    return f"{round(value, 3):g}"


def share(value: float) -> str:
    """A fraction as a percentage with one decimal where it matters.

    >>> share(0.01351), share(0.5), share(0.000)
    ('1.4%', '50%', '0%')
    """
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"
