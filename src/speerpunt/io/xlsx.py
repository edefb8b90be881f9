"""XLSX sheets → a :class:`RawTable`, with every cell taken for what it is.

Numbers and text are cells; an empty cell is missing. Everything else is an error naming the sheet and
cell (``Sheet1!D17``): a true/false cell, an error value (``#DIV/0!``), a formula without a cached value
(the workbook was written by a program that does not calculate), a date outside the year column. Dates in
the year column are years. The sheet's size is checked before its rows are kept
(:mod:`speerpunt.io.limits`). Title rows above the header and note rows below the table are skipped as
in text files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from speerpunt.errors import DataError
from speerpunt.io.layouts import find_columns
from speerpunt.io.limits import check_cells, check_zip
from speerpunt.io.text import RawTable, _looks_like_note, check_header, object_frame


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, in order."""
    return _open(path, data_only=True).sheetnames


def _open(path: Path, *, data_only: bool):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/XML errors on a non-XLSX file
        raise DataError(
            f"not a readable XLSX file ({type(exc).__name__}: {' '.join(str(exc).split())})",
            file=path.name,
        ) from None


def _choose(wb, sheet: str | int | None, file: str):
    names = wb.sheetnames
    if sheet is None:
        return wb[names[0]]
    if isinstance(sheet, str) and sheet in names:
        return wb[sheet]
    text = str(sheet).strip()
    if text.lstrip("-").isdigit():
        index = int(text)
        if 0 <= index < len(names):
            return wb[names[index]]
    raise DataError(
        f"no sheet {sheet!r} (sheets: {', '.join(repr(n) for n in names)}; an index counts from 0)",
        file=file,
        column="sheet",
    )


def read_xlsx(
    path: Path,
    sheet: str | int | None = None,
    *,
    max_cells: int | None = None,
    max_unpacked_bytes: int | None = None,
) -> RawTable:
    """Read one sheet (default: the first; a name or a 0-based index)."""
    file = path.name
    check_zip(path, max_unpacked_bytes)
    wb = _open(path, data_only=True)
    ws = _choose(wb, sheet, file)
    title = ws.title
    if ws.max_row and ws.max_column:
        check_cells(file, ws.max_row, ws.max_column, max_cells, title, "declares")
    # The declared dimension may be absent or lie: read row by row and count what is really there.
    ws.reset_dimensions()
    rows: list[tuple] = []
    width = 0
    for row in ws.iter_rows(values_only=False):
        cells = tuple(row)
        while cells and cells[-1].value is None:
            cells = cells[:-1]
        width = max(width, len(cells))
        rows.append(cells)
        check_cells(file, len(rows), width, max_cells, title, "holds")
    wb.close()
    return _table(path, title, rows, width)


def _table(path: Path, title: str, rows: list[tuple], width: int) -> RawTable:
    file = path.name
    filled = [sum(1 for c in r if c.value is not None and str(c.value).strip()) for r in rows]
    header_index = next((i for i, n in enumerate(filled) if n >= 2), None)
    if header_index is None:
        if any(filled):
            header_index = next(i for i, n in enumerate(filled) if n)
        else:
            raise DataError(f"sheet '{title}' is empty", file=file, row=1)
    skipped = [
        (i + 1, str(next(c.value for c in rows[i] if c.value is not None)).strip())
        for i in range(header_index)
        if filled[i]
    ]
    last = len(rows)
    while last > header_index + 1 and (not filled[last - 1] or _is_note(rows[last - 1])):
        if filled[last - 1]:
            skipped.append((last, str(rows[last - 1][0].value).strip()))
        last -= 1
    header_row = rows[header_index]
    used = [
        j for j in range(width) if any(_value(r, j) is not None for r in rows[header_index:last])
    ]
    header = [_header_text(_value(header_row, j)) for j in used]
    header_line = header_index + 1
    check_header(header, file, header_line)
    roles = find_columns(header)
    year_col = header.index(roles["year"]) if "year" in roles else None
    columns: list[list[object]] = [[] for _ in used]
    lines = []
    for i in range(header_index + 1, last):
        row = rows[i]
        if not filled[i]:
            continue
        lines.append(i + 1)
        for k, j in enumerate(used):
            cell = row[j] if j < len(row) else None
            columns[k].append(_cell_value(cell, file, title, i + 1, header[k], k == year_col))
    if not lines:
        raise DataError("the sheet has a header but no data rows", file=file, row=header_line)
    _check_formulas(path, title, header, used, header_index, last)
    frame = object_frame(dict(zip(header, columns, strict=True)), len(lines))
    return RawTable(
        file,
        header,
        frame,
        np.asarray(lines, dtype=np.int64),
        header_line=header_line,
        sep=None,
        skipped=sorted(skipped),
        sheet=title,
    )


def _value(row: tuple, j: int) -> object:
    return row[j].value if j < len(row) else None


def _header_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.year
    return str(value).strip()


def _is_note(row: tuple) -> bool:
    values = [c.value for c in row]
    return (
        bool(values)
        and isinstance(values[0], str)
        and not any(v is not None and str(v).strip() for v in values[1:])
        and _looks_like_note(values[0].strip())
    )


def _cell_value(cell, file: str, title: str, line: int, column: str, is_year: bool) -> object:
    if cell is None or cell.value is None:
        return None
    value = cell.value
    kind = cell.data_type
    ref = f"{title}!{cell.coordinate}"
    if kind == "b" or isinstance(value, bool):
        raise DataError(
            f"{ref} is the true/false value {str(value).upper()}, not a number or a code",
            file=file,
            row=line,
            column=column,
        )
    if kind == "e":
        raise DataError(
            f"{ref} holds the spreadsheet error {value}; fix the formula or enter the value",
            file=file,
            row=line,
            column=column,
        )
    if isinstance(value, dt.datetime | dt.date | dt.time):
        if is_year and isinstance(value, dt.datetime | dt.date):
            return value.year
        raise DataError(
            f"{ref} is a date ({value}), not a number or a code", file=file, row=line, column=column
        )
    return value


def _contains(zf, name: str, needle: bytes) -> bool:
    """Whether a zip member contains ``needle``, read in chunks (a sheet can be large)."""
    tail = b""
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def _check_formulas(
    path: Path, title: str, header: list[str], used: list[int], header_index: int, last: int
) -> None:
    """A formula whose result the file does not store reads as empty: refuse it, naming the cell."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        if not any(_contains(zf, n, b"<f") for n in names):
            return
    wb = _open(path, data_only=False)
    ws = wb[title]
    cached = _open(path, data_only=True)[title]
    for i, (row, vals) in enumerate(
        zip(ws.iter_rows(values_only=False), cached.iter_rows(values_only=True), strict=False)
    ):
        if i <= header_index or i >= last:
            continue
        for k, j in enumerate(used):
            if j < len(row) and row[j].data_type == "f" and (j >= len(vals) or vals[j] is None):
                raise DataError(
                    f"{title}!{row[j].coordinate} is a formula ({row[j].value}) without a stored "
                    "result; open and save the file in a spreadsheet program, or paste values",
                    file=path.name,
                    row=i + 1,
                    column=header[k],
                )
