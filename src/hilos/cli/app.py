"""The command group, its global options and the error boundary."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from click.core import ParameterSource

from ..errors import HilosError
from ..i18n import choose, requested, tr
from . import (
    analysis,
    claims,
    data,
    explore,
    export_dossier,
    export_html,
    export_network,
    exporting,
    import_ftm,
    import_tabular,
    importing,
    paths,
    serve,
)
from .common import Session, flag_names, one_line

HELP = """Follow the threads of collusion between state actors and armed criminal groups.

hilos keeps a knowledge graph in which every tie is a sourced claim (status, confidence,
dates, the quoted sentence and its citation). On first use it creates its store and loads the
ontology and the curated graph of the report, so every command works at once. With
--endpoint URL the same commands run against a SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB…).

\b
Exit codes: 0 success; 1 no answer / invalid data; 2 bad usage or bad input.

\b
Examples:
  hilos search iguala
  hilos show "José Luis Abarca"
  hilos query officials-criminal-ties
  hilos query ties-by-status --param status=alleged --format csv
"""


def _lang() -> str:
    """The language of the running command (`--lang`, else HILOS_LANG, else English), also
    for errors raised before the command started."""
    context = click.get_current_context(silent=True)
    obj = context.find_object(Session) if context is not None else None
    if obj is not None:
        return obj.lang
    asked = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--lang=")), None)
    if asked is None and "--lang" in sys.argv[:-1]:
        asked = sys.argv[sys.argv.index("--lang") + 1]
    return choose(asked)


class HilosGroup(click.Group):
    """Turns every error into one line on stderr and the documented exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "hilos"
            message = one_line(exc.format_message())
            click.echo(
                tr(
                    "Error: {message} (see {command} --help)",
                    _lang(),
                    message=message,
                    command=command,
                ),
                err=True,
            )
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            message = one_line(exc.format_message())
            click.echo(tr("Error: {message}", _lang(), message=message), err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo(tr("Aborted.", _lang()), err=True)
            sys.exit(1)
        except BrokenPipeError:
            # The reader went away (`hilos export ftm - | head`): stop quietly, as cat does.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HilosError as exc:
            lang = _lang()
            said = exc.localized(lang, parameter_names=flag_names(self))
            click.echo(tr("Error: {message}", lang, message=one_line(said)), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(tr("Interrupted.", _lang()), err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except Exception as exc:
            if os.environ.get("HILOS_DEBUG"):
                raise
            click.echo(
                tr(
                    "Error: unexpected {kind}: {message} (set HILOS_DEBUG=1 to see where)",
                    _lang(),
                    kind=type(exc).__name__,
                    message=exc,
                ),
                err=True,
            )
            ctx.exit(2)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # Keep the order of registration: the order a newcomer needs them.
        return list(self.commands)


@click.group(cls=HilosGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_path",
    envvar="HILOS_STORE",
    type=click.Path(file_okay=False, path_type=str),
    help="Directory of the embedded store (default: HILOS_STORE, else a per-user data folder).",
)
@click.option(
    "--endpoint",
    envvar="HILOS_ENDPOINT",
    metavar="URL",
    help="A SPARQL 1.1 endpoint to use instead of the embedded store (also HILOS_ENDPOINT); "
    "credentials from HILOS_ENDPOINT_USER/HILOS_ENDPOINT_PASSWORD or HILOS_ENDPOINT_TOKEN.",
)
@click.option(
    "--update-endpoint",
    envvar="HILOS_UPDATE_ENDPOINT",
    metavar="URL",
    help="Where the endpoint takes SPARQL Update, if not at --endpoint (e.g. Fuseki's /update).",
)
@click.option(
    "--lang",
    metavar="LANG",
    help="Language of labels and messages: en or es (default: HILOS_LANG, else en). "
    "Click's own usage and help texts stay in English.",
)
@click.option(
    "--ids",
    "show_ids",
    is_flag=True,
    help="Show ids (IRIs) beside labels in tables and cards (JSON and CSV always carry them).",
)
@click.version_option(package_name="hilos")
@click.pass_context
def cli(
    ctx: click.Context,
    store_path: str | None,
    endpoint: str | None,
    update_endpoint: str | None,
    lang: str | None,
    show_ids: bool,
) -> None:
    given = {ctx.get_parameter_source(name) for name in ("store_path", "endpoint")}
    if endpoint and store_path and given == {ParameterSource.COMMANDLINE}:
        raise click.UsageError("give --store or --endpoint, not both")
    if update_endpoint and not endpoint:
        raise click.UsageError("--update-endpoint needs --endpoint")
    ctx.obj = Session(
        store_path=store_path,
        lang=requested(lang),
        endpoint=endpoint,
        update_endpoint=update_endpoint,
        ids=show_ids,
    )
    ctx.call_on_close(ctx.obj.close)


# The commands, in the order a newcomer needs them (`hilos --help` lists them so). Command
# modules never import this one: they define commands, the group adds them here.
for _command in (
    paths.paths_command,
    paths.chains_command,
    paths.hotspots_command,
    analysis.centrality_command,
    analysis.brokers_command,
    analysis.communities_command,
    analysis.disrupt_command,
    claims.claim_group,
    claims.entity_group,
    claims.undo_command,
    claims.types_command,
    data.load,
    data.drop,
    data.graphs,
    data.validate,
    exporting.export_group,
    explore.search_command,
    explore.show_command,
    explore.query_command,
    explore.queries_command,
    importing.import_group,
    serve.serve_command,
):
    cli.add_command(_command)


# These modules add their commands to the `export` and `import` groups when imported (the
# order of their import is the order of `hilos export --help`).
GROUP_MEMBERS = (export_dossier, export_html, export_network, import_ftm, import_tabular)


def main() -> None:
    cli(prog_name="hilos")
