"""Render a :class:`ReportData` as an Excel workbook: one sheet per table, number formats set.

Every text cell (titles, headers, codes, notes) passes :func:`speerpunt.io.safe.neutralise_cell`, so a
hostile region or sector code is stored as text, never as a formula; numbers are written as numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from speerpunt.io.safe import neutralise_cell
from speerpunt.report.fmt import KINDS
from speerpunt.report.model import ReportData, ReportTable

#: Excel number formats per column kind (Excel localises separators itself).
NUMBER_FORMATS = {"number": "#,##0.0", "percent": "0.0%", "index": "0.00", "int": "0"}
_HEAD = PatternFill("solid", fgColor="EEF3F8")


def _sheet_name(key: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", key)[:31] or "table"
    name, n = base, 2
    while name.lower() in used:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _value(v: object) -> object:
    if v is None or (not isinstance(v, str) and bool(pd.isna(v))):
        return None
    if hasattr(v, "item"):
        return v.item()
    return neutralise_cell(v, xlsx=True)


def _append(ws, row: list) -> None:
    ws.append([_value(v) for v in row])


def _write_table(ws, table: ReportTable) -> None:
    _append(ws, [table.title])
    ws["A1"].font = Font(bold=True, size=12)
    cols = [c for c in table.columns if c.kind != "keyfigure"]
    if any(c.kind == "keyfigure" for c in table.columns):
        cols = [*cols, *[c for c in table.columns if c.kind == "keyfigure"]]
    _append(ws, [c.header or c.key for c in cols])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in table.frame.to_dict("records"):
        row = []
        for c in cols:
            if c.kind == "keyfigure":
                row.append(rec.get("value") if rec.get("kind") != "symbol" else rec.get("text"))
            else:
                row.append(rec.get(c.key))
        _append(ws, row)
        r = ws.max_row
        for j, c in enumerate(cols, start=1):
            kind = c.kind
            if kind == "keyfigure":
                kind = {"number": "number", "percent": "percent", "index": "index"}.get(
                    rec.get("kind"), ""
                )
            elif kind == "by_measure":
                kind = KINDS.get(rec.get("measure"), "number")
            if kind in NUMBER_FORMATS:
                fmt = NUMBER_FORMATS[kind]
                if kind == "index" and c.decimals:
                    fmt = "0." + "0" * c.decimals
                ws.cell(row=r, column=j).number_format = fmt
    for note in table.notes:
        _append(ws, [note])
    for j, c in enumerate(cols, start=1):
        width = (
            12
            if c.kind in (*NUMBER_FORMATS, "by_measure")
            else min(60, max(10, len(c.header or c.key) + 2))
        )
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A3"


def render_xlsx(report: ReportData, out: Path) -> Path:
    """Write the workbook: an ``info`` sheet, then one sheet per table (named by the table key)."""
    wb = Workbook()
    info = wb.active
    info.title = "info"
    for line in (report.title, report.subtitle, report.footer):
        _append(info, [line])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 100
    used = {"info"}
    for table in report.tables():
        _write_table(wb.create_sheet(_sheet_name(table.key, used)), table)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
