"""The evidence model: a claim (one tie with its status, dates, quote and sources) and the one
way every result is written as JSON.

A tie of the graph is a claim someone made, never a bare fact: `Claim` carries what the graph
says of it, `Source` what each source behind it says. The views built on it add only what
their place needs: an entity's card sees a claim from one end (`entities.TieView`), a path
walks it in one direction with the other claims behind the step (`network.evidence.Hop`), a
dossier numbers it and cites its footnotes (`export.dossier.Row`).

`Record.as_dict` is the one serialisation: the dataclass's fields in order (or `json_keys`,
which may also name properties), a trailing `_` dropped from a name (`from_` → `from`) or the
key given by `json_names`, tuples as lists and nested records as their own dicts; a key named in
`json_optional` is left out when its value is empty. What the commands print with `--format
json` is a contract with the users' pipes, so each class keeps its keys and their order;
`tests/core/test_evidence.py` checks the rules.

This module imports nothing of hilos: it sits with the basics, below the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


def plain(value: Any) -> Any:
    """`value` as JSON takes it: a record as its dict, tuples and lists as lists, mappings with
    their values made plain; anything else as it is.

    >>> plain((Source("s", "A paper"), {"n": (1, 2)}))
    [{'id': 's', 'citation': 'A paper', 'quote': None, 'locator': None}, {'n': [1, 2]}]
    """
    if hasattr(value, "as_dict") and not isinstance(value, type):
        return value.as_dict()
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    return value


def as_dict(record: Any) -> dict[str, Any]:
    """A dataclass instance as a JSON object, by the rules of `Record` (class variables
    `json_keys`, `json_names`, `json_values` and `json_optional` are read when the class
    defines them)."""
    cls = type(record)
    keys: tuple[str, ...] = getattr(cls, "json_keys", ()) or tuple(
        f.name for f in dataclasses.fields(record)
    )
    names: Mapping[str, str] = getattr(cls, "json_names", {})
    shapes: Mapping[str, Callable[[Any], Any]] = getattr(cls, "json_values", {})
    optional: frozenset[str] = getattr(cls, "json_optional", frozenset())
    found: dict[str, Any] = {}
    for attribute in keys:
        value = getattr(record, attribute)
        if attribute in optional and not value:
            continue
        shape = shapes.get(attribute)
        found[names.get(attribute, attribute.rstrip("_"))] = shape(value) if shape else plain(value)
    return found


class Record:
    """A dataclass that writes itself as JSON with `as_dict` (see the module).

    Class variables, all optional: `json_keys`, the attributes written and their order (fields
    or properties; default: every field in order); `json_names`, a key other than the
    attribute's name; `json_values`, a function that shapes one attribute's value (rounding, a
    narrower view of a nested record) instead of `plain`; `json_optional`, attributes whose key
    is left out when the value is empty (None, "", 0, an empty list), as a note that is there
    only when there is something to say.
    """

    json_keys: ClassVar[tuple[str, ...]] = ()
    json_names: ClassVar[Mapping[str, str]] = {}
    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}
    json_optional: ClassVar[frozenset[str]] = frozenset()

    def as_dict(self) -> dict[str, Any]:
        return as_dict(self)


@dataclass(frozen=True)
class Source(Record):
    """A source behind a claim: its IRI, the citation, and the quoted sentence and where it is
    in the source (when the claim gives them)."""

    id: str
    citation: str
    quote: str | None = None
    locator: str | None = None

    def cited(self) -> dict[str, str]:
        """The source as a card lists it: id and citation only."""
        return {"id": self.id, "citation": self.citation}


@dataclass(frozen=True)
class Node(Record):
    """An actor or place as a result names it: IRI, label and sphere."""

    id: str
    label: str
    sphere: str | None = None


@dataclass(frozen=True)
class Claim(Record):
    """One claim: the tie `tie` of type `relation` from `from_` to `to`, with what the graph
    says of it and the sources behind it."""

    tie: str
    relation: str
    from_: str
    to: str
    status: str | None = None
    confidence: float | None = None
    start: str | None = None
    end: str | None = None
    quote: str | None = None
    locator: str | None = None
    market: str | None = None
    relation_text: str | None = None
    qualifiers: tuple[str, ...] = ()
    """Keys of the words that limit the claim (`partially`, `some-of`…), in the ontology's order."""
    period: str | None = None
    modality: str = "stated"
    """`stated`, or `intention`, `recommendation`, `warning`: what kind of statement it is."""
    reason: str | None = None
    """Why the claim was retracted, for a retracted claim."""
    sources: tuple[Source, ...] = ()

    @property
    def id(self) -> str:
        """The tie's IRI (the claim is the tie)."""
        return self.tie


def cited_sources(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    """Sources as a card lists them (`Source.cited`)."""
    return [source.cited() for source in sources]


def citations_of(sources: tuple[Source, ...]) -> list[str]:
    """What each source is called, in order (a claim of one's own lists its sources so)."""
    return [source.citation for source in sources]
