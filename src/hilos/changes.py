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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from .errors import BadInput, Message, NotFound, UnknownGraph
from .errors import message as _
from .evidence import Record
from .namespaces import DCTERMS, HILOS, HILOS_NS, PROV, RDF_TYPE, RDFS, XSD
from .resources import file_sha256
from .store import GRAPH_BASE, Store, graph_iri

ORIGIN = "hilos claims"
"""What the registry records as the origin of a graph made or changed by these commands."""


@dataclass(frozen=True)
class Change(Record):
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
    added_under: str | None = None
    """For an imported file: the IRI prefix of what it added (its statements are not listed)."""
    title: str | None = None
    """For an imported file: the file's name."""

    json_keys: ClassVar[tuple[str, ...]] = (
        "iri", "number", "action", "time", "changed", "reason", "added", "removed", "undoes",
        "graph", "title",
    )  # fmt: skip
    json_names: ClassVar[Mapping[str, str]] = {"iri": "id", "title": "file"}


ACTIONS = (
    _("claim add"),
    _("claim edit"),
    _("claim retract"),
    _("entity add"),
    _("entity edit"),
    _("import"),
    _("undo"),
    _("drop file"),
)
"""The actions the journal records (its `hilos:action`), each said again in the reader's
language by `action_name(...).localized(lang)`."""


def graph_namespace(graph: str) -> str:
    """The namespace of the entities and ties an import creates in graph `graph`."""
    return f"{GRAPH_BASE}{quote(graph, safe='/-_.')}/"


def action_name(action: str) -> str:
    """A recorded action as a message the reader's language can say (`claim add`); an action
    hilos does not know (one written by another tool) is kept as it is.

    >>> action_name("claim add").localized("es") != "claim add"
    True
    >>> action_name("note add")
    'note add'
    """
    return next((known for known in ACTIONS if known == action), action)


def undo_reason(change: Change) -> Message:
    """What the change that undoes `change` says of itself: "undoes change 5 (entity edit)"."""
    if change.title:
        return _(
            "undoes change {number} ({action} {file})",
            number=change.number,
            action=action_name(change.action),
            file=change.title,
        )
    return _(
        "undoes change {number} ({action})", number=change.number, action=action_name(change.action)
    )


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
                _(
                    "the graph {graph} ships with hilos and is not yours to change; record your "
                    "own claim in a graph of yours (the default is mine)",
                    graph=graph,
                )
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
    added_under: str | None = None,
    removed_under: str | None = None,
    title: str | None = None,
) -> Change:
    """Change the graph `graph` (creating it if needed): remove `removed`, add `added`, and
    record the change in its journal. All or nothing. Raises `BadInput` for a graph that ships
    with hilos, or when a statement to remove is not in the graph (it changed meanwhile).

    An imported file's change gives `added_under`, the IRI prefix of all it adds, and `title`,
    the file's name: its statements are counted, not listed (the file holds them); the undoing
    of such a change gives `removed_under` likewise."""
    check_writable(store, graph)
    current = statements_of(store, graph)
    gone = set(removed)
    _check_held(graph, current, gone)
    wanted = set(added)
    # what the change really does: statements it removes and puts back are left alone
    gone -= wanted
    fresh = wanted - current
    before = _changes(current, graph)
    number = 1 + max((c.number for c in before), default=0)
    change = NamedNode(f"{graph_namespace(graph)}change/{number}")
    at = now()
    made = Change(
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
        added_under=added_under,
        title=title,
    )
    record = change_record(
        change,
        number=number,
        action=action,
        at=at,
        added=fresh,
        removed=gone,
        added_under=added_under,
        removed_under=removed_under,
        title=title,
    )
    record += _why(change, changed=changed, reason=reason, undoes=undoes)
    content = sorted((current - gone) | fresh | set(record), key=str)
    text = _ntriples(content)
    # Never empty (the change's own record is in it): straight to the store's loader.
    store.load_statements(
        content,
        name=graph,
        replace=bool(current),
        origin=(origin_of([*before, made]), hashlib.sha256(text.encode("utf-8")).hexdigest()),
    )
    return made


def _check_held(graph: str, current: set[Triple], gone: set[Triple]) -> None:
    """Fail when a statement a change would remove is no longer in the graph."""
    missing = gone - current
    if missing:
        raise BadInput(
            _(
                "the graph {graph} no longer holds what this change would remove "
                "({count} statements): it changed meanwhile; nothing was done",
                graph=graph,
                count=len(missing),
            )
        )


