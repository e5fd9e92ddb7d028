"""The RDF store: Oxigraph on disk (or in memory) or a remote SPARQL endpoint, with hilos's
bookkeeping.

Every loaded file lives in a named graph of its own; the triples the reasoner derives from it live
in a companion graph, so `drop` removes both and nothing else. A registry graph records what was
loaded, from where, and when. Queries see the union of the registered graphs (asserted and
derived) as their default graph, so a graph that is half-written is never visible.

On an embedded store the registry is kept in graph names, not statements: each entry is an
empty named graph whose IRI spells out the entry's statements. Entries change in the same
transaction as the data they describe, yet no pattern can match them, so whenever the database
holds nothing but registered graphs a query can read Oxigraph's union of all graphs — one index
lookup per pattern instead of one per graph, which is ten to twenty times faster.

The same bookkeeping runs on a remote SPARQL 1.1 endpoint (`Store.connect`, see `hilos.remote`),
which stands in for the Oxigraph database; an endpoint that hilos never wrote to (no registry)
is queried as its server presents it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import quote, unquote

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from . import resources
from .errors import (
    BadInput,
    GraphExists,
    ParseError,
    QueryError,
    StoreError,
    StoreLocked,
    UnknownGraph,
)
from .errors import message as _
from .namespaces import OWL, PREFIXES, RDF_TYPE, STORE, STORE_NS, XSD, compact
from .rdfsyntax import portable_quads
from .reasoner import TBOX_PREDICATES, Reasoner, Terminology, is_tbox
from .remote import RemoteDatabase, skolemise, sparql_with_values, unskolemise
from .sparqltext import DatasetClauses, dataset_clauses
from .xmlsafety import check_rdfxml

T = TypeVar("T")
Database = ox.Store | RemoteDatabase
Answer = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean | list[Triple]
Progress = Callable[[int, int], None]
"""Called as `progress(done, total)` during long work; `total` is 0 when unknown."""

GRAPH_BASE = "https://w3id.org/hilos/graph/"
ONTOLOGY_GRAPH_NAME = "ontology"
CURATED_PREFIX = "report/"
_META = NamedNode(STORE_NS + "registry")
REGISTRY_GRAPH = _META.value
_ENTRY_BASE = STORE_NS + "registry/"
_THIS_STORE = NamedNode(STORE_NS + "this")
_STAGING_BASE = STORE_NS + "staging/"
_INFERRED_BASE = STORE_NS + "inferred/"
# Raise when the derivation rules change: every graph's inferences are then derived again.
_FORMAT_VERSION = 3

# Files with more statements than this go through Oxigraph's bulk loader: past a few thousand
# statements it writes faster than a transaction (a fixed cost of about 0.25 s, then several
# times the speed: a 100,000-statement file loads in half the time) and keeps memory flat. It
# is not transactional; a failure is cleaned up by removing the partial graphs. A file the
# engine parses as it writes is not counted first: its size stands for its statements, at
# `_BYTES_PER_STATEMENT` each (about what N-Triples takes; Turtle takes less).
BULK_THRESHOLD = 10_000
_PROGRESS_EVERY = 20_000
_BYTES_PER_STATEMENT = 64
# No progress is shown before the parser has read this much: a statement longer than its
# buffer (16 MB) fails alone on stderr, as it did when every file was parsed before writing.
_QUIET_BYTES = 32 << 20
# Formats whose statements may name their graph: such a file is read once before it is
# written, to learn where its statements go.
_DATASET_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD})

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "n3": ox.RdfFormat.N3,
}
_EXTENSIONS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".n3": "n3",
}


def default_store_path() -> Path:
    """`HILOS_STORE` if set, else a per-user data directory."""
    configured = os.environ.get("HILOS_STORE")
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hilos" / "store"


def graph_iri(name: str) -> NamedNode:
    """The IRI of the named graph called `name` (an absolute IRI, bare or in `<…>`, is kept).

    >>> graph_iri("report/iguala").value
    'https://w3id.org/hilos/graph/report/iguala'
    >>> graph_iri("<tag:example.org,2024:leak>").value
    'tag:example.org,2024:leak'
    """
    if not name or name != name.strip():
        raise BadInput(f"invalid graph name {name!r}")
    bracketed = name.startswith("<") and name.endswith(">")
    if bracketed or "://" in name or name.startswith("urn:"):
        iri = name[1:-1] if bracketed else name
        try:
            return NamedNode(iri)
        except ValueError as exc:
            raise BadInput(f"invalid graph IRI {iri!r}: {exc}") from None
    try:
        return NamedNode(GRAPH_BASE + quote(name, safe="/-_.~"))
    except UnicodeEncodeError:
        raise BadInput(f"invalid graph name {name!r}: not UTF-8 text") from None


def graph_name(iri: str) -> str:
    """The short name of a graph IRI, the inverse of `graph_iri`.

    >>> graph_name(graph_iri("report/iguala").value), graph_name("tag:example.org,2024:leak")
    ('report/iguala', '<tag:example.org,2024:leak>')
    """
    if iri.startswith(GRAPH_BASE):
        return unquote(iri[len(GRAPH_BASE) :])
    if "://" in iri or iri.startswith("urn:"):
        return iri
    return f"<{iri}>"


def short_id(iri: str) -> str:
    """An IRI as people read and type it: a user graph's own by its graph and path
    (`mine/claim/3`), others prefixed (`hid:zetas`).

    >>> short_id("https://w3id.org/hilos/graph/mine/claim/3"), short_id("")
    ('mine/claim/3', '')
    >>> short_id("https://w3id.org/hilos/id/zetas")
    'hid:zetas'
    """
    if iri.startswith(GRAPH_BASE):
        return iri[len(GRAPH_BASE) :]
    return compact(iri)


def format_for(path: str, explicit: str | None = None) -> ox.RdfFormat:
    """The RDF format named `explicit`, or guessed from the file's extension."""
    if explicit:
        try:
            return FORMATS[explicit.lower()]
        except KeyError:
            known = ", ".join(FORMATS)
            raise BadInput(
                _("unknown RDF format '{name}' (known: {known})", name=explicit, known=known)
            ) from None
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return FORMATS[_EXTENSIONS[suffix]]
    raise BadInput(
        _(
            "{path}: cannot tell the RDF format from the extension '{suffix}'; "
            "name it (hilos load --rdf-format …; known: {known})",
            path=path,
            suffix=suffix or _("(none)"),
            known=", ".join(FORMATS),
        )
    )


@dataclass(frozen=True)
class GraphInfo:
    """One loaded graph, as the registry records it."""

    name: str
    iri: str
    inferred_iri: str
    source: str
    sha256: str
    loaded_at: str
    triples: int
    inferred_triples: int
    bundled: bool


@dataclass(frozen=True)
class _LoadPlan:
    """A file checked and ready to load: where it goes and what it declares."""

    path: Path
    shown: str
    format: ox.RdfFormat
    base_iri: str
    total: int
    """Statements, when the file was read before it is written (`checked`); else 0."""
    size: int
    checked: bool
    tbox: list[Quad | Triple]
    targets: dict[str, NamedNode]
    existing: tuple[str, ...]


