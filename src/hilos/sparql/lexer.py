"""Reading SPARQL text without parsing it: where its strings, IRIs, comments and names are.

Enough to refuse federated queries, `LOAD`, and queries nested too deep or too long for the
engine, and to place bound parameters in a query sent to a remote endpoint, without trusting
anything that sits inside a string, an IRI, a comment or a name.

The reading follows the engine's tokens, which need no space between keywords (Oxigraph reads
`DROPALL`, `?o .SERVICE` and `1SERVICE` as two tokens each), so a keyword that must be refused
is looked for anywhere in what is left once strings, IRIs, comments, prefixed names, variables
and language tags are blanked out (`code`): nothing else there can hide one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_LITERALS = (
    # Strings, long ones first.
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    # IRIs, which may hold \u escapes: <x:\u0041#> is one IRI, its '#' starts no comment.
    rf'|<(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>'
    # Comments.
    r"|#[^\n\r]*"
)
# A backslash escape outside strings: ex:a\# is a prefixed name, its '#' starts no comment.
_ESCAPE = r"\\."
# The local part of a prefixed name (from its ':', with the escapes of PN_LOCAL), variables
# and language tags: names that may spell a keyword without being one. Quantifiers that could
# backtrack far are possessive, so that reading stays linear in the length of the text.
_NAME_CHAR = r"\w\u00B7\u0300-\u036F\u203F\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_LOCAL_CHAR = rf"[{_NAME_CHAR}:]|{_PLX}"
_LOCAL = rf":(?:(?:{_LOCAL_CHAR})(?:(?:{_LOCAL_CHAR}|[.-])*(?:{_LOCAL_CHAR}|-))?)?"
_VARIABLE = rf"[?$][{_NAME_CHAR}]++"
_LANGUAGE = r"@[A-Za-z]++(?:-[A-Za-z0-9]++)*+"
# What is left: words (keywords, perhaps glued together, function names, and the prefixes of
# prefixed names), numbers, and punctuation, one character at a time.
_WORD = rf"[^\W\d_][{_NAME_CHAR}.-]*+"
_NUMBER = r"\d[\w.]*+"

TOKENS = re.compile(f"{_LITERALS}|{_ESCAPE}", re.DOTALL)
"""Strings, IRIs, comments and backslash escapes: what may hide or fake a keyword."""
SCANNER = re.compile(
    f"(?P<hidden>{_LITERALS}|{_LOCAL}|{_VARIABLE}|{_LANGUAGE}|{_ESCAPE})"
    rf"|(?P<prefix>{_WORD})(?=:)|(?P<word>{_WORD})|{_NUMBER}|\S",
    re.DOTALL,
)
"""Every token of the text: `hidden` those that may spell a keyword without being one (strings,
IRIs, comments, the local parts of prefixed names, variables, language tags, escapes), `prefix`
a word right before a ':' (a prefix, or keywords followed by a name with the empty prefix, as in
`SERVICE:x`), `word` another word (keywords, perhaps glued together, or a function's name),
else a number or one character."""


def masked(sparql: str) -> str:
    """The query with its strings, IRIs and comments blanked out, offsets unchanged.

    >>> masked('SELECT ?s { ?s rdfs:label "a { b" } # }')
    'SELECT ?s { ?s rdfs:label         }    '
    """
    return TOKENS.sub(lambda match: " " * len(match.group()), sparql)


def code(sparql: str) -> str:
    """The query with its strings, IRIs, comments, prefixed names, variables and language tags
    blanked out, offsets unchanged: its keywords, function names, numbers and punctuation.
    A prefix that starts with a keyword stays: the engine reads `SERVICE:x` as `SERVICE :x`,
    and `SERVICEex:y` as `SERVICE ex:y`.

    >>> code('SELECT ?service { ?s ex:service "SERVICE"@en } # SERVICE')
    'SELECT          {                            }          '
    >>> code('SELECT * { SERVICE:x {} }')
    'SELECT * { SERVICE   {} }'
    """
    return SCANNER.sub(_code_of, sparql)


def _code_of(match: re.Match[str]) -> str:
    token = match.group()
    if match.group("hidden") or (match.group("prefix") and not _keyword_first(token)):
        return " " * len(token)
    return token


def _keyword_first(word: str) -> bool:
    """Whether a word starts with a keyword: the engine reads `SERVICEex:` as `SERVICE ex:`."""
    letters = word.upper()
    return any(letters.startswith(keyword) for keyword in KEYWORDS)


_SERVICE = re.compile("service", re.IGNORECASE)


def is_federated(sparql: str) -> bool:
    """Whether the query has a `SERVICE` clause: the word anywhere outside its strings, IRIs,
    comments and names, even glued to another token.

    >>> is_federated('SELECT * { SERVICE <http://x/> { ?s ?p ?o } }')
    True
    >>> is_federated('SELECT * { ?s ?p 1SERVICE <http://x/> { ?s ?p ?o } }')
    True
    >>> is_federated('SELECT ?service { ?s rdfs:label "SERVICE" ; ex:service ?o }')
    False
    """
    return bool(_SERVICE.search(code(sparql)))


# -- keywords --------------------------------------------------------------------------------

KEYWORDS = frozenset(
    """
    SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE VERSION DISTINCT REDUCED AS GROUP
    BY HAVING ORDER ASC DESC LIMIT OFFSET VALUES OPTIONAL GRAPH SERVICE SILENT BIND UNDEF MINUS
    UNION FILTER LATERAL A NOT IN EXISTS TRUE FALSE LOAD CLEAR DROP CREATE ADD MOVE COPY TO INTO
    INSERT DELETE DATA WITH USING DEFAULT ALL
    """.split()  # noqa: SIM905 - a list of words reads better as words
)
"""SPARQL's keywords: what a run of letters that the engine reads as several keywords (for
example `DELETEWHERE`) is split into."""


@dataclass(frozen=True)
class Keyword:
    """A bare word of the text (upper-cased), where it stands and how deep in braces."""

    word: str
    start: int
    end: int
    depth: int


def keywords(sparql: str) -> Iterator[Keyword]:
    """The bare words of the text outside strings, IRIs, comments and names, with their brace
    depth; a run of letters made of keywords glued together gives each keyword, and so does a
    prefix made of keywords outside braces (`ADD:a TO:b`), unless `PREFIX` declares it.

    >>> [(k.word, k.depth) for k in keywords("insert { ?s a <x:where> } WHERE { ?s ?p ?o }")]
    [('INSERT', 0), ('A', 1), ('WHERE', 0)]
    >>> [k.word for k in keywords("PREFIX to: <x:> DELETEWHERE { ?s to:a ?o } ; ADD:a TO:b")]
    ['PREFIX', 'DELETE', 'WHERE', 'ADD', 'TO']
    """
    depth = 0
    last = ""
    for match in SCANNER.finditer(sparql):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif match.group("prefix"):
            parts = _split(token.upper())
            if parts and depth == 0 and last != "PREFIX":
                yield from _placed(parts, match.start(), depth)
        elif match.group("word"):
            for run in re.finditer("[A-Za-z]+", token):
                parts = _split(run.group().upper()) or [run.group().upper()]
                yield from _placed(parts, match.start() + run.start(), depth)
                last = parts[-1]


def _placed(parts: list[str], start: int, depth: int) -> Iterator[Keyword]:
    for part in parts:
        yield Keyword(part, start, start + len(part), depth)
        start += len(part)


def _split(run: str) -> list[str] | None:
    """The keywords a run of letters is made of, fewest first, or None if it is not made of
    keywords only (a function's name, or a run too long to be keywords glued together).

    >>> _split("DROPSILENTALL"), _split("DATATYPE")
    (['DROP', 'SILENT', 'ALL'], None)
    """
    if run in KEYWORDS:
        return [run]
    if len(run) > 64:
        return None
    # best[i]: the fewest keywords that make up run[:i].
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 9), end):
            head = best[start]
            if head is not None and run[start:end] in KEYWORDS:
                candidate = [*head, run[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[-1]


# -- how deep and how long -------------------------------------------------------------------

MAX_NESTING = 128
"""How many brackets (`{`, `(`, `[`) a query or update may open inside one another."""
MAX_TERMS = 10_000
"""How many terms (keywords, names, literals, operators) a query or update may hold, not
counting its inline data (the blocks of `VALUES`, `INSERT DATA` and `DELETE DATA`)."""

_OPENING = frozenset("{([")
_CLOSING = frozenset("})]")


@dataclass(frozen=True)
class Shape:
    """How deep a query's brackets go and how many terms it holds outside its inline data."""

    nesting: int
    terms: int


def shape(sparql: str) -> Shape:
    """How deep the brackets of a query or update go, and how many terms (keywords, names,
    literals, operators) it holds outside the blocks of `VALUES` and `INSERT`/`DELETE DATA`.

    >>> shape("SELECT * WHERE { ?s ?p (1 (2)) FILTER(?s != 'a') }")
    Shape(nesting=3, terms=20)
    >>> shape("INSERT DATA { <x:a> <x:b> 1, 2, 3 } ; INSERT DATA { GRAPH <x:g> { <x:a> <x:b> 4 } }")
    Shape(nesting=2, terms=7)
    """
    depth = nesting = terms = 0
    data: int | None = None  # the depth of the inline data block being read, if any
    data_next = False  # a VALUES or DATA keyword was read: its block comes next
    for match in SCANNER.finditer(sparql):
        token = match.group()
        if token.startswith("#"):
            continue  # a comment
        if token in _OPENING:
            depth += 1
            nesting = max(nesting, depth)
            if token == "{" and data_next and data is None:
                data, data_next = depth, False
        elif token in _CLOSING:
            if depth == data:
                data = None
            depth -= 1
        elif match.group("word") and (_split(token.upper()) or [""])[-1] in ("VALUES", "DATA"):
            data_next = True
        if data is None:
            terms += 1
    return Shape(nesting=nesting, terms=terms)


def too_complex(sparql: str) -> str | None:
    """Why the query or update is too deep or too long to hand to the engine, or None.

    Oxigraph reads, plans and evaluates a query by recursion: nested far enough (a few thousand
    brackets), or long enough (some thousands of joins, unions or operators in a row), it runs
    out of stack and takes the whole process down with it. These limits stay far below that
    (with the stack of an engine worker, `hilos.executor.WORKER_STACK` bytes) and far above
    any query written by hand.

    >>> too_complex("SELECT * {" + "{" * 200 + "}" * 201)
    'the query nests 201 brackets deep; at most 128 are allowed'
    >>> too_complex("SELECT * { ?s ?p ?o }") is None
    True
    """
    found = shape(sparql)
    if found.nesting > MAX_NESTING:
        return f"the query nests {found.nesting} brackets deep; at most {MAX_NESTING} are allowed"
    if found.terms > MAX_TERMS:
        return (
            f"the query is too long: {found.terms} terms outside its inline data; at most "
            f"{MAX_TERMS} are allowed"
        )
    return None


# -- the WHERE clause ------------------------------------------------------------------------


def _keyword(word: str) -> re.Pattern[str]:
    # The keyword, not a longer word such as a function's name.
    return re.compile(rf"(?<![A-Za-z_]){word}(?![A-Za-z_])", re.IGNORECASE)


_FORM = _keyword("(?:select|construct|describe|ask)")
_WHERE = _keyword("where")


def where_body(sparql: str) -> int | None:
    """The offset just inside the opening brace of the query's WHERE clause, or None.

    >>> q = 'CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }'
    >>> q[:where_body(q)]
    'CONSTRUCT { ?s a ?c } WHERE {'
    >>> q = 'SELECT ?x { { SELECT ?x WHERE { ?x ?p ?o } } }'
    >>> where_body(q)
    11
    """
    text = code(sparql)
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


# -- the dataset a query names -----------------------------------------------------------------

_QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


@dataclass(frozen=True)
class DatasetClauses:
    """The `FROM` and `FROM NAMED` clauses of a query as written (IRIs or prefixed names), and
    its prologue (the `BASE` and `PREFIX` declarations that give them their meaning)."""

    prologue: str
    default: tuple[str, ...]
    named: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


def dataset_clauses(sparql: str) -> DatasetClauses:
    """The dataset clauses of a query, read outside its strings, comments and braces (a
    subquery has none).

    >>> dataset_clauses('PREFIX g: <x:> SELECT * FROM <x:a> FROM NAMED g:b { ?s ?p "FROM" }')
    DatasetClauses(prologue='PREFIX g: <x:> ', default=('<x:a>',), named=('g:b',))
    >>> bool(dataset_clauses("SELECT * { { SELECT * { ?s ?p ?o } } } # FROM <x:a>"))
    False
    """
    words = [w for w in keywords(sparql) if w.depth == 0]
    start = next((w.start for w in words if w.word in _QUERY_FORMS), len(sparql))
    default: list[str] = []
    named: list[str] = []
    for index, word in enumerate(words):
        if word.word != "FROM":
            continue
        after = word.end
        into = default
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            following is not None
            and following.word == "NAMED"
            and not code(sparql[word.end : following.start]).strip()
        ):
            after, into = following.end, named
        if token := _graph_token(sparql, after):
            into.append(token)
    return DatasetClauses(sparql[:start], tuple(default), tuple(named))


def _graph_token(sparql: str, start: int) -> str:
    """The IRI or prefixed name that starts after `start` (comments skipped), or ''."""
    prefix = ""
    for match in SCANNER.finditer(sparql, start):
        token = match.group()
        if token.startswith("#"):
            continue
        if match.group("prefix") and not prefix:
            prefix = token
            continue
        if token.startswith("<") or token.startswith(":"):
            return prefix + token
        return ""
    return ""
