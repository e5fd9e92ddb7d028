"""SPARQL Update over a hilos store, keeping the store's bookkeeping true.

hilos keeps every loaded graph in a named graph of its own, lists it in a registry, and lets
queries see only the registered graphs and the inferences derived from each. An update run
straight on the database would slip past all three; `apply_update` runs it so that:

- its `DELETE`/`INSERT … WHERE` clauses read what a query reads (the loaded graphs and their
  inferences as the default graph, the loaded graphs by name for `GRAPH ?g`), unless the
  update names its own dataset with `USING`;
- statements it writes outside any `GRAPH` go to the graph `sparql-update`, registered on
  first use; a named graph it creates is registered too, under its IRI (a graph under
  `https://w3id.org/hilos/graph/` by its short name);
- every registered graph whose statements changed is registered again with its new content
  and its inferences derived anew (as `hilos load --replace` would); a graph the update
  emptied is dropped; when the ontology changes, every graph is derived again;
- it is all or nothing: the update, the move out of the default graph and the checks below run
  as one transaction, so an update that fails to parse, fails to run, or would leave the
  ontology empty changes nothing.

Refused before anything runs: a federated `SERVICE` and `LOAD` (the store never calls another
host), `CLEAR`/`DROP` of `ALL` or `NAMED` (they would take the store's own bookkeeping with
them: name the graph), and any IRI of the store's own namespace (`https://w3id.org/hilos/store#`:
the registry and the derived graphs are hilos's to write).

One update runs at a time in a process. Registering and deriving happen after the update's
transaction; between the two a query may see the new statements without their inferences.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox
from pyoxigraph import NamedNode

from ..errors import BadInput, QueryError, StoreError
from ..namespaces import PREFIXES, STORE_NS
from ..sparql.lexer import SCANNER, code, is_federated, keywords, masked, too_complex
from . import ONTOLOGY_GRAPH_NAME, GraphInfo, Store, graph_iri, graph_name

__all__ = ["UPDATE_GRAPH", "UpdateRefused", "apply_update", "check_update", "scoped"]

UPDATE_GRAPH = "sparql-update"
"""The graph that receives what an update writes outside any `GRAPH`."""

_OPERATIONS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
_FEDERATED = "federated SERVICE is refused in an update too: the server never calls another host"
_LOAD = "LOAD is refused: the store never fetches data from another host; use hilos load"
_CHECK_ONTOLOGY = NamedNode(STORE_NS + "update-check/ontology")
_CHECK_NAMES = NamedNode(STORE_NS + "update-check/graph-names")
_LOCK = threading.Lock()


class UpdateRefused(BadInput):
    """An update that hilos will not run (federated, fetching, or touching its bookkeeping)."""


def check_update(sparql: str) -> None:
    """Refuse what an update may never do; see the module's docstring.

    >>> check_update("INSERT DATA { hid:a rdfs:label 'SERVICE' }")
    >>> check_update("DROP SILENT ALL")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hilos.store.updates.UpdateRefused: DROP ALL is refused: it would remove the store's own ...
    >>> check_update("DROPALL")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hilos.store.updates.UpdateRefused: DROP ALL is refused: it would remove the store's own ...
    """
    if is_federated(sparql):
        raise UpdateRefused(_FEDERATED)
    if _LOAD_WORD.search(code(sparql)):
        raise UpdateRefused(_LOAD)
    if reason := too_complex(sparql):
        raise UpdateRefused(reason.replace("the query", "the update", 1))
    words = list(keywords(sparql))
    for index, word in enumerate(words):
        if word.word in ("CLEAR", "DROP"):
            following = [w.word for w in words[index + 1 : index + 3]]
            if following[:1] == ["SILENT"]:
                following = following[1:]
            target = following[0] if following else ""
            if target in ("ALL", "NAMED"):
                raise UpdateRefused(
                    f"{word.word} {target} is refused: it would remove the store's own "
                    f"bookkeeping; name the graph to {word.word.lower()}"
                )
    for iri, declared in iris(sparql):
        if iri.startswith(STORE_NS) or (declared and STORE_NS.startswith(iri)):
            raise UpdateRefused(
                f"<{iri}> belongs to the store's own bookkeeping, which SPARQL Update may not "
                "touch (files are loaded with hilos load on the machine that holds the store)"
            )


def scoped(sparql: str, default: Sequence[str], named: Sequence[str]) -> str:
    """The update with a dataset given to every `DELETE`/`INSERT … WHERE` that has none:
    `USING` each graph of `default` and `USING NAMED` each of `named` (after `WITH g`, only
    g is used as the default graph, as the update asked). An empty `default` next to `named`
    is an empty default graph, as `USING NAMED` alone makes it. `DELETE WHERE { P }`, which cannot
    take `USING`, is written out as `DELETE { P } USING … WHERE { P }`.

    >>> print(scoped("INSERT { ?s a ex:B } WHERE { ?s a ex:A }", ["x:1"], ["x:2"]))
    INSERT { ?s a ex:B } USING <x:1> USING NAMED <x:2> WHERE { ?s a ex:A }
    >>> print(scoped("DELETE WHERE { ?s a ex:A }", ["x:1"], []))
    DELETE { ?s a ex:A } USING <x:1> WHERE { ?s a ex:A }
    >>> print(scoped("WITH <x:g> DELETE { ?s ?p 1 } WHERE { ?s ?p 1 }", ["x:1"], ["x:2"]))
    WITH <x:g> DELETE { ?s ?p 1 } USING <x:g> USING NAMED <x:2> WHERE { ?s ?p 1 }
    """
    text = masked(sparql)
    named_clause = " ".join(f"USING NAMED <{g}>" for g in named)
    edits: list[tuple[int, int, str]] = []
    for words in _operations(sparql, text).values():
        edit = _dataset_edit(sparql, text, words, default, named_clause)
        if edit is not None:
            edits.append(edit)
    result = sparql
    for start, end, replacement in sorted(edits, reverse=True):
        result = result[:start] + replacement + result[end:]
    return result


_Word = tuple[str, int, int]
"""A keyword of an update, with where it starts and ends."""


def _operations(sparql: str, text: str) -> dict[int, list[_Word]]:
    """The keywords outside braces of each operation of the update (`text`: the update with its
    strings, IRIs and comments masked), by the operation's index."""
    depth = 0
    boundaries: list[int] = []  # where each operation ends: a ';' outside braces
    for position, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == ";" and depth == 0:
            boundaries.append(position)
    operations: dict[int, list[_Word]] = {}
    for word in keywords(sparql):
        if word.depth == 0:
            index = bisect.bisect(boundaries, word.start)
            operations.setdefault(index, []).append((word.word, word.start, word.end))
    return operations


