"""``read_panel``: one entry point for every input form, returning a validated :class:`Panel`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import DataError
from speerpunt.io.eurostat import tsv_cells
from speerpunt.io.layouts import Cells, to_cells
from speerpunt.io.text import RawTable, check_header, decode, parse_delimited, read_bytes
from speerpunt.io.validate import check_scheme, clean, to_panel_frame
from speerpunt.io.write import read_parquet_meta
from speerpunt.panel import Panel, PanelMeta

TEXT_SUFFIXES = (".csv", ".txt")
TSV_SUFFIXES = (".tsv", ".tsv.gz")
#: Default variable of Eurostat-style wide files (``geo,year,A,B-E,…``) such as the shipped ones.
EUROSTAT_WIDE_VARIABLE = "employment"


def read_panel(
    source: str | Path,
    *,
    variable: str | None = None,
    scheme: str | None = None,
    sheet: str | int | None = None,
    encoding: str = "utf-8",
    parts: str | Sequence[str] | None = None,
    tolerance: float = 0.0,
) -> Panel:
    """Read a file or an embedded dataset into a validated :class:`Panel`.

    Parameters
    ----------
    source : str or Path
        An embedded dataset name (``be-employment``, see :func:`speerpunt.io.datasets.list_datasets`)
        or a file: ``.csv``/``.txt`` (long or wide; comma, semicolon or tab separated), ``.xlsx``,
        ``.parquet``, Eurostat bulk ``.tsv``/``.tsv.gz`` or Eurostat SDMX-CSV.
    variable : str, optional
        Name of the variable of a wide file (required unless the file is Eurostat-style
        ``geo,year,…``, which defaults to ``employment``); for files with several variables, keep
        only this one.
    scheme : str, optional
        ``a10``, ``regional`` or ``nace``: sector codes outside the scheme are errors, and the A*10
        partition may not add up to more than ``TOTAL``.
    sheet : str or int, optional
        XLSX sheet (default: the first).
    encoding : str
        Text encoding of CSV/TSV files (``latin-1``, ``cp1252`` …); a UTF-8 byte-order mark is skipped.
    parts, tolerance
        Check that these sectors (a list or ``"a10"``) do not add up to more than ``TOTAL`` by more
        than ``tolerance`` × total plus rounding (see :func:`speerpunt.io.validate.validate_parts`).

    Returns
    -------
    Panel

    Raises
    ------
    DataError
        One line naming the file, the line, the column and the problem.

    Examples
    --------
    >>> p = read_panel("be-employment")
    >>> float(p.wide("employment", 2000).loc["BE", "TOTAL"])
    4109.0
    """
    path = Path(source)
    if not path.suffix and not path.exists():
        from speerpunt.io.datasets import load_dataset

        panel = load_dataset(str(source))
        if scheme is not None:
            check_scheme(panel.data, scheme, file=str(source))
        if variable is not None:
            panel.require(variable=variable)
            panel = panel.select(variable=variable)
        return panel
    cells = read_cells(path, variable=variable, sheet=sheet, encoding=encoding)
    table = clean(cells, scheme=scheme, parts=parts, tolerance=tolerance)
    return Panel._trusted(to_panel_frame(table), _meta(path, cells, table))


def check_file(path: str | Path, **kw) -> Panel:
    """Read and validate ``path`` (same keywords as :func:`read_panel`): the Panel, or a DataError."""
    return read_panel(path, **kw)


def read_cells(
    path: Path,
    *,
    variable: str | None = None,
    sheet: str | int | None = None,
    encoding: str = "utf-8",
) -> Cells:
    """The raw long cells of a file, before value parsing and checks."""
    name = path.name
    if not path.is_file():
        raise DataError("no such file or embedded dataset", file=str(path))
    lower = name.lower()
    if lower.endswith(TSV_SUFFIXES):
        text = decode(read_bytes(path), encoding, name)
        return tsv_cells(parse_delimited(text, name, sep="\t"), variable)
    if lower.endswith(TEXT_SUFFIXES):
        text = decode(read_bytes(path), encoding, name)
        return to_cells(parse_delimited(text, name), variable, _wide_default(text))
    if lower.endswith(".xlsx"):
        raw = _read_xlsx(path, sheet)
        return to_cells(raw, variable, _wide_default(",".join(raw.header)))
    if lower.endswith(".parquet"):
        raw = _read_parquet(path)
        return to_cells(raw, variable, _wide_default(",".join(raw.header)))
    raise DataError(
        "unknown file type (expected .csv, .txt, .tsv, .tsv.gz, .xlsx or .parquet)", file=name
    )


def _wide_default(text: str) -> str | None:
    """Eurostat-style wide files start with ``geo,year``: their variable defaults to employment."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].lower().replace(" ", "")
    return EUROSTAT_WIDE_VARIABLE if first.startswith(("geo,year,", "geo;year;")) else None


