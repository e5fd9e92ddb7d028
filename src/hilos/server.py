"""A read-only SPARQL 1.1 Protocol endpoint over a hilos store, built on the standard library.

`make_server(store, host, port)` returns a `ThreadingHTTPServer` answering at `/sparql`:

- queries by GET (`?query=`) and POST (form-encoded `query=`, or a direct
  `application/sparql-query` body), with optional `default-graph-uri` / `named-graph-uri`
  naming loaded graphs (by hilos name or IRI; both narrow the graphs the query sees, and a
  value that names no loaded graph is ignored with an `X-Hilos-Note` header);
- SELECT/ASK results as SPARQL JSON (default), XML, CSV or TSV, and CONSTRUCT/DESCRIBE results
  as Turtle (default), N-Triples, JSON-LD or RDF/XML, chosen by `Accept`;
- plain-text errors, one line, never a traceback: 400 bad query, 403 update (read-only),
  404 other paths, 405 other methods, 406 unacceptable `Accept`, 413 request or result too
  large, 415 other request bodies, 503 timeout or unreadable store, 500 anything unexpected.

Safety: federated `SERVICE` is refused before the query runs (the server never calls another
host); a query runs in a worker thread and the client gets 503 after `timeout` seconds (the
worker stops at its next solution: Oxigraph cannot interrupt the evaluation of one solution);
more than `max_results` solutions or triples is refused with 413 "result too large" rather than
truncated, so an answer is never silently incomplete; a request body over `max_request_bytes`
is refused with 413 before it is read.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .errors import HilosError, QueryError, StoreError
from .namespaces import PREFIXES
from .store import Store

__all__ = ["SparqlServer", "is_federated", "make_server"]

READ_ONLY = "this server is read-only: SPARQL Update is not accepted"
FEDERATED = "federated SERVICE queries are refused: the server never calls another host"

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

# Strings (long ones first), IRIs, comments: what may hide or fake a SERVICE keyword.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
# The keyword, not a variable (?service), a prefixed name (ex:service) or a prefix (service:).
_SERVICE = re.compile(r"(?<![\w?$:.-])service(?![\w:.-])", re.IGNORECASE)


def is_federated(sparql: str) -> bool:
    """Whether the query has a `SERVICE` clause outside its strings, IRIs and comments."""
    return bool(_SERVICE.search(_TOKENS.sub(" ", sparql)))


class HttpError(Exception):
    """An answer other than 200, with a one-line plain-text reason."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class _Job:
    """A query run by a worker thread; `cancel` asks it to stop at the next solution."""

    store: Store
    sparql: str
    graphs: list[str] | None
    accept: str
    max_results: int
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    body: bytes = b""
    content_type: str = ""
    # (status, message) of a failure: an exception itself must not cross threads, for its
    # traceback holds pyoxigraph results, which may only be dropped by the thread using them.
    error: tuple[int, str, dict[str, str]] | None = None
    log: Callable[[str], None] | None = None

    def run(self) -> None:
        try:
            self.content_type, self.body = self._answer()
        except HttpError as exc:
            self.error = (exc.status, exc.message, exc.headers)
        except StoreError as exc:
            self.error = (503, str(exc), {})
        except HilosError as exc:  # QueryError, UnknownGraph…
            self.error = (400, str(exc), {})
        except Exception as exc:
            if self.log is not None:
                self.log(f"internal error: {type(exc).__name__}: {exc}")
            self.error = (500, f"internal error ({type(exc).__name__})", {})
        finally:
            self.done.set()

    def _answer(self) -> tuple[str, bytes]:
        answer = self.store.query(self.sparql, graphs=self.graphs)
        if isinstance(answer, ox.QueryBoolean):
            media, fmt = negotiate(self.accept, SOLUTION_TYPES)
            return media, answer.serialize(format=fmt) or b""
        if isinstance(answer, ox.QuerySolutions):
            media, fmt = negotiate(self.accept, SOLUTION_TYPES)
            names = [v.value for v in answer.variables]
            rows = [
                {name: _json_term(term) for name in names if (term := row[name]) is not None}
                for row in self._collect(answer)
            ]
            document = {"head": {"vars": names}, "results": {"bindings": rows}}
            parsed = ox.parse_query_results(
                json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON
            )
            if not isinstance(parsed, ox.QuerySolutions):  # pragma: no cover - JSON of a SELECT
                raise QueryError("the results could not be converted")
            return media, parsed.serialize(format=fmt) or b""
        media, rdf = negotiate(self.accept, TRIPLE_TYPES)
        triples = self._collect(answer)
        prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        return media, ox.serialize(triples, format=rdf, prefixes=prefixes) or b""

    def _collect(self, answer: Any) -> list[Any]:
        items: list[Any] = []
        try:
            for item in answer:
                if self.cancel.is_set():
                    raise HttpError(503, "query timed out")
                if len(items) == self.max_results:
                    raise HttpError(
                        413,
                        f"result too large: more than {self.max_results} results; "
                        "add a LIMIT or narrow the query",
                    )
                items.append(item)
        except (SyntaxError, RuntimeError, ValueError) as exc:
            raise QueryError(f"the query failed: {' '.join(str(exc).split())}") from None
        except OSError as exc:
            raise StoreError(f"the store could not be read: {exc}") from None
        return items