@dataclass(frozen=True)
class _Staged:
    """A file written with its inferences into graphs that are not registered yet."""

    plan: _LoadPlan
    targets: dict[str, NamedNode]
    physical: dict[str, NamedNode]
    inferred: dict[str, NamedNode]
    counts: dict[str, int]
    inferred_counts: dict[str, int]
    source: str
    sha256: str
    is_ontology: bool
    written: tuple[NamedNode, ...]

    def report(self) -> LoadReport:
        kept = [t.value for t in self.targets.values()]
        return LoadReport(
            path=self.plan.shown,
            graphs=tuple(graph_name(iri) for iri in kept),
            triples=sum(self.counts.values()),
            inferred_triples=sum(self.inferred_counts.values()),
            replaced=tuple(graph_name(iri) for iri in self.plan.existing if iri in kept),
        )


@dataclass(frozen=True)
class LoadReport:
    """What a load did."""

    path: str
    graphs: tuple[str, ...]
    triples: int
    inferred_triples: int
    replaced: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """The graphs a query reads: its default graph (the union of `default`, or of every graph
    of the database when `union`), the graphs it may name, and the graphs named in the query
    that are not loaded (they are empty)."""

    default: tuple[NamedNode, ...]
    named: tuple[NamedNode, ...]
    union: bool = False
    unknown: tuple[str, ...] = ()


