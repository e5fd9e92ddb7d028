"""The projected network as files for other tools: GEXF and GraphML (Gephi, networkx) and two
CSV sheets (nodes, ties) a journalist can open in a spreadsheet."""

from __future__ import annotations

import calendar
import csv
import io
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

import networkx as nx
from pyoxigraph import NamedNode

from .. import sparql
from ..entities import describe
from ..errors import BadInput
from ..namespaces import compact, expand
from ..network.projection import Projection, filters_in_words
from ..render import csv_cell
from ..store import Store, solutions
from ..vocab import Concept, vocabulary

NODE_ATTRIBUTES = (
    "sphere",
    "sphere_iri",
    "spheres",
    "sphere_iris",
    "kind",
    "types",
    "type_iris",
    "aliases",
)
"""What each node of a GEXF or GraphML file carries besides its id (the IRI) and label."""
EDGE_ATTRIBUTES = (
    "tie",
    "relation",
    "relation_iri",
    "status",
    "status_iri",
    "confidence",
    "score",
    "valid_from",
    "valid_until",
    "start_as_stated",
    "end_as_stated",
    "modality",
    "quote",
    "citation",
    "locator",
    "source_iris",
    "qualifiers",
    "period",
)
"""What each edge (one claim) of a GEXF or GraphML file carries: the claim's IRI, relation and
status (label for the reader, IRI beside it), confidence, evidence score, valid time (the whole
days it covers, and the dates as the source gives them), modality and its evidence."""
JOIN = " | "
"""How the values of a field with several (aliases, citations, type labels) are joined."""


# Characters XML 1.0 cannot carry at all, not even escaped (C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF): RDF literals may hold them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> Any:
    """A string without the characters XML cannot carry (other values as they are).

    >>> xml_text("bell\\x07 and \\ufffe"), xml_text(0.5)
    ('bell and ', 0.5)
    """
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*|Z|[+-]\d{2}:\d{2})?")


def _date_parts(text: str) -> tuple[int, int | None, int | None] | None:
    match = _PARTIAL_DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def first_day(text: str) -> str | None:
    """The first day of the period a partial date names, as an ISO date (None if `text` is no
    such date).

    >>> first_day("2014"), first_day("2014-05"), first_day("2014-09-26"), first_day("c. 2014")
    ('2014-01-01', '2014-05-01', '2014-09-26', None)
    """
    parts = _date_parts(text)
    if parts is None:
        return None
    year, month, day = parts
    try:
        return date(year, month or 1, day or 1).isoformat()
    except ValueError:
        return None


def last_day(text: str) -> str | None:
    """The last day of the period a partial date names.

    >>> last_day("2014"), last_day("2016-02"), last_day("2014-09-26"), last_day("2014-13")
    ('2014-12-31', '2016-02-29', '2014-09-26', None)
    """
    parts = _date_parts(text)
    if parts is None:
        return None
    year, month, day = parts
    try:
        if day is None:
            day = calendar.monthrange(year, month or 12)[1] if 1 <= year <= 9999 else 0
        return date(year, month or 12, day).isoformat()
    except (ValueError, calendar.IllegalMonthError):
        return None


def claim_evidence(
    store: Store, projection: Projection
) -> tuple[dict[str, dict[str, set[str]]], dict[str, set[str]]]:
    """The evidence of each claim of the projection (field -> values: `source` IRIs,
    `citation`, `quote`, `locator`, `qualifiers`, `period`) and the aliases of each node.

    Claims are read from the projection's graphs; the citations of their sources and the
    aliases of their ends from every graph, as node descriptions are, unless the projection
    keeps strictly to its graphs (`--only`)."""
    graphs = list(projection.filters.graphs) or None
    described = graphs if projection.filters.only else None
    ties = {key for _, _, key in projection.graph.edges(keys=True)}
    evidence: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in solutions(store.query(sparql.load("claim-fields"), graphs=graphs)):
        if row["tie"].value in ties:
            evidence[row["tie"].value][row["field"].value].add(str(row["value"].value))
    for row in solutions(
        store.query(
            sparql.load("claim-quotes-and-sources"),
            graphs=graphs,
            inferred=False,
        )
    ):
        tie, value = row["tie"].value, row["value"]
        if tie in ties and (row["field"].value == "quote" or isinstance(value, NamedNode)):
            evidence[tie][row["field"].value].add(str(value.value))
    cited: dict[str, set[str]] = defaultdict(set)
    citations = sparql.load("source-citations")
    for row in solutions(store.query(citations, graphs=described, inferred=False)):
        cited[row["source"].value].add(str(row["citation"].value))
    for fields in evidence.values():
        for src in fields.get("source", ()):
            fields["citation"].update(cited.get(src) or {compact(src)})
    aliases: dict[str, set[str]] = defaultdict(set)
    nodes = projection.graph
    for row in solutions(
        store.query(sparql.load("entity-aliases"), graphs=described, inferred=False)
    ):
        if row["entity"].value in nodes:
            aliases[row["entity"].value].add(str(row["alias"].value))
    return evidence, aliases


