"""The explorer page `hilos serve` shows at `/`: one HTML page, one script and one style sheet,
shipped in this folder (after the helpers and styles it shares with the network page,
`hilos/webshared/common.*`) and served by hilos itself (nothing comes from anywhere else), backed by
the JSON endpoints of `api.py`. Its words are English in the script (`t("English text")`) and
Spanish in the catalogue `hilos/locale/es/explorer.json`, which the page reads from
`/api/words`; the browser's `Accept-Language` chooses the language at the first visit.

The script puts every string it receives into the page with `textContent` and DOM calls, never
as HTML, and the server sends a Content-Security-Policy that allows only its own scripts (and
its own style sheets, plus the style attributes the SPARQL editor sets as it draws), so a label
such as `<img src=x onerror=…>` stays text.
"""

from __future__ import annotations

from importlib.resources import files

ASSETS = {
    "common.js": "text/javascript; charset=utf-8",
    "common.css": "text/css; charset=utf-8",
    "explorer.js": "text/javascript; charset=utf-8",
    "explorer.css": "text/css; charset=utf-8",
    "vendor/yasgui/yasgui.min.js": "text/javascript; charset=utf-8",
    "vendor/yasgui/yasgui.min.css": "text/css; charset=utf-8",
}
"""The files served under `/assets/`, with their media types: these and no others. The SPARQL
editor is YASGUI, vendored in `vendor/yasgui/` (its README names the version and licence);
`common.*` are the helpers and styles the network page of `hilos export html` shares, kept in
`hilos/webshared/`."""

_SHARED = ("common.js", "common.css")

POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # YASGUI (CodeMirror, its tables) sets style attributes as it draws: styles may be
        # inline, scripts never
        "style-src 'self' 'unsafe-inline'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "frame-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""The Content-Security-Policy of the explorer page."""


def page() -> bytes:
    """The explorer's HTML page."""
    return files(__package__).joinpath("index.html").read_bytes()


def asset(name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a file under `/assets/`, or None if there is no such file."""
    if name not in ASSETS:
        return None
    folder = files("hilos").joinpath("webshared") if name in _SHARED else files(__package__)
    return folder.joinpath(*name.split("/")).read_bytes(), ASSETS[name]
