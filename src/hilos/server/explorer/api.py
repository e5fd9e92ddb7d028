"""What the explorer's JSON endpoints answer, built from the functions the commands use.

Each function takes the store and the request's parameters (name → values, as
`urllib.parse.parse_qs` gives them) and returns what the endpoint sends: data for JSON, or the
bytes of a page. Bad parameters are `BadInput`; an unknown entity is `UnknownEntity`, with the
messages the command line gives.

The writes (`WRITES`: a user's claims, entities and undo, through `hilos.claims` and
`hilos.changes`, as `hilos claim`, `hilos entity` and `hilos undo` make them) take the fields of
`WRITE_FIELDS` and check each before anything is written; a refusal is `Refused`, which names
the field it concerns (and the candidates of an ambiguous name) beside the core's message. The
server calls them one at a time, with the bearer token checked first.
"""

from __future__ import annotations

import io
import re
import shlex
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ...changes import Change, check_writable, graph_namespace, journal, live_changes, undo
from ...claims import (
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
from ...entities import card, describe
from ...errors import (
    AmbiguousEntity,
    BadInput,
    HilosError,
    NotFound,
    UnknownEntity,
    UnknownGraph,
    UnknownQuery,
)
from ...errors import message as _
from ...export.html import export_html
from ...i18n import catalogue, choose
from ...namespaces import PREFIXES, compact
from ...network.brokers import brokers
from ...network.paths import NoPath, chain_count, find_chains, find_paths_in_store
from ...network.projection import Filters, filters_assumptions, project
from ...search import resolve, search
from ...sparql.library import QueryDef, bind_parameters, library
from ...store import GRAPH_BASE, Store
from ...terms import Terms, qualifier_term, status_term
from ...vocab import Concept, vocabulary

Params = Mapping[str, Sequence[str]]

MAX_SEARCH = 100
MAX_PATHS = 20
MAX_PATH_HOPS = 8
MAX_EGO_HOPS = 4


def one(params: Params, name: str, default: str | None = None) -> str:
    """The single value of a parameter (or `default`; without one the parameter is needed)."""
    values = params.get(name, [])
    if len(values) > 1:
        raise BadInput(_("more than one value for '{name}'", name=name))
    if not values or not values[0].strip():
        if default is None:
            raise BadInput(_("missing parameter '{name}'", name=name))
        return default
    return values[0]


def whole(params: Params, name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter between `low` and `high`.

    >>> whole({"limit": ["7"]}, "limit", 5, 1, 20), whole({}, "limit", 5, 1, 20)
    (7, 5)
    """
    raw = one(params, name, str(default))
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise BadInput(
            _(
                "'{name}' must be a whole number from {low} to {high}, got '{value}'",
                name=name,
                low=low,
                high=high,
                value=raw,
            )
        )
    return value


def language(params: Params) -> str:
    lang = one(params, "lang", "en").lower()
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        raise BadInput(
            _("'lang' must be a language code such as en or es, got '{value}'", value=lang)
        )
    return lang


def flag(params: Params, name: str) -> bool:
    raw = one(params, name, "false").lower()
    if raw not in ("true", "false", "1", "0", "yes", "no", "on"):
        raise BadInput(_("'{name}' must be true or false, got '{value}'", name=name, value=raw))
    return raw in ("true", "1", "yes", "on")


def search_entities(store: Store, params: Params) -> list[dict[str, object]]:
    """`/api/search?q=…&limit=…`: as `hilos search --format json` (a hit found only by
    correcting a word typed says so: `fuzzy`, and the words it read for those typed)."""
    text = one(params, "q")
    limit = whole(params, "limit", 20, 1, MAX_SEARCH)
    return [hit.as_dict() for hit in search(store, text, limit=limit, lang=language(params))]


def entity_card(store: Store, params: Params) -> dict[str, object]:
    """`/api/entity?id=…`: as `hilos show --format json` (the id may be a name, as there),
    each tie with the user graph that holds it (`graph`; null for the report's claims, which
    cannot be changed)."""
    lang = language(params)
    found = card(store, resolve(store, one(params, "id"), lang=lang), lang=lang)
    data = found.as_dict()
    data["ties"] = [
        {**tie.as_dict(), "graph": user_graph_of(store, tie.id), "short_id": short(tie.id)}
        for tie in found.ties
    ]
    return data


def user_graph_of(store: Store, iri: str) -> str | None:
    """The graph of the user's that a claim was written in (by its IRI, which a user graph's
    namespace starts), or None for a claim of the graphs that ship with hilos."""
    if not iri.startswith(GRAPH_BASE):
        return None
    found = [
        info.name
        for info in store.graphs()
        if not info.bundled and iri.startswith(graph_namespace(info.name))
    ]
    return max(found, key=len) if found else None


def evidence_paths(store: Store, params: Params) -> dict[str, object]:
    """`/api/paths?from=…&to=…`: as `hilos paths A B --format json`, with `limit`, `max-hops`,
    `min-status` and `time-consistent` as the command's options."""
    lang = language(params)
    source = resolve(store, one(params, "from"), lang=lang)
    target = resolve(store, one(params, "to"), lang=lang)
    limit = whole(params, "limit", 5, 1, MAX_PATHS)
    max_hops = whole(params, "max-hops", 6, 1, MAX_PATH_HOPS)
    min_status = one(params, "min-status", "") or None
    if min_status is not None:
        vocabulary().status(min_status)  # an unknown status is a bad request
    # The command's own finder: the same paths and the same messages, and only the region
    # around the two ends is read from a large store.
    filters = Filters(min_status=min_status, directed=False)
    try:
        found = find_paths_in_store(
            store,
            filters,
            source,
            target,
            limit=limit,
            max_hops=max_hops,
            time_consistent=flag(params, "time-consistent"),
            lang=lang,
        )
    except NoPath as exc:
        # 404 with why: the reason as data and in the page's language
        raise Refused(exc, None, reason=exc.reason.as_dict(lang)) from None
    return {"paths": [path.as_dict() for path in found], "network": filters_assumptions(filters)}


OVERVIEW_TOP = 8
"""Brokers, imports and claims shown on the home page, at most."""
OVERVIEW_CHAINS = 200
"""Chains sent to the home page at most (it shows the strongest, the others on demand)."""
BROKER_SAMPLES = 100
"""Above this many actors, the home page's brokers are estimated from this many sources."""
_NEUTRAL: dict[tuple[int, str], dict[str, Any]] = {}
"""The overview's part that no language changes (counts, chains, brokers, imports), by store
and state: one entry, the current state's."""
_LABELLED: dict[tuple[int, str, str], dict[str, object]] = {}
"""The overview in each language asked for, for that same state."""
_OVERVIEW_LOCK = threading.Lock()


def overview(store: Store, params: Params) -> dict[str, object]:
    """`/api/overview`: what the home page shows of the graph — actors by sphere, claims by
    status, the collusion chains (as `hilos chains` finds them), the top brokers (as `hilos
    brokers`), the latest graphs loaded or imported and the latest claims of the user's own.
    The analyses run once per state of the store; each language then only names what they
    found (the labels of the entities, spheres, statuses and relations)."""
    lang = language(params)
    state = (id(store), store.state())
    with _OVERVIEW_LOCK:  # a second request waits for the first rather than redoing it
        if state not in _NEUTRAL:
            found = _overview_counts(store)
            _NEUTRAL.clear()  # one store, one state: the previous answers are stale
            _LABELLED.clear()
            _NEUTRAL[state] = found
        key = (*state, lang)
        if key not in _LABELLED:
            _LABELLED[key] = _overview_in(store, _NEUTRAL[state], lang)
        return _LABELLED[key]


def _overview_counts(store: Store) -> dict[str, Any]:
    """The overview's analyses, without names: what `overview` labels in each language."""
    network = project(store, Filters())
    graph = network.graph
    spheres: dict[str, int] = {}
    for _node, data in graph.nodes(data=True):
        sphere = data.get("sphere") or ""
        spheres[sphere] = spheres.get(sphere, 0) + 1
    every = project(store, Filters(every_claim=True)).graph
    statuses: dict[str, int] = {}
    for _source, _target, data in every.edges(data=True):
        status = data.get("status") or ""
        statuses[status] = statuses.get(status, 0) + 1
    chains, truncated = find_chains(store, network, limit=OVERVIEW_CHAINS)
    count = chain_count(network) or len(chains)
    analysed = network.analysis_graph()
    samples = BROKER_SAMPLES if analysed.number_of_nodes() > BROKER_SAMPLES else None
    top = brokers(analysed, OVERVIEW_TOP, samples=samples, seed=0)
    imports = sorted(
        (info for info in store.graphs() if not info.bundled),
        key=lambda info: info.loaded_at,
        reverse=True,
    )
    return {
        "actors": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "claims": every.number_of_edges(),
        "spheres": spheres,
        "statuses": statuses,
        "chains": {
            "count": count,
            "truncated": truncated,
            "top": [chain.as_dict() for chain in chains[:OVERVIEW_CHAINS]],
        },
        "brokers": {"sampled": top.sampled, "top": [b.as_dict() for b in top.brokers]},
        "imports": [
            {
                "name": info.name,
                "source": info.source.replace("\\", "/").rsplit("/", 1)[-1],
                "loaded_at": info.loaded_at,
                "statements": info.triples,
            }
            for info in imports[:OVERVIEW_TOP]
        ],
    }


def _overview_in(store: Store, neutral: dict[str, Any], lang: str) -> dict[str, object]:
    """The overview in a language: the analyses' entities by their names in it, and the
    sphere and status names of the ontology."""
    vocab = vocabulary()
    chains = neutral["chains"]
    ids = {n["id"] for chain in chains["top"] for n in chain["nodes"]}
    ids |= {b["id"] for b in neutral["brokers"]["top"]}
    names = {iri: describe(store, iri, lang=lang).label for iri in sorted(ids)}

    def named(item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "label": names[item["id"]]}

    spheres, statuses = neutral["spheres"], neutral["statuses"]
    try:  # the claims written with `hilos claim` (an imported graph's are its import's)
        claims = list_claims(store, graphs=[DEFAULT_GRAPH], lang=lang)[:OVERVIEW_TOP]
    except UnknownGraph:
        claims = []  # none written yet
    return {
        "actors": neutral["actors"],
        "ties": neutral["ties"],
        "claims": neutral["claims"],
        "spheres": [
            {"name": s.key, "label": s.label(lang), "count": spheres.get(s.key, 0)}
            for s in vocab.spheres
        ]
        + ([{"name": None, "label": None, "count": spheres[""]}] if spheres.get("") else []),
        "statuses": [
            {"name": s.key, "label": s.label(lang), "count": statuses.get(s.key, 0)}
            for s in (*reversed(vocab.statuses), *vocab.unranked)
            if statuses.get(s.key) or s.key != "retracted"
        ],
        "chains": {
            **chains,
            "top": [
                {**chain, "nodes": [named(n) for n in chain["nodes"]]} for chain in chains["top"]
            ],
        },
        "brokers": {
            "sampled": neutral["brokers"]["sampled"],
            "top": [named(b) for b in neutral["brokers"]["top"]],
        },
        "imports": neutral["imports"],
        "latest_claims": [view.as_dict() for view in claims],
    }


def words_of(params: Params, accept_language: str | None = None) -> dict[str, object]:
    """`/api/words?lang=`: the explorer's strings in a language (English text → translation;
    empty for English), and the language chosen: `lang` if given, else the browser's
    `Accept-Language`, else English."""
    asked = one(params, "lang", "") or None
    lang = choose(asked, accept_language=accept_language, environ={})
    return {"lang": lang, "words": catalogue(lang)}


def query_library() -> list[dict[str, object]]:
    """`/api/queries`: as `hilos queries --format json`."""
    return [query.as_dict() for query in library()]


def library_query_text(params: Params) -> str:
    """`/api/queries/text?name=`: a library query as the SPARQL editor opens it: its header as
    comments, then the PREFIX lines of the prefixes it uses (the endpoint would add them, the
    editor checks the text as it stands), then the query. Its parameters stay variables."""
    name = one(params, "name")
    query = next((q for q in library() if q.name == name), None)
    if query is None:
        raise UnknownQuery(f"no library query named '{name}'")
    used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):(?!//)", query.text))
    header = [f"# {query.title}"] if query.title else []
    header += [f"# {line}" for line in query.description.splitlines()]
    header += [f"# ?{p.name}: {p.description or p.type}" for p in query.parameters]
    prefixes = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name in used]
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    return "\n".join([*header, *prefixes, "", body.strip(), ""])


