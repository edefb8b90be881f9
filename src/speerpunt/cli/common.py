"""Shared plumbing for the thin CLI: options, data loading, output rendering, error handling."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from speerpunt.errors import SpeerpuntError

FORMATS = ("table", "csv", "json", "xlsx", "parquet")

DataOpt = Annotated[
    str,
    typer.Option(
        "--data",
        "-d",
        help="A file (CSV, XLSX, Parquet, Eurostat TSV) or an embedded dataset name.",
    ),
]
REGION_HELP = (
    "Region: a code (BE21), a union (BE252+BE253+BE258), a named territory (resoc:westhoek, "
    "'RESOC Westhoek') or municipalities' NIS codes joined by + (Statbel data)."
)
RegionOpt = Annotated[str, typer.Option("--region", "-r", help=REGION_HELP)]
ReferenceOpt = Annotated[
    str,
    typer.Option(
        "--reference",
        help="Reference region: 'country' (default, the region's NUTS0), any region code, union or "
        "named territory, or 'rest:CODE' for the rest of CODE without the region.",
    ),
]
TerritoriesOpt = Annotated[
    Path | None,
    typer.Option(
        "--territories", help="YAML of named territories (name: [codes]) besides the registry's."
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
        "--sectors",
        help="A sector scheme (a10), codes (C,F), policy sectors (bouw), a named set (antwerp-2013), "
        "a YAML file of policy sectors, or definitions name=NACE,NACE;name2=… (e.g. "
        "chem=C20,C21;log=G46,H49-H53). Built from the finest NACE level in the data; see "
        "'speerpunt sectors'.",
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


def load_selection(
    data: str,
    *,
    regions: list[str] | None,
    reference: str | None = "country",
    sectors: str | None = None,
    encoding: str = "utf-8",
    territories: Path | None = None,
    keep_sectors: bool = False,
    all_regions: bool = False,
):
    """Read ``data`` and build the territories and policy sectors asked for (notes go to stderr).

    Returns a :class:`speerpunt.classify.selection.Selection`: its ``panel``, ``regions``, ``reference``
    and ``sectors`` are plain codes the measures take as they are.
    """
    from speerpunt.classify import partitions
    from speerpunt.classify.selection import select
    from speerpunt.io.datasets import dataset_entry

    scheme = sectors if sectors and sectors.strip().lower() in partitions() else None
    if dataset_entry(data).get("reader"):
        scheme = None  # detailed embedded data: the scheme's codes are built from the finest level
    panel = load_data(data, sectors=scheme, encoding=encoding)
    sel = select(
        panel,
        regions=regions,
        reference=reference,
        sectors=sectors,
        territory_file=territories,
        keep_sectors=keep_sectors,
        all_regions=all_regions,
    )
    if isinstance(sel.sectors, str):
        sel.sectors = parse_sectors(sel.sectors)
    for note in sel.notes:
        typer.echo(f"note: {note}", err=True)
    if sel.overlapping:
        pairs = ", ".join(f"{a}/{b}" for a, b in sel.overlapping)
        typer.echo(f"note: the policy sectors overlap ({pairs}); never add them up", err=True)
    return sel


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

    Territories in ``region``/``regions`` and a territory ``reference`` are built as new regions, and
    policy sectors in ``sectors`` as new sectors (see :func:`load_selection`); ``check_scheme=False``
    reads the data without checking its sector codes against a scheme.
    """
    region, regions = kwargs.get("region"), kwargs.get("regions")
    specs = list(regions) if regions else None
    if specs is None and isinstance(region, str) and region.lower() != "all":
        specs = [region]
    ref = kwargs.get("reference")
    ref_ok = isinstance(ref, str) and ref.lower() not in ("auto", "group")
    sel = load_selection(
        data,
        regions=specs,
        reference=ref if ref_ok else "country",
        sectors=sectors if check_scheme or policy_sectors_asked(sectors) else None,
        encoding=encoding,
        all_regions=True,
    )
    if regions:
        kwargs["regions"] = sel.regions
    elif specs is not None:
        kwargs["region"] = sel.regions[0]
    if ref_ok:
        kwargs["reference"] = sel.reference
    chosen = sel.sectors if policy_sectors_asked(sectors) or isinstance(sel.sectors, list) else None
    return measure(sel.panel, *args, sectors=chosen or parse_sectors(sectors), **kwargs)


def policy_sectors_asked(spec: str | None) -> bool:
    """True when ``--sectors`` names policy sectors (a set, names, a YAML file or name=NACE)."""
    from speerpunt.classify.vocabulary import policy_spec

    return policy_spec(spec) is not None


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