class Store:
    """The hilos store: an Oxigraph database with the ontology and the curated graph loaded.

    >>> store = Store.in_memory()
    >>> "ontology" in [g.name for g in store.graphs()]
    True
    """

    def __init__(self, database: Database, path: Path | None) -> None:
        self._db = database
        self.path = path
        self.endpoint = database.url if isinstance(database, RemoteDatabase) else None
        self._registry_cache: list[GraphInfo] | None = None
        # Bumped whenever the registry changes: a thread that read it before a change (made by
        # another thread) does not keep what it read.
        self._registry_generation = 0
        self._terminology: Terminology | None = None
        # Writers in this process (loads, updates) hold graphs the registry does not list yet;
        # while one runs, queries name the registered graphs instead of reading the union.
        self._writers = 0
        self._writes_begun = 0
        self._gate = threading.Lock()

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        lock_timeout: float | None = None,
        progress: Progress | None = None,
    ) -> Store:
        """Open (and on first use create) the store on disk, up to date with the shipped data.

        `path` defaults to `HILOS_STORE` or a per-user data directory. Another process holding
        the store is waited for up to `lock_timeout` seconds (default `HILOS_LOCK_TIMEOUT`, else
        2), then `StoreLocked` is raised.
        """
        where = Path(path).expanduser() if path is not None else default_store_path()
        if lock_timeout is None:
            lock_timeout = float(os.environ.get("HILOS_LOCK_TIMEOUT", "2"))
        if where.exists() and not where.is_dir():
            raise StoreError(_("{where}: not a directory, cannot hold a store", where=where))
        deadline = time.monotonic() + max(lock_timeout, 0.0)
        while True:
            try:
                where.parent.mkdir(parents=True, exist_ok=True)
                database = ox.Store(str(where))
                break
            except OSError as exc:
                message = str(exc)
                if "lock" not in message.lower():
                    raise StoreError(
                        _("{where}: cannot open the store: {reason}", where=where, reason=message)
                    ) from None
                if time.monotonic() >= deadline:
                    raise StoreLocked(
                        _(
                            "the store {where} is in use by another hilos process; "
                            "try again when it has finished",
                            where=where,
                        )
                    ) from None
                time.sleep(0.1)
        store = cls(database, where)
        store._move_registry_to_entries()
        store._collect_orphans()
        store.sync_bundle(progress=progress)
        return store

    @classmethod
    def connect(
        cls, url: str, *, update_url: str | None = None, timeout: float | None = None
    ) -> Store:
        """The store held by the SPARQL 1.1 endpoint at `url` (updates at `update_url`).

        Connecting writes nothing: reading commands never change a shared server. Credentials
        come from the environment (see `hilos.remote`). Several clients may use one endpoint;
        it has no lock, so two loads into the same graph at once are the server's to order.
        """
        return cls(RemoteDatabase(url, update_url=update_url, timeout=timeout), None)

    @property
    def remote(self) -> bool:
        """Whether the store is a remote endpoint."""
        return self.endpoint is not None

    @classmethod
    def in_memory(cls, *, progress: Progress | None = None) -> Store:
        """A store held in memory (for tests and notebooks), with the shipped data loaded."""
        store = cls(ox.Store(), None)
        store.sync_bundle(progress=progress)
        return store

    @classmethod
    def empty(cls) -> Store:
        """A store in memory with nothing loaded, not even the ontology."""
        return cls(ox.Store(), None)

    def close(self) -> None:
        """Flush to disk and release the database (and its lock)."""
        with contextlib.suppress(OSError):
            self._db.flush()
        self._db = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def database(self) -> ox.Store:
        """The underlying pyoxigraph store (for what hilos does not wrap)."""
        if isinstance(self._db, RemoteDatabase):
            raise StoreError(f"{self._db.url} is a remote endpoint, not an embedded database")
        return self._db

    # --------------------------------------------------------------- registry

    def graphs(self) -> list[GraphInfo]:
        """The loaded graphs, ontology first, then by name."""
        cached = self._registry_cache
        if cached is not None:
            return list(cached)
        generation = self._registry_generation
        infos = self._read_registry()
        if generation == self._registry_generation:
            self._registry_cache = infos
        return list(infos)

    def state(self) -> str:
        """A digest of the registry that changes with every write (each load, replacement or
        re-derivation registers a fresh companion graph; a drop removes an entry) and is the
        same in every process reading the store: what saved derived data is keyed on."""
        digest = hashlib.sha256(str(_FORMAT_VERSION).encode())
        for info in sorted(self.graphs(), key=lambda info: info.iri):
            digest.update(repr(dataclasses.astuple(info)).encode("utf-8"))
        return digest.hexdigest()

    def graph(self, name: str) -> GraphInfo:
        iri = graph_iri(name).value
        for info in self.graphs():
            if info.iri == iri:
                return info
        if self.remote and not self.graphs():
            raise UnknownGraph(
                f"the endpoint {self.endpoint} publishes no registry of the graphs hilos loaded "
                f"(hilos serve does not): --graph {name} cannot be told apart there"
            )
        known = ", ".join(info.name for info in self.graphs()) or "none"
        raise UnknownGraph(
            _("no graph named '{name}' is loaded (loaded: {known})", name=name, known=known)
        )

    def _forget_registry(self) -> None:
        self._registry_generation += 1
        self._registry_cache = None

    def _registry_dataset(self) -> ox.Store:
        """The entries of an embedded store, spelled out as statements again in the registry
        graph, as an endpoint keeps them."""
        registry = ox.Store()
        registry.extend(
            Quad(t.subject, t.predicate, t.object, _META)
            for entry in self._entries()
            for t in _entry_triples(entry)
        )
        return registry

    def query_registry(self, sparql: str) -> Answer:
        """Run a query on the registry graph alone (named REGISTRY_GRAPH in the query), as a
        client of `hilos serve` reads the graphs the store holds."""
        database: Database = self._db if self.remote else self._registry_dataset()
        try:
            return database.query(sparql, prefixes=PREFIXES, named_graphs=[_META])
        except SyntaxError as exc:
            raise QueryError(_sparql_syntax_error(sparql, str(exc))) from None

    def _read_registry(self) -> list[GraphInfo]:
        # the same query on an embedded store as on an endpoint
        registry: Database = self._db if self.remote else self._registry_dataset()
        rows = solutions(
            registry.query(
                """
            PREFIX s: <https://w3id.org/hilos/store#>
            SELECT ?g ?name ?inf ?source ?sha ?at ?n ?ni ?bundled WHERE {
              GRAPH ?meta { ?g a s:Graph ; s:name ?name ; s:inferred ?inf ; s:source ?source ;
                 s:sha256 ?sha ; s:loadedAt ?at ; s:triples ?n ; s:inferredTriples ?ni ;
                 s:bundled ?bundled }
            }""",
                named_graphs=[_META],
            )
        )
        infos = [
            GraphInfo(
                name=row["name"].value,
                iri=row["g"].value,
                inferred_iri=row["inf"].value,
                source=row["source"].value,
                sha256=row["sha"].value,
                loaded_at=row["at"].value,
                triples=int(row["n"].value),
                inferred_triples=int(row["ni"].value),
                bundled=row["bundled"].value in ("true", "1"),
            )
            for row in rows
        ]
        infos.sort(key=lambda info: (info.name != ONTOLOGY_GRAPH_NAME, info.name))
        return infos

    def _entries(self) -> list[NamedNode]:
        """The registry entries of an embedded store (empty graphs named by their content)."""
        return [
            graph
            for graph in self._db.named_graphs()
            if isinstance(graph, NamedNode) and graph.value.startswith(_ENTRY_BASE)
        ]

    def _registry_value(self, predicate: str) -> str | None:
        if self.remote:
            quads: Iterable[Quad | Triple] = self._db.quads_for_pattern(
                _THIS_STORE, STORE[predicate], None, _META
            )
        else:
            quads = (t for entry in self._entries() for t in _entry_triples(entry))
        for quad in quads:
            if (
                quad.subject == _THIS_STORE
                and quad.predicate == STORE[predicate]
                and isinstance(quad.object, Literal)
            ):
                return quad.object.value
        return None

    def _forget(self, subject: NamedNode) -> list[str]:
        """The update operations that remove the registry's statements about `subject`."""
        if self.remote:
            return [f"DELETE WHERE {{ GRAPH {_META} {{ {subject} ?p ?o }} }}"]
        return [
            f"DROP SILENT GRAPH {entry}"
            for entry in self._entries()
            if any(t.subject == subject for t in _entry_triples(entry))
        ]

    def _record(self, statements: str) -> str:
        """The update operation that adds `statements` (N-Triples-style Turtle, full IRIs,
        about one subject) to the registry."""
        if self.remote:
            return f"INSERT DATA {{ GRAPH {_META} {{ {statements} }} }}"
        return f"CREATE SILENT GRAPH <{_ENTRY_BASE}{quote(statements, safe='')}>"

    def _move_registry_to_entries(self) -> None:
        """Turn a registry graph of statements (as stores written before entries keep it)
        into entries, in one transaction."""
        quads = list(self._db.quads_for_pattern(None, None, None, _META))
        if not quads and not self._db.contains_named_graph(_META):
            return
        by_subject: dict[str, list[str]] = {}
        for quad in quads:
            by_subject.setdefault(str(quad.subject), []).append(
                f"{quad.subject} {quad.predicate} {quad.object} ."
            )
        operations = [f"DROP SILENT GRAPH {_META}"]
        operations += [self._record(" ".join(lines)) for lines in by_subject.values()]
        self._db.update(" ;\n".join(operations))
        self._forget_registry()

    def _collect_orphans(self) -> None:
        """Remove graphs left behind by a load that was killed before it registered them."""
        registered = {_META.value}
        for info in self.graphs():
            registered.update((info.iri, info.inferred_iri))
        for graph in list(self._db.named_graphs()):
            if (
                isinstance(graph, NamedNode)
                and graph.value not in registered
                and not graph.value.startswith(_ENTRY_BASE)
            ):
                self._db.remove_graph(graph)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Mark a write in progress in this process: until it ends, graphs it creates but has
        not registered yet stay out of every query's sight."""
        with self._gate:
            self._writers += 1
            self._writes_begun += 1
        try:
            yield
        finally:
            with self._gate:
                self._writers -= 1

    def _union_is_registered(self) -> bool:
        """Whether the database's union of all graphs is exactly the registered graphs with
        their inferences (nothing staged, left behind, or in the default graph)."""
        if self.remote or self._writers:
            return False
        expected: set[str] = set()
        for info in self.graphs():
            expected.update((info.iri, info.inferred_iri))
        for graph in self._db.named_graphs():
            value = graph.value if isinstance(graph, NamedNode) else ""
            if value not in expected and not value.startswith(_ENTRY_BASE):
                return False
        default_graph = self._db.quads_for_pattern(None, None, None, DefaultGraph())
        return next(iter(default_graph), None) is None

    # ------------------------------------------------------------ terminology

    def terminology(self) -> Terminology:
        """The classes and properties of the loaded ontology, as the reasoner sees them."""
        if self._terminology is None:
            self._terminology = Terminology.from_triples(self._ontology_tbox_quads())
        return self._terminology

    # ---------------------------------------------------------------- loading

    def sync_bundle(self, *, progress: Progress | None = None, restore: bool = False) -> bool:
        """Load the shipped ontology and curated graph if they changed since the last sync.

        Returns whether anything was (re)loaded. A curated graph the user dropped stays dropped
        until the shipped data changes, or until `restore` asks for every missing one back.
        """
        # The stamp covers the shipped files and the version of the derivation rules, so a
        # new ontology, curated graph or reasoner all bring the store up to date.
        digest = f"{resources.bundle_digest()}/{_FORMAT_VERSION}"
        stored = self._registry_value("bundle")
        current = {info.name: info for info in self.graphs()}
        shipped = {CURATED_PREFIX + path.stem: path for path in resources.curated_files()}
        if stored == digest and not (restore and set(shipped) - set(current)):
            return False
        rules_changed = stored is None or not stored.endswith(f"/{_FORMAT_VERSION}")
        ontology = resources.ontology_file()
        old_onto = current.get(ONTOLOGY_GRAPH_NAME)
        onto_changed = (
            rules_changed or old_onto is None or old_onto.sha256 != resources.file_sha256(ontology)
        )
        if onto_changed:
            self.load(ontology, name=ONTOLOGY_GRAPH_NAME, replace=True, bundled=True)
        for name, path in shipped.items():
            info = current.get(name)
            if onto_changed or info is None or info.sha256 != resources.file_sha256(path):
                self.load(path, name=name, replace=True, bundled=True, progress=progress)
        for name, info in current.items():
            if info.bundled and name != ONTOLOGY_GRAPH_NAME and name not in shipped:
                self.drop(name)
            elif onto_changed and not info.bundled:
                self.rematerialise(name)
        stamp = (
            f"{_THIS_STORE} {STORE.bundle} {Literal(digest)} ;"
            f" {STORE.formatVersion} {Literal(_FORMAT_VERSION)} ."
        )
        self._db.update(" ;\n".join([*self._forget(_THIS_STORE), self._record(stamp)]))
        return True

    def load(
        self,
        source: str | os.PathLike[str],
        *,
        name: str | None = None,
        format: str | None = None,
        replace: bool = False,
        progress: Progress | None = None,
        bundled: bool = False,
        origin: tuple[str, str] | None = None,
    ) -> LoadReport:
        """Load an RDF file into its own named graph, all or nothing.

        The graph is called `name` (default: the file's stem). Triples in the named graphs of a
        TriG or N-Quads file keep their graph. A file that does not parse loads nothing and
        raises `ParseError` naming the file, line and column. Loading over an existing graph
        needs `replace=True`; the old content stays visible until the new one is complete.
        `origin` (a description and a SHA-256) is recorded as where the graph came from instead
        of the file itself — for importers that write RDF to a scratch file first.
        """
        return self.load_all(
            [source],
            name=name,
            format=format,
            replace=replace,
            progress=progress,
            bundled=bundled,
            origin=origin,
        )[0]

    def load_all(
        self,
        sources: Sequence[str | os.PathLike[str]],
        *,
        name: str | None = None,
        format: str | None = None,
        replace: bool = False,
        progress: Progress | None = None,
        bundled: bool = False,
        origin: tuple[str, str] | None = None,
    ) -> list[LoadReport]:
        """Load several files, each into its own graph: all of them, or none.

        Every file is parsed and checked before anything is written; if writing one fails,
        the graphs this call created are removed again.
        """
        if (name is not None or origin is not None) and len(sources) > 1:
            raise BadInput("one graph name was given for several files")
        registered = {info.iri: info for info in self.graphs()}
        plans = [
            self._plan(Path(src), _readable(src), name, format, replace, registered)
            for src in sources
        ]
        claimed: dict[str, str] = {}
        for plan in plans:
            for target in plan.targets.values():
                if target.value in claimed:
                    raise BadInput(
                        f"{plan.shown} and {claimed[target.value]} would both load into graph "
                        f"'{graph_name(target.value)}'; give them different names"
                    )
                claimed[target.value] = plan.shown
        staged: list[_Staged] = []
        ontology_iri = graph_iri(ONTOLOGY_GRAPH_NAME)
        # A new ontology loaded beside other files is what they are reasoned with: it is
        # staged first and its terminology handed on (the registered one is about to go).
        first = sorted(range(len(plans)), key=lambda i: plans[i].targets[""] != ontology_iri)
        ontology_tbox: list[Quad] | None = None
        with self.writing():
            try:
                for index in first:
                    done = self._stage(plans[index], registered, progress, origin, ontology_tbox)
                    staged.append(done)
                    if done.is_ontology:
                        ontology_tbox = [
                            Quad(q.subject, q.predicate, q.object, ontology_iri)
                            for q in self._staged_tbox(done.physical[""])
                        ]
                # reports in the order the files were given
                staged = [staged[first.index(i)] for i in range(len(plans))]
                # one transaction makes every file visible, or none
                self._commit_load(staged, registered, bundled)
            except BaseException:
                for done in staged:
                    for graph in done.written:
                        with contextlib.suppress(OSError):
                            self._db.remove_graph(graph)
                raise
            finally:
                self._forget_registry()
                if any(done.is_ontology for done in staged):
                    self._terminology = None
        return [done.report() for done in staged]

    def _plan(
        self,
        path: Path,
        shown: str,
        name: str | None,
        format: str | None,
        replace: bool,
        registered: dict[str, GraphInfo],
    ) -> _LoadPlan:
        if not path.is_file():
            raise BadInput(_("{path}: no such file", path=shown))
        rdf_format = format_for(shown, format)
        _reject_binary(path, shown)
        if rdf_format == ox.RdfFormat.RDF_XML:
            check_rdfxml(path, shown)  # entity bombs and deep nesting, before the parser
        base_iri = path.resolve().as_uri()
        default_target = graph_iri(name or Path(shown).stem)
        total, tbox_quads, file_graphs = 0, list[Quad | Triple](), set[str]()
        # A file that can name graphs is read once first to learn them (they decide where its
        # statements go); any other is checked by the engine's own parse as it is written.
        checked = self.remote or rdf_format in _DATASET_FORMATS
        if checked:
            total, tbox_quads, file_graphs = self._check_parse(path, shown, rdf_format, base_iri)
        targets: dict[str, NamedNode] = {"": default_target}
        for iri in sorted(file_graphs):
            targets[iri] = NamedNode(iri)
        for target in targets.values():
            if target.value.startswith(STORE_NS):
                raise BadInput(
                    f"{shown}: graph <{target.value}> belongs to the store's own bookkeeping; "
                    "load it under another name"
                )
        existing = tuple(iri.value for iri in targets.values() if iri.value in registered)
        if existing and not replace:
            first = graph_name(existing[0])
            raise GraphExists(
                f"{shown}: graph '{first}' is already loaded; "
                f"drop it first (hilos drop {first}) or load with --replace"
            )
        size = path.stat().st_size
        return _LoadPlan(
            path, shown, rdf_format, base_iri, total, size, checked, tbox_quads, targets, existing
        )

    def _stage(
        self,
        plan: _LoadPlan,
        registered: dict[str, GraphInfo],
        progress: Progress | None,
        origin: tuple[str, str] | None,
        ontology_tbox: list[Quad] | None = None,
    ) -> _Staged:
        """Write a planned file and its inferences into graphs no query sees yet, reasoned
        with the registered ontology, or with `ontology_tbox` (a new one staged beside it)."""
        physical: dict[str, NamedNode] = {}
        inferred: dict[str, NamedNode] = {}
        for key, target in plan.targets.items():
            staged = target.value in registered or self._db.contains_named_graph(target)
            physical[key] = NamedNode(_STAGING_BASE + uuid.uuid4().hex) if staged else target
            inferred[key] = NamedNode(_INFERRED_BASE + uuid.uuid4().hex)
        is_ontology = plan.targets[""] == graph_iri(ONTOLOGY_GRAPH_NAME)
        written = list(physical.values()) + list(inferred.values())
        try:
            database = self._db
            if isinstance(database, RemoteDatabase):
                self._write_streamed(plan, physical, inferred, progress, ontology_tbox)
            else:
                self._write_asserted(database, plan, physical, progress)
                counts = {key: self._count(graph) for key, graph in physical.items()}
                if not any(counts.values()):
                    raise ParseError(plan.shown, _("contains no RDF statements"))
                tbox = list(plan.tbox) if plan.checked else self._staged_tbox(physical[""])
                if not is_ontology:
                    ontology = (
                        self._ontology_tbox_quads() if ontology_tbox is None else ontology_tbox
                    )
                    tbox = [*ontology, *tbox]
                reasoner = Reasoner(Terminology.from_triples(tbox))
                for key, graph in physical.items():
                    reasoner.derive(database, graph, inferred[key], bulk=_bulk(plan))
            counts = {key: self._count(graph) for key, graph in physical.items()}
            inferred_counts = {key: self._count(graph) for key, graph in inferred.items()}
        except BaseException as exc:
            for graph in written:
                with contextlib.suppress(OSError):
                    self._db.remove_graph(graph)
            if isinstance(exc, SyntaxError):
                raise _parse_error(plan.shown, exc) from None
            if isinstance(exc, OSError):
                raise StoreError(
                    f"{plan.shown}: could not be written to the store: {exc}"
                ) from None
            raise
        targets = dict(plan.targets)
        if len(targets) > 1 and counts[""] == 0:
            del targets[""]  # a dataset file whose statements all sit in named graphs
        return _Staged(
            plan=plan,
            targets=targets,
            physical=physical,
            inferred=inferred,
            counts=counts,
            inferred_counts=inferred_counts,
            source=origin[0] if origin else plan.shown,
            sha256=origin[1] if origin else resources.file_sha256(plan.path),
            is_ontology=is_ontology,
            written=tuple(written),
        )

    def _write_asserted(
        self,
        database: ox.Store,
        plan: _LoadPlan,
        physical: dict[str, NamedNode],
        progress: Progress | None,
    ) -> None:
        """The file's statements into their staged graphs, parsed and written by the engine.

        The engine gives the blank nodes of every parse fresh identifiers, so `_:b1` of one
        file is not `_:b1` of another. A file with named graphs of its own (checked before)
        is streamed instead, its graph names replaced by the staged ones.
        """
        bulk = _bulk(plan)
        if len(plan.targets) > 1:
            stream = _scoped_blank_nodes(
                _in_graphs(self._parse_checked(plan, progress), physical),
                "b" + uuid.uuid4().hex,
            )
            (database.bulk_extend if bulk else database.extend)(stream)
            return
        # Nothing written here is visible until the registering transaction, so the bulk
        # loader's lack of transactions costs nothing; it keeps memory flat on large files.
        write = database.bulk_load if bulk else database.load
        try:
            with _open_rdf(plan.path) as handle:
                source = _ProgressReader(handle, plan.size, progress)
                write(
                    cast("IO[bytes]", source),
                    plan.format,
                    base_iri=plan.base_iri,
                    to_graph=physical[""],
                )
                source.finish()
        except (UnicodeDecodeError, ValueError) as exc:
            raise ParseError(plan.shown, str(exc)) from None
        except MemoryError as exc:
            raise ParseError(
                plan.shown, f"a statement is longer than the parser's limit ({exc})"
            ) from None

    def _parse_checked(self, plan: _LoadPlan, progress: Progress | None) -> Iterator[Quad]:
        with _open_rdf(plan.path) as source:
            yield from _counting(
                ox.parse(source, format=plan.format, base_iri=plan.base_iri),
                plan.total,
                progress,
            )

    def _write_streamed(
        self,
        plan: _LoadPlan,
        physical: dict[str, NamedNode],
        inferred: dict[str, NamedNode],
        progress: Progress | None,
        ontology_tbox: list[Quad] | None = None,
    ) -> None:
        """The file and its inferences through Python, statement by statement: for a remote
        endpoint, which has no bulk loader to hand a file to."""
        is_ontology = plan.targets[""] == graph_iri(ONTOLOGY_GRAPH_NAME)
        ontology = self._ontology_tbox_quads() if ontology_tbox is None else ontology_tbox
        tbox = plan.tbox if is_ontology else [*ontology, *plan.tbox]
        reasoner = Reasoner(Terminology.from_triples(tbox))
        statements = self._parse_checked(plan, progress)
        stream = skolemise(
            _with_inferences(statements, physical, inferred, reasoner), uuid.uuid4().hex
        )
        self._db.extend(stream)
        for key, graph in physical.items():
            self._db.extend(
                Quad(t.subject, t.predicate, t.object, inferred[key])
                for t in reasoner.shortcut_triples(self._db, [graph, inferred[key]])
            )

    def _staged_tbox(self, graph: NamedNode) -> list[Quad | Triple]:
        """The terminology a staged graph declares (what `is_tbox` picks out of a file)."""
        predicates = " ".join(str(NamedNode(p)) for p in sorted(TBOX_PREDICATES))
        rows = solutions(
            self._db.query(
                f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ "
                f"{{ VALUES ?p {{ {predicates} }} ?s ?p ?o }} UNION "
                f"{{ ?s ?p ?o VALUES (?p ?o) {{ ({RDF_TYPE} {OWL.SymmetricProperty}) }} }} }} }}"
            )
        )
        return [Triple(row["s"], row["p"], row["o"]) for row in rows]

    def _ontology_tbox_quads(self) -> list[Quad]:
        onto = graph_iri(ONTOLOGY_GRAPH_NAME)
        if self.remote and ONTOLOGY_GRAPH_NAME not in {info.name for info in self.graphs()}:
            # An endpoint hilos did not fill: its data is read with the shipped vocabulary.
            return [q for q in ox.parse(path=resources.ontology_file()) if is_tbox(q)]
        quads = self._db.quads_for_pattern(None, None, None, onto)
        if self.remote:  # its blank nodes were given IRIs on the way in
            quads = unskolemise(quads)
        return [q for q in quads if is_tbox(q)]

    def _check_parse(
        self, path: Path, shown: str, rdf_format: ox.RdfFormat, base_iri: str
    ) -> tuple[int, list[Quad | Triple], set[str]]:
        """Parse the whole file once without storing it: count, terminology, graph names."""
        total = 0
        tbox: list[Quad | Triple] = []
        graphs: set[str] = set()
        try:
            with _open_rdf(path) as source:
                for quad in ox.parse(source, format=rdf_format, base_iri=base_iri):
                    total += 1
                    if is_tbox(quad):
                        tbox.append(quad)
                    graph = quad.graph_name
                    if isinstance(graph, NamedNode):
                        graphs.add(graph.value)
                    elif not isinstance(graph, DefaultGraph):
                        raise ParseError(shown, "blank-node graph names are not supported")
        except SyntaxError as exc:
            raise _parse_error(shown, exc) from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise ParseError(shown, str(exc)) from None
        except MemoryError as exc:
            # Oxigraph's parser holds one statement in a buffer of at most 16 MB.
            raise ParseError(
                shown, f"statement {total + 1} is longer than the parser's limit ({exc})"
            ) from None
        except OSError as exc:
            raise BadInput(_("{path}: cannot be read: {reason}", path=shown, reason=exc)) from None
        if total == 0:
            raise ParseError(shown, _("contains no RDF statements"))
        return total, tbox, graphs

    def _count(self, graph: NamedNode) -> int:
        rows = solutions(
            self._db.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=[graph])
        )
        for row in rows:
            return int(row["n"].value)
        return 0

    def _commit_load(
        self,
        staged: Sequence[_Staged],
        registered: dict[str, GraphInfo],
        bundled: bool,
    ) -> None:
        """Make the new graphs visible in one transaction, replacing any old ones."""
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        operations: list[str] = []
        for done in staged:
            for key, target in done.targets.items():
                old = registered.get(target.value)
                operations += self._forget(target)
                if done.physical[key] != target:
                    operations.append(f"DROP SILENT GRAPH {target}")
                    operations.append(f"MOVE SILENT GRAPH {done.physical[key]} TO {target}")
                if old is not None:
                    operations.append(f"DROP SILENT GRAPH {NamedNode(old.inferred_iri)}")
                entry = _registry_entry(
                    target,
                    done.inferred[key],
                    source=done.source,
                    sha256=done.sha256,
                    loaded_at=now.isoformat(),
                    triples=done.counts[key],
                    inferred_triples=done.inferred_counts[key],
                    bundled=bundled,
                )
                operations.append(self._record(entry))
        self._db.update(" ;\n".join(operations))

    def rematerialise(self, name: str) -> None:
        """Derive a loaded graph's inferences again (after the ontology changed)."""
        info = self.graph(name)
        asserted = NamedNode(info.iri)
        fresh = NamedNode(_INFERRED_BASE + uuid.uuid4().hex)
        reasoner = Reasoner(self.terminology())
        with self.writing():
            self._rematerialise_into(info, asserted, fresh, reasoner)

    def _rematerialise_into(
        self, info: GraphInfo, asserted: NamedNode, fresh: NamedNode, reasoner: Reasoner
    ) -> None:
        try:
            if isinstance(self._db, ox.Store):
                reasoner.derive(self._db, asserted, fresh)
            else:
                self._db.extend(
                    Quad(t.subject, t.predicate, t.object, fresh)
                    for quad in self._db.quads_for_pattern(None, None, None, asserted)
                    for t in reasoner.infer_from_triple(quad)
                )
                self._db.extend(
                    Quad(t.subject, t.predicate, t.object, fresh)
                    for t in reasoner.shortcut_triples(self._db, [asserted, fresh])
                )
            count = self._count(fresh)
            entry = _registry_entry(
                asserted,
                fresh,
                source=info.source,
                sha256=info.sha256,
                loaded_at=info.loaded_at,
                triples=info.triples,
                inferred_triples=count,
                bundled=info.bundled,
            )
            self._db.update(
                " ;\n".join(
                    [
                        f"DROP SILENT GRAPH {NamedNode(info.inferred_iri)}",
                        *self._forget(asserted),
                        self._record(entry),
                    ]
                )
            )
        except BaseException:
            with contextlib.suppress(OSError):
                self._db.remove_graph(fresh)
            raise
        finally:
            self._forget_registry()

    def drop(self, name: str) -> GraphInfo:
        """Remove a loaded graph and everything derived from it, in one transaction."""
        info = self.graph(name)
        if info.name == ONTOLOGY_GRAPH_NAME:
            raise BadInput("the ontology cannot be dropped: every other graph depends on it")
        asserted = NamedNode(info.iri)
        self._db.update(
            " ;\n".join(
                [
                    *self._forget(asserted),
                    f"DROP SILENT GRAPH {asserted}",
                    f"DROP SILENT GRAPH {NamedNode(info.inferred_iri)}",
                ]
            )
        )
        self._forget_registry()
        return info

    # ---------------------------------------------------------------- reading

    def visible_graphs(
        self, names: Sequence[str] | None = None, *, inferred: bool = True, ontology: bool = True
    ) -> list[NamedNode]:
        """The graphs a default graph made of `names` is read from: all loaded ones, or those
        named (by short name or IRI; an unknown one raises `UnknownGraph`) plus the ontology
        unless `ontology` is false, each with its inferences unless `inferred` is false."""
        infos = self.graphs()
        if names:
            wanted = {graph_iri(name).value for name in names}
            unknown = wanted - {info.iri for info in infos}
            if unknown:
                self.graph(graph_name(sorted(unknown)[0]))  # raises UnknownGraph
            if ontology:
                # The vocabulary applies whatever data is chosen: labels of classes, statuses…
                wanted.add(graph_iri(ONTOLOGY_GRAPH_NAME).value)
            infos = [info for info in infos if info.iri in wanted]
        visible: list[NamedNode] = []
        for info in infos:
            visible.append(NamedNode(info.iri))
            if inferred:
                visible.append(NamedNode(info.inferred_iri))
        return visible

    def loaded_graph(self, name: str) -> GraphInfo | None:
        """The loaded graph called `name` (a short name or an IRI, bare or in `<…>`), or None
        for anything else: an unknown graph, an internal one, a malformed name."""
        try:
            iri = graph_iri(name).value
        except BadInput:
            return None
        return next((info for info in self.graphs() if info.iri == iri), None)

    def dataset(
        self,
        sparql: str,
        *,
        graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        inferred: bool = True,
        ontology: bool = False,
        base_iri: str | None = None,
    ) -> Dataset:
        """The dataset a query runs on, by the rules of the SPARQL 1.1 Protocol (§2.1.4): the
        graphs given (`graphs`, `named_graphs`: the protocol's `default-graph-uri` and
        `named-graph-uri`) win over the query's `FROM` and `FROM NAMED`; with neither, the
        default graph is the union of every loaded graph and every loaded graph is named.

        A graph in the default graph brings what the reasoner derived from it (unless
        `inferred` is false), never the ontology or another graph (unless `ontology`: for
        analyses that need the vocabulary); a named graph is the graph as loaded. Given
        graphs must be loaded (`UnknownGraph`); with `graphs` alone, they are named too.
        In `FROM` and `FROM NAMED`, a graph that is not loaded (or is internal) is empty.
        """
        if graphs or named_graphs is not None:
            default = [self.graph(name) for name in graphs or ()]
            named = (
                [self.graph(name) for name in named_graphs]
                if named_graphs is not None
                else list(default)
            )
            return self._dataset_of(default, named, inferred=inferred, ontology=ontology)
        clauses = dataset_clauses(sparql)
        if clauses:
            default_iris, named_iris = self._clause_iris(clauses, base_iri)
            loaded = {info.iri: info for info in self.graphs()}
            return self._dataset_of(
                [loaded[iri] for iri in default_iris if iri in loaded],
                [loaded[iri] for iri in named_iris if iri in loaded],
                inferred=inferred,
                ontology=ontology,
                unknown=tuple(iri for iri in (*default_iris, *named_iris) if iri not in loaded),
            )
        return self._dataset_of(self.graphs(), self.graphs(), inferred=inferred, union=True)

    def _dataset_of(
        self,
        default: Sequence[GraphInfo],
        named: Sequence[GraphInfo],
        *,
        inferred: bool,
        ontology: bool = False,
        union: bool = False,
        unknown: tuple[str, ...] = (),
    ) -> Dataset:
        chosen = list(dict.fromkeys(default))
        if ontology and chosen:
            chosen += [
                info
                for info in self.graphs()
                if info.name == ONTOLOGY_GRAPH_NAME and info not in chosen
            ]
        graphs: list[NamedNode] = []
        for info in chosen:
            graphs.append(NamedNode(info.iri))
            if inferred:
                graphs.append(NamedNode(info.inferred_iri))
        return Dataset(
            default=tuple(graphs),
            named=tuple(dict.fromkeys(NamedNode(info.iri) for info in named)),
            union=union and inferred,
            unknown=unknown,
        )

    def _clause_iris(
        self, clauses: DatasetClauses, base_iri: str | None
    ) -> tuple[list[str], list[str]]:
        """The IRIs of a query's FROM and FROM NAMED clauses, as the engine reads them (its
        prologue's BASE and prefixes, the usual prefixes, the base IRI)."""
        tokens = [*clauses.default, *clauses.named]
        probe = f"{clauses.prologue}\nSELECT ?g WHERE {{ VALUES ?g {{ {' '.join(tokens)} }} }}"
        try:
            rows = list(solutions(ox.Store().query(probe, prefixes=PREFIXES, base_iri=base_iri)))
        except (SyntaxError, RuntimeError, ValueError):
            return [], []  # the query itself will say what is wrong with it
        iris = [row["g"].value if row["g"] is not None else "" for row in rows]
        if len(iris) != len(tokens):
            return [], []
        return iris[: len(clauses.default)], iris[len(clauses.default) :]

    def query(
        self,
        sparql: str,
        *,
        bindings: dict[str, Any] | None = None,
        graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        inferred: bool = True,
        ontology: bool = False,
        base_iri: str | None = None,
        derived_by_name: bool = False,
    ) -> Answer:
        """Run a SPARQL query over the loaded graphs.

        `bindings` maps variable names (without `?`) to RDF terms; the engine substitutes them
        (they must appear in the SELECT clause). The usual prefixes (`hilos:`, `hid:`, `rdfs:`,
        `skos:`, `prov:`…) may be used without declaring them. With `inferred=False` the query
        sees only what was loaded, not what the reasoner derived from it. The dataset follows
        the SPARQL 1.1 Protocol (see `dataset`): `graphs` and `named_graphs` (by short name or
        IRI), else the query's `FROM` and `FROM NAMED`, else every loaded graph; a graph in
        the default graph comes with its inferences, not with the ontology unless `ontology`.
        Relative IRIs in the query resolve against `base_iri`. With `derived_by_name` (for
        hilos's own analyses that ask which graph a statement came from), the graphs of derived
        statements are named too, by their internal IRIs (`GraphInfo.inferred_iri`).
        """
        dataset = self.dataset(
            sparql,
            graphs=graphs,
            named_graphs=named_graphs,
            inferred=inferred,
            ontology=ontology,
            base_iri=base_iri,
        )
        visible: list[NamedNode | BlankNode | DefaultGraph] = list(dataset.default)
        named: list[NamedNode | BlankNode] = list(dataset.named)
        if derived_by_name:
            named += [
                NamedNode(info.inferred_iri)
                for info in self.graphs()
                if NamedNode(info.iri) in dataset.named
            ]
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        if substitutions and not self.remote:
            # As on an endpoint, the values open the WHERE clause, where the planner sees them:
            # Oxigraph substitutes after planning, so a pattern that a bound entity would make
            # a lookup is planned as a scan (the sources of one entity: 235 ms -> 1 ms on
            # 10,000 generated entities). Blank nodes cannot be written; they are substituted.
            inline = sparql_with_values(sparql, substitutions)
            if inline is not None:
                sparql, substitutions = inline, {}

        def run(**scope: Any) -> Answer:
            return self._db.query(
                sparql,
                prefixes=PREFIXES,
                substitutions=substitutions or None,
                base_iri=base_iri,
                **scope,
            )

        try:
            if self.remote:
                if dataset.union and not visible:
                    return run()  # an endpoint without hilos's registry: its own dataset
                return run(default_graph=visible, named_graphs=named)
            if dataset.union:
                with self._gate:
                    begun = self._writes_begun
                    union = self._union_is_registered()
                if union:
                    answer = run(use_default_graph_as_union=True, named_graphs=named)
                    # Oxigraph reads the snapshot taken as the query starts: if no write began
                    # before that, it holds registered graphs only. Otherwise (rare: a load in
                    # another thread) the query runs again on the registered graphs by name.
                    if self._writes_begun == begun:
                        return answer
            return run(default_graph=visible, named_graphs=named)
        except SyntaxError as exc:
            raise QueryError(_sparql_syntax_error(sparql, str(exc))) from None
        except RuntimeError as exc:
            message = str(exc)
            if "SELECT projection" in message:
                raise QueryError(
                    f"{message}: a bound parameter must be listed in the SELECT clause"
                ) from None
            raise QueryError(f"the query failed: {message}") from None
        except OSError as exc:
            raise StoreError(f"the store could not be read: {exc}") from None

    def quads(
        self, graphs: Sequence[str] | None = None, *, inferred: bool = False
    ) -> Iterator[Quad]:
        """The statements of the loaded graphs (derived ones only if `inferred`), each in the
        named graph it was loaded into."""
        infos = self.graphs()
        if graphs:
            wanted = {graph_iri(name).value for name in graphs}
            for name in graphs:
                self.graph(name)
            infos = [info for info in infos if info.iri in wanted]
        for info in infos:
            target = NamedNode(info.iri)
            yield from self._db.quads_for_pattern(None, None, None, target)
            if inferred:
                for quad in self._db.quads_for_pattern(
                    None, None, None, NamedNode(info.inferred_iri)
                ):
                    yield Quad(quad.subject, quad.predicate, quad.object, target)

    def export(
        self,
        rdf_format: str,
        output: IO[bytes],
        *,
        graphs: Sequence[str] | None = None,
        inferred: bool = False,
    ) -> int:
        """Serialise the loaded graphs (or those named) and return how many statements.

        N-Quads and TriG keep each statement in its graph, and so does JSON-LD when more than
        one graph is written (a `@graph` per named graph); Turtle, N-Triples, N3 and RDF/XML
        merge the graphs. Blank nodes are labelled so that every syntax accepts them
        (`hilos.rdfsyntax`), whatever version of hilos made the store.
        """
        fmt = format_for("", rdf_format)
        several = len(set(graphs)) > 1 if graphs else len(self.graphs()) > 1
        keeps_graphs = fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) or (
            fmt == ox.RdfFormat.JSON_LD and several
        )
        count = 0

        def counted(items: Iterable[T]) -> Iterator[T]:
            nonlocal count
            for item in items:
                count += 1
                yield item

        quads = portable_quads(self.quads(graphs, inferred=inferred))
        if keeps_graphs:
            ox.serialize(counted(quads), output, fmt, prefixes=PREFIXES)
        else:
            triples = (Triple(q.subject, q.predicate, q.object) for q in quads)
            ox.serialize(counted(triples), output, fmt, prefixes=PREFIXES)
        return count


