"""Commands that answer questions: search, show, query, queries."""

from __future__ import annotations

import sys
from typing import IO

import click

from ..entities import Card, TieView, card
from ..errors import QueryError
from ..namespaces import compact
from ..render import fitted, inline, plain, table, term_text, to_csv, to_json, wrap
from ..search import resolve, search
from ..sparql.library import QueryResult, find_query, library, run
from .common import (
    Session,
    brief_option,
    echo,
    graph_option,
    ids_option,
    no_answer,
    output_option,
    pass_session,
)
from .words import Words


@click.command(name="search")
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@ids_option
@output_option("table", "json", "csv")
@pass_session
def search_command(ctx: Session, text: str, limit: int, fmt: str) -> None:
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
        no_answer(ctx._("no entity matches '{text}'", text=inline(text)))
    if fmt == "json":
        return
    if fmt == "csv":
        rows = [[h.label, ", ".join(h.types), h.sphere or "", h.id] for h in hits]
        click.echo(to_csv(["label", "types", "sphere", "id"], rows), nl=False)
        return
    words = ctx.words
    headers = [ctx._("name"), ctx._("type"), ctx._("sphere")]
    table_rows = [
        [h.label, ", ".join(words.label(t) for t in h.types), words.sphere(h.sphere)] for h in hits
    ]
    if ctx.ids:
        headers.append("id")
        table_rows = [[*row, h.id] for row, h in zip(table_rows, hits, strict=True)]
    echo(table(headers, table_rows, keep=[3] if ctx.ids else []))


@click.command(name="show")
@click.argument("entity")
@brief_option
@ids_option
@output_option("table", "json")
@pass_session
def show_command(ctx: Session, entity: str, brief: bool, fmt: str) -> None:
    """Show an entity's card: types, sphere, names, and every tie with its status, dates and
    sources (--brief: one line per tie). ENTITY is an IRI, a prefixed name (hid:zetas) or a
    name that `search` finds.

    \b
    Examples:
      hilos show "José Luis Abarca"
      hilos show "José Luis Abarca" --brief
      hilos show hid:guerreros-unidos --format json
      hilos --lang es show "caballeros templarios"
    """
    store = ctx.store()
    found = card(store, resolve(store, entity, lang=ctx.lang), lang=ctx.lang)
    if fmt == "json":
        echo(to_json(found.as_dict()))
    else:
        echo(plain(render_card(found, ctx.words, ids=ctx.ids, brief=brief)))


def _tie_summary(card: Card, words: Words) -> str:
    """`3 ties (reported: 2, alleged: 1)`, strongest status first."""
    counts: dict[str, int] = {}
    for tie in card.ties:
        counts[tie.status or ""] = counts.get(tie.status or "", 0) + 1
    order = {s.key: -s.rank for s in (*words.vocab.statuses, *words.vocab.unranked)}
    parts = [
        f"{words.status(key or None)}: {n}"
        for key, n in sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))
    ]
    total = (
        words._("1 tie") if len(card.ties) == 1 else words._("{count} ties", count=len(card.ties))
    )
    return f"{total} ({', '.join(parts)})" if parts else words._("no ties")


def render_card(card: Card, words: Words, *, ids: bool = False, brief: bool = False) -> str:
    """An entity's card for people: a title, a one-line summary, its fields, and its ties
    (each with its evidence unless `brief`)."""
    s = card.summary
    kinds = ", ".join(words.label(t) for t in s.types) or "-"
    spheres = ", ".join(words.sphere(k) for k in s.spheres)
    title = s.label if ids or s.label != compact(s.id) else kinds  # a tie has no name of its own
    lines = [title, "=" * len(title)]
    head = f"{kinds} · {spheres}" if spheres else kinds
    lines.append(wrap(f"{head} · {_tie_summary(card, words)}", "", subsequent="  "))
    fields: list[tuple[str, str]] = []
    if ids:
        fields.append(("id", s.id))
        fields.append((words._("types"), ", ".join(s.types) or "-"))
    names = "; ".join(dict.fromkeys(value for _, value in s.labels))
    if names and names != s.label:
        fields.append((words._("names"), names))
    if s.aliases:
        fields.append((words._("aliases"), "; ".join(dict.fromkeys(v for _, v in s.aliases))))
    if not brief:
        fields += [(words._("note"), words.note(comment)) for comment in s.comments]
        fields += [(words.field(prop), value) for prop, value in card.statements]
    pad = max((len(name) for name, _ in fields), default=0) + 2
    for name, value in fields:
        lines.append(wrap(value, f"{name}:".ljust(pad), subsequent=" " * pad))
    lines.append("")
    lines.append(words._("Ties ({count})", count=len(card.ties)))
    for tie in card.ties:
        lines.extend(_card_tie(tie, words, ids=ids, brief=brief))
    return "\n".join(lines)


def _card_tie(tie: TieView, words: Words, *, ids: bool, brief: bool) -> list[str]:
    arrow = "→" if tie.direction == "out" else "←"
    when = f" [{tie.start or '…'} – {tie.end or '…'}]" if tie.start or tie.end else ""
    parts = [words.status(tie.status), *_limits(tie, words)]
    if tie.confidence is not None:
        parts.append(words.confidence(tie.confidence))
    sphere = f" ({words.sphere(tie.other_sphere)})" if tie.other_sphere else ""
    lines = [
        wrap(
            f"{arrow} {tie.relation_label}: {tie.other_label}{sphere} — {', '.join(parts)}{when}",
            "",
            subsequent="    ",
        )
    ]
    if brief:
        return lines
    if ids:
        lines.append(wrap(words._("claim {id}", id=tie.id), "    "))
    if tie.period:
        lines.append(wrap(words._("when: {period}", period=tie.period), "    "))
    if tie.reason:
        lines.append(wrap(words._("retracted because: {reason}", reason=tie.reason), "    "))
    if tie.market:
        lines.append(wrap(words._("market: {market}", market=tie.market), "    "))
    if tie.relation_text:
        lines.append(wrap(words._("relation: {text}", text=tie.relation_text), "    "))
    if tie.quote:
        lines.append(wrap(f"“{tie.quote}”", "    "))
    cited = "; ".join(src.citation for src in tie.sources) or words._("no source")
    locator = f" — {tie.locator}" if tie.locator else ""
    lines.append(wrap(words._("source: {source}", source=f"{cited}{locator}"), "    "))
    return lines


def _limits(tie: TieView, words: Words) -> list[str]:
    """What limits a claim, in words: its qualifiers, and its modality when it is not a
    statement of fact (an intention, a recommendation, a warning)."""
    found = [words.qualifier(q.key) for q in words.vocab.qualifiers if q.key in tie.qualifiers]
    if tie.modality != "stated":
        found.append(words.modality(tie.modality))
    return found


@click.command(name="query")
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
@pass_session
def query_command(
    ctx: Session, query_ref: str, params: tuple[str, ...], graphs: tuple[str, ...], fmt: str
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
        no_answer(ctx._("no results"))


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


@click.command(name="queries")
@output_option("table", "json", "csv")
@pass_session
def queries_command(ctx: Session, fmt: str) -> None:
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
        headers = [ctx._("name"), ctx._("title"), ctx._("parameters")]
        echo(table(headers, rows, keep=[0]))
