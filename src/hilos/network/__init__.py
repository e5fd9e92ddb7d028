"""Network analysis on the projection of the RDF graph: paths, chains, centrality, brokers,
communities, disruption and hotspots, each result traceable to the evidence of its ties."""

from __future__ import annotations

from .projection import Filters, Projection, evidence_score, project

__all__ = ["Filters", "Projection", "evidence_score", "project"]
