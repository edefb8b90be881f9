"""The full indicator table of a region: level, share, growth, CAGR, LQ at both years, LQ trend, shift-share.

It joins :func:`~speerpunt.measures.location_quotient.location_quotient`,
:func:`~speerpunt.measures.growth.growth`, :func:`~speerpunt.measures.growth.lq_trend` and
:func:`~speerpunt.measures.shift_share.shift_share` on ``(region, sector)``; see those for the formulas.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> rows = [(r, s, y, "employment", v) for r, s, y, v in [
...     ("N", "A", 2000, 100.0), ("N", "B", 2000, 300.0), ("N", "A", 2010, 120.0), ("N", "B", 2010, 300.0),
...     ("R", "A", 2000, 50.0), ("R", "B", 2000, 50.0), ("R", "A", 2010, 55.0), ("R", "B", 2010, 60.0)]]
>>> p = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
>>> t = indicators(p, variable="employment", start=2000, end=2010, reference="N", regions=["R"])
>>> t.set_index("sector").loc["A", ["lq_start", "growth"]].round(3).tolist()
[2.0, 0.1]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.measures._notes import join_notes
from speerpunt.measures.growth import _check_period, break_note, growth, trend_between
from speerpunt.measures.location_quotient import location_quotient
from speerpunt.measures.shift_share import PARTS, SS_COLUMNS, shift_share
from speerpunt.panel import Panel

INDICATOR_COLUMNS = [
    "region",
    "reference",
    "sector",
    "variable",
    "start",
    "end",
    "value_start",
    "value_end",
    "share_start",
    "share_end",
    "growth",
    "cagr",
    "lq_start",
    "lq_end",
    "lq_change",
    "lq_trend",
    "actual_change",
    *PARTS,
    "note",
]


def indicators(
    panel: Panel,
    *,
    variable: str,
    start: int,
    end: int,
    reference: str = "country",
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
    tolerance: float = 0.05,
) -> pd.DataFrame:
    """One row per region × sector (and ``TOTAL``) with every core indicator for the period."""
    kw = dict(variable=variable, reference=reference, regions=regions, sectors=sectors)
    lq0 = location_quotient(panel, year=start, **kw)
    lq1 = location_quotient(panel, year=end, **kw)
    _check_period(start, end)
    # The trend reuses the two LQ tables instead of computing them again.
    blocked = break_note(panel, start, end, variable)
    trend = trend_between(lq0, lq1, blocked=blocked, tolerance=tolerance)
    ss = shift_share(panel, start=start, end=end, **kw)
    gr = growth(panel, variable=variable, start=start, end=end, regions=regions, sectors=sectors)
    key = ["region", "sector"]
    out = ss[[c for c in SS_COLUMNS if c in INDICATOR_COLUMNS and c != "note"]].copy()
    out = out.merge(gr[[*key, "growth", "cagr"]], on=key, how="left")
    shares = (
        lq0[[*key, "share"]]
        .rename(columns={"share": "share_start"})
        .merge(lq1[[*key, "share"]].rename(columns={"share": "share_end"}), on=key)
    )
    out = out.merge(shares, on=key, how="left")
    t = trend.rename(columns={"trend": "lq_trend"})
    out = out.merge(t[[*key, "lq_start", "lq_end", "lq_change", "lq_trend"]], on=key, how="left")
    total = out["sector"] == "TOTAL"
    # The TOTAL row's growth is that of the summed sectors, so it matches its shift-share parts.
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = out.loc[total, "value_end"] / out.loc[total, "value_start"]
    out.loc[total, "growth"] = ratio - 1.0
    out.loc[total, "cagr"] = ratio ** (1.0 / (end - start)) - 1.0
    out.loc[total, ["share_start", "share_end"]] = 1.0
    out.loc[total, ["lq_start", "lq_end"]] = 1.0
    out.loc[total, "lq_change"] = 0.0
    out.loc[total, "lq_trend"] = "="
    notes = [ss.set_index(key)["note"], trend.set_index(key)["note"], gr.set_index(key)["note"]]
    idx = pd.MultiIndex.from_frame(out[key])
    parts = [
        (n.reindex(idx).fillna("").to_numpy() != "", n.reindex(idx).fillna("").to_numpy())
        for n in notes
    ]
    out["note"] = _dedupe(join_notes((len(out),), *parts))
    out["lq_trend"] = out["lq_trend"].fillna("")
    return out[INDICATOR_COLUMNS]


def _dedupe(notes: np.ndarray) -> list[str]:
    """Drop repeated clauses that several measures report for the same cell."""
    return ["; ".join(dict.fromkeys(c for c in n.split("; ") if c)) for n in notes]
