"""The journal of a user's graph: every change to it, as data in the graph itself.

A journalist's own graph (`mine` by default) changes one claim or entity at a time. Each change
— a claim added, edited or retracted, an entity added, edited or merged, a change undone — is
recorded as a `hilos:Change` node in the graph it changed, with its number, time, action, what it
concerns, the statements it added and removed (N-Triples text) and, for an undo, the change it
reverted. So `undo` can revert the last change, and nothing is ever lost without a trace: an
undone change stays in the journal, and so does the undo.

Every change rewrites the graph through the store's loader (`load_statements`): all or
nothing, its inferences derived again, the registry's counts kept true. That costs the size of
the graph, which suits a journalist's own graph of hundreds or thousands of statements.

>>> from hilos.store import Store
>>> store = Store.in_memory()
>>> from pyoxigraph import Literal, NamedNode, Triple
>>> note = Triple(NamedNode("https://example.org/x"), NamedNode("https://example.org/p"),
...               Literal("a note"))
>>> first = apply_change(store, "notes", added=[note], action="note add")
>>> first.number, first.added
(1, 1)
>>> undone = undo(store, "notes")
>>> undone.action, undone.undoes == first.iri, [c.number for c in journal(store, "notes")]
('undo', True, [1, 2])
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from .errors import BadInput, NotFound, UnknownGraph
from .importers import load_statements
from .importers.resolution import graph_namespace
from .namespaces import HILOS, HILOS_NS, PROV, RDF_TYPE, XSD
from .store import Store, graph_iri

ORIGIN = "hilos claims"
"""What the registry records as the origin of a graph made or changed by these commands."""


@dataclass(frozen=True)
class Change:
    """One change of a graph's journal."""

    iri: str
    number: int
    action: str
    time: str
    changed: str | None
    reason: str | None
    added: int
    removed: int
    undoes: str | None
    graph: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.iri,
            "number": self.number,
            "action": self.action,
            "time": self.time,
            "changed": self.changed,
            "reason": self.reason,
            "added": self.added,
            "removed": self.removed,
            "undoes": self.undoes,
            "graph": self.graph,
        }


def now() -> str:
    """The current time, to the second, in UTC (as the journal records it)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def statements_of(store: Store, graph: str) -> set[Triple]:
    """The statements of a loaded graph as loaded (none for a graph not loaded yet)."""
    if not _exists(store, graph):
        return set()
    return {Triple(q.subject, q.predicate, q.object) for q in store.quads([graph])}


def _exists(store: Store, graph: str) -> bool:
    iri = graph_iri(graph).value
    return any(info.iri == iri for info in store.graphs())


def check_writable(store: Store, graph: str) -> None:
    """A graph a user may change: not the ontology nor the report's curated graphs."""
    iri = graph_iri(graph).value
    for info in store.graphs():
        if info.iri == iri and info.bundled:
            raise BadInput(
                f"the graph {graph} ships with hilos and is not yours to change; record your own "
                "claim in a graph of yours (the default is mine)"
            )


