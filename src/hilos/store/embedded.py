"""The embedded backend: an Oxigraph store on disk or in memory.

The registry is kept in graph names, not statements: each entry is an empty named graph whose
IRI spells out the entry's statements. Entries change in the same transaction as the data they
describe, yet no pattern can match them, so whenever the database holds nothing but registered
graphs a query can read Oxigraph's union of all graphs — one index lookup per pattern instead of
one per graph, which is ten to twenty times faster.

Files are parsed and written by the engine (its bulk loader past `BULK_THRESHOLD`), and their
inferences derived set at a time by the reasoner inside the engine.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, cast

import pyoxigraph as ox
from pyoxigraph import DefaultGraph, NamedNode, Quad, Triple

from ..errors import ParseError
from ..errors import message as _
from ..namespaces import PREFIXES
from .backend import Answer, Progress, QueryScope, ReasonerFor
from .indexes import View
from .loading import (
    DATASET_FORMATS,
    LoadPlan,
    ProgressReader,
    holds_statements,
    in_graphs,
    into_graph,
    open_rdf,
    parse_checked,
    scoped_blank_nodes,
    staged_tbox,
)
from .reasoner import Reasoner
from .registry import ENTRY_BASE, META, entry_name, entry_triples, read_registry
from .values import sparql_with_values


class EmbeddedBackend:
    """hilos's bookkeeping on an Oxigraph store."""

    endpoint: str | None = None
    saves_derived_data: bool = True

    def __init__(self, database: ox.Store) -> None:
        self.database = database

    def __repr__(self) -> str:
        return f"EmbeddedBackend({self.database!r})"

    # -- the database's own operations -----------------------------------------------------

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
        graphs: dict[str, Any] = {}
        if default_graph is not None:
            graphs["default_graph"] = list(default_graph)
        if named_graphs is not None:
            graphs["named_graphs"] = list(named_graphs)
        return self.database.query(
            sparql,
            prefixes=dict(prefixes) if prefixes is not None else None,
            substitutions=dict(substitutions) if substitutions else None,
            use_default_graph_as_union=use_default_graph_as_union,
            base_iri=base_iri,
            **graphs,
        )

    def update(self, sparql: str, *, prefixes: Mapping[str, str] | None = None) -> None:
        self.database.update(sparql, prefixes=dict(prefixes) if prefixes is not None else None)

    def extend(self, quads: Iterable[Quad]) -> None:
        self.database.extend(quads)

    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any, graph: Any = None
    ) -> Iterator[Quad]:
        return iter(self.database.quads_for_pattern(subject, predicate, obj, graph))

    def contains_named_graph(self, graph: Any) -> bool:
        return self.database.contains_named_graph(graph)

    def named_graphs(self) -> Iterator[Any]:
        return iter(self.database.named_graphs())

    def remove_graph(self, graph: Any) -> None:
        self.database.remove_graph(graph)

    def flush(self) -> None:
        self.database.flush()

    def embedded(self) -> ox.Store:
        return self.database

    # -- the registry ----------------------------------------------------------------------

    def entries(self) -> list[NamedNode]:
        """The registry entries (empty graphs named by their content)."""
        return [
            graph
            for graph in self.database.named_graphs()
            if isinstance(graph, NamedNode) and graph.value.startswith(ENTRY_BASE)
        ]

    def registry_database(self) -> ox.Store:
        """The entries spelled out as statements again in the registry graph, as an endpoint
        keeps them."""
        registry = ox.Store()
        registry.extend(
            Quad(t.subject, t.predicate, t.object, META)
            for entry in self.entries()
            for t in entry_triples(entry)
        )
        return registry

    def registry_statements(self, subject: NamedNode, predicate: NamedNode) -> Iterator[Triple]:
        for entry in self.entries():
            for triple in entry_triples(entry):
                if triple.subject == subject and triple.predicate == predicate:
                    yield triple

    def forget(self, subject: NamedNode) -> list[str]:
        return [
            f"DROP SILENT GRAPH {entry}"
            for entry in self.entries()
            if any(t.subject == subject for t in entry_triples(entry))
        ]

    def record(self, statements: str) -> str:
        return f"CREATE SILENT GRAPH {entry_name(statements)}"

    def no_registry(self, name: str) -> Exception | None:
        return None

    def open_checks(self) -> None:
        self._move_registry_to_entries()
        self._collect_orphans()

    def _move_registry_to_entries(self) -> None:
        """Turn a registry graph of statements (as stores written before entries keep it)
        into entries, in one transaction."""
        quads = list(self.database.quads_for_pattern(None, None, None, META))
        if not quads and not self.database.contains_named_graph(META):
            return
        by_subject: dict[str, list[str]] = {}
        for quad in quads:
            by_subject.setdefault(str(quad.subject), []).append(
                f"{quad.subject} {quad.predicate} {quad.object} ."
            )
        operations = [f"DROP SILENT GRAPH {META}"]
        operations += [self.record(" ".join(lines)) for lines in by_subject.values()]
        self.database.update(" ;\n".join(operations))

    def _collect_orphans(self) -> None:
        """Remove graphs left behind by a load that was killed before it registered them."""
        registered = {META.value}
        for info in read_registry(self.registry_database()):
            registered.update((info.iri, info.inferred_iri))
        for graph in list(self.database.named_graphs()):
            if (
                isinstance(graph, NamedNode)
                and graph.value not in registered
                and not graph.value.startswith(ENTRY_BASE)
            ):
                self.database.remove_graph(graph)

    def _holds_only(self, registered: frozenset[str]) -> bool:
        """Whether the union of all graphs is exactly the registered graphs with their
        inferences (nothing staged, left behind, or in the default graph)."""
        for graph in self.database.named_graphs():
            value = graph.value if isinstance(graph, NamedNode) else ""
            if value not in registered and not value.startswith(ENTRY_BASE):
                return False
        default_graph = self.database.quads_for_pattern(None, None, None, DefaultGraph())
        return next(iter(default_graph), None) is None

    # -- writing ---------------------------------------------------------------------------

    def check_parse_first(self, rdf_format: ox.RdfFormat) -> bool:
        # A file that can name graphs is read once first to learn them (they decide where
        # its statements go); any other is checked by the engine's own parse as it is written.
        return rdf_format in DATASET_FORMATS

    def stage_file(
        self,
        plan: LoadPlan,
        physical: dict[str, NamedNode],
        inferred: dict[str, NamedNode],
        progress: Progress | None,
        reasoner_for: ReasonerFor,
    ) -> None:
        self._write_asserted(plan, physical, progress)
        if not any(holds_statements(self.database, graph) for graph in physical.values()):
            raise ParseError(plan.shown, _("contains no RDF statements"))
        tbox = list(plan.tbox) if plan.checked else staged_tbox(self.database, physical[""])
        reasoner = reasoner_for(tbox)
        for key, graph in physical.items():
            reasoner.derive(self.database, graph, inferred[key], bulk=plan.bulk)

    def _write_asserted(
        self, plan: LoadPlan, physical: dict[str, NamedNode], progress: Progress | None
    ) -> None:
        """The file's statements into their staged graphs, parsed and written by the engine.

        The engine gives the blank nodes of every parse fresh identifiers, so `_:b1` of one
        file is not `_:b1` of another. A file with named graphs of its own (checked before)
        is streamed instead, its graph names replaced by the staged ones.
        """
        database = self.database
        if len(plan.targets) > 1:
            stream = scoped_blank_nodes(
                in_graphs(parse_checked(plan, progress), physical), "b" + uuid.uuid4().hex
            )
            (database.bulk_extend if plan.bulk else database.extend)(stream)
            return
        assert plan.path is not None
        # Nothing written here is visible until the registering transaction, so the bulk
        # loader's lack of transactions costs nothing; it keeps memory flat on large files.
        write = database.bulk_load if plan.bulk else database.load
        try:
            with open_rdf(plan.path) as handle:
                source = ProgressReader(handle, plan.size, progress)
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

    def stage_statements(
        self,
        statements: Iterable[Triple | Quad],
        asserted: NamedNode,
        inferred: NamedNode,
        reasoner_for: ReasonerFor,
        bulk_threshold: int,
    ) -> None:
        stream = scoped_blank_nodes(into_graph(statements, asserted), "b" + uuid.uuid4().hex)
        # A short stream goes in one transaction; a long one through the bulk loader, which
        # has a fixed cost but writes faster and keeps memory flat.
        head = list(itertools.islice(stream, bulk_threshold + 1))
        bulk = len(head) > bulk_threshold
        if bulk:
            self.database.bulk_extend(itertools.chain(head, stream))
        else:
            self.database.extend(head)
        reasoner = reasoner_for(staged_tbox(self.database, asserted))
        reasoner.derive(self.database, asserted, inferred, bulk=bulk)

    def derive_again(self, reasoner: Reasoner, asserted: NamedNode, fresh: NamedNode) -> None:
        reasoner.derive(self.database, asserted, fresh)

    def ontology_statements(self, ontology: NamedNode, registered: bool) -> Iterable[Quad]:
        return self.database.quads_for_pattern(None, None, None, ontology)

    # -- reading ---------------------------------------------------------------------------

    def run_query(
        self,
        sparql: str,
        substitutions: Mapping[ox.Variable, Any],
        base_iri: str | None,
        scope: QueryScope,
    ) -> Answer:
        if substitutions:
            # As on an endpoint, the values open the WHERE clause, where the planner sees them:
            # Oxigraph substitutes after planning, so a pattern that a bound entity would make
            # a lookup is planned as a scan (the sources of one entity: 235 ms -> 1 ms on
            # 10,000 generated entities). Blank nodes cannot be written; they are substituted.
            inline = sparql_with_values(sparql, substitutions)
            if inline is not None:
                sparql, substitutions = inline, {}

        def run(**dataset: Any) -> Answer:
            return self.database.query(
                sparql,
                prefixes=PREFIXES,
                substitutions=dict(substitutions) or None,
                base_iri=base_iri,
                **dataset,
            )

        if scope.union:
            begun = scope.begin()
            if begun is not None and self._holds_only(scope.registered):
                answer = run(use_default_graph_as_union=True, named_graphs=scope.named)
                # Oxigraph reads the snapshot taken as the query starts: if no write began
                # before that, it holds registered graphs only. Otherwise (rare: a load in
                # another thread) the query runs again on the registered graphs by name.
                if scope.unchanged(begun):
                    return answer
        return run(default_graph=scope.default, named_graphs=scope.named)

    def view(self, graphs: Sequence[NamedNode], asserted: Sequence[NamedNode]) -> View:
        return View(self.database, graphs, asserted)

    def claim_graphs(self, subject: NamedNode) -> set[str]:
        return {
            quad.graph_name.value
            for quad in self.database.quads_for_pattern(subject, None, None, None)
            if isinstance(quad.graph_name, NamedNode)
        }
