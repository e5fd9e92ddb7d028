"""How fast is `hilos export html`, and does the page stay usable on a large network?

Writes a seeded synthetic network as Turtle (actors of every sphere, places and persons, in
clusters of about 100 with most ties inside a cluster; every tie typed, with a status, often a
confidence and dates, a quote, a locator and a source with its citation), loads it into an
in-memory store with the ontology and the curated graph, exports the page, and opens it in
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) to time:

- ready: from navigation until the page says it is interactive (`window.hilosReady`, set on
  the first drawing after the layout, with physics off above 1,000 nodes);
- search: typing a name in the search box and pressing Enter until the side panel shows it;
- click: a mouse click on a node until the side panel shows its card;
- filter: unticking a sphere until the network is redrawn;
- redraw: one zoom step until the network is redrawn.

The same is measured for the curated graph of the report. The page's writing is compared with
pyvis's own API drawing the same projected network (`add_node` per node, `add_edge` per tie,
`write_html` with its scripts in-line; the projection is done before pyvis's clock starts, as in
bench/newsroom.py): each is timed `--repeats` times in this process, and the sizes compared.
Usage:

    python bench/html_export.py [NODES] [TIES] [--keep DIR] [--repeats N] [--no-browser]
    python bench/html_export.py --store PATH [--repeats N] [--no-browser]

Defaults: 5,000 nodes and 20,000 ties. With --keep, the pages are left in DIR. With --store, the
whole network of an existing store is exported instead (e.g. a store loaded with
`python bench/generate.py 20k --ties-per-actor 2`: about 19,000 nodes, 32,000 ties), and the
curated graph is not measured.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsroom_tasks import pyvis_draw

from hilos.export.html import export_html
from hilos.network.projection import Filters
from hilos.store import Store

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

ACTORS = [
    ("Mayor", None),
    ("MunicipalPolice", None),
    ("FederalPolice", None),
    ("Governor", None),
    ("DrugTraffickingOrganization", None),
    ("CriminalOrganization", None),
    ("StreetGang", None),
    ("SelfDefenceForce", None),
    ("Community", None),
    ("NGO", None),
    ("StudentMovement", None),
    ("Church", None),
    ("Person", "StateSphere"),
    ("Person", "CriminalSphere"),
    ("Person", None),
    ("Municipality", None),
]
TIES = [
    "Collusion",
    "Bribery",
    "Protection",
    "Complicity",
    "Alliance",
    "Funding",
    "Subcontracting",
    "Rivalry",
    "Attack",
    "Victimisation",
    "Command",
    "Leadership",
    "Membership",
    "Presence",
]
STATUSES = [("Reported", 50), ("Alleged", 25), ("Confirmed", 15), ("Disputed", 6), ("Refuted", 4)]
HEADER = """@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix syn: <https://example.org/synthetic/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
WORDS = ["norte", "sur", "valle", "sierra", "costa", "río", "puerto", "nuevo", "alto", "santa"]


