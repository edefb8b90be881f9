"""``read_panel``: one entry point for every input form, returning a validated :class:`Panel`."""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, Text
from speerpunt.io.eurostat import tsv_cells
from speerpunt.io.layouts import Cells, find_columns, to_cells
from speerpunt.io.stream import wants_stream
from speerpunt.io.summary import ReadSummary
from speerpunt.io.text import (
    RawTable,
    check_header,
    decode,
    object_frame,
    parse_delimited,
    read_bytes,
    utf16_codec,
)
from speerpunt.io.validate import (
    _check_aggregates,
    check_scheme,
    clean,
    describe_numbers,
    to_panel_frame,
)
from speerpunt.io.write import read_parquet_meta
from speerpunt.io.xlsx_stream import read_xlsx_streamed, wants_xlsx_stream
from speerpunt.io.ziparchive import split_member, unzip_member
from speerpunt.panel import TOTAL, Panel, PanelMeta

TEXT_SUFFIXES = (".csv", ".txt", ".csv.gz", ".txt.gz")
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
    decimal: str | None = None,
    thousands: str | None = None,
    parts: str | Sequence[str] | None = None,
    tolerance: float = 0.0,
    allow_parts_exceed_total: bool = False,
    sectors: str | Sequence[str] | None = None,
    max_cells: int | None = None,
    max_unpacked_bytes: int | None = None,
    block_size: int | None = None,
    allow_overlaps: bool = False,
    member: str | None = None,
) -> Panel:
    """Read a file or an embedded dataset into a validated :class:`Panel`.

    Parameters
    ----------
    source : str or Path
        An embedded dataset name (``be-employment``, see :func:`speerpunt.io.datasets.list_datasets`)
        or a file: ``.csv``/``.txt`` (long or wide; comma, semicolon, tab or pipe separated, title and
        note lines around the table), ``.xlsx``, ``.parquet``, Eurostat bulk ``.tsv``/``.tsv.gz`` or
        Eurostat SDMX-CSV; ``.csv.gz``/``.txt.gz`` too; a ``.zip`` holding one of those
        (``data.zip:member.csv`` names the member when it holds several; see
        :mod:`speerpunt.io.ziparchive`).
    variable : str, optional
        Name of the variable of a wide file (required unless the file is Eurostat-style
        ``geo,year,…``, which defaults to ``employment``); the column holding the values when the file
        has region, sector and year columns and one column per variable (``emp``, ``firms`` …); for
        files with several variables, keep only this one.
    scheme : str, optional
        ``a10``, ``regional`` or ``nace``: sector codes outside the scheme are errors, and the scheme's
        partition may not add up to more than ``TOTAL``.
    sheet : str or int, optional
        XLSX sheet: a name or a 0-based index (default: the first).
    encoding : str
        Text encoding of CSV/TSV files (``latin-1``, ``cp1252`` …); a byte-order mark is skipped and
        UTF-16 is recognised.
    decimal, thousands : str, optional
        The number convention, when the file leaves it ambiguous (``35.991``): ``decimal`` ``.`` or
        ``,``; ``thousands`` ``.``, ``,``, ``' '`` (space), ``"'"`` or ``""`` (none).
    parts, tolerance
        The sectors (a list or a scheme name) checked against ``TOTAL`` instead of those found
        (see :mod:`speerpunt.io.aggregates_check`); ``tolerance`` × total is allowed beyond rounding.
    allow_parts_exceed_total : bool
        Do not refuse parts that add up to more than ``TOTAL`` (a warning is kept in the summary).
    sectors : str or list, optional
        The sectors the analysis will use (a scheme name or codes): with ``check_overlaps`` (see
        sectors that contain each other (``C`` and ``B-E``) are refused unless ``sectors`` chooses
        among them or a known partition (``a10`` …) is present; measures refuse to sum them either way.
    member : str, optional
        The member of a ``.zip`` to read (same as ``data.zip:member.csv``).
    allow_overlaps : bool
        Read sectors that contain each other anyway (they are reported in
        ``meta.reading["warnings"]``): for callers that choose non-overlapping sectors later
        (``inspect``, the web app, ``select``). Summing all sectors of such a panel counts some twice.
    max_cells, max_unpacked_bytes : int, optional
        Limits of :mod:`speerpunt.io.limits` (5 million cells per sheet, 2 GB unpacked).
    block_size : int, optional
        CSV/TXT (also ``.gz``) files from 32 MB on are read in blocks of 1 MB of text
        (:mod:`speerpunt.io.stream`: peak memory ≤ 3× the panel, whose code columns are then
        categoricals); ``block_size`` sets the block size and streams a file of any size. XLSX
        packages from 4 MB on are streamed too (:mod:`speerpunt.io.xlsx_stream`; ``block_size``: bytes of
        sheet XML per block).

    Returns
    -------
    Panel
        Its ``meta.reading`` records how the file was read (see :class:`speerpunt.io.ReadSummary`).

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
    panel, _ = read_with_summary(source, **_options(locals()))
    return panel


def inspect_file(source: str | Path, **options) -> ReadSummary:
    """Read ``source`` (same keywords as :func:`read_panel`) and say what was found, before any measure.

    Sectors that contain each other are reported, with how they will be used.

    >>> s = inspect_file("be-employment")
    >>> s.format, s.rows, s.totals
    ('embedded dataset', 11400, ['TOTAL'])
    """
    _, summary = read_with_summary(source, **{"allow_overlaps": True, **options})
    return summary


def _options(local: dict) -> dict:
    return {k: v for k, v in local.items() if k != "source"}


_DEFAULTS = {
    name: p.default
    for name, p in inspect.signature(read_panel).parameters.items()
    if p.kind is inspect.Parameter.KEYWORD_ONLY
}


def read_with_summary(
    source: str | Path, *, check_overlaps: bool | None = None, **options
) -> tuple[Panel, ReadSummary]:
    """:func:`read_panel` (same keywords) and its :class:`ReadSummary`.

    Sectors that contain each other are refused when no known partition is present and ``sectors``
    does not choose among them, unless ``allow_overlaps=True`` (``check_overlaps``, if given, overrides:
    ``check_overlaps=False`` is ``allow_overlaps=True``).
    """
    unknown = sorted(set(options) - set(inspect.signature(read_panel).parameters))
    if unknown:
        raise TypeError(f"unknown read option(s): {', '.join(unknown)}")
    o = {**_DEFAULTS, **options}
    if check_overlaps is None:
        check_overlaps = not o["allow_overlaps"]
    variable, scheme, sectors = o["variable"], o["scheme"], o["sectors"]
    zip_name, named = split_member(str(source))
    if zip_name.lower().endswith(".zip") and (named or Path(zip_name).is_file()):
        return _read_zip(Path(zip_name), o["member"] or named, check_overlaps, o)
    path = Path(source)
    if not path.suffix and not path.exists():
        from speerpunt.io.datasets import load_dataset

        panel = load_dataset(str(source))
        if scheme is not None:
            check_scheme(panel.data, scheme, file=str(source))
        if variable is not None:
            panel.require(variable=variable)
            panel = panel.select(variable=variable)
        summary = ReadSummary(str(source), format="embedded dataset", layout="long")
        summary.totals = [TOTAL] if TOTAL in panel.sectors else []
        summary.describe_panel(panel)
        return panel, summary
    summary = ReadSummary(path.name)
    if o["block_size"] is None:  # a block size asks for the streaming reader itself
        fast = _read_csv_fast(path, o, check_overlaps, summary)
        if fast is not None:
            return fast
        summary = ReadSummary(path.name)
    if wants_stream(path, o["encoding"], o["block_size"]) or wants_xlsx_stream(
        path, o["block_size"]
    ):
        streamed = _read_streamed(path, o, check_overlaps, summary)
        if streamed is not None:
            return streamed
        summary = ReadSummary(path.name)
    if path.suffix.lower() == ".parquet" and path.is_file():
        fast = _read_parquet_fast(path, o, check_overlaps, summary)
        if fast is not None:
            return fast
        summary = ReadSummary(path.name)
    cells = read_cells(
        path,
        variable=variable,
        sheet=o["sheet"],
        encoding=o["encoding"],
        summary=summary,
        max_cells=o["max_cells"],
        max_unpacked_bytes=o["max_unpacked_bytes"],
    )
    table = clean(
        cells,
        scheme=scheme,
        parts=o["parts"],
        tolerance=o["tolerance"],
        decimal=o["decimal"],
        thousands=o["thousands"],
        allow_parts_exceed_total=o["allow_parts_exceed_total"],
        sectors=sectors,
        check_overlaps=check_overlaps,
        summary=summary,
    )
    return _finish(path, cells, table, summary)


def _read_zip(
    path: Path, member: str | None, check_overlaps: bool, o: dict
) -> tuple[Panel, ReadSummary]:
    """Unpack the member (under the limits) to a temporary folder and read it; errors name both."""
    import tempfile

    from speerpunt.errors import SpeerpuntError

    if not path.is_file():
        raise DataError(Text("io_no_such_file"), file=str(path))
    inner = {k: v for k, v in o.items() if k != "member"}
    with tempfile.TemporaryDirectory(prefix="speerpunt-zip-") as tmp:
        out, member = unzip_member(path, member, Path(tmp), o["max_unpacked_bytes"])
        label = f"{path.name}:{member}"
        try:
            panel, summary = read_with_summary(out, check_overlaps=check_overlaps, **inner)
        except SpeerpuntError as exc:
            raise type(exc)(exc.message, file=label, row=exc.row, column=exc.column) from None
    summary.file = label
    if panel.meta.source == str(out):
        panel = Panel._trusted(panel.data, replace(panel.meta, source=f"{path}:{member}"))
    return panel, summary


def _read_streamed(
    path: Path, o: dict, check_overlaps: bool, summary: ReadSummary
) -> tuple[Panel, ReadSummary] | None:
    """The streaming path (see :mod:`speerpunt.io.stream`); None when the file needs the other one."""
    from speerpunt.io.stream import _Fallback, finish, read_streamed

    stream = read_streamed
    if wants_xlsx_stream(path, o["block_size"]):
        stream = partial(read_xlsx_streamed, sheet=o["sheet"], max_cells=o["max_cells"])
    try:
        cells, table = stream(
            path,
            variable=o["variable"],
            encoding=o["encoding"],
            decimal=o["decimal"],
            thousands=o["thousands"],
            summary=summary,
            max_unpacked_bytes=o["max_unpacked_bytes"],
            block_size=o["block_size"],
        )
    except _Fallback:
        return None
    summary.layout = cells.layout
    summary.header_mapping = _mapping(cells, [str(c) for c in cells.data.columns])
    summary.ignored_columns = list(cells.ignored)
    summary.units.update(cells.units)
    table = finish(table, path.name, cells.names.get("region", "region"), summary)
    _whole_table_checks(table, path.name, o, check_overlaps, summary)
    return _finish(path, cells, table, summary)


def _read_csv_fast(
    path: Path, o: dict, check_overlaps: bool, summary: ReadSummary
) -> tuple[Panel, ReadSummary] | None:
    """A long CSV file of bare numbers parsed by Arrow and checked on integer codes
    (:mod:`speerpunt.io.csv_fast`); None when the general reader must read it."""
    from speerpunt.io.csv_fast import read_long_csv

    got = read_long_csv(
        path,
        variable=o["variable"],
        decimal=o["decimal"],
        thousands=o["thousands"],
        encoding=o["encoding"],
        max_unpacked_bytes=o["max_unpacked_bytes"],
    )
    if got is None:
        return None
    cells, table, relabels, sep, convention = got
    summary.separator, summary.encoding = sep, o["encoding"]
    describe_numbers({cells.names["value"]: convention}, None, None, summary)
    return _finish_coded(path, cells, table, relabels, "delimited text", o, check_overlaps, summary)


def _read_parquet_fast(
    path: Path, o: dict, check_overlaps: bool, summary: ReadSummary
) -> tuple[Panel, ReadSummary] | None:
    """A long Parquet file checked on integer codes (:mod:`speerpunt.io.parquet`); None when the file
    needs the general reader (another layout, text values, or an error for it to word)."""
    from speerpunt.io.parquet import read_long_parquet

    got = read_long_parquet(
        path, variable=o["variable"], decimal=o["decimal"], thousands=o["thousands"]
    )
    if got is None:
        return None
    cells, table, relabels = got
    return _finish_coded(path, cells, table, relabels, "Parquet", o, check_overlaps, summary)


def _finish_coded(
    path: Path,
    cells,
    table: pd.DataFrame,
    relabels: dict[str, str],
    fmt: str,
    o: dict,
    check_overlaps: bool,
    summary: ReadSummary,
) -> tuple[Panel, ReadSummary]:
    """The end both fast paths share: the summary, then the whole-table checks on the categorical
    codes, which the panel keeps (region, sector, variable and flag with sorted categories, as the
    streamed CSV reader returns them)."""
    from speerpunt.io.parquet import finish_summary, with_suppressed_flags

    finish_summary(summary, cells, [str(c) for c in cells.data.columns], fmt)
    if relabels:
        summary.sector_relabels = relabels
    with_suppressed_flags(table)
    _whole_table_checks(table, path.name, o, check_overlaps, summary)
    return _finish(path, cells, table, summary)


def _whole_table_checks(
    table: pd.DataFrame, file: str, o: dict, check_overlaps: bool, summary: ReadSummary
) -> None:
    """Scheme, totals and aggregates of a sorted, duplicate-free table (as :func:`clean` runs them)."""
    if o["scheme"] is not None:
        check_scheme(table, o["scheme"], file=file)
    _check_aggregates(
        table,
        file,
        scheme=o["scheme"],
        parts=o["parts"],
        tolerance=o["tolerance"],
        allow=o["allow_parts_exceed_total"],
        sectors=o["sectors"],
        check_overlaps=check_overlaps,
        summary=summary,
    )


def _finish(path: Path, cells, table, summary: ReadSummary) -> tuple[Panel, ReadSummary]:
    """The Panel of a validated table, with how the file was read in its metadata and the summary."""
    meta = replace(_meta(path, cells, table), reading=summary.conventions())
    panel = Panel._trusted(to_panel_frame(table), meta)
    summary.describe_panel(panel)
    return panel, summary


def check_file(path: str | Path, **kw) -> Panel:
    """Read and validate ``path`` (same keywords as :func:`read_panel`): the Panel, or a DataError."""
    return read_panel(path, **kw)


def read_cells(
    path: Path,
    *,
    variable: str | None = None,
    sheet: str | int | None = None,
    encoding: str = "utf-8",
    summary: ReadSummary | None = None,
    max_cells: int | None = None,
    max_unpacked_bytes: int | None = None,
) -> Cells:
    """The raw long cells of a file, before value parsing and checks."""
    summary = summary if summary is not None else ReadSummary(path.name)
    name = path.name
    if not path.is_file():
        raise DataError(Text("io_no_such_dataset"), file=str(path))
    lower = name.lower()
    if lower.endswith(TSV_SUFFIXES):
        raw = _text_table(path, encoding, summary, max_unpacked_bytes, sep="\t")
        summary.format = "Eurostat TSV"
        cells = tsv_cells(raw, variable)
    elif lower.endswith(TEXT_SUFFIXES):
        raw = _text_table(path, encoding, summary, max_unpacked_bytes)
        summary.format = "delimited text"
        cells = to_cells(raw, variable, _wide_default(raw.header))
    elif lower.endswith(".xlsx"):
        from speerpunt.io.xlsx import read_xlsx

        raw = read_xlsx(path, sheet, max_cells=max_cells, max_unpacked_bytes=max_unpacked_bytes)
        summary.format = "XLSX"
        summary.sheet = raw.sheet
        if variable is None and raw.group_label and "variable" not in find_columns(raw.header):
            variable = raw.group_label  # the merged label over the value columns names them
        cells = to_cells(raw, variable, _wide_default(raw.header))
    elif lower.endswith(".parquet"):
        raw = _read_parquet(path)
        summary.format = "Parquet"
        cells = to_cells(raw, variable, _wide_default(raw.header))
    else:
        raise DataError(
            Text("io_unknown_type"),
            file=name,
        )
    summary.header_line = raw.header_line
    summary.skipped_lines = [f"line {n}: {text[:80]}" for n, text in raw.skipped]
    summary.skipped_lines += [Text("rv_dropped", col=c) for c in raw.dropped_columns]
    summary.layout = cells.layout
    summary.header_mapping = _mapping(cells, raw.header)
    summary.ignored_columns = list(cells.ignored)
    summary.units.update(cells.units)
    return cells


def _mapping(cells: Cells, header: list[str]) -> dict[str, str]:
    """Roles → the file's header names."""
    return {
        role: col
        for role, col in cells.names.items()
        if col in header and not (role == "variable" and cells.layout == "value-columns")
    }


