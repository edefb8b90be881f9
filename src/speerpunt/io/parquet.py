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
* builds the same long table as the general reader (the same columns, dtypes, order and flags) and
  runs the same whole-table checks (scheme, totals, overlapping aggregates, suppressed zeros).

Anything it does not handle — another layout, text values, a number convention to settle, a bad cell,
a duplicate key — makes it return ``None`` and the caller reads the file the general way, which words
the error (file, line, column) exactly as before; a row number is thus only computed on that failure
path. ``tests/io/test_parquet_fast.py`` checks on random panels that both paths give the same frame.
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
    text_cols = [roles[r] for r in _TEXT_ROLES if r in roles]
    try:
        table = pq.read_table(path, read_dictionary=text_cols).unify_dictionaries()
    except Exception:  # noqa: BLE001
        raise _NotFast from None
    n = table.num_rows
    if n == 0:
        raise _NotFast
    keep = None
    if "variable" in roles and variable is not None:
        keep = _rows_of(table.column(roles["variable"]), variable)
    years = _years(table.column(roles["year"]), keep)
    values = _numbers(table.column(roles["value"]), keep)
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for role in ("region", "sector", "variable"):
        if role in roles:
            codes[role] = _codes(table.column(roles[role]), keep, _clean_codes)
        else:
            codes[role] = (np.zeros(len(values), dtype=np.int8), _clean_codes([variable]))
    flag = _flags(table.column(roles["flag"]) if "flag" in roles else None, keep, values)
    del table
    release_memory()  # Arrow's pool keeps the file's buffers otherwise (see speerpunt.io.memory)
    relabels = _relabel(codes)
    # Line of each record in a CSV export of the table (header = line 1), as the general reader.
    line = np.arange(2, n + 2, dtype=np.int64)
    if keep is not None:
        line = line[keep]
    out = _sorted_table(codes, years, values, flag, line, roles["value"])
    names = dict(roles, variable=roles.get("variable", "variable"))
    return Cells(path.name, "long", pd.DataFrame(columns=list(schema.names)), names), out, relabels


def _long_roles(schema, variable: str | None) -> dict[str, str]:
    """The long layout's roles when every column has a type this path reads; else :class:`_NotFast`."""
    import pyarrow as pa

    header = [str(c) for c in schema.names]
    if len({h.lower() for h in header}) != len(header) or "" in header:
        raise _NotFast
    roles = find_columns(header)
    required = ["region", "sector", "year", "value"] + ([] if variable else ["variable"])
    sdmx = "obs_value" in (h.lower() for h in header)
    if sdmx or any(r not in roles for r in required) or set(header) - set(roles.values()):
        raise _NotFast
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