class _Labels:
    """The label of each class and concept, in one language, looked up once."""

    def __init__(self, store: Store, lang: str) -> None:
        self.store, self.lang = store, lang
        self.vocab = vocabulary()
        self._classes: dict[str, str] = {}

    def of_class(self, iri: str) -> str:
        if iri not in self._classes:
            self._classes[iri] = describe(self.store, iri, lang=self.lang).label
        return self._classes[iri]

    def concept(self, key: str, concepts: Sequence[Concept]) -> tuple[str, str]:
        """A concept's label and IRI from its key (a value that is not one: as it is)."""
        for concept in concepts:
            if concept.key == key:
                return concept.label(self.lang), concept.iri
        return key, expand(key) or key


def _joined(values: Any) -> str:
    return JOIN.join(sorted(values))


def flat_graph(store: Store, projection: Projection, *, lang: str = "en") -> nx.MultiDiGraph:
    """The projection with the attributes GEXF and GraphML carry (`NODE_ATTRIBUTES`,
    `EDGE_ATTRIBUTES`): one edge per claim, keyed by its IRI, with its evidence; a value a
    reader sees (relation, status, type, sphere) as its label in `lang`, its IRI in an
    attribute of its own; fields with several values joined with " | "; no `None`s (left out)
    and no character that XML cannot carry. Nodes and edges in order of their IRIs, so the
    same graph gives the same file whichever store (or endpoint) it was read from."""
    evidence, aliases = claim_evidence(store, projection)
    labels = _Labels(store, lang)
    graph = nx.MultiDiGraph()
    for node, data in sorted(projection.graph.nodes(data=True), key=lambda item: item[0]):
        graph.add_node(node, **_present(_node_attributes(data, aliases.get(node, ()), labels)))
    edges = sorted(projection.graph.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1]))
    for start, end, key, data in edges:
        attrs = _claim_attributes(key, data, evidence.get(key, {}), labels)
        graph.add_edge(start, end, key=key, **_present(attrs))
    return graph


def _node_attributes(
    data: dict[str, Any], aliases: Iterable[str], labels: _Labels
) -> dict[str, Any]:
    """A node's attributes: label, spheres and types by their labels and IRIs, aliases."""
    vocab = labels.vocab
    spheres = [labels.concept(key, vocab.spheres) for key in data.get("spheres") or ()]
    sphere = labels.concept(data["sphere"], vocab.spheres) if data.get("sphere") else None
    types = [expand(t) or t for t in data.get("types") or ()]
    return {
        "label": data.get("label"),
        "sphere": sphere[0] if sphere else None,
        "sphere_iri": sphere[1] if sphere else None,
        "spheres": JOIN.join(label for label, _ in spheres),
        "sphere_iris": " ".join(iri for _, iri in spheres),
        "kind": data.get("kind"),
        "types": JOIN.join(labels.of_class(t) for t in types),
        "type_iris": " ".join(types),
        "aliases": _joined(aliases),
    }


def _claim_attributes(
    key: str, data: dict[str, Any], fields: dict[str, set[str]], labels: _Labels
) -> dict[str, Any]:
    """A claim's attributes: relation, status and modality by label and IRI, confidence,
    score, valid time (whole days, and as stated) and evidence."""
    vocab = labels.vocab
    relation = expand(data["relation"]) or data["relation"]
    status = (
        labels.concept(data["status"], vocab.statuses + vocab.unranked)
        if data.get("status")
        else (None, None)
    )
    modality = labels.concept(data.get("modality") or "stated", vocab.modalities)
    return {
        "tie": key,
        "relation": labels.of_class(relation),
        "relation_iri": relation,
        "status": status[0],
        "status_iri": status[1],
        "confidence": data.get("confidence"),
        "score": data.get("score"),
        "valid_from": first_day(data["start"]) if data.get("start") else None,
        "valid_until": last_day(data["end"]) if data.get("end") else None,
        "start_as_stated": data.get("start"),
        "end_as_stated": data.get("end"),
        "modality": modality[0],
        "quote": _joined(fields.get("quote", ())),
        "citation": _joined(fields.get("citation", ())),
        "locator": _joined(fields.get("locator", ())),
        "source_iris": " ".join(sorted(fields.get("source", ()))),
        "qualifiers": _joined(fields.get("qualifiers", ())),
        "period": _joined(fields.get("period", ())),
    }


def _present(attrs: dict[str, Any]) -> dict[str, Any]:
    return {name: xml_text(value) for name, value in attrs.items() if value not in (None, "")}


GEXF_NAMESPACE = "http://gexf.net/1.3"
_GEXF_TYPES = {float: "double"}
"""GEXF attribute types of the values a flat graph holds (the others are strings)."""


def _gexf_attributes(
    parent: ET.Element, kind: str, names: Sequence[str], items: Iterable[dict[str, Any]]
) -> None:
    """Declare the attributes of nodes or edges that some item has, in the order of `names`."""
    types: dict[str, str] = {}
    for data in items:
        for name, value in data.items():
            types.setdefault(name, _GEXF_TYPES.get(type(value), "string"))
    declared = ET.SubElement(parent, "attributes", {"class": kind, "mode": "static"})
    for name in names:
        if name in types:
            ET.SubElement(declared, "attribute", id=name, title=name, type=types[name])


