"""Reading a Parquet panel one year at a time gives exactly the in-memory results.

Random panels with zeros, missing (NaN, flagged ``c`` or unflagged), flagged (``p``) cells and absent rows,
written to Parquet; ``lq_by_year`` / ``shift_share_by_period`` must equal ``location_quotient`` /
``shift_share`` on the whole panel read in memory (every column, every note).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.errors import DataError
from speerpunt.measures import location_quotient, shift_share
from speerpunt.measures.by_year import (
    lq_by_year,
    panel_slice,
    parquet_years,
    shift_share_by_period,
)
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
    # a region of 'y' only: its label is in the file's dictionaries but never a region of 'x'
    extra = df[df["region"] == "YY1"].assign(region="ZZ1", variable="y")
    return pd.concat([df[~absent], other, extra], ignore_index=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    df=panels(),
    reference=st.sampled_from(["country", "XX", "rest:XX"]),
    regroup=st.sampled_from([None, True, False]),
)
def test_by_year_equals_in_memory(
    df: pd.DataFrame, reference: str, regroup: bool | None, tmp_path: Path
) -> None:
    """One shuffled row group holds every year: read per slice, or copied once grouped by year first
    (``regroup=True``); both must give the in-memory results."""
    path = tmp_path / "panel.parquet"
    df.sample(frac=1.0, random_state=1).to_parquet(path, index=False)  # row order must not matter
    panel = Panel(df)
    regions = ["XX1", "XX2", "YY1"] if reference == "country" else ["XX1", "XX2"]
    assert parquet_years(path, "x") == YEARS
    streamed = pd.concat(
        lq_by_year(
            path,
            variable="x",
            reference=reference,
            regions=regions,
            sectors="all",
            regroup=regroup,
        ),
        ignore_index=True,
    )
    expected = location_quotient(
        panel, variable="x", year=YEARS, reference=reference, regions=regions, sectors="all"
    )
    pd.testing.assert_frame_equal(streamed, expected, check_exact=True)
    periods = [(2000, 2003), (2001, 2002)]
    for got, (a, b) in zip(
        shift_share_by_period(
            path,
            variable="x",
            periods=periods,
            reference=reference,
            regions=regions,
            regroup=regroup,
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


def _write(df: pd.DataFrame, path: Path, layout: str) -> Path:
    """The panel in one of the layouts the reader must treat alike (rows shuffled in every case).

    ``row groups``: one row group per year of ``x`` with dictionary-encoded labels (as a writer that
    appends year by year makes them; their statistics settle variable and year), except that the last
    year shares its row group with every row of ``y`` (read and filtered). ``folder``: two files, the
    first with dictionary-encoded labels, the second with plain strings and no ``flag`` column (the
    caller blanks the flags of its rows).
    """
    df = df.sample(frac=1.0, random_state=2).reset_index(drop=True)
    x_rows = df["variable"] == "x"
    if layout == "row groups":
        labels = ["region", "sector", "variable", "flag"]
        groups = [df[x_rows & (df["year"] == y)] for y in YEARS[:-1]]
        groups.append(df[~x_rows | (df["year"] == YEARS[-1])])
        tables = [
            pa.Table.from_pandas(g.astype({c: "category" for c in labels}), preserve_index=False)
            for g in groups
        ]
        schema = tables[0].schema
        with pq.ParquetWriter(path, schema) as writer:
            for t in tables:
                writer.write_table(t.cast(schema))  # one call, one row group
        assert pq.ParquetFile(path).metadata.num_row_groups == len(YEARS)
        return path
    path.mkdir()
    early = df["year"] < YEARS[2]
    labels = {c: "category" for c in ["region", "sector", "variable", "flag"]}
    df[early].astype(labels).to_parquet(path / "a.parquet", index=False)
    late = df[~early].drop(columns="flag")  # no flag column: its rows have no flag
    late.astype({c: str for c in ["region", "sector", "variable"]}).to_parquet(path / "b.parquet")
    return path


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(df=panels(), layout=st.sampled_from(["row groups", "folder"]))
def test_by_year_row_groups_and_folders_equal_in_memory(
    df: pd.DataFrame, layout: str, tmp_path: Path
) -> None:
    """Every region of ``x`` (regions=None) against ``XX``: the same rows and numbers as in memory,
    whether row groups are settled by their statistics or read and filtered, one file or several."""
    path = _write(df, Path(tempfile.mkdtemp(dir=tmp_path)) / "panel", layout)  # one per example
    if layout == "folder":
        df = df.assign(flag=df["flag"].where(df["year"] < YEARS[2], ""))
    panel = Panel(df)
    assert parquet_years(path, "x") == YEARS
    streamed = pd.concat(lq_by_year(path, variable="x", reference="XX"), ignore_index=True)
    expected = location_quotient(panel, variable="x", year=YEARS, reference="XX", sectors="all")
    assert "ZZ1" not in set(streamed["region"])  # a label of 'y' only is not a region of 'x'
    pd.testing.assert_frame_equal(streamed, expected, check_exact=True)
    periods = [(2000, 2003), (2002, 2003)]  # whole row groups with a filtered one
    for got, (a, b) in zip(
        shift_share_by_period(path, variable="x", periods=periods, reference="XX"),
        periods,
        strict=True,
    ):
        want = shift_share(panel, variable="x", start=a, end=b, reference="XX", sectors="all")
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_by_year_refuses_empty_codes_and_fractional_years(tmp_path: Path) -> None:
    rows = pd.DataFrame(
        {"region": ["XX1", None], "sector": "A", "year": 2000, "variable": "x", "value": 1.0}
    )
    empty = tmp_path / "empty.parquet"
    rows.to_parquet(empty, index=False)
    with pytest.raises(DataError, match="empty code"):
        next(lq_by_year(empty, variable="x", reference="XX1"))
    frac = tmp_path / "frac.parquet"
    rows.assign(region="XX1", year=[2000.0, 2000.5]).to_parquet(frac, index=False)
    with pytest.raises(DataError, match="not a whole number"):
        parquet_years(frac, "x")


def test_panel_slice_long_table_equals_the_in_memory_rows(tmp_path: Path) -> None:
    """The long table of a slice (built on first use) holds the rows the in-memory Panel holds."""
    rng = np.random.default_rng(5)
    df = pd.MultiIndex.from_product(
        [REGIONS, SECTORS, YEARS], names=["region", "sector", "year"]
    ).to_frame(index=False)
    df["variable"] = "x"
    df["value"] = rng.gamma(2.0, 20.0, len(df)).round(2)
    df["flag"] = np.where(rng.random(len(df)) < 0.3, "p", "")
    df.loc[rng.random(len(df)) < 0.2, "value"] = np.nan  # unflagged ones become ':'
    df = df[rng.random(len(df)) > 0.1]
    path = _write(df, tmp_path / "panel", "row groups")
    got = panel_slice(path, "x", [2001, 2003]).data
    want = Panel(df).select(variable="x", years=[2001, 2003]).data

    def rows(d: pd.DataFrame) -> list[tuple]:
        cols = ["region", "sector", "year", "variable", "value", "flag"]
        return sorted(
            (str(r), str(s), int(y), str(v), -1.0 if np.isnan(x) else float(x), str(f))
            for r, s, y, v, x, f in d[cols].itertuples(index=False)
        )

    assert len(got) == len(want) > 0
    assert rows(got) == rows(want)


def test_by_year_names_a_year_that_is_not_in_the_file(tmp_path: Path) -> None:
    from speerpunt.errors import MeasureError

    row = {"region": "XX1", "sector": "A", "year": 2000, "variable": "x", "value": 1.0}
    path = tmp_path / "one.parquet"
    pd.DataFrame([row]).to_parquet(path, index=False)
    with pytest.raises(MeasureError, match="year 1990 is not in the data"):
        next(lq_by_year(path, variable="x", reference="XX1", years=[1990]))
    with pytest.raises(MeasureError, match="year 1990 is not in the data"):
        next(shift_share_by_period(path, variable="x", reference="XX1", periods=[(1990, 2000)]))


def _region_sorted(
    tmp_path: Path, n_years: int = 6, rows_per_group: int = 40
) -> tuple[Path, Panel]:
    """A panel sorted by region (as many exports are): every row group holds every year."""
    rng = np.random.default_rng(11)
    years = list(range(2000, 2000 + n_years))
    df = pd.MultiIndex.from_product(
        [REGIONS, SECTORS, years], names=["region", "sector", "year"]
    ).to_frame(index=False)
    df["variable"] = "x"
    df["value"] = rng.gamma(2.0, 20.0, len(df)).round(1)
    df["flag"] = ""
    path = tmp_path / "by-region.parquet"
    pq.write_table(
        pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=rows_per_group
    )
    groups = pq.ParquetFile(path).metadata
    assert all(  # the layout this test is about: row groups spanning several years
        groups.row_group(i).column(2).statistics.min < groups.row_group(i).column(2).statistics.max
        for i in range(groups.num_row_groups)
    )
    return path, Panel(df)


def test_regrouping_reads_each_row_once_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    """Rows sorted by region: the copy grouped by year is made in one pass, then each year reads only its
    own rows (2 × the file's rows in all, against 6 × without the copy); the numbers are the in-memory
    ones, and the temporary folder is gone afterwards."""
    import speerpunt.measures.by_year as by_year

    path, panel = _region_sorted(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the copy goes, to look after
    rows_read: list[int] = []
    real = by_year.ParquetPanel._read

    def counting(self, group, columns):
        tbl = real(self, group, columns)
        rows_read.append(len(tbl))
        return tbl

    monkeypatch.setattr(by_year.ParquetPanel, "_read", counting)
    years, n = panel.years, len(panel.data)
    want = location_quotient(panel, variable="x", year=years, reference="XX", sectors="all")
    for regroup, factor in ((False, len(years)), (True, 2)):
        rows_read.clear()
        frames = lq_by_year(path, variable="x", reference="XX", years=years, regroup=regroup)
        got = pd.concat(frames, ignore_index=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert sum(rows_read) == factor * n
        assert list(scratch.iterdir()) == []


def test_regrouping_decides_by_the_rows_it_saves(tmp_path: Path) -> None:
    """``regroup=None`` copies only when slicing would read over a million rows more than one pass;
    a file already grouped by year is never copied."""
    from speerpunt.measures.by_year import REGROUP_MIN_EXTRA_ROWS, ParquetPanel

    path, panel = _region_sorted(tmp_path, n_years=len(YEARS))
    src = ParquetPanel(path, "x")
    wanted = [[y] for y in panel.years]
    read, once = src.rows_to_read(wanted)
    assert (read, once) == (len(panel.years) * len(panel.data), len(panel.data))
    assert read - once < REGROUP_MIN_EXTRA_ROWS  # so None does not copy this small file
    grouped = _write(panel.data, tmp_path / "grouped", "row groups")
    read, once = ParquetPanel(grouped, "x").rows_to_read([[y] for y in YEARS])
    assert read == once  # one row group per year (the last shared with y): nothing to gain


def test_regrouped_slices_refuse_bad_rows_naming_the_users_file(tmp_path: Path) -> None:
    """Rows are checked when their year is read from the copy, and the message names the original file."""
    path, panel = _region_sorted(tmp_path)
    df = panel.data.astype({c: str for c in ["region", "sector", "variable", "flag"]})
    df.loc[(df["region"] == "YY1") & (df["year"] == 2003), "value"] = -2.5
    bad = tmp_path / "negative-by-region.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), bad, row_group_size=40)
    frames = lq_by_year(bad, variable="x", reference="XX", regroup=True)
    assert [int(next(frames)["year"].iloc[0]) for _ in range(3)] == [2000, 2001, 2002]
    with pytest.raises(DataError, match=r"negative-by-region\.parquet.*negative value -2\.5"):
        next(frames)