def _dataset_edit(
    sparql: str, text: str, words: list[_Word], default: Sequence[str], named_clause: str
) -> tuple[int, int, str] | None:
    """The edit that gives one operation its dataset (start, end, replacement), or None when
    it has no `WHERE` or names its own dataset with `USING`."""
    names = [w for w, _, _ in words]
    if "WHERE" not in names or "USING" in names:
        return None
    where = names.index("WHERE")
    _, where_start, where_end = words[where]
    if (
        where > 0
        and names[where - 1] == "DELETE"
        and not text[words[where - 1][2] : where_start].strip()
    ):  # DELETE WHERE { P }: written out as DELETE { P } USING … WHERE { P }
        opening = text.index("{", where_end)
        closing = closing_brace(sparql, opening)
        pattern = sparql[opening : closing + 1]
        using = " ".join(f"USING <{g}>" for g in default)
        clause = " ".join(part for part in (using, named_clause) if part)
        return (words[where - 1][1], closing + 1, f"DELETE {pattern} {clause} WHERE {pattern}")
    if "WITH" in names:
        using = f"USING {_with_graph(sparql, words[names.index('WITH')][2])}"
    else:
        using = " ".join(f"USING <{g}>" for g in default)
    clause = " ".join(part for part in (using, named_clause) if part)
    return (where_start, where_start, f"{clause} ")


def _with_graph(sparql: str, after: int) -> str:
    """The graph named after `WITH` (which ends at `after`): an IRI or a prefixed name."""
    found = _GRAPH_REF.match(sparql, after)
    return found.group(1) if found else ""


