"""The Parquet fast path (``speerpunt.io.parquet``) gives exactly what the general reader gives.

Reference: the general reader's own steps (``read_cells`` → ``clean`` → ``_finish``), which read every
cell as a Python object and check it row by row; the fast path reads Arrow dictionaries and checks
integer codes. On seeded random panels — whitespace around codes, codes written ``10.0``, several
variables, missing and flagged cells, null flags, integer or float years and values, rows out of order,
row groups with different dictionaries, duplicate keys, bad cells, a TOTAL its parts may exceed — both
give the same frame (values, order and dtypes), the same reading summary, or the same one-line error.
The one difference is the dtype of region, sector, variable and flag: the fast path returns them as
categoricals, exactly as the streamed CSV reader (``speerpunt.io.stream``) does, so the frames are
compared on their text and the categoricals against the streamed reader of the same table as CSV.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from speerpunt.errors import DataError
from speerpunt.io import read_panel
from speerpunt.io.parquet import read_long_parquet
from speerpunt.io.read import _finish, read_cells
from speerpunt.io.summary import ReadSummary
from speerpunt.io.validate import clean

REGIONS = ["BE21", " BE22", "BE23 ", "NL33C", "Reg X", "10.0", "10"]
SECTORS = ["A", "B", "C ", "TOTAL", "Insgesamt", "25.0"]
FLAGS = ["", "p", " c", "e", ":", ": c", None]


def _reference(path, **options):
    """The general reader, step by step: ``(frame, reading summary)`` or the error's text."""
    summary = ReadSummary(path.name)
    try:
        cells = read_cells(path, variable=options.get("variable"), summary=summary)
        table = clean(
            cells, summary=summary, **{k: v for k, v in options.items() if k != "variable"}
        )
        panel, summary = _finish(path, cells, table, summary)
    except DataError as exc:
        return str(exc), None
    return panel.data, summary.to_dict()


