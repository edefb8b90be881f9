"""Growth between two years, compound annual growth, index series and the LQ trend.

Notes
-----
Cumulative growth (the study's "trend a–b"): ``g = x(t1) / x(t0) − 1``.
Compound annual growth rate: ``CAGR = (x(t1) / x(t0))^(1 / (t1 − t0)) − 1``.
Index series: ``100 · x(t) / x(t_base)``.
LQ trend: ``ΔLQ = LQ(t1) − LQ(t0)``, shown as ``+`` when ``ΔLQ > tolerance``, ``−`` when
``ΔLQ < −tolerance`` and ``=`` otherwise (the study's symbols for a specialisation index that rose, fell or
stayed the same). The default tolerance 0.05 means "=" when the change does not show at one decimal.

A trend that crosses a declared classification break (:class:`speerpunt.panel.ClassificationBreak`) without a
conversion key is not computed: the result is missing and the note says why.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": "R", "sector": "A", "year": [2000, 2010], "variable": "employment",
...                    "value": [44.313, 42.762]})
>>> g = growth(Panel(df), variable="employment", start=2000, end=2010, sectors=["A"])
>>> round(float(g["growth"].iloc[0]) * 100, 1)
-3.5
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.measures._notes import flag_text, join_notes
from speerpunt.measures.location_quotient import location_quotient
from speerpunt.measures.reference import resolve_regions, resolve_sectors
from speerpunt.panel import Panel

TREND_UP, TREND_DOWN, TREND_SAME = "+", "−", "="


def break_note(panel: Panel, start: int, end: int, variable: str) -> str:
    """The note for a trend blocked by a classification break, or ``''``."""
    blocking = panel.meta.breaks_between(start, end, variable)
    if not blocking:
        return ""
    b = blocking[0]
    return (
        f"trend {start}–{end} crosses a classification break in {b.year} ({b.description}); "
        "supply a conversion key"
    )


def _check_period(start: int, end: int) -> None:
    if end <= start:
        raise MeasureError(Text("ms_end_after_start", end=end, start=start), column="end")


def growth(
    panel: Panel,
    *,
    variable: str,
    start: int,
    end: int,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cumulative growth and CAGR of every (region, sector) from ``start`` to ``end``.

    Returns columns ``region, sector, variable, start, end, value_start, value_end, change, growth, cagr,
    note``. Missing cells and zero base values give a missing growth with a note, never zero.
    """
    _check_period(start, end)
    panel.require(variable=variable, years=[start, end])
    regs = resolve_regions(panel, regions, variable)
    secs = resolve_sectors(panel, sectors) + (["TOTAL"] if "TOTAL" in panel.sectors else [])
    w0 = panel.wide(variable, start).reindex(index=regs, columns=secs)
    w1 = panel.wide(variable, end).reindex(index=regs, columns=secs)
    f0 = panel.flag_matrix(variable, start, regs, secs)
    f1 = panel.flag_matrix(variable, end, regs, secs)
    x0, x1 = w0.to_numpy(dtype=float), w1.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = x1 / x0
        g = ratio - 1.0
        cagr = np.power(ratio, 1.0 / (end - start)) - 1.0
    g[~np.isfinite(g)] = np.nan
    cagr[~np.isfinite(cagr)] = np.nan
    blocked = break_note(panel, start, end, variable)
    if blocked:
        g[:] = np.nan
        cagr[:] = np.nan
    shape = x0.shape
    note = join_notes(
        shape,
        (np.isnan(x0), flag_text(f0, f"{start} missing: ")),
        (np.isnan(x1), flag_text(f1, f"{end} missing: ")),
        (x0 == 0, f"zero in {start}: growth undefined"),
        (np.full(shape, bool(blocked)), blocked),
    )
    n_reg, n_sec = shape
    return pd.DataFrame(
        {
            "region": np.repeat(regs, n_sec),
            "sector": np.tile(secs, n_reg),
            "variable": variable,
            "start": start,
            "end": end,
            "value_start": x0.ravel(),
            "value_end": x1.ravel(),
            "change": (x1 - x0).ravel(),
            "growth": g.ravel(),
            "cagr": cagr.ravel(),
            "note": note.ravel(),
        }
    )


def index_series(
    panel: Panel,
    *,
    variable: str,
    base_year: int,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """``100 · x(t) / x(base_year)`` for every region, sector and year (missing where the base is 0 or absent)."""
    panel.require(variable=variable, years=[base_year])
    regs = resolve_regions(panel, regions, variable)
    secs = resolve_sectors(panel, sectors) + (["TOTAL"] if "TOTAL" in panel.sectors else [])
    d = panel.data[
        (panel.data["variable"] == variable)
        & panel.data["region"].isin(regs)
        & panel.data["sector"].isin(secs)
    ]
    base = d[d["year"] == base_year].set_index(["region", "sector"])["value"]
    b = base.reindex(pd.MultiIndex.from_frame(d[["region", "sector"]])).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = 100.0 * d["value"].to_numpy() / b
    idx[~np.isfinite(idx)] = np.nan
    out = d[["region", "sector", "year", "variable", "value"]].copy()
    out["index"] = idx
    return out.reset_index(drop=True)


def trend_symbol(change: np.ndarray, tolerance: float = 0.05) -> np.ndarray:
    """``+``, ``−`` or ``=`` for each change; ``''`` where the change is missing.

    >>> trend_symbol(np.array([0.2, -0.01, -0.3, np.nan])).tolist()
    ['+', '=', '−', '']
    """
    change = np.asarray(change, dtype=float)
    out = np.where(
        change > tolerance, TREND_UP, np.where(change < -tolerance, TREND_DOWN, TREND_SAME)
    )
    return np.where(np.isnan(change), "", out).astype(object)


def lq_trend(
    panel: Panel,
    *,
    variable: str,
    start: int,
    end: int,
    reference: str = "country",
    tolerance: float = 0.05,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """LQ in ``start`` and ``end``, its change and the trend symbol.

    Returns columns ``region, reference, sector, lq_start, lq_end, lq_change, trend, note``.
    """
    _check_period(start, end)
    a = location_quotient(
        panel, variable=variable, year=start, reference=reference, regions=regions, sectors=sectors
    )
    b = location_quotient(
        panel, variable=variable, year=end, reference=reference, regions=regions, sectors=sectors
    )
    return trend_between(a, b, blocked=break_note(panel, start, end, variable), tolerance=tolerance)


def trend_between(
    a: pd.DataFrame, b: pd.DataFrame, *, blocked: str = "", tolerance: float = 0.05
) -> pd.DataFrame:
    """The LQ trend from two :func:`location_quotient` results on the same regions and sectors.

    ``blocked`` is the note of a classification break that the period crosses (the change is then
    missing); see :func:`lq_trend`.
    """
    start, end = int(a["year"].iloc[0]), int(b["year"].iloc[0])
    out = a[["region", "reference", "sector"]].copy()
    out["lq_start"] = a["lq"].to_numpy()
    out["lq_end"] = b["lq"].to_numpy()
    change = out["lq_end"].to_numpy() - out["lq_start"].to_numpy()
    if blocked:
        change[:] = np.nan
    out["lq_change"] = change
    out["trend"] = trend_symbol(change, tolerance)
    out["note"] = join_notes(
        (len(out),),
        (a["note"].to_numpy() != "", np.char.add(f"{start}: ", a["note"].to_numpy().astype(str))),
        (b["note"].to_numpy() != "", np.char.add(f"{end}: ", b["note"].to_numpy().astype(str))),
        (np.full(len(out), bool(blocked)), blocked),
    )
    return out
