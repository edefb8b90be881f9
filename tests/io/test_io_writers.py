"""Writers: lossless round trips (with NaN + flag) and the XLSX styling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from speerpunt.io import read_panel, write_csv, write_parquet, write_xlsx
from speerpunt.panel import Panel, PanelMeta


@pytest.fixture
def panel():
    df = pd.DataFrame(
        {
            "region": ["BE21", "BE21", "BE21", "BE22", "BE22"],
            "sector": ["A", "C", "F", "A", "C"],
            "year": [2000, 2000, 2000, 2018, 2018],
            "variable": ["employment"] * 5,
            "value": [4.1, np.nan, 0.1 + 0.2, np.nan, 1234567.891],
            "flag": ["", "c", "p", ":", "pe"],
        }
    )
    return Panel(
        df,
        PanelMeta(name="t", units={"employment": "thousand persons"}, attribution="Source: test"),
    )


@pytest.mark.parametrize(
    "writer,suffix", [(write_csv, ".csv"), (write_parquet, ".parquet"), (write_xlsx, ".xlsx")]
)
def test_round_trip_is_lossless(tmp_path, panel, writer, suffix):
    path = writer(panel, tmp_path / f"out{suffix}")
    back = read_panel(path)
    if suffix == ".xlsx":
        # Excel keeps 15 significant digits: 0.1 + 0.2 comes back as 0.3, everything else exact.
        pd.testing.assert_frame_equal(back.data, panel.data, check_exact=False, rtol=1e-15, atol=0)
        assert back.data["value"].iloc[2] == 0.3
    else:
        got = back.data
        # The Parquet and CSV fast paths return the label columns as categoricals (as the streamed CSV
        # reader does); their text is what must survive.
        labels = ["region", "sector", "variable", "flag"]
        assert all(isinstance(got[c].dtype, pd.CategoricalDtype) for c in labels)
        got = got.astype(dict.fromkeys(labels, "str"))
        pd.testing.assert_frame_equal(got, panel.data, check_exact=True)
        # 0.1 + 0.2 is 0.30000000000000004: the exact float survives text and Parquet
        assert back.data["value"].iloc[2] == 0.1 + 0.2


def test_parquet_keeps_metadata(tmp_path, panel):
    back = read_panel(write_parquet(panel, tmp_path / "m.parquet"))
    assert back.unit("employment") == "thousand persons"
    assert back.meta.attribution == "Source: test"


def test_csv_writes_missing_as_empty_with_flag(tmp_path, panel):
    text = write_csv(panel, tmp_path / "x.csv").read_text()
    assert text.splitlines()[0] == "region,sector,year,variable,value,flag"
    assert "BE21,C,2000,employment,,c" in text.splitlines()


def test_xlsx_formats_header_and_sheets(tmp_path):
    table = pd.DataFrame(
        {"region": ["BE21"], "year": [2018], "jobs": [35991], "lq": [1.23456], "share": [0.054]}
    )
    other = pd.DataFrame({"sector": ["C"], "value": [2.5]})
    path = write_xlsx(
        {"lq": table, "detail/2018": other}, tmp_path / "r.xlsx", formats={"share": "0.0%"}
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["lq", "detail_2018"]
    ws = wb["lq"]
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    fmt = {ws.cell(1, j).value: ws.cell(2, j).number_format for j in range(1, 6)}
    assert fmt["jobs"] == "#,##0"
    assert fmt["lq"] == "0.000"
    assert fmt["share"] == "0.0%"
    assert fmt["year"] == "0"
    assert ws.cell(2, 3).value == 35991 and ws.cell(2, 4).value == 1.23456
    assert wb["detail_2018"].cell(2, 2).number_format == "0.000"