LABELS = ("region", "sector", "variable", "flag")


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The categorical label columns as ``str`` (the general reader's dtype), values unchanged."""
    for col in LABELS:
        assert isinstance(frame[col].dtype, pd.CategoricalDtype), col
    return frame.astype({c: "str" for c in LABELS})


def _fast(path, **options):
    from speerpunt.io.read import read_with_summary

    try:
        panel, summary = read_with_summary(path, **options)
    except DataError as exc:
        return str(exc), None
    return panel.data, summary.to_dict()


def same_reading(path, options: dict) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """``(general reader's frame, read_panel's frame)`` after checking that their reading summaries
    agree; None when both refused the file with the same message."""
    expected, expected_summary = _reference(path, **options)
    got, got_summary = _fast(path, **options)
    if isinstance(expected, str):
        assert got == expected
        return None
    assert got_summary == expected_summary
    return expected, got


def _random_table(rng: np.random.Generator, clean_only: bool) -> tuple[pa.Table, dict]:
    regions = list(rng.choice(REGIONS, size=rng.integers(1, 5), replace=False))
    sectors = list(rng.choice(SECTORS, size=rng.integers(1, 5), replace=False))
    if clean_only:
        # No two spellings of one code, no label that becomes a code: no duplicate key.
        regions = list(dict.fromkeys(r.strip() for r in regions if r != "10"))
        sectors = [s for s in sectors if s not in ("25.0", "Insgesamt")] or ["A"]
    years = sorted(rng.choice(np.arange(1998, 2010), size=rng.integers(1, 4), replace=False))
    variables = list(
        rng.choice(["employment", " firms", "wages"], size=rng.integers(1, 3), replace=False)
    )
    keys = [(r, s, y, v) for r in regions for s in sectors for y in years for v in variables]
    rows = [keys[i] for i in rng.permutation(len(keys))]  # out of key order
    keep = rng.random(len(rows)) < 0.9  # absent rows
    rows = [r for r, k in zip(rows, keep, strict=True) if k] or rows[:1]
    if not clean_only and rng.random() < 0.2:
        rows.append(rows[int(rng.integers(len(rows)))])  # a duplicate key
    n = len(rows)
    value = np.round(rng.gamma(2.0, 50.0, n), int(rng.integers(0, 3)))
    if rng.random() < 0.8:  # mostly a TOTAL above its parts; else the parts check refuses it
        value[[r[1].strip() in ("TOTAL", "Insgesamt") for r in rows]] *= 20
    value[rng.random(n) < 0.15] = np.nan
    value[rng.random(n) < 0.05] = 0.0
    if not clean_only and rng.random() < 0.1:
        value[int(rng.integers(n))] = -1.0
    flag = [FLAGS[i] for i in rng.integers(0, len(FLAGS), n)]
    if not clean_only and rng.random() < 0.1:
        flag[int(rng.integers(n))] = "x9"  # not a flag
    year = np.array([r[2] for r in rows], dtype=np.int64)
    cols: dict[str, pa.Array] = {
        "region": pa.array([r[0] for r in rows]),
        "sector": pa.array([r[1] for r in rows]),
        "year": pa.array(year.astype(float) if rng.random() < 0.3 else year),
        "variable": pa.array([r[3] for r in rows]),
        "value": pa.array(value, from_pandas=True),
        "flag": pa.array(flag, type=pa.string()),
    }
    if rng.random() < 0.3 and np.isfinite(value).all():
        cols["value"] = pa.array(value.astype(np.int64))
    if rng.random() < 0.5:
        cols["region"] = cols["region"].dictionary_encode()
    if rng.random() < 0.3:
        del cols["flag"]
    options: dict = {}
    if len(variables) > 1 and rng.random() < 0.5:
        options["variable"] = variables[0].strip()
    elif len(variables) == 1 and rng.random() < 0.3:
        del cols["variable"]
        options["variable"] = "employment"
    return pa.table(cols), options


@pytest.mark.parametrize("seed", range(80))
def test_fast_path_equals_general_reader(tmp_path, seed):
    rng = np.random.default_rng(seed)
    table, options = _random_table(rng, clean_only=seed % 2 == 0)
    path = tmp_path / "panel.parquet"
    # Small row groups: several chunks, each with its own dictionary.
    pq.write_table(table, path, row_group_size=int(rng.integers(3, 40)))
    if seed % 5 == 0:
        options["scheme"] = "a10"
    both = same_reading(path, options)
    if both is None:
        return
    expected, got = both
    pd.testing.assert_frame_equal(_as_text(got), expected, check_dtype=True, check_exact=True)
    for col in ("region", "sector", "variable"):
        # Categories: the values present, sorted as Python sorts strings (code order = text order).
        assert list(got[col].cat.categories) == sorted(set(expected[col]))
    assert set(expected["flag"]) <= set(got["flag"].cat.categories)


@pytest.mark.parametrize("seed", range(0, 80, 2))
def test_clean_panels_take_the_fast_path(tmp_path, seed):
    """Clean random panels are read by the fast path itself (not handed back to the general one)."""
    rng = np.random.default_rng(seed)
    table, options = _random_table(rng, clean_only=True)
    path = tmp_path / "panel.parquet"
    pq.write_table(table, path, row_group_size=int(rng.integers(3, 40)))
    if isinstance(_reference(path, **options)[0], str):
        return  # e.g. parts above TOTAL: the whole-table checks refuse it on both paths
    assert read_long_parquet(path, variable=options.get("variable"), decimal=None, thousands=None)


def test_hand_checked_panel(tmp_path):
    """Rows out of order, codes with spaces, a missing and a flagged cell: the expected frame by hand."""
    path = tmp_path / "p.parquet"
    pq.write_table(
        pa.table(
            {
                "region": pa.array(["R2 ", "R1", " R1", "R2"]).dictionary_encode(),
                "sector": ["A", "B", "A", "B"],
                "year": [2001, 2000, 2000, 2001],
                "variable": ["emp"] * 4,
                "value": [4.0, None, 1.5, 2.0],
                "flag": [None, "c", "", " p"],
            }
        ),
        path,
        row_group_size=2,
    )
    assert read_long_parquet(path, variable=None, decimal=None, thousands=None) is not None
    got = read_panel(path).data
    expected = pd.DataFrame(
        {
            "region": pd.array(["R1", "R1", "R2", "R2"], dtype="str"),
            "sector": pd.array(["A", "B", "A", "B"], dtype="str"),
            "year": np.array([2000, 2000, 2001, 2001], dtype=np.int64),
            "variable": pd.array(["emp"] * 4, dtype="str"),
            "value": [1.5, np.nan, 4.0, 2.0],
            "flag": pd.array(["", "c", "", "p"], dtype="str"),
        }
    )
    pd.testing.assert_frame_equal(_as_text(got), expected)
    assert list(got["region"].cat.categories) == ["R1", "R2"]
    # The flags present, sorted, then the suppressed-zero flags the aggregate checks may add.
    assert list(got["flag"].cat.categories) == ["", "c", "p", "cq", "pq", "q"]


def test_duplicate_key_names_the_later_line(tmp_path):
    """Two spellings of one key: the general reader's message, with the file's line numbers."""
    path = tmp_path / "d.parquet"
    pq.write_table(
        pa.table(
            {
                "region": ["R", "S", "R "],
                "sector": ["A", "A", "A"],
                "year": [2000, 2000, 2000],
                "variable": ["emp"] * 3,
                "value": [1.0, 2.0, 3.0],
            }
        ),
        path,
    )
    with pytest.raises(DataError) as err:
        read_panel(path)
    assert str(err.value) == (
        "d.parquet, line 4, column 'region': duplicate key (region R, sector A, year 2000, "
        "variable emp), first on line 2"
    )


def test_suppressed_zero_flagged_as_the_general_reader(tmp_path):
    """A zero part of B-E whose parent is larger than its parts: flag q on both paths."""
    path = tmp_path / "z.parquet"
    sectors = ["B-E", "B", "C", "D", "E"]
    pq.write_table(
        pa.table(
            {
                "region": ["R"] * 5,
                "sector": sectors,
                "year": [2000] * 5,
                "variable": ["emp"] * 5,
                "value": [100.0, 10.0, 0.0, 5.0, 5.0],
                "flag": ["", "", "", "p", ""],
            }
        ),
        path,
    )
    assert read_long_parquet(path, variable=None, decimal=None, thousands=None) is not None
    # Sectors that contain each other are read (not refused) so that the zero can be flagged.
    expected, expected_summary = _reference(path, check_overlaps=False)
    got, got_summary = _fast(path, check_overlaps=False)
    pd.testing.assert_frame_equal(_as_text(got), expected)
    assert got_summary == expected_summary
    assert got.set_index("sector").loc["C", "flag"] == "q"


@pytest.mark.parametrize("seed", range(5))
def test_sort_rows_is_a_stable_argsort(seed):
    """The packed in-place sort gives NumPy's stable argsort order, ties and all, and sees duplicates."""
    from speerpunt.io.validate import pack_codes, sort_rows

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3_000_000 if seed == 0 else 5_000))
    region, year = rng.integers(0, 50, n), rng.integers(1990, 2030, n)
    parts = [(region, 0, 50), (year, 1990, 40)]
    key = pack_codes(parts, n)
    assert key.dtype == np.int32
    assert (key == region * 40 + (year - 1990)).all()
    order, dup = sort_rows(parts, n)
    np.testing.assert_array_equal(order, np.argsort(region * 40 + year, kind="stable"))
    assert dup == (len(np.unique(key)) < n)
    order, dup = sort_rows([(np.arange(n)[::-1], 0, n)], n)
    assert not dup and (order == np.arange(n)[::-1]).all()
    # Beyond 31 bits: the int64 key and a stable argsort, same answer.
    wide = [(region, 0, 50), (year, 1990, 40), (np.zeros(n, dtype=np.int64), 0, 2**30)]
    order, dup = sort_rows(wide, n)
    np.testing.assert_array_equal(order, np.argsort(region * 40 + year, kind="stable"))
    assert dup == (len(np.unique(key)) < n)


