"""Commands that follow the threads: paths between two entities, collusion chains."""

from __future__ import annotations

import click

from ..network.context import context_assumption, outside_descriptions
from ..network.evidence import Hop
from ..network.hotspots import KINDS, WEIGHTS, hotspots
from ..network.paths import EvidencePath, NoPath, find_chains, find_paths_in_store
from ..network.projection import Filters, Projection, filters_assumptions, project
from ..render import plain, table, to_csv, to_json, wrap
from ..search import resolve
from ..store import short_id
from .common import (
    SPHERE_CHOICE,
    Session,
    brief_option,
    echo,
    ids_option,
    merged_notes,
    network_options,
    note,
    one_line,
    output_option,
    pass_session,
)
from .words import Words, score


@click.command(name="paths")
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option("--limit", default=5, show_default=True, type=int, help="How many paths.")
@click.option("--max-hops", default=6, show_default=True, type=int, help="Longest path.")
@click.option("--time-consistent", is_flag=True, help="Only paths whose ties' valid times overlap.")
@brief_option
@ids_option
@network_options(directed=False)
@output_option("table", "json", "csv")
@pass_session
# Over 60 lines for its options and its --help text (the docstring); the body is short.
def paths_command(
    ctx: Session,
    source: str,
    target: str,
    limit: int,
    max_hops: int,
    time_consistent: bool,
    brief: bool,
    filters: Filters,
    fmt: str,
) -> None:
    """The best evidence paths between A and B, each hop with its tie, status, dates and
    sources. A and B are IRIs or names that `search` finds. Paths are ranked by their evidence
    score: the product of their ties' scores (status weight × confidence). Exits 1 when no
    path exists under the filters.

    \b
    Examples:
      hilos paths "José Luis Abarca" "Guerreros Unidos"
      hilos paths Abarca "Guerreros Unidos" --brief
      hilos paths hid:jose-luis-abarca hid:guerreros-unidos --min-status reported --format json
      hilos paths Abarca "Guerreros Unidos" --as-of 2014-09-26 --time-consistent
    """
    store = ctx.store()
    a = resolve(store, source, lang=ctx.lang)
    b = resolve(store, target, lang=ctx.lang)
    try:
        found = find_paths_in_store(
            store,
            filters,
            a,
            b,
            limit=limit,
            max_hops=max_hops,
            time_consistent=time_consistent,
            lang=ctx.lang,
        )
    except NoPath as none:
        # why there is none, in the reader's language, on one line as every error
        message = one_line(none.reason.describe(ctx.lang))
        click.echo(ctx._("Error: {message}", message=message), err=True)
        raise click.exceptions.Exit(none.exit_code) from None
    notes = filters_assumptions(filters)
    shown = [_actors_only(ctx.words)] if not filters.include else list(notes)
    found_ends = (found[0].nodes[0], found[0].nodes[-1])
    pairs = [(iri, n.id) for iri, n in zip((a, b), found_ends, strict=True) if n.id != iri]
    for merged in merged_notes(ctx, store, pairs):
        notes.append(merged)
        shown.append(merged)
    if filters.graphs:
        labels = {node.id: node.label for path in found for node in path.nodes}
        elsewhere = outside_descriptions(store, filters.graphs, labels)
        if line := context_assumption(elsewhere, labels, only=filters.only):
            notes.append(line)
            shown.append(line)
    if fmt == "json":
        echo(to_json({"paths": [p.as_dict() for p in found], "network": notes}))
        return
    _say_notes(ctx, shown)
    if fmt == "csv":
        _print_csv(found, "path")
        return
    ends = {"a": plain(found[0].nodes[0].label), "b": plain(found[0].nodes[-1].label)}
    many = ctx._("{count} paths between {a} and {b}:", count=len(found), **ends)
    echo(wrap(ctx._("1 path between {a} and {b}:", **ends) if len(found) == 1 else many, ""))
    _print_found(ctx, found, "path", brief)


