"""XLSX with merged header cells: a label merged over the year columns above a row of years."""

from __future__ import annotations

import openpyxl
import pytest

from speerpunt.errors import DataError
from speerpunt.io import read_panel


def _book(path, merges, header1, header2, rows, title_rows=0):
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["Werkgelegenheid per gewest en sector (RSZ)"])
    ws.append(header1)
    ws.append(header2)
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


ROWS = [
    ["BE1", "C", 10, 11, 12],
    ["BE1", "TOTAL", 100, 110, 120],
    ["BE2", "C", 20, 21, 22],
    ["BE2", "TOTAL", 200, 210, 220],
]


def test_label_merged_over_years_names_the_variable(tmp_path):
    # region and sector merged down over both header rows; "Werkgelegenheid" over C1:E1
    path = _book(
        tmp_path / "merged.xlsx",
        ["A2:A3", "B2:B3", "C2:E2"],
        ["gewest", "sector", "Werkgelegenheid", None, None],
        [None, None, 2018, 2019, 2020],
        ROWS,
        title_rows=1,
    )
    p = read_panel(path)
    assert p.variables == ["Werkgelegenheid"]
    assert p.years == [2018, 2019, 2020]
    df = p.data.set_index(["region", "sector", "year"])["value"]
    # hand-checked against ROWS: BE2 C 2019 = 21, BE1 TOTAL 2020 = 120
    assert df[("BE2", "C", 2019)] == 21
    assert df[("BE1", "TOTAL", 2020)] == 120
    assert len(p.data) == 12


def test_variable_option_overrides_the_merged_label(tmp_path):
    path = _book(
        tmp_path / "m.xlsx",
        ["C1:E1"],
        ["region", "sector", "Werkgelegenheid", None, None],
        [None, None, 2018, 2019, 2020],
        ROWS,
    )
    p = read_panel(path, variable="employment")
    assert p.variables == ["employment"]
    assert p.data.set_index(["region", "sector", "year"])["value"][("BE1", "C", 2018)] == 10


def test_two_merged_groups_are_refused_naming_both(tmp_path):
    path = _book(
        tmp_path / "two.xlsx",
        ["C1:D1", "E1:F1"],
        ["region", "sector", "Werkgelegenheid", None, "Loonmassa", None],
        [None, None, 2018, 2019, 2018, 2019],
        [["BE1", "TOTAL", 1, 2, 3, 4]],
    )
    with pytest.raises(DataError) as exc:
        read_panel(path)
    msg = str(exc.value)
    assert "C1:D1 'Werkgelegenheid'" in msg and "E1:F1 'Loonmassa'" in msg
    assert "\n" not in msg


def test_merged_title_cell_is_not_a_header(tmp_path):
    # A title merged over A1:E1 with the real one-row header below: read as before.
    path = _book(
        tmp_path / "title.xlsx",
        ["A1:E1"],
        ["Werkgelegenheid", None, None, None, None],
        ["region", "sector", 2018, 2019, 2020],
        ROWS,
    )
    p = read_panel(path, variable="employment")
    assert p.data.set_index(["region", "sector", "year"])["value"][("BE2", "TOTAL", 2018)] == 200
