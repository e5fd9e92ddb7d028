"""`hilos serve` over HTTP: a SPARQL 1.1 Protocol endpoint and the explorer, built on the
standard library.

`make_server(store, host, port)` returns a `ThreadingHTTPServer` answering:

- `/sparql` (and `/sparql/`): queries by GET (`?query=`, read as UTF-8) and POST
  (form-encoded `query=`, or a direct `application/sparql-query` body; UTF-8 only), on the
  dataset of the SPARQL 1.1 Protocol (`Store.query`): `default-graph-uri` / `named-graph-uri`
  (loaded graphs by hilos name or IRI) win over the query's `FROM` / `FROM NAMED`; with
  neither, the default graph is the union of the loaded graphs. A graph in the default graph
  brings what was derived from it, not the ontology; a named graph is the graph as loaded; a
  graph not loaded is empty (and named in an `X-Hilos-Note` header); the store's own graphs
  are never visible. Relative IRIs resolve against the endpoint's URL. SELECT/ASK results as
  SPARQL JSON (default), XML, CSV or TSV, and CONSTRUCT/DESCRIBE results as Turtle (default),
  N-Triples, JSON-LD or RDF/XML, chosen by `Accept`. HEAD answers as GET without the body,
  OPTIONS with the `Allow` header; with `cors` origins, answers carry CORS headers for them
  and OPTIONS answers their preflight;
- `/`: the explorer page (`hilos.server.explorer`), its script and style sheet under `/assets/`;
- the explorer's JSON endpoints, GET only, with the shapes of the commands' `--format json`:
  `/api/search?q=` (`hilos search`), `/api/entity?id=` (`hilos show`: the card, every tie with
  its status, dates, quote, sources and locator), `/api/paths?from=&to=` (`hilos paths`, with
  `limit`, `max-hops`, `min-status`, `time-consistent`), `/api/queries` (`hilos queries`), and
  `/api/query?name=&param.NAME=` (GET or form POST; a library query with its parameters
  bound as `hilos query` binds them, answered as SPARQL JSON results), `/api/types` (`hilos
  types`), `/api/claims?graph=&entity=&status=` (`hilos claim list`), `/api/claim/history?id=`
  (`hilos claim history`), `/api/journal?graph=` (the changes of a user graph, and the one an
  undo reverts next) and `/api/session` (whether the server takes changes, and with an
  `Authorization` header whether its token is right);
- with `update_token`, the explorer's writes, POST only, each with the bearer token (checked
  before the body is read): `/api/claim/add`, `/api/claim/edit`, `/api/claim/retract`,
  `/api/entity/add`, `/api/entity/edit`, `/api/entity/merge` and `/api/undo`, their fields
  form-encoded or a JSON object, named as the command's options (`hilos.server.explorer.api.
  WRITE_FIELDS`); each answers the claim, entity or change written and the graphs `changed`;
- `/ego?id=&hops=`: the self-contained network page of `hilos export html --focus ID --hops N`.

Errors are one line, never a traceback: plain text, or `{"error": …}` under `/api/` (for a
write, with the `field` it concerns, and the `candidates` of an ambiguous name). 400 bad query,
parameter or field, a query nested too deep or too long, or a malformed request, 401 an update
or write without the right token, 403 an update or write to a read-only server, 404 unknown
page, entity, claim or library query, or no path, 405 other methods, 409 an undo of a change
that is no longer the last, 406 unacceptable `Accept`, 408 a body that did
not arrive in time, 411 a body without a Content-Length or chunked encoding, 413 request too
large, 414 URL longer than 64 KiB, 415 other request bodies or a charset other than UTF-8,
421 a Host that is not this server, 431 headers too large or too many, 501 an unknown method
or transfer coding, 505 an HTTP version other than 1.x, 503 timeout, busy server or
unreadable store, 500 a result over `max_results` (saying so) and anything unexpected.

Safety:
- read-only unless `update_token` is given; then SPARQL Update (POST: a form field `update=`
  or an `application/sparql-update` body) is accepted only with the header
  `Authorization: Bearer <token>` (compared in constant time; 401 otherwise) and applied by
  `hilos.updates.apply_update`, all or nothing, into registered graphs with their inferences
  (`using-graph-uri` / `using-named-graph-uri` give its dataset, unless it has USING or WITH:
  then 400);
- federated `SERVICE` is refused before a query or update runs, and so is `LOAD`: the server
  never calls another host (the text is read as the engine reads it: `hilos.sparql.lexer`);
- a query or update nested deeper or longer than the engine can take without running out of
  stack (`hilos.sparql.lexer.too_complex`) is refused with 400 before the engine sees it, and the
  engine works in the workers of `hilos.executor`, with a stack of `WORKER_STACK` bytes; the
  server widens it to `workers` + 1 of them (one for writes), so that a slow query holds up
  only its own worker;
- a query, and each explorer endpoint, runs in an engine worker and the client gets 503 after
  `timeout` seconds (a query stops at its next solution: Oxigraph cannot interrupt the
  planning of a query or the evaluation of one solution, such as a COUNT or an ORDER BY over a
  huge product, which run to their end unseen, and so do the explorer's computations). At
  most `workers` of them run at once, those whose client has given up included: beyond, a
  request waits for a free worker until its timeout, then gets 503 "busy" with `Retry-After`.
  An update, and each of the explorer's writes, is never cut short: it runs to its end, one at
  a time (they share one lock), and one that fails changes nothing;
- more than `max_results` solutions or triples is refused with 500 "result too large" rather
  than truncated, so an answer is never silently incomplete (not 413, which clients report
  as a request too large: `RESULT_TOO_LARGE`);
- a request body over `max_request_bytes` is refused with 413 before it is read (a chunked
  one as soon as its chunks pass the limit); a body shorter than its `Content-Length`, or
  with a malformed chunk, is never run; a body sent with a GET is never read as a request of
  its own;
- a request must arrive whole (line, headers, body) within `request_timeout` seconds of the
  connection's turn, however slowly it trickles: a slow or silent client is dropped (408 when
  its body was late), and at most `max_connections` connections are open at once (beyond, 503
  at once);
- header values are sent without control characters, so that nothing a client sends can add a
  header to the answer;
- on a loopback address, a request whose `Host` names another host is refused (421), so that
  a web page cannot reach the server through DNS rebinding;
- the explorer page carries a strict Content-Security-Policy (its own script and style sheet
  only), the network page its own (its in-line scripts by hash); every answer has
  `X-Content-Type-Options: nosniff`, `Cache-Control: no-store` and `Referrer-Policy: no-referrer`.
"""

