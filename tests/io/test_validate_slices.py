"""The whole-table checks work in slices (``SLICE_ROWS``, 16,384 rows: 65,536 and 131,072 are
borders): results across slice borders are those of one pass (expected values constructed by hand,
not computed by the code under test)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.io.validate import _decimals, parts_excess


def test_decimals_across_slice_borders() -> None:
    n = 200_000
    values = np.arange(n, dtype=float)  # whole numbers: 0 decimals
    expected = np.zeros(n, dtype=np.int8)
    # Values with a known number of decimals on both sides of each border (65,536 and 131,072).
    for i, (v, d) in zip(
        [65_535, 65_536, 131_071, 131_072, 199_999],
        [(1.5, 1), (2.25, 2), (0.125, 3), (np.nan, 0), (7.1, 1)],
        strict=True,
    ):
        values[i], expected[i] = v, d
    np.testing.assert_array_equal(_decimals(values), expected)


def test_parts_excess_across_slice_borders() -> None:
    # 50,000 region-years of parts A, B and TOTAL: 150,000 rows, three slices.
    k = 50_000
    region = np.repeat([f"R{i:05d}" for i in range(k)], 3)
    sector = np.tile(["A", "B", "TOTAL"], k)
    value = np.tile([1.0, 2.0, 3.0], k)
    # Region-years whose parts exceed the total by 2, more than the rounding allowance of three
    # whole-number cells (3 × 0.5); their rows lie on both sides of the borders.
    bad = [21_845, 21_846, 43_690, k - 1]  # rows 65,535-65,540 and 131,070-131,072 belong to these
    for g in bad:
        value[3 * g + 2] = 1.0
    df = pd.DataFrame(
        {"region": region, "sector": sector, "year": 2000, "variable": "employment", "value": value}
    )
    out = parts_excess(df, ["A", "B"])
    assert out["region"].tolist() == [f"R{g:05d}" for g in bad]
    assert out["parts_sum"].tolist() == [3.0] * 4
    assert out["total"].tolist() == [1.0] * 4
    assert out["excess"].tolist() == [2.0] * 4
    assert out["allowed"].tolist() == [1.5] * 4
