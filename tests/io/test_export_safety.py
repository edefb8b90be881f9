"""CSV/XLSX exports never carry a live formula (OWASP CSV injection), numbers stay numbers, and codes outside
Latin-1 (Łódź, €) export as UTF-8. Writers are called directly and through the CLI (subprocess)."""

from __future__ import annotations

import csv
import io
import math
import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from tests.report.test_safe_output import cli

from speerpunt.io import read_panel, write_csv, write_xlsx
from speerpunt.io.safe import FORMULA_STARTS, to_safe_csv

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "＝1+1"]
HARMLESS = ["B-E", "Łódź", "€ 5", "TOTAL", "-", "a=b"]


def frame() -> pd.DataFrame:
    codes = HOSTILE + HARMLESS
    return pd.DataFrame(
        {
            "code": codes,
            "value": [-3.5 + i for i in range(len(codes))],
            "count": [-(i + 1) for i in range(len(codes))],
        }
    )


def expected_text(code: str) -> str:
    """The OWASP rule, written out independently of the code under test."""
    if code in ("-", "+"):
        return code
    return "'" + code if code[:1] in "=+-@\t\r＝＋－＠" else code


def test_csv_neutralises_text_and_keeps_negative_numbers(tmp_path):
    df = frame()
    data = write_csv(df, tmp_path / "x.csv").read_bytes()
    text = data.decode("utf-8")  # UTF-8, so Łódź and € survive
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["code"] for r in rows] == [expected_text(c) for c in df["code"]]
    assert [float(r["value"]) for r in rows] == df["value"].tolist()
    assert [int(r["count"]) for r in rows] == df["count"].tolist()
    assert all(r["value"].startswith("-") for r in rows[:3])  # negative numbers are not prefixed
    assert "Łódź" in text and "€ 5" in text


def test_xlsx_stores_no_formula_and_numbers_as_numbers(tmp_path):
    df = frame()
    ws = load_workbook(write_xlsx(df, tmp_path / "x.xlsx")).active
    rows = list(ws.iter_rows(min_row=2))
    for (code, value, count), original in zip(rows, df.itertuples(index=False), strict=True):
        # openpyxl writes with lxml (a dependency of pikepdf), which keeps a bare carriage return as a
        # character reference: every text reads back as written
        assert code.data_type == "s"
        assert code.value == expected_text(original.code)
        assert value.data_type == "n" and value.value == original.value
        assert count.data_type == "n" and count.value == original.count
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_hostile_column_names_are_neutralised(tmp_path):
    df = pd.DataFrame({"=HYPERLINK(1)": ["x"], "lq": [-1.25]})
    head = write_csv(df, tmp_path / "h.csv").read_text(encoding="utf-8").splitlines()[0]
    assert head == "'=HYPERLINK(1),lq"
    ws = load_workbook(write_xlsx(df, tmp_path / "h.xlsx")).active
    assert ws["A1"].value == "'=HYPERLINK(1)" and ws["A1"].data_type == "s"
    assert ws["B2"].value == -1.25


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=8),
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=8, max_size=8),
)
def test_any_text_is_safe_and_any_number_survives(texts, numbers):
    df = pd.DataFrame({"text": texts, "number": numbers[: len(texts)]})
    buf = io.StringIO()
    buf.write(to_safe_csv(df))
    back = pd.read_csv(io.StringIO(buf.getvalue()), keep_default_na=False, dtype={"text": str})
    assert len(back) == len(df)  # no cell broke a row (carriage returns inside text)
    for shown, original in zip(back["text"], df["text"], strict=True):
        if shown.startswith(FORMULA_STARTS):
            # only a plain number or a lone sign may start with a sign unprefixed
            assert shown in ("+", "-") or re.fullmatch(
                r"[+-][0-9][0-9.,]*([eE][+-]?[0-9]+)?%?", shown
            )
        assert shown in (original, "'" + original)
    for shown, original in zip(back["number"], df["number"], strict=True):
        assert math.isclose(float(shown), float(original), rel_tol=1e-6, abs_tol=1e-30)


def _rows() -> pd.DataFrame:
    rows = []
    for region, total in (("BE", 1000.0), ("=HYPERLINK(1)", 400.0), ("Łódź", 300.0)):
        for year in (2017, 2018):
            for sector, share in (("TOTAL", 1.0), ("A", 0.4), ("@B", 0.3)):
                rows.append((region, sector, year, "employment", total * share))
    return pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"])


def test_panel_with_hostile_codes_writes_safely(tmp_path):
    source = tmp_path / "in.csv"
    _rows().to_csv(source, index=False)
    panel = read_panel(source)
    text = write_csv(panel, tmp_path / "panel.csv").read_text(encoding="utf-8")
    assert "\n'=HYPERLINK(1)," in text and ",'@B," in text and "\nŁódź," in text
    assert "\n=HYPERLINK" not in text and ",@B," not in text


def test_cli_csv_and_xlsx_exports(tmp_path):
    source = tmp_path / "in.csv"
    _rows().to_csv(source, index=False)
    base = ["lq", "--data", str(source), "--reference", "BE", "--year", "2018"]
    res = cli(*base, "--region", "=HYPERLINK(1)", "--format", "csv", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout), keep_default_na=False)
    assert set(table["region"]) == {"'=HYPERLINK(1)"}
    assert set(table["sector"]) >= {"'@B", "A"}
    # LQ of A: (160/400) / (400/1000) = 1.0; of @B: (120/400) / (300/1000) = 1.0
    assert table.set_index("sector")["lq"].to_dict() == {"'@B": 1.0, "A": 1.0}

    res = cli(*base, "--region", "Łódź", "--format", "xlsx", "--out", "l.xlsx", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    ws = load_workbook(tmp_path / "l.xlsx").active
    header = [c.value for c in ws[1]]
    values = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(2)]
    assert {v["region"] for v in values} == {"Łódź"}
    assert {v["sector"] for v in values} >= {"'@B", "A"}
    assert all(v["lq"] == 1.0 for v in values)  # (120/300) / (400/1000) and (90/300) / (300/1000)
    assert all(row[11].data_type == "n" for row in ws.iter_rows(2))
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_replaces_control_characters_instead_of_failing(tmp_path):
    df = pd.DataFrame({"code": ["R\x01G", "=\x02x"], "value": [-1.0, 2.0]})
    ws = load_workbook(write_xlsx(df, tmp_path / "c.xlsx")).active
    assert [ws["A2"].value, ws["A3"].value] == ["R\ufffdG", "'=\ufffdx"]
    assert [ws["B2"].value, ws["B3"].value] == [-1, 2]


def test_categorical_codes_are_neutralised_even_when_both_forms_exist(tmp_path):
    df = pd.DataFrame(
        {"code": pd.Categorical(["=x", "'=x", "A", None]), "v": [1.0, -2.0, 3.0, 4.0]}
    )
    lines = write_csv(df, tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["code,v", "'=x,1.0", "'=x,-2.0", "A,3.0", ",4.0"]
