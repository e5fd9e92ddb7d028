"""Exports for people: the interactive network page and the evidence dossier.

Both state the data snapshot they were drawn from with `snapshot_hash`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from pyoxigraph import BlankNode, CanonicalizationAlgorithm, Dataset, Quad, RdfFormat, serialize

from ..store import Store, cache


def snapshot_hash(store: Store, graphs: Sequence[str] | None = None) -> str:
    """The SHA-256 hex digest of the data: the N-Quads lines of the loaded graphs (or of
    `graphs`), statements as loaded (no derived ones), blank nodes labelled by RDF Dataset
    Canonicalization (RDFC-1.0), sorted, each ending in a newline.

    The same data gives the same hash in any store, whatever the order it was loaded in and
    however the store labelled its blank nodes; loading, replacing or dropping a graph changes
    it. A reader recomputes it from `hilos export nquads` (or the files themselves, in their
    graphs) with any RDFC-1.0 implementation: canonicalise, sort the lines, hash.

    Reading every statement takes seconds on a large store, so the digest is saved beside the
    store (`hilos.store.cache`, keyed on its state: any write computes it again).
    """
    key = "\n".join(sorted(set(graphs))) if graphs else ""
    saved = cache.load(store, "snapshot", key)
    if saved is not None:
        return cache.strings(saved["digest"])[0]
    plain: list[bytes] = []
    blank: list[Quad] = []
    for quad in store.quads(list(graphs) if graphs else None):
        if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
            blank.append(quad)
        else:
            plain.append(_line(quad))
    if blank:
        # RDFC-1.0 labels a blank node from the quads that mention blank nodes only, so those
        # quads canonicalised alone get the labels the whole dataset would give them.
        dataset = Dataset(blank)
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        plain.extend(_line(quad) for quad in dataset)
    digest = hashlib.sha256()
    for line in sorted(plain):
        digest.update(line + b"\n")
    found = digest.hexdigest()
    cache.save(store, "snapshot", key, {"digest": cache.pack_strings([found])})
    return found


def snapshot_scope(store: Store, graphs: Sequence[str] | None) -> str:
    """The scope of `snapshot_hash(store, graphs)` in words, for pages and dossiers alike."""
    count = len(graphs) if graphs else len(store.graphs())
    which = ", ".join(graphs) if graphs else "all"
    return (
        f"SHA-256 of the sorted N-Quads lines of {which} {count} loaded graph"
        f"{'s' if count != 1 else ''} (statements as loaded, without derived ones; blank nodes "
        "labelled by RDF Dataset Canonicalization, RDFC-1.0)"
    )


def _line(quad: Quad) -> bytes:
    data = serialize([quad], format=RdfFormat.N_QUADS) or b""
    return data.rstrip(b"\n")
