"""Writes the binary members of the bad-input corpus (run once: ``python tests/badinput/make_binary.py``).

The text members are plain files written by hand; these three need bytes or formats a text editor
cannot produce: a Latin-1 CSV, an XLSX with a text cell and a Parquet file with a wrong column type.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def main() -> None:
    # "Liège" in Latin-1: byte 0xe8 on line 3, in the region column.
    (HERE / "latin1.csv").write_bytes(
        "region,sector,year,variable,value\nBE21,A,2000,employment,4.1\nLiège,A,2000,employment,3.0\n".encode(
            "latin-1"
        )
    )
    wb = Workbook()
    ws = wb.active
    ws.append(["region", "sector", "year", "variable", "value"])
    ws.append(["BE21", "A", 2000, "employment", 4.1])
    ws.append(["BE21", "F", 2000, "employment", 30.2])
    ws.append(["BE21", "C", 2000, "employment", "n.a."])
    wb.save(HERE / "text_cell.xlsx")
    pd.DataFrame(
        {
            "region": ["BE21", "BE21"],
            "sector": ["A", "F"],
            "year": [2000, 2000],
            "variable": ["employment", "employment"],
            "value": pd.to_datetime(["2000-01-01", "2000-01-02"]),
        }
    ).to_parquet(HERE / "wrong_dtype.parquet", index=False)


if __name__ == "__main__":
    main()
