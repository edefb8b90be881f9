"""Fast path for long Parquet files: read with Arrow, check on integer codes, build the table once.

The general reader (:func:`speerpunt.io.read.read_cells` + :func:`speerpunt.io.validate.clean`) turns
every cell into a Python object and checks row by row: about 100× a bare ``pd.read_parquet`` on two
million rows. Most Parquet files are simpler than that: a long table whose code columns are text
(plain or dictionary-encoded) and whose years and values are already numbers. For those this module

* reads the code columns as Arrow dictionaries (``read_dictionary``), so each distinct code is a
  Python string once and every row is an integer index;
* applies the per-cell rules of the general reader to the *distinct* values only (stripping, ``10.0`` →
  ``10``, empty codes, flag letters, sector labels → codes) and maps the indices through them;
* checks years and values as NumPy arrays, sorts by one packed int64 key and looks for duplicate keys
  as equal neighbours in that order;
* builds the same long table as the general reader (the same columns, values, order and flags) and
  runs the same whole-table checks (scheme, totals, overlapping aggregates, suppressed zeros);
* keeps region, sector, variable and flag as categoricals built straight from the codes (sorted
  categories, only the values present, as the streamed CSV reader returns them), so no Python string
  is made per row: reading peaks at about 3× the panel instead of 5× with ``str`` columns.

Anything it does not handle — another layout, text values, a number convention to settle, a bad cell,
a duplicate key — makes it return ``None`` and the caller reads the file the general way, which words
the error (file, line, column) exactly as before; a row number is thus only computed on that failure
path. ``tests/io/test_parquet_fast.py`` checks on random panels that both paths give the same values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.io.layouts import Cells, find_columns
from speerpunt.io.memory import release_memory
from speerpunt.io.summary import ReadSummary

_TEXT_ROLES = ("region", "sector", "variable", "flag")


class _NotFast(Exception):
    """The file needs the general reader (to read it, or to word its error)."""


def read_long_parquet(
    path: Path, *, variable: str | None, decimal: str | None, thousands: str | None
) -> tuple[Cells, pd.DataFrame, dict[str, str]] | None:
    """``(cells without data, long table, sector relabels)`` as ``read_cells`` + ``clean`` make them
    before the scheme and aggregate checks, or ``None`` when the file needs the general reader.

    The table has the columns of :func:`speerpunt.io.validate.clean` (``line`` is the line the record
    would have in a CSV export, ``vcol`` the value column's name), sorted by key, without duplicates.
    """
    if decimal is not None or thousands is not None:
        return None  # the general reader checks and records the options given
    try:
        return _read(path, variable)
    except _NotFast:
        return None


def _read(path: Path, variable: str | None) -> tuple[Cells, pd.DataFrame, dict[str, str]]:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception:  # noqa: BLE001 (pyarrow raises several types; the general reader words it)
        raise _NotFast from None
    roles = _long_roles(schema, variable)
    cols = _read_columns(path, roles)
    release_memory()  # Arrow's pool keeps the last batch's buffers otherwise (speerpunt.io.memory)
    return long_table(path, list(schema.names), roles, cols, variable)


def long_table(
    path: Path, header: list[str], roles: dict[str, str], cols: dict[str, object], variable
) -> tuple[Cells, pd.DataFrame, dict[str, str]]:
    """The sorted long table from the columns read (see :func:`_read_columns`; ``year`` and ``value``
    as NumPy arrays), with the general reader's rules on the distinct codes; :class:`_NotFast` when a
    record needs the general reader. Line ``i + 2`` is the ``i``-th record's (header on line 1)."""
    n = len(cols["value"])
    keep = None
    if "variable" in roles and variable is not None:
        keep = _rows_of(cols["variable"], variable)
    years = _years(cols.pop("year"), keep)
    values = _numbers(cols.pop("value"), keep)
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for role in ("region", "sector", "variable"):
        if role in roles:
            codes[role] = _codes(cols.pop(role), keep, _clean_codes)
        else:
            codes[role] = (np.zeros(len(values), dtype=np.int8), _clean_codes([variable]))
    flag = _flags(cols.pop("flag", None), keep, values)
    relabels = _relabel(codes)
    # Line of each record in a CSV export of the table (header = line 1), as the general reader.
    line = np.arange(2, n + 2, dtype=np.int32 if n < 2**31 - 2 else np.int64)
    if keep is not None:
        line = line[keep]
    table = {**codes, "year": years, "value": values, "flag": flag, "line": line}
    del codes, years, values, flag, line  # _sorted_table drops each column once it is sorted
    out = _sorted_table(table, roles["value"])
    names = dict(roles, variable=roles.get("variable", "variable"))
    return Cells(path.name, "long", pd.DataFrame(columns=header), names), out, relabels


# Rows per Arrow record batch: the file is decoded a batch at a time into NumPy arrays sized for the
# whole table, so Arrow never holds more than one batch (reading the whole table at once held about
# 3× the panel in Arrow buffers alone).
_BATCH_ROWS = 1 << 18


def _read_columns(path: Path, roles: dict[str, str]) -> dict[str, object]:
    """Per role: ``(codes, distinct raw values)`` of a text column (a null flag is the value ``None``),
    or the NumPy array of a number column (year: int64 if stored as integers, else float64)."""
    import pyarrow.parquet as pq

    try:
        # 1 MB reads, no pre-buffered row groups, one thread (iter_batches below): Arrow's pool (mimalloc)
        # keeps what each reader thread and buffered row group touched (≈ +60 MB on the 100 MB benchmark).
        file = pq.ParquetFile(
            path,
            read_dictionary=[roles[r] for r in _TEXT_ROLES if r in roles],
            pre_buffer=False,
            buffer_size=1 << 20,
        )
        n = file.metadata.num_rows
    except Exception:  # noqa: BLE001
        raise _NotFast from None
    if n == 0:
        raise _NotFast
    text = {r: _Codes(n, nulls=r == "flag") for r in _TEXT_ROLES if r in roles}
    year_int = _is_integer(file.schema_arrow.field(roles["year"]).type)
    numbers = {"year": np.empty(n, np.int64 if year_int else np.float64), "value": np.empty(n)}
    start = 0
    for batch in _batches(file, [roles[r] for r in (*text, "year", "value")]):
        stop = start + batch.num_rows
        if stop > n:
            raise _NotFast
        for role, codes in text.items():
            codes.add(batch.column(roles[role]), start)
        for role, out in numbers.items():
            column = batch.column(roles[role])
            if role == "year" and year_int and column.null_count:
                raise _NotFast  # a missing year: the general reader names its line
            out[start:stop] = column.to_numpy(zero_copy_only=False)
        start = stop
    if start != n:
        raise _NotFast
    return {**{r: c.result() for r, c in text.items()}, **numbers}


def _batches(file, columns: list[str]):
    """The file's record batches; any Arrow error on the way is :class:`_NotFast`."""
    it = file.iter_batches(batch_size=_BATCH_ROWS, columns=columns, use_threads=False)
    while True:
        try:
            batch = next(it)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001
            raise _NotFast from None
        yield batch


def _is_integer(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_integer(kind)


class _Codes:
    """A text column decoded batch by batch into one integer code per row: each distinct raw value
    (``None`` for a null cell, where ``nulls`` allows one) gets the next code, in order of appearance.
    The codes array is sized for the whole table and widened only when the distinct values outgrow it.
    """

    def __init__(self, n: int, *, nulls: bool) -> None:
        self.ids: dict[str | None, int] = {}
        self.codes = np.empty(n, dtype=np.int8)
        self.nulls = nulls

    def add(self, array, start: int) -> None:
        import pyarrow as pa

        if not pa.types.is_dictionary(array.type):
            array = array.dictionary_encode()
        if array.dictionary.null_count:
            raise _NotFast  # a null inside the dictionary: left to the general reader
        values = array.dictionary.to_pylist()
        indices = array.indices
        if array.null_count:
            if not self.nulls:
                raise _NotFast  # an empty code: the general reader names its line
            # A null flag cell reads as '' in the general reader (its fillna): one extra value.
            indices = indices.fill_null(len(values))
            values.append(None)
        local = np.array([self.ids.setdefault(v, len(self.ids)) for v in values], dtype=np.int64)
        if len(self.ids) > np.iinfo(self.codes.dtype).max:
            self.codes = self.codes.astype(np.int32 if len(self.ids) >= 2**15 else np.int16)
        self.codes[start : start + len(array)] = local[indices.to_numpy(zero_copy_only=False)]

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, distinct raw values)``; a value's code is its position."""
        return self.codes, np.array(list(self.ids), dtype=object)


def _long_roles(schema, variable: str | None) -> dict[str, str]:
    """The long layout's roles when every column has a type this path reads; else :class:`_NotFast`."""
    import pyarrow as pa

    roles = header_roles([str(c) for c in schema.names], variable)
    for role, col in roles.items():
        kind = schema.field(col).type
        if role in _TEXT_ROLES:
            if pa.types.is_dictionary(kind):
                kind = kind.value_type
            ok = pa.types.is_string(kind) or pa.types.is_large_string(kind)
        else:
            ok = pa.types.is_integer(kind) or pa.types.is_floating(kind)
        if not ok:
            raise _NotFast
    return roles


def header_roles(header: list[str], variable: str | None) -> dict[str, str]:
    """Roles → column names of a long table whose every column has a role; else :class:`_NotFast`."""
    if len({h.lower() for h in header}) != len(header) or "" in header:
        raise _NotFast
    roles = find_columns(header)
    required = ["region", "sector", "year", "value"] + ([] if variable else ["variable"])
    sdmx = "obs_value" in (h.lower() for h in header)
    if sdmx or any(r not in roles for r in required) or set(header) - set(roles.values()):
        raise _NotFast
    return roles


def _indices(column: tuple[np.ndarray, np.ndarray], keep: np.ndarray | None):
    """Row codes (only the kept rows) and the distinct raw values they index."""
    idx, dictionary = column
    return (idx if keep is None else idx[keep]), dictionary


def _rows_of(column: tuple[np.ndarray, np.ndarray], variable: str) -> np.ndarray:
    """Rows whose variable, stripped, is ``variable`` (as the general reader selects them)."""
    idx, dictionary = _indices(column, None)
    wanted = np.array([str(v).strip() == variable for v in dictionary], dtype=bool)
    keep = wanted[idx]
    if not keep.any():
        raise _NotFast
    return keep


def _codes(
    column: tuple[np.ndarray, np.ndarray], keep: np.ndarray | None, clean
) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, labels)``: labels sorted as Python sorts strings, codes index them (used ones only).

    ``clean`` maps the distinct raw values to their cleaned text; distinct raw values that clean to the
    same text (``' A'`` and ``'A'``) share one code.
    """
    idx, dictionary = _indices(column, keep)
    used = np.flatnonzero(np.bincount(idx, minlength=len(dictionary)))
    text = clean(dictionary[used])
    labels, inverse = np.unique(text, return_inverse=True)
    small = np.int8 if len(labels) < 127 else np.int16 if len(labels) < 32767 else np.int32
    remap = np.full(len(dictionary), -1, dtype=small)
    remap[used] = inverse
    return remap[idx], labels


def _clean_codes(values) -> np.ndarray:
    """Codes as :func:`speerpunt.io.validate._codes` reads them; an empty one is :class:`_NotFast`."""
    from speerpunt.io.validate import _code_cells

    (text,) = _code_cells(pd.Series(list(values), dtype=object))
    if (text == "").any():
        raise _NotFast
    return np.asarray(text, dtype=object)


def _relabel(codes: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, str]:
    """Sector labels → codes (``Insgesamt`` → ``TOTAL``) on the labels, as the general reader."""
    from speerpunt.io.aggregates_check import sector_relabels

    idx, labels = codes["sector"]
    relabels = sector_relabels(sorted(labels))
    if relabels:
        new, inverse = np.unique(
            np.array([relabels.get(s, s) for s in labels], dtype=object), return_inverse=True
        )
        codes["sector"] = (inverse.astype(np.int32)[idx], new)
    return relabels


def _years(raw: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    """Whole years 1000–2999 as int64; anything else is left to the general reader's message."""
    raw = raw if keep is None else raw[keep]
    if raw.dtype.kind in "iu":  # no nulls (refused while reading): the range is the only check
        if int(raw.min()) < 1000 or int(raw.max()) > 2999:
            raise _NotFast
        return raw.astype(np.int64, copy=False)
    bad = ~np.isfinite(raw) | (raw != np.floor(raw)) | (raw < 1000) | (raw > 2999)
    if bad.any():
        raise _NotFast
    return raw.astype(np.int64)