_GRAPH_REF = re.compile(r"(?:\s|#[^\n\r]*)*(<[^<>\s]*>|[^\s{<#]+)")


def apply_update(
    store: Store,
    sparql: str,
    *,
    using: Sequence[str] | None = None,
    using_named: Sequence[str] | None = None,
    base_iri: str | None = None,
) -> list[str]:
    """Run a SPARQL 1.1 Update on the store, all or nothing, and return the names of the
    graphs it changed (registered, derived again or dropped), sorted.

    `using` and `using_named` (the protocol's `using-graph-uri` and `using-named-graph-uri`:
    graphs by short name or IRI) give the dataset of every `DELETE`/`INSERT … WHERE`, as
    `USING` and `USING NAMED` would; a loaded graph used as default graph brings what was
    derived from it. An update that names its own dataset (`USING`, `WITH`) cannot take them.
    Relative IRIs resolve against `base_iri`.

    Raises `UpdateRefused` for what may never run, `QueryError` for an update that does not
    parse or fails (nothing changed), `StoreError` when the store cannot be written.
    """
    check_update(sparql)
    if (using or using_named) and any(
        w.depth == 0 and w.word in ("USING", "WITH") for w in keywords(sparql)
    ):
        raise UpdateRefused(
            "the update names its dataset (USING or WITH): it cannot be given another"
        )
    if not any(word.word in _OPERATIONS for word in keywords(sparql)):
        # Only a prologue, or nothing at all: nothing to do, if it is SPARQL at all (read, and
        # run, by an empty store of its own).
        try:
            ox.Store().update(sparql, prefixes=PREFIXES, base_iri=base_iri)
        except SyntaxError as exc:
            raise _syntax_error(sparql, str(exc)) from None
        except (RuntimeError, ValueError, OSError) as exc:
            raise QueryError(f"the update failed: {' '.join(str(exc).split())}") from None
        return []
    with _LOCK, store.writing():
        return _apply(store, sparql, using, using_named, base_iri)


def _used(store: Store, names: Sequence[str], *, inferred: bool) -> list[str]:
    """The IRIs of the graphs given by `using-graph-uri` (`inferred`: with what was derived
    from them) or `using-named-graph-uri`: loaded ones by name or IRI, others by IRI (the
    update may create them); the store's own graphs are refused."""
    iris: list[str] = []
    for name in names:
        info = store.loaded_graph(name)
        if info is None:
            iri = graph_iri(name).value
            if iri.startswith(STORE_NS):
                raise UpdateRefused(
                    f"<{iri}> belongs to the store's own bookkeeping and is no graph to use"
                )
            iris.append(iri)
            continue
        iris.append(info.iri)
        if inferred:
            iris.append(info.inferred_iri)
    return list(dict.fromkeys(iris))


def _apply(
    store: Store,
    sparql: str,
    using: Sequence[str] | None = None,
    using_named: Sequence[str] | None = None,
    base_iri: str | None = None,
) -> list[str]:
    db = store.database
    registered = {info.iri: info for info in store.graphs()}
    ontology = graph_iri(ONTOLOGY_GRAPH_NAME).value
    before = {iri: _fingerprint(db, iri) for iri in registered}
    graphs_before = _named_graphs(db)
    if using or using_named:
        default = _used(store, using or (), inferred=True)
        named = _used(store, using_named or (), inferred=False)
        text = scoped(sparql, default, named)
    else:
        text = scoped(sparql, [g.value for g in store.visible_graphs()], list(registered))
    text = _ended(text) + _epilogue(ontology in registered)
    _run(db, text, sparql, base_iri)

    changed = [iri for iri in registered if _fingerprint(db, iri) != before[iri]]
    created = sorted(
        iri
        for iri in _named_graphs(db) - graphs_before
        if iri not in registered and not iri.startswith(STORE_NS)
    )
    touched, reloaded = _register_changed(store, db, registered, changed, ontology)
    touched += _register_created(store, db, created)
    if ontology in changed:
        for info in store.graphs():
            if info.iri != ontology and info.iri not in reloaded:
                store.rematerialise(info.name)
    return sorted(set(touched))


