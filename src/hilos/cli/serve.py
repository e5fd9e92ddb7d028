"""`hilos serve`: a read-only SPARQL 1.1 Protocol endpoint over the store."""

from __future__ import annotations

import click

from ..errors import BadInput
from .app import cli
from .common import Context, pass_context

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@cli.command(name="serve")
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
    help="Seconds a query may run before the client gets 503.",
)
@click.option(
    "--max-results",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most solutions or triples one answer may hold (more: 413, never a cut answer).",
)
@pass_context
def serve_command(ctx: Context, host: str, port: int, timeout: float, max_results: int) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol at /sparql, read-only, until Ctrl-C.

    Queries come by GET (?query=…) or POST (form or application/sparql-query); answers are
    SPARQL JSON, XML, CSV or TSV (SELECT, ASK) and Turtle, N-Triples, JSON-LD or RDF/XML
    (CONSTRUCT, DESCRIBE), by the Accept header. SPARQL Update and federated SERVICE are
    refused; requests over 1 MB are refused.

    \b
    Examples:
      hilos serve
      hilos serve --port 8080
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * {?s ?p ?o} LIMIT 5' \\
           http://127.0.0.1:7878/sparql
    """
    from ..server import make_server

    store = ctx.store()
    try:
        server = make_server(
            store,
            host,
            port,
            timeout=timeout,
            max_results=max_results,
            log=lambda line: click.echo(line, err=True),
        )
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if host not in LOOPBACK:
        click.echo(f"Warning: listening on {host}: other machines can query this graph.", err=True)
    click.echo(f"SPARQL endpoint (read-only) at {server.url} — Ctrl-C stops.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()