def solutions(answer: Answer) -> ox.QuerySolutions:
    """The solutions of a SELECT query (anything else is a `QueryError`)."""
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    return answer


def _sparql_syntax_error(sparql: str, message: str) -> str:
    """A readable one-line account of a SPARQL syntax error, naming where it is."""
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return _("SPARQL syntax error: {reason}", reason=" ".join(message.split()))
    line, column, reason = int(match.group(1)), int(match.group(2)), match.group(3)
    if "Prefix not found" in reason:
        declared = set(PREFIXES) | set(re.findall(r"(?i)PREFIX\s+([\w-]*):", sparql))
        used = re.findall(r"(?<![\w<:/#?$])([A-Za-z][\w-]*):[\w-]", sparql)
        unknown = sorted({p for p in used if p not in declared})
        reason = (
            _("undeclared prefix {prefix}:", prefix=unknown[0])
            if unknown
            else _("undeclared prefix")
        )
    elif reason.startswith("expected one of"):
        reason = _("unexpected text")
    else:
        reason = " ".join(reason.split())
    lines = sparql.splitlines()
    near: str = _(" at the end of the query")
    if 0 < line <= len(lines):
        snippet = lines[line - 1][max(column - 1, 0) : column + 29].strip()
        near = _(" near '{text}'", text=snippet) if snippet else _(" at the end of the line")
    return _(
        "SPARQL syntax error at line {line}, column {column}: {reason}{near}",
        line=line,
        column=column,
        reason=reason,
        near=near,
    )


