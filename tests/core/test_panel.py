"""The Panel's matrix views agree with the long table they come from."""

from __future__ import annotations

import pandas as pd

from speerpunt.panel import Panel


def _panel() -> Panel:
    df = pd.DataFrame(
        [
            ("R", "A", 2000, "x", None, "c"),
            ("R", "B", 2000, "x", 4.0, "p"),
            ("N", "A", 2000, "x", 10.0, ""),
            ("N", "B", 2001, "x", 12.0, "e"),
        ],
        columns=["region", "sector", "year", "variable", "value", "flag"],
    )
    return Panel(df)


def test_flag_matrix_reads_each_cell_and_marks_absent_ones():
    m = _panel().flag_matrix("x", 2000, ["R", "N", "N", "XX"], ["A", "B", "Z"])
    assert m.tolist() == [
        ["c", "p", ":"],  # confidential, provisional, unknown sector
        ["", ":", ":"],  # N/B exists only in 2001
        ["", ":", ":"],  # repeated region rows are allowed (reference rows)
        [":", ":", ":"],  # unknown region
    ]


def test_flag_matrix_of_an_absent_year_is_all_missing():
    assert _panel().flag_matrix("x", 1999, ["R"], ["A"]).tolist() == [[":"]]


def test_wide_values_and_flags_match_the_long_table():
    p = _panel()
    w = p.wide("x", 2000)
    assert pd.isna(w.loc["R", "A"]) and w.loc["R", "B"] == 4.0 and w.loc["N", "A"] == 10.0
    assert pd.isna(w.loc["N", "B"])
    assert p.wide("x", 2000, column="flag").loc["N", "B"] == ":"
