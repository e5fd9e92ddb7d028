"""The one-line summary of a chain or path shows each tie the way its claim points: a line
such as "officials ← bribery ← cartel" must never read as the officials bribing the cartel."""

from __future__ import annotations

import re

import pytest
import rdflib

from conftest import Hilos

HILOS = rdflib.Namespace("https://w3id.org/hilos/ontology#")
_HOP = re.compile(r" (→|←) (.+?) \1 ")


def _label(graph: rdflib.Graph, node: rdflib.term.Node, lang: str = "en") -> str:
    for label in graph.objects(node, rdflib.RDFS.label):
        if getattr(label, "language", None) == lang:
            return str(label)
    return str(node)


def test_each_hop_of_a_summary_points_as_its_claim(
    hilos: Hilos, curated: rdflib.Graph, ontology: rdflib.Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line per chain, to read it whole
    result = hilos("chains", "--brief")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if re.match(r"\s*\d+\. ", line)]
    assert len(lines) >= 13
    # the claims of the curated graph as (from label, relation label, to label)
    claims = set()
    for tie in curated.subjects(HILOS["from"], None):
        start, end = curated.value(tie, HILOS["from"]), curated.value(tie, HILOS["to"])
        for cls in curated.objects(tie, rdflib.RDF.type):
            claims.add((_label(curated, start), _label(ontology, cls), _label(curated, end)))
    checked = 0
    for line in lines:
        walked = re.sub(r"^\s*\d+\. ", "", line).rsplit(" (", 1)[0]
        names = _HOP.split(walked)
        # names: [actor, arrow, relation, actor, arrow, relation, actor, …]
        for i in range(0, len(names) - 3, 3):
            left, arrow, relation, right = names[i], names[i + 1], names[i + 2], names[i + 3]
            pointed = (left, relation, right) if arrow == "→" else (right, relation, left)
            assert pointed in claims, (line, pointed)
            checked += 1
    assert checked >= 15
