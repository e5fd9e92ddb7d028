"""The projected network as files for other tools: GEXF and GraphML (Gephi, networkx) and two
CSV sheets (nodes, ties) a journalist can open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import networkx as nx

from ..errors import BadInput
from ..namespaces import compact
from ..network.projection import Projection
from ..output import csv_cell
from ..store import Store, solutions

NODE_ATTRIBUTES = ("label", "sphere", "kind", "types")
EDGE_ATTRIBUTES = ("relation", "status", "confidence", "start", "end", "score", "modality")


# Characters XML 1.0 cannot carry at all, not even escaped (C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF): RDF literals may hold them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> Any:
    """A string without the characters XML cannot carry (other values as they are).

    >>> xml_text("bell\\x07 and \\ufffe"), xml_text(0.5)
    ('bell and ', 0.5)
    """
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def flat_graph(projection: Projection) -> nx.MultiDiGraph:
    """The projection with attributes the GEXF and GraphML writers accept: no `None`s (left
    out), the types joined with spaces, the tie's IRI as the `tie` edge attribute, and no
    character that XML cannot carry. Nodes and edges in order of their IRIs, so the same graph
    gives the same file whichever store (or endpoint) it was read from."""
    graph = nx.MultiDiGraph()
    for node, data in sorted(projection.graph.nodes(data=True), key=lambda item: item[0]):
        attrs: dict[str, Any] = {}
        for name in NODE_ATTRIBUTES:
            value = data.get(name)
            if name == "types":
                value = " ".join(compact(t) for t in value or ())
            if value is not None and value != "":
                attrs[name] = xml_text(value)
        graph.add_node(node, **attrs)
    edges = sorted(projection.graph.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1]))
    for start, end, key, data in edges:
        attrs = {
            name: xml_text(data[name]) for name in EDGE_ATTRIBUTES if data.get(name) is not None
        }
        graph.add_edge(start, end, key=key, tie=key, **attrs)
    return graph


def write_gexf(projection: Projection, handle: IO[bytes]) -> None:
    nx.write_gexf(flat_graph(projection), handle)


def write_graphml(projection: Projection, handle: IO[bytes]) -> None:
    nx.write_graphml(flat_graph(projection), handle)


NODE_COLUMNS = ("id", "label", "sphere", "kind", "types")
TIE_COLUMNS = (
    "tie",
    "from",
    "from_label",
    "relation",
    "to",
    "to_label",
    "status",
    "confidence",
    "start",
    "end",
    "sources",
    "quote",
    "locator",
    "qualifiers",
    "period",
    "modality",
)


_CLAIM_FIELDS = """
SELECT ?tie ?field ?value WHERE {
  ?tie hilos:from ?f .
  { ?tie hilos:locator ?value BIND("locator" AS ?field) }
  UNION { ?tie hilos:qualifier ?q . ?q rdfs:label ?value FILTER(LANGMATCHES(LANG(?value), "en"))
          BIND("qualifiers" AS ?field) }
  UNION { ?tie hilos:period ?value BIND("period" AS ?field) }
}
"""


def _evidence(
    store: Store, graphs: list[str] | None
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, dict[str, set[str]]]]:
    sources: dict[str, set[str]] = defaultdict(set)
    quotes: dict[str, set[str]] = defaultdict(set)
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    # what limits each claim: its locator, qualifiers (read with the ontology's labels) and
    # period in the source's words
    for row in solutions(store.query(_CLAIM_FIELDS, graphs=graphs)):
        fields[row["tie"].value][row["field"].value].add(str(row["value"].value))
    for row in solutions(
        store.query(
            "SELECT ?tie ?src ?name WHERE { ?tie hilos:from ?f ; prov:wasDerivedFrom ?src . "
            "OPTIONAL { ?src hilos:citation ?name } }",
            graphs=graphs,
            inferred=False,
        )
    ):
        name = row["name"]
        sources[row["tie"].value].add(
            str(name.value) if name is not None else compact(row["src"].value)
        )
    for row in solutions(
        store.query(
            "SELECT ?tie ?quote WHERE { ?tie hilos:from ?f ; hilos:quote ?quote }",
            graphs=graphs,
            inferred=False,
        )
    ):
        quotes[row["tie"].value].add(str(row["quote"].value))
    return sources, quotes, fields


def csv_sheets(store: Store, projection: Projection) -> dict[str, list[Sequence[Any]]]:
    """The rows of nodes.csv and ties.csv (headers first)."""
    graph = projection.graph
    sources, quotes, fields = _evidence(store, list(projection.filters.graphs) or None)
    nodes: list[Sequence[Any]] = [NODE_COLUMNS]
    for node, data in sorted(graph.nodes(data=True)):
        types = " ".join(compact(t) for t in data.get("types") or ())
        nodes.append(
            (compact(node), data.get("label"), data.get("sphere"), data.get("kind"), types)
        )
    ties: list[Sequence[Any]] = [TIE_COLUMNS]
    for start, end, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        ties.append(
            (
                compact(key),
                compact(start),
                graph.nodes[start].get("label"),
                data.get("relation"),
                compact(end),
                graph.nodes[end].get("label"),
                data.get("status"),
                data.get("confidence"),
                data.get("start"),
                data.get("end"),
                "; ".join(sorted(sources.get(key, ()))),
                " | ".join(sorted(quotes.get(key, ()))),
                " | ".join(sorted(fields[key]["locator"])) if key in fields else "",
                "; ".join(sorted(fields[key]["qualifiers"])) if key in fields else "",
                " | ".join(sorted(fields[key]["period"])) if key in fields else "",
                data.get("modality") or "stated",
            )
        )
    return {"nodes.csv": nodes, "ties.csv": ties}


def _sheet_bytes(rows: list[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_csv_dir(store: Store, projection: Projection, target: str) -> dict[str, int]:
    """Write nodes.csv and ties.csv into the folder `target`, all or nothing: both are written
    into a scratch folder first, then moved in place. Returns the number of rows of each."""
    sheets = csv_sheets(store, projection)
    path = Path(target)
    if path.exists() and not path.is_dir():
        raise BadInput(f"{target}: is a file, give a folder")
    parent = path if path.is_dir() else (path.parent if str(path.parent) else Path("."))
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=parent))
    except OSError as exc:
        raise BadInput(f"{target}: cannot be written: {exc.strerror or exc}") from None
    try:
        for name, rows in sheets.items():
            (scratch / name).write_bytes(_sheet_bytes(rows))
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(scratch / name, 0o666 & ~mask)
        if path.is_dir():
            for name in sheets:
                os.replace(scratch / name, path / name)
            scratch.rmdir()
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(scratch, 0o777 & ~mask)
            os.rename(scratch, path)
    except OSError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise BadInput(f"{target}: cannot be written: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return {name: len(rows) - 1 for name, rows in sheets.items()}
