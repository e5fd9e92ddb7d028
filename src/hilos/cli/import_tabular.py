"""`hilos import csv` and `hilos import matrix`: spreadsheets of ties and adjacency matrices."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from ..importers.resolution import LINK_MODES
from ..importers.tabular import (
    ALIASES,
    FIELDS,
    NODE_FIELDS,
    BadRows,
    ImportOptions,
    Summary,
    dump_json,
    import_csv,
    import_matrix,
    parse_mapping,
    read_mapping_file,
)
from ..output import plain, table
from .app import one_line
from .common import STATUS_CHOICE, Context, echo, output_option, pass_context
from .importing import import_group

_SHOWN = 20
_HOW = {"--map": "--map", "header": "guessed from its name", "position": "guessed from its place"}
_STATUS = STATUS_CHOICE
_LONGEST_ERROR = 20_000
"""The one line naming every bad row (up to 50) is not clipped as other errors are."""


@import_group.command(name="csv")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN (a header name, or a 1-based number). Repeatable.",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(dir_okay=False),
    help="A file of FIELD=COLUMN lines (# comments allowed); --map overrides it.",
)
@click.option("--relation", metavar="TYPE", help="Give every row this tie type.")
@click.option(
    "--status",
    type=_STATUS,
    default="reported",
    show_default=True,
    help="Status of ties whose row has none.",
)
@click.option(
    "--delimiter",
    metavar="CHAR",
    help="A character, `tab` or `whitespace` (default: guessed among , ; and tab).",
)
@click.option("--no-header", is_flag=True, help="The first row is data; columns are numbered.")
@click.option(
    "--encoding",
    metavar="NAME",
    help="The file's encoding (default: UTF-8; a file that is not is read as cp1252, and said).",
)
@click.option(
    "--dayfirst",
    "dayfirst",
    is_flag=True,
    help="Read dates such as 05/03/2022 day first (5 March).",
)
@click.option(
    "--monthfirst",
    "monthfirst",
    is_flag=True,
    help="Read dates such as 05/03/2022 month first (May 3).",
)
@click.option(
    "--nodes",
    "nodes",
    type=click.Path(dir_okay=False),
    help="A node sheet: from and to are then ids into it (node_id, node_label, node_type).",
)
@click.option(
    "--quote-lang",
    default="und",
    show_default=True,
    help="Language tag of the quotes (und: undetermined).",
)
@click.option("--graph", "graph", metavar="NAME", help="Name of the graph (default: file stem).")
@click.option("--replace", is_flag=True, help="Replace a graph of the same name if loaded.")
@click.option(
    "--append",
    is_flag=True,
    help="Add the file to the graph if it is loaded already (undo or drop --file take it out).",
)
# --append (add the rows to a graph already loaded) comes with the change journal.
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show the mapping, the entities to be created and merged and five claims as they "
    "will read; load nothing.",
)
@click.option(
    "--link",
    type=click.Choice(LINK_MODES),
    default="exact",
    show_default=True,
    help="Match names to the store's entities by whole name or alias (exact), or not at all.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Load the good rows; write the bad ones to <stem>.rejected.csv beside the file.",
)
@output_option("table", "json")
@pass_context
def import_csv_command(
    ctx: Context,
    file: str,
    maps: tuple[str, ...],
    mapping_file: str | None,
    relation: str | None,
    status: str,
    delimiter: str | None,
    no_header: bool,
    encoding: str | None,
    dayfirst: bool,
    monthfirst: bool,
    nodes: str | None,
    quote_lang: str,
    graph: str | None,
    replace: bool,
    append: bool,
    dry_run: bool,
    link: str,
    skip_invalid: bool,
    fmt: str,
) -> None:
    """Import a spreadsheet of ties (CSV, TSV, whitespace-separated, or .xlsx with openpyxl).

    One row is one tie. Fields: from, to, relation, status, confidence, start, end, weight,
    quote, citation, locator, url, from_type, to_type, from_sphere, to_sphere; with --nodes
    also node_id, node_label, node_type. An unmapped field is read from a column named for it,
    in English or Spanish (from: from/de/desde/origen; to: to/a/hacia/destino; relation:
    relation/relación/tipo; status: status/estatus/estado; start: start/inicio/date/fecha;
    end: end/fin/hasta; quote: quote/cita textual/texto; citation: citation/source/fuente/cita;
    locator: locator/página/page; from_type: tipo de; to_type: tipo a …), and the import says
    so. A column named Source, Fuente or Cita is the citation: source and target are the ends
    only with --map from=source --map to=target (Gephi's edge list). Two columns that could
    fill one field are refused, never guessed between. Without a header, columns 1, 2 and 3 are
    from, to and weight.

    Values may be English or Spanish: statuses (presunto, reportado, confirmado, controvertido,
    desmentido…), relations and types by the ontology's names and labels (colusión, soborno,
    alcalde, policía municipal… — hilos types lists them), confidences as 0.8, 80% or
    alta/media/baja (0.8, 0.5, 0.2), dates as 2022-03-15, 15/03/2022, 03/2022, marzo de 2022
    or 2022 (05/03/2022 is read day first when every date of the file that tells is, or as
    --dayfirst/--monthfirst say). A file that is not UTF-8 is read as cp1252 (Excel on
    Windows), and said; --encoding forces one.

    A relation naming a tie type of the ontology gives that type, any other text a generic tie
    keeping it (the summary lists those with the closest types). Every row is a claim of its
    own: a repeated pair, a second source or a second status is another claim, never merged.
    Names meet the store's entities only as a whole name or declared alias (case, accents and
    punctuation ignored); a qualifier in parentheses such as "(Venezuela)" may only choose
    between entities of the same name, and a name is never merged into a place unless the
    row says it is one. The import lists every merge with its reason. Every claim records the
    import (file, sha256, time) and its row. Every bad row is named — row, column, value and
    what was expected — in one error, and nothing is loaded, unless --skip-invalid. Row
    numbers count the header as row 1.

    Each file is a graph of its own (--graph names it), or, with --append, joins a graph
    already loaded — your `mine`, say — as a change of the graph's journal: its names meet the
    graph's entities like any others, `hilos undo` takes it out while it is the last change,
    and `hilos drop GRAPH --file FILE` at any time (keeping what other files and your own
    claims still name).

    \b
    Examples:
      hilos import csv hallazgos.csv --dry-run
      hilos import csv hallazgos-abril.csv --graph mine --append
      hilos import csv BACRIM2020_Alliances.csv --map from=Group --map to=RGroup \\
          --relation alliance
      hilos import csv edges.csv --map from=source --map to=target
      hilos import csv BACRIM2020_Rivals.csv --nodes BACRIM2020_Nodes.csv --relation rivalry
      hilos import csv Montagna_meetings_edgelist.csv --no-header --relation "met with"
      hilos import csv ties.csv --mapping ties.map --encoding latin-1 --monthfirst
    """
    if dayfirst and monthfirst:
        raise click.UsageError("give --dayfirst or --monthfirst, not both")
    items = list(read_mapping_file(mapping_file)) if mapping_file else []
    items += list(maps)
    allowed = FIELDS + tuple(ALIASES) + NODE_FIELDS
    mapping = parse_mapping(items, allowed)
    tie_mapping = {k: v for k, v in mapping.items() if k in FIELDS}
    node_mapping = {k: v for k, v in mapping.items() if k in NODE_FIELDS}
    if node_mapping and not nodes:
        raise click.UsageError("node_* fields map the --nodes sheet: give --nodes FILE")
    options = ImportOptions(
        mapping=tie_mapping,
        header=not no_header,
        delimiter=delimiter,
        relation=relation,
        status=status,
        quote_lang=quote_lang or None,
        nodes=nodes,
        node_mapping=node_mapping,
        skip_invalid=skip_invalid,
        link=link,
        encoding=encoding,
        date_order="day" if dayfirst else "month" if monthfirst else None,
        append=append,
    )
    try:
        summary = import_csv(
            ctx.store(),
            file,
            options,
            graph=graph,
            replace=replace,
            dry_run=dry_run,
            progress=ctx.progress("Importing"),
        )
    except BadRows as exc:
        # One line, as every error, but whole: it names every bad row of the file.
        click.echo(f"Error: {one_line(str(exc), _LONGEST_ERROR)}", err=True)
        raise click.exceptions.Exit(exc.exit_code) from None
    _print(summary, fmt)


@import_group.command(name="matrix")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--relation",
    metavar="TYPE",
    help="Tie type of every nonzero cell (default: a generic tie, “communication”).",
)
@click.option(
    "--status", type=_STATUS, default="reported", show_default=True, help="Status of the ties."
)
@click.option(
    "--delimiter",
    metavar="CHAR",
    help="A character, `tab` or `whitespace` (default: guessed among , ; and tab).",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="The file's encoding (default: UTF-8; a file that is not is read as cp1252, and said).",
)
@click.option("--graph", "graph", metavar="NAME", help="Name of the graph (default: file stem).")
@click.option("--replace", is_flag=True, help="Replace a graph of the same name if loaded.")
@click.option(
    "--append",
    is_flag=True,
    help="Add the file to the graph if it is loaded already (undo or drop --file take it out).",
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be created and merged; load nothing."
)
@click.option(
    "--link",
    type=click.Choice(LINK_MODES),
    default="exact",
    show_default=True,
    help="Match ids to the store's entities by whole name or alias (exact), or not at all.",
)
@output_option("table", "json")
@pass_context
def import_matrix_command(
    ctx: Context,
    file: str,
    relation: str | None,
    status: str,
    delimiter: str | None,
    encoding: str | None,
    graph: str | None,
    replace: bool,
    append: bool,
    dry_run: bool,
    link: str,
    fmt: str,
) -> None:
    """Import an adjacency matrix: first row and first column are ids, cells are ties.

    A nonzero cell is a claim from the row's entity to the column's, weighted by the cell
    (each cell a claim of its own). Ids meet the store's entities as names do in
    `hilos import csv`.

    \b
    Examples:
      hilos import matrix phase1.csv --graph caviar-phase1
      hilos import matrix kin.csv --relation kinship
    """
    try:
        summary = import_matrix(
            ctx.store(),
            file,
            relation=relation,
            status=status,
            delimiter=delimiter,
            graph=graph,
            replace=replace,
            dry_run=dry_run,
            progress=ctx.progress("Importing"),
            link=link,
            encoding=encoding,
            append=append,
        )
    except BadRows as exc:
        click.echo(f"Error: {one_line(str(exc), _LONGEST_ERROR)}", err=True)
        raise click.exceptions.Exit(exc.exit_code) from None
    _print(summary, fmt)


def _names_summary(summary: Summary) -> list[str]:
    """The names merged with entities of the store (each with the entity's label and the
    reason), those kept apart although they looked alike, and examples of the new entities."""
    lines: list[str] = []
    link = "no matching against the store (--link none)" if summary.link == "none" else ""
    if link:
        lines.append(link)
    if summary.merged:
        verb = "will merge" if summary.dry_run else "merged"
        lines.append(f"Names that {verb} with existing entities:")
        rows = [[m.name, m.label, m.reason] for m in summary.merged[:_SHOWN]]
        lines.append(table(["name", "existing entity", "why"], rows, clip=None))
        if len(summary.merged) > _SHOWN:
            lines.append(f"… and {len(summary.merged) - _SHOWN} more (--format json lists all)")
    if summary.kept_apart:
        lines.append("Names kept apart from an existing entity they resemble:")
        rows = [[m.name, m.label, m.reason] for m in summary.kept_apart[:_SHOWN]]
        lines.append(table(["name", "resembles", "why not merged"], rows, clip=None))
        if len(summary.kept_apart) > _SHOWN:
            extra = len(summary.kept_apart) - _SHOWN
            lines.append(f"… and {extra} more (--format json lists all)")
    if summary.new_entities:
        examples = "; ".join(summary.new_examples)
        more = "…" if summary.new_entities > len(summary.new_examples) else ""
        verb = "would be" if summary.dry_run else "were"
        lines.append(f"{summary.new_entities} new entities {verb} created, e.g. {examples}{more}")
    return lines


def _mapping_summary(summary: Summary) -> list[str]:
    """The columns read (each field with its column, guessed or --map), those recognised but
    not used, and those ignored."""
    lines: list[str] = []
    if summary.mapping:
        rows = [[m.field, m.column, _HOW[m.by]] for m in summary.mapping]
        if summary.relation_option:
            rows.append(["relation", f"(every row: {summary.relation_option})", "--relation"])
        lines.append("Columns read:")
        lines.append(table(["field", "column", "how"], rows, clip=None))
    if summary.node_mapping:
        rows = [[m.field, m.column, _HOW[m.by]] for m in summary.node_mapping]
        lines.append("Node sheet columns read:")
        lines.append(table(["field", "column", "how"], rows, clip=None))
    for unused in summary.unused:
        lines.append(f"Column {unused.column} not used: {unused.why}.")
    if summary.ignored:
        lines.append("Columns ignored (not a field of a tie): " + ", ".join(summary.ignored))
    return lines


def _print(summary: Summary, fmt: str) -> None:
    for notice in summary.notices:
        click.echo(plain(notice), err=True)
    if fmt == "json":
        echo(dump_json(summary))
        return
    if summary.appended:
        verb = "would add to" if summary.dry_run else "added to"
    else:
        verb = "would import" if summary.dry_run else "imported"
    lines = [
        f"{summary.file}: {verb} graph {summary.graph}"
        + (" (replaced)" if summary.replaced else "")
        + f" — {summary.rows} rows, {summary.ties} ties, {summary.new_entities} new entities, "
        f"{len(summary.merged)} names merged with existing entities"
        + ("" if summary.dry_run else f", {summary.statements} statements")
    ]
    lines.extend(_mapping_summary(summary))
    if summary.date_note:
        lines.append(f"Dates: {summary.date_note}.")
    if summary.rejected:
        where = f", written to {summary.rejected_file}" if summary.rejected_file else ""
        lines.append(f"{summary.rejected} rows rejected{where}")
    lines.extend(_names_summary(summary))
    if summary.untyped:
        lines.append(
            f"{summary.untyped} new entities are plain actors with no sphere: "
            "`hilos validate` will report them; type them with from_type/to_type (or give "
            "from_sphere/to_sphere), or a node sheet."
        )
    for generic in summary.generic_relations[:_SHOWN]:
        closest = generic.closest
        like = f" (closest tie types: {', '.join(closest)})" if closest else ""
        lines.append(
            f"Relation {generic.relation!r} is no tie type of hilos: kept as a generic tie "
            f"in {generic.rows} row{'s' if generic.rows > 1 else ''}{like}."
        )
    lines.extend(f"Sphere: {note}." for note in summary.sphere_notes)
    if summary.dry_run and summary.examples:
        lines.append("The first claims, as they will read:")
        lines.extend(f"  {example.text()}" for example in summary.examples)
    if summary.change is not None:
        name = Path(summary.file).name
        lines.append(
            f"Change {summary.change} of graph {summary.graph}: hilos undo --graph "
            f"{summary.graph} takes it out while it is the last change, hilos drop "
            f"{summary.graph} --file {shlex.quote(name)} at any time."
        )
    echo("\n".join(plain(line) for line in lines))
