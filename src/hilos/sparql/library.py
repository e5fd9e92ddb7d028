"""The query library (`queries/*.rq`) and running SPARQL with typed, engine-bound parameters.

Each library file starts with a comment header::

    # title: Officials with ties to criminal groups
    # description: State-sphere actors with a direct tie to a criminal-sphere actor,
    #   with the evidence of each tie.
    # param: status (status, optional) — only ties with this status

Parameter types: `entity` (an IRI, a prefixed name or a name that search resolves), `iri`,
`string`, `integer`, `decimal`, `boolean`, `date` (YYYY, YYYY-MM or YYYY-MM-DD), `status`
(alleged, reported, confirmed, disputed, refuted) and `sphere` (state, criminal, community,
civil). Values are handed to the engine as RDF terms, never spliced into the query text, so a
parameter must appear in the query's SELECT clause.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from .. import executor, resources
from ..errors import ParameterError, QueryError, UnknownQuery
from ..errors import message as _
from ..evidence import Record
from ..namespaces import HILOS_NS, XSD, expand
from ..rdfsyntax import portable_triples
from ..render import csv_cell, inline
from ..store import Store
from ..vocab import vocabulary
from .lexer import too_complex

PARAM_TYPES = (
    "entity",
    "iri",
    "string",
    "integer",
    "decimal",
    "boolean",
    "date",
    "status",
    "sphere",
)
SPHERE_NAMES = ("state", "criminal", "community", "civil")

_HEADER_KEY = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(
    r"^\??(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*(?:[—–-]+\s*)?(?P<doc>.*)$"
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Parameter(Record):
    name: str
    type: str
    required: bool = True
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class QueryDef(Record):
    """A SPARQL query with its header."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    path: str | None = None

    json_keys: ClassVar[tuple[str, ...]] = ("name", "title", "description", "parameters")


def parse_header(text: str, origin: str) -> tuple[str, str, tuple[Parameter, ...]]:
    """Title, description and parameters from the leading comment lines of a query."""
    title = ""
    description: list[str] = []
    params: list[Parameter] = []
    current: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        match = _HEADER_KEY.match(line)
        if match:
            current = match.group(1).lower()
            value = match.group(2).strip()
            if current == "title":
                title = value
            elif current == "description":
                description.append(value)
            else:
                params.append(_parse_param(value, origin, lineno))
            continue
        continuation = line.lstrip("#").strip()
        if current == "description" and continuation:
            description.append(continuation)
        elif current == "param" and continuation and params:
            last = params[-1]
            params[-1] = Parameter(
                last.name,
                last.type,
                last.required,
                last.default,
                f"{last.description} {continuation}".strip(),
            )
        else:
            current = None
    return title, " ".join(description), tuple(params)


def _parse_param(value: str, origin: str, lineno: int) -> Parameter:
    match = _PARAM.match(value)
    if not match:
        raise QueryError(f"{origin}, line {lineno}: cannot read parameter declaration {value!r}")
    spec = [part.strip() for part in match.group("spec").split(",") if part.strip()]
    if not spec or spec[0] not in PARAM_TYPES:
        raise QueryError(
            f"{origin}, line {lineno}: parameter type must be one of {', '.join(PARAM_TYPES)}"
        )
    required = True
    default = None
    for extra in spec[1:]:
        if extra == "optional":
            required = False
        elif extra.startswith("default="):
            default = extra.split("=", 1)[1].strip()
            required = False
        else:
            raise QueryError(f"{origin}, line {lineno}: unknown parameter option {extra!r}")
    return Parameter(match.group("name"), spec[0], required, default, match.group("doc").strip())


def query_from_text(text: str, name: str, path: str | None = None) -> QueryDef:
    title, description, params = parse_header(text, path or name)
    return QueryDef(name, text, title, description, params, path)


def library() -> list[QueryDef]:
    """The shipped query library, by name."""
    folder = resources.data_dir("queries")
    return [
        query_from_text(path.read_text(encoding="utf-8"), path.stem, str(path))
        for path in sorted(folder.glob("*.rq"))
    ]


