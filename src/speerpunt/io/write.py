"""Writers: CSV, Parquet and XLSX for result tables and panels.

A :class:`Panel` is written as its long table ``region, sector, year, variable, value, flag``; a missing
value is an empty cell with its flag (``:`` or ``c`` …), so reading the file back gives the same panel.
Parquet files also carry the panel's metadata (units, source, attribution) in the file's key-value
metadata under ``speerpunt``. CSV and XLSX text cells pass :func:`speerpunt.io.safe.neutralise_frame`
(a code like ``=HYPERLINK(…)`` is written as ``'=HYPERLINK(…)``, never as a live formula; numbers stay
numbers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from speerpunt.io.safe import neutralise_frame, to_safe_csv
from speerpunt.panel import Panel, PanelMeta

INT_FORMAT = "#,##0"
FLOAT_FORMAT = "0.000"
META_KEY = b"speerpunt"


def _frame(obj: pd.DataFrame | Panel) -> pd.DataFrame:
    return obj.data if isinstance(obj, Panel) else obj


def _prepare(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_csv(obj: pd.DataFrame | Panel, path: str | Path) -> Path:
    """UTF-8 CSV, ``\\n`` line ends, no index, NaN as an empty cell, floats at full precision; text
    cells that a spreadsheet would run as a formula get a leading apostrophe."""
    path = _prepare(path)
    to_safe_csv(_frame(obj), path)
    return path


def write_parquet(obj: pd.DataFrame | Panel, path: str | Path) -> Path:
    """Parquet (pyarrow); a Panel's metadata travels in the file."""
    path = _prepare(path)
    table = pa.Table.from_pandas(_frame(obj), preserve_index=False)
    if isinstance(obj, Panel):
        meta = {k: v for k, v in asdict(obj.meta).items() if k not in ("breaks", "notes")}
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), META_KEY: json.dumps(meta).encode("utf-8")}
        )
    pq.write_table(table, path)
    return path


def read_parquet_meta(path: str | Path) -> PanelMeta | None:
    """The :class:`PanelMeta` stored by :func:`write_parquet`, if any."""
    stored = (pq.read_schema(path).metadata or {}).get(META_KEY)
    return PanelMeta(**json.loads(stored)) if stored else None


def write_xlsx(
    obj: pd.DataFrame | Panel | Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    formats: Mapping[str, str] | None = None,
) -> Path:
    """An XLSX workbook: one sheet per table (a dict gives several), bold header, frozen header row.

    Number formats are set per column: integers ``#,##0``, floats ``0.000``, or ``formats[column]``.
    Text cells are neutralised like CSV cells, so none is stored as a formula.
    """
    path = _prepare(path)
    sheets = dict(obj) if isinstance(obj, Mapping) else {"data": _frame(obj)}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df = neutralise_frame(_frame(df), xlsx=True)
            title = _sheet_name(str(name))
            df.to_excel(writer, sheet_name=title, index=False)
            _style(writer.sheets[title], df, formats or {})
    return path


def _sheet_name(name: str) -> str:
    """Excel forbids ``[]:*?/\\`` and names over 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "data"


def _style(ws, df: pd.DataFrame, formats: Mapping[str, str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    for j, col in enumerate(df.columns, start=1):
        letter = get_column_letter(j)
        kind = df[col].dtype.kind
        fmt = formats.get(str(col)) or (
            INT_FORMAT if kind in "iu" else FLOAT_FORMAT if kind == "f" else None
        )
        # Years are integers but must not get a thousands separator.
        if str(col).lower() in ("year", "start", "end") and str(col) not in formats:
            fmt = "0" if kind in "iu" else fmt
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j, max_row=len(df) + 1):
                cell.number_format = fmt
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
        ws.column_dimensions[letter].width = min(width, 60)