from __future__ import annotations

import hmac
import io
import ipaddress
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .. import executor
from ..claims import DEFAULT_GRAPH
from ..errors import HilosError, Message, NotFound, QueryError, StoreError, UnknownQuery
from ..errors import message as _
from ..i18n import choose
from ..namespaces import PREFIXES
from ..rdfsyntax import portable_triples
from ..sparql.lexer import is_federated, keywords, too_complex
from ..sparql.library import solutions_json
from ..store import REGISTRY_GRAPH, Store
from ..store.updates import apply_update
from . import explorer
from .explorer import api

__all__ = ["SparqlServer", "is_federated", "make_server"]

READ_ONLY = "this server is read-only: SPARQL Update is not accepted"
FEDERATED = "federated SERVICE queries are refused: the server never calls another host"
UPDATE_BY_POST = (
    "SPARQL Update must be sent by POST: a form field update=… or an application/sparql-update body"
)
NEEDS_TOKEN = (
    "SPARQL Update needs the header Authorization: Bearer <token> (the token hilos serve "  # noqa: S105 - a message about the token
    "printed, or HILOS_SERVE_TOKEN)"
)
WRONG_TOKEN = "wrong bearer token: SPARQL Update refused"  # noqa: S105 - a message
NOTHING_CHANGED = (
    "the update changed no graph; outside any GRAPH a DELETE reaches only the empty default "
    "graph: name the graph, as in DELETE WHERE { GRAPH ?g { … } }"
)
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})

EGO_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'unsafe-inline'",  # narrowed by the page's own policy to its two hashes
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)
"""Sent with the network page, which also carries its own, narrower policy: both apply."""
API_POLICY = "default-src 'none'; frame-ancestors 'none'"

# Media types offered, best first; the first is the default.
SOLUTION_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
TRIPLE_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_TEXT = {"text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples"}
_JSON = "application/json; charset=utf-8"
RESULT_TOO_LARGE = 500
"""The status of an answer over the cap: not 413, which clients report as "request too large";
a 500 with its reason, as Virtuoso answers a query over its limits, which SPARQLWrapper shows
with the reason (EndPointInternalError)."""
_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_CORS_HEADERS = "Accept, Authorization, Content-Type"


class HttpError(Exception):
    """An answer other than 200, with a one-line reason (and, under `/api/`, `details` sent
    beside it in the JSON answer: the field a write refused, the candidates of a name)."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.details = details or {}


def said(exc: HilosError) -> str:
    """An error's message as it may cross threads: a `Message` (said again in the reader's
    language when it is sent) where the error was raised with one, else its English text."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)


# Core messages that tell how to give a value on the command line (`--param status=…`), said as
# the API takes it: a library query's parameters are the fields `param.NAME`.
_API_TEMPLATES = {
    "query '{query}' needs {parameter} {name}=… ({type}: {description})": (
        "query '{query}' needs param.{name}=… ({type}: {description})"
    ),
}


def _as_the_api_says(message: Message) -> Message:
    """`message`, in the API's words where the core's name a command-line way to give a value."""
    template = _API_TEMPLATES.get(message.template)
    return message if template is None else Message(template, message.values)


def status_of(exc: HilosError) -> int:
    """The HTTP status of a core error: 503 the store, 404 nothing found, 409 a change that
    assumed an older state of its graph, else 400."""
    if isinstance(exc, StoreError):
        return 503
    if isinstance(exc, api.Conflict):
        return 409
    if isinstance(exc, NotFound | UnknownQuery):
        return 404
    return 400


Work = Callable[[threading.Event], tuple[str, bytes]]
"""What a worker computes: given an event set when the client gave up, a media type and body."""

T = TypeVar("T")


@dataclass
class _Job(Generic[T]):
    """Work handed to an engine worker (`hilos.executor`); `cancel` is set when the client has
    stopped waiting. Its value crosses back as a Python object."""

    work: Callable[[threading.Event], T]
    log: Callable[[str], None] | None = None
    finished: Callable[[], None] | None = None  # called when the work ends, however it ends
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    value: T | None = None
    # (status, message, headers, details) of a failure: an exception itself must not cross
    # threads, for its traceback (and that of an error it wraps) holds pyoxigraph results,
    # which may only be dropped by their thread.
    error: tuple[int, str, dict[str, str], dict[str, object]] | None = None

    def submit(self) -> None:
        """Hand the work to the engine's executor, which runs `run`."""
        executor.executor().submit(self.run)

    def run(self) -> None:
        try:
            if self.cancel.is_set():  # its client gave up while it waited for a worker
                raise HttpError(503, _("query timed out"))
            self.value = self.work(self.cancel)
        except HttpError as exc:
            self.error = (exc.status, exc.message, exc.headers, exc.details)
        except api.Refused as exc:  # a write's field refused
            self.error = (status_of(exc.error), said(exc.error), {}, exc.details)
        except HilosError as exc:  # QueryError, UnknownEntity, StoreError…
            self.error = (status_of(exc), said(exc), {}, {})
        except Exception as exc:
            if self.log is not None:
                self.log(f"internal error: {type(exc).__name__}: {exc}")
            self.error = (500, f"internal error ({type(exc).__name__})", {}, {})
        finally:
            if self.finished is not None:
                self.finished()
            self.done.set()