def shipped(query: QueryDef) -> bool:
    """Whether `query` is one of the library's, word for word (reading its one file, not the
    whole library: this is asked for every query run)."""
    folder = resources.data_dir("queries")
    candidate = folder / f"{query.name}.rq"
    if candidate.parent != folder or not candidate.is_file():
        return False
    try:
        return candidate.read_text(encoding="utf-8") == query.text
    except (OSError, UnicodeDecodeError):
        return False


def find_query(ref: str, stdin_text: str | None = None) -> QueryDef:
    """A library query by name, a `.rq` file by path, or the text of standard input (`-`)."""
    if ref == "-":
        if stdin_text is None or not stdin_text.strip():
            raise QueryError(_("no query text on standard input"))
        return query_from_text(stdin_text, "stdin")
    for query in library():
        if query.name == ref:
            return query
    path = Path(ref)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as exc:
            raise QueryError(f"{ref}: cannot be read as a query: {exc}") from None
        return query_from_text(text, path.stem, str(path))
    names = ", ".join(q.name for q in library())
    raise UnknownQuery(
        _(
            "no library query named '{ref}' and no file {ref} (library: {names})",
            ref=ref,
            names=names,
        )
    )


def _entity(store: Store, what: str, raw: str) -> Any:
    from ..search import resolve

    return NamedNode(resolve(store, raw))


def _iri(store: Store, what: str, raw: str) -> Any:
    iri = expand(raw) or raw.strip("<>")
    try:
        if ":" not in iri:
            raise ValueError("not absolute")
        return NamedNode(iri)
    except ValueError:
        raise ParameterError(_("{what} expects an IRI, got '{raw}'", what=what, raw=raw)) from None


def _string(store: Store, what: str, raw: str) -> Any:
    return Literal(raw)


def _integer(store: Store, what: str, raw: str) -> Any:
    try:
        return Literal(int(raw))
    except ValueError:
        raise ParameterError(
            _("{what} expects an integer, got '{raw}'", what=what, raw=raw)
        ) from None


def _decimal(store: Store, what: str, raw: str) -> Any:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ParameterError(
            _("{what} expects a number, got '{raw}'", what=what, raw=raw)
        ) from None
    if not value.is_finite():
        raise ParameterError(_("{what} expects a finite number, got '{raw}'", what=what, raw=raw))
    return Literal(str(value), datatype=XSD.decimal)


def _boolean(store: Store, what: str, raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "yes", "1"):
        return Literal(True)
    if lowered in ("false", "no", "0"):
        return Literal(False)
    raise ParameterError(_("{what} expects true or false, got '{raw}'", what=what, raw=raw))


def _date(store: Store, what: str, raw: str) -> Any:
    match = _DATE.match(raw)
    if not match:
        raise ParameterError(
            _(
                "{what} expects a date (YYYY, YYYY-MM or YYYY-MM-DD), got '{raw}'",
                what=what,
                raw=raw,
            )
        )
    month, day = match.group(2), match.group(3)
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        raise ParameterError(_("{what} expects a valid date, got '{raw}'", what=what, raw=raw))
    datatype = XSD.date if day else XSD.gYearMonth if month else XSD.gYear
    return Literal(raw, datatype=datatype)


def _one_of(what: str, raw: str, names: Iterable[str]) -> str:
    """`raw` in lower case, if it is one of `names`; else a one-line error listing them."""
    names = tuple(names)
    if raw.lower() not in names:
        raise ParameterError(
            _(
                "{what} expects one of {names}, got '{raw}'",
                what=what,
                names=", ".join(names),
                raw=raw,
            )
        )
    return raw.lower()


def _status(store: Store, what: str, raw: str) -> Any:
    return NamedNode(HILOS_NS + _one_of(what, raw, vocabulary().status_keys).capitalize())


def _sphere(store: Store, what: str, raw: str) -> Any:
    return NamedNode(HILOS_NS + _one_of(what, raw, SPHERE_NAMES).capitalize() + "Sphere")


