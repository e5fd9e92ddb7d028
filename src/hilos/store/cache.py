"""Derived data saved beside the store, one file per kind of data and store state.

What is slow to derive from a large store and read again by every command (the network's
projection, the search index) is saved as plain numpy arrays in `<store>/hilos-cache/`
(Oxigraph ignores a folder of its own there), keyed on `Store.state()`: any write to the store
changes the state, and a file of another state is never read. Files are written to a temporary
name and renamed into place, so a reader sees a whole file or none; a file that does not read
back (cut short, corrupt, of another format) is ignored and derived again. Arrays are read with
`allow_pickle=False`: a saved file is data, never code. A store held in memory keeps its saved
data in memory instead; a remote endpoint keeps none (other clients may write to it).

>>> from hilos.store import Store
>>> store = Store.in_memory()
>>> save(store, "example", "key", {"numbers": np.arange(3)})
>>> load(store, "example", "key")["numbers"].tolist()
[0, 1, 2]
>>> strings(pack_strings(["a", "b\\x00c", ""]))
['a', 'b\\x00c', '']
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading
import weakref
import zipfile
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from . import Store

FORMAT = 1
"""Raise when what is saved changes shape: every saved file is derived again."""
FOLDER = "hilos-cache"
DISABLE = "HILOS_NO_CACHE"
"""Set (to anything but empty) in the environment: nothing is saved or read."""

Arrays = dict[str, np.ndarray]
_MEMORY: weakref.WeakKeyDictionary[Store, dict[tuple[str, str], tuple[str, Arrays]]] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()


def enabled(store: Store) -> bool:
    """Whether derived data of this store is saved and read (never for a remote endpoint)."""
    return store.backend.saves_derived_data and not os.environ.get(DISABLE)


def token(store: Store) -> str:
    """The state saved data must have been derived from to be read (and the version of hilos
    that derived it)."""
    return f"{FORMAT}:{metadata.version('hilos')}:{store.state()}"


def folder(store: Store) -> Path | None:
    """Where a store on disk keeps its saved data (None for a store in memory)."""
    return None if store.path is None else store.path / FOLDER


def _state_folder(store: Store, state: str) -> Path | None:
    base = folder(store)
    return None if base is None else base / hashlib.sha256(state.encode()).hexdigest()[:24]


def _file_name(kind: str, key: str) -> str:
    return f"{kind}-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:24]}.npz"


def load(store: Store, kind: str, key: str) -> Arrays | None:
    """The arrays saved as `kind` for `key` in the store's present state, or None."""
    if not enabled(store):
        return None
    state = token(store)
    with _LOCK:
        held = _MEMORY.get(store, {}).get((kind, key))
    if held is not None and held[0] == state:
        return held[1]
    where = _state_folder(store, state)
    if where is None:
        return None
    arrays = _read(where / _file_name(kind, key), f"{state}\n{kind}\n{key}")
    if arrays is not None:
        _remember(store, kind, key, state, arrays)
    return arrays


def save(store: Store, kind: str, key: str, arrays: Mapping[str, np.ndarray]) -> None:
    """Save `arrays` as `kind` for `key` in the store's present state (and forget the files of
    earlier states). A store that cannot be written to keeps them in memory only."""
    if not enabled(store):
        return
    state = token(store)
    kept = dict(arrays)
    _remember(store, kind, key, state, kept)
    where = _state_folder(store, state)
    if where is None:
        return
    stamp = f"{state}\n{kind}\n{key}".encode()
    try:
        where.mkdir(parents=True, exist_ok=True)
        _forget_other_states(where)
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".writing-", suffix=".npz")
        try:
            os.chmod(temporary, _mode_of(store))
            with os.fdopen(handle, "wb") as out:
                payload: dict[str, Any] = {"__stamp__": np.frombuffer(stamp, dtype=np.uint8)}
                payload.update(kept)
                write: Any = np.savez  # (its typing takes every keyword for `allow_pickle`)
                write(out, **payload)
            os.replace(temporary, where / _file_name(kind, key))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return  # a read-only or full disk: derived again next time


def _mode_of(store: Store) -> int:
    """The permissions of the store's own files (whoever may read the store may read what was
    derived from it), or the owner's alone."""
    try:
        return (store.path / "CURRENT").stat().st_mode & 0o666 if store.path else 0o600
    except OSError:
        return 0o600


def _remember(store: Store, kind: str, key: str, state: str, arrays: Arrays) -> None:
    with _LOCK:
        _MEMORY.setdefault(store, {})[(kind, key)] = (state, arrays)


def _forget_other_states(where: Path) -> None:
    for other in where.parent.iterdir():
        if other != where and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def _read(path: Path, stamp: str) -> Arrays | None:
    """The arrays of a saved file if it is whole and of this stamp, else None."""
    try:
        with path.open("rb") as handle:
            saved = np.load(handle, allow_pickle=False)
            if not isinstance(saved, np.lib.npyio.NpzFile):
                return None
            with saved:
                if bytes(saved["__stamp__"]).decode("utf-8", "replace") != stamp:
                    return None
                return {name: saved[name] for name in saved.files if name != "__stamp__"}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


# ---------------------------------------------------------------------- strings as arrays


def pack_strings(values: Sequence[str]) -> np.ndarray:
    """Strings as one array of UTF-8 bytes (NUL between them), with their count and lengths
    in code points at the end: `strings` reads them back."""
    text = "\x00".join(values)
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
    tail = np.concatenate([lengths, np.array([len(values)], dtype=np.int64)])
    return np.concatenate([data, tail.view(np.uint8)])


def strings(packed: np.ndarray) -> list[str]:
    """The strings `pack_strings` packed."""
    count = int(packed[-8:].view(np.int64)[0])
    tail = 8 * (count + 1)
    lengths = packed[len(packed) - tail : len(packed) - 8].view(np.int64)
    text = packed[: len(packed) - tail].tobytes().decode("utf-8", "surrogatepass")
    if count == 0:
        return []
    values = text.split("\x00")
    if len(values) == count:
        return values
    # a string holds a NUL itself: cut by the lengths
    found: list[str] = []
    at = 0
    for length in lengths.tolist():
        found.append(text[at : at + length])
        at += length + 1
    return found


__all__ = ["enabled", "folder", "load", "pack_strings", "save", "strings", "token"]
