"""Delimited text (CSV, TXT, TSV) → a table of strings with the file line of every row.

Decoding happens here so that a wrong encoding is reported with its line; parsing is pyarrow's
C reader (fast, quoting-aware) with a handler that records ragged rows by their line number.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from speerpunt.errors import DataError


@dataclass
class RawTable:
    """Cells as found in a file: ``cells`` has the header names as columns (object dtype).

    ``lines`` holds the 1-based line (or spreadsheet row) of each row of ``cells``; the header is line 1.
    ``decimal`` is ``","`` for semicolon-separated files written with a decimal comma;
    ``header_line`` is the header's line (a spreadsheet may start lower than row 1).
    """

    file: str
    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    decimal: str = "."
    header_line: int = 1


def object_frame(columns: dict[str, object], length: int) -> pd.DataFrame:
    """A DataFrame that keeps text as plain Python objects.

    pandas ≥ 3 turns object arrays of strings into its string dtype on construction; the readers
    hold raw cells of mixed types and convert to strings once at the end, so they build frames here.
    """
    out = {}
    for name, col in columns.items():
        arr = np.asarray(col) if not np.isscalar(col) else np.full(length, col, dtype=object)
        out[name] = pd.Series(arr, dtype=object) if arr.dtype.kind in "OUS" else pd.Series(arr)
    return pd.DataFrame(out, index=pd.RangeIndex(length))


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(f"not a readable gzip file ({exc})", file=path.name) from None
    return data


def decode(data: bytes, encoding: str, file: str) -> str:
    """Decode ``data``; on failure name the line and suggest the likely encoding."""
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise DataError(f"unknown encoding '{encoding}'", file=file) from None
    except UnicodeDecodeError as exc:
        line, column = _locate(data, exc.start)
        hint = "latin-1" if codec.startswith("utf") else "utf-8"
        raise DataError(
            f"byte 0x{data[exc.start]:02x} is not valid {encoding}; "
            f"the file is probably {hint}: try --encoding {hint} (encoding='{hint}')",
            file=file,
            row=line,
            column=column,
        ) from None


def _locate(data: bytes, offset: int) -> tuple[int, str | None]:
    """Line and header column of the byte at ``offset`` (for the encoding error only)."""
    line = data[:offset].count(b"\n") + 1
    header = data.split(b"\n", 1)[0].decode("latin-1").rstrip("\r")
    start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[start:offset].decode("latin-1")
    sep = sniff_separator(header)
    names = header.split(sep)
    index = prefix.count(sep)
    return line, names[index].strip() if index < len(names) else None


def sniff_separator(first_line: str) -> str:
    """Tab, semicolon or comma, whichever the header line uses most (comma on ties)."""
    counts = {sep: first_line.count(sep) for sep in ("\t", ";", ",")}
    best = max(counts, key=lambda s: (counts[s], s == ","))
    return best if counts[best] else ","


def split_header(text: str, sep: str, file: str) -> list[str]:
    first = text.split("\n", 1)[0].rstrip("\r")
    header = [h.strip() for h in next(csv.reader([first], delimiter=sep))]
    if len(header) > 1:
        check_header(header, file)
    return header


def check_header(header: list[str], file: str, row: int = 1) -> None:
    """Column names must be non-empty and distinct (case-insensitively)."""
    seen: set[str] = set()
    for name in header:
        if name == "":
            raise DataError("empty column name in the header", file=file, row=row)
        if name.lower() in seen:
            raise DataError("duplicate column in the header", file=file, row=row, column=name)
        seen.add(name.lower())


def parse_delimited(text: str, file: str, sep: str | None = None) -> RawTable:
    """Parse ``text`` (already decoded) into a :class:`RawTable`; blank lines are skipped."""
    if not text.strip():
        raise DataError("the file is empty", file=file, row=1)
    sep = sep or sniff_separator(text.split("\n", 1)[0])
    header = split_header(text, sep, file)
    names = [f"c{i}" for i in range(len(header))]
    ragged: list[tuple[int, int, int]] = []
    skipped: list[int] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        # Blank (or whitespace-only) lines are layout, not data; anything else is a ragged row.
        skipped.append(row.number)
        if row.text.strip():
            ragged.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, invalid_row_handler=on_invalid, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowInvalid as exc:
        raise DataError(f"cannot parse the file as delimited text ({exc})", file=file) from None
    if ragged:
        line, expected, actual = ragged[0]
        raise DataError(
            f"row has {actual} field(s) but the header has {expected}", file=file, row=line
        )
    cells = object_frame(
        {h: table.column(i).to_numpy(zero_copy_only=False) for i, h in enumerate(header)},
        table.num_rows,
    )
    lines = _data_lines(text, skipped, len(cells))
    # A blank line comes back as a row of empty strings; test the first column before all of them.
    blank = (cells.iloc[:, 0] == "").to_numpy(copy=True)
    if blank.any():
        blank[blank] = (cells[blank] == "").all(axis=1).to_numpy()
    cells, lines = cells[~blank].reset_index(drop=True), lines[~blank]
    if cells.empty:
        raise DataError("the file has a header but no data rows", file=file, row=1)
    return RawTable(file, header, cells, lines, decimal="," if sep == ";" else ".")


def _data_lines(text: str, skipped: list[int], n_rows: int) -> np.ndarray:
    """File line of each parsed row: the lines after the header minus those pyarrow skipped.

    Exact unless a quoted value spans several lines; then rows are numbered consecutively.
    """
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    lines = np.arange(2, n_lines + 1, dtype=np.int64)
    if skipped:
        lines = lines[~np.isin(lines, np.asarray(skipped, np.int64))]
    if len(lines) != n_rows:
        return np.arange(2, n_rows + 2, dtype=np.int64)
    return lines
