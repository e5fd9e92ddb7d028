"""Commands that follow the threads: paths between two entities, collusion chains."""

from __future__ import annotations

import click

from ..entities import resolve
from ..network.context import context_assumption, outside_descriptions
from ..network.hotspots import KINDS, WEIGHTS, hotspots
from ..network.paths import Path, find_chains, find_paths_in_store
from ..network.projection import Filters, filters_assumptions, project
from ..output import plain, table, to_csv, to_json, wrap
from ..store import short_id
from ..vocab import vocabulary
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
    notes = filters_assumptions(filters)
    if filters.graphs:
        labels = {node.id: node.label for path in found for node in path.nodes}
        elsewhere = outside_descriptions(store, filters.graphs, labels)
        if line := context_assumption(elsewhere, labels, only=filters.only):
            notes.append(line)
    _print_paths(found, fmt, "path", notes)


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
    """Every collusion chain from a state actor into the criminal sphere (or between the
    spheres given): zero or more steps inside the first sphere through command, leadership,
    office, membership, sub-organisation or control; exactly one crossing through collusion,
    bribery, protection, infiltration, co-optation, complicity or acquiescence; then zero or
    more such steps inside the second sphere. Funding, alliances, mediation, attacks and
    policies never cross. Each chain names its crossing claim; the direct crossing is listed
    on its own as well as inside longer chains; ranked by evidence score. Exits 1 when there
    is none.

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
    )
    if limit is not None:
        if limit < 1:
            raise click.BadParameter(f"must be at least 1, got {limit}", param_hint="'--limit'")
        if len(found) > limit:
            click.echo(f"Note: the {limit} strongest of {len(found)} chains (--limit).", err=True)
        found = found[:limit]
    if truncated:
        click.echo("Note: the network is large; the search stopped early.", err=True)
    assumptions = projection.assumptions()
    if not found:
        if fmt == "json":
            echo(to_json({"chains": [], "network": assumptions}))
        elif assumptions:
            click.echo("Note: " + "; ".join(assumptions) + ".", err=True)
        click.echo(f"no {from_sphere}-to-{to_sphere} chain under these filters", err=True)
        raise click.exceptions.Exit(1)
    _print_paths(found, fmt, "chain", assumptions)


@cli.command(name="hotspots")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="auto",
    show_default=True,
    help="Compare places of this level (auto: the level with the most places that score).",
)
@click.option("--top", type=int, help="Show only the first N places.")
@network_options
@output_option("table", "json", "csv")
@pass_context
def hotspots_command(ctx: Context, kind: str, top: int | None, filters: Filters, fmt: str) -> None:
    """Places of one level ranked for geographic sequencing — where an intervention should
    start — from the armed actors present, the violence attributed to them, the collusion ties
    touching the place, the criminal markets, the report's priorities and its figures. A place
    collects what is said of the places within it, so places are compared with places of
    their own level (states with states). Exits 1 when no place scores.

    \b
    Examples:
      hilos hotspots
      hilos hotspots --kind city --min-status reported --top 5 --format json
    """
    ranked, level = hotspots(ctx.store(), filters, top=top, kind=kind, lang=ctx.lang)
    if fmt == "json":
        echo(to_json([h.as_dict() for h in ranked]))
    if not ranked:
        click.echo("no place scores under these filters", err=True)
        raise click.exceptions.Exit(1)
    if kind == "auto":
        click.echo(
            f"Note: places of one level compared: {level} (the level with the most places "
            "that score; --kind chooses another).",
            err=True,
        )
    headers = ["label", "score", *WEIGHTS, "id"]
    rows = [[h.label, h.score, *(h.components[k] for k in WEIGHTS), h.id] for h in ranked]
    if fmt == "csv":
        click.echo(to_csv(headers, rows), nl=False)
    elif fmt == "table":
        echo(table(headers, rows, clip=40))


def _claim_words(
    status: str | None,
    confidence: float | None,
    start: str | None,
    end: str | None,
    period: str | None,
    qualifiers: tuple[str, ...],
) -> str:
    """Status, qualifiers, confidence and valid time of a claim, as one phrase."""
    words = status or "no status"
    if qualifiers:
        shown = [q.label() for q in vocabulary().qualifiers if q.key in qualifiers]
        words += ", " + ", ".join(shown or qualifiers)
    if confidence is not None:
        words += f", confidence {confidence:g}"
    if start or end:
        words += f" [{start or '…'} – {end or '…'}]"
    if period:
        words += f" ({period})"
    return words


_CSV_HEADERS = [
    "score",
    "hop",
    "crossing",
    "from",
    "relation",
    "to",
    "claim",
    "status",
    "qualifiers",
    "confidence",
    "start",
    "end",
    "period",
    "sources",
    "quote",
    "locator",
]


def _print_paths(
    found: list[Path], fmt: str, noun: str, assumptions: list[str] | None = None
) -> None:
    if fmt == "json":
        body: dict[str, object] = {f"{noun}s": [p.as_dict() for p in found]}
        if assumptions is not None:
            body["network"] = assumptions
        echo(to_json(body))
        return
    if assumptions:
        click.echo("Note: " + "; ".join(assumptions) + ".", err=True)
    if fmt == "csv":
        rows = []
        for number, path in enumerate(found, 1):
            labels = {n.id: n.label for n in path.nodes}
            for index, h in enumerate(path.hops, 1):
                for claim in h.claims:
                    rows.append(
                        [
                            number,
                            path.score,
                            index,
                            "yes" if path.crossing == index - 1 else "",
                            labels[h.from_],
                            h.relation,
                            labels[h.to],
                            claim.id,
                            claim.status,
                            "; ".join(claim.qualifiers),
                            claim.confidence,
                            claim.start,
                            claim.end,
                            claim.period,
                            "; ".join(s.citation for s in claim.sources),
                            claim.quote,
                            claim.locator,
                        ]
                    )
        click.echo(to_csv([noun, *_CSV_HEADERS], rows), nl=False)
        return
    for number, path in enumerate(found, 1):
        _print_path_table(number, path, noun)


def _print_path_table(number: int, path: Path, noun: str) -> None:
    labels = {n.id: plain(n.label) for n in path.nodes}
    spheres = {n.id: n.sphere for n in path.nodes}
    names = " → ".join(labels[n.id] for n in path.nodes)
    echo(f"{noun.capitalize()} {number} — score {path.score:g}, {len(path.hops)} hop(s)")
    echo(f"  {names}")
    crossing = path.crossing_hop
    if crossing is not None:
        echo(
            wrap(
                f"crossing: {labels[crossing.from_]} — "
                f"{crossing.relation.removeprefix('hilos:')} — {labels[crossing.to]} "
                f"(claim {short_id(crossing.tie)})",
                "  ",
            )
        )
    for h in path.hops:
        arrow = "→" if h.forward else "←"
        sphere = f" ({spheres[h.to]})" if spheres[h.to] else ""
        words = _claim_words(h.status, h.confidence, h.start, h.end, h.period, h.qualifiers)
        echo(
            f"  {labels[h.from_]} {arrow} {h.relation.removeprefix('hilos:')} {arrow} "
            f"{labels[h.to]}{sphere} — {words}"
        )
        claims = h.claims
        if len(claims) > 1:
            echo(wrap(f"{len(claims)} claims ({h.aggregation}):", "      "))
        for claim in claims:
            indent = "      "
            if len(claims) > 1:
                claim_words = _claim_words(
                    claim.status,
                    claim.confidence,
                    claim.start,
                    claim.end,
                    claim.period,
                    claim.qualifiers,
                )
                echo(wrap(f"- {claim_words}", indent))
                indent = "        "
            if claim.quote:
                echo(wrap(f"“{claim.quote}”", indent))
            cited = "; ".join(s.citation for s in claim.sources) or "no source"
            locator = f" — {claim.locator}" if claim.locator else ""
            echo(wrap(f"source: {cited}{locator}", indent))
    echo("")
