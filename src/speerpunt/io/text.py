"""Delimited text (CSV, TXT, TSV) → a table of strings with the file line of every row.

Decoding happens here so that a wrong encoding is reported with its line; the table is found in the
text (separator, title lines above the header, source notes below the table) and parsed by pyarrow's
C reader (fast, quoting-aware) with a handler that records ragged rows by their line number.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from speerpunt.errors import DataError, Text

SEPARATORS = (",", ";", "\t", "|")
#: Lines looked at to find the separator, the title lines and the header (and the notes below).
HEAD_LINES = 60


@dataclass
class RawTable:
    """Cells as found in a file: ``cells`` has the header names as columns (object dtype).

    ``lines`` holds the 1-based line (or spreadsheet row) of each row of ``cells``;
    ``header_line`` is the header's line (title lines or a spreadsheet may put it below line 1);
    ``sep`` the separator found; ``skipped`` the title and note lines left out, as ``(line, text)``.
    """

    file: str
    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    header_line: int = 1
    sep: str | None = None
    skipped: list[tuple[int, str]] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    sheet: str | None = None
    #: The label of merged header cells over the value columns (an XLSX two-row header).
    group_label: str | None = None


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


def read_bytes(path: Path, max_unpacked_bytes: int | None = None) -> bytes:
    """The file's bytes; a ``.gz`` file is unpacked within the limits of :mod:`speerpunt.io.limits`."""
    if path.suffix.lower() == ".gz":
        from speerpunt.io.limits import gunzip

        return gunzip(path, max_unpacked_bytes)
    return path.read_bytes()


