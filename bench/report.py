"""The Markdown report of a `newsroom.py` run: the machine, one table per size, the HTML page,
and the goals met or missed.

    python bench/report.py bench/results/latest.json     # prints the table again
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

QUERY_GOAL = 20.0
LOAD_GOAL = 3.0
PARSE_GOAL = 5.0
HTML_GOAL = 10.0

BASELINES = {
    "search": "networkx: scan of every name",
    "show": "networkx: the node's edges",
    "paths0": "networkx: `shortest_simple_paths`",
    "paths1": "networkx: `shortest_simple_paths`",
    "chains": "networkx: `all_simple_paths`",
    "centrality": "networkx: `betweenness_centrality`",
    "brokers": "networkx: `betweenness_centrality_subset` + roles",
    "communities": "networkx: `louvain_communities`",
    "disrupt": "networkx: degree, remove, components",
    "disrupt betweenness": "networkx: betweenness, remove, components",
}


def seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.3g} ms"
    if value < 600:
        return f"{value:.3g} s"
    return f"{value / 60:.1f} min"


def failed(m: dict[str, Any]) -> bool:
    return m.get("status", "ok") != "ok" or "median" not in m


def cell(m: dict[str, Any] | None) -> str:
    """A measurement as `median (min–max)`, or why there is none."""
    if not m:
        return "–"
    if failed(m):
        status = m.get("status")
        limit = m.get("limit")
        if status == "timeout":
            return f">{seconds(limit)} (time limit)" if limit else ">limit (time)"
        if status == "memory":
            return f">{limit:g} GiB (memory limit)" if limit else ">limit (memory)"
        if status == "not loaded":
            return "not run: rdflib could not load the data"
        return str(status or "–")
    text = seconds(m["median"])
    if m.get("runs", 1) > 1:
        text += f" ({seconds(m['min'])}–{seconds(m['max'])})"
    return text


def rate(m: dict[str, Any], triples: int) -> str:
    if failed(m):
        return cell(m)
    return f"{triples / m['median']:,.0f}/s ({seconds(m['median'])})"


def ratio(hilos: dict[str, Any] | None, base: dict[str, Any] | None) -> tuple[str, float | None]:
    """How many times faster hilos is than the baseline (`>N×` when the baseline hit a limit)."""
    if not hilos or not base or failed(hilos):
        return "–", None
    if failed(base):
        limit = base.get("limit")
        if base.get("status") == "timeout" and limit:
            value = limit / hilos["median"]
            return f">{value:,.0f}×", value
        return "–", None
    value = base["median"] / hilos["median"]
    text = f"{value:,.1f}×" if value < 100 else f"{value:,.0f}×"
    return text, value


def mark(value: float | None, goal: float, above: bool = True) -> str:
    if value is None:
        return "?"
    ok = value >= goal if above else value <= goal
    return "met" if ok else "**missed**"


def ratio_mark(text: str, value: float | None, goal: float) -> str:
    """Whether a speed-up meets its goal; a lower bound (the baseline stopped at its limit)
    that falls short proves nothing either way."""
    if text.startswith(">") and value is not None and value < goal:
        return "not shown (the baseline stopped at its limit)"
    return mark(value, goal)


def size_table(size: str, result: dict[str, Any]) -> list[str]:
    data = result["data"]
    m = result.get("measured", {})
    triples = data["triples"]
    lines = [
        f"### {size}: {data['entities']:,} entities, {data['ties']:,} ties, "
        f"{triples:,} triples ({data['file_bytes'] / 1e6:,.0f} MB of N-Triples)",
        "",
        "| measurement | hilos | baseline | baseline's time | hilos vs baseline | goal |",
        "|---|---|---|---|---|---|",
    ]
    load, rdf, parse = m.get("load hilos"), m.get("load rdflib"), m.get("parse oxigraph")
    if load:
        text, value = ratio(load, rdf)
        lines.append(
            f"| load (triples per second) | {rate(load, triples)} | rdflib `Graph.parse` | "
            f"{rate(rdf or {}, triples)} | {text} | "
            f"≥ {LOAD_GOAL:g}×: {ratio_mark(text, value, LOAD_GOAL)} |"
        )
        slower = (load["median"] / parse["median"]) if parse and not failed(parse) else None
        slow = f"{slower:.1f}× slower" if slower else "–"
        lines.append(
            f"| load vs the parser alone | {rate(load, triples)} | Oxigraph `parse` (no store) "
            f"| {rate(parse or {}, triples)} | {slow} | within {PARSE_GOAL:g}×: "
            f"{mark(slower, PARSE_GOAL, above=False)} |"
        )
        bulk = m.get("bulk oxigraph")
        if bulk and not failed(bulk):
            lines.append(
                f"| (for reference) | | Oxigraph `bulk_load` (no inference) | "
                f"{rate(bulk, triples)} | | |"
            )
    for key in sorted(k for k in m if k.startswith("query ") and k.endswith(" hilos")):
        name = key[len("query ") : -len(" hilos")]
        hilos, base = m[key], m.get(f"query {name} rdflib")
        text, value = ratio(hilos, base)
        count = f", {hilos['rows']:,} rows" if not failed(hilos) and "rows" in hilos else ""
        lines.append(
            f"| query `{name}`{count} | {cell(hilos)} | rdflib SPARQL | {cell(base)} | {text} | "
            f"≥ {QUERY_GOAL:g}×: {ratio_mark(text, value, QUERY_GOAL)} |"
        )
    if "search cold hilos" in m:
        lines.append(
            f"| search (first call, store just opened) | {cell(m['search cold hilos'])} | | | | |"
        )
    rows = [
        ("search (warm)", "search"),
        ("show", "show"),
        ("paths, same cluster", "paths0"),
        ("paths, across the network", "paths1"),
    ]
    for label, key in rows:
        if f"{key} hilos" not in m:
            continue
        hilos, base = m[f"{key} hilos"], m.get(f"{key} networkx")
        text, _ = ratio(hilos, base)
        goal = ""
        if key == "search":
            goal = "< 100 ms at 1M"
        elif key.startswith("paths"):
            goal = "< 1 s at 1M"
        lines.append(
            f"| {label} | {cell(hilos)} | {BASELINES[key]} | {cell(base)} | {text} | {goal} |"
        )
    projection = m.get("projection hilos")
    if projection:
        base = m.get("projection rdflib")
        text, _ = ratio(projection, base)
        shape = ""
        if not failed(projection):
            shape = f" ({projection['nodes']:,} nodes, {projection['edges']:,} ties)"
        lines.append(
            f"| projection onto networkx{shape} | {cell(projection)} | rdflib graph → networkx "
            f"(after parsing) | {cell(base)} | {text} | |"
        )
    samples = result.get("samples")
    for key in ("chains", "centrality", "brokers", "communities", "disrupt", "disrupt betweenness"):
        if f"{key} hilos" not in m:
            continue
        hilos, base = m[f"{key} hilos"], m.get(f"{key} networkx")
        text, _ = ratio(hilos, base)
        label = {
            "centrality": "betweenness " + ("(exact)" if not samples else f"({samples} sources)"),
            "disrupt": "disrupt (degree, 5 steps)",
            "disrupt betweenness": "disrupt (betweenness, 2 blocks of 5"
            + (")" if not samples else f", {samples} sources)"),
        }.get(key, key)
        goal = "minutes at 1M" if key in ("centrality", "disrupt", "disrupt betweenness") else ""
        lines.append(
            f"| {label} | {cell(hilos)} | {BASELINES[key]} | {cell(base)} | {text} | {goal} |"
        )
    if "search first hilos" in m:
        first = m["search first hilos"]
        lines.append(
            f"| first search of a fresh process (store just opened) | {cell(first)} | | | | "
            f"≤ {FIRST_SEARCH_GOAL:g} s at 1M |"
        )
    if "search command hilos" in m:
        lines.append(
            f"| `hilos search`, the whole command | {cell(m['search command hilos'])} | | | | |"
        )
    for name, label in SECOND_ANALYSES.items():
        second = m.get(f"second {name} hilos")
        if not second:
            continue
        first = f", first run {seconds(second['first'])}" if second.get("first") else ""
        argv = " ".join(second.get("argv", [])[:3])
        lines.append(
            f"| second analysis: {label} (`hilos {argv}`…{first}) | {cell(second)} | | | | "
            f"≤ {SECOND_ANALYSIS_GOAL:g} s at 1M |"
        )
    memory = memory_rows(m, triples)
    lines += memory
    lines.append("")
    return lines


def peak(m: dict[str, Any], *keys: str) -> int:
    return max((int(m.get(k, {}).get("peak_rss") or 0) for k in keys), default=0)


def memory_rows(m: dict[str, Any], triples: int) -> list[str]:
    lines = []
    hilos_peak = peak_of(m)
    rdf = m.get("load rdflib") or {}
    if hilos_peak:
        rdf_text = f"{rdf['peak_rss'] / triples:,.0f} B" if rdf.get("peak_rss") else "–"
        if failed(rdf) and rdf.get("peak_rss"):
            rdf_text = f">{rdf_text} (stopped at the memory limit)"
        lines.append(
            f"| peak memory per triple (load, search, analyses) | {hilos_peak / triples:,.0f} B "
            f"({hilos_peak / 1024**3:.1f} GiB) | rdflib parse | {rdf_text} | | ≤ 1 KB at 10M: "
            f"{mark(1024 - hilos_peak / triples, 0)} |"
        )
    load = m.get("load hilos") or {}
    if load.get("disk"):
        bulk = m.get("bulk oxigraph") or {}
        base = f"{bulk['disk'] / triples:,.0f} B" if bulk.get("disk") else "–"
        lines.append(
            f"| store on disk per triple | {load['disk'] / triples:,.0f} B "
            f"({load['disk'] / 1e9:.2f} GB, with {load.get('inferred', 0):,} derived) | "
            f"Oxigraph alone (no inference) | {base} | | |"
        )
    after = (m.get("disk after analyses hilos") or {}).get("disk")
    if after:
        lines.append(
            f"| store on disk per triple, with what the analyses kept | {after / triples:,.0f} B "
            f"({after / 1e9:.2f} GB) | | | | |"
        )
    return lines


def html_table(html: dict[str, Any]) -> list[str]:
    export, pyvis = html["export hilos"], html["pyvis"]
    chromium = html.get("chromium") or {"status": "not run"}
    text, value = ratio(export, pyvis)
    shape = ""
    if not failed(export):
        shape = f"{export['nodes']:,} nodes, {export['ties']:,} ties"
    lines = [
        f"### The HTML page: the whole network of {html['entities']:,} entities ({shape})",
        "",
        "| measurement | hilos | baseline | baseline's time | hilos vs baseline | goal |",
        "|---|---|---|---|---|---|",
        f"| page written | {cell(export)} | pyvis `add_node`/`add_edge`/`write_html` | "
        f"{cell(pyvis)} | {text} | ≥ {HTML_GOAL:g}×: {ratio_mark(text, value, HTML_GOAL)} |",
    ]
    if not failed(chromium):
        figures = chromium.get("figures", {})
        extra = ", ".join(
            f"{name} {seconds(sorted(values)[len(values) // 2])}"
            for name, values in figures.items()
            if name != "ready"
        )
        lines.append(
            f"| interactive in headless Chromium | {cell(chromium)} | | | | ≈ 10 s: "
            f"{mark(10.0 - chromium['median'], 0)} |"
        )
        if extra:
            lines.append(f"| then (median) | {extra} | | | | |")
    if not failed(export):
        lines.append(
            f"| page size | {export['bytes'] / 1e6:.1f} MB | pyvis | "
            f"{pyvis['bytes'] / 1e6:.1f} MB |  | |"
            if not failed(pyvis)
            else f"| page size | {export['bytes'] / 1e6:.1f} MB | | | | |"
        )
    lines.append("")
    return lines


def _versus(m: dict[str, Any], key: str, base_key: str) -> str:
    hilos, base = m.get(key), m.get(base_key)
    if not hilos:
        return "–"
    text, _ = ratio(hilos, base)
    return cell(hilos) if text == "–" else f"{seconds(hilos['median'])} ({text})"


def summary_table(results: dict[str, Any]) -> list[str]:
    """One row per measurement, one column per size: hilos's median, and in brackets how many
    times faster than the baseline it is."""
    sizes = list(results["sizes"])
    heads = [
        f"{size} ({results['sizes'][size]['data']['triples'] / 1e6:.1f}M triples)" for size in sizes
    ]
    lines = [
        "| measurement (hilos, and × faster than the baseline) | " + " | ".join(heads) + " |",
        "|---|" + "---|" * len(sizes),
    ]

    def row(label: str, make: Any) -> None:
        cells = [make(results["sizes"][size]) for size in sizes]
        if any(c != "–" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def load(result: dict[str, Any]) -> str:
        m, triples = result.get("measured", {}), result["data"]["triples"]
        hilos, base, parse = m.get("load hilos"), m.get("load rdflib"), m.get("parse oxigraph")
        if not hilos or failed(hilos):
            return "–"
        text, _ = ratio(hilos, base)
        slower = (
            f", {hilos['median'] / parse['median']:.0f}× the parser's time"
            if parse and not failed(parse)
            else ""
        )
        return f"{triples / hilos['median']:,.0f}/s ({text}{slower})"

    def queries(result: dict[str, Any]) -> str:
        m = result.get("measured", {})
        values = []
        for key in m:
            if key.startswith("query ") and key.endswith(" hilos"):
                name = key[len("query ") : -len(" hilos")]
                _, value = ratio(m[key], m.get(f"query {name} rdflib"))
                if value is not None:
                    values.append(value)
        if not values:
            return "–"
        values.sort()
        return f"{values[len(values) // 2]:,.1f}× ({values[0]:,.1f}–{values[-1]:,.0f}×)"

    def slowest(result: dict[str, Any]) -> str:
        m = result.get("measured", {})
        found = [
            (v["median"], k[len("query ") : -len(" hilos")])
            for k, v in m.items()
            if k.startswith("query ") and k.endswith(" hilos") and not failed(v)
        ]
        if not found:
            return "–"
        worst, name = max(found)
        return f"{seconds(worst)} (`{name}`)"

    row("load, triples per second (vs rdflib; vs Oxigraph's parser)", load)
    row("library queries vs rdflib's engine: median ratio (min–max)", queries)
    row("slowest library query", slowest)
    row("search, first call", lambda r: cell(r.get("measured", {}).get("search cold hilos")))
    for label, key in (
        ("search, warm (vs a scan of every name)", "search"),
        ("show (vs the node's edges in memory)", "show"),
        ("paths, a local question", "paths0"),
        ("paths, a wider question", "paths1"),
        ("chains", "chains"),
        ("betweenness", "centrality"),
        ("brokers", "brokers"),
        ("communities", "communities"),
        ("disrupt, degree, 5 steps", "disrupt"),
        ("disrupt, betweenness, 2 blocks", "disrupt betweenness"),
    ):
        row(
            label,
            lambda r, key=key: _versus(r.get("measured", {}), f"{key} hilos", f"{key} networkx"),
        )
    row(
        "projection onto networkx (vs rdflib graph → networkx)",
        lambda r: _versus(r.get("measured", {}), "projection hilos", "projection rdflib"),
    )

    def memory(result: dict[str, Any]) -> str:
        m, triples = result.get("measured", {}), result["data"]["triples"]
        top = peak_of(m)
        rdf = (m.get("load rdflib") or {}).get("peak_rss")
        if not top:
            return "–"
        other = f"; rdflib {rdf / triples:,.0f} B" if rdf else ""
        return f"{top / triples:,.0f} B{other}"

    def disk(result: dict[str, Any]) -> str:
        load = (result.get("measured", {}).get("load hilos") or {}).get("disk")
        return f"{load / result['data']['triples']:,.0f} B" if load else "–"

    row("peak memory per triple (hilos load or analyses; rdflib parse)", memory)
    row("store on disk per triple (with what was derived)", disk)
    return lines


# ------------------------------------------------------------------------------------ goals

# The goals of issue 17 ("Newsroom scale"), each checked against the run's measurements. A goal
# is set at some sizes (by entities); measured at another size, its row is only indicative.
K100, M1 = 100_000, 1_000_000
SECOND_ANALYSES = {
    "degree": "degree",
    "pagerank": "PageRank",
    "communities": "communities",
    "paths local": "paths (a local question)",
    "paths wide": "paths (a wider question)",
    "disrupt degree": "disrupt by degree (5 steps)",
}
SECOND_ANALYSIS_GOAL = 10.0
FIRST_SEARCH_GOAL = 1.0
SLOWEST_QUERY_GOAL = 2.0
CHAINS_QUERY_GOAL = 60.0
CHAINS_QUERY = "state-criminal-chains"
BULK_GOAL = 2.0
RDFLIB_GOAL = 3.0
DISK_GOAL = 2.0
PAGE_TIME_GOAL = 10.0
MEMORY_GOAL = 1024.0


def at_most(value: float | None, goal: float, *, bound: bool = False) -> str:
    """The verdict on a figure that should stay at or under its goal; `bound` when the figure
    is only a lower bound (hilos stopped at a limit): over the goal it is missed all the same,
    under it nothing is shown."""
    if value is None:
        return "not measured"
    if value > goal:
        return "missed"
    return "not shown" if bound else "met"


def at_least(value: float | None, goal: float, *, bound: bool = False) -> str:
    """The verdict on a figure that should reach its goal; `bound` when it is a lower bound
    (the baseline stopped at its limit): reaching the goal meets it, falling short shows
    nothing."""
    if value is None:
        return "not measured"
    if value >= goal:
        return "met"
    return "not shown" if bound else "missed"


Check = tuple[str, float | None, str, str]  # now, value, verdict, why


def _absent(m: dict[str, Any] | None, what: str) -> str | None:
    """Why a measurement gives no figure, or None when it does."""
    if not m:
        return f"{what} not measured in this run"
    if failed(m):
        return f"{what}: {cell(m)}"
    return None


def check_load_vs_bulk(result: dict[str, Any]) -> Check:
    m = result.get("measured", {})
    hilos, bulk = m.get("load hilos"), m.get("bulk oxigraph")
    why = _absent(bulk, "Oxigraph `bulk_load`")
    if why:
        return "–", None, "not measured", why
    assert bulk is not None
    if hilos and failed(hilos) and hilos.get("status") == "timeout" and hilos.get("limit"):
        value = hilos["limit"] / bulk["median"]
        now = f">{value:.1f}× its time: hilos {cell(hilos)}, `bulk_load` {cell(bulk)}"
        return now, value, at_most(value, BULK_GOAL, bound=True), "hilos stopped at its limit"
    why = _absent(hilos, "hilos load")
    if why:
        return "–", None, "not measured", why
    assert hilos is not None
    value = hilos["median"] / bulk["median"]
    now = f"{value:.1f}× its time: hilos {cell(hilos)}, `bulk_load` {cell(bulk)}"
    return now, value, at_most(value, BULK_GOAL), ""


def check_load_vs_rdflib(result: dict[str, Any]) -> Check:
    m = result.get("measured", {})
    hilos, base = m.get("load hilos"), m.get("load rdflib")
    why = _absent(hilos, "hilos load") or (
        None if base and base.get("status") in ("ok", "timeout") else _absent(base, "rdflib")
    )
    if why:
        return "–", None, "not measured", why
    assert hilos is not None and base is not None
    text, value = ratio(hilos, base)
    now = f"{text}: hilos {cell(hilos)}, rdflib {cell(base)}"
    bound = text.startswith(">")
    verdict = at_least(value, RDFLIB_GOAL, bound=bound)
    return now, value, verdict, "rdflib stopped at its limit" if bound else ""


def check_disk(result: dict[str, Any]) -> Check:
    m, triples = result.get("measured", {}), result["data"]["triples"]
    bulk = (m.get("bulk oxigraph") or {}).get("disk")
    after_load = (m.get("load hilos") or {}).get("disk")
    after_analyses = (m.get("disk after analyses hilos") or {}).get("disk")
    if not bulk:
        return "–", None, "not measured", "the store of Oxigraph's `bulk_load` not measured"
    if not (after_load or after_analyses):
        return "–", None, "not measured", "the hilos store not measured"
    hilos = max(after_load or 0, after_analyses or 0)
    value = hilos / bulk
    which = []
    if after_load:
        which.append(f"{after_load / triples:,.0f} B per triple after the load")
    if after_analyses:
        which.append(f"{after_analyses / triples:,.0f} B with what the analyses kept")
    now = f"{value:.1f}×: hilos {'; '.join(which)}; Oxigraph alone {bulk / triples:,.0f} B"
    return now, value, at_most(value, DISK_GOAL), ""


def check_second(name: str) -> Any:
    def check(result: dict[str, Any]) -> Check:
        m = result.get("measured", {}).get(f"second {name} hilos")
        if m and failed(m) and m.get("status") == "timeout" and m.get("limit"):
            return cell(m), m["limit"], at_most(m["limit"], SECOND_ANALYSIS_GOAL, bound=True), ""
        why = _absent(m, "the command")
        if why:
            return "–", None, "not measured", why
        assert m is not None
        first = f"; the first after the load {seconds(m['first'])}" if m.get("first") else ""
        return f"{cell(m)}{first}", m["median"], at_most(m["median"], SECOND_ANALYSIS_GOAL), ""

    return check


def check_first_search(result: dict[str, Any]) -> Check:
    m = result.get("measured", {})
    first = m.get("search first hilos")
    note = ""
    if not first and m.get("search cold hilos"):  # results of earlier versions of the bench
        first, note = m["search cold hilos"], "the first search after opening, measured once"
    why = _absent(first, "the first search")
    if why:
        return "–", None, "not measured", why
    assert first is not None
    now = f"{cell(first)} after opening the store"
    if first.get("open") is not None:
        now += f" (opening {seconds(first['open'])})"
    command = m.get("search command hilos")
    if command and not failed(command):
        now += f"; the whole `hilos search` {cell(command)}"
    if first.get("first"):
        now += f"; the first after the load {seconds(first['first'])}"
    return now, first["median"], at_most(first["median"], FIRST_SEARCH_GOAL), note


def check_slowest_query(result: dict[str, Any]) -> Check:
    m = result.get("measured", {})
    found = {
        k[len("query ") : -len(" hilos")]: v
        for k, v in m.items()
        if k.startswith("query ") and k.endswith(" hilos")
    }
    if not found:
        return "–", None, "not measured", "no library query measured in this run"
    stopped = {n: v for n, v in found.items() if failed(v)}
    for name, v in stopped.items():
        if v.get("status") == "timeout" and v.get("limit"):
            value = v["limit"]
            return f"`{name}` {cell(v)}", value, at_most(value, SLOWEST_QUERY_GOAL, bound=True), ""
    if stopped:
        name, v = next(iter(stopped.items()))
        return "–", None, "not measured", f"`{name}`: {cell(v)}"
    name, worst = max(found.items(), key=lambda item: item[1]["median"])
    partial = "" if len(found) > 1 else f"only `{name}` measured"
    value = worst["median"]
    return f"`{name}` {cell(worst)}", value, at_most(value, SLOWEST_QUERY_GOAL), partial


def check_chains_query(result: dict[str, Any]) -> Check:
    m = result.get("measured", {}).get(f"query {CHAINS_QUERY} hilos")
    if m and failed(m) and m.get("status") == "timeout" and m.get("limit"):
        return cell(m), m["limit"], at_most(m["limit"], CHAINS_QUERY_GOAL, bound=True), ""
    why = _absent(m, f"`{CHAINS_QUERY}`")
    if why:
        return "–", None, "not measured", why
    assert m is not None
    return cell(m), m["median"], at_most(m["median"], CHAINS_QUERY_GOAL), ""


def peak_of(m: dict[str, Any]) -> int:
    return peak(
        m,
        "load hilos",
        "analyses hilos",
        "second analysis hilos",
        "search first hilos",
        "search command hilos",
    )


def check_memory(result: dict[str, Any]) -> Check:
    m, triples = result.get("measured", {}), result["data"]["triples"]
    top = peak_of(m)
    if not top:
        return "–", None, "not measured", "no hilos process measured in this run"
    value = top / triples
    now = f"{value:,.0f} B per triple ({top / 1024**3:.1f} GiB at {triples / 1e6:.1f}M triples)"
    return now, value, at_most(value, MEMORY_GOAL), ""


def check_page_time(html: dict[str, Any]) -> Check:
    export, pyvis = html.get("export hilos"), html.get("pyvis")
    why = _absent(export, "the hilos page") or (
        None if pyvis and pyvis.get("status") in ("ok", "timeout") else _absent(pyvis, "pyvis")
    )
    if why:
        return "–", None, "not measured", why
    assert export is not None and pyvis is not None
    text, value = ratio(export, pyvis)
    now = f"{text}: hilos {cell(export)}, pyvis {cell(pyvis)} ({export['nodes']:,} nodes)"
    bound = text.startswith(">")
    verdict = at_least(value, PAGE_TIME_GOAL, bound=bound)
    return now, value, verdict, "pyvis stopped at its limit" if bound else ""


def check_page_size(html: dict[str, Any]) -> Check:
    export, pyvis = html.get("export hilos"), html.get("pyvis")
    why = _absent(export, "the hilos page") or _absent(pyvis, "pyvis's page")
    if why:
        return "–", None, "not measured", why
    assert export is not None and pyvis is not None
    value = export["bytes"] / pyvis["bytes"]
    now = f"{value:.2f}× pyvis's: {export['bytes'] / 1e6:.1f} MB vs {pyvis['bytes'] / 1e6:.1f} MB"
    return now, value, at_most(value, 1.0), ""


# each goal: key, measurement, goal, the sizes it is set at (entities; None: every size, ();
# the HTML page, whatever the sizes), whether other sizes get an indicative row, its check
GOALS: list[tuple[str, str, str, tuple[int, ...] | None, bool, Any]] = [
    (
        "load",
        "load with everything derived, vs Oxigraph `bulk_load` of the same file",
        f"≤ {BULK_GOAL:g}×",
        (K100, M1),
        True,
        check_load_vs_bulk,
    ),
    (
        "rdflib",
        "load vs rdflib `Graph.parse`",
        f"≥ {RDFLIB_GOAL:g}× faster",
        (K100,),
        True,
        check_load_vs_rdflib,
    ),
    ("disk", "store on disk vs Oxigraph alone", f"≤ {DISK_GOAL:g}×", None, False, check_disk),
    *[
        (
            "analysis",
            f"a second analysis on an unchanged store: {label}, whole command",
            f"≤ {SECOND_ANALYSIS_GOAL:g} s",
            (M1,),
            True,
            check_second(name),
        )
        for name, label in SECOND_ANALYSES.items()
    ],
    (
        "search",
        "first `search` in a fresh process",
        f"≤ {FIRST_SEARCH_GOAL:g} s",
        (M1,),
        True,
        check_first_search,
    ),
    (
        "queries",
        "slowest library query",
        f"≤ {SLOWEST_QUERY_GOAL:g} s",
        (K100,),
        True,
        check_slowest_query,
    ),
    (
        "queries",
        f"`{CHAINS_QUERY}`",
        f"≤ {CHAINS_QUERY_GOAL:g} s",
        (M1,),
        False,
        check_chains_query,
    ),
    (
        "html",
        "HTML page: write time vs pyvis's API",
        f"≥ {PAGE_TIME_GOAL:g}×",
        (),
        False,
        check_page_time,
    ),
    ("html", "HTML page: size vs pyvis's", "not larger", (), False, check_page_size),
    (
        "memory",
        "peak memory per triple at 10M triples",
        f"≤ {MEMORY_GOAL:g} B (keep)",
        (M1,),
        False,
        check_memory,
    ),
]


def size_name(entities: int) -> str:
    return f"{entities // 1_000_000}M" if entities >= 1_000_000 else f"{entities // 1000}k"


def goal_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every goal of the issue with its verdict: met, missed, not shown (a bound that settles
    nothing) or not measured, with why."""
    sizes = results.get("sizes", {})
    by_entities = {r["data"]["entities"]: (name, r) for name, r in sizes.items()}
    rows: list[dict[str, Any]] = []
    for key, label, goal, at, indicative, check in GOALS:
        places: list[tuple[int, str, dict[str, Any] | None, bool]] = []
        if at == ():
            places.append((0, "20k nodes", results.get("html"), True))
        else:
            for entities in at or ():
                name, result = by_entities.get(entities, (size_name(entities), None))
                places.append((entities, name, result, True))
            for entities, (name, result) in by_entities.items():
                if at is None or (indicative and entities not in at and entities < max(at)):
                    places.append((entities, name, result, at is None))
            if at is None and not by_entities:
                places.append((0, "any size", None, True))
        places.sort(key=lambda place: place[0])
        for _, where, result, official in places:
            row: dict[str, Any] = {
                "goal": key,
                "measurement": label,
                "size": where,
                "target": goal,
                "official": official,
            }
            if result is None:
                what = "the HTML page" if at == () else f"the {where} data set"
                row.update(
                    now="–", value=None, verdict="not measured", why=f"{what} not in this run"
                )
            else:
                now, value, verdict, why = check(result)
                row.update(now=now, value=value, verdict=verdict, why=why)
            if not official and row["verdict"] == "not measured":
                continue  # an indicative row without a figure says nothing
            if not official:
                set_at = ", ".join(size_name(e) for e in at or ())
                row["why"] = "; ".join(filter(None, [row["why"], f"indicative: set at {set_at}"]))
            rows.append(row)
    return rows


