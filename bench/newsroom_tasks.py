"""The measurements of `newsroom.py`, each run in a fresh process of its own.

    python bench/newsroom_tasks.py TASK JSON-ARGUMENTS

A task prints one JSON line per step it completes (`{"step": …, "times": […], …}`) and a last
line with the peak resident memory of its process (`{"done": true, "rss": bytes}`), so the
parent can stop it at a time or memory limit and still keep what was measured. Tasks that take
a list of `steps` do them in order; the parent restarts such a task without the steps already
done when one of them runs out of time.

hilos's side uses the library as the command line does (an open store, `search`, `show`,
`find_paths_in_store`, `project`, the analyses, `export_html`); the baselines are what a user
would otherwise write: rdflib's parser and SPARQL engine, plain networkx on the same projection,
pyvis's own `Network` API.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


def peak_rss() -> int:
    """The peak resident memory of this process, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def repeat(action: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    times: list[float] = []
    result: Any = None
    for _ in range(repeats):
        seconds, result = timed(action)
        times.append(seconds)
    return times, result


def disk_usage(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# ------------------------------------------------------------------------------------ loading


def load_hilos(template: str, store: str, file: str) -> None:
    """Load the file into a fresh copy of a store holding the ontology and the curated graph."""
    from hilos.store import Store

    target = Path(store)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    opened = Store.open(target)
    seconds, report = timed(lambda: opened.load(file, name="newsroom"))
    opened.close()
    Store.open(target).close()  # the size once the write-ahead log is folded into the tables
    emit(
        {
            "step": "load",
            "times": [seconds],
            "triples": report.triples,
            "inferred": report.inferred_triples,
            "disk": disk_usage(target),
            "rss": peak_rss(),
        }
    )


def make_template(store: str) -> None:
    """A store with the ontology and the curated graph, copied before every load."""
    from hilos.store import Store

    Store.open(store).close()
    emit({"step": "template"})


def parse_oxigraph(file: str) -> None:
    """Oxigraph's parser alone: every triple read into Python, nothing stored."""
    import pyoxigraph as ox

    def parse() -> int:
        count = 0
        with open(file, "rb") as handle:
            for _ in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES):
                count += 1
        return count

    seconds, count = timed(parse)
    emit({"step": "parse", "times": [seconds], "triples": count, "rss": peak_rss()})


def bulk_oxigraph(file: str, store: str) -> None:
    """Oxigraph's own bulk loader into an empty store on disk: no inference, no bookkeeping."""
    import pyoxigraph as ox

    target = Path(store)
    if target.exists():
        shutil.rmtree(target)
    database = ox.Store(str(target))
    seconds, _ = timed(lambda: database.bulk_load(path=file, format=ox.RdfFormat.N_TRIPLES))
    database.flush()
    count = len(database)
    emit(
        {
            "step": "bulk",
            "times": [seconds],
            "triples": count,
            "disk": disk_usage(target),
            "rss": peak_rss(),
        }
    )
    shutil.rmtree(target, ignore_errors=True)


def load_rdflib(file: str, project: bool = True) -> None:
    """rdflib parsing the file into its in-memory graph, then (the plain stack's projection)
    a networkx MultiDiGraph of the ties built from it."""
    import rdflib

    graph = rdflib.Graph()
    seconds, _ = timed(lambda: graph.parse(file, format="nt"))
    emit({"step": "load", "times": [seconds], "triples": len(graph), "rss": peak_rss()})
    if project:
        seconds, network = timed(lambda: rdflib_projection(graph))
        emit(
            {
                "step": "projection",
                "times": [seconds],
                "nodes": network.number_of_nodes(),
                "edges": network.number_of_edges(),
                "rss": peak_rss(),
            }
        )


def rdflib_projection(graph: Any) -> Any:
    """The ties of an rdflib graph as a networkx MultiDiGraph, as a user would build it."""
    import networkx as nx
    import rdflib

    hilos = rdflib.Namespace("https://w3id.org/hilos/ontology#")
    weights = {"Refuted": 0.0, "Disputed": 0.2, "Alleged": 0.4, "Reported": 0.7, "Confirmed": 1.0}
    network = nx.MultiDiGraph()
    for tie, source in graph.subject_objects(hilos["from"]):
        target = graph.value(tie, hilos.to)
        if target is None:
            continue
        status = graph.value(tie, hilos.status)
        name = str(status).rsplit("#", 1)[-1] if status is not None else None
        confidence = graph.value(tie, hilos.confidence)
        score = weights.get(name or "", 0.0) * (1.0 if confidence is None else float(confidence))
        network.add_edge(
            str(source),
            str(target),
            key=str(tie),
            relation=str(graph.value(tie, rdflib.RDF.type)),
            status=name,
            score=score,
            start=graph.value(tie, hilos.start),
            end=graph.value(tie, hilos.end),
        )
    for node in network.nodes:
        label = graph.value(rdflib.URIRef(node), rdflib.RDFS.label)
        network.nodes[node]["label"] = str(label) if label is not None else node
    return network


def export_union(store: str, out: str) -> None:
    """Everything the store's queries see — loaded and derived — as one N-Triples file, for
    rdflib's engine to answer the same queries on the same data."""
    from hilos.store import Store

    opened = Store.open(store)
    with open(out, "wb") as handle:
        count = opened.export("ntriples", handle, inferred=True)
    opened.close()
    emit({"step": "union", "triples": count})


# ------------------------------------------------------------------------------------ queries


def query_hilos(store: str, steps: list[str], params: dict[str, str], repeats: int) -> None:
    """Each library query on the store, `repeats` times (results read into Python)."""
    from hilos.sparql.library import find_query, run
    from hilos.store import Store

    opened = Store.open(store)
    for name in steps:
        query = find_query(name)
        values = {p.name: params[p.name] for p in query.parameters if p.required}
        times, result = repeat(lambda q=query, v=values: run(opened, q, v), repeats)
        emit({"step": name, "times": times, "rows": len(result.rows)})
    opened.close()
    emit({"step": "closed", "rss": peak_rss()})


def queries_rdflib(
    file: str, steps: list[str], params: dict[str, str], repeats: int, limit: float
) -> None:
    """rdflib's SPARQL engine on the same data: the graph is parsed once, then every query runs
    in a forked child stopped after `limit` seconds."""
    import rdflib

    from hilos.namespaces import PREFIXES
    from hilos.sparql.library import find_query

    graph = rdflib.Graph()
    seconds, _ = timed(lambda: graph.parse(file, format="nt"))
    emit({"step": "parse", "times": [seconds], "triples": len(graph), "rss": peak_rss()})
    header = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
    for name in steps:
        query = find_query(name)
        bindings = {}
        for p in query.parameters:
            if not p.required:
                continue
            raw = params[p.name]
            if p.type == "status":
                raw = "https://w3id.org/hilos/ontology#" + raw.capitalize()
            elif p.type == "sphere":
                raw = "https://w3id.org/hilos/ontology#" + raw.capitalize() + "Sphere"
            bindings[p.name] = rdflib.URIRef(raw)
        text = header + query.text
        record = _forked(
            lambda t=text, b=bindings: len(list(graph.query(t, initBindings=b))), repeats, limit
        )
        record["step"] = name
        emit(record)
    emit({"step": "closed", "rss": peak_rss()})


def _forked(action: Callable[[], int], repeats: int, limit: float) -> dict[str, Any]:
    """Run `action` `repeats` times, each in a forked child stopped after `limit` seconds (a run
    that reaches the limit ends the measurement)."""
    times: list[float] = []
    record: dict[str, Any] = {}
    for _ in range(repeats):
        record = _fork_once(action, limit)
        if "times" not in record:
            return record
        times += record["times"]
    return {**record, "times": times}


def _fork_once(action: Callable[[], int], limit: float) -> dict[str, Any]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            seconds, rows = timed(action)
            payload = json.dumps({"times": [seconds], "rows": rows, "rss": peak_rss()})
        except Exception as exc:  # reported to the parent, which goes on
            payload = json.dumps({"status": "error", "error": f"{type(exc).__name__}: {exc}"})
        os.write(write, payload.encode())
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + limit
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)
        return {"status": "timeout", "limit": limit}
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    if not chunks:
        return {"status": "error", "error": f"the child ended with status {status}"}
    record: dict[str, Any] = json.loads(b"".join(chunks))
    return record


