"""Commands that analyse the network: centrality, brokers, communities, disrupt."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from json.encoder import encode_basestring

import click
import networkx as nx

from ..network.arrays import ArrayNetwork
from ..network.brokers import ROLES, brokers
from ..network.centrality import (
    MEASURES,
    SAMPLE_SIZE,
    SAMPLING_THRESHOLD,
    SPHERE_NAMES,
    CentralityResult,
)
from ..network.centrality import centrality as rank_centrality
from ..network.communities import CommunitiesResult, Community, Listing, communities_of
from ..network.disrupt import MODES, STRATEGIES, DisruptResult, disrupt, disrupt_network
from ..network.projection import Filters, Projection, project
from ..network.ranking import ARRAY_MEASURES, rank_network
from ..network.saved import project_network
from ..render import table, to_csv, to_json, wrap
from ..store import Progress
from .common import (
    F,
    Session,
    echo,
    ids_option,
    network_options,
    no_answer,
    note,
    output_option,
    pass_session,
)
from .paths import network_notes
from .words import share

BIG_NETWORK = 2_000
"""Above this many nodes the slow measures show a progress bar."""

SAMPLES_HELP = (
    f"Estimate betweenness from K sampled sources (0: always exact). "
    f"Default: exact up to {SAMPLING_THRESHOLD:,} nodes, else {SAMPLE_SIZE}."
)


def _network(ctx: Session, filters: Filters) -> tuple[nx.Graph, Projection]:
    """The filtered network to analyse; exits 1 when no tie passes the filters."""
    projection = project(ctx.store(), filters, lang=ctx.lang)
    if projection.graph.number_of_nodes() == 0:
        no_answer(ctx._("no ties pass the filters"))
    graph: nx.Graph = projection.analysis_graph()
    return graph, projection


def _arrays(ctx: Session, filters: Filters) -> tuple[ArrayNetwork, Projection]:
    """The filtered network as arrays (degree, PageRank, communities, disruption by degree run
    on them without a graph built); exits 1 when no tie passes the filters."""
    network, projection = project_network(ctx.store(), filters, lang=ctx.lang)
    if network.count == 0:
        no_answer(ctx._("no ties pass the filters"))
    return network, projection


def _note(ctx: Session, projection: Projection) -> None:
    """Say on stderr what the analysed network was made of and what it left out."""
    notes = network_notes(ctx.words, projection)
    note(wrap(ctx._("Note: {notes}.", notes="; ".join(notes)), "", subsequent="  "))


def _progress(ctx: Session, graph: nx.Graph | ArrayNetwork, label: str) -> Progress | None:
    nodes = graph.count if isinstance(graph, ArrayNetwork) else graph.number_of_nodes()
    return ctx.progress(label) if nodes > BIG_NETWORK else None


def _sampling_note(ctx: Session, sampled: int | None, nodes: int, seed: int) -> None:
    if sampled is not None:
        note(
            ctx._(
                "betweenness estimated from {sampled} of {nodes} source nodes (seed {seed}); "
                "--samples 0 for the exact value",
                sampled=f"{sampled:,}",
                nodes=f"{nodes:,}",
                seed=seed,
            )
        )


_SHARES = {"degree", "betweenness", "pagerank"}
"""Measures that are a share (of the other actors, of the shortest paths, of the walks):
shown as a percentage; the others with three decimals."""


def _number(value: float, measure: str = "betweenness") -> str:
    return share(value) if measure in _SHARES else f"{value:.3f}"


def _labels(graph: nx.Graph) -> dict[str, str]:
    return {str(node): str(data.get("label") or node) for node, data in graph.nodes(data=True)}


def _seed_option(function: F) -> F:
    return click.option(
        "--seed", type=int, default=0, show_default=True, help="Seed of every random step."
    )(function)


@click.command(name="centrality")
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    default="degree",
    show_default=True,
    help="The centrality measure.",
)
@click.option("--top", type=click.IntRange(min=1), help="Only the first N actors.")
@click.option(
    "--sphere",
    type=click.Choice(SPHERE_NAMES),
    help="Only actors of this sphere in the result (measured on the whole network).",
)
@click.option(
    "--weighted",
    is_flag=True,
    help="Weigh links by evidence: the sum of their ties' scores; on paths, stronger = shorter.",
)
@click.option("--samples", type=click.IntRange(min=0), metavar="K", help=SAMPLES_HELP)
@_seed_option
@ids_option
@network_options
@output_option("table", "json", "csv")
@pass_session
def centrality_command(
    ctx: Session,
    measure: str,
    top: int | None,
    sphere: str | None,
    weighted: bool,
    samples: int | None,
    seed: int,
    filters: Filters,
    fmt: str,
) -> None:
    """Rank actors by centrality, highest first: degree (how many they are tied to),
    betweenness (how often they sit on the shortest path between two others), closeness (how
    near they are to everyone), eigenvector (tied to the well-tied) or pagerank. Parallel ties
    between two actors count once; --weighted weighs them by their evidence.

    Betweenness is exact up to 5,000 actors and estimated from 500 sampled sources above that
    (--samples, --seed). Exits 1 when no tie passes the filters.

    \b
    Examples:
      hilos centrality --measure betweenness --top 10
      hilos centrality --measure degree --sphere criminal --format json
      hilos centrality --measure pagerank --min-status reported --weighted
      hilos centrality --measure closeness --undirected --tie-type collusion
    """
    result, projection = _centrality(ctx, measure, top, sphere, weighted, samples, seed, filters)
    _sampling_note(ctx, result.sampled, result.nodes, seed)
    _note(ctx, projection)
    if fmt == "json":
        echo(to_json([{"rank": n, **r.as_dict()} for n, r in enumerate(result.ranking, 1)]))
    elif fmt == "csv":
        rows = [[n, r.id, r.label, r.sphere, r.score] for n, r in enumerate(result.ranking, 1)]
        click.echo(to_csv(["rank", "id", "label", "sphere", "score"], rows), nl=False)
    else:
        words = ctx.words
        rows = [
            [n, r.label, words.sphere(r.sphere), _number(r.score, measure)]
            for n, r in enumerate(result.ranking, 1)
        ]
        headers = ["#", ctx._("actor"), ctx._("sphere"), ctx._(_MEASURE_WORDS[measure])]
        if ctx.ids:
            headers.append("id")
            rows = [[*row, r.id] for row, r in zip(rows, result.ranking, strict=True)]
        echo(table(headers, rows, keep=[4] if ctx.ids else []))
    if not result.ranking:
        no_answer(ctx._("no {sphere} actor in the network", sphere=ctx.words.sphere(sphere)))


def _centrality(
    ctx: Session,
    measure: str,
    top: int | None,
    sphere: str | None,
    weighted: bool,
    samples: int | None,
    seed: int,
    filters: Filters,
) -> tuple[CentralityResult, Projection]:
    """Degree and PageRank on arrays; the measures built on shortest paths on the graph."""
    if measure in ARRAY_MEASURES:
        network, projection = _arrays(ctx, filters)
        return rank_network(network, measure, top=top, sphere=sphere, weighted=weighted), projection
    graph, projection = _network(ctx, filters)
    result = rank_centrality(
        graph,
        measure,
        top=top,
        sphere=sphere,
        weighted=weighted,
        samples=samples,
        seed=seed,
        progress=_progress(ctx, graph, measure.capitalize()),
    )
    return result, projection


@click.command(name="brokers")
@click.option("--top", type=click.IntRange(min=1), help="Only the first N brokers.")
@click.option("--samples", type=click.IntRange(min=0), metavar="K", help=SAMPLES_HELP)
@_seed_option
@ids_option
@network_options
@output_option("table", "json", "csv")
@pass_session
def brokers_command(
    ctx: Session,
    top: int | None,
    samples: int | None,
    seed: int,
    filters: Filters,
    fmt: str,
) -> None:
    """The actors who connect the spheres (state, criminal, community, civil), ranked by
    cross-sphere betweenness: the share of the shortest paths between actors of different
    spheres that run through them. Also their Gould–Fernandez brokerage roles on the ties as
    followed (both ways unless --directed; a → b → c, a not tied to c): coordinator (all
    three of one sphere), itinerant (a and c of one sphere, b of another), gatekeeper (b and c
    alike, a not), representative (a and b alike, c not) and liaison (all three different);
    the brokerage column sums the four that cross a sphere. The network is made of actors:
    places, markets and policies are never brokers. Exits 1 when there is none.

    \b
    Examples:
      hilos brokers --top 15
      hilos brokers --min-status reported --format json
      hilos brokers --tie-type collusion --tie-type command --format csv
    """
    graph, projection = _network(ctx, filters)
    result = brokers(
        graph, top, samples=samples, seed=seed, progress=_progress(ctx, graph, "Brokers")
    )
    if result.sampled is not None:
        _sampling_note(ctx, result.sampled, graph.number_of_nodes(), seed)
    _note(ctx, projection)
    if fmt == "json":
        echo(to_json([{"rank": n, **b.as_dict()} for n, b in enumerate(result.brokers, 1)]))
    elif fmt == "csv":
        headers = ["rank", "id", "label", "sphere", "cross_sphere_betweenness"]
        headers += [*ROLES, "cross_sphere_brokerage"]
        rows = [
            [n, b.id, b.label, b.sphere, b.score]
            + [b.roles.get(r, 0) for r in ROLES]
            + [b.cross_sphere_brokerage]
            for n, b in enumerate(result.brokers, 1)
        ]
        click.echo(to_csv(headers, rows), nl=False)
    else:
        words = ctx.words
        headers = [
            "#", ctx._("actor"), ctx._("sphere"), ctx._("cross-sphere betweenness"),
            ctx._("brokerage"), ctx._("main role"),
        ]  # fmt: skip
        rows = [
            [
                n,
                b.label,
                words.sphere(b.sphere),
                _number(b.score),
                b.cross_sphere_brokerage,
                _main_role(ctx, b.roles),
            ]
            for n, b in enumerate(result.brokers, 1)
        ]
        if ctx.ids:
            headers.append("id")
            rows = [[*row, b.id] for row, b in zip(rows, result.brokers, strict=True)]
        echo(table(headers, rows, keep=[6] if ctx.ids else []))
    if not result.brokers:
        no_answer(ctx._("no actor brokers between spheres in this network"))


_MEASURE_WORDS = {
    "degree": "degree",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "eigenvector": "eigenvector",
    "pagerank": "pagerank",
}
_ROLE_WORDS = {
    "coordinator": "coordinator",
    "itinerant": "itinerant",
    "gatekeeper": "gatekeeper",
    "representative": "representative",
    "liaison": "liaison",
}


def _main_role(ctx: Session, roles: dict[str, int]) -> str:
    """The brokerage role an actor plays most, with its count (`liaison 230`)."""
    counted = [(count, role) for role, count in roles.items() if count]
    if not counted:
        return ""
    count, role = max(counted)
    return f"{ctx._(_ROLE_WORDS.get(role, role))} ({count})"


@click.command(name="communities")
@_seed_option
@click.option(
    "--resolution",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Below 1 favours larger communities, above 1 smaller ones.",
)
@click.option("--weighted", is_flag=True, help="Weigh links by the evidence of their ties.")
@network_options
@output_option("table", "json", "csv")
@pass_session
def communities_command(
    ctx: Session, seed: int, resolution: float, weighted: bool, filters: Filters, fmt: str
) -> None:
    """Find communities (Leiden, and on smaller networks Louvain as well, on the undirected
    network): groups of actors more tied to each other than to the rest, largest first, with
    their members, the modularity of the partition and the method that found it. Both are
    randomised: the same --seed gives the same communities.

    \b
    Examples:
      hilos communities
      hilos communities --seed 7 --resolution 1.5 --format json
      hilos communities --min-status reported --weighted --format csv
    """
    network, projection = _arrays(ctx, filters)
    result = communities_of(network, seed=seed, resolution=resolution, weighted=weighted)
    _note(ctx, projection)
    if fmt == "json":
        for part in communities_json_parts(result):
            click.echo(part, nl=False)
        click.echo()
    elif fmt == "csv":
        click.echo(communities_csv(result), nl=False)
    else:
        echo(
            ctx._(
                "{count} communities, modularity {modularity} ({method}, seed {seed}, "
                "resolution {resolution}):",
                count=len(result.communities),
                modularity=f"{result.modularity:.3f}",
                method=result.method.capitalize(),
                seed=seed,
                resolution=f"{resolution:g}",
            )
        )
        echo(_communities_table(ctx, result))


def _communities_table(ctx: Session, result: CommunitiesResult) -> str:
    words = ctx.words
    rows = [
        [
            c.number,
            c.size,
            ", ".join(f"{words.sphere(s)} {k}" for s, k in c.spheres.items()),
            "; ".join(c.listing.labels[c.span]),
        ]
        for c in result.communities
    ]
    return table(["#", ctx._("size"), ctx._("spheres"), ctx._("members")], rows)


def communities_csv(result: CommunitiesResult) -> str:
    """One row per member (community, id, label, sphere), read from the listing's columns."""
    rows = [
        [c.number, node_id, label, sphere]
        for c in result.communities
        for node_id, label, sphere in zip(
            c.listing.ids[c.span], c.listing.labels[c.span], c.listing.spheres[c.span],
            strict=True,
        )
    ]  # fmt: skip
    return to_csv(["community", "id", "label", "sphere"], rows)