def _json_term(term: Any) -> dict[str, Any]:
    """An RDF term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise QueryError(f"cannot represent the term {term!r}")


def negotiate(accept: str, offered: dict[str, Any]) -> tuple[str, Any]:
    """The offered media type the `Accept` header likes best (the default when absent)."""
    first = next(iter(offered))
    if not accept.strip():
        return first, offered[first]
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in ("*/*", ""):
            candidate = first
        elif media.endswith("/*"):
            kind = media[:-1]
            candidate = next((m for m in offered if m.startswith(kind)), "")
        else:
            candidate = media if media in offered else ""
        if candidate and (best is None or (quality, -position) > (best[0], best[1])):
            best = (quality, -position, candidate)
    if best is None:
        listed = ", ".join(offered)
        raise HttpError(406, f"cannot answer in {accept.strip()}; available: {listed}")
    return best[2], offered[best[2]]


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; holds the store and the limits its handlers apply."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        store: Store,
        *,
        timeout: float,
        max_results: int,
        max_request_bytes: int,
        log: Callable[[str], None] | None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.store = store
        self.query_timeout = timeout
        self.max_results = max_results
        self.max_request_bytes = max_request_bytes
        self.log = log
        super().__init__(address, SparqlHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/sparql"


def make_server(
    store: Store,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout: float = 10.0,
    max_results: int = 100_000,
    max_request_bytes: int = 1_000_000,
    log: Callable[[str], None] | None = None,
) -> SparqlServer:
    """A server bound to `host:port` (port 0: any free port); call `serve_forever()` on it,
    and `shutdown()` then `server_close()` to stop it. `log` receives one line per request."""
    return SparqlServer(
        (host, port),
        store,
        timeout=timeout,
        max_results=max_results,
        max_request_bytes=max_request_bytes,
        log=log,
    )


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "hilos"
    protocol_version = "HTTP/1.1"
    timeout = 60  # a client that stops sending does not hold a thread for ever

    # -- the methods -------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._handle(self._from_get)

    def do_POST(self) -> None:
        self._handle(self._from_post)

    def do_HEAD(self) -> None:
        self._refuse_method()

    def do_PUT(self) -> None:
        self._refuse_method()

    def do_DELETE(self) -> None:
        self._refuse_method()

    def do_PATCH(self) -> None:
        self._refuse_method()

    def do_OPTIONS(self) -> None:
        self._refuse_method()

    def _refuse_method(self) -> None:
        def refuse() -> tuple[str, list[str]]:
            raise HttpError(
                405, f"method {self.command} not allowed: use GET or POST", {"Allow": "GET, POST"}
            )

        self._handle(refuse)

    # -- reading the request -----------------------------------------------------------------

    def _from_get(self) -> tuple[str, list[str]]:
        return self._from_params(parse_qs(urlsplit(self.path).query, keep_blank_values=True))

    def _from_post(self) -> tuple[str, list[str]]:
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            raise HttpError(403, READ_ONLY)
        body = self._read_body()
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            return self._from_params(params)
        if content_type == "application/sparql-query":
            if "update" in params:
                raise HttpError(403, READ_ONLY)
            try:
                sparql = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HttpError(400, "the query is not valid UTF-8") from None
            return sparql, self._graphs(params)
        raise HttpError(
            415,
            f"unsupported request body {content_type or '(no Content-Type)'}: use "
            "application/x-www-form-urlencoded or application/sparql-query",
        )

    def _read_body(self) -> bytes:
        raw = self.headers.get("Content-Length")
        if raw is None:
            self.close_connection = True
            raise HttpError(411, "a POST needs a Content-Length")
        try:
            length = int(raw)
        except ValueError:
            self.close_connection = True
            raise HttpError(400, f"invalid Content-Length {raw!r}") from None
        if length < 0:
            self.close_connection = True
            raise HttpError(400, f"invalid Content-Length {raw!r}")
        if length > self.server.max_request_bytes:
            self.close_connection = True  # the body stays unread
            raise HttpError(
                413, f"request too large: more than {self.server.max_request_bytes} bytes"
            )
        self._body_read = True
        return self.rfile.read(length)

    def _from_params(self, params: dict[str, list[str]]) -> tuple[str, list[str]]:
        if "update" in params:
            raise HttpError(403, READ_ONLY)
        queries = params.get("query", [])
        if not queries:
            raise HttpError(400, "missing query: send ?query=… or a POST body")
        if len(queries) > 1:
            raise HttpError(400, "more than one query parameter")
        return queries[0], self._graphs(params)

    def _graphs(self, params: dict[str, list[str]]) -> list[str]:
        asked = params.get("default-graph-uri", []) + params.get("named-graph-uri", [])
        if not asked:
            return []
        loaded = {}
        for info in self.server.store.graphs():
            loaded[info.name] = info.name
            loaded[info.iri] = info.name
        names = [loaded[uri] for uri in asked if uri in loaded]
        ignored = [uri for uri in asked if uri not in loaded]
        if ignored:
            self._note = "ignored graphs not loaded: " + " ".join(ignored)
        return list(dict.fromkeys(names))

    # -- answering ---------------------------------------------------------------------------

    _note = ""
    _body_read = False

    def _handle(self, read: Callable[[], tuple[str, list[str]]]) -> None:
        self._note = ""
        self._body_read = False
        try:
            if urlsplit(self.path).path != "/sparql":
                raise HttpError(404, f"no such page: {urlsplit(self.path).path} (try /sparql)")
            if len(self.path) > self.server.max_request_bytes:
                raise HttpError(413, "request too large")
            sparql, graphs = read()
            content_type, body = self._run(sparql, graphs)
            self._send(200, content_type, body)
        except HttpError as exc:
            if self.command not in ("GET", "HEAD") and not self._body_read:
                self.close_connection = True  # an unread body must not be taken for a request
            self._send_error(exc.status, exc.message, exc.headers)
        except QueryError as exc:
            self._send_error(400, str(exc))
        except StoreError as exc:
            self._send_error(503, str(exc))
        except HilosError as exc:
            self._send_error(400, str(exc))
        except Exception as exc:
            self._log(f"internal error: {type(exc).__name__}: {exc}")
            self._send_error(500, f"internal error ({type(exc).__name__})")

    def _run(self, sparql: str, graphs: list[str]) -> tuple[str, bytes]:
        if is_federated(sparql):
            raise HttpError(400, FEDERATED)
        job = _Job(
            self.server.store,
            sparql,
            graphs or None,
            self.headers.get("Accept", ""),
            self.server.max_results,
            log=self.server.log,
        )
        worker = threading.Thread(target=job.run, name="hilos-sparql-query", daemon=True)
        started = time.monotonic()
        worker.start()
        if not job.done.wait(self.server.query_timeout):
            job.cancel.set()
            raise HttpError(
                503, f"query timed out after {time.monotonic() - started:.1f} s; narrow the query"
            )
        if job.error is not None:
            raise HttpError(*job.error)
        media = job.content_type + ("; charset=utf-8" if job.content_type in _TEXT else "")
        return media, job.body

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self._note:
            self.send_header("X-Hilos-Note", self._note.encode("ascii", "replace").decode())
        for key, value in headers.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        text = " ".join(message.split()) + "\n"
        self._send(status, "text/plain; charset=utf-8", text.encode(), **(headers or {}))

    def log_message(self, format: str, *args: Any) -> None:
        self._log(format % args)

    def _log(self, line: str) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {line}")
