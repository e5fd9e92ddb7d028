"""What the commands share: the store handle, output options, progress bars."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click
from click.core import ParameterSource

from ..entities import describe
from ..errors import Message, StoreLocked
from ..i18n import tr
from ..render import plain
from ..server.serving import holder
from ..store import Progress, Store, default_store_path
from .words import Words

if TYPE_CHECKING:  # imported when a command runs: the CLI starts fast
    from ..network.projection import Filters

F = TypeVar("F", bound=Callable[..., Any])


# The commands that write to the store: while `hilos serve` holds it, they are told so; every
# other command reads through the server.
WRITING = {
    "load", "drop", "import", "undo", "serve",
    "claim add", "claim edit", "claim retract", "entity",
}  # fmt: skip


def _writes() -> bool:
    """Whether the running command writes to the store."""
    context = click.get_current_context(silent=True)
    if context is None:
        return True
    words = context.command_path.split()[1:]
    return any(" ".join(words[:n]) in WRITING for n in (1, 2))


def flag_names(root: click.Command) -> Callable[[str], str]:
    """How the command line names a parameter of the core: the flag of the option of that name
    (`graphs` → `--graph`, `fmt` → `--format`; each name has one flag in every command, a test
    keeps it so), else the name as a flag (`max_hops` → `--max-hops`)."""
    flags: dict[str, str] = {}
    commands = [root]
    while commands:
        command = commands.pop()
        for param in command.params:
            if isinstance(param, click.Option) and param.name:
                flags.setdefault(param.name, param.opts[0])
        if isinstance(command, click.Group):
            commands.extend(command.commands.values())
    return lambda name: flags.get(name) or "--" + name.replace("_", "-")


def one_line(message: str, limit: int = 400) -> str:
    """An error message on one line, not endless (some parsers list every expected token), and
    without the control characters or bidi overrides a label quoted from the data may carry."""
    text = " ".join(plain(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Session:
    """Per-invocation state: where the store is, and the store once opened (click's
    `ctx.obj`; named apart from `click.Context`, which holds it)."""

    store_path: str | None
    lang: str = "en"
    endpoint: str | None = None
    update_endpoint: str | None = None
    ids: bool = False
    """Show ids beside labels (`--ids`)."""
    _store: Store | None = field(default=None, repr=False)
    _words: Words | None = field(default=None, repr=False)
    _bars: list[ProgressBar] = field(default_factory=list, repr=False)

    def store(self) -> Store:
        if self._store is None and self.endpoint:
            self._store = Store.connect(self.endpoint, update_url=self.update_endpoint)
        elif self._store is None:
            where = Path(self.store_path).expanduser() if self.store_path else None
            # a store `hilos serve` holds: no waiting for its lock
            wait = 0.0 if holder(where or default_store_path()) else None
            try:
                self._store = Store.open(
                    self.store_path, lock_timeout=wait, progress=self.progress("Loading")
                )
            except StoreLocked as locked:
                self._store = self._through_server(locked)
        return self._store

    def _through_server(self, locked: StoreLocked) -> Store:
        """The store held by `hilos serve`: a command that only reads goes through the
        server's SPARQL endpoint; one that writes is told which server holds the store."""
        path = Path(self.store_path).expanduser() if self.store_path else default_store_path()
        note = holder(path)
        if note is None:
            raise locked
        url = str(note.get("url", ""))
        if _writes():
            how = (
                "add claims in its explorer, or stop it (Ctrl-C where it runs) and run this again"
                if note.get("allow_update")
                else "stop it (Ctrl-C where it runs) and run this again"
            )
            raise StoreLocked(
                f"the store {path} is held by hilos serve (process {note.get('pid')}) at {url}, "
                f"which only reads (hilos --endpoint {note.get('sparql')} …): to write, {how}"
            )
        click.echo(
            f"Note: the store is held by hilos serve at {url}: reading through its endpoint "
            f"(hilos --endpoint {note.get('sparql')} …).",
            err=True,
        )
        return Store.connect(str(note["sparql"]))

    @property
    def words(self) -> Words:
        """Labels and messages in the reader's language."""
        if self._words is None:
            self._words = Words(self.store(), self.lang)
        return self._words

    def _(self, message: str, /, **values: object) -> str:
        """A message in the reader's language."""
        return tr(message, self.lang, **values)

    def say(self, text: str) -> str:
        """A note or reason of the core in the reader's language: one made with
        `errors.message` is said again in it, any other text (a curator's, a user's) as is."""
        return text.localized(self.lang) if isinstance(text, Message) else text

    def progress(self, label: str) -> Progress:
        bar = ProgressBar(label)
        self._bars.append(bar)
        return bar

    def close(self) -> None:
        for bar in self._bars:
            bar.finish()
        if self._store is not None:
            self._store.close()
            self._store = None


