"""Commands that answer questions: search, show, query, queries."""

from __future__ import annotations

import sys
from typing import IO

import click

from ..entities import Card, TieView, resolve, show
from ..errors import QueryError
from ..output import fitted, inline, plain, table, term_text, to_csv, to_json, wrap
from ..queries import QueryResult, find_query, library, run
from ..search import search
from ..vocab import vocabulary
from .app import cli
from .common import Context, echo, graph_option, no_answer, output_option, pass_context


@cli.command(name="search")
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@output_option("table", "json", "csv")
@pass_context
def search_command(ctx: Context, text: str, limit: int, fmt: str) -> None:
    """Find entities by name: labels and aliases in English and Spanish, ignoring case and
    accents, best match first. Exits 1 when nothing matches.

    \b
    Examples:
      hilos search iguala
      hilos search "caballeros templarios"
      hilos search cheran --format json
    """
    hits = search(ctx.store(), text, limit=limit, lang=ctx.lang)
    if fmt == "json":
        echo(to_json([hit.as_dict() for hit in hits]))
    if not hits:
        no_answer(f"no entity matches '{inline(text)}'")
    rows = [[h.label, ", ".join(h.types), h.sphere or "", h.id] for h in hits]
    if fmt == "csv":
        click.echo(to_csv(["label", "types", "sphere", "id"], rows), nl=False)
    elif fmt == "table":
        echo(table(["label", "types", "sphere", "id"], rows))


@cli.command(name="show")
@click.argument("entity")
@output_option("table", "json")
@pass_context
def show_command(ctx: Context, entity: str, fmt: str) -> None:
    """Show an entity's card: types, sphere, names, and every tie with its status, dates and
    sources. ENTITY is an IRI, a prefixed name (hid:zetas) or a name that `search` finds.

    \b
    Examples:
      hilos show "José Luis Abarca"
      hilos show hid:guerreros-unidos --format json
      hilos --lang es show "caballeros templarios"
    """
    store = ctx.store()
    card = show(store, resolve(store, entity, lang=ctx.lang), lang=ctx.lang)
    if fmt == "json":
        echo(to_json(card.as_dict()))
    else:
        echo(plain(render_card(card)))


_PROPERTY_WORDS = {"prov:generatedAtTime": "recorded"}
"""Words for the properties a card shows by name that people read without knowing PROV."""


def render_card(card: Card) -> str:
    s = card.summary
    lines = [s.label, "=" * len(s.label)]
    lines.append(f"id:      {s.id}")
    lines.append(f"types:   {', '.join(s.types) or '-'}")
    lines.append(f"sphere:  {', '.join(s.spheres) or '-'}")
    names = "; ".join(f"{value} ({lang})" if lang else value for lang, value in s.labels)
    lines.append(f"names:   {names or '-'}")
    if s.aliases:
        aliases = dict.fromkeys(value for _, value in s.aliases)
        lines.append(f"aliases: {'; '.join(aliases)}")
    for comment in s.comments:
        lines.append(wrap(comment, "note:    ", subsequent="         "))
    for prop, value in card.statements:
        lines.append(f"{_PROPERTY_WORDS.get(prop, prop)}: {value}")
    lines.append("")
    lines.append(f"Ties ({len(card.ties)})")
    for tie in card.ties:
        arrow = "→" if tie.direction == "out" else "←"
        when = ""
        if tie.start or tie.end:
            when = f" [{tie.start or '…'} – {tie.end or '…'}]"
        confidence = f", confidence {tie.confidence:g}" if tie.confidence is not None else ""
        sphere = f" ({tie.other_sphere})" if tie.other_sphere else ""
        limits = "".join(f", {label}" for label in _limits(tie))
        lines.append(
            f"{arrow} {tie.relation_label}: {tie.other_label}{sphere} — "
            f"{tie.status or 'no status'}{limits}{confidence}{when}"
        )
        if tie.period:
            lines.append(wrap(f"when: {tie.period}", "    "))
        if tie.reason:
            lines.append(wrap(f"retracted because: {tie.reason}", "    "))
        if tie.market:
            lines.append(f"    market: {tie.market}")
        if tie.relation_text:
            lines.append(f"    relation: {tie.relation_text}")
        if tie.quote:
            lines.append(wrap(f"“{tie.quote}”", "    "))
        cited = "; ".join(src.citation for src in tie.sources) or "no source"
        locator = f" — {tie.locator}" if tie.locator else ""
        lines.append(wrap(f"source: {cited}{locator}", "    "))
    return "\n".join(lines)


