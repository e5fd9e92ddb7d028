"""The terms a user types — tie types, entity types, statuses, qualifiers — looked up by name or
label, in English or Spanish, and listed for `hilos types`.

Names and labels are compared as `search` compares names (case, accents and punctuation
ignored), from what the store's ontology says (so a user's own classes count too). A name that
is no term gets an error naming the closest ones.

>>> from hilos.store import Store
>>> known = Terms.of(Store.in_memory())
>>> known.tie("colusión").name, known.entity_type("Alcalde").name
('Collusion', 'Mayor')
>>> known.tie("colusion con")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
hilos.errors.BadInput: unknown tie type 'colusion con'; closest: collusion (colusión)...
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

from pyoxigraph import Literal, NamedNode

from . import sparql
from .errors import BadInput
from .errors import message as _
from .evidence import Record
from .namespaces import HILOS_NS
from .store import Store, solutions
from .text import normalise
from .vocab import Concept, vocabulary

C = TypeVar("C", bound=Concept)


@dataclass(frozen=True)
class Term(Record):
    """A class of the ontology as a user names it. Its JSON gives the label and definition in
    each language as keys of their own (English without a suffix), whatever `--lang` says."""

    iri: str
    name: str
    labels: dict[str, str]
    aliases: tuple[str, ...]
    definitions: dict[str, str]
    sphere: str | None = None
    kind: str = ""

    json_keys: ClassVar[tuple[str, ...]] = (
        "iri",
        "name",
        "kind",
        "label_en",
        "label_es",
        "sphere",
        "definition_en",
        "definition_es",
    )
    json_names: ClassVar[Mapping[str, str]] = {
        "iri": "id",
        "label_en": "label",
        "definition_en": "definition",
    }

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name

    def definition(self, lang: str = "en") -> str:
        return self.definitions.get(lang) or self.definitions.get("en") or ""

    @property
    def label_en(self) -> str | None:
        return self.labels.get("en")

    @property
    def label_es(self) -> str | None:
        return self.labels.get("es")

    @property
    def definition_en(self) -> str | None:
        return self.definitions.get("en")

    @property
    def definition_es(self) -> str | None:
        return self.definitions.get("es")


def closest(text: str, names: Iterable[str], *, count: int = 3) -> list[str]:
    """The known names nearest to `text` (by their normalised form), best first.

    >>> closest("legislador", ["legislature", "mayor", "legislatura"])
    ['legislature', 'legislatura']
    """
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(normalise(name), name)
    for cutoff in (0.55, 0.35):  # the close ones; failing those, the less close
        keys = difflib.get_close_matches(normalise(text), list(by_key), n=count, cutoff=cutoff)
        if keys:
            return [by_key[key] for key in keys]
    return []


@dataclass
class Terms:
    """The tie types and entity types of a store's ontology, by every name a user may type."""

    ties: dict[str, Term] = field(default_factory=dict)
    types: dict[str, Term] = field(default_factory=dict)
    _tie_names: dict[str, Term] = field(default_factory=dict)
    _type_names: dict[str, Term] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Store) -> Terms:
        terminology = store.terminology()
        facts: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
        scope = ["ontology"] if any(i.name == "ontology" for i in store.graphs()) else None
        for row in solutions(store.query(sparql.load("ontology-terms"), graphs=scope)):
            if isinstance(row["value"], Literal):
                facts[row["term"].value][row["property"].value].append(row["value"])
        found = cls()
        for iri, supers in terminology.superclasses.items():
            kind = _kind(iri, supers)
            if kind is None:
                continue
            term = _term(iri, kind, facts.get(iri, {}), terminology.class_values.get(iri, ()))
            (found.ties if kind == "tie" else found.types)[iri] = term
        for terms, names in ((found.ties, found._tie_names), (found.types, found._type_names)):
            for term in sorted(terms.values(), key=lambda t: t.iri):
                for name in _names_of(term):
                    names.setdefault(normalise(name), term)
        return found

    def tie(self, text: str) -> Term:
        """The tie type a user names (`colusión`, `bribery`, `hilos:Collusion`…)."""
        return _find(text, self._tie_names, "tie type", self.ties.values())

    def entity_type(self, text: str) -> Term:
        """The actor or place class a user names (`mayor`, `alcalde`, `street gang`…)."""
        return _find(text, self._type_names, "type", self.types.values())


def _kind(iri: str, supers: Iterable[str]) -> str | None:
    """What a class of the ontology is to an import: a `tie` type, an `actor` or `place` type,
    or nothing (None)."""
    if not iri.startswith(HILOS_NS):
        return None
    ancestors = {iri, *supers}
    if HILOS_NS + "Tie" in supers:
        return "tie"
    if HILOS_NS + "Actor" in ancestors:
        return "actor"
    if HILOS_NS + "Place" in ancestors:
        return "place"
    return None


