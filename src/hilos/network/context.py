"""The other loaded graphs as context for the graphs an analysis is asked to use (`--graph`).

A journalist's own graph of claims names entities it does not describe: "my deputy colluded with
the Zetas" points at the Zetas of the report, whose name, type and sphere the report gives. The
ties of an analysis come only from the graphs asked for; but an entity those graphs name without
giving it a type is named, typed and placed in its sphere by the other loaded graphs that
describe it, and the output says which entities were brought in, and from which graphs. Without
that, the Zetas would show as `hid:zetas`, of no sphere, and a chain from the deputy into the
criminal sphere would vanish. With `--only`, only what the graphs asked for say is used, and the
output says which entities they leave undescribed that other graphs describe.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from pyoxigraph import NamedNode, Variable

from .. import sparql
from ..namespaces import compact
from ..store import ONTOLOGY_GRAPH_NAME, Store, solutions
from ..store.values import with_rows

_BATCH = 200
_NODE = Variable("node")


def outside_descriptions(
    store: Store, graphs: Sequence[str], nodes: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Of `nodes`, those that the graphs `graphs` give no type to but that other loaded graphs
    type or name, each with the names of those graphs (in order)."""
    wanted = sorted({node for node in nodes if node.startswith(("http://", "https://", "urn:"))})
    if not graphs or not wanted:
        return {}
    names: dict[str, str] = {}
    for info in store.graphs():
        names[info.iri] = info.name
        names[info.inferred_iri] = info.name
    chosen = set(graphs) | {ONTOLOGY_GRAPH_NAME}
    typed_here: set[str] = set()
    elsewhere: dict[str, set[str]] = defaultdict(set)
    for start in range(0, len(wanted), _BATCH):
        batch = [[NamedNode(node)] for node in wanted[start : start + _BATCH]]
        query = with_rows(sparql.load("described-elsewhere"), [_NODE], batch)
        for row in solutions(store.query(query, derived_by_name=True)):
            node, graph = row["node"].value, names.get(row["g"].value)
            if graph is None:
                continue
            if graph in chosen:
                if row["typed"].value == "true":
                    typed_here.add(node)
            else:
                elsewhere[node].add(graph)
    return {
        node: tuple(sorted(found))
        for node, found in sorted(elsewhere.items())
        if node not in typed_here
    }


_SHOWN = 8


def context_assumption(
    brought: dict[str, tuple[str, ...]], label_of: dict[str, str], *, only: bool
) -> str | None:
    """The sentence that says which entities other graphs described (or, with --only, would
    have described), for the output's notes.

    >>> context_assumption({"https://w3id.org/hilos/id/zetas": ("report/dtos",)},
    ...                    {"https://w3id.org/hilos/id/zetas": "Zetas"}, only=False)
    'described by other loaded graphs (name, type, sphere; --only keeps strictly the graphs asked for): Zetas (report/dtos)'
    """  # noqa: E501
    if not brought:
        return None
    items = [
        f"{label_of.get(node) or compact(node)} ({', '.join(graphs)})"
        for node, graphs in brought.items()
    ]
    shown = ", ".join(items[:_SHOWN])
    if len(items) > _SHOWN:
        shown += f" and {len(items) - _SHOWN} more"
    if only:
        count = len(items)
        return (
            f"only what the graphs asked for say (--only): {count} entit"
            f"{'y' if count == 1 else 'ies'} they name without describing show by their ids, "
            f"of no sphere, though other graphs describe them: {shown}"
        )
    return (
        "described by other loaded graphs (name, type, sphere; --only keeps strictly the graphs "
        f"asked for): {shown}"
    )


__all__ = ["context_assumption", "outside_descriptions"]
