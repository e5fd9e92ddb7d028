"""Loading: plan a file (check what it is, where it goes), stage it (write it and its
inferences into graphs no query sees yet), and commit (register every staged graph in one
transaction). The same staging takes a stream of statements instead of a file.

Files go through the engine's own parser and bulk loader; a file that can name graphs, or any
file bound for an endpoint, is parsed once first to learn its graphs and terminology.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple

from .. import sparql
from ..errors import BadInput, GraphExists, ParseError, StoreError
from ..errors import message as _
from ..namespaces import OWL, RDF_TYPE, STORE_NS
from ..xmlsafety import check_rdfxml
from .database import Database, Progress, solutions
from .reasoner import TBOX_PREDICATES, is_tbox
from .registry import (
    INFERRED_BASE,
    ONTOLOGY_GRAPH_NAME,
    STAGING_BASE,
    GraphInfo,
    graph_iri,
    graph_name,
    registry_entry,
)

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
DATASET_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD})

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
            "name it ({parameter}; known: {known})",
            path=path,
            parameter="rdf_format",
            suffix=suffix or _("(none)"),
            known=", ".join(FORMATS),
        )
    )


@dataclass(frozen=True)
class LoadPlan:
    """A file checked and ready to load (or a stream of statements: no `path`): where it
    goes and what it declares."""

    path: Path | None
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
    bulk: bool = False
    """Whether the file is big enough for the bulk loader."""


@dataclass(frozen=True)
class LoadReport:
    """What a load did."""

    path: str
    graphs: tuple[str, ...]
    triples: int
    inferred_triples: int
    replaced: tuple[str, ...]


@dataclass(frozen=True)
class Staged:
    """A file (or stream) written with its inferences into graphs not registered yet."""

    plan: LoadPlan
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


# ------------------------------------------------------------------------------ planning


def plan_file(
    path: Path,
    shown: str,
    name: str | None,
    rdf_format: ox.RdfFormat,
    *,
    check: bool,
    replace: bool,
    registered: dict[str, GraphInfo],
    bulk_threshold: int,
) -> LoadPlan:
    """Check a file (that it exists, is text, is safe to parse; with `check`, that it parses)
    and decide where its statements go."""
    if not path.is_file():
        raise BadInput(_("{path}: no such file", path=shown))
    _reject_binary(path, shown)
    if rdf_format == ox.RdfFormat.RDF_XML:
        check_rdfxml(path, shown)  # entity bombs and deep nesting, before the parser
    base_iri = path.resolve().as_uri()
    total, tbox_quads, file_graphs = 0, list[Quad | Triple](), set[str]()
    if check:
        total, tbox_quads, file_graphs = check_parse(path, shown, rdf_format, base_iri)
    targets: dict[str, NamedNode] = {"": graph_iri(name or Path(shown).stem)}
    for iri in sorted(file_graphs):
        targets[iri] = NamedNode(iri)
    existing = _claimable(shown, targets, registered, replace)
    size = path.stat().st_size
    bulk = total > bulk_threshold if check else size > bulk_threshold * _BYTES_PER_STATEMENT
    return LoadPlan(
        path, shown, rdf_format, base_iri, total, size, check, tbox_quads, targets, existing, bulk
    )


def plan_statements(name: str, *, replace: bool, registered: dict[str, GraphInfo]) -> LoadPlan:
    """Where a stream of statements goes: the graph `name`."""
    targets = {"": graph_iri(name)}
    existing = _claimable(name, targets, registered, replace)
    return LoadPlan(None, name, ox.RdfFormat.N_TRIPLES, "", 0, 0, False, [], targets, existing)


def _claimable(
    shown: str, targets: dict[str, NamedNode], registered: dict[str, GraphInfo], replace: bool
) -> tuple[str, ...]:
    """The targets already loaded (which `replace` must allow); none may be the store's own."""
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
            _(
                "{shown}: graph '{first}' is already loaded; "
                "drop it first (hilos drop {first}) or load with {parameter}",
                shown=shown,
                first=first,
                parameter="replace",
            )
        )
    return existing


def check_parse(
    path: Path, shown: str, rdf_format: ox.RdfFormat, base_iri: str
) -> tuple[int, list[Quad | Triple], set[str]]:
    """Parse the whole file once without storing it: count, terminology, graph names."""
    total = 0
    tbox: list[Quad | Triple] = []
    graphs: set[str] = set()
    try:
        with open_rdf(path) as source:
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
        raise parse_error(shown, exc) from None
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


# ------------------------------------------------------------------------------- staging


