"""Every hilos term the code names exists in the ontology (a typo fails here, not silently)."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib

from hilos import resources
from hilos.namespaces import HILOS_NS, PREFIXES, compact, expand

SRC = Path(__file__).resolve().parents[2] / "src" / "hilos"
QUERIES = Path(__file__).resolve().parents[2] / "queries"


def ontology_terms() -> set[str]:
    graph = rdflib.Graph().parse(resources.ontology_file())
    return {str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef)}


def used_terms() -> set[str]:
    used: set[str] = set()
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.rq"), *QUERIES.glob("*.rq")]:
        text = path.read_text(encoding="utf-8")
        used |= {HILOS_NS + m for m in re.findall(r"\bhilos:([A-Za-z][A-Za-z0-9_]*)", text)}
        used |= {HILOS_NS + m for m in re.findall(r"\bHILOS\.([A-Za-z][A-Za-z0-9_]*)", text)}
        used |= {HILOS_NS + m for m in re.findall(r'HILOS_NS \+ "([A-Za-z]+)"', text)}
    return used


def test_every_hilos_term_used_by_the_code_is_in_the_ontology() -> None:
    missing = sorted(used_terms() - ontology_terms())
    assert not missing, missing


def test_the_check_above_sees_the_terms() -> None:
    assert HILOS_NS + "Tie" in used_terms()
    assert HILOS_NS + "shortcut" in used_terms()


def test_compact_and_expand_are_inverse() -> None:
    for prefix, base in PREFIXES.items():
        iri = base + "Thing"
        assert compact(iri) == f"{prefix}:Thing"
        assert expand(compact(iri)) == iri
