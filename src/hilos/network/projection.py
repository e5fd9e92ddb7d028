"""The RDF graph projected onto a network: one edge per claim, keyed by the claim's IRI.

The public face of the projection: `project` (which reads the saved projection where the store
keeps one, `hilos.network.saved`, and the store itself otherwise) and everything callers use
with it — the filters, the projection, the descriptions of nodes — defined in
`hilos.network.projecting`. This module sits above both, so neither imports the other in a
loop.
"""

from __future__ import annotations

from .projecting import (
    IDENTITY,
    INCLUDABLE,
    Extra,
    Filters,
    Projection,
    TieFilter,
    TieRecord,
    Values,
    apply_identities,
    date_before_or_on,
    describe_each,
    describe_nodes,
    descriptions,
    evidence_score,
    filters_assumptions,
    filters_in_words,
    finish_projection,
    in_network,
    keep_network_nodes,
    network_assumptions,
    overlaps_years,
    parse_between,
    project_from_scratch,
    require_nodes,
    valid_at,
)
from .saved import project

__all__ = [
    "IDENTITY",
    "INCLUDABLE",
    "Extra",
    "Filters",
    "Projection",
    "TieFilter",
    "TieRecord",
    "Values",
    "apply_identities",
    "date_before_or_on",
    "describe_each",
    "describe_nodes",
    "descriptions",
    "evidence_score",
    "filters_assumptions",
    "filters_in_words",
    "finish_projection",
    "in_network",
    "keep_network_nodes",
    "network_assumptions",
    "overlaps_years",
    "parse_between",
    "project",
    "project_from_scratch",
    "require_nodes",
    "valid_at",
]
