"""XLSX sheets → a :class:`RawTable`, with every cell taken for what it is.

Numbers and text are cells; an empty cell is missing. Everything else is an error naming the sheet and
cell (``Sheet1!D17``): a true/false cell, an error value (``#DIV/0!``), a formula without a cached value
(the workbook was written by a program that does not calculate), a date outside the year column. Dates in
the year column are years. The sheet's size is checked before its rows are kept
(:mod:`speerpunt.io.limits`). Title rows above the header and note rows below the table are skipped as
in text files.

Merged header cells: a label merged across columns of the header row (``Werkgelegenheid`` over
``C1:F1``) with a second header row below it (the years ``2018 … 2021``) is a two-row header; the
columns under the merge take their names from the second row, the others from the first (or the second
where the first is empty, e.g. ``region`` merged over ``A1:A2``), and the merged label names the variable
unless ``variable`` is given. Merges over several groups of columns (two variables side by side) are
refused: one variable per sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from speerpunt.errors import DataError, Text
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
            Text("io_not_xlsx", detail=f"{type(exc).__name__}: {' '.join(str(exc).split())}"),
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
        Text("io_no_sheet", sheet=repr(sheet), sheets=", ".join(repr(n) for n in names)),
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
    merged = _merged_ranges(path, getattr(ws, "_worksheet_path", None))
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
    return _table(path, title, rows, width, merged)


def _table(
    path: Path,
    title: str,
    rows: list[tuple],
    width: int,
    merged: list[tuple[int, int, int, int]] = (),
) -> RawTable:
    file = path.name
    filled = [sum(1 for c in r if c.value is not None and str(c.value).strip()) for r in rows]
    header_index = next((i for i, n in enumerate(filled) if n >= 2), None)
    if header_index is None:
        if any(filled):
            header_index = next(i for i, n in enumerate(filled) if n)
        else:
            raise DataError(Text("io_sheet_empty", sheet=title), file=file, row=1)
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
    span = _header_span(rows, header_index, last, merged, file, title)
    first_data = header_index + (2 if span else 1)
    used = [
        j for j in range(width) if any(_value(r, j) is not None for r in rows[header_index:last])
    ]
    header = [_header_text(_value(header_row, j)) for j in used]
    if span:
        second = rows[header_index + 1]
        header = [
            _header_text(_value(second, j)) if span[1] <= j <= span[2] or not h else h
            for h, j in zip(header, used, strict=True)
        ]
    header_line = first_data
    check_header(header, file, header_line)
    roles = find_columns(header)
    year_col = header.index(roles["year"]) if "year" in roles else None
    columns: list[list[object]] = [[] for _ in used]
    lines = []
    for i in range(first_data, last):
        row = rows[i]
        if not filled[i]:
            continue
        lines.append(i + 1)
        for k, j in enumerate(used):
            cell = row[j] if j < len(row) else None
            columns[k].append(_cell_value(cell, file, title, i + 1, header[k], k == year_col))
    if not lines:
        raise DataError(Text("io_sheet_no_rows"), file=file, row=header_line)
    _check_formulas(path, title, header, used, first_data - 1, last)
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
        group_label=span[0] if span else None,
    )


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _merged_ranges(path: Path, member: str | None) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as 0-based ``(first row, first col, last row, last col)``.

    Read from the sheet's XML in chunks (openpyxl's read-only mode does not keep them).
    """
    import zipfile

    if not member:
        return []
    out = []
    tail = b""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member.lstrip("/")) as fh:
            while chunk := fh.read(1 << 20):
                text = tail + chunk
                out += [
                    (int(r1) - 1, _col(c1), int(r2) - 1, _col(c2))
                    for c1, r1, c2, r2 in _MERGE.findall(text)
                ]
                cut = text.rfind(b"<")
                tail = text[cut:] if cut >= 0 and len(text) - cut < 200 else b""
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    return sorted(set(out))


def _header_span(
    rows: list[tuple],
    header_index: int,
    last: int,
    merged,
    file: str,
    title: str,
) -> tuple[str, int, int] | None:
    """``(label, first col, last col)`` of a label merged across header columns over a second header
    row, or None when the header is one row."""
    spans = [
        (c1, c2)
        for r1, c1, r2, c2 in merged
        if r1 == header_index and c2 > c1 and _value(rows[header_index], c1) is not None
    ]
    if not spans or header_index + 1 >= last:
        return None
    second = rows[header_index + 1]
    if not all(_value(second, j) is not None for c1, c2 in spans for j in range(c1, c2 + 1)):
        return None  # nothing under the merge: a one-row header with a merged title cell
    if len(spans) > 1:
        labels = ", ".join(
            f"{_ref(header_index, c1)}:{_ref(header_index, c2)} "
            f"'{_header_text(_value(rows[header_index], c1))}'"
            for c1, c2 in spans
        )
        raise DataError(
            Text("io_merged_header", labels=labels),
            file=file,
            row=header_index + 1,
        )
    c1, c2 = spans[0]
    return _header_text(_value(rows[header_index], c1)), c1, c2


def _ref(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


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
            Text("io_cell_boolean", ref=ref, value=str(value).upper()),
            file=file,
            row=line,
            column=column,
        )
    if kind == "e":
        raise DataError(
            Text("io_cell_error", ref=ref, value=value),
            file=file,
            row=line,
            column=column,
        )
    if isinstance(value, dt.datetime | dt.date | dt.time):
        if is_year and isinstance(value, dt.datetime | dt.date):
            return value.year
        raise DataError(
            Text("io_cell_date", ref=ref, value=value), file=file, row=line, column=column
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
                    Text(
                        "io_cell_formula",
                        ref=f"{title}!{row[j].coordinate}",
                        formula=row[j].value,
                    ),
                    file=path.name,
                    row=i + 1,
                    column=header[k],
                )
