"""Streaming reader for large XLSX sheets: the sheet's XML → blocks of rows → integer codes.

The in-memory reader (:mod:`speerpunt.io.xlsx`) keeps every row as openpyxl cell objects before it builds
the table (a 200,000-row sheet: 275 MB for a 4.2 MB panel). Here the sheet's XML is read from the package
in blocks of ``block_size`` bytes and parsed with expat; each completed row is kept as plain values until
the block ends, and each block goes through the same layout and per-row checks as the streaming CSV
reader (:func:`speerpunt.io.stream._cells`, :class:`speerpunt.io.stream._Accumulator`), so that the panel
is built from integer codes. The workbook's metadata (sheet names, shared strings, date styles, epoch)
comes from openpyxl's read-only mode, which does not parse the sheets.

Cells are taken for what the XML says they are (``t`` attribute of ``<c>``): ``b`` true/false, ``e`` an
error value, ``d`` an ISO date, ``s`` a shared string, ``inlineStr``, ``str`` a formula's text result,
otherwise a number (a date when its style has a date format); a ``<f>`` without a ``<v>`` is a formula
without a stored result. Each is refused with the same one-line error as the in-memory reader, naming the
sheet and cell. The declared ``<dimension>`` and the cells really found are checked against ``max_cells``
(:mod:`speerpunt.io.limits`) before rows are kept.

Layout rules are those of the in-memory reader: the header is the first row with at least two filled
cells (the rows above are title rows, skipped); note and empty rows at the end are skipped; a note-like
row with data below it is a data row. Sheets this reader does not handle the same way raise
:class:`speerpunt.io.stream._Fallback` and go through the in-memory reader: no header row with two cells,
a header cell with no name, data in a column without a name, a merged range on the header row, or an
unnamed shared formula without a result.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from xml.parsers import expat

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, Text
from speerpunt.io.layouts import Cells, find_columns
from speerpunt.io.limits import MAX_CELLS, check_cells, check_zip
from speerpunt.io.memory import release_memory
from speerpunt.io.summary import ReadSummary
from speerpunt.io.text import RawTable, _looks_like_note, check_header, object_frame

#: XLSX packages from this size on are streamed (a 4 MB package holds about 150,000 rows).
STREAM_BYTES = 4_000_000
#: Bytes of sheet XML per block (about 1,000 rows of five cells: the cells of a block, as Python objects
#: on their way to codes, take about 1 kB per row).
BLOCK_BYTES = 1 << 18
_FEED = 1 << 15
#: Distinct strings kept for sharing between rows (region and sector codes repeat).
_INTERN = 50_000


def wants_xlsx_stream(path: Path, block_size: int | None) -> bool:
    """Stream an ``.xlsx`` of :data:`STREAM_BYTES` or more, or any one when ``block_size`` is given."""
    if not path.name.lower().endswith(".xlsx") or not path.is_file():
        return False
    return block_size is not None or path.stat().st_size >= STREAM_BYTES


class _Special:
    """A cell that is not a number or text: its kind (``b``, ``e``, ``f``) and what it holds."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: object) -> None:
        self.kind, self.value = kind, value

    def __str__(self) -> str:
        # Counts as filled (a true/false or an error cell) except a formula without its result.
        return "" if self.kind == "f" else str(self.value)


def column_index(letters: str) -> int:
    """``'AB'`` → 27 (0-based column of a cell reference's letters)."""
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(letters) - 1


def _cell_row(ref: str) -> int:
    """``'AB12'`` → 12 (0 when the reference has no row)."""
    digits = ref.replace("$", "").lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else 0


class _Meta:
    """What the sheet's cells need from the rest of the workbook: read with openpyxl's reader, but
    without opening the sheets (its read-only worksheets parse a whole sheet to find its size)."""

    def __init__(self, path: Path, sheet: str | int | None) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        from speerpunt.io.stream import _Fallback
        from speerpunt.io.xlsx import _choose

        reader = ExcelReader(path, read_only=True, data_only=True)
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = {
                s.name: rel.target
                for s, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files
            }
        except Exception:  # noqa: BLE001 (any unreadable part: the in-memory reader words it)
            raise _Fallback from None
        finally:
            reader.archive.close()
        wb = reader.wb
        names = _Names(list(sheets))
        self.title: str = _choose(names, sheet, path.name)
        self.member = str(sheets[self.title]).lstrip("/")
        self.shared = list(reader.shared_strings)
        self.dates = set(wb._date_formats)
        self.durations = set(wb._timedelta_formats)
        self.epoch = wb.epoch


class _Names:
    """Sheet names in the shape :func:`speerpunt.io.xlsx._choose` expects of a workbook."""

    def __init__(self, names: list[str]) -> None:
        self.sheetnames = names

    def __getitem__(self, name: str) -> str:
        return name