def _run(db: ox.Store, text: str, sparql: str, base_iri: str | None) -> None:
    """Run the scoped update (`text`) with its epilogue in one transaction; a failure, said in
    terms of the update as written (`sparql`), changes nothing."""
    try:
        db.update(text, prefixes=PREFIXES, base_iri=base_iri)
    except SyntaxError as exc:
        raise _syntax_error(sparql, str(exc), base_iri) from None
    except (RuntimeError, ValueError) as exc:
        message = " ".join(str(exc).split())
        if _CHECK_ONTOLOGY.value in message:
            raise UpdateRefused(
                "the update would leave the ontology empty, and every graph depends on it; "
                "nothing was changed"
            ) from None
        if _CHECK_NAMES.value in message:
            raise UpdateRefused(
                "a graph name must be an absolute IRI (with :// or urn:); nothing was changed"
            ) from None
        raise QueryError(f"the update failed and changed nothing: {message}") from None
    except OSError as exc:
        raise StoreError(f"the store could not be written: {exc}") from None


def _register_changed(
    store: Store,
    db: ox.Store,
    registered: dict[str, GraphInfo],
    changed: list[str],
    ontology: str,
) -> tuple[list[str], set[str]]:
    """Register again each loaded graph the update changed (dropped if it emptied it), the
    ontology first: the graphs loaded after it are derived with its new terminology. Returns
    the names of those graphs and the IRIs of those registered again."""
    touched: list[str] = []
    reloaded: set[str] = set()
    for iri in sorted(changed, key=lambda i: i != ontology):
        info = registered[iri]
        if _is_empty(db, iri):
            store.drop(info.name)
        else:
            source = info.source if info.source.endswith(_BY_UPDATE) else info.source + _BY_UPDATE
            _reload(store, iri, source=source, bundled=info.bundled)
            reloaded.add(iri)
        touched.append(info.name)
    return touched, reloaded


def _register_created(store: Store, db: ox.Store, created: list[str]) -> list[str]:
    """Register each graph the update created (an empty one, from `CREATE GRAPH` alone, is
    removed); their names."""
    touched: list[str] = []
    for iri in created:
        if _is_empty(db, iri):
            db.remove_graph(NamedNode(iri))  # a CREATE GRAPH with nothing put in it
            continue
        _reload(store, iri, source="SPARQL Update", bundled=False)
        touched.append(graph_name(iri))
    return touched


_BY_UPDATE = " + SPARQL Update"


def _ended(text: str) -> str:
    """The update, ready for more operations after it: its last `;`, if any, taken off."""
    trimmed = masked(text).rstrip()
    if trimmed.endswith(";"):
        return text[: len(trimmed) - 1] + text[len(trimmed) :] + "\n"
    return text + "\n"


def _epilogue(has_ontology: bool) -> str:
    """Operations run in the update's transaction after it: move what it wrote to the default
    graph into `sparql-update`, then check what must hold (a check that fails makes `CREATE
    GRAPH` of its marker fail, which undoes the whole transaction)."""
    target = graph_iri(UPDATE_GRAPH)
    parts = [
        f"INSERT {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}",
        "DELETE WHERE { ?s ?p ?o }",
    ]
    checks = [
        (
            _CHECK_NAMES,
            'GRAPH ?g { } FILTER(!CONTAINS(STR(?g), "://") && !STRSTARTS(STR(?g), "urn:"))',
        )
    ]
    if has_ontology:
        ontology = graph_iri(ONTOLOGY_GRAPH_NAME)
        checks.append((_CHECK_ONTOLOGY, f"FILTER NOT EXISTS {{ GRAPH {ontology} {{ ?s ?p ?o }} }}"))
    for marker, condition in checks:
        parts.append(
            f"INSERT {{ GRAPH {marker} {{ {marker} {marker} {marker} }} }} WHERE {{ {condition} }}"
        )
        parts.append(f"CREATE GRAPH {marker}")
        parts.append(f"DROP GRAPH {marker}")
    return "; " + " ;\n".join(parts)


def _named_graphs(db: ox.Store) -> set[str]:
    return {g.value for g in db.named_graphs() if isinstance(g, NamedNode)}


