"""Who connects the state and the criminal world: brokerage across spheres.

Two views of the same question, both over actors that have a sphere (state, criminal, community,
civil); places, markets, policies and other nodes without a sphere are never brokers, nor the
ends of a brokered pair.

- **Gould–Fernandez brokerage roles** (Gould & Fernandez 1989), on the directed simple graph:
  for every two-step path a → b → c where a → c is not itself a tie (and a ≠ c), the middle
  actor b is a *coordinator* if all three share a sphere, *itinerant* (consultant) if a and c
  share a sphere and b does not, *gatekeeper* if b and c share a sphere and a does not,
  *representative* if a and b share a sphere and c does not, and *liaison* if all three
  differ. Every role but coordinator crosses a sphere: their sum is the actor's cross-sphere
  brokerage. An undirected graph counts each link both ways (so a gatekeeper on one side of a
  path is a representative on the other).
- **Cross-sphere betweenness**, on the undirected simple graph: betweenness counted only over
  the shortest paths whose two ends are actors of different spheres, as a share of all such
  pairs (an actor on every shortest path of every cross-sphere pair but its own scores 1 less
  the share of the pairs it is an end of). Exact up to 5,000 nodes; above that, and unless
  `samples=0`, estimated from 500 sources drawn with the seed.

Neither takes a Python step per path or per source. The betweenness is igraph's subset
betweenness (compiled), called with one sphere's sources at a time (in batches, for progress)
and the actors of every other sphere as targets. The roles are counted in numpy arrays per
middle actor and pair of spheres: its predecessors by sphere times its successors by sphere,
less the pairs a = c and the closed triads (a → c tied), the latter found tie by tie. The
answers are those of Brandes' accumulation and of the path-by-path count, which
tests/network/test_brokers.py keeps as references: the roles exactly, the scores to rounding
(igraph adds the same dependencies in another order: the last one or two digits of a score
may differ).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import networkx as nx
import numpy as np

from ..evidence import Record
from ..store import Progress
from .arrays import Links, compiled_graph
from .brandes import compressed
from .centrality import (
    SAMPLE_SIZE,
    SAMPLING_THRESHOLD,
    check_samples,
    check_top,
    label_of,
    rank_key,
    sphere_of,
    ticker,
)

if TYPE_CHECKING:
    import igraph  # type: ignore[import-untyped]

ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
CROSSING_ROLES = ROLES[1:]


@dataclass(frozen=True)
class Broker(Record):
    """One actor's brokerage: its cross-sphere betweenness and its roles."""

    id: str
    label: str
    sphere: str | None
    cross_sphere_betweenness: float
    roles: dict[str, int] = field(default_factory=dict)

    json_keys: ClassVar[tuple[str, ...]] = (
        "id", "label", "sphere", "score", "cross_sphere_betweenness", "roles",
        "cross_sphere_brokerage",
    )  # fmt: skip
    json_values: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "roles": lambda roles: {role: roles.get(role, 0) for role in ROLES}
    }
    """Every role is written, 0 for those the actor never plays."""

    @property
    def score(self) -> float:
        return self.cross_sphere_betweenness

    @property
    def cross_sphere_brokerage(self) -> int:
        return sum(self.roles.get(role, 0) for role in CROSSING_ROLES)


@dataclass(frozen=True)
class BrokersResult(Record):
    """The brokers, highest cross-sphere betweenness first, and what it was measured over."""

    brokers: list[Broker]
    cross_sphere_pairs: int
    sampled: int | None

    json_keys: ClassVar[tuple[str, ...]] = ("cross_sphere_pairs", "sampled", "brokers")
    json_names: ClassVar[Mapping[str, str]] = {"sampled": "sampled_sources"}


def role(a: str, b: str, c: str) -> str:
    """The Gould–Fernandez role of b on the path a → b → c, from the three spheres.

    >>> role("state", "state", "criminal"), role("criminal", "state", "criminal")
    ('representative', 'itinerant')
    """
    if a == b == c:
        return "coordinator"
    if a == c:
        return "itinerant"
    if b == c:
        return "gatekeeper"
    if a == b:
        return "representative"
    return "liaison"


BATCHES = 20
"""The sources of the betweenness go to igraph in about this many calls (a few more where the
spheres split them), so that progress moves. Each call costs a pass over the whole graph besides
its sources' searches (half a second at a million nodes), so not one call per source."""