def library_query(store: Store, params: Params) -> tuple[QueryDef, dict[str, Any]]:
    """`/api/query?name=…&param.NAME=…`: the library query and its parameters bound as
    `hilos query NAME --param NAME=…` binds them. Only the library: never a file."""
    name = one(params, "name")
    query = next((q for q in library() if q.name == name), None)
    if query is None:
        names = ", ".join(q.name for q in library())
        raise UnknownQuery(f"no library query named '{name}' (library: {names})")
    values: dict[str, str] = {}
    for key in params:
        if key.startswith("param.") and (value := one(params, key, "")):
            values[key[len("param.") :]] = value  # an empty field is a parameter not given
    return query, bind_parameters(store, query, values)


def ego_page(store: Store, params: Params) -> bytes:
    """`/ego?id=…&hops=…`: the network page of `hilos export html --focus ID --hops N`."""
    lang = language(params)
    focus = resolve(store, one(params, "id"), lang=lang)
    hops = whole(params, "hops", 1, 1, MAX_EGO_HOPS)
    words = ["hilos", *(["--lang", lang] if lang != "en" else [])]
    words += ["export", "html", "ego.html", "--focus", command_name(store, focus, lang)]
    page = io.BytesIO()
    export_html(
        store,
        page,
        Filters(directed=False),
        focus=focus,
        hops=hops,
        size_by="degree",
        command=shlex.join([*words, "--hops", str(hops)]),
        lang=lang,
    )
    return page.getvalue()


