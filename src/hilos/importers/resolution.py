"""Entity resolution for imports: names in a user's file matched to entities already in the
store, and to each other.

Names are compared by their normalised form (`hilos.text.normalise`: case, accents,
punctuation and spacing ignored) with a trailing country in parentheses dropped, so
"Cártel de Sinaloa (México)" and "cartel de sinaloa" are one name. A name meets an entity of
the store when that form equals one of the entity's search keys (its normalised labels and
aliases). When it does not, two further forms are tried against the store only: the name
without any trailing parenthesis ("Cártel Jalisco Nueva Generación (CJNG)" → "cartel jalisco
nueva generacion") and what the parenthesis holds ("cjng") — so an alias of a curated entity
decides the match. A form that names several entities of the store is ambiguous and is not
used. Names without a letter (anonymised ids such as "17") are ids of their file: they never
meet entities of the store. Names that meet nothing become new entities of the import's graph.

Only the map from normalised name to IRI is kept, so memory grows with the number of distinct
names, not with the rows of the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from ..store import GRAPH_BASE, Store, solutions
from ..text import normalise

# Countries a trailing parenthesis may name, normalised (English and Spanish names, codes).
COUNTRIES = frozenset(
    {
        "mexico",
        "mx",
        "mex",
        "colombia",
        "co",
        "col",
        "guatemala",
        "gt",
        "honduras",
        "hn",
        "el salvador",
        "sv",
        "nicaragua",
        "venezuela",
        "ecuador",
        "peru",
        "bolivia",
        "brazil",
        "brasil",
        "argentina",
        "chile",
        "paraguay",
        "uruguay",
        "panama",
        "costa rica",
        "belize",
        "belice",
        "cuba",
        "dominican republic",
        "republica dominicana",
        "haiti",
        "jamaica",
        "usa",
        "us",
        "eeuu",
        "ee uu",
        "united states",
        "estados unidos",
        "canada",
        "spain",
        "espana",
        "italy",
        "italia",
        "france",
        "francia",
        "germany",
        "alemania",
        "netherlands",
        "paises bajos",
        "holanda",
        "albania",
        "serbia",
        "montenegro",
        "russia",
        "rusia",
        "china",
        "nigeria",
        "uk",
        "united kingdom",
        "reino unido",
        "portugal",
        "turkey",
        "turquia",
    }
)

_TRAILING_PARENS = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]*)\)\s*$", re.DOTALL)

_STORE_KEYS = """
SELECT ?entity ?key WHERE { ?entity hilos:searchKey ?key . }
"""


def name_key(name: str) -> str:
    """The form under which names of a file meet each other: normalised, without a trailing
    country in parentheses.

    >>> name_key("  Cártel de Sinaloa (México) ")
    'cartel de sinaloa'
    >>> name_key("Cártel Jalisco Nueva Generación (CJNG)")
    'cartel jalisco nueva generacion cjng'
    """
    match = _TRAILING_PARENS.match(name)
    if match and normalise(match["inner"]) in COUNTRIES and normalise(match["name"]):
        return normalise(match["name"])
    return normalise(name)


def store_keys(name: str) -> list[str]:
    """The forms tried against the store's search keys, in order.

    >>> store_keys("Cártel Jalisco Nueva Generación (CJNG)")
    ['cartel jalisco nueva generacion cjng', 'cartel jalisco nueva generacion', 'cjng']
    """
    keys = [name_key(name)]
    match = _TRAILING_PARENS.match(name)
    if match:
        keys.extend([normalise(match["name"]), normalise(match["inner"])])
    return [k for k in dict.fromkeys(keys) if k]


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


def graph_namespace(graph: str) -> str:
    """The namespace of the entities and ties an import creates in graph `graph`."""
    return f"{GRAPH_BASE}{quote(graph, safe='/-_.')}/"


@dataclass
class NewEntity:
    iri: str
    label: str
    type: str | None


@dataclass
class Resolver:
    """Maps names to IRIs: entities of the store first, then entities of this import."""

    namespace: str
    known: dict[str, set[str]] = field(default_factory=dict)
    resolved: dict[str, str] = field(default_factory=dict)
    new: dict[str, NewEntity] = field(default_factory=dict)
    merged: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def for_store(cls, store: Store, namespace: str) -> Resolver:
        """A resolver knowing the search keys of every entity in `store` (outside `namespace`,
        so re-importing a graph with --replace does not match its own old entities)."""
        known: dict[str, set[str]] = {}
        for row in solutions(store.query(_STORE_KEYS)):
            entity, key = row["entity"], row["key"]
            if not isinstance(entity, NamedNode) or not isinstance(key, Literal):
                continue
            if entity.value.startswith(namespace):
                continue
            known.setdefault(key.value, set()).add(entity.value)
        return cls(namespace=namespace, known=known)

    def resolve(self, name: str, type_iri: str | None = None) -> str:
        """The IRI for `name`: an existing entity it meets, or a new entity of the import."""
        key = name_key(name)
        if not key:
            raise ValueError(f"the name {name!r} has no letters or digits")
        iri = self.resolved.get(key)
        if iri is not None:
            entity = self.new.get(iri)
            if entity is not None and entity.type is None and type_iri is not None:
                entity.type = type_iri
            return iri
        for candidate in store_keys(name) if any(ch.isalpha() for ch in key) else ():
            matches = self.known.get(candidate, set())
            if len(matches) == 1:
                iri = next(iter(matches))
                self.merged[key] = (name, iri)
                break
        if iri is None:
            iri = self.namespace + "entity/" + slug(key)
            self.new[iri] = NewEntity(iri=iri, label=name.strip(), type=type_iri)
        self.resolved[key] = iri
        return iri