class _Sheet:
    """expat handlers that turn the sheet's XML into rows ``(row number, {column: value})``."""

    def __init__(self, meta: _Meta, on_row, on_dimension, on_merge) -> None:
        self.meta, self.on_row = meta, on_row
        self.on_dimension, self.on_merge = on_dimension, on_merge
        self.columns: dict[str, int] = {}
        self.shared_formula = False
        self.row_number = 0
        self.col = -1
        self.values: dict[int, object] = {}
        self.text: str | None = None  # character data of the element being read
        self.kind = "n"
        self.style: str | None = None
        self.v: str | None = None
        self.formula: str | None = None
        self.inline: list[str] | None = None
        self.phonetic = False
        self.intern: dict[str, str] = {}
        self.prefix = ""

    def parser(self):
        p = expat.ParserCreate()
        p.buffer_text = True
        p.buffer_size = 1 << 16
        p.StartElementHandler = self._root
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars
        self._parser = p
        return p

    def _root(self, name: str, attrs: dict) -> None:
        """The root element fixes the namespace prefix (none, or e.g. ``x:``) for the whole sheet."""
        if ":" in name:
            self.prefix = name[: name.index(":") + 1]
            self._parser.StartElementHandler = self._start_prefixed
            self._parser.EndElementHandler = self._end_prefixed
        else:
            self._parser.StartElementHandler = self.start
        del self._parser  # no cycle parser → handlers → self → parser: freed as soon as unused

    def _start_prefixed(self, name: str, attrs: dict) -> None:
        p = self.prefix
        self.start(name[len(p) :] if name.startswith(p) else name, attrs)

    def _end_prefixed(self, name: str) -> None:
        p = self.prefix
        self.end(name[len(p) :] if name.startswith(p) else name)

    def start(self, tag: str, attrs: dict) -> None:
        # Ordered by how often the elements occur: cells and their values first.
        if tag == "c":
            ref = attrs.get("r")
            self.col = self._column(ref) if ref else self.col + 1
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s")
            self.v = self.formula = self.inline = None
        elif tag == "v":
            self.text = ""
        elif tag == "t":
            if self.inline is not None and not self.phonetic:
                self.text = ""
        elif tag == "is":
            self.inline = []
        elif tag == "row":
            r = attrs.get("r")
            self.row_number = int(float(r)) if r else self.row_number + 1
            self.col = -1
            self.values = {}
        elif tag == "f":
            self.text = ""
            # A shared formula's text is on its first cell only: the in-memory reader names the others.
            self.shared_formula = attrs.get("t") == "shared"
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "dimension":
            self.on_dimension(attrs.get("ref", ""))
        elif tag == "mergeCell":
            self.on_merge(attrs.get("ref", ""))

    def _column(self, ref: str) -> int:
        letters = ref.rstrip("0123456789")
        col = self.columns.get(letters)
        if col is None:
            col = self.columns[letters] = column_index(letters)
        return col

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text += data

    def end(self, tag: str) -> None:
        if tag == "c":
            value = self._value()
            if value is not None:
                self.values[self.col] = value
        elif tag == "v":
            self.v, self.text = self.text, None
        elif tag == "t":
            if self.text is not None:
                self.inline.append(self.text)
                self.text = None
        elif tag == "row":
            self.on_row(self.row_number, self.values)
            self.values = {}
        elif tag == "f":
            self.formula, self.text = self.text, None
        elif tag == "rPh":
            self.phonetic = False

    def _value(self) -> object:
        """The cell as openpyxl's ``data_only`` reading gives it, special kinds wrapped."""
        kind, style = self.kind, self.style
        v = self.v or None
        if v is None:
            if kind == "inlineStr" and self.inline is not None:
                return self._str("".join(self.inline) if len(self.inline) != 1 else self.inline[0])
            if self.formula is not None:
                if self.shared_formula and not self.formula:
                    from speerpunt.io.stream import _Fallback

                    raise _Fallback  # a shared formula's text lives on another cell
                return _Special("f", "=" + self.formula)
            return None
        if kind == "n":
            number = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
            if style and int(style) in self.meta.dates:
                return self._date(number, int(style))
            return number
        if kind == "s":
            return self.meta.shared[int(v)]
        if kind == "b":
            return _Special("b", bool(int(v)))
        if kind == "e":
            return _Special("e", v)
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(v)
        return self._str(v)  # "str" (a formula's text) and anything unknown: text

    def _str(self, text: str) -> str:
        if len(self.intern) > _INTERN:
            self.intern.clear()
        return self.intern.setdefault(text, text)

    def _date(self, number: float, style: int) -> object:
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self.meta.epoch, timedelta=style in self.meta.durations)
        except (OverflowError, ValueError):
            return _Special("e", "#VALUE!")  # as openpyxl: a date serial out of range


