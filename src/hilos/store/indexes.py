"""Reading the store's indexes directly, for the work that must stay fast on large graphs.

Two costs dominate a large store (measured with `bench/newsroom.py` on a million entities):

* a SPARQL query whose default graph is a list of graphs is evaluated graph by graph, ten to
  twenty times slower than the same pattern read from one graph;
* Oxigraph plans a query before it substitutes the bound values, so a query about one entity
  can be planned as a scan of every tie.

So the projection of the network, the search index, cards and path searches read here: a whole
predicate at a time (`pairs`: one single-pattern query per visible graph, its results taken as
tab-separated text), or one subject's or object's statements (`statements`, `subjects`: an
index lookup, keeping only the quads of the visible graphs). Both see exactly what a query over
the store's visible graphs sees; a statement held in two graphs is returned once.

>>> from hilos.namespaces import RDF_TYPE
>>> from hilos.store import Store
>>> view = Store.in_memory().view()
>>> zetas = NamedNode("https://w3id.org/hilos/id/zetas")
>>> ("https://w3id.org/hilos/ontology#DrugTraffickingOrganization"
...  in [o.value for p, o in view.statements(zetas) if p == RDF_TYPE])
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from ..namespaces import PREFIXES
from .view import Statements, Subject, Term, pairs_by_rows

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'"}
_ESCAPES["\\"] = "\\"


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


def iri(token: str) -> str | None:
    """The IRI of a term as the TSV results format writes it, or None for another kind.

    >>> iri("<https://w3id.org/hilos/id/zetas>"), iri('"Zetas"@en')
    ('https://w3id.org/hilos/id/zetas', None)
    """
    if token.startswith("<"):
        return token[1:-1]
    return None


def literal(token: str) -> tuple[str, str | None, str | None] | None:
    """The lexical form, language and datatype of a literal as the TSV results format writes
    it (numbers and booleans may be written bare), or None for an IRI or blank node.

    >>> literal('"Cher\\\\u00e1n \\\\"Michoac\\u00e1n\\\\""@es')
    ('Cherán "Michoacán"', 'es', None)
    >>> literal('"2014"^^<http://www.w3.org/2001/XMLSchema#gYear>')
    ('2014', None, 'http://www.w3.org/2001/XMLSchema#gYear')
    >>> literal("0.6")[0]
    '0.6'
    """
    if not token or token[0] in "<_":
        return None
    if token[0] != '"':
        return token, None, None
    end = token.rfind('"')
    lexical = token[1:end]
    if "\\" in lexical:
        lexical = _ESCAPE.sub(_unescape, lexical)
    rest = token[end + 1 :]
    if rest.startswith("@"):
        return lexical, rest[1:], None
    if rest.startswith("^^<"):
        return lexical, None, rest[3:-1]
    return lexical, None, None


def to_literal(token: str) -> Literal | None:
    """A TSV literal as a pyoxigraph `Literal` (None for an IRI or blank node)."""
    parts = literal(token)
    if parts is None:
        return None
    value, language, datatype = parts
    if language:
        return Literal(value, language=language)
    if datatype:
        return Literal(value, datatype=NamedNode(datatype))
    if token[0] != '"':  # a bare number or boolean
        return Literal(value, datatype=_bare_datatype(value))
    return Literal(value)


def _bare_datatype(value: str) -> NamedNode:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if value in ("true", "false"):
        return NamedNode(xsd + "boolean")
    if "e" in value.lower():
        return NamedNode(xsd + "double")
    return NamedNode(xsd + ("decimal" if "." in value else "integer"))


class View:
    """The statements of the graphs a query would see: all loaded graphs (or those named, with
    the ontology), with or without what was derived from them."""

    def __init__(
        self,
        database: ox.Store,
        graphs: Sequence[NamedNode],
        asserted: Sequence[NamedNode] | None = None,
    ) -> None:
        self.database = database
        self.graphs: tuple[NamedNode, ...] = tuple(graphs)
        self._asserted = tuple(asserted) if asserted is not None else self.graphs
        self._visible = frozenset(self.graphs)

    def __repr__(self) -> str:
        return f"View({len(self.graphs)} graphs)"

    def asserted(self) -> View:
        """The same graphs without their derived statements."""
        return View(self.database, self._asserted, self._asserted)

    # ------------------------------------------------------------------ whole predicates

    def rows(self, sparql: str) -> Iterator[list[str]]:
        """The solutions of a single-pattern SELECT query in each visible graph in turn, as
        lists of terms in the TSV results format. (A query joining several patterns would miss
        joins across graphs: use `Store.query` for those.)"""
        for graph in self.graphs:
            answer = self.database.query(sparql, prefixes=PREFIXES, default_graph=[graph])
            if not isinstance(answer, ox.QuerySolutions):  # pragma: no cover - a SELECT
                continue
            data = answer.serialize(format=ox.QueryResultsFormat.TSV) or b""
            lines = data.decode("utf-8").split("\n")
            for line in lines[1:]:
                if line:
                    yield line.split("\t")

    def pairs(self, predicate: NamedNode, obj: Term | None = None) -> Iterator[tuple[str, str]]:
        """Every (subject, object) of a predicate, as TSV terms (a statement held in several
        graphs comes once per graph)."""
        return pairs_by_rows(self, predicate, obj)

    # ------------------------------------------------------------------------- lookups

    def quads(
        self,
        subject: NamedNode | BlankNode | None,
        predicate: NamedNode | None,
        obj: Term | None,
    ) -> Iterator[Quad]:
        """The visible quads matching a pattern, read from the index that fits it."""
        visible = self._visible
        for quad in self.database.quads_for_pattern(subject, predicate, obj, None):
            if quad.graph_name in visible:
                yield quad

    def statements(self, subject: NamedNode | BlankNode) -> list[tuple[NamedNode, Term]]:
        """The (predicate, object) pairs of a subject, once each, in index order."""
        found = dict.fromkeys(
            (quad.predicate, quad.object)
            for quad in self.quads(subject, None, None)
            if not isinstance(quad.object, ox.Triple)
        )
        return list(found)

    def objects(self, subject: NamedNode | BlankNode, predicate: NamedNode) -> list[Term]:
        return list(
            dict.fromkeys(
                q.object
                for q in self.quads(subject, predicate, None)
                if not isinstance(q.object, ox.Triple)
            )
        )

    def subjects(self, predicate: NamedNode, obj: Term) -> list[Subject]:
        return list(
            dict.fromkeys(
                q.subject
                for q in self.quads(None, predicate, obj)
                if not isinstance(q.subject, ox.Triple)
            )
        )

    # ---------------------------------------------------------------- batched look-ups

    def statements_of(
        self, subjects: Iterable[Subject], predicates: Sequence[NamedNode] | None = None
    ) -> Statements:
        """`statements` of many subjects (only those of `predicates`, if given): one index
        look-up each (an endpoint's view asks about a batch at once)."""
        found: Statements = {}
        for subject in dict.fromkeys(subjects):
            if predicates is None:
                pairs = self.statements(subject)
            else:
                pairs = [
                    (p, o) for p in dict.fromkeys(predicates) for o in self.objects(subject, p)
                ]
            if pairs:
                found[subject] = pairs
        return found

    def subjects_of(
        self, predicate: NamedNode, objects: Iterable[Term]
    ) -> dict[Term, list[Subject]]:
        """`subjects` of many objects, one index look-up each."""
        found: dict[Term, list[Subject]] = {}
        for obj in dict.fromkeys(objects):
            subjects = self.subjects(predicate, obj)
            if subjects:
                found[obj] = subjects
        return found


__all__ = ["Term", "View", "iri", "literal", "to_literal"]