# ---------------------------------------------------------------------- interactive commands


def interactive_hilos(store: str, steps: list[str], params: dict[str, Any], repeats: int) -> None:
    """search (cold, then warm), show and paths as the command line runs them, store open."""
    from hilos.entities import card as entity_card
    from hilos.network.projection import Filters
    from hilos.search import search
    from hilos.store import Store

    find_paths_in_store = _path_finder()
    opened = Store.open(store)
    texts: list[str] = params["search"]
    for step in steps:
        if step == "search cold":
            seconds, hits = timed(lambda: search(opened, texts[0]))
            emit({"step": step, "times": [seconds], "hits": len(hits)})
        elif step == "search":
            times: list[float] = []
            for text in texts:
                more, hits = repeat(lambda t=text: search(opened, t), repeats)
                times += more
            emit({"step": step, "times": times, "hits": len(hits)})
        elif step == "show":
            times, card = repeat(lambda: entity_card(opened, params["show"]), repeats)
            emit({"step": step, "times": times, "ties": len(card.ties)})
        elif step.startswith("paths"):
            a, b = params["paths"][int(step[-1])]
            times, found = repeat(
                lambda a=a, b=b: _paths_or_none(
                    find_paths_in_store, opened, Filters(directed=False), a, b
                ),
                repeats,
            )
            emit({"step": step, "times": times, "paths": _path_summary(found)})
    opened.close()
    emit({"step": "closed", "rss": peak_rss()})


