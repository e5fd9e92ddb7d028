"""`hilos export html`: the interactive network page, self-contained and safe to publish."""

from __future__ import annotations

import click
from click.core import ParameterSource

from ..export.html import check_hops, check_size_by, export_html
from ..i18n import choose, tr
from ..network.centrality import MEASURES
from ..network.projection import Filters
from ..render import wrap
from .common import (
    Session,
    merged_notes,
    network_options,
    note,
    pass_session,
    published_command,
)
from .exporting import export_group


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
@click.option(
    "--context",
    is_flag=True,
    help="Show the context layers (places, markets, policies, events, phenomena tied to the "
    "actors shown) from the start; without it they are one click away in the page.",
)
@click.option("--title", help="Title of the page (default: says what it shows).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the layout.")
@network_options(directed=False)
@pass_session
def export_html_command(
    ctx: Session,
    target: str,
    focus: str | None,
    hops: int,
    ends: tuple[str, str] | None,
    chains: bool,
    size_by: str,
    context: bool,
    title: str | None,
    seed: int,
    filters: Filters,
) -> None:
    """Write the network as one interactive HTML page that works offline and loads nothing
    from anywhere: vis-network and every script and style are in the file, and every name,
    quote and citation is shown as text, never as HTML.

    The page shows the actors; the places, markets, policies, events and phenomena tied to them
    are context layers, one click away (--context shows them from the start; --include makes
    them part of the network itself). Nodes are coloured by sphere and shaped by kind, sized by
    --size-by, with labels sized the same way and shown where they fit (more as you zoom in);
    ties are coloured by type and drawn by status (confirmed solid, reported long dashes,
    alleged short dashes, disputed dotted "?", refuted dash-dot "×"), as wide as their
    evidence. Selecting an entity or a tie dims the rest; the address (#entity=IRI, #tie=IRI)
    names the selection and opens it again. The page has a legend, a search box (names and
    aliases, accents and case ignored), filters, PNG and SVG downloads of the current view,
    and a side panel with the card of an entity or the evidence of a tie (status, dates,
    quote, citation); with --chains, the list of chains, each highlighting its path. The
    footer states the data snapshot (SHA-256 of the loaded graphs) and this command (without
    --store, and with the page's file name without its folders).

    The page is written in the language of `hilos --lang` (or HILOS_LANG): English or Spanish.
    The layout is computed here, seeded (communities apart, room for labels, a --path left to
    right). The file appears only once complete. Exits 1 if ENTITY is not in the network or no
    path joins A and B.

    \b
    Examples:
      hilos export html network.html
      hilos export html iguala.html --focus "José Luis Abarca" --hops 2
      hilos export html chain.html --path "José Luis Abarca" "Guerreros Unidos"
      hilos export html collusion.html --chains --min-status reported
      hilos --lang es export html red.html --context
      hilos export html strong.html --min-status reported --size-by betweenness
    """
    check_hops(hops)
    measure = None if size_by == "none" else size_by
    check_size_by(measure)
    root = click.get_current_context().find_root()
    asked = root.params.get("lang")
    lang = choose(None if root.get_parameter_source("lang") is ParameterSource.DEFAULT else asked)
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
        lang=lang,
        context=context,
    )
    for line in merged_notes(ctx, ctx.store(), written.merged):
        note(line)
    if target != "-":
        line = tr(
            "wrote {target}: {actors} actors and {context} context entities, {ties} ties "
            "(snapshot {snapshot})",
            lang,
            target=target,
            actors=written.nodes - written.context,
            context=written.context,
            ties=written.ties,
            snapshot=written.snapshot[:12],
        )
        if written.path_ties:
            line += tr("; best path of {hops} hops", lang, hops=len(written.path_ties))
        click.echo(wrap(line, "", subsequent="    "), err=True)  # within the terminal