def _attvalues(parent: ET.Element, names: Sequence[str], data: dict[str, Any]) -> None:
    present = [name for name in names if name in data]
    if present:
        values = ET.SubElement(parent, "attvalues")
        for name in present:
            value = data[name]
            text = repr(value) if isinstance(value, float) else str(value)
            ET.SubElement(values, "attvalue", {"for": name, "value": text})


def gexf_document(graph: nx.MultiDiGraph, description: str) -> ET.ElementTree:
    """A flat graph (`flat_graph`) as a GEXF 1.3 document, valid against the official schema.

    Each edge is one claim: its id the claim's IRI, its label the relation. A claim with a
    valid time gets the GEXF interval Gephi's timeline reads (timeformat "date", so whole
    days: the first day of its start's period to the last day of its end's, "2014-05" ..
    "2016" is 2014-05-01 .. 2016-12-31); an open side stays open. Readers that ignore GEXF
    intervals (graphology) find the same days in `valid_from`/`valid_until` and the dates as
    the source gives them in `start_as_stated`/`end_as_stated`."""
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "hilos"
    ET.SubElement(meta, "description").text = xml_text(description)
    dated = any(
        "valid_from" in data or "valid_until" in data for _, _, data in graph.edges(data=True)
    )
    element = ET.SubElement(
        root,
        "graph",
        {"defaultedgetype": "directed", "mode": "dynamic" if dated else "static"}
        | ({"timeformat": "date"} if dated else {}),
    )
    _gexf_attributes(element, "node", NODE_ATTRIBUTES, (d for _, d in graph.nodes(data=True)))
    _gexf_attributes(element, "edge", EDGE_ATTRIBUTES, (d for _, _, d in graph.edges(data=True)))
    nodes = ET.SubElement(element, "nodes", count=str(graph.number_of_nodes()))
    for node, data in graph.nodes(data=True):
        item = ET.SubElement(nodes, "node", id=node, label=data.get("label", node))
        _attvalues(item, NODE_ATTRIBUTES, data)
    edges = ET.SubElement(element, "edges", count=str(graph.number_of_edges()))
    for source, target, key, data in graph.edges(keys=True, data=True):
        attrs = {"id": key, "source": source, "target": target}
        if data.get("relation"):
            attrs["label"] = data["relation"]
        begin, until = data.get("valid_from"), data.get("valid_until")
        if not (begin and until and begin > until):  # an interval that ends before it starts: none
            attrs |= {"start": begin} if begin else {}
            attrs |= {"end": until} if until else {}
        item = ET.SubElement(edges, "edge", attrs)
        _attvalues(item, EDGE_ATTRIBUTES, data)
    ET.indent(root)
    return ET.ElementTree(root)


def _description(projection: Projection, graph: nx.MultiDiGraph) -> str:
    """What the file holds, in words, for the GEXF `meta` (Gephi shows it)."""
    labels = {node: data.get("label", node) for node, data in graph.nodes(data=True)}
    filters = filters_in_words(projection.filters, lambda iri: labels.get(iri, compact(iri)))
    return " ".join(
        [
            f"A hilos network: {graph.number_of_nodes()} nodes and {graph.number_of_edges()} "
            "edges, one edge per claim (a claim is one statement by one source, with its "
            "status, confidence, valid time and evidence).",
            *(f"{line[0].upper()}{line[1:]}." for line in filters),
        ]
    )


def write_gexf(
    store: Store, projection: Projection, handle: IO[bytes], *, lang: str = "en"
) -> None:
    """The network as GEXF 1.3 (see `gexf_document`)."""
    graph = flat_graph(store, projection, lang=lang)
    gexf_document(graph, _description(projection, graph)).write(
        handle, encoding="utf-8", xml_declaration=True
    )


def write_graphml(
    store: Store, projection: Projection, handle: IO[bytes], *, lang: str = "en"
) -> None:
    """The network as GraphML, with the attributes of GEXF (`flat_graph`)."""
    nx.write_graphml(flat_graph(store, projection, lang=lang), handle)


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


def _evidence(
    store: Store, graphs: list[str] | None
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, dict[str, set[str]]]]:
    sources: dict[str, set[str]] = defaultdict(set)
    quotes: dict[str, set[str]] = defaultdict(set)
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    # what limits each claim: its locator, qualifiers (read with the ontology's labels) and
    # period in the source's words
    for row in solutions(store.query(sparql.load("claim-fields"), graphs=graphs, ontology=True)):
        fields[row["tie"].value][row["field"].value].add(str(row["value"].value))
    for row in solutions(
        store.query(
            sparql.load("claim-sources"),
            graphs=graphs,
            ontology=True,
            inferred=False,
        )
    ):
        name = row["name"]
        sources[row["tie"].value].add(
            str(name.value) if name is not None else compact(row["src"].value)
        )
    for row in solutions(
        store.query(
            sparql.load("claim-quotes"),
            graphs=graphs,
            ontology=True,
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