@click.command(name="disrupt")
@click.option(
    "--strategy",
    type=click.Choice(STRATEGIES),
    default="degree",
    show_default=True,
    help="How actors are ranked for removal.",
)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="sequential",
    show_default=True,
    help="Remove one actor per step, or a block of them, re-ranking after each step.",
)
@click.option(
    "--block-size",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Actors removed per step in block mode.",
)
@click.option(
    "--steps",
    type=click.IntRange(min=0),
    help="Removal steps after the intact network (default: until no actor is left).",
)
@click.option("--weighted", is_flag=True, help="Rank by evidence-weighted degree or betweenness.")
@click.option("--samples", type=click.IntRange(min=0), metavar="K", help=SAMPLES_HELP)
@_seed_option
@network_options
@output_option("table", "json", "csv")
@pass_session
def disrupt_command(
    ctx: Session,
    strategy: str,
    mode: str,
    block_size: int,
    steps: int | None,
    weighted: bool,
    samples: int | None,
    seed: int,
    filters: Filters,
    fmt: str,
) -> None:
    """Simulate the kingpin strategy: remove the top-ranked actors (by degree or betweenness,
    re-ranked after every step) and show, step by step, the largest connected group left as a
    fraction of the intact network's (on the undirected network). Step 0 is the intact network.
    A network that stays connected as its leaders go is one the strategy does not break.

    \b
    Examples:
      hilos disrupt --strategy degree --steps 10
      hilos disrupt --strategy betweenness --mode block --block-size 5 --format json
      hilos disrupt --strategy degree --min-status reported --format csv
    """
    result, projection, labels = _disrupted(
        ctx, strategy, mode, block_size, steps, weighted, samples, seed, filters
    )
    if result.note:
        click.echo(result.note, err=True)
    _note(ctx, projection)
    if fmt == "json":
        echo(to_json(result.as_dict()))
        return
    if fmt == "csv":
        rows = [
            [n, ";".join(s.removed), s.lcc_fraction, s.lcc_size, s.nodes_left]
            for n, s in enumerate(result.steps)
        ]
        headers = ["step", "removed", "lcc_fraction", "lcc_size", "nodes_left"]
        click.echo(to_csv(headers, rows), nl=False)
        return
    rows = [
        [
            n,
            "; ".join(labels(s.removed)) or ctx._("(intact network)"),
            f"{s.lcc_fraction:.3f}",
            s.lcc_size,
            s.nodes_left,
        ]
        for n, s in enumerate(result.steps)
    ]
    headers = [ctx._("step"), ctx._("removed"), ctx._("largest group"), ctx._("size"),
               ctx._("actors left")]  # fmt: skip
    echo(table(headers, rows))