@click.command(name="chains")
@click.option("--from-sphere", type=SPHERE_CHOICE, default="state", show_default=True)
@click.option("--to-sphere", type=SPHERE_CHOICE, default="criminal", show_default=True)
@click.option("--max-hops", default=4, show_default=True, type=int, help="Longest chain.")
@click.option("--limit", type=int, help="Show only the strongest N chains.")
@brief_option
@ids_option
@network_options(directed=False)
@output_option("table", "json", "csv")
@pass_session
# Over 60 lines for its options and its --help text (the docstring); the body is short.
def chains_command(
    ctx: Session,
    from_sphere: str,
    to_sphere: str,
    max_hops: int,
    limit: int | None,
    brief: bool,
    filters: Filters,
    fmt: str,
) -> None:
    """Every collusion chain from a state actor into the criminal sphere (or between the
    spheres given): zero or more steps inside the first sphere through command, leadership,
    office, membership, sub-organisation or control; exactly one crossing through collusion,
    bribery, protection, infiltration, co-optation, complicity or acquiescence; then zero or
    more such steps inside the second sphere. Funding, alliances, mediation, attacks and
    policies never cross. Each chain names its crossing claim; the direct crossing is listed
    on its own as well as inside longer chains; ranked by evidence score. One line per chain
    first, then the evidence of each (--brief: the lines alone). Exits 1 when there is none.

    \b
    Examples:
      hilos chains
      hilos chains --limit 10 --brief
      hilos chains --min-status reported --max-hops 3 --format json
      hilos chains --from-sphere community --to-sphere criminal
    """
    store = ctx.store()
    projection = project(store, filters, lang=ctx.lang)
    found, truncated = find_chains(
        store,
        projection,
        from_sphere=from_sphere,
        to_sphere=to_sphere,
        max_hops=max_hops,
    )
    words = ctx.words
    total = len(found)
    if limit is not None:
        if limit < 1:
            raise click.BadParameter(f"must be at least 1, got {limit}", param_hint="'--limit'")
        found = found[:limit]
    if truncated:
        note(ctx._("Note: the network is large; the search stopped early."))
    assumptions = projection.assumptions()
    spheres = {"source": words.sphere(from_sphere), "target": words.sphere(to_sphere)}
    if not found:
        if fmt == "json":
            echo(to_json({"chains": [], "network": assumptions}))
        _say_notes(ctx, network_notes(words, projection))
        note(ctx._("no chain from {source} to {target} under these filters", **spheres))
        raise click.exceptions.Exit(1)
    if fmt == "json":
        echo(to_json({"chains": [p.as_dict() for p in found], "network": assumptions}))
        return
    _say_notes(ctx, network_notes(words, projection))
    if fmt == "csv":
        _print_csv(found, "chain")
        return
    if len(found) < total:
        head = ctx._(
            "{total} chains from the {source} sphere into the {target} sphere; the {count} "
            "strongest (--limit):",
            total=total,
            count=len(found),
            **spheres,
        )
    elif total == 1:
        head = ctx._("1 chain from the {source} sphere into the {target} sphere:", **spheres)
    else:
        head = ctx._(
            "{total} chains from the {source} sphere into the {target} sphere:",
            total=total,
            **spheres,
        )
    echo(wrap(head, ""))
    _print_found(ctx, found, "chain", brief)


@click.command(name="hotspots")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="auto",
    show_default=True,
    help="Compare places of this level (auto: the level with the most places that score).",
)
@click.option("--top", type=int, help="Show only the first N places.")
@ids_option
@network_options
@output_option("table", "json", "csv")
@pass_session
def hotspots_command(ctx: Session, kind: str, top: int | None, filters: Filters, fmt: str) -> None:
    """Places of one level ranked for geographic sequencing — where an intervention should
    start — from the armed actors present, the violence attributed to them, the collusion ties
    touching the place, the criminal markets, the report's priorities and its figures. A place
    collects what is said of the places within it, so places are compared with places of
    their own level (states with states). Exits 1 when no place scores.

    \b
    Examples:
      hilos hotspots
      hilos hotspots --kind city --min-status reported --top 5 --format json
    """
    ranked, level = hotspots(ctx.store(), filters, top=top, kind=kind, lang=ctx.lang)
    if fmt == "json":
        echo(to_json([h.as_dict() for h in ranked]))
    if not ranked:
        note(ctx._("no place scores under these filters"))
        raise click.exceptions.Exit(1)
    words = ctx.words
    if kind == "auto" and fmt != "json":
        note(
            ctx._(
                "Note: places of one level compared: {level} (the level with the most places "
                "that score; --kind chooses another).",
                level=words.label("hilos:" + level.capitalize()),
            )
        )
    if fmt == "csv":
        headers = ["label", "score", *WEIGHTS, "id"]
        rows = [[h.label, h.score, *(h.components[k] for k in WEIGHTS), h.id] for h in ranked]
        click.echo(to_csv(headers, rows), nl=False)
        return
    if fmt != "table":
        return
    headers = ["#", ctx._("place"), ctx._("score"), *(ctx._(_COMPONENTS[k]) for k in WEIGHTS)]
    rows = [
        [n, h.label, f"{h.score:.1f}", *(f"{h.components[k]:.1f}" for k in WEIGHTS)]
        for n, h in enumerate(ranked, 1)
    ]
    if ctx.ids:
        headers.append("id")
        rows = [[*row, h.id] for row, h in zip(rows, ranked, strict=True)]
    echo(table(headers, rows, keep=[len(headers) - 1] if ctx.ids else []))