def answer(
    store: Store,
    sparql: str,
    *,
    accept: str,
    max_results: int,
    cancel: threading.Event,
    graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    bindings: dict[str, Any] | None = None,
    registry: bool = False,
    base_iri: str | None = None,
) -> tuple[str, bytes]:
    """Run a query and serialise its answer in the media type `accept` likes best; with
    `registry`, on the registry of the graphs the store holds. The dataset is the store's
    (`Store.query`): `graphs` and `named_graphs` when given, else the query's own."""
    result = (
        store.query_registry(sparql)
        if registry
        else store.query(
            sparql,
            graphs=graphs,
            named_graphs=named_graphs,
            bindings=bindings,
            base_iri=base_iri,
        )
    )
    if isinstance(result, ox.QueryBoolean):
        media, fmt = negotiate(accept, SOLUTION_TYPES)
        return media, result.serialize(format=fmt) or b""
    if isinstance(result, ox.QuerySolutions):
        media, fmt = negotiate(accept, SOLUTION_TYPES)
        names = [v.value for v in result.variables]
        rows = [
            {name: row[name] for name in names} for row in _collect(result, max_results, cancel)
        ]
        return media, _solutions_in(fmt, names, rows)
    media, rdf = negotiate(accept, TRIPLE_TYPES)
    triples = _collect(result, max_results, cancel)
    prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    # blank-node labels every syntax takes (RDF/XML's rdf:nodeID is an XML name)
    return media, ox.serialize(portable_triples(triples), format=rdf, prefixes=prefixes) or b""


def _collect(result: Any, max_results: int, cancel: threading.Event) -> list[Any]:
    items: list[Any] = []
    try:
        for item in result:
            if cancel.is_set():
                raise HttpError(503, _("query timed out"))
            if len(items) == max_results:
                raise HttpError(
                    RESULT_TOO_LARGE,
                    _(
                        "result too large: this server answers at most {count} results; "
                        "add a LIMIT or narrow the query",
                        count=max_results,
                    ),
                )
            items.append(item)
    except (SyntaxError, RuntimeError, ValueError) as exc:
        raise QueryError(
            _("the query failed: {reason}", reason=" ".join(str(exc).split()))
        ) from None
    except OSError as exc:
        raise StoreError(_("the store could not be read: {reason}", reason=str(exc))) from None
    return items


def _solutions_in(
    fmt: ox.QueryResultsFormat, names: list[str], rows: list[dict[str, Any]]
) -> bytes:
    """The solutions kept (at most `max_results` of them) in the format asked for: JSON as the
    engine writes it, the others by the engine's own writers (fed their JSON, in this worker)."""
    document = solutions_json(names, rows)
    if fmt == ox.QueryResultsFormat.JSON:
        return document
    parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    if not isinstance(parsed, ox.QuerySolutions):  # pragma: no cover - JSON of a SELECT
        raise QueryError("the results could not be converted")
    return parsed.serialize(format=fmt) or b""


def negotiate(accept: str, offered: dict[str, Any]) -> tuple[str, Any]:
    """The offered media type the `Accept` header likes best (the default when absent)."""
    first = next(iter(offered))
    if not accept.strip():
        return first, offered[first]
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = _quality(pieces[1:])
        if quality <= 0:
            continue
        candidate = _offered_for(pieces[0].lower(), offered, first)
        if candidate and (best is None or (quality, -position) > (best[0], best[1])):
            best = (quality, -position, candidate)
    if best is None:
        listed = ", ".join(offered)
        raise HttpError(406, f"cannot answer in {accept.strip()}; available: {listed}")
    return best[2], offered[best[2]]


def _quality(params: list[str]) -> float:
    """The `q` of a media range's parameters (1 without one, the last if several; 0 if it is
    not a number)."""
    quality = 1.0
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return quality


