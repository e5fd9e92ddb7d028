"""Who is serving a store: `hilos serve` leaves a note beside the store while it runs, so that
other hilos processes, which cannot open a store a server holds, can read through the server's
SPARQL endpoint instead, or say which server holds it.

The note is `<store>.serving.json` (beside the store's folder, never inside the database):
the server's process id, its URLs and whether it takes updates. A note whose process is gone
(a server killed without cleaning up) is ignored.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> with announced(folder, "http://127.0.0.1:7878", allow_update=False):
...     holder(folder)["url"]
'http://127.0.0.1:7878'
>>> holder(folder) is None
True
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def note_path(store: Path) -> Path:
    """Where a server of `store` leaves its note."""
    return store.with_name(store.name + ".serving.json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def holder(store: Path) -> dict[str, Any] | None:
    """The server that holds `store`, as its note says, if it still runs."""
    path = note_path(store)
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(note, dict) or not isinstance(note.get("pid"), int):
        return None
    return note if _alive(note["pid"]) else None


@contextlib.contextmanager
def announced(store: Path, url: str, *, allow_update: bool) -> Iterator[None]:
    """Leave the note while a server runs, and take it away when it stops."""
    path = note_path(store)
    note = {
        "pid": os.getpid(),
        "url": url,
        "sparql": url.rstrip("/") + "/sparql",
        "allow_update": allow_update,
    }
    try:
        # written whole, then put in place: a reader never sees half a note
        partial = path.with_name(path.name + ".part")
        partial.write_text(json.dumps(note), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        path = Path()  # a folder we cannot write: serve anyway, unannounced
    try:
        yield
    finally:
        if path != Path():
            with contextlib.suppress(OSError):
                path.unlink()


__all__ = ["announced", "holder", "note_path"]