class _Table:
    """Rows → header, title and note rows, data blocks (the rules of :func:`speerpunt.io.xlsx._table`)."""

    def __init__(self, file: str, title: str, max_cells: int | None) -> None:
        self.file, self.title = file, title
        self.max_cells = MAX_CELLS if max_cells is None else int(max_cells)
        self.used_set: set[int] = set()
        self.width = 0
        self.header_row: int | None = None
        self.used: list[int] = []
        self.header: list[str] = []
        self.year_col: int | None = None
        self.titles: list[tuple[int, str]] = []
        self.pending: list[tuple[int, dict]] = []  # note rows that may turn out to be data
        self.columns: list[list] = []
        self.lines: list[int] = []

    def row(self, number: int, values: dict[int, object]) -> None:
        if values:
            last = max(values) + 1
            if last > self.width:
                self.width = last
        if number * self.width > self.max_cells:
            check_cells(self.file, number, self.width, self.max_cells, self.title, "holds")
        if self.header_row is None:
            filled = sum(1 for v in values.values() if _filled(v))
            if filled >= 2:
                self._set_header(number, values)
            elif filled:
                self.titles.append((number, str(next(iter(values.values()))).strip()))
            return
        if not any(_filled(v) for v in values.values()):
            return
        if _is_note(values):
            self.pending.append((number, values))
            return
        for held in self.pending:  # notes with data below them: data rows
            self._commit(*held)
        self.pending.clear()
        self._commit(number, values)

    def _set_header(self, number: int, values: dict[int, object]) -> None:
        from speerpunt.io.stream import _Fallback
        from speerpunt.io.xlsx import _header_text

        self.header_row = number
        self.used = sorted(j for j, v in values.items() if not _no_result(v))
        self.header = [_header_text(values[j]) for j in self.used]
        if "" in self.header:
            raise _Fallback  # a blank-but-present header cell: the in-memory reader words it
        check_header(self.header, self.file, number)
        roles = find_columns(self.header)
        self.year_col = self.header.index(roles["year"]) if "year" in roles else None
        self.columns = [[] for _ in self.used]
        self.used_set = set(self.used)

    def _commit(self, number: int, values: dict[int, object]) -> None:
        from speerpunt.io.stream import _Fallback

        if not values.keys() <= self.used_set and any(
            j not in self.used_set and not _no_result(v) for j, v in values.items()
        ):
            raise _Fallback  # data in a column without a name
        self.lines.append(number)
        get = values.get
        for k, (j, column) in enumerate(zip(self.used, self.columns, strict=True)):
            value = get(j)
            if value.__class__ not in _PLAIN:
                value = self._cell(value, j, number, k)
            column.append(value)

    def _cell(self, value: object, j: int, number: int, k: int) -> object:
        import datetime as dt

        from openpyxl.utils import get_column_letter

        ref = f"{self.title}!{get_column_letter(j + 1)}{number}"
        column = self.header[k]
        if isinstance(value, _Special):
            if value.kind == "b":
                what = Text("io_cell_boolean", ref=ref, value=str(value.value).upper())
            elif value.kind == "e":
                what = Text("io_cell_error", ref=ref, value=value.value)
            else:
                what = Text("io_cell_formula", ref=ref, formula=value.value)
            raise DataError(what, file=self.file, row=number, column=column)
        if isinstance(value, dt.datetime | dt.date | dt.time):
            if k == self.year_col and isinstance(value, dt.datetime | dt.date):
                return value.year
            raise DataError(
                Text("io_cell_date", ref=ref, value=value),
                file=self.file,
                row=number,
                column=column,
            )
        return value

    def take(self) -> RawTable | None:
        """The rows committed since the last call, as a block."""
        if not self.lines:
            return None
        n = len(self.lines)
        frame = object_frame(dict(zip(self.header, self.columns, strict=True)), n)
        raw = RawTable(
            self.file,
            self.header,
            frame,
            np.asarray(self.lines, dtype=np.int64),
            header_line=self.header_row,
            sep=None,
            sheet=self.title,
        )
        self.columns = [[] for _ in self.used]
        self.lines = []
        return raw


#: Cells kept as they are (a bool is an int, but it is a _Special here).
_PLAIN = frozenset({str, int, float, type(None)})


def _filled(value: object) -> bool:
    """Whether a cell counts as filled (as ``str(value).strip()`` in :func:`speerpunt.io.xlsx._table`)."""
    if value.__class__ is str:
        return bool(value.strip())
    return value.__class__ in _PLAIN or bool(str(value).strip())


def _no_result(value: object) -> bool:
    """A formula without a stored result reads as an empty cell outside the table's columns."""
    return isinstance(value, _Special) and value.kind == "f"