def synthetic_turtle(nodes: int, ties: int, seed: int = 1) -> str:
    """A seeded synthetic network in Turtle: `nodes` entities and `ties` sourced ties."""
    rng = random.Random(seed)
    lines = [HEADER]
    for s in range(60):
        lines.append(
            f'syn:source-{s} a hilos:Source ; hilos:citation "Author {s}, {2000 + s % 20}" .'
        )
    clusters = max(1, nodes // 100)
    cluster_of = [rng.randrange(clusters) for _ in range(nodes)]
    members: dict[int, list[int]] = {}
    for i, c in enumerate(cluster_of):
        members.setdefault(c, []).append(i)
    for i in range(nodes):
        cls, sphere = ACTORS[rng.randrange(len(ACTORS))]
        name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}"
        sphere_line = f" ; hilos:sphere hilos:{sphere}" if sphere else ""
        lines.append(
            f'syn:n{i} a hilos:{cls} ; rdfs:label "{name}"@en ; '
            f'skos:altLabel "alias {i}"@es{sphere_line} .'
        )
    statuses = [s for s, w in STATUSES for _ in range(w)]
    seen: set[tuple[int, int]] = set()
    count = 0
    while count < ties:
        a = count if count < nodes else rng.randrange(nodes)  # every node has a tie
        b = rng.choice(members[cluster_of[a]]) if rng.random() < 0.8 else rng.randrange(nodes)
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        tie = rng.choice(TIES)
        parts = [
            f"syn:t{count} a hilos:{tie}",
            f"hilos:from syn:n{a}",
            f"hilos:to syn:n{b}",
            f"hilos:status hilos:{rng.choice(statuses)}",
            f'hilos:quote "Synthetic claim {count}: entity {a} and entity {b}, {tie.lower()}."@en',
            f'hilos:locator "p. {rng.randrange(1, 300)}"',
            f"prov:wasDerivedFrom syn:source-{rng.randrange(60)}",
        ]
        if rng.random() < 0.3:
            parts.append(f'hilos:confidence "{rng.choice([0.5, 0.6, 0.8, 0.9])}"^^xsd:decimal')
        if rng.random() < 0.4:
            start = rng.randrange(1990, 2020)
            parts.append(f'hilos:start "{start}"^^xsd:gYear')
            if rng.random() < 0.5:
                parts.append(f'hilos:end "{start + rng.randrange(0, 6)}"^^xsd:gYear')
        lines.append(" ;\n    ".join(parts) + " .")
        count += 1
    return "\n".join(lines) + "\n"


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def clocked(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds of an action (on shared cores, where other work stretches
    the wall clock, the CPU seconds say what the action itself costs)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _runs(values: list[float]) -> str:
    listed = ", ".join(f"{t:.2f}" for t in values)
    return f"median {statistics.median(values):.2f} s (runs {listed})"


CLICKABLE_NODE = """() => {
  // The node nearest the middle of the view that a click there would hit, other than the
  // one selected.
  const net = hilosNetwork;
  const view = net.getViewPosition();
  const selected = net.getSelectedNodes();
  const ids = hilosNodes.getIds({filter: (n) => !n.hidden});
  const positions = net.getPositions(ids);
  ids.sort((a, b) => ((positions[a].x - view.x) ** 2 + (positions[a].y - view.y) ** 2)
                   - ((positions[b].x - view.x) ** 2 + (positions[b].y - view.y) ** 2));
  for (const id of ids) {
    const dom = net.canvasToDOM(positions[id]);
    if (!selected.includes(id) && net.getNodeAt(dom) === id) {
      return {id: id, x: dom.x, y: dom.y, label: hilosData.nodes[id].label};
    }
  }
  return null;
}"""


def measure_page(page_path: Path, search: str) -> dict[str, float]:
    """Open the page in headless Chromium and time what a reader does first."""
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    leaks: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.on(
                "request", lambda r: leaks.append(r.url) if not r.url.startswith("file:") else None
            )
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            figures["ready"], _ = timed(
                lambda: (
                    page.goto(page_path.as_uri()),
                    page.wait_for_function("() => window.hilosReady === true", timeout=120_000),
                )
            )

            found = page.evaluate("(q) => hilos.nodeIndex(hilos.find(q)[0])", search)

            def search_and_pick() -> None:
                # Until the card is shown and the view has moved to the node.
                page.fill("#search-box", search)
                page.press("#search-box", "Enter")
                page.wait_for_function(
                    """(id) => {
                      const heading = document.querySelector('#panel h2');
                      const view = hilosNetwork.getViewPosition();
                      const at = hilosNetwork.getPositions([id])[id];
                      return heading && heading.textContent === hilosData.nodes[id].label
                        && Math.hypot(view.x - at.x, view.y - at.y) < 1;
                    }""",
                    arg=found,
                )

            figures["search"], _ = timed(search_and_pick)

            def click_node() -> None:
                box = page.locator("#network canvas").bounding_box()
                assert box is not None
                target = page.evaluate(CLICKABLE_NODE)
                page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
                page.wait_for_function(
                    "(label) => document.querySelector('#panel h2')?.textContent === label",
                    arg=target["label"],
                )

            figures["click"], _ = timed(click_node)
            figures["filter"], _ = timed(
                lambda: page.evaluate(
                    """() => new Promise((done) => {
                      hilosNetwork.once('afterDrawing', () => done(true));
                      document.querySelector('#controls label input').click();
                      hilosNetwork.redraw();
                    })"""
                )
            )
            figures["redraw"], _ = timed(
                lambda: page.evaluate(
                    """() => new Promise((done) => {
                      hilosNetwork.once('afterDrawing', () => done(true));
                      hilosNetwork.moveTo({scale: hilosNetwork.getScale() * 1.5});
                    })"""
                )
            )
            page.close()
        finally:
            browser.close()
    if leaks or errors:
        raise SystemExit(f"the page misbehaved: requests {leaks[:3]}, errors {errors[:3]}")
    return figures


def pyvis_page(store: Store, out: Path) -> tuple[float, float, int]:
    """The same network drawn with pyvis's own API; its wall-clock and CPU time (after the
    projection) and its size."""
    from hilos.network.projection import project

    graph = project(store, Filters(directed=False)).graph
    wall, cpu, _ = clocked(lambda: pyvis_draw(graph, out))
    return wall, cpu, out.stat().st_size


def run(
    label: str, store: Store, folder: Path, search: str | None, repeats: int, browser: bool
) -> None:
    out = folder / f"{label}.html"
    times: list[float] = []
    cpu: list[float] = []
    written = None
    for _ in range(repeats):
        seconds, spent, written = clocked(
            lambda: export_html(store, out, Filters(directed=False), size_by="degree")
        )
        times.append(seconds)
        cpu.append(spent)
    assert written is not None
    size = out.stat().st_size
    print(f"\n## {label}: {written.nodes:,} nodes, {written.ties:,} ties")
    print(
        "export (projection, degree, layout, evidence, page): "
        f"{_runs(times)}, CPU {_runs(cpu)}, {size / 1e6:.1f} MB"
    )
    baseline = [pyvis_page(store, folder / f"{label}-pyvis.html") for _ in range(repeats)]
    pyvis_times = [t for t, _, _ in baseline]
    pyvis_cpu = [c for _, c, _ in baseline]
    pyvis_size = baseline[0][2]
    print(
        f"pyvis API (add_node/add_edge/write_html): {_runs(pyvis_times)}, "
        f"CPU {_runs(pyvis_cpu)}, {pyvis_size / 1e6:.1f} MB"
    )
    print(
        f"hilos vs pyvis: {statistics.median(pyvis_times) / statistics.median(times):.1f}x faster"
        f" (median over median; CPU {statistics.median(pyvis_cpu) / statistics.median(cpu):.1f}x),"
        f" size {size / pyvis_size:.2f}x pyvis's"
    )
    if not browser:
        return
    figures = measure_page(out, search or _first_label(out))
    for name, value in figures.items():
        print(f"{name:>8}: {value:.2f} s")


def _first_label(page: Path) -> str:
    """A node's label from the page's data (in columns), to type in the search box."""
    import json

    text = page.read_text(encoding="utf-8")
    start = text.index('id="hilos-data">') + len('id="hilos-data">')
    labels = json.loads(text[start : text.index("</script>", start)])["nodes"]["label"]
    return str(labels[len(labels) // 4]) if labels else "a"


def main() -> None:
    args = sys.argv[1:]

    def option(name: str) -> str | None:
        if name not in args:
            return None
        at = args.index(name)
        value = args[at + 1]
        del args[at : at + 2]
        return value

    kept = option("--keep")
    keep = Path(kept) if kept else None
    store_path = option("--store")
    repeats = int(option("--repeats") or 1)
    browser = "--no-browser" not in args
    args = [a for a in args if a != "--no-browser"]
    folder = keep or Path(tempfile.mkdtemp(prefix="hilos-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if store_path is not None:
            print(f"# hilos export html of the store {store_path}, {repeats} run(s)")
            with Store.open(store_path) as opened:
                run("store", opened, folder, None, repeats, browser)
            return
        nodes = int(args[0]) if args else 5000
        ties = int(args[1]) if len(args) > 1 else 20000
        print(f"# hilos export html: {nodes:,} nodes / {ties:,} ties and the curated graph")
        turtle = folder / "synthetic.ttl"
        seconds, _ = timed(
            lambda: turtle.write_text(synthetic_turtle(nodes, ties), encoding="utf-8")
        )
        print(f"synthetic Turtle written in {seconds:.2f} s")
        seconds, store = timed(Store.in_memory)
        print(f"store with the ontology and the curated graph: {seconds:.2f} s")
        run("curated", store, folder, "Zetas", repeats, browser)
        for info in store.graphs():
            if info.name != "ontology":
                store.drop(info.name)
        seconds, _ = timed(lambda: store.load(turtle, name="synthetic"))
        print(f"\nsynthetic network loaded without the curated graph: {seconds:.2f} s")
        run("synthetic", store, folder, f"alias {nodes // 4}", repeats, browser)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
