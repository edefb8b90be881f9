"""Fast path for long CSV files in plain form: Arrow's parser, then the Parquet fast path's checks.

The streaming reader (:mod:`speerpunt.io.stream`) turns every cell into a Python string and checks block
by block: about 40× a bare ``pd.read_csv`` on two million rows. Most CSV files that machines write are
simpler (plain or ``.gz``): a header on the first line, one record per line, a long table whose values
are bare numbers (``1233.7288258363478``, ``42``). For those this module

* parses the file with Arrow into dictionary-encoded code and year columns and a text value column;
* reads the values with :func:`speerpunt.io.numbers.plain_cells` (bare numbers only, the decimal point
  settled by some number that cannot be a group of thousands, as detection would settle it); an empty
  value cell is a missing value, as in the general reader;
* parses each distinct year with the general reader's rule (:func:`speerpunt.io.cells.parse_years`);
* hands the columns to :func:`speerpunt.io.parquet.long_table`, which applies the general reader's
  rules to the distinct codes and flags, sorts, and refuses duplicates.

Anything else — title or note lines, a blank line, a quoted newline, a ragged row, a byte-order mark,
another encoding or layout, a flag or a missing marker other than an empty cell inside a value cell,
a decimal comma, an option such as ``decimal=`` — returns ``None`` and the caller reads the file the general way, which words any
error with its line. Line numbers are the record's position + 2, which the check that the file has
exactly one line per record (and the header) makes exact. ``tests/io/test_csv_fast.py`` compares both
paths.
"""

from __future__ import annotations

from concurrent.futures import Future, wait
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt._parallel import submit
from speerpunt.io.layouts import Cells
from speerpunt.io.memory import release_memory
from speerpunt.io.numbers import Convention, PlainCells, plain_cells
from speerpunt.io.parquet import _TEXT_ROLES, _Codes, _NotFast, header_roles, long_table

_HEAD = 1 << 16
_UTF8 = ("utf-8", "utf8")
_SUFFIXES = (".csv", ".txt", ".csv.gz", ".txt.gz")


def read_long_csv(
    path: Path,
    *,
    variable: str | None,
    decimal: str | None,
    thousands: str | None,
    encoding: str,
    max_unpacked_bytes: int | None = None,
) -> tuple[Cells, pd.DataFrame, dict[str, str], str, Convention] | None:
    """``(cells without data, long table, sector relabels, separator, value convention)`` as the general
    reader makes them before the scheme and aggregate checks, or ``None`` when it must read the file."""
    if decimal is not None or thousands is not None:
        return None  # the general reader checks and records the options given
    if encoding.lower().replace("_", "-") not in _UTF8:
        return None
    if not path.name.lower().endswith(_SUFFIXES) or not path.is_file():
        return None
    try:
        return _read(path, variable, max_unpacked_bytes)
    except _NotFast:
        return None


def _open(path: Path):
    """The file's bytes (a ``.gz`` file unpacked on the fly)."""
    import gzip

    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")  # noqa: SIM115


def _read(path: Path, variable: str | None, max_unpacked_bytes: int | None):
    from speerpunt.io.text import _fields, find_table, utf16_codec

    try:
        with _open(path) as fh:
            head = fh.read(_HEAD)
    except (OSError, EOFError):
        raise _NotFast from None  # not gzip after all, or cut short: the general reader words it
    if not head.strip() or head.startswith(b"\xef\xbb\xbf") or utf16_codec(head):
        raise _NotFast
    text = head.decode("utf-8", errors="replace")
    if "\r" in text.replace("\r\n", ""):
        raise _NotFast  # lone carriage returns: the general reader numbers those lines
    text = text.replace("\r\n", "\n")
    sep, header_index, titles = find_table(text)
    if header_index != 0 or titles or "\n" not in text:
        raise _NotFast
    header = _fields(text.split("\n", 1)[0], sep)
    roles = header_roles(header, variable)
    n = _lines(path, max_unpacked_bytes) - 1  # records, if every line is one (checked below)
    if n < 1:
        raise _NotFast
    names = {col: f"c{i}" for i, col in enumerate(header)}
    coded = {r: _Codes(n, nulls=False) for r in (*_TEXT_ROLES, "year") if r in roles}
    values = np.empty(n)
    point = settles = False
    start = 0
    # Two stages: the value text of a batch is read into numbers in a worker thread while Arrow
    # parses the next batch here (both release the GIL). One batch at a time is in the worker, so the
    # text held stays two blocks (two in flight raised the peak of a 100 MB file by up to 15 MB).
    flight: list[Future] = []
    try:
        for batch in _batches(path, header, roles, sep):
            stop = start + batch.num_rows
            if stop > n:
                raise _NotFast  # more records than lines cannot be; fewer is checked below
            for role, codes in coded.items():
                codes.add(batch.column(names[roles[role]]), start)
            if flight:
                plain = flight.pop(0).result()
                point, settles = point or plain.point, settles or plain.settles_point
            column = batch.column(names[roles["value"]])
            flight.append(submit(_values_into, column, values, start, stop))
            start = stop
        for future in flight:
            plain = future.result()
            point, settles = point or plain.point, settles or plain.settles_point
    finally:
        wait(flight)  # a failed batch: nothing may still write into ``values``
    release_memory()  # Arrow's pool keeps the last batches' buffers otherwise
    if start != n:
        raise _NotFast  # a blank line or a quoted newline: records and lines differ
    if point and not settles:
        raise _NotFast  # '35.991' and the like only: detection words the ambiguity
    cols: dict[str, object] = {r: c.result() for r, c in coded.items() if r != "year"}
    cols["year"] = _years(coded["year"].result())
    cols["value"] = values
    del coded, values
    cells, out, relabels = long_table(path, header, roles, cols, variable)
    return cells, out, relabels, sep, Convention("." if point else None, "", False)


