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
    "growth",
    "index_series",
    "indicators",
    "list_datasets",
    "load_dataset",
    "location_quotient",
    "locq",
    "lq_trend",
    "read_panel",
    "resolve_reference",
    "shift_share",
]
