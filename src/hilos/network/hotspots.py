"""Places ranked for the report's *geographic sequencing*: where should an intervention start?

A place's score adds up, with the evidence score of each tie (status weight × confidence):

* **armed actors present** (weight 1): each non-state armed actor (criminal-sphere actors,
  self-defence forces, community police, guerrillas) said to operate in the place, counted once
  at the strength of its best presence tie;
* **violence drivers** (weight 2): each tie saying an actor drives the violence there;
* **collusion** (weight 1.5): each collusion-type tie said to hold there (`hilos:inPlace`), and
  each collusion-type tie between an armed actor present there and an actor of another sphere;
* **markets** (weight 0.5): each criminal market the armed actors present engage in;
* **named a priority** (weight 1): each claim of a policy or recommendation about the place
  (the report's recommendation (3) names the states where intervention should start first);
* **figures** (weight 0.5): each of the report's observations about the place.

A place also collects what is said of the places within it (a state, of its cities), so a
country sums its states: the ranking compares places of one level only (`--kind`; by default
the level with the most places that score, so Mexico and Latin America are not ranked above
Michoacán). Hotspots read the network with its context: the places, the markets the actors
engage in and the policies that name a place.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import sparql
from ..entities import describe
from ..errors import BadInput
from ..errors import message as _
from ..evidence import Record
from ..namespaces import compact, expand
from ..store import Store, solutions
from ..store.reasoner import closure
from .paths import collusion_relations
from .projection import Filters, project

WEIGHTS = {
    "armed_actors": 1.0,
    "violence_drivers": 2.0,
    "collusion": 1.5,
    "markets": 0.5,
    "priority": 1.0,
    "figures": 0.5,
}
KINDS = ("auto", "country", "region", "state", "city", "any")
LEVELS = ("state", "city", "municipality", "country", "region")
"""Levels of places, in the order `auto` prefers them when several have as many places."""
CONTEXT = ("place", "market", "policy")
"""The context hotspots need in the network besides actors."""
MODALITIES = ("recommendation",)
"""Claims besides statements of fact that hotspots read: the places a recommendation names."""

_KIND_CLASSES = {
    "country": "hilos:Country",
    "region": "hilos:Region",
    "state": "hilos:FederalState",
    "city": "hilos:City",
    "municipality": "hilos:Municipality",
}
_ARMED = {
    "hilos:SelfDefenceForce",
    "hilos:CommunityPolice",
    "hilos:GuerrillaGroup",
    "hilos:NonStateArmedGroup",
}


@dataclass(frozen=True)
class Hotspot(Record):
    id: str
    label: str
    kind: tuple[str, ...]
    score: float
    components: dict[str, float] = field(default_factory=dict)
    actors: tuple[str, ...] = ()

    json_names: ClassVar[Mapping[str, str]] = {"kind": "types"}


def _armed(store: Store, data: dict[str, Any]) -> bool:
    """Whether a node is a non-state armed actor: criminal, or an armed community group."""
    if "criminal" in (data.get("spheres") or ()):
        return True
    superclasses = store.terminology().superclasses
    for name in data.get("types") or ():
        iri = expand(name) or name
        closure = {name} | {compact(s) for s in superclasses.get(iri, ())}
        if closure & _ARMED:
            return True
    return False


def level_of(hotspot: Hotspot) -> str | None:
    """The level of a place (state, city…) from its types."""
    for level in LEVELS:
        if _KIND_CLASSES[level] in hotspot.kind:
            return level
    return None


def hotspot_filters(filters: Filters | None = None) -> Filters:
    """The filters with the context hotspots read: places, markets and policies in the network,
    and the places that recommendations name."""
    filters = filters or Filters()
    return dataclasses.replace(
        filters,
        include=tuple(dict.fromkeys((*filters.include, *CONTEXT))),
        modalities=tuple(dict.fromkeys((*filters.modalities, *MODALITIES))),
    )


@dataclass
class _Evidence:
    """What the network says of each place, gathered before places are scored."""

    present: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    """Per place, each armed actor present and the strength of its best presence tie."""
    drivers: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    collusion: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    priority: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    markets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    figures: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def components(self, place: str) -> dict[str, float]:
        return {
            "armed_actors": round(sum(self.present[place].values()), 6),
            "violence_drivers": round(self.drivers[place], 6),
            "collusion": round(self.collusion[place], 6),
            "markets": float(len(self.markets[place])),
            "priority": round(self.priority[place], 6),
            "figures": self.figures[place],
        }


Up = Callable[[str], set[str]]
"""A place and every place that contains it."""


def _check_arguments(kind: str, top: int | None) -> None:
    if kind not in KINDS:
        raise BadInput(
            _("unknown place kind '{name}' (one of: {known})", name=kind, known=", ".join(KINDS))
        )
    if top is not None and top < 1:
        raise BadInput(_("{parameter} must be at least 1, got {value}", parameter="top", value=top))


def _containment(store: Store, graphs: list[str] | None) -> Up:
    """The places containing each place, closed here: servers differ on transitive paths with
    both ends open."""
    direct: dict[str, set[str]] = defaultdict(set)
    for row in solutions(store.query(sparql.load("places-within"), graphs=graphs, ontology=True)):
        direct[row["p"].value].add(row["q"].value)
    within = closure(direct)

    def up(place: str) -> set[str]:
        return {place} | within.get(place, frozenset())

    return up


def _stated(data: Mapping[str, Any]) -> bool:
    """Whether a tie is a statement of fact (not a recommendation, a policy's aim…)."""
    return bool(data.get("modality", "stated") == "stated")


def _gather_place_ties(store: Store, graph: Any, up: Up, evidence: _Evidence) -> None:
    """Ties into a place: the policies naming it, armed actors present, violence drivers."""
    for u, v, data in graph.edges(data=True):
        if graph.nodes[v].get("kind") != "place":
            continue
        if graph.nodes[u].get("kind") == "policy":
            # a policy or recommendation that names the place: where to intervene first, what
            # to protect (what it recommends counts)
            evidence.priority[v] += data["score"]
        elif _stated(data):
            _gather_stated_place_tie(store, graph, up, evidence, (u, v, data))


def _gather_stated_place_tie(
    store: Store, graph: Any, up: Up, evidence: _Evidence, edge: tuple[str, str, Any]
) -> None:
    u, v, data = edge
    relation, score = data["relation"], data["score"]
    if relation == "hilos:Presence" and _armed(store, graph.nodes[u]):
        for place in up(v):
            evidence.present[place][u] = max(evidence.present[place].get(u, 0.0), score)
    elif relation == "hilos:ViolenceDriver":
        for place in up(v):
            evidence.drivers[place] += score


def _gather_collusion_and_markets(
    store: Store, graph: Any, graphs: list[str] | None, up: Up, evidence: _Evidence
) -> None:
    """Collusion ties said to hold in a place or touching an armed actor present there, and the
    markets the actors present engage in."""
    relations = collusion_relations(store)
    qualified: dict[str, str] = {
        row["tie"].value: row["place"].value
        for row in solutions(store.query(sparql.load("claim-places"), graphs=graphs, ontology=True))
    }
    for u, v, tie, data in graph.edges(keys=True, data=True):
        if not _stated(data):
            continue
        if data["relation"] in relations:
            _add_collusion(graph, up, evidence, qualified.get(tie), (u, v, data))
        if data["relation"] == "hilos:MarketEngagement":
            for place, actors in evidence.present.items():
                if u in actors:
                    evidence.markets[place].add(v)


def _add_collusion(
    graph: Any, up: Up, evidence: _Evidence, where: str | None, edge: tuple[str, str, Any]
) -> None:
    u, v, data = edge
    if where is not None:
        for place in up(where):
            evidence.collusion[place] += data["score"]
    across = graph.nodes[u].get("sphere") != graph.nodes[v].get("sphere")
    for place, actors in evidence.present.items():
        if (u in actors or v in actors) and across:
            evidence.collusion[place] += data["score"]


def _gather_figures(store: Store, graphs: list[str] | None, up: Up, evidence: _Evidence) -> None:
    """The report's observations about each place."""
    for row in solutions(
        store.query(sparql.load("observation-places"), graphs=graphs, ontology=True)
    ):
        for place in up(row["place"].value):
            evidence.figures[place] += 1.0


def _place_data(store: Store, graph: Any, place: str) -> Mapping[str, Any]:
    if place in graph:
        return graph.nodes[place]  # type: ignore[no-any-return]
    summary = describe(store, place)  # known only through what lies within it
    return {"label": summary.label, "types": summary.types}


def _score_places(store: Store, graph: Any, evidence: _Evidence, kind: str) -> list[Hotspot]:
    """Every place of the kind wanted (all for `any`/`auto`) that scores, highest first."""
    places = [n for n, d in graph.nodes(data=True) if d.get("kind") == "place"]
    places += [p for p in evidence.figures if p not in graph]
    wanted = _KIND_CLASSES.get(kind) if kind not in ("any", "auto") else None
    ranked: list[Hotspot] = []
    for place in dict.fromkeys(places):
        data = _place_data(store, graph, place)
        types = tuple(data.get("types") or ())
        if wanted and wanted not in types:
            continue
        components = evidence.components(place)
        score = round(sum(WEIGHTS[k] * value for k, value in components.items()), 6)
        if score > 0:
            actors = evidence.present[place]
            ranked.append(
                Hotspot(
                    id=place,
                    label=data.get("label") or compact(place),
                    kind=types,
                    score=score,
                    components=components,
                    actors=tuple(sorted(actors, key=lambda a: graph.nodes[a]["label"])),
                )
            )
    ranked.sort(key=lambda h: (-h.score, h.label))
    return ranked


def _busiest_level(ranked: list[Hotspot]) -> str:
    """The level with the most places ranked (ties go to the level `LEVELS` lists first)."""
    counts = {level: sum(1 for h in ranked if level_of(h) == level) for level in LEVELS}
    return max(LEVELS, key=lambda level: (counts[level], -LEVELS.index(level)))


def hotspots(
    store: Store,
    filters: Filters | None = None,
    *,
    top: int | None = None,
    kind: str = "auto",
    lang: str = "en",
) -> tuple[list[Hotspot], str]:
    """Places of one level ranked by how much the evidence says happens there, highest first,
    and the level compared (`auto`: the level with the most places that score). The network
    is projected under `filters` with the context hotspots need (`hotspot_filters`)."""
    _check_arguments(kind, top)
    projection = project(store, hotspot_filters(filters), lang=lang)
    graph = projection.graph
    graphs = list(projection.filters.graphs) or None
    up = _containment(store, graphs)
    evidence = _Evidence()
    _gather_place_ties(store, graph, up, evidence)
    _gather_collusion_and_markets(store, graph, graphs, up, evidence)
    _gather_figures(store, graphs, up, evidence)
    ranked = _score_places(store, graph, evidence, kind)
    if kind == "auto":
        kind = _busiest_level(ranked)
        ranked = [h for h in ranked if level_of(h) == kind]
    return (ranked[:top] if top else ranked), kind
