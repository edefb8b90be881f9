"""Hypothesis: a long panel written wide (Eurostat-style cells, by sector or by year) reads back exactly."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.io import read_panel

REGIONS = ["BE", "BE21", "BE211", "NL33C", "Reg X"]
SECTORS = ["A", "B-E", "C", "M_N", "TOTAL", "my sector"]
YEARS = list(range(1995, 2021))

cell = st.one_of(
    st.tuples(
        st.floats(0, 1e7, allow_nan=False).map(lambda x: round(x, 3)),
        st.sampled_from(["", "p", "e", "pe", "b"]),
    ),
    st.tuples(st.just(math.nan), st.sampled_from([":", "c", "z"])),
)


@st.composite
def long_tables(draw):
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True))
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=4, unique=True))
    years = draw(st.lists(st.sampled_from(YEARS), min_size=1, max_size=3, unique=True))
    keys = [(r, s, y) for r in regions for s in sectors for y in years]
    cells = draw(st.lists(cell, min_size=len(keys), max_size=len(keys)))
    return pd.DataFrame(
        [(r, s, y, "employment", v, f) for (r, s, y), (v, f) in zip(keys, cells, strict=True)],
        columns=["region", "sector", "year", "variable", "value", "flag"],
    )


def _text(value: float, flag: str) -> str:
    """Eurostat's cell spelling, written independently of the reader."""
    if math.isnan(value):
        return ":" if flag == ":" else f": {flag}"
    return f"{value!r} {flag}".strip()


def _triples(df: pd.DataFrame) -> set:
    return {
        (r, s, int(y), v, "nan" if math.isnan(x) else x, f)
        for r, s, y, v, x, f in df[
            ["region", "sector", "year", "variable", "value", "flag"]
        ].itertuples(index=False)
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(long_tables(), st.sampled_from(["sector", "year"]))
def test_long_wide_long_round_trip(tmp_path, long, by):
    cells = long.assign(cell=[_text(v, f) for v, f in zip(long.value, long.flag, strict=True)])
    if by == "sector":
        wide = cells.pivot(index=["region", "year"], columns="sector", values="cell").reset_index()
        wide = wide.rename(columns={"region": "geo"})
    else:
        wide = cells.pivot(index=["region", "sector"], columns="year", values="cell").reset_index()
        wide.columns = [str(c) for c in wide.columns]
    path = tmp_path / f"wide_{by}.csv"
    wide.to_csv(path, index=False)
    # Random parts need not fit under their random TOTAL, and a column of values such as 123.456 is
    # ambiguous to any reader: the writer knows its convention, so it says so.
    # Random sectors may contain each other (B-E and C): the round trip reads them as they are.
    back = read_panel(
        path,
        variable="employment",
        decimal=".",
        allow_parts_exceed_total=True,
        allow_overlaps=True,
    )
    assert _triples(back.data) == _triples(long)
    assert len(back) == len(long)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(long_tables(), st.sampled_from(["csv", "parquet", "xlsx"]))
def test_written_long_table_reads_back_in_every_format(tmp_path, long, fmt):
    from speerpunt.io import write_csv, write_parquet, write_xlsx

    writer = {"csv": write_csv, "parquet": write_parquet, "xlsx": write_xlsx}[fmt]
    back = read_panel(
        writer(long, tmp_path / f"t.{fmt}"),
        decimal=".",
        allow_parts_exceed_total=True,
        allow_overlaps=True,
    )
    assert _triples(back.data) == _triples(long)