def _why(
    change: NamedNode, *, changed: str | None, reason: str | None, undoes: str | None
) -> list[Triple]:
    """What a change's record says of why: what it changed, the reason, the change it undoes."""
    record = []
    if changed:
        record.append(Triple(change, HILOS.changed, NamedNode(changed)))
    if reason:
        record.append(Triple(change, HILOS.reason, Literal(reason)))
    if undoes:
        record.append(Triple(change, HILOS.undoes, NamedNode(undoes)))
    return record


def change_record(
    change: NamedNode,
    *,
    number: int,
    action: str,
    at: str,
    added: Iterable[Triple] | int,
    removed: Iterable[Triple] | int = (),
    added_under: str | None = None,
    removed_under: str | None = None,
    title: str | None = None,
) -> list[Triple]:
    """The journal's statements about one change (without `changed`, `reason`, `undoes`).
    Statements added under a prefix (an imported file) are counted, not listed."""
    added_count = added if isinstance(added, int) else None
    removed_count = removed if isinstance(removed, int) else None
    added_list = [] if isinstance(added, int) else list(added)
    removed_list = [] if isinstance(removed, int) else list(removed)
    record = [
        Triple(change, RDF_TYPE, HILOS.Change),
        Triple(change, HILOS.changeNumber, Literal(str(number), datatype=XSD.integer)),
        Triple(change, HILOS.action, Literal(action)),
        Triple(change, PROV.atTime, Literal(at, datatype=XSD.dateTime)),
    ]
    if added_under is not None:
        record.append(Triple(change, HILOS.addedUnder, Literal(added_under)))
    else:
        record.append(Triple(change, HILOS.addedStatements, Literal(_ntriples(added_list))))
    if removed_under is not None:
        record.append(Triple(change, HILOS.removedUnder, Literal(removed_under)))
    else:
        record.append(Triple(change, HILOS.removedStatements, Literal(_ntriples(removed_list))))
    counts = (
        (HILOS.addedCount, added_count if added_count is not None else len(added_list)),
        (HILOS.removedCount, removed_count if removed_count is not None else len(removed_list)),
    )
    for prop, count in counts:
        record.append(Triple(change, prop, Literal(str(count), datatype=XSD.integer)))
    if title:
        record.append(Triple(change, DCTERMS.title, Literal(title)))
    return record


def _changes(statements: Iterable[Triple], graph: str) -> list[Change]:
    facts: dict[str, dict[str, str]] = {}
    for t in statements:
        subject = t.subject
        if not isinstance(subject, NamedNode):
            continue
        key = t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if t.predicate == RDF_TYPE and t.object == HILOS.Change:
            facts.setdefault(subject.value, {})
        elif (
            t.predicate.value.startswith(HILOS_NS)
            or t.predicate == PROV.atTime
            or t.predicate == DCTERMS.title
        ):
            facts.setdefault(subject.value, {})[key] = str(getattr(t.object, "value", t.object))
    found = []
    for iri, values in facts.items():
        if "changeNumber" not in values:
            continue

        found.append(
            Change(
                iri=iri,
                number=int(values["changeNumber"]),
                action=values.get("action", ""),
                time=values.get("atTime", ""),
                changed=values.get("changed"),
                reason=values.get("reason"),
                added=_count(values, "added"),
                removed=_count(values, "removed"),
                undoes=values.get("undoes"),
                graph=graph,
                added_under=values.get("addedUnder"),
                title=values.get("title"),
            )
        )
    return sorted(found, key=lambda c: c.number)


def _count(values: dict[str, str], name: str) -> int:
    """How many statements a change added or removed (`name`), as recorded."""
    if f"{name}Count" in values:
        return int(values[f"{name}Count"])
    return len(_triples(values.get(f"{name}Statements", "")))


def journal(store: Store, graph: str) -> list[Change]:
    """The changes of a graph, oldest first."""
    if not _exists(store, graph):
        raise UnknownGraph(_("no graph named '{name}' is loaded", name=graph))
    return _changes(statements_of(store, graph), graph)