@dataclass
class StagingGraphs:
    """The graphs a plan is staged into: each target's asserted (`physical`: the target itself
    when it is new, else a staging graph) and derived companion."""

    physical: dict[str, NamedNode] = field(default_factory=dict)
    inferred: dict[str, NamedNode] = field(default_factory=dict)

    @classmethod
    def allocate(
        cls, backend: Database, plan: LoadPlan, registered: dict[str, GraphInfo]
    ) -> StagingGraphs:
        graphs = cls()
        for key, target in plan.targets.items():
            staged = target.value in registered or backend.contains_named_graph(target)
            graphs.physical[key] = NamedNode(STAGING_BASE + uuid.uuid4().hex) if staged else target
            graphs.inferred[key] = NamedNode(INFERRED_BASE + uuid.uuid4().hex)
        return graphs

    def written(self) -> list[NamedNode]:
        return [*self.physical.values(), *self.inferred.values()]


def stage(
    backend: Database,
    plan: LoadPlan,
    graphs: StagingGraphs,
    write: Any,
    origin: tuple[str, str],
) -> Staged:
    """Run `write()` (which fills `graphs`), count what it wrote, and describe the result;
    on any failure remove every graph it wrote, with the file's position in a parse error."""
    try:
        write()
        counts = {key: count(backend, graph) for key, graph in graphs.physical.items()}
        inferred_counts = {key: count(backend, graph) for key, graph in graphs.inferred.items()}
    except BaseException as exc:
        for graph in graphs.written():
            with contextlib.suppress(OSError):
                backend.remove_graph(graph)
        if isinstance(exc, SyntaxError):
            raise parse_error(plan.shown, exc) from None
        if isinstance(exc, OSError):
            raise StoreError(f"{plan.shown}: could not be written to the store: {exc}") from None
        raise
    targets = dict(plan.targets)
    if len(targets) > 1 and counts[""] == 0:
        del targets[""]  # a dataset file whose statements all sit in named graphs
    return Staged(
        plan=plan,
        targets=targets,
        physical=graphs.physical,
        inferred=graphs.inferred,
        counts=counts,
        inferred_counts=inferred_counts,
        source=origin[0],
        sha256=origin[1],
        is_ontology=plan.targets[""] == graph_iri(ONTOLOGY_GRAPH_NAME),
        written=tuple(graphs.written()),
    )


def staged_tbox(database: Database | ox.Store, graph: NamedNode) -> list[Quad | Triple]:
    """The terminology a staged graph declares (what `is_tbox` picks out of a file)."""
    # The VALUES list is the terminology's predicates and the graph is the caller's: a query
    # built from data, so it stays here rather than in a .rq file.
    predicates = " ".join(str(NamedNode(p)) for p in sorted(TBOX_PREDICATES))
    rows = solutions(
        database.query(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ "
            f"{{ VALUES ?p {{ {predicates} }} ?s ?p ?o }} UNION "
            f"{{ ?s ?p ?o VALUES (?p ?o) {{ ({RDF_TYPE} {OWL.SymmetricProperty}) }} }} }} }}"
        )
    )
    return [Triple(row["s"], row["p"], row["o"]) for row in rows]


def holds_statements(database: Database | ox.Store, graph: NamedNode) -> bool:
    """Whether a graph holds any statement: the first one found, not a count of a million."""
    answer = database.query(
        sparql.load("graph-exists"), named_graphs=[graph], substitutions={ox.Variable("g"): graph}
    )
    return bool(answer)


def count(database: Database | ox.Store, graph: NamedNode) -> int:
    """How many statements a graph holds."""
    rows = solutions(database.query(sparql.load("graph-size"), default_graph=[graph]))
    for row in rows:
        return int(row["n"].value)
    return 0