Rows = tuple[np.ndarray, np.ndarray]
"""The graph's ties as compressed rows, `brandes.compressed` (successors if directed): read from
networkx once for both measures, the slowest step left on a large network."""

CHUNK = 4_000_000
"""At most about this many candidate middles are tested at once when closed triads are counted
(a few tens of megabytes of arrays)."""


def brokerage_roles(graph: nx.Graph) -> dict[Hashable, Counter[str]]:
    """How often each actor holds each Gould–Fernandez role (actors with a sphere only).

    Counted per middle actor b and pair of spheres (x of a, y of c) rather than per path: the
    paths a → b → c number |pred_x(b)| × |succ_y(b)|, less the a = c among them (actors tied
    both ways with b) and less the closed triads (a → c tied too), found tie by tie.
    """
    return _roles(graph, compressed(graph)[1:])


def _roles(graph: nx.Graph, rows: Rows) -> dict[Hashable, Counter[str]]:
    """The roles, from the graph's ties already read as compressed rows."""
    actors, codes, names = _actor_codes(graph)
    heads, tails = _actor_links(rows, codes)
    codes = codes[codes >= 0]
    size = (len(actors), len(names))
    paths = _two_paths(heads, tails, codes, size)
    paths -= _returns(heads, tails, codes, size)
    paths -= _closed_triads(heads, tails, codes, size)
    tallies = _by_role(paths, codes, names).tolist()
    return {
        actor: Counter({ROLES[r]: n for r, n in enumerate(row) if n})
        for actor, row in zip(actors, tallies, strict=True)
    }


def _actor_codes(graph: nx.Graph) -> tuple[list[Hashable], np.ndarray, list[str]]:
    """The actors (nodes with a sphere) in the graph's order, every node's sphere as a number
    (-1: none) and the spheres' names by number."""
    names: dict[str, int] = {}
    actors: list[Hashable] = []
    codes = np.full(len(graph), -1, np.int64)
    for i, node in enumerate(graph):
        sphere = sphere_of(graph, node)
        if sphere is not None:
            codes[i] = names.setdefault(sphere, len(names))
            actors.append(node)
    return actors, codes, list(names)


