"""The CSV fast path (``speerpunt.io.csv_fast``) gives exactly what the general reader gives.

Reference: the general reader step by step (``read_cells`` → ``clean`` → ``_finish``: every cell a Python
object, numbers through convention detection). On seeded random panels written as CSV (the Parquet fast
path's generator: codes with spaces or written ``10.0``, several variables, flags, TOTAL rows, duplicate
keys, bad cells) both give the same frame, the same reading summary or the same one-line error; files
the fast path must leave alone (title lines, blank lines, quoted newlines, flags inside value cells,
``35.991`` alone, a decimal comma, a byte-order mark) are handed back, and still read as before.
"""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from speerpunt.errors import DataError

from .test_parquet_fast import LABELS, _random_table, same_reading


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Label columns as ``str`` (categoricals from the fast or streamed path, ``str`` in memory)."""
    return frame.astype({c: "str" for c in LABELS})


def _csv(table, path, rng) -> None:
    frame = table.to_pandas()
    if rng.random() < 0.7:  # bare numbers everywhere: what the fast path reads itself
        frame["value"] = frame["value"].fillna(3.25)
    frame.to_csv(path, index=False, sep=";" if rng.random() < 0.3 else ",")


@pytest.mark.parametrize("seed", range(60))
def test_fast_path_equals_general_reader(tmp_path, seed):
    rng = np.random.default_rng(1000 + seed)
    table, options = _random_table(rng, clean_only=seed % 2 == 0)
    path = tmp_path / ("panel.csv.gz" if seed % 3 == 0 else "panel.csv")
    _csv(table, path, rng)  # pandas packs a .gz name
    if seed % 5 == 0:
        options["scheme"] = "a10"
    both = same_reading(path, options)
    if both is not None:
        expected, got = both
        pd.testing.assert_frame_equal(_as_text(got), expected, check_dtype=True, check_exact=True)


def _taken(path, variable=None) -> bool:
    from speerpunt.io.csv_fast import read_long_csv

    got = read_long_csv(path, variable=variable, decimal=None, thousands=None, encoding="utf-8")
    return got is not None


def test_clean_panels_take_the_fast_path(tmp_path):
    taken = 0
    for seed in range(0, 60, 2):
        rng = np.random.default_rng(1000 + seed)
        table, options = _random_table(rng, clean_only=True)
        frame = table.to_pandas()
        frame["value"] = frame["value"].fillna(3.25)
        path = tmp_path / f"p{seed}.csv"
        frame.to_csv(path, index=False)
        taken += _taken(path, options.get("variable"))
    assert taken >= 25  # of 30: the rest hold a code the general reader must word (e.g. '10.0')


def _write(tmp_path, text: str, name: str = "p.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


HEADER = "region,sector,year,variable,value,flag\n"


def test_hand_checked_panel(tmp_path):
    """Rows out of order, spaces around codes, a flag column, decimals: expected values by hand."""
    path = _write(
        tmp_path,
        HEADER
        + "R2 ,A,2019,employment,1234.5,p\n"
        + "R1,A,2019,employment,10,\n"
        + " R1,B,2019,employment,35.991,\n"
        + "R2,B,2019,employment,0.25,e\n",
    )
    assert _taken(path)
    from speerpunt.io.read import read_with_summary

    panel, summary = read_with_summary(path)
    d = _as_text(panel.data).set_index(["region", "sector"])
    assert d.loc[("R2", "A"), "value"] == 1234.5 and d.loc[("R2", "A"), "flag"] == "p"
    assert d.loc[("R1", "B"), "value"] == 35.991  # the point is settled by 1234.5 and 0.25
    assert d.loc[("R2", "B"), "flag"] == "e"
    assert list(panel.data["region"].astype(str)) == ["R1", "R1", "R2", "R2"]
    assert summary.numbers == "decimal point '.'" and summary.separator == ","


@pytest.mark.parametrize(
    "text",
    [
        "Werkgelegenheid\n" + HEADER + "R1,A,2019,employment,1.5,\n",  # a title line
        HEADER + "R1,A,2019,employment,1.5,\n\nR2,A,2019,employment,2.5,\n",  # a blank line
        HEADER + 'R1,A,2019,employment,1.5,"p\nq"\n',  # a quoted newline
        HEADER + "R1,A,2019,employment,1.5 p,\n",  # a flag inside the value cell
        HEADER + "R1,A,2019,employment,:,\n",  # a missing marker
        HEADER + "R1,A,2019,employment,35.991,\n",  # ambiguous alone
        HEADER + 'R1,A,2019,employment,"1,5",\n',  # a decimal comma
        "\ufeff" + HEADER + "R1,A,2019,employment,1.5,\n",  # a byte-order mark
        HEADER + "R1,A,2019,employment,1.5,\nBron: Statbel\n",  # a note line
        HEADER + "R1,A,2019.5,employment,1.5,\n",  # not a whole year
        HEADER + "R1,A,2019,employment,-1.5,\n",  # a negative value
        HEADER + ",A,2019,employment,1.5,\n",  # an empty code
    ],
)
def test_files_the_fast_path_leaves_to_the_general_reader(tmp_path, text):
    path = _write(tmp_path, text)
    assert not _taken(path)
    both = same_reading(path, {})
    if both is not None:
        expected, got = both
        pd.testing.assert_frame_equal(_as_text(got), expected, check_exact=True)


def test_duplicate_key_names_both_lines(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "R1,A,2019,employment,1.5,\nR2,A,2019,employment,2.5,\nR1,A,2019,employment,3.5,\n",
    )
    with pytest.raises(DataError, match=r"line 4.*first on line 2"):
        _fast_raise(path)


def _fast_raise(path, **options):
    from speerpunt.io.read import read_with_summary

    return read_with_summary(path, **options)


def test_exact_decimals_against_python(tmp_path):
    rng = np.random.default_rng(5)
    values = rng.random(5000) * 10.0 ** rng.integers(-2, 7, 5000)
    cells = [repr(float(v)) for v in values]
    cells = [c if "e" not in c else "0.5" for c in cells]
    rows = "".join(f"R{i:05d},A,2019,employment,{c},\n" for i, c in enumerate(cells))
    path = _write(tmp_path, HEADER + rows)
    assert _taken(path)
    got = _as_text(_fast_raise(path)[0].data).set_index("region")["value"]
    assert all(got[f"R{i:05d}"] == float(cells[i]) for i in range(0, 5000, 3))


def test_gzip_file_takes_the_fast_path_and_keeps_the_unpack_limit(tmp_path):
    rows = "".join(f"R{i:04d},A,2019,employment,{i}.5,\n" for i in range(3000))
    path = tmp_path / "p.csv.gz"
    path.write_bytes(gzip.compress((HEADER + rows).encode()))
    plain = _write(tmp_path, HEADER + rows)
    assert _taken(path)
    a, b = _fast_raise(path)[0].data, _fast_raise(plain)[0].data
    pd.testing.assert_frame_equal(_as_text(a), _as_text(b), check_exact=True)
    assert _as_text(a).set_index("region")["value"]["R0007"] == 7.5
    from speerpunt.io.csv_fast import read_long_csv

    small = dict(variable=None, decimal=None, thousands=None, encoding="utf-8")
    assert read_long_csv(path, max_unpacked_bytes=10_000, **small) is None
    with pytest.raises(DataError, match="unpack"):
        _fast_raise(path, max_unpacked_bytes=10_000)


def test_empty_value_cells_are_missing_values(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "R1,A,2019,employment,,c\n"
        + "R2,A,2019,employment,,\n"
        + "R3,A,2019,employment,4.5,\n",
    )
    assert _taken(path)
    both = same_reading(path, {})
    assert both is not None
    expected, got = both
    pd.testing.assert_frame_equal(_as_text(got), expected, check_exact=True)
    d = _as_text(got).set_index("region")
    # By hand: an empty cell is a missing value; its flag is the flag column's, or ':' without one.
    assert np.isnan(d.loc["R1", "value"]) and d.loc["R1", "flag"] == "c"
    assert np.isnan(d.loc["R2", "value"]) and d.loc["R2", "flag"] == ":"
    assert d.loc["R3", "value"] == 4.5 and d.loc["R3", "flag"] == ""


@pytest.mark.parametrize("bad_row", [5, 60_000, 139_999])
def test_a_bad_value_in_any_batch_hands_the_file_back(tmp_path, bad_row):
    """140,000 rows are several of Arrow's 1 MB batches, whose values are read in the worker thread
    while the next batch is parsed: a flag inside a value cell in the first, a middle or the last
    batch hands the whole file to the general reader, which reads that cell as value 12 with flag p.
    A clean file of the same size takes the fast path and reads every value."""
    cells = [f"{i % 997}.25" for i in range(140_000)]
    clean = _write(
        tmp_path,
        HEADER + "".join(f"R{i:06d},A,2019,employment,{c},\n" for i, c in enumerate(cells)),
    )
    assert clean.stat().st_size > 4 << 20
    assert _taken(clean)
    got = _as_text(_fast_raise(clean)[0].data).set_index("region")["value"]
    assert got["R000000"] == 0.25 and got["R139999"] == float(139_999 % 997) + 0.25
    cells[bad_row] = "12 p"
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "".join(f"R{i:06d},A,2019,employment,{c},\n" for i, c in enumerate(cells))
    )
    assert not _taken(path)
    data = _as_text(_fast_raise(path)[0].data).set_index("region")
    assert data.loc[f"R{bad_row:06d}", "value"] == 12.0
    assert data.loc[f"R{bad_row:06d}", "flag"] == "p"


def test_the_worker_reading_a_file_runs_its_second_stage_itself(tmp_path):
    """A CSV read from inside the worker thread (a task of another pipeline) must not wait for a task
    queued behind itself."""
    from speerpunt import _parallel

    rows = "".join(f"R{i:06d},A,2019,employment,{i}.5,\n" for i in range(140_000))
    path = _write(tmp_path, HEADER + rows)
    data = _parallel.worker().submit(lambda: _fast_raise(path)[0].data).result(timeout=60)
    assert len(data) == 140_000