def _path_finder() -> Callable[..., Any]:
    """hilos's path finder working from the store (before it existed: project, then find)."""
    try:
        from hilos.network.paths import find_paths_in_store
    except ImportError:  # the finder of earlier versions, for before/after comparisons
        from hilos.network.paths import find_paths
        from hilos.network.projection import project

        def find_paths_in_store(store: Any, filters: Any, a: str, b: str) -> Any:
            return find_paths(store, project(store, filters), a, b)

    return find_paths_in_store


def _paths_or_none(finder: Callable[..., Any], *args: Any) -> Any:
    from hilos.errors import NotFound

    try:
        return finder(*args)
    except NotFound:
        return []


def _path_summary(found: Any) -> list[list[Any]]:
    return [[round(p.score, 6), len(p.hops)] for p in found]


# ---------------------------------------------------------------------------------- analyses


def _projection(store: Any) -> tuple[float, Any]:
    from hilos.network.projection import Filters, project

    return timed(lambda: project(store, Filters()))


def analyses_hilos(
    store: str, steps: list[str], params: dict[str, Any], repeats: int, samples: int
) -> None:
    """The analysis commands on the projection of the store (built once, timed as its own
    step): chains, betweenness centrality, brokers, communities, disruption. Communities and
    disruption by degree run on the arrays, as the commands do (their conversion from the graph
    timed with them)."""
    from hilos.network.arrays import from_graph
    from hilos.network.brokers import brokers
    from hilos.network.centrality import centrality
    from hilos.network.communities import communities
    from hilos.network.disrupt import disrupt, disrupt_network
    from hilos.network.paths import find_chains
    from hilos.network.projection import Filters, Projection
    from hilos.store import Store

    opened = Store.open(store)
    seconds, projection = _projection(opened)
    graph = projection.graph
    emit(
        {
            "step": "projection",
            "times": [seconds],
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "rss": peak_rss(),
        }
    )
    undirected = Projection(graph=graph, filters=Filters(directed=False))
    actions: dict[str, Callable[[], Any]] = {
        "chains": lambda: len(find_chains(opened, undirected)[0]),
        "centrality": lambda: centrality(graph, "betweenness", samples=samples, top=20).sampled,
        "brokers": lambda: len(brokers(graph, top=20, samples=samples).brokers),
        "communities": lambda: len(communities(graph, seed=0).communities),
        "disrupt": lambda: (
            disrupt_network(from_graph(undirected.analysis_graph()), steps=5).steps[-1].lcc_fraction
        ),
        "disrupt betweenness": lambda: (
            disrupt(graph, strategy="betweenness", mode="block", steps=2, samples=samples)
            .steps[-1]
            .lcc_fraction
        ),
    }
    for step in steps:
        if step == "projection":
            continue
        times, result = repeat(actions[step], params.get("repeats", {}).get(step, repeats))
        emit({"step": step, "times": times, "result": result, "rss": peak_rss()})
    emit({"step": "closed", "rss": peak_rss()})


