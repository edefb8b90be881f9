"""Writes the binary members of the bad-input corpus (run once: ``python tests/badinput/make_binary.py``).

The text members are plain files written by hand; these need bytes or formats a text editor cannot
produce: other encodings, XLSX workbooks with special cells, Parquet files with wrong or nested column
types, gzip files. Bombs (huge unpacked sizes or sheet dimensions) are made by the tests themselves and
never committed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["region", "sector", "year", "variable", "value"]


def _xlsx(name: str, rows: list[list], title: str | None = None, extra: dict | None = None) -> None:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for row in rows:
        ws.append(row)
    for sheet, sheet_rows in (extra or {}).items():
        other = wb.create_sheet(sheet)
        for row in sheet_rows:
            other.append(row)
    wb.save(HERE / name)


def text_files() -> None:
    # "Liège" in Latin-1: byte 0xe8 on line 3, in the region column.
    (HERE / "latin1.csv").write_bytes(
        "region,sector,year,variable,value\nBE21,A,2000,employment,4.1\nLiège,A,2000,employment,3.0\n".encode(
            "latin-1"
        )
    )
    table = "region;sector;year;variable;value\nLiège;A;2018;employment;4,5\nBE21;F;2018;employment;30,2\n"
    (HERE / "utf16_bom.csv").write_bytes(table.encode("utf-16"))  # with byte-order mark
    (HERE / "utf16_le_nobom.csv").write_bytes(table.encode("utf-16-le"))
    (HERE / "cp1252.csv").write_bytes(
        "region,sector,year,variable,value\nLiège – stad,A,2018,employment,4.5\n".encode("cp1252")
    )
    (HERE / "good.csv.gz").write_bytes(
        gzip.compress(b"region,sector,year,variable,value\nBE21,A,2018,employment,4.5\n")
    )
    whole = gzip.compress(b"region,sector,year,variable,value\nBE21,A,2018,employment,4.5\n" * 50)
    (HERE / "truncated.csv.gz").write_bytes(whole[: len(whole) // 2])


def workbooks() -> None:
    _xlsx(
        "text_cell.xlsx",
        [
            HEADER,
            ["BE21", "A", 2000, "employment", 4.1],
            ["BE21", "F", 2000, "employment", 30.2],
            ["BE21", "C", 2000, "employment", "n.a."],
        ],
    )
    _xlsx(
        "xlsx_bool.xlsx",
        [HEADER, ["BE21", "A", 2018, "employment", 4.5], ["BE21", "F", 2018, "employment", True]],
    )
    _xlsx(
        "xlsx_error.xlsx",
        [
            HEADER,
            ["BE21", "A", 2018, "employment", 4.5],
            ["BE21", "F", 2018, "employment", "#DIV/0!"],
        ],
    )
    # openpyxl stores formulas without a computed result, as many export scripts do.
    _xlsx(
        "xlsx_formula_nocache.xlsx",
        [
            HEADER,
            ["BE21", "A", 2018, "employment", 4.5],
            ["BE21", "F", 2018, "employment", "=E2*2"],
        ],
    )
    _xlsx(
        "xlsx_date_value.xlsx",
        [
            HEADER,
            ["BE21", "A", 2018, "employment", 4.5],
            ["BE21", "F", 2018, "employment", dt.datetime(2018, 3, 1)],
        ],
    )
    _xlsx("xlsx_missing_sheet.xlsx", [HEADER, ["BE21", "A", 2018, "employment", 4.5]], title="data")
    _xlsx(
        "excel_date_year.xlsx",
        [
            HEADER,
            ["BE21", "A", dt.datetime(2018, 1, 1), "employment", 4.5],
            ["BE21", "A", dt.datetime(2019, 1, 1), "employment", 4.75],
        ],
    )
    _xlsx(
        "xlsx_title_rows.xlsx",
        [
            ["Werkgelegenheid per gewest"],
            [],
            ["gewest", "sector", "jaar", "waarde"],
            ["BE21", "A", 2018, 3412],
            ["BE21", "TOTAL", 2018, 781234],
            [],
            ["Bron: Statbel"],
        ],
    )
    _xlsx(
        "xlsx_second_sheet.xlsx",
        [["nothing here"]],
        extra={"emp": [["geo", "year", "A", "TOTAL"], ["BE", 2018, 80.5, 4109.25]]},
    )


def parquet_files() -> None:
    pd.DataFrame(
        {
            "region": ["BE21", "BE21"],
            "sector": ["A", "F"],
            "year": [2000, 2000],
            "variable": ["employment", "employment"],
            "value": pd.to_datetime(["2000-01-01", "2000-01-02"]),
        }
    ).to_parquet(HERE / "wrong_dtype.parquet", index=False)
    base = {"region": ["BE21"], "sector": ["A"], "year": [2018], "variable": ["employment"]}
    pq.write_table(
        pa.table({**base, "value": pa.array([[1.0, 2.0]])}), HERE / "parquet_nested.parquet"
    )
    pq.write_table(
        pa.table({**base, "value": pa.array([{"x": 1.0}])}), HERE / "parquet_struct.parquet"
    )
    pq.write_table(pa.table({**base, "value": pa.array([True])}), HERE / "parquet_bool.parquet")
    table = pa.table({**base, "value": [4.5]})
    bad = table.replace_schema_metadata({b"speerpunt": json.dumps({"no_such_field": 1}).encode()})
    pq.write_table(bad, HERE / "parquet_bad_meta.parquet")
    categorical = pd.DataFrame(
        {
            "region": pd.Categorical(["BE21", "BE21"]),
            "sector": pd.Categorical(["A", "F"]),
            "year": [2018, 2018],
            "variable": pd.Categorical(["employment"] * 2),
            "value": [4.5, 30.25],
        }
    )
    categorical.to_parquet(HERE / "parquet_dictionary.parquet", index=False)


def zips_and_merged_headers() -> None:
    """Zip packages (one member; two members) and an XLSX with merged header cells."""
    import zipfile

    one = "region;sector;year;variable;value\nBE21;C;2018;employment;1.234,5\nBE21;TOTAL;2018;employment;2.000\n"
    with zipfile.ZipFile(HERE / "zip_one_member.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/werk.csv", one)
    two = one.replace("1.234,5", "1.500,5")
    with zipfile.ZipFile(HERE / "zip_two_members.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.csv", one)
        zf.writestr("b.csv", two)
        zf.writestr("readme.pdf", "%PDF")
    wb = Workbook()
    ws = wb.active
    ws.append(["Werkgelegenheid per arrondissement (RSZ)"])
    ws.append(["arrondissement", "sector", "Werkgelegenheid", None, None])
    ws.append([None, None, 2018, 2019, 2020])
    ws.append(["BE211", "C", 10, 11, 12])
    ws.append(["BE211", "TOTAL", 100, 110, 120])
    for cells in ("A2:A3", "B2:B3", "C2:E2"):
        ws.merge_cells(cells)
    wb.save(HERE / "merged_header.xlsx")


def main() -> None:
    text_files()
    workbooks()
    parquet_files()
    zips_and_merged_headers()


if __name__ == "__main__":
    main()