def _registry_entry(
    target: NamedNode,
    inferred: NamedNode,
    *,
    source: str,
    sha256: str,
    loaded_at: str,
    triples: int,
    inferred_triples: int,
    bundled: bool,
) -> str:
    values = [
        (STORE.name, Literal(graph_name(target.value))),
        (STORE.inferred, inferred),
        (STORE.source, Literal(source)),
        (STORE.sha256, Literal(sha256)),
        (STORE.loadedAt, Literal(loaded_at, datatype=XSD.dateTime)),
        (STORE.triples, Literal(triples)),
        (STORE.inferredTriples, Literal(inferred_triples)),
        (STORE.bundled, Literal(bundled)),
    ]
    body = " ; ".join(f"{p} {o}" for p, o in values)
    return f"{target} a {STORE.Graph} ; {body} ."


@functools.lru_cache(maxsize=4096)
def _entry_triples(entry: NamedNode) -> tuple[Triple, ...]:
    """The statements a registry entry's name spells out."""
    text = unquote(entry.value[len(_ENTRY_BASE) :])
    return tuple(
        Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    )


_BOM = b"\xef\xbb\xbf"


@contextlib.contextmanager
def _open_rdf(path: Path) -> Iterator[IO[bytes]]:
    """The file opened for parsing, past a UTF-8 byte-order mark if it starts with one."""
    with path.open("rb") as handle:
        if handle.read(len(_BOM)) != _BOM:
            handle.seek(0)
        yield handle


