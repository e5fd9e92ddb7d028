"""`hilos import ftm`: FollowTheMoney entities (JSON lines) into a named graph of their own."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import BadInput
from ..importers import load_statements
from ..render import decoded, table, to_json, wrap
from ..resources import file_sha256
from ..store import graph_iri
from .common import Session, echo, output_option, pass_session
from .importing import import_group

if TYPE_CHECKING:
    from ..importers.ftm import FtmReport


def _sha256(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _graph_name(path: Path) -> str:
    name = decoded(path.name)
    for suffix in (".jsonl", ".json", ".ftm", ".ijson"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or decoded(path.stem)


@import_group.command(name="ftm")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--graph", "graph", metavar="NAME", help="Name of the graph (default: file name).")
@click.option("--replace", is_flag=True, help="Replace a graph of the same name if loaded.")
@output_option("table", "json")
@pass_session
def import_ftm(ctx: Session, file: str, graph: str | None, replace: bool, fmt: str) -> None:
    """Import FollowTheMoney entities (one JSON object a line, as Aleph and OpenSanctions
    export them) into a graph of their own.

    Each entity is read and cleaned by the followthemoney library. People, organisations,
    companies and public bodies become actors; memberships, directorships, family, ownership,
    payments, sanctions and other links become ties with both ends, status reported (FtM
    asserts its links; hilos cannot weigh them; a `status` that is a hilos status key, as
    `hilos export ftm` writes it, is used instead) and their start and end dates. Every
    property value is kept, and so are entities of other schemata (addresses, passports,
    court cases), so `hilos export ftm` writes them back. FtM ids are kept as identifiers;
    every tie is derived from the import (file, sha256, time) and from the entity's
    sourceUrl, publisher and datasets. References to entities not in the file are reported
    and kept as stub actors; a broken line loads nothing and names its line number.

    \b
    Examples:
      hilos import ftm entities.ftm.jsonl
      hilos import ftm sanctions.jsonl --graph zala --replace --format json
    """
    path = Path(file)
    name = graph or _graph_name(path)
    graph_iri(name)  # a name the store cannot take fails here, before any work
    # followthemoney takes about a second to import: only the FtM commands pay for it.
    from ..importers.ftm import FtmReport, ftm_triples

    report = FtmReport(path=decoded(str(path)), graph=name)
    sha256 = _sha256(path)  # read once: the import's provenance and the graph's record
    triples, report = ftm_triples(path, name, sha256, report)
    load = load_statements(
        ctx.store(),
        triples,
        name=name,
        origin=f"FollowTheMoney {decoded(path.name)}",
        sha256=sha256,
        replace=replace,
        progress=ctx.progress("Loading"),
    )
    _warn_about(report)
    if fmt == "json":
        echo(to_json(report.as_dict() | {"loaded_statements": load.triples}))
        return
    _print_summary(ctx, path, name, report, load.triples)


def _warn_about(report: FtmReport) -> None:
    """A warning on stderr for each kind of thing the import could not keep as it was."""
    if report.missing:
        shown = ", ".join(report.missing[:5]) + (" …" if len(report.missing) > 5 else "")
        _warn(
            f"warning: {len(report.missing)} reference(s) to entities not in the file, "
            f"kept as stub actors: {shown}",
        )
    if report.missing_unmapped:
        where = ", ".join(f"{k} {v}" for k, v in sorted(report.missing_unmapped.items()))
        _warn(
            f"warning: {sum(report.missing_unmapped.values())} reference(s) to entities not in "
            f"the file, in properties hilos does not map ({where}): "
            f"{', '.join(report.missing_unmapped_ids[:5])}"
            + (" …" if len(report.missing_unmapped_ids) > 5 else ""),
        )
    if report.unknown_properties or report.refused_values:
        _warn(_values_not_kept(report))
    if report.incomplete:
        _warn(
            f"warning: {len(report.incomplete)} link(s) without both ends skipped: "
            f"{', '.join(report.incomplete[:5])}",
        )


def _values_not_kept(report: FtmReport) -> str:
    """The warning for property values not kept: not in the schema, or refused by the
    library's cleaning."""
    counts = report.unknown_properties + report.refused_values
    return (
        f"warning: {sum(counts.values())} value(s) not kept: "
        + ", ".join(
            f"{k} {v} (not in the schema)" for k, v in sorted(report.unknown_properties.items())
        )
        + (", " if report.unknown_properties and report.refused_values else "")
        + ", ".join(
            f"{k} {v} (refused by the library's cleaning)"
            for k, v in sorted(report.refused_values.items())
        )
    )


def _print_summary(ctx: Session, path: Path, name: str, report: FtmReport, statements: int) -> None:
    """The entities imported by schema, and one line of what the import did."""
    rows = [[schema, count] for schema, count in sorted(report.entities.items())]
    echo(table([ctx._("schema"), ctx._("entities")], rows))
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(report.skipped.items())) or ctx._("none")
    line = ctx._(
        "{file}: graph {graph} — {actors} actors, {ties} ties, {records} other entities, "
        "{missing} missing ends, {unmapped} other missing references, skipped: {skipped}; "
        "{statements} statements",
        file=decoded(path.name),
        graph=name,
        actors=report.actors,
        ties=report.ties,
        records=report.records,
        missing=len(report.missing),
        unmapped=sum(report.missing_unmapped.values()),
        skipped=skipped,
        statements=statements,
    )
    echo(wrap(line, "", subsequent="    "))


def _warn(text: str) -> None:
    """A warning on stderr, within the terminal's width."""
    click.echo(wrap(text, "", subsequent="    "), err=True)