def command_name(store: Store, iri: str, lang: str) -> str:
    """How a person names an entity on the command line: by its label, if the label finds it
    and no other; else by its prefixed name (`hid:…`), or its IRI."""
    label = describe(store, iri, lang=lang).label
    try:
        if label and resolve(store, label, lang=lang) == iri:
            return label
    except HilosError:
        pass  # a name shared with another entity: the id says which
    return compact(iri)


# -- your own claims: the words, the lists, and the writes of `hilos serve --allow-update` -----

# What the explorer's writing endpoints take: the fields of each, named as the command's options
# (its arguments by their names: from, relation, to, id, name, a, b). Every field is text; the
# repeatable ones (qualifier, alias, remove-alias) may come more than once.
WRITE_FIELDS: dict[str, tuple[str, ...]] = {
    "claim add": (
        "from", "relation", "to", "source", "quote", "locator", "status", "confidence",
        "start", "end", "qualifier", "graph", "create-from", "create-to", "quote-lang", "lang",
    ),
    "claim edit": (
        "id", "relation", "from", "to", "status", "source", "quote", "locator", "confidence",
        "start", "end", "qualifier", "reason", "lang",
    ),
    "claim retract": ("id", "reason", "lang"),
    "entity add": ("name", "type", "alias", "label-es", "sphere", "graph", "lang"),
    "entity edit": ("id", "name", "type", "alias", "remove-alias", "label-es", "sphere", "lang"),
    "entity merge": ("a", "b", "source", "quote", "status", "graph", "lang"),
    "undo": ("graph", "change", "lang"),
}  # fmt: skip
REPEATABLE = frozenset({"qualifier", "alias", "remove-alias"})
_OPTION = re.compile(r"--([a-z][a-z-]*)")


