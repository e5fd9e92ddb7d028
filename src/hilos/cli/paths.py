"""Commands that follow the threads: paths between two entities, collusion chains."""

from __future__ import annotations

import click

from ..entities import resolve
from ..network.hotspots import KINDS, WEIGHTS, hotspots
from ..network.paths import Path, find_chains, find_paths_in_store
from ..network.projection import Filters, project
from ..output import plain, table, to_csv, to_json, wrap
from .app import cli
from .common import (
    SPHERE_CHOICE,
    Context,
    echo,
    network_options,
    output_option,
    pass_context,
)


@cli.command(name="paths")
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option("--limit", default=5, show_default=True, type=int, help="How many paths.")
@click.option("--max-hops", default=6, show_default=True, type=int, help="Longest path.")
@click.option("--time-consistent", is_flag=True, help="Only paths whose ties' valid times overlap.")
@network_options(directed=False)
@output_option("table", "json", "csv")
@pass_context
def paths_command(
    ctx: Context,
    source: str,
    target: str,
    limit: int,
    max_hops: int,
    time_consistent: bool,
    filters: Filters,
    fmt: str,
) -> None:
    """The best evidence paths between A and B, each hop with its tie, status, dates and
    sources. A and B are IRIs or names that `search` finds. Paths are ranked by their evidence
    score: the product of their ties' scores (status weight × confidence). Exits 1 when no
    path exists under the filters.

    \b
    Examples:
      hilos paths "José Luis Abarca" "Guerreros Unidos"
      hilos paths hid:jose-luis-abarca hid:guerreros-unidos --min-status reported --format json
      hilos paths Abarca "Guerreros Unidos" --as-of 2014-09-26 --time-consistent
    """
    store = ctx.store()
    a = resolve(store, source, lang=ctx.lang)
    b = resolve(store, target, lang=ctx.lang)
    found = find_paths_in_store(
        store,
        filters,
        a,
        b,
        limit=limit,
        max_hops=max_hops,
        time_consistent=time_consistent,
        lang=ctx.lang,
    )
    _print_paths(found, fmt, "path")


@cli.command(name="chains")
@click.option("--from-sphere", type=SPHERE_CHOICE, default="state", show_default=True)
@click.option("--to-sphere", type=SPHERE_CHOICE, default="criminal", show_default=True)
@click.option("--max-hops", default=4, show_default=True, type=int, help="Longest chain.")
@click.option("--limit", type=int, help="Show only the strongest N chains.")
@network_options(directed=False)
@output_option("table", "json", "csv")
@pass_context
def chains_command(
    ctx: Context,
    from_sphere: str,
    to_sphere: str,
    max_hops: int,
    limit: int | None,
    filters: Filters,
    fmt: str,
) -> None:
    """Every collusion chain that starts at a state actor and ends at a criminal actor
    (or between the spheres given), through collusion-type ties — cooperation (collusion,
    bribery, protection, infiltration, complicity, alliance, funding…), command, leadership
    and membership — ranked by evidence score. A chain contained in a longer one is shown
    only within it. Exits 1 when there is none.

    \b
    Examples:
      hilos chains
      hilos chains --min-status reported --max-hops 3 --format json
      hilos chains --from-sphere community --to-sphere criminal
    """
    store = ctx.store()
    projection = project(store, filters, lang=ctx.lang)
    found, truncated = find_chains(
        store,
        projection,
        from_sphere=from_sphere,
        to_sphere=to_sphere,
        max_hops=max_hops,
        limit=limit,
    )
    if truncated:
        click.echo("Note: the network is large; the search stopped early.", err=True)
    if not found:
        if fmt == "json":
            echo(to_json({"chains": []}))
        click.echo(f"no {from_sphere}-to-{to_sphere} chain under these filters", err=True)
        raise click.exceptions.Exit(1)
    _print_paths(found, fmt, "chain")


@cli.command(name="hotspots")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="any",
    show_default=True,
    help="Compare only places of this kind.",
)
@click.option("--top", type=int, help="Show only the first N places.")
@network_options
@output_option("table", "json", "csv")
@pass_context
def hotspots_command(ctx: Context, kind: str, top: int | None, filters: Filters, fmt: str) -> None:
    """Places ranked for geographic sequencing — where an intervention should start — from the
    armed actors present, the violence attributed to them, the collusion ties touching the
    place, the criminal markets, the report's priorities and its figures. A place collects what
    is said of the places within it. Exits 1 when no place scores.

    \b
    Examples:
      hilos hotspots --kind state
      hilos hotspots --min-status reported --top 5 --format json
    """
    store = ctx.store()
    ranked = hotspots(store, project(store, filters, lang=ctx.lang), top=top, kind=kind)
    if fmt == "json":
        echo(to_json([h.as_dict() for h in ranked]))
    if not ranked:
        click.echo("no place scores under these filters", err=True)
        raise click.exceptions.Exit(1)
    headers = ["label", "score", *WEIGHTS, "id"]
    rows = [[h.label, h.score, *(h.components[k] for k in WEIGHTS), h.id] for h in ranked]
    if fmt == "csv":
        click.echo(to_csv(headers, rows), nl=False)
    elif fmt == "table":
        echo(table(headers, rows, clip=40))


def _print_paths(found: list[Path], fmt: str, noun: str) -> None:
    if fmt == "json":
        echo(to_json({f"{noun}s": [p.as_dict() for p in found]}))
        return
    if fmt == "csv":
        headers = [
            noun,
            "score",
            "hop",
            "from",
            "relation",
            "to",
            "status",
            "confidence",
            "start",
            "end",
            "sources",
            "quote",
            "locator",
        ]
        rows = []
        for number, path in enumerate(found, 1):
            labels = {n.id: n.label for n in path.nodes}
            for index, h in enumerate(path.hops, 1):
                quote = next((s.quote for s in h.sources if s.quote), None)
                locator = next((s.locator for s in h.sources if s.locator), None)
                rows.append(
                    [
                        number,
                        path.score,
                        index,
                        labels[h.from_],
                        h.relation,
                        labels[h.to],
                        h.status,
                        h.confidence,
                        h.start,
                        h.end,
                        "; ".join(s.citation for s in h.sources),
                        quote,
                        locator,
                    ]
                )
        click.echo(to_csv(headers, rows), nl=False)
        return
    for number, path in enumerate(found, 1):
        labels = {n.id: plain(n.label) for n in path.nodes}
        spheres = {n.id: n.sphere for n in path.nodes}
        names = " → ".join(labels[n.id] for n in path.nodes)
        echo(f"{noun.capitalize()} {number} — score {path.score:g}, {len(path.hops)} hop(s)")
        echo(f"  {names}")
        for h in path.hops:
            arrow = "→" if h.forward else "←"
            when = f" [{h.start or '…'} – {h.end or '…'}]" if h.start or h.end else ""
            confidence = f", confidence {h.confidence:g}" if h.confidence is not None else ""
            sphere = f" ({spheres[h.to]})" if spheres[h.to] else ""
            echo(
                f"  {labels[h.from_]} {arrow} {h.relation.removeprefix('hilos:')} {arrow} "
                f"{labels[h.to]}{sphere} — {h.status or 'no status'}{confidence}{when}"
            )
            quote = next((s.quote for s in h.sources if s.quote), None)
            if quote:
                echo(wrap(f"“{quote}”", "      "))
            cited = "; ".join(s.citation for s in h.sources) or "no source"
            locator = next((s.locator for s in h.sources if s.locator), None)
            echo(wrap(f"source: {cited}" + (f" — {locator}" if locator else ""), "      "))
        echo("")