_CONVERTERS: dict[str, Callable[[Store, str, str], Any]] = {
    "entity": _entity,
    "iri": _iri,
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "date": _date,
    "status": _status,
    "sphere": _sphere,
}
"""How a value of each parameter type becomes an RDF term: `(store, what, raw) -> term`, where
`what` names the parameter in error messages."""


def convert(store: Store, param: Parameter, raw: str) -> Any:
    """The RDF term a parameter value stands for, checked against the parameter's type."""
    what = _("parameter '{name}'", name=param.name)
    converter = _CONVERTERS.get(param.type)
    if converter is None:  # pragma: no cover
        raise ParameterError(f"{what} has an unknown type '{param.type}'")
    return converter(store, what, raw)


def _guess(name: str, raw: str) -> Any:
    """The term for a value given to a query whose header does not declare its type."""
    iri = expand(raw)
    if iri or raw.startswith("<") or "://" in raw:
        try:
            return NamedNode(iri or raw.strip("<>"))
        except ValueError as exc:
            raise ParameterError(f"parameter '{name}': '{raw}' is not an IRI ({exc})") from None
    if re.fullmatch(r"[+-]?\d+", raw):
        try:
            return Literal(int(raw))
        except (ValueError, OverflowError):  # more digits than Python converts, or i64 holds
            return Literal(raw, datatype=XSD.integer)
    return Literal(raw)


def _check_known(
    query: QueryDef, declared: Mapping[str, Parameter], values: Mapping[str, str]
) -> None:
    """A one-line error for the first value given to a parameter the query does not declare
    (only when it declares any: an undeclared query takes any name)."""
    unknown = sorted(set(values) - set(declared)) if declared else []
    if unknown:
        raise ParameterError(
            _(
                "query '{query}' has no parameter '{name}' (parameters: {declared})",
                query=query.name,
                name=unknown[0],
                declared=", ".join(declared),
            )
        )