def _recorded(statements: Iterable[Triple], change: str) -> tuple[list[Triple], list[Triple]]:
    """What a change added and removed, read from its journal record among `statements`."""
    node = NamedNode(change)
    added: list[Triple] = []
    removed: list[Triple] = []
    for t in statements:
        if t.subject != node or not isinstance(t.object, Literal):
            continue
        if t.predicate == HILOS.addedStatements:
            added = _triples(t.object.value)
        elif t.predicate == HILOS.removedStatements:
            removed = _triples(t.object.value)
    return added, removed


def live_changes(changes: Sequence[Change]) -> list[Change]:
    """The changes that still hold: neither undoings (undo, drop of a file) nor undone."""
    undone = {c.undoes for c in changes if c.undoes}
    return [c for c in changes if c.undoes is None and c.iri not in undone]


def undo(store: Store, graph: str = "mine") -> Change:
    """Revert the last change to `graph` that is not an undo and has not been undone: take
    out what it added (as far as it is still there) and put back what it removed, recorded as
    a change of its own. Raises `NotFound` when there is nothing left to undo."""
    check_writable(store, graph)
    candidates = live_changes(journal(store, graph))
    if not candidates:
        raise NotFound(_("nothing to undo in the graph {name}", name=graph))
    return revert(store, graph, candidates[-1])


def revert(store: Store, graph: str, change: Change, *, action: str = "undo") -> Change:
    """Revert one change of `graph`, recorded as a change of its own (`action`): the last one
    (`undo`), or an imported file whatever came after it (`drop --file`)."""
    if change.added_under is not None:
        return _revert_import(store, graph, change, action)
    present = statements_of(store, graph)
    added, removed = _recorded(present, change.iri)
    return apply_change(
        store,
        graph,
        added=removed,
        removed=[t for t in added if t in present],
        action=action,
        changed=change.changed,
        reason=undo_reason(change),
        undoes=change.iri,
    )


def _revert_import(store: Store, graph: str, change: Change, action: str) -> Change:
    """Take out what an imported file added: the statements about everything under its prefix
    — less the journal, what the graph's other files imported under prefixes of their own, and
    what other changes added — keeping the entities that what stays still names (another
    file's claims or your own) or that your own changes touched, which the reason of the change
    lists. What files taken out before left behind, and nothing names any more, goes too."""
    prefix = change.added_under or ""
    present = statements_of(store, graph)
    changes = _changes(present, graph)
    live = live_changes(changes)
    others = [c for c in live if c.iri != change.iri]
    undone = {c.undoes for c in changes if c.undoes}
    # the prefixes whose leftovers may go: this file's, and those of files taken out before
    gone = [prefix] + [
        c.added_under for c in changes if c.added_under and c.iri in undone and c.iri != change.iri
    ]
    staying_files = [c.added_under for c in others if c.added_under]
    # what the other changes that still hold listed as theirs, read in one pass
    theirs = _listed_by(present, {other.iri for other in others if other.added_under is None})
    journal_nodes = {
        t.subject for t in present if t.predicate == RDF_TYPE and t.object == HILOS.Change
    }

    def removable(t: Triple) -> bool:
        subject = getattr(t.subject, "value", "")
        under = [p for p in gone if subject.startswith(p)]
        if not under or t.subject in journal_nodes or t in theirs:
            return False
        # a file still held whose prefix is deeper than the one it falls under keeps it
        depth = max(len(p) for p in under)
        return not any(subject.startswith(p) and len(p) > depth for p in staying_files)

    candidates = {t for t in present if removable(t)}
    mine = {t.subject for t in candidates if getattr(t.subject, "value", "").startswith(prefix)}
    kept = _still_named(present, candidates, theirs, journal_nodes)
    removed = [t for t in candidates if t.subject not in kept]
    sources = {t.subject for t in present if t.predicate == RDF_TYPE and t.object == HILOS.Source}
    names = sorted(_name(present, node) for node in (kept & mine) - sources)
    reason = _kept_in_words(undo_reason(change), names)
    return apply_change(
        store,
        graph,
        added=[],
        removed=removed,
        action=action,
        changed=change.changed,
        reason=reason,
        undoes=change.iri,
        removed_under=prefix,
    )


def _listed_by(present: set[Triple], changes: set[str]) -> set[Triple]:
    """The statements the record of each of `changes` lists as added, read in one pass."""
    listed: set[Triple] = set()
    for t in present:
        if t.predicate == HILOS.addedStatements and getattr(t.subject, "value", "") in changes:
            listed.update(_triples(str(getattr(t.object, "value", ""))))
    return listed