def baselines_networkx(
    store: str, steps: list[str], params: dict[str, Any], repeats: int, samples: int
) -> None:
    """The same questions answered with plain networkx on the same projection (built from the
    store once, with every name and the evidence as attributes, untimed)."""
    import networkx as nx

    from hilos.search import match_score
    from hilos.store import Store, solutions
    from hilos.text import normalise

    opened = Store.open(store)
    seconds, projection = _projection(opened)
    graph = projection.graph
    names: dict[str, list[str]] = defaultdict(list)
    for row in solutions(
        opened.query("SELECT ?e ?n WHERE { VALUES ?p { rdfs:label skos:altLabel } ?e ?p ?n }")
    ):
        if row["e"].value in graph:
            names[row["e"].value].append(normalise(row["n"].value))
    quotes = {
        row["t"].value: row["q"].value
        for row in solutions(opened.query("SELECT ?t ?q WHERE { ?t hilos:quote ?q }"))
    }
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["quote"] = quotes.get(key)
    del quotes
    opened.close()
    emit({"step": "projection", "times": [seconds], "rss": peak_rss()})

    def search(text: str) -> list[str]:
        query = normalise(text)
        found = [(max(match_score(query, k) for k in keys), node) for node, keys in names.items()]
        return [node for score, node in sorted((-s, n) for s, n in found if s > 0)[:20]]

    def show(node: str) -> list[tuple[Any, ...]]:
        ties = [("out", v, k, d) for _, v, k, d in graph.out_edges(node, keys=True, data=True)]
        ties += [("in", u, k, d) for u, _, k, d in graph.in_edges(node, keys=True, data=True)]
        return sorted(
            (direction, graph.nodes[other].get("label"), key, data.get("status"), data["quote"])
            for direction, other, key, data in ties
        )

    simple = nx.Graph()
    for u, v, data in graph.edges(data=True):
        if data["score"] > 0:
            weight = -math.log(data["score"])
            if not simple.has_edge(u, v) or simple[u][v]["weight"] > weight:
                simple.add_edge(u, v, weight=weight)

    def paths(a: str, b: str, limit: int = 5, max_hops: int = 6) -> list[list[str]]:
        found = []
        try:
            for examined, path in enumerate(nx.shortest_simple_paths(simple, a, b, "weight"), 1):
                if len(path) - 1 <= max_hops:
                    found.append(path)
                if len(found) >= limit or examined >= 5000:
                    break
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            pass
        return found

    def chains() -> int:
        collusion = {
            "hilos:" + name
            for name in [
                "CooperationTie",
                "Collusion",
                "Bribery",
                "Protection",
                "Infiltration",
                "Complicity",
                "Acquiescence",
                "Alliance",
                "Collaboration",
                "Subcontracting",
                "Funding",
                "Truce",
                "Mediation",
                "Command",
                "Leadership",
                "Membership",
            ]
        }
        tied = nx.Graph()
        tied.add_edges_from(
            (u, v)
            for u, v, data in graph.edges(data=True)
            if data["relation"] in collusion and data["score"] > 0
        )
        sphere = nx.get_node_attributes(graph, "sphere")
        criminal = {n for n in tied if sphere.get(n) == "criminal"}
        count = 0
        for start in (n for n in tied if sphere.get(n) == "state"):
            for path in nx.all_simple_paths(tied, start, criminal, cutoff=4):
                if all(sphere.get(n) not in (None, "criminal") for n in path[1:-1]):
                    count += 1
        return count

    def betweenness() -> Any:
        simple_directed = nx.DiGraph(graph)
        k = samples or None
        return nx.betweenness_centrality(simple_directed, k=k, seed=0 if k else None)

    def brokers() -> Any:
        undirected = nx.Graph(graph)
        sphere = nx.get_node_attributes(undirected, "sphere")
        actors = [n for n in undirected if sphere.get(n)]
        chosen = random.Random(0).sample(actors, samples) if samples else actors
        scores: Counter[Hashable] = Counter()
        for name in ("state", "criminal", "community", "civil"):
            sources = [n for n in chosen if sphere[n] == name]
            targets = [n for n in actors if sphere[n] != name]
            if sources and targets:
                scores.update(
                    nx.betweenness_centrality_subset(undirected, sources, targets, normalized=False)
                )
        directed = nx.DiGraph(graph)
        roles: Counter[tuple[Hashable, str]] = Counter()
        for b in directed:
            if not sphere.get(b):
                continue
            for a in directed.predecessors(b):
                for c in directed.successors(b):
                    if a != c and sphere.get(a) and sphere.get(c) and not directed.has_edge(a, c):
                        roles[(b, f"{sphere[a]}>{sphere[b]}>{sphere[c]}")] += 1
        return scores.most_common(20), len(roles)

    def communities() -> Any:
        undirected = nx.Graph(graph)
        parts = nx.community.louvain_communities(undirected, seed=0)
        return len(parts), nx.community.modularity(undirected, parts)

    def disrupt(steps: int = 5) -> float:
        undirected = nx.Graph(graph)
        intact = max(len(c) for c in nx.connected_components(undirected))
        left = intact
        for _ in range(steps):
            top = max(undirected.degree, key=lambda item: (item[1], item[0]))[0]
            undirected.remove_node(top)
            left = max((len(c) for c in nx.connected_components(undirected)), default=0)
        return left / intact

    def disrupt_betweenness(steps: int = 2, block: int = 5) -> float:
        undirected = nx.Graph(graph)
        intact = max(len(c) for c in nx.connected_components(undirected))
        left = intact
        for _ in range(steps):
            k = samples or None
            scores = nx.betweenness_centrality(undirected, k=k, seed=0 if k else None)
            top = sorted(scores, key=lambda n: (-scores[n], n))[:block]
            undirected.remove_nodes_from(top)
            left = max((len(c) for c in nx.connected_components(undirected)), default=0)
        return left / intact

    actions: dict[str, Callable[[], Any]] = {
        "search": lambda: [search(text) for text in params["search"]],
        "show": lambda: show(params["show"]),
        "chains": chains,
        "centrality": betweenness,
        "brokers": brokers,
        "communities": communities,
        "disrupt": disrupt,
        "disrupt betweenness": disrupt_betweenness,
    }
    for step in steps:
        if step == "projection":
            continue
        if step.startswith("paths"):
            a, b = params["paths"][int(step[-1])]
            times, found = repeat(lambda a=a, b=b: paths(a, b), repeats)
            emit({"step": step, "times": times, "paths": [len(p) - 1 for p in found]})
            continue
        count = params.get("repeats", {}).get(step, repeats)
        if step == "search":  # one time per text and repeat, like hilos's warm search
            times = []
            for text in params["search"]:
                more, _ = repeat(lambda t=text: search(t), count)
                times += more
            emit({"step": step, "times": times})
            continue
        times, _ = repeat(actions[step], count)
        emit({"step": step, "times": times, "rss": peak_rss()})
    emit({"step": "closed", "rss": peak_rss()})


