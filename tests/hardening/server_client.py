"""Clients for the server tests: requests written byte by byte on a socket (so that nothing a
hostile client may send is cleaned up on the way), always with a time limit, and a judge of
the answer: one of the documented statuses, and an error told in one line."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from hilos.server.http import SparqlServer
from hilos.store import Store

STATUSES = frozenset({200, 400, 401, 403, 404, 405, 406, 408, 411, 413, 414, 415, 421, 431, 501})
STATUSES |= {500, 503, 505}
"""Every status the server documents (`hilos.server.http`'s docstring)."""

TOO_LARGE = 500
"""A result over the server's cap: a 500 that says so, never a 413, which clients read as "your
request was too large" (README, "Standards and tools"). No other 500 is ever documented."""

TOKEN = "a-hardening-token-long-enough-to-guard"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class NoAnswer(AssertionError):
    """The server closed the connection, or let the time limit pass, without an answer."""


def http_request(
    method: str,
    target: str | bytes,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    host: str = "127.0.0.1",
) -> bytes:
    """An HTTP/1.1 request as bytes, closing the connection after its answer."""
    line = target if isinstance(target, bytes) else target.encode("latin-1")
    head = [method.encode() + b" " + line + b" HTTP/1.1", b"Host: " + host.encode()]
    given = {"Connection": "close", **(headers or {})}
    if body is not None and "Content-Length" not in given:
        given["Content-Length"] = str(len(body))
    head += [f"{name}: {value}".encode("latin-1") for name, value in given.items()]
    return b"\r\n".join(head) + b"\r\n\r\n" + (body or b"")


def exchange(port: int, data: bytes, *, timeout: float = 20.0) -> Answer:
    """Send `data` on a new connection and read the whole answer (the server closes it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # Refused before it was all sent, the answer may be waiting all the same.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        return read_answer(sock)


def read_answer(sock: socket.socket) -> Answer:
    """Read one answer from `sock`, up to the end of its body."""
    received = b""
    try:
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                raise NoAnswer(f"the connection closed without a whole answer: {received!r}")
            received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    except TimeoutError:
        raise NoAnswer(f"no answer in time: {received!r}") from None
    except ConnectionResetError:
        raise NoAnswer(f"the connection was reset: {received!r}") from None
    match = re.match(r"HTTP/1\.[01] (\d{3}) ", status_line + " ")
    assert match, f"not an HTTP status line: {status_line!r}"
    return Answer(int(match.group(1)), headers, body[:length])


def call(
    port: int,
    method: str,
    path: str,
    params: Mapping[str, str] | None = None,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 20.0,
) -> Answer:
    """A request with its parameters percent-encoded into the URL."""
    target = path
    if params:
        target += "?" + urlencode(params, quote_via=quote)
    return exchange(port, http_request(method, target, headers=headers, body=body), timeout=timeout)


def query(port: int, sparql: str, *, timeout: float = 20.0) -> Answer:
    return call(port, "GET", "/sparql", {"query": sparql}, timeout=timeout)


def update(port: int, sparql: str, token: str | None = TOKEN) -> Answer:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return call(port, "POST", "/sparql", body=sparql.encode(), headers=headers)


def assert_documented(answer: Answer) -> None:
    """A documented status; an error as one line of plain text, or `{"error": "…"}` in one
    line under /api/; never a traceback."""
    shown = f"{answer.status} {answer.headers} {answer.body[:500]!r}"
    assert answer.status in STATUSES, shown
    assert b"Traceback" not in answer.body, shown
    if answer.status == 200:
        return
    if answer.status == TOO_LARGE:
        assert answer.body.startswith(b"result too large: "), shown
    kind = answer.headers.get("content-type", "")
    if kind.startswith("application/json"):
        error = json.loads(answer.body)
        assert list(error) == ["error"] and isinstance(error["error"], str), shown
        assert "\n" not in error["error"] and error["error"].strip(), shown
    else:
        assert kind == "text/plain; charset=utf-8", shown
        text = answer.body.decode("utf-8")
        assert text.endswith("\n") and text.count("\n") == 1 and text.strip(), shown


def state(store: Store) -> tuple[int, tuple[tuple[str, int, int], ...]]:
    """What an answer must leave as it was: every quad counted, and the registered graphs."""
    graphs = tuple((g.name, g.triples, g.inferred_triples) for g in store.graphs())
    return len(store.database), graphs


def port_of(server: SparqlServer) -> int:
    return int(server.server_address[1])


@contextmanager
def listening() -> Iterator[tuple[int, list[bytes]]]:
    """A free loopback port and what connected to it: the start of each request, answered at
    once with a 500 so that no caller waits on it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    caught: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    caught.append(connection.recv(200) or b"(connected)")
                    connection.sendall(
                        b"HTTP/1.1 500 Trap\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                except OSError:
                    caught.append(b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], caught
    finally:
        stop.set()
        thread.join(5)
        listener.close()


# -- a server in a process of its own ---------------------------------------------------------


@dataclass
class Served:
    """`hilos serve` running in a child process: a request that crashed the engine would take
    only that process down, and the test would say so."""

    process: subprocess.Popen[str]
    port: int
    log: list[str]

    def alive(self) -> bool:
        return self.process.poll() is None


@contextmanager
def served(store: Path, *options: str) -> Iterator[Served]:
    """`hilos --store STORE serve --port 0 OPTIONS…` until the block ends (then Ctrl-C)."""
    env = {**os.environ, "HILOS_SERVE_TOKEN": TOKEN}
    command = [sys.executable, "-c", "from hilos.cli import main; main()"]
    command += ["--store", str(store), "serve", "--port", "0", *options]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    stream = process.stderr
    log: list[str] = []
    try:
        port = None
        for line in stream:
            log.append(line)
            if found := re.search(r"SPARQL endpoint .*at http://127\.0\.0\.1:(\d+)/sparql", line):
                port = int(found.group(1))
                break
        assert port is not None, f"hilos serve did not start: {''.join(log)}"
        # Keep reading its log, one line per request, so that it never waits on a full pipe.
        reader = threading.Thread(target=lambda: log.extend(stream), daemon=True)
        reader.start()
        yield Served(process, port, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stream.close()
