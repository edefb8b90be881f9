"""Measures, one module per family. The basic family is re-exported here."""

from speerpunt.measures.growth import growth, index_series, lq_trend, trend_symbol
from speerpunt.measures.indicators import indicators
from speerpunt.measures.location_quotient import location_quotient, locq
from speerpunt.measures.reference import resolve_reference, resolve_sectors
from speerpunt.measures.shift_share import shift_share

__all__ = [
    "growth",
    "index_series",
    "indicators",
    "locq",
    "location_quotient",
    "lq_trend",
    "resolve_reference",
    "resolve_sectors",
    "shift_share",
    "trend_symbol",
]
