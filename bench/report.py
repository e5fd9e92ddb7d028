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
LOAD_GOAL = 10.0
PARSE_GOAL = 5.0
HTML_GOAL = 30.0

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
    memory = memory_rows(m, triples)
    lines += memory
    lines.append("")
    return lines


def peak(m: dict[str, Any], *keys: str) -> int:
    return max((int(m.get(k, {}).get("peak_rss") or 0) for k in keys), default=0)


def memory_rows(m: dict[str, Any], triples: int) -> list[str]:
    lines = []
    hilos_peak = peak(m, "load hilos", "analyses hilos")
    rdf = m.get("load rdflib") or {}
    if hilos_peak:
        rdf_text = f"{rdf['peak_rss'] / triples:,.0f} B" if rdf.get("peak_rss") else "–"
        if failed(rdf) and rdf.get("peak_rss"):
            rdf_text = f">{rdf_text} (stopped at the memory limit)"
        lines.append(
            f"| peak memory per triple (load, analyses) | {hilos_peak / triples:,.0f} B "
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
    return lines


def html_table(html: dict[str, Any]) -> list[str]:
    export, chromium, pyvis = html["export hilos"], html["chromium"], html["pyvis"]
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
        top = peak(m, "load hilos", "analyses hilos")
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
    lines += ["### Summary", "", *summary_table(results), ""]
    for size, result in results["sizes"].items():
        lines += size_table(size, result)
    if "html" in results:
        lines += html_table(results["html"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(write_report(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))), end="")
