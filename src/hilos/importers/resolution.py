"""Entity resolution for imports: names in a user's file matched to entities already in the
store, and to each other — never by a part of the name.

A name matches only as a whole: its normalised form (`hilos.text.normalise`: case, accents,
punctuation and spacing ignored) must equal a search key of an entity of the store (one of its
labels or declared aliases). Within a file, names meet each other the same way, so "Nicolás
Maduro Moros (Venezuela)" and "Nicolás Maduro Moros (Colombia)" are two people.

A trailing qualifier in parentheses ("(Venezuela)", "(México)", "(CJNG)") is never matched on
its own: a person is never merged into the country named beside them. It may only choose
between candidates: when the name without it names entities of the store, the one that the
qualifier describes — the qualifier is one of its own names, or names a place it is tied to or
lies within — is the match; when it describes none (or several), nothing is merged and the
summary says so.

A name is never merged into a place, a market or a sphere unless the row says the end is one
(its type column) or the relation's range does (presence is in a place, market engagement in a
market). Names without a letter (anonymised ids such as "17") are ids of their file: they never
meet entities of the store. `link="none"` matches nothing in the store.

Every merge is recorded with the entity's label and the reason, and every name that looked like
an entity of the store but was not merged with why not, so the import can say what it did before
and after it acts. Only the maps from normalised name to IRI are kept, so memory grows with the
number of distinct names, not with the rows of the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from .. import sparql
from ..entities import describe
from ..errors import BadInput
from ..errors import message as _
from ..evidence import Record
from ..namespaces import HILOS, RDF_TYPE, RDFS
from ..store import Store, solutions
from ..text import normalise
from ..vocab import kind_of

LINK_MODES = ("exact", "none")
"""How names are matched against the store: by whole name or alias, or not at all."""

GUARDED_KINDS = frozenset({"place", "market", "sphere", "source", "observation"})
"""Kinds an end is merged into only when the row or the relation says the end is one."""

_A_KIND = {
    "actor": _("an actor"),
    "person": _("a person"),
    "organisation": _("an organisation"),
    "place": _("a place"),
    "market": _("a market"),
    "event": _("an event"),
    "policy": _("a policy"),
    "phenomenon": _("a phenomenon"),
    "sphere": _("a sphere"),
    "source": _("a source"),
    "observation": _("an observation"),
}
"""A kind as a merge's reason names it, said again in the reader's language."""


def _a(kind: str) -> str:
    return _A_KIND.get(kind) or f"a {kind}"


_TRAILING_PARENS = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]*)\)\s*$", re.DOTALL)


def name_key(name: str) -> str:
    """The form under which a name meets other names and the store: the whole name,
    normalised (a qualifier in parentheses is part of it).

    >>> name_key("  Cártel de Sinaloa (México) ")
    'cartel de sinaloa mexico'
    >>> name_key("Nicolás Maduro Moros (Venezuela)")
    'nicolas maduro moros venezuela'
    """
    return normalise(name)


def split_qualifier(name: str) -> tuple[str, str] | None:
    """A name and its trailing qualifier in parentheses, normalised, or None without one.

    >>> split_qualifier("Nicolás Maduro Moros (Venezuela)")
    ('nicolas maduro moros', 'venezuela')
    >>> split_qualifier("Guerreros Unidos") is None
    True
    """
    match = _TRAILING_PARENS.match(name)
    if not match:
        return None
    bare, inner = normalise(match["name"]), normalise(match["inner"])
    return (bare, inner) if bare and inner else None


def slug(key: str) -> str:
    """A readable, IRI-safe local name for a normalised name.

    >>> slug("cartel de sinaloa")
    'cartel-de-sinaloa'
    """
    text = key.replace(" ", "-")[:80].strip("-")
    if text and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in text):
        return text
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return quote(text, safe="-") + "-" + digest if text else digest


def citation_source(namespace: str, citation: str) -> tuple[NamedNode, list[Triple]]:
    """The source node of a citation in a graph's namespace — one per distinct citation, so a
    sheet's rows and a user's claims citing the same text share it — and its statements."""
    node = NamedNode(
        namespace + "source/" + hashlib.sha256(citation.encode("utf-8")).hexdigest()[:16]
    )
    return node, [
        Triple(node, RDF_TYPE, HILOS.Source),
        Triple(node, HILOS.citation, Literal(citation)),
        Triple(node, RDFS.label, Literal(citation)),
    ]


@dataclass
class NewEntity:
    iri: str
    label: str
    type: str | None


@dataclass(frozen=True)
class Match(Record):
    """A name of the file and an entity of the store it was merged with — or, among the names
    kept apart, one it resembles — with the reason."""

    name: str
    entity: str
    label: str
    reason: str


@dataclass
class Resolver:
    """Maps names to IRIs: entities of the store first, then entities of this import."""

    namespace: str
    store: Store | None = None
    known: dict[str, set[str]] = field(default_factory=dict)
    resolved: dict[str, str] = field(default_factory=dict)
    new: dict[str, NewEntity] = field(default_factory=dict)
    merged: dict[str, Match] = field(default_factory=dict)
    kept_apart: dict[str, Match] = field(default_factory=dict)
    _kinds: dict[str, str] = field(default_factory=dict)
    _context: dict[str, set[str]] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_store(cls, store: Store, namespace: str, *, link: str = "exact") -> Resolver:
        """A resolver knowing the search keys of every entity in `store` (outside `namespace`,
        so re-importing a graph with --replace does not match its own old entities); with
        `link="none"` it knows none and every name is a new entity."""
        if link not in LINK_MODES:
            raise BadInput(
                _(
                    "{parameter} must be one of {known}, got '{value}'",
                    parameter="link",
                    known=", ".join(LINK_MODES),
                    value=link,
                )
            )
        known: dict[str, set[str]] = {}
        if link == "exact":
            for row in solutions(store.query(sparql.load("store-entity-keys"))):
                entity, key = row["entity"], row["key"]
                if not isinstance(entity, NamedNode) or not isinstance(key, Literal):
                    continue
                if entity.value.startswith(namespace):
                    continue
                known.setdefault(key.value, set()).add(entity.value)
        return cls(namespace=namespace, store=store, known=known)

    # -------------------------------------------------------------- facts about candidates

    def _kind(self, iri: str) -> str:
        if iri not in self._kinds:
            assert self.store is not None
            rows = solutions(
                self.store.query(sparql.load("entity-types"), bindings={"entity": NamedNode(iri)})
            )
            types = [r["type"].value for r in rows if isinstance(r["type"], NamedNode)]
            self._kinds[iri] = kind_of(types, self.store.terminology().superclasses)
        return self._kinds[iri]

    def _described_by(self, iri: str) -> set[str]:
        if iri not in self._context:
            assert self.store is not None
            rows = solutions(
                self.store.query(
                    sparql.load("candidate-context"), bindings={"entity": NamedNode(iri)}
                )
            )
            self._context[iri] = {r["key"].value for r in rows if isinstance(r["key"], Literal)}
        return self._context[iri]

    def _label(self, iri: str) -> str:
        if iri not in self._labels:
            assert self.store is not None
            self._labels[iri] = describe(self.store, iri).label
        return self._labels[iri]

    # ------------------------------------------------------------------------ resolving

    def _fits(self, iri: str, end_kind: str | None) -> bool:
        """Whether an end of the row may be the entity: a place, market or sphere only when the
        row or its relation says the end is one."""
        kind = self._kind(iri)
        return kind not in GUARDED_KINDS or kind == end_kind

    def _from_store(self, name: str, key: str, end_kind: str | None) -> str | None:
        """The entity of the store `name` is, by its whole name or, failing that, by its name
        without the qualifier in parentheses that the qualifier chooses; None (and the reason
        noted) when there is none or no single one."""
        matches = self.known.get(key, set())
        if matches:
            return self._by_whole_name(name, key, matches, end_kind)
        parts = split_qualifier(name)
        if parts is None:
            return None
        return self._by_qualifier(name, key, parts, end_kind)

    def _by_whole_name(
        self, name: str, key: str, matches: set[str], end_kind: str | None
    ) -> str | None:
        if len(matches) > 1:
            first = sorted(matches)[0]
            self.kept_apart[key] = Match(
                name,
                first,
                self._label(first),
                _("the name fits {count} entities", count=len(matches)),
            )
            return None
        iri = next(iter(matches))
        if self._fits(iri, end_kind):
            self.merged[key] = Match(name, iri, self._label(iri), _("same name or alias"))
            return iri
        self.kept_apart[key] = Match(
            name,
            iri,
            self._label(iri),
            _(
                "that is {kind}; this end is {end}",
                kind=_a(self._kind(iri)),
                end=_a(end_kind or "actor"),
            ),
        )
        return None

    def _by_qualifier(
        self, name: str, key: str, parts: tuple[str, str], end_kind: str | None
    ) -> str | None:
        bare, qualifier = parts
        candidates = sorted(iri for iri in self.known.get(bare, set()) if self._fits(iri, end_kind))
        if not candidates:
            return None
        chosen = [iri for iri in candidates if qualifier in self._described_by(iri)]
        if len(chosen) == 1:
            iri = chosen[0]
            self.merged[key] = Match(
                name,
                iri,
                self._label(iri),
                _(
                    "same name; the qualifier ({qualifier}) names it or a place it is tied to",
                    qualifier=qualifier,
                ),
            )
            return iri
        self.kept_apart[key] = Match(
            name,
            candidates[0],
            self._label(candidates[0]),
            _("same name, but the qualifier ({qualifier}) does not choose it", qualifier=qualifier)
            if len(candidates) == 1
            else _(
                "same name, but the qualifier ({qualifier}) does not choose one of {count} "
                "entities",
                qualifier=qualifier,
                count=len(candidates),
            ),
        )
        return None

    def resolve(self, name: str, type_iri: str | None = None, end_kind: str | None = None) -> str:
        """The IRI for `name`: an existing entity it matches as a whole, or a new entity of the
        import. `end_kind` is the kind the row or its relation gives the end (`place`,
        `market`…), if any."""
        key = name_key(name)
        if not key:
            raise ValueError(f"the name {name!r} has no letters or digits")
        iri = self.resolved.get(key)
        if iri is not None:
            entity = self.new.get(iri)
            if entity is not None and entity.type is None and type_iri is not None:
                entity.type = type_iri
            return iri
        if self.known and any(ch.isalpha() for ch in key):
            iri = self._from_store(name, key, end_kind)
        if iri is None:
            iri = self.namespace + "entity/" + slug(key)
            self.new[iri] = NewEntity(iri=iri, label=name.strip(), type=type_iri)
        self.resolved[key] = iri
        return iri