def _term(
    iri: str,
    kind: str,
    values: Mapping[str, list[Literal]],
    class_values: Iterable[tuple[str, object]],
) -> Term:
    """A class as a term: its labels, aliases and definitions, and the sphere it implies."""
    sphere = next(
        (
            vocabulary().sphere_key(value.value)
            for prop, value in class_values
            if prop == HILOS_NS + "sphere" and isinstance(value, NamedNode)
        ),
        None,
    )
    return Term(
        iri=iri,
        name=iri.removeprefix(HILOS_NS),
        labels=_by_language(values.get("http://www.w3.org/2000/01/rdf-schema#label", [])),
        aliases=tuple(
            v.value for v in values.get("http://www.w3.org/2004/02/skos/core#altLabel", [])
        ),
        definitions=_by_language(values.get("http://www.w3.org/2004/02/skos/core#definition", [])),
        sphere=sphere,
        kind=kind,
    )


def _names_of(term: Term) -> list[str]:
    """Every name a user may give a term: its own, prefixed, its labels and aliases, and a
    name such as "MarketEngagement" also as "market engagement"."""
    spaced = "".join(" " + c.lower() if c.isupper() else c for c in term.name).strip()
    return [term.name, "hilos:" + term.name, *term.labels.values(), *term.aliases, spaced]


def _by_language(values: list[Literal]) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        found.setdefault((value.language or "en").split("-")[0], value.value)
    return found


def _find(text: str, names: dict[str, Term], what: str, terms: Iterable[Term]) -> Term:
    found = names.get(normalise(text))
    if found is not None:
        return found
    shown: dict[str, str] = {}
    for term in terms:
        english, spanish = term.labels.get("en", term.name), term.labels.get("es")
        words = f"{english} ({spanish})" if spanish and spanish != english else english
        for name in (term.name, english, *([spanish] if spanish else []), *term.aliases):
            shown.setdefault(name, words)
    near = closest(text, shown)
    listed = ", ".join(dict.fromkeys(shown[n] for n in near))
    if what == "tie type":
        raise BadInput(
            _(
                "unknown tie type '{text}'; closest: {closest} (hilos types lists them all)",
                text=text,
                closest=listed,
            )
            if near
            else _("unknown tie type '{text}' (hilos types lists them all)", text=text)
        )
    raise BadInput(
        _(
            "unknown type '{text}'; closest: {closest} (hilos types lists them all)",
            text=text,
            closest=listed,
        )
        if near
        else _("unknown type '{text}' (hilos types lists them all)", text=text)
    )


def concept_names(concepts: Iterable[C]) -> dict[str, C]:
    """Normalised name -> concept, for the concepts of one scheme: each by its key, local name
    and labels first, then by its alternative labels (so a label always wins)."""
    found: dict[str, C] = {}
    concepts = list(concepts)
    for concept in concepts:
        local = concept.iri.removeprefix(HILOS_NS)
        for name in (concept.key, local, *concept.labels.values()):
            found.setdefault(normalise(name), concept)
    for concept in concepts:
        for name in concept.alt_labels:
            found.setdefault(normalise(name), concept)
    found.pop("", None)
    return found


def status_term(text: str) -> Concept:
    """A status by its key, label or other name, English or Spanish (`alleged`, `presunto`,
    `presunta`…)."""
    vocab = vocabulary()
    statuses = (*vocab.statuses, *vocab.unranked)
    found = concept_names(statuses).get(normalise(text))
    if found is None:
        choices = [s.key for s in statuses]
        near = closest(text, [n for s in statuses for n in (s.key, *s.labels.values())])
        known = ", ".join(choices)
        raise BadInput(
            _(
                "unknown status '{text}' (one of: {known}); closest: {closest}",
                text=text,
                known=known,
                closest=", ".join(near),
            )
            if near
            else _("unknown status '{text}' (one of: {known})", text=text, known=known)
        )
    return found


def sphere_term(text: str) -> Concept:
    """A sphere by its key, label or other name, English or Spanish (`state`, `estatal`…)."""
    spheres = vocabulary().spheres
    found = concept_names(spheres).get(normalise(text))
    if found is None:
        known = ", ".join(s.key for s in spheres)
        raise BadInput(_("unknown sphere '{text}' (one of: {known})", text=text, known=known))
    return found


def qualifier_term(text: str) -> Concept:
    """A qualifier by its key, label or other name, English or Spanish (`partially`, `algunos
    de`…)."""
    vocab = vocabulary()
    found = concept_names(vocab.qualifiers).get(normalise(text))
    if found is None:
        near = closest(text, [q.label() for q in vocab.qualifiers])
        known = ", ".join(q.label() for q in vocab.qualifiers)
        raise BadInput(
            _(
                "unknown qualifier '{text}' (one of: {known}); closest: {closest}",
                text=text,
                known=known,
                closest=", ".join(near),
            )
            if near
            else _("unknown qualifier '{text}' (one of: {known})", text=text, known=known)
        )
    return found


__all__ = [
    "Term",
    "Terms",
    "closest",
    "concept_names",
    "qualifier_term",
    "sphere_term",
    "status_term",
]