def _indices(column, keep: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Row indices into the (unified) dictionary of a chunked dictionary column, and the dictionary."""
    chunks = column.chunks
    if any(c.null_count for c in chunks):
        raise _NotFast  # an empty code: the general reader names its line
    dictionary = chunks[0].dictionary.to_numpy(zero_copy_only=False)
    idx = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
    return (idx if keep is None else idx[keep]), dictionary


def _rows_of(column, variable: str) -> np.ndarray:
    """Rows whose variable, stripped, is ``variable`` (as the general reader selects them)."""
    idx, dictionary = _indices(column, None)
    wanted = np.array([str(v).strip() == variable for v in dictionary], dtype=bool)
    keep = wanted[idx]
    if not keep.any():
        raise _NotFast
    return keep


def _codes(column, keep: np.ndarray | None, clean) -> tuple[np.ndarray, np.ndarray]:
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


def _years(column, keep: np.ndarray | None) -> np.ndarray:
    """Whole years 1000–2999 as int64; anything else is left to the general reader's message."""
    raw = column.to_numpy()
    raw = raw if keep is None else raw[keep]
    if raw.dtype.kind in "iu":  # no nulls (those come as floats): the range is the only check
        if int(raw.min()) < 1000 or int(raw.max()) > 2999:
            raise _NotFast
        return raw.astype(np.int64, copy=False)
    years = raw.astype(float)
    bad = ~np.isfinite(years) | (years != np.floor(years)) | (years < 1000) | (years > 2999)
    if bad.any():
        raise _NotFast
    return raw.astype(np.int64)


def _numbers(column, keep: np.ndarray | None) -> np.ndarray:
    """Values as float64 (a null or NaN is a missing cell); infinite or negative → general reader."""
    values = np.asarray(column.to_numpy(), dtype=np.float64)
    values = values if keep is None else values[keep]
    with np.errstate(invalid="ignore"):
        if np.isinf(values).any() or (values < 0).any():
            raise _NotFast
    return values


def _flags(column, keep: np.ndarray | None, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    codes = pair_code[2 * cells_idx.astype(np.int32) + missing]
    return codes, np.array(words, dtype=object)


def _flag_indices(column, keep: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Flag cells as indices into their cleaned distinct values (a null is no flag, as ``''``)."""
    from speerpunt.io.validate import _flag_cells

    chunks = column.chunks
    dictionary = list(chunks[0].dictionary.to_numpy(zero_copy_only=False))
    parts = []
    for c in chunks:
        idx = c.indices.to_numpy(zero_copy_only=False)
        if c.null_count:
            # A null flag cell reads as '' (the general reader's fillna): one extra entry.
            idx = np.where(c.is_null().to_numpy(zero_copy_only=False), len(dictionary), idx)
        parts.append(idx.astype(np.int32))
    dictionary.append(None)
    idx = np.concatenate(parts)
    idx = idx if keep is None else idx[keep]
    text, bad = _flag_cells(pd.Series(dictionary, dtype=object))
    used = np.bincount(idx, minlength=len(dictionary)) > 0
    if (bad & used).any():
        raise _NotFast
    return idx, np.asarray(text, dtype=object)


def _sorted_table(
    codes: dict[str, tuple[np.ndarray, np.ndarray]],
    years: np.ndarray,
    values: np.ndarray,
    flag: tuple[np.ndarray, np.ndarray],
    line: np.ndarray,
    value_column: str,
) -> pd.DataFrame:
    """Rows sorted by (region, sector, year, variable) as one packed int64 key; a duplicate key is
    :class:`_NotFast` (the general reader finds its earliest line and words the error)."""
    from speerpunt.io.validate import sort_rows

    y0 = int(years.min())
    parts = [
        (codes["region"][0], 0, len(codes["region"][1])),
        (codes["sector"][0], 0, len(codes["sector"][1])),
        (years, y0, int(years.max()) - y0 + 1),
        (codes["variable"][0], 0, len(codes["variable"][1])),
    ]
    if np.prod([float(size) for _, _, size in parts]) >= 2.0**62:
        raise _NotFast
    order, dup = sort_rows(parts, len(years))
    if dup:
        raise _NotFast
    out = {
        "line": line[order].astype(np.int32),
        "vcol": pd.Categorical.from_codes(np.zeros(len(order), dtype=np.int8), [value_column]),
        "region": _categorical(*codes["region"], order),
        "sector": _categorical(*codes["sector"], order),
        "variable": _categorical(*codes["variable"], order),
        "year": years[order],
        "value": values[order],
        "flag": _categorical(*flag, order),
    }
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


def as_text(table: pd.DataFrame) -> pd.DataFrame:
    """The panel's columns, moved out of ``table`` (emptied), code columns as pandas' string dtype
    (as the general reader returns them), gathered in Arrow from the categorical codes one column at
    a time so that the codes and the text of all columns are never held together."""
    import pyarrow as pa

    out = {}
    for col in ("region", "sector", "year", "variable", "value", "flag"):
        s = table.pop(col)
        if isinstance(s.dtype, pd.CategoricalDtype):
            labels = pa.array(list(s.cat.categories), type=pa.large_string())
            out[col] = labels.take(pa.array(s.cat.codes.to_numpy())).to_pandas()
        else:
            out[col] = s.to_numpy()
        del s
    return pd.DataFrame(out, copy=False)


def finish_summary(summary: ReadSummary, cells: Cells, header: list[str]) -> None:
    """What ``read_cells`` records about a long Parquet file."""
    from speerpunt.io.read import _mapping

    summary.format = "Parquet"
    summary.header_line = 1
    summary.layout = cells.layout
    summary.header_mapping = _mapping(cells, header)