class ProgressBar:
    """A progress bar on stderr, shown only once the core reports long work."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(
                length=total or None, label=self.label, file=sys.stderr, show_pos=True
            )
            self._bar.__enter__()
        self._bar.update(done - self._shown)
        self._shown = done

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def pass_session(function: F) -> F:
    """Hand the command the invocation's `Session` as its first argument."""
    return click.pass_obj(function)  # type: ignore[return-value]


def output_option(*formats: str, default: str = "table") -> Callable[[F], F]:
    """The `--format` option of a command that prints results."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats, case_sensitive=False),
        default=default,
        show_default=True,
        help="Output format: table for people, the others for pipes.",
    )


def ids_option(function: F) -> F:
    """`--ids` on a command: show ids beside labels (as the global `hilos --ids` does)."""
    import functools

    @click.option(
        "--ids",
        "show_ids",
        is_flag=True,
        help="Show ids (IRIs) beside labels (JSON and CSV always carry them).",
    )
    @functools.wraps(function)
    def wrapper(*args: Any, show_ids: bool, **kwargs: Any) -> Any:
        context = click.get_current_context().find_object(Session)
        if context is not None and show_ids:
            context.ids = True
        return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def brief_option(function: F) -> F:
    """`--brief`: the one-line summaries alone, without the evidence below them."""
    return click.option(
        "--brief", is_flag=True, help="Only the summary lines, without the evidence."
    )(function)


def graph_option(function: F) -> F:
    return click.option(
        "--graph",
        "graphs",
        multiple=True,
        metavar="NAME",
        help="Only these loaded graphs (repeatable; see `hilos graphs`).",
    )(function)


def echo(text: str) -> None:
    click.echo(text)


def note(message: str) -> None:
    """A note on stderr (what the answer assumed or left out), wrapped to the terminal."""
    from ..render import wrap

    click.echo(wrap(message, "", subsequent="  "), err=True)


def merged_notes(ctx: Session, store: Store, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """What was assumed of each entity asked for, `asked`, that an identity claim merged into
    another, `shown`: the answer names the other one, and the reader is told why rather than
    left to wonder at the name."""
    return [
        ctx._(
            "{asked} is taken as {found}: an identity claim says they are one entity",
            asked=plain(describe(store, asked, lang=ctx.lang).label),
            found=plain(describe(store, shown, lang=ctx.lang).label),
        )
        for asked, shown in pairs
    ]


def no_answer(message: str) -> None:
    """Say on stderr that there is nothing to show, and exit 1."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


