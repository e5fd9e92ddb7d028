"""Values written into a query's text as an inline `VALUES` block opening its WHERE clause:
how bound parameters travel to an endpoint, how the embedded store lets its planner see them,
and how a batch of terms is asked about in one query. Terms are written by Oxigraph's
serialiser: a value is never spliced into the query as text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from ..errors import QueryError
from ..sparql.lexer import where_body


def sparql_with_values(sparql: str, substitutions: Mapping[ox.Variable, Any]) -> str | None:
    """`with_values`, or None where it cannot apply (no WHERE clause, a blank node to bind)."""
    try:
        return with_values(sparql, substitutions)
    except QueryError:
        return None


def with_values(sparql: str, substitutions: Mapping[ox.Variable, Any]) -> str:
    """The query with its bound parameters as an inline VALUES block opening its WHERE clause.

    The block sits inside the outermost group, so filters and optional parts of that group see
    the values, as they see an engine's own substitution.

    >>> with_values('SELECT ?x ?n WHERE { ?x ?p ?n }', {ox.Variable("x"): NamedNode("http://a")})
    'SELECT ?x ?n WHERE { VALUES (?x) { (<http://a>) }\\n ?x ?p ?n }'
    """
    return with_rows(sparql, list(substitutions), [list(substitutions.values())])


def with_rows(sparql: str, variables: Sequence[ox.Variable], rows: Sequence[Sequence[Any]]) -> str:
    """The query with a VALUES block of several rows opening its WHERE clause (IRIs and
    literals only: a blank node cannot be named in a query).

    >>> with_rows("SELECT ?x WHERE { ?x ?p ?o }", [ox.Variable("x")],
    ...           [[NamedNode("http://a")], [Literal("b")]])
    'SELECT ?x WHERE { VALUES (?x) { (<http://a>) ("b") }\\n ?x ?p ?o }'
    """
    at = where_body(sparql)
    if at is None:
        raise QueryError("a query with bound parameters needs a WHERE clause")
    names = " ".join(str(variable) for variable in variables)
    written = []
    for row in rows:
        for term in row:
            if not isinstance(term, NamedNode | Literal):
                raise QueryError(f"cannot bind {term} in a query sent to an endpoint")
        written.append("(" + " ".join(str(term) for term in row) + ")")
    return f"{sparql[:at]} VALUES ({names}) {{ {' '.join(written)} }}\n{sparql[at:]}"


__all__ = ["sparql_with_values", "with_rows", "with_values"]
