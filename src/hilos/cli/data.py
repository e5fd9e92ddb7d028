"""Commands that bring data in and check it: load, drop, graphs, validate (export: `exporting`)."""

from __future__ import annotations

import click

from ..render import inline, table, to_csv, to_json, wrap
from ..store import FORMATS
from ..validate import ValidationReport, validate_files, validate_store
from .common import Session, echo, graph_option, output_option, pass_session


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--graph", "graph", metavar="NAME", help="Name of the graph (default: file stem).")
@click.option(
    "--rdf-format",
    type=click.Choice(sorted(FORMATS), case_sensitive=False),
    help="RDF format of the files (default: guessed from the extension).",
)
@click.option("--replace", is_flag=True, help="Replace a graph of the same name if loaded.")
@click.option(
    "--curated",
    is_flag=True,
    help="Load the ontology and the curated graph of the report where missing or out of date "
    "(an endpoint's first set-up; brings back dropped curated graphs).",
)
@output_option("table", "json")
@pass_session
# Over 60 lines for its options and its --help text (the docstring); the body is short.
def load(
    ctx: Session,
    files: tuple[str, ...],
    graph: str | None,
    rdf_format: str | None,
    replace: bool,
    curated: bool,
    fmt: str,
) -> None:
    """Load RDF files, each into a named graph of its own, all or nothing.

    Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD. A file that does not parse loads
    nothing, and the error names the file, line and column. If several files are given and one
    fails, none of them stays loaded. Statements in the named graphs of a TriG, N-Quads or
    JSON-LD file keep their graph. Large files go through the bulk loader with a progress bar.

    \b
    Examples:
      hilos load findings.ttl
      hilos load leak.nq --graph leak-2024 --replace
      hilos load export.txt --rdf-format ntriples --format json
      hilos --endpoint http://localhost:8890/sparql-auth load --curated
    """
    if graph and len(files) > 1:
        raise click.UsageError("--graph names one graph: give it with a single file")
    if not files and not curated:
        raise click.UsageError("give the files to load (or --curated)")
    store = ctx.store()
    if curated:
        before = {info.name: info.loaded_at for info in store.graphs()}
        store.sync_bundle(progress=ctx.progress("Loading"), restore=True)
        fresh = [
            info for info in store.graphs() if info.bundled and before.get(info.name) != info.sha256
        ]
        if fmt != "json":
            loaded = ", ".join(info.name for info in fresh) or ctx._("nothing: already up to date")
            echo(
                wrap(ctx._("curated graph: loaded {graphs}", graphs=loaded), "", subsequent="    ")
            )
        if not files:
            if fmt == "json":
                echo(to_json([{"graphs": [info.name for info in fresh], "curated": True}]))
            return
    reports = store.load_all(
        list(files),
        name=graph,
        format=rdf_format,
        replace=replace,
        progress=ctx.progress("Loading"),
    )
    if fmt == "json":
        echo(to_json([r.__dict__ | {"graphs": list(r.graphs)} for r in reports]))
        return
    for report in reports:
        replaced = (
            ctx._(" (replaced: {graphs})", graphs=", ".join(report.replaced))
            if report.replaced
            else ""
        )
        line = ctx._(
            "{path}: loaded graph {graphs}{replaced} — {count} statements, {derived} derived",
            path=report.path,
            graphs=", ".join(report.graphs),
            replaced=replaced,
            count=report.triples,
            derived=report.inferred_triples,
        )
        echo(wrap(line, "", subsequent="    "))


@click.command()
@click.argument("name")
@click.option(
    "--file",
    "file",
    metavar="FILE",
    help="Take only this imported file out of the graph (its name as imported, or the file "
    "itself), keeping the rest and recording it in the graph's journal.",
)
@pass_session
def drop(ctx: Session, name: str, file: str | None) -> None:
    """Remove a loaded graph and everything derived from it — or, with --file, one file that
    was imported into it (with `hilos import … --append`).

    NAME is the graph's name as `hilos graphs` lists it. The curated graphs of the report can be
    dropped too; they come back when hilos ships a new version of them. A file taken out with
    --file leaves what the graph's other files and your own claims added, and the entities of
    the file they still name (said); the graph's journal records it (importing the file again
    with --append brings it back).

    \b
    Examples:
      hilos drop findings
      hilos drop report/iguala
      hilos drop mine --file hallazgos-marzo.csv
    """
    store = ctx.store()
    if file is not None:
        from ..changes import drop_file

        change = drop_file(store, name, file)
        line = ctx._(
            "took {file} out of graph {graph}: {count} statements removed (change {number}: "
            "{reason}; import it again with --append to bring it back)",
            file=file,
            graph=name,
            count=change.removed,
            number=change.number,
            reason=ctx.say(change.reason or ""),
        )
        echo(wrap(line, "", subsequent="    "))
        return
    info = store.drop(name)
    line = ctx._(
        "dropped graph {graph} ({count} statements, {derived} derived)",
        graph=info.name,
        count=info.triples,
        derived=info.inferred_triples,
    )
    echo(wrap(line, "", subsequent="    "))


