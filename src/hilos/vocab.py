"""The vocabulary the code needs, read from the ontology: one place, no copies.

Statuses (their order, evidence weight and whether they assert a relation), spheres, claim
modalities, qualifiers, the tie families of the collusion-chain rule and which classes are
actors all live in `ontology/hilos.ttl`; this module reads them once and hands them out by key.
A test checks the keys the code names (`"alleged"`, `"state"`, …) against the ontology, so a
rename there fails a test instead of silently matching nothing.

>>> v = vocabulary()
>>> [s.key for s in v.statuses]
['refuted', 'disputed', 'alleged', 'reported', 'confirmed']
>>> v.status("reported").weight, v.status("reported").asserts, v.status("alleged").asserts
(0.7, True, False)
>>> v.sphere_key("https://w3id.org/hilos/ontology#CriminalSphere")
'criminal'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from pyoxigraph import Literal, NamedNode, RdfFormat, Store

from . import resources
from .errors import BadInput
from .namespaces import HILOS, HILOS_NS, RDF_TYPE, RDFS, SKOS, compact


class KnowsSuperclasses(Protocol):
    """What `Vocabulary.family_classes` reads of the store's terminology
    (`hilos.store.reasoner.Terminology`, which reads this module: the store sits above)."""

    @property
    def superclasses(self) -> Mapping[str, frozenset[str]]: ...


# The kinds of entity, checked in this order against an entity's classes (and their
# ancestors): the first that matches names the kind. Actors are what the network is made of;
# the others are context, joining the network only when asked.
KINDS = (
    ("Person", "person"),
    ("Place", "place"),
    ("CriminalMarket", "market"),
    ("Event", "event"),
    ("Policy", "policy"),
    ("Phenomenon", "phenomenon"),
    ("Sphere", "sphere"),
    ("Source", "source"),
    ("Observation", "observation"),
    ("Actor", "organisation"),
)
ACTOR_KINDS = frozenset({"person", "organisation"})
"""Kinds that are actors (people, organisations, groups, communities) in the network."""
CONTEXT_KINDS = ("place", "market", "policy", "event", "phenomenon")
"""Kinds that are context: shown on cards and pages, in the network only when asked."""


@dataclass(frozen=True)
class Concept:
    """A concept of one of the ontology's schemes, with its labels."""

    key: str
    iri: str
    labels: Mapping[str, str]
    alt_labels: tuple[str, ...] = field(default=(), kw_only=True)
    """Its other names (skos:altLabel), in any language: what people also write for it."""

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.key

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it goes by: its key, labels and alternative labels."""
        return (self.key, *self.labels.values(), *self.alt_labels)


@dataclass(frozen=True)
class Status(Concept):
    """A claim status: its place in the order, its evidence weight, whether it asserts."""

    rank: int
    """The position in the order of evidence, or -1 for a status outside it (retracted)."""
    weight: float
    asserts: bool


@dataclass(frozen=True)
class Modality(Concept):
    """What kind of statement a claim is: stated, an intention, a recommendation, a warning."""

    asserts: bool


@dataclass(frozen=True)
class Vocabulary:
    statuses: tuple[Status, ...]
    """The statuses of evidence, from weakest to strongest (refuted … confirmed)."""
    unranked: tuple[Status, ...]
    """Statuses outside that order (retracted: a user's withdrawn claim)."""
    spheres: tuple[Concept, ...]
    modalities: tuple[Modality, ...]
    qualifiers: tuple[Concept, ...]
    families: Mapping[str, frozenset[str]]
    """Family key (`collusion`, `hierarchy`) -> the tie classes annotated with it."""

    def status(self, key: str) -> Status:
        for status in (*self.statuses, *self.unranked):
            if status.key == key:
                return status
        raise BadInput(f"unknown status '{key}' (one of: {', '.join(self.status_keys)})")

    @property
    def status_keys(self) -> tuple[str, ...]:
        """Status keys from weakest to strongest."""
        return tuple(s.key for s in self.statuses)

    def status_key(self, iri: str) -> str | None:
        return _by_iri((*self.statuses, *self.unranked), iri)

    @property
    def weights(self) -> dict[str, float]:
        return {s.key: s.weight for s in (*self.statuses, *self.unranked)}

    @property
    def asserting_statuses(self) -> tuple[Status, ...]:
        return tuple(s for s in self.statuses if s.asserts)

    def rank(self, key: str | None) -> int:
        """The position of a status in the order (-1 for none or an unknown one)."""
        keys = self.status_keys
        return keys.index(key) if key in keys else -1

    @property
    def sphere_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.spheres)

    def sphere_key(self, iri: str) -> str | None:
        return _by_iri(self.spheres, iri)

    def sphere_name(self, iri: str) -> str:
        """The key of a sphere, or the compact IRI of a value that is not one."""
        return self.sphere_key(iri) or compact(iri)

    def status_name(self, iri: str) -> str:
        """The key of a status, or the compact IRI of a value that is not one."""
        return self.status_key(iri) or compact(iri)

    def by_sphere_order(self, spheres: Iterable[str]) -> tuple[str, ...]:
        """Sphere keys in the ontology's order (state, criminal, community, civil), others last."""
        order = self.sphere_keys
        return tuple(sorted(set(spheres), key=lambda s: (order.index(s) if s in order else 99, s)))

    def modality_key(self, iri: str) -> str | None:
        return _by_iri(self.modalities, iri)

    @property
    def stated(self) -> Modality:
        """The modality a claim without one has."""
        return next(m for m in self.modalities if m.iri == HILOS_NS + "AsStated")

    def asserting_modalities(self) -> tuple[Modality, ...]:
        return tuple(m for m in self.modalities if m.asserts)

    def qualifier_key(self, iri: str) -> str | None:
        return _by_iri(self.qualifiers, iri)

    def concept(self, iri: str) -> Concept | None:
        for group in (
            self.statuses,
            self.unranked,
            self.spheres,
            self.modalities,
            self.qualifiers,
        ):
            for concept in group:
                if concept.iri == iri:
                    return concept
        return None

    def family_classes(self, family: str, terminology: KnowsSuperclasses) -> frozenset[str]:
        """The tie classes of a family with all their sub-classes, as `terminology` (the
        store's, which may hold a user's own sub-classes) knows them."""
        roots = self.families.get(family)
        if roots is None:
            raise BadInput(f"unknown tie family '{family}' (one of: {', '.join(self.families)})")
        return frozenset(
            cls
            for cls in {*roots, *terminology.superclasses}
            if cls in roots or roots & terminology.superclasses.get(cls, frozenset())
        )


