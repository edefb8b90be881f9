"""Numbers as people write them: detect the decimal and thousands conventions of text cells.

A number token may use ``.`` or ``,`` as decimal separator and group thousands with ``,``, ``.``, a space
(also no-break and thin spaces) or an apostrophe (``35’991``). Each of the eight conventions accepts some
tokens and reads them its own way; a column's convention is the one that accepts every token, and where
several do and they read some token differently (``35.991``: 35991 or 35.991) the column is **ambiguous**
and reading stops with an error naming the file, line, column and both readings, until ``decimal=`` /
``thousands=`` settle it. Columns of one file share the convention when one convention fits them all.

A trailing ``%`` is accepted (the number is kept as written, in percent) and reported.

>>> c = detect(pd.Series(["1.234,5", "35.991", "7 p"]))
>>> c.decimal, c.thousands
(',', '.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from speerpunt.errors import DataError, Num, Phrase, Text

#: Characters that group thousands, by kind: the name used in options and messages → characters.
THOUSANDS = {"": "", ",": ",", ".": ".", " ": " \u00a0\u202f\u2009", "'": "'\u2019"}
DECIMALS = (".", ",")
CONVENTIONS = [(d, t) for d in DECIMALS for t in THOUSANDS if t != d]
_WORDS = {
    ".": "decimal point '.'",
    ",": "decimal comma ','",
}
#: A cell: a number token (digits with separators), an optional %, then the missing marker and flags.
_SPLIT = re.compile(
    r"^\s*(?P<num>[-+]?[0-9.,\u00a0\u202f\u2009 '\u2019]*[0-9](?:[eE][-+]?[0-9]+)?|[-+]?[.,][0-9]+)?"
    r"(?P<rest>\s*%?\s*:?\s*[a-z]*\s*)$"
)


@dataclass(frozen=True)
class Convention:
    """How one column writes numbers: ``decimal`` (``.``/``,``/``None`` when no token had decimals),
    ``thousands`` (``""`` when none was seen) and whether any value carried ``%``."""

    decimal: str | None = "."
    thousands: str = ""
    percent: bool = False

    def describe(self) -> str:
        dec = _WORDS[self.decimal] if self.decimal else "no decimals"
        grp = f", thousands '{self.thousands}'" if self.thousands else ""
        return dec + grp + (", percentages" if self.percent else "")


def _pattern(decimal: str, thousands: str) -> re.Pattern:
    d = re.escape(decimal)
    if thousands:
        t = "[" + re.escape(THOUSANDS[thousands]) + "]"
        integer = rf"(?:[1-9][0-9]{{0,2}}(?:{t}[0-9]{{3}})+|[0-9]+)"
    else:
        integer = "[0-9]+"
    exponent = "(?:[eE][-+]?[0-9]+)?" if decimal == "." and not thousands else ""
    return re.compile(rf"^[-+]?(?:{integer}(?:{d}[0-9]*)?|{d}[0-9]+){exponent}$")


_PATTERNS = {c: _pattern(*c) for c in CONVENTIONS}


def split_tokens(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(number token or NaN, rest)`` of text cells; cells that are not numbers give NaN tokens."""
    text = cells.astype(str)
    # Most cells are bare digits with '.' or ',' inside (123, 12.5, 1.234,5): the whole cell is the
    # token, as _SPLIT would find. One C pass (RE2, ASCII only) spares them the Python regex.
    bare = pc.match_substring_regex(_arrow(text), r"^[0-9](?:[0-9.,]*[0-9])?$").to_numpy(
        zero_copy_only=False
    )
    num = pd.Series(
        np.where(bare, text.to_numpy(dtype=object), None), index=cells.index, dtype=object
    )
    rest = pd.Series("", index=cells.index, dtype=object)
    if not bare.all():
        parts = text[~bare].str.extract(_SPLIT)
        num[~bare] = parts["num"].to_numpy(dtype=object)
        rest[~bare] = parts["rest"].fillna("").to_numpy(dtype=object)
    num[num.isna()] = np.nan
    return num, rest


def _arrow(tokens: pd.Series) -> pa.Array:
    """Tokens as an Arrow string array (missing → null) for the C kernels below."""
    return pa.array(tokens.to_numpy(dtype=object), pa.string(), from_pandas=True)


