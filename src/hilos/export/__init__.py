"""Exports for people: the interactive network page and the evidence dossier.

Both state the data snapshot they were drawn from with `snapshot_hash`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from pyoxigraph import RdfFormat, serialize

from ..store import Store


def snapshot_hash(store: Store, graphs: Sequence[str] | None = None) -> str:
    """The SHA-256 hex digest of the data: the N-Quads lines of the loaded graphs (or of
    `graphs`), statements as loaded (no derived ones), sorted, each ending in a newline.

    The same data gives the same hash whatever the order it was loaded in; loading, replacing
    or dropping a graph changes it.
    """
    data = serialize(store.quads(list(graphs) if graphs else None), format=RdfFormat.N_QUADS)
    lines = sorted(line for line in (data or b"").splitlines() if line)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line + b"\n")
    return digest.hexdigest()
