"""`hilos import csv` and `hilos import matrix`: spreadsheets of ties and adjacency matrices."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click

from ..importers.resolution import LINK_MODES
from ..importers.tabular import (
    ALIASES,
    FIELDS,
    NODE_FIELDS,
    BadRows,
    GenericRelation,
    ImportOptions,
    Summary,
    dump_json,
    import_csv,
    import_matrix,
    parse_mapping,
    read_mapping_file,
)
from ..render import plain, table, wrap
from .common import (
    STATUS_CHOICE,
    Session,
    echo,
    flag_names,
    one_line,
    output_option,
    pass_session,
)
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
@pass_session
# Over 60 lines for its options and its --help text (the docstring); the body is short.
def import_csv_command(
    ctx: Session,
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
        message = one_line(_said(ctx, exc), _LONGEST_ERROR)
        click.echo(ctx._("Error: {message}", message=message), err=True)
        raise click.exceptions.Exit(exc.exit_code) from None
    _print(ctx, summary, fmt)


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
@pass_session
def import_matrix_command(
    ctx: Session,
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
        message = one_line(_said(ctx, exc), _LONGEST_ERROR)
        click.echo(ctx._("Error: {message}", message=message), err=True)
        raise click.exceptions.Exit(exc.exit_code) from None
    _print(ctx, summary, fmt)


def _said(ctx: Session, error: BadRows) -> str:
    """The bad rows' error in the reader's language, the parameters it names as flags."""
    root = click.get_current_context().find_root().command
    return error.localized(ctx.lang, parameter_names=flag_names(root))


def _how(ctx: Session, by: str) -> str:
    """How a column was chosen for a field, in the reader's language."""
    if by == "header":
        return ctx._("guessed from its name")
    if by == "position":
        return ctx._("guessed from its place")
    return by if by.startswith("--") else _HOW.get(by, by)


def _names_summary(ctx: Session, summary: Summary) -> list[str]:
    """The names merged with entities of the store (each with the entity's label and the
    reason), those kept apart although they looked alike, and examples of the new entities."""
    _ = ctx._
    lines: list[str] = []
    if summary.link == "none":
        lines.append(_("no matching against the store (--link none)"))
    more = _("… and {count} more (--format json lists all)", count="{count}")
    if summary.merged:
        lines.append(
            _("Names that will merge with existing entities:")
            if summary.dry_run
            else _("Names that merged with existing entities:")
        )
        rows = [[m.name, m.label, ctx.say(m.reason)] for m in summary.merged[:_SHOWN]]
        lines.append(table([_("name"), _("existing entity"), _("why")], rows, clip=None))
        if len(summary.merged) > _SHOWN:
            lines.append(more.format(count=len(summary.merged) - _SHOWN))
    if summary.kept_apart:
        lines.append(_("Names kept apart from an existing entity they resemble:"))
        rows = [[m.name, m.label, ctx.say(m.reason)] for m in summary.kept_apart[:_SHOWN]]
        lines.append(table([_("name"), _("resembles"), _("why not merged")], rows, clip=None))
        if len(summary.kept_apart) > _SHOWN:
            lines.append(more.format(count=len(summary.kept_apart) - _SHOWN))
    if summary.new_entities:
        values = {
            "count": summary.new_entities,
            "examples": "; ".join(summary.new_examples)
            + ("…" if summary.new_entities > len(summary.new_examples) else ""),
        }
        lines.append(
            _("{count} new entities would be created, e.g. {examples}", **values)
            if summary.dry_run
            else _("{count} new entities were created, e.g. {examples}", **values)
        )
    return lines


def _mapping_summary(ctx: Session, summary: Summary) -> list[str]:
    """The columns read (each field with its column, guessed or --map), those recognised but
    not used, and those ignored."""
    _ = ctx._
    lines: list[str] = []
    headers = [_("field"), _("column"), _("how")]
    if summary.mapping:
        rows = [[m.field, m.column, _how(ctx, m.by)] for m in summary.mapping]
        if summary.relation_option:
            every = _("(every row: {relation})", relation=summary.relation_option)
            rows.append(["relation", every, "--relation"])
        lines.append(_("Columns read:"))
        lines.append(table(headers, rows, clip=None))
    if summary.node_mapping:
        rows = [[m.field, m.column, _how(ctx, m.by)] for m in summary.node_mapping]
        lines.append(_("Node sheet columns read:"))
        lines.append(table(headers, rows, clip=None))
    for unused in summary.unused:
        lines.append(_("Column {column} not used: {why}.", column=unused.column, why=unused.why))
    if summary.ignored:
        ignored = ", ".join(summary.ignored)
        lines.append(_("Columns ignored (not a field of a tie): {columns}", columns=ignored))
    return lines


