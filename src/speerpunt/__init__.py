"""speerpunt: regional smart-specialisation analysis.

The public API, re-exported: ``import speerpunt as sp``.

>>> import speerpunt as sp
>>> panel = sp.read_panel("be-employment")
>>> lq = sp.location_quotient(panel, variable="employment", year=2018, reference="BE", regions=["BE21"])
>>> round(float(lq.set_index("sector").loc["B-E", "lq"]), 3)
1.175
"""

from speerpunt.errors import (
    ClassificationError,
    ConfigError,
    DataError,
    MeasureError,
    RegistryError,
    SpeerpuntError,
)
from speerpunt.io import read_panel
from speerpunt.io.datasets import list_datasets, load_dataset
from speerpunt.measures import (
    growth,
    index_series,
    indicators,
    location_quotient,
    locq,
    lq_trend,
    resolve_reference,
    shift_share,
)
from speerpunt.measures.complexity import complexity, diversification
from speerpunt.measures.relatedness import density, entry_exit, proximity, rca
from speerpunt.measures.similarity import benchmark_table, similar_regions
from speerpunt.panel import ClassificationBreak, Panel, PanelMeta

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
