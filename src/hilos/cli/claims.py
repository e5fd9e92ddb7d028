"""`hilos claim`, `hilos entity`, `hilos undo` and `hilos types`: a journalist's own claims,
one at a time, and the words to write them with."""

from __future__ import annotations

import click

from ..changes import action_name, undo, undo_reason
from ..claims import (
    CLEARABLE,
    DEFAULT_GRAPH,
    ClaimView,
    EntityView,
    add_claim,
    add_entity,
    claim_changes,
    claim_history,
    edit_claim,
    edit_entity,
    list_claims,
    merge_entities,
    retract_claim,
    short,
)
from ..i18n import tr
from ..render import table, to_csv, to_json, wrap
from ..terms import Terms
from ..vocab import vocabulary
from .common import Session, echo, no_answer, output_option, pass_session

_GRAPH_HELP = f"The graph of yours to write in (default: {DEFAULT_GRAPH})."


def _said(ctx: Session, view: ClaimView) -> str:
    """One line that says what was recorded, in the reader's language."""
    words = [ctx.words.status(view.status)]
    labels = {q.key: q.label(ctx.lang) for q in vocabulary().qualifiers}
    words += [labels.get(q, q) for q in view.qualifiers]
    if view.confidence is not None:
        words.append(ctx._("confidence {value}", value=f"{view.confidence:g}"))
    when = f" [{view.start or '…'} – {view.end or '…'}]" if view.start or view.end else ""
    source = ctx._("source: {sources}", sources="; ".join(view.citations) or ctx._("none"))
    return (
        f"{view.from_label} → {view.relation_label} → {view.to_label} — "
        f"{', '.join(words)}{when} ({source})"
    )


def _done(ctx: Session, verb: str, **values: object) -> str:
    """What was done to a claim or an entity, as the line that says so."""
    if verb == "added":
        return ctx._("added {id}: {what}", **values)
    if verb == "edited":
        return ctx._("edited {id}: {what}", **values)
    if verb == "retracted":
        return ctx._("retracted {id}: {what}", **values)
    return ctx._("merged by claim {id}: {what}", **values)


def _print_claim(ctx: Session, view: ClaimView, fmt: str, verb: str) -> None:
    if fmt == "json":
        echo(to_json(view.as_dict()))
        return
    line = _done(ctx, verb, id=view.short_id, what=_said(ctx, view))
    echo(wrap(line, "", subsequent="    "))
    if view.change is not None:
        click.echo(
            wrap(
                ctx._(
                    "change {number} of graph {graph} (hilos undo --graph {graph} reverts it)",
                    number=view.change.number,
                    graph=view.graph,
                ),
                "",
                subsequent="    ",
            ),
            err=True,
        )


@click.group(name="claim")
def claim_group() -> None:
    """Your own claims, one at a time: add, edit, retract, list, and see a claim's history.

    A claim is one statement by one source: two ends, a relation, a status, and the source
    with its quote and locator. Claims go into a graph of yours (default: mine); every change
    is recorded, so `hilos undo` reverts it and nothing is lost without a trace.

    \b
    Examples:
      hilos claim add "Alcalde X" protección "Zetas" --source "Entrevista 1 (2024)" \\
          --quote "…" --status presunto --create-from alcalde
      hilos claim edit mine/claim/1 --status reported --source "Entrevista 5 (2024)"
      hilos claim retract mine/claim/1 --reason "the witness withdrew"
      hilos claim history mine/claim/1
      hilos claim list --entity Zetas
    """