def communities_json(result: CommunitiesResult) -> str:
    """`to_json(result.as_dict())`, the same text (see `communities_json_parts`)."""
    return "".join(communities_json_parts(result))


def communities_json_parts(result: CommunitiesResult) -> Iterator[str]:
    """`to_json(result.as_dict())` in parts, a community at a time, written from templates
    with the strings encoded by json's C encoder and each member read straight from the
    listing's columns: a million members in about a second where the indenting encoder (pure
    Python) took about ten, and never the whole text held at once."""
    if not result.communities:
        yield to_json(result.as_dict())
        return
    # The head's values are plain (no record among them): read without `as_dict`, which would
    # make every member.
    head = {key: getattr(result, key) for key in result.json_keys if key != "communities"}
    yield to_json(head)[:-2] + ',\n  "communities": ['
    listing = result.communities[0].listing
    spheres = {sphere: _string(sphere) for sphere in set(listing.spheres)}
    for number, community in enumerate(result.communities):
        members = _members_json(listing, community.span, spheres)
        yield ("," if number else "") + _community_json(community, members)
    yield "\n  ]\n}"


def _members_json(listing: Listing, span: slice, spheres: dict[str | None, str]) -> str:
    """The members of `span` as `to_json` writes them: the template's pieces and the encoded
    strings interleaved by slice assignment and joined once (a format call per member took
    half as long again)."""
    ids = listing.ids[span]
    count = len(ids)
    pieces = [_NEXT_MEMBER] * (6 * count)
    pieces[0] = _FIRST_MEMBER
    pieces[1::6] = map(encode_basestring, ids)
    pieces[2::6] = [_LABEL] * count
    pieces[3::6] = map(encode_basestring, listing.labels[span])
    pieces[4::6] = [_SPHERE] * count
    pieces[5::6] = map(spheres.__getitem__, listing.spheres[span])
    return "".join(pieces) + "\n        }"


