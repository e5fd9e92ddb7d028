"""Shared fixtures: stores (in memory, and on disk as the command line uses them) and a runner,
and the third-party data beside the checkout (`../shared`: the report and the datasets).

Tests that read `../shared` skip, with a reason that names the missing folder, where it is not
beside the checkout (a bare `git clone`). CI has it and must run them all: with
`HILOS_REQUIRE_SHARED=1` (set by `.ci/run`) such a skip is a failure.

No test leaves a process behind: a test that leaves a child of the pytest process running (a
`hilos serve`, a Virtuoso, a Chromium…) errors at its teardown, naming the command line, and the
process is stopped. A module- or session-scoped fixture may keep one for several tests; it is
checked when that fixture is torn down instead, and at the end of the session none may be left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import rdflib
from click.testing import CliRunner, Result

from hilos import resources
from hilos.cli.app import cli
from hilos.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REPORT = SHARED / "report" / "non-conventional-armed-violence-mexico.txt"
SHARED_SKIP = "needs ../shared/"
"""How the reason of every skip for missing third-party data starts (CI fails such skips)."""


def _missing(parts: tuple[str, ...]) -> str:
    return f"{SHARED_SKIP}{'/'.join(parts)}, which is not beside this checkout"


def shared(*parts: str) -> Path:
    """A file or folder of `../shared`; skips the calling test, saying so, when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(_missing(parts))
    return path


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Mark a test (or, as `pytestmark`, a module) that reads `../shared/<parts>`."""
    return pytest.mark.skipif(not SHARED.joinpath(*parts).exists(), reason=_missing(parts))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under `HILOS_REQUIRE_SHARED=1` (CI) a skip for missing `../shared` data is a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and os.environ.get("HILOS_REQUIRE_SHARED") == "1"):
        return
    reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
    if SHARED_SKIP in reason:
        report.outcome = "failed"
        report.longrepr = f"HILOS_REQUIRE_SHARED=1, but the test was skipped: {reason}"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches the programs the tests start, however the suite itself was started.

    A shell starts a background job with SIGINT ignored, and an ignored signal stays ignored
    across `exec`: every `hilos serve` or `hilos load` a test then interrupts would not stop.
    A handler, unlike "ignored", is reset to the default in a child."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# --- No test leaves a process behind ----------------------------------------------------------


@dataclass(frozen=True)
class Child:
    """A live descendant of the pytest process; `key` tells it from a later one with its pid."""

    pid: int
    parent: int
    started: float
    command: str

    @property
    def key(self) -> tuple[int, float]:
        return (self.pid, self.started)

    def __str__(self) -> str:
        return f"pid {self.pid}: {self.command}"


def _psutil_children() -> dict[tuple[int, float], Child] | None:
    try:
        import psutil  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    found: dict[tuple[int, float], Child] = {}
    for process in psutil.Process().children(recursive=True):
        try:
            with process.oneshot():
                if process.status() == psutil.STATUS_ZOMBIE:
                    continue
                command = " ".join(process.cmdline()) or f"[{process.name()}]"
                child = Child(process.pid, process.ppid(), process.create_time(), command)
        except psutil.Error:  # it ended meanwhile
            continue
        found[child.key] = child
    return found


def _proc_children() -> dict[tuple[int, float], Child]:
    """The same from /proc, where psutil is not installed (it is no dependency of hilos)."""
    table: dict[int, Child] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            raw = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        name, _, rest = stat.rpartition(")")
        fields = rest.split()  # from the state on: state, ppid, …, starttime (22nd of stat)
        if fields[0] in ("Z", "X"):
            continue
        command = raw.replace(b"\0", b" ").decode(errors="replace").strip()
        command = command or f"[{name.partition('(')[2]}]"
        table[int(entry.name)] = Child(int(entry.name), int(fields[1]), float(fields[19]), command)
    found: dict[tuple[int, float], Child] = {}
    parents = [os.getpid()]
    while parents:
        pid = parents.pop()
        for child in table.values():
            if child.parent == pid and child.key not in found:
                found[child.key] = child
                parents.append(child.pid)
    return found


def children() -> dict[tuple[int, float], Child]:
    """Every live (not zombie) descendant of this process, by (pid, start time)."""
    found = _psutil_children()
    if found is not None:
        return found
    return _proc_children() if Path("/proc/self/stat").exists() else {}


Processes = dict[tuple[int, float], Child]
Selection = Callable[[Processes], list[Child]]


def _lineage(child: Child, alive: Processes) -> list[Child]:
    """The process's parents up to (not including) pytest, nearest first (none for a child of
    pytest; cut short where a parent is not among `alive`, as when it ended meanwhile)."""
    by_pid = {process.pid: process for process in alive.values()}
    chain: list[Child] = []
    while child.parent != os.getpid():
        parent = by_pid.get(child.parent)
        if parent is None:
            break
        chain.append(parent)
        child = parent
    return chain


def _outliving(select: Selection, grace: float = 15.0) -> list[Child]:
    """What `select` picks of the live processes once they had `grace` seconds to end (one may
    be exiting, or about to start a child: the selection is made again at each look). The
    grace is long because a closed Chromium's GPU and utility processes can take seconds to go
    on a loaded machine; a process that ends sooner costs only the time it takes."""
    deadline = time.monotonic() + grace
    while True:
        left = select(children())
        if not left or time.monotonic() > deadline:
            return sorted(left, key=lambda child: (child.started, child.pid))
        time.sleep(0.05)


def _stop(select: Selection) -> None:
    """Stops what a test left (then the next test does not pay for it), and reaps it."""
    signalled: set[int] = set()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for child in select(children()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, sig)
                signalled.add(child.pid)
        if not _outliving(select, grace=5.0):
            break
    for pid in signalled:
        # not ours to reap (a grandchild), or reaped already: nothing to do
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _check(who: str, select: Selection) -> None:
    """Fails, naming each command line, when `select` still picks processes after a grace."""
    left = _outliving(select)
    if not left:
        return
    _stop(select)
    listed = "\n".join(f"  {child}" for child in left)
    pytest.fail(
        f"{who} left {len(left)} process(es) running (now stopped):\n{listed}", pytrace=False
    )


def close_chromium(browser: Any) -> None:
    """Closes a Playwright browser and sees its Chromium processes end.

    `close()` returns once Chromium is told to quit; on a loaded machine its GPU, storage and
    utility processes can take longer than the leak check's grace to follow, so the fixture
    that started them waits for exactly those (up to 30 s) and then stops any still running:
    the browser is the fixture's, so are its processes."""

    def chromium(alive: Processes) -> list[Child]:
        return [child for child in alive.values() if "chromium" in child.command]

    started = {child.key for child in chromium(children())}
    try:
        browser.close()
    finally:

        def ours(alive: Processes) -> list[Child]:
            return [child for child in chromium(alive) if child.key in started]

        if _outliving(ours, grace=30.0):
            _stop(ours)