@claim_group.command(name="add")
@click.argument("from_ref", metavar="FROM")
@click.argument("relation", metavar="RELATION")
@click.argument("to_ref", metavar="TO")
@click.option("--source", required=True, metavar="TEXT", help="Who or what says it (a citation).")
@click.option("--quote", metavar="TEXT", help="The sentence of the source that says it.")
@click.option("--locator", metavar="TEXT", help="Where in the source: page, minute, paragraph.")
@click.option(
    "--status",
    default="reported",
    show_default=True,
    help="alleged, reported, confirmed, disputed or refuted (also in Spanish: presunto…).",
)
@click.option("--confidence", metavar="C", help="Between 0 and 1, or a percentage (80%).")
@click.option("--start", metavar="DATE", help="When it began: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--end", metavar="DATE", help="When it ended.")
@click.option(
    "--qualifier",
    "qualifiers",
    multiple=True,
    metavar="Q",
    help="A word that limits it (partially, some of, many, not all…); repeatable.",
)
@click.option("--graph", default=DEFAULT_GRAPH, show_default=True, help=_GRAPH_HELP)
@click.option("--create-from", metavar="TYPE", help="Create FROM with this type if it is new.")
@click.option("--create-to", metavar="TYPE", help="Create TO with this type if it is new.")
@click.option("--quote-lang", metavar="TAG", help="Language of the quote (en, es…).")
@output_option("table", "json")
@pass_session
def claim_add(
    ctx: Session,
    from_ref: str,
    relation: str,
    to_ref: str,
    source: str,
    quote: str | None,
    locator: str | None,
    status: str,
    confidence: str | None,
    start: str | None,
    end: str | None,
    qualifiers: tuple[str, ...],
    graph: str,
    create_from: str | None,
    create_to: str | None,
    quote_lang: str | None,
    fmt: str,
) -> None:
    """Add a claim: FROM —RELATION→ TO, said by --source. FROM and TO are names `hilos search`
    finds (an ambiguous one lists the candidates; an unknown one needs --create-from/--create-to
    TYPE); RELATION is a tie type by name or label, English or Spanish (`hilos types`). Prints
    the new claim's id.

    \b
    Examples:
      hilos claim add "Alcalde X" protection "Grupo Y" --source "Interview 3 (2024)" \\
          --quote "A witness says the mayor's office warned Group Y of raids." \\
          --status alleged --create-from mayor --create-to "criminal organization"
      hilos claim add hid:iguala-municipal-police colusión "Guerreros Unidos" \\
          --source "Fiscalía, 2015" --status reported --start 2014-09-26
    """
    view = add_claim(
        ctx.store(),
        from_ref,
        relation,
        to_ref,
        source=source,
        quote=quote,
        locator=locator,
        status=status,
        confidence=confidence,
        start=start,
        end=end,
        qualifiers=qualifiers,
        graph=graph,
        create_from=create_from,
        create_to=create_to,
        quote_lang=quote_lang,
        lang=ctx.lang,
    )
    _print_claim(ctx, view, fmt, "added")


@claim_group.command(name="edit")
@click.argument("claim", metavar="ID")
@click.option("--relation", metavar="TYPE", help="A new tie type.")
@click.option("--from", "from_ref", metavar="NAME", help="A new from-end.")
@click.option("--to", "to_ref", metavar="NAME", help="A new to-end.")
@click.option("--status", help="A new status.")
@click.option("--source", metavar="TEXT", help="A new source.")
@click.option("--quote", metavar="TEXT", help="A new quote.")
@click.option("--locator", metavar="TEXT", help="A new locator.")
@click.option("--confidence", metavar="C", help="A new confidence.")
@click.option("--start", metavar="DATE", help="A new start.")
@click.option("--end", metavar="DATE", help="A new end.")
@click.option(
    "--qualifier",
    "qualifiers",
    multiple=True,
    metavar="Q",
    help="The qualifiers, replacing the old ones (repeatable).",
)
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(CLEARABLE),
    help="Take a field out of the claim (repeatable).",
)
@click.option("--reason", metavar="TEXT", help="Why it changed (kept in the journal).")
@output_option("table", "json")
@pass_session
def claim_edit(
    ctx: Session,
    claim: str,
    relation: str | None,
    from_ref: str | None,
    to_ref: str | None,
    status: str | None,
    source: str | None,
    quote: str | None,
    locator: str | None,
    confidence: str | None,
    start: str | None,
    end: str | None,
    qualifiers: tuple[str, ...],
    clear: tuple[str, ...],
    reason: str | None,
    fmt: str,
) -> None:
    """Write a new version of a claim of yours with the fields given changed (or, with
    --clear, taken out). The old version stays, dated, linked to the new one (`hilos claim
    history ID` shows them all).

    \b
    Examples:
      hilos claim edit mine/claim/1 --status reported --source "Interview 5 (2024)"
      hilos claim edit mine/claim/1 --qualifier partially --reason "only some officers"
      hilos claim edit mine/claim/1 --clear end --reason "still going on"
    """
    view = edit_claim(
        ctx.store(),
        claim,
        relation=relation,
        from_ref=from_ref,
        to_ref=to_ref,
        status=status,
        source=source,
        quote=quote,
        locator=locator,
        confidence=confidence,
        start=start,
        end=end,
        qualifiers=qualifiers or None,
        reason=reason,
        clear=clear,
        lang=ctx.lang,
    )
    _print_claim(ctx, view, fmt, "edited")