def _limits(tie: TieView) -> list[str]:
    """What limits a claim, in words: its qualifiers, and its modality when it is not a
    statement of fact (an intention, a recommendation, a warning)."""
    vocab = vocabulary()
    words = [q.label() for q in vocab.qualifiers if q.key in tie.qualifiers]
    if tie.modality != "stated":
        words += [m.label() for m in vocab.modalities if m.key == tie.modality]
    return words


@cli.command(name="query")
@click.argument("query_ref", metavar="NAME|FILE|-")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value, bound by the engine (repeatable).",
)
@graph_option
@output_option("table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld")
@pass_context
def query_command(
    ctx: Context, query_ref: str, params: tuple[str, ...], graphs: tuple[str, ...], fmt: str
) -> None:
    """Run a SPARQL query: a library query by name (see `hilos queries`), a .rq file, or - to
    read it from standard input. The usual prefixes (hilos:, hid:, rdfs:, skos:, prov:, org:,
    geo:…) need not be declared. `--format json` is the SPARQL 1.1 JSON results format.
    Exits 1 when there is no result (or an ASK query answers false).

    \b
    Examples:
      hilos query officials-criminal-ties
      hilos query groups-in-place --param place=Mexico
      hilos query ties-by-status -p status=alleged --format csv
      echo 'SELECT ?x WHERE { ?x a hilos:Mayor }' | hilos query -
    """
    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got '{item}'", param_hint="--param")
        values[name.strip()] = value
    stdin_text = _read_stdin() if query_ref == "-" else None
    query = find_query(query_ref, stdin_text)
    result = run(ctx.store(), query, values, graphs=list(graphs) or None)
    _print_result(result, fmt)
    if result.empty:
        no_answer("no results")


def _read_stdin() -> str:
    """Standard input as text, read as bytes so that what is not UTF-8 is said in one line."""
    binary: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
    if binary is None:  # a stream of text only (a notebook, say)
        return sys.stdin.read()
    data = binary.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QueryError(f"standard input is not UTF-8 text (byte {exc.start + 1})") from None


_RDF_FORMATS = ("turtle", "ntriples", "jsonld")


def _print_result(result: QueryResult, fmt: str) -> None:
    if result.kind == "construct":
        if fmt in ("json", "csv", "tsv", "xml"):
            raise click.BadParameter(
                "a CONSTRUCT or DESCRIBE query gives triples: "
                "use turtle, ntriples, jsonld or table",
                param_hint="--format",
            )
        if fmt == "table":
            rows = [
                [term_text(t.subject), term_text(t.predicate), term_text(t.object)]
                for t in result.triples
            ]
            echo(table(["subject", "predicate", "object"], rows))
        else:
            click.echo(result.serialize(fmt).decode(), nl=False)
        return
    if fmt in _RDF_FORMATS:
        raise click.BadParameter(
            f"{fmt} is for CONSTRUCT queries; use table, json, csv, tsv or xml",
            param_hint="--format",
        )
    if fmt != "table":
        click.echo(result.serialize(fmt).decode(), nl=False)
        return
    if result.kind == "ask":
        echo("yes" if result.boolean else "no")
        return
    if result.empty:
        return
    rows = [[term_text(row.get(v)) for v in result.variables] for row in result.rows]
    echo(fitted(result.variables, rows))
    click.echo(f"{len(rows)} result(s)", err=True)


@cli.command(name="queries")
@output_option("table", "json", "csv")
@pass_context
def queries_command(ctx: Context, fmt: str) -> None:
    """List the query library: each query's name, title and parameters.

    \b
    Examples:
      hilos queries
      hilos queries --format json
    """
    items = library()
    if fmt == "json":
        echo(to_json([q.as_dict() for q in items]))
        return
    rows = [
        [
            q.name,
            q.title,
            ", ".join(f"{p.name}:{p.type}" + ("" if p.required else "?") for p in q.parameters),
        ]
        for q in items
    ]
    if fmt == "csv":
        click.echo(to_csv(["name", "title", "parameters"], rows), nl=False)
    else:
        echo(table(["name", "title", "parameters"], rows, clip=70))
