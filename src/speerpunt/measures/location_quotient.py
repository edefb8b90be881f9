"""Shares and location quotients (specialisation coefficients).

Notes
-----
Share of sector *i* in region *r*: ``s_ri = x_ri / x_r``. Location quotient against reference *R*:

    LQ_ri = (x_ri / x_r) / (x_Ri / x_R)

LQ > 1 means the region is more specialised in *i* than its reference. Totals ``x_r`` and ``x_R`` are the
data's ``TOTAL`` where present, else the sum over the sectors used. With ``reference="rest:R"`` the reference is
``R`` without the region (``x_Ri − x_ri``, ``x_R − x_r``).

References
----------
Isard, W. (1960). *Methods of Regional Analysis*. MIT Press. — Wieland, T. (2019). REAT: Regional Economic
Analysis Toolbox, ``locq()``.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": ["R", "R", "N", "N"], "sector": ["A", "B"] * 2, "year": 2000,
...                    "variable": "employment", "value": [30.0, 70.0, 100.0, 900.0]})
>>> lq = location_quotient(Panel(df), variable="employment", year=2000, reference="N", regions=["R"])
>>> lq.set_index("sector")["lq"].round(4).to_dict()
{'A': 3.0, 'B': 0.7778}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.measures._notes import flag_code_text, grid_label_column, note_column
from speerpunt.measures.reference import (
    comparison_block,
    reference_codes,
    resolve_regions,
    resolve_sectors,
    split_reference,
)
from speerpunt.panel import Panel

LQ_COLUMNS = [
    "region",
    "reference",
    "sector",
    "year",
    "variable",
    "value",
    "total",
    "share",
    "reference_value",
    "reference_total",
    "reference_share",
    "lq",
    "note",
]


def locq(e_ij: float, e_j: float, e_i: float, e: float) -> float:
    """Location quotient of four numbers, in REAT's argument order.

    ``e_ij``: region's sector, ``e_j``: region's total, ``e_i``: reference's sector, ``e``: reference's total.

    >>> round(locq(1714, 79006, 879213, 15593224), 7)
    0.3847623
    """
    return (e_ij / e_j) / (e_i / e)


def location_quotient(
    panel: Panel,
    *,
    variable: str,
    year: int | Sequence[int],
    reference: str = "country",
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Shares and location quotients of every (region, sector) for one year or several.

    Parameters
    ----------
    panel : Panel
    variable : str
        E.g. ``"employment"``.
    year : int or list of int
        Several years are computed in one pass over the panel's dense core; rows come year by year.
    reference : str
        ``"country"`` (default), a region code, or ``"rest:CODE"``.
    regions : list of str, optional
        Default: every region of the variable.
    sectors : scheme name, list of codes or ``"all"``, optional
        Default: the finest known partition present in the data.

    Returns
    -------
    DataFrame
        One row per (year,) region × sector with ``value, total, share, reference_value, reference_total,
        reference_share, lq`` and a ``note`` explaining any missing result.
    """
    years = [int(year)] if np.ndim(year) == 0 else [int(y) for y in year]
    panel.require(variable=variable, years=years)
    _, rest = split_reference(reference)
    regs = resolve_regions(panel, regions, variable)
    secs = resolve_sectors(panel, sectors)
    refs = reference_codes(panel, regs, reference)
    c = comparison_block(panel, variable, years, regs, refs, secs, rest)
    x, rx = c.x, c.rx
    xt, rt = c.xt[:, :, None], c.rt[:, :, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = x / xt
        rshare = rx / rt
        lq = share / rshare
    lq[~np.isfinite(lq)] = np.nan
    shape = x.shape
    flagged = (c.vocab != "")[c.flags]
    note = note_column(
        shape,
        (np.isnan(x), flag_code_text(c.flags, c.vocab, "region value missing: ")),
        (
            np.isnan(rx) & ~np.isnan(x),
            flag_code_text(c.ref_flags, c.vocab, "reference value missing: "),
        ),
        (np.isnan(xt), "region total missing"),
        (np.isnan(rt), "reference total missing"),
        (rx == 0, "reference has zero in this sector: LQ undefined"),
        (~np.isnan(x) & flagged, flag_code_text(c.flags, c.vocab, "value ")),
    )
    n_year, n_reg, n_sec = shape
    ref_label = [f"rest:{r}" if rest else r for r in refs]
    # Label columns: one year's block gathered once, repeated per year as shared Arrow chunks.
    return pd.DataFrame(
        {
            "region": grid_label_column(regs, repeat=n_sec, blocks=n_year),
            "reference": grid_label_column(ref_label, repeat=n_sec, blocks=n_year),
            "sector": grid_label_column(secs, tile=n_reg, blocks=n_year),
            "year": np.repeat(np.asarray(years, dtype=np.int64), n_reg * n_sec),
            "variable": grid_label_column([variable], repeat=n_reg * n_sec, blocks=n_year),
            "value": x.ravel(),
            "total": np.repeat(c.xt.ravel(), n_sec),
            "share": share.ravel(),
            "reference_value": rx.ravel(),
            "reference_total": np.repeat(c.rt.ravel(), n_sec),
            "reference_share": rshare.ravel(),
            "lq": lq.ravel(),
            "note": note,
        },
        columns=LQ_COLUMNS,
        copy=False,
    )
