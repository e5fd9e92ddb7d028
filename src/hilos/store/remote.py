"""A remote SPARQL 1.1 endpoint standing in for the embedded database.

`RemoteDatabase` offers the part of pyoxigraph's `Store` that `hilos.store.Store` uses —
`query`, `update`, `extend`, `quads_for_pattern`, `contains_named_graph`, `remove_graph` — over
the SPARQL 1.1 Protocol, so the same bookkeeping (a registry graph, each load in its own graph,
derived triples in a companion graph, new graphs invisible until registered in one final
update) works on Virtuoso, Fuseki, GraphDB, QLever or any other server.

- Queries go by POST (form-encoded), naming the graphs a query sees with `default-graph-uri` and
  `named-graph-uri`; answers are parsed by Oxigraph, so callers get the same result objects as
  from the embedded store (CONSTRUCT and DESCRIBE answers are a list of triples).
- Bound parameters travel as an inline `VALUES` block at the start of the WHERE clause, each
  term written by Oxigraph's serialiser: a value is never spliced into the query text.
- Writes use SPARQL Update (`INSERT DATA` in batches), to the query URL unless an update URL is
  given. Blank nodes cannot cross requests (each `INSERT DATA` would mint new ones, and some
  servers refuse them), so loads replace them by well-known `genid` IRIs first (see
  `skolemise`).
- Credentials come from the environment only: `HILOS_ENDPOINT_USER` and
  `HILOS_ENDPOINT_PASSWORD` (HTTP Basic or Digest, as the server asks), or
  `HILOS_ENDPOINT_TOKEN` (a bearer token). A URL with a user name or password in it is refused.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib import error, request
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple

from .. import resources, sparql
from ..errors import BadInput, QueryError, StoreError, UnknownGraph
from ..errors import message as _
from ..namespaces import PREFIXES
from .backend import Progress, QueryScope, ReasonerFor
from .database import Answer
from .loading import LoadPlan, into_graph, parse_checked, staged_tbox, with_inferences
from .reasoner import Reasoner
from .registry import META
from .remote_view import RemoteView
from .values import with_values as _with_values

__all__ = ["GENID_BASE", "RemoteBackend", "RemoteDatabase", "skolemise", "unskolemise"]

GENID_BASE = "https://w3id.org/hilos/.well-known/genid/"
"""Where the blank nodes of a load get their IRIs on a remote store (RDF 1.1, §3.5)."""

# Statements per INSERT DATA request: large enough to be quick, small enough for any server.
BATCH = 5_000
DEFAULT_TIMEOUT = 300.0

_SOLUTIONS = "application/sparql-results+json"
_ACCEPT = f"{_SOLUTIONS}, application/n-triples;q=0.9, text/turtle;q=0.8, text/plain;q=0.5"
_RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def skolemise(quads: Iterable[Quad], salt: str) -> Iterator[Quad]:
    """Replace each blank node by an IRI unique to `salt` (one load) and its label.

    >>> [q] = skolemise([Quad(BlankNode("b1"), NamedNode("http://x/p"), BlankNode("b1"))], "s")
    >>> q.subject == q.object, q.subject.value
    (True, 'https://w3id.org/hilos/.well-known/genid/s-b1')
    """
    prefix = f"{GENID_BASE}{salt}-"

    def named(term: Any) -> Any:
        return NamedNode(prefix + term.value) if isinstance(term, BlankNode) else term

    for quad in quads:
        if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
            yield Quad(named(quad.subject), quad.predicate, named(quad.object), quad.graph_name)
        else:
            yield quad


def unskolemise(quads: Iterable[Quad]) -> Iterator[Quad]:
    """The blank nodes `skolemise` named, as blank nodes again (for the reasoner's terminology).

    >>> q = Quad(NamedNode(GENID_BASE + "s-b1"), NamedNode("http://x/p"), NamedNode("http://x/o"))
    >>> next(unskolemise([q])).subject
    <BlankNode value=s-b1>
    """

    def blank(term: Any) -> Any:
        if isinstance(term, NamedNode) and term.value.startswith(GENID_BASE):
            return BlankNode(term.value[len(GENID_BASE) :])
        return term

    for quad in quads:
        yield Quad(blank(quad.subject), quad.predicate, blank(quad.object), quad.graph_name)


class RemoteDatabase:
    """The SPARQL 1.1 endpoint at `url` (writes at `update_url`, default the same)."""

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        timeout: float | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        self.url = _checked_url(url, "endpoint")
        self.update_url = _checked_url(update_url, "update_endpoint") if update_url else url
        self.timeout = timeout or float(env.get("HILOS_ENDPOINT_TIMEOUT", DEFAULT_TIMEOUT))
        self._headers = {"User-Agent": "hilos"}
        handlers: list[Any] = []
        token = env.get("HILOS_ENDPOINT_TOKEN")
        user = env.get("HILOS_ENDPOINT_USER")
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        elif user:
            password = env.get("HILOS_ENDPOINT_PASSWORD", "")
            manager = request.HTTPPasswordMgrWithDefaultRealm()
            for where in {self.url, self.update_url}:
                manager.add_password(None, where, user, password)
            # Whichever scheme the server's challenge asks for.
            handlers += [
                request.HTTPBasicAuthHandler(manager),
                request.HTTPDigestAuthHandler(manager),
            ]
        self._opener = request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"RemoteDatabase({self.url!r})"

    # ------------------------------------------------------------------ reading

    def query(
        self,
        sparql: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        default_graph: Sequence[Any] | None = None,
        named_graphs: Sequence[Any] | None = None,
        substitutions: Mapping[ox.Variable, Any] | None = None,
        use_default_graph_as_union: bool = False,
        base_iri: str | None = None,
    ) -> Answer:
        """Run a query at the endpoint; the graphs named are its dataset (none: the server's);
        relative IRIs resolve against `base_iri` (a `BASE` before the query)."""
        del use_default_graph_as_union  # the server's own default graph is used when none given
        text = _with_prefixes(sparql, prefixes or {})
        if base_iri is not None:
            text = f"BASE <{base_iri}>\n{text}"
        if substitutions:
            text = _with_values(text, substitutions)
        form: list[tuple[str, str]] = [("query", text)]
        form += [("default-graph-uri", g.value) for g in default_graph or () if _named(g)]
        form += [("named-graph-uri", g.value) for g in named_graphs or () if _named(g)]
        content_type, body = self._post(self.url, form, accept=_ACCEPT)
        return _parse_answer(content_type, body)

    def quads_for_pattern(
        self, subject: Any, predicate: Any, object: Any, graph_name: Any = None
    ) -> Iterator[Quad]:
        """The statements of one named graph matching a pattern (None: anything)."""
        if not isinstance(graph_name, NamedNode):
            raise StoreError("a remote store is read graph by graph")
        bound = {
            ox.Variable(name): term
            for name, term in (("s", subject), ("p", predicate), ("o", object))
            if term is not None
        }
        answer = self.query(
            sparql.load("graph-statements"),
            named_graphs=[graph_name],
            substitutions={ox.Variable("g"): graph_name, **bound},
        )
        if not isinstance(answer, ox.QuerySolutions):
            raise StoreError(_("{url}: answered a SELECT with something else", url=self.url))
        for row in answer:
            s, p, o = row["s"], row["p"], row["o"]
            if isinstance(p, NamedNode) and s is not None and o is not None:
                yield Quad(s, p, o, graph_name)

    def contains_named_graph(self, graph: Any) -> bool:
        answer = self.query(
            sparql.load("graph-exists"),
            named_graphs=[graph],
            substitutions={ox.Variable("g"): graph},
        )
        return bool(answer)

    def named_graphs(self) -> Iterator[NamedNode]:
        """Nothing: other clients' graphs on a shared server are not hilos's to collect."""
        return iter(())

    # ------------------------------------------------------------------ writing

    def update(self, sparql: str, *, prefixes: Mapping[str, str] | None = None) -> None:
        self._post(self.update_url, [("update", _with_prefixes(sparql, prefixes or {}))])

    def extend(self, quads: Iterable[Quad]) -> None:
        """Write statements (no blank nodes: see `skolemise`) in batches of INSERT DATA."""
        batch: list[str] = []
        for quad in quads:
            if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
                raise StoreError("blank nodes cannot be written to a remote store one by one")
            graph = quad.graph_name
            line = f"{quad.subject} {quad.predicate} {quad.object} ."
            batch.append(f"GRAPH {graph} {{ {line} }}" if _named(graph) else line)
            if len(batch) >= BATCH:
                self._insert(batch)
                batch = []
        if batch:
            self._insert(batch)

    bulk_extend = extend

    def remove_graph(self, graph: Any) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def flush(self) -> None:
        """Nothing to flush: every request is complete when it returns."""

    def _insert(self, statements: list[str]) -> None:
        self.update("INSERT DATA {\n" + "\n".join(statements) + "\n}")

    # ------------------------------------------------------------------ the wire

    def _post(
        self, url: str, form: list[tuple[str, str]], *, accept: str = "*/*"
    ) -> tuple[str, bytes]:
        headers = {
            **self._headers,
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        }
        call = request.Request(url, data=urlencode(form).encode(), headers=headers, method="POST")
        try:
            with self._opener.open(call, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except error.HTTPError as exc:
            raise _http_error(url, exc) from None
        except (error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(
                _("cannot reach the SPARQL endpoint {url}: {reason}", url=url, reason=reason)
            ) from None


def _checked_url(url: str, parameter: str) -> str:
    """`url`, checked: an http(s) URL without credentials. Messages name the parameter the URL
    was given as (`endpoint`, `update_endpoint`); the command line says its flag."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(_("{parameter} {url!r}: not an http(s) URL", parameter=parameter, url=url))
    if parts.username or parts.password:
        raise BadInput(
            _(
                "{parameter}: credentials do not belong in the URL; set HILOS_ENDPOINT_USER and "
                "HILOS_ENDPOINT_PASSWORD (or HILOS_ENDPOINT_TOKEN) in the environment",
                parameter=parameter,
            )
        )
    return url


def _named(graph: Any) -> bool:
    return isinstance(graph, NamedNode)


def _with_prefixes(sparql: str, prefixes: Mapping[str, str]) -> str:
    declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
    return declared + sparql


def _parse_answer(content_type: str, body: bytes) -> Answer:
    if content_type in ("application/sparql-results+json", "application/json"):
        if b'"bnode"' in body:
            body = _valid_blank_nodes(body)
        try:
            return _results(body, ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise StoreError(
                _("the endpoint sent SPARQL results that do not parse: {reason}", reason=str(exc))
            ) from None
    if content_type in ("application/sparql-results+xml", "application/xml"):
        return _results(body, ox.QueryResultsFormat.XML)
    rdf_format = _RDF_TYPES.get(content_type)
    if rdf_format is None:
        raise StoreError(
            _("the endpoint answered with {type}", type=content_type)
            if content_type
            else _("the endpoint answered with no content type")
        )
    try:
        return [
            Triple(quad.subject, quad.predicate, quad.object)
            for quad in ox.parse(body, format=rdf_format)
            if isinstance(quad.graph_name, DefaultGraph)
        ]
    except SyntaxError as exc:
        raise StoreError(
            _("the endpoint sent RDF that does not parse: {reason}", reason=str(exc))
        ) from None


# Virtuoso answers an ASK as a SELECT of one variable, `__ASK_RETVAL`: no row for false, one
# row of 1 for true. Read as solutions, every ASK looked true (a graph that does not exist
# "existed", so each load was staged and moved in one transaction too large for the server).
_VIRTUOSO_ASK = "__ASK_RETVAL"


def _results(body: bytes, results_format: ox.QueryResultsFormat) -> Answer:
    """SPARQL results as parsed, or the boolean they stand for in Virtuoso's form of an ASK's
    answer (one `__ASK_RETVAL` column, at most one row)."""
    answer = ox.parse_query_results(body, results_format)
    if not isinstance(answer, ox.QuerySolutions):
        return answer
    if [variable.value for variable in answer.variables] != [_VIRTUOSO_ASK]:
        return answer
    rows = list(answer)
    if len(rows) > 1:  # not an ASK's answer: the rows as they came
        return ox.parse_query_results(body, results_format)
    value = rows[0][0] if rows else None
    truth = value is not None and value.value not in ("0", "false")
    return ox.parse_query_results(
        b'{"head": {}, "boolean": ' + (b"true" if truth else b"false") + b"}",
        ox.QueryResultsFormat.JSON,
    )


def _valid_blank_nodes(body: bytes) -> bytes:
    """Some servers name blank nodes `nodeID://b1`, which is not a blank node label."""
    document = json.loads(body)
    labels: dict[str, str] = {}
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = labels.setdefault(term["value"], uuid.uuid4().hex)
    return json.dumps(document).encode()


def _http_error(url: str, exc: error.HTTPError) -> Exception:
    try:
        detail = exc.read(2000).decode("utf-8", "replace")
    except OSError:
        detail = ""
    # Servers put the reason on the first lines and echo the whole query after it.
    reason = " ".join(detail.split("SPARQL query:")[0].split())[:300] or exc.reason
    if exc.code in (401, 403):
        return StoreError(
            _(
                "the SPARQL endpoint {url} refused the request ({code}): {reason}; "
                "set HILOS_ENDPOINT_USER and HILOS_ENDPOINT_PASSWORD, or HILOS_ENDPOINT_TOKEN",
                url=url,
                code=exc.code,
                reason=reason,
            )
        )
    if exc.code == 400:
        return QueryError(_("the SPARQL endpoint rejected the query: {reason}", reason=reason))
    return StoreError(
        _(
            "the SPARQL endpoint {url} answered {code}: {reason}",
            url=url,
            code=exc.code,
            reason=reason,
        )
    )


class RemoteBackend(RemoteDatabase):
    """hilos's bookkeeping on a SPARQL 1.1 endpoint: the registry as statements in its
    registry graph, every write by SPARQL Update, inferences streamed beside the statements
    (an endpoint has no bulk loader to hand a file to, nor a reasoner of hilos's)."""

    saves_derived_data: bool = False

    @property
    def endpoint(self) -> str | None:
        return self.url

    def embedded(self) -> ox.Store:
        raise StoreError(f"{self.url} is a remote endpoint, not an embedded database")

    # -- the registry ----------------------------------------------------------------------

    def open_checks(self) -> None:
        """Nothing: connecting writes nothing, and other clients' graphs are not hilos's."""

    def registry_database(self) -> RemoteBackend:
        return self

    def registry_statements(self, subject: NamedNode, predicate: NamedNode) -> Iterator[Triple]:
        for quad in self.quads_for_pattern(subject, predicate, None, META):
            yield Triple(quad.subject, quad.predicate, quad.object)

    def forget(self, subject: NamedNode) -> list[str]:
        return [f"DELETE WHERE {{ GRAPH {META} {{ {subject} ?p ?o }} }}"]

    def record(self, statements: str) -> str:
        return f"INSERT DATA {{ GRAPH {META} {{ {statements} }} }}"

    def no_registry(self, name: str) -> Exception | None:
        return UnknownGraph(
            _(
                "the endpoint {url} publishes no registry of the graphs hilos loaded "
                "(hilos serve does not): {parameter} {name} cannot be told apart there",
                url=self.url,
                parameter="graphs",
                name=name,
            )
        )

    # -- writing ---------------------------------------------------------------------------

    def check_parse_first(self, rdf_format: ox.RdfFormat) -> bool:
        return True  # the file's statements are streamed: they must be known to parse

    def stage_file(
        self,
        plan: LoadPlan,
        physical: dict[str, NamedNode],
        inferred: dict[str, NamedNode],
        progress: Progress | None,
        reasoner_for: ReasonerFor,
    ) -> None:
        """The file and its inferences through Python, statement by statement."""
        reasoner = reasoner_for(list(plan.tbox))
        statements = parse_checked(plan, progress)
        stream = skolemise(
            with_inferences(statements, physical, inferred, reasoner), uuid.uuid4().hex
        )
        self.extend(stream)
        for key, graph in physical.items():
            self.extend(
                Quad(t.subject, t.predicate, t.object, inferred[key])
                for t in reasoner.shortcut_triples(self, [graph, inferred[key]])
            )

    def stage_statements(
        self,
        statements: Iterable[Triple | Quad],
        asserted: NamedNode,
        inferred: NamedNode,
        reasoner_for: ReasonerFor,
        bulk_threshold: int,
    ) -> None:
        """The statements first, then (read back, as a re-derivation does) their inferences:
        the terminology they declare is known only once they are all written."""
        self.extend(skolemise(into_graph(statements, asserted), uuid.uuid4().hex))
        tbox = list(
            unskolemise(Quad(t.subject, t.predicate, t.object) for t in staged_tbox(self, asserted))
        )
        self.derive_again(reasoner_for(list(tbox)), asserted, inferred)

    def derive_again(self, reasoner: Reasoner, asserted: NamedNode, fresh: NamedNode) -> None:
        self.extend(
            Quad(t.subject, t.predicate, t.object, fresh)
            for quad in self.quads_for_pattern(None, None, None, asserted)
            for t in reasoner.infer_from_triple(quad)
        )
        self.extend(
            Quad(t.subject, t.predicate, t.object, fresh)
            for t in reasoner.shortcut_triples(self, [asserted, fresh])
        )

    def ontology_statements(self, ontology: NamedNode, registered: bool) -> Iterable[Quad]:
        if not registered:
            # An endpoint hilos did not fill: its data is read with the shipped vocabulary.
            return ox.parse(path=resources.ontology_file())
        return unskolemise(self.quads_for_pattern(None, None, None, ontology))

    # -- reading ---------------------------------------------------------------------------

    def run_query(
        self,
        sparql: str,
        substitutions: Mapping[ox.Variable, Any],
        base_iri: str | None,
        scope: QueryScope,
    ) -> Answer:
        options: dict[str, Any] = {
            "prefixes": PREFIXES,
            "substitutions": dict(substitutions) or None,
            "base_iri": base_iri,
        }
        if scope.union and not scope.default:
            return self.query(sparql, **options)  # no hilos registry: the server's dataset
        return self.query(sparql, default_graph=scope.default, named_graphs=scope.named, **options)

    def view(self, graphs: Sequence[NamedNode], asserted: Sequence[NamedNode]) -> RemoteView:
        return RemoteView(self, graphs, asserted)

    def claim_graphs(self, subject: NamedNode) -> set[str]:
        raise BadInput(
            "claims and entities are changed on the embedded store; on a server, use SPARQL "
            "Update (hilos serve --allow-update)"
        )
