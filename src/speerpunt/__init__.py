"""speerpunt: regional smart-specialisation analysis.

The public API, re-exported: ``import speerpunt as sp``.

>>> import speerpunt as sp
>>> panel = sp.read_panel("be-employment")
>>> lq = sp.location_quotient(panel, variable="employment", year=2018, reference="BE", regions=["BE21"])
>>> round(float(lq.set_index("sector").loc["B-E", "lq"]), 3)
1.175
"""

from speerpunt.errors import (  # noqa: F401 (re-exported)
    ClassificationError,
    ConfigError,
    DataError,
    MeasureError,
    RegistryError,
    SpeerpuntError,
)

# The rest is imported on first use (PEP 562), so that ``speerpunt --help`` does not load pandas.
_LAZY = {
    "read_panel": "speerpunt.io",
    "list_datasets": "speerpunt.io.datasets",
    "load_dataset": "speerpunt.io.datasets",
    **dict.fromkeys(
        [
            "growth",
            "index_series",
            "indicators",
            "location_quotient",
            "locq",
            "lq_trend",
            "resolve_reference",
            "shift_share",
        ],
        "speerpunt.measures",
    ),
    "complexity": "speerpunt.measures.complexity",
    "diversification": "speerpunt.measures.complexity",
    **dict.fromkeys(
        ["density", "entry_exit", "proximity", "rca"], "speerpunt.measures.relatedness"
    ),
    "benchmark_table": "speerpunt.measures.similarity",
    "similar_regions": "speerpunt.measures.similarity",
    **dict.fromkeys(["ClassificationBreak", "Panel", "PanelMeta"], "speerpunt.panel"),
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'speerpunt' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "ClassificationBreak",
    "ClassificationError",
    "ConfigError",
    "DataError",
    "MeasureError",
    "Panel",
    "PanelMeta",
    "RegistryError",
    "SpeerpuntError",
    "benchmark_table",
    "complexity",
    "density",
    "diversification",
    "entry_exit",
    "growth",
    "index_series",
    "indicators",
    "list_datasets",
    "load_dataset",
    "location_quotient",
    "locq",
    "lq_trend",
    "proximity",
    "rca",
    "read_panel",
    "resolve_reference",
    "shift_share",
    "similar_regions",
]