@claim_group.command(name="retract")
@click.argument("claim", metavar="ID")
@click.option("--reason", required=True, metavar="TEXT", help="Why you withdraw it.")
@output_option("table", "json")
@pass_session
def claim_retract(ctx: Session, claim: str, reason: str, fmt: str) -> None:
    """Retract a claim of yours: it is kept, dated, with the reason, and shown on cards as
    retracted; no analysis or export counts it.

    \b
    Examples:
      hilos claim retract mine/claim/1 --reason "the witness withdrew her statement"
    """
    view = retract_claim(ctx.store(), claim, reason=reason, lang=ctx.lang)
    _print_claim(ctx, view, fmt, "retracted")


@claim_group.command(name="history")
@click.argument("claim", metavar="ID")
@output_option("table", "json")
@pass_session
def claim_history_command(ctx: Session, claim: str, fmt: str) -> None:
    """Every version of a claim, the current one first, with when each held.

    \b
    Examples:
      hilos claim history mine/claim/1
    """
    store = ctx.store()
    versions = claim_history(store, claim, lang=ctx.lang)
    changes = claim_changes(store, claim)
    if fmt == "json":
        echo(to_json({"versions": [v.as_dict() for v in versions],
                      "changes": [c.as_dict() for c in changes]}))  # fmt: skip
        return
    for version in versions:
        since = version.since or "?"
        head = (
            ctx._("current, since {since}", since=since)
            if version.current
            else ctx._("until {until}, since {since}", until=version.until, since=since)
        )
        said = (
            f"{short(version.id)} ({head}): {version.from_label} → "
            f"{ctx.words.label(version.relation)} → {version.to_label} — "
            f"{ctx.words.status(version.status)}"
        )
        echo(wrap(said, "", subsequent="    "))
        if version.quote:
            echo(wrap(f"“{version.quote}”", "    "))
        sources = "; ".join(version.sources) or ctx._("none")
        echo(wrap(ctx._("source: {sources}", sources=sources), "    "))
        if version.reason:
            echo(wrap(ctx._("reason: {reason}", reason=version.reason), "    "))
    if changes:
        echo(ctx._("Changes:"))
        numbered = {c.iri: c for c in changes}
        for change in changes:
            undone = numbered.get(change.undoes or "")
            # an undo's reason is the journal's English: said again from the change it undoes
            reason = ctx.say(undo_reason(undone)) if undone else change.reason
            why = f" — {reason}" if reason else ""
            action = ctx.say(action_name(change.action))
            echo(wrap(f"{change.number}. {change.time} {action}{why}", "  ", subsequent="    "))


@claim_group.command(name="list")
@click.option("--graph", "graphs", multiple=True, metavar="NAME", help="Only these graphs.")
@click.option("--entity", metavar="NAME", help="Only the claims of this entity.")
@click.option(
    "--status",
    help="Only the claims with this status (confirmed, reported, alleged, disputed, refuted, "
    "retracted; English or Spanish).",
)
@output_option("table", "json", "csv")
@pass_session
def claim_list(
    ctx: Session, graphs: tuple[str, ...], entity: str | None, status: str | None, fmt: str
) -> None:
    """Your claims (those of the graphs you loaded, imported or wrote), newest first. Exits 1
    when there is none.

    \b
    Examples:
      hilos claim list
      hilos claim list --entity Zetas --status alleged --format csv
    """
    found = list_claims(
        ctx.store(), graphs=graphs or None, entity=entity, status=status, lang=ctx.lang
    )
    if fmt == "json":
        echo(to_json([c.as_dict() for c in found]))
    elif fmt == "csv":
        headers = ["id", "graph", "from", "relation", "to", "status", "sources", "quote"]
        rows = [
            [
                *(c.short_id, c.graph, c.from_label, c.relation_label, c.to_label, c.status),
                *("; ".join(c.citations), c.quote),
            ]
            for c in found
        ]
        click.echo(to_csv(headers, rows), nl=False)
    elif found:
        vocab = vocabulary()

        def said(status: str | None) -> str:
            if not status:
                return ""
            return vocab.status(status).labels.get(ctx.lang) or status

        rows = [
            [c.short_id, c.from_label, c.relation_label, c.to_label, said(c.status), c.recorded]
            for c in found
        ]
        headers = ["id", ctx._("from"), ctx._("relation"), ctx._("to"), ctx._("status"),
                   ctx._("recorded")]  # fmt: skip
        echo(table(headers, rows, keep=[0]))
    if not found:
        no_answer(ctx._("no claim of yours matches"))


