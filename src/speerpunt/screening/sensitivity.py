"""How robust is a selection? Thresholds varied one at a time, and other reference regions.

Threshold grid: every criterion's threshold is multiplied by each factor of
``linspace(1 − range, 1 + range, steps)`` (default ±50 % in 11 steps) while the others stay put; a quantile
is scaled as a probability (clipped to [0, 1]), a rank is scaled and rounded (at least 1), and a zero
absolute threshold — which scaling cannot move — is shifted by ``(factor − 1)`` times the median absolute
value of the measure over the screened sectors. A sector's *stability* is the share of all runs in which the
rule selects it. Overrides are expert judgement, not thresholds: they are left out of the sensitivity.

Everything is deterministic: the same data and configuration give the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from speerpunt.panel import Panel
from speerpunt.screening.config import ScreeningConfig, load_config
from speerpunt.screening.engine import _OPS, SELECTED, combine, screen, threshold_value
from speerpunt.screening.metrics import SectorMetrics


@dataclass
class Sensitivity:
    """``runs``: one row per criterion × factor × sector (``selected``); ``summary``: per sector the
    baseline verdict, stability (share of runs selected) and the threshold changes that flip it."""

    runs: pd.DataFrame
    summary: pd.DataFrame
    factors: np.ndarray


def _spread(metrics: SectorMetrics, measure: str, variables: tuple[str, ...]) -> float:
    vals = pd.concat([metrics.value(v, measure) for v in variables if v in metrics.variables])
    med = float(np.nanmedian(np.abs(vals.to_numpy(dtype=float)))) if vals.notna().any() else 0.0
    return med if np.isfinite(med) else 0.0


def _truth(values: dict[str, np.ndarray], criterion, threshold) -> list[bool | None]:
    """One criterion's verdict per sector (Kleene any/all over its variables), on plain arrays."""
    op = _OPS[
        criterion.op
        if threshold.kind != "rank"
        else (">=" if criterion.op in (">=", ">") else "<=")
    ]
    per_var = []
    for vals in values.values():
        t = threshold_value(pd.Series(vals), threshold, criterion.op)
        known = ~np.isnan(vals) & bool(np.isfinite(t))
        passed = op(np.nan_to_num(vals), t)
        per_var.append([bool(p) if k else None for p, k in zip(passed, known, strict=True)])
    if not per_var:
        return [None] * len(next(iter(values.values()), []))
    return [combine(list(col), criterion.combine) for col in zip(*per_var, strict=True)]


def threshold_sensitivity(
    metrics: SectorMetrics, config: ScreeningConfig | None = None
) -> Sensitivity:
    """Vary each threshold over the configured grid and measure how often each sector is selected."""
    config = config or load_config()
    factors = np.round(
        np.linspace(
            1 - config.sensitivity_range, 1 + config.sensitivity_range, config.sensitivity_steps
        ),
        10,
    )
    values = {
        c.name: {
            v: metrics.value(v, c.measure).to_numpy(dtype=float)
            for v in c.variables
            if v in metrics.variables
        }
        for c in config.criteria
    }
    truths = {c.name: _truth(values[c.name], c, c.threshold) for c in config.criteria}

    def select(changed: dict[str, list]) -> np.ndarray:
        cols = {**truths, **changed}
        return np.array(
            [
                config.rule.evaluate({k: cols[k][i] for k in cols}) is True
                for i in range(len(metrics.sectors))
            ]
        )

    base = pd.Series(select({}), index=metrics.sectors)
    runs = []
    for c in config.criteria:
        spread = _spread(metrics, c.measure, c.variables)
        if not values[c.name]:
            continue
        for f in factors:
            moved = c.threshold.scaled(float(f), spread)
            runs.append(
                pd.DataFrame(
                    {
                        "criterion": c.name,
                        "factor": f,
                        "threshold": moved.describe(),
                        "sector": metrics.sectors,
                        "selected": select({c.name: _truth(values[c.name], c, moved)}),
                    }
                )
            )
    runs_df = pd.concat(runs, ignore_index=True)
    runs_df["baseline"] = runs_df["sector"].map(base)
    stability = runs_df.groupby("sector", sort=False)["selected"].mean().reindex(metrics.sectors)
    flipped = runs_df[runs_df["selected"] != runs_df["baseline"]]
    # a dict, not groupby.apply: with no flip at all apply returns an empty frame, not a series
    flips = {sector: _describe_flips(g) for sector, g in flipped.groupby("sector", sort=False)}
    summary = pd.DataFrame(
        {
            "sector": metrics.sectors,
            "selected": base.reindex(metrics.sectors).to_numpy(),
            "stability": stability.to_numpy(),
            "flips": [flips.get(s, "") for s in metrics.sectors],
        }
    )
    return Sensitivity(runs=runs_df, summary=summary, factors=factors)


def _describe_flips(g: pd.DataFrame) -> str:
    """``'important ×0.5–0.7; growing ×1.4'``: the factors per criterion that change the verdict."""
    parts = []
    for crit, sub in g.groupby("criterion", sort=False):
        fs = sorted(sub["factor"])
        parts.append(f"{crit} ×{fs[0]:g}" + (f"–{fs[-1]:g}" if len(fs) > 1 else ""))
    return "; ".join(parts)


def default_references(panel: Panel, region: str, reference: str) -> list[str]:
    """The given reference, the country, the region's NUTS1 parent and the rest of the country — those the
    panel has (e.g. BE21: BE, BE2, rest:BE)."""
    country = region[:2]
    refs = [reference, country]
    if len(region) > 3:
        refs.append(region[:3])
    refs.append(f"rest:{country}")
    have = set(panel.regions)
    out: list[str] = []
    for r in refs:
        code = r.split(":", 1)[-1]
        if r not in out and (r == "country" or (code in have and code != region)):
            out.append(r)
    return out


def reference_sensitivity(
    panel: Panel,
    *,
    region: str,
    reference: str = "country",
    config: ScreeningConfig | None = None,
    references: list[str] | None = None,
) -> pd.DataFrame:
    """The status of each sector when the screening is run against each reference region.

    Returns one row per sector with a column per reference (the status) and ``n_selected``, the number of
    references under which the sector is selected.
    """
    config = config or load_config()
    refs = references or list(config.references) or default_references(panel, region, reference)
    cols = {}
    sectors: list[str] | None = None
    for ref in refs:
        res = screen(panel, region=region, reference=ref, config=config)
        t = res.table.set_index("sector")["status"]
        sectors = sectors or list(t.index)
        cols[ref] = t
    out = pd.DataFrame(cols).reindex(sectors)
    out["n_selected"] = out.isin(SELECTED).sum(axis=1)
    out.index.name = "sector"
    return out.reset_index()