def verdict_cell(row: dict[str, Any]) -> str:
    verdict = "**missed**" if row["verdict"] == "missed" else row["verdict"]
    return f"{verdict} ({row['why']})" if row["why"] else verdict


def goals_table(results: dict[str, Any]) -> list[str]:
    """The issue's table of goals, one row per goal and size, with the verdict of this run."""
    rows = goal_rows(results)
    lines = [
        "| measurement | size | now | goal | verdict |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['measurement']} | {r['size']} | {r['now']} | {r['target']} | {verdict_cell(r)} |"
        for r in rows
    ]
    return lines


def write_report(results: dict[str, Any]) -> str:
    machine, run = results["machine"], results["run"]
    packages = ", ".join(f"{k} {v}" for k, v in machine.get("packages", {}).items())
    limits = run["limits"]
    lines = [
        "## Newsroom-scale benchmarks",
        "",
        f"Run {run['started']}–{run.get('finished', '…')} on {machine.get('cores')} cores "
        f"({machine.get('cpu', 'unknown CPU')}), {machine.get('memory_gib')} GiB of memory, "
        f"Python {machine.get('python')}; {packages}. Load average "
        f"{run['load_average_start']} at the start, {run.get('load_average_end')} at the end"
        + (f"; {run['note']}" if run.get("note") else "")
        + ".",
        "",
        f"Each figure is the median of {run['repeats']} runs (min–max) unless it says otherwise; "
        f"seed {run['seed']}. Every measurement ran in a fresh process. Limits: rdflib "
        f"{limits['rdflib query (s)']:g} s per query and {limits['rdflib memory (GiB)']:g} GiB, "
        f"hilos {limits['hilos query (s)']:g} s per query; each analysis "
        f'{limits["analysis (s)"]:g} s. "hilos vs baseline" is how many times faster hilos is.',
        "",
    ]
    for update in results.get("updates", []):
        lines += [
            f"Measured again on {update['at']} (`--update`): {', '.join(update['parts'])} at "
            f"{', '.join(update['sizes'])}, load average {update['load_average_start']} at the "
            "start" + (f"; {update['note']}" if update.get("note") else "") + ".",
            "",
        ]
    lines += [
        "### Goals (issue 17)",
        "",
        "Each goal at the size it is set at (rows at other sizes are indicative), hilos and its "
        "baseline measured side by side in this run. A second analysis is the command run again "
        "in a fresh process on the same unchanged store (the first run apart); the first search "
        "is the first call of a fresh process that has just opened the store.",
        "",
        *goals_table(results),
        "",
        "### Summary",
        "",
        *summary_table(results),
        "",
    ]
    for size, result in results["sizes"].items():
        lines += size_table(size, result)
    if "html" in results:
        lines += html_table(results["html"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(write_report(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))), end="")
