"""The RDF store: Oxigraph on disk (or in memory) or a remote SPARQL endpoint, with hilos's
bookkeeping. This module is the facade (`Store`); the package holds one responsibility per
module:

- `database`: the lowest layer, what every database answers (the `Database` protocol);
- `backend`: what the facade needs of a database (the `Backend` protocol), with one
  implementation in `embedded` (Oxigraph) and one in `remote` (a SPARQL 1.1 endpoint);
- `view`: look-ups of the statements a query sees (`StoreView`, from `Store.view`), answered
  by the indexes (`indexes`) or by SPARQL at an endpoint (`remote_view`), so no module above
  the store asks which kind of store it holds;
- `values`: terms written into a query as a `VALUES` block;
- `registry`: graph names and what is recorded about every loaded graph;
- `loading`: plan a file, check its parse, stage it with its inferences, commit;
- `reasoner`: the inferences the queries rely on;
- `updates`: SPARQL Update that keeps the bookkeeping true.

Every loaded file lives in a named graph of its own; the triples the reasoner derives from it
live in a companion graph, so `drop` removes both and nothing else. A registry records what was
loaded, from where, and when. Queries see the union of the registered graphs (asserted and
derived) as their default graph, so a graph that is half-written is never visible.

The same bookkeeping runs on a remote SPARQL 1.1 endpoint (`Store.connect`), which stands in for
the Oxigraph database; an endpoint that hilos never wrote to (no registry) is queried as its
server presents it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from .. import resources
from ..errors import BadInput, ParseError, QueryError, StoreError, StoreLocked, UnknownGraph
from ..errors import message as _
from ..namespaces import PREFIXES, STORE
from ..rdfsyntax import portable_quads
from ..sparql.lexer import DatasetClauses, dataset_clauses
from . import loading
from .backend import Answer, Backend, Progress, QueryScope, solutions
from .embedded import EmbeddedBackend
from .loading import (
    BULK_THRESHOLD,
    FORMATS,
    LoadPlan,
    LoadReport,
    Staged,
    StagingGraphs,
    format_for,
)
from .reasoner import Reasoner, Terminology, is_tbox
from .registry import (
    CURATED_PREFIX,
    GRAPH_BASE,
    INFERRED_BASE,
    ONTOLOGY_GRAPH_NAME,
    REGISTRY_GRAPH,
    THIS_STORE,
    GraphInfo,
    graph_iri,
    graph_name,
    read_registry,
    registry_entry,
    short_id,
)
from .registry import FORMAT_VERSION as _FORMAT_VERSION
from .registry import META as _META
from .remote import RemoteBackend, RemoteDatabase
from .view import StoreView

__all__ = [
    "BULK_THRESHOLD",
    "CURATED_PREFIX",
    "FORMATS",
    "GRAPH_BASE",
    "ONTOLOGY_GRAPH_NAME",
    "REGISTRY_GRAPH",
    "Answer",
    "Backend",
    "Database",
    "Dataset",
    "GraphInfo",
    "LoadReport",
    "Progress",
    "Store",
    "StoreView",
    "default_store_path",
    "format_for",
    "graph_iri",
    "graph_name",
    "short_id",
    "solutions",
]

T = TypeVar("T")
Database = ox.Store | RemoteDatabase


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
    """The hilos store: a database with the ontology and the curated graph loaded.

    >>> store = Store.in_memory()
    >>> "ontology" in [g.name for g in store.graphs()]
    True
    """

    def __init__(self, database: Database | Backend, path: Path | None) -> None:
        if isinstance(database, ox.Store):
            database = EmbeddedBackend(database)
        elif isinstance(database, RemoteDatabase) and not isinstance(database, RemoteBackend):
            raise TypeError("a remote database is opened with Store.connect")
        self.backend: Backend = database
        self._db: Any = database.database if isinstance(database, EmbeddedBackend) else database
        self.path = path
        self.endpoint = database.endpoint
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
        store.backend.open_checks()
        store._forget_registry()
        store.sync_bundle(progress=progress)
        return store

    @classmethod
    def connect(
        cls, url: str, *, update_url: str | None = None, timeout: float | None = None
    ) -> Store:
        """The store held by the SPARQL 1.1 endpoint at `url` (updates at `update_url`).

        Connecting writes nothing: reading commands never change a shared server. Credentials
        come from the environment (see `hilos.store.remote`). Several clients may use one
        endpoint; it has no lock, so two loads into the same graph at once are the server's
        to order.
        """
        return cls(RemoteBackend(url, update_url=update_url, timeout=timeout), None)

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
            self.backend.flush()
        self._db = None
        self.backend = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def database(self) -> ox.Store:
        """The underlying pyoxigraph store (for what hilos does not wrap)."""
        return self.backend.embedded()

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
        if not self.graphs() and (missing := self.backend.no_registry(name)) is not None:
            raise missing
        known = ", ".join(info.name for info in self.graphs()) or "none"
        raise UnknownGraph(
            _("no graph named '{name}' is loaded (loaded: {known})", name=name, known=known)
        )

    def _forget_registry(self) -> None:
        self._registry_generation += 1
        self._registry_cache = None

    def query_registry(self, sparql: str) -> Answer:
        """Run a query on the registry graph alone (named REGISTRY_GRAPH in the query), as a
        client of `hilos serve` reads the graphs the store holds."""
        database = self.backend.registry_database()
        try:
            answer: Answer = database.query(sparql, prefixes=PREFIXES, named_graphs=[_META])
            return answer
        except SyntaxError as exc:
            raise QueryError(_sparql_syntax_error(sparql, str(exc))) from None

    def _read_registry(self) -> list[GraphInfo]:
        return read_registry(self.backend.registry_database())

    def _registry_value(self, predicate: str) -> str | None:
        for triple in self.backend.registry_statements(THIS_STORE, STORE[predicate]):
            if isinstance(triple.object, Literal):
                return triple.object.value
        return None

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

    def _writes_mark(self) -> int | None:
        """How many writes began in this process, or None while one is in progress."""
        with self._gate:
            return None if self._writers else self._writes_begun

    def _no_write_since(self, mark: int) -> bool:
        return self._writes_begun == mark

    # ------------------------------------------------------------ terminology

    def terminology(self) -> Terminology:
        """The classes and properties of the loaded ontology, as the reasoner sees them."""
        if self._terminology is None:
            self._terminology = Terminology.from_triples(self._ontology_tbox_quads())
        return self._terminology

    def _ontology_tbox_quads(self) -> list[Quad]:
        registered = ONTOLOGY_GRAPH_NAME in {info.name for info in self.graphs()}
        statements = self.backend.ontology_statements(graph_iri(ONTOLOGY_GRAPH_NAME), registered)
        return [q for q in statements if is_tbox(q)]

    def _reasoner_for(self, ontology_tbox: list[Quad] | None, is_ontology: bool) -> Any:
        """What builds the reasoner of a staged graph from the terminology it declares: with
        the registered ontology, or with `ontology_tbox` (a new one staged beside it)."""

        def build(declared: list[Quad | Triple]) -> Reasoner:
            tbox = list(declared)
            if not is_ontology:
                ontology = self._ontology_tbox_quads() if ontology_tbox is None else ontology_tbox
                tbox = [*ontology, *tbox]
            return Reasoner(Terminology.from_triples(tbox))

        return build

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
            f"{THIS_STORE} {STORE.bundle} {Literal(digest)} ;"
            f" {STORE.formatVersion} {Literal(_FORMAT_VERSION)} ."
        )
        self.backend.update(
            " ;\n".join([*self.backend.forget(THIS_STORE), self.backend.record(stamp)])
        )
        self._forget_registry()
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
            self._plan(Path(src), loading.readable(src), name, format, replace, registered)
            for src in sources
        ]
        _check_distinct_targets(plans)
        ontology_iri = graph_iri(ONTOLOGY_GRAPH_NAME)
        # A new ontology loaded beside other files is what they are reasoned with: it is
        # staged first and its terminology handed on (the registered one is about to go).
        first = sorted(range(len(plans)), key=lambda i: plans[i].targets[""] != ontology_iri)
        staged: list[Staged] = []
        ontology_tbox: list[Quad] | None = None
        with self._all_or_nothing(staged):
            for index in first:
                done = self._stage(plans[index], registered, progress, origin, ontology_tbox)
                staged.append(done)
                if done.is_ontology:
                    ontology_tbox = [
                        Quad(q.subject, q.predicate, q.object, ontology_iri)
                        for q in loading.staged_tbox(self.backend, done.physical[""])
                    ]
            # reports in the order the files were given
            staged[:] = [staged[first.index(i)] for i in range(len(plans))]
            # one transaction makes every file visible, or none
            self._commit_load(staged, registered, bundled)
        return [done.report() for done in staged]

    def load_statements(
        self,
        statements: Iterable[Triple | Quad],
        *,
        name: str,
        replace: bool = False,
        origin: tuple[str, str | None] | None = None,
        progress: Progress | None = None,
        bundled: bool = False,
    ) -> LoadReport:
        """Load a stream of statements into the graph `name`, all or nothing, as `load` loads
        a file: the same registry entry, inferences, staging and safety against a kill, with
        no file and no second parse. A quad's own graph is ignored: all go to `name`.

        `origin` is (a description, a SHA-256) recorded as where the graph came from; a
        SHA-256 of None (or no `origin`) records the digest of the statements as N-Triples.
        If iterating `statements` raises, nothing is loaded and the error propagates; a
        stream with no statements raises `ParseError`.
        """
        registered = {info.iri: info for info in self.graphs()}
        plan = loading.plan_statements(name, replace=replace, registered=registered)
        digest = loading.Digest()
        stream = loading.counting_unknown(digest.through(statements), progress)
        graphs = StagingGraphs.allocate(self.backend, plan, registered)
        build = self._reasoner_for(None, plan.targets[""] == graph_iri(ONTOLOGY_GRAPH_NAME))

        def write() -> None:
            self.backend.stage_statements(
                stream, graphs.physical[""], graphs.inferred[""], build, BULK_THRESHOLD
            )
            if digest.count == 0:
                raise ParseError(name, _("contains no RDF statements"))

        staged: list[Staged] = []
        with self._all_or_nothing(staged):
            done = loading.stage(self.backend, plan, graphs, write, ("", ""))
            source, sha256 = origin if origin is not None else (name, None)
            staged.append(
                dataclasses.replace(done, source=source, sha256=sha256 or digest.hexdigest())
            )
            self._commit_load(staged, registered, bundled)
        return staged[0].report()

    @contextlib.contextmanager
    def _all_or_nothing(self, staged: list[Staged]) -> Iterator[None]:
        """A write in progress whose staged graphs are removed again if it fails."""
        with self.writing():
            try:
                yield
            except BaseException:
                for done in staged:
                    for graph in done.written:
                        with contextlib.suppress(OSError):
                            self.backend.remove_graph(graph)
                raise
            finally:
                self._forget_registry()
                if any(done.is_ontology for done in staged):
                    self._terminology = None

    def _plan(
        self,
        path: Path,
        shown: str,
        name: str | None,
        format: str | None,
        replace: bool,
        registered: dict[str, GraphInfo],
    ) -> LoadPlan:
        if not path.is_file():
            raise BadInput(_("{path}: no such file", path=shown))
        rdf_format = format_for(shown, format)
        return loading.plan_file(
            path,
            shown,
            name,
            rdf_format,
            check=self.backend.check_parse_first(rdf_format),
            replace=replace,
            registered=registered,
            bulk_threshold=BULK_THRESHOLD,
        )

    def _stage(
        self,
        plan: LoadPlan,
        registered: dict[str, GraphInfo],
        progress: Progress | None,
        origin: tuple[str, str] | None,
        ontology_tbox: list[Quad] | None = None,
    ) -> Staged:
        """Write a planned file and its inferences into graphs no query sees yet."""
        graphs = StagingGraphs.allocate(self.backend, plan, registered)
        is_ontology = plan.targets[""] == graph_iri(ONTOLOGY_GRAPH_NAME)
        build = self._reasoner_for(ontology_tbox, is_ontology)

        def write() -> None:
            self.backend.stage_file(plan, graphs.physical, graphs.inferred, progress, build)

        if origin is None:
            assert plan.path is not None
            origin = (plan.shown, resources.file_sha256(plan.path))
        return loading.stage(self.backend, plan, graphs, write, origin)

    def _commit_load(
        self,
        staged: Sequence[Staged],
        registered: dict[str, GraphInfo],
        bundled: bool,
    ) -> None:
        """Make the new graphs visible in one transaction, replacing any old ones."""
        self.backend.update(loading.commit_operations(self.backend, staged, registered, bundled))

    def rematerialise(self, name: str) -> None:
        """Derive a loaded graph's inferences again (after the ontology changed)."""
        info = self.graph(name)
        asserted = NamedNode(info.iri)
        fresh = NamedNode(INFERRED_BASE + uuid.uuid4().hex)
        reasoner = Reasoner(self.terminology())
        with self.writing():
            self._rematerialise_into(info, asserted, fresh, reasoner)

    def _rematerialise_into(
        self, info: GraphInfo, asserted: NamedNode, fresh: NamedNode, reasoner: Reasoner
    ) -> None:
        try:
            self.backend.derive_again(reasoner, asserted, fresh)
            entry = registry_entry(
                asserted,
                fresh,
                source=info.source,
                sha256=info.sha256,
                loaded_at=info.loaded_at,
                triples=info.triples,
                inferred_triples=loading.count(self.backend, fresh),
                bundled=info.bundled,
            )
            self.backend.update(
                " ;\n".join(
                    [
                        f"DROP SILENT GRAPH {NamedNode(info.inferred_iri)}",
                        *self.backend.forget(asserted),
                        self.backend.record(entry),
                    ]
                )
            )
        except BaseException:
            with contextlib.suppress(OSError):
                self.backend.remove_graph(fresh)
            raise
        finally:
            self._forget_registry()

    def drop(self, name: str) -> GraphInfo:
        """Remove a loaded graph and everything derived from it, in one transaction."""
        info = self.graph(name)
        if info.name == ONTOLOGY_GRAPH_NAME:
            raise BadInput("the ontology cannot be dropped: every other graph depends on it")
        asserted = NamedNode(info.iri)
        self.backend.update(
            " ;\n".join(
                [
                    *self.backend.forget(asserted),
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

    def view(self, graphs: Sequence[str] | None = None, *, inferred: bool = True) -> StoreView:
        """The statements of the graphs a query sees (all loaded graphs, or those named with
        the ontology), with what was derived from them unless `inferred` is false, read by
        look-up: the embedded store's indexes, or SPARQL on an endpoint (`StoreView`)."""
        visible = self.visible_graphs(graphs, inferred=inferred)
        asserted = self.visible_graphs(graphs, inferred=False) if inferred else visible
        return self.backend.view(visible, asserted)

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
        # Built from the user's own query (its prologue and dataset IRIs): stays as code.
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
        scope = QueryScope(
            default=visible,
            named=named,
            union=dataset.union,
            registered=self._registered_iris(),
            begin=self._writes_mark,
            unchanged=self._no_write_since,
        )
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self.backend.run_query(sparql, substitutions, base_iri, scope)
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

    def _registered_iris(self) -> frozenset[str]:
        """The IRIs of every registered graph and of its inferences."""
        return frozenset(iri for info in self.graphs() for iri in (info.iri, info.inferred_iri))

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
            yield from self.backend.quads_for_pattern(None, None, None, target)
            if inferred:
                for quad in self.backend.quads_for_pattern(
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


def _check_distinct_targets(plans: Sequence[LoadPlan]) -> None:
    """No two files of one load may go to the same graph."""
    claimed: dict[str, str] = {}
    for plan in plans:
        for target in plan.targets.values():
            if target.value in claimed:
                raise BadInput(
                    f"{plan.shown} and {claimed[target.value]} would both load into graph "
                    f"'{graph_name(target.value)}'; give them different names"
                )
            claimed[target.value] = plan.shown


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