def _offered_for(media: str, offered: Mapping[str, Any], first: str) -> str:
    """The offered media type a media range stands for ('' if none): the default for `*/*`,
    the first of the type for `type/*`."""
    if media in ("*/*", ""):
        return first
    if media.endswith("/*"):
        kind = media[:-1]
        return next((m for m in offered if m.startswith(kind)), "")
    return media if media in offered else ""


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; holds the store, the limits its handlers apply and the update token."""

    daemon_threads = True
    request_queue_size = 128  # connections waiting to be accepted (the default, 5, drops bursts)

    def __init__(
        self,
        address: tuple[str, int],
        store: Store,
        *,
        timeout: float,
        max_results: int,
        max_request_bytes: int,
        log: Callable[[str], None] | None,
        update_token: str | None = None,
        workers: int = 8,
        max_connections: int = 256,
        request_timeout: float = 30.0,
        cors: tuple[str, ...] = (),
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.store = store
        self.query_timeout = timeout
        self.max_results = max_results
        self.max_request_bytes = max_request_bytes
        self.log = log
        self.update_token = update_token
        # Every write (a SPARQL Update, a claim, an entity, an undo) holds it: one at a time,
        # so that none reads a graph another is rewriting.
        self.write_lock = threading.Lock()
        self.workers = workers
        self._slots = threading.BoundedSemaphore(workers)
        # As many engine workers as requests may run, and one for the write that may run
        # beside them: none waits for a worker while it holds its slot.
        executor.executor().widen(workers + 1)
        self._running = 0
        self._running_lock = threading.Lock()
        self.max_connections = max_connections
        self.request_timeout = request_timeout
        self.cors = cors
        self._connections = 0
        self._connections_lock = threading.Lock()
        super().__init__(address, SparqlHandler)
        self.loopback = _is_loopback(self.host)

    @property
    def open_connections(self) -> int:
        """How many connections are being served."""
        return self._connections

    @property
    def running_workers(self) -> int:
        """How many queries and explorer requests are running, those whose client gave up
        included."""
        return self._running

    def take_worker(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a free worker; whether one was taken."""
        if not self._slots.acquire(timeout=timeout):
            return False
        with self._running_lock:
            self._running += 1
        return True

    def free_worker(self) -> None:
        with self._running_lock:
            self._running -= 1
        self._slots.release()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve a connection in a thread of its own, or refuse it at once (503) when
        `max_connections` are open already."""
        with self._connections_lock:
            full = self._connections >= self.max_connections
            if not full:
                self._connections += 1
        if not full:
            try:
                super().process_request(request, client_address)
            except BaseException:
                self._closed_one()
                raise
            return
        body = (
            f"too many connections: {self.max_connections} are open; try again later\n"
        ).encode()
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n"
        ).encode()
        try:
            request.settimeout(1.0)
            request.sendall(head + body)
        except OSError:
            pass
        self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._closed_one()

    def _closed_one(self) -> None:
        with self._connections_lock:
            self._connections -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that failed outside any handler (the client went away): one line."""
        error = sys.exc_info()[1]
        if self.log is not None:
            self.log(f"{client_address[0]} connection error: {type(error).__name__}: {error}")

    @property
    def host(self) -> str:
        host = self.server_address[0]
        return host.decode() if isinstance(host, bytes) else str(host)

    @property
    def base_url(self) -> str:
        """Where the explorer is: `http://host:port`."""
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.server_address[1]}"

    @property
    def url(self) -> str:
        """Where the SPARQL endpoint is."""
        return f"{self.base_url}/sparql"


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def make_server(
    store: Store,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout: float = 10.0,
    max_results: int = 100_000,
    max_request_bytes: int = 1_000_000,
    log: Callable[[str], None] | None = None,
    update_token: str | None = None,
    workers: int = 8,
    max_connections: int = 256,
    request_timeout: float = 30.0,
    cors: Sequence[str] = (),
) -> SparqlServer:
    """A server bound to `host:port` (port 0: any free port); call `serve_forever()` on it,
    and `shutdown()` then `server_close()` to stop it. `log` receives one line per request.
    With `update_token`, SPARQL Update is accepted from clients that send it as a bearer token.
    At most `workers` queries and explorer requests run at once, `max_connections` connections
    are open at once, and a request must arrive whole within `request_timeout` seconds.
    `cors` lists the web origins whose pages may read the answers (`*`: any); none by default.
    """
    if update_token is not None and not update_token.strip():
        raise ValueError("an empty update token would let anyone write")
    if workers < 1 or max_connections < 1:
        raise ValueError("workers and max_connections must be at least 1")
    return SparqlServer(
        (host, port),
        store,
        timeout=timeout,
        max_results=max_results,
        max_request_bytes=max_request_bytes,
        log=log,
        update_token=update_token,
        workers=workers,
        max_connections=max_connections,
        request_timeout=request_timeout,
        cors=tuple(cors),
    )