def _still_named(
    present: set[Triple], candidates: set[Triple], theirs: set[Triple], journal_nodes: set[Any]
) -> set[Any]:
    """The subjects of `candidates` to keep whole: those your own changes touched (`theirs`),
    and those what stays names, and what those name in turn."""
    subjects = {t.subject for t in candidates}
    kept: set[Any] = {t.subject for t in theirs} & subjects
    staying = [t for t in present - candidates if t.subject not in journal_nodes]
    staying += [t for t in candidates if t.subject in kept]
    while True:
        named = {
            t.object
            for t in staying
            if isinstance(t.object, NamedNode) and t.object in subjects and t.object not in kept
        }
        if not named:
            return kept
        kept |= named
        staying = [t for t in candidates if t.subject in named]


def _kept_in_words(reason: Message, names: list[str]) -> Message:
    """The reason of an undone import, with the entities of it that were kept, if any."""
    if not names:
        return reason
    shown: str = ", ".join(names[:5])
    if len(names) > 5:
        shown = _("{names} and {count} more", names=shown, count=len(names) - 5)
    if len(names) == 1:
        return _(
            "{undone}; kept 1 entity of it that other claims still name or you changed "
            "(with the file's record, which they cite): {names}",
            undone=reason,
            names=shown,
        )
    return _(
        "{undone}; kept {count} entities of it that other claims still name or you "
        "changed (with the file's record, which they cite): {names}",
        undone=reason,
        count=len(names),
        names=shown,
    )


def _name(statements: Iterable[Triple], node: Any) -> str:
    for t in statements:
        if t.subject == node and t.predicate == RDFS.label and isinstance(t.object, Literal):
            return t.object.value
    return str(getattr(node, "value", node))


def origin_of(changes: Sequence[Change]) -> str:
    """What the registry says a user's graph came from: its imported files, and your claims."""
    live = live_changes(changes)
    files = [c.title for c in live if c.title]
    if not files:
        return ORIGIN
    by_hand = " and " + ORIGIN if any(not c.title for c in live) else ""
    return ", ".join(files) + by_hand + " (hilos import)"


def files_of(store: Store, graph: str) -> list[Change]:
    """The imported files a graph holds, oldest first."""
    return [c for c in live_changes(journal(store, graph)) if c.added_under is not None]


def drop_file(store: Store, graph: str, file: str) -> Change:
    """Take one imported file out of `graph`, whatever changes came after it: the file named
    (as imported) or given by its path (matched by content, SHA-256)."""
    check_writable(store, graph)
    held = files_of(store, graph)
    if not held:
        raise NotFound(_("the graph {graph} holds no imported file", graph=graph))
    path = Path(file)
    if path.is_file():
        digest = file_sha256(path)
        present = statements_of(store, graph)
        found = [c for c in held if file_digest(present, c) == digest]
    else:
        found = [c for c in held if c.title == path.name]
    if not found:
        names = ", ".join(f"{c.title} (change {c.number})" for c in held)
        raise NotFound(
            _(
                "the graph {graph} holds no file {file} (it holds: {names})",
                graph=graph,
                file=path.name,
                names=names,
            )
        )
    if len(found) > 1:
        names = "; ".join(f"change {c.number} at {c.time}" for c in found)
        raise BadInput(
            _(
                "the graph {graph} holds {count} files named {file} ({names}): give the file "
                "itself, whose content tells them apart",
                graph=graph,
                count=len(found),
                file=path.name,
                names=names,
            )
        )
    return revert(store, graph, found[0], action="drop file")


def file_digest(statements: Iterable[Triple], change: Change) -> str | None:
    """The SHA-256 of an imported file, as the import node of its change records it."""
    if not change.changed:
        return None
    node = NamedNode(change.changed)
    for t in statements:
        if t.subject == node and t.predicate == DCTERMS.identifier:
            value = str(getattr(t.object, "value", ""))
            if value.startswith("sha256:"):
                return value.removeprefix("sha256:")
    return None


__all__ = [
    "ORIGIN", "Change", "apply_change", "change_record", "check_writable", "drop_file",
    "file_digest", "files_of", "journal", "live_changes", "now", "origin_of", "revert", "undo",
]  # fmt: skip