def _actor_links(rows: Rows, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ties between actors on the directed simple graph (an undirected link both ways, no
    self-ties), as their ends numbered among the actors, sorted by (head, tail)."""
    indptr, indices = rows
    heads = np.repeat(np.arange(len(codes), dtype=np.int64), np.diff(indptr))
    keep = (heads != indices) & (codes[heads] >= 0) & (codes[indices] >= 0)
    number = np.cumsum(codes >= 0) - 1
    m = int(number[-1]) + 1 if len(number) else 0
    keys = np.unique(number[heads[keep]] * m + number[indices[keep]])
    return keys // max(m, 1), keys % max(m, 1)


def _two_paths(
    heads: np.ndarray, tails: np.ndarray, codes: np.ndarray, size: tuple[int, int]
) -> np.ndarray:
    """For each middle b and spheres x, y (an array m × k × k): |pred_x(b)| × |succ_y(b)|."""
    m, k = size
    into = np.bincount(tails * k + codes[heads], minlength=m * k).reshape(m, k)
    out = np.bincount(heads * k + codes[tails], minlength=m * k).reshape(m, k)
    return into[:, :, None] * out[:, None, :]


def _returns(
    heads: np.ndarray, tails: np.ndarray, codes: np.ndarray, size: tuple[int, int]
) -> np.ndarray:
    """The paths a → b → a among them: one per tie a → b whose reverse b → a is a tie too."""
    m = size[0]
    keys = heads * m + tails
    back = _is_tie(keys, tails * m + heads)
    a, b = heads[back], tails[back]
    return _tally(b, codes[a], codes[a], size)


def _closed_triads(
    heads: np.ndarray, tails: np.ndarray, codes: np.ndarray, size: tuple[int, int]
) -> np.ndarray:
    """The paths a → b → c with a → c tied: for each tie a → c, the middles b among the
    successors of a (tested for b → c) or the predecessors of c (tested for a → b), whichever
    are fewer."""
    m, k = size
    keys = heads * m + tails
    out_ptr = _pointers(heads, m)
    by_tail = np.argsort(tails * m + heads, kind="stable")
    in_ptr, in_heads = _pointers(tails[by_tail], m), heads[by_tail]
    out_degree, in_degree = np.diff(out_ptr), np.diff(in_ptr)
    from_head = out_degree[heads] <= in_degree[tails]
    found = np.zeros((m, k, k), np.int64)
    for ties in _chunks(np.flatnonzero(from_head), out_degree[heads[from_head]]):
        tie, b = _expand(out_ptr, tails, heads[ties])
        a, c = heads[ties][tie], tails[ties][tie]
        closed = _is_tie(keys, b * m + c)
        found += _tally(b[closed], codes[a[closed]], codes[c[closed]], size)
    from_tail = np.flatnonzero(~from_head)
    for ties in _chunks(from_tail, in_degree[tails[from_tail]]):
        tie, b = _expand(in_ptr, in_heads, tails[ties])
        a, c = heads[ties][tie], tails[ties][tie]
        closed = _is_tie(keys, a * m + b)
        found += _tally(b[closed], codes[a[closed]], codes[c[closed]], size)
    return found


def _pointers(sorted_owners: np.ndarray, m: int) -> np.ndarray:
    """Compressed-row pointers of ties sorted by their owner: owner i's are [ptr[i], ptr[i+1])."""
    pointers = np.zeros(m + 1, np.int64)
    np.cumsum(np.bincount(sorted_owners, minlength=m), out=pointers[1:])
    return pointers


def _expand(
    pointers: np.ndarray, targets: np.ndarray, owners: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, t) with t a neighbour of owners[i] in the compressed rows (pointers, targets)."""
    starts = pointers[owners]
    counts = pointers[owners + 1] - starts
    which = np.repeat(np.arange(len(owners), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    at = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(first - starts, counts)
    return which, targets[at]


def _chunks(ties: np.ndarray, work: np.ndarray) -> Iterator[np.ndarray]:
    """`ties` in consecutive slices of about CHUNK units of `work` each."""
    if len(ties) == 0:
        return
    cuts = np.searchsorted(np.cumsum(work), np.arange(CHUNK, int(work.sum()), CHUNK))
    yield from np.split(ties, np.unique(cuts))


def _is_tie(keys: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Which of `asked` are among the sorted `keys`."""
    at = np.minimum(np.searchsorted(keys, asked), max(len(keys) - 1, 0))
    return keys[at] == asked if len(keys) else np.zeros(len(asked), bool)


def _tally(
    middles: np.ndarray, first: np.ndarray, last: np.ndarray, size: tuple[int, int]
) -> np.ndarray:
    """How many (b, x, y) there are among the triples given, as an array m × k × k."""
    m, k = size
    flat = (middles * k + first) * k + last
    return np.bincount(flat, minlength=m * k * k).reshape(m, k, k)


def _by_role(paths: np.ndarray, codes: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The open paths of each middle (m × k × k, by the spheres of its ends) summed by role
    (m × 5, in the order of ROLES)."""
    k = len(names)
    table = np.array(
        [[[ROLES.index(role(x, b, y)) for y in names] for x in names] for b in names], np.int64
    ).reshape(k, k, k)
    which = table[codes]
    return np.stack(
        [np.where(which == r, paths, 0).sum(axis=(1, 2)) for r in range(len(ROLES))], axis=1
    )


def cross_sphere_betweenness(
    graph: nx.Graph,
    *,
    samples: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[dict[Hashable, float], int, int | None]:
    """Betweenness over the shortest paths whose ends are actors of different spheres, on the
    undirected simple graph, normalised by the number of such (unordered) pairs.

    Returns the scores, the number of cross-sphere pairs and the number of sampled sources
    (None when exact).

    >>> g = nx.Graph([("s", "x"), ("x", "c")])
    >>> nx.set_node_attributes(g, {"s": "state", "c": "criminal"}, "sphere")
    >>> scores, pairs, _ = cross_sphere_betweenness(g)
    >>> scores, pairs
    ({'s': 0.0, 'x': 1.0, 'c': 0.0}, 1)
    """
    check_samples(samples)
    return _betweenness(graph, compressed(graph)[1:], samples, seed, progress)


def _betweenness(
    graph: nx.Graph, rows: Rows, samples: int | None, seed: int, progress: Progress | None
) -> tuple[dict[Hashable, float], int, int | None]:
    nodes = list(graph)
    group = [sphere_of(graph, node) for node in nodes]
    sources = [i for i, sphere in enumerate(group) if sphere is not None]
    sizes = Counter(sphere for sphere in group if sphere is not None)
    pairs = (len(sources) ** 2 - sum(c * c for c in sizes.values())) // 2
    n = len(nodes)
    k = (SAMPLE_SIZE if n > SAMPLING_THRESHOLD else None) if samples is None else samples or None
    if k is not None and k >= len(sources):
        k = None
    # The sources drawn are a function of the seed and of the actors in the graph's order alone.
    chosen = sources if k is None else random.Random(seed).sample(sources, k)
    if pairs == 0:
        return dict.fromkeys(nodes, 0.0), 0, k
    raw = _subset_betweenness(_undirected_simple(rows), group, chosen, progress)
    # Each unordered pair is met from both of its ends; a sample stands for all the sources.
    scale = (len(sources) / len(chosen)) / (2 * pairs)
    return {node: float(raw[i]) * scale for i, node in enumerate(nodes)}, pairs, k


def _undirected_simple(rows: Rows) -> igraph.Graph:
    """The undirected simple graph of the ties in igraph, vertex i being the i-th node: one link
    per pair of nodes, no self-ties, links in sorted order (so the order in which igraph sums,
    and with it the last digits of a score, does not follow the hash seed through the sets an
    undirected view iterates)."""
    indptr, indices = rows
    n = len(indptr) - 1
    heads = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    low, high = np.minimum(heads, indices), np.maximum(heads, indices)
    keep = low != high
    keys = np.unique(low[keep] * n + high[keep])
    tails = keys // max(n, 1)
    return compiled_graph(n, Links(tails=tails, heads=keys % max(n, 1), weights=np.ones(len(keys))))


def _subset_betweenness(
    simple: igraph.Graph,
    group: Sequence[str | None],
    chosen: Sequence[int],
    progress: Progress | None,
) -> np.ndarray:
    """Sum of pair dependencies over the ordered pairs (s, t), s in `chosen`, t an actor of
    another sphere than s (Brandes' accumulation with groups, as `centrality.accumulate`)."""
    raw = np.zeros(simple.vcount())
    tick = ticker(progress, len(chosen))
    size = max(1, -(-len(chosen) // BATCHES))
    done = 0
    for sphere in dict.fromkeys(group[s] for s in chosen):
        own = [s for s in chosen if group[s] == sphere]
        others = [t for t, name in enumerate(group) if name is not None and name != sphere]
        for start in range(0, len(own), size):
            batch = own[start : start + size]
            # igraph halves undirected betweenness (each pair seen from both ends); here the
            # pair (s, t) is counted from s only, so the half is undone: exact, a power of 2.
            raw += 2.0 * np.asarray(
                simple.betweenness(sources=batch, targets=others, directed=False)
            )
            done += len(batch)
            tick(done)
    return raw


def brokers(
    graph: nx.Graph,
    top: int | None = None,
    *,
    samples: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> BrokersResult:
    """The actors that broker across spheres, by cross-sphere betweenness (then cross-sphere
    brokerage, label, id). Actors with neither are left out.

    >>> g = nx.DiGraph([("mayor", "police"), ("police", "cartel")])
    >>> nx.set_node_attributes(
    ...     g, {"mayor": "state", "police": "state", "cartel": "criminal"}, "sphere")
    >>> [(b.id, round(b.score, 3), b.roles["representative"]) for b in brokers(g).brokers]
    [('police', 0.5, 1)]
    """
    check_top(top)
    check_samples(samples)
    rows = compressed(graph)[1:]
    roles = _roles(graph, rows)
    scores, pairs, sampled = _betweenness(graph, rows, samples, seed, progress)
    found = [
        Broker(
            id=str(node),
            label=label_of(graph, node),
            sphere=sphere_of(graph, node),
            cross_sphere_betweenness=scores.get(node, 0.0),
            roles={r: tally.get(r, 0) for r in ROLES},
        )
        for node, tally in roles.items()
    ]
    found = [b for b in found if b.score > 0 or b.cross_sphere_brokerage > 0]
    found.sort(key=lambda b: (rank_key(b.score), -b.cross_sphere_brokerage, b.label, b.id))
    return BrokersResult(
        brokers=found[:top] if top is not None else found,
        cross_sphere_pairs=pairs,
        sampled=sampled,
    )
