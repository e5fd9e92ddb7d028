"""Blank-node labels that every RDF syntax accepts.

A blank node's label is free text to the store, but each syntax allows only some: RDF/XML's
`rdf:nodeID` must be an XML NCName (no leading digit, no colon), Turtle and N-Triples forbid a
colon and a trailing dot, JSON-LD takes anything. Labels come from the files users load (a
JSON-LD `_:a:b`), from the engine (CONSTRUCT templates, updates) and, in stores made by
earlier versions of hilos, from a per-load prefix of plain hex that often starts with a digit.
Rather than rewrite stores, every RDF output passes its statements through `portable_triples`
or `portable_quads`: a label made only of ASCII letters, digits, `_` and `-`, starting with a
letter other than `z`, is kept; any other is renamed, one to one, to a name starting with `z`.
The renaming is a pure function of the label, so one node keeps one name within a document
and across documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TypeVar

from pyoxigraph import BlankNode, Quad, Triple

__all__ = ["portable_label", "portable_quads", "portable_term", "portable_triples"]

_KEPT = re.compile(r"[A-Ya-y][A-Za-z0-9_-]*")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")

T = TypeVar("T")


def portable_label(label: str) -> str:
    """A name for the blank node `label` that is valid in every RDF syntax; distinct labels get
    distinct names.

    >>> [portable_label(x) for x in ("b1f", "node-1", "3fa", "zed", "a:b", "1.2")]
    ['b1f', 'node-1', 'z3fa', 'zzed', 'z_613a62', 'z_312e32']
    """
    if _KEPT.fullmatch(label):
        return label
    if _ALPHANUMERIC.fullmatch(label):
        return "z" + label
    return "z_" + label.encode("utf-8").hex()


def portable_term(term: T) -> T:
    """`term` with a portable label if it is a blank node (also inside a triple term)."""
    if isinstance(term, BlankNode):
        label = portable_label(term.value)
        return term if label == term.value else BlankNode(label)  # type: ignore[return-value]
    if isinstance(term, Triple):
        return Triple(  # type: ignore[return-value]
            portable_term(term.subject), term.predicate, portable_term(term.object)
        )
    return term


def portable_triples(triples: Iterable[Triple]) -> Iterator[Triple]:
    """The triples with every blank node's label made portable (see `portable_label`)."""
    for triple in triples:
        subject, obj = triple.subject, triple.object
        if isinstance(subject, BlankNode | Triple) or isinstance(obj, BlankNode | Triple):
            yield Triple(portable_term(subject), triple.predicate, portable_term(obj))
        else:
            yield triple


def portable_quads(quads: Iterable[Quad]) -> Iterator[Quad]:
    """The quads with every blank node's label made portable, the graph name included."""
    for quad in quads:
        subject, obj, graph = quad.subject, quad.object, quad.graph_name
        if (
            isinstance(subject, BlankNode | Triple)
            or isinstance(obj, BlankNode | Triple)
            or isinstance(graph, BlankNode)
        ):
            yield Quad(
                portable_term(subject), quad.predicate, portable_term(obj), portable_term(graph)
            )
        else:
            yield quad