def _by_iri(concepts: Iterable[Concept], iri: str) -> str | None:
    for concept in concepts:
        if concept.iri == iri:
            return concept.key
    return None


def kind_of(types: Iterable[str], superclasses: Mapping[str, frozenset[str]]) -> str:
    """The kind of an entity from its classes: `person`, `organisation` (any other actor),
    `place`, `market`, `event`, `policy`, `phenomenon`, `sphere`, `source`, `observation`, or
    `other` when none of its classes says.

    >>> kind_of([HILOS_NS + "City"], {HILOS_NS + "City": frozenset({HILOS_NS + "Place"})})
    'place'
    >>> kind_of([], {})
    'other'
    """
    closed: set[str] = set()
    for cls in types:
        closed.add(cls)
        closed |= superclasses.get(cls, frozenset())
    for local, kind in KINDS:
        if HILOS_NS + local in closed:
            return kind
    return "other"


def _alt_labels(store: Store, iri: NamedNode) -> tuple[str, ...]:
    return tuple(
        sorted(
            quad.object.value
            for quad in store.quads_for_pattern(iri, SKOS.altLabel, None)
            if isinstance(quad.object, Literal)
        )
    )


def _labels(store: Store, iri: NamedNode) -> dict[str, str]:
    found: dict[str, str] = {}
    for quad in store.quads_for_pattern(iri, RDFS.label, None):
        if isinstance(quad.object, Literal) and quad.object.language:
            found.setdefault(quad.object.language, quad.object.value)
    return found


def _key(iri: str, strip_prefix: str = "", strip_suffix: str = "") -> str:
    local = iri.removeprefix(HILOS_NS).removeprefix(strip_prefix).removesuffix(strip_suffix)
    # CamelCase -> kebab-case: "SomeOf" -> "some-of"
    out = "".join("-" + c.lower() if c.isupper() else c for c in local).lstrip("-")
    return out


def _literal(store: Store, subject: NamedNode, predicate: NamedNode) -> str | None:
    for quad in store.quads_for_pattern(subject, predicate, None):
        if isinstance(quad.object, NamedNode | Literal):
            return quad.object.value
    return None