_OWNED = pytest.StashKey[dict[tuple[int, float], pytest.FixtureDef[object]]]()
"""The processes started by module- and session-scoped fixtures, and the fixture of each."""
_BEFORE = pytest.StashKey[set[tuple[int, float]]]()


def _owned(config: pytest.Config) -> dict[tuple[int, float], pytest.FixtureDef[object]]:
    return config.stash.setdefault(_OWNED, {})


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> Generator[None, object, object]:
    """A fixture wider than a test owns the processes it starts, until it is torn down."""
    if fixturedef.scope == "function":
        return (yield)
    before = set(children())
    try:
        return (yield)
    finally:
        owned = _owned(request.config)
        alive = children()
        for key, child in alive.items():
            # a process whose parent was already running belongs to that parent's owner (a
            # module's Chromium starting a GPU process while another fixture is set up)
            if key not in before and all(up.key not in before for up in _lineage(child, alive)):
                owned.setdefault(key, fixturedef)


def pytest_fixture_post_finalizer(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> None:
    """Once a wider fixture is torn down, nothing it started (nor their children) may run."""
    if fixturedef.scope == "function":
        return
    owned = _owned(request.config)
    mine = {key for key, owner in owned.items() if owner is fixturedef}
    for key in mine:
        del owned[key]

    def theirs(alive: Processes) -> list[Child]:
        return [
            child
            for child in alive.values()
            if child.key in mine or any(up.key in mine for up in _lineage(child, alive))
        ]

    _check(f"The {fixturedef.scope}-scoped fixture {fixturedef.argname!r}", theirs)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_BEFORE] = set(children())
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, None, None]:
    """After a test and its own fixtures are torn down, what it started must have ended.

    Only processes started during the test count, and of them neither those a wider fixture
    started (checked at its teardown) nor any descendant of a process older than the test (a
    page's renderer under a module's Chromium)."""
    try:
        return (yield)
    finally:
        before = item.stash.get(_BEFORE, set())
        owned = _owned(item.config)

        def ours(alive: Processes) -> list[Child]:
            new = {key for key in alive if key not in before and key not in owned}
            return [
                child
                for child in alive.values()
                if child.key in new and all(up.key in new for up in _lineage(child, alive))
            ]

        _check("This test", ours)


