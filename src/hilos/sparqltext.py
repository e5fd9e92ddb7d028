"""Reading SPARQL text without parsing it: where its strings, IRIs and comments are.

Enough to refuse federated queries and to place bound parameters in a query sent to a remote
endpoint, without trusting anything that sits inside a string or an IRI.
"""

from __future__ import annotations

import re

# Strings (long ones first), IRIs, comments: what may hide or fake a keyword.
TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)


def _keyword(word: str) -> re.Pattern[str]:
    # The keyword, not a variable (?service), a prefixed name (ex:service) or a prefix (service:).
    return re.compile(rf"(?<![\w?$:.-]){word}(?![\w:.-])", re.IGNORECASE)


_SERVICE = _keyword("service")
_FORM = _keyword("(?:select|construct|describe|ask)")
_WHERE = _keyword("where")


def masked(sparql: str) -> str:
    """The query with its strings, IRIs and comments blanked out, offsets unchanged.

    >>> masked('SELECT ?s { ?s rdfs:label "a { b" } # }')
    'SELECT ?s { ?s rdfs:label         }    '
    """
    return TOKENS.sub(lambda match: " " * len(match.group()), sparql)


def is_federated(sparql: str) -> bool:
    """Whether the query has a `SERVICE` clause outside its strings, IRIs and comments.

    >>> is_federated('SELECT * { SERVICE <http://x/> { ?s ?p ?o } }')
    True
    >>> is_federated('SELECT ?service { ?s rdfs:label "SERVICE" }')
    False
    """
    return bool(_SERVICE.search(masked(sparql)))


def where_body(sparql: str) -> int | None:
    """The offset just inside the opening brace of the query's WHERE clause, or None.

    >>> q = 'CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }'
    >>> q[:where_body(q)]
    'CONSTRUCT { ?s a ?c } WHERE {'
    >>> q = 'SELECT ?x { { SELECT ?x WHERE { ?x ?p ?o } } }'
    >>> where_body(q)
    11
    """
    text = masked(sparql)
    form = _FORM.search(text)
    if form is None:
        return None
    start = form.end()
    if form.group().lower() == "construct":
        where = _WHERE.search(text, start)
        if where is None:
            return None
        start = where.end()
    brace = text.find("{", start)
    return None if brace < 0 else brace + 1
