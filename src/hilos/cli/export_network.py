"""`hilos export gexf|graphml|ftm|csv`: the network for Gephi, FollowTheMoney and spreadsheets."""

from __future__ import annotations

import dataclasses

import click

from ..export.ftm import ftm_entities, write_ftm
from ..export.network_files import write_csv_dir, write_gexf, write_graphml
from ..network.projection import Filters, Projection, project
from ..output import atomic_output
from .common import Context, network_options, pass_context
from .data import export_group

_ALL_CLAIMS_HELP = (
    "Also write the claims whose status does not assert the relation (alleged, disputed), "
    "each with its status; refuted claims are never written as links."
)


def _claims_filters(filters: Filters, all_claims: bool) -> Filters:
    """A plain graph export shows a link as a fact: by default only claims whose status asserts
    the relation (confirmed, reported) become links."""
    return dataclasses.replace(filters, asserted_only=not all_claims)


def _left_out(projection: Projection) -> str:
    """What the export left out, for the closing line."""
    parts = []
    unasserted = projection.dropped.get("status does not assert", 0)
    if unasserted:
        parts.append(f"{unasserted} claims that do not assert their relation (--all-claims)")
    refuted = projection.dropped.get("refuted", 0)
    if refuted:
        parts.append(f"{refuted} refuted claims")
    context = sum(projection.left_out.values())
    if context:
        parts.append(f"{context} context entities (--include)")
    return f"; left out {', '.join(parts)}" if parts else ""


def _graph_file(writer_name: str, suffix: str, tool: str) -> None:
    writer = write_gexf if writer_name == "gexf" else write_graphml

    @export_group.command(
        name=writer_name,
        help=f"""Write the network (one edge per claim) as {writer_name.upper()} to FILE, for
        {tool}. Nodes carry label, sphere, kind and types; edges relation, status, confidence,
        score, start, end and the claim's IRI (`tie`). Only claims whose status asserts the
        relation (confirmed, reported) become edges unless --all-claims; the network holds
        actors unless --include; the analysis filters apply.

        \b
        Examples:
          hilos export {writer_name} network.{suffix}
          hilos export {writer_name} state.{suffix} --graph report/iguala --min-status reported
        """,
    )
    @click.argument("target", metavar="FILE")
    @click.option("--all-claims", is_flag=True, help=_ALL_CLAIMS_HELP)
    @network_options
    @pass_context
    def command(ctx: Context, target: str, all_claims: bool, filters: Filters) -> None:
        projection = project(ctx.store(), _claims_filters(filters, all_claims), lang=ctx.lang)
        with atomic_output(target) as handle:
            writer(projection, handle)
        graph = projection.graph
        click.echo(
            f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} claims to "
            f"{target}{_left_out(projection)}",
            err=True,
        )


_graph_file("gexf", "gexf", "Gephi (readable by networkx.read_gexf)")
_graph_file("graphml", "graphml", "Gephi, yEd and networkx.read_graphml")


@export_group.command(name="ftm")
@click.argument("target", metavar="FILE|-")
@click.option("--all-claims", is_flag=True, help=_ALL_CLAIMS_HELP)
@network_options
@pass_context
def export_ftm(ctx: Context, target: str, all_claims: bool, filters: Filters) -> None:
    """Write the actors of the graphs and the ties that pass the filters as FollowTheMoney
    entities (JSON lines) to FILE, or - for standard output.

    Actors become Person, Organization, PublicBody, Company or LegalEntity; ties Membership,
    Directorship, Family, Payment, or UnknownLink with the relation as its role, with
    startDate/endDate and their sourceUrl. Ids are the FtM ids an import kept, else a stable
    hash of the IRI, so `hilos import ftm` of the file gives back the same graph. Ties with an
    end that is not an actor (a place, a market) are left out and counted. Only claims whose
    status asserts the relation (confirmed, reported) are written unless --all-claims.

    \b
    Examples:
      hilos export ftm entities.ftm.jsonl --graph leak
      hilos export ftm - --min-status reported
    """
    store = ctx.store()
    projection = project(store, _claims_filters(filters, all_claims), lang=ctx.lang)
    exported = ftm_entities(store, projection, lang=ctx.lang)
    with atomic_output(target) as handle:
        write_ftm(exported, handle)
    skipped = f", {exported.skipped_ties} ties left out (an end is not an actor)"
    click.echo(
        f"wrote {exported.entities} entities and {exported.ties} ties"
        + (skipped if exported.skipped_ties else "")
        + ("" if target == "-" else f" to {target}")
        + _left_out(projection),
        err=True,
    )


@export_group.command(name="csv")
@click.argument("target", metavar="DIR")
@click.option("--all-claims", is_flag=True, help=_ALL_CLAIMS_HELP)
@network_options
@pass_context
def export_csv(ctx: Context, target: str, all_claims: bool, filters: Filters) -> None:
    """Write the network as two spreadsheets in the folder DIR: nodes.csv (id, label, sphere,
    kind, types) and ties.csv (tie, from, from_label, relation, to, to_label, status,
    confidence, start, end, sources, quote).

    UTF-8 with a byte-order mark so spreadsheets read accents; cells starting with = + - @ get
    a leading apostrophe so they cannot run as formulas. Both files appear only once complete.
    Only claims whose status asserts the relation (confirmed, reported) are written unless
    --all-claims.

    \b
    Examples:
      hilos export csv network/
      hilos export csv iguala/ --graph report/iguala
    """
    store = ctx.store()
    projection = project(store, _claims_filters(filters, all_claims), lang=ctx.lang)
    counts = write_csv_dir(store, projection, target)
    click.echo(
        f"wrote {counts['nodes.csv']} nodes and {counts['ties.csv']} claims to {target}"
        + _left_out(projection),
        err=True,
    )
