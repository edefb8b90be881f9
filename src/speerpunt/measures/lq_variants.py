"""Location-quotient variants and their uncertainty: rest-of-reference, log and standardised LQ, confidence
intervals (delta method and Fieller) with a small-cell flag.

Notes
-----
With ``a = x_ri``, ``b = x_r``, ``c = x_Ri``, ``d = x_R`` (counts, i.e. persons or establishments):

* ``lq = (a/b) / (c/d)``; ``lq_rest = (a/b) / ((c − a)/(d − b))``, the reference without the region;
* ``log_lq = ln lq`` (symmetric around 0: a region twice as specialised and half as specialised are ±0.69);
* ``lq_std``: the z-score of ``lq`` per sector across the regions asked for,
  ``(lq_ri − mean_r lq_ri) / sd_r lq_ri`` with the sample standard deviation (``ddof=1``). It is centred per
  sector (mean 0 in each sector), unlike REAT's ``locq2`` which standardises over all cells together.

Confidence intervals (Beyene & Moineddin 2005) treat ``p1 = a/b`` and ``p2 = c/d`` as two independent
binomial proportions, with ``z`` the standard normal quantile for ``level``:

* ``method="delta"``: ``ln lq ± z·se`` with ``se² = 1/a − 1/b + 1/c − 1/d`` (the delta method on
  ``var(ln p̂) = (1 − p)/(n p)``), back-transformed with ``exp``.
* ``method="fieller"``: the set of ``θ`` with ``(p1 − θ p2)² ≤ z² (v1 + θ² v2)``, ``v_k = p_k(1 − p_k)/n_k``,
  i.e. the roots of ``(p2² − z² v2) θ² − 2 p1 p2 θ + (p1² − z² v1) = 0``. When ``p2² ≤ z² v2`` the
  interval is unbounded and reported as missing, with a note.

When the region is part of its reference (``reference="country"``) the two proportions share the region's
counts; their covariance is positive, so treating them as independent makes the interval slightly wider
(conservative). With ``reference="rest:CODE"`` the independence is exact.

The formulas need counts. Eurostat employment is in thousands of persons: pass ``scale=1000``. Intervals on
value added or other non-count variables are not meaningful. A cell whose count ``a·scale`` is below
``min_count`` is flagged ``small_cell`` (the normal approximations are poor there).

References
----------
Beyene, J. & Moineddin, R. (2005). Methods for confidence interval estimation of a ratio parameter with
application to location quotients. *BMC Medical Research Methodology* 5, 32. — Fieller, E. C. (1954).
Some problems in interval estimation. *JRSS B* 16(2), 175–185.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": ["R", "R", "N", "N"], "sector": ["A", "B"] * 2, "year": 2020,
...                    "variable": "employment", "value": [30.0, 70.0, 100.0, 900.0]})
>>> ci = lq_confidence(Panel(df), variable="employment", year=2020, reference="N", regions=["R"])
>>> ci.loc[0, ["lq", "lower", "upper"]].astype(float).round(3).tolist()
[3.0, 2.109, 4.268]
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Num, Text
from speerpunt.measures._notes import join_notes
from speerpunt.measures.location_quotient import location_quotient
from speerpunt.measures.reference import split_reference
from speerpunt.panel import Panel

METHODS = ("delta", "fieller")
DEFAULT_MIN_COUNT = 20.0


def _joined(base: np.ndarray, extra: np.ndarray) -> np.ndarray:
    return join_notes(base.shape, (base != "", base), (extra != "", extra))


def lq_variants(
    panel: Panel,
    *,
    variable: str,
    year: int,
    reference: str = "country",
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """LQ, rest-of-reference LQ, log LQ and standardised LQ for every region × sector.

    Returns
    -------
    DataFrame
        ``region, reference, sector, year, variable, lq, lq_rest, log_lq, lq_std, note``.
    """
    lq = location_quotient(
        panel, variable=variable, year=year, reference=reference, regions=regions, sectors=sectors
    )
    _, rest = split_reference(reference)
    a, b = lq["value"].to_numpy(), lq["total"].to_numpy()
    c, d = lq["reference_value"].to_numpy(), lq["reference_total"].to_numpy()
    same = (lq["region"] == lq["reference"]).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        lq_rest = lq["lq"].to_numpy() if rest else (a / b) / ((c - a) / (d - b))
        log_lq = np.log(lq["lq"].to_numpy())
    lq_rest = np.where(np.isfinite(lq_rest), lq_rest, np.nan)
    log_lq = np.where(np.isfinite(log_lq), log_lq, np.nan)
    by_sector = lq.groupby("sector")["lq"]
    with np.errstate(divide="ignore", invalid="ignore"):
        lq_std = ((lq["lq"] - by_sector.transform("mean")) / by_sector.transform("std")).to_numpy()
    lq_std = np.where(np.isfinite(lq_std), lq_std, np.nan)
    extra = join_notes(
        (len(lq),),
        (same & ~rest, "region is its own reference: rest-of-reference LQ undefined"),
        (lq["lq"].to_numpy() == 0, "LQ is 0: log LQ undefined"),
    )
    out = lq[["region", "reference", "sector", "year", "variable", "lq"]].copy()
    out["lq_rest"] = lq_rest
    out["log_lq"] = log_lq
    out["lq_std"] = lq_std
    out["note"] = _joined(lq["note"].to_numpy(dtype=object), extra)
    return out


def delta_interval(a, b, c, d, z: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Delta-method interval for ``(a/b)/(c/d)``: ``(lower, upper, se of ln LQ)``.

    >>> lo, hi, se = delta_interval(30.0, 100.0, 100.0, 1000.0, 1.959963984540054)
    >>> round(float(se), 6)
    0.179815
    """
    a, b, c, d = (np.asarray(v, dtype=float) for v in (a, b, c, d))
    with np.errstate(divide="ignore", invalid="ignore"):
        var = 1.0 / a - 1.0 / b + 1.0 / c - 1.0 / d
        se = np.sqrt(var)
        log_lq = np.log((a / b) / (c / d))
        lower, upper = np.exp(log_lq - z * se), np.exp(log_lq + z * se)
    bad = ~np.isfinite(se) | ~np.isfinite(log_lq)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper), np.where(bad, np.nan, se)


