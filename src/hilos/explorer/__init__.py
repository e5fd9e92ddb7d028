"""The explorer page `hilos serve` shows at `/`: one HTML page, one script and one style sheet,
shipped in this folder and served by hilos itself (nothing comes from anywhere else), backed by
the JSON endpoints of `api.py`.

The script puts every string it receives into the page with `textContent` and DOM calls, never
as HTML, and the server sends a Content-Security-Policy that allows only its own script and
style sheet, so a label such as `<img src=x onerror=…>` stays text.
"""

from __future__ import annotations

from importlib.resources import files

ASSETS = {
    "explorer.js": "text/javascript; charset=utf-8",
    "explorer.css": "text/css; charset=utf-8",
}
"""The files served under `/assets/`, with their media types: these and no others."""

POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
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
    return files(__package__).joinpath(name).read_bytes(), ASSETS[name]