class VocabularyChoice(click.Choice[str]):
    """A choice among the ontology's statuses or spheres, read when the command line is parsed
    (not when the module is imported)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.case_sensitive = False

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from ..vocab import vocabulary

        found = vocabulary()
        return found.status_keys if self.what == "status" else found.sphere_keys


STATUS_CHOICE = VocabularyChoice("status")
SPHERE_CHOICE = VocabularyChoice("sphere")


@overload
def network_options(function: F) -> F: ...


@overload
def network_options(*, directed: bool = False) -> Callable[[F], F]: ...


def network_options(function: F | None = None, *, directed: bool = False) -> F | Callable[[F], F]:
    """The filters every analysis command shares; they arrive as one `filters` argument.

    Use as `@network_options`, or `@network_options(directed=False)` for a command that
    follows ties both ways unless told `--directed`.
    """
    import functools

    if function is None:
        return functools.partial(_with_network_options, directed=directed)
    return _with_network_options(function, directed=directed)


def _with_network_options(function: F, *, directed: bool) -> F:
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        context = click.get_current_context().find_object(Session)
        if context is None:  # pragma: no cover - every command runs under the group
            raise click.UsageError("run as a hilos sub-command")
        options = {name: kwargs.pop(name) for name in _NETWORK_OPTION_NAMES}
        kwargs["filters"] = _filters(context, **options)
        return function(*args, **kwargs)

    for option in reversed(_network_options(directed)):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


_NETWORK_OPTION_NAMES = (
    "graphs",
    "only",
    "min_status",
    "as_of",
    "between",
    "tie_types",
    "exclude",
    "directed",
    "include",
)
"""The parameters the network options give a command, taken out and made its `filters`."""


def _network_options(directed: bool) -> list[Callable[[Callable[..., Any]], Callable[..., Any]]]:
    """The options that choose what of the graph a network command analyses, in the order its
    help lists them; `--directed` is the default when `directed`."""
    return [
        click.option(
            "--graph",
            "graphs",
            multiple=True,
            metavar="NAME",
            help="Only ties from these loaded graphs (repeatable); the entities their claims "
            "name are still named and placed by the other graphs that describe them (see "
            "--only).",
        ),
        click.option(
            "--only",
            is_flag=True,
            help="With --graph: strictly those graphs, even for naming the entities their "
            "claims touch.",
        ),
        click.option(
            "--min-status",
            type=STATUS_CHOICE,
            help="Only ties at least this firm (e.g. reported: reported or confirmed).",
        ),
        click.option(
            "--as-of", metavar="DATE", help="Only ties valid at this date (YYYY[-MM[-DD]])."
        ),
        click.option("--between", metavar="YEAR..YEAR", help="Only ties valid during these years."),
        click.option(
            "--tie-type",
            "tie_types",
            multiple=True,
            metavar="TYPE",
            help="Only ties of this type and its sub-types (repeatable), e.g. collusion.",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="ENTITY",
            help="Leave out an entity and its ties (repeatable), e.g. a hub.",
        ),
        click.option(
            "--directed/--undirected",
            default=directed,
            show_default=True,
            help="Follow ties only from source to target, or both ways.",
        ),
        click.option(
            "--include",
            "include",
            multiple=True,
            metavar="KINDS",
            help="Add context to the network of actors: places, markets, policies, events, "
            "phenomena (comma-separated or repeated).",
        ),
    ]


def _filters(
    context: Session,
    *,
    graphs: tuple[str, ...],
    only: bool,
    min_status: str | None,
    as_of: str | None,
    between: str | None,
    tie_types: tuple[str, ...],
    exclude: tuple[str, ...],
    directed: bool,
    include: tuple[str, ...],
) -> Filters:
    """The network options as the filters of a projection (entities to leave out resolved)."""
    from ..network.projection import Filters, parse_between

    excluded: tuple[str, ...] = ()
    if exclude:
        from ..search import resolve

        store = context.store()
        excluded = tuple(resolve(store, ref, lang=context.lang) for ref in exclude)
    if only and not graphs:
        raise click.UsageError("--only keeps strictly the graphs given with --graph: give them")
    return Filters(
        graphs=graphs,
        only=only,
        min_status=min_status,
        as_of=as_of,
        between=parse_between(between) if between else None,
        tie_types=tie_types,
        exclude=excluded,
        directed=directed,
        include=_context_kinds(include),
    )


def _context_kinds(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--include places,markets` as the kinds of entity it brings into the network."""
    from ..network.projection import INCLUDABLE

    kinds: list[str] = []
    for value in values:
        for name in (part.strip().lower() for part in value.split(",")):
            if not name:
                continue
            kind = INCLUDABLE.get(name) or INCLUDABLE.get(name + "s")
            if kind is None:
                raise click.BadParameter(
                    f"'{name}' (one of: {', '.join(INCLUDABLE)})", param_hint="'--include'"
                )
            kinds.append(kind)
    return tuple(dict.fromkeys(kinds))


_PRIVATE = {"store_path", "endpoint", "update_endpoint"}
"""Parameters left out of the command stated on the page: a store's folder may name the
journalist's account or machine, an endpoint a newsroom's internal server, and the page is meant
to be published."""


def published_command(ctx: click.Context) -> str:
    """The running command as a shell would take it — `hilos`, the sub-commands and every
    parameter typed on the command line, in its long form — without `--store` or `--endpoint`."""
    chain: list[click.Context] = []
    current: click.Context | None = ctx
    while current is not None:
        chain.append(current)
        current = current.parent
    parts = ["hilos"]
    for depth, context in enumerate(reversed(chain)):
        if depth > 0 and context.info_name:
            parts.append(context.info_name)
        parts.extend(_typed(context))
    return shlex.join(parts)


def _typed(ctx: click.Context) -> list[str]:
    arguments: list[str] = []
    options: list[str] = []
    for param in ctx.command.params:
        name = param.name
        if (
            name is None
            or name in _PRIVATE
            or ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE
        ):
            continue
        value: Any = ctx.params.get(name)
        if isinstance(param, click.Argument):
            arguments.extend(str(v) for v in (value if isinstance(value, tuple) else (value,)))
            continue
        if not isinstance(param, click.Option):
            continue
        flag = max(param.opts, key=len)
        if param.is_flag:
            off = not value and param.secondary_opts
            options.append(max(param.secondary_opts, key=len) if off else flag)
            continue
        for item in value if param.multiple else (value,):
            options.append(flag)
            options.extend(str(v) for v in (item if isinstance(item, tuple) else (item,)))
    if any(a.startswith("-") and a != "-" for a in arguments):
        return [*options, "--", *arguments]
    return [*arguments, *options]