class _ReadDeadline(io.RawIOBase):
    """The reading side of a connection, which gives up (`TimeoutError`) once the request being
    read has taken longer than its deadline to arrive, however slowly the bytes trickle in."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.deadline = time.monotonic()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "hilos"
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a client may take to accept each part of an answer

    # Path → the methods it answers and the method of this class that answers it.
    ROUTES: ClassVar[dict[str, tuple[tuple[str, ...], str]]] = {
        "/sparql": (("GET", "POST"), "_sparql"),
        "/sparql/": (("GET", "POST"), "_sparql"),
        "/": (("GET",), "_explorer"),
        "/api/search": (("GET",), "_api_search"),
        "/api/overview": (("GET",), "_api_overview"),
        "/api/words": (("GET",), "_api_words"),
        "/api/queries/text": (("GET",), "_api_query_text"),
        "/api/entity": (("GET",), "_api_entity"),
        "/api/paths": (("GET",), "_api_paths"),
        "/api/queries": (("GET",), "_api_queries"),
        "/api/query": (("GET", "POST"), "_api_query"),
        "/api/session": (("GET",), "_api_session"),
        "/api/types": (("GET",), "_api_types"),
        "/api/claims": (("GET",), "_api_claims"),
        "/api/claim/history": (("GET",), "_api_claim_history"),
        "/api/journal": (("GET",), "_api_journal"),
        **{path: (("POST",), "_api_write") for path in api.WRITES},
        "/ego": (("GET",), "_ego"),
    }

    def version_string(self) -> str:
        return self.server_version  # no Python version for the world to read

    def setup(self) -> None:
        super().setup()
        self._reader = _ReadDeadline(self.connection)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        # A request (its line, headers and body), and the wait for it on an open connection,
        # must arrive within the server's request_timeout: a client that trickles or stops
        # does not hold a thread for ever.
        self._reader.deadline = time.monotonic() + self.server.request_timeout
        super().handle_one_request()
        self.connection.settimeout(self.timeout)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's refusals (a malformed request line, a line too long, too many
        headers, an unknown method…) as one line of plain text, like every other error."""
        self.close_connection = True
        self._note = ""
        self._json_errors = False
        if self.request_version == "HTTP/0.9":  # not read that far: answer with a status line
            self.request_version = self.protocol_version
        reason = message or self.responses.get(code, ("error",))[0]
        self._send_error(code, reason)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()

    # -- dispatching -------------------------------------------------------------------------

    _note = ""
    _body_read = False
    _registry = False
    _json_errors = False
    _asked: str | None = None

    def _handle(self) -> None:
        self._note = ""
        self._body_read = False
        self._asked = None
        path = urlsplit(self.path).path
        self._json_errors = path.startswith("/api/")
        if self.command in ("GET", "HEAD", "OPTIONS") and (
            self.headers.get("Content-Length", "0").strip() not in ("", "0")
            or "Transfer-Encoding" in self.headers
        ):
            self.close_connection = True  # its body stays unread: it must not pass for a request
        try:
            self._dispatch(path)
        except HttpError as exc:
            self._refuse(exc)
        except api.Refused as exc:
            self._send_error(status_of(exc.error), said(exc.error), None, exc.details)
        except HilosError as exc:
            self._send_error(status_of(exc), said(exc))
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away, or stopped reading: no answer
        except Exception as exc:
            self._log(f"internal error: {type(exc).__name__}: {exc}")
            self._send_error(500, f"internal error ({type(exc).__name__})")

    def _dispatch(self, path: str) -> None:
        """Answer the request by the handler of its path, if the path has one that takes its
        method (`OPTIONS` says which do)."""
        if len(self.path) > self.server.max_request_bytes:
            raise HttpError(413, "request too large")
        self._check_host()
        methods, name = self._route(path)
        allowed = _allowed(methods)
        if self.command == "OPTIONS":
            self._options(methods, allowed)
            return
        if self.command not in allowed:
            raise HttpError(
                405,
                f"method {self.command} not allowed: use {' or '.join(allowed)}",
                {"Allow": ", ".join(allowed)},
            )
        getattr(self, name)()

    def _route(self, path: str) -> tuple[tuple[str, ...], str]:
        """The methods a path takes and the name of its handler."""
        if path.startswith("/assets/"):
            return ("GET",), "_asset"
        if path in self.ROUTES:
            return self.ROUTES[path]
        raise HttpError(
            404,
            _("no such page: {path} (the explorer is at /, SPARQL at /sparql)", path=path),
        )

    def _refuse(self, exc: HttpError) -> None:
        """Answer with the error; a request whose body stays unread closes the connection."""
        unread = self.command not in ("GET", "HEAD", "OPTIONS") and not self._body_read
        if unread:
            self.close_connection = True  # an unread body must not be taken for a request
        self._send_error(exc.status, exc.message, exc.headers, exc.details)
        if unread:
            self._linger()

    def _options(self, methods: tuple[str, ...], allowed: tuple[str, ...]) -> None:
        """What a path answers (`Allow`), and, for a web origin the server trusts (`--cors`),
        the CORS preflight's answer."""
        headers = {"Allow": ", ".join(allowed)}
        if self._cors_origin() and "Access-Control-Request-Method" in self.headers:
            headers["Access-Control-Allow-Methods"] = ", ".join(allowed)
            headers["Access-Control-Allow-Headers"] = _CORS_HEADERS
            headers["Access-Control-Max-Age"] = "600"
        self._send(204, "text/plain; charset=utf-8", b"", **headers)

    def _cors_origin(self) -> str:
        """The `Access-Control-Allow-Origin` of this answer: '' unless the server was told to
        let the request's web origin read it."""
        allowed = self.server.cors
        if not allowed:
            return ""
        if "*" in allowed:
            return "*"
        origin = self.headers.get("Origin", "").strip()
        return origin if origin in allowed else ""

    def _linger(self, seconds: float = 2.0) -> None:
        """After refusing a request whose body stays unread, drop what the client still sends
        (for a moment), so that its sending does not fail before it can read the answer."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(0.5)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and self.connection.recv(65536):
                pass
        except OSError:
            pass

    def _check_host(self) -> None:
        """On loopback, answer only requests addressed to loopback (no DNS rebinding)."""
        given = self.headers.get("Host")
        if not self.server.loopback or given is None:
            return
        name = given.strip().lower()
        if name.startswith("["):
            name = name[1 : name.find("]")] if "]" in name else name
        elif name.count(":") == 1:
            name = name.split(":")[0]
        if name not in LOOPBACK_NAMES:
            raise HttpError(
                421,
                f"this server answers only requests addressed to 127.0.0.1 or localhost, not "
                f"{given!r} (a guard against DNS rebinding)",
            )

    # -- reading the request -----------------------------------------------------------------

    def _reader_lang(self) -> str:
        """The language of this request's error messages: the `lang` the explorer sends (in
        the URL or the body), else the `Accept-Language` header, else English — never the
        server's own `HILOS_LANG`, so a SPARQL client that asks for none reads English."""
        asked = self._asked
        if asked is None:
            query = parse_qs(urlsplit(self.path).query, errors="replace").get("lang")
            asked = query[0] if query else None
        return choose(asked, accept_language=self.headers.get("Accept-Language"), environ={})

    def _heard(self, params: Mapping[str, list[str]]) -> None:
        """Remember the `lang` a body's fields ask for (the explorer sends it there)."""
        if params.get("lang"):
            self._asked = params["lang"][0]

    def _query_params(self) -> dict[str, list[str]]:
        """The URL's parameters, read as UTF-8 (the request line arrives as Latin-1 text: its
        bytes are read again), percent-escapes included; anything else is a 400."""
        query = urlsplit(self.path).query
        try:
            text = query.encode("latin-1").decode("utf-8")
            return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeError:
            raise HttpError(400, "the URL's query string is not valid UTF-8") from None

    def _content_type(self) -> str:
        """The body's media type; a charset other than UTF-8 is refused (415)."""
        value = self.headers.get("Content-Type", "")
        media, *params = (part.strip() for part in value.split(";"))
        for param in params:
            key, _, given = param.partition("=")
            charset = given.strip().strip('"').lower()
            if key.strip().lower() == "charset" and charset not in _UTF8:
                raise HttpError(
                    415,
                    f"unsupported charset {charset or '(empty)'} of {media.lower()}: send the "
                    "body in UTF-8",
                )
        return media.lower()

    def _read_body(self) -> bytes:
        if "Transfer-Encoding" in self.headers:
            return self._read_chunked()
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            self.close_connection = True
            raise HttpError(411, "a POST needs a Content-Length")
        raw = lengths[0].strip()
        if len(lengths) > 1 or not re.fullmatch("[0-9]{1,18}", raw):
            self.close_connection = True
            raise HttpError(400, f"invalid Content-Length {', '.join(lengths)!r}")
        length = int(raw)
        if length > self.server.max_request_bytes:
            self.close_connection = True  # the body stays unread
            raise HttpError(
                413, f"request too large: more than {self.server.max_request_bytes} bytes"
            )
        self._body_read = True
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise self._body_timed_out() from None
        if len(body) < length:
            self.close_connection = True
            raise HttpError(
                400, f"the body ended after {len(body)} of the {length} bytes of its Content-Length"
            )
        return body

    def _read_chunked(self) -> bytes:
        """A body sent with `Transfer-Encoding: chunked`, read within the size limit and the
        request's deadline; any other transfer coding is refused (501)."""
        self._check_chunked()
        limit = self.server.max_request_bytes
        self._body_read = True
        parts: list[bytes] = []
        size = 0
        try:
            while length := self._chunk_size():
                size += length
                if size > limit:
                    self.close_connection = True  # the rest stays unread
                    raise HttpError(413, f"request too large: more than {limit} bytes")
                parts.append(self._chunk(length))
            while self.rfile.readline(1026).strip():  # trailer fields, ignored
                pass
        except TimeoutError:
            self.close_connection = True
            raise self._body_timed_out() from None
        return b"".join(parts)

    def _check_chunked(self) -> None:
        """Refuse a transfer coding other than chunked alone, or one with a Content-Length."""
        codings = [
            c.strip().lower()
            for c in ",".join(self.headers.get_all("Transfer-Encoding") or []).split(",")
        ]
        if codings != ["chunked"]:
            self.close_connection = True
            raise HttpError(501, f"unsupported Transfer-Encoding {', '.join(codings)}: use chunked")
        if "Content-Length" in self.headers:
            self.close_connection = True
            raise HttpError(400, "send a Content-Length or a Transfer-Encoding, not both")

    def _chunk_size(self) -> int:
        """The size of the next chunk, from its size line (0: the last chunk)."""
        line = self.rfile.readline(1026)
        try:
            length = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            length = -1
        if length < 0 or not line.endswith(b"\n"):
            self.close_connection = True
            raise HttpError(400, "malformed chunked body: a chunk size line is wrong")
        return length

    def _chunk(self, length: int) -> bytes:
        """A chunk's data and the line end that closes it."""
        chunk = self.rfile.read(length)
        if len(chunk) < length or self.rfile.readline(3).strip():
            self.close_connection = True
            raise HttpError(400, "malformed chunked body: a chunk ended early")
        return chunk

    def _body_timed_out(self) -> HttpError:
        return HttpError(
            408,
            f"request timed out: its body did not arrive within {self.server.request_timeout:g} s",
        )

    def _form(self, params: dict[str, list[str]]) -> dict[str, list[str]]:
        """The parameters of the URL and of a form-encoded body (UTF-8), merged."""
        form = _utf8_form(self._read_body())
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        self._heard(params)
        return params

    def _dataset(
        self, params: dict[str, list[str]], sparql: str
    ) -> tuple[list[str] | None, list[str] | None]:
        """The `graphs` and `named_graphs` of `Store.query` for the request's
        `default-graph-uri` and `named-graph-uri` (which win over the query's FROM and FROM
        NAMED: SPARQL 1.1 Protocol §2.1.4); a graph not loaded is empty, and noted."""
        default = params.get("default-graph-uri", [])
        named = params.get("named-graph-uri", [])
        store = self.server.store
        if REGISTRY_GRAPH in default + named:
            # what the store holds, read by hilos processes that go through this server
            self._registry = True
            return None, None
        if not default and not named:
            empty = store.dataset(sparql, base_iri=self._base_iri()).unknown
            if empty:
                self._note = "graphs not loaded, read as empty: " + " ".join(empty)
            return None, None
        found = {uri: store.loaded_graph(uri) for uri in default + named}
        unknown = [uri for uri, info in found.items() if info is None]
        if unknown:
            self._note = "graphs not loaded, read as empty: " + " ".join(unknown)
        return (
            [info.name for uri in default if (info := found[uri]) is not None],
            [info.name for uri in named if (info := found[uri]) is not None],
        )

    def _base_iri(self) -> str:
        """The endpoint's URL, against which relative IRIs resolve."""
        return self.server.base_url + urlsplit(self.path).path

    @staticmethod
    def _utf8(body: bytes, what: str) -> str:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise HttpError(400, f"the {what} is not valid UTF-8") from None

    # -- /sparql -----------------------------------------------------------------------------

    def _sparql(self) -> None:
        params = self._query_params()
        if self.command == "POST":
            form = self._sparql_post(params)
            if form is None:
                return
            params = form
        if "update" in params:
            self._update_from_params(params)
            return
        queries = params.get("query", [])
        if not queries:
            raise HttpError(400, "missing query: send ?query=… or a POST body")
        if len(queries) > 1:
            raise HttpError(400, "more than one query parameter")
        self._query(queries[0], params)

    def _sparql_post(self, params: dict[str, list[str]]) -> dict[str, list[str]] | None:
        """Answer a POST whose body is a query or an update (None); for a form, its parameters
        merged with the URL's."""
        content_type = self._content_type()
        if content_type == "application/sparql-update":
            self._authorise()
            self._update(self._utf8(self._read_body(), "update"), params)
            return None
        if content_type == "application/sparql-query":
            if "update" in params and self.server.update_token is None:
                raise HttpError(403, READ_ONLY)
            if "update" in params:
                raise HttpError(400, "send one update, and no query with it")
            self._query(self._utf8(self._read_body(), "query"), params)
            return None
        if content_type != "application/x-www-form-urlencoded":
            raise HttpError(
                415,
                f"unsupported request body {content_type or '(no Content-Type)'}: use "
                "application/x-www-form-urlencoded, application/sparql-query or "
                "application/sparql-update",
            )
        return self._form(params)

    def _update_from_params(self, params: dict[str, list[str]]) -> None:
        """Run the one update of a form (POST only, with the token)."""
        if self.server.update_token is None:
            raise HttpError(403, READ_ONLY)
        if self.command != "POST":
            raise HttpError(400, UPDATE_BY_POST)
        self._authorise()
        updates = params["update"]
        if len(updates) > 1 or "query" in params:
            raise HttpError(400, "send one update, and no query with it")
        self._update(updates[0], params)

    def _query(self, sparql: str, params: dict[str, list[str]]) -> None:
        if is_federated(sparql):
            raise HttpError(400, FEDERATED)
        if reason := too_complex(sparql):
            raise HttpError(400, reason)
        self._registry = False
        accept = self.headers.get("Accept", "")
        base = self._base_iri()

        def work(cancel: threading.Event) -> tuple[str, bytes]:
            graphs, named = self._dataset(params, sparql)  # reads the registry: engine work
            return answer(
                self.server.store,
                sparql,
                graphs=graphs,
                named_graphs=named,
                base_iri=base,
                registry=self._registry,
                accept=accept,
                max_results=self.server.max_results,
                cancel=cancel,
            )

        media, body = self._in_worker(work, "query")
        self._send(200, media, body)

    def _authorise(self) -> None:
        """Let an update through only with the server's bearer token."""
        token = self.server.update_token
        if token is None:
            raise HttpError(403, READ_ONLY)
        scheme, _, given = self.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise HttpError(401, NEEDS_TOKEN, {"WWW-Authenticate": 'Bearer realm="hilos"'})
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise HttpError(
                401,
                WRONG_TOKEN,
                {"WWW-Authenticate": 'Bearer realm="hilos", error="invalid_token"'},
            )

    def _update(self, sparql: str, params: dict[str, list[str]]) -> None:
        using = params.get("using-graph-uri")
        using_named = params.get("using-named-graph-uri")
        if (using or using_named) and any(
            w.depth == 0 and w.word in ("USING", "WITH") for w in keywords(sparql)
        ):
            raise HttpError(
                400,
                "the update names its dataset (USING or WITH) and so do using-graph-uri or "
                "using-named-graph-uri: give it one way only",
            )
        store = self.server.store
        base = self._base_iri()
        changed: list[str] = self._write(
            lambda: apply_update(
                store, sparql, using=using, using_named=using_named, base_iri=base
            ),
            "update",
        )
        self._log(f"update applied; graphs changed: {', '.join(changed) or 'none'}")
        reply: dict[str, Any] = {"changed": changed}
        if not changed:
            reply["note"] = NOTHING_CHANGED
        self._send(200, _JSON, _json_bytes(reply))

    # -- the explorer ------------------------------------------------------------------------

    def _explorer(self) -> None:
        self._send(
            200,
            "text/html; charset=utf-8",
            explorer.page(),
            **{"Content-Security-Policy": explorer.POLICY, "X-Frame-Options": "DENY"},
        )

    def _asset(self) -> None:
        name = urlsplit(self.path).path.removeprefix("/assets/")
        found = explorer.asset(name)
        if found is None:
            raise HttpError(404, f"no such asset: {name}")
        body, media = found
        self._send(200, media, body, **{"Content-Security-Policy": explorer.POLICY})

    def _api_search(self) -> None:
        self._json(api.search_entities, self._query_params())

    def _api_query_text(self) -> None:
        body = api.library_query_text(self._query_params()).encode("utf-8")
        self._send(
            200,
            "application/sparql-query; charset=utf-8",
            body,
            **{"Content-Security-Policy": API_POLICY},
        )

    def _api_overview(self) -> None:
        self._json(api.overview, self._query_params())

    def _api_words(self) -> None:
        accept = self.headers.get("Accept-Language")
        self._json(lambda store, params: api.words_of(params, accept), self._query_params())

    def _api_entity(self) -> None:
        self._json(api.entity_card, self._query_params())

    def _api_paths(self) -> None:
        self._json(api.evidence_paths, self._query_params())

    def _api_queries(self) -> None:
        self._json(lambda store, params: api.query_library(), self._query_params())

    def _api_query(self) -> None:
        params = self._query_params()
        if self.command == "POST":
            if self._content_type() != "application/x-www-form-urlencoded":
                raise HttpError(415, "send the query's name and parameters as a form")
            params = self._form(params)
        store = self.server.store

        def work(cancel: threading.Event) -> tuple[str, bytes]:
            query, bindings = api.library_query(store, params)
            return answer(
                store,
                query.text,
                bindings=bindings,
                accept="application/sparql-results+json, text/turtle;q=0.9",
                max_results=self.server.max_results,
                cancel=cancel,
            )

        media, body = self._in_worker(work, "query")
        self._send(200, media, body, **{"Content-Security-Policy": API_POLICY})

    def _api_session(self) -> None:
        """What the page may offer: whether this server takes changes (never the token)."""
        token = self.server.update_token
        body: dict[str, object] = {"updates": token is not None, "graph": DEFAULT_GRAPH}
        if token is not None and "Authorization" in self.headers:
            # whether the token the page holds is this server's, before it writes with it
            scheme, _, given = self.headers["Authorization"].strip().partition(" ")
            body["authorised"] = scheme.lower() == "bearer" and hmac.compare_digest(
                given.strip().encode(), token.encode()
            )
        self._send(200, _JSON, _json_bytes(body), **{"Content-Security-Policy": API_POLICY})

    def _api_types(self) -> None:
        self._json(api.term_list, self._query_params())

    def _api_claims(self) -> None:
        self._json(api.claim_list, self._query_params())

    def _api_claim_history(self) -> None:
        self._json(api.claim_versions, self._query_params())

    def _api_journal(self) -> None:
        self._json(api.journal_of, self._query_params())

    def _api_write(self) -> None:
        """A claim, an entity or an undo written: the token first, then the body's fields."""
        self._authorise()
        parts = urlsplit(self.path)
        if parts.query:
            raise HttpError(
                400, "send the fields in the body (a form or a JSON object), not in the URL"
            )
        params = self._fields()
        action = api.WRITES[parts.path]
        store = self.server.store
        answer = self._write(lambda: action(store, params), parts.path)
        body = _json_bytes(answer)
        written = answer.get("change")
        change: dict[str, object] = written if isinstance(written, dict) else {}
        self._log(
            f"{parts.path}: change {change.get('number')} of {change.get('graph')} "
            f"({change.get('action')})"
        )
        self._send(200, _JSON, body, **{"Content-Security-Policy": API_POLICY})

    def _fields(self) -> dict[str, list[str]]:
        """The fields of a write's body: form-encoded, or a JSON object whose values are text,
        numbers or lists of them (null: a field not sent)."""
        content_type = self._content_type()
        if content_type not in ("application/x-www-form-urlencoded", "application/json"):
            raise HttpError(
                415,
                f"unsupported request body {content_type or '(no Content-Type)'}: send the "
                "fields as application/x-www-form-urlencoded or application/json",
            )
        body = self._read_body()
        if content_type == "application/x-www-form-urlencoded":
            form = _utf8_form(body)
            self._heard(form)
            return form
        text = self._utf8(body, "body")
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise HttpError(400, f"the body is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise HttpError(400, "the body must be a JSON object of fields")
        fields: dict[str, list[str]] = {}
        for name, value in data.items():
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str | int | float) or v is None for v in values):
                raise HttpError(
                    400,
                    f"the field '{name}' must be text, a number or a list of them",
                    details={"field": name},
                )
            if value is not None:
                fields[name] = [_field_text(v) for v in values if v is not None]
        self._heard(fields)
        return fields

    def _write(self, work: Callable[[], T], what: str) -> T:
        """Run a write in an engine worker, one at a time, to its end (a write is never cut
        short: the client gets its outcome); its answer, as the Python object it returned."""
        server = self.server
        if not server.write_lock.acquire(timeout=server.query_timeout):
            raise HttpError(
                503,
                _("the server is busy writing another change; try the {what} again", what=what),
                {"Retry-After": "5"},
            )
        try:
            job: _Job[T] = _Job(lambda cancel: work(), log=self._log)
            job.submit()
            job.done.wait()
        finally:
            server.write_lock.release()
        if job.error is not None:
            raise HttpError(*job.error)
        return job.value  # type: ignore[return-value]

    def _ego(self) -> None:
        params = self._query_params()
        store = self.server.store
        media, body = self._in_worker(
            lambda cancel: ("text/html; charset=utf-8", api.ego_page(store, params))
        )
        self._send(200, media, body, **{"Content-Security-Policy": EGO_POLICY})

    def _json(self, function: Callable[[Store, api.Params], Any], params: api.Params) -> None:
        store = self.server.store
        media, body = self._in_worker(lambda cancel: (_JSON, _json_bytes(function(store, params))))
        self._send(200, media, body, **{"Content-Security-Policy": API_POLICY})

    # -- answering ---------------------------------------------------------------------------

    def _in_worker(self, work: Work, what: str = "request") -> tuple[str, bytes]:
        """Run `work` in an engine worker, waiting at most the server's timeout for it (and for
        a free slot: at most `workers` run at once, those whose client gave up included)."""
        server = self.server
        started = time.monotonic()
        if not server.take_worker(server.query_timeout):
            raise HttpError(
                503,
                _(
                    "the server is busy: {count} requests are running; try again later",
                    count=server.workers,
                ),
                {"Retry-After": "5"},
            )
        job = _Job(work, log=server.log, finished=server.free_worker)
        try:
            job.submit()
        except BaseException:
            server.free_worker()
            raise
        left = server.query_timeout - (time.monotonic() - started)
        if not job.done.wait(max(left, 0.0)):
            job.cancel.set()
            seconds = f"{time.monotonic() - started:.1f}"
            raise HttpError(
                503,
                _("query timed out after {seconds} s; narrow the query", seconds=seconds)
                if what == "query"
                else _("request timed out after {seconds} s; narrow the request", seconds=seconds)
                if what == "request"
                else f"{what} timed out after {seconds} s; narrow the {what}",
            )
        if job.error is not None or job.value is None:
            raise HttpError(*job.error or (500, "internal error (no answer)", {}, {}))
        content_type, body = job.value
        media = content_type + ("; charset=utf-8" if content_type in _TEXT else "")
        return media, body

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        # The request's deadline is over: the client has `timeout` seconds for each part it
        # reads, not what was left of the time to send the request.
        self.connection.settimeout(self.timeout)
        self.send_response(status)
        if status != 204:  # No Content: neither a type nor a length
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        if self._note:
            self.send_header("X-Hilos-Note", _header_value(self._note))
        if origin := self._cors_origin():
            self.send_header("Access-Control-Allow-Origin", _header_value(origin))
            self.send_header("Access-Control-Expose-Headers", "X-Hilos-Note, Retry-After")
            self.send_header("Vary", "Origin")
        for key, value in headers.items():
            self.send_header(key, _header_value(value))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_error(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        if isinstance(message, Message):
            message = _as_the_api_says(message).localized(self._reader_lang())
        line = " ".join(message.split())
        extra = dict(headers or {})
        if self._json_errors:
            extra.setdefault("Content-Security-Policy", API_POLICY)
            self._send(status, _JSON, _json_bytes({"error": line, **(details or {})}), **extra)
        else:
            self._send(status, "text/plain; charset=utf-8", (line + "\n").encode(), **extra)

    def log_message(self, format: str, *args: Any) -> None:
        self._log(format % args)

    def _log(self, line: str) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {line}")


def _header_value(value: str) -> str:
    """A header value that cannot end its line early: ASCII, control characters as spaces.

    >>> _header_value("a\\r\\nSet-Cookie: x=1 é")
    'a  Set-Cookie: x=1 ?'
    """
    return _CONTROL.sub(" ", value).encode("ascii", "replace").decode()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _field_text(value: str | float) -> str:
    """A JSON field's value as the text a form would send: 0.8 → '0.8', 2014 → '2014'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _allowed(methods: tuple[str, ...]) -> tuple[str, ...]:
    """The methods a path answers: its own, HEAD where it answers GET, and OPTIONS.

    >>> _allowed(("GET", "POST"))
    ('GET', 'HEAD', 'POST', 'OPTIONS')
    """
    head = ("HEAD",) if "GET" in methods else ()
    ordered = [m for m in ("GET", *head, "POST") if m in (*methods, *head)]
    return (*ordered, *(m for m in methods if m not in ordered), "OPTIONS")


def _utf8_form(body: bytes) -> dict[str, list[str]]:
    """A form-encoded body, read as UTF-8 (escapes included); anything else is a 400."""
    try:
        return parse_qs(
            body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeError:
        raise HttpError(400, "the form is not valid UTF-8") from None