def _members(store: Store, cls: NamedNode) -> list[NamedNode]:
    found = [q.subject for q in store.quads_for_pattern(None, RDF_TYPE, cls)]
    return sorted((n for n in found if isinstance(n, NamedNode)), key=lambda n: n.value)


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary of the shipped ontology (read once per process)."""
    store = Store()
    store.load(path=str(resources.ontology_file()), format=RdfFormat.TURTLE)
    statuses: list[Status] = []
    unranked: list[Status] = []
    for iri in _members(store, HILOS.Status):
        rank, weight = _literal(store, iri, HILOS.rank), _literal(store, iri, HILOS.weight)
        status = Status(
            key=_key(iri.value),
            iri=iri.value,
            labels=_labels(store, iri),
            alt_labels=_alt_labels(store, iri),
            rank=-1 if rank is None else int(rank),
            weight=float(weight or 0),
            asserts=_literal(store, iri, HILOS.asserts) == "true",
        )
        (statuses if rank is not None else unranked).append(status)
    statuses.sort(key=lambda s: s.rank)
    spheres = [
        Concept(
            key=_key(iri.value, strip_suffix="Sphere"),
            iri=iri.value,
            labels=_labels(store, iri),
            alt_labels=_alt_labels(store, iri),
        )
        for iri in _top_concepts(store, HILOS.SphereScheme)
    ]
    modalities = [
        Modality(
            key=_key(iri.value, strip_prefix="As"),
            iri=iri.value,
            labels=_labels(store, iri),
            asserts=_literal(store, iri, HILOS.asserts) == "true",
        )
        for iri in _top_concepts(store, HILOS.ModalityScheme)
    ]
    qualifiers = [
        Concept(
            key=_key(iri.value),
            iri=iri.value,
            labels=_labels(store, iri),
            alt_labels=_alt_labels(store, iri),
        )
        for iri in _top_concepts(store, HILOS.QualifierScheme)
    ]
    families: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, HILOS.family, None):
        if isinstance(quad.object, NamedNode) and isinstance(quad.subject, NamedNode):
            family = _key(quad.object.value, strip_suffix="Family")
            families.setdefault(family, set()).add(quad.subject.value)
    return Vocabulary(
        statuses=tuple(statuses),
        unranked=tuple(unranked),
        spheres=tuple(spheres),
        modalities=tuple(modalities),
        qualifiers=tuple(qualifiers),
        families={k: frozenset(v) for k, v in families.items()},
    )


def _top_concepts(store: Store, scheme: NamedNode) -> list[NamedNode]:
    """The scheme's top concepts in the order the ontology lists them (`skos:hasTopConcept`
    is a set, so the order is that of the concepts' declarations in the file)."""
    members = {
        q.object.value
        for q in store.quads_for_pattern(scheme, SKOS.hasTopConcept, None)
        if isinstance(q.object, NamedNode)
    }
    text = resources.ontology_file().read_text(encoding="utf-8")
    ordered = sorted(
        members, key=lambda iri: text.find("hilos:" + iri.removeprefix(HILOS_NS) + " a ")
    )
    return [NamedNode(iri) for iri in ordered]


__all__ = [
    "ACTOR_KINDS",
    "CONTEXT_KINDS",
    "KINDS",
    "Concept",
    "Modality",
    "Status",
    "Vocabulary",
    "kind_of",
    "vocabulary",
]


@functools.cache
def _ontology_labels() -> dict[str, dict[str, str]]:
    store = Store()
    store.load(path=str(resources.ontology_file()), format=RdfFormat.TURTLE)
    found: dict[str, dict[str, str]] = {}
    for quad in store.quads_for_pattern(None, RDFS.label, None):
        subject, obj = quad.subject, quad.object
        if isinstance(subject, NamedNode) and isinstance(obj, Literal) and obj.language:
            found.setdefault(subject.value, {}).setdefault(obj.language, obj.value)
    return found


def term_label(iri: str, lang: str = "en") -> str:
    """The shipped ontology's label of a class, property or concept in `lang` (else English),
    or its local name when the ontology has none (a user's own term).

    >>> term_label("https://w3id.org/hilos/ontology#Collusion", "es")
    'colusión'
    >>> term_label("http://example.org/ns#OwnTie")
    'OwnTie'
    """
    labels = _ontology_labels().get(iri, {})
    return labels.get(lang) or labels.get("en") or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
