"""The one exception family of hilos.

The core raises these; only the command line turns them into messages and exit codes
(0 success, 1 the answer is "no" or the data is invalid, 2 bad usage or bad input).
"""

from __future__ import annotations

__all__ = [
    "AmbiguousEntity",
    "BadInput",
    "GraphExists",
    "HilosError",
    "InvalidGraph",
    "NotFound",
    "ParameterError",
    "ParseError",
    "QueryError",
    "StoreError",
    "StoreLocked",
    "UnknownEntity",
    "UnknownGraph",
    "UnknownQuery",
]


class HilosError(Exception):
    """Base class of every error hilos raises on purpose."""

    exit_code = 2


class NotFound(HilosError):
    """The answer is "no": nothing matched."""

    exit_code = 1


class BadInput(HilosError):
    """The input given to hilos is malformed or does not make sense."""

    exit_code = 2


class ParseError(BadInput):
    """A file could not be parsed; names the file, and the line and column where known."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        where = path
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {message}")


class QueryError(BadInput):
    """A SPARQL query is malformed or cannot be evaluated."""


class ParameterError(BadInput):
    """A query parameter is missing, unknown or of the wrong type."""


class UnknownQuery(BadInput):
    """No library query has that name and no file has that path."""


class UnknownEntity(NotFound):
    """No entity matches the name or IRI given."""


class AmbiguousEntity(BadInput):
    """A name matches several entities equally well."""

    def __init__(self, text: str, candidates: list[tuple[str, str]]) -> None:
        self.text = text
        self.candidates = candidates
        listed = "; ".join(f"{label} <{iri}>" for iri, label in candidates)
        super().__init__(f"'{text}' matches several entities, give one of: {listed}")


class UnknownGraph(NotFound):
    """No loaded graph has that name."""


class GraphExists(BadInput):
    """A graph of that name is already loaded and replacing it was not asked for."""


class InvalidGraph(HilosError):
    """The data does not conform to the shapes of the ontology."""

    exit_code = 1


class StoreError(HilosError):
    """The store cannot be opened or written."""


class StoreLocked(StoreError):
    """Another process holds the store open for writing."""
