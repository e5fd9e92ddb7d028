"""The one exception family of hilos.

The core raises these; only the command line turns them into messages and exit codes
(0 success, 1 the answer is "no" or the data is invalid, 2 bad usage or bad input).

A message people may read in Spanish is built with `message` (imported as `_` where it is
raised, so the catalogue test finds its English): the error keeps its English template and
values, `str(error)` is the English text, and `error.localized(lang)` the reader's language.

>>> error = NotFound(message("no graph named {name!r}", name="mine"))
>>> str(error)
"no graph named 'mine'"
>>> error.template, error.values
('no graph named {name!r}', {'name': 'mine'})

A message about a parameter names it as a value, `{parameter}` (a second one `{other_parameter}`),
so the core speaks of `limit` and the command line, which reads the error's `parameter`, of its
flag (`localized(lang, parameter_names=…)`):

>>> error = BadInput(message("{parameter} must be at least 1, got {value}", parameter="limit",
...                          value=0))
>>> str(error), error.parameter
('limit must be at least 1, got 0', 'limit')
>>> error.localized("en", parameter_names=lambda name: "--" + name)
'--limit must be at least 1, got 0'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

__all__ = [
    "PARAMETER_KEYS",
    "AmbiguousEntity",
    "BadInput",
    "GraphExists",
    "HilosError",
    "InvalidGraph",
    "NotFound",
    "ParameterError",
    "ParseError",
    "QueryError",
    "StoreError",
    "StoreLocked",
    "UnknownEntity",
    "UnknownGraph",
    "UnknownQuery",
    "message",
]


PARAMETER_KEYS = ("parameter", "other_parameter")
"""The values of a message that name a parameter (the command line says its flag instead)."""

ParameterNames = Callable[[str], str]
"""How an interface names a parameter of the core (the command line: `max_hops` → `--max-hops`)."""


class Message(str):
    """English text that remembers its template and values, so it can be said again in
    another language (`HilosError.localized`). It is a `str`: anything that reads an error's
    message as text reads the English."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, values: Mapping[str, object]) -> Message:
        made = super().__new__(cls, template.format(**values) if values else template)
        made.template = template
        made.values = dict(values)
        return made

    def localized(self, lang: str, parameter_names: ParameterNames | None = None) -> str:
        """The message in `lang` (values that are messages themselves are translated too),
        the parameters it names said as `parameter_names` says them, if given."""
        from .i18n import tr

        values = {
            k: v.localized(lang, parameter_names) if isinstance(v, Message) else v
            for k, v in self.values.items()
        }
        if parameter_names is not None:
            for key in PARAMETER_KEYS:
                if key in values:
                    values[key] = parameter_names(str(values[key]))
        return tr(self.template, lang, **values)


def message(template: str, /, **values: object) -> Message:
    """An error's message, translatable: `raise NotFound(_("no graph named {name!r}", name=n))`
    with `from .errors import message as _`."""
    return Message(template, values)


class HilosError(Exception):
    """Base class of every error hilos raises on purpose.

    `template` and `values` say the message again in another language (`text`); give a
    `Message` (see `message`) or a template and its values, the English `str` is the same.
    `parameter` is the parameter the error is about, if one is (by default the message's
    `{parameter}`), for an interface to point at its own name for it."""

    exit_code = 2

    def __init__(
        self,
        text: str = "",
        *args: object,
        template: str | None = None,
        values: Mapping[str, object] | None = None,
        parameter: str | None = None,
    ) -> None:
        if template is not None:
            text = Message(template, values or {})
        super().__init__(text, *args)
        found = text if isinstance(text, Message) else None
        self.template: str | None = found.template if found else None
        self.values: dict[str, object] = found.values if found else {}
        named = self.values.get("parameter")
        self.parameter: str | None = parameter or (str(named) if named is not None else None)

    def localized(self, lang: str, *, parameter_names: ParameterNames | None = None) -> str:
        """The message in `lang`: translated where the error was raised with a template,
        else the English `str`; the parameters it names as `parameter_names` says them."""
        first = self.args[0] if len(self.args) == 1 else None
        if isinstance(first, Message):
            return first.localized(lang, parameter_names)
        return str(self)


class NotFound(HilosError):
    """The answer is "no": nothing matched."""

    exit_code = 1


class BadInput(HilosError):
    """The input given to hilos is malformed or does not make sense."""

    exit_code = 2


class ParseError(BadInput):
    """A file could not be parsed; names the file, and the line and column where known."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        values: dict[str, object] = {"path": path, "reason": message}
        template = "{path}: {reason}"
        if line is not None:
            values["line"] = line
            template = "{path}, line {line}: {reason}"
            if column is not None:
                values["column"] = column
                template = "{path}, line {line}, column {column}: {reason}"
        super().__init__(template=template, values=values)


class QueryError(BadInput):
    """A SPARQL query is malformed or cannot be evaluated."""


class ParameterError(BadInput):
    """A query parameter is missing, unknown or of the wrong type."""


class UnknownQuery(BadInput):
    """No library query has that name and no file has that path."""


class UnknownEntity(NotFound):
    """No entity matches the name or IRI given."""


class AmbiguousEntity(BadInput):
    """A name matches several entities equally well."""

    def __init__(self, text: str, candidates: list[tuple[str, str]]) -> None:
        self.text = text
        self.candidates = candidates
        listed = "; ".join(f"{label} <{iri}>" for iri, label in candidates)
        super().__init__(
            template="'{text}' matches several entities, give one of: {listed}",
            values={"text": text, "listed": listed},
        )


class UnknownGraph(NotFound):
    """No loaded graph has that name."""


class GraphExists(BadInput):
    """A graph of that name is already loaded and replacing it was not asked for."""


class InvalidGraph(HilosError):
    """The data does not conform to the shapes of the ontology."""

    exit_code = 1


class StoreError(HilosError):
    """The store cannot be opened or written."""


class StoreLocked(StoreError):
    """Another process holds the store open for writing."""
