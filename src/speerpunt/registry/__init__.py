"""Policy registry: actors, their spearhead choices, map features and strategy assessments,
curated from the documents and linked to the statistics (see docs/registry.md).

>>> from speerpunt.registry import Registry
>>> reg = Registry("sqlite://", create=True)
>>> "logistics" in set(reg.selections(actor="RESOC Turnhout")["sector"])
True
"""

from speerpunt.registry.analyses import (
    STUDY_OVERVIEW,
    actor_sector_matrix,
    coherence,
    generation_changes,
    jaccard_overlap,
    overview_sectors,
    province_counts,
    sector_counts,
    study_selections,
)
from speerpunt.registry.curated import ambiguities, legend, normalise_sector, resolve_actor
from speerpunt.registry.doubt import doubtful_pairs, feature_doubt
from speerpunt.registry.store import Registry, default_url, init_db

__all__ = [
    "STUDY_OVERVIEW",
    "Registry",
    "actor_sector_matrix",
    "ambiguities",
    "coherence",
    "default_url",
    "doubtful_pairs",
    "feature_doubt",
    "generation_changes",
    "init_db",
    "jaccard_overlap",
    "legend",
    "normalise_sector",
    "overview_sectors",
    "province_counts",
    "resolve_actor",
    "sector_counts",
    "study_selections",
]
