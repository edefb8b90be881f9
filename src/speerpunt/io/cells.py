"""Cell parsing shared by every reader: numbers with Eurostat flags, and years.

A cell is a number, a number followed by flag letters (``12.3 p``, ``0 z``), a missing marker
(``:``, ``:c``, ``: c``, empty, ``NA``) or flag letters alone (``c``): the last two give a missing value
(NaN) with the flag kept (``:`` when no letter). Everything else is an error, never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.errors import Text

#: Flag letters accepted in cells: Eurostat's (see ``speerpunt.panel.FLAG_MEANINGS``) plus ``f``
#: (forecast) and ``i`` (see metadata) that appear in some bulk files, and speerpunt's own ``q``
#: (a zero that looks suppressed, see :mod:`speerpunt.io.aggregates_check`).
FLAG_LETTERS = "bcdefinpqrsuz"
#: Spellings of "no value" written by spreadsheets, R and pandas.
MISSING_TOKENS = ("", "na", "n/a", "nan", "null", "none")

_CELL = (
    r"^(?P<num>[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)?"
    r"\s*(?P<colon>:)?\s*(?P<flags>[" + FLAG_LETTERS + r"]*)$"
)


def parse_values(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split cells into ``(value, flag, bad)`` arrays.

    ``value`` is float (NaN when missing), ``flag`` a string (``""`` none, ``":"`` missing without a
    letter), ``bad`` a boolean mask of cells that are neither numbers nor missing markers. Numbers are
    plain (``1234.5``): :mod:`speerpunt.io.numbers` rewrites other conventions first.

    >>> v, f, bad = parse_values(pd.Series(["12.3 p", ":", ": c", "4", 5.0, "x"]))
    >>> v.tolist()[:2], f.tolist(), bad.tolist()
    ([12.3, nan], ['p', ':', 'c', '', '', ''], [False, False, False, False, False, True])
    """
    raw = pd.Series(raw).reset_index(drop=True)
    if raw.dtype.kind in "iuf":
        value = raw.to_numpy(dtype=float, copy=True)
        return value, np.where(np.isnan(value), ":", ""), np.isinf(value)
    # Real files repeat cells a lot (flags, ':' …): parse each distinct cell once.
    return per_unique(raw, _parse_distinct)


def per_unique(raw: pd.Series, fn) -> tuple[np.ndarray, ...]:
    """Apply ``fn`` (distinct values → tuple of arrays) once per distinct value, broadcast back."""
    codes, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=False)
    return tuple(np.asarray(r)[codes] for r in fn(pd.Series(uniques, dtype=object)))


def _parse_distinct(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(raw)
    flag = np.full(n, "", dtype=object)
    absent = raw.isna().to_numpy()
    flag[absent] = ":"
    # Numbers and plain numeric strings convert in one C pass; only the rest needs the cell grammar.
    value = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, copy=True)
    # True/False are not numbers, whatever pandas makes of them.
    boolean = raw.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)
    value[boolean] = np.nan
    bad = np.isinf(value) | boolean
    rest = np.isnan(value) & ~absent & ~boolean
    if rest.any():
        text = raw[rest].astype(str).str.strip()
        missing = text.str.lower().isin(MISSING_TOKENS).to_numpy()
        parts = text.str.extract(_CELL)
        matched = text.str.match(_CELL).to_numpy()
        has_num = parts["num"].notna().to_numpy()
        has_colon = parts["colon"].notna().to_numpy()
        letters = parts["flags"].fillna("").to_numpy(dtype=object)
        # A bare letter must mean "no value": only c (confidential) and z (not applicable) do;
        # p, e, b … qualify a number, so "p" alone is an error (": p" is the missing form).
        bare = ~has_num & ~has_colon & (letters != "")
        bare_ok = pd.Series(letters).str.fullmatch("[cz]+").to_numpy(dtype=bool)
        cell_bad = ~missing & (~matched | (has_num & has_colon) | (bare & ~bare_ok))
        nums = pd.to_numeric(parts["num"], errors="coerce").to_numpy(dtype=float)
        cell_flag = np.where(letters != "", letters, np.where(has_num, "", ":"))
        idx = np.flatnonzero(rest)
        value[idx] = np.where(missing | cell_bad, np.nan, nums)
        flag[idx] = np.where(missing, ":", np.where(cell_bad, "", cell_flag))
        bad[idx] = cell_bad
    return value, flag.astype(str), bad


def explain_cell(cell: object) -> Text:
    """Why one cell is not a value (used only to word an error message)."""
    text = str(cell).strip()
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return Text("io_not_finite", value=repr(cell))
    if isinstance(cell, bool):
        return Text("io_boolean_value", value=repr(cell))
    lone = text.lstrip(":").strip()
    if lone and set(lone) <= set(FLAG_LETTERS) and ":" not in text:
        return Text("io_flag_alone", flag=lone)
    if ":" in text and text.split(":")[0].strip():
        return Text("io_number_and_colon", text=text)
    return Text("io_not_a_number", text=text, letters=", ".join(FLAG_LETTERS))


def parse_years(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(year, bad)``: integer years (``2008``, ``"2008"``, ``"2008.0"``, ``2008.0``) and a mask of the rest.

    >>> parse_years(pd.Series(["2008", 2009.0, "2010.5", "x"]))[1].tolist()
    [False, False, True, True]
    """
    raw = pd.Series(raw).reset_index(drop=True)
    if raw.dtype.kind in "iuf":
        return _years(raw.to_numpy(dtype=float))
    return per_unique(
        raw, lambda u: _years(pd.to_numeric(u, errors="coerce").to_numpy(dtype=float))
    )


def _years(years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bad = ~np.isfinite(years) | (years != np.floor(years)) | (years < 1000) | (years > 2999)
    return np.where(bad, 0, years).astype(np.int64), bad


def merge_flags(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Letters of ``a`` then those of ``b`` not already in ``a`` (``":"`` only when nothing else)."""
    ca, ua = pd.factorize(pd.Series(a, dtype=object))
    cb, ub = pd.factorize(pd.Series(b, dtype=object))
    # Distinct (a, b) pairs are few: merge those, then broadcast.
    pair_codes, pairs = pd.factorize(ca.astype(np.int64) * max(len(ub), 1) + cb)
    merged = np.array(
        [_merge_one(ua[p // max(len(ub), 1)], ub[p % max(len(ub), 1)]) for p in pairs], dtype=object
    )
    return merged[pair_codes]


def _merge_one(a: str, b: str) -> str:
    a = a.replace(":", "")
    if not a:
        return b
    if not b or b == ":":
        return a
    return a + "".join(ch for ch in b if ch not in a)
