"""Validation helpers used by readers and measures: parts vs total, reference region, cell grammar."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from speerpunt.errors import DataError, MeasureError
from speerpunt.io import read_panel, require_reference, validate_parts
from speerpunt.io.cells import parse_values
from speerpunt.io.datasets import load_dataset
from speerpunt.panel import Panel


def _panel(values: dict[str, float], region="R", year=2000) -> Panel:
    return Panel(
        pd.DataFrame(
            {
                "region": region,
                "sector": list(values),
                "year": year,
                "variable": "employment",
                "value": list(values.values()),
            }
        )
    )


def test_parts_within_rounding_pass():
    # 3 parts at one decimal + total: allowance 4 × 0.05 = 0.2; excess 0.2 passes
    validate_parts(_panel({"A": 1.1, "B": 2.1, "C": 3.1, "TOTAL": 6.1}), parts=["A", "B", "C"])


def test_parts_beyond_rounding_fail_and_name_the_group():
    with pytest.raises(DataError) as info:
        validate_parts(_panel({"A": 1.1, "B": 2.2, "C": 3.1, "TOTAL": 6.1}), parts=["A", "B", "C"])
    msg = info.value.one_line()
    assert "sectors A, B, C sum to 6.4, above TOTAL 6.1 by 0.3 (allowed 0.2)" in msg
    assert "region R, year 2000, variable employment" in msg


def test_rounding_allowance_follows_the_series_precision():
    # 2001: C = 3.0 and TOTAL = 6.0 belong to series published in tenths (3.1, 6.1 in 2000), so the
    # allowance is 4 × 0.05 = 0.2, not 0.05 + 0.05 + 0.5 + 0.5; excess 0.3 fails.
    two = pd.concat(
        [
            _panel({"A": 1.1, "B": 2.1, "C": 3.1, "TOTAL": 6.1}).data,
            _panel({"A": 1.1, "B": 2.2, "C": 3.0, "TOTAL": 6.0}, year=2001).data,
        ]
    )
    with pytest.raises(DataError, match="year 2001"):
        validate_parts(Panel(two), parts=["A", "B", "C"])
    # whole numbers: allowance 4 × 0.5 = 2, excess 2 passes
    validate_parts(_panel({"A": 10, "B": 21, "C": 31, "TOTAL": 60}), parts=["A", "B", "C"])


def test_parts_tolerance_is_relative_to_total():
    p = _panel({"A": 60.0, "B": 45.0, "TOTAL": 100.0})
    with pytest.raises(DataError):
        validate_parts(p, parts=["A", "B"], tolerance=0.03)  # 3 + 1.5 < 5
    validate_parts(p, parts=["A", "B"], tolerance=0.04)  # 4 + 1.5 ≥ 5


def test_missing_parts_do_not_hide_an_excess_and_missing_total_skips():
    with pytest.raises(DataError):
        validate_parts(_panel({"A": 8.0, "B": np.nan, "TOTAL": 5.0}), parts=["A", "B"])
    validate_parts(_panel({"A": 8.0, "B": 1.0, "TOTAL": np.nan}), parts=["A", "B"])


def test_embedded_data_pass_the_a10_partition_check():
    for name in ("be-employment", "bench-employment"):
        validate_parts(load_dataset(name), parts="a10")


def test_require_reference():
    p = load_dataset("be-employment")
    require_reference(p, "BE", variable="employment", years=[2008, 2018])
    with pytest.raises(MeasureError, match="reference region 'BE9' is not in the data"):
        require_reference(p, "BE9")
    with pytest.raises(MeasureError, match="year 2019"):
        require_reference(p, "BE", variable="employment", years=[2019])


def test_cell_grammar():
    cells = [
        "12.3",
        "12.3 p",
        ":",
        ": c",
        ":c",
        "12.3 pe",
        "0 z",
        "c",
        "z",
        "",
        "NA",
        "1e3",
        7,
        7.5,
        None,
    ]
    value, flag, bad = parse_values(pd.Series(cells, dtype=object))
    assert not bad.any()
    expected = [
        (12.3, ""),
        (12.3, "p"),
        (None, ":"),
        (None, "c"),
        (None, "c"),
        (12.3, "pe"),
        (0.0, "z"),
        (None, "c"),
        (None, "z"),
        (None, ":"),
        (None, ":"),
        (1000.0, ""),
        (7.0, ""),
        (7.5, ""),
        (None, ":"),
    ]
    for (v, f), x, g in zip(expected, value, flag, strict=True):
        assert (math.isnan(x) if v is None else x == v) and g == f
    _, _, bad = parse_values(pd.Series(["p", "12 x", "12 :", "inf", "1,5", "- 3", "12.3.4"]))
    assert bad.all()


def test_wide_duplicate_rows_name_the_line(tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("geo,year,A,TOTAL\nBE,2000,1,2\nBE,2001,1,2\nBE,2000,1,2\n")
    with pytest.raises(DataError) as info:
        read_panel(f)
    assert info.value.row == 4 and info.value.column == "geo"
    assert "first on line 2" in info.value.message


def test_confidential_cell_is_never_zero(tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("geo,year,A,C,TOTAL\nBE,2000,: c,c,5\n")
    d = read_panel(f).data.set_index("sector")
    assert d.loc["A", "value"] != 0 and math.isnan(d.loc["A", "value"])
    assert math.isnan(d.loc["C", "value"]) and d.loc["C", "flag"] == "c"
