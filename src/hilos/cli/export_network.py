"""`hilos export gexf|graphml|ftm|csv`: the network for Gephi, FollowTheMoney and spreadsheets."""

from __future__ import annotations

import click

from ..export.ftm import ftm_entities, write_ftm
from ..export.network_files import write_csv_dir, write_gexf, write_graphml
from ..network.projection import Filters, project
from ..output import atomic_output
from .common import Context, network_options, pass_context
from .data import export_group


def _graph_file(writer_name: str, suffix: str, tool: str) -> None:
    writer = write_gexf if writer_name == "gexf" else write_graphml

    @export_group.command(
        name=writer_name,
        help=f"""Write the network (one edge per tie) as {writer_name.upper()} to FILE, for
        {tool}. Nodes carry label, sphere, kind and types; edges relation, status, confidence,
        score, start, end and the tie's IRI (`tie`). The analysis filters apply.

        \b
        Examples:
          hilos export {writer_name} network.{suffix}
          hilos export {writer_name} state.{suffix} --graph report/iguala --min-status reported
        """,
    )
    @click.argument("target", metavar="FILE")
    @network_options
    @pass_context
    def command(ctx: Context, target: str, filters: Filters) -> None:
        projection = project(ctx.store(), filters, lang=ctx.lang)
        with atomic_output(target) as handle:
            writer(projection, handle)
        graph = projection.graph
        click.echo(
            f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} ties to {target}",
            err=True,
        )


_graph_file("gexf", "gexf", "Gephi (readable by networkx.read_gexf)")
_graph_file("graphml", "graphml", "Gephi, yEd and networkx.read_graphml")


@export_group.command(name="ftm")
@click.argument("target", metavar="FILE|-")
@network_options
@pass_context
def export_ftm(ctx: Context, target: str, filters: Filters) -> None:
    """Write the actors of the graphs and the ties that pass the filters as FollowTheMoney
    entities (JSON lines) to FILE, or - for standard output.

    Actors become Person, Organization, PublicBody, Company or LegalEntity; ties Membership,
    Directorship, Family, Payment, or UnknownLink with the relation as its role, with
    startDate/endDate and their sourceUrl. Ids are the FtM ids an import kept, else a stable
    hash of the IRI, so `hilos import ftm` of the file gives back the same graph. Ties with an
    end that is not an actor (a place, a market) are left out and counted.

    \b
    Examples:
      hilos export ftm entities.ftm.jsonl --graph leak
      hilos export ftm - --min-status reported
    """
    store = ctx.store()
    exported = ftm_entities(store, project(store, filters, lang=ctx.lang), lang=ctx.lang)
    with atomic_output(target) as handle:
        write_ftm(exported, handle)
    skipped = f", {exported.skipped_ties} ties left out (an end is not an actor)"
    click.echo(
        f"wrote {exported.entities} entities and {exported.ties} ties"
        + (skipped if exported.skipped_ties else "")
        + ("" if target == "-" else f" to {target}"),
        err=True,
    )


@export_group.command(name="csv")
@click.argument("target", metavar="DIR")
@network_options
@pass_context
def export_csv(ctx: Context, target: str, filters: Filters) -> None:
    """Write the network as two spreadsheets in the folder DIR: nodes.csv (id, label, sphere,
    kind, types) and ties.csv (tie, from, from_label, relation, to, to_label, status,
    confidence, start, end, sources, quote).

    UTF-8 with a byte-order mark so spreadsheets read accents; cells starting with = + - @ get
    a leading apostrophe so they cannot run as formulas. Both files appear only once complete.

    \b
    Examples:
      hilos export csv network/
      hilos export csv iguala/ --graph report/iguala
    """
    store = ctx.store()
    counts = write_csv_dir(store, project(store, filters, lang=ctx.lang), target)
    click.echo(
        f"wrote {counts['nodes.csv']} nodes and {counts['ties.csv']} ties to {target}", err=True
    )