class Refused(Exception):
    """A core error about one field of a request: the answer names the field (and, for a name
    that matches several entities, the candidates) beside the one-line message."""

    def __init__(self, error: HilosError, field: str | None, **details: object) -> None:
        super().__init__(str(error))
        self.error = error
        self.details: dict[str, object] = {"field": field, **details} if field else details


class Conflict(HilosError):
    """The graph changed since the client looked: a request that assumed otherwise (409)."""


@contextmanager
def about(field: str | None, fields: Sequence[str] = ()) -> Iterator[None]:
    """Tag a core error raised inside with the field it concerns: `field`, or else the
    parameter the error is about (`max_hops` is the field `max-hops`), or else the first of
    `fields` its message names as the command line does (`--start expects …`)."""
    try:
        yield
    except Refused:
        raise
    except AmbiguousEntity as exc:
        candidates = [{"id": iri, "label": label} for iri, label in exc.candidates]
        raise Refused(exc, field, candidates=candidates) from None
    except HilosError as exc:
        about_parameter = [exc.parameter.replace("_", "-")] if exc.parameter else []
        named = field or next(
            (
                name
                for name in about_parameter + _OPTION.findall(str(exc)) + str(exc).split()[:1]
                if name in fields
            ),
            None,
        )
        raise Refused(exc, named) from None


