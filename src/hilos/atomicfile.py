"""Writing a file whole or not at all: the bytes go to a temporary file beside the target,
renamed into place only once complete, so a failure (a full disk, an error half-way, Ctrl-C)
leaves no half file for a reader to trust.

>>> import pathlib, tempfile
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_output(str(target)) as handle:
...     _ = handle.write(b"whole")
>>> target.read_bytes()
b'whole'
>>> target.unlink(); target.parent.rmdir()
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import BadInput


@contextmanager
def atomic_output(target: str) -> Iterator[IO[bytes]]:
    """Write to `target` (or standard output for `-`) so that a failure leaves no half file."""
    if target == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise BadInput(f"{target}: is a directory, give a file name")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
            "wb", dir=folder, prefix=f".{path.name}.", suffix=".part", delete=False
        )
    except OSError as exc:
        raise BadInput(f"{target}: cannot be written: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
        # A temporary file is private; the finished one gets the permissions the user's umask
        # gives any new file (mask read back at once: there is no other way to learn it).
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(handle.name, 0o666 & ~mask)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
