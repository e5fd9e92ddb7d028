"""`hilos export dossier`: an entity's ties or an evidence path, with footnoted sources."""

from __future__ import annotations

import click
from click.core import ParameterSource

from ..export.dossier import dossier_format, write_dossier
from ..i18n import Translator
from ..network.projection import Filters
from ..render import wrap
from .common import Session, network_options, pass_session, published_command
from .exporting import export_group


@export_group.command(name="dossier")
@click.argument("target", metavar="OUT.html|OUT.md|-")
@click.argument("entity", required=False)
@click.option(
    "--path",
    "ends",
    nargs=2,
    metavar="A B",
    help="The best evidence path between A and B instead of an entity's ties.",
)
@click.option(
    "--limit",
    type=int,
    default=1,
    show_default=True,
    help="With --path: how many paths, best first.",
)
@click.option(
    "--max-hops", type=int, default=6, show_default=True, help="With --path: longest path."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"], case_sensitive=False),
    help="md or html (default: from the extension of OUT; needed for -).",
)
@network_options(directed=False)
@pass_session
def dossier_command(
    ctx: Session,
    target: str,
    entity: str | None,
    ends: tuple[str, str] | None,
    limit: int,
    max_hops: int,
    fmt: str | None,
    filters: Filters,
) -> None:
    """Write an evidence dossier an editor can check and reproduce: the ties of ENTITY, or
    with --path A B the best evidence path between A and B, as a hop table (status,
    confidence, dates) with footnoted sources (citation, quoted sentence, locator). The header
    gives the date of generation (UTC), the data snapshot hash and this command.

    OUT ending in .html gives one self-contained, printable page (no script, nothing fetched
    from the network); .md gives GitHub-flavoured Markdown; - writes to standard output with
    --format. A path's score is the product of its ties' status weight × confidence. The
    filters apply to the ties in both modes. Exits 1 if the entity or a path is not found.

    \b
    Examples:
      hilos export dossier abarca.html "José Luis Abarca"
      hilos export dossier iguala.md --path "José Luis Abarca" "Guerreros Unidos"
      hilos export dossier - --format md --path Abarca "Guerreros Unidos" --limit 3
      hilos export dossier abarca.md Abarca --min-status reported --as-of 2014-09-26
    """
    click_ctx = click.get_current_context()
    _ = Translator(ctx.lang)
    if (entity is None) == (ends is None):
        raise click.UsageError(_("give ENTITY or --path A B (one of them)"), click_ctx)
    if entity is not None:
        for name in ("limit", "max_hops"):
            if click_ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
                flag = "--" + name.replace("_", "-")
                raise click.UsageError(_("{flag} goes with --path A B", flag=flag), click_ctx)
    dossier_format(target, fmt.lower() if fmt else None)  # a bad name fails before any work
    dossier = write_dossier(
        ctx.store(),
        target,
        entity=entity,
        path=ends,
        filters=filters,
        command=published_command(click_ctx),
        fmt=fmt.lower() if fmt else None,
        lang=ctx.lang,
        limit=limit,
        max_hops=max_hops,
    )
    if dossier.entity is not None and not dossier.ties:
        click.echo(_("Note: no tie of this entity passes these filters."), err=True)
    if target != "-":
        rows = len(dossier.ties) + sum(len(p.rows) for p in dossier.paths)
        notes = len(dossier.footnotes)
        if dossier.paths:
            wrote = _(
                "wrote {target}: {paths} path(s), {rows} tie(s), {notes} footnote(s)",
                target=target,
                paths=len(dossier.paths),
                rows=rows,
                notes=notes,
            )
        else:
            wrote = _(
                "wrote {target}: {rows} tie(s), {notes} footnote(s)",
                target=target,
                rows=rows,
                notes=notes,
            )
        click.echo(wrap(wrote, "", subsequent="    "), err=True)  # within the terminal