#: Bytes of text Arrow parses at a time: the records are decoded a batch at a time into arrays sized for
#: the whole table (the whole file as one Arrow table held 4.9× the panel on the 100 MB benchmark, 4 MB
#: blocks 3.2×, 1 MB blocks 2.6×).
_BLOCK = 1 << 20


def _batches(path: Path, header: list[str], roles: dict[str, str], sep: str):
    """The records in Arrow batches: codes and years dictionary-encoded, values as text."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(len(header))]
    coded = pa.dictionary(pa.int32(), pa.string())
    types = {
        names[header.index(col)]: pa.string() if role == "value" else coded
        for role, col in roles.items()
    }
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, encoding="utf8", block_size=_BLOCK
            ),
            # As the general reader: no empty line dropped, cells exactly as written, no nulls.
            parse_options=pacsv.ParseOptions(
                delimiter=sep, ignore_empty_lines=False, newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            yield batch
    except (pa.ArrowInvalid, OSError):
        raise _NotFast from None  # a ragged row or undecodable bytes: the general reader names the line


def _lines(path: Path, max_unpacked_bytes: int | None) -> int:
    """Lines in the file (a last line without a newline counts); a ``.gz`` file that unpacks beyond the
    limits of :func:`speerpunt.io.limits.check_unpacked` is :class:`_NotFast` (the general reader
    refuses it with its message) before Arrow reads any of it."""
    from speerpunt.errors import DataError
    from speerpunt.io.limits import check_unpacked

    packed, unpacked = path.stat().st_size, 0
    count, last = 0, b"\n"
    try:
        with _open(path) as fh:
            while chunk := fh.read(1 << 22):
                count += chunk.count(b"\n")
                last = chunk[-1:]
                unpacked += len(chunk)
                check_unpacked(path.name, unpacked, packed, max_unpacked_bytes)
    except (OSError, EOFError, DataError):
        raise _NotFast from None
    return count + (last != b"\n")


def _values_into(column, values: np.ndarray, start: int, stop: int) -> PlainCells:
    """:func:`_values` of a batch written into ``values[start:stop]``."""
    values[start:stop], plain = _values(column)
    return plain


def _values(column) -> tuple[np.ndarray, PlainCells]:
    """A batch's values: bare numbers, and empty cells as missing (NaN), as the general reader reads
    an empty cell (its flag ``:`` is merged later with the flag column, as for a null in Parquet).
    Anything else in a value cell (``:``, ``12 p``, ``c``) is :class:`_NotFast`."""
    import pyarrow.compute as pc

    empty = pc.equal(column, "")
    gaps = bool(pc.any(empty).as_py())
    plain = plain_cells(pc.if_else(empty, "0", column) if gaps else column)
    if plain is None or plain.values is None:
        raise _NotFast  # flags or missing markers in the cells, or not a plain number
    if gaps:
        return np.where(empty.to_numpy(zero_copy_only=False), np.nan, plain.values), plain
    return plain.values, plain


def _years(column: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Years as int64, each distinct cell parsed by the general reader's rule; a bad one → general."""
    from speerpunt.io.cells import parse_years

    idx, raw = column
    years, bad = parse_years(pd.Series(raw, dtype=object))
    if bad.any():
        raise _NotFast
    return np.asarray(years, dtype=np.int64)[idx]