def _example(ctx: Session, example: Any) -> str:
    """One claim of the file as it will read, in the reader's language."""
    words = ctx.words
    line = f"{example.source} → {_relation(ctx, example.relation)} → {example.target} — "
    line += words.status(example.status) if example.status else ""
    if example.confidence is not None:
        line += ", " + ctx._("confidence {value}", value=example.confidence)
    parts = [line]
    if example.start or example.end:
        parts.append(f"[{example.start or '…'} – {example.end or '…'}]")
    if example.quote:
        parts.append(f"“{example.quote}”")
    if example.citation:
        parts.append(ctx._("source: {sources}", sources=example.citation) + ",")
    parts.append(_row(ctx, example.row))
    return " ".join(parts)


def _relation(ctx: Session, text: str) -> str:
    """A tie type the importer names in English, by its label in the reader's language."""
    from ..errors import HilosError
    from ..terms import Terms

    try:
        return Terms.of(ctx.store()).tie(text).label(ctx.lang)
    except HilosError:  # a generic tie keeps the row's own words
        return text


def _row(ctx: Session, row: str) -> str:
    """`row 2` (as the importer names a row) in the reader's language."""
    number = row.removeprefix("row ").strip()
    return ctx._("row {number}", number=number) if number.isdigit() else row


def _print(ctx: Session, summary: Summary, fmt: str) -> None:
    for notice in summary.notices:
        click.echo(wrap(ctx.say(notice), "", subsequent="    "), err=True)
    if fmt == "json":
        echo(dump_json(summary))
        return
    _ = ctx._
    lines = [_headline(ctx, summary)]
    lines.extend(_mapping_summary(ctx, summary))
    if summary.date_note:
        lines.append(_("Dates: {note}.", note=ctx.say(summary.date_note)))
    if summary.rejected:
        lines.append(_rejected(ctx, summary))
    lines.extend(_names_summary(ctx, summary))
    if summary.untyped:
        lines.append(
            _(
                "{count} new entities are plain actors with no sphere: `hilos validate` will "
                "report them; type them with from_type/to_type (or give from_sphere/to_sphere), "
                "or a node sheet.",
                count=summary.untyped,
            )
        )
    lines.extend(_generic(ctx, generic) for generic in summary.generic_relations[:_SHOWN])
    lines.extend(_("Sphere: {note}.", note=ctx.say(note)) for note in summary.sphere_notes)
    if summary.dry_run and summary.examples:
        lines.append(_("The first claims, as they will read:"))
        lines.extend(
            wrap(_example(ctx, example), "  ", subsequent="    ") for example in summary.examples
        )
    if summary.change is not None:
        lines.append(_undo_hint(ctx, summary, summary.change))
    echo("\n".join(_fit(line) for line in lines))


def _headline(ctx: Session, summary: Summary) -> str:
    """What the import did (or would do) to which graph, and how much."""
    _ = ctx._
    values: dict[str, object] = {"file": summary.file, "graph": summary.graph}
    if summary.appended:
        head = (
            _("{file}: would add to graph {graph}", **values)
            if summary.dry_run
            else _("{file}: added to graph {graph}", **values)
        )
    else:
        head = (
            _("{file}: would import graph {graph}", **values)
            if summary.dry_run
            else _("{file}: imported graph {graph}", **values)
        )
    head += _(" (replaced)") if summary.replaced else ""
    head += _(
        " — {rows} rows, {ties} ties, {new} new entities, {merged} names merged with existing "
        "entities",
        rows=summary.rows,
        ties=summary.ties,
        new=summary.new_entities,
        merged=len(summary.merged),
    )
    if not summary.dry_run:
        head += _(", {count} statements", count=summary.statements)
    return head


def _rejected(ctx: Session, summary: Summary) -> str:
    _ = ctx._
    if summary.rejected_file:
        return _(
            "{count} rows rejected, written to {file}",
            count=summary.rejected,
            file=summary.rejected_file,
        )
    return _("{count} rows rejected", count=summary.rejected)


def _generic(ctx: Session, generic: GenericRelation) -> str:
    """A relation that names no tie type, and the closest tie types if any."""
    _ = ctx._
    said = {"relation": repr(generic.relation), "rows": generic.rows}
    if generic.closest:
        return _(
            "Relation {relation} is no tie type of hilos: kept as a generic tie in {rows} "
            "row(s) (closest tie types: {closest}).",
            closest=", ".join(generic.closest),
            **said,
        )
    return _(
        "Relation {relation} is no tie type of hilos: kept as a generic tie in {rows} row(s).",
        **said,
    )


def _undo_hint(ctx: Session, summary: Summary, change: int) -> str:
    """How to take out a file added to a graph as one change of its journal."""
    return ctx._(
        "Change {number} of graph {graph}: hilos undo --graph {graph} takes it out while "
        "it is the last change, hilos drop {graph} --file {file} at any time.",
        number=change,
        graph=summary.graph,
        file=shlex.quote(Path(summary.file).name),
    )


def _fit(text: str) -> str:
    """A line of the summary within the terminal: tables and indented lines as they are,
    sentences wrapped."""
    if "\n" in text or text.startswith("  "):
        return plain(text)
    return wrap(text, "", subsequent="    ")
