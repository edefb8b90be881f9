"""Reading a Parquet panel one year at a time gives exactly the in-memory results.

Random panels with zeros, missing (NaN, flagged ``c`` or unflagged), flagged (``p``) cells and absent rows,
written to Parquet; ``lq_by_year`` / ``shift_share_by_period`` must equal ``location_quotient`` /
``shift_share`` on the whole panel read in memory (every column, every note).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.errors import DataError
from speerpunt.measures import location_quotient, shift_share
from speerpunt.measures.by_year import lq_by_year, parquet_years, shift_share_by_period
from speerpunt.panel import Panel

REGIONS = ["XX", "XX1", "XX2", "YY", "YY1"]
SECTORS = ["A", "B", "C", "TOTAL"]
YEARS = [2000, 2001, 2002, 2003]


@st.composite
def panels(draw) -> pd.DataFrame:
    n = len(REGIONS) * len(SECTORS) * len(YEARS)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    df = pd.MultiIndex.from_product(
        [REGIONS, SECTORS, YEARS], names=["region", "sector", "year"]
    ).to_frame(index=False)
    df["variable"] = "x"
    df["value"] = np.where(rng.random(n) < 0.1, 0.0, rng.gamma(2.0, 20.0, n).round(2))
    df["flag"] = np.where(rng.random(n) < 0.15, "p", "")
    missing = rng.random(n) < draw(st.sampled_from([0.0, 0.05, 0.15]))
    df.loc[missing, "value"] = np.nan
    # some missing cells carry 'c', others no flag (a Panel gives them ':')
    df.loc[missing & (rng.random(n) < 0.5), "flag"] = "c"
    absent = rng.random(n) < draw(st.sampled_from([0.0, 0.05]))
    other = df.assign(variable="y", value=df["value"] * 2)  # a second variable that must be ignored
    return pd.concat([df[~absent], other], ignore_index=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(df=panels(), reference=st.sampled_from(["country", "XX", "rest:XX"]))
def test_by_year_equals_in_memory(df: pd.DataFrame, reference: str, tmp_path: Path) -> None:
    path = tmp_path / "panel.parquet"
    df.sample(frac=1.0, random_state=1).to_parquet(path, index=False)  # row order must not matter
    panel = Panel(df)
    regions = ["XX1", "XX2", "YY1"] if reference == "country" else ["XX1", "XX2"]
    assert parquet_years(path, "x") == YEARS
    streamed = pd.concat(
        lq_by_year(path, variable="x", reference=reference, regions=regions, sectors="all"),
        ignore_index=True,
    )
    expected = location_quotient(
        panel, variable="x", year=YEARS, reference=reference, regions=regions, sectors="all"
    )
    pd.testing.assert_frame_equal(streamed, expected, check_exact=True)
    periods = [(2000, 2003), (2001, 2002)]
    for got, (a, b) in zip(
        shift_share_by_period(
            path, variable="x", periods=periods, reference=reference, regions=regions
        ),
        periods,
        strict=True,
    ):
        want = shift_share(
            panel, variable="x", start=a, end=b, reference=reference, regions=regions, sectors="all"
        )
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_by_year_refuses_duplicates_and_negative_values(tmp_path: Path) -> None:
    row = {"region": "XX1", "sector": "A", "year": 2000, "variable": "x", "value": 1.0, "flag": ""}
    dup = tmp_path / "dup.parquet"
    pd.DataFrame([row, {**row, "value": 2.0}]).to_parquet(dup, index=False)
    with pytest.raises(DataError, match="duplicate key"):
        next(lq_by_year(dup, variable="x", reference="XX1"))
    neg = tmp_path / "neg.parquet"
    pd.DataFrame([{**row, "value": -1.0}]).to_parquet(neg, index=False)
    with pytest.raises(DataError, match="negative value -1.0"):
        next(lq_by_year(neg, variable="x", reference="XX1"))