_COMPONENTS = {
    "armed_actors": "armed actors",
    "violence_drivers": "violence",
    "collusion": "collusion",
    "markets": "markets",
    "priority": "priority",
    "figures": "figures",
}
"""The parts of a hotspot's score, as table headers."""


def _claim_words(
    words: Words,
    status: str | None,
    confidence: float | None,
    start: str | None,
    end: str | None,
    period: str | None,
    qualifiers: tuple[str, ...],
) -> str:
    """Status, qualifiers, confidence and valid time of a claim, as one phrase."""
    parts = [words.status(status)]
    parts += [words.qualifier(q.key) for q in words.vocab.qualifiers if q.key in qualifiers]
    if confidence is not None:
        parts.append(words.confidence(confidence))
    phrase = ", ".join(parts)
    if start or end:
        phrase += f" [{start or '…'} – {end or '…'}]"
    if period:
        phrase += f" ({period})"
    return phrase


_CSV_HEADERS = [
    "score",
    "hop",
    "crossing",
    "from",
    "relation",
    "to",
    "claim",
    "status",
    "qualifiers",
    "confidence",
    "start",
    "end",
    "period",
    "sources",
    "quote",
    "locator",
]


_KINDS = {
    "place": ("1 place", "{count} places"),
    "market": ("1 market", "{count} markets"),
    "policy": ("1 policy", "{count} policies"),
    "event": ("1 event", "{count} events"),
    "phenomenon": ("1 phenomenon", "{count} phenomena"),
    "sphere": ("1 sphere", "{count} spheres"),
    "source": ("1 source", "{count} sources"),
    "observation": ("1 observation", "{count} observations"),
}


def _actors_only(words: Words) -> str:
    return words._(
        "network of actors only (places, markets, policies, events and phenomena are context: "
        "--include adds them)"
    )


def network_notes(words: Words, projection: Projection) -> list[str]:
    """What the network was made of, in the reader's language: the first sentences of
    `Projection.assumptions`, said again; the rarer ones as the core words them."""
    core = projection.assumptions()
    if projection.filters.include:
        return core
    left = [
        words._(one) if count == 1 else words._(many, count=count)
        for kind, count in sorted(projection.left_out.items())
        for one, many in [_KINDS.get(kind, ("1 " + kind, "{count} " + kind))]
    ]
    lines = [
        words._(
            "network of actors only (left out: {what}; --include adds them)", what=", ".join(left)
        )
        if left
        else _actors_only(words)
    ]
    rest = core[1:]
    if projection.tied_only_to_context:
        count = projection.tied_only_to_context
        lines.append(
            words._("1 actor tied only to places, markets or other context left out")
            if count == 1
            else words._(
                "{count} actors tied only to places, markets or other context left out",
                count=count,
            )
        )
        rest = rest[1:]
    return lines + rest


def _say_notes(ctx: Session, notes: list[str]) -> None:
    if notes:
        note(wrap(ctx._("Note: {notes}.", notes="; ".join(notes)), "", subsequent="  "))


def _print_csv(found: list[EvidencePath], noun: str) -> None:
    rows = []
    for number, path in enumerate(found, 1):
        labels = {n.id: n.label for n in path.nodes}
        for index, h in enumerate(path.hops, 1):
            for claim in h.claims:
                rows.append(
                    [
                        number,
                        path.score,
                        index,
                        "yes" if path.crossing == index - 1 else "",
                        labels[h.from_],
                        h.relation,
                        labels[h.to],
                        claim.id,
                        claim.status,
                        "; ".join(claim.qualifiers),
                        claim.confidence,
                        claim.start,
                        claim.end,
                        claim.period,
                        "; ".join(s.citation for s in claim.sources),
                        claim.quote,
                        claim.locator,
                    ]
                )
    click.echo(to_csv([noun, *_CSV_HEADERS], rows), nl=False)