_FIRST_MEMBER = '        {\n          "id": '
_NEXT_MEMBER = '\n        },\n        {\n          "id": '
_LABEL = ',\n          "label": '
_SPHERE = ',\n          "sphere": '


def _community_json(community: Community, members: str) -> str:
    spheres = ",\n".join(
        f"        {_string(name)}: {count!r}" for name, count in community.spheres.items()
    )
    return (
        f'\n    {{\n      "community": {community.number!r},\n'
        f'      "size": {community.size!r},\n'
        f'      "spheres": {{\n{spheres}\n      }},\n'
        f'      "members": [\n{members}\n      ]\n    }}'
    )


def _string(value: str | None) -> str:
    return "null" if value is None else str(encode_basestring(value))


def _disrupted(
    ctx: Session,
    strategy: str,
    mode: str,
    block_size: int,
    steps: int | None,
    weighted: bool,
    samples: int | None,
    seed: int,
    filters: Filters,
) -> tuple[DisruptResult, Projection, Callable[[list[str]], list[str]]]:
    """The disruption (by degree on arrays, by betweenness on the graph) and how to name the
    actors removed."""
    if strategy == "degree":
        network, projection = _arrays(ctx, filters)
        result = disrupt_network(
            network,
            mode,
            block_size,
            steps,
            weighted=weighted,
            progress=_progress(ctx, network, "Disrupting"),
        )
        return result, projection, lambda ids: _labels_of(network, ids)
    graph, projection = _network(ctx, filters)
    result = disrupt(
        graph,
        strategy,
        mode,
        block_size,
        steps,
        weighted=weighted,
        seed=seed,
        samples=samples,
        progress=_progress(ctx, graph, "Disrupting"),
    )
    labels = _labels(graph)
    return result, projection, lambda ids: [labels.get(i, i) for i in ids]


def _labels_of(network: ArrayNetwork, ids: list[str]) -> list[str]:
    """The labels of the actors `ids` (only those: the table shows the few removed)."""
    if not ids:
        return []
    nodes = network.nodes
    wanted = set(ids)
    named = {node_id: i for i, node_id in enumerate(nodes.id_list(range(nodes.count)))
             if node_id in wanted}  # fmt: skip
    found = nodes.label_list([named[i] for i in ids])
    return found