# ------------------------------------------------------------------- commands, fresh processes


def hilos_command() -> list[str]:
    """The `hilos` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("hilos")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from hilos.cli import main; sys.exit(main())"]


def _run_command(argv: list[str]) -> tuple[float, int, str]:
    """Run a command to the end (its output read and thrown away): wall time, exit status and
    the last line it wrote on stderr."""
    import subprocess

    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return seconds, done.returncode, last[0][:300]


def children_rss() -> int:
    """The peak resident memory of the largest child process that has ended, in bytes."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def commands_hilos(
    store: str, steps: list[str], commands: dict[str, list[str]], repeats: int
) -> None:
    """Each command as a user types it, in a fresh process on the same unchanged store: once
    (`first`: it may build what the store keeps for the next ones), then `repeats` times more
    (`times`: a second analysis). Exit status 1 ("no answer") counts as an answer. Ends with
    the store's size on disk, with whatever the commands saved beside it."""
    base = [*hilos_command(), "--store", store]
    for step in (s for s in steps if s in commands):
        argv = [*base, *commands[step]]
        first, status, message = _run_command(argv)
        if status not in (0, 1):
            emit({"step": step, "status": "error", "error": f"exit {status}: {message}"})
            continue
        times: list[float] = []
        for _ in range(repeats):
            seconds, status, message = _run_command(argv)
            times.append(seconds)
        emit(
            {
                "step": step,
                "times": times,
                "first": first,
                "exit": status,
                "argv": commands[step],
                "rss": children_rss(),
            }
        )
    emit({"step": "disk", "disk": disk_usage(Path(store))})


def search_first(store: str, text: str) -> None:
    """The first search in a fresh process: the store opened (timed apart), then one search."""
    from hilos.search import search
    from hilos.store import Store

    opened_in, opened = timed(lambda: Store.open(store))
    seconds, hits = timed(lambda: search(opened, text))
    opened.close()
    emit(
        {
            "step": "search first",
            "times": [seconds],
            "open": opened_in,
            "hits": len(hits),
            "rss": peak_rss(),
        }
    )


# ----------------------------------------------------------------------------------- the page


