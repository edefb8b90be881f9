"""Shared plumbing for the thin CLI: options, data loading, output rendering, error handling."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from speerpunt.errors import SpeerpuntError

if TYPE_CHECKING:  # pandas is loaded when a command runs, not when the CLI starts
    import pandas as pd

FORMATS = ("table", "csv", "json", "xlsx", "parquet")

DataOpt = Annotated[
    str,
    typer.Option(
        "--data",
        "-d",
        help="A file (CSV, XLSX, Parquet, Eurostat TSV) or an embedded dataset name.",
    ),
]
RegionOpt = Annotated[str, typer.Option("--region", "-r", help="Region code, e.g. BE21.")]
ReferenceOpt = Annotated[
    str,
    typer.Option(
        "--reference",
        help="Reference region: 'country' (default, the region's NUTS0), any region code, "
        "or 'rest:CODE' for the rest of CODE without the region.",
    ),
]
VariableOpt = Annotated[str, typer.Option("--variable", "-v", help="Variable, e.g. employment.")]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="table, csv, json, xlsx or parquet.")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
]
SectorsOpt = Annotated[
    str | None,
    typer.Option(
        "--sectors", help="A sector scheme (e.g. a10) or a comma-separated list of sector codes."
    ),
]


EncodingOpt = Annotated[
    str,
    typer.Option(
        "--encoding", help="Text encoding of CSV/TSV input, e.g. latin-1 (default utf-8)."
    ),
]


def load_data(spec: str, *, sectors: str | None = None, encoding: str = "utf-8"):
    """Read a panel from a path or an embedded dataset name (errors become one-line messages).

    When ``sectors`` names a scheme (``a10``, ``nace`` …) the file's sector codes are checked against it.
    """
    from speerpunt.io import read_panel

    scheme = (
        sectors if isinstance(sectors, str) and "," not in sectors and sectors != "all" else None
    )
    return read_panel(spec, scheme=scheme, encoding=encoding)


def parse_sectors(spec: str | None) -> str | list[str] | None:
    """``'a10'`` stays a scheme name; ``'A,C,F'`` becomes a list."""
    if spec is None:
        return None
    return [s.strip() for s in spec.split(",") if s.strip()] if "," in spec else spec


def run_measure(
    measure: Callable[..., Any],
    data: str,
    /,
    *args: Any,
    sectors: str | None = None,
    encoding: str = "utf-8",
    check_scheme: bool = True,
    **kwargs: Any,
) -> Any:
    """Read ``data`` and call ``measure(panel, *args, sectors=…, **kwargs)`` with ``--sectors`` parsed.

    ``check_scheme=False`` reads the data without checking its sector codes against a scheme.
    """
    panel = load_data(data, sectors=sectors if check_scheme else None, encoding=encoding)
    return measure(panel, *args, sectors=parse_sectors(sectors), **kwargs)


def emit(df: pd.DataFrame, fmt: str = "table", out: Path | None = None) -> None:
    """Render a result table to stdout or a file in the chosen format."""
    if fmt not in FORMATS:
        raise SpeerpuntError(
            f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})", column="--format"
        )
    if fmt in ("xlsx", "parquet") and out is None:
        raise SpeerpuntError(f"--format {fmt} needs --out FILE", column="--out")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "table":
        text = df.to_string(index=False, na_rep="NA")
    elif fmt == "csv":
        text = df.to_csv(index=False, lineterminator="\n")
    elif fmt == "json":
        text = json.dumps(
            json.loads(df.to_json(orient="records", force_ascii=False)),
            indent=1,
            ensure_ascii=False,
        )
    elif fmt == "xlsx":
        from speerpunt.io import write_xlsx

        write_xlsx(df, out)
        return
    else:
        df.to_parquet(out, index=False)
        return
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def fail(message: str, code: int = 2) -> None:
    """Print one line to stderr and exit non-zero, no traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