def _clean_panel(rng: np.random.Generator) -> pd.DataFrame:
    """A random valid long panel: TOTAL at least the sum of its parts, missing and flagged cells,
    values in tenths (so that their CSV text reads back exactly under any number convention)."""
    regions = [f"R{i}" for i in rng.permutation(int(rng.integers(1, 6)))]
    sectors = ["B", "A", "C", "TOTAL"][: int(rng.integers(1, 5))]
    rows = [
        (r, s, y, v)
        for r in regions
        for s in sectors
        for y in (2001, 1999, 2000)
        for v in ("wages", "employment")
    ]
    rows = [rows[i] for i in rng.permutation(len(rows))]
    value = rng.integers(0, 5000, len(rows)) / 10
    value[[r[1] == "TOTAL" for r in rows]] += 2000.0  # above any sum of the three parts
    value[rng.random(len(rows)) < 0.15] = np.nan
    flag = rng.choice(["", "p", "c", "e"], len(rows), p=[0.7, 0.1, 0.1, 0.1])
    return pd.DataFrame(
        {
            "region": [r[0] for r in rows],
            "sector": [r[1] for r in rows],
            "year": [r[2] for r in rows],
            "variable": [r[3] for r in rows],
            "value": value,
            "flag": flag,
        }
    )


@pytest.mark.parametrize("seed", range(12))
def test_categoricals_equal_the_streamed_csv_reader(tmp_path, seed):
    """The same table as Parquet (fast path) and as CSV read by the streamed reader: the same frame,
    categorical dtypes and their categories included."""
    frame = _clean_panel(np.random.default_rng(seed))
    pq_path, csv_path = tmp_path / "p.parquet", tmp_path / "p.csv"
    frame.to_parquet(pq_path, index=False)
    frame.to_csv(csv_path, index=False)
    assert read_long_parquet(pq_path, variable=None, decimal=None, thousands=None) is not None
    from_parquet = read_panel(pq_path).data
    streamed = read_panel(csv_path, block_size=256).data
    pd.testing.assert_frame_equal(from_parquet, streamed, check_exact=True)