def fields_of(params: Params, action: str) -> None:
    """Refuse a field the action does not take, or a second value of a field that takes one."""
    allowed = WRITE_FIELDS[action]
    for name, values in params.items():
        if name not in allowed:
            raise Refused(
                BadInput(f"unknown field '{name}' for {action} (fields: {', '.join(allowed)})"),
                name,
            )
        if len(values) > 1 and name not in REPEATABLE:
            raise Refused(BadInput(f"more than one value for '{name}'"), name)


def _text(params: Params, name: str) -> str | None:
    """A field's value as given (None when absent); a field sent empty is an empty string."""
    values = params.get(name)
    return values[0] if values else None


def _needed(params: Params, name: str, what: str) -> str:
    value = _text(params, name)
    if value is None or not value.strip():
        raise Refused(BadInput(f"missing field '{name}' ({what})"), name)
    return value


def _many(params: Params, name: str) -> list[str]:
    return [v for v in params.get(name, []) if v.strip()]


def _lang(params: Params) -> str:
    with about("lang"):
        return language(params)


def _end(store: Store, params: Params, name: str, create: str | None, lang: str) -> str | None:
    """The entity a claim's end names, or None for a new one `create` gives the type of."""
    ref = _text(params, name)
    if ref is None or not ref.strip():
        return None
    try:
        with about(name):
            return resolve(store, ref, lang=lang)
    except Refused as refused:
        if not isinstance(refused.error, UnknownEntity):
            raise
        if create:
            return None  # made by the command, with its type
    raise Refused(
        UnknownEntity(
            f"no entity matches '{ref}' for the {name} end: to create it, give its type in "
            f"the field 'create-{name}' (GET /api/types lists them)"
        ),
        name,
        create=f"create-{name}",
    )


def _check_terms(store: Store, params: Params) -> None:
    """The tie type, status, qualifiers and entity types named, each checked on its own."""
    terms = Terms.of(store)
    if relation := _text(params, "relation"):
        with about("relation"):
            terms.tie(relation)
    if status := _text(params, "status"):
        with about("status"):
            status_term(status)
    for qualifier in _many(params, "qualifier"):
        with about("qualifier"):
            qualifier_term(qualifier)
    for name in ("create-from", "create-to", "type"):
        if value := _text(params, name):
            with about(name):
                terms.entity_type(value)
    if (sphere := _text(params, "sphere")) and sphere not in vocabulary().sphere_keys:
        raise Refused(
            BadInput(f"unknown sphere '{sphere}' (one of: {', '.join(vocabulary().sphere_keys)})"),
            "sphere",
        )


def _graph(store: Store, params: Params) -> str:
    graph = (_text(params, "graph") or "").strip() or DEFAULT_GRAPH
    with about("graph"):
        check_writable(store, graph)
    return graph


