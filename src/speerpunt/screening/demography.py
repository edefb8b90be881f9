"""Business demography: enterprise stock, start rate and stop rate by region × sector.

From counts of enterprises at the end of the year (``enterprises``) and of those started (``starts``) and
stopped (``stops``) during it, as in Statbel's VAT statistics (embedded dataset ``be-enterprises-2019``):

* start rate = starts / enterprises, stop rate = stops / enterprises, net entry rate = their difference
  (all per enterprise alive at the end of the year, Statbel's convention for its "oprichtingsgraad");
* ``start_rate_ratio`` = the region's start rate / the reference's start rate (above 1: more business
  creation than in the reference), likewise ``stop_rate_ratio``.

The rates are screening measures too (``measure: start_rate`` … on variable ``enterprises``; see
``demography.yaml`` beside this module). A zero stock gives a missing rate, never zero.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> rows = [(r, s, v, x) for r, s, vals in [("R", "F", (100, 12, 5)), ("R", "TOTAL", (1000, 100, 60)),
...         ("N", "F", (1000, 80, 50)), ("N", "TOTAL", (10000, 900, 600))]
...         for v, x in zip(["enterprises", "starts", "stops"], vals)]
>>> p = Panel(pd.DataFrame(rows, columns=["region", "sector", "variable", "value"]).assign(year=2019))
>>> d = business_demography(p, regions=["R"], reference="N", sectors=["F"], year=2019)
>>> d[["start_rate", "stop_rate", "start_rate_ratio"]].round(2).values.tolist()
[[0.12, 0.05, 1.5]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.panel import Panel

VARIABLES = ("enterprises", "starts", "stops")
DEMOGRAPHY_COLUMNS = [
    "region",
    "reference",
    "sector",
    "year",
    "enterprises",
    "starts",
    "stops",
    "start_rate",
    "stop_rate",
    "net_entry_rate",
    "reference_start_rate",
    "reference_stop_rate",
    "start_rate_ratio",
    "stop_rate_ratio",
    "note",
]
#: Screening measures this module adds (on variable ``enterprises``).
MEASURES = ("start_rate", "stop_rate", "net_entry_rate", "start_rate_ratio", "stop_rate_ratio")


def has_demography(panel: Panel) -> bool:
    """True when the panel holds enterprises, starts and stops."""
    return set(VARIABLES) <= set(panel.variables)


def _rates(counts: np.ndarray, stock: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = counts / stock
    return np.where(stock > 0, out, np.nan)


def business_demography(
    panel: Panel,
    *,
    regions: Sequence[str],
    sectors: Sequence[str] | str | None = None,
    reference: str = "country",
    year: int | None = None,
) -> pd.DataFrame:
    """Stock, starts, stops and rates of ``regions`` × ``sectors``, and the rates relative to ``reference``.

    Raises
    ------
    MeasureError
        The panel lacks enterprises, starts or stops, or a region/sector/year.
    """
    from speerpunt.measures.reference import reference_codes, resolve_sectors

    if not has_demography(panel):
        missing = [v for v in VARIABLES if v not in panel.variables]
        raise MeasureError(
            Text("sc_demography_needs", needs=", ".join(VARIABLES), missing=", ".join(missing)),
            column="variable",
        )
    year = int(year or max(panel.years))
    panel.require(variable="enterprises", years=[year], regions=list(regions))
    secs = resolve_sectors(panel, sectors)
    refs = reference_codes(panel, list(regions), reference)
    cells = {}
    for v in VARIABLES:
        wide = panel.wide(v, year).reindex(columns=secs)
        cells[v] = (
            wide.reindex(index=list(regions)).to_numpy(dtype=float),
            wide.reindex(index=refs).to_numpy(dtype=float),
        )
    stock, rstock = cells["enterprises"]
    start, rstart = _rates(cells["starts"][0], stock), _rates(cells["starts"][1], rstock)
    stop, rstop = _rates(cells["stops"][0], stock), _rates(cells["stops"][1], rstock)
    n = len(secs)
    note = np.where(
        np.isnan(start), "no enterprise in the region or a missing count: no rate", ""
    ).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        start_ratio = np.where(rstart > 0, start / rstart, np.nan)
        stop_ratio = np.where(rstop > 0, stop / rstop, np.nan)
    return pd.DataFrame(
        {
            "region": np.repeat(list(regions), n),
            "reference": np.repeat(refs, n),
            "sector": np.tile(secs, len(regions)),
            "year": year,
            "enterprises": stock.ravel(),
            "starts": cells["starts"][0].ravel(),
            "stops": cells["stops"][0].ravel(),
            "start_rate": start.ravel(),
            "stop_rate": stop.ravel(),
            "net_entry_rate": (start - stop).ravel(),
            "reference_start_rate": rstart.ravel(),
            "reference_stop_rate": rstop.ravel(),
            "start_rate_ratio": start_ratio.ravel(),
            "stop_rate_ratio": stop_ratio.ravel(),
            "note": note,
        },
        columns=DEMOGRAPHY_COLUMNS,
    )
