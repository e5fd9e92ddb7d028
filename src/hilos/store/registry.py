"""The registry: what names the store gives graphs, and what it records about each loaded one.

Every loaded file lives in a named graph of its own; the triples the reasoner derives from it
live in a companion graph. A registry records what was loaded, from where, and when. An
endpoint keeps the registry as statements in `REGISTRY_GRAPH`; an embedded store keeps each
entry as an empty named graph whose IRI spells out the entry's statements (see
`hilos.store.embedded`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Triple

from .. import sparql
from ..errors import BadInput
from ..namespaces import STORE, STORE_NS, XSD, compact
from .database import solutions

GRAPH_BASE = "https://w3id.org/hilos/graph/"
ONTOLOGY_GRAPH_NAME = "ontology"
CURATED_PREFIX = "report/"
META = NamedNode(STORE_NS + "registry")
REGISTRY_GRAPH = META.value
ENTRY_BASE = STORE_NS + "registry/"
THIS_STORE = NamedNode(STORE_NS + "this")
STAGING_BASE = STORE_NS + "staging/"
INFERRED_BASE = STORE_NS + "inferred/"
# Raise when the derivation rules change: every graph's inferences are then derived again.
FORMAT_VERSION = 3


def graph_iri(name: str) -> NamedNode:
    """The IRI of the named graph called `name` (an absolute IRI, bare or in `<…>`, is kept).

    >>> graph_iri("report/iguala").value
    'https://w3id.org/hilos/graph/report/iguala'
    >>> graph_iri("<tag:example.org,2024:leak>").value
    'tag:example.org,2024:leak'
    """
    if not name or name != name.strip():
        raise BadInput(f"invalid graph name {name!r}")
    bracketed = name.startswith("<") and name.endswith(">")
    if bracketed or "://" in name or name.startswith("urn:"):
        iri = name[1:-1] if bracketed else name
        try:
            return NamedNode(iri)
        except ValueError as exc:
            raise BadInput(f"invalid graph IRI {iri!r}: {exc}") from None
    try:
        return NamedNode(GRAPH_BASE + quote(name, safe="/-_.~"))
    except UnicodeEncodeError:
        raise BadInput(f"invalid graph name {name!r}: not UTF-8 text") from None


def graph_name(iri: str) -> str:
    """The short name of a graph IRI, the inverse of `graph_iri`.

    >>> graph_name(graph_iri("report/iguala").value), graph_name("tag:example.org,2024:leak")
    ('report/iguala', '<tag:example.org,2024:leak>')
    """
    if iri.startswith(GRAPH_BASE):
        return unquote(iri[len(GRAPH_BASE) :])
    if "://" in iri or iri.startswith("urn:"):
        return iri
    return f"<{iri}>"


def short_id(iri: str) -> str:
    """An IRI as people read and type it: a user graph's own by its graph and path
    (`mine/claim/3`), others prefixed (`hid:zetas`).

    >>> short_id("https://w3id.org/hilos/graph/mine/claim/3"), short_id("")
    ('mine/claim/3', '')
    >>> short_id("https://w3id.org/hilos/id/zetas")
    'hid:zetas'
    """
    if iri.startswith(GRAPH_BASE):
        return iri[len(GRAPH_BASE) :]
    return compact(iri)


@dataclass(frozen=True)
class GraphInfo:
    """One loaded graph, as the registry records it."""

    name: str
    iri: str
    inferred_iri: str
    source: str
    sha256: str
    loaded_at: str
    triples: int
    inferred_triples: int
    bundled: bool


def read_registry(registry: Any) -> list[GraphInfo]:
    """The entries of a registry graph (`META`, as statements) held by `registry`: a database
    with `query` (the same query on an embedded store's spelled-out entries as on an endpoint).
    Ontology first, then by name."""
    rows = solutions(registry.query(sparql.load("store-registry"), named_graphs=[META]))
    infos = [
        GraphInfo(
            name=row["name"].value,
            iri=row["g"].value,
            inferred_iri=row["inf"].value,
            source=row["source"].value,
            sha256=row["sha"].value,
            loaded_at=row["at"].value,
            triples=int(row["n"].value),
            inferred_triples=int(row["ni"].value),
            bundled=row["bundled"].value in ("true", "1"),
        )
        for row in rows
    ]
    infos.sort(key=lambda info: (info.name != ONTOLOGY_GRAPH_NAME, info.name))
    return infos


def registry_entry(
    target: NamedNode,
    inferred: NamedNode,
    *,
    source: str,
    sha256: str,
    loaded_at: str,
    triples: int,
    inferred_triples: int,
    bundled: bool,
) -> str:
    """The registry's statements about one loaded graph, as N-Triples-style Turtle."""
    values = [
        (STORE.name, Literal(graph_name(target.value))),
        (STORE.inferred, inferred),
        (STORE.source, Literal(source)),
        (STORE.sha256, Literal(sha256)),
        (STORE.loadedAt, Literal(loaded_at, datatype=XSD.dateTime)),
        (STORE.triples, Literal(triples)),
        (STORE.inferredTriples, Literal(inferred_triples)),
        (STORE.bundled, Literal(bundled)),
    ]
    body = " ; ".join(f"{p} {o}" for p, o in values)
    return f"{target} a {STORE.Graph} ; {body} ."


def entry_name(statements: str) -> NamedNode:
    """The name of the embedded registry entry that spells out `statements`."""
    return NamedNode(ENTRY_BASE + quote(statements, safe=""))


@functools.lru_cache(maxsize=4096)
def entry_triples(entry: NamedNode) -> tuple[Triple, ...]:
    """The statements a registry entry's name spells out."""
    text = unquote(entry.value[len(ENTRY_BASE) :])
    return tuple(
        Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    )
