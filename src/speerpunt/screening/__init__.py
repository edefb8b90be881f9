"""Spearhead screening: criteria in YAML, a combination rule, composite score, overrides and sensitivity.

>>> from speerpunt.screening import load_config
>>> load_config().criterion("specialised").measure
'lq'
"""

from speerpunt.screening.config import (
    Criterion,
    Override,
    ScreeningConfig,
    Threshold,
    load_config,
    parse_config,
)
from speerpunt.screening.engine import (
    ADDED,
    CANDIDATE,
    REJECTED,
    REMOVED,
    UNDECIDED,
    ScreeningResult,
    screen,
)
from speerpunt.screening.engine import SELECTED as SELECTED_STATUSES
from speerpunt.screening.expr import Rule, parse_rule
from speerpunt.screening.matrix import classify_band, matrix_grid, performance_matrix
from speerpunt.screening.metrics import SectorMetrics, reference_growth, sector_metrics
from speerpunt.screening.sensitivity import (
    Sensitivity,
    default_references,
    reference_sensitivity,
    threshold_sensitivity,
)

__all__ = [
    "ADDED",
    "CANDIDATE",
    "REJECTED",
    "UNDECIDED",
    "REMOVED",
    "SELECTED_STATUSES",
    "Criterion",
    "Override",
    "Rule",
    "ScreeningConfig",
    "ScreeningResult",
    "SectorMetrics",
    "Sensitivity",
    "Threshold",
    "classify_band",
    "default_references",
    "load_config",
    "matrix_grid",
    "parse_config",
    "parse_rule",
    "performance_matrix",
    "reference_growth",
    "reference_sensitivity",
    "screen",
    "sector_metrics",
    "threshold_sensitivity",
]