@click.command()
@output_option("table", "json", "csv")
@pass_session
def graphs(ctx: Session, fmt: str) -> None:
    """List the loaded graphs: name, size, where each came from and when.

    \b
    Examples:
      hilos graphs
      hilos graphs --format json
    """
    infos = ctx.store().graphs()
    headers = ["name", "statements", "derived", "loaded_at", "source"]
    rows = [[g.name, g.triples, g.inferred_triples, g.loaded_at, g.source] for g in infos]
    if fmt == "json":
        echo(to_json([dict(zip(headers, row, strict=True)) for row in rows]))
    elif fmt == "csv":
        click.echo(to_csv(headers, rows), nl=False)
    else:
        titles = [ctx._("name"), ctx._("statements"), ctx._("derived"), ctx._("loaded"),
                  ctx._("source")]  # fmt: skip
        echo(table(titles, rows, keep=[0]))


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@graph_option
@click.option(
    "--rdf-format",
    type=click.Choice(sorted(FORMATS), case_sensitive=False),
    help="RDF format of the files (default: guessed from the extension).",
)
@output_option("table", "json")
@pass_session
def validate(
    ctx: Session, files: tuple[str, ...], graphs: tuple[str, ...], rdf_format: str | None, fmt: str
) -> None:
    """Check data against the SHACL shapes of the ontology.

    With FILES, checks those files on their own (the store is not touched); without, checks
    what is loaded (or the graphs given with --graph). Every tie needs two ends, a status and a
    source, and must not end before it starts; every actor needs a label and a sphere.
    Exits 1 and lists each violation if the data does not conform; warnings alone exit 0.

    \b
    Examples:
      hilos validate
      hilos validate my-findings.ttl
      hilos validate --graph findings --format json
    """
    if files and graphs:
        raise click.UsageError("give FILES or --graph, not both")
    if files:
        report = validate_files(
            list(files), rdf_format=rdf_format, progress=ctx.progress("Reading")
        )
    else:
        report = validate_store(ctx.store(), list(graphs) or None)
    _print_validation(ctx, report, fmt)
    if not report.conforms:
        raise click.exceptions.Exit(1)


def _print_validation(ctx: Session, report: ValidationReport, fmt: str) -> None:
    if fmt == "json":
        echo(
            to_json(
                {
                    "conforms": report.conforms,
                    "checked": list(report.checked),
                    "results": [r.as_dict() for r in report.results],
                }
            )
        )
        return
    for result in report.results:
        where = result.focus_label + (f" / {result.path}" if result.path else "")
        severity = ctx._(_SEVERITIES.get(result.severity, result.severity)).upper()
        echo(wrap(f"{severity}: {where}", "", subsequent="    "))
        echo(wrap(result.message, "    "))
        if result.value:
            echo(wrap(ctx._("value: {value}", value=result.value), "    "))
    verdict = ctx._("conforms") if report.conforms else ctx._("does not conform")
    counts = ctx._(
        "{violations} violations, {warnings} warnings",
        violations=len(report.violations),
        warnings=len(report.warnings),
    )
    names = [inline(name) for name in report.checked]
    if len(names) > 1:
        # what was checked on stdout, so the verdict on stderr stays one short line
        echo(wrap(ctx._("Checked: {names}", names=", ".join(names)), "", subsequent="  "))
        checked = ctx._("{count} checked", count=len(names))
    else:
        checked = names[0] if names else ctx._("store")
    # when the data does not conform this is the line saying why the command failed (exit 1):
    # one line, as every failure's message
    click.echo(f"{checked}: {verdict} — {counts}", err=True)


_SEVERITIES = {"violation": "violation", "warning": "warning", "info": "info"}