@pytest.mark.parametrize("seed", range(4))
def test_location_quotient_from_parquet_equals_csv(tmp_path, seed):
    """LQ of a panel read from Parquet (categorical labels) equals LQ of the same table read from CSV
    with its labels as ``str``: the same numbers, regions, sectors and notes, exactly."""
    from speerpunt import location_quotient
    from speerpunt.panel import Panel

    frame = _clean_panel(np.random.default_rng(100 + seed))
    pq_path, csv_path = tmp_path / "p.parquet", tmp_path / "p.csv"
    frame.to_parquet(pq_path, index=False)
    frame.to_csv(csv_path, index=False)
    from_parquet = read_panel(pq_path)
    # A CSV of bare numbers takes a fast path with categorical labels too: ``str`` labels by hand.
    from_csv = Panel(read_panel(csv_path).data.astype(dict.fromkeys(LABELS, "str")))
    assert isinstance(from_parquet.data["region"].dtype, pd.CategoricalDtype)
    assert not isinstance(from_csv.data["region"].dtype, pd.CategoricalDtype)
    years = [1999, 2000, 2001]
    got = location_quotient(from_parquet, variable="employment", year=years, sectors="all")
    expected = location_quotient(from_csv, variable="employment", year=years, sectors="all")
    assert len(expected) > 0
    # The result's label columns are str on both paths: the frames are compared as they are.
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert expected["lq"].notna().sum() > 0


def test_many_codes_across_batches(tmp_path, monkeypatch):
    """More distinct regions than int8 codes hold, first seen in later batches and row groups: the
    codes widen on the way and the frame equals the general reader's."""
    import speerpunt.io.parquet as fast

    monkeypatch.setattr(fast, "_BATCH_ROWS", 50)  # many batches on a small file
    regions = [f"R{i:03d}" for i in range(300)]
    table = pa.table(
        {
            "region": regions * 2,
            "sector": ["A"] * 600,
            "year": [2000] * 300 + [2001] * 300,
            "variable": ["emp"] * 600,
            "value": np.arange(600, dtype=float),
        }
    )
    path = tmp_path / "many.parquet"
    pq.write_table(table, path, row_group_size=170)
    codes, labels = fast._read_columns(path, {r: r for r in table.column_names})["region"]
    assert codes.dtype == np.int16 and list(labels) == regions
    assert (codes == np.tile(np.arange(300), 2)).all()
    expected, _ = _reference(path)
    got, _ = _fast(path)
    pd.testing.assert_frame_equal(_as_text(got), expected, check_exact=True)
    assert list(got["region"].cat.categories) == regions