def _reading(tokens: pd.Series, convention: tuple[str, str]) -> np.ndarray:
    d, t = convention
    # Literal replacements in Arrow's C kernels: a Python str.replace per token and character was
    # a third of reading a large CSV whose values all have a decimal point.
    plain = _arrow(tokens)
    for ch in THOUSANDS[t]:
        plain = pc.replace_substring(plain, ch, "")
    if d == ",":
        plain = pc.replace_substring(plain, ",", ".")
    return pd.to_numeric(pd.Series(plain.to_numpy(zero_copy_only=False)), errors="coerce").to_numpy(
        dtype=float
    )


def _valid(tokens: pd.Series, convention: tuple[str, str]) -> np.ndarray:
    """Tokens the convention accepts (missing: not accepted).

    Matched by RE2 in one C pass (Arrow), not Python's ``re`` per token: the patterns use only
    literals, ASCII ranges, groups and bounded repeats, which both engines read alike, and tokens never
    hold a newline (where Python's ``$`` would also match before a final one). A test compares the two
    engines on generated tokens.
    """
    hit = pc.match_substring_regex(_arrow(tokens), _PATTERNS[convention].pattern)
    return hit.fill_null(False).to_numpy(zero_copy_only=False)


def candidates(
    tokens: pd.Series, decimal: str | None = None, thousands: str | None = None
) -> list[tuple[str, str]]:
    """Conventions (restricted to the given ``decimal``/``thousands``) that accept every token."""
    out = []
    for conv in CONVENTIONS:
        if (decimal is not None and conv[0] != decimal) or (
            thousands is not None and conv[1] != thousands
        ):
            continue
        if _valid(tokens, conv).all():
            out.append(conv)
    return out


