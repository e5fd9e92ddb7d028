"""What the explorer's JSON endpoints answer, built from the functions the commands use.

Each function takes the store and the request's parameters (name → values, as
`urllib.parse.parse_qs` gives them) and returns what the endpoint sends: data for JSON, or the
bytes of a page. Bad parameters are `BadInput`; an unknown entity is `UnknownEntity`, with the
messages the command line gives.
"""

from __future__ import annotations

import io
import re
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from ..entities import resolve, show
from ..errors import BadInput, UnknownQuery
from ..export.html import export_html
from ..network.paths import find_paths_in_store
from ..network.projection import Filters, filters_assumptions
from ..queries import QueryDef, bind_parameters, library
from ..search import search
from ..store import Store
from ..vocab import vocabulary

Params = Mapping[str, Sequence[str]]

MAX_SEARCH = 100
MAX_PATHS = 20
MAX_PATH_HOPS = 8
MAX_EGO_HOPS = 4


def one(params: Params, name: str, default: str | None = None) -> str:
    """The single value of a parameter (or `default`; without one the parameter is needed)."""
    values = params.get(name, [])
    if len(values) > 1:
        raise BadInput(f"more than one value for '{name}'")
    if not values or not values[0].strip():
        if default is None:
            raise BadInput(f"missing parameter '{name}'")
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
        raise BadInput(f"'{name}' must be a whole number from {low} to {high}, got '{raw}'")
    return value


def language(params: Params) -> str:
    lang = one(params, "lang", "en").lower()
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        raise BadInput(f"'lang' must be a language code such as en or es, got '{lang}'")
    return lang


def flag(params: Params, name: str) -> bool:
    raw = one(params, name, "false").lower()
    if raw not in ("true", "false", "1", "0", "yes", "no", "on"):
        raise BadInput(f"'{name}' must be true or false, got '{raw}'")
    return raw in ("true", "1", "yes", "on")


def search_entities(store: Store, params: Params) -> list[dict[str, object]]:
    """`/api/search?q=…&limit=…`: as `hilos search --format json`."""
    text = one(params, "q")
    limit = whole(params, "limit", 20, 1, MAX_SEARCH)
    return [hit.as_dict() for hit in search(store, text, limit=limit, lang=language(params))]


def entity_card(store: Store, params: Params) -> dict[str, object]:
    """`/api/entity?id=…`: as `hilos show --format json` (the id may be a name, as there)."""
    lang = language(params)
    return show(store, resolve(store, one(params, "id"), lang=lang), lang=lang).as_dict()


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
    return {"paths": [path.as_dict() for path in found], "network": filters_assumptions(filters)}


def query_library() -> list[dict[str, object]]:
    """`/api/queries`: as `hilos queries --format json`."""
    return [query.as_dict() for query in library()]


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
    ref = one(params, "id")
    hops = whole(params, "hops", 1, 1, MAX_EGO_HOPS)
    page = io.BytesIO()
    export_html(
        store,
        page,
        Filters(directed=False),
        focus=ref,
        hops=hops,
        size_by="degree",
        command=f"hilos export html ego.html --focus {shlex.quote(ref)} --hops {hops}",
        lang=language(params),
    )
    return page.getvalue()
