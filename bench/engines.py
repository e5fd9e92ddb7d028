"""Which compiled graph engine should do hilos's heavy lifting? Measure them side by side.

Runs exact betweenness and closeness centrality with networkx (the baseline) and with every
engine that is importable (rustworkx, igraph, networkit), on the same seeded scale-free network,
and prints a Markdown table with the ratio to networkx. Usage:

    python bench/engines.py [NODES] [REPEATS]

Engines not installed are skipped; install them in a scratch environment to compare.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import networkx as nx


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    nodes = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    graph = nx.barabasi_albert_graph(nodes, 2, seed=1)
    runs: dict[str, dict[str, Callable[[], object]]] = {
        "networkx": {
            "betweenness": lambda: nx.betweenness_centrality(graph),
            "closeness": lambda: nx.closeness_centrality(graph),
        }
    }
    try:
        import rustworkx as rx

        converted = rx.networkx_converter(graph)
        runs["rustworkx"] = {
            "betweenness": lambda: rx.betweenness_centrality(converted),
            "closeness": lambda: rx.closeness_centrality(converted),
        }
    except ImportError:
        pass
    try:
        import igraph as ig

        other = ig.Graph.from_networkx(graph)
        runs["igraph"] = {
            "betweenness": lambda: other.betweenness(),
            "closeness": lambda: other.closeness(),
        }
    except ImportError:
        pass
    try:
        import networkit as nk

        kit = nk.nxadapter.nx2nk(graph)
        runs["networkit"] = {
            "betweenness": lambda: nk.centrality.Betweenness(kit).run(),
            "closeness": lambda: nk.centrality.Closeness(kit, False, 1).run(),
        }
    except ImportError:
        pass

    print(
        f"Scale-free network: {nodes} nodes, {graph.number_of_edges()} edges; "
        f"median of {repeats} runs (min–max), seconds\n"
    )
    print("| engine | betweenness | ratio | closeness | ratio |")
    print("|---|---|---|---|---|")
    baseline: dict[str, float] = {}
    for engine, measures in runs.items():
        cells = []
        for measure, action in measures.items():
            times = timed(action, repeats)
            median = statistics.median(times)
            baseline.setdefault(measure, median)
            cells.append(f"{median:.2f} ({min(times):.2f}–{max(times):.2f})")
            cells.append(f"{baseline[measure] / median:.1f}×")
        print(f"| {engine} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
