"""Safe output: file names built from user codes, and spreadsheet cells that cannot become formulas.

Region and sector codes come from the user's own files, so anything derived from them is hostile until
made safe here — the one place every writer (CLI, web, reports) goes through:

- :func:`safe_filename` turns codes into one file name: no path separator, no ``..``, no control or
  invisible characters, bounded length; letters of any script are kept (``Łódź``). When a code had to be
  changed a short hash of the original is appended, so two different codes never share a file.
- :func:`output_path` joins a safe name to the chosen folder and refuses anything that would land
  outside it.
- :func:`neutralise_cell` / :func:`neutralise_frame` apply the OWASP CSV-injection rule: a text cell
  starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, so a
  spreadsheet shows it as text instead of running it. Numbers are never touched (``-3.5`` stays a
  number), and neither is text that reads as a plain number or a lone sign.

Reference: OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from speerpunt.errors import SpeerpuntError, Text

#: First characters a spreadsheet reads as the start of a formula (with their full-width forms).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9][0-9.,]*|[.,][0-9]+)([eE][+-]?[0-9]+)?%?")
_UNSAFE_CHARS = re.compile(r"[^\w.-]+")
_DOTS = re.compile(r"\.{2,}")
#: Control characters an XLSX cell cannot hold (XML 1.0); openpyxl refuses them.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
MAX_NAME_BYTES = 150


def _clean_part(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)
    text = _UNSAFE_CHARS.sub("_", text)
    text = _DOTS.sub("_", text)
    text = re.sub(r"_{2,}", "_", text).strip("._-")
    if text != raw:
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        text = f"{text}-{digest}" if text else digest
    return text


def _truncate(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore").rstrip("._-")


def safe_filename(*parts: object, suffix: str = "", max_bytes: int = MAX_NAME_BYTES) -> str:
    """One file name from ``parts`` joined by ``_``, safe on every file system.

    Parameters
    ----------
    parts : the codes and words to name the file after (``"speerpunt", region, lang``).
    suffix : the extension with its dot (``".pdf"``); letters and digits only.
    max_bytes : the longest stem in UTF-8 bytes (file systems allow 255 for the whole name).

    Examples
    --------
    >>> safe_filename("speerpunt", "BE22", "nl", suffix=".pdf")
    'speerpunt_BE22_nl.pdf'
    >>> safe_filename("speerpunt", "Łódź", "nl", suffix=".html")
    'speerpunt_Łódź_nl.html'
    >>> name = safe_filename("speerpunt", "../../../../tmp/x", "nl")
    >>> "/" in name or ".." in name, name.startswith("speerpunt_tmp_x-")
    (False, True)
    """
    if suffix and not _SUFFIX.fullmatch(suffix):
        raise SpeerpuntError(Text("io_not_extension", suffix=suffix), column="suffix")
    stem = "_".join(p for p in (_clean_part(str(part)) for part in parts) if p) or "file"
    stem = _truncate(stem, max_bytes) or "file"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    return stem + suffix.lower()


def output_path(folder: str | Path, name: str) -> Path:
    """``folder / name``, refused unless it is a plain file directly inside ``folder`` (created if needed).

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> output_path(d, "speerpunt_BE22_nl.pdf").name
    'speerpunt_BE22_nl.pdf'
    >>> output_path(d, "../x.pdf")
    Traceback (most recent call last):
    ...
    speerpunt.errors.SpeerpuntError: column 'file name': '../x.pdf' would be written outside the output folder
    """
    base = Path(folder)
    target = base / name
    if (
        not name
        or name in (".", "..")
        or Path(name).name != name
        or "\\" in name
        or target.resolve().parent != base.resolve()
    ):
        raise SpeerpuntError(Text("io_outside_folder", name=name), column="file name")
    base.mkdir(parents=True, exist_ok=True)
    return target


def neutralise_cell(value: object, *, xlsx: bool = False) -> object:
    """A text cell made harmless for spreadsheets; every other value unchanged. With ``xlsx`` the control
    characters an XLSX cell cannot hold become U+FFFD (instead of failing the whole export).

    >>> neutralise_cell("=HYPERLINK(1)"), neutralise_cell("-2+3"), neutralise_cell("@SUM(A1)")
    ("'=HYPERLINK(1)", "'-2+3", "'@SUM(A1)")
    >>> neutralise_cell(-3.5), neutralise_cell("-3,5"), neutralise_cell("-"), neutralise_cell("B-E")
    (-3.5, '-3,5', '-', 'B-E')
    >>> neutralise_cell("a\\x01b", xlsx=True)
    'a\ufffdb'
    """
    if not isinstance(value, str):
        return value
    if xlsx:
        value = _XLSX_ILLEGAL.sub("\ufffd", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    if value in ("+", "-") or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_frame(df: pd.DataFrame, *, xlsx: bool = False) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names pass :func:`neutralise_cell`; numeric columns
    are left as they are (same dtype, same values)."""
    out = df.copy()

    def cell(v: object) -> object:
        return neutralise_cell(v, xlsx=xlsx)

    for col in out.columns:
        dtype = out[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            # as plain values: '=x' and "'=x" may both be categories, which renaming would refuse
            out[col] = out[col].astype(object).map(cell)
        elif dtype.kind == "O" or isinstance(dtype, pd.StringDtype):
            out[col] = out[col].map(cell)
    out.columns = [cell(c) for c in out.columns]
    return out


def to_safe_csv(df: pd.DataFrame, target: str | Path | None = None) -> str | None:
    """``df`` as UTF-8 CSV (``\\n`` line ends, no index) after :func:`neutralise_frame`; to ``target`` or,
    without one, returned as text.

    Python's CSV writer leaves a bare carriage return inside a field unquoted when lines end in ``\\n``,
    and every spreadsheet reads it as a new row; when a text cell holds one, all text is quoted.

    >>> to_safe_csv(pd.DataFrame({"code": ["=1+2", "A"], "lq": [-1.5, 2.0]}))
    "code,lq\\n'=1+2,-1.5\\nA,2.0\\n"
    """
    safe = neutralise_frame(df)
    text_cols = [c for c in safe.columns if safe[c].dtype.kind == "O"]
    has_cr = any(
        safe[c].map(lambda v: isinstance(v, str) and "\r" in v).any() for c in text_cols
    ) or any("\r" in str(c) for c in safe.columns)
    quoting = csv.QUOTE_NONNUMERIC if has_cr else csv.QUOTE_MINIMAL
    if target is None:
        buf = io.StringIO()
        safe.to_csv(buf, index=False, lineterminator="\n", quoting=quoting)
        return buf.getvalue()
    safe.to_csv(target, index=False, lineterminator="\n", encoding="utf-8", quoting=quoting)
    return None