def _claim_answer(view: ClaimView) -> dict[str, object]:
    claim = view.as_dict()
    change = claim.pop("change")
    return {"claim": claim, "change": change, "changed": [view.graph]}


def write_claim_add(store: Store, params: Params) -> dict[str, object]:
    """`POST /api/claim/add`: `hilos claim add FROM RELATION TO --source …`."""
    fields_of(params, "claim add")
    lang = _lang(params)
    for name, what in [
        ("from", "a name or id"),
        ("relation", "a tie type: GET /api/types"),
        ("to", "a name or id"),
        ("source", "who or what says it"),
    ]:
        _needed(params, name, what)
    graph = _graph(store, params)
    _check_terms(store, params)
    create_from = _text(params, "create-from") or None
    create_to = _text(params, "create-to") or None
    _end(store, params, "from", create_from, lang)
    _end(store, params, "to", create_to, lang)
    fields = WRITE_FIELDS["claim add"]
    with about(None, fields):
        view = add_claim(
            store,
            _needed(params, "from", ""),
            _needed(params, "relation", ""),
            _needed(params, "to", ""),
            source=_needed(params, "source", ""),
            quote=_text(params, "quote") or None,
            locator=_text(params, "locator") or None,
            status=_text(params, "status") or "reported",
            confidence=_text(params, "confidence") or None,
            start=_text(params, "start") or None,
            end=_text(params, "end") or None,
            qualifiers=_many(params, "qualifier"),
            graph=graph,
            create_from=create_from,
            create_to=create_to,
            quote_lang=_text(params, "quote-lang") or None,
            lang=lang,
        )
    return _claim_answer(view)


def _claim_ref(store: Store, params: Params, lang: str) -> str:
    """The IRI of the claim a request names, which must be one of the user's."""
    ref = _needed(params, "id", "the claim's id, such as mine/claim/1")
    with about("id"):
        iri = claim_history(store, ref, lang=lang)[0].id  # no such claim: NotFound
    if not list_claims(store, claims=[iri], lang=lang):  # the user's graphs only
        raise Refused(
            BadInput(
                f"{short(iri)} is a claim of a graph that ships with hilos, which is not yours "
                "to change: record a claim of your own (in the graph mine)"
            ),
            "id",
        )
    return iri


def write_claim_edit(store: Store, params: Params) -> dict[str, object]:
    """`POST /api/claim/edit`: `hilos claim edit ID --status … --reason …`; the fields sent
    change, the others stay; an empty `qualifier` clears the qualifiers."""
    fields_of(params, "claim edit")
    lang = _lang(params)
    iri = _claim_ref(store, params, lang)
    for name in ("relation", "from", "to", "status", "source", "confidence", "start", "end"):
        if name in params and not (_text(params, name) or "").strip():
            raise Refused(
                BadInput(
                    f"'{name}' is empty: an edit can change it, not remove it (an empty quote, "
                    "locator or qualifier removes those)"
                ),
                name,
            )
    if not set(params) - {"id", "reason", "lang"}:
        raise Refused(
            BadInput(f"nothing to change in {short(iri)}: give the fields to change"), None
        )
    _check_terms(store, params)
    _end(store, params, "from", None, lang)
    _end(store, params, "to", None, lang)
    qualifiers = _many(params, "qualifier") if "qualifier" in params else None
    with about(None, WRITE_FIELDS["claim edit"]):
        view = edit_claim(
            store,
            iri,
            relation=_text(params, "relation") or None,
            from_ref=_text(params, "from") or None,
            to_ref=_text(params, "to") or None,
            status=_text(params, "status") or None,
            source=_text(params, "source") or None,
            quote=_text(params, "quote"),
            locator=_text(params, "locator"),
            confidence=_text(params, "confidence") or None,
            start=_text(params, "start") or None,
            end=_text(params, "end") or None,
            qualifiers=qualifiers,
            reason=(_text(params, "reason") or "").strip() or None,
            lang=lang,
        )
    return _claim_answer(view)


