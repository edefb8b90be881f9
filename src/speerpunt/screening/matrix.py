"""The performance matrix of the SERV report (Table 3 of ``004``): two measures, each classed as strong,
average or weak against the average with a ±20 % band, give a 3 × 3 grid of sectors.

Notes
-----
With centre ``c`` and band ``b`` (0.2), a value ``v`` is *strong* when ``v > c + b·|c|``, *weak* when
``v < c − b·|c|`` and *average* otherwise ("Een sector wordt als sterk (zwak) geklasseerd als haar
performantie 20% hoger (lager) is dan gemiddeld"). The centre is the unweighted mean over the sectors
(``"mean"``, the SERV report), the reference's own value (``"reference"``: 1 for an LQ, the reference's
total growth for growth and CAGR) or a given number. ``|c|`` keeps the band meaningful for negative growth.

References
----------
SERV (2015), *Vlaamse industrie*, Table 3, after Baert & Reynaerts (2014), STORE-beleidsrapport B-13-020.

Example
-------
>>> df = pd.DataFrame({"sector": ["A", "B", "C"], "x": [1.5, 1.0, 0.5], "y": [0.1, 0.3, 0.2]})
>>> classify_band(df["x"], 1.0, 0.2).tolist()
['strong', 'average', 'weak']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.screening.metrics import SectorMetrics, reference_growth

CLASSES = ("strong", "average", "weak")


def classify_band(values: pd.Series, centre: float, band: float = 0.2) -> pd.Series:
    """``strong`` / ``average`` / ``weak`` (``''`` where the value is missing)."""
    v = values.to_numpy(dtype=float)
    hi, lo = centre + band * abs(centre), centre - band * abs(centre)
    out = np.where(v > hi, "strong", np.where(v < lo, "weak", "average"))
    return pd.Series(np.where(np.isnan(v), "", out), index=values.index, dtype=object)


def _centre(
    metrics: SectorMetrics, variable: str, measure: str, values: pd.Series, centre: str | float
) -> float:
    if not isinstance(centre, str):
        return float(centre)
    if centre == "mean":
        return float(values.mean())
    if centre != "reference":
        raise MeasureError(Text("sc_centre", centre=centre), column="centre")
    if measure == "lq":
        return 1.0
    if measure == "growth":
        return reference_growth(metrics, variable)
    if measure == "cagr":
        g = reference_growth(metrics, variable)
        return (1 + g) ** (1 / (metrics.year - metrics.start)) - 1
    raise MeasureError(Text("sc_no_reference_value", measure=measure), column="centre")


def performance_matrix(
    metrics: SectorMetrics,
    *,
    x: str = "lq",
    y: str = "growth",
    variable: str = "employment",
    y_variable: str | None = None,
    band: float = 0.2,
    centre: str | float = "mean",
) -> pd.DataFrame:
    """Class every sector on ``x`` and ``y`` (measures of :class:`SectorMetrics`) against their centres.

    Returns ``sector, x, y, x_value, y_value, x_centre, y_centre, x_class, y_class``; see
    :func:`matrix_grid` for the 3 × 3 layout.
    """
    y_variable = y_variable or variable
    xv = metrics.value(variable, x)
    yv = metrics.value(y_variable, y)
    cx = _centre(metrics, variable, x, xv, centre)
    cy = _centre(metrics, y_variable, y, yv, centre)
    return pd.DataFrame(
        {
            "sector": metrics.sectors,
            "x": f"{variable}.{x}",
            "y": f"{y_variable}.{y}",
            "x_value": xv.to_numpy(),
            "y_value": yv.to_numpy(),
            "x_centre": cx,
            "y_centre": cy,
            "x_class": classify_band(xv, cx, band).to_numpy(),
            "y_class": classify_band(yv, cy, band).to_numpy(),
        }
    )


def matrix_grid(matrix: pd.DataFrame) -> pd.DataFrame:
    """3 × 3 table: rows = ``y`` class (strong → weak), columns = ``x`` class, cells = sector lists."""
    grid = pd.DataFrame("", index=pd.Index(CLASSES, name="y_class"), columns=list(CLASSES))
    for (yc, xc), sub in matrix[matrix["x_class"] != ""].groupby(["y_class", "x_class"]):
        if yc:
            grid.loc[yc, xc] = ", ".join(sub["sector"])
    return grid