def _numbers(values: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    """Values as float64 (a null or NaN is a missing cell); infinite or negative → general reader."""
    values = values if keep is None else values[keep]
    with np.errstate(invalid="ignore"):
        if np.isinf(values).any() or (values < 0).any():
            raise _NotFast
    return values


def _flags(
    column: tuple[np.ndarray, np.ndarray] | None, keep: np.ndarray | None, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, words)`` of the flag column merged with the missing marker, as the general reader:
    each distinct (flag cell, value missing) pair is merged once (:func:`speerpunt.io.cells.merge_flags`)."""
    from speerpunt.io.cells import _merge_one

    missing = np.isnan(values)
    if column is None:
        cells_idx = np.zeros(len(values), dtype=np.int32)
        cells = np.array([""], dtype=object)
    else:
        cells_idx, cells = _flag_indices(column, keep)
    words: list[str] = []
    pair_code = np.empty(2 * len(cells), dtype=np.int32)
    for i, cell in enumerate(cells):
        for gap in (0, 1):
            merged = _merge_one(":" if gap else "", cell)
            word = ":" if gap and merged == "" else merged
            if word not in words:
                words.append(word)
            pair_code[2 * i + gap] = words.index(word)
    pair = cells_idx.astype(np.int32)
    pair *= 2
    pair += missing
    codes = pair_code[pair]
    del pair
    # Only the words some row has (a panel's flag categories are the flags it holds, as the streamed
    # CSV reader makes them): a pair that no row takes, such as ('', missing) without a gap, is dropped.
    used = np.flatnonzero(np.bincount(codes, minlength=len(words)))
    small = np.int8 if len(used) < 127 else np.int16 if len(used) < 32767 else np.int32
    remap = np.full(len(words), -1, dtype=small)
    remap[used] = np.arange(len(used))
    return remap[codes], np.array(words, dtype=object)[used]


def _flag_indices(
    column: tuple[np.ndarray, np.ndarray], keep: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Flag cells as indices into their cleaned distinct values (a null is no flag, as ``''``)."""
    from speerpunt.io.validate import _flag_cells

    idx, dictionary = _indices(column, keep)
    text, bad = _flag_cells(pd.Series(list(dictionary), dtype=object))
    used = np.bincount(idx, minlength=len(dictionary)) > 0
    if (bad & used).any():
        raise _NotFast
    return idx, np.asarray(text, dtype=object)


def _sorted_table(cols: dict[str, object], value_column: str) -> pd.DataFrame:
    """Rows sorted by (region, sector, year, variable) as one packed int64 key; a duplicate key is
    :class:`_NotFast` (the general reader finds its earliest line and words the error).

    ``cols`` holds ``(codes, labels)`` for region, sector, variable and flag and arrays for year, value
    and line; it is emptied a column at a time as each is put in order, so that the unsorted and the
    sorted table are never held whole together.
    """
    from speerpunt.io.validate import sort_rows

    years = cols["year"]
    y0 = int(years.min())
    parts = [
        (cols["region"][0], 0, len(cols["region"][1])),
        (cols["sector"][0], 0, len(cols["sector"][1])),
        (years, y0, int(years.max()) - y0 + 1),
        (cols["variable"][0], 0, len(cols["variable"][1])),
    ]
    if np.prod([float(size) for _, _, size in parts]) >= 2.0**62:
        raise _NotFast
    order, dup = sort_rows(parts, len(years))
    del parts, years
    if dup:
        raise _NotFast
    out: dict[str, object] = {}
    for name in ("line", "vcol", "region", "sector", "variable", "year", "value", "flag"):
        if name == "vcol":
            zeros = np.zeros(len(order), dtype=np.int8)
            out[name] = pd.Categorical.from_codes(zeros, [value_column])
        elif name in _TEXT_ROLES:
            out[name] = _categorical(*cols.pop(name), order)
        else:
            out[name] = cols.pop(name)[order]
    return pd.DataFrame(out, copy=False)


def _categorical(codes: np.ndarray, labels: np.ndarray, order: np.ndarray) -> pd.Categorical:
    """``labels[codes[order]]`` as a categorical with sorted categories (small integer codes)."""
    rank = np.argsort(labels.astype(str), kind="stable")
    position = np.empty(len(labels), dtype=np.int64)
    position[rank] = np.arange(len(labels))
    small = np.int8 if len(labels) < 127 else np.int16 if len(labels) < 32767 else np.int32
    return pd.Categorical.from_codes(
        position.astype(small)[codes[order]], categories=pd.Index(labels[rank], dtype=object)
    )


def with_suppressed_flags(table: pd.DataFrame) -> None:
    """Flag categories with :data:`~speerpunt.io.aggregates_check.SUPPRESSED_FLAG` added, so that
    the aggregate checks can mark a suppressed-looking zero in the categorical column (in place)."""
    from speerpunt.io.aggregates_check import SUPPRESSED_FLAG

    flags = table["flag"].cat.categories
    extra = {f.replace(":", "") + SUPPRESSED_FLAG for f in flags} - set(flags)
    if extra:
        table["flag"] = table["flag"].cat.add_categories(sorted(extra))


def finish_summary(
    summary: ReadSummary, cells: Cells, header: list[str], fmt: str = "Parquet"
) -> None:
    """What ``read_cells`` records about a long file read by a fast path (header on line 1)."""
    from speerpunt.io.read import _mapping

    summary.format = fmt
    summary.header_line = 1
    summary.layout = cells.layout
    summary.header_mapping = _mapping(cells, header)