def html_hilos(store: str, out: str, repeats: int, browser: bool = True) -> None:
    """`hilos export html` of the whole network, then the page opened in headless Chromium."""
    from hilos.export.html import export_html
    from hilos.network.projection import Filters
    from hilos.store import Store

    opened = Store.open(store)
    times, written = repeat(
        lambda: export_html(opened, out, Filters(directed=False), size_by="degree"), repeats
    )
    opened.close()
    emit(
        {
            "step": "export",
            "times": times,
            "nodes": written.nodes,
            "ties": written.ties,
            "bytes": Path(out).stat().st_size,
            "rss": peak_rss(),
        }
    )
    if not browser:
        return
    sys.path.insert(0, str(HERE))
    from html_export import measure_page

    first = written.nodes and _first_label(out)
    figures: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeats):
        for name, value in measure_page(Path(out), first or "a").items():
            figures[name].append(value)
    emit({"step": "chromium", "times": figures["ready"], "figures": dict(figures)})


def _first_label(page: str) -> str:
    """A node's label from the page's embedded data (in columns), to type in the search box."""
    text = Path(page).read_text(encoding="utf-8")
    start = text.index('id="hilos-data">') + len('id="hilos-data">')
    labels = json.loads(text[start : text.index("</script>", start)])["nodes"]["label"]
    return str(labels[0]) if labels else "a"


def pyvis_draw(graph: Any, out: str | Path) -> Any:
    """A projection's graph drawn with pyvis's own API, as a notebook user would: `add_node` per
    node, `add_edge` per tie, `write_html` with its scripts in-line (nothing copied beside it)."""
    from pyvis.network import Network

    colours = {"state": "#2166ac", "criminal": "#b2182b", "community": "#1b9e77"}
    colours["civil"] = "#e6ab02"
    net = Network(height="950px", width="100%", directed=True, cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        net.add_node(
            node,
            label=data.get("label") or node,
            title=f"{data.get('label')} ({data.get('sphere') or 'no sphere'})",
            color=colours.get(data.get("sphere") or "", "#9e9e9e"),
        )
    for u, v, data in graph.edges(data=True):
        net.add_edge(
            u,
            v,
            title=f"{data['relation']} — {data['status']}",
            dashes=data["status"] != "reported",
            width=1 + 3 * data["score"],
        )
    folder = tempfile.mkdtemp(prefix="pyvis-")
    here = os.getcwd()
    os.chdir(folder)  # pyvis may write beside the page; keep it out of the checkout
    try:
        net.write_html(str(out))
    finally:
        os.chdir(here)
        shutil.rmtree(folder, ignore_errors=True)
    return net


def html_pyvis(store: str, out: str) -> None:
    """The same network drawn with pyvis's own API: `add_node` per node, `add_edge` per tie,
    `write_html` (scripts in-line, so nothing is copied beside the page)."""
    from hilos.network.projection import Filters, project
    from hilos.store import Store

    opened = Store.open(store)
    graph = project(opened, Filters(directed=False)).graph
    opened.close()
    seconds, net = timed(lambda: pyvis_draw(graph, out))
    emit(
        {
            "step": "pyvis",
            "times": [seconds],
            "nodes": len(net.nodes),
            "ties": len(net.edges),
            "bytes": Path(out).stat().st_size,
            "rss": peak_rss(),
        }
    )


TASKS: dict[str, Callable[..., None]] = {
    "template": make_template,
    "load-hilos": load_hilos,
    "parse-oxigraph": parse_oxigraph,
    "bulk-oxigraph": bulk_oxigraph,
    "load-rdflib": load_rdflib,
    "union": export_union,
    "queries-hilos": query_hilos,
    "queries-rdflib": queries_rdflib,
    "interactive-hilos": interactive_hilos,
    "analyses-hilos": analyses_hilos,
    "baselines-networkx": baselines_networkx,
    "html-hilos": html_hilos,
    "html-pyvis": html_pyvis,
    "commands-hilos": commands_hilos,
    "search-first": search_first,
}


def lines(stream: Iterator[str]) -> Iterator[dict[str, Any]]:
    for line in stream:
        line = line.strip()
        if line.startswith("{"):
            yield json.loads(line)


def main() -> None:
    task, arguments = sys.argv[1], json.loads(sys.argv[2])
    TASKS[task](**arguments)
    emit({"done": True, "rss": peak_rss()})


if __name__ == "__main__":
    main()