def _check_value(name: str, raw: str) -> None:
    """A one-line error for a malformed parameter name, or a value that is not text."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ParameterError(f"'{inline(name)}' is not a valid parameter name")
    if not _is_text(raw):
        raise ParameterError(
            f"parameter '{name}' holds bytes that are not UTF-8 text: '{inline(raw)}'"
        )


def _bind_missing(store: Store, query: QueryDef, bindings: dict[str, Any]) -> None:
    """Bind the defaults of the parameters not given; a one-line error for a required one."""
    for param in query.parameters:
        if param.name in bindings:
            continue
        if param.default is not None:
            bindings[param.name] = convert(store, param, param.default)
        elif param.required:
            raise ParameterError(
                _(
                    "query '{query}' needs {parameter} {name}=… ({type}: {description})",
                    parameter="param",
                    query=query.name,
                    name=param.name,
                    type=param.type,
                    description=param.description or _("no description"),
                )
            )


def bind_parameters(store: Store, query: QueryDef, values: Mapping[str, str]) -> dict[str, Any]:
    """Turn `name=value` strings into engine bindings, checking names, presence and types."""
    declared = {p.name: p for p in query.parameters}
    _check_known(query, declared, values)
    bindings: dict[str, Any] = {}
    for name, raw in values.items():
        _check_value(name, raw)
        if name in declared:
            bindings[name] = convert(store, declared[name], raw)
        else:
            bindings[name] = _guess(name, raw)
    _bind_missing(store, query, bindings)
    return bindings


def _is_text(value: str) -> bool:
    """Whether `value` is text: not bytes the shell could not decode (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class QueryResult:
    """The answer to a query: solutions, triples or a boolean, as plain Python objects (rows of
    terms), made by the engine's worker and safe to use on any thread."""

    kind: str  # "select", "construct" or "ask"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)
    boolean: bool | None = None

    @property
    def empty(self) -> bool:
        if self.kind == "ask":
            return not self.boolean
        if self.kind == "construct":
            return not self.triples
        return not self.rows

    def serialize(self, fmt: str) -> bytes:
        """The result in a standard format: SPARQL JSON/XML/CSV/TSV, or an RDF format."""
        if self.kind == "construct":
            from ..store import format_for

            out = io.BytesIO()
            triples = portable_triples(self.triples)  # labels every syntax takes
            ox.serialize(triples, out, format_for("", fmt), prefixes=_prefixes())
            return out.getvalue()
        if fmt == "json":
            return self._json()
        if fmt == "csv" and self.kind == "select":
            return self._csv()
        return executor.call(lambda: _engine_results(self._json(), fmt))

    def _json(self) -> bytes:
        """The SPARQL 1.1 JSON results, as the engine writes them."""
        if self.kind == "ask":
            return json.dumps({"head": {}, "boolean": bool(self.boolean)}).encode()
        return solutions_json(self.variables, self.rows)

    def _csv(self) -> bytes:
        """SPARQL 1.1 CSV results, safe to open in a spreadsheet: a text value starting with
        = + - @ (or a tab or carriage return) gets a leading apostrophe; numbers stay numbers."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([_csv_value(row.get(name)) for name in self.variables])
        return buffer.getvalue().encode("utf-8")

    def as_json(self) -> Any:
        """The SPARQL 1.1 JSON results as Python objects (None for triples)."""
        return None if self.kind == "construct" else json.loads(self._json())


_RESULT_FORMATS = {
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _engine_results(document: bytes, fmt: str) -> bytes:
    """SPARQL results in XML, CSV or TSV, written by the engine's own writers from their JSON
    (run by the executor: the engine's results object lives and dies in its worker)."""
    parsed = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=_RESULT_FORMATS[fmt]) or b""


def json_term(term: Any) -> dict[str, Any]:
    """An RDF term in the SPARQL 1.1 JSON results format, as the engine writes it.

    >>> json_term(Literal("Iguala", language="es"))
    {'type': 'literal', 'value': 'Iguala', 'xml:lang': 'es'}
    """
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {key: json_term(part) for key, part in parts.items()}}
    raise QueryError(f"cannot represent the term {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def solutions_json(variables: list[str], rows: list[dict[str, Any]]) -> bytes:
    """Solutions in the SPARQL 1.1 JSON results format, byte for byte as the engine writes
    them (an unbound variable is left out of its row)."""
    bindings = [
        {name: json_term(term) for name in variables if (term := row.get(name)) is not None}
        for row in rows
    ]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_NUMERIC_TYPES = frozenset(
    XSD[name].value
    for name in [
        "integer",
        "decimal",
        "double",
        "float",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN")


def _csv_value(term: Any) -> str:
    """A term as SPARQL CSV writes it, a text that could run as a formula neutralised."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, Literal):
        if term.datatype.value in _NUMERIC_TYPES and _NUMBER.fullmatch(term.value):
            return str(term.value)
        return csv_cell(term.value)
    return str(term.value)


def _prefixes() -> dict[str, str]:
    from ..namespaces import PREFIXES

    return PREFIXES


def run(
    store: Store,
    query: QueryDef,
    params: Mapping[str, str] | None = None,
    *,
    graphs: list[str] | None = None,
) -> QueryResult:
    """Run a query (library, file or text) with its parameters bound by the engine.

    The query may be anyone's: one nested or long enough to exhaust the engine's stack is
    refused, and the rest runs in the engine's worker (`hilos.executor`), on its large stack;
    the answer comes back as rows of terms.
    """
    if reason := too_complex(query.text):
        raise QueryError(reason)
    return executor.call(lambda: _run(store, query, params, graphs))


def _run(
    store: Store,
    query: QueryDef,
    params: Mapping[str, str] | None,
    graphs: list[str] | None,
) -> QueryResult:
    bindings = bind_parameters(store, query, params or {})
    # A library query is written against the vocabulary: with graphs named, it reads the
    # ontology too; anyone else's query reads the graphs named, as an endpoint's client would.
    answer = store.query(query.text, bindings=bindings, graphs=graphs, ontology=shipped(query))
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    try:
        if not isinstance(answer, ox.QuerySolutions):  # CONSTRUCT, DESCRIBE: triples
            return QueryResult(kind="construct", triples=list(answer))
        variables = [v.value for v in answer.variables]
        rows = [{name: solution[name] for name in variables} for solution in answer]
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None
    return QueryResult(kind="select", variables=variables, rows=rows)