def _aggregation(words: Words, hop: Hop) -> str:
    """How a hop's claims were made one step (the words of `Hop.aggregation`)."""
    sources = hop.source_count
    cited = words._("1 source") if sources == 1 else words._("{count} sources", count=sources)
    return words._(
        "{count} claims (the strongest of those not refuted; {sources}):",
        count=len(hop.claims),
        sources=cited,
    )


def _hops(words: Words, count: int) -> str:
    return words._("1 hop") if count == 1 else words._("{count} hops", count=count)


def _summary(words: Words, number: int, path: EvidencePath) -> str:
    """One line for a path or chain: its actors, each tie with the way its claim points (so
    "officials ← bribery ← cartel" is never read as the officials bribing the cartel), the
    status of the tie that crosses, its score."""
    walked = [plain(path.nodes[0].label)]
    for hop, node in zip(path.hops, path.nodes[1:], strict=True):
        arrow = "→" if hop.forward else "←"
        walked.append(f"{arrow} {words.label(hop.relation)} {arrow} {plain(node.label)}")
    crossing = path.crossing_hop
    said = f"{words.status(crossing.status)}; " if crossing is not None else ""
    tail = words._("score {score}", score=score(path.score))
    return wrap(f"{number:>2}. {' '.join(walked)} ({said}{tail})", "", subsequent="    ")


def _print_found(ctx: Session, found: list[EvidencePath], noun: str, brief: bool) -> None:
    """One line per path or chain, then (unless `brief`) the evidence of each."""
    words = ctx.words
    for number, path in enumerate(found, 1):
        echo(_summary(words, number, path))
    if brief:
        return
    for number, path in enumerate(found, 1):
        echo("")
        _print_path(ctx, number, path, noun)


def _print_path(ctx: Session, number: int, path: EvidencePath, noun: str) -> None:
    words = ctx.words
    labels = {n.id: plain(n.label) for n in path.nodes}
    spheres = {n.id: n.sphere for n in path.nodes}
    title = (
        words._("Chain {number}", number=number)
        if noun == "chain"
        else words._("Path {number}", number=number)
    )
    echo(
        f"{title} — {words._('score {score}', score=score(path.score))}, "
        f"{_hops(words, len(path.hops))}"
    )
    crossing = path.crossing_hop
    if crossing is not None:
        named = f" ({words._('claim {id}', id=short_id(crossing.tie))})" if ctx.ids else ""
        arrow = "→" if crossing.forward else "←"
        crossed = (
            f"{labels[crossing.from_]} {arrow} {words.label(crossing.relation)} {arrow} "
            f"{labels[crossing.to]}"
        )
        echo(wrap(words._("crossing: {tie}", tie=crossed) + named, "  ", subsequent="    "))
    for h in path.hops:
        arrow = "→" if h.forward else "←"
        sphere = f" ({words.sphere(spheres[h.to])})" if spheres[h.to] else ""
        said = _claim_words(words, h.status, h.confidence, h.start, h.end, h.period, h.qualifiers)
        relation = words.label(h.relation)
        echo(
            wrap(
                f"{labels[h.from_]} {arrow} {relation} {arrow} {labels[h.to]}{sphere} — {said}",
                "  ",
                subsequent="    ",
            )
        )
        claims = h.claims
        if len(claims) > 1:
            echo(wrap(_aggregation(words, h), "      "))
        for claim in claims:
            indent = "      "
            if len(claims) > 1:
                claim_words = _claim_words(
                    words,
                    claim.status,
                    claim.confidence,
                    claim.start,
                    claim.end,
                    claim.period,
                    claim.qualifiers,
                )
                echo(wrap(f"- {claim_words}", indent, subsequent=indent + "  "))
                indent = "        "
            if ctx.ids:
                echo(wrap(words._("claim {id}", id=claim.id), indent))
            if claim.quote:
                echo(wrap(f"“{claim.quote}”", indent))
            cited = "; ".join(s.citation for s in claim.sources) or words._("no source")
            locator = f" — {claim.locator}" if claim.locator else ""
            echo(wrap(words._("source: {source}", source=f"{cited}{locator}"), indent))