@pytest.hookimpl(wrapper=True)
def pytest_sessionfinish(session: pytest.Session) -> Generator[None, None, None]:
    """At the very end no child of pytest may be left at all."""
    try:
        return (yield)
    finally:
        try:
            _check("The test session", lambda alive: list(alive.values()))
        except pytest.fail.Exception as failed:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(str(failed), red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _no_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    # A store in use fails at once in tests instead of after the default wait.
    monkeypatch.setenv("HILOS_LOCK_TIMEOUT", "0")
    monkeypatch.delenv("HILOS_STORE", raising=False)
    for name in ("HILOS_ENDPOINT", "HILOS_UPDATE_ENDPOINT", "HILOS_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HILOS_ENDPOINT_USER", "HILOS_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def curated() -> rdflib.Graph:
    """The curated graph's files, read with rdflib (independently of hilos's store)."""
    graph = rdflib.Graph()
    for path in resources.curated_files():
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def ontology() -> rdflib.Graph:
    """The ontology file, read with rdflib."""
    return rdflib.Graph().parse(resources.ontology_file())


@pytest.fixture(scope="session")
def memory_store() -> Store:
    """One in-memory store with the ontology and curated graph, shared by read-only tests."""
    return Store.in_memory()


@pytest.fixture(scope="session")
def _template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "store"
    Store.open(path).close()
    return path


@pytest.fixture
def store_path(_template_store: Path, tmp_path: Path) -> Path:
    """A fresh on-disk store, initialised, that a test may change."""
    path = tmp_path / "store"
    shutil.copytree(_template_store, path)
    return path


class Hilos:
    """Runs `hilos --store PATH …` in-process and keeps stdout and stderr apart."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(
            cli, ["--store", str(self.store), *args], input=input, catch_exceptions=False
        )


@pytest.fixture
def hilos(store_path: Path) -> Iterator[Hilos]:
    yield Hilos(store_path)


# -- shared by the page, explorer, notebook and hardening tests --------------------------------

HOSTILE_LABEL = "<img src=x onerror=alert(1)>"


HOSTILE_QUOTE = "</script><script>alert(2)</script>"


HOSTILE_CITATION = "<script>alert(4)</script> & Co."


HOSTILE_TTL = """
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid:   <https://w3id.org/hilos/id/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:  <http://www.w3.org/ns/prov#> .

hid:hostile-actor a hilos:CriminalOrganization ;
    rdfs:label "<img src=x onerror=alert(1)>"@en ;
    skos:altLabel "line\\u2028separator & <b>bold</b>"@en ;
    rdfs:comment "A note with </script> and <!-- a comment -->."@en .

hid:tie-hostile-colludes-with-zetas a hilos:Collusion ;
    hilos:from hid:hostile-actor ;
    hilos:to hid:zetas ;
    hilos:status hilos:Alleged ;
    hilos:quote "</script><script>alert(2)</script>"@en ;
    hilos:locator "<b onmouseover=alert(3)>here</b>" ;
    prov:wasDerivedFrom hid:hostile-source .

hid:hostile-source a hilos:Source ;
    hilos:citation "<script>alert(4)</script> & Co." .
"""


def write_hostile(folder: Path) -> Path:
    path = folder / "hostile.ttl"
    path.write_text(HOSTILE_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The curated graph and a few hostile strings: labels, quote, locator, citation."""
    store = Store.in_memory()
    store.load(write_hostile(tmp_path_factory.mktemp("hostile")), name="hostile")
    return store


CHROMIUM = Path("/usr/bin/chromium")


FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(
            "Playwright for Python is missing: pip install playwright (no browser download needed)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=FLAGS, headless=True
        )
        try:
            yield launched
        finally:
            close_chromium(launched)
