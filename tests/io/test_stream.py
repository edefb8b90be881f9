"""The streaming reader (speerpunt.io.stream) against the in-memory reader, on files forced into blocks."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from speerpunt.errors import DataError
from speerpunt.io.read import read_with_summary

CODES = ["region", "sector", "variable", "flag"]


def _text(panel) -> pd.DataFrame:
    return panel.data.astype(dict.fromkeys(CODES, str))


def _dutch_file(tmp_path: Path, rows: int = 400) -> tuple[Path, dict]:
    """A ';' file in the Dutch convention (1.234,5) with title lines and notes; expected values by hand."""
    rng = np.random.default_rng(7)
    lines = ["Werkgelegenheid per gewest", "", "gewest;sector;jaar;variabele;waarde"]
    expected = {}
    for i in range(rows):
        region, year = f"BE{i % 20:02d}", 2000 + i // 20
        parts = rng.integers(1000, 90000, size=2)
        cents = rng.integers(0, 10, size=2)
        for sector, whole, tenth in zip(["A", "F"], parts, cents, strict=True):
            cell = f"{whole // 1000}.{whole % 1000:03d},{tenth}"
            lines.append(f"{region};{sector};{year};employment;{cell}")
            expected[(region, sector, year)] = whole + tenth / 10
    lines += ["", "Bron: Statbel"]
    path = tmp_path / "dutch.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, expected


def test_streamed_panel_equals_in_memory_panel(tmp_path: Path) -> None:
    path, expected = _dutch_file(tmp_path)
    streamed, s1 = read_with_summary(path, block_size=512)
    memory, s2 = read_with_summary(path)
    assert isinstance(streamed.data["sector"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    assert s1.numbers == s2.numbers == "decimal comma ',', thousands '.'"
    assert s1.skipped_lines == s2.skipped_lines
    d = _text(streamed).set_index(["region", "sector", "year"])["value"]
    assert len(d) == len(expected)
    for key, value in list(expected.items())[::37]:
        assert d.loc[key] == pytest.approx(value)


def test_streamed_gzip_equals_plain(tmp_path: Path) -> None:
    path, _ = _dutch_file(tmp_path, rows=200)
    gz = tmp_path / "dutch.csv.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    a, _ = read_with_summary(gz, block_size=300)
    b, _ = read_with_summary(path)
    pd.testing.assert_frame_equal(_text(a), _text(b))


def test_late_block_contradicting_the_convention_is_refused(tmp_path: Path) -> None:
    path, _ = _dutch_file(tmp_path, rows=300)
    lines = path.read_text().split("\n")
    # A plain '12.5' far below the '1.234,5' numbers: no reading may be guessed.
    lines[500] = "BE99;A;2099;employment;12.5"
    path.write_text("\n".join(lines))
    with pytest.raises(DataError) as err:
        read_with_summary(path, block_size=512)
    msg = str(err.value)
    assert "line 501" in msg and "'12.5'" in msg and "convention" in msg


def test_late_block_ambiguous_alone_is_read_with_the_earlier_convention(tmp_path: Path) -> None:
    # '35.991' alone is ambiguous; after '1.234,5' in the first block it is 35991, as in memory.
    rows = ["region;sector;year;variable;value", "R1;A;2018;employment;1.234,5"]
    rows += [f"R{i};A;2018;employment;35.991" for i in range(2, 60)]
    path = tmp_path / "late.csv"
    path.write_text("\n".join(rows) + "\n")
    streamed, _ = read_with_summary(path, block_size=128)
    memory, _ = read_with_summary(path)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    assert _text(streamed).set_index("region")["value"]["R59"] == 35991.0


def test_duplicate_across_blocks_is_refused_with_both_lines(tmp_path: Path) -> None:
    rows = ["region,sector,year,variable,value"]
    rows += [f"R{i},A,2018,employment,{i}" for i in range(100)]
    rows.append("R3,A,2018,employment,7")  # line 102 repeats line 5
    path = tmp_path / "dup.csv"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError, match=r"line 102.*first on line 5"):
        read_with_summary(path, block_size=256)


def test_parts_above_total_checked_over_all_blocks(tmp_path: Path) -> None:
    rows = ["region,sector,year,variable,value"]
    rows += [f"R{i},TOTAL,2018,employment,10" for i in range(50)]
    rows += [f"R{i},A,2018,employment,4" for i in range(50)]
    rows += [f"R{i},B,2018,employment,{5 if i < 49 else 8}" for i in range(50)]
    path = tmp_path / "parts.csv"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError, match=r"sum to 12, above TOTAL 10 .*region R49"):
        read_with_summary(path, block_size=256)


# Blocks of cells in plain form with a decimal point (``1234.5``, ``12.5 p``) skip number detection
# (speerpunt.io.numbers.plain_cells); the cases below hold the reading to what detection gives.


def _plain_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "plain.csv"
    path.write_text("region,sector,year,variable,value\n" + "\n".join(rows) + "\n")
    return path


def test_plain_point_blocks_equal_the_in_memory_reader(tmp_path: Path) -> None:
    # Whole numbers first (nothing settled), then decimals, flags inside cells, missing cells, and
    # '35.991' below a settled point: a decimal, 35.991, as detection reads it.
    rows = [f"R{i:02d},A,2018,employment,{1000 + i}" for i in range(40)]
    rows += [f"R{i:02d},B,2018,employment,{i}.25" for i in range(40)]
    rows += [f"R{i:02d},C,2018,employment,{i}.5 p" for i in range(40)]
    rows += [f"R{i:02d},D,2018,employment,: c" for i in range(20)]
    rows += [f"R{i:02d},E,2018,employment,35.991" for i in range(40)]
    path = _plain_file(tmp_path, rows)
    streamed, s1 = read_with_summary(path, block_size=256)
    memory, s2 = read_with_summary(path)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    assert s1.numbers == s2.numbers == "decimal point '.'"
    d = _text(streamed).set_index(["region", "sector"])
    assert d.loc[("R07", "A"), "value"] == 1007.0
    assert d.loc[("R07", "B"), "value"] == 7.25
    assert (d.loc[("R07", "C"), "value"], d.loc[("R07", "C"), "flag"]) == (7.5, "p")
    assert np.isnan(d.loc[("R07", "D"), "value"]) and d.loc[("R07", "D"), "flag"] == "c"
    assert d.loc[("R07", "E"), "value"] == 35.991


def test_plain_decimals_read_exactly_as_python_reads_them(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    values = rng.random(3000) * 10.0 ** rng.integers(-2, 7, 3000)
    cells = [repr(float(v)) for v in values]
    cells = [c if "e" not in c else "0.5" for c in cells]
    rows = [f"R{i:04d},A,2018,employment,{c}" for i, c in enumerate(cells)]
    streamed, _ = read_with_summary(_plain_file(tmp_path, rows), block_size=4096)
    got = _text(streamed).set_index("region")["value"]
    for i in range(0, 3000, 7):
        assert got[f"R{i:04d}"] == float(cells[i])  # exact, not approximate


def test_plain_block_of_thousands_like_numbers_alone_is_still_ambiguous(tmp_path: Path) -> None:
    rows = [f"R{i:02d},A,2018,employment,{i + 10}.991" for i in range(60)]
    path = _plain_file(tmp_path, rows)
    with pytest.raises(DataError) as streamed:
        read_with_summary(path, block_size=256)
    with pytest.raises(DataError) as memory:
        read_with_summary(path)
    assert "line 2" in str(streamed.value) and "'10.991'" in str(streamed.value)
    assert str(streamed.value) == str(memory.value)


def test_decimal_comma_after_plain_point_blocks_is_refused(tmp_path: Path) -> None:
    rows = [f"R{i:02d},A,2018,employment,{i}.75" for i in range(60)]
    rows.append('R99,A,2018,employment,"1.234,5"')  # line 62
    path = _plain_file(tmp_path, rows)
    with pytest.raises(DataError) as err:
        read_with_summary(path, block_size=256)
    msg = str(err.value)
    assert "line 62" in msg and "'1.234,5'" in msg and "convention" in msg


def test_plain_cells_with_options_go_through_detection(tmp_path: Path) -> None:
    # thousands='.' given: '1.250' is 1250 (no fast reading as a decimal).
    rows = [f"R{i:02d},A,2018,employment,1.250" for i in range(60)]
    streamed, _ = read_with_summary(_plain_file(tmp_path, rows), block_size=256, thousands=".")
    assert (_text(streamed)["value"] == 1250.0).all()


def _convention_file(
    tmp_path: Path, rng, dutch: bool, grouped: bool, flags: bool
) -> tuple[Path, dict]:
    """Values written by hand in a convention (decimal comma or point, thousands grouped or not, some
    flags and missing cells), with the expected number of every key."""
    dec, sep = (",", ".") if dutch else (".", ",")
    lines = [";".join(["region", "sector", "year", "variable", "value"])]
    expected: dict = {}
    for i in range(400):
        whole, cents = int(rng.integers(0, 2_000_000)), int(rng.integers(0, 100))
        digits = f"{whole:,}".replace(",", sep) if grouped else str(whole)
        cell = f"{digits}{dec}{cents:02d}"
        value = whole + cents / 100
        if flags and rng.random() < 0.05:
            cell, value = ": c", None
        elif flags and rng.random() < 0.05:
            cell += " p"
        key = (f"R{i:03d}", "A", 2018)
        lines.append(f"{key[0]};A;2018;employment;{cell}")
        expected[key] = value
    path = tmp_path / "conv.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, expected


@pytest.mark.parametrize("seed", range(16))
def test_settled_convention_blocks_equal_the_in_memory_reader(tmp_path: Path, seed: int) -> None:
    # Later blocks in a settled convention skip detection (read_settled): same frame, same summary,
    # and every value as written by hand.
    rng = np.random.default_rng(seed)
    dutch, grouped, flags = bool(seed % 2), bool(seed // 2 % 2), bool(seed // 4 % 2)
    path, expected = _convention_file(tmp_path, rng, dutch, grouped, flags)
    streamed, s1 = read_with_summary(path, block_size=300)
    memory, s2 = read_with_summary(path)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory), check_exact=True)
    assert s1.numbers == s2.numbers
    got = _text(streamed).set_index(["region", "sector", "year"])["value"]
    for key, value in expected.items():
        if value is None:
            assert np.isnan(got[key])
        else:
            assert got[key] == pytest.approx(value, rel=1e-15)
