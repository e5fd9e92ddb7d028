"""Validation against the SHACL shapes of `ontology/shapes.ttl` (with pySHACL)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import rdflib
from pyoxigraph import RdfFormat, serialize

from . import resources
from .evidence import Record
from .namespaces import compact
from .rdfsyntax import portable_triples
from .store import ONTOLOGY_GRAPH_NAME, Progress, Store

_SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
_RDFS_LABEL = rdflib.RDFS.label


@dataclass(frozen=True)
class Violation(Record):
    """One result of a SHACL validation."""

    severity: str
    focus: str
    focus_label: str
    path: str | None
    value: str | None
    message: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: tuple[Violation, ...]
    checked: tuple[str, ...]

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [r for r in self.results if r.severity != "violation"]


def _to_rdflib(store: Store, graphs: Sequence[str] | None) -> rdflib.Graph:
    buffer = io.BytesIO()
    # blank-node labels rdflib's N-Triples parser takes (a JSON-LD `_:é:1` is not one)
    triples = portable_triples(q.triple for q in store.quads(graphs, inferred=True))
    serialize(triples, buffer, RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=buffer.getvalue(), format="nt")
    return graph


def validate_store(store: Store, graphs: Sequence[str] | None = None) -> ValidationReport:
    """Validate what is loaded (or the graphs named), with what the reasoner derived."""
    names = list(graphs) if graphs else [g.name for g in store.graphs()]
    if ONTOLOGY_GRAPH_NAME not in names:
        names.append(ONTOLOGY_GRAPH_NAME)
    checked = tuple(n for n in names if n != ONTOLOGY_GRAPH_NAME)
    with _quietly():
        data = _to_rdflib(store, names)
        return _validate(data, checked)


@contextlib.contextmanager
def _quietly() -> Iterator[None]:
    """Silence rdflib and pySHACL while they work: they speak through warnings and logging (a
    traceback on stderr for every ill-typed literal, such as "abc"^^xsd:integer), and the
    report already says what matters about the data."""
    loggers = [logging.getLogger(name) for name in ("rdflib", "pyshacl")]
    levels = [logger.level for logger in loggers]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for logger in loggers:
                logger.setLevel(logging.CRITICAL + 1)
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def validate_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    rdf_format: str | None = None,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate files on their own (with the ontology), without touching any store.

    Each file goes through the same loader as `hilos load` (so a file that does not parse is a
    `ParseError`), into a throw-away store in memory.
    """
    scratch = Store.empty()
    scratch.load(resources.ontology_file(), name=ONTOLOGY_GRAPH_NAME, bundled=True)
    names = []
    for index, path in enumerate(paths):
        name = f"file-{index}"
        scratch.load(path, name=name, format=rdf_format, progress=progress)
        names.append(name)
    report = validate_store(scratch, names)
    return ValidationReport(report.conforms, report.results, tuple(str(p) for p in paths))


def _validate(data: rdflib.Graph, checked: tuple[str, ...]) -> ValidationReport:
    from pyshacl import validate

    shapes = rdflib.Graph().parse(resources.shapes_file(), format="turtle")
    _conforms, results_graph, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    results: list[Violation] = []
    for result in results_graph.subjects(rdflib.RDF.type, _SH.ValidationResult):
        severity_node = results_graph.value(result, _SH.resultSeverity)
        severity = str(severity_node).rsplit("#", 1)[-1].lower() if severity_node else "violation"
        focus = results_graph.value(result, _SH.focusNode)
        path = results_graph.value(result, _SH.resultPath)
        value = results_graph.value(result, _SH.value)
        message = results_graph.value(result, _SH.resultMessage)
        label = _label(data, focus)
        results.append(
            Violation(
                severity=severity,
                focus=str(focus),
                focus_label=label,
                path=compact(str(path)) if isinstance(path, rdflib.URIRef) else None,
                value=str(value) if value is not None else None,
                message=str(message) if message is not None else "does not conform",
            )
        )
    results.sort(key=lambda r: (r.severity != "violation", r.focus_label, r.path or "", r.message))
    has_violation = any(r.severity == "violation" for r in results)
    return ValidationReport(not has_violation, tuple(results), checked)


def _label(data: rdflib.Graph, node: object) -> str:
    if not isinstance(node, rdflib.term.Node):
        return str(node)
    labels = list(data.objects(node, _RDFS_LABEL))
    for lang in ("en", "es", None):
        for label in labels:
            if getattr(label, "language", None) == lang:
                return str(label)
    return compact(str(node)) if isinstance(node, rdflib.URIRef) else str(node)