def _read_xlsx(path: Path, sheet: str | int | None) -> RawTable:
    try:
        frame = pd.read_excel(
            path,
            sheet_name=0 if sheet is None else sheet,
            header=None,
            dtype=object,
            engine="openpyxl",
        )
    except ValueError as exc:
        raise DataError(f"cannot read the sheet ({exc})", file=path.name, column="sheet") from None
    except Exception as exc:  # openpyxl raises zipfile/KeyError/etc. on a non-XLSX file
        raise DataError(
            f"not a readable XLSX file ({type(exc).__name__}: {exc})", file=path.name
        ) from None
    # The header is the first non-empty row; line numbers are spreadsheet row numbers.
    filled = np.flatnonzero(frame.notna().any(axis=1).to_numpy())
    if not len(filled):
        raise DataError("the sheet is empty", file=path.name, row=1)
    first_row = int(filled[0]) + 1
    # Columns left of the table (empty in every row) are layout, not data.
    frame = frame.iloc[first_row - 1 :].loc[:, frame.notna().any(axis=0)]
    header = [("" if pd.isna(h) else str(h)).strip() for h in frame.iloc[0]]
    check_header(header, path.name, first_row)
    cells = frame.iloc[1:].reset_index(drop=True)
    cells.columns = header
    lines = np.arange(first_row + 1, first_row + 1 + len(cells), dtype=np.int64)
    blank = cells.isna().all(axis=1).to_numpy()
    if blank.all():
        raise DataError("the sheet has a header but no data rows", file=path.name, row=first_row)
    return RawTable(
        path.name,
        header,
        cells[~blank].reset_index(drop=True),
        lines[~blank],
        header_line=first_row,
    )


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt or non-Parquet file
        raise DataError(
            f"not a readable Parquet file ({type(exc).__name__})", file=path.name
        ) from None
    header = [str(c) for c in frame.columns]
    check_header(header, path.name)
    for col in frame.columns:
        if frame[col].dtype.kind in "bmMc":
            raise DataError(
                f"column has dtype {frame[col].dtype}; expected numbers or text",
                file=path.name,
                row=1,
                column=str(col),
            )
    if frame.empty:
        raise DataError("the file has no records", file=path.name, row=1)
    # Parquet has no lines: number records as the CSV export of the same table would (header = 1).
    lines = np.arange(2, len(frame) + 2, dtype=np.int64)
    frame.columns = header
    return RawTable(path.name, header, frame, lines)


def _meta(path: Path, cells: Cells, table: pd.DataFrame) -> PanelMeta:
    """Metadata from, in order: the Parquet file itself, the embedded registry, the file's name."""
    from speerpunt.io.datasets import meta_for_file

    stored = read_parquet_meta(path) if path.suffix.lower() == ".parquet" else None
    if stored is not None:
        return stored
    known = meta_for_file(path.name)
    if known is not None:
        return replace(known, name=path.stem)
    units = dict(cells.units)
    name = path.name.lower()
    if "emp_ths" in name and "employment" in set(table["variable"]):
        units.setdefault("employment", "thousand persons")
    if cells.layout.startswith("eurostat") or "nama_10r" in name:
        code = _dataset_code(name)
        return PanelMeta(
            name=path.stem,
            units=units,
            source=f"Eurostat ({path.name})",
            attribution=f"Source: Eurostat, {code}" if code else "Source: Eurostat",
            classification="NACE Rev.2 (Eurostat aggregates)",
        )
    return PanelMeta(name=path.stem, units=units, source=str(path))


def _dataset_code(name: str) -> str | None:
    m = re.search(r"nama_10r_[a-z0-9]+", name)
    return m.group(0) if m else None