def fieller_interval(a, b, c, d, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Fieller's interval for the ratio of the proportions ``a/b`` and ``c/d`` (NaN where unbounded)."""
    a, b, c, d = (np.asarray(v, dtype=float) for v in (a, b, c, d))
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = a / b, c / d
        v1, v2 = p1 * (1 - p1) / b, p2 * (1 - p2) / d
        qa = p2**2 - z**2 * v2
        qb = p1 * p2
        qc = p1**2 - z**2 * v1
        root = np.sqrt(qb**2 - qa * qc)
        lower, upper = (qb - root) / qa, (qb + root) / qa
    bad = ~(qa > 0) | ~np.isfinite(lower) | ~np.isfinite(upper)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def lq_confidence(
    panel: Panel,
    *,
    variable: str,
    year: int,
    reference: str = "country",
    level: float = 0.95,
    method: str = "delta",
    scale: float = 1.0,
    min_count: float = DEFAULT_MIN_COUNT,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Confidence interval of every location quotient, with a small-cell flag.

    Parameters
    ----------
    level : float
        Confidence level in (0, 1), default 0.95.
    method : {"delta", "fieller"}
    scale : float
        Multiplier turning values into counts (``1000`` for employment in thousands).
    min_count : float
        Cells with fewer than this many counts (after ``scale``) are flagged ``small_cell``.

    Returns
    -------
    DataFrame
        ``region, reference, sector, year, variable, count, lq, lower, upper, se_log_lq, method, level,
        small_cell, note`` (``se_log_lq`` only for the delta method).
    """
    if method not in METHODS:
        raise MeasureError(
            Text("ms_unknown_method", method=method, choices=", ".join(METHODS)), column="method"
        )
    if not 0.0 < level < 1.0:
        raise MeasureError(Text("ms_level_between", level=Num(level)), column="level")
    if not scale > 0:
        raise MeasureError(Text("ms_scale_positive", scale=Num(scale)), column="scale")
    lq = location_quotient(
        panel, variable=variable, year=year, reference=reference, regions=regions, sectors=sectors
    )
    a, b = lq["value"].to_numpy() * scale, lq["total"].to_numpy() * scale
    c, d = lq["reference_value"].to_numpy() * scale, lq["reference_total"].to_numpy() * scale
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    if method == "delta":
        lower, upper, se = delta_interval(a, b, c, d, z)
    else:
        lower, upper = fieller_interval(a, b, c, d, z)
        se = np.full(len(a), np.nan)
    has_lq = ~np.isnan(lq["lq"].to_numpy())
    small = ~np.isnan(a) & (a < min_count)
    extra = join_notes(
        (len(lq),),
        (
            has_lq & (a == 0),
            "zero count: interval undefined" if method == "delta" else "zero count",
        ),
        (has_lq & (a > 0) & np.isnan(lower), f"{method} interval unbounded or undefined"),
        (small, f"small cell: count below {min_count:g}"),
    )
    out = lq[["region", "reference", "sector", "year", "variable"]].copy()
    out["count"] = a
    out["lq"] = lq["lq"].to_numpy()
    out["lower"] = lower
    out["upper"] = upper
    out["se_log_lq"] = se
    out["method"] = method
    out["level"] = level
    out["small_cell"] = small
    out["note"] = _joined(lq["note"].to_numpy(dtype=object), extra)
    return out