def _text_table(
    path: Path,
    encoding: str,
    summary: ReadSummary,
    max_unpacked_bytes: int | None,
    sep: str | None = None,
) -> RawTable:
    data = read_bytes(path, max_unpacked_bytes)
    text = decode(data, encoding, path.name)
    default = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
    summary.encoding = (utf16_codec(data) if default else None) or encoding
    raw = parse_delimited(text, path.name, sep=sep)
    summary.separator = raw.sep
    return raw


def _wide_default(header: list[str]) -> str | None:
    """Eurostat-style wide files start with ``geo,year``: their variable defaults to employment."""
    first = [h.strip().lower() for h in header[:2]]
    return EUROSTAT_WIDE_VARIABLE if first == ["geo", "year"] and len(header) > 2 else None


def _read_parquet(path: Path) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt or non-Parquet file
        raise DataError(Text("io_not_parquet", detail=type(exc).__name__), file=path.name) from None
    header = [str(c) for c in table.column_names]
    check_header(header, path.name)
    for name, kind in zip(header, table.schema.types, strict=True):
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if not (
            pa.types.is_integer(kind)
            or pa.types.is_floating(kind)
            or pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or pa.types.is_null(kind)
        ):
            what = "datetime64" if pa.types.is_timestamp(kind) or pa.types.is_date(kind) else kind
            raise DataError(
                Text("io_parquet_dtype", dtype=what),
                file=path.name,
                row=1,
                column=name,
            )
    if table.num_rows == 0:
        raise DataError(Text("io_no_records"), file=path.name, row=1)
    frame = object_frame(
        {h: table.column(i).to_numpy(zero_copy_only=False) for i, h in enumerate(header)},
        table.num_rows,
    )
    # Parquet has no lines: number records as the CSV export of the same table would (header = 1).
    lines = np.arange(2, len(frame) + 2, dtype=np.int64)
    return RawTable(path.name, header, frame, lines)


def _meta(path: Path, cells: Cells, table: pd.DataFrame) -> PanelMeta:
    """Metadata from, in order: the Parquet file itself, the embedded registry, the file's name."""
    from speerpunt.io.datasets import meta_for_file

    stored = None
    if path.suffix.lower() == ".parquet":
        try:
            stored = read_parquet_meta(path)
        except (ValueError, TypeError) as exc:
            raise DataError(
                Text("io_bad_metadata", detail=type(exc).__name__),
                file=path.name,
            ) from None
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