def decode(data: bytes, encoding: str, file: str) -> str:
    """Decode ``data`` with ``\\n`` line ends; on failure name the line and suggest an encoding.

    UTF-16 (with a byte-order mark, or without one but with the zero bytes of UTF-16 text) is recognised
    when the encoding is the default UTF-8; a byte-order mark is dropped; ``\\r\\n`` and a lone ``\\r``
    end lines as ``\\n`` does.
    """
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    if codec == "utf-8-sig":
        codec = utf16_codec(data) or codec
    try:
        text = data.decode(codec)
    except LookupError:
        raise DataError(Text("io_unknown_encoding", encoding=encoding), file=file) from None
    except UnicodeDecodeError as exc:
        if codec.startswith("utf-16"):
            raise DataError(
                Text("io_not_valid_text", codec=codec, reason=exc.reason), file=file
            ) from None
        line, column = _locate(data, exc.start)
        hint = "latin-1" if codec.startswith("utf") else "utf-8"
        raise DataError(
            Text("io_bad_byte", byte=f"{data[exc.start]:02x}", encoding=encoding, hint=hint),
            file=file,
            row=line,
            column=column,
        ) from None
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def utf16_codec(data: bytes) -> str | None:
    """The UTF-16 codec of ``data`` (by byte-order mark or zero bytes), or ``None``."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 3:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 2 * even:
            return "utf-16-le"
        if even > 2 * odd:
            return "utf-16-be"
    return None


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


def _fields(line: str, sep: str) -> list[str]:
    try:
        return [f.strip() for f in next(csv.reader([line], delimiter=sep), [])]
    except csv.Error:
        return [f.strip() for f in line.split(sep)]


def find_table(text: str, sep: str | None = None) -> tuple[str, int, list[tuple[int, str]]]:
    """``(separator, header index, title lines)`` of a delimited text.

    The separator is the one that splits most of the first lines into the same number (≥ 2) of fields;
    lines above the header with at most one non-empty field (titles, a unit, blank lines) are skipped,
    and the first line with two or more non-empty fields is the header.

    >>> find_table("Werkgelegenheid 2019\\n\\ngewest;jaar;waarde\\nBE21;2019;35.991\\n")
    (';', 2, [(1, 'Werkgelegenheid 2019')])
    """
    head = text[: 1 << 16].split("\n")[:HEAD_LINES]
    if len(text) > 1 << 16 and len(head) > 1:
        head = head[:-1]  # the last line may be cut in two
    nonblank = [h for h in head if h.strip()]
    if sep is None:
        best = (0, 0)
        sep = ","
        for cand in SEPARATORS:
            multi = [n for n in (len(_fields(h, cand)) for h in nonblank) if n > 1]
            if not multi:
                continue
            mode = max(set(multi), key=multi.count)
            if (multi.count(mode), mode) > best:
                best, sep = (multi.count(mode), mode), cand
    titles: list[tuple[int, str]] = []
    for i, line in enumerate(head):
        if sum(1 for f in _fields(line, sep) if f) >= 2:
            return sep, i, titles
        if line.strip():
            titles.append((i + 1, line.strip()))
    return sep, 0, []


def note_lines(text: str, sep: str) -> tuple[int, list[tuple[int, str]]]:
    """``(cut, notes)``: ``text[:cut]`` without the note lines at its end.

    A note line (``Bron: Statbel``, ``* voorlopige cijfers``) has one non-empty field, the first, which
    cannot be a code (it holds a space or a colon, is long, or starts with a symbol).
    """
    body = text.rstrip("\n")
    cut, notes = len(body), []
    line_no = body.count("\n") + 1
    for _ in range(HEAD_LINES):
        start = body.rfind("\n", 0, cut) + 1
        line = body[start:cut]
        if line.strip():
            fields = _fields(line, sep)
            if not (fields and fields[0] and not any(fields[1:]) and _looks_like_note(fields[0])):
                break
            notes.append((line_no, line.strip()))
        if start == 0:
            break
        cut, line_no = start - 1, line_no - 1
    if not notes:
        return len(text), []
    first_note = notes[-1][0]
    end = 0
    for _ in range(first_note - 1):
        end = text.index("\n", end) + 1
    return end, notes[::-1]


def _looks_like_note(text: str) -> bool:
    return (
        " " in text or ":" in text or len(text) > 24 or not (text[0].isalnum() or text[0] in "-_")
    )


def check_header(header: list[str], file: str, row: int = 1) -> None:
    """Column names must be non-empty and distinct (case-insensitively)."""
    seen: set[str] = set()
    for name in header:
        if name == "":
            raise DataError(Text("io_empty_column_name"), file=file, row=row)
        if name.lower() in seen:
            raise DataError(Text("io_duplicate_column"), file=file, row=row, column=name)
        seen.add(name.lower())


def parse_delimited(text: str, file: str, sep: str | None = None) -> RawTable:
    """Parse ``text`` (decoded, ``\\n`` line ends) into a :class:`RawTable`; blank lines are skipped.

    Title lines above the header and note lines below the table are left out (and listed in
    ``skipped``); trailing columns without a name and without any value are dropped.
    """
    if not text.strip():
        raise DataError(Text("err_file_empty"), file=file, row=1)
    sep, header_index, titles = find_table(text, sep)
    cut, notes = note_lines(text, sep)
    start = 0
    for _ in range(header_index):
        start = text.index("\n", start) + 1
    end = text.find("\n", start)
    header = _fields(text[start : end if end >= 0 else len(text)], sep)
    body = text[end + 1 : cut] if 0 <= end < cut else ""
    header_line = header_index + 1
    if not body.strip():
        raise DataError(Text("io_header_no_rows"), file=file, row=header_line)
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
            pa.BufferReader(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            **text_cell_options(names, sep, on_invalid),
        )
    except pa.ArrowInvalid as exc:
        raise DataError(
            Text("io_cannot_parse", detail=" ".join(str(exc).split())), file=file
        ) from None
    if ragged:
        line, expected, actual = ragged[0]
        raise DataError(
            Text("io_ragged", actual=actual, expected=expected),
            file=file,
            row=line + header_line,
        )
    columns = {i: _shared_strings(table.column(i)) for i in range(len(header))}
    header, dropped = _drop_unnamed_empty(header, columns)
    if len(header) > 1:
        check_header(header, file, header_line)
    cells = object_frame({h: columns[i] for i, h in enumerate(header)}, table.num_rows)
    lines = _data_lines(body, skipped, len(cells)) + header_line - 1
    # A blank line comes back as a row of empty strings; test the first column before all of them.
    blank = (cells.iloc[:, 0] == "").to_numpy(copy=True)
    if blank.any():
        blank[blank] = (cells[blank] == "").all(axis=1).to_numpy()
    cells, lines = cells[~blank].reset_index(drop=True), lines[~blank]
    if cells.empty:
        raise DataError(Text("io_header_no_rows"), file=file, row=header_line)
    return RawTable(file, header, cells, lines, header_line, sep, titles + notes, dropped)


def _shared_strings(column: pa.ChunkedArray) -> np.ndarray:
    """The column as an object array in which equal cells share one Python string.

    Codes, years and flags repeat a lot: one string per distinct value (through Arrow's dictionary
    encoding) instead of one per cell keeps a large file's cells at 8 bytes each.
    """
    encoded = column.combine_chunks().dictionary_encode()
    distinct = encoded.dictionary.to_numpy(zero_copy_only=False)
    return distinct[encoded.indices.to_numpy(zero_copy_only=False)]


def _drop_unnamed_empty(
    header: list[str], columns: dict[int, np.ndarray]
) -> tuple[list[str], list[str]]:
    """Trailing columns without a name or any value (``a;b;c;;``) are spreadsheet layout: drop them."""
    dropped = []
    while len(header) > 1 and header[-1] == "" and not any(columns[len(header) - 1]):
        columns.pop(len(header) - 1)
        dropped.append(Text("io_column_n", n=len(header)))
        header = header[:-1]
    return header, dropped


def _data_lines(body: str, skipped: list[int], n_rows: int) -> np.ndarray:
    """File line of each parsed row, counting the header as line 1: the lines of ``body`` minus those
    pyarrow skipped. Exact unless a quoted value spans several lines; then rows are numbered
    consecutively."""
    n_lines = body.count("\n") + (0 if body.endswith("\n") or not body else 1)
    lines = np.arange(2, n_lines + 2, dtype=np.int64)
    if skipped:
        lines = lines[~np.isin(lines - 1, np.asarray(skipped, np.int64))]
    if len(lines) != n_rows:
        return np.arange(2, n_rows + 2, dtype=np.int64)
    return lines


def text_cell_options(names: list[str], sep: str, on_invalid) -> dict:
    """pyarrow's parse and convert options for reading every cell as text, exactly as written (no nulls,
    empty lines kept so line numbers stay right, quoted newlines allowed); shared by the in-memory and
    the streaming reader."""
    return {
        "parse_options": pacsv.ParseOptions(
            delimiter=sep,
            invalid_row_handler=on_invalid,
            ignore_empty_lines=False,
            newlines_in_values=True,
        ),
        "convert_options": pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    }
