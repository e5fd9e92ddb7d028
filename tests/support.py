"""Helpers several test files share: hostile strings, a headless browser, servers and requests.

Test files import from here (`from support import running`), never from one another; pytest finds
this module because `tests/` is on its `pythonpath`. Fixtures defined here are used by importing
them into the test module that needs them.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from hilos.export.html import page_rows
from hilos.server.http import SparqlServer, make_server
from hilos.store import Store

REPO = Path(__file__).resolve().parents[1]

# -- hostile strings (a page, a card, a notebook must show them as text) -------------------------


def page_json(text: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="hilos-data">(.*?)</script>', text, re.DOTALL
    )
    assert match, "no data block"
    data: dict[str, Any] = page_rows(json.loads(match.group(1)))
    return data


ARTIFACTS = REPO / "tests" / "artifacts"


def one_line_error(result: Any, exit_code: int) -> str:
    """Check the shape of a command's error (its exit code, one line on stderr, no traceback)
    and return its line."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def bench_generator(name: str) -> ModuleType:
    """`bench/generate.py` imported as the module `name` (the benchmarks are not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class Session:
    """One page in a fresh browser context, with everything it did recorded: the requests it
    made, its console errors and warnings, and the dialogs it opened (dismissed). The page is
    ready when the script sets `window.<ready>`."""

    def __init__(
        self,
        browser: Any,
        url: str,
        *,
        ready: str = "hilosReady",
        width: int = 1500,
        height: int = 950,
    ) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: (
                self.console.append(f"{message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        self.page.wait_for_function(f"() => window.{ready} === true", timeout=20_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def index(self, kind: str, iri: str) -> int:
        found = self.page.evaluate(f"(iri) => hilos.{kind}Index(iri)", iri)
        assert isinstance(found, int), iri
        return found

    def click_canvas(self, point: dict[str, float] | None) -> None:
        assert point is not None, "no point of the canvas hits what should be clicked"
        box = self.page.locator("#network canvas").bounding_box()
        assert box is not None
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def panel(self) -> str:
        text = self.page.text_content("#panel")
        return text or ""

    def heading(self) -> str:
        return self.page.text_content("#panel h2") or ""

    def check_clean(self) -> None:
        left = [url for url in self.requests if not url.startswith("file://")]
        assert left == [], left
        assert self.console == []
        assert self.dialogs == []
        assert (
            self.page.evaluate(
                "() => document.querySelectorAll('img, iframe, object, embed').length"
            )
            == 0
        )

    def close(self) -> None:
        self.page.close()
        self.context.close()


# Parameter values that make sense for each query that needs some (a query added to the
# library without an entry here fails test_every_query_runs if it has required parameters).
SAMPLE_PARAMS: dict[str, dict[str, str]] = {
    "actors-by-sphere-in-place": {"sphere": "criminal", "place": "Mexico"},
    "entity-sources": {"entity": "Zetas"},
    "group-markets": {"group": "Sinaloa cartel"},
    "groups-in-place": {"place": "Central America"},
    "ties-by-status": {"status": "reported"},
}


@contextmanager
def running(store: Store, **limits: Any) -> Iterator[SparqlServer]:
    server = make_server(store, "127.0.0.1", 0, **limits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fetch(
    url: str,
    *,
    method: str = "GET",
    params: dict[str, str] | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    if params:
        url += "?" + urlencode(params)
    request = Request(url, data=body, method=method, headers=headers or {})
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


@dataclass
class Served:
    """A `hilos serve` process: its endpoint, and what it wrote on stderr."""

    url: str
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@contextmanager
def served(store: Path, *options: str, token: str | None = None) -> Iterator[Served]:
    """`hilos --store STORE serve --port 0 OPTIONS…` until the block ends (SIGINT, then wait)."""
    env = {k: v for k, v in os.environ.items() if k != "HILOS_SERVE_TOKEN"}
    if token is not None:
        env["HILOS_SERVE_TOKEN"] = token
    command = [
        sys.executable,
        "-c",
        "import sys; from hilos.cli import main; sys.argv[0] = 'hilos'; main()",
        "--store",
        str(store),
        "serve",
        "--port",
        "0",
        *options,
    ]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    log: list[str] = []
    url = None
    drain: threading.Thread | None = None
    try:
        while url is None:
            line = process.stderr.readline()
            assert line, f"hilos serve stopped: {log}"
            log.append(line)
            if found := re.search(r"SPARQL endpoint.* at (http://127\.0\.0\.1:\d+/sparql)", line):
                url = found.group(1)
        server = Served(url, process, log)
        # drain stderr (a line per request) so that the server never blocks writing it
        drain = threading.Thread(target=lambda: log.extend(process.stderr or ()), daemon=True)
        drain.start()
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - a server that will not stop
            process.kill()
            process.wait()
        if drain is not None:
            drain.join(timeout=10)
        process.stderr.close()


def send(
    server: Served,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request with http.client (which adds no Content-Type of its own)."""
    connection = http.client.HTTPConnection(server.host, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