def reading_groups(tokens: pd.Series, convs: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Conventions grouped by how they read ``tokens`` (one group = one unambiguous reading)."""
    groups: list[tuple[np.ndarray, list[tuple[str, str]]]] = []
    for conv in convs:
        values = _reading(tokens, conv)
        for ref, members in groups:
            if np.array_equal(ref, values, equal_nan=True):
                members.append(conv)
                break
        else:
            groups.append((values, [conv]))
    return [m for _, m in groups]


def settle(group: list[tuple[str, str]], percent: bool) -> Convention:
    """The convention to report for one reading group (what every member agrees on)."""
    decimals = {d for d, _ in group}
    seps = {t for _, t in group}
    return Convention(
        decimals.pop() if len(decimals) == 1 else None,
        seps.pop() if len(seps) == 1 else "",
        percent,
    )


def detect(
    cells: pd.Series, decimal: str | None = None, thousands: str | None = None
) -> Convention:
    """The convention of one column of text cells (no file context: errors name no line).

    See :func:`detect_columns` for the version that reads a whole file.
    """
    conv, _, _ = detect_columns(
        pd.DataFrame({"value": cells, "vcol": "value", "line": np.arange(len(cells))}),
        file=None,
        decimal=decimal,
        thousands=thousands,
    )
    return conv["value"]


def _check_option(name: str, value: str | None, allowed, file: str | None) -> str | None:
    if value is None:
        return None
    key = {"space": " ", "none": "", "apostrophe": "'", "comma": ",", "point": ".", "dot": "."}.get(
        str(value).strip().lower(), value
    )
    if key not in allowed:
        raise DataError(
            Text(
                "io_bad_option",
                name=name,
                allowed=", ".join(repr(a) for a in allowed),
                value=repr(value),
            ),
            file=file,
            column=name,
        )
    return key


def detect_columns(
    cells: pd.DataFrame,
    *,
    file: str | None,
    decimal: str | None = None,
    thousands: str | None = None,
) -> tuple[dict[str, Convention], pd.Series, list[str]]:
    """Conventions per value column (``vcol``) of raw long cells, the normalised cells, and warnings.

    ``cells`` has ``value`` (text or numbers), ``vcol`` (the file column) and ``line``. Numbers in text
    come back in plain form (``35991``, ``1234.5 p``); everything else unchanged.
    """
    decimal = _check_option("decimal", decimal, DECIMALS, file)
    thousands = _check_option("thousands", thousands, tuple(THOUSANDS), file)
    if decimal is not None and decimal == thousands:
        raise DataError(Text("io_same_separators"), file=file, column="thousands")
    codes, uniques = pd.factorize(cells["value"], use_na_sentinel=True)
    uniques = pd.Series(uniques, dtype=object)
    text_u = uniques.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if not text_u.any():
        return {}, cells["value"], []
    tokens, rest = split_tokens(uniques.where(text_u, ""))
    tokens[~text_u] = np.nan
    has_sep = tokens.str.contains(r"[.,\s'\u2019]", regex=True).fillna(False).to_numpy(dtype=bool)
    percent = (rest.str.contains("%", regex=False) & text_u & tokens.notna()).to_numpy(dtype=bool)
    in_text = (codes >= 0) & text_u[np.maximum(codes, 0)]
    col_codes, col_names = pd.factorize(cells["vcol"].to_numpy())
    pair = pd.DataFrame(
        {
            "col": col_codes[in_text],
            "tok": codes[in_text],
            "line": cells["line"].to_numpy()[in_text],
        }
    )
    first_line = pair.groupby("tok")["line"].min()
    pair = pair.drop_duplicates(["col", "tok"])

    def line_of(token_index: int) -> int | None:
        return int(first_line.loc[token_index]) if file is not None else None

    per_col: dict[int, np.ndarray] = {}
    replacement_mixed: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    mixed_conv: dict[int, Convention] = {}
    warnings: list[str] = []
    pct_col: dict[int, bool] = {}
    valid: dict[int, set[tuple[str, str]]] = {}
    for c, toks in pair.groupby("col")["tok"]:
        toks = toks.to_numpy()
        idx = toks[has_sep[toks]]
        per_col[c] = idx
        pct_col[c] = bool(percent[toks].any())
        convs = set(candidates(tokens.iloc[idx], decimal, thousands))
        if not convs and len(idx) and decimal is None and thousands is None:
            # No one convention reads the column: each number must then be unambiguous by itself.
            name = str(col_names[c])
            plain, best = _per_token(tokens.iloc[idx], file, name, line_of)
            replacement_mixed[c] = (idx, plain)
            if best is not None:
                warnings.append(
                    Text("io_warn_mixed_conventions", column=name, mostly=Phrase(_WORDS[best[0]]))
                )
            per_col[c] = idx[:0]
            mixed_conv[c] = Convention(*(best or (None, "")), pct_col[c])
            continue
        valid[c] = convs
    with_sep = [v for c, v in valid.items() if len(per_col[c]) and v]
    shared = set.intersection(*with_sep) if with_sep else set()
    result: dict[str, Convention] = {}
    replacement = uniques.copy()
    rest_text = rest.to_numpy(dtype=object)
    for c, idx in per_col.items():
        name = str(col_names[c])
        if c in mixed_conv:
            result[name] = mixed_conv[c]
            m_idx, m_plain = replacement_mixed[c]
            # A token no convention reads stays as written: it is reported as not a number.
            replacement.iloc[m_idx] = [
                u if np.isnan(v) else repr(v) + r
                for u, v, r in zip(
                    uniques.to_numpy()[m_idx], m_plain.tolist(), rest_text[m_idx], strict=True
                )
            ]
            continue
        if not len(idx):
            result[name] = Convention(None, "", pct_col[c])
            continue
        # An explicit choice that reads no token leaves the cells to be reported as bad numbers.
        convs = sorted(valid[c] & shared or valid[c])
        if not convs:
            continue
        col_tokens = tokens.iloc[idx]
        groups = reading_groups(col_tokens, convs)
        if len(groups) > 1:
            raise _ambiguous(col_tokens, groups, file, name, line_of)
        result[name] = settle(groups[0], pct_col[c])
        if (".", "") in groups[0]:
            continue  # plain numbers already: nothing to rewrite
        plain = _reading(col_tokens, groups[0][0])
        replacement.iloc[idx] = [
            repr(v) + r for v, r in zip(plain.tolist(), rest_text[idx], strict=True)
        ]
    # A percent sign is dropped (the number stays in percent, as the summary reports).
    pct = np.flatnonzero(percent)
    replacement.iloc[pct] = replacement.iloc[pct].astype(str).str.replace("%", "", regex=False)
    values = replacement.to_numpy()[np.maximum(codes, 0)]
    out = pd.Series(np.where(codes >= 0, values, cells["value"].to_numpy()), index=cells.index)
    return result, out, warnings


#: A value cell in plain form: digits with at most one decimal point (no sign, exponent, comma, thousands
#: separator or percent), then optionally a space, a colon and flag letters; or no number (``:``, ``c``).
_PLAIN_CELL = r"^(?:[0-9]+(?:\.[0-9]+)?)? ?:? ?[a-z]*$"
_BARE_NUMBER = r"^[0-9]+(?:\.[0-9]+)?$"
#: A number that a point as thousands separator could also read (``35.991``: 35991 or 35.991).
_THOUSANDS_LIKE = r"^[1-9][0-9]{0,2}\.[0-9]{3}(?:[^0-9]|$)"


@dataclass(frozen=True)
class PlainCells:
    """Text cells all in plain form (:func:`plain_cells`).

    ``points``: the cells whose number has a decimal point; ``settles_point``: one of those cannot be
    a group of thousands (``1234.5``, ``0.25``, ``12.3456``), so a point can only be the decimal
    separator; ``values``: the numbers as float64 when every cell is a bare number, else None.
    """

    points: np.ndarray
    settles_point: bool
    values: np.ndarray | None

    @property
    def point(self) -> bool:
        """Some number has a decimal point."""
        return bool(self.points.any())


def plain_cells(cells: pd.Series | pa.Array | pa.ChunkedArray) -> PlainCells | None:
    """What a column of text cells holds when every cell is in plain form, found in a few C passes.

    :func:`detect_columns` factorises the cells and tries every convention on the distinct numbers, which
    for a large file of distinct decimals (``1233.7288258363478``) costs ≈ 6 µs a cell. Cells in plain
    form need none of that once the point is settled as the decimal separator: every convention that
    accepts them with a decimal point reads them alike, and no other accepts a number like ``1234.5``.
    None when a cell is anything else (a sign, exponent, comma, space inside the number, percent, a
    missing or non-text cell): those go through :func:`detect_columns`. Bare numbers are read by Arrow's
    cast, which rounds correctly, as ``float()`` does.

    >>> p = plain_cells(pd.Series(["1234.5", "12 p", ":"]))
    >>> p.point, p.settles_point, p.values
    (True, True, None)
    >>> plain_cells(pd.Series(["35.991", "7"])).settles_point
    False
    >>> plain_cells(pd.Series(["1.234,5"])) is None
    True
    """
    arr = _text_cells(cells)
    if arr is None:
        return None
    bare = bool(pc.all(pc.match_substring_regex(arr, _BARE_NUMBER)).as_py())
    if not bare and not pc.all(pc.match_substring_regex(arr, _PLAIN_CELL)).as_py():
        return None
    point = pc.match_substring(arr, ".")  # in a plain cell a point can only be the number's
    return PlainCells(
        points=point.to_numpy(zero_copy_only=False),
        settles_point=_settles(arr, point),
        values=pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False) if bare else None,
    )


def read_settled(cells: pd.Series, decimal: str, thousands: str | None) -> np.ndarray | None:
    """Floats of text cells that are all numbers of a settled convention, read as detection reads them.

    A streamed file's later blocks, once the first settled ``decimal`` (and ``thousands``, or None when
    no thousands separator was seen yet: then a cell may hold none), need no detection: every cell the
    convention accepts (:data:`_PATTERNS`, without a sign) reads as :func:`_reading` reads it — thousands
    separators dropped, a decimal comma made a point — and Arrow's cast rounds as ``pd.to_numeric``
    does. None when a cell is anything else (a flag, a missing marker, a number of another convention):
    detection then decides, and words any conflict with the earlier blocks.

    >>> read_settled(pd.Series(["1.234,5", "12", "0,25"]), ",", ".").tolist()
    [1234.5, 12.0, 0.25]
    >>> read_settled(pd.Series(["1.234,5"]), ",", None) is None  # a thousands separator not yet seen
    True
    """
    conv = (decimal, thousands or "")
    if conv not in _PATTERNS:
        return None
    arr = _text_cells(cells)
    if arr is None or not len(arr):
        return None
    ok = pc.and_(
        pc.match_substring_regex(arr, _PATTERNS[conv].pattern),
        pc.invert(pc.match_substring_regex(arr, r"^[-+]")),
    )
    if not pc.all(ok).as_py():
        return None
    plain = arr
    for ch in THOUSANDS[conv[1]]:
        plain = pc.replace_substring(plain, ch, "")
    if decimal == ",":
        plain = pc.replace_substring(plain, ",", ".")
    try:
        return pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return None


def _text_cells(cells: pd.Series | pa.Array | pa.ChunkedArray):
    """The cells as Arrow text for the C kernels; None when one is not text or is missing."""
    if isinstance(cells, pa.Array | pa.ChunkedArray):
        if not (pa.types.is_string(cells.type) or pa.types.is_large_string(cells.type)):
            return None
        arr = cells
    else:
        try:
            arr = _arrow(cells)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
    return None if arr.null_count else arr


def _settles(arr, point, step: int = 1 << 16) -> bool:
    """Whether some cell's point cannot be a thousands separator; slice by slice, as the first slice of a
    column of decimals nearly always answers."""
    for start in range(0, len(arr), step):
        part, pt = arr.slice(start, step), point.slice(start, step)
        if not pc.any(pt).as_py():
            continue
        like = pc.match_substring_regex(part, _THOUSANDS_LIKE)
        if pc.any(pc.and_(pt, pc.invert(like))).as_py():
            return True
    return False


def _describe_reading(token: str, value: float, conv: tuple[str, str]) -> Text:
    d, t = conv
    if t and any(ch in token for ch in THOUSANDS[t]):
        how: str = Text("io_thousands_separator", sep=t)
    else:
        how = Phrase(_WORDS[d])
    return Text("io_reading", value=Num(value, ".10g"), how=how)


def _ambiguous(tokens: pd.Series, groups, file, column, line_of) -> DataError:
    a, b = groups[0][0], groups[1][0]
    ra, rb = _reading(tokens, a), _reading(tokens, b)
    differ = np.flatnonzero(~np.isclose(ra, rb, equal_nan=True))
    lines = [line_of(tokens.index[i]) or 0 for i in differ]
    k = int(differ[int(np.argmin(lines))])
    token = tokens.iloc[k]
    readings = sorted(
        [_describe_reading(token, ra[k], a), _describe_reading(token, rb[k], b)],
        key=lambda s: "decimal" in s,
    )
    return DataError(
        Text("io_ambiguous", token=token, first=readings[0], second=readings[1]),
        file=file,
        row=line_of(tokens.index[k]),
        column=column,
    )


def _per_token(
    tokens: pd.Series, file, column, line_of
) -> tuple[np.ndarray, tuple[str, str] | None]:
    """Each token's own reading when every convention that accepts it agrees; else an error."""
    readings = np.full((len(CONVENTIONS), len(tokens)), np.nan)
    ok = np.zeros((len(CONVENTIONS), len(tokens)), dtype=bool)
    for k, conv in enumerate(CONVENTIONS):
        ok[k] = _valid(tokens, conv)
        readings[k] = _reading(tokens, conv)
    best = CONVENTIONS[int(ok.sum(axis=1).argmax())]
    out = np.full(len(tokens), np.nan)
    for j in range(len(tokens)):
        values = sorted(set(readings[ok[:, j], j].tolist()))
        if len(values) > 1:
            token = tokens.iloc[j]
            raise DataError(
                Text(
                    "io_ambiguous_mixed",
                    token=token,
                    first=Num(values[1], ".10g"),
                    second=Num(values[0], ".10g"),
                ),
                file=file,
                row=line_of(tokens.index[j]),
                column=column,
            )
        out[j] = values[0] if values else np.nan
    best_k = CONVENTIONS.index(best)
    odd = ~ok[best_k] & ~np.isnan(out)
    return out, best if odd.any() else None