def _ntriples(triples: Iterable[Triple]) -> str:
    return (serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _triples(text: str) -> list[Triple]:
    if not text.strip():
        return []
    return [
        Triple(t.subject, t.predicate, t.object)
        for t in parse(text.encode("utf-8"), format=RdfFormat.N_TRIPLES)
    ]


def apply_change(
    store: Store,
    graph: str,
    *,
    added: Iterable[Triple],
    removed: Iterable[Triple] = (),
    action: str,
    changed: str | None = None,
    reason: str | None = None,
    undoes: str | None = None,
) -> Change:
    """Change the graph `graph` (creating it if needed): remove `removed`, add `added`, and
    record the change in its journal. All or nothing. Raises `BadInput` for a graph that ships
    with hilos, or when a statement to remove is not in the graph (it changed meanwhile)."""
    check_writable(store, graph)
    current = statements_of(store, graph)
    gone = set(removed)
    missing = gone - current
    if missing:
        raise BadInput(
            f"the graph {graph} no longer holds what this change would remove "
            f"({len(missing)} statements): it changed meanwhile; nothing was done"
        )
    wanted = set(added)
    # what the change really does: statements it removes and puts back are left alone
    gone -= wanted
    fresh = wanted - current
    number = 1 + max((c.number for c in _changes(current, graph)), default=0)
    change = NamedNode(f"{graph_namespace(graph)}change/{number}")
    at = now()
    record = [
        Triple(change, RDF_TYPE, HILOS.Change),
        Triple(change, HILOS.changeNumber, Literal(str(number), datatype=XSD.integer)),
        Triple(change, HILOS.action, Literal(action)),
        Triple(change, PROV.atTime, Literal(at, datatype=XSD.dateTime)),
        Triple(change, HILOS.addedStatements, Literal(_ntriples(fresh))),
        Triple(change, HILOS.removedStatements, Literal(_ntriples(gone))),
    ]
    if changed:
        record.append(Triple(change, HILOS.changed, NamedNode(changed)))
    if reason:
        record.append(Triple(change, HILOS.reason, Literal(reason)))
    if undoes:
        record.append(Triple(change, HILOS.undoes, NamedNode(undoes)))
    content = sorted((current - gone) | fresh | set(record), key=str)
    text = _ntriples(content)
    load_statements(
        store,
        content,
        name=graph,
        origin=ORIGIN,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        replace=bool(current),
    )
    return Change(
        iri=change.value,
        number=number,
        action=action,
        time=at,
        changed=changed,
        reason=reason,
        added=len(fresh),
        removed=len(gone),
        undoes=undoes,
        graph=graph,
    )


def _changes(statements: Iterable[Triple], graph: str) -> list[Change]:
    facts: dict[str, dict[str, str]] = {}
    for t in statements:
        subject = t.subject
        if not isinstance(subject, NamedNode):
            continue
        key = t.predicate.value.rsplit("#", 1)[-1]
        if t.predicate == RDF_TYPE and t.object == HILOS.Change:
            facts.setdefault(subject.value, {})
        elif t.predicate.value.startswith(HILOS_NS) or t.predicate == PROV.atTime:
            facts.setdefault(subject.value, {})[key] = str(getattr(t.object, "value", t.object))
    found = []
    for iri, values in facts.items():
        if "changeNumber" not in values:
            continue
        added = _triples(values.get("addedStatements", ""))
        removed = _triples(values.get("removedStatements", ""))
        found.append(
            Change(
                iri=iri,
                number=int(values["changeNumber"]),
                action=values.get("action", ""),
                time=values.get("atTime", ""),
                changed=values.get("changed"),
                reason=values.get("reason"),
                added=len(added),
                removed=len(removed),
                undoes=values.get("undoes"),
                graph=graph,
            )
        )
    return sorted(found, key=lambda c: c.number)


def journal(store: Store, graph: str) -> list[Change]:
    """The changes of a graph, oldest first."""
    if not _exists(store, graph):
        raise UnknownGraph(f"no graph named '{graph}' is loaded")
    return _changes(statements_of(store, graph), graph)


def _recorded(store: Store, graph: str, change: str) -> tuple[list[Triple], list[Triple]]:
    """What a change added and removed, read from its journal record."""
    node = NamedNode(change)
    added: list[Triple] = []
    removed: list[Triple] = []
    for t in statements_of(store, graph):
        if t.subject != node or not isinstance(t.object, Literal):
            continue
        if t.predicate == HILOS.addedStatements:
            added = _triples(t.object.value)
        elif t.predicate == HILOS.removedStatements:
            removed = _triples(t.object.value)
    return added, removed


def undo(store: Store, graph: str = "mine") -> Change:
    """Revert the last change to `graph` that is not an undo and has not been undone: take
    out what it added (as far as it is still there) and put back what it removed, recorded as
    a change of its own. Raises `NotFound` when there is nothing left to undo."""
    check_writable(store, graph)
    changes = journal(store, graph)
    undone = {c.undoes for c in changes if c.undoes}
    candidates = [c for c in changes if c.action != "undo" and c.iri not in undone]
    if not candidates:
        raise NotFound(f"nothing to undo in the graph {graph}")
    last = candidates[-1]
    added, removed = _recorded(store, graph, last.iri)
    present = statements_of(store, graph)
    return apply_change(
        store,
        graph,
        added=removed,
        removed=[t for t in added if t in present],
        action="undo",
        changed=last.changed,
        reason=f"undoes change {last.number} ({last.action})",
        undoes=last.iri,
    )


__all__ = ["ORIGIN", "Change", "apply_change", "check_writable", "journal", "now", "undo"]
