"""`hilos export gexf|graphml|ftm|csv`: the network for Gephi, FollowTheMoney and spreadsheets."""

from __future__ import annotations

import dataclasses

import click

from ..atomicfile import atomic_output
from ..export.network_files import write_csv_dir, write_gexf, write_graphml
from ..network.projection import Filters, Projection, project
from ..render import wrap
from .common import Session, network_options, pass_session
from .exporting import export_group

_ALL_CLAIMS_HELP = (
    "Also write the claims whose status does not assert the relation (alleged, disputed), "
    "each with its status; refuted claims are never written as links."
)


def _claims_filters(filters: Filters, all_claims: bool) -> Filters:
    """A plain graph export shows a link as a fact: by default only claims whose status asserts
    the relation (confirmed, reported) become links."""
    return dataclasses.replace(filters, asserted_only=not all_claims)


def _left_out(ctx: Session, projection: Projection) -> str:
    """What the export left out, for the closing line."""
    parts = []
    unasserted = projection.dropped.get("status does not assert", 0)
    if unasserted:
        parts.append(
            ctx._(
                "{count} claims that do not assert their relation (--all-claims)",
                count=unasserted,
            )
        )
    refuted = projection.dropped.get("refuted", 0)
    if refuted:
        parts.append(ctx._("{count} refuted claims", count=refuted))
    context = sum(projection.left_out.values())
    if context:
        parts.append(ctx._("{count} context entities (--include)", count=context))
    return ctx._("; left out {what}", what=", ".join(parts)) if parts else ""


def _wrote(line: str) -> None:
    """The closing line of an export, on stderr, within the terminal's width."""
    click.echo(wrap(line, "", subsequent="    "), err=True)


def _graph_file(writer_name: str, suffix: str, tool: str) -> None:
    writer = write_gexf if writer_name == "gexf" else write_graphml

    @export_group.command(
        name=writer_name,
        help=f"""Write the network (one edge per claim) as {writer_name.upper()} to FILE, for
        {tool}. Nodes carry label, sphere, kind, types and aliases; edges the claim's IRI
        (`tie`), relation, status, confidence, score, valid time (valid_from and valid_until,
        the whole days it covers; start_as_stated and end_as_stated, as the source gives
        them), quote, citation, locator and sources. Relations, statuses, types and spheres
        are labels in --lang, with their IRIs in *_iri attributes; several values are joined
        with " | ". Only claims whose status asserts the relation (confirmed, reported) become
        edges unless --all-claims; the network holds actors unless --include; the analysis
        filters apply.

        \b
        Examples:
          hilos export {writer_name} network.{suffix}
          hilos export {writer_name} state.{suffix} --graph report/iguala --min-status reported
        """,
    )
    @click.argument("target", metavar="FILE")
    @click.option("--all-claims", is_flag=True, help=_ALL_CLAIMS_HELP)
    @network_options
    @pass_session
    def command(ctx: Session, target: str, all_claims: bool, filters: Filters) -> None:
        store = ctx.store()
        projection = project(store, _claims_filters(filters, all_claims), lang=ctx.lang)
        with atomic_output(target) as handle:
            writer(store, projection, handle, lang=ctx.lang)
        graph = projection.graph
        _wrote(
            ctx._(
                "wrote {nodes} nodes and {claims} claims to {target}",
                nodes=graph.number_of_nodes(),
                claims=graph.number_of_edges(),
                target=target,
            )
            + _left_out(ctx, projection)
        )


_graph_file("gexf", "gexf", "Gephi, Gephi Lite and networkx.read_gexf (GEXF 1.3)")
_graph_file("graphml", "graphml", "Gephi, yEd and networkx.read_graphml")


@export_group.command(name="ftm")
@click.argument("target", metavar="FILE|-")
@click.option("--all-claims", is_flag=True, help=_ALL_CLAIMS_HELP)
@network_options
@pass_session
def export_ftm(ctx: Session, target: str, all_claims: bool, filters: Filters) -> None:
    """Write the actors of the graphs and the ties that pass the filters as FollowTheMoney
    entities (JSON lines) to FILE, or - for standard output.

    Entities built and checked with the followthemoney library. Actors become Person,
    Organization, PublicBody, Company or LegalEntity; each claim one interval entity
    (Membership, Directorship, Family, Payment, Occupancy, Employment, Associate, or
    UnknownLink) with its quote as summary, the claim in words as description, its status,
    the sources' citations as publisher, its locator as recordId and its dates. Entities read
    by `hilos import ftm` come back with every property they had, so import then export
    loses nothing. Ids are the FtM ids an import kept, else a stable hash of the IRI. Ties
    with an end that is not an actor (a place, a market) are left out and counted. Only
    claims whose status asserts the relation (confirmed, reported) are written unless
    --all-claims.

    \b
    Examples:
      hilos export ftm entities.ftm.jsonl --graph leak
      hilos export ftm - --min-status reported
    """
    store = ctx.store()
    projection = project(store, _claims_filters(filters, all_claims), lang=ctx.lang)
    # followthemoney takes about a second to import: only the FtM commands pay for it.
    from ..export.ftm import ftm_entities, write_ftm

    exported = ftm_entities(store, projection, lang=ctx.lang)
    with atomic_output(target) as handle:
        write_ftm(exported, handle)
    skipped = ctx._(", {count} ties left out (an end is not an actor)", count=exported.skipped_ties)
    promoted = ctx._(
        ", {count} entities given the more specific schema a link needs", count=exported.promoted
    )
    dropped = ctx._(
        ", {count} references to entities left out dropped", count=exported.dropped_references
    )
    _wrote(
        ctx._(
            "wrote {entities} entities and {ties} ties",
            entities=exported.entities,
            ties=exported.ties,
        )
        + (skipped if exported.skipped_ties else "")
        + (promoted if exported.promoted else "")
        + (dropped if exported.dropped_references else "")
        + ("" if target == "-" else ctx._(" to {target}", target=target))
        + _left_out(ctx, projection)
    )


@export_group.command(name="csv")
@click.argument("target", metavar="DIR")
@click.option("--all-claims", is_flag=True, help=_ALL_CLAIMS_HELP)
@network_options
@pass_session
def export_csv(ctx: Session, target: str, all_claims: bool, filters: Filters) -> None:
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
    _wrote(
        ctx._(
            "wrote {nodes} nodes and {claims} claims to {target}",
            nodes=counts["nodes.csv"],
            claims=counts["ties.csv"],
            target=target,
        )
        + _left_out(ctx, projection)
    )
