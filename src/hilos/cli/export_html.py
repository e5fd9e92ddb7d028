"""`hilos export html`: the interactive network page, self-contained and safe to publish."""

from __future__ import annotations

import click

from ..export.html import check_hops, check_size_by, export_html
from ..network.centrality import MEASURES
from ..network.projection import Filters
from .common import Context, network_options, pass_context, published_command
from .data import export_group


@export_group.command(name="html")
@click.argument("target", metavar="OUT.html|-")
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Only the entities within --hops ties of ENTITY (an IRI or a name).",
)
@click.option(
    "--hops",
    type=int,
    default=1,
    show_default=True,
    help="With --focus: how many ties away from ENTITY to go.",
)
@click.option(
    "--path",
    "ends",
    nargs=2,
    metavar="A B",
    help="Highlight the best evidence path between A and B (as `hilos paths` ranks it).",
)
@click.option(
    "--chains",
    is_flag=True,
    help="Only the ties of the state-to-criminal collusion chains (as `hilos chains`).",
)
@click.option(
    "--size-by",
    type=click.Choice([*MEASURES, "none"]),
    default="degree",
    show_default=True,
    help="Size the nodes by this centrality, computed on the whole filtered network.",
)
@click.option("--title", help="Title of the page (default: says what it shows).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the layout.")
@network_options(directed=False)
@pass_context
def export_html_command(
    ctx: Context,
    target: str,
    focus: str | None,
    hops: int,
    ends: tuple[str, str] | None,
    chains: bool,
    size_by: str,
    title: str | None,
    seed: int,
    filters: Filters,
) -> None:
    """Write the network as one interactive HTML page that works offline and loads nothing
    from anywhere: vis-network and every script and style are in the file, and every name,
    quote and citation is shown as text, never as HTML.

    Nodes are coloured by sphere and shaped by kind, sized by --size-by; ties are coloured by
    type, dashed by status (alleged dashed, disputed and refuted dotted and marked) and as wide
    as their evidence. The page has a legend, a search box (names and aliases, accents and case
    ignored), filters by sphere, status, tie type and year, and a side panel with the card of
    an entity or the evidence of a tie (status, dates, quote, citation). The footer states the
    data snapshot (SHA-256 of the loaded graphs) and this command (without --store).

    The layout is computed here, seeded; above 1,000 nodes the page keeps it as it is (physics
    off), so a network of thousands of nodes stays responsive. The file appears only once
    complete. Exits 1 if ENTITY is not in the network or no path joins A and B.

    \b
    Examples:
      hilos export html network.html
      hilos export html iguala.html --focus "José Luis Abarca" --hops 2
      hilos export html chain.html --path "José Luis Abarca" "Guerreros Unidos"
      hilos export html collusion.html --chains --min-status reported
      hilos export html strong.html --min-status reported --size-by betweenness
    """
    check_hops(hops)
    measure = None if size_by == "none" else size_by
    check_size_by(measure)
    written = export_html(
        ctx.store(),
        target,
        filters,
        focus=focus,
        hops=hops,
        path=ends,
        chains=chains,
        size_by=measure,
        title=title,
        command=published_command(click.get_current_context()),
        seed=seed,
        lang=ctx.lang,
    )
    if target != "-":
        on_path = f", best path of {len(written.path_ties)} hop(s)" if written.path_ties else ""
        click.echo(
            f"wrote {target}: {written.nodes} entities, {written.ties} ties{on_path} "
            f"(snapshot {written.snapshot[:12]})",
            err=True,
        )
