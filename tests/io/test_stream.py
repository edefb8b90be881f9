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