def write_claim_retract(store: Store, params: Params) -> dict[str, object]:
    """`POST /api/claim/retract`: `hilos claim retract ID --reason …`."""
    fields_of(params, "claim retract")
    lang = _lang(params)
    iri = _claim_ref(store, params, lang)
    reason = _needed(params, "reason", "why you withdraw it")
    with about(None, WRITE_FIELDS["claim retract"]):
        view = retract_claim(store, iri, reason=reason, lang=lang)
    return _claim_answer(view)


def _entity_answer(view: EntityView) -> dict[str, object]:
    entity = view.as_dict()
    change = entity.pop("change")
    return {"entity": entity, "change": change, "changed": [view.graph]}


def write_entity_add(store: Store, params: Params) -> dict[str, object]:
    """`POST /api/entity/add`: `hilos entity add NAME --type TYPE [--alias …]`."""
    fields_of(params, "entity add")
    lang = _lang(params)
    name = _needed(params, "name", "what it is called")
    type_ = _needed(params, "type", "its type: GET /api/types")
    graph = _graph(store, params)
    _check_terms(store, params)
    with about("name"):
        view = add_entity(
            store,
            name,
            type=type_,
            aliases=_many(params, "alias"),
            label_es=_text(params, "label-es") or None,
            sphere=_text(params, "sphere") or None,
            graph=graph,
            lang=lang,
        )
    return _entity_answer(view)


def write_entity_edit(store: Store, params: Params) -> dict[str, object]:
    """`POST /api/entity/edit`: `hilos entity edit NAME --name … --alias …`."""
    fields_of(params, "entity edit")
    lang = _lang(params)
    ref = _needed(params, "id", "the entity's name or id")
    _check_terms(store, params)
    with about("id"):
        iri = resolve(store, ref, lang=lang)
    with about(None, WRITE_FIELDS["entity edit"]):
        view = edit_entity(
            store,
            iri,
            name=_text(params, "name") or None,
            type=_text(params, "type") or None,
            add_aliases=_many(params, "alias"),
            remove_aliases=_many(params, "remove-alias"),
            label_es=_text(params, "label-es") or None,
            sphere=_text(params, "sphere") or None,
            lang=lang,
        )
    return _entity_answer(view)


def write_entity_merge(store: Store, params: Params) -> dict[str, object]:
    """`POST /api/entity/merge`: `hilos entity merge A B --source …`, a sourced identity
    claim."""
    fields_of(params, "entity merge")
    lang = _lang(params)
    first = _needed(params, "a", "the name or id of one entity")
    second = _needed(params, "b", "the name or id of the other")
    source = _needed(params, "source", "who or what says they are one")
    graph = _graph(store, params)
    _check_terms(store, params)
    with about("a"):
        a = resolve(store, first, lang=lang)
    with about("b"):
        b = resolve(store, second, lang=lang)
    with about(None, WRITE_FIELDS["entity merge"]):
        view = merge_entities(
            store,
            a,
            b,
            source=source,
            quote=_text(params, "quote") or None,
            status=_text(params, "status") or "reported",
            graph=graph,
            lang=lang,
        )
    return _claim_answer(view)


def _next_undo(changes: Sequence[Change]) -> Change | None:
    """The change `undo` reverts next: the last that still holds."""
    left = live_changes(changes)
    return left[-1] if left else None


def _what(store: Store, iri: str | None, lang: str) -> str | None:
    """What a change concerns, in words: a claim as FROM → RELATION → TO, an entity by name."""
    if not iri:
        return None
    found = list_claims(store, claims=[iri], lang=lang)
    if found:
        view = found[0]
        return f"{view.from_label} → {view.relation_label} → {view.to_label}"
    label = describe(store, iri, lang=lang).label
    return label if label and label != iri else short(iri)


def _change_answer(store: Store, change: Change, lang: str) -> dict[str, object]:
    out = change.as_dict()
    out["short_changed"] = short(change.changed) if change.changed else None
    out["what"] = _what(store, change.changed, lang)
    return out


