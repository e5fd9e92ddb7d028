"""`hilos serve`: the explorer and a SPARQL 1.1 Protocol endpoint over the store, read-only
unless told otherwise."""

from __future__ import annotations

import os
import re
import secrets
import signal
from types import FrameType
from typing import Protocol

import click

from ..errors import BadInput
from ..server.serving import announced
from .common import Session, pass_session

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TOKEN_VARIABLE = "HILOS_SERVE_TOKEN"  # noqa: S105 - the variable's name, not its value
MIN_TOKEN = 16


@click.command(name="serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback lets other machines query the graph.",
)
@click.option(
    "--port",
    default=7878,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query or an explorer request may run before the client gets 503.",
)
@click.option(
    "--max-results",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most solutions or triples one answer may hold (more: a 500 saying so, never a cut "
    "answer).",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help=f"Accept SPARQL Update from clients sending the bearer token in ${TOKEN_VARIABLE} "
    "(one is made up and printed when it is unset).",
)
@click.option(
    "--cors",
    "cors",
    multiple=True,
    metavar="ORIGIN",
    help="Let web pages from ORIGIN (such as https://newsroom.example; * for any) read the "
    "answers, with CORS headers (repeatable). None by default.",
)
@pass_session
# Over 60 lines for its options and its --help text (the docstring); the body is short.
def serve_command(
    ctx: Session,
    host: str,
    port: int,
    timeout: float,
    max_results: int,
    allow_update: bool,
    cors: tuple[str, ...],
) -> None:
    """Serve the graph over HTTP until Ctrl-C: the explorer at / and a SPARQL 1.1 Protocol
    endpoint at /sparql, read-only unless --allow-update.

    The explorer is a page for the browser: search, entity cards with the evidence of every
    tie, evidence paths between two entities, the network around an entity, the query library
    with a form per query, and a SPARQL editor. It loads nothing from anywhere else. Its data
    comes from JSON endpoints anyone may use: /api/search?q=, /api/entity?id=,
    /api/paths?from=&to=, /api/queries, /api/query?name=&param.NAME=, and /ego?id=&hops= for the
    network page.

    SPARQL queries come by GET (?query=…) or POST (form or application/sparql-query); answers
    are SPARQL JSON, XML, CSV or TSV (SELECT, ASK) and Turtle, N-Triples, JSON-LD or RDF/XML
    (CONSTRUCT, DESCRIBE), by the Accept header. Federated SERVICE is refused; requests over
    1 MB are refused. HEAD and OPTIONS are answered; web pages of other origins read the
    answers only with --cors ORIGIN.

    With --allow-update, SPARQL Update (POST update=… or application/sparql-update) is accepted
    from clients sending "Authorization: Bearer TOKEN", TOKEN being $HILOS_SERVE_TOKEN; if that
    is unset, a token is made up and printed once on stderr. The token is never taken on the
    command line. What an update writes outside any GRAPH goes to the graph sparql-update; the
    graphs it changes get their inferences derived again; an update that fails changes nothing.

    With --allow-update, the explorer also lets you add, edit and retract claims of your own,
    add and merge entities, and undo, on each card, once you paste the token into the page
    (kept in that browser tab only). Behind them are JSON endpoints taking a POST with the same
    bearer token, their fields as a form or a JSON object, named as the options of hilos claim,
    hilos entity and hilos undo: /api/claim/add (from, relation, to, source…), /api/claim/edit
    (id and the fields to change), /api/claim/retract (id, reason), /api/entity/add (name,
    type…), /api/entity/edit, /api/entity/merge (a, b, source…) and /api/undo (graph, and
    change: the number of the change you expect to undo). Writes are done one at a time; one
    that fails changes nothing and answers {"error": …, "field": …}. Read by anyone: /api/types
    (the words of hilos types), /api/claims?graph=&entity=&status=, /api/claim/history?id=,
    /api/journal?graph= and /api/session.

    \b
    Examples:
      hilos serve
      hilos serve --port 8080
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * {?s ?p ?o} LIMIT 5' \\
           http://127.0.0.1:7878/sparql
      HILOS_SERVE_TOKEN=$(cat ~/.hilos-token) hilos serve --allow-update
      curl -H "Authorization: Bearer $HILOS_SERVE_TOKEN" \\
           --data-urlencode 'update=INSERT DATA { hid:x a hilos:Mayor }' \\
           http://127.0.0.1:7878/sparql
    """
    from ..server.http import make_server

    token, generated = _update_token() if allow_update else (None, False)
    store = ctx.store()
    try:
        server = make_server(
            store,
            host,
            port,
            timeout=timeout,
            max_results=max_results,
            log=lambda line: click.echo(line, err=True),
            update_token=token,
            cors=_origins(cors),
        )
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    _say_where(host, server, token if generated else None, allow_update=allow_update)
    # a server stopped by a signal (kill, a service manager) cleans up as Ctrl-C does
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if store.path is not None:
            # other hilos processes read through this server while it holds the store
            with announced(store.path, server.base_url, allow_update=allow_update):
                server.serve_forever()
        else:
            server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()


class _Listening(Protocol):
    """What is said of a server: where it listens."""

    @property
    def base_url(self) -> str: ...

    @property
    def url(self) -> str: ...


def _update_token() -> tuple[str, bool]:
    """The bearer token that guards writing: $HILOS_SERVE_TOKEN, or one made up (True)."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return secrets.token_urlsafe(32), True
    if len(token) < MIN_TOKEN:
        raise BadInput(
            f"{TOKEN_VARIABLE} is too short to guard writing: use at least {MIN_TOKEN} "
            "characters (or unset it and let hilos serve make one up)"
        )
    return token, False


def _say_where(host: str, server: _Listening, made_up: str | None, *, allow_update: bool) -> None:
    """Where the explorer and the endpoint listen, on stderr, with a warning when other
    machines can reach them, and the token if it was `made_up`."""
    if host not in LOOPBACK:
        click.echo(f"Warning: listening on {host}: other machines can query this graph.", err=True)
        if allow_update:
            click.echo(
                "Warning: the bearer token travels unencrypted over plain HTTP; put the server "
                "behind HTTPS before writing to it from another machine.",
                err=True,
            )
    click.echo(f"Explorer at {server.base_url}/ — Ctrl-C stops.", err=True)
    if not allow_update:
        click.echo(f"SPARQL endpoint (read-only) at {server.url}", err=True)
        return
    click.echo(f"SPARQL endpoint at {server.url}, accepting updates with the token.", err=True)
    if made_up is not None:
        click.echo(
            f"Bearer token for updates (set {TOKEN_VARIABLE} to choose it): {made_up}", err=True
        )


def _origins(given: tuple[str, ...]) -> tuple[str, ...]:
    """The web origins of --cors, checked: `*`, or scheme://host[:port] with nothing after."""
    origins: list[str] = []
    for origin in given:
        value = origin.strip().rstrip("/")
        if value != "*" and not re.fullmatch(r"https?://[^/\s?#]+", value):
            raise click.BadParameter(
                f"{origin!r} is not a web origin (such as https://newsroom.example, or *)",
                param_hint="--cors",
            )
        origins.append(value)
    return tuple(origins)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
