"""Firm-level data: firm records → panels, SME structure and dynamics, instrument reach.

Expressions are written once in Ibis and run on DuckDB (default) or Apache Spark (see
:mod:`speerpunt.firms.engine`).

>>> import pandas as pd
>>> df = pd.DataFrame({"firm_id": [1, 2, 3], "year": 2020, "region": ["11002"] * 3,
...                    "nace": ["20140"] * 3, "employees": [4, 5, 6]})
>>> firm_panel(load_records(df), territory="province").data["value"].tolist()
[15.0, 3.0]
"""

from speerpunt.firms.concentration import concentration, productivity
from speerpunt.firms.demography import demography, survival
from speerpunt.firms.effectiveness import effectiveness
from speerpunt.firms.engine import EngineError, connect
from speerpunt.firms.expressions import SIZE_BOUNDS, Confidentiality
from speerpunt.firms.panels import firm_cells, firm_panel
from speerpunt.firms.profile import sector_profile
from speerpunt.firms.reach import load_support, reach
from speerpunt.firms.records import FirmRecords, load_records
from speerpunt.firms.sizeclass import size_class_table, sme_share
from speerpunt.firms.statbel import statbel_demography
from speerpunt.firms.synthetic import synthetic_register, write_register
from speerpunt.firms.territory import resoc_areas
from speerpunt.firms.transitions import transition_matrix, transition_summary

__all__ = [
    "SIZE_BOUNDS",
    "Confidentiality",
    "EngineError",
    "FirmRecords",
    "concentration",
    "connect",
    "demography",
    "effectiveness",
    "firm_cells",
    "firm_panel",
    "load_records",
    "load_support",
    "productivity",
    "reach",
    "resoc_areas",
    "sector_profile",
    "size_class_table",
    "sme_share",
    "statbel_demography",
    "survival",
    "synthetic_register",
    "transition_matrix",
    "transition_summary",
    "write_register",
]