def journal_of(store: Store, params: Params) -> dict[str, object]:
    """`/api/journal?graph=`: the changes of a graph of the user's (default mine), newest
    first, and the one `/api/undo` would revert next (none: `next` is null)."""
    lang = language(params)
    graph = one(params, "graph", DEFAULT_GRAPH)
    try:
        changes = journal(store, graph)
    except UnknownGraph:
        changes = []  # nothing written yet
    following = _next_undo(changes)
    return {
        "graph": graph,
        "changes": [_change_answer(store, c, lang) for c in reversed(changes)],
        "next": _change_answer(store, following, lang) if following else None,
    }


def write_undo(store: Store, params: Params) -> dict[str, object]:
    """`POST /api/undo`: `hilos undo --graph G`. With `change`, the number of the change the
    client expects to revert: if another is next by now, nothing is done (409)."""
    fields_of(params, "undo")
    lang = _lang(params)
    graph = _graph(store, params)
    expected = (_text(params, "change") or "").strip()
    with about("graph"):
        following = _next_undo(journal(store, graph))
    if following is None:
        raise Refused(NotFound(f"nothing to undo in the graph {graph}"), "graph")
    if expected and expected != str(following.number):
        raise Conflict(
            f"the last change of {graph} is now change {following.number} ({following.action}), "
            f"not {expected}: look again before undoing"
        )
    what = _what(store, following.changed, lang)
    with about("graph"):
        change = undo(store, graph)
    undid = _change_answer(store, following, lang)
    undid["what"] = what  # as it was before the undo
    return {"change": _change_answer(store, change, lang), "undid": undid, "changed": [graph]}


WRITES: dict[str, Callable[[Store, Params], dict[str, object]]] = {
    "/api/claim/add": write_claim_add,
    "/api/claim/edit": write_claim_edit,
    "/api/claim/retract": write_claim_retract,
    "/api/entity/add": write_entity_add,
    "/api/entity/edit": write_entity_edit,
    "/api/entity/merge": write_entity_merge,
    "/api/undo": write_undo,
}
"""The writing endpoints (POST, with the bearer token, on a server that takes updates)."""


def claim_list(store: Store, params: Params) -> list[dict[str, object]]:
    """`/api/claims?graph=&entity=&status=`: as `hilos claim list --format json`."""
    lang = language(params)
    graphs = [g for g in params.get("graph", []) if g.strip()] or None
    entity = one(params, "entity", "") or None
    status = one(params, "status", "") or None
    found = list_claims(store, graphs=graphs, entity=entity, status=status, lang=lang)
    return [view.as_dict() for view in found]


def claim_versions(store: Store, params: Params) -> dict[str, object]:
    """`/api/claim/history?id=`: as `hilos claim history ID --format json`, the current
    version first, and the changes of the journal that concern the claim."""
    lang = language(params)
    ref = one(params, "id")
    versions = claim_history(store, ref, lang=lang)
    return {
        "id": versions[0].id,
        "short_id": short(versions[0].id),
        "versions": [v.as_dict() for v in versions],
        "changes": [c.as_dict() for c in claim_changes(store, ref)],
    }


def term_list(store: Store, params: Params) -> dict[str, object]:
    """`/api/types`: as `hilos types --format json`, by kind: tie types, entity types (actor
    and place), statuses, qualifiers and spheres, each with its English and Spanish label."""
    terms = Terms.of(store)
    vocab = vocabulary()

    def concept(c: Concept) -> dict[str, object]:
        return {"name": c.key, "id": c.iri, "label": c.label("en"), "label_es": c.label("es")}

    return {
        "ties": [t.as_dict() for t in sorted(terms.ties.values(), key=lambda t: t.label())],
        "types": [
            t.as_dict() for t in sorted(terms.types.values(), key=lambda t: (t.kind, t.label()))
        ],
        "statuses": [
            {**concept(s), "asserts": s.asserts, "weight": s.weight}
            for s in (*reversed(vocab.statuses), *vocab.unranked)
        ],
        "qualifiers": [concept(q) for q in vocab.qualifiers],
        "spheres": [concept(s) for s in vocab.spheres],
    }