def _readable(path: str | os.PathLike[str]) -> str:
    """A path as it can be shown and recorded: bytes that are not UTF-8 (a file name from a
    Latin-1 archive) become U+FFFD; the file itself is still opened by its real name."""
    return os.fsencode(path).decode("utf-8", "replace")


def _reject_binary(path: Path, shown: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(8192)
    if b"\x00" in head:
        raise ParseError(shown, _("is a binary file, not RDF text"))


def _parse_error(shown: str, exc: SyntaxError) -> ParseError:
    message = exc.msg or str(exc)
    # pyoxigraph puts the position before the reason; ParseError states it once.
    if message.startswith("Parser error") and ": " in message:
        message = message.split(": ", 1)[1]
    return ParseError(shown, message, exc.lineno, exc.offset)


def _with_inferences(
    statements: Iterable[Quad],
    physical: dict[str, NamedNode],
    inferred: dict[str, NamedNode],
    reasoner: Reasoner,
) -> Iterator[Quad]:
    """Each parsed statement in the graph it is written to, followed by what it implies."""
    for quad in statements:
        graph = quad.graph_name
        key = graph.value if isinstance(graph, NamedNode) else ""
        yield Quad(quad.subject, quad.predicate, quad.object, physical[key])
        for derived in reasoner.infer_from_triple(quad):
            yield Quad(derived.subject, derived.predicate, derived.object, inferred[key])


def _scoped_blank_nodes(stream: Iterable[Quad], salt: str) -> Iterator[Quad]:
    """The statements with their blank nodes relabelled for this load: a blank node belongs to
    the file it comes from, so `_:b1` of one file is not `_:b1` of another.

    The salt starts with a letter, so a label such as `_:b1` stays a name every syntax takes
    (RDF/XML's `rdf:nodeID` is an XML name, which cannot start with a digit). Stores made by
    earlier versions used plain hex; their output is made valid by `hilos.rdfsyntax`.
    """
    for quad in stream:
        subject, obj = quad.subject, quad.object
        if isinstance(subject, BlankNode) or isinstance(obj, BlankNode):
            if isinstance(subject, BlankNode):
                subject = BlankNode(salt + subject.value)
            if isinstance(obj, BlankNode):
                obj = BlankNode(salt + obj.value)
            quad = Quad(subject, quad.predicate, obj, quad.graph_name)
        yield quad


def _bulk(plan: _LoadPlan) -> bool:
    """Whether a file is big enough for the bulk loader."""
    if plan.checked:
        return plan.total > BULK_THRESHOLD
    return plan.size > BULK_THRESHOLD * _BYTES_PER_STATEMENT


def _in_graphs(statements: Iterable[Quad], physical: dict[str, NamedNode]) -> Iterator[Quad]:
    """Each statement in the staged graph standing for the graph it names."""
    for quad in statements:
        graph = quad.graph_name
        key = graph.value if isinstance(graph, NamedNode) else ""
        yield Quad(quad.subject, quad.predicate, quad.object, physical[key])


class _ProgressReader(io.RawIOBase):
    """A binary file handed to the engine's parser, reporting the bytes it has read."""

    def __init__(self, handle: IO[bytes], size: int, progress: Progress | None) -> None:
        super().__init__()
        self._handle = cast(io.BufferedReader, handle)
        self._size = size
        self._every = _PROGRESS_EVERY * _BYTES_PER_STATEMENT
        self._progress = progress if size >= self._every else None
        self._done = handle.tell()
        self._next = self._done + max(self._every, _QUIET_BYTES)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        read = self._handle.readinto(buffer)
        self._done += read
        if self._progress is not None and self._done >= self._next:
            self._next = self._done + self._every
            self._progress(min(self._done, self._size), self._size)
        return read

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self._size, self._size)


def _counting(stream: Iterable[Quad], total: int, progress: Progress | None) -> Iterator[Quad]:
    if progress is None or total < _PROGRESS_EVERY:
        yield from stream
        return
    done = 0
    for done, quad in enumerate(stream, 1):
        yield quad
        if done % _PROGRESS_EVERY == 0:
            progress(min(done, total), total)
    progress(total, total)
