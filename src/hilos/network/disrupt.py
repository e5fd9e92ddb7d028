"""The kingpin strategy made measurable: what is left of a network as its top actors go.

On the undirected simple graph of the projection, remove the top-ranked actor (mode
`sequential`: the ranking is recomputed after every removal) or the top `block_size` actors at
once (mode `block`: recomputed after every block), and after each step report the size of the
largest connected component as a fraction of the intact network's. Step 0 is the intact network.

Rankings: `degree` (number of linked actors; weighted: the sum of the link weights) or
`betweenness` (networkx's normalised betweenness; weighted: length 1 / weight; estimated from 500
sources drawn with the seed above 5,000 nodes unless `samples` says otherwise). Ties in a ranking
go to the smallest node id, so a run is reproducible.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import ClassVar

import networkx as nx
import numpy as np

from ..errors import BadInput, NotFound
from ..errors import message as _
from ..evidence import Record
from ..store import Progress
from .arrays import ArrayNetwork, compiled_graph, top_nodes
from .centrality import betweenness, check_samples, rank_key, simple_graph, ticker

STRATEGIES = ("degree", "betweenness")
MODES = ("sequential", "block")


@dataclass(frozen=True)
class Step(Record):
    """The network after one step: who was removed in it, and what is left."""

    removed: list[str]
    lcc_fraction: float
    lcc_size: int
    nodes_left: int


@dataclass(frozen=True)
class DisruptResult(Record):
    """The steps of a simulation and how it ran; `note` (written only when there is one) says
    why it stopped early or what it left out."""

    strategy: str
    mode: str
    block_size: int
    weighted: bool
    intact_lcc: int
    steps: list[Step] = field(default_factory=list)
    note: str | None = None

    json_optional: ClassVar[frozenset[str]] = frozenset({"note"})


def largest_component(graph: nx.Graph) -> int:
    """The number of nodes in the largest connected component (0 for an empty graph)."""
    return max((len(c) for c in nx.connected_components(graph)), default=0)


def disrupt(
    graph: nx.Graph,
    strategy: str = "degree",
    mode: str = "sequential",
    block_size: int = 5,
    steps: int | None = None,
    *,
    weighted: bool = False,
    seed: int = 0,
    samples: int | None = None,
    progress: Progress | None = None,
) -> DisruptResult:
    """Simulate the removal of the top-ranked actors, step by step.

    `steps=N` adds N removal steps to step 0; None goes on until no node is left. Asking for
    more steps than the network can give stops when it is empty, with a `note`.

    >>> star = nx.Graph([("hub", "a"), ("hub", "b"), ("c", "d")])
    >>> [(s.removed, s.lcc_fraction) for s in disrupt(star, steps=2).steps]
    [([], 1.0), (['hub'], 0.6666666666666666), (['c'], 0.3333333333333333)]
    """
    _check(strategy, mode, block_size, steps, samples)
    network = simple_graph(graph, directed=False)
    intact = largest_component(network)
    if intact == 0:
        raise NotFound(_("the network is empty: there is nothing to disrupt"))
    per_step = 1 if mode == "sequential" else block_size
    possible = -(-len(network) // per_step)
    wanted = possible if steps is None else steps
    tick = ticker(progress, min(wanted, possible))
    taken = [Step([], 1.0, intact, len(network))]
    while len(taken) - 1 < wanted and len(network) > 0:
        if network.number_of_edges() == 0:
            # Nothing left to rank by: the remaining nodes go by id, one component each.
            rest = sorted(network, key=str)
            while len(taken) - 1 < wanted and rest:
                removed, rest = rest[:per_step], rest[per_step:]
                size = 1 if rest else 0
                taken.append(Step([str(n) for n in removed], size / intact, size, len(rest)))
                tick(len(taken) - 1)
            break
        removed = _top(network, strategy, per_step, weighted, seed, samples)
        network.remove_nodes_from(removed)
        size = largest_component(network)
        taken.append(Step([str(n) for n in removed], size / intact, size, len(network)))
        tick(len(taken) - 1)
    note = None
    if steps is not None and steps > len(taken) - 1:
        note = f"no node left after {len(taken) - 1} step(s); {steps} were asked for"
    return DisruptResult(
        strategy=strategy,
        mode=mode,
        block_size=per_step,
        weighted=weighted,
        intact_lcc=intact,
        steps=taken,
        note=note,
    )


def _check(
    strategy: str, mode: str, block_size: int, steps: int | None, samples: int | None
) -> None:
    if strategy not in STRATEGIES:
        raise BadInput(
            _(
                "unknown strategy '{name}' (one of: {known})",
                name=strategy,
                known=", ".join(STRATEGIES),
            )
        )
    if mode not in MODES:
        raise BadInput(
            _("unknown mode '{name}' (one of: {known})", name=mode, known=", ".join(MODES))
        )
    if block_size < 1:
        raise BadInput(
            _(
                "{parameter} must be at least 1, got {value}",
                parameter="block_size",
                value=block_size,
            )
        )
    if steps is not None and steps < 0:
        raise BadInput(
            _("{parameter} must be 0 or more, got {value}", parameter="steps", value=steps)
        )
    check_samples(samples)


def _top(
    network: nx.Graph,
    strategy: str,
    how_many: int,
    weighted: bool,
    seed: int,
    samples: int | None,
) -> list[Hashable]:
    """The `how_many` top-ranked nodes, best first (ties: smallest id)."""
    scores: dict[Hashable, float]
    if strategy == "degree":
        scores = {n: float(d) for n, d in network.degree(weight="weight" if weighted else None)}
    else:
        scores, _ = betweenness(network, weighted=weighted, samples=samples, seed=seed)
    return heapq.nsmallest(how_many, network, key=lambda n: (rank_key(scores[n]), str(n)))


# ------------------------------------------------------------------------------ on arrays


def disrupt_network(
    network: ArrayNetwork,
    mode: str = "sequential",
    block_size: int = 5,
    steps: int | None = None,
    *,
    weighted: bool = False,
    progress: Progress | None = None,
) -> DisruptResult:
    """`disrupt` by degree on the network's arrays: the same steps, the degrees updated where
    a removal changes them and the components counted by igraph (compiled)."""
    _check(STRATEGIES[0], mode, block_size, steps, None)
    state = _Removal(network, weighted)
    intact = state.largest()
    if intact == 0:
        raise NotFound(_("the network is empty: there is nothing to disrupt"))
    per_step = 1 if mode == "sequential" else block_size
    possible = -(-state.left // per_step)
    wanted = possible if steps is None else steps
    tick = ticker(progress, min(wanted, possible))
    taken = [Step([], 1.0, intact, state.left)]
    while len(taken) - 1 < wanted and state.left > 0:
        if state.edges_left == 0:
            taken += state.isolated_steps(per_step, wanted - (len(taken) - 1), intact)
            tick(len(taken) - 1)
            break
        removed = state.remove_top(per_step)
        size = state.largest()
        taken.append(Step(network.nodes.id_list(removed), size / intact, size, state.left))
        tick(len(taken) - 1)
    note = None
    if steps is not None and steps > len(taken) - 1:
        note = f"no node left after {len(taken) - 1} step(s); {steps} were asked for"
    return DisruptResult(
        strategy=STRATEGIES[0],
        mode=mode,
        block_size=per_step,
        weighted=weighted,
        intact_lcc=intact,
        steps=taken,
        note=note,
    )


class _Removal:
    """The undirected simple graph as its nodes are removed: who is left, each one's degree
    (recomputed from the neighbours left, where a removal touched it) and the compiled graph
    whose links to removed nodes are deleted (node numbers stay)."""

    def __init__(self, network: ArrayNetwork, weighted: bool) -> None:
        links = network.links(directed=False)
        n = network.count
        self.nodes = network.nodes
        self.alive = np.ones(n, dtype=np.bool_)
        self.left = n
        self.edges_left = len(links.tails)
        tails = np.concatenate([links.tails, links.heads])
        heads = np.concatenate([links.heads, links.tails])
        weights = (
            np.concatenate([links.weights, links.weights]) if weighted else np.ones(len(tails))
        )
        order = np.argsort(tails, kind="stable")
        self.neighbours = heads[order]
        self.weights = weights[order]
        self.starts = np.concatenate([[0], np.cumsum(np.bincount(tails, minlength=n))])
        self.degree = np.bincount(tails, weights=weights, minlength=n)
        self.compiled = compiled_graph(n, links)

    def around(self, node: int) -> slice:
        return slice(int(self.starts[node]), int(self.starts[node + 1]))

    def largest(self) -> int:
        """The size of the largest connected group of the nodes left (0 when none is)."""
        if self.left == 0:
            return 0
        membership = np.asarray(self.compiled.connected_components().membership)
        return int(np.bincount(membership[self.alive]).max())

    def remove_top(self, how_many: int) -> list[int]:
        """Remove the `how_many` nodes of highest degree (ties: smallest id), best first."""
        ranks = self.nodes.id_ranks
        removed = top_nodes(
            self.degree, self.alive, how_many, lambda index: ranks()[index].tolist()
        )
        touched: list[np.ndarray] = []
        for node in removed:
            around = self.neighbours[self.around(node)]
            self.edges_left -= int(self.alive[around].sum())
            self.alive[node] = False
            touched.append(around)
            self.compiled.delete_edges(self.compiled.incident(node))
        self.left -= len(removed)
        for node in np.unique(np.concatenate(touched)).tolist():
            if self.alive[node]:
                span = self.around(node)
                self.degree[node] = float(
                    self.weights[span][self.alive[self.neighbours[span]]].sum()
                )
        return removed

    def isolated_steps(self, per_step: int, wanted: int, intact: int) -> list[Step]:
        """The nodes left, all without links, removed by id: one component each."""
        left = np.flatnonzero(self.alive)
        rest = sorted(self.nodes.id_list(left))
        found: list[Step] = []
        while len(found) < wanted and rest:
            removed, rest = rest[:per_step], rest[per_step:]
            size = 1 if rest else 0
            found.append(Step(removed, size / intact, size, len(rest)))
        self.left = len(rest)
        return found
