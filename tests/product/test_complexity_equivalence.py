"""The functions split for ruff's complexity rule (issue 19) still say what they said.

The refactoring was checked byte for byte against the code before it (CLI, server and library
outputs: see the issue's report); these tests keep the parts that have an independent
reference: Brandes' single-source stage against networkx's own, the parameter converters
against the types the query library declares, and content negotiation against a plain reading
of the `Accept` header.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from networkx.algorithms.centrality.betweenness import (
    _single_source_dijkstra_path_basic,
    _single_source_shortest_path_basic,
)
from pyoxigraph import Literal, NamedNode

from hilos.errors import HilosError
from hilos.namespaces import HILOS_NS
from hilos.network.centrality import _shortest_paths
from hilos.server.http import HttpError, negotiate
from hilos.sparql.library import _CONVERTERS, Parameter, convert, library
from hilos.store import Store

XS = "http://www.w3.org/2001/XMLSchema#"


def _random_graph(seed: int) -> nx.Graph:
    """A random graph with small integer distances, so that equal-length paths are common."""
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(rng.randint(2, 30), rng.randint(1, 80), seed=seed)
    for u, v in graph.edges:
        graph.edges[u, v]["distance"] = rng.randint(1, 3)
    return graph


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("weighted", [False, True])
def test_single_source_stage_matches_networkx(seed: int, weighted: bool) -> None:
    graph = _random_graph(seed)
    source = min(graph.nodes)
    order, preds, sigma = _shortest_paths(graph, source, weighted)
    if weighted:
        stack, their_preds, their_sigma, dist = _single_source_dijkstra_path_basic(
            graph, source, "distance"
        )
    else:
        stack, their_preds, their_sigma, dist = _single_source_shortest_path_basic(graph, source)
    assert sorted(order) == sorted(stack)
    # nodes come out in order of distance, as the accumulation needs
    assert [dist[v] for v in order] == sorted(dist[v] for v in order)
    assert {v: sorted(p) for v, p in preds.items() if v in dist} == {
        v: sorted(their_preds[v]) for v in dist
    }
    # networkx's Dijkstra stage counts the source's own path twice (its sigma starts at 1 and
    # adds itself when popped), doubling every count: the ratios Brandes uses are the same
    unit = float(their_sigma[source])
    assert {v: sigma[v] for v in dist} == {v: their_sigma[v] / unit for v in dist}


def test_a_link_without_distance_is_not_walked() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", distance=1.0)
    graph.add_edge("b", "c")  # weight 0: no distance
    order, _, sigma = _shortest_paths(graph, "a", True)
    assert order == ["a", "b"]
    assert sigma == {"a": 1.0, "b": 1.0}


def test_every_parameter_type_of_the_library_has_a_converter() -> None:
    declared = {p.type for query in library() for p in query.parameters}
    assert declared, "the library declares typed parameters"
    assert declared <= set(_CONVERTERS)


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("string", "abc", Literal("abc")),
        ("integer", "-3", Literal(-3)),
        ("decimal", "1.50", Literal("1.50", datatype=NamedNode(XS + "decimal"))),
        ("boolean", "Yes", Literal(True)),
        ("boolean", "0", Literal(False)),
        ("date", "2014", Literal("2014", datatype=NamedNode(XS + "gYear"))),
        ("date", "2014-09", Literal("2014-09", datatype=NamedNode(XS + "gYearMonth"))),
        ("date", "2014-09-26", Literal("2014-09-26", datatype=NamedNode(XS + "date"))),
        ("status", "ALLEGED", NamedNode(HILOS_NS + "Alleged")),
        ("sphere", "Criminal", NamedNode(HILOS_NS + "CriminalSphere")),
        ("iri", "<http://example.org/a>", NamedNode("http://example.org/a")),
    ],
)
def test_converters_give_the_documented_terms(
    memory_store: Store, kind: str, raw: str, expected: object
) -> None:
    assert convert(memory_store, Parameter(name="p", type=kind), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "said"),
    [
        ("integer", "1.5", "expects an integer, got '1.5'"),
        ("decimal", "NaN", "expects a finite number, got 'NaN'"),
        ("decimal", "x", "expects a number, got 'x'"),
        ("boolean", "maybe", "expects true or false, got 'maybe'"),
        ("date", "2014-13", "expects a valid date, got '2014-13'"),
        ("date", "14-09", "expects a date (YYYY, YYYY-MM or YYYY-MM-DD), got '14-09'"),
        ("status", "rumoured", "expects one of refuted, disputed"),
        ("sphere", "church", "expects one of state, criminal, community, civil, got 'church'"),
        ("iri", "noColon", "expects an IRI, got 'noColon'"),
    ],
)
def test_converters_refuse_in_one_line_naming_the_parameter(
    memory_store: Store, kind: str, raw: str, said: str
) -> None:
    with pytest.raises(HilosError) as caught:
        convert(memory_store, Parameter(name="p", type=kind), raw)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("parameter 'p' ")
    assert said in message


OFFERED = {"application/json": 1, "text/csv": 2, "text/html": 3}


def _plain_choice(accept: str) -> str | None:
    """The offered type an `Accept` header asks for, read plainly: each range with its last
    q (0 if not a number); the highest q wins, the earlier range on a tie; `*/*` means the
    first offered, `type/*` the first of the type; None when nothing acceptable is offered."""
    if not accept.strip():
        return next(iter(OFFERED))
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if media in ("*/*", ""):
            matches = list(OFFERED)
        else:
            matches = [m for m in OFFERED if m == media or m.startswith(media.rstrip("*"))]
            matches = matches if media.endswith("/*") else [m for m in matches if m == media]
        if quality > 0 and matches:
            choices.append((-quality, position, matches[0]))
    return min(choices)[2] if choices else None


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "*/*",
        "text/*",
        "TEXT/CSV",
        "text/csv;q=0",
        "text/csv;q=0.5, text/html;q=0.6",
        "text/csv;q=abc, text/html",
        "image/png",
        "image/png, */*;q=0.1",
        "text/html;q=0.9;q=0.2, application/json;q=0.3",
        "application/*;q=0.4, text/csv;q=0.4",
        "*/*;q=0",
        ",",
    ],
)
def test_negotiation_matches_a_plain_reading_of_accept(accept: str) -> None:
    expected = _plain_choice(accept)
    if expected is None:
        with pytest.raises(HttpError) as caught:
            negotiate(accept, OFFERED)
        assert caught.value.status == 406
    else:
        assert negotiate(accept, OFFERED) == (expected, OFFERED[expected])
