"""The vectorised fast paths of the measures give the numbers of a plain per-row computation.

Random panels (``panels`` of ``test_engine_core``: zeros, missing ``c`` and flagged ``p`` cells, absent
rows); each reference below loops over regions and years with plain NumPy on the long table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.measures.specialisation import specialisation_table
from speerpunt.panel import Panel
from tests.core.test_engine_core import REGIONS, SECTORS, YEARS, panels

# A grouping whose members are not neighbours in the sector order (A with C, B with D): the group sums
# take the gathering branch. The default groups NACE sections into Eurostat's A*10: A alone, B–D in B-E.
SPLIT_GROUPS = {"A": "g1", "B": "g2", "C": "g1", "D": "g2"}
A10_GROUPS = {"A": "A", "B": "B-E", "C": "B-E", "D": "B-E"}


def reference_row(x: np.ndarray, r: np.ndarray, groups: list[str]) -> dict[str, float]:
    """Every specialisation measure of one region-year, by the textbook formulas over the sectors with a
    value in both the region and the reference."""
    keep = ~np.isnan(x) & ~np.isnan(r)
    x, r, g = x[keep], r[keep], [grp for grp, k in zip(groups, keep, strict=True) if k]
    if keep.sum() == 0 or x.sum() == 0 or r.sum() == 0:
        return {}
    s, q = x / x.sum(), r / r.sum()
    k = float(np.sum(np.abs(s - q)))
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = s / q
    lq = np.sort(lq[np.isfinite(lq)])
    if len(lq):
        mean = lq.mean()
        with np.errstate(invalid="ignore", divide="ignore"):  # all LQs 0: mean 0, Gini undefined
            gini = sum((i + 1) * (v - mean) for i, v in enumerate(lq)) * 2.0 / (len(lq) ** 2 * mean)
    else:
        gini = np.nan
    h = float(np.sum(s**2))
    n = len(s)
    entropy = -sum(v * math.log2(v) for v in s if v > 0)
    theil = sum(
        v * math.log(v / w) if w > 0 else math.inf for v, w in zip(s, q, strict=True) if v > 0
    )
    p = {grp: sum(v for v, gg in zip(s, g, strict=True) if gg == grp) for grp in set(g)}
    unrelated = -sum(v * math.log2(v) for v in p.values() if v > 0)
    related = 0.0
    for grp, pg in p.items():
        inner = [v / pg for v, gg in zip(s, g, strict=True) if gg == grp and v > 0]
        related += pg * -sum(w * math.log2(w) for w in inner)
    return {
        "krugman": k,
        "hoover": k / 2,
        "gini": gini,
        "herfindahl": h,
        "herfindahl_norm": (h - 1 / n) / (1 - 1 / n) if n > 1 else np.nan,
        "entropy": entropy,
        "theil_relative": theil,
        "unrelated_variety": unrelated,
        "related_variety": related,
        "rdi": 1 / k if k > 0 else np.nan,
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(), st.sampled_from([None, SPLIT_GROUPS]))
def test_every_specialisation_measure_matches_a_per_row_computation(df, groups):
    got = specialisation_table(
        Panel(df),
        variable="x",
        year=YEARS,
        reference="XX",
        regions=REGIONS[1:],
        sectors=SECTORS,
        groups=groups,
    )
    d = df.set_index(["year", "region", "sector"])["value"]
    cube = d.reindex(pd.MultiIndex.from_product([YEARS, REGIONS, SECTORS])).to_numpy()
    cube = cube.reshape(len(YEARS), len(REGIONS), len(SECTORS))
    labels = [(groups or A10_GROUPS)[s] for s in SECTORS]
    for i, row in got.iterrows():
        y, reg = YEARS.index(row["year"]), REGIONS.index(row["region"])
        want = reference_row(cube[y, reg], cube[y, 0], labels)
        for measure in ("krugman", "gini", "herfindahl", "entropy", "theil_relative"):
            if not want:
                assert np.isnan(row[measure]), (i, measure)
                continue
            assert row[measure] == pytest_approx(want[measure]), (i, measure, row[measure])
        for measure in ("hoover", "herfindahl_norm", "unrelated_variety", "related_variety", "rdi"):
            expected = want.get(measure, np.nan)
            assert row[measure] == pytest_approx(expected), (i, measure, row[measure], expected)


def pytest_approx(v: float):
    import pytest

    return pytest.approx(v, rel=1e-12, abs=1e-12, nan_ok=True)