@click.group(name="entity")
def entity_group() -> None:
    """Your own entities: add one, change its names or type, or say two are one (merge).

    \b
    Examples:
      hilos entity add "Juez Z (ficticio)" --type official --alias "Juez Z"
      hilos entity edit "Juez Z (ficticio)" --label-es "Juez Z (ficticio)"
      hilos entity merge "Los Zetas (Tamaulipas)" Zetas --source "Registro, 2023"
    """


@entity_group.command(name="add")
@click.argument("name")
@click.option("--type", "type_", required=True, metavar="TYPE", help="Its type (hilos types).")
@click.option("--alias", "aliases", multiple=True, metavar="A", help="Another name (repeatable).")
@click.option("--label-es", metavar="NAME", help="Its name in Spanish.")
@click.option("--sphere", metavar="S", help="Its sphere, where its type gives none.")
@click.option("--graph", default=DEFAULT_GRAPH, show_default=True, help=_GRAPH_HELP)
@output_option("table", "json")
@pass_session
def entity_add(
    ctx: Session,
    name: str,
    type_: str,
    aliases: tuple[str, ...],
    label_es: str | None,
    sphere: str | None,
    graph: str,
    fmt: str,
) -> None:
    """Add an entity of yours. A name another entity already has is an error naming it.

    \b
    Examples:
      hilos entity add "Juez Z (ficticio)" --type official --alias "Juez Z"
      hilos entity add "Cártel del Norte (ficticio)" --type "organización de narcotráfico"
    """
    view = add_entity(
        ctx.store(),
        name,
        type=type_,
        aliases=aliases,
        label_es=label_es,
        sphere=sphere,
        graph=graph,
        lang=ctx.lang,
    )
    _print_entity(ctx, view, fmt, "added")


@entity_group.command(name="edit")
@click.argument("entity", metavar="NAME")
@click.option("--name", metavar="NAME", help="A new name.")
@click.option("--type", "type_", metavar="TYPE", help="A new type.")
@click.option("--alias", "aliases", multiple=True, metavar="A", help="Add an alias.")
@click.option("--remove-alias", "removed", multiple=True, metavar="A", help="Remove an alias.")
@click.option("--label-es", metavar="NAME", help="A new name in Spanish.")
@click.option("--sphere", metavar="S", help="A new sphere.")
@output_option("table", "json")
@pass_session
def entity_edit(
    ctx: Session,
    entity: str,
    name: str | None,
    type_: str | None,
    aliases: tuple[str, ...],
    removed: tuple[str, ...],
    label_es: str | None,
    sphere: str | None,
    fmt: str,
) -> None:
    """Change an entity of yours: its name, type, aliases, Spanish name or sphere.

    \b
    Examples:
      hilos entity edit "Juez Z (ficticio)" --alias "el juez" --label-es "Juez Z"
    """
    view = edit_entity(
        ctx.store(),
        entity,
        name=name,
        type=type_,
        add_aliases=aliases,
        remove_aliases=removed,
        label_es=label_es,
        sphere=sphere,
        lang=ctx.lang,
    )
    _print_entity(ctx, view, fmt, "edited")


def _print_entity(ctx: Session, view: EntityView, fmt: str, verb: str) -> None:
    if fmt == "json":
        echo(to_json(view.as_dict()))
    else:
        what = f"{view.label} ({', '.join(ctx.words.label(t) for t in view.types)})"
        echo(wrap(_done(ctx, verb, id=short(view.id), what=what), "", subsequent="    "))


@entity_group.command(name="merge")
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@click.option("--source", required=True, metavar="TEXT", help="Who or what says they are one.")
@click.option("--quote", metavar="TEXT", help="The sentence that says so.")
@click.option("--status", default="reported", show_default=True, help="How well established.")
@click.option("--graph", default=DEFAULT_GRAPH, show_default=True, help=_GRAPH_HELP)
@output_option("table", "json")
@pass_session
def entity_merge(
    ctx: Session,
    first: str,
    second: str,
    source: str,
    quote: str | None,
    status: str,
    graph: str,
    fmt: str,
) -> None:
    """Say that A and B are one entity, as a sourced identity claim: nothing is rewritten;
    analyses treat A as B while the claim asserts it (say so on stderr), and retracting or
    undoing it separates them again.

    \b
    Examples:
      hilos entity merge "Los Zetas (Tamaulipas)" Zetas --source "Registro, 2023"
    """
    view = merge_entities(
        ctx.store(),
        first,
        second,
        source=source,
        quote=quote,
        status=status,
        graph=graph,
        lang=ctx.lang,
    )
    _print_claim(ctx, view, fmt, "merged by claim")