def _fingerprint(db: ox.Store, iri: str) -> tuple[int, int]:
    """How many statements a graph holds and an order-free digest of them (for this process)."""
    count = 0
    digest = 0
    for quad in db.quads_for_pattern(None, None, None, NamedNode(iri)):
        count += 1
        digest = (digest + hash(quad)) & 0xFFFF_FFFF_FFFF_FFFF
    return count, digest


def _is_empty(db: ox.Store, iri: str) -> bool:
    return next(iter(db.quads_for_pattern(None, None, None, NamedNode(iri))), None) is None


def _reload(store: Store, iri: str, *, source: str, bundled: bool) -> None:
    """Register a graph's current statements again (or for the first time), with their
    inferences, through the store's own loader: it replaces the graph in one transaction and
    keeps the registry's counts and digest true. The statements stream from the graph into
    the loader (no file, no parse): the loader writes a staging graph, never the one read
    (which exists already), and the engine's iterator reads a snapshot."""
    name = graph_name(iri)
    if graph_iri(name).value != iri:
        name = iri  # an IRI under the graph base that its short name would not give back
    statements = store.database.quads_for_pattern(None, None, None, NamedNode(iri))
    store.load_statements(
        statements, name=name, replace=True, bundled=bundled, origin=(source, None)
    )


def _syntax_error(sparql: str, message: str, base_iri: str | None = None) -> QueryError:
    """A one-line account of a syntax error, placed in the update as it was sent (the text
    run had a dataset added, so its positions are not the sender's)."""
    try:
        # an empty store: only parsing matters
        ox.Store().update(sparql, prefixes=PREFIXES, base_iri=base_iri)
    except SyntaxError as exc:
        message = str(exc)
    except (RuntimeError, ValueError, OSError):
        pass
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return QueryError("SPARQL syntax error in the update: " + " ".join(message.split()))
    reason = match.group(3)
    reason = "unexpected text" if reason.startswith("expected one of") else " ".join(reason.split())
    return QueryError(
        f"SPARQL syntax error in the update at line {match.group(1)}, "
        f"column {match.group(2)}: {reason}"
    )


# -- the shape of an update, read without parsing it -------------------------------------------

_LOAD_WORD = re.compile("load", re.IGNORECASE)
_DECLARATION = re.compile("(?:prefix|base)$", re.IGNORECASE)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def iris(sparql: str) -> list[tuple[str, bool]]:
    """The IRIs written out in full (`<…>`) in the text, outside strings and comments, as the
    engine reads them (escapes decoded, relative ones resolved against the `BASE` before them),
    each with whether it is declared by `PREFIX` or `BASE` (names may then extend it).

    >>> iris('INSERT DATA { <x:a> <x:b> "<x:c>" } # <x:d>')
    [('x:a', False), ('x:b', False)]
    >>> iris('BASE <http://a/b/c> PREFIX p: <http://a/\\u0062/> INSERT DATA { <../d> p:e 1 }')
    [('http://a/b/c', True), ('http://a/b/', True), ('http://a/d', False)]
    """
    found: list[tuple[str, bool]] = []
    base: str | None = None
    declared = base_next = False
    for match in SCANNER.finditer(sparql):
        token = match.group()
        if match.group("word"):
            declared = bool(_DECLARATION.search(token))
            base_next = token.upper().endswith("BASE")
        elif token.startswith("<") and token.endswith(">") and len(token) > 1:
            iri = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])
            if base is not None and not urlsplit(iri).scheme:
                iri = urljoin(base, iri)
            found.append((iri, declared))
            if base_next:
                base = iri
            declared = base_next = False
        elif not (token.startswith(("#", ":")) or match.group("prefix")):
            declared = base_next = False  # not a comment, nor the name PREFIX declares
    return found


def closing_brace(sparql: str, opening: int) -> int:
    """The position of the `}` that closes the `{` at `opening` (outside strings and IRIs).

    >>> text = 'WHERE { ?s ?p "}" { ?a ?b ?c } } .'
    >>> text[closing_brace(text, text.index("{")) :]
    '} .'
    """
    text = masked(sparql)
    depth = 0
    for position in range(opening, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    raise ValueError("unbalanced braces")