def _is_note(values: dict[int, object]) -> bool:
    """A text in column A alone that reads as a sentence (as :func:`speerpunt.io.xlsx._is_note`)."""
    first = values.get(0)
    return (
        isinstance(first, str)
        and not any(str(v).strip() for j, v in values.items() if j)
        and bool(first.strip())
        and _looks_like_note(first.strip())
    )


def read_xlsx_streamed(
    path: Path,
    *,
    sheet: str | int | None,
    variable: str | None,
    decimal: str | None,
    thousands: str | None,
    summary: ReadSummary,
    max_cells: int | None,
    max_unpacked_bytes: int | None,
    block_size: int | None,
    encoding: str = "utf-8",
) -> tuple[Cells, pd.DataFrame]:
    """``(cells without data, long table)`` of the chosen sheet, as
    :func:`speerpunt.io.stream.read_streamed` gives them for a CSV (``encoding`` is unused: the XML
    says its own).

    Raises :class:`speerpunt.io.stream._Fallback` for sheets only the in-memory reader handles.
    """
    from speerpunt.io.stream import _Accumulator, _Fallback

    file = path.name
    check_zip(path, max_unpacked_bytes)
    meta = _Meta(path, sheet)
    table = _Table(file, meta.title, max_cells)

    def on_merge(ref: str) -> None:
        first, _, last = ref.upper().partition(":")
        if (
            last
            and _cell_row(first) == table.header_row
            and _letters_of(last) != _letters_of(first)
        ):
            raise _Fallback  # a merged header (two-row header or merged title): in-memory reader

    def on_dimension(ref: str) -> None:
        last = ref.upper().partition(":")[2] or ref.upper()
        rows, letters = _cell_row(last), _letters_of(last)
        if rows and letters:
            check_cells(file, rows, column_index(letters) + 1, max_cells, meta.title, "declares")

    sheet = _Sheet(meta, table.row, on_dimension, on_merge)
    parser = sheet.parser()
    acc = _Accumulator(file, decimal, thousands, summary)
    cells = None
    try:
        with zipfile.ZipFile(path) as zf, zf.open(meta.member) as fh:
            # A larger sheet makes a larger panel: its blocks may be larger too (fewer, faster).
            step = block_size or max(BLOCK_BYTES, zf.getinfo(meta.member).file_size // 128)
            while chunk := fh.read(step):
                # Small feeds: expat keeps a buffer the size of what it is given.
                for start in range(0, len(chunk), _FEED):
                    parser.Parse(chunk[start : start + _FEED], False)
                del chunk
                cells = _add(table.take(), cells, variable, acc)
            parser.Parse(b"", True)
    except (expat.ExpatError, KeyError, IndexError, zipfile.BadZipFile, ValueError) as exc:
        if isinstance(exc, DataError):
            raise
        raise _Fallback from None  # malformed XML: openpyxl's reader words it
    cells = _add(table.take(), cells, variable, acc)
    if table.header_row is None:
        raise _Fallback  # no row with two cells: the in-memory reader words it
    if acc.rows == 0:
        # Rows, but none of the variable asked for (``cells`` is set), or no rows at all.
        what = cells is not None and acc.wanted
        raise DataError(
            Text("io_variable_absent", variable=acc.wanted) if what else Text("io_sheet_no_rows"),
            file=file,
            row=None if what else table.header_row,
            column=find_columns(table.header).get("variable") if what else None,
        )
    summary.format, summary.sheet, summary.header_line = "XLSX", meta.title, table.header_row
    skipped = sorted(table.titles + [(n, str(v[0]).strip()) for n, v in table.pending])
    summary.skipped_lines = [f"line {n}: {text[:80]}" for n, text in skipped]
    cells.data = pd.DataFrame(columns=table.header)  # the header only: the rows are in the table
    return cells, acc.table()


def _add(raw: RawTable | None, cells: Cells | None, variable: str | None, acc) -> Cells | None:
    """Add a block to the accumulator; the first block's cells (without rows) describe the layout."""
    from speerpunt.io.stream import _cells

    if raw is None:
        return cells
    block = _cells(raw, find_columns(raw.header), variable, acc)
    if cells is None:
        cells = replace(block, data=block.data.iloc[:0])
    acc.add(block)
    del raw, block
    _merge_parts(acc.parts)
    release_memory()
    return cells


def _merge_parts(parts: dict[str, list[np.ndarray]], most: int = 8) -> None:
    """Join the accumulated arrays of each column once there are ``most`` of them.

    A block of a sheet is about a thousand rows: its arrays are a few kB each and would stay scattered
    over the heap (which then cannot shrink); one array per column is allocated in one piece, and
    :meth:`speerpunt.io.stream._Accumulator.table` takes it without a copy.
    """
    for name, arrays in parts.items():
        if len(arrays) >= most:
            parts[name] = [np.concatenate(arrays)]


def _letters_of(ref: str) -> str:
    return ref.replace("$", "").rstrip("0123456789")