@click.command(name="undo")
@click.option("--graph", default=DEFAULT_GRAPH, show_default=True, help=_GRAPH_HELP)
@output_option("table", "json")
@pass_session
def undo_command(ctx: Session, graph: str, fmt: str) -> None:
    """Revert the last change to a graph of yours (a claim, an entity, an imported file),
    recorded as a change of its own: nothing is lost without a trace, and a second undo
    reverts the change before. Exits 1 when there is nothing left to undo.

    \b
    Examples:
      hilos undo
      hilos undo --graph my-findings
    """
    change = undo(ctx.store(), graph)
    if fmt == "json":
        echo(to_json(change.as_dict()))
    else:
        what = f" ({short(change.changed)})" if change.changed else ""
        reason = ctx.say(change.reason or "")
        line = ctx._("undone in {graph}: {change}", graph=graph, change=f"{reason}{what}")
        echo(wrap(line, "", subsequent="    "))


@click.command(name="types")
@click.option(
    "--kind",
    type=click.Choice(["actor", "place", "tie", "status"]),
    help="Only actor types, place types, tie types or statuses.",
)
@output_option("table", "json", "csv")
@pass_session
def types_command(ctx: Session, kind: str | None, fmt: str) -> None:
    """The words to write claims and sheets with: actor and place types (with their sphere),
    tie types and statuses, each with its English and Spanish label and a one-line definition,
    read from the ontology.

    \b
    Examples:
      hilos types
      hilos types --kind tie --format csv
      hilos --lang es types --kind actor
    """
    terms = Terms.of(ctx.store())
    rows = [
        term.as_dict()
        for term in sorted(
            [*terms.types.values(), *terms.ties.values()], key=lambda t: (t.kind, t.label())
        )
        if not kind or term.kind == kind
    ]
    if kind in (None, "status"):
        rows += _status_rows()
    if fmt == "json":
        echo(to_json(rows))
        return
    headers = ["kind", "label", "label_es", "sphere", "definition"]
    if fmt == "csv":
        table_rows = [[row.get(h) or "" for h in headers] for row in rows]
        click.echo(
            to_csv(
                ["name", *headers], [[r["name"], *t] for r, t in zip(rows, table_rows, strict=True)]
            ),
            nl=False,
        )
        return
    titles = [ctx._("kind"), ctx._("name"), ctx._("sphere"), ctx._("definition")]
    echo(table(titles, [_type_cells(ctx, row) for row in rows]))


def _status_rows() -> list[dict[str, object]]:
    """The statuses as rows of `hilos types`, strongest first: their weight is their
    definition."""
    vocab = vocabulary()
    return [
        {
            "id": status.iri,
            "name": status.key,
            "kind": "status",
            "label": status.labels.get("en"),
            "label_es": status.labels.get("es"),
            "sphere": None,
            "definition": f"weight {status.weight:g}"
            + ("; asserts the relation" if status.asserts else ""),
            "definition_es": tr("weight {weight}", "es", weight=f"{status.weight:g}")
            + (tr("; asserts the relation", "es") if status.asserts else ""),
        }
        for status in (*reversed(vocab.statuses), *vocab.unranked)
    ]


def _type_cells(ctx: Session, row: dict[str, object]) -> list[str]:
    """A row of `hilos types` as the table shows it: the label in the reader's language with
    the other language's beside it."""
    other = "en" if ctx.lang == "es" else "es"
    mine = str(row.get("label_es" if ctx.lang == "es" else "label") or row["name"])
    theirs = str(row.get("label_es" if other == "es" else "label") or "")
    definition = (row.get("definition_es") if ctx.lang == "es" else None) or row.get("definition")
    return [
        ctx._(_KIND_WORDS.get(str(row["kind"]), str(row["kind"]))),
        f"{mine} ({theirs})" if theirs and theirs != mine else mine,
        ctx.words.sphere(str(row["sphere"])) if row.get("sphere") else "",
        str(definition or ""),
    ]


_KIND_WORDS = {"actor": "actor", "place": "place", "tie": "tie", "status": "status"}