def commit_operations(
    backend: Database,
    staged: Sequence[Staged],
    registered: dict[str, GraphInfo],
    bundled: bool,
) -> str:
    """The one update that makes the staged graphs visible, replacing any old ones."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    operations: list[str] = []
    for done in staged:
        for key, target in done.targets.items():
            old = registered.get(target.value)
            operations += backend.forget(target)
            if done.physical[key] != target:
                operations.append(f"DROP SILENT GRAPH {target}")
                operations.append(f"MOVE SILENT GRAPH {done.physical[key]} TO {target}")
            if old is not None:
                operations.append(f"DROP SILENT GRAPH {NamedNode(old.inferred_iri)}")
            entry = registry_entry(
                target,
                done.inferred[key],
                source=done.source,
                sha256=done.sha256,
                loaded_at=now.isoformat(),
                triples=done.counts[key],
                inferred_triples=done.inferred_counts[key],
                bundled=bundled,
            )
            operations.append(backend.record(entry))
    return " ;\n".join(operations)


# ------------------------------------------------------------------------------- streams


def parse_checked(plan: LoadPlan, progress: Progress | None) -> Iterator[Quad]:
    """The statements of a file that was parsed once already (so it parses)."""
    assert plan.path is not None
    with open_rdf(plan.path) as source:
        yield from counting(
            ox.parse(source, format=plan.format, base_iri=plan.base_iri), plan.total, progress
        )


def with_inferences(
    statements: Iterable[Quad],
    physical: dict[str, NamedNode],
    inferred: dict[str, NamedNode],
    reasoner: Any,
) -> Iterator[Quad]:
    """Each parsed statement in the graph it is written to, followed by what it implies."""
    for quad in statements:
        graph = quad.graph_name
        key = graph.value if isinstance(graph, NamedNode) else ""
        yield Quad(quad.subject, quad.predicate, quad.object, physical[key])
        for derived in reasoner.infer_from_triple(quad):
            yield Quad(derived.subject, derived.predicate, derived.object, inferred[key])


def scoped_blank_nodes(stream: Iterable[Quad], salt: str) -> Iterator[Quad]:
    """The statements with their blank nodes relabelled for this load: a blank node belongs to
    the file it comes from, so `_:b1` of one file is not `_:b1` of another.

    The salt starts with a letter, so a label such as `_:b1` stays a name every syntax takes
    (RDF/XML's `rdf:nodeID` is an XML name, which cannot start with a digit). Stores made by
    earlier versions used plain hex; their output is made valid by `hilos.rdfsyntax`. A label
    that is already long (one relabelled by an earlier load) is replaced by a digest of it, so
    statements loaded again and again do not grow.
    """
    for quad in stream:
        subject, obj = quad.subject, quad.object
        if isinstance(subject, BlankNode) or isinstance(obj, BlankNode):
            if isinstance(subject, BlankNode):
                subject = BlankNode(salt + _label(subject.value))
            if isinstance(obj, BlankNode):
                obj = BlankNode(salt + _label(obj.value))
            quad = Quad(subject, quad.predicate, obj, quad.graph_name)
        yield quad


def _label(value: str) -> str:
    if len(value) <= 32:
        return value
    return hashlib.blake2b(value.encode("utf-8"), digest_size=12).hexdigest()


def in_graphs(statements: Iterable[Quad], physical: dict[str, NamedNode]) -> Iterator[Quad]:
    """Each statement in the staged graph standing for the graph it names."""
    for quad in statements:
        graph = quad.graph_name
        key = graph.value if isinstance(graph, NamedNode) else ""
        yield Quad(quad.subject, quad.predicate, quad.object, physical[key])


def into_graph(statements: Iterable[Triple | Quad], graph: NamedNode) -> Iterator[Quad]:
    """Statements (triples, or quads whose graph is ignored) as quads of `graph`."""
    for statement in statements:
        yield Quad(statement.subject, statement.predicate, statement.object, graph)


class Digest:
    """The SHA-256 of statements as N-Triples lines, taken as they stream past (what a file
    of them would hash to), and how many there were."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.count = 0

    def through(self, statements: Iterable[Triple | Quad]) -> Iterator[Triple | Quad]:
        for statement in statements:
            triple = Triple(statement.subject, statement.predicate, statement.object)
            self._hash.update(f"{triple} .\n".encode())
            self.count += 1
            yield statement

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class ProgressReader(io.RawIOBase):
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


def counting(stream: Iterable[Quad], total: int, progress: Progress | None) -> Iterator[Quad]:
    """The stream, reporting progress every `_PROGRESS_EVERY` statements out of `total`."""
    if progress is None or total < _PROGRESS_EVERY:
        yield from stream
        return
    done = 0
    for done, quad in enumerate(stream, 1):
        yield quad
        if done % _PROGRESS_EVERY == 0:
            progress(min(done, total), total)
    progress(total, total)


def counting_unknown(
    stream: Iterable[Triple | Quad], progress: Progress | None
) -> Iterator[Triple | Quad]:
    """The stream, reporting every `_PROGRESS_EVERY` statements (the total is not known)."""
    if progress is None:
        yield from stream
        return
    for done, statement in enumerate(stream, 1):
        yield statement
        if done % _PROGRESS_EVERY == 0:
            progress(done, 0)


# --------------------------------------------------------------------------------- files

_BOM = b"\xef\xbb\xbf"


@contextlib.contextmanager
def open_rdf(path: Path) -> Iterator[IO[bytes]]:
    """The file opened for parsing, past a UTF-8 byte-order mark if it starts with one."""
    with path.open("rb") as handle:
        if handle.read(len(_BOM)) != _BOM:
            handle.seek(0)
        yield handle


def readable(path: str | os.PathLike[str]) -> str:
    """A path as it can be shown and recorded: bytes that are not UTF-8 (a file name from a
    Latin-1 archive) become U+FFFD; the file itself is still opened by its real name."""
    return os.fsencode(path).decode("utf-8", "replace")


def _reject_binary(path: Path, shown: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(8192)
    if b"\x00" in head:
        raise ParseError(shown, _("is a binary file, not RDF text"))


def parse_error(shown: str, exc: SyntaxError) -> ParseError:
    """A parser's error as a `ParseError` naming the file, line and column."""
    message = exc.msg or str(exc)
    # pyoxigraph puts the position before the reason; ParseError states it once.
    if message.startswith("Parser error") and ": " in message:
        message = message.split(": ", 1)[1]
    return ParseError(shown, message, exc.lineno, exc.offset)
